/*
 * test-driver.h: the test plugin's in-memory host, shared by its source
 * files (test-driver.c: host, connections, lifecycle; test-domain.c:
 * devices, tunables, block and statistics calls).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef TEST_DRIVER_H
#define TEST_DRIVER_H

#include <glib.h>
#include <virtkit/virtkit-plugin.h>

#include "virtkit-conf-domain.h"
#include "virtkit-conf-caps.h"
#include "virtkit-conf-snapshot.h"

/* The plugin's host table (set once by init). */
extern const virtkitPluginHost *testHostTable;

#define TEST_REPORT(code, ...) \
    VIRTKIT_PLUGIN_REPORT(testHostTable, VIR_FROM_TEST, (code), __VA_ARGS__)
#define TEST_REPORT_FROM(from, code, ...) \
    VIRTKIT_PLUGIN_REPORT(testHostTable, (from), (code), __VA_ARGS__)

/* libvirt's own wording for flags a call does not know (plugin-api's). */
#define TEST_CHECK_FLAGS(flags, supported, retval) \
    VIRTKIT_CHECK_FLAGS(testHostTable, VIR_FROM_TEST, flags, supported, retval)

#define TEST_BLKIO_NSTRINGS 5

/*
 * testDom: one domain of a host.  Every field is protected by the host's
 * lock.  refs counts the host's list (while the domain is in it) and every
 * call that holds the domain across an unlocked stretch (a job waiting or
 * doing I/O); removed is set when the domain leaves the list.
 */
typedef struct _testHost testHost;
/* test-domain.c's copy of what the bulk statistics need of a definition */
typedef struct _testStatsCache testStatsCache;
void testStatsCacheFree(testStatsCache *c);

typedef struct _testDom {
    int refs;
    bool removed;
    testHost *host;              /* set when listed: the last unref frees through it */

    unsigned char uuid[VIR_UUID_BUFLEN];
    int id;                      /* -1 while inactive */
    virtkitDomainDef *def;       /* the live definition while active, else the config */
    virtkitDomainDef *newDef;    /* the persistent config while active, else NULL */
    /* testDomName's copy of def's name, taken from nameDef (a name never
     * changes while the domain is listed) */
    char *name;
    const virtkitDomainDef *nameDef;
    bool persistent;
    int state;                   /* virDomainState */
    int reason;
    bool autostart;
    gint64 startedMono;          /* when it last started, for cpu time */

    /* managed save image, kept in memory */
    bool managedSave;
    bool managedSavePaused;
    char *managedSaveXML;

    /* started with VIR_DOMAIN_START_AUTODESTROY by this connection */
    virConnectPtr autodestroyConn;

    /* tunables (one value for live and config) */
    unsigned int schedWeight;
    unsigned long long memHard, memSoft, memSwap;
    unsigned int blkioWeight;
    char *blkioStrings[TEST_BLKIO_NSTRINGS];
    GHashTable *diskCapacity;    /* target -> guint64 * (bytes), after BlockResize */
    testStatsCache *statsCache;  /* NULL until the first statistics call */

    /* snapshot metadata (test-snapshot.c); NULL until the first snapshot */
    virtkitSnapshotTree *snapshots;

    /* the job that holds the domain, NULL when none */
    const char *job;
    int jobOperation;            /* virDomainJobOperation */
    gint64 jobSinceReal;
    gint64 jobSinceMono;
    /* the last completed job, for virDomainGetJobStats(COMPLETED) */
    bool jobDone;
    int jobDoneOperation;
    gint64 jobDoneElapsedMs;
} testDom;

struct _testHost {
    GMutex lock;
    GCond jobCond;               /* signalled whenever a job ends */
    bool isDefault;
    char *path;                  /* the node file, NULL for test:///default */
    GPtrArray *doms;             /* testDom *, in definition order */
    GHashTable *byName;          /* name -> testDom * (borrowed), for lookups */
    GHashTable *byUUID;          /* 16-byte UUID -> testDom * (borrowed) */
    int nextId;
    virtkitCaps *caps;
    virNodeInfo nodeinfo;
    GPtrArray *conns;            /* virConnectPtr: the open connections of this host */
    /* What was replaced or removed under the lock, freed by testHostUnlock
     * after the unlock: a big definition costs its free to no other
     * caller.  Lock, look up, swap; free after unlocking. */
    GPtrArray *deadDefs;         /* virtkitDomainDef * */
    GPtrArray *deadDoms;         /* testDom * without references */
};

/* ---- test-driver.c: shared helpers ------------------------------------- */
/* With the lock held: @def (NULL ignored; the caller's reference) is freed
 * at the next testHostUnlock. */
void testHostDeferFree(testHost *h, virtkitDomainDef *def);
/* Unlocks @h, then frees what was deferred while it was locked. */
void testHostUnlock(testHost *h);
/* With the lock and @d's job held: a copy of @def (@d's def or newDef),
 * made with the host unlocked; NULL with an error when @d left the host
 * or @def stopped being one of its definitions meanwhile. */
virtkitDomainDef *testDomCopyDef(testHost *h, testDom *d, virtkitDomainDef *def);
testHost *testConnHost(virConnectPtr conn);
/* Lookup by handle: a new reference, NULL with VIR_ERR_NO_DOMAIN reported.
 * Called with the host's lock held. */
testDom *testDomFromHandle(testHost *h, virDomainPtr dom);
void testDomUnref(testDom *d);
const char *testDomName(const testDom *d);
bool testDomIsActive(const testDom *d);
/* The definition a caller changes for @flags (LIVE: def, CONFIG: newDef or
 * def); after testUpdateImpact. */
virtkitDomainDef *testDomConfigDef(testDom *d);
int testUpdateImpact(testDom *d, unsigned int *flags);
/* Jobs: begin waits (bounded) for the current job; end wakes waiters. */
int testJobBegin(testHost *h, testDom *d, const char *job, int operation);
void testJobEnd(testHost *h, testDom *d);
/* Events to every open connection of @h listening for @ev->event_id. */
void testEmit(testHost *h, virDomainPtr handle, const virtkitDomainEvent *ev);
void testEmitLifecycle(testHost *h, virDomainPtr handle, int event, int detail);
/* Parse with the host's capabilities; report conf errors through the host. */
virtkitDomainDef *testParseDomain(testHost *h, const char *xml, unsigned int flags);
/* A libvirtkit-conf error as the core's last error: the GError's code and
 * message, from @from (testReportGError: VIR_FROM_DOMAIN, the domain XML's). */
void testReportGError(GError *error);
void testReportGErrorFrom(int from, GError *error);
/* Whether @d passes libvirt's ListAllDomains filter groups in @flags (the
 * GetAllDomainStats state filters have the same values). */
bool testDomMatchesFilter(const testDom *d, unsigned int flags);
unsigned long long testDomCpuTime(const testDom *d);
unsigned long long testDomUptimeNs(const testDom *d);

/* Everything a call on a domain handle starts with: the host locked and the
 * domain referenced (NULL with the error reported).  testDomEnd undoes it. */
testDom *testDomBegin(virDomainPtr dom, testHost **hp);
void testDomEnd(testHost *h, testDom *d);
void testDomSetState(testDom *d, int state, int reason);
/* Start an inactive domain running / stop an active one (a transient one
 * then leaves the host); the caller emits the events. */
void testDomainStart(testHost *h, testDom *d, int reason);
void testDomainStop(testHost *h, testDom *d, int reason);

/* ---- test-snapshot.c ---------------------------------------------------- */
virDomainSnapshotPtr testDomainSnapshotCreateXML(virDomainPtr domain, const char *xmlDesc,
                                                 unsigned int flags);
char *testDomainSnapshotGetXMLDesc(virDomainSnapshotPtr snapshot, unsigned int flags);
int testDomainSnapshotNum(virDomainPtr domain, unsigned int flags);
int testDomainSnapshotListNames(virDomainPtr domain, char **names, int nameslen, unsigned int flags);
int testDomainListAllSnapshots(virDomainPtr domain, virDomainSnapshotPtr **snaps, unsigned int flags);
int testDomainSnapshotNumChildren(virDomainSnapshotPtr snapshot, unsigned int flags);
int testDomainSnapshotListChildrenNames(virDomainSnapshotPtr snapshot, char **names, int nameslen,
                                        unsigned int flags);
int testDomainSnapshotListAllChildren(virDomainSnapshotPtr snapshot, virDomainSnapshotPtr **snaps,
                                      unsigned int flags);
virDomainSnapshotPtr testDomainSnapshotLookupByName(virDomainPtr domain, const char *name,
                                                    unsigned int flags);
int testDomainHasCurrentSnapshot(virDomainPtr domain, unsigned int flags);
virDomainSnapshotPtr testDomainSnapshotCurrent(virDomainPtr domain, unsigned int flags);
virDomainSnapshotPtr testDomainSnapshotGetParent(virDomainSnapshotPtr snapshot, unsigned int flags);
int testDomainSnapshotIsCurrent(virDomainSnapshotPtr snapshot, unsigned int flags);
int testDomainSnapshotHasMetadata(virDomainSnapshotPtr snapshot, unsigned int flags);
int testDomainRevertToSnapshot(virDomainSnapshotPtr snapshot, unsigned int flags);
int testDomainSnapshotDelete(virDomainSnapshotPtr snapshot, unsigned int flags);
/* How many snapshots @d has; drop them all (undefine with SNAPSHOTS_METADATA). */
int testDomSnapshotCount(const testDom *d);
void testDomSnapshotsDrop(testDom *d);

/* ---- test-domain.c ------------------------------------------------------ */
int testDomainAttachDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags);
int testDomainDetachDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags);
char *testDomainGetSchedulerType(virDomainPtr domain, int *nparams);
int testDomainGetSchedulerParametersFlags(virDomainPtr domain, virTypedParameterPtr *params,
                                          int *nparams, unsigned int flags);
int testDomainSetSchedulerParametersFlags(virDomainPtr domain, virTypedParameterPtr params,
                                          int nparams, unsigned int flags);
int testDomainGetMemoryParameters(virDomainPtr domain, virTypedParameterPtr *params,
                                  int *nparams, unsigned int flags);
int testDomainSetMemoryParameters(virDomainPtr domain, virTypedParameterPtr params,
                                  int nparams, unsigned int flags);
int testDomainGetBlkioParameters(virDomainPtr domain, virTypedParameterPtr *params,
                                 int *nparams, unsigned int flags);
int testDomainSetBlkioParameters(virDomainPtr domain, virTypedParameterPtr params,
                                 int nparams, unsigned int flags);
int testDomainBlockStatsFlags(virDomainPtr dom, const char *disk, virTypedParameterPtr *params,
                              int *nparams, unsigned int flags);
int testDomainGetBlockInfo(virDomainPtr domain, const char *disk, virDomainBlockInfoPtr info,
                           unsigned int flags);
int testDomainBlockPeek(virDomainPtr dom, const char *disk, unsigned long long offset,
                        size_t size, void *buffer, unsigned int flags);
int testDomainBlockResize(virDomainPtr dom, const char *disk, unsigned long long size,
                          unsigned int flags);
int testConnectGetAllDomainStats(virConnectPtr conn, unsigned int stats,
                                 virDomainStatsRecordPtr **retStats, unsigned int flags);
int testDomainListGetStats(virDomainPtr *doms, unsigned int stats,
                           virDomainStatsRecordPtr **retStats, unsigned int flags);
int testDomainInterfaceStats(virDomainPtr dom, const char *device,
                             virDomainInterfaceStatsPtr stats, size_t size);
int testDomainGetControlInfo(virDomainPtr domain, virDomainControlInfoPtr info,
                             unsigned int flags);
int testDomainMemoryStats(virDomainPtr dom, virDomainMemoryStatPtr stats, unsigned int nr_stats,
                          unsigned int flags);
int testDomainSetMetadata(virDomainPtr domain, int type, const char *metadata, const char *key,
                          const char *uri, unsigned int flags);
char *testDomainGetMetadata(virDomainPtr domain, int type, const char *uri, unsigned int flags);

#endif /* TEST_DRIVER_H */
