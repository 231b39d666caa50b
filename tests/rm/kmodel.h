/*
 * A model of the kernel's untyped semantics for the manager core's host tests.
 *
 * It implements rm_kops_t over a table of the manager's own slots and of client CNodes, with the
 * rules the real kernel applies that the core depends on: a retype or split needs an untyped
 * with no children and room for the objects, and empty destination slots; a revoke deletes every
 * descendant in every CNode. Failures change nothing, as in the kernel. Tests can make one
 * operation fail on purpose (fail_split_at / fail_retype_at) and can ask whether an untyped is
 * whole (no children: it could be retyped again as one block).
 */
#ifndef RM_TESTS_KMODEL_H
#define RM_TESTS_KMODEL_H

#include "kops.h"

#define KM_OWN_SLOTS     8192u
#define KM_CLIENT_CNODES 4u
#define KM_CLIENT_SLOTS  256u
#define KM_CNODE_BASE    0x100000u /* client CNode c has cptr KM_CNODE_BASE + c */

typedef struct {
    uint8_t present;
    uint8_t untyped;
    uint8_t bits;
    uint32_t parent; /* own slot of the untyped it came from, or KM_NO_PARENT */
    uint32_t children;
} km_cap_t;

#define KM_NO_PARENT 0xffffffffu

typedef struct {
    km_cap_t own[KM_OWN_SLOTS];
    km_cap_t client[KM_CLIENT_CNODES][KM_CLIENT_SLOTS];
    long splits, revokes, retypes;
    long fail_split_at;  /* the n-th split from now fails (0: none) */
    long fail_retype_at; /* the n-th retype from now fails */
} km_t;

extern const rm_kops_t km_ops;

void km_init(km_t *k);
/* Put an untyped root of 2^bits in own slot `slot`. */
void km_add_root(km_t *k, rm_word_t slot, unsigned bits);
/* Occupy client slot (a cap the client put there itself). */
void km_occupy(km_t *k, unsigned cnode, unsigned slot);
/* Whether own slot `slot` holds an untyped with no children. */
int km_whole(const km_t *k, rm_word_t slot);
/* Live caps in own slots and client CNodes together. */
unsigned km_live_caps(const km_t *k);

#endif
