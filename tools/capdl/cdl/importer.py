"""capDL model -> Sigil spec (`./sigil spec import`).

Mapping (the full table is in docs/spec-tools.md):

    ep, notification, rtreply, tcb, cnode, ut, smc -> Endpoint, Notification, Reply, TCB, CNode,
                                                       Untyped, SMC
    debug (Sigil's extension) -> Debug (its caps' badges: the operations they allow)
    frame (4k | 2M | 1G)      -> Frame4K | Frame2M | Frame1G (sizes from kernel/abi/sigil.yaml)
    pgd / pud, pd, pt         -> VSpace / PageTable; their slots become `entries`
    irq, arm_irq + irq maps   -> IRQHandler (irq number, notification in slot 0, trigger)
    irq_control cap           -> a cap to an IRQControl object named `irq_control`
    TCB slots and parameters  -> cspace, vspace, ipc_buffer (+ addr), fault_handler
                                 (fault_ep_slot), bound_notification (slot 8), entry (ip),
                                 stack (sp), priority, max_priority, args (init), start (resume),
                                 fpu (not fpu_disabled)
    cdt                       -> `original: true` on a cap that is the parent of all other caps
                                 to its object
    name[i]                   -> name__i (arrays come back from the exporter)

Components: capDL has none, so each TCB becomes a component owning its CSpace, VSpace tree and IPC
buffer and every object only it refers to; Sigil's `-- sigil: component` notes give components
their names, role objects and manager back (owners.py). Without a note, a component whose CNodes
hold untyped caps becomes the resource manager if it is the only one. The resource manager's
policy comes back from `-- sigil: policy` / `-- sigil: client` notes (policy_notes.py).

What has no Sigil equivalent is never dropped in silence: it is an *error* when it changes
authority (non-MCS reply caps, scheduling contexts, domains, VCPUs, I/O objects, fault_ep CPtrs,
other TCB slots) and a *warning* when Sigil does the job itself (ASID pools and ASIDs, untyped
covers of device objects, which are placed at their own address anyway, frame-cap mapping
hints).
"""

from __future__ import annotations

import os

from ..abi import load_abi
from ..errors import ErrorList, SpecError, UnsupportedError
from ..model import (APPLICABLE_RIGHTS, FRAME_TYPES, Cap, CNodeRef, Component, Entry, FaultHandler, Fill,
                     IpcBuffer, Obj, Spec)
from .model import LETTER_RIGHT, CdlModel, show_id
from .owners import TABLE_KINDS
from .parser import Quoted
from .owners import Owners
from .policy_notes import import_policy

SIMPLE_TYPES = {"ep": "Endpoint", "notification": "Notification", "rtreply": "Reply", "tcb": "TCB",
                "cnode": "CNode", "ut": "Untyped", "smc": "SMC", "debug": "Debug", "pgd": "VSpace", "pud": "PageTable",
                "pd": "PageTable", "pt": "PageTable", "irq": "IRQHandler", "arm_irq": "IRQHandler",
                "frame": None}
IGNORED_KINDS = {"asid_pool": "Sigil manages ASIDs inside the kernel"}
TCB_SLOTS = {0: "cspace", 1: "vspace", 4: "ipc_buffer", 5: "fault_handler", 8: "bound_notification"}
TCB_SLOT_NAMES = {2: "reply_slot", 3: "caller_slot", 6: "sc_slot", 7: "temp_fault_ep_slot",
                  9: "vcpu slot"}
IRQ_CONTROL = "irq_control"  # the IRQControl object import creates for `irq_control` caps


class Importer(Owners):
    """One import: the capDL model in, a Spec and a list of warnings out."""

    def __init__(self, cdl: CdlModel, file_dir: str | None = None):
        self.cdl = cdl
        self.file_dir = file_dir  # where FileData fills' files are (None: next to the spec)
        self.abi = load_abi()
        self.errors = ErrorList()
        self.warnings: list = []
        self.names: dict = {}  # ObjID -> Sigil name
        self.owner: dict = {}  # ObjID -> component name or None
        self.adopted: set = set()  # objects owned only because one component refers to them
        self.objs: dict = {}  # ObjID -> Obj
        self.irq_numbers = {oid: n for n, oid in cdl.irqs.items()}
        self.ipc_addrs: dict = {}  # (component, TCB name) -> its 'addr:' parameter
        self.fault_cptrs: dict = {}  # TCB name -> (its 'fault_ep:' CPtr, Location)
        self.need_irq_control = False

    # -- reporting ---------------------------------------------------------------------------
    def warn(self, message: str, loc, path: str = "") -> None:
        self.warnings.append(UnsupportedError(message, loc, path))

    def error(self, message: str, loc, path: str = "") -> None:
        self.errors.add(UnsupportedError(message, loc, path))

    # -- objects -------------------------------------------------------------------------------
    def frame_type(self, obj, path: str) -> str | None:
        size = obj.params.get("vmsize", 1 << self.abi.platform["page_bits"])
        for type_name in FRAME_TYPES:
            if 1 << self.abi.object_size_bits(type_name) == size:
                return type_name
        self.error(f"frames of {size} bytes have no Sigil type (4 KiB, 2 MiB or 1 GiB)", obj.loc, path)
        return None

    def convert_object(self, oid: tuple) -> Obj | None:
        cdl_obj = self.cdl.objects[oid]
        path = show_id(oid)
        kind = cdl_obj.kind
        if kind in IGNORED_KINDS:
            self.warn(f"'{kind}' objects are not imported: {IGNORED_KINDS[kind]}", cdl_obj.loc, path)
            return None
        if kind not in SIMPLE_TYPES:
            self.error(f"'{kind}' objects have no Sigil equivalent", cdl_obj.loc, path)
            return None
        type_name = SIMPLE_TYPES[kind] or self.frame_type(cdl_obj, path)
        if type_name is None:
            return None
        if kind == "ut" and "bits" not in cdl_obj.params and not self.has_caps_to(oid):
            self.warn("untyped without a size only groups the objects it covers; Sigil places "
                      "objects itself, so it is not imported", cdl_obj.loc, path)
            return None
        obj = Obj(name=self.names[oid], type=type_name, component=self.owner.get(oid), loc=cdl_obj.loc)
        params = dict(cdl_obj.params)
        self.object_params(obj, kind, params, oid)
        for key, value in params.items():
            self.error(f"parameter '{key}' of a '{kind}' has no Sigil equivalent", cdl_obj.loc, path)
        return obj

    def has_caps_to(self, oid: tuple) -> bool:
        return any(c.target == oid for o in self.cdl.objects.values() for c in o.slots.values())

    def object_params(self, obj: Obj, kind: str, params: dict, oid: tuple) -> None:
        """Move the parameters Sigil knows from `params` into `obj` (what is left is an error)."""
        loc, path = self.cdl.objects[oid].loc, show_id(oid)
        if kind in ("cnode", "ut"):
            obj.bits = params.pop("bits", None)
            if obj.bits is None:
                self.error(f"a '{kind}' needs a size in Sigil (as in '{kind} (12 bits)')", loc, path)
        if kind in ("ut", "frame"):
            obj.paddr = params.pop("paddr", None)
            params.pop("vmsize", None)
        if "fill" in params:
            obj.fill = self.fills(params.pop("fill"), kind, path) or None
        if kind == "tcb":
            self.tcb_params(obj, params, loc, path)
        if kind in ("irq", "arm_irq"):
            obj.irq = self.irq_numbers.get(oid)
            if obj.irq is None:
                self.error("irq object is not in the 'irq maps' section", loc, path)
            if kind == "arm_irq":
                trigger = params.pop("trigger", 0)
                obj.trigger = "edge" if trigger else "level"
                if params.pop("target", 0):
                    self.error("IRQ targets other than core 0 have no Sigil equivalent", loc, path)
        if params.get("dom", None) == 0:
            params.pop("dom")

    def fills(self, entries: list, kind: str, path: str) -> list:
        """Sigil fills from capDL's: `{dest_offset length CDL_FrameFill_FileData "file" offset}`
        becomes {offset, file, file_offset, length}, the file named as in the .cdl (or inside
        file_dir); every other kind of fill is an error naming it."""
        out = []
        for entry in entries:
            items = entry.items
            if kind != "frame":
                self.error(f"a '{kind}' object takes no fill", entry.loc, path)
            elif len(items) >= 3 and items[2] == "CDL_FrameFill_FileData":
                if (len(items) != 5 or not all(isinstance(items[i], int) for i in (0, 1, 4))
                        or not isinstance(items[3], Quoted)):
                    self.error("a FileData fill is {dest_offset length CDL_FrameFill_FileData "
                               "\"file\" file_offset}", entry.loc, path)
                    continue
                name = str(items[3])
                if self.file_dir is not None and not os.path.isabs(name):
                    name = os.path.join(self.file_dir, name)
                out.append(Fill(offset=items[0], file=name, file_offset=items[4], length=items[1],
                                loc=entry.loc))
            elif len(items) >= 3 and items[2] == "CDL_FrameFill_BootInfo":
                self.error("'CDL_FrameFill_BootInfo' fills have no Sigil equivalent (the loader "
                           "writes no boot information into frames)", entry.loc, path)
            else:
                what = items[2] if len(items) >= 3 else "{" + " ".join(map(str, items)) + "}"
                self.error(f"fill '{what}' has no Sigil equivalent (only CDL_FrameFill_FileData "
                           f"is imported)", entry.loc, path)
        return out

    def tcb_params(self, obj: Obj, params: dict, loc, path: str) -> None:
        for cdl_key, attr in (("ip", "entry"), ("sp", "stack"), ("prio", "priority"),
                              ("max_prio", "max_priority"), ("init", "args"), ("resume", "start")):
            if cdl_key in params:
                setattr(obj, attr, params.pop(cdl_key))
        if "fpu_disabled" in params:
            obj.fpu = not params.pop("fpu_disabled")
        if params.get("affinity", None) == 0:
            params.pop("affinity")
        if "elf" in params:
            self.warn(f"TCB parameter 'elf: {params.pop('elf')}' is not imported (the image is "
                      f"in the frames)", loc, path)
        if "fault_ep" in params:
            self.fault_cptrs[(obj.component, obj.name)] = (params.pop("fault_ep"), loc)
        self.ipc_addrs[(obj.component, obj.name)] = params.pop("addr", None)

    # -- caps -----------------------------------------------------------------------------------
    def rights(self, cap, type_name: str, path: str) -> list | None:
        """Sigil rights of a cap in a CNode (None: all that apply), reporting what is dropped."""
        names = [LETTER_RIGHT[r] for r in "RWGP" if r in cap.rights]
        applicable = set(APPLICABLE_RIGHTS.get(type_name, ()))
        if type_name.startswith("Frame") and "Grant" in names:
            names.remove("Grant")
            self.warn("the execute right (X) of a frame cap in a CNode is not imported (Sigil "
                      "sets executability on the mapping)", cap.loc, path)
        dropped = [n for n in names if n not in applicable]
        if dropped:
            what = f"{type_name} caps" if applicable else f"{type_name} caps (they take no rights)"
            verb = "does" if len(dropped) == 1 else "do"
            noun = "right" if len(dropped) == 1 else "rights"
            self.warn(f"{noun} {', '.join(dropped)} {verb} not apply to {what}; not imported", cap.loc, path)
        names = [n for n in names if n in applicable]
        if not applicable or set(names) == applicable:
            return None
        return names

    def cap_checks(self, cap, target_kind: str, path: str) -> None:
        if "reply" in cap.flags or "master_reply" in cap.flags:
            self.error("non-MCS reply caps have no Sigil equivalent (use Reply objects, 'rtreply')",
                       cap.loc, path)
        if cap.asid is not None:
            self.warn("ASID not imported: Sigil assigns ASIDs itself", cap.loc, path)
        if cap.mapping is not None:
            self.warn("frame cap 'mapping:' not imported: mappings come from page table entries",
                      cap.loc, path)
        if "uncached" in cap.flags and target_kind != "frame":
            self.warn("'uncached' applies only to frames", cap.loc, path)
        for key in cap.extra:
            self.error(f"cap parameter '{key}' has no Sigil equivalent", cap.loc, path)

    def slot_cap(self, cap, context: str | None, path: str) -> Cap | None:
        """A cap in a CNode slot as a Sigil Cap (None if it is not imported)."""
        if cap.special is not None:
            if cap.special == "irq_control":
                self.need_irq_control = True
                return Cap(cap=IRQ_CONTROL, loc=cap.loc)
            if cap.special == "asid_control":
                self.warn("asid_control is not imported: Sigil manages ASIDs inside the kernel",
                          cap.loc, path)
                return None
            self.error(f"'{cap.special}' caps have no Sigil equivalent", cap.loc, path)
            return None
        target = self.cdl.objects[cap.target]
        obj = self.objs.get(cap.target)
        self.cap_checks(cap, target.kind, path)
        if obj is None:
            if target.kind in IGNORED_KINDS:
                self.warn(f"cap to '{show_id(cap.target)}' is not imported (its object is not)",
                          cap.loc, path)
            return None
        out = Cap(cap=self.ref(cap.target, context), loc=cap.loc)
        out.rights = self.rights(cap, obj.type, path)
        if "uncached" in cap.flags:
            self.warn("'uncached' on a frame cap in a CNode is not imported (cacheability is a "
                      "property of the mapping)", cap.loc, path)
        if cap.badge:
            out.badge = cap.badge
        if cap.guard or cap.guard_size:
            out.guard, out.guard_size = cap.guard, cap.guard_size
        return out

    def cnode_slots(self, oid: tuple, obj: Obj) -> None:
        for slot in sorted(self.cdl.objects[oid].slots):
            cap = self.cdl.objects[oid].slots[slot]
            out = self.slot_cap(cap, obj.component, f"{show_id(oid)}[{slot}]")
            if out is not None:
                out.slot = slot
                obj.slots.append(out)

    def table_entries(self, oid: tuple, obj: Obj) -> None:
        entries = 1 << (self.abi.platform["page_bits"] - 3)
        for slot in sorted(self.cdl.objects[oid].slots):
            cap = self.cdl.objects[oid].slots[slot]
            path = f"{show_id(oid)}[{slot}]"
            if slot >= entries:
                self.error(f"index {slot} outside 0..{entries - 1}", cap.loc, path)
                continue
            target = self.objs.get(cap.target) if cap.target else None
            if target is None:
                self.error("a page table slot must map a table or a frame", cap.loc, path)
                continue
            self.cap_checks(cap, self.cdl.objects[cap.target].kind, path)
            entry = Entry(index=slot, loc=cap.loc)
            if target.type in ("PageTable", "VSpace"):
                entry.table = self.ref(cap.target, obj.component)
            else:
                entry.frame = self.ref(cap.target, obj.component)
                rights = [LETTER_RIGHT[r] for r in "RW" if r in cap.rights]
                entry.rights = None if rights == ["Read", "Write"] else rights
                entry.executable = True if "G" in cap.rights else None
                entry.cached = False if "uncached" in cap.flags else None
            obj.entries.append(entry)

    def irq_slots(self, oid: tuple, obj: Obj) -> None:
        for slot, cap in sorted(self.cdl.objects[oid].slots.items()):
            path = f"{show_id(oid)}[{slot}]"
            target = self.cdl.objects.get(cap.target) if cap.target else None
            if slot != 0 or target is None or target.kind != "notification":
                self.error("an irq object holds only a notification cap, in slot 0", cap.loc, path)
                continue
            obj.notification = self.ref(cap.target, obj.component)
            obj.badge = cap.badge or None
            if set(cap.rights) != {"W"}:
                self.warn("the rights of an IRQ's notification cap are not imported (the kernel "
                          "signals it)", cap.loc, path)

    def tcb_slots(self, oid: tuple, obj: Obj) -> None:
        slots = self.cdl.objects[oid].slots
        path = show_id(oid)
        for slot, cap in sorted(slots.items()):
            if slot not in TCB_SLOTS:
                name = TCB_SLOT_NAMES.get(slot, f"slot {slot}")
                self.error(f"TCB {name} has no Sigil equivalent", cap.loc, path)
                continue
            if cap.target is None or cap.target not in self.objs:
                self.error(f"TCB {TCB_SLOTS[slot]} must name an imported object", cap.loc, path)
                continue
            self.tcb_slot(obj, slot, cap, f"{path}.{TCB_SLOTS[slot]}")
        if (obj.component, obj.name) in self.fault_cptrs:
            self.fault_ep(oid, obj, *self.fault_cptrs[(obj.component, obj.name)])
        if self.ipc_addrs.get((obj.component, obj.name)) is not None and obj.ipc_buffer is None:
            self.warn("'addr' is not imported: the TCB has no ipc_buffer_slot cap",
                      self.cdl.objects[oid].loc, path)

    def fault_ep(self, oid: tuple, obj: Obj, cptr: int, loc) -> None:
        """Non-MCS `fault_ep: CPTR`: the kernel looks the CPtr up in the TCB's CSpace when a
        fault happens; Sigil takes the cap itself, so the import resolves the CPtr now (64 bits,
        guards and CNode radices as seL4 resolves them) and makes that endpoint cap the fault
        handler. CPtr 0 is the null cap: no fault handler."""
        path = show_id(oid)
        if cptr == 0:
            return
        if obj.fault_handler is not None:
            self.warn(f"'fault_ep: {cptr:#x}' is not imported: the TCB's fault_ep_slot cap is "
                      f"the fault handler", loc, path)
            return
        cap, why = self.lookup(self.cdl.objects[oid].slots.get(0), cptr)
        if cap is not None:
            target = self.cdl.objects.get(cap.target) if cap.target else None
            if target is None or target.kind != "ep":
                cap, why = None, "it names a cap that is not an endpoint cap"
        if cap is None:
            self.error(f"'fault_ep: {cptr:#x}' cannot be translated to a fault handler cap: {why}",
                       loc, path)
            return
        rights = [LETTER_RIGHT[r] for r in "RWGP" if r in cap.rights]
        obj.fault_handler = FaultHandler(cap=self.ref(cap.target, obj.component),
                                         badge=cap.badge or None, rights=rights, loc=loc)

    def lookup(self, root, cptr: int) -> tuple:
        """(cap, None) for the cap a CPtr names from the CSpace root cap `root` with all 64
        bits, or (None, why not)."""
        cap, left = root, 64
        while True:
            node = self.cdl.objects.get(cap.target) if cap is not None and cap.target else None
            if node is None or node.kind != "cnode":
                return None, "the TCB has no CSpace" if cap is root else "the path leaves the CNodes"
            radix, gsize = node.params.get("bits") or 0, cap.guard_size or 0
            if gsize + radix > left or radix == 0:
                return None, f"its bits do not resolve in CNode '{show_id(cap.target)}'"
            guard = (cptr >> (left - gsize)) & ((1 << gsize) - 1)
            if guard != (cap.guard or 0):
                return None, f"the guard of the cap to CNode '{show_id(cap.target)}' does not match"
            left -= gsize + radix
            slot = (cptr >> left) & ((1 << radix) - 1)
            node_name = show_id(cap.target)
            cap = node.slots.get(slot)
            if cap is None:
                return None, f"slot {slot} of CNode '{node_name}' is empty"
            if left == 0:
                return cap, None

    def tcb_slot(self, obj: Obj, slot: int, cap, path: str) -> None:
        self.cap_checks(cap, self.cdl.objects[cap.target].kind, path)
        ref = self.ref(cap.target, obj.component)
        if slot == 0:
            guarded = cap.guard or cap.guard_size
            obj.cspace = CNodeRef(cap=ref, guard=cap.guard if guarded else None,
                             guard_size=cap.guard_size if guarded else None, loc=cap.loc)
        elif slot == 1:
            obj.vspace = ref
        elif slot == 4:
            vaddr = self.ipc_addrs.get((obj.component, obj.name))
            if vaddr is None:
                self.error("the TCB has an ipc_buffer_slot cap but no 'addr:' parameter",
                           cap.loc, path)
            obj.ipc_buffer = IpcBuffer(frame=ref, vaddr=vaddr or 0, loc=cap.loc)
            if set(cap.rights) != {"R", "W"}:
                self.warn("the rights of the IPC buffer cap are not imported (it is mapped RW)",
                          cap.loc, path)
        elif slot == 5:
            rights = [LETTER_RIGHT[r] for r in "RWGP" if r in cap.rights]
            obj.fault_handler = FaultHandler(cap=ref, badge=cap.badge or None, rights=rights, loc=cap.loc)
        elif slot == 8:
            obj.bound_notification = ref
            if cap.badge or cap.rights:
                self.warn("badge and rights of the bound notification cap are not imported",
                          cap.loc, path)

    # -- cdt -------------------------------------------------------------------------------------
    def originals(self) -> None:
        """Mark `original: true` where one cap is the cdt parent of all other CNode caps to its
        object; anything else in the cdt is reported."""
        caps_to: dict = {}
        for oid, obj in self.cdl.objects.items():
            if obj.kind == "cnode":
                for slot, cap in obj.slots.items():
                    if cap.target is not None:
                        caps_to.setdefault(cap.target, []).append((oid, slot))
        children: dict = {parent: set() for parent in self.cdl.cdt_childless}
        for child, parent in self.cdl.cdt.items():
            children.setdefault(parent, set()).add(child)
        for parent, kids in children.items():
            container, slot = parent
            cap = self.cdl.objects[container].slots[slot]
            others = set(caps_to.get(cap.target, [])) - {parent}
            if self.cdl.objects[container].kind == "cnode" and kids == others and cap.target in self.objs:
                self.mark_original(container, slot)
            else:
                self.warn("this derivation (cdt) is not imported: Sigil records only an original "
                          "cap that is the parent of all other caps to its object", cap.loc,
                          f"{show_id(container)}[{slot}]")

    def mark_original(self, container: tuple, slot: int) -> None:
        for cap in self.objs[container].slots:
            if cap.slot == slot:
                cap.original = True

    # -- the whole spec --------------------------------------------------------------------------
    def covers(self) -> None:
        """`ut (N bits) { a, b }` becomes `covers: [a, b]` on the Untyped (the compiler and the
        loader retype a and b from it). A size-less untyped only groups objects and was dropped
        with a warning; objects that are not imported are left out (each has its own message). A
        device untyped covering only device objects is a warning: those are placed at their own
        paddr anyway; any other cover by a device untyped goes to the compiler, which refuses it."""
        for ut, covered in self.cdl.covers.items():
            obj = self.objs.get(ut)
            kept = [oid for oid in covered if oid in self.objs]
            if obj is None or not kept:
                continue
            if obj.paddr is not None and all(self.objs[oid].paddr is not None for oid in kept):
                self.warn(f"device untyped covers {len(kept)} device object(s), which are placed at "
                          f"their own paddr: the cover is not imported", self.cdl.objects[ut].loc,
                          show_id(ut))
                continue
            obj.covers = [self.ref(oid, obj.component) for oid in kept]

    def run(self) -> Spec:
        if self.cdl.arch != "aarch64":
            raise UnsupportedError(f"arch '{self.cdl.arch}' cannot be imported (Sigil is aarch64)",
                                   self.cdl.arch_loc)
        for name, obj, loc in self.cdl.loose_names:
            self.warn(f"cap name '{name}' is not imported: it names a slot of '{obj}', which is not "
                      f"declared (capDL-tool accepts that while nothing uses the name)", loc, name)
        self.make_names()
        comps = self.assign_owners()
        comps, manager = self.component_notes(comps)
        for oid in self.cdl.objects:
            try:
                obj = self.convert_object(oid)
            except SpecError as err:
                self.errors.add(err)
                obj = None
            if obj is not None:
                self.objs[oid] = obj
        for oid, obj in self.objs.items():
            self.convert_slots(oid, obj)
        self.originals()
        self.covers()
        by_id = {show_id(oid): oid for oid in self.objs}
        policy = import_policy(
            self.cdl.notes, lambda name: self.ref(by_id[name], None) if name in by_id else None,
            lambda message, loc: self.error(message, loc))
        self.errors.raise_if_any()
        spec = self.assemble(comps, manager)
        spec.policy = policy
        return spec

    def convert_slots(self, oid: tuple, obj: Obj) -> None:
        """The capDL slots of one object as CNode slots, table entries, IRQ or TCB fields."""
        kind = self.cdl.objects[oid].kind
        if kind == "cnode":
            self.cnode_slots(oid, obj)
        elif kind in TABLE_KINDS:
            self.table_entries(oid, obj)
        elif kind in ("irq", "arm_irq"):
            self.irq_slots(oid, obj)
        elif kind == "tcb":
            self.tcb_slots(oid, obj)

    def assemble(self, comps: list, manager: str | None) -> Spec:
        spec = Spec(version=1)
        by_comp = {name: Component(name=name) for name, _ in comps}
        for oid, obj in self.objs.items():
            (by_comp[obj.component].objects if obj.component else spec.objects).append(obj)
        if self.need_irq_control:
            spec.objects.append(Obj(name=IRQ_CONTROL, type="IRQControl"))
        spec.components = list(by_comp.values())
        table = {(o.component, o.name): o for o in self.objs.values()}
        holders = [c for c in spec.components if any(self.holds_manager_caps(o, table) for o in c.objects)]
        if manager is not None:
            by_comp[manager].resource_manager = True
        elif len(holders) == 1:
            holders[0].resource_manager = True
        elif len(holders) > 1:
            self.warn(f"components {', '.join(c.name for c in holders)} all hold untyped or master "
                      f"SMC caps; Sigil allows that only for the one resource manager", self.cdl.arch_loc)
        return spec

    @staticmethod
    def holds_manager_caps(obj: Obj, table: dict) -> bool:
        """True for a CNode holding an untyped cap or the master (unbadged) SMC cap."""
        if obj.type != "CNode":
            return False
        for cap in obj.slots:
            comp, _, name = cap.cap.rpartition(".")
            target = table.get((comp or obj.component, name)) or table.get((None, name))
            if target is None:
                continue
            if target.type == "Untyped" or (target.type == "SMC" and not cap.badge):
                return True
        return False


def import_cdl(cdl: CdlModel, file_dir: str | None = None) -> tuple:
    """Translate a capDL model; returns (Spec, warnings).  Errors raise SpecError(s).  FileData
    fills name their files inside `file_dir` when it is given (else as the .cdl writes them,
    which the compiler looks for next to the spec and in its -L directories)."""
    importer = Importer(cdl, file_dir)
    spec = importer.run()
    return spec, importer.warnings
