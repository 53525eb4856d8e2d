/*
 * test-snapshot.c: domain snapshots on the test plugin's in-memory host.
 *
 * A snapshot records the domain's definition and run state; everything is
 * metadata here, so internal, disk-only (external disk) and full snapshots
 * cost the same.  The tree, the list filters and the XML come from
 * libvirtkit-conf (virtkit-conf-snapshot.h).  Where libvirt 9.0's test
 * driver does less (DISK_ONLY, NO_METADATA, METADATA_ONLY deletion, starting
 * the guest when reverting a shut-off snapshot with REVERT_RUNNING) this
 * does what libvirt's qemu driver does.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#include <string.h>

#include "test-driver.h"
#include "virtkit-conf-snapshot.h"

/* Where libvirt 9.0 reports each snapshot error from: its test driver's
 * own checks (not found, wrong state) from VIR_FROM_TEST; the snapshot
 * XML and redefinition rules of its snapshot_conf.c from
 * VIR_FROM_DOMAIN_SNAPSHOT; the moment list's "already exists" from
 * VIR_FROM_DOMAIN. */
#define SNAP_REPORT(code, ...) \
    TEST_REPORT_FROM(VIR_FROM_TEST, (code), __VA_ARGS__)
#define SNAP_CONF_REPORT(code, ...) \
    TEST_REPORT_FROM(VIR_FROM_DOMAIN_SNAPSHOT, (code), __VA_ARGS__)

#define TEST_SNAPSHOT_LIST_FLAGS \
    (VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS | VIR_DOMAIN_SNAPSHOT_LIST_ROOTS | \
     VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL | VIR_DOMAIN_SNAPSHOT_LIST_LEAVES | \
     VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES | VIR_DOMAIN_SNAPSHOT_LIST_METADATA | \
     VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA | VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE | \
     VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE | VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY | \
     VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL | VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL)

static const char *const testStateNames[] = {
    [VIR_DOMAIN_NOSTATE] = "nostate",
    [VIR_DOMAIN_RUNNING] = "running",
    [VIR_DOMAIN_BLOCKED] = "blocked",
    [VIR_DOMAIN_PAUSED] = "paused",
    [VIR_DOMAIN_SHUTDOWN] = "shutdown",
    [VIR_DOMAIN_SHUTOFF] = "shutoff",
    [VIR_DOMAIN_CRASHED] = "crashed",
    [VIR_DOMAIN_PMSUSPENDED] = "pmsuspended",
};

static virtkitSnapshotTree *
testDomSnapshots(testDom *d)
{
    if (!d->snapshots)
        d->snapshots = virtkitSnapshotTreeNew();
    return d->snapshots;
}

/* The snapshot a handle names, borrowed; NULL with libvirt's error. */
static virtkitSnapshotDef *
testSnapFromHandle(testDom *d, virDomainSnapshotPtr snapshot)
{
    const char *name = testHostTable->snapshotGetName(snapshot);
    virtkitSnapshotDef *def = d->snapshots ? virtkitSnapshotTreeFind(d->snapshots, name) : NULL;

    if (!def)
        SNAP_REPORT(VIR_ERR_NO_DOMAIN_SNAPSHOT, "no domain snapshot with matching name '%s'", name);
    return def;
}

/* Locks the host and finds the snapshot's domain and the snapshot. */
static testDom *
testSnapBegin(virDomainSnapshotPtr snapshot, testHost **hp, virtkitSnapshotDef **def)
{
    testDom *d = testDomBegin(testHostTable->snapshotGetDomain(snapshot), hp);

    if (!d)
        return NULL;
    if (!(*def = testSnapFromHandle(d, snapshot))) {
        testDomEnd(*hp, d);
        return NULL;
    }
    return d;
}

/* The snapshot XML's errors, from libvirt's snapshot_conf.c domain. */
static void
testReportConfError(GError *err)
{
    testReportGErrorFrom(VIR_FROM_DOMAIN_SNAPSHOT, err);
}

/* ---------------------------------------------------------------- create */

virDomainSnapshotPtr
testDomainSnapshotCreateXML(virDomainPtr domain, const char *xmlDesc, unsigned int flags)
{
    g_autoptr(virtkitSnapshotDef) def = NULL;
    g_autoptr(GError) err = NULL;
    virDomainSnapshotPtr ret = NULL;
    bool redefine = flags & VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;
    bool disk_only = flags & VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY;
    testHost *h;
    testDom *d;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE | VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT |
                     VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA | VIR_DOMAIN_SNAPSHOT_CREATE_HALT |
                     VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY | VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT |
                     VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE | VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC |
                     VIR_DOMAIN_SNAPSHOT_CREATE_LIVE | VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE, NULL);
    /* QUIESCE, ATOMIC and LIVE have nothing to do on an in-memory host:
     * accepted as libvirt's test driver accepts them, in any state. */
    def = virtkitSnapshotDefParseString(xmlDesc, redefine ? VIRTKIT_SNAPSHOT_PARSE_REDEFINE : 0, &err);
    if (!def) {
        testReportConfError(err);
        return NULL;
    }
    if (!(d = testDomBegin(domain, &h)))
        return NULL;
    if (testJobBegin(h, d, "snapshot", VIR_DOMAIN_JOB_OPERATION_SNAPSHOT) < 0)
        goto cleanup;

    if (d->autodestroyConn) {
        SNAP_REPORT(VIR_ERR_OPERATION_INVALID,
                    "domain '%s' was started with VIR_DOMAIN_START_AUTODESTROY: "
                    "autodestroy domains cannot be snapshotted", testDomName(d));
        goto endjob;
    }
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT) && !d->persistent) {
        SNAP_REPORT(VIR_ERR_OPERATION_INVALID, "cannot halt after transient domain snapshot");
        goto endjob;
    }
    if (redefine) {
        unsigned char uuid[VIR_UUID_BUFLEN];
        char want[VIR_UUID_STRING_BUFLEN], got[VIR_UUID_STRING_BUFLEN];

        virtkitDomainDefGetUUID(def->dom, uuid);
        if (memcmp(uuid, d->uuid, VIR_UUID_BUFLEN) != 0) {
            testHostTable->uuidFormat(d->uuid, want);
            testHostTable->uuidFormat(uuid, got);
            SNAP_CONF_REPORT(VIR_ERR_INVALID_ARG,
                             "definition for snapshot %s must use uuid %s, not %s",
                             def->name, want, got);
            goto endjob;
        }
        if (def->parent && strcmp(def->parent, def->name) == 0) {
            SNAP_CONF_REPORT(VIR_ERR_INVALID_ARG, "snapshot %s cannot be its own parent",
                             def->name);
            goto endjob;
        }
    } else {
        const char *state = disk_only ? "disk-snapshot" :
                            (d->state >= 0 && d->state < (int)G_N_ELEMENTS(testStateNames)) ?
                            testStateNames[d->state] : "nostate";

        if (!def->name)
            def->name = g_strdup_printf("%" G_GINT64_FORMAT, g_get_real_time() / G_USEC_PER_SEC);
        if (d->snapshots && virtkitSnapshotTreeFind(d->snapshots, def->name)) {
            TEST_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED,
                             "domain moment %s already exists", def->name);
            goto endjob;
        }
        g_free(def->state);
        def->state = g_strdup(state);
        g_free(def->parent);
        def->parent = g_strdup(d->snapshots ? virtkitSnapshotTreeGetCurrent(d->snapshots) : NULL);
        def->creation_time = g_get_real_time() / G_USEC_PER_SEC;
        if (def->memory && strcmp(def->memory, "internal") != 0 && strcmp(def->memory, "no") != 0) {
            SNAP_REPORT(VIR_ERR_CONFIG_UNSUPPORTED,
                        "memory state of domain '%s': this host cannot take full external "
                        "(memory and disk) snapshots", testDomName(d));
            goto endjob;
        }
        if (!def->memory)
            def->memory = g_strdup(disk_only || !testDomIsActive(d) ? "no" : "internal");
        if (disk_only && strcmp(def->memory, "no") != 0) {
            SNAP_REPORT(VIR_ERR_CONFIG_UNSUPPORTED,
                        "a disk-only snapshot of domain '%s' cannot save memory state",
                        testDomName(d));
            goto endjob;
        }
        testHostDeferFree(h, g_steal_pointer(&def->dom));
        /* copied with the job held and the host unlocked */
        if (!(def->dom = testDomCopyDef(h, d, d->def)))
            goto endjob;
        if (!virtkitSnapshotDefAlignDisks(def, d->def, disk_only ? "external" : "internal", &err)) {
            testReportConfError(err);
            goto endjob;
        }
        for (guint i = 0; i < def->disks->len; i++) {
            const virtkitSnapshotDisk *disk = g_ptr_array_index(def->disks, i);
            if (!disk_only && g_strcmp0(disk->snapshot, "external") == 0) {
                SNAP_REPORT(VIR_ERR_CONFIG_UNSUPPORTED,
                            "disk '%s': this host cannot take full external (memory and disk) "
                            "snapshots; an external disk snapshot needs "
                            "VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY", disk->name);
                goto endjob;
            }
            if (disk_only && g_strcmp0(disk->snapshot, "internal") == 0) {
                SNAP_REPORT(VIR_ERR_CONFIG_UNSUPPORTED,
                            "disk '%s': a disk-only snapshot cannot be internal", disk->name);
                goto endjob;
            }
        }
    }

    ret = testHostTable->snapshotNew(domain, def->name);
    if (!ret)
        goto endjob;
    if (flags & VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA) {
        /* Taken, and forgotten: nothing tracks it. */
        g_clear_pointer(&def, virtkitSnapshotDefFree);
    } else {
        const char *name = def->name;
        bool make_current = !redefine || (flags & VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT);
        g_autofree char *keep = g_strdup(name);

        if (!virtkitSnapshotTreeAdd(testDomSnapshots(d), def, redefine, &err)) {
            testReportConfError(err);
            goto fail;
        }
        def = NULL;    /* the tree has it */
        if (make_current)
            virtkitSnapshotTreeSetCurrent(d->snapshots, keep);
    }
    if ((flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT) && testDomIsActive(d)) {
        testDomainStop(h, d, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
        testEmitLifecycle(h, domain, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
    }
    goto endjob;

 fail:
    testHostTable->log(VIRTKIT_LOG_DEBUG, "plugin.test", __FILE__, __LINE__, __func__,
                       "snapshot creation failed after the handle was made");
    ret = NULL;
 endjob:
    testJobEnd(h, d);
 cleanup:
    testDomEnd(h, d);
    return ret;
}

/* ---------------------------------------------------------------- reads */

char *
testDomainSnapshotGetXMLDesc(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    virtkitSnapshotDef *def;
    testHost *h;
    testDom *d;
    char *ret;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_SNAPSHOT_XML_SECURE, NULL);
    if (!(d = testSnapBegin(snapshot, &h, &def)))
        return NULL;
    ret = virtkitSnapshotDefFormat(def, flags);
    testDomEnd(h, d);
    return ret;
}

/* Names matching @flags below @from (NULL: the whole domain), borrowed. */
static GPtrArray *
testSnapList(testDom *d, const char *from, unsigned int flags)
{
    if (!d->snapshots)
        return g_ptr_array_new();
    return virtkitSnapshotTreeList(d->snapshots, from, flags);
}

static int
testSnapNames(testDom *d, const char *from, char **names, int nameslen, unsigned int flags)
{
    g_autoptr(GPtrArray) list = testSnapList(d, from, flags);
    int n = MIN((int)list->len, nameslen);

    for (int i = 0; i < n; i++)
        names[i] = g_strdup(g_ptr_array_index(list, i));
    return n;
}

static int
testSnapHandles(virDomainPtr domain, testDom *d, const char *from,
                virDomainSnapshotPtr **snaps, unsigned int flags)
{
    g_autoptr(GPtrArray) list = testSnapList(d, from, flags);

    if (snaps) {
        *snaps = g_new0(virDomainSnapshotPtr, list->len + 1);
        for (guint i = 0; i < list->len; i++)
            (*snaps)[i] = testHostTable->snapshotNew(domain, g_ptr_array_index(list, i));
    }
    return (int)list->len;
}

/* The six list calls: names into @names when @want_names, else a count and
 * optionally handles; of the whole domain, or below @from_snap when set.
 * Callers check their flags (libvirt's message names the API's function). */
static int
testSnapListCall(virDomainPtr domain, virDomainSnapshotPtr from_snap, bool want_names,
                 char **names, int nameslen, virDomainSnapshotPtr **snaps, unsigned int flags)
{
    virtkitSnapshotDef *def = NULL;
    testHost *h;
    testDom *d;
    int ret;

    if (from_snap) {
        domain = testHostTable->snapshotGetDomain(from_snap);
        d = testSnapBegin(from_snap, &h, &def);
    } else {
        d = testDomBegin(domain, &h);
    }
    if (!d)
        return -1;
    if (want_names)
        ret = testSnapNames(d, def ? def->name : NULL, names, nameslen, flags);
    else
        ret = testSnapHandles(domain, d, def ? def->name : NULL, snaps, flags);
    testDomEnd(h, d);
    return ret;
}

int
testDomainSnapshotNum(virDomainPtr domain, unsigned int flags)
{
    TEST_CHECK_FLAGS(flags, TEST_SNAPSHOT_LIST_FLAGS, -1);
    return testSnapListCall(domain, NULL, false, NULL, 0, NULL, flags);
}

int
testDomainSnapshotListNames(virDomainPtr domain, char **names, int nameslen, unsigned int flags)
{
    TEST_CHECK_FLAGS(flags, TEST_SNAPSHOT_LIST_FLAGS, -1);
    return testSnapListCall(domain, NULL, true, names, nameslen, NULL, flags);
}

int
testDomainListAllSnapshots(virDomainPtr domain, virDomainSnapshotPtr **snaps, unsigned int flags)
{
    TEST_CHECK_FLAGS(flags, TEST_SNAPSHOT_LIST_FLAGS, -1);
    return testSnapListCall(domain, NULL, false, NULL, 0, snaps, flags);
}

int
testDomainSnapshotNumChildren(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    TEST_CHECK_FLAGS(flags, TEST_SNAPSHOT_LIST_FLAGS, -1);
    return testSnapListCall(NULL, snapshot, false, NULL, 0, NULL, flags);
}

int
testDomainSnapshotListChildrenNames(virDomainSnapshotPtr snapshot, char **names, int nameslen,
                                    unsigned int flags)
{
    TEST_CHECK_FLAGS(flags, TEST_SNAPSHOT_LIST_FLAGS, -1);
    return testSnapListCall(NULL, snapshot, true, names, nameslen, NULL, flags);
}

int
testDomainSnapshotListAllChildren(virDomainSnapshotPtr snapshot, virDomainSnapshotPtr **snaps,
                                  unsigned int flags)
{
    TEST_CHECK_FLAGS(flags, TEST_SNAPSHOT_LIST_FLAGS, -1);
    return testSnapListCall(NULL, snapshot, false, NULL, 0, snaps, flags);
}

virDomainSnapshotPtr
testDomainSnapshotLookupByName(virDomainPtr domain, const char *name, unsigned int flags)
{
    virDomainSnapshotPtr ret = NULL;
    testHost *h;
    testDom *d;

    TEST_CHECK_FLAGS(flags, 0, NULL);
    if (!(d = testDomBegin(domain, &h)))
        return NULL;
    if (d->snapshots && virtkitSnapshotTreeFind(d->snapshots, name))
        ret = testHostTable->snapshotNew(domain, name);
    else
        SNAP_REPORT(VIR_ERR_NO_DOMAIN_SNAPSHOT, "no domain snapshot with matching name '%s'", name);
    testDomEnd(h, d);
    return ret;
}

int
testDomainHasCurrentSnapshot(virDomainPtr domain, unsigned int flags)
{
    testHost *h;
    testDom *d;
    int ret;

    TEST_CHECK_FLAGS(flags, 0, -1);
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    ret = d->snapshots && virtkitSnapshotTreeGetCurrent(d->snapshots) ? 1 : 0;
    testDomEnd(h, d);
    return ret;
}

virDomainSnapshotPtr
testDomainSnapshotCurrent(virDomainPtr domain, unsigned int flags)
{
    virDomainSnapshotPtr ret = NULL;
    const char *cur;
    testHost *h;
    testDom *d;

    TEST_CHECK_FLAGS(flags, 0, NULL);
    if (!(d = testDomBegin(domain, &h)))
        return NULL;
    cur = d->snapshots ? virtkitSnapshotTreeGetCurrent(d->snapshots) : NULL;
    if (cur)
        ret = testHostTable->snapshotNew(domain, cur);
    else
        SNAP_REPORT(VIR_ERR_NO_DOMAIN_SNAPSHOT, "the domain does not have a current snapshot");
    testDomEnd(h, d);
    return ret;
}

virDomainSnapshotPtr
testDomainSnapshotGetParent(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    virDomainSnapshotPtr ret = NULL;
    virtkitSnapshotDef *def;
    testHost *h;
    testDom *d;

    TEST_CHECK_FLAGS(flags, 0, NULL);
    if (!(d = testSnapBegin(snapshot, &h, &def)))
        return NULL;
    if (def->parent)
        ret = testHostTable->snapshotNew(testHostTable->snapshotGetDomain(snapshot), def->parent);
    else
        SNAP_REPORT(VIR_ERR_NO_DOMAIN_SNAPSHOT, "snapshot '%s' does not have a parent", def->name);
    testDomEnd(h, d);
    return ret;
}

int
testDomainSnapshotIsCurrent(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    virtkitSnapshotDef *def;
    testHost *h;
    testDom *d;
    int ret;

    TEST_CHECK_FLAGS(flags, 0, -1);
    if (!(d = testSnapBegin(snapshot, &h, &def)))
        return -1;
    ret = g_strcmp0(virtkitSnapshotTreeGetCurrent(d->snapshots), def->name) == 0;
    testDomEnd(h, d);
    return ret;
}

int
testDomainSnapshotHasMetadata(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    virtkitSnapshotDef *def;
    testHost *h;
    testDom *d;

    TEST_CHECK_FLAGS(flags, 0, -1);
    if (!(d = testSnapBegin(snapshot, &h, &def)))
        return -1;
    /* Every snapshot this host can look up has metadata. */
    testDomEnd(h, d);
    return 1;
}

/* ---------------------------------------------------------------- revert */

/* Shut @d off for a revert without the transient-domain removal a normal
 * stop does: the domain comes back from the snapshot. */
static void
testSnapStop(testHost *h, testDom *d, virDomainPtr domain)
{
    bool persistent = d->persistent;

    d->persistent = true;          /* keep a transient domain in the host */
    testDomainStop(h, d, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
    d->persistent = persistent;
    testEmitLifecycle(h, domain, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT);
}

int
testDomainRevertToSnapshot(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    virDomainPtr domain = testHostTable->snapshotGetDomain(snapshot);
    g_autoptr(virtkitDomainDef) config = NULL;
    virtkitSnapshotDef *def;
    bool was_running;
    testHost *h;
    testDom *d;
    int ret = -1;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED |
                     VIR_DOMAIN_SNAPSHOT_REVERT_FORCE, -1);
    if (!(d = testSnapBegin(snapshot, &h, &def)))
        return -1;
    if (testJobBegin(h, d, "snapshot-revert", VIR_DOMAIN_JOB_OPERATION_SNAPSHOT_REVERT) < 0)
        goto cleanup;
    /* The lookup above dropped no lock, but the job wait may have: look again. */
    if (!(def = testSnapFromHandle(d, snapshot)))
        goto endjob;
    was_running = g_strcmp0(def->state, "running") == 0 || g_strcmp0(def->state, "paused") == 0;

    if (!d->persistent && !was_running &&
        !(flags & (VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED))) {
        SNAP_REPORT(VIR_ERR_OPERATION_INVALID,
                    "transient domain needs to request run or pause to revert to inactive snapshot");
        goto endjob;
    }
    /* libvirt 9.0's test driver's one risky revert: a snapshot that does
     * not carry the domain's definition.  (Its REDEFINE refuses such
     * snapshots, so none can be made through the API today; FORCE then
     * reverts the run state only, keeping the current definition.) */
    if (!def->dom && !(flags & VIR_DOMAIN_SNAPSHOT_REVERT_FORCE)) {
        SNAP_REPORT(VIR_ERR_SNAPSHOT_REVERT_RISKY, "snapshot '%s' lacks domain '%s' rollback info",
                    def->name, testDomName(d));
        goto endjob;
    }
    config = def->dom ? virtkitDomainDefCopy(def->dom) : virtkitDomainDefCopy(d->newDef ? d->newDef : d->def);

    if (testDomIsActive(d))
        testSnapStop(h, d, domain);
    /* The snapshot's definition becomes the domain's. */
    testHostDeferFree(h, d->def);
    d->def = g_steal_pointer(&config);
    testHostDeferFree(h, g_steal_pointer(&d->newDef));

    if (was_running || (flags & (VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED))) {
        bool paused = !(flags & VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING) &&
                      (g_strcmp0(def->state, "paused") == 0 || (flags & VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED));
        testDomainStart(h, d, VIR_DOMAIN_RUNNING_FROM_SNAPSHOT);
        testEmitLifecycle(h, domain, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT);
        if (paused) {
            testDomSetState(d, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_FROM_SNAPSHOT);
            testEmitLifecycle(h, domain, VIR_DOMAIN_EVENT_SUSPENDED,
                              VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT);
        }
    } else if (!d->persistent) {
        /* Cannot happen: refused above. */
    } else {
        testDomSetState(d, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
    }
    virtkitSnapshotTreeSetCurrent(d->snapshots, def->name);
    ret = 0;
 endjob:
    testJobEnd(h, d);
 cleanup:
    testDomEnd(h, d);
    return ret;
}

/* ---------------------------------------------------------------- delete */

int
testDomainSnapshotDelete(virDomainSnapshotPtr snapshot, unsigned int flags)
{
    virtkitSnapshotDef *def;
    testHost *h;
    testDom *d;
    int ret = -1;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                     VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY |
                     VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY, -1);
    if (!(d = testSnapBegin(snapshot, &h, &def)))
        return -1;
    if (testJobBegin(h, d, "snapshot-delete", VIR_DOMAIN_JOB_OPERATION_SNAPSHOT_DELETE) < 0)
        goto cleanup;
    if (!(def = testSnapFromHandle(d, snapshot)))
        goto endjob;
    /* Content and metadata are one thing on this host: METADATA_ONLY
     * removes the same records a full delete does. */
    g_ptr_array_unref(virtkitSnapshotTreeDelete(d->snapshots, def->name,
                                                flags & ~VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY));
    ret = 0;
 endjob:
    testJobEnd(h, d);
 cleanup:
    testDomEnd(h, d);
    return ret;
}

/* How many snapshots an undefine would orphan (0 when none). */
int
testDomSnapshotCount(const testDom *d)
{
    return d->snapshots ? (int)virtkitSnapshotTreeSize(d->snapshots) : 0;
}

void
testDomSnapshotsDrop(testDom *d)
{
    g_clear_pointer(&d->snapshots, virtkitSnapshotTreeFree);
}
