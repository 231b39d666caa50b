/*
 * Shared buffers and server recovery: the manager's records (service.c, share.c, recovery.c).
 *
 * A *service* is what a client that called Serve has registered: the endpoint and reply object
 * the manager made for it (the manager keeps the original caps in own slots), its windows, and
 * its recovery entry. A *connection* is one client's badged cap to a server's endpoint: the
 * manager keeps the badged parent in an own slot, so revoking that slot cuts the client off. A
 * *share* is one buffer a client put into a server's window: lent (the client's frames, mapped
 * through copies the manager keeps), or donated (the frames' caps moved out of the client's
 * CSpace). Shares are checked against their allocation's generation before use: an allocation
 * freed behind the share's back (Free, the client's end) leaves the share revoked, and a revoked
 * loan is kept as long as its place in the window is not reused, so that a fault there can
 * still be pinned on the client whose memory it was.
 */
#ifndef RM_SHARE_H
#define RM_SHARE_H

#include "rm_core.h"

#define RM_MAX_CLIENTS     64u
#define RM_MAX_WINDOWS     4u  /* per server */
#define RM_MAX_SHARES      64u /* in all */
#define RM_MAX_CONNECTIONS 64u /* in all */
#define RM_SHARE_FRAMES    16u /* frames of one lent or donated allocation */

typedef struct {
    uint64_t vaddr, size;
} rm_window_t;

typedef struct {
    int serving;       /* Serve done: ep and reply below are valid */
    rm_word_t ep;      /* own slot: the server's endpoint (original cap) */
    rm_word_t reply;   /* own slot: the server's reply object */
    uint32_t ep_entry; /* the endpoint's allocation (connections are chained on it) */
    rm_window_t windows[RM_MAX_WINDOWS];
    uint32_t nwindows;
    int has_entry; /* Recovery done */
    uint64_t entry, stack;
    int recovering; /* reset to the entry, Recovered not yet called */
    uint64_t recoveries;
} rm_service_t;

typedef enum { RM_SHARE_FREE, RM_SHARE_LENT, RM_SHARE_REVOKED, RM_SHARE_DONATED } rm_share_kind_t;

typedef struct {
    rm_share_kind_t kind;
    uint32_t client, server; /* client indexes: lender/donor, server */
    uint32_t entry, gen;     /* the allocation (valid while its generation matches) */
    uint64_t vaddr;          /* where the server sees it */
    uint32_t pages;
    rm_word_t copies[RM_SHARE_FRAMES]; /* own slots of the mapped copies (chained on entry) */
} rm_share_t;

typedef struct {
    int live;
    uint32_t client, server;
    rm_word_t slot; /* own slot: the badged parent of the client's cap */
} rm_connection_t;

#endif /* RM_SHARE_H */
