/*
 * What the campaign's programs agree on (driver.c, worker.c, server.c; the spec is written by
 * tools/scenario/campaign.py, whose slot numbers these are).
 */
#ifndef CAMPAIGN_H
#define CAMPAIGN_H

/* The server's requests (message labels). */
enum { CAMPAIGN_SUM = 1, CAMPAIGN_PING, CAMPAIGN_QUIT };

#define CAMPAIGN_WINDOW       0x70000000ul /* the server's window for lent pages */
#define CAMPAIGN_WINDOW_PAGES 64ul
#define CAMPAIGN_PAGE_WORDS   512ul

/* A page the server writes and the driver reads: word 0 is the id of the client whose page the
 * server is summing (0 when it is not in a sum); words 1 and 2 count the server's recoveries
 * with reason revoked and fault. */
#define CAMPAIGN_STATUS 0x7e0000000000ul

/* Clients' slots: 1 the manager, 2 `stop`, 3 the connection to the server, 4.. their own. */
enum { CAMPAIGN_SRV_SLOT = 3 };

#endif /* CAMPAIGN_H */
