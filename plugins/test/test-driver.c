/*
 * test-driver.c: the test plugin, an in-memory hypervisor serving
 * test:///default (the same host as libvirt's test driver: node info,
 * capabilities and the running domain "test") and test:///PATH.xml (a host
 * read from a libvirt <node> file, never written).
 *
 * This file: the host and its connections, lookups and listings, the
 * lifecycle state machine, save/restore and managed save, memory and vCPUs,
 * jobs and events.  test-domain.c has devices, tunables, block calls and
 * statistics.
 *
 * Locking: one mutex per host guards the host and all its domains.  Calls
 * that change a domain take its job first (testJobBegin, bounded by
 * job_wait_timeout_ms); queries only take the mutex, so they never wait
 * for a job.  The only long stretches (save image I/O) run with the job
 * held and the mutex released.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "config.h"
#include "test-driver.h"
#include "vk-file.h"
#include "virtkit-conf-save-image.h"
#include "virtkit-conf-node.h"

const virtkitPluginHost *testHostTable;

#define TEST_PLUGIN_NAME "test"
#define TEST_MAX_VCPUS 32
#define TEST_DEFAULT_JOB_WAIT_TIMEOUT_MS 30000

/* libvirt's test driver's default domain, as its source writes it. */
static const char testDefaultDomainXML[] =
    "<domain type='test'>"
    "  <name>test</name>"
    "  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>"
    "  <memory>8388608</memory>"
    "  <currentMemory>2097152</currentMemory>"
    "  <vcpu>2</vcpu>"
    "  <os>"
    "    <type>hvm</type>"
    "  </os>"
    "  <devices>"
    "    <disk type='file' device='disk'>"
    "      <source file='/guest/diskimage1'/>"
    "      <target dev='vda' bus='virtio'/>"
    "      <address type='pci' domain='0x0000' bus='0x01' slot='0x0' function='0x0'/>"
    "    </disk>"
    "    <interface type='network'>"
    "      <mac address='aa:bb:cc:dd:ee:ff'/>"
    "      <source network='default'/>"
    "      <target dev='testnet0'/>"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x1' function='0x0'/>"
    "    </interface>"
    "    <memballoon model='virtio'>"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x2' function='0x0'/>"
    "    </memballoon>"
    "  </devices>"
    "</domain>";

static GMutex testDefaultLock;
static testHost *testDefaultHost;       /* test:///default, for the process's lifetime */
static int testJobWaitTimeoutMs = TEST_DEFAULT_JOB_WAIT_TIMEOUT_MS;

/* ======================================================================
 * Small helpers
 * ==================================================================== */

void
testReportGErrorFrom(int from, GError *error)
{
    /* libvirt reports some from its XML, CPU or resctrl layer, whatever
     * was parsed */
    int code = virtkitConfErrorCode(error, &from);

    /* libvirt says "missing name information" and no more (its bare
     * wording of the code); the conf's sentence would only repeat it. */
    if (code == VIR_ERR_NO_NAME) {
        testHostTable->reportRawError(from, code, __FILE__, __func__, __LINE__, "%s",
                                      "missing name information");
        return;
    }
    TEST_REPORT_FROM(from, code, "%s", error ? error->message : "unknown error");
}

void
testReportGError(GError *error)
{
    testReportGErrorFrom(VIR_FROM_DOMAIN, error);
}

const char *
testDomName(const testDom *d)
{
    /* a cache, refreshed whenever def is replaced; mutable under the lock */
    testDom *m = (testDom *)d;

    if (G_UNLIKELY(d->nameDef != d->def)) {
        g_free(m->name);
        m->name = g_strdup(virtkitDomainDefGetName(d->def));
        m->nameDef = d->def;
    }
    return d->name;
}

bool
testDomIsActive(const testDom *d)
{
    return d->id != -1;
}

static void
testDomFree(testDom *d)
{
    g_clear_pointer(&d->def, virtkitDomainDefFree);
    g_clear_pointer(&d->newDef, virtkitDomainDefFree);
    g_free(d->name);
    g_free(d->managedSaveXML);
    for (int i = 0; i < TEST_BLKIO_NSTRINGS; i++)
        g_free(d->blkioStrings[i]);
    g_clear_pointer(&d->diskCapacity, g_hash_table_unref);
    g_clear_pointer(&d->statsCache, testStatsCacheFree);
    testDomSnapshotsDrop(d);
    g_free(d);
}

/* Called with the host's lock held (or on a domain never listed): the
 * last reference of a listed domain hands it to the host, which frees it
 * after the unlock. */
void
testDomUnref(testDom *d)
{
    if (!d || --d->refs != 0)
        return;
    if (d->host)
        g_ptr_array_add(d->host->deadDoms, d);
    else
        testDomFree(d);
}

void
testHostDeferFree(testHost *h, virtkitDomainDef *def)
{
    if (def)
        g_ptr_array_add(h->deadDefs, def);
}

void
testHostUnlock(testHost *h)
{
    GPtrArray *defs = NULL, *doms = NULL;

    if (h->deadDefs->len) {
        defs = h->deadDefs;
        h->deadDefs = g_ptr_array_new_with_free_func((GDestroyNotify)virtkitDomainDefFree);
    }
    if (h->deadDoms->len) {
        doms = h->deadDoms;
        h->deadDoms = g_ptr_array_new_with_free_func((GDestroyNotify)testDomFree);
    }
    g_mutex_unlock(&h->lock);
    if (defs)
        g_ptr_array_unref(defs);
    if (doms)
        g_ptr_array_unref(doms);
}

static testDom *
testDomNew(virtkitDomainDef *def)
{
    testDom *d = g_new0(testDom, 1);

    d->refs = 1;
    d->id = -1;
    d->def = def;
    virtkitDomainDefGetUUID(def, d->uuid);
    d->state = VIR_DOMAIN_SHUTOFF;
    d->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
    d->schedWeight = 50;
    d->memHard = d->memSoft = d->memSwap = VIR_DOMAIN_MEMORY_PARAM_UNLIMITED;
    for (int i = 0; i < TEST_BLKIO_NSTRINGS; i++)
        d->blkioStrings[i] = g_strdup("");
    d->diskCapacity = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    return d;
}

static guint
testUUIDHash(gconstpointer key)
{
    const unsigned char *u = key;
    guint64 a, b;

    /* all 16 bytes: UUIDs made by hand or by a program often share a
     * prefix (5a1e0000-0000-...), and a hash of the first four bytes would
     * put them all in one chain */
    memcpy(&a, u, sizeof(a));
    memcpy(&b, u + 8, sizeof(b));
    a ^= b * 0x9e3779b97f4a7c15ULL;
    a ^= a >> 29;
    a *= 0xbf58476d1ce4e5b9ULL;
    return (guint)(a ^ (a >> 32));
}

static gboolean
testUUIDEqual(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, VIR_UUID_BUFLEN) == 0;
}

/* Adds @d to the host (the list takes the caller's reference) and to the
 * lookup indexes.  A domain's name and UUID never change while listed: a
 * definition that would change them is refused before it gets here. */
static void
testHostAddDom(testHost *h, testDom *d)
{
    d->host = h;
    g_ptr_array_add(h->doms, d);
    g_hash_table_insert(h->byName, g_strdup(testDomName(d)), d);
    g_hash_table_insert(h->byUUID, g_memdup2(d->uuid, VIR_UUID_BUFLEN), d);
}

/* Takes the host's list reference away. */
static void
testDomRemove(testHost *h, testDom *d)
{
    d->removed = true;
    g_hash_table_remove(h->byName, testDomName(d));
    g_hash_table_remove(h->byUUID, d->uuid);
    g_ptr_array_remove(h->doms, d);
}

static testDom *
testDomFindUUID(testHost *h, const unsigned char *uuid)
{
    return g_hash_table_lookup(h->byUUID, uuid);
}

static testDom *
testDomFindName(testHost *h, const char *name)
{
    return g_hash_table_lookup(h->byName, name);
}

static testDom *
testDomFindID(testHost *h, int id)
{
    for (guint i = 0; i < h->doms->len; i++) {
        testDom *d = g_ptr_array_index(h->doms, i);
        if (d->id == id && id != -1)
            return d;
    }
    return NULL;
}

testDom *
testDomFromHandle(testHost *h, virDomainPtr dom)
{
    unsigned char uuid[VIR_UUID_BUFLEN];
    testDom *d;

    testHostTable->domainGetUUID(dom, uuid);
    d = testDomFindUUID(h, uuid);
    if (!d) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];
        testHostTable->uuidFormat(uuid, uuidstr);
        TEST_REPORT(VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s' (%s)", uuidstr,
                    testHostTable->domainGetName(dom));
        return NULL;
    }
    d->refs++;
    return d;
}

testHost *
testConnHost(virConnectPtr conn)
{
    return testHostTable->connectGetPrivate(conn, TEST_PLUGIN_NAME);
}

static virDomainPtr
testDomHandle(virConnectPtr conn, testDom *d)
{
    return testHostTable->domainNew(conn, testDomName(d), d->uuid, d->id);
}

/* Everything a call on a domain handle starts with: the host locked and
 * the domain referenced.  testDomEnd undoes it. */
testDom *
testDomBegin(virDomainPtr dom, testHost **hp)
{
    testHost *h = testConnHost(testHostTable->domainGetConnect(dom));
    testDom *d;

    g_mutex_lock(&h->lock);
    d = testDomFromHandle(h, dom);
    if (!d) {
        testHostUnlock(h);
        return NULL;
    }
    *hp = h;
    return d;
}

void
testDomEnd(testHost *h, testDom *d)
{
    testDomUnref(d);
    testHostUnlock(h);
}

void
testDomSetState(testDom *d, int state, int reason)
{
    d->state = state;
    d->reason = reason;
}

virtkitDomainDef *
testDomConfigDef(testDom *d)
{
    return d->newDef ? d->newDef : d->def;
}

/* libvirt's virDomainObjUpdateModificationImpact. */
int
testUpdateImpact(testDom *d, unsigned int *flags)
{
    bool active = testDomIsActive(d);

    if ((*flags & (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)) == VIR_DOMAIN_AFFECT_CURRENT)
        *flags |= active ? VIR_DOMAIN_AFFECT_LIVE : VIR_DOMAIN_AFFECT_CONFIG;
    if (!active && (*flags & VIR_DOMAIN_AFFECT_LIVE)) {
        TEST_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "domain is not running");
        return -1;
    }
    if (!d->persistent && (*flags & VIR_DOMAIN_AFFECT_CONFIG)) {
        TEST_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID,
                         "transient domains do not have any persistent config");
        return -1;
    }
    return 0;
}

virtkitDomainDef *
testParseDomain(testHost *h, const char *xml, unsigned int flags)
{
    virtkitDomainParseOptions opts = { .caps = h->caps };
    g_autoptr(GError) error = NULL;
    virtkitDomainDef *def = virtkitDomainDefParseString(xml, &opts,
                                                        flags & VIR_DOMAIN_DEFINE_VALIDATE,
                                                        &error);

    if (!def) {
        testReportGError(error);
        return NULL;
    }
    return def;
}

/* ======================================================================
 * Jobs
 * ==================================================================== */

static int
testJobWaitTimeout(void)
{
    const char *env = g_getenv("VIRTKIT_TEST_JOB_WAIT_TIMEOUT_MS");
    guint64 v;

    if (env && virtkitParseUInt64(env, &v) && v <= G_MAXINT)
        return (int)v;
    return testJobWaitTimeoutMs;
}

int
testJobBegin(testHost *h, testDom *d, const char *job, int operation)
{
    int timeout = testJobWaitTimeout();
    gint64 deadline = g_get_monotonic_time() + (gint64)timeout * 1000;

    while (d->job && !d->removed) {
        if (!g_cond_wait_until(&h->jobCond, &h->lock, deadline) && d->job) {
            g_autoptr(GDateTime) sec = g_date_time_new_from_unix_local(d->jobSinceReal / G_USEC_PER_SEC);
            g_autoptr(GDateTime) since = sec ? g_date_time_add(sec, d->jobSinceReal % G_USEC_PER_SEC) : NULL;
            g_autofree char *when = since ? g_date_time_format(since, "%Y-%m-%d %H:%M:%S.%f") : NULL;
            gint64 held = (g_get_monotonic_time() - d->jobSinceMono) / 1000;

            TEST_REPORT(VIR_ERR_OPERATION_TIMEOUT,
                        "cannot acquire the job for '%s' on domain '%s': it is held by job "
                        "'%s' since %.23s (%" G_GINT64_FORMAT " ms ago); gave up after "
                        "job_wait_timeout_ms=%d",
                        job, testDomName(d), d->job, when ? when : "?", held, timeout);
            return -1;
        }
    }
    if (d->removed) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];
        testHostTable->uuidFormat(d->uuid, uuidstr);
        TEST_REPORT(VIR_ERR_NO_DOMAIN, "no domain with matching uuid '%s' (%s)", uuidstr,
                    testDomName(d));
        return -1;
    }
    d->job = job;
    d->jobOperation = operation;
    d->jobSinceReal = g_get_real_time();
    d->jobSinceMono = g_get_monotonic_time();
    return 0;
}

void
testJobEnd(testHost *h, testDom *d)
{
    d->job = NULL;
    g_cond_broadcast(&h->jobCond);
}

static void
testJobComplete(testHost *h, testDom *d, virDomainPtr handle)
{
    d->jobDone = true;
    d->jobDoneOperation = d->jobOperation;
    d->jobDoneElapsedMs = (g_get_monotonic_time() - d->jobSinceMono) / 1000;
    {
        virTypedParameterPtr params = NULL;
        int nparams = 0, maxparams = 0;
        virtkitDomainEvent ev = { .struct_size = sizeof(ev),
                                  .event_id = VIR_DOMAIN_EVENT_ID_JOB_COMPLETED };

        testHostTable->typedParamsAdd(&params, &nparams, &maxparams, VIR_DOMAIN_JOB_OPERATION,
                                      VIR_TYPED_PARAM_INT, d->jobDoneOperation);
        testHostTable->typedParamsAdd(&params, &nparams, &maxparams, VIR_DOMAIN_JOB_TIME_ELAPSED,
                                      VIR_TYPED_PARAM_ULLONG,
                                      (unsigned long long)d->jobDoneElapsedMs);
        ev.params = params;
        ev.nparams = nparams;
        testEmit(h, handle, &ev);
        testHostTable->typedParamsFree(params, nparams);
    }
}

/* ======================================================================
 * Events
 * ==================================================================== */

static bool
testHostHasEvents(void)
{
    return testHostTable->struct_size >= offsetof(virtkitPluginHost, domainEventEmit) +
                                          sizeof(testHostTable->domainEventEmit) &&
           testHostTable->domainEventWanted && testHostTable->domainEventEmit;
}

/*
 * The core copies what it needs from @handle (name, UUID, ID) before
 * domainEventEmit returns, so the caller's handle serves every connection
 * of the host.  Called with the host's lock held, which also keeps the
 * connections in h->conns open.
 */
void
testEmit(testHost *h, virDomainPtr handle, const virtkitDomainEvent *ev)
{
    if (!handle || !testHostHasEvents())
        return;
    for (guint i = 0; i < h->conns->len; i++) {
        virConnectPtr c = g_ptr_array_index(h->conns, i);
        if (testHostTable->domainEventWanted(c, ev->event_id))
            testHostTable->domainEventEmit(c, handle, ev);
    }
}

void
testEmitLifecycle(testHost *h, virDomainPtr handle, int event, int detail)
{
    virtkitDomainEvent ev = { .struct_size = sizeof(ev),
                              .event_id = VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                              .event = event, .detail = detail };
    testEmit(h, handle, &ev);
}

static void
testEmitSimple(testHost *h, virDomainPtr handle, int event_id)
{
    virtkitDomainEvent ev = { .struct_size = sizeof(ev), .event_id = event_id };
    testEmit(h, handle, &ev);
}

/* ======================================================================
 * Hosts
 * ==================================================================== */

static void
testHostFree(testHost *h)
{
    if (!h)
        return;
    g_hash_table_unref(h->byName);
    g_hash_table_unref(h->byUUID);
    g_ptr_array_unref(h->doms);
    g_ptr_array_unref(h->deadDefs);
    g_ptr_array_unref(h->deadDoms);   /* after doms: their last references land here */
    g_clear_pointer(&h->caps, virtkitCapsFree);
    g_ptr_array_unref(h->conns);
    g_free(h->path);
    g_mutex_clear(&h->lock);
    g_cond_clear(&h->jobCond);
    g_free(h);
}

static testHost *
testHostNew(void)
{
    testHost *h = g_new0(testHost, 1);

    g_mutex_init(&h->lock);
    g_cond_init(&h->jobCond);
    h->doms = g_ptr_array_new_with_free_func((GDestroyNotify)testDomUnref);
    h->deadDefs = g_ptr_array_new_with_free_func((GDestroyNotify)virtkitDomainDefFree);
    h->deadDoms = g_ptr_array_new_with_free_func((GDestroyNotify)testDomFree);
    h->byName = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    h->byUUID = g_hash_table_new_full(testUUIDHash, testUUIDEqual, g_free, NULL);
    h->conns = g_ptr_array_new();
    h->caps = virtkitCapsNewTestDefault();
    h->nextId = 1;
    g_strlcpy(h->nodeinfo.model, "i686", sizeof(h->nodeinfo.model));
    h->nodeinfo.memory = 3145728;
    h->nodeinfo.cpus = 16;
    h->nodeinfo.mhz = 1400;
    h->nodeinfo.nodes = 2;
    h->nodeinfo.sockets = 2;
    h->nodeinfo.cores = 2;
    h->nodeinfo.threads = 2;
    return h;
}

/* Adds a running domain from a host description (libvirt's test driver
 * runs them with reason "unknown").  Returns 0 or -1 with an error. */
static int
testHostAddRunning(testHost *h, const char *xml)
{
    virtkitDomainDef *def = testParseDomain(h, xml, 0);
    guint counter = 0;
    testDom *d;

    if (!def)
        return -1;
    if (testDomFindName(h, virtkitDomainDefGetName(def))) {
        TEST_REPORT(VIR_ERR_OPERATION_FAILED, "the host description defines domain '%s' twice",
                    virtkitDomainDefGetName(def));
        virtkitDomainDefFree(def);
        return -1;
    }
    virtkitDomainDefAssignIfnames(def, "testnet", &counter);
    d = testDomNew(def);
    d->persistent = true;
    d->newDef = virtkitDomainDefCopy(def);
    d->id = h->nextId++;
    d->startedMono = g_get_monotonic_time();
    testDomSetState(d, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNKNOWN);
    testHostAddDom(h, d);
    return 0;
}

static testHost *
testHostNewDefault(void)
{
    testHost *h = testHostNew();

    h->isDefault = true;
    if (testHostAddRunning(h, testDefaultDomainXML) < 0) {
        testHostFree(h);
        return NULL;
    }
    return h;
}

static testHost *
testHostNewFromFile(const char *path)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(virtkitNodeDef) node = virtkitNodeDefParseFile(path, 0, &error);
    testHost *h;

    if (!node) {
        TEST_REPORT(VIR_ERR_OPERATION_FAILED, "cannot load the test host '%s': %s", path,
                    error ? error->message : "unknown error");
        return NULL;
    }
    h = testHostNew();
    h->path = g_strdup(path);
    g_strlcpy(h->nodeinfo.model, node->cpu_model ? node->cpu_model : "i686",
              sizeof(h->nodeinfo.model));
    h->nodeinfo.memory = node->memory_kib;
    h->nodeinfo.mhz = node->mhz;
    h->nodeinfo.nodes = node->nodes;
    h->nodeinfo.sockets = node->sockets;
    h->nodeinfo.cores = node->cores;
    h->nodeinfo.threads = node->threads;
    h->nodeinfo.cpus = node->active ? node->active
                                    : node->nodes * node->sockets * node->cores * node->threads;
    for (guint i = 0; i < node->domains->len; i++) {
        if (testHostAddRunning(h, g_ptr_array_index(node->domains, i)) < 0) {
            testHostFree(h);
            return NULL;
        }
    }
    return h;
}

/* ======================================================================
 * Plugin init, configuration
 * ==================================================================== */

/* Reads job_wait_timeout_ms from the plugin's config file with the host's
 * reader (libvirt's conf syntax; other keys are ignored, as libvirt's
 * drivers ignore keys they do not know).  A missing file is no settings; a
 * file that does not parse, or a value that is not a number of
 * milliseconds, fails init with the file, line and key in the error. */
static int
testReadConfig(void)
{
    const char *env = g_getenv("VIRTKIT_TEST_CONF");
    g_autofree char *path = NULL;
    virtkitConfFile *conf;
    unsigned long long v;
    int rc;

    if (env)
        path = g_strdup(env);
    else if (geteuid() == 0)
        path = g_strdup("/etc/virtkit/test.conf");
    else
        path = g_build_filename(g_get_user_config_dir(), "virtkit", "test.conf", NULL);
    if (!(conf = testHostTable->confReadFile(path, VIRTKIT_CONF_MISSING_OK)))
        return -1;
    rc = testHostTable->confGetUInt(conf, "job_wait_timeout_ms", G_MAXINT, &v);
    if (rc > 0)
        testJobWaitTimeoutMs = (int)v;
    testHostTable->confFree(conf);
    return rc < 0 ? -1 : 0;
}

static int
testInit(const virtkitPluginHost *host, void **plugin_data)
{
    (void)plugin_data;
    testHostTable = host;
    return testReadConfig();
}

/* ======================================================================
 * Connections
 * ==================================================================== */

static virtkitPluginOpenStatus
testConnectOpen(virConnectPtr conn, const char *uri, virConnectAuthPtr auth, unsigned int flags)
{
    g_autoptr(GUri) parsed = NULL;
    const char *path;
    testHost *h;

    (void)auth;
    (void)flags;
    parsed = g_uri_parse(uri, G_URI_FLAGS_NONE, NULL);
    if (!parsed || g_strcmp0(g_uri_get_scheme(parsed), "test") != 0)
        return VIRTKIT_PLUGIN_OPEN_DECLINED;
    /* test://HOST/... is a remote test host: the remote plugin's. */
    if (g_uri_get_host(parsed) && g_uri_get_host(parsed)[0])
        return VIRTKIT_PLUGIN_OPEN_DECLINED;
    path = g_uri_get_path(parsed);
    if (!path || path[0] != '/' || strcmp(path, "/") == 0) {
        TEST_REPORT(VIR_ERR_INVALID_ARG,
                    "test URI '%s' names no host: use test:///default or "
                    "test:///ABSOLUTE/PATH.xml", uri);
        return VIRTKIT_PLUGIN_OPEN_ERROR;
    }

    if (strcmp(path, "/default") == 0) {
        g_mutex_lock(&testDefaultLock);
        if (!testDefaultHost)
            testDefaultHost = testHostNewDefault();
        h = testDefaultHost;
        g_mutex_unlock(&testDefaultLock);
        if (!h)
            return VIRTKIT_PLUGIN_OPEN_ERROR;
    } else {
        h = testHostNewFromFile(path);
        if (!h)
            return VIRTKIT_PLUGIN_OPEN_ERROR;
    }
    g_mutex_lock(&h->lock);
    g_ptr_array_add(h->conns, conn);
    testHostUnlock(h);
    testHostTable->connectSetPrivate(conn, TEST_PLUGIN_NAME, h);
    return VIRTKIT_PLUGIN_OPEN_SUCCESS;
}

void
testDomainStop(testHost *h, testDom *d, int reason);

static int
testConnectClose(virConnectPtr conn)
{
    testHost *h = testConnHost(conn);

    if (!h)
        return 0;
    g_mutex_lock(&h->lock);
    g_ptr_array_remove(h->conns, conn);
    /* Domains this connection started with VIR_DOMAIN_START_AUTODESTROY.
     * Their STOPPED event goes to the host's other connections, named by a
     * handle of one of them (the closing one must not gain references). */
    for (guint i = 0; i < h->doms->len;) {
        testDom *d = g_ptr_array_index(h->doms, i);
        if (d->autodestroyConn == conn && testDomIsActive(d)) {
            virDomainPtr handle = h->conns->len ?
                testDomHandle(g_ptr_array_index(h->conns, 0), d) : NULL;
            d->refs++;
            testDomainStop(h, d, VIR_DOMAIN_SHUTOFF_DESTROYED);
            if (handle) {
                testEmitLifecycle(h, handle, VIR_DOMAIN_EVENT_STOPPED,
                                  VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
                testHostTable->domainFree(handle);
            }
            bool gone = d->removed;
            testDomUnref(d);
            if (gone)
                continue;
        }
        i++;
    }
    testHostUnlock(h);
    testHostTable->connectSetPrivate(conn, TEST_PLUGIN_NAME, NULL);
    if (!h->isDefault)
        testHostFree(h);
    return 0;
}

static int
testConnectSupportsFeature(virConnectPtr conn, int feature)
{
    (void)conn;
    switch (feature) {
    case VIRTKIT_DRV_FEATURE_TYPED_PARAM_STRING:
        return 1;
    default:
        return 0;
    }
}

static const char *
testConnectGetType(virConnectPtr conn)
{
    (void)conn;
    return "TEST";
}

static int
testConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    (void)conn;
    *hvVer = 2;
    return 0;
}

/* The host's name as libvirt's virGetHostname finds it: the kernel's
 * name, or its canonical name when it has no dot and resolves to one. */
static char *
testConnectGetHostname(virConnectPtr conn)
{
    const char *name = g_get_host_name();
    struct addrinfo hints = { .ai_flags = AI_CANONNAME, .ai_family = AF_UNSPEC };
    struct addrinfo *info = NULL;
    char *ret = NULL;

    (void)conn;
    if (strchr(name, '.'))
        return g_strdup(name);
    if (getaddrinfo(name, NULL, &hints, &info) == 0) {
        if (info && info->ai_canonname && !g_str_has_prefix(info->ai_canonname, "localhost"))
            ret = g_strdup(info->ai_canonname);
        freeaddrinfo(info);
    }
    return ret ? ret : g_strdup(name);
}

static int
testConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    (void)conn;
    (void)type;
    return TEST_MAX_VCPUS;
}

static int
testConnectIsAlive(virConnectPtr conn)
{
    (void)conn;
    return 1;
}

static int
testConnectIsEncrypted(virConnectPtr conn)
{
    (void)conn;
    return 0;
}

static int
testConnectIsSecure(virConnectPtr conn)
{
    (void)conn;
    return 1;
}

/* conf formats the NUMA cells without their <pages> lines, which
 * libvirt's test host reports: add them after each cell's <memory>. */
static char *
testCapsAddCellPages(const char *xml)
{
    static const char *const pages[] = {
        "          <pages unit='KiB' size='4'>524288</pages>\n"
        "          <pages unit='KiB' size='2048'>0</pages>\n"
        "          <pages unit='KiB' size='1048576'>0</pages>\n",
        "          <pages unit='KiB' size='8'>524288</pages>\n"
        "          <pages unit='KiB' size='2048'>0</pages>\n"
        "          <pages unit='KiB' size='1048576'>0</pages>\n",
    };
    GString *out = g_string_new(NULL);
    const char *p = xml;
    guint cell = 0;
    const char *cells = strstr(xml, "<cells ");

    while (cells && cell < G_N_ELEMENTS(pages)) {
        const char *mem = strstr(p == xml ? cells : p, "<memory unit='KiB'>");
        const char *eol;
        if (!mem || !(eol = strchr(mem, '\n')))
            break;
        if (strstr(mem, "<pages ") && strstr(mem, "<pages ") < strstr(mem, "<cpus "))
            break;   /* conf has learnt to write them */
        g_string_append_len(out, p, eol + 1 - p);
        g_string_append(out, pages[cell++]);
        p = eol + 1;
    }
    g_string_append(out, p);
    return g_string_free(out, FALSE);
}

static char *
testConnectGetCapabilities(virConnectPtr conn)
{
    testHost *h = testConnHost(conn);
    g_autofree char *xml = NULL;

    g_mutex_lock(&h->lock);
    xml = virtkitCapsFormat(h->caps);
    testHostUnlock(h);
    return testCapsAddCellPages(xml);
}

static char *
testConnectGetDomainCapabilities(virConnectPtr conn, const char *emulatorbin, const char *arch,
                                 const char *machine, const char *virttype, unsigned int flags)
{
    static const char *const diskDevice[] = { "disk", "cdrom", "floppy", "lun", NULL };
    static const char *const diskBus[] = { "ide", "scsi", "virtio", "usb", "sata", "fdc", NULL };
    static const char *const graphics[] = { "sdl", "vnc", "spice", NULL };
    static const char *const video[] = { "vga", "cirrus", "virtio", NULL };
    testHost *h = testConnHost(conn);
    g_autoptr(virtkitDomainCaps) caps = NULL;

    TEST_CHECK_FLAGS(flags, 0, NULL);
    if (virttype && strcmp(virttype, "test") != 0) {
        TEST_REPORT(VIR_ERR_INVALID_ARG, "virtualization type '%s' is not offered by the test "
                    "host (it offers 'test')", virttype);
        return NULL;
    }
    if (arch && strcmp(arch, h->caps->host_arch) != 0) {
        TEST_REPORT(VIR_ERR_INVALID_ARG, "architecture '%s' is not offered by the test host "
                    "(it offers '%s')", arch, h->caps->host_arch);
        return NULL;
    }
    if (emulatorbin && strcmp(emulatorbin, "/usr/bin/test-hv") != 0) {
        TEST_REPORT(VIR_ERR_INVALID_ARG, "emulator '%s' is not the test host's "
                    "('/usr/bin/test-hv')", emulatorbin);
        return NULL;
    }
    caps = virtkitDomainCapsNew("/usr/bin/test-hv", "test", machine, h->caps->host_arch);
    caps->max_vcpus = TEST_MAX_VCPUS;
    caps->disk_device = g_strdupv((char **)diskDevice);
    caps->disk_bus = g_strdupv((char **)diskBus);
    caps->graphics_type = g_strdupv((char **)graphics);
    caps->video_model = g_strdupv((char **)video);
    return virtkitDomainCapsFormat(caps);
}

static int
testNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    testHost *h = testConnHost(conn);

    g_mutex_lock(&h->lock);
    *info = h->nodeinfo;
    testHostUnlock(h);
    return 0;
}

static unsigned long long
testNodeGetFreeMemory(virConnectPtr conn)
{
    testHost *h = testConnHost(conn);
    unsigned long long ret;

    /* what libvirt's test driver answers: the node's memory as it stands */
    g_mutex_lock(&h->lock);
    ret = h->nodeinfo.memory;
    testHostUnlock(h);
    return ret;
}

static int
testNodeGetCellsFreeMemory(virConnectPtr conn, unsigned long long *freeMems, int startCell,
                           int maxCells)
{
    testHost *h = testConnHost(conn);
    int n = 0;

    g_mutex_lock(&h->lock);
    if (startCell < 0 || (guint)startCell >= h->caps->cells->len) {
        testHostUnlock(h);
        TEST_REPORT(VIR_ERR_INVALID_ARG, "start cell %d out of range (0-%u)", startCell,
                    h->caps->cells->len - 1);
        return -1;
    }
    for (guint i = startCell; i < h->caps->cells->len && n < maxCells; i++, n++) {
        virtkitCapsCell *c = g_ptr_array_index(h->caps->cells, i);
        freeMems[n] = c->memory_kib;
    }
    testHostUnlock(h);
    return n;
}

static int
testNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    (void)conn;
    memset(secmodel, 0, sizeof(*secmodel));
    g_strlcpy(secmodel->model, "testSecurity", sizeof(secmodel->model));
    return 0;
}

/* ======================================================================
 * Listing and lookups
 * ==================================================================== */

#define TEST_LIST_FILTERS \
    (VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE | \
     VIR_CONNECT_LIST_DOMAINS_PERSISTENT | VIR_CONNECT_LIST_DOMAINS_TRANSIENT | \
     VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED | \
     VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER | \
     VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE | VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE | \
     VIR_CONNECT_LIST_DOMAINS_AUTOSTART | VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART | \
     VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT | VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT | \
     VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT | VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT)

bool
testDomMatchesFilter(const testDom *d, unsigned int flags)
{
    unsigned int f;
    bool active = testDomIsActive(d);

#define TEST_GROUP(a, b, ca, cb) \
    f = flags & ((a) | (b)); \
    if (f && f != ((a) | (b)) && !((f & (a) && (ca)) || (f & (b) && (cb)))) \
        return false;
    TEST_GROUP(VIR_CONNECT_LIST_DOMAINS_ACTIVE, VIR_CONNECT_LIST_DOMAINS_INACTIVE,
               active, !active);
    TEST_GROUP(VIR_CONNECT_LIST_DOMAINS_PERSISTENT, VIR_CONNECT_LIST_DOMAINS_TRANSIENT,
               d->persistent, !d->persistent);
    TEST_GROUP(VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE,
               d->managedSave, !d->managedSave);
    TEST_GROUP(VIR_CONNECT_LIST_DOMAINS_AUTOSTART, VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART,
               d->autostart, !d->autostart);
    /* no snapshots or checkpoints on this host (yet) */
    TEST_GROUP(VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT, VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT,
               false, true);
    TEST_GROUP(VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT, VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT,
               false, true);
#undef TEST_GROUP
    f = flags & (VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED |
                 VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER);
    if (f) {
        bool ok = false;
        if ((f & VIR_CONNECT_LIST_DOMAINS_RUNNING) && d->state == VIR_DOMAIN_RUNNING)
            ok = true;
        if ((f & VIR_CONNECT_LIST_DOMAINS_PAUSED) && d->state == VIR_DOMAIN_PAUSED)
            ok = true;
        if ((f & VIR_CONNECT_LIST_DOMAINS_SHUTOFF) && d->state == VIR_DOMAIN_SHUTOFF)
            ok = true;
        if ((f & VIR_CONNECT_LIST_DOMAINS_OTHER) && d->state != VIR_DOMAIN_RUNNING &&
            d->state != VIR_DOMAIN_PAUSED && d->state != VIR_DOMAIN_SHUTOFF)
            ok = true;
        if (!ok)
            return false;
    }
    return true;
}

static int
testConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    testHost *h = testConnHost(conn);
    g_autoptr(GPtrArray) out = NULL;
    int n;

    TEST_CHECK_FLAGS(flags, TEST_LIST_FILTERS, -1);
    g_mutex_lock(&h->lock);
    out = g_ptr_array_sized_new(h->doms->len + 1);
    for (guint i = 0; i < h->doms->len; i++) {
        testDom *d = g_ptr_array_index(h->doms, i);
        if (!testDomMatchesFilter(d, flags))
            continue;
        if (domains) {
            virDomainPtr handle = testDomHandle(conn, d);
            if (!handle) {
                testHostUnlock(h);
                /* handles made so far leak only if domainNew fails, which it
                 * does not for valid name and UUID */
                return -1;
            }
            g_ptr_array_add(out, handle);
        } else {
            g_ptr_array_add(out, NULL);
        }
    }
    testHostUnlock(h);
    n = (int)out->len;
    if (domains) {
        g_ptr_array_add(out, NULL);
        *domains = (virDomainPtr *)g_ptr_array_steal(out, NULL);
    }
    return n;
}

static virDomainPtr
testDomainLookupByID(virConnectPtr conn, int id)
{
    testHost *h = testConnHost(conn);
    virDomainPtr ret = NULL;
    testDom *d;

    g_mutex_lock(&h->lock);
    d = testDomFindID(h, id);
    if (d)
        ret = testDomHandle(conn, d);
    else
        /* libvirt's test driver answers lookups with the bare text. */
        testHostTable->reportBareError(VIR_FROM_TEST, VIR_ERR_NO_DOMAIN, __FILE__, __func__, __LINE__);
    testHostUnlock(h);
    return ret;
}

static virDomainPtr
testDomainLookupByName(virConnectPtr conn, const char *name)
{
    testHost *h = testConnHost(conn);
    virDomainPtr ret = NULL;
    testDom *d;

    g_mutex_lock(&h->lock);
    d = testDomFindName(h, name);
    if (d)
        ret = testDomHandle(conn, d);
    else
        /* libvirt's test driver answers lookups with the bare text. */
        testHostTable->reportBareError(VIR_FROM_TEST, VIR_ERR_NO_DOMAIN, __FILE__, __func__, __LINE__);
    testHostUnlock(h);
    return ret;
}

static virDomainPtr
testDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    testHost *h = testConnHost(conn);
    virDomainPtr ret = NULL;
    testDom *d;

    g_mutex_lock(&h->lock);
    d = testDomFindUUID(h, uuid);
    if (d) {
        ret = testDomHandle(conn, d);
    } else {
        char uuidstr[VIR_UUID_STRING_BUFLEN];
        testHostTable->uuidFormat(uuid, uuidstr);
        /* libvirt's test driver answers lookups with the bare text. */
        testHostTable->reportBareError(VIR_FROM_TEST, VIR_ERR_NO_DOMAIN, __FILE__, __func__, __LINE__);
    }
    testHostUnlock(h);
    return ret;
}

/* ======================================================================
 * Queries (no job)
 * ==================================================================== */

/* libvirt's test driver reports the wall clock as a running guest's cpu
 * time (dominfo shows it); so do we. */
unsigned long long
testDomCpuTime(const testDom *d)
{
    if (!testDomIsActive(d))
        return 0;
    return (unsigned long long)g_get_real_time() * 1000ULL;
}

unsigned long long
testDomUptimeNs(const testDom *d)
{
    if (!testDomIsActive(d))
        return 0;
    return (unsigned long long)(g_get_monotonic_time() - d->startedMono) * 1000ULL;
}

static int
testDomainGetInfo(virDomainPtr domain, virDomainInfoPtr info)
{
    testHost *h;
    testDom *d = testDomBegin(domain, &h);

    if (!d)
        return -1;
    memset(info, 0, sizeof(*info));
    info->state = (unsigned char)d->state;
    info->maxMem = virtkitDomainDefGetMemory(d->def);
    info->memory = virtkitDomainDefGetCurrentMemory(d->def);
    if (!info->memory)
        info->memory = info->maxMem;
    info->nrVirtCpu = (unsigned short)virtkitDomainDefGetVcpus(d->def);
    info->cpuTime = testDomCpuTime(d);
    testDomEnd(h, d);
    return 0;
}

static int
testDomainGetState(virDomainPtr domain, int *state, int *reason, unsigned int flags)
{
    testHost *h;
    testDom *d;

    TEST_CHECK_FLAGS(flags, 0, -1);
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    *state = d->state;
    if (reason)
        *reason = d->reason;
    testDomEnd(h, d);
    return 0;
}

static char *
testDomainGetXMLDesc(virDomainPtr domain, unsigned int flags)
{
    testHost *h;
    testDom *d;
    const virtkitDomainDef *def;
    char *xml;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE |
                     VIR_DOMAIN_XML_UPDATE_CPU | VIR_DOMAIN_XML_MIGRATABLE, NULL);
    if (!(d = testDomBegin(domain, &h)))
        return NULL;
    if ((flags & (VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_MIGRATABLE)) && d->newDef)
        def = d->newDef;
    else
        def = d->def;
    /* formatted under the lock, straight from the definition: no copy */
    xml = virtkitDomainDefFormatID(def, flags,
                                   testDomIsActive(d) &&
                                   !(flags & (VIR_DOMAIN_XML_INACTIVE |
                                              VIR_DOMAIN_XML_MIGRATABLE)) ? d->id : -1);
    testDomEnd(h, d);
    return xml;
}

static char *
testDomainGetOSType(virDomainPtr domain)
{
    testHost *h;
    testDom *d = testDomBegin(domain, &h);

    if (!d)
        return NULL;
    testDomEnd(h, d);
    /* what libvirt's test driver answers, whatever <os><type> says */
    return g_strdup("linux");
}

static int
testDomainIsActive(virDomainPtr dom)
{
    testHost *h;
    testDom *d = testDomBegin(dom, &h);
    int ret;

    if (!d)
        return -1;
    ret = testDomIsActive(d);
    testDomEnd(h, d);
    return ret;
}

static int
testDomainIsPersistent(virDomainPtr dom)
{
    testHost *h;
    testDom *d = testDomBegin(dom, &h);
    int ret;

    if (!d)
        return -1;
    ret = d->persistent;
    testDomEnd(h, d);
    return ret;
}

static int
testDomainIsUpdated(virDomainPtr dom)
{
    testHost *h;
    testDom *d = testDomBegin(dom, &h);

    if (!d)
        return -1;
    testDomEnd(h, d);
    return 0;
}

static unsigned long
testDomainGetMaxMemory(virDomainPtr domain)
{
    testHost *h;
    testDom *d = testDomBegin(domain, &h);
    unsigned long ret;

    if (!d)
        return 0;
    ret = virtkitDomainDefGetMemory(d->def);
    testDomEnd(h, d);
    return ret;
}

static int
testDomainGetAutostart(virDomainPtr domain, int *autostart)
{
    testHost *h;
    testDom *d = testDomBegin(domain, &h);

    if (!d)
        return -1;
    *autostart = d->autostart;
    testDomEnd(h, d);
    return 0;
}

static int
testDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags)
{
    testHost *h;
    testDom *d;
    int ret;

    TEST_CHECK_FLAGS(flags, 0, -1);
    if (!(d = testDomBegin(dom, &h)))
        return -1;
    ret = d->managedSave;
    testDomEnd(h, d);
    return ret;
}

static int
testDomainGetSecurityLabel(virDomainPtr domain, virSecurityLabelPtr seclabel)
{
    testHost *h;
    testDom *d = testDomBegin(domain, &h);

    if (!d)
        return -1;
    memset(seclabel, 0, sizeof(*seclabel));
    if (testDomIsActive(d)) {
        g_strlcpy(seclabel->label, "libvirt-test", sizeof(seclabel->label));
        seclabel->enforcing = 1;
    }
    testDomEnd(h, d);
    return 0;
}

static int
testDomainGetVcpusFlags(virDomainPtr domain, unsigned int flags)
{
    testHost *h;
    testDom *d;
    virtkitDomainDef *def;
    int ret = -1;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                     VIR_DOMAIN_VCPU_MAXIMUM, -1);
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testUpdateImpact(d, &flags) < 0)
        goto cleanup;
    def = (flags & VIR_DOMAIN_AFFECT_LIVE) ? d->def : testDomConfigDef(d);
    ret = (flags & VIR_DOMAIN_VCPU_MAXIMUM) ? (int)virtkitDomainDefGetVcpusMax(def)
                                            : (int)virtkitDomainDefGetVcpus(def);
 cleanup:
    testDomEnd(h, d);
    return ret;
}

static int
testDomainGetJobInfo(virDomainPtr domain, virDomainJobInfoPtr info)
{
    testHost *h;
    testDom *d = testDomBegin(domain, &h);

    if (!d)
        return -1;
    memset(info, 0, sizeof(*info));
    if (d->job && d->jobOperation != VIR_DOMAIN_JOB_OPERATION_UNKNOWN) {
        info->type = VIR_DOMAIN_JOB_UNBOUNDED;
        info->timeElapsed = (g_get_monotonic_time() - d->jobSinceMono) / 1000;
    } else {
        info->type = VIR_DOMAIN_JOB_NONE;
    }
    testDomEnd(h, d);
    return 0;
}

static int
testDomainGetJobStats(virDomainPtr domain, int *type, virTypedParameterPtr *params,
                      int *nparams, unsigned int flags)
{
    testHost *h;
    testDom *d;
    int maxparams = 0;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_JOB_STATS_COMPLETED | VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED |
                     VIR_TYPED_PARAM_STRING_OKAY, -1);
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    *params = NULL;
    *nparams = 0;
    if (flags & VIR_DOMAIN_JOB_STATS_COMPLETED) {
        if (d->jobDone) {
            *type = VIR_DOMAIN_JOB_COMPLETED;
            testHostTable->typedParamsAdd(params, nparams, &maxparams, VIR_DOMAIN_JOB_OPERATION,
                                          VIR_TYPED_PARAM_INT, d->jobDoneOperation);
            testHostTable->typedParamsAdd(params, nparams, &maxparams,
                                          VIR_DOMAIN_JOB_TIME_ELAPSED, VIR_TYPED_PARAM_ULLONG,
                                          (unsigned long long)d->jobDoneElapsedMs);
            if (!(flags & VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED))
                d->jobDone = false;
        } else {
            *type = VIR_DOMAIN_JOB_NONE;
        }
    } else if (d->job && d->jobOperation != VIR_DOMAIN_JOB_OPERATION_UNKNOWN) {
        *type = VIR_DOMAIN_JOB_UNBOUNDED;
        testHostTable->typedParamsAdd(params, nparams, &maxparams, VIR_DOMAIN_JOB_OPERATION,
                                      VIR_TYPED_PARAM_INT, d->jobOperation);
        testHostTable->typedParamsAdd(params, nparams, &maxparams, VIR_DOMAIN_JOB_TIME_ELAPSED,
                                      VIR_TYPED_PARAM_ULLONG,
                                      (unsigned long long)((g_get_monotonic_time() -
                                                            d->jobSinceMono) / 1000));
    } else {
        *type = VIR_DOMAIN_JOB_NONE;
    }
    testDomEnd(h, d);
    return 0;
}

/* ======================================================================
 * Lifecycle
 * ==================================================================== */

virtkitDomainDef *
testDomCopyDef(testHost *h, testDom *d, virtkitDomainDef *def)
{
    virtkitDomainDef *base = virtkitDomainDefRef(def), *copy;

    testHostUnlock(h);
    copy = virtkitDomainDefCopy(base);
    g_mutex_lock(&h->lock);
    testHostDeferFree(h, base);
    if (d->removed || (d->def != base && d->newDef != base)) {
        testHostDeferFree(h, copy);
        TEST_REPORT(VIR_ERR_OPERATION_FAILED,
                    "domain '%s' changed state while its definition was being copied",
                    testDomName(d));
        return NULL;
    }
    return copy;
}

/* Starts @d (inactive) in the running state; the caller emits events. */
void
testDomainStart(testHost *h, testDom *d, int reason)
{
    d->id = h->nextId++;
    d->startedMono = g_get_monotonic_time();
    if (d->persistent && !d->newDef)
        d->newDef = virtkitDomainDefCopy(d->def);
    testDomSetState(d, VIR_DOMAIN_RUNNING, reason);
}

/* Stops @d: the live definition goes, a transient domain leaves the host
 * (the caller holds a reference). */
void
testDomainStop(testHost *h, testDom *d, int reason)
{
    d->id = -1;
    d->autodestroyConn = NULL;
    testDomSetState(d, VIR_DOMAIN_SHUTOFF, reason);
    if (d->newDef) {
        testHostDeferFree(h, d->def);
        d->def = g_steal_pointer(&d->newDef);
    }
    if (!d->persistent)
        testDomRemove(h, d);
}

static int
testDomainCreateWithFlags(virDomainPtr domain, unsigned int flags)
{
    testHost *h;
    testDom *d;
    int ret = -1;
    bool paused;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY |
                     VIR_DOMAIN_START_BYPASS_CACHE | VIR_DOMAIN_START_FORCE_BOOT |
                     VIR_DOMAIN_START_VALIDATE | VIR_DOMAIN_START_RESET_NVRAM, -1);
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testJobBegin(h, d, "start", VIR_DOMAIN_JOB_OPERATION_START) < 0)
        goto cleanup;
    if (testDomIsActive(d)) {
        TEST_REPORT(VIR_ERR_INTERNAL_ERROR, "Domain '%s' is already running", testDomName(d));
        goto endjob;
    }
    paused = flags & VIR_DOMAIN_START_PAUSED;
    if (d->managedSave) {
        if (flags & VIR_DOMAIN_START_FORCE_BOOT) {
            /* boot fresh: the image is discarded */
            g_clear_pointer(&d->managedSaveXML, g_free);
        } else {
            /* resume from the image (libvirt's test driver reports a boot);
             * parsed with the job held (which keeps the image) and the host
             * unlocked */
            g_autoptr(virtkitDomainDef) saved = NULL;

            testHostUnlock(h);
            saved = testParseDomain(h, d->managedSaveXML, 0);
            g_mutex_lock(&h->lock);
            if (!saved)
                goto endjob;
            if (d->removed) {
                TEST_REPORT(VIR_ERR_OPERATION_FAILED,
                            "domain '%s' was removed while it was being started",
                            testDomName(d));
                goto endjob;
            }
            testHostDeferFree(h, d->def);
            d->def = g_steal_pointer(&saved);
            paused = paused || d->managedSavePaused;
            g_clear_pointer(&d->managedSaveXML, g_free);
        }
        d->managedSave = false;
    }
    /* the config a persistent domain keeps while it runs: copied with the
     * job held and the host unlocked (testDomainStart would copy it locked) */
    if (d->persistent && !d->newDef && !(d->newDef = testDomCopyDef(h, d, d->def)))
        goto endjob;
    testDomainStart(h, d, VIR_DOMAIN_RUNNING_BOOTED);
    testHostTable->domainSetID(domain, d->id);   /* libvirt updates the caller's handle */
    if (flags & VIR_DOMAIN_START_AUTODESTROY)
        d->autodestroyConn = testHostTable->domainGetConnect(domain);
    testEmitLifecycle(h, domain, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    if (paused) {
        testDomSetState(d, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
        testEmitLifecycle(h, domain, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    }
    ret = 0;
 endjob:
    testJobEnd(h, d);
 cleanup:
    testDomEnd(h, d);
    return ret;
}

/* Checks a new definition against the host's domains: a name must keep its
 * UUID and a UUID its name.  Returns the existing domain (or NULL) through
 * @existing; -1 with libvirt's error on a clash. */
static int
testCheckDefClash(testHost *h, virtkitDomainDef *def, testDom **existing)
{
    unsigned char uuid[VIR_UUID_BUFLEN];
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    const char *name = virtkitDomainDefGetName(def);
    testDom *byUUID, *byName;

    virtkitDomainDefGetUUID(def, uuid);
    byUUID = testDomFindUUID(h, uuid);
    byName = testDomFindName(h, name);
    if (byUUID && strcmp(testDomName(byUUID), name) != 0) {
        testHostTable->uuidFormat(uuid, uuidstr);
        TEST_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED,
                         "domain '%s' is already defined with uuid %s",
                         testDomName(byUUID), uuidstr);
        return -1;
    }
    if (!byUUID && byName) {
        testHostTable->uuidFormat(byName->uuid, uuidstr);
        TEST_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_FAILED,
                         "domain '%s' already exists with uuid %s", name, uuidstr);
        return -1;
    }
    *existing = byUUID;
    return 0;
}

static virDomainPtr
testDomainCreateXML(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    testHost *h = testConnHost(conn);
    g_autoptr(virtkitDomainDef) def = NULL;
    virDomainPtr ret = NULL;
    testDom *existing = NULL, *d;
    guint counter = 0;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY |
                     VIR_DOMAIN_START_BYPASS_CACHE | VIR_DOMAIN_START_VALIDATE |
                     VIR_DOMAIN_START_RESET_NVRAM, NULL);
    /* parsed before the host lock: a big document stalls no other caller */
    if (!(def = testParseDomain(h, xmlDesc,
                                (flags & VIR_DOMAIN_START_VALIDATE) ? VIR_DOMAIN_DEFINE_VALIDATE : 0)))
        return NULL;
    g_mutex_lock(&h->lock);
    if (testCheckDefClash(h, def, &existing) < 0)
        goto cleanup;
    virtkitDomainDefAssignIfnames(def, "testnet", &counter);
    if (existing) {
        if (testDomIsActive(existing)) {
            TEST_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID,
                             "domain '%s' is already active", testDomName(existing));
            goto cleanup;
        }
        existing->refs++;
        if (testJobBegin(h, existing, "start", VIR_DOMAIN_JOB_OPERATION_START) < 0) {
            testDomUnref(existing);
            goto cleanup;
        }
        d = existing;
        /* the running domain uses the new definition; the config stays */
        d->newDef = d->def;
        d->def = g_steal_pointer(&def);
        d->managedSave = false;
        g_clear_pointer(&d->managedSaveXML, g_free);
    } else {
        d = testDomNew(g_steal_pointer(&def));
        testHostAddDom(h, d);
        d->refs++;
        testJobBegin(h, d, "start", VIR_DOMAIN_JOB_OPERATION_START);
    }
    testDomainStart(h, d, VIR_DOMAIN_RUNNING_BOOTED);
    if (flags & VIR_DOMAIN_START_AUTODESTROY)
        d->autodestroyConn = conn;
    ret = testDomHandle(conn, d);
    testEmitLifecycle(h, ret, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    if (flags & VIR_DOMAIN_START_PAUSED) {
        testDomSetState(d, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
        testEmitLifecycle(h, ret, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    }
    testJobEnd(h, d);
    testDomUnref(d);
 cleanup:
    testHostUnlock(h);
    return ret;
}

static virDomainPtr
testDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    testHost *h = testConnHost(conn);
    g_autoptr(virtkitDomainDef) def = NULL;
    g_autoptr(virtkitDomainDef) old = NULL;   /* freed after the unlock */
    virDomainPtr ret = NULL;
    testDom *existing = NULL, *d;
    guint counter = 0;
    int detail;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_DEFINE_VALIDATE, NULL);
    /* parsed before the host lock: a big document stalls no other caller */
    if (!(def = testParseDomain(h, xml, flags)))
        return NULL;
    g_mutex_lock(&h->lock);
    if (testCheckDefClash(h, def, &existing) < 0)
        goto cleanup;
    virtkitDomainDefAssignIfnames(def, "testnet", &counter);
    if (existing) {
        existing->refs++;
        if (testJobBegin(h, existing, "define", VIR_DOMAIN_JOB_OPERATION_UNKNOWN) < 0) {
            testDomUnref(existing);
            goto cleanup;
        }
        d = existing;
        if (testDomIsActive(d)) {
            old = d->newDef;
            d->newDef = g_steal_pointer(&def);
        } else {
            old = d->def;
            d->def = g_steal_pointer(&def);
        }
        detail = VIR_DOMAIN_EVENT_DEFINED_UPDATED;
    } else {
        d = testDomNew(g_steal_pointer(&def));
        testHostAddDom(h, d);
        d->refs++;
        testJobBegin(h, d, "define", VIR_DOMAIN_JOB_OPERATION_UNKNOWN);
        detail = VIR_DOMAIN_EVENT_DEFINED_ADDED;
    }
    d->persistent = true;
    ret = testDomHandle(conn, d);
    testEmitLifecycle(h, ret, VIR_DOMAIN_EVENT_DEFINED, detail);
    testJobEnd(h, d);
    testDomUnref(d);
 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainUndefineFlags(virDomainPtr domain, unsigned int flags)
{
    testHost *h;
    testDom *d;
    int ret = -1;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
                     VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA | VIR_DOMAIN_UNDEFINE_NVRAM |
                     VIR_DOMAIN_UNDEFINE_KEEP_NVRAM | VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA |
                     VIR_DOMAIN_UNDEFINE_TPM | VIR_DOMAIN_UNDEFINE_KEEP_TPM, -1);
    if ((flags & VIR_DOMAIN_UNDEFINE_NVRAM) && (flags & VIR_DOMAIN_UNDEFINE_KEEP_NVRAM)) {
        TEST_REPORT(VIR_ERR_INVALID_ARG, "cannot both keep and delete nvram");
        return -1;
    }
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testJobBegin(h, d, "undefine", VIR_DOMAIN_JOB_OPERATION_UNKNOWN) < 0)
        goto cleanup;
    if (!d->persistent) {
        TEST_REPORT(VIR_ERR_OPERATION_INVALID, "cannot undefine transient domain");
        goto endjob;
    }
    if (d->managedSave) {
        if (!(flags & VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)) {
            TEST_REPORT(VIR_ERR_OPERATION_INVALID,
                        "Refusing to undefine while domain managed save image exists");
            goto endjob;
        }
        d->managedSave = false;
        g_clear_pointer(&d->managedSaveXML, g_free);
    }
    if (!testDomIsActive(d) && testDomSnapshotCount(d) > 0) {
        if (!(flags & VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)) {
            /* libvirt's words exactly: scripts and Sys::Virt's tests match
             * the whole message (VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA is
             * the flag that lets it through) */
            TEST_REPORT(VIR_ERR_OPERATION_INVALID,
                        "cannot delete inactive domain with %d snapshots",
                        testDomSnapshotCount(d));
            goto endjob;
        }
        testDomSnapshotsDrop(d);
    }
    /* no NVRAM files are kept by this host: NVRAM has nothing to remove */
    d->autostart = false;
    testEmitLifecycle(h, domain, VIR_DOMAIN_EVENT_UNDEFINED, VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    if (testDomIsActive(d)) {
        d->persistent = false;
        testHostDeferFree(h, g_steal_pointer(&d->newDef));
    } else {
        testDomRemove(h, d);
    }
    ret = 0;
 endjob:
    testJobEnd(h, d);
 cleanup:
    testDomEnd(h, d);
    return ret;
}

static int
testDomainDestroyFlags(virDomainPtr domain, unsigned int flags)
{
    testHost *h;
    testDom *d;
    int ret = -1;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_DESTROY_GRACEFUL | VIR_DOMAIN_DESTROY_REMOVE_LOGS, -1);
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testJobBegin(h, d, "destroy", VIR_DOMAIN_JOB_OPERATION_UNKNOWN) < 0)
        goto cleanup;
    if (!testDomIsActive(d)) {
        TEST_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "domain is not running");
        goto endjob;
    }
    /* an in-memory guest has nothing to flush: GRACEFUL stops it at once */
    testDomainStop(h, d, VIR_DOMAIN_SHUTOFF_DESTROYED);
    testHostTable->domainSetID(domain, -1);
    testEmitLifecycle(h, domain, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    ret = 0;
 endjob:
    testJobEnd(h, d);
 cleanup:
    testDomEnd(h, d);
    return ret;
}

static void
testDomainLifecycleAction(testHost *h, testDom *d, virDomainPtr domain, const char *which);

static int
testDomainShutdownFlags(virDomainPtr domain, unsigned int flags)
{
    testHost *h;
    testDom *d;
    int ret = -1;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_SHUTDOWN_DEFAULT | VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN |
                     VIR_DOMAIN_SHUTDOWN_GUEST_AGENT | VIR_DOMAIN_SHUTDOWN_INITCTL |
                     VIR_DOMAIN_SHUTDOWN_SIGNAL | VIR_DOMAIN_SHUTDOWN_PARAVIRT, -1);
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testJobBegin(h, d, "shutdown", VIR_DOMAIN_JOB_OPERATION_UNKNOWN) < 0)
        goto cleanup;
    if (d->state == VIR_DOMAIN_SHUTOFF) {
        TEST_REPORT(VIR_ERR_INTERNAL_ERROR, "domain '%s' not running", testDomName(d));
        goto endjob;
    }
    testDomainLifecycleAction(h, d, domain, "on_poweroff");
    ret = 0;
 endjob:
    testJobEnd(h, d);
 cleanup:
    testDomEnd(h, d);
    return ret;
}

/*
 * What a guest does when it powers off or reboots: what its <on_poweroff>
 * or <on_reboot> says, as libvirt's test driver does it.  destroy and
 * preserve stop it (shut off, reason shutdown, event STOPPED/SHUTDOWN);
 * restart and rename-restart boot it again at once (running, booted, no
 * lifecycle event; VIR_DOMAIN_EVENT_ID_REBOOT as qemu emits it).
 */
static void
testDomainLifecycleAction(testHost *h, testDom *d, virDomainPtr domain, const char *which)
{
    const char *action = virtkitDomainDefGetLifecycleAction(d->def, which);

    if (!action)
        action = strcmp(which, "on_reboot") == 0 ? "restart" : "destroy";
    if (strcmp(action, "restart") == 0 || strcmp(action, "rename-restart") == 0) {
        testDomSetState(d, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
        testEmitSimple(h, domain, VIR_DOMAIN_EVENT_ID_REBOOT);
        return;
    }
    testDomainStop(h, d, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    testHostTable->domainSetID(domain, -1);
    testEmitLifecycle(h, domain, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN);
}

/* Reboot follows <on_reboot>; reset restarts the guest whatever it says.
 * A restart emits VIR_DOMAIN_EVENT_ID_REBOOT (as qemu does) and, like
 * libvirt's test driver, no lifecycle event. */
static int
testDomainRestart(virDomainPtr domain, const char *job)
{
    testHost *h;
    testDom *d;
    int ret = -1;

    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testJobBegin(h, d, job, VIR_DOMAIN_JOB_OPERATION_UNKNOWN) < 0)
        goto cleanup;
    if (!testDomIsActive(d)) {
        TEST_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "domain is not running");
        goto endjob;
    }
    if (strcmp(job, "reboot") == 0) {
        testDomainLifecycleAction(h, d, domain, "on_reboot");
    } else {
        testDomSetState(d, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
        testEmitSimple(h, domain, VIR_DOMAIN_EVENT_ID_REBOOT);
    }
    ret = 0;
 endjob:
    testJobEnd(h, d);
 cleanup:
    testDomEnd(h, d);
    return ret;
}

static int
testDomainReboot(virDomainPtr domain, unsigned int flags)
{
    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_REBOOT_DEFAULT | VIR_DOMAIN_REBOOT_ACPI_POWER_BTN |
                     VIR_DOMAIN_REBOOT_GUEST_AGENT | VIR_DOMAIN_REBOOT_INITCTL |
                     VIR_DOMAIN_REBOOT_SIGNAL | VIR_DOMAIN_REBOOT_PARAVIRT, -1);
    return testDomainRestart(domain, "reboot");
}

static int
testDomainReset(virDomainPtr domain, unsigned int flags)
{
    TEST_CHECK_FLAGS(flags, 0, -1);
    return testDomainRestart(domain, "reset");
}

/* Suspend and resume: one state to another under a job, with an event. */
static int
testDomainPauseChange(virDomainPtr domain, const char *job, int from, const char *not_msg,
                      int to, int reason, int event, int detail)
{
    testHost *h;
    testDom *d;
    int ret = -1;

    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testJobBegin(h, d, job, VIR_DOMAIN_JOB_OPERATION_UNKNOWN) < 0)
        goto cleanup;
    if (d->state != from) {
        TEST_REPORT(VIR_ERR_INTERNAL_ERROR, "domain '%s' %s", testDomName(d), not_msg);
        goto endjob;
    }
    testDomSetState(d, to, reason);
    testEmitLifecycle(h, domain, event, detail);
    ret = 0;
 endjob:
    testJobEnd(h, d);
 cleanup:
    testDomEnd(h, d);
    return ret;
}

static int
testDomainSuspend(virDomainPtr domain)
{
    return testDomainPauseChange(domain, "suspend", VIR_DOMAIN_RUNNING, "not running",
                                 VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER,
                                 VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
}

static int
testDomainResume(virDomainPtr domain)
{
    return testDomainPauseChange(domain, "resume", VIR_DOMAIN_PAUSED, "not paused",
                                 VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED,
                                 VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED);
}

static int
testDomainSetAutostart(virDomainPtr domain, int autostart)
{
    testHost *h;
    testDom *d;
    int ret = -1;

    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testJobBegin(h, d, "autostart", VIR_DOMAIN_JOB_OPERATION_UNKNOWN) < 0)
        goto cleanup;
    if (!d->persistent) {
        TEST_REPORT(VIR_ERR_OPERATION_INVALID, "cannot set autostart for transient domain");
        goto endjob;
    }
    d->autostart = autostart != 0;
    ret = 0;
 endjob:
    testJobEnd(h, d);
 cleanup:
    testDomEnd(h, d);
    return ret;
}

/* ======================================================================
 * Save, restore, managed save
 * ==================================================================== */

/* errno again from a GFileError (GLib keeps errno inside its message) */
static int
testErrnoFromFileError(const GError *error)
{
    static const struct { int code, err; } map[] = {
        { G_FILE_ERROR_NOENT, ENOENT }, { G_FILE_ERROR_ACCES, EACCES },
        { G_FILE_ERROR_PERM, EPERM }, { G_FILE_ERROR_ISDIR, EISDIR },
        { G_FILE_ERROR_NOTDIR, ENOTDIR }, { G_FILE_ERROR_NOSPC, ENOSPC },
        { G_FILE_ERROR_ROFS, EROFS }, { G_FILE_ERROR_NAMETOOLONG, ENAMETOOLONG },
        { G_FILE_ERROR_LOOP, ELOOP }, { G_FILE_ERROR_EXIST, EEXIST },
    };

    if (error && error->domain == G_FILE_ERROR)
        for (gsize i = 0; i < G_N_ELEMENTS(map); i++)
            if (map[i].code == error->code)
                return map[i].err;
    return EIO;
}

/* Writes a save image of domain @name.  A FIFO (or any non-regular file)
 * is written in place; a regular path is replaced atomically.  Failures
 * are libvirt's test driver's: a system error, "saving domain 'NAME' to
 * 'PATH': open failed" (or "write failed") and errno's text. */
static int
testWriteImage(const char *name, const char *path, const char *data, gsize len)
{
    struct stat st;
    g_autoptr(GError) error = NULL;

    if (g_stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        int fd = g_open(path, O_WRONLY | O_CLOEXEC, 0);
        gsize done = 0;

        if (fd < 0) {
            TEST_REPORT(VIR_ERR_SYSTEM_ERROR, "saving domain '%s' to '%s': open failed: %s",
                        name, path, g_strerror(errno));
            return -1;
        }
        while (done < len) {
            ssize_t w = write(fd, data + done, len - done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                TEST_REPORT(VIR_ERR_SYSTEM_ERROR, "saving domain '%s' to '%s': write failed: %s",
                            name, path, g_strerror(errno));
                close(fd);
                return -1;
            }
            done += (gsize)w;
        }
        close(fd);
        return 0;
    }
    if (!g_file_set_contents_full(path, data, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                  &error)) {
        TEST_REPORT(VIR_ERR_SYSTEM_ERROR, "saving domain '%s' to '%s': open failed: %s",
                    name, path, g_strerror(testErrnoFromFileError(error)));
        return -1;
    }
    return 0;
}

/* An image that cannot be read is what libvirt reports it as: a system
 * error with errno's text.  GLib keeps errno inside its message only, so
 * the system is asked again for the reason. */
static void
testReportImageUnreadable(const char *path)
{
    int err = EIO;
    int fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);

    if (fd < 0) {
        err = errno;
    } else {
        char c;

        if (read(fd, &c, 1) < 0)
            err = errno;
        g_close(fd, NULL);
    }
    TEST_REPORT(VIR_ERR_SYSTEM_ERROR, "cannot read domain image '%s': %s", path,
                g_strerror(err));
}

/* Reads a save image: the XML and whether the guest was running.
 *
 * The image is "VirtkitTestSave1\n", "running=0|1\n", "xml-length=N\n" and
 * N bytes of XML.  The header is read and checked first (magic, running
 * line, a length within the XML size limit), then exactly N bytes more:
 * /dev/zero, a FIFO fed forever or a 2 GiB file cost one header's read,
 * never what the source holds. */
static char *
testReadImage(const char *path, bool *running)
{
    g_autoptr(GInputStream) in = NULL;
    g_autoptr(GError) err = NULL;
    g_autofree char *rest = NULL;
    char head[VIRTKIT_SAVE_IMAGE_HEADER_MAX];
    gsize head_len = 0, rest_len = 0, skip = 0, have;
    gboolean more, running_hdr = FALSE;
    guint64 xml_len = 0;
    GString *xml;

    if (!(in = vkFileOpenRead(path, NULL, &err)) ||
        !g_input_stream_read_all(in, head, sizeof(head), &head_len, NULL, &err)) {
        testReportImageUnreadable(path);
        return NULL;
    }
    if (!virtkitSaveImageHeaderParse(head, head_len, path, &running_hdr, &xml_len, &skip,
                                     &err)) {
        testReportGErrorFrom(VIR_FROM_TEST, err);
        return NULL;
    }
    *running = running_hdr;
    /* The header said how much there is: read only that. */
    have = head_len - skip;
    if (have > xml_len) {
        more = TRUE;
    } else if (!vkFileStreamRead(in, path, xml_len - have, &rest, &rest_len, &more, NULL,
                                 &err)) {
        testReportImageUnreadable(path);
        return NULL;
    }
    if (more || have + rest_len != xml_len) {
        TEST_REPORT(VIR_ERR_OPERATION_FAILED,
                    "save image '%s' is damaged: its header gives %" G_GUINT64_FORMAT
                    " bytes of XML, the file holds %s", path, xml_len,
                    more ? "more" : "fewer");
        return NULL;
    }
    xml = g_string_new_len(head + skip, (gssize) have);
    if (rest)
        g_string_append_len(xml, rest, (gssize) rest_len);
    if (memchr(xml->str, '\0', xml->len)) {
        g_string_free(xml, TRUE);
        TEST_REPORT(VIR_ERR_OPERATION_FAILED,
                    "save image '%s' is damaged: its XML holds a NUL byte", path);
        return NULL;
    }
    return g_string_free(xml, FALSE);
}

static char *
testImageData(const char *xml, bool running, gsize *len)
{
    return virtkitSaveImageFormat(xml, running, len);
}

/* An alternative XML for an image must describe the same domain; @name
 * (optional) gets the domain's name. */
static char *
testCheckAltXML(testHost *h, const char *xml, const char *dxml, unsigned int flags,
                char **name)
{
    g_autoptr(virtkitDomainDef) orig = testParseDomain(h, xml, 0);
    g_autoptr(virtkitDomainDef) alt = NULL;
    unsigned char u1[VIR_UUID_BUFLEN], u2[VIR_UUID_BUFLEN];

    if (!orig || !(alt = testParseDomain(h, dxml, flags)))
        return NULL;
    virtkitDomainDefGetUUID(orig, u1);
    virtkitDomainDefGetUUID(alt, u2);
    if (memcmp(u1, u2, sizeof(u1)) != 0 ||
        strcmp(virtkitDomainDefGetName(orig), virtkitDomainDefGetName(alt)) != 0) {
        TEST_REPORT(VIR_ERR_INVALID_ARG,
                    "the XML given for the image of domain '%s' describes another domain "
                    "('%s'): name and UUID must stay", virtkitDomainDefGetName(orig),
                    virtkitDomainDefGetName(alt));
        return NULL;
    }
    if (name)
        *name = g_strdup(virtkitDomainDefGetName(alt));
    return virtkitDomainDefFormat(alt, VIR_DOMAIN_XML_SECURE);
}

static int
testRefuseAutodestroy(testDom *d, const char *what)
{
    if (d->autodestroyConn) {
        TEST_REPORT(VIR_ERR_OPERATION_INVALID,
                    "domain '%s' is marked for auto destroy: %s is refused", testDomName(d),
                    what);
        return -1;
    }
    return 0;
}

/* Save to @to (a file) or, with @to NULL, to the managed save image. */
static int
testDomainSaveInternal(virDomainPtr domain, const char *to, const char *dxml, unsigned int flags)
{
    testHost *h;
    testDom *d;
    int ret = -1;
    bool running;
    g_autofree char *xml = NULL;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_SAVE_BYPASS_CACHE | VIR_DOMAIN_SAVE_RUNNING |
                     VIR_DOMAIN_SAVE_PAUSED | VIR_DOMAIN_SAVE_RESET_NVRAM, -1);
    if ((flags & VIR_DOMAIN_SAVE_RUNNING) && (flags & VIR_DOMAIN_SAVE_PAUSED)) {
        TEST_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG,
                         "Flags 'VIR_DOMAIN_SAVE_RUNNING' and 'VIR_DOMAIN_SAVE_PAUSED' are "
                         "mutually exclusive");
        return -1;
    }
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testJobBegin(h, d, to ? "save" : "managed save", VIR_DOMAIN_JOB_OPERATION_SAVE) < 0)
        goto cleanup;
    if (!testDomIsActive(d)) {
        TEST_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "domain is not running");
        goto endjob;
    }
    if (!to && !d->persistent) {
        TEST_REPORT(VIR_ERR_OPERATION_INVALID,
                    "cannot do managed save for transient domain");
        goto endjob;
    }
    if (testRefuseAutodestroy(d, to ? "save" : "managed save") < 0)
        goto endjob;
    running = d->state == VIR_DOMAIN_RUNNING;
    if (flags & VIR_DOMAIN_SAVE_RUNNING)
        running = true;
    if (flags & VIR_DOMAIN_SAVE_PAUSED)
        running = false;
    xml = virtkitDomainDefFormat(d->def, VIR_DOMAIN_XML_SECURE);
    if (dxml) {
        g_autofree char *alt = NULL;

        /* both documents are parsed with the job held and the host
         * unlocked: a big one stalls no other caller */
        testHostUnlock(h);
        alt = testCheckAltXML(h, xml, dxml, 0, NULL);
        g_mutex_lock(&h->lock);
        if (!alt)
            goto endjob;
        if (d->removed || !testDomIsActive(d)) {
            TEST_REPORT(VIR_ERR_OPERATION_FAILED,
                        "domain '%s' stopped while it was being saved", testDomName(d));
            goto endjob;
        }
        g_free(xml);
        xml = g_steal_pointer(&alt);
    }

    if (to) {
        gsize len;
        g_autofree char *data = testImageData(xml, running, &len);
        int rc;
        g_autofree char *path = g_strdup(to);
        g_autofree char *name = g_strdup(testDomName(d));

        /* the image may be a pipe that a reader drains slowly: write it
         * with the job held and the host unlocked */
        testHostUnlock(h);
        rc = testWriteImage(name, path, data, len);
        g_mutex_lock(&h->lock);
        if (rc < 0)
            goto endjob;
        if (d->removed || !testDomIsActive(d)) {
            TEST_REPORT(VIR_ERR_OPERATION_FAILED,
                        "domain '%s' stopped while it was being saved", testDomName(d));
            goto endjob;
        }
    } else {
        g_free(d->managedSaveXML);
        d->managedSaveXML = g_steal_pointer(&xml);
        d->managedSave = true;
        d->managedSavePaused = !running;
    }
    testDomainStop(h, d, VIR_DOMAIN_SHUTOFF_SAVED);
    testHostTable->domainSetID(domain, -1);
    testEmitLifecycle(h, domain, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SAVED);
    testJobComplete(h, d, domain);
    ret = 0;
 endjob:
    testJobEnd(h, d);
 cleanup:
    testDomEnd(h, d);
    return ret;
}

/* The list virDomainSaveParams and virDomainRestoreParams take (and the
 * core builds for virDomainSave, SaveFlags, Restore and RestoreFlags): the
 * image file and an alternative XML, both strings, both optional here. */
static int
testSaveParamsParse(virTypedParameterPtr params, int nparams, const char **file,
                    const char **dxml)
{
    *file = *dxml = NULL;
    for (int i = 0; i < nparams; i++) {
        const char **dst = NULL;

        if (strcmp(params[i].field, VIR_DOMAIN_SAVE_PARAM_FILE) == 0)
            dst = file;
        else if (strcmp(params[i].field, VIR_DOMAIN_SAVE_PARAM_DXML) == 0)
            dst = dxml;
        if (!dst) {
            TEST_REPORT_FROM(VIR_FROM_NONE, VIR_ERR_ARGUMENT_UNSUPPORTED,
                             "parameter '%s' not supported", params[i].field);
            return -1;
        }
        if (params[i].type != VIR_TYPED_PARAM_STRING) {
            TEST_REPORT_FROM(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                             "invalid type for parameter '%s', expected 'string'",
                             params[i].field);
            return -1;
        }
        *dst = params[i].value.s;
    }
    return 0;
}

/* Without a file, the image is the managed save one (as qemu does). */
static int
testDomainSaveParams(virDomainPtr domain, virTypedParameterPtr params, int nparams,
                     unsigned int flags)
{
    const char *file, *dxml;

    if (testSaveParamsParse(params, nparams, &file, &dxml) < 0)
        return -1;
    return testDomainSaveInternal(domain, file, dxml, flags);
}

static int
testDomainManagedSave(virDomainPtr dom, unsigned int flags)
{
    return testDomainSaveInternal(dom, NULL, NULL, flags);
}

static int
testDomainManagedSaveRemove(virDomainPtr dom, unsigned int flags)
{
    testHost *h;
    testDom *d;
    int ret = -1;

    TEST_CHECK_FLAGS(flags, 0, -1);
    if (!(d = testDomBegin(dom, &h)))
        return -1;
    if (testJobBegin(h, d, "managed save remove", VIR_DOMAIN_JOB_OPERATION_UNKNOWN) < 0)
        goto cleanup;
    d->managedSave = false;
    g_clear_pointer(&d->managedSaveXML, g_free);
    ret = 0;
    testJobEnd(h, d);
 cleanup:
    testDomEnd(h, d);
    return ret;
}

static int
testDomainRestoreInternal(virConnectPtr conn, const char *from, const char *dxml,
                          unsigned int flags)
{
    testHost *h = testConnHost(conn);
    g_autofree char *xml = NULL;
    g_autoptr(virtkitDomainDef) def = NULL;
    bool running = true;
    testDom *existing = NULL, *d;
    int ret = -1;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_SAVE_BYPASS_CACHE | VIR_DOMAIN_SAVE_RUNNING |
                     VIR_DOMAIN_SAVE_PAUSED | VIR_DOMAIN_SAVE_RESET_NVRAM, -1);
    if ((flags & VIR_DOMAIN_SAVE_RUNNING) && (flags & VIR_DOMAIN_SAVE_PAUSED)) {
        TEST_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG,
                         "Flags 'VIR_DOMAIN_SAVE_RUNNING' and 'VIR_DOMAIN_SAVE_PAUSED' are "
                         "mutually exclusive");
        return -1;
    }
    if (!(xml = testReadImage(from, &running)))
        return -1;
    if (flags & VIR_DOMAIN_SAVE_RUNNING)
        running = true;
    if (flags & VIR_DOMAIN_SAVE_PAUSED)
        running = false;
    /* read, checked and parsed before the host lock */
    if (dxml) {
        char *alt = testCheckAltXML(h, xml, dxml, 0, NULL);
        if (!alt)
            return -1;
        g_free(xml);
        xml = alt;
    }
    if (!(def = testParseDomain(h, xml, 0)))
        return -1;
    g_mutex_lock(&h->lock);
    if (testCheckDefClash(h, def, &existing) < 0)
        goto cleanup;
    if (existing) {
        if (testDomIsActive(existing)) {
            TEST_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID,
                             "domain '%s' is already active", testDomName(existing));
            goto cleanup;
        }
        existing->refs++;
        if (testJobBegin(h, existing, "restore", VIR_DOMAIN_JOB_OPERATION_RESTORE) < 0) {
            testDomUnref(existing);
            goto cleanup;
        }
        d = existing;
        d->newDef = d->def;
        d->def = g_steal_pointer(&def);
    } else {
        d = testDomNew(g_steal_pointer(&def));
        testHostAddDom(h, d);
        d->refs++;
        testJobBegin(h, d, "restore", VIR_DOMAIN_JOB_OPERATION_RESTORE);
    }
    d->id = h->nextId++;
    d->startedMono = g_get_monotonic_time();
    if (running)
        testDomSetState(d, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_RESTORED);
    else
        testDomSetState(d, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
    {
        /* A handle of our own, just to name the domain in the event. */
        virDomainPtr handle = testDomHandle(conn, d);
        testEmitLifecycle(h, handle, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_RESTORED);
        testHostTable->domainFree(handle);
    }
    testJobEnd(h, d);
    testDomUnref(d);
    ret = 0;
 cleanup:
    testHostUnlock(h);
    return ret;
}

static int
testDomainRestoreParams(virConnectPtr conn, virTypedParameterPtr params, int nparams,
                        unsigned int flags)
{
    const char *file, *dxml;

    if (testSaveParamsParse(params, nparams, &file, &dxml) < 0)
        return -1;
    if (!file) {
        TEST_REPORT_FROM(VIR_FROM_NONE, VIR_ERR_INVALID_ARG,
                         "restoring a domain needs the '%s' parameter naming its image",
                         VIR_DOMAIN_SAVE_PARAM_FILE);
        return -1;
    }
    return testDomainRestoreInternal(conn, file, dxml, flags);
}

static char *
testDomainSaveImageGetXMLDesc(virConnectPtr conn, const char *file, unsigned int flags)
{
    testHost *h = testConnHost(conn);
    g_autofree char *xml = NULL;
    g_autoptr(virtkitDomainDef) def = NULL;
    bool running;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_SAVE_IMAGE_XML_SECURE, NULL);
    if (!(xml = testReadImage(file, &running)))
        return NULL;
    /* nothing of the host's state is read: no lock */
    if (!(def = testParseDomain(h, xml, 0)))
        return NULL;
    return virtkitDomainDefFormat(def, (flags & VIR_DOMAIN_SAVE_IMAGE_XML_SECURE)
                                       ? VIR_DOMAIN_XML_SECURE : 0);
}

static int
testDomainSaveImageDefineXML(virConnectPtr conn, const char *file, const char *dxml,
                             unsigned int flags)
{
    testHost *h = testConnHost(conn);
    g_autofree char *xml = NULL;
    g_autofree char *alt = NULL;
    g_autofree char *name = NULL;
    g_autofree char *data = NULL;
    bool running;
    gsize len;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_SAVE_RUNNING | VIR_DOMAIN_SAVE_PAUSED, -1);
    if ((flags & VIR_DOMAIN_SAVE_RUNNING) && (flags & VIR_DOMAIN_SAVE_PAUSED)) {
        TEST_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG,
                         "Flags 'VIR_DOMAIN_SAVE_RUNNING' and 'VIR_DOMAIN_SAVE_PAUSED' are "
                         "mutually exclusive");
        return -1;
    }
    if (!(xml = testReadImage(file, &running)))
        return -1;
    /* nothing of the host's state is read: no lock */
    if (!(alt = testCheckAltXML(h, xml, dxml, 0, &name)))
        return -1;
    if (flags & VIR_DOMAIN_SAVE_RUNNING)
        running = true;
    if (flags & VIR_DOMAIN_SAVE_PAUSED)
        running = false;
    data = testImageData(alt, running, &len);
    return testWriteImage(name, file, data, len);
}

/* ======================================================================
 * Memory and vCPUs
 * ==================================================================== */

static int
testDomainSetMemoryFlags(virDomainPtr domain, unsigned long memory, unsigned int flags)
{
    testHost *h;
    testDom *d;
    int ret = -1;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                     VIR_DOMAIN_MEM_MAXIMUM, -1);
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testJobBegin(h, d, "set memory", VIR_DOMAIN_JOB_OPERATION_UNKNOWN) < 0)
        goto cleanup;
    if (testUpdateImpact(d, &flags) < 0)
        goto endjob;
    if (flags & VIR_DOMAIN_MEM_MAXIMUM) {
        if (flags & VIR_DOMAIN_AFFECT_LIVE) {
            TEST_REPORT(VIR_ERR_OPERATION_INVALID,
                        "cannot resize the maximum memory on an active domain");
            goto endjob;
        }
        virtkitDomainDefSetMemory(testDomConfigDef(d), memory);
        if (virtkitDomainDefGetCurrentMemory(testDomConfigDef(d)) > memory)
            virtkitDomainDefSetCurrentMemory(testDomConfigDef(d), memory);
    } else {
        if ((flags & VIR_DOMAIN_AFFECT_LIVE) && memory > virtkitDomainDefGetMemory(d->def)) {
            TEST_REPORT(VIR_ERR_INVALID_ARG, "cannot set memory higher than max memory");
            goto endjob;
        }
        if ((flags & VIR_DOMAIN_AFFECT_CONFIG) &&
            memory > virtkitDomainDefGetMemory(testDomConfigDef(d))) {
            TEST_REPORT(VIR_ERR_INVALID_ARG, "cannot set memory higher than max memory");
            goto endjob;
        }
        if (flags & VIR_DOMAIN_AFFECT_LIVE) {
            virtkitDomainEvent ev = { .struct_size = sizeof(ev),
                                      .event_id = VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE,
                                      .ullong = memory };
            virtkitDomainDefSetCurrentMemory(d->def, memory);
            testEmit(h, domain, &ev);
        }
        if (flags & VIR_DOMAIN_AFFECT_CONFIG)
            virtkitDomainDefSetCurrentMemory(testDomConfigDef(d), memory);
    }
    ret = 0;
 endjob:
    testJobEnd(h, d);
 cleanup:
    testDomEnd(h, d);
    return ret;
}

static int
testDomainSetVcpusFlags(virDomainPtr domain, unsigned int nvcpus, unsigned int flags)
{
    testHost *h;
    testDom *d;
    int ret = -1;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                     VIR_DOMAIN_VCPU_MAXIMUM | VIR_DOMAIN_VCPU_HOTPLUGGABLE, -1);
    if (nvcpus > TEST_MAX_VCPUS) {
        TEST_REPORT(VIR_ERR_INVALID_ARG,
                    "requested cpu amount exceeds maximum supported amount (%u > %d)",
                    nvcpus, TEST_MAX_VCPUS);
        return -1;
    }
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testJobBegin(h, d, "set vcpus", VIR_DOMAIN_JOB_OPERATION_UNKNOWN) < 0)
        goto cleanup;
    if (testUpdateImpact(d, &flags) < 0)
        goto endjob;
    if (flags & VIR_DOMAIN_VCPU_MAXIMUM) {
        virtkitDomainDef *def = testDomConfigDef(d);
        guint cur = virtkitDomainDefGetVcpus(def);

        if (flags & VIR_DOMAIN_AFFECT_LIVE) {
            TEST_REPORT(VIR_ERR_INVALID_ARG,
                        "cannot change the maximum vcpu count of running domain '%s'",
                        testDomName(d));
            goto endjob;
        }
        virtkitDomainDefSetVcpus(def, MIN(cur, nvcpus), nvcpus);
    } else {
        if (flags & VIR_DOMAIN_AFFECT_LIVE) {
            guint max = virtkitDomainDefGetVcpusMax(d->def);
            if (nvcpus > max) {
                TEST_REPORT(VIR_ERR_INVALID_ARG,
                            "requested vcpus is greater than max allowable vcpus for the live "
                            "domain: %u > %u", nvcpus, max);
                goto endjob;
            }
        }
        if (flags & VIR_DOMAIN_AFFECT_CONFIG) {
            guint max = virtkitDomainDefGetVcpusMax(testDomConfigDef(d));
            if (nvcpus > max) {
                TEST_REPORT(VIR_ERR_INVALID_ARG,
                            "requested vcpus is greater than max allowable vcpus for the "
                            "persistent domain: %u > %u", nvcpus, max);
                goto endjob;
            }
        }
        if (flags & VIR_DOMAIN_AFFECT_LIVE)
            virtkitDomainDefSetVcpus(d->def, nvcpus, virtkitDomainDefGetVcpusMax(d->def));
        if (flags & VIR_DOMAIN_AFFECT_CONFIG)
            virtkitDomainDefSetVcpus(testDomConfigDef(d), nvcpus,
                                     virtkitDomainDefGetVcpusMax(testDomConfigDef(d)));
    }
    ret = 0;
 endjob:
    testJobEnd(h, d);
 cleanup:
    testDomEnd(h, d);
    return ret;
}

/* ======================================================================
 * Tables
 * ==================================================================== */

static const virtkitHypervisorOps testHypervisor = {
    .struct_size = sizeof(virtkitHypervisorOps),
    .connectOpen = testConnectOpen,                                     /* 1.0 */
    .connectClose = testConnectClose,                                   /* 1.0 */
    .connectSupportsFeature = testConnectSupportsFeature,               /* 1.0 */
    .connectGetCapabilities = testConnectGetCapabilities,               /* 1.0 */
    .connectGetHostname = testConnectGetHostname,                       /* 1.0 */
    .connectGetMaxVcpus = testConnectGetMaxVcpus,                       /* 1.0 */
    .connectGetType = testConnectGetType,                               /* 1.0 */
    .connectGetVersion = testConnectGetVersion,                         /* 1.0 */
    .connectIsAlive = testConnectIsAlive,                               /* 1.0 */
    .connectIsEncrypted = testConnectIsEncrypted,                       /* 1.0 */
    .connectIsSecure = testConnectIsSecure,                             /* 1.0 */
    .nodeGetCellsFreeMemory = testNodeGetCellsFreeMemory,               /* 1.0 */
    .nodeGetFreeMemory = testNodeGetFreeMemory,                         /* 1.0 */
    .nodeGetInfo = testNodeGetInfo,                                     /* 1.0 */
    .nodeGetSecurityModel = testNodeGetSecurityModel,                   /* 1.0 */
    .connectGetAllDomainStats = testConnectGetAllDomainStats,           /* 1.0 */
    .connectGetDomainCapabilities = testConnectGetDomainCapabilities,   /* 1.0 */
    .connectListAllDomains = testConnectListAllDomains,                 /* 1.0 */
    .domainAttachDeviceFlags = testDomainAttachDeviceFlags,             /* 1.0 */
    .domainBlockPeek = testDomainBlockPeek,                             /* 1.0 */
    .domainBlockResize = testDomainBlockResize,                         /* 1.0 */
    .domainBlockStatsFlags = testDomainBlockStatsFlags,                 /* 1.0 */
    .domainCreateWithFlags = testDomainCreateWithFlags,                 /* 1.0 */
    .domainCreateXML = testDomainCreateXML,                             /* 1.0 */
    .domainDefineXMLFlags = testDomainDefineXMLFlags,                   /* 1.0 */
    .domainDestroyFlags = testDomainDestroyFlags,                       /* 1.0 */
    .domainDetachDeviceFlags = testDomainDetachDeviceFlags,             /* 1.0 */
    .domainGetAutostart = testDomainGetAutostart,                       /* 1.0 */
    .domainGetBlkioParameters = testDomainGetBlkioParameters,           /* 1.0 */
    .domainGetBlockInfo = testDomainGetBlockInfo,                       /* 1.0 */
    .domainGetControlInfo = testDomainGetControlInfo,                   /* 1.0 */
    .domainGetInfo = testDomainGetInfo,                                 /* 1.0 */
    .domainGetJobInfo = testDomainGetJobInfo,                           /* 1.0 */
    .domainGetJobStats = testDomainGetJobStats,                         /* 1.0 */
    .domainGetMaxMemory = testDomainGetMaxMemory,                       /* 1.0 */
    .domainGetMemoryParameters = testDomainGetMemoryParameters,         /* 1.0 */
    .domainGetMetadata = testDomainGetMetadata,                         /* 1.0 */
    .domainGetOSType = testDomainGetOSType,                             /* 1.0 */
    .domainGetSchedulerParametersFlags = testDomainGetSchedulerParametersFlags, /* 1.0 */
    .domainGetSchedulerType = testDomainGetSchedulerType,               /* 1.0 */
    .domainGetSecurityLabel = testDomainGetSecurityLabel,               /* 1.0 */
    .domainGetState = testDomainGetState,                               /* 1.0 */
    .domainGetVcpusFlags = testDomainGetVcpusFlags,                     /* 1.0 */
    .domainGetXMLDesc = testDomainGetXMLDesc,                           /* 1.0 */
    .domainHasManagedSaveImage = testDomainHasManagedSaveImage,         /* 1.0 */
    .domainInterfaceStats = testDomainInterfaceStats,                   /* 1.0 */
    .domainIsActive = testDomainIsActive,                               /* 1.0 */
    .domainIsPersistent = testDomainIsPersistent,                       /* 1.0 */
    .domainIsUpdated = testDomainIsUpdated,                             /* 1.0 */
    .domainListGetStats = testDomainListGetStats,                       /* 1.0 */
    .domainLookupByID = testDomainLookupByID,                           /* 1.0 */
    .domainLookupByName = testDomainLookupByName,                       /* 1.0 */
    .domainLookupByUUID = testDomainLookupByUUID,                       /* 1.0 */
    .domainManagedSave = testDomainManagedSave,                         /* 1.0 */
    .domainManagedSaveRemove = testDomainManagedSaveRemove,             /* 1.0 */
    .domainMemoryStats = testDomainMemoryStats,                         /* 1.0 */
    .domainReboot = testDomainReboot,                                   /* 1.0 */
    .domainReset = testDomainReset,                                     /* 1.0 */
    .domainRestoreParams = testDomainRestoreParams,                     /* 1.0 */
    .domainResume = testDomainResume,                                   /* 1.0 */
    .domainSaveParams = testDomainSaveParams,                           /* 1.0 */
    .domainSaveImageDefineXML = testDomainSaveImageDefineXML,           /* 1.0 */
    .domainSaveImageGetXMLDesc = testDomainSaveImageGetXMLDesc,         /* 1.0 */
    .domainSetAutostart = testDomainSetAutostart,                       /* 1.0 */
    .domainSetBlkioParameters = testDomainSetBlkioParameters,           /* 1.0 */
    .domainSetMemoryFlags = testDomainSetMemoryFlags,                   /* 1.0 */
    .domainSetMemoryParameters = testDomainSetMemoryParameters,         /* 1.0 */
    .domainSetMetadata = testDomainSetMetadata,                         /* 1.0 */
    .domainSnapshotCreateXML = testDomainSnapshotCreateXML,             /* 1.0 */
    .domainSnapshotGetXMLDesc = testDomainSnapshotGetXMLDesc,           /* 1.0 */
    .domainSnapshotNum = testDomainSnapshotNum,                         /* 1.0 */
    .domainSnapshotListNames = testDomainSnapshotListNames,             /* 1.0 */
    .domainListAllSnapshots = testDomainListAllSnapshots,               /* 1.0 */
    .domainSnapshotNumChildren = testDomainSnapshotNumChildren,         /* 1.0 */
    .domainSnapshotListChildrenNames = testDomainSnapshotListChildrenNames, /* 1.0 */
    .domainSnapshotListAllChildren = testDomainSnapshotListAllChildren, /* 1.0 */
    .domainSnapshotLookupByName = testDomainSnapshotLookupByName,       /* 1.0 */
    .domainHasCurrentSnapshot = testDomainHasCurrentSnapshot,           /* 1.0 */
    .domainSnapshotCurrent = testDomainSnapshotCurrent,                 /* 1.0 */
    .domainSnapshotGetParent = testDomainSnapshotGetParent,             /* 1.0 */
    .domainSnapshotIsCurrent = testDomainSnapshotIsCurrent,             /* 1.0 */
    .domainSnapshotHasMetadata = testDomainSnapshotHasMetadata,         /* 1.0 */
    .domainRevertToSnapshot = testDomainRevertToSnapshot,               /* 1.0 */
    .domainSnapshotDelete = testDomainSnapshotDelete,                   /* 1.0 */
    .domainSetSchedulerParametersFlags = testDomainSetSchedulerParametersFlags, /* 1.0 */
    .domainSetVcpusFlags = testDomainSetVcpusFlags,                     /* 1.0 */
    .domainShutdownFlags = testDomainShutdownFlags,                     /* 1.0 */
    .domainSuspend = testDomainSuspend,                                 /* 1.0 */
    .domainUndefineFlags = testDomainUndefineFlags,                     /* 1.0 */
};

static const char *const testSchemes[] = { "test", NULL };
/* The snapshot conformance suite (tests/conformance) runs against plugins
 * that declare this. */
static const char *const testVendorFeatures[] = { "org.virtkit.snapshots", NULL };

static const virtkitPluginDescriptor testDescriptor = {
    .struct_size = sizeof(virtkitPluginDescriptor),
    .abi_major = VIRTKIT_PLUGIN_ABI_MAJOR,
    .abi_minor = VIRTKIT_PLUGIN_ABI_MINOR,
    .name = TEST_PLUGIN_NAME,
    .version = VIRTKIT_VERSION,
    .license = "LGPL-2.1-or-later",
    .uri_schemes = testSchemes,
    .vendor_features = testVendorFeatures,
    .flags = VIRTKIT_PLUGIN_LOCAL_ONLY,
    .init = testInit,
    /* No shutdown: an in-memory host has nothing to stop or flush at exit,
     * and freeing it then would pull it from under a call another thread
     * may still be making (virtkit-plugin.h). */
    .hypervisor = &testHypervisor,
};

VIRTKIT_PLUGIN_DEFINE(testDescriptor)
