/*
 * A user-level driver for QEMU virt's PL031 real-time clock, taking its alarm interrupt (SPI 2,
 * GIC id 34) as notification signals: IRQControl_Get, IRQHandler_SetNotification, Wait, then
 * clear the device and IRQHandler_Ack, twice. Writing the match register with the current
 * count raises the alarm at once; the second alarm is a second away.
 */
#include <sigil/invocations.h>
#include <sigil/ipc.h>

#include <sigil/inspect.h>

#include "ktest.h"
#include "vm_common.h"

#define RTC_DR   0x000 /* data: seconds */
#define RTC_MR   0x004 /* match */
#define RTC_IMSC 0x010 /* interrupt mask set/clear */
#define RTC_RIS  0x014 /* raw interrupt status */
#define RTC_ICR  0x01c /* interrupt clear */
#define RTC_VA   (VM_BASE + 0x4000)

static volatile uint32_t *reg(unsigned off)
{
    return (volatile uint32_t *)(RTC_VA + off);
}

int main(const void *arg)
{
    vm_setup(arg);
    sigil_word_t pts[3];
    for (int i = 0; i < 3; i++) {
        pts[i] = vm_retype(Sigil_PageTableObject, 0);
        sigil_page_table_map(pts[i], VS, VM_BASE, 0);
    }
    sigil_word_t frame = vm_device_frame(SIGIL_PLAT_RTC_BASE);
    KTEST_EQ("IRQ-DRV-001 map the RTC",
             sigil_frame_map(frame, VS, RTC_VA, Sigil_CanRead | Sigil_CanWrite, 0), Sigil_NoError);
    sigil_word_t ntfn = vm_retype(Sigil_NotificationObject, 0);
    sigil_word_t badged = vm_slot(), handler = vm_slot();
    sigil_cnode_mint(ROOT, badged, DEPTH, ROOT, ntfn, DEPTH, Sigil_AllRights, 0x40);
    KTEST_EQ("IRQ-DRV-002 IRQControl_Get",
             sigil_irq_control_get(Sigil_SlotIRQControl, SIGIL_PLAT_RTC_IRQ, ROOT, handler, DEPTH),
             Sigil_NoError);
    KTEST_EQ("IRQ-DRV-003 SetNotification", sigil_irq_handler_set_notification(handler, badged),
             Sigil_NoError);
    KTEST_EQ("IRQ-DRV-004 SetNotification needs a notification",
             sigil_irq_handler_set_notification(handler, frame), Sigil_InvalidCapability);

    *reg(RTC_IMSC) = 1;
    for (int round = 0; round < 2; round++) {
        uint32_t now = *reg(RTC_DR);
        *reg(RTC_MR) = now + (uint32_t)round; /* now: at once; then: in a second */
        sigil_word_t badge = 0;
        sigil_wait(ntfn, &badge);
        KTEST_EQ(round == 0 ? "IRQ-DRV-005 alarm delivered as a signal"
                            : "IRQ-DRV-007 second alarm delivered",
                 badge, 0x40);
        KTEST_EQ(round == 0 ? "IRQ-DRV-006 device raised it" : "IRQ-DRV-008 device raised it",
                 *reg(RTC_RIS) & 1, 1);
        *reg(RTC_ICR) = 1;
        KTEST_EQ(round == 0 ? "IRQ-DRV-009 Ack" : "IRQ-DRV-010 Ack", sigil_irq_handler_ack(handler),
                 Sigil_NoError);
    }
    /* No more alarms: nothing pending. */
    sigil_word_t badge = 1;
    sigil_poll(ntfn, &badge);
    KTEST_EQ("IRQ-DRV-011 nothing more pending", badge, 0);
    KTEST_EQ("IRQ-DRV-012 Clear", sigil_irq_handler_clear(handler), Sigil_NoError);
    KTEST_EQ("IRQ-DRV-013 delete the handler cap", sigil_cnode_delete(ROOT, handler, DEPTH),
             Sigil_NoError);
    KTEST_EQ("IRQ-DRV-014 the IRQ can be had again",
             sigil_irq_control_get(Sigil_SlotIRQControl, SIGIL_PLAT_RTC_IRQ, ROOT, handler, DEPTH),
             Sigil_NoError);
    KTEST_EQ("INVARIANTS kernel invariants hold", sigil_debug_check_invariants(), 0);
    return ktest_finish();
}
