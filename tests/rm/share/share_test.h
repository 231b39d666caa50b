/*
 * What the shared-buffer and recovery test programs agree on (server.c, client.c, and the specs
 * tests/rm/share/rm_share.yaml, rm_recovery.yaml, bench_rm_recovery.yaml, rm_share_inject.yaml,
 * whose client ids these are).
 */
#ifndef SHARE_TEST_H
#define SHARE_TEST_H

/* The server's requests (message labels). */
enum {
    OP_SUM = 1,
    OP_KEEP,
    OP_KEPT_SUM,
    OP_RELEASE,
    OP_TOUCH_OUTSIDE,
    OP_COUNT,
    OP_BENCH_REPORT,
    OP_QUIT,
    OP_WRITE,
    OP_SLOW
};

/* Server modes (its argument). */
enum { MODE_NORMAL, MODE_NO_ENTRY, MODE_TWICE, MODE_BENCH, MODE_INJECT };

/* Client roles (their argument). */
enum {
    ROLE_GOOD,
    ROLE_LENDER,
    ROLE_DONOR,
    ROLE_JUDGE,
    ROLE_DRIVER,
    ROLE_BENCH,
    ROLE_AFTERMATH,
    ROLE_MIDWAY,
    ROLE_REVOKER,
    ROLE_INJECTED,
    ROLE_SECOND
};

/* Client ids of the specs. */
enum {
    ID_SERVER = 1,
    ID_NOENTRY = 2,
    ID_TWICE = 3,
    ID_WILD = 4,
    ID_REPORTED = 5,
    ID_RIGHTS = 6,
    ID_LENDER = 10,
    ID_GOOD = 11,
    ID_DONOR = 12,
    ID_JUDGE = 13,
    ID_HOSTILE = 20,
    ID_DRIVER = 10,
    ID_BENCH_CLIENT = 10,
    MAX_ID = 32
};

#define WINDOW       0x70000000ul /* the servers' window for client buffers */
#define WINDOW_PAGES 16ul
#define OUTSIDE      0x7f000000ul /* an address no server maps */
#define OWN_PAGE     0x60000000ul /* where clients map their own buffer */
#define PAGE_WORDS   512ul

#endif /* SHARE_TEST_H */
