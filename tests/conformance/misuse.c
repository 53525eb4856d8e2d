/*
 * misuse: what the library says when a program gets the API wrong.
 *
 * One table of misuse cases (bad and NULL handles, NULL arguments, unknown
 * and mutually exclusive flags, missing objects, read-only refusals in every
 * API family, bad XML, bad URIs, bad save images, event misuse).  Each case
 * makes one call and this program prints one line per case:
 *
 *   name|code|domain|level|message      (virGetLastError after the call)
 *   name|OK|detail                      (the call succeeded)
 *
 * The source is public API only and is built twice, against virtkit and
 * against Debian's libvirt; misuse-compare.py runs both on test:///default
 * in one run and compares the lines case by case.  The differences virtkit
 * means to have are listed, with the reason, in misuse-compare.py.
 *
 * Paths under the run's scratch directory print as $TMP, so the two runs
 * (each with its own directory) print the same text.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static virConnectPtr rw;        /* test:///default */
static virConnectPtr ro;        /* test:///default, read-only */
static virDomainPtr dom;        /* "test", running, on rw */
static virDomainPtr rodom;      /* "test" on ro */
static virDomainPtr off;        /* "misuse-off", defined, inactive, on rw */
static virDomainPtr rooff;      /* "misuse-off" on ro */
static virDomainSnapshotPtr snap;   /* "s1" of misuse-off, on rw */
static virDomainSnapshotPtr rosnap; /* "s1" of misuse-off, on ro */
static char *tmpdir;
static char *detail;            /* what a successful case wants printed */

/* A handle that is not an object: zeroed memory (what a freed handle often
 * holds), larger than any handle, so a check reading the object's header
 * reads memory we own.  (Patterned memory is not safe: stock libvirt's
 * objects are GObjects, and it follows the first word as a class pointer.) */
static union { long long align; unsigned char bytes[1024]; } zeroed;
#define ZERO(type) ((type)(void *)&zeroed)
/* A live object of another type where a handle is expected: the bad magic
 * check, safe with both libraries. */
#define WRONG(type, obj) ((type)(void *)(obj))

static const char good_domain[] =
    "<domain type='test'><name>%s</name><memory>131072</memory><vcpu>1</vcpu>"
    "<os><type>hvm</type></os></domain>";

static char *
tmp_path(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}

static void
said(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static void
said(const char *fmt, ...)
{
    va_list ap;

    g_free(detail);
    va_start(ap, fmt);
    detail = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

/* Releasers for what a call that unexpectedly succeeded returned. */
static void
dom_done(virDomainPtr d)
{
    if (d) {
        said("domain '%s'", virDomainGetName(d));
        virDomainFree(d);
    }
}

static void
snap_done(virDomainSnapshotPtr s)
{
    if (s) {
        said("snapshot '%s'", virDomainSnapshotGetName(s));
        virDomainSnapshotFree(s);
    }
}

static void
str_done(char *s)
{
    if (s)
        said("%zu bytes", strlen(s));
    free(s);
}

static void
int_done(int r)
{
    said("returned %d", r);
}

/* ---------------------------------------------------------------- cases */

/* Bad handles: NULL */
static void conn_null_get_capabilities(void) { str_done(virConnectGetCapabilities(NULL)); }
static void conn_null_num_of_domains(void) { int_done(virConnectNumOfDomains(NULL)); }
static void conn_null_lookup_by_name(void) { dom_done(virDomainLookupByName(NULL, "test")); }
static void conn_null_define_xml(void) { dom_done(virDomainDefineXML(NULL, "<domain/>")); }
static void conn_null_pool_lookup(void)
{
    virStoragePoolPtr p = virStoragePoolLookupByName(NULL, "default-pool");

    if (p)
        virStoragePoolFree(p);
}
static void conn_null_node_info(void) { virNodeInfo i; int_done(virNodeGetInfo(NULL, &i)); }
static void conn_null_close(void) { int_done(virConnectClose(NULL)); }
static void conn_null_ref(void) { int_done(virConnectRef(NULL)); }
static void conn_null_get_uri(void) { str_done(virConnectGetURI(NULL)); }
static void conn_null_stream_new(void)
{
    virStreamPtr st = virStreamNew(NULL, 0);

    if (st)
        virStreamFree(st);
}
static void conn_null_pool_lookup_uuidstr(void)
{
    virStoragePoolPtr p = virStoragePoolLookupByUUIDString(NULL, "x");

    if (p)
        virStoragePoolFree(p);
}
static void conn_null_domain_event_register(void)
{
    int_done(virConnectDomainEventRegister(NULL, NULL, NULL, NULL));
}
static void conn_null_get_type(void) { said("%s", virConnectGetType(NULL) ? "a type" : "NULL"); }
static void dom_null_suspend(void) { int_done(virDomainSuspend(NULL)); }
static void dom_null_get_info(void) { virDomainInfo i; int_done(virDomainGetInfo(NULL, &i)); }
static void dom_null_get_name(void) { said("%s", virDomainGetName(NULL) ? "a name" : "NULL"); }
static void dom_null_free(void) { int_done(virDomainFree(NULL)); }
static void snap_null_get_xml(void) { str_done(virDomainSnapshotGetXMLDesc(NULL, 0)); }
static void snap_null_revert(void) { int_done(virDomainRevertToSnapshot(NULL, 0)); }
static void snap_null_get_name(void)
{
    said("%s", virDomainSnapshotGetName(NULL) ? "a name" : "NULL");
}
static void pool_null_get_info(void)
{
    virStoragePoolInfo i;

    int_done(virStoragePoolGetInfo(NULL, &i));
}
static void vol_null_get_info(void) { virStorageVolInfo i; int_done(virStorageVolGetInfo(NULL, &i)); }
static void stream_null_send(void) { int_done(virStreamSend(NULL, "x", 1)); }

/* Bad handles: memory that is not an object, objects of the wrong type */
static void conn_zeroed_get_type(void)
{
    said("%s", virConnectGetType(ZERO(virConnectPtr)) ? "a type" : "NULL");
}
static void conn_wrong_type_num_of_domains(void)
{
    int_done(virConnectNumOfDomains(WRONG(virConnectPtr, dom)));
}
static void dom_zeroed_get_info(void)
{
    virDomainInfo i;

    int_done(virDomainGetInfo(ZERO(virDomainPtr), &i));
}
static void dom_wrong_type_suspend(void) { int_done(virDomainSuspend(WRONG(virDomainPtr, rw))); }
static void snap_wrong_type_get_xml(void)
{
    str_done(virDomainSnapshotGetXMLDesc(WRONG(virDomainSnapshotPtr, off), 0));
}
static void snap_zeroed_get_name(void)
{
    said("%s", virDomainSnapshotGetName(ZERO(virDomainSnapshotPtr)) ? "a name" : "NULL");
}
static void stream_wrong_type_abort(void) { int_done(virStreamAbort(WRONG(virStreamPtr, rw))); }
static void pool_zeroed_get_name(void)
{
    said("%s", virStoragePoolGetName(ZERO(virStoragePoolPtr)) ? "a name" : "NULL");
}

/* NULL and out-of-range arguments */
static void lookup_name_null(void) { dom_done(virDomainLookupByName(rw, NULL)); }
static void lookup_uuid_null(void) { dom_done(virDomainLookupByUUID(rw, NULL)); }
static void lookup_uuidstr_null(void) { dom_done(virDomainLookupByUUIDString(rw, NULL)); }
static void lookup_uuidstr_bad(void) { dom_done(virDomainLookupByUUIDString(rw, "not-a-uuid")); }
static void lookup_id_negative(void) { dom_done(virDomainLookupByID(rw, -1)); }
static void define_xml_null(void) { dom_done(virDomainDefineXML(rw, NULL)); }
static void create_xml_null(void) { dom_done(virDomainCreateXML(rw, NULL, 0)); }
static void get_info_null(void) { int_done(virDomainGetInfo(dom, NULL)); }
static void get_state_null(void) { int_done(virDomainGetState(dom, NULL, NULL, 0)); }
static void sched_flags_null_params(void)
{
    int n = 0;
    int r = virDomainGetSchedulerParametersFlags(dom, NULL, &n, 0);

    said("returned %d, nparams %d", r, n);
}
static void sched_flags_zero_nparams(void)
{
    virTypedParameter p[4];
    int n = 0;

    int_done(virDomainGetSchedulerParametersFlags(dom, p, &n, 0));
}
static void sched_null_params(void)
{
    int n = 0;

    int_done(virDomainGetSchedulerParameters(dom, NULL, &n));
}
static void memory_params_null_params_positive(void)
{
    int n = 3;

    int_done(virDomainGetMemoryParameters(dom, NULL, &n, 0));
}
static void sched_flags_null_nparams(void)
{
    virTypedParameter p[4];

    int_done(virDomainGetSchedulerParametersFlags(dom, p, NULL, 0));
}
static void memory_params_null_nparams(void)
{
    int_done(virDomainGetMemoryParameters(dom, NULL, NULL, 0));
}
static void blkio_params_negative(void)
{
    virTypedParameter p[4];
    int n = -1;

    int_done(virDomainGetBlkioParameters(dom, p, &n, 0));
}
static int
set_device_weight(const char *value)
{
    virTypedParameter p;

    memset(&p, 0, sizeof(p));
    g_strlcpy(p.field, VIR_DOMAIN_BLKIO_DEVICE_WEIGHT, sizeof(p.field));
    p.type = VIR_TYPED_PARAM_STRING;
    p.value.s = (char *)value;
    return virDomainSetBlkioParameters(dom, &p, 1, 0);
}
static void blkio_device_weight_garbage(void) { int_done(set_device_weight("garbage")); }
static void blkio_device_weight_bad_value(void) { int_done(set_device_weight("/dev/sda,abc")); }
/* 1 MiB of well-formed pairs: stored, returned and put in every event */
static void blkio_device_weight_huge(void)
{
    GString *s = g_string_new(NULL);

    while (s->len < 1024 * 1024)
        g_string_append(s, s->len ? ",/dev/sda,10" : "/dev/sda,10");
    int_done(set_device_weight(s->str));
    g_string_free(s, TRUE);
}
static int
set_meta(const char *key, const char *uri)
{
    return virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, "<m/>", key, uri, 0);
}
static void metadata_key_empty(void) { int_done(set_meta("", "http://example.org/m")); }
static void metadata_key_space(void) { int_done(set_meta("a b", "http://example.org/m")); }
static void metadata_key_xmlns(void) { int_done(set_meta("xmlns", "http://example.org/m")); }
static void metadata_uri_empty(void) { int_done(set_meta("m", "")); }
/* a fragment that does not parse: the error points into the fragment
 * ("(metadata_xml):LINE"), not into the domain's definition */
static int
set_meta_xml(const char *fragment)
{
    return virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, fragment, "m",
                                "http://example.org/m", 0);
}
static void metadata_xml_mismatch(void) { int_done(set_meta_xml("<foo><bar></foo>")); }
static void metadata_xml_line3(void) { int_done(set_meta_xml("<a>\n<b>\n</a>")); }
static void metadata_xml_text(void) { int_done(set_meta_xml("not xml")); }
static void metadata_xml_two_roots(void) { int_done(set_meta_xml("<a/><b/>")); }
static void metadata_xml_empty(void) { int_done(set_meta_xml("")); }
static void node_cpu_stats_null(void) { int_done(virNodeGetCPUStats(rw, 0, NULL, NULL, 0)); }
static void list_domains_null_ids(void) { int_done(virConnectListDomains(rw, NULL, 5)); }
static void list_domains_negative(void)
{
    int ids[4];

    int_done(virConnectListDomains(rw, ids, -1));
}
static void set_vcpus_zero(void) { int_done(virDomainSetVcpus(dom, 0)); }
static void set_memory_zero(void) { int_done(virDomainSetMemory(dom, 0)); }
static void snapshot_create_null_xml(void) { snap_done(virDomainSnapshotCreateXML(off, NULL, 0)); }
static void snapshot_lookup_null(void) { snap_done(virDomainSnapshotLookupByName(off, NULL, 0)); }
static void save_null_path(void) { int_done(virDomainSave(dom, NULL)); }
static void restore_null_path(void) { int_done(virDomainRestore(rw, NULL)); }
static void get_version_null(void) { int_done(virGetVersion(NULL, NULL, NULL)); }
static void lib_version_null(void) { int_done(virConnectGetLibVersion(rw, NULL)); }
static void typed_params_add_null_name(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    int_done(virTypedParamsAddInt(&p, &n, &max, NULL, 1));
    virTypedParamsFree(p, n);
}
static void typed_params_set_long_field(void)
{
    virTypedParameter p;

    memset(&p, 0, sizeof(p));
    memset(p.field, 'a', sizeof(p.field));
    p.type = VIR_TYPED_PARAM_UINT;
    int_done(virDomainSetSchedulerParameters(dom, &p, 1));
}
static void typed_params_set_bad_type(void)
{
    virTypedParameter p;

    memset(&p, 0, sizeof(p));
    g_strlcpy(p.field, VIR_DOMAIN_SCHEDULER_WEIGHT, sizeof(p.field));
    p.type = 99;
    int_done(virDomainSetSchedulerParameters(dom, &p, 1));
}

static void dom_get_uuid_null(void) { int_done(virDomainGetUUID(dom, NULL)); }
static void dom_get_uuid_string_null(void) { int_done(virDomainGetUUIDString(dom, NULL)); }
static void node_cells_free_memory_null(void)
{
    int_done(virNodeGetCellsFreeMemory(rw, NULL, 0, 1));
}
static void block_info_null_disk(void)
{
    virDomainBlockInfo info;

    int_done(virDomainGetBlockInfo(dom, NULL, &info, 0));
}
static void block_info_empty_disk(void)
{
    virDomainBlockInfo info;

    int_done(virDomainGetBlockInfo(dom, "", &info, 0));
}
static void list_get_stats_null(void)
{
    virDomainStatsRecordPtr *records = NULL;
    int n = virDomainListGetStats(NULL, 0, &records, 0);

    virDomainStatsRecordListFree(records);
    int_done(n);
}
static void list_get_stats_empty(void)
{
    virDomainPtr doms[] = { NULL };
    virDomainStatsRecordPtr *records = NULL;
    int n = virDomainListGetStats(doms, 0, &records, 0);

    virDomainStatsRecordListFree(records);
    int_done(n);
}
static void close_callback_null(void)
{
    int_done(virConnectRegisterCloseCallback(rw, NULL, NULL, NULL));
}
static void
close_cb(virConnectPtr c, int reason, void *opaque)
{
    (void)c; (void)reason; (void)opaque;
}
static void close_callback_unregister_unknown(void)
{
    int_done(virConnectUnregisterCloseCallback(rw, close_cb));
}
static void stream_new_flags_unknown(void)
{
    virStreamPtr st = virStreamNew(rw, 1u << 30);

    if (st) {
        said("a stream");
        virStreamFree(st);
    }
}
static void job_info_null(void) { int_done(virDomainGetJobInfo(dom, NULL)); }
/* Against the plugin's table (host->typedParamsValidate): libvirt checks the
 * entries in the order of their names, so the first failing name decides. */
static void typed_params_set_mem_name_order(void)
{
    virTypedParameter p[2];

    memset(p, 0, sizeof(p));
    g_strlcpy(p[0].field, "zzz_unknown", sizeof(p[0].field));
    p[0].type = VIR_TYPED_PARAM_ULLONG;
    g_strlcpy(p[1].field, VIR_DOMAIN_MEMORY_HARD_LIMIT, sizeof(p[1].field));
    p[1].type = VIR_TYPED_PARAM_LLONG;
    int_done(virDomainSetMemoryParameters(dom, p, 2, 0));
}
static void typed_params_set_mem_unknown_first(void)
{
    virTypedParameter p[2];

    memset(p, 0, sizeof(p));
    g_strlcpy(p[0].field, VIR_DOMAIN_MEMORY_SOFT_LIMIT, sizeof(p[0].field));
    p[0].type = VIR_TYPED_PARAM_INT;
    g_strlcpy(p[1].field, "a_unknown", sizeof(p[1].field));
    p[1].type = VIR_TYPED_PARAM_ULLONG;
    int_done(virDomainSetMemoryParameters(dom, p, 2, 0));
}
static void set_memory_params_flags_unknown(void)
{
    virTypedParameter p;

    memset(&p, 0, sizeof(p));
    g_strlcpy(p.field, VIR_DOMAIN_MEMORY_HARD_LIMIT, sizeof(p.field));
    p.type = VIR_TYPED_PARAM_ULLONG;
    int_done(virDomainSetMemoryParameters(dom, &p, 1, 1u << 30));
}

/* Huge and out-of-range values */
static void set_memory_huge(void) { int_done(virDomainSetMemory(dom, (unsigned long)-1)); }
static void set_max_memory_running(void) { int_done(virDomainSetMaxMemory(dom, 1u << 20)); }
static void set_vcpus_huge(void) { int_done(virDomainSetVcpus(dom, 100000)); }
static void set_vcpus_flags_maximum_live(void)
{
    int_done(virDomainSetVcpusFlags(dom, 2, VIR_DOMAIN_VCPU_MAXIMUM | VIR_DOMAIN_AFFECT_LIVE));
}
static void get_vcpus_zero_maxinfo(void)
{
    virVcpuInfo info[2];

    int_done(virDomainGetVcpus(dom, info, 0, NULL, 0));
}
static void pin_vcpu_huge(void)
{
    unsigned char map[1] = { 1 };

    int_done(virDomainPinVcpu(dom, 100000, map, 1));
}
static void pin_vcpu_zero_maplen(void)
{
    unsigned char map[1] = { 1 };

    int_done(virDomainPinVcpu(dom, 0, map, 0));
}
static void cells_free_memory_negative_start(void)
{
    unsigned long long mems[2];

    int_done(virNodeGetCellsFreeMemory(rw, mems, -1, 2));
}
static void cells_free_memory_past_end(void)
{
    unsigned long long mems[2];

    int_done(virNodeGetCellsFreeMemory(rw, mems, 1000, 2));
}
static void send_key_too_many(void)
{
    unsigned int keys[40] = { 0 };

    int_done(virDomainSendKey(dom, VIR_KEYCODE_SET_LINUX, 0, keys, 40, 0));
}
static void block_resize_huge(void)
{
    int_done(virDomainBlockResize(dom, "vda", (unsigned long long)-1, 0));
}
static void lookup_id_huge(void) { dom_done(virDomainLookupByID(rw, 2147483647)); }

/* Unknown flags */
static void destroy_flags_unknown(void) { int_done(virDomainDestroyFlags(dom, 1u << 30)); }
static void get_xml_flags_unknown(void) { str_done(virDomainGetXMLDesc(dom, 1u << 30)); }
static void undefine_flags_unknown(void) { int_done(virDomainUndefineFlags(off, 1u << 30)); }
static void list_all_domains_flags_unknown(void)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(rw, &doms, 1u << 30);

    for (int i = 0; i < n; i++)
        virDomainFree(doms[i]);
    free(doms);
    int_done(n);
}
static void snapshot_create_flags_unknown(void)
{
    snap_done(virDomainSnapshotCreateXML(off, "<domainsnapshot/>", 1u << 30));
}
static void snapshot_delete_flags_unknown(void) { int_done(virDomainSnapshotDelete(snap, 1u << 30)); }

/* Mutually exclusive and dependent flags */
static void save_flags_running_paused(void)
{
    g_autofree char *path = tmp_path("never.save");

    int_done(virDomainSaveFlags(dom, path, NULL,
                                VIR_DOMAIN_SAVE_RUNNING | VIR_DOMAIN_SAVE_PAUSED));
}
static void restore_flags_running_paused(void)
{
    g_autofree char *path = tmp_path("never.save");

    int_done(virDomainRestoreFlags(rw, path, NULL,
                                   VIR_DOMAIN_SAVE_RUNNING | VIR_DOMAIN_SAVE_PAUSED));
}
static void core_dump_crash_live(void)
{
    g_autofree char *path = tmp_path("never.core");

    int_done(virDomainCoreDump(dom, path, VIR_DUMP_CRASH | VIR_DUMP_LIVE));
}
static void snapshot_create_redefine_no_metadata(void)
{
    snap_done(virDomainSnapshotCreateXML(off, "<domainsnapshot/>",
                                         VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE |
                                         VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA));
}
static void snapshot_create_current_alone(void)
{
    snap_done(virDomainSnapshotCreateXML(off, "<domainsnapshot/>",
                                         VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT));
}
static void snapshot_num_flags_unknown(void) { int_done(virDomainSnapshotNum(off, 1u << 30)); }
static void snapshot_revert_running_paused(void)
{
    int_done(virDomainRevertToSnapshot(snap, VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING |
                                             VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED));
}
static void snapshot_delete_children_both(void)
{
    int_done(virDomainSnapshotDelete(snap, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                                           VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY));
}
static void snapshot_list_names_null(void) { int_done(virDomainSnapshotListNames(off, NULL, 5, 0)); }
static void snapshot_list_names_negative(void)
{
    char *names[2];

    int_done(virDomainSnapshotListNames(off, names, -1, 0));
}
static void set_vcpus_live_config_guest(void)
{
    int_done(virDomainSetVcpusFlags(dom, 1, VIR_DOMAIN_VCPU_LIVE | VIR_DOMAIN_VCPU_CONFIG |
                                            VIR_DOMAIN_VCPU_GUEST));
}

/* Missing objects */
static void lookup_name_missing(void) { dom_done(virDomainLookupByName(rw, "no-such-domain")); }
static void lookup_id_missing(void) { dom_done(virDomainLookupByID(rw, 9999)); }
static void lookup_uuid_missing(void)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    memset(uuid, 0x42, sizeof(uuid));
    dom_done(virDomainLookupByUUID(rw, uuid));
}
static void lookup_uuidstr_missing(void)
{
    dom_done(virDomainLookupByUUIDString(rw, "a1b2c3d4-0000-4000-8000-000000000000"));
}
static void snapshot_lookup_missing(void) { snap_done(virDomainSnapshotLookupByName(off, "nope", 0)); }
static void snapshot_current_none(void) { snap_done(virDomainSnapshotCurrent(dom, 0)); }
static void snapshot_parent_of_root(void) { snap_done(virDomainSnapshotGetParent(snap, 0)); }
static void snapshot_exists(void)
{
    snap_done(virDomainSnapshotCreateXML(off, "<domainsnapshot><name>s1</name></domainsnapshot>",
                                         0));
}
static void pool_lookup_missing(void)
{
    virStoragePoolPtr p = virStoragePoolLookupByName(rw, "no-such-pool");

    if (p)
        virStoragePoolFree(p);
}
static void vol_lookup_path_missing(void)
{
    virStorageVolPtr v = virStorageVolLookupByPath(rw, "/no/such/volume");

    if (v)
        virStorageVolFree(v);
}
static void create_xml_existing_name(void)
{
    g_autofree char *xml = g_strdup_printf(good_domain, "test");

    dom_done(virDomainCreateXML(rw, xml, 0));
}
static void define_xml_existing_other_uuid(void)
{
    dom_done(virDomainDefineXML(rw,
        "<domain type='test'><name>test</name>"
        "<uuid>11111111-2222-3333-4444-555555555555</uuid>"
        "<memory>131072</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>"));
}

static void block_resize_unknown_disk(void) { int_done(virDomainBlockResize(dom, "nosuch", 1, 0)); }
static void block_info_unknown_disk(void)
{
    virDomainBlockInfo info;

    int_done(virDomainGetBlockInfo(dom, "nosuch", &info, 0));
}
static void block_stats_unknown_disk(void)
{
    virDomainBlockStatsStruct st;

    int_done(virDomainBlockStats(dom, "nosuch", &st, sizeof(st)));
}
static void block_peek_offset_2p63(void)
{
    char buf[16];

    int_done(virDomainBlockPeek(dom, "vda", 1ULL << 63, sizeof(buf), buf, 0));
}
/* libvirt's wrapper answers 0 without asking the driver: nothing asked */
static void memory_stats_null(void) { int_done(virDomainMemoryStats(dom, NULL, 4, 0)); }

/* Wrong state */
static void resume_running(void) { int_done(virDomainResume(dom)); }
static void create_running(void) { int_done(virDomainCreate(dom)); }
static void destroy_inactive(void) { int_done(virDomainDestroy(off)); }
static void suspend_inactive(void) { int_done(virDomainSuspend(off)); }
static void shutdown_inactive(void) { int_done(virDomainShutdown(off)); }
static void managed_save_inactive(void) { int_done(virDomainManagedSave(off, 0)); }

/* Read-only connections, every family */
static void ro_domain_suspend(void) { int_done(virDomainSuspend(rodom)); }
static void ro_domain_set_autostart(void) { int_done(virDomainSetAutostart(rodom, 1)); }
static void ro_domain_define(void)
{
    g_autofree char *xml = g_strdup_printf(good_domain, "misuse-ro");

    dom_done(virDomainDefineXML(ro, xml));
}
static void ro_domain_restore(void)
{
    g_autofree char *path = tmp_path("never.save");

    int_done(virDomainRestore(ro, path));
}
static void ro_save_image_get_xml(void)
{
    g_autofree char *path = tmp_path("never.save");

    str_done(virDomainSaveImageGetXMLDesc(ro, path, 0));
}
static void ro_get_xml_secure(void) { str_done(virDomainGetXMLDesc(rodom, VIR_DOMAIN_XML_SECURE)); }
static void ro_get_xml_migratable(void)
{
    str_done(virDomainGetXMLDesc(rodom, VIR_DOMAIN_XML_MIGRATABLE));
}
static void ro_managed_save_get_xml_secure(void)
{
    str_done(virDomainManagedSaveGetXMLDesc(rodom, VIR_DOMAIN_SAVE_IMAGE_XML_SECURE));
}
static void ro_snapshot_get_xml_secure(void)
{
    str_done(virDomainSnapshotGetXMLDesc(rosnap, VIR_DOMAIN_SNAPSHOT_XML_SECURE));
}
static void ro_get_vcpus_guest(void) { int_done(virDomainGetVcpusFlags(rodom, VIR_DOMAIN_VCPU_GUEST)); }
static void ro_interface_addresses_agent(void)
{
    virDomainInterfacePtr *ifaces = NULL;
    int n = virDomainInterfaceAddresses(rodom, &ifaces, VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT, 0);

    for (int i = 0; i < n; i++)
        virDomainInterfaceFree(ifaces[i]);
    free(ifaces);
    int_done(n);
}
static void ro_domain_capabilities(void)
{
    str_done(virConnectGetDomainCapabilities(ro, NULL, NULL, NULL, NULL, 0));
}
static void ro_get_hostname(void) { str_done(virDomainGetHostname(rodom, 0)); }
static void ro_get_time(void)
{
    long long secs;
    unsigned int nsecs;

    int_done(virDomainGetTime(rodom, &secs, &nsecs, 0));
}
static void ro_destroy(void) { int_done(virDomainDestroy(rodom)); }
static void ro_undefine(void) { int_done(virDomainUndefine(rooff)); }
static void ro_block_resize(void) { int_done(virDomainBlockResize(rodom, "vda", 1, 0)); }
static void ro_core_dump(void)
{
    g_autofree char *path = tmp_path("never.core");

    int_done(virDomainCoreDump(rodom, path, 0));
}
static void ro_get_fs_info(void)
{
    virDomainFSInfoPtr *info = NULL;
    int n = virDomainGetFSInfo(rodom, &info, 0);

    for (int i = 0; i < n; i++)
        virDomainFSInfoFree(info[i]);
    free(info);
    int_done(n);
}
static void ro_node_suspend(void)
{
    int_done(virNodeSuspendForDuration(ro, VIR_NODE_SUSPEND_TARGET_MEM, 60, 0));
}
static void ro_node_set_memory_params(void)
{
    virTypedParameter p;

    memset(&p, 0, sizeof(p));
    g_strlcpy(p.field, VIR_NODE_MEMORY_SHARED_PAGES_TO_SCAN, sizeof(p.field));
    p.type = VIR_TYPED_PARAM_UINT;
    p.value.ui = 100;
    int_done(virNodeSetMemoryParameters(ro, &p, 1, 0));
}
static void ro_snapshot_create(void)
{
    snap_done(virDomainSnapshotCreateXML(rooff, "<domainsnapshot/>", 0));
}
static void ro_snapshot_revert(void) { int_done(virDomainRevertToSnapshot(rosnap, 0)); }
static void ro_snapshot_delete(void) { int_done(virDomainSnapshotDelete(rosnap, 0)); }
static void ro_pool_define(void)
{
    virStoragePoolPtr p = virStoragePoolDefineXML(ro, "<pool type='dir'><name>x</name>"
                                                      "<target><path>/x</path></target></pool>", 0);

    if (p)
        virStoragePoolFree(p);
}
static void ro_pool_create_xml(void)
{
    virStoragePoolPtr p = virStoragePoolCreateXML(ro, "<pool type='dir'><name>x</name>"
                                                      "<target><path>/x</path></target></pool>", 0);

    if (p)
        virStoragePoolFree(p);
}

/* Bad XML */
static void define_not_xml(void) { dom_done(virDomainDefineXML(rw, "this is not XML")); }
static void define_empty(void) { dom_done(virDomainDefineXML(rw, "")); }
static void define_wrong_root(void) { dom_done(virDomainDefineXML(rw, "<pool type='dir'/>")); }
/* Accepted before virtkit checked them; refused by libvirt 9.0 */
#define MISUSE_DOM(name, vcpu, body) \
    "<domain type='test'><name>" name "</name><memory>131072</memory>" vcpu \
    "<os><type>hvm</type></os>" body "</domain>"
static void define_name_newline(void)
{
    dom_done(virDomainDefineXML(rw, MISUSE_DOM("two\nlines", "<vcpu>1</vcpu>", "")));
}
static void define_cpu_vendor_without_model(void)
{
    dom_done(virDomainDefineXML(rw, MISUSE_DOM("vendor", "<vcpu>1</vcpu>",
                                               "<cpu mode='host-model'><model fallback='forbid'/>"
                                               "<vendor>Intel</vendor></cpu>")));
}
/* resctrl groups and scheduler sets, as libvirt 9.0 checks them */
#define MISUSE_CACHE "<cache id='0' level='3' type='both' size='3' unit='MiB'/>"
#define MISUSE_TUNE(body) MISUSE_DOM("tune", "<vcpu>8</vcpu>", "<cputune>" body "</cputune>")
static void define_cachetune_overlap(void)
{
    dom_done(virDomainDefineXML(rw, MISUSE_TUNE("<cachetune vcpus='0-3'>" MISUSE_CACHE
                                                "</cachetune><cachetune vcpus='3-4'>"
                                                MISUSE_CACHE "</cachetune>")));
}
static void define_cachetune_identical(void)
{
    dom_done(virDomainDefineXML(rw, MISUSE_TUNE("<cachetune vcpus='0-3'>" MISUSE_CACHE
                                                "</cachetune><cachetune vcpus='3,0-2'>"
                                                MISUSE_CACHE "</cachetune>")));
}
static void define_cachetune_no_vcpus(void)
{
    dom_done(virDomainDefineXML(rw, MISUSE_TUNE("<cachetune>" MISUSE_CACHE "</cachetune>")));
}
static void define_cachetune_bad_vcpus(void)
{
    dom_done(virDomainDefineXML(rw, MISUSE_TUNE("<cachetune vcpus='abc'>" MISUSE_CACHE
                                                "</cachetune>")));
}
static void define_cachetune_colliding(void)
{
    dom_done(virDomainDefineXML(rw, MISUSE_TUNE("<cachetune vcpus='0-3'>" MISUSE_CACHE
                                                MISUSE_CACHE "</cachetune>")));
}
static void define_memorytune_overlap(void)
{
    dom_done(virDomainDefineXML(rw, MISUSE_TUNE("<cachetune vcpus='0-3'>" MISUSE_CACHE
                                                "</cachetune><memorytune vcpus='2-5'>"
                                                "<node id='0' bandwidth='20'/></memorytune>")));
}
static void define_memorytune_node_twice(void)
{
    dom_done(virDomainDefineXML(rw, MISUSE_TUNE("<memorytune vcpus='0-3'><node id='0' "
                                                "bandwidth='20'/></memorytune><memorytune "
                                                "vcpus='0-3'><node id='0' bandwidth='30'/>"
                                                "</memorytune>")));
}
static void define_memorytune_no_vcpus(void)
{
    dom_done(virDomainDefineXML(rw, MISUSE_TUNE("<memorytune><node id='0' bandwidth='20'/>"
                                                "</memorytune>")));
}
static void define_vcpusched_empty(void)
{
    dom_done(virDomainDefineXML(rw, MISUSE_TUNE("<vcpusched vcpus='0,^0' scheduler='fifo' "
                                                "priority='1'/>")));
}
static void define_memory_zero(void)
{
    dom_done(virDomainDefineXML(rw, "<domain type='test'><name>m0</name><memory>0</memory>"
                                    "<vcpu>1</vcpu><os><type>hvm</type></os></domain>"));
}
static void define_duplicate_target(void)
{
    dom_done(virDomainDefineXML(rw, MISUSE_DOM("dup", "<vcpu>1</vcpu>",
        "<devices><disk type='file' device='disk'><source file='/a'/><target dev='vda'/></disk>"
        "<disk type='file' device='disk'><source file='/b'/><target dev='vda'/></disk>"
        "</devices>")));
}
static void define_disk_no_source(void)
{
    dom_done(virDomainDefineXML(rw, MISUSE_DOM("nosrc", "<vcpu>1</vcpu>",
        "<devices><disk type='file' device='disk'><target dev='vda'/></disk></devices>")));
}
static void define_cpuset_empty(void)
{
    dom_done(virDomainDefineXML(rw, MISUSE_DOM("cs", "<vcpu cpuset='0,^0'>1</vcpu>", "")));
}
static void define_nodeset_empty(void)
{
    dom_done(virDomainDefineXML(rw, MISUSE_DOM("ns", "<vcpu>1</vcpu>",
        "<numatune><memory mode='strict' nodeset='0,^0'/></numatune>")));
}
static void define_no_name(void)
{
    dom_done(virDomainDefineXML(rw, "<domain type='test'><memory>131072</memory>"
                                    "<os><type>hvm</type></os></domain>"));
}
static void define_bad_uuid(void)
{
    dom_done(virDomainDefineXML(rw, "<domain type='test'><name>misuse-uuid</name>"
                                    "<uuid>zzz</uuid><memory>131072</memory>"
                                    "<os><type>hvm</type></os></domain>"));
}
static void define_huge_memory(void)
{
    dom_done(virDomainDefineXML(rw, "<domain type='test'><name>misuse-huge</name>"
                                    "<memory>99999999999999999999999</memory>"
                                    "<os><type>hvm</type></os></domain>"));
}
static void define_bad_type(void)
{
    dom_done(virDomainDefineXML(rw, "<domain type='nosuch'><name>misuse-type</name>"
                                    "<memory>131072</memory><os><type>hvm</type></os></domain>"));
}
static void define_unclosed(void)
{
    dom_done(virDomainDefineXML(rw, "<domain type='test'><name>misuse-open</name>"));
}
static void snapshot_create_not_xml(void)
{
    snap_done(virDomainSnapshotCreateXML(off, "not xml", 0));
}
/* snapshot values libvirt refuses from its XML layer or its snapshot model */
static void snapshot_create_memory_mode_bad(void)
{
    snap_done(virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>m1</name><memory "
                                              "snapshot='bogus'/></domainsnapshot>", 0));
}
static void snapshot_create_disk_mode_bad(void)
{
    snap_done(virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>m2</name><disks><disk "
                                              "name='vda' snapshot='xx'/></disks>"
                                              "</domainsnapshot>", 0));
}
static void snapshot_create_memory_file_internal(void)
{
    snap_done(virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>m3</name><memory "
                                              "snapshot='no' file='/m'/></domainsnapshot>", 0));
}
static void snapshot_redefine_state_bad(void)
{
    snap_done(virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>m4</name><state>bogus"
                                              "</state><creationTime>1</creationTime><domain "
                                              "type='test'><name>test</name><memory>1024"
                                              "</memory><os><type>hvm</type></os></domain>"
                                              "</domainsnapshot>",
                                         VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE));
}
static void snapshot_create_wrong_root(void)
{
    snap_done(virDomainSnapshotCreateXML(off, "<domain/>", 0));
}

/* Bad URIs (no network: every one fails before any connection is tried) */
static void open_nonsense_uri(void)
{
    virConnectPtr c = virConnectOpen("::::");

    if (c)
        virConnectClose(c);
}
static void open_unknown_scheme(void)
{
    virConnectPtr c = virConnectOpen("nosuchhv:///system");

    if (c)
        virConnectClose(c);
}
static void open_test_missing_file(void)
{
    virConnectPtr c = virConnectOpen("test:///no/such/file.xml");

    if (c)
        virConnectClose(c);
}
static void open_test_relative_path(void)
{
    virConnectPtr c = virConnectOpen("test:///relative");

    if (c)
        virConnectClose(c);
}

/* Bad, missing and foreign save images */
static void restore_missing_file(void)
{
    g_autofree char *path = tmp_path("missing.save");

    int_done(virDomainRestore(rw, path));
}
static void restore_foreign_file(void)
{
    g_autofree char *path = tmp_path("foreign.save");

    int_done(virDomainRestore(rw, path));
}
static void restore_empty_file(void)
{
    g_autofree char *path = tmp_path("empty.save");

    int_done(virDomainRestore(rw, path));
}
static void restore_directory(void) { int_done(virDomainRestore(rw, tmpdir)); }
static void save_image_get_xml_missing(void)
{
    g_autofree char *path = tmp_path("missing.save");

    str_done(virDomainSaveImageGetXMLDesc(rw, path, 0));
}
static void save_image_get_xml_foreign(void)
{
    g_autofree char *path = tmp_path("foreign.save");

    str_done(virDomainSaveImageGetXMLDesc(rw, path, 0));
}
static void save_image_define_missing(void)
{
    g_autofree char *path = tmp_path("missing.save");
    g_autofree char *xml = g_strdup_printf(good_domain, "misuse-image");

    int_done(virDomainSaveImageDefineXML(rw, path, xml, 0));
}
static void save_to_missing_dir(void)
{
    g_autofree char *path = tmp_path("no-such-dir/x.save");

    int_done(virDomainSave(off, path));
}
/* Relative paths and "": libvirt's wrappers make them absolute against the
 * caller's working directory (here the scratch directory), so the error
 * names the absolute path, and "" is that directory itself. */
static char *
in_tmpdir(void)
{
    char *was = g_get_current_dir();

    if (chdir(tmpdir) < 0)
        g_error("chdir %s: %s", tmpdir, g_strerror(errno));
    return was;
}
static void
back(char *was)
{
    if (chdir(was) < 0)
        g_error("chdir %s: %s", was, g_strerror(errno));
    g_free(was);
}
static void save_empty_path(void)
{
    char *was = in_tmpdir();

    int_done(virDomainSave(dom, ""));
    back(was);
}
static void save_relative_missing_dir(void)
{
    char *was = in_tmpdir();

    int_done(virDomainSave(dom, "no-such-dir/x.save"));
    back(was);
}
static void restore_relative_missing(void)
{
    char *was = in_tmpdir();

    int_done(virDomainRestore(rw, "missing.save"));
    back(was);
}
static void save_image_get_xml_relative_missing(void)
{
    char *was = in_tmpdir();

    str_done(virDomainSaveImageGetXMLDesc(rw, "missing.save", 0));
    back(was);
}
static void save_image_define_relative_missing(void)
{
    char *was = in_tmpdir();
    g_autofree char *xml = g_strdup_printf(good_domain, "misuse-image");

    int_done(virDomainSaveImageDefineXML(rw, "missing.save", xml, 0));
    back(was);
}

/* Events */
/* Registered and removed again before any event can fire. */
static void
event_cb(virConnectPtr c, virDomainPtr d, void *opaque)
{
    (void)c; (void)d; (void)opaque;
}

/* Must run before anything else registers a callback: the ids a fresh
 * connection's first two registrations get. */
static void event_first_callback_ids(void)
{
    int a = virConnectDomainEventRegisterAny(rw, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                             event_cb, NULL, NULL);
    int b = virConnectDomainEventRegisterAny(rw, NULL, VIR_DOMAIN_EVENT_ID_REBOOT,
                                             event_cb, NULL, NULL);

    said("ids %d and %d", a, b);
    if (a >= 0)
        virConnectDomainEventDeregisterAny(rw, a);
    if (b >= 0)
        virConnectDomainEventDeregisterAny(rw, b);
}
static void event_register_null_cb(void)
{
    int_done(virConnectDomainEventRegisterAny(rw, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                              NULL, NULL, NULL));
}
static void event_register_bad_id(void)
{
    int_done(virConnectDomainEventRegisterAny(rw, NULL, 9999,
                                              event_cb, NULL, NULL));
}
static void event_register_foreign_domain(void)
{
    int id = virConnectDomainEventRegisterAny(rw, rodom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                              event_cb, NULL, NULL);

    if (id >= 0)
        virConnectDomainEventDeregisterAny(rw, id);
    int_done(id);
}
static void event_deregister_unknown(void) { int_done(virConnectDomainEventDeregisterAny(rw, 9999)); }
static void event_deregister_negative(void) { int_done(virConnectDomainEventDeregisterAny(rw, -1)); }
static void event_deregister_never_registered(void)
{
    int_done(virConnectDomainEventDeregister(rw, NULL));
}

/* ---------------------------------------------------------------- table */

#define CASE(fn) { #fn, fn }

static const struct {
    const char *name;
    void (*run)(void);
} cases[] = {
    CASE(event_first_callback_ids),
    CASE(conn_null_get_capabilities),
    CASE(conn_null_num_of_domains),
    CASE(conn_null_lookup_by_name),
    CASE(conn_null_define_xml),
    CASE(conn_null_pool_lookup),
    CASE(conn_null_node_info),
    CASE(conn_null_close),
    CASE(conn_null_ref),
    CASE(conn_null_get_uri),
    CASE(conn_null_stream_new),
    CASE(conn_null_pool_lookup_uuidstr),
    CASE(conn_null_domain_event_register),
    CASE(conn_null_get_type),
    CASE(dom_null_suspend),
    CASE(dom_null_get_info),
    CASE(dom_null_get_name),
    CASE(dom_null_free),
    CASE(snap_null_get_xml),
    CASE(snap_null_revert),
    CASE(snap_null_get_name),
    CASE(pool_null_get_info),
    CASE(vol_null_get_info),
    CASE(stream_null_send),
    CASE(conn_zeroed_get_type),
    CASE(conn_wrong_type_num_of_domains),
    CASE(dom_zeroed_get_info),
    CASE(dom_wrong_type_suspend),
    CASE(snap_wrong_type_get_xml),
    CASE(snap_zeroed_get_name),
    CASE(stream_wrong_type_abort),
    CASE(pool_zeroed_get_name),
    CASE(lookup_name_null),
    CASE(lookup_uuid_null),
    CASE(lookup_uuidstr_null),
    CASE(lookup_uuidstr_bad),
    CASE(lookup_id_negative),
    CASE(define_xml_null),
    CASE(create_xml_null),
    CASE(get_info_null),
    CASE(get_state_null),
    CASE(sched_flags_null_params),
    CASE(sched_flags_zero_nparams),
    CASE(sched_null_params),
    CASE(memory_params_null_params_positive),
    CASE(sched_flags_null_nparams),
    CASE(memory_params_null_nparams),
    CASE(blkio_params_negative),
    CASE(blkio_device_weight_garbage),
    CASE(blkio_device_weight_bad_value),
    CASE(blkio_device_weight_huge),
    CASE(metadata_key_empty),
    CASE(metadata_key_space),
    CASE(metadata_key_xmlns),
    CASE(metadata_uri_empty),
    CASE(metadata_xml_mismatch),
    CASE(metadata_xml_line3),
    CASE(metadata_xml_text),
    CASE(metadata_xml_two_roots),
    CASE(metadata_xml_empty),
    CASE(node_cpu_stats_null),
    CASE(list_domains_null_ids),
    CASE(list_domains_negative),
    CASE(set_vcpus_zero),
    CASE(set_memory_zero),
    CASE(snapshot_create_null_xml),
    CASE(snapshot_lookup_null),
    CASE(save_null_path),
    CASE(restore_null_path),
    CASE(get_version_null),
    CASE(lib_version_null),
    CASE(dom_get_uuid_null),
    CASE(dom_get_uuid_string_null),
    CASE(node_cells_free_memory_null),
    CASE(block_info_null_disk),
    CASE(block_info_empty_disk),
    CASE(list_get_stats_null),
    CASE(list_get_stats_empty),
    CASE(close_callback_null),
    CASE(close_callback_unregister_unknown),
    CASE(stream_new_flags_unknown),
    CASE(job_info_null),
    CASE(typed_params_add_null_name),
    CASE(typed_params_set_long_field),
    CASE(typed_params_set_bad_type),
    CASE(typed_params_set_mem_name_order),
    CASE(typed_params_set_mem_unknown_first),
    CASE(set_memory_params_flags_unknown),
    CASE(set_memory_huge),
    CASE(set_max_memory_running),
    CASE(set_vcpus_huge),
    CASE(set_vcpus_flags_maximum_live),
    CASE(get_vcpus_zero_maxinfo),
    CASE(pin_vcpu_huge),
    CASE(pin_vcpu_zero_maplen),
    CASE(cells_free_memory_negative_start),
    CASE(cells_free_memory_past_end),
    CASE(send_key_too_many),
    CASE(block_resize_huge),
    CASE(lookup_id_huge),
    CASE(destroy_flags_unknown),
    CASE(get_xml_flags_unknown),
    CASE(undefine_flags_unknown),
    CASE(list_all_domains_flags_unknown),
    CASE(snapshot_create_flags_unknown),
    CASE(snapshot_delete_flags_unknown),
    CASE(save_flags_running_paused),
    CASE(restore_flags_running_paused),
    CASE(core_dump_crash_live),
    CASE(snapshot_create_redefine_no_metadata),
    CASE(snapshot_create_current_alone),
    CASE(snapshot_num_flags_unknown),
    CASE(snapshot_revert_running_paused),
    CASE(snapshot_delete_children_both),
    CASE(snapshot_list_names_null),
    CASE(snapshot_list_names_negative),
    CASE(set_vcpus_live_config_guest),
    CASE(lookup_name_missing),
    CASE(lookup_id_missing),
    CASE(lookup_uuid_missing),
    CASE(lookup_uuidstr_missing),
    CASE(snapshot_lookup_missing),
    CASE(snapshot_current_none),
    CASE(snapshot_parent_of_root),
    CASE(snapshot_exists),
    CASE(pool_lookup_missing),
    CASE(vol_lookup_path_missing),
    CASE(create_xml_existing_name),
    CASE(define_xml_existing_other_uuid),
    CASE(block_resize_unknown_disk),
    CASE(block_info_unknown_disk),
    CASE(block_stats_unknown_disk),
    CASE(block_peek_offset_2p63),
    CASE(memory_stats_null),
    CASE(resume_running),
    CASE(create_running),
    CASE(destroy_inactive),
    CASE(suspend_inactive),
    CASE(shutdown_inactive),
    CASE(managed_save_inactive),
    CASE(ro_domain_suspend),
    CASE(ro_domain_set_autostart),
    CASE(ro_domain_define),
    CASE(ro_domain_restore),
    CASE(ro_save_image_get_xml),
    CASE(ro_get_xml_secure),
    CASE(ro_get_xml_migratable),
    CASE(ro_managed_save_get_xml_secure),
    CASE(ro_snapshot_get_xml_secure),
    CASE(ro_get_vcpus_guest),
    CASE(ro_interface_addresses_agent),
    CASE(ro_domain_capabilities),
    CASE(ro_get_hostname),
    CASE(ro_get_time),
    CASE(ro_destroy),
    CASE(ro_undefine),
    CASE(ro_block_resize),
    CASE(ro_core_dump),
    CASE(ro_get_fs_info),
    CASE(ro_node_suspend),
    CASE(ro_node_set_memory_params),
    CASE(ro_snapshot_create),
    CASE(ro_snapshot_revert),
    CASE(ro_snapshot_delete),
    CASE(ro_pool_define),
    CASE(ro_pool_create_xml),
    CASE(define_not_xml),
    CASE(define_empty),
    CASE(define_wrong_root),
    CASE(define_no_name),
    CASE(define_name_newline),
    CASE(define_cpu_vendor_without_model),
    CASE(define_cachetune_overlap),
    CASE(define_cachetune_identical),
    CASE(define_cachetune_no_vcpus),
    CASE(define_cachetune_bad_vcpus),
    CASE(define_cachetune_colliding),
    CASE(define_memorytune_overlap),
    CASE(define_memorytune_node_twice),
    CASE(define_memorytune_no_vcpus),
    CASE(define_vcpusched_empty),
    CASE(define_memory_zero),
    CASE(define_duplicate_target),
    CASE(define_disk_no_source),
    CASE(define_cpuset_empty),
    CASE(define_nodeset_empty),
    CASE(define_bad_uuid),
    CASE(define_huge_memory),
    CASE(define_bad_type),
    CASE(define_unclosed),
    CASE(snapshot_create_not_xml),
    CASE(snapshot_create_wrong_root),
    CASE(snapshot_create_memory_mode_bad),
    CASE(snapshot_create_disk_mode_bad),
    CASE(snapshot_create_memory_file_internal),
    CASE(snapshot_redefine_state_bad),
    CASE(open_nonsense_uri),
    CASE(open_unknown_scheme),
    CASE(open_test_missing_file),
    CASE(open_test_relative_path),
    CASE(restore_missing_file),
    CASE(restore_foreign_file),
    CASE(restore_empty_file),
    CASE(restore_directory),
    CASE(save_empty_path),
    CASE(save_relative_missing_dir),
    CASE(restore_relative_missing),
    CASE(save_image_get_xml_relative_missing),
    CASE(save_image_define_relative_missing),
    CASE(save_image_get_xml_missing),
    CASE(save_image_get_xml_foreign),
    CASE(save_image_define_missing),
    CASE(save_to_missing_dir),
    CASE(event_register_null_cb),
    CASE(event_register_bad_id),
    CASE(event_register_foreign_domain),
    CASE(event_deregister_unknown),
    CASE(event_deregister_negative),
    CASE(event_deregister_never_registered),
};

/* ---------------------------------------------------------------- runner */

static void
quiet(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
}

/* One field of the output line: no '|' or newline inside, the scratch
 * directory as $TMP. */
static char *
field(const char *text)
{
    g_auto(GStrv) parts = g_strsplit(text ? text : "", tmpdir, -1);
    g_autofree char *joined = g_strjoinv("$TMP", parts);

    g_strdelimit(joined, "|\n", ' ');
    return g_steal_pointer(&joined);
}

static void
setup(void)
{
    g_autofree char *xml = g_strdup_printf(good_domain, "misuse-off");
    g_autofree char *foreign = tmp_path("foreign.save");
    g_autofree char *empty = tmp_path("empty.save");
    g_autoptr(GError) err = NULL;

    if (!(rw = virConnectOpen("test:///default")) ||
        !(ro = virConnectOpenReadOnly("test:///default")) ||
        !(dom = virDomainLookupByName(rw, "test")) ||
        !(rodom = virDomainLookupByName(ro, "test")) ||
        !(off = virDomainDefineXML(rw, xml)) ||
        !(snap = virDomainSnapshotCreateXML(off, "<domainsnapshot><name>s1</name>"
                                                 "</domainsnapshot>", 0)) ||
        !(rooff = virDomainLookupByName(ro, "misuse-off")) ||
        !(rosnap = virDomainSnapshotLookupByName(rooff, "s1", 0))) {
        g_printerr("misuse: setup failed: %s\n", virGetLastErrorMessage());
        exit(2);
    }
    /* No current snapshot on "test": the one made above is misuse-off's. */
    if (!g_file_set_contents(foreign, "This is not a save image.\n", -1, &err) ||
        !g_file_set_contents(empty, "", 0, &err)) {
        g_printerr("misuse: setup failed: %s\n", err->message);
        exit(2);
    }
}

int
main(int argc, char **argv)
{
    g_autoptr(GError) err = NULL;
    const char *only = argc > 1 ? argv[1] : NULL;

    if (!(tmpdir = g_dir_make_tmp("misuse-XXXXXX", &err))) {
        g_printerr("misuse: %s\n", err->message);
        return 2;
    }
    virSetErrorFunc(NULL, quiet);
    /* Stock libvirt registers no domain event callback without an event
     * loop implementation; none is run, as nothing here waits for events. */
    if (virEventRegisterDefaultImpl() < 0) {
        g_printerr("misuse: virEventRegisterDefaultImpl: %s\n", virGetLastErrorMessage());
        return 2;
    }
    setup();

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        virErrorPtr e;

        if (only && strcmp(only, cases[i].name) != 0)
            continue;
        g_clear_pointer(&detail, g_free);
        virResetLastError();
        cases[i].run();
        e = virGetLastError();
        if (e) {
            g_autofree char *msg = field(e->message);

            printf("%s|%d|%d|%d|%s\n", cases[i].name, e->code, e->domain, e->level, msg);
        } else {
            g_autofree char *what = field(detail);

            printf("%s|OK|%s\n", cases[i].name, what);
        }
        fflush(stdout);
    }

    /* Leave test:///default as we found it for anything sharing the process. */
    virDomainSnapshotFree(rosnap);
    virDomainSnapshotDelete(snap, 0);
    virDomainSnapshotFree(snap);
    virDomainUndefineFlags(off, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA);
    virDomainFree(off);
    virDomainFree(rooff);
    virDomainFree(rodom);
    virDomainFree(dom);
    virConnectClose(ro);
    virConnectClose(rw);
    {
        g_autofree char *foreign = tmp_path("foreign.save");
        g_autofree char *empty = tmp_path("empty.save");

        g_unlink(foreign);
        g_unlink(empty);
        g_rmdir(tmpdir);
    }
    g_free(tmpdir);
    g_free(detail);
    return 0;
}
