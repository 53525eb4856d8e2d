/*
 * test-domain.c: the test plugin's tunables (scheduler, memory, blkio),
 * block calls (disks named by target or source path), devices, metadata
 * and statistics, through the public API.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tp-util.h"

#include <glib/gstdio.h>

static virTypedParameter
uint_param(const char *field, unsigned int v)
{
    virTypedParameter p = { .type = VIR_TYPED_PARAM_UINT };
    g_strlcpy(p.field, field, sizeof(p.field));
    p.value.ui = v;
    return p;
}

static void
test_scheduler(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virTypedParameter p[4];
    int n = 4;
    g_autofree char *type = virDomainGetSchedulerType(dom, &n);

    g_assert_cmpstr(type, ==, "fair");
    g_assert_cmpint(n, ==, 1);
    n = 4;
    g_assert_cmpint(virDomainGetSchedulerParameters(dom, p, &n), ==, 0);
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpstr(p[0].field, ==, "weight");
    g_assert_cmpint(p[0].type, ==, VIR_TYPED_PARAM_UINT);
    g_assert_cmpuint(p[0].value.ui, ==, 50);
    /* stored, as qemu stores cpu shares (libvirt's test driver does not) */
    p[0] = uint_param("weight", 100);
    g_assert_cmpint(virDomainSetSchedulerParameters(dom, p, 1), ==, 0);
    n = 4;
    g_assert_cmpint(virDomainGetSchedulerParametersFlags(dom, p, &n, VIR_DOMAIN_AFFECT_LIVE), ==, 0);
    g_assert_cmpuint(p[0].value.ui, ==, 100);
    p[0].type = VIR_TYPED_PARAM_INT;
    g_assert_cmpint(virDomainSetSchedulerParameters(dom, p, 1), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "invalid type 'int' for parameter 'weight', expected 'uint'");
    p[0] = uint_param("cap", 1);
    g_assert_cmpint(virDomainSetSchedulerParametersFlags(dom, p, 1, 0), ==, -1);
    tp_assert_error(VIR_ERR_ARGUMENT_UNSUPPORTED, "parameter 'cap' not supported");
    p[0] = uint_param("weight", 1);
    g_assert_cmpint(virDomainSetSchedulerParameters(dom, p, 1), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "out of range");
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
test_memory_params(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virTypedParameter p[4];
    int n = 0;
    unsigned long long v;

    g_assert_cmpint(virDomainGetMemoryParameters(dom, NULL, &n, 0), ==, 0);
    g_assert_cmpint(n, ==, 3);
    g_assert_cmpint(virDomainGetMemoryParameters(dom, p, &n, 0), ==, 0);
    g_assert_cmpint(virTypedParamsGetULLong(p, n, "hard_limit", &v), ==, 1);
    g_assert_cmpuint(v, ==, VIR_DOMAIN_MEMORY_PARAM_UNLIMITED);
    memset(p, 0, sizeof(p));
    g_strlcpy(p[0].field, "hard_limit", sizeof(p[0].field));
    p[0].type = VIR_TYPED_PARAM_ULLONG;
    p[0].value.ul = 1000000;
    g_assert_cmpint(virDomainSetMemoryParameters(dom, p, 1, 0), ==, 0);
    n = 3;
    g_assert_cmpint(virDomainGetMemoryParameters(dom, p, &n, 0), ==, 0);
    g_assert_cmpint(virTypedParamsGetULLong(p, n, "hard_limit", &v), ==, 1);
    g_assert_cmpuint(v, ==, 1000000);
    /* a too small nparams gets that many, no error */
    n = 1;
    g_assert_cmpint(virDomainGetMemoryParameters(dom, p, &n, 0), ==, 0);
    g_assert_cmpint(n, ==, 1);
    memset(p, 0, sizeof(p));
    g_strlcpy(p[0].field, "swap_hard_limit", sizeof(p[0].field));
    p[0].type = VIR_TYPED_PARAM_ULLONG;
    p[0].value.ul = 10;
    g_assert_cmpint(virDomainSetMemoryParameters(dom, p, 1, 0), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "swap_hard_limit");
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
test_blkio(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virTypedParameterPtr set = NULL;
    int nset = 0, maxset = 0, n = 0;
    virTypedParameter p[8];
    const char *s = NULL;
    unsigned int w = 0;

    g_assert_cmpint(virDomainGetBlkioParameters(dom, NULL, &n, VIR_TYPED_PARAM_STRING_OKAY), ==, 0);
    g_assert_cmpint(n, ==, 6);
    g_assert_cmpint(virTypedParamsAddUInt(&set, &nset, &maxset, "weight", 500), ==, 0);
    g_assert_cmpint(virTypedParamsAddString(&set, &nset, &maxset, "device_weight",
                                            "/dev/sda,300"), ==, 0);
    g_assert_cmpint(virDomainSetBlkioParameters(dom, set, nset, 0), ==, 0);
    n = 8;
    g_assert_cmpint(virDomainGetBlkioParameters(dom, p, &n, VIR_TYPED_PARAM_STRING_OKAY), ==, 0);
    g_assert_cmpint(n, ==, 6);
    g_assert_cmpint(virTypedParamsGetUInt(p, n, "weight", &w), ==, 1);
    g_assert_cmpuint(w, ==, 500);
    g_assert_cmpint(virTypedParamsGetString(p, n, "device_weight", &s), ==, 1);
    g_assert_cmpstr(s, ==, "/dev/sda,300");
    virTypedParamsClear(p, n);
    virTypedParamsFree(set, nset);
    set = NULL;
    nset = maxset = 0;
    virTypedParamsAddInt(&set, &nset, &maxset, "device_weight", 3);
    g_assert_cmpint(virDomainSetBlkioParameters(dom, set, nset, 0), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "expected 'string'");
    virTypedParamsFree(set, nset);
    virDomainFree(dom);
    virConnectClose(conn);
}

/* A domain "blk" with vda on a real 1 MiB file and hdc a read-only cdrom. */
static virDomainPtr
block_domain(virConnectPtr conn, char **pathp)
{
    g_autofree char *path = g_build_filename(tp_tmpdir(), "blk.img", NULL);
    g_autofree char *data = g_malloc0(1024 * 1024);
    virDomainPtr dom;

    memcpy(data + 512, "VIRTKIT-PEEK-OK!", 16);
    g_assert_true(g_file_set_contents(path, data, 1024 * 1024, NULL));
    dom = tp_define(conn, "blk", path);
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    *pathp = g_steal_pointer(&path);
    return dom;
}

static void
test_block_stats(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    g_autofree char *path = NULL;
    virDomainPtr dom = block_domain(conn, &path);
    virDomainBlockStatsStruct st;
    virTypedParameter p[16];
    int n;

    g_assert_cmpint(virDomainBlockStats(dom, "vda", &st, sizeof(st)), ==, 0);
    g_assert_cmpint(st.rd_req, >, 0);
    g_assert_cmpint(virDomainBlockStats(dom, path, &st, sizeof(st)), ==, 0);
    g_assert_cmpint(virDomainBlockStats(dom, "vdz", &st, sizeof(st)), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "invalid path: vdz");

    n = 0;
    g_assert_cmpint(virDomainBlockStatsFlags(dom, "vda", NULL, &n, 0), ==, 0);
    g_assert_cmpint(n, ==, 8);
    n = 2;
    g_assert_cmpint(virDomainBlockStatsFlags(dom, path, p, &n, 0), ==, 0);
    g_assert_cmpint(n, ==, 2);
    g_assert_cmpstr(p[0].field, ==, "rd_bytes");
    n = 16;
    g_assert_cmpint(virDomainBlockStatsFlags(dom, "vda", p, &n, 0), ==, 0);
    g_assert_cmpint(n, ==, 8);
    g_assert_cmpstr(p[1].field, ==, "rd_operations");
    g_assert_cmpint(virDomainBlockStatsFlags(dom, "nope", p, &n, 0), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "invalid path: nope");
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint(virDomainBlockStats(dom, "vda", &st, sizeof(st)), ==, -1);
    tp_assert_error(VIR_ERR_OPERATION_INVALID, "domain is not running");
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
test_block_info_peek(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    g_autofree char *path = NULL;
    virDomainPtr dom = block_domain(conn, &path);
    virDomainBlockInfo info;
    char buf[16];

    g_assert_cmpint(virDomainGetBlockInfo(dom, "vda", &info, 0), ==, 0);
    g_assert_cmpuint(info.capacity, ==, 1024 * 1024);
    g_assert_cmpuint(info.physical, ==, 1024 * 1024);
    g_assert_cmpint(virDomainGetBlockInfo(dom, path, &info, 0), ==, 0);
    g_assert_cmpuint(info.capacity, ==, 1024 * 1024);
    /* a source that does not exist here: libvirt's test driver's sizes */
    g_assert_cmpint(virDomainGetBlockInfo(dom, "hdc", &info, 0), ==, 0);
    g_assert_cmpuint(info.capacity, ==, 1099506450432ULL);
    g_assert_cmpint(virDomainGetBlockInfo(dom, "xx", &info, 0), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "invalid path xx not assigned to domain");

    g_assert_cmpint(virDomainBlockPeek(dom, "vda", 512, sizeof(buf), buf, 0), ==, 0);
    g_assert_cmpint(memcmp(buf, "VIRTKIT-PEEK-OK!", 16), ==, 0);
    memset(buf, 0, sizeof(buf));
    g_assert_cmpint(virDomainBlockPeek(dom, path, 512, sizeof(buf), buf, 0), ==, 0);
    g_assert_cmpint(memcmp(buf, "VIRTKIT-PEEK-OK!", 16), ==, 0);
    g_assert_cmpint(virDomainBlockPeek(dom, "vda", 1024 * 1024 - 8, sizeof(buf), buf, 0), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "ends after");
    g_assert_cmpint(virDomainBlockPeek(dom, "vdq", 0, sizeof(buf), buf, 0), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "vdq");
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
test_block_resize(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    g_autofree char *path = NULL;
    virDomainPtr dom = block_domain(conn, &path);
    virDomainBlockInfo info;

    /* KiB by default */
    g_assert_cmpint(virDomainBlockResize(dom, "vda", 2048, 0), ==, 0);
    g_assert_cmpint(virDomainGetBlockInfo(dom, "vda", &info, 0), ==, 0);
    g_assert_cmpuint(info.capacity, ==, 2048 * 1024);
    /* bytes with the flag, the disk named by its source */
    g_assert_cmpint(virDomainBlockResize(dom, path, 3 * 1024 * 1024,
                                         VIR_DOMAIN_BLOCK_RESIZE_BYTES), ==, 0);
    g_assert_cmpint(virDomainGetBlockInfo(dom, "vda", &info, 0), ==, 0);
    g_assert_cmpuint(info.capacity, ==, 3 * 1024 * 1024);
    /* shrinking: an error naming the disk and both sizes */
    g_assert_cmpint(virDomainBlockResize(dom, "vda", 1024, 0), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "cannot shrink disk 'vda'");
    tp_assert_error(VIR_ERR_INVALID_ARG, "from 3145728 to 1048576 bytes");
    /* read-only disk: refused, naming it and both sizes */
    g_assert_cmpint(virDomainBlockResize(dom, "hdc", 1099506450432ULL / 1024 + 1, 0), ==, -1);
    tp_assert_error(VIR_ERR_OPERATION_INVALID, "read-only disk 'hdc'");
    tp_assert_error(VIR_ERR_OPERATION_INVALID, "from 1099506450432 to 1099506451456 bytes");
    g_assert_cmpint(virDomainBlockResize(dom, "vda", 1, 0x80), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "unsupported flags");
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
test_devices(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom = tp_define(conn, "dev", NULL);
    const char *disk = "<disk type='file' device='disk'><source file='/guest/dev2.img'/>"
                       "<target dev='vdb' bus='virtio'/></disk>";
    const char *nic = "<interface type='network'><mac address='52:54:00:11:22:33'/>"
                      "<source network='default'/></interface>";
    g_autofree char *live = NULL, *config = NULL;

    /* inactive: LIVE is refused, CURRENT means CONFIG */
    g_assert_cmpint(virDomainAttachDeviceFlags(dom, disk, VIR_DOMAIN_AFFECT_LIVE), ==, -1);
    tp_assert_error(VIR_ERR_OPERATION_INVALID, "domain is not running");
    g_assert_cmpint(virDomainAttachDeviceFlags(dom, disk, VIR_DOMAIN_AFFECT_CURRENT), ==, 0);
    config = virDomainGetXMLDesc(dom, 0);
    g_assert_nonnull(strstr(config, "<target dev='vdb' bus='virtio'/>"));
    g_assert_cmpint(virDomainAttachDeviceFlags(dom, disk, VIR_DOMAIN_AFFECT_CONFIG), ==, -1);
    tp_assert_error(VIR_ERR_OPERATION_INVALID, "target vdb already exists");
    g_assert_cmpint(virDomainDetachDeviceFlags(dom, disk, VIR_DOMAIN_AFFECT_CONFIG), ==, 0);
    g_assert_cmpint(virDomainDetachDeviceFlags(dom, disk, VIR_DOMAIN_AFFECT_CONFIG), ==, -1);
    tp_assert_error(VIR_ERR_DEVICE_MISSING, "disk vdb not found");

    /* running: LIVE changes the live definition only */
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpint(virDomainAttachDevice(dom, disk), ==, 0);
    g_assert_cmpint(virDomainAttachDeviceFlags(dom, nic, VIR_DOMAIN_AFFECT_LIVE |
                                                         VIR_DOMAIN_AFFECT_CONFIG), ==, 0);
    g_free(live);
    g_free(config);
    live = virDomainGetXMLDesc(dom, 0);
    config = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    g_assert_nonnull(strstr(live, "<target dev='vdb' bus='virtio'/>"));
    g_assert_null(strstr(config, "<target dev='vdb' bus='virtio'/>"));
    g_assert_nonnull(strstr(live, "52:54:00:11:22:33"));
    g_assert_nonnull(strstr(config, "52:54:00:11:22:33"));
    /* the new interface gets the next testnetN name, as on define */
    g_assert_nonnull(strstr(live, "<target dev='testnet1'/>"));
    g_assert_cmpint(virDomainDetachDevice(dom, disk), ==, 0);
    g_assert_cmpint(virDomainDetachDeviceFlags(dom, nic, VIR_DOMAIN_AFFECT_LIVE |
                                                         VIR_DOMAIN_AFFECT_CONFIG), ==, 0);
    g_free(live);
    live = virDomainGetXMLDesc(dom, 0);
    g_assert_null(strstr(live, "vdb"));
    g_assert_null(strstr(live, "52:54:00:11:22:33"));
    g_assert_cmpint(virDomainAttachDevice(dom, "<disk"), ==, -1);
    tp_assert_error(VIR_ERR_XML_DETAIL, NULL);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    virDomainFree(dom);

    /* a transient domain has no config to change */
    {
        g_autofree char *xml = tp_domain_xml("devtr", NULL);
        virDomainPtr tr = virDomainCreateXML(conn, xml, 0);
        g_assert_cmpint(virDomainAttachDeviceFlags(tr, disk, VIR_DOMAIN_AFFECT_CONFIG), ==, -1);
        tp_assert_error(VIR_ERR_OPERATION_INVALID,
                        "transient domains do not have any persistent config");
        g_assert_cmpint(virDomainDestroy(tr), ==, 0);
        virDomainFree(tr);
    }
    virConnectClose(conn);
}

static void
test_metadata(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    g_autofree char *desc = NULL, *title = NULL, *elem = NULL, *xml = NULL;

    g_assert_null(virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_DESCRIPTION, NULL, 0));
    tp_assert_error(VIR_ERR_NO_DOMAIN_METADATA, NULL);
    g_assert_cmpint(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_DESCRIPTION, "a guest",
                                         NULL, NULL, 0), ==, 0);
    g_assert_cmpint(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, "Test", NULL, NULL,
                                         0), ==, 0);
    g_assert_cmpint(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT,
                                         "<app><ver>1</ver></app>", "ex",
                                         "http://example.org/app/1", 0), ==, 0);
    desc = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_DESCRIPTION, NULL, 0);
    title = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, NULL, 0);
    elem = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, "http://example.org/app/1", 0);
    g_assert_cmpstr(desc, ==, "a guest");
    g_assert_cmpstr(title, ==, "Test");
    g_assert_nonnull(elem);
    g_assert_nonnull(strstr(elem, "<ex:app xmlns:ex=\"http://example.org/app/1\">"));
    xml = virDomainGetXMLDesc(dom, 0);
    g_assert_nonnull(strstr(xml, "<title>Test</title>"));
    g_assert_nonnull(strstr(xml, "<metadata>"));
    g_assert_cmpint(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, NULL, NULL,
                                         "http://example.org/app/1", 0), ==, 0);
    g_assert_null(virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT,
                                       "http://example.org/app/1", 0));
    tp_assert_error(VIR_ERR_NO_DOMAIN_METADATA, NULL);
    g_assert_cmpint(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, "a\nb", NULL, NULL,
                                         0), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "newlines");
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
test_stats(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr off = tp_define(conn, "st-off", NULL);
    virDomainStatsRecordPtr *recs = NULL;
    virDomainPtr list[3];
    int n, state = -1;
    unsigned int count = 0;
    const char *name = NULL;

    n = virConnectGetAllDomainStats(conn, 0, &recs, 0);
    g_assert_cmpint(n, ==, 2);
    g_assert_null(recs[2]);
    g_assert_cmpint(virTypedParamsGetInt(recs[0]->params, recs[0]->nparams, "state.state",
                                         &state), ==, 1);
    g_assert_cmpint(state, ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(virTypedParamsGetUInt(recs[0]->params, recs[0]->nparams, "block.count",
                                          &count), ==, 1);
    g_assert_cmpuint(count, ==, 1);
    g_assert_cmpint(virTypedParamsGetString(recs[0]->params, recs[0]->nparams, "block.0.name",
                                            &name), ==, 1);
    g_assert_cmpstr(name, ==, "vda");
    g_assert_cmpstr(virDomainGetName(recs[1]->dom), ==, "st-off");
    virDomainStatsRecordListFree(recs);

    n = virConnectGetAllDomainStats(conn, VIR_DOMAIN_STATS_STATE, &recs,
                                    VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE);
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpint(recs[0]->nparams, ==, 2);
    virDomainStatsRecordListFree(recs);
    recs = NULL;
    g_assert_cmpint(virConnectGetAllDomainStats(conn, VIR_DOMAIN_STATS_PERF, &recs,
                                                VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS),
                    ==, -1);
    tp_assert_error(VIR_ERR_ARGUMENT_UNSUPPORTED, "not supported");

    list[0] = virDomainLookupByName(conn, "test");
    list[1] = off;
    list[2] = NULL;
    n = virDomainListGetStats(list, VIR_DOMAIN_STATS_VCPU, &recs, 0);
    g_assert_cmpint(n, ==, 2);
    g_assert_cmpint(virTypedParamsGetUInt(recs[1]->params, recs[1]->nparams, "vcpu.maximum",
                                          &count), ==, 1);
    g_assert_cmpuint(count, ==, 4);
    virDomainStatsRecordListFree(recs);
    virDomainFree(list[0]);
    virDomainFree(off);
    virConnectClose(conn);
}

/* One unsigned statistic of @dom from the bulk call (G_MAXUINT64 when
 * the record lacks it). */
static guint64
stat_of(virDomainPtr dom, unsigned int stats, const char *name)
{
    virDomainPtr list[2] = { dom, NULL };
    virDomainStatsRecordPtr *recs = NULL;
    unsigned long long ul = G_MAXUINT64;
    unsigned int ui;

    g_assert_cmpint(virDomainListGetStats(list, stats, &recs, 0), ==, 1);
    if (virTypedParamsGetUInt(recs[0]->params, recs[0]->nparams, name, &ui) == 1)
        ul = ui;
    else
        virTypedParamsGetULLong(recs[0]->params, recs[0]->nparams, name, &ul);
    virDomainStatsRecordListFree(recs);
    return ul;
}

/* The bulk statistics keep what they read of a definition beside the
 * domain: every change through the API shows in the next call; a disk
 * file's sizes are those last read, and GetBlockInfo reads them again. */
static void
test_stats_follow_changes(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    g_autofree char *path = NULL;
    virDomainPtr dom = block_domain(conn, &path);
    g_autofree char *data = g_malloc0(2 * 1024 * 1024);
    const char *disk = "<disk type='file' device='disk'><source file='/guest/stats2.img'/>"
                       "<target dev='vdb' bus='virtio'/></disk>";
    const char *nic = "<interface type='network'><mac address='52:54:00:11:22:44'/>"
                      "<source network='default'/><target dev='stats9'/></interface>";
    virDomainBlockInfo info;
    guint64 nets;

    g_assert_cmpuint(stat_of(dom, VIR_DOMAIN_STATS_BLOCK, "block.0.capacity"), ==, 1024 * 1024);
    /* the file grows: the bulk call still reports what it read ... */
    g_assert_true(g_file_set_contents(path, data, 2 * 1024 * 1024, NULL));
    g_assert_cmpuint(stat_of(dom, VIR_DOMAIN_STATS_BLOCK, "block.0.capacity"), ==, 1024 * 1024);
    /* ... until a call on that disk reads the file again */
    g_assert_cmpint(virDomainGetBlockInfo(dom, "vda", &info, 0), ==, 0);
    g_assert_cmpuint(info.capacity, ==, 2 * 1024 * 1024);
    g_assert_cmpuint(stat_of(dom, VIR_DOMAIN_STATS_BLOCK, "block.0.capacity"), ==, 2 * 1024 * 1024);
    g_assert_cmpuint(stat_of(dom, VIR_DOMAIN_STATS_BLOCK, "block.0.physical"), ==, 2 * 1024 * 1024);
    g_assert_cmpint(virDomainBlockResize(dom, "vda", 4096, 0), ==, 0);
    g_assert_cmpuint(stat_of(dom, VIR_DOMAIN_STATS_BLOCK, "block.0.capacity"), ==, 4096 * 1024);

    /* memory and vCPUs are changed in place in the definition */
    g_assert_cmpuint(stat_of(dom, VIR_DOMAIN_STATS_BALLOON, "balloon.current"), ==, 524288);
    g_assert_cmpint(virDomainSetMemoryFlags(dom, 300000, VIR_DOMAIN_AFFECT_LIVE), ==, 0);
    g_assert_cmpuint(stat_of(dom, VIR_DOMAIN_STATS_BALLOON, "balloon.current"), ==, 300000);
    g_assert_cmpuint(stat_of(dom, VIR_DOMAIN_STATS_VCPU, "vcpu.current"), ==, 2);
    g_assert_cmpint(virDomainSetVcpusFlags(dom, 1, VIR_DOMAIN_AFFECT_LIVE), ==, 0);
    g_assert_cmpuint(stat_of(dom, VIR_DOMAIN_STATS_VCPU, "vcpu.current"), ==, 1);

    /* devices come and go with a new definition */
    g_assert_cmpuint(stat_of(dom, VIR_DOMAIN_STATS_BLOCK, "block.count"), ==, 2);
    g_assert_cmpint(virDomainAttachDeviceFlags(dom, disk, VIR_DOMAIN_AFFECT_LIVE), ==, 0);
    g_assert_cmpuint(stat_of(dom, VIR_DOMAIN_STATS_BLOCK, "block.count"), ==, 3);
    nets = stat_of(dom, VIR_DOMAIN_STATS_INTERFACE, "net.count");
    g_assert_cmpint(virDomainAttachDeviceFlags(dom, nic, VIR_DOMAIN_AFFECT_LIVE), ==, 0);
    g_assert_cmpuint(stat_of(dom, VIR_DOMAIN_STATS_INTERFACE, "net.count"), ==, nets + 1);
    g_assert_cmpint(virDomainDetachDeviceFlags(dom, disk, VIR_DOMAIN_AFFECT_LIVE), ==, 0);
    g_assert_cmpuint(stat_of(dom, VIR_DOMAIN_STATS_BLOCK, "block.count"), ==, 2);
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
test_job_info_idle(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virDomainJobInfo info;
    int type = -1, n = 0;
    virTypedParameterPtr params = NULL;

    g_assert_cmpint(virDomainGetJobInfo(dom, &info), ==, 0);
    g_assert_cmpint(info.type, ==, VIR_DOMAIN_JOB_NONE);
    g_assert_cmpint(virDomainGetJobStats(dom, &type, &params, &n, 0), ==, 0);
    g_assert_cmpint(type, ==, VIR_DOMAIN_JOB_NONE);
    g_assert_cmpint(n, ==, 0);
    virTypedParamsFree(params, n);
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
test_interface_control_memory(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virDomainInterfaceStatsStruct is;
    virDomainControlInfo ci;
    virDomainMemoryStatStruct ms[8];
    int n;

    g_assert_cmpint(virDomainInterfaceStats(dom, "testnet0", &is, sizeof(is)), ==, 0);
    g_assert_cmpint(is.rx_packets, >, 0);
    g_assert_cmpint(virDomainInterfaceStats(dom, "aa:bb:cc:dd:ee:ff", &is, sizeof(is)), ==, 0);
    g_assert_cmpint(virDomainInterfaceStats(dom, "eth9", &is, sizeof(is)), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "'eth9' is not a known interface");
    g_assert_cmpint(virDomainGetControlInfo(dom, &ci, 0), ==, 0);
    g_assert_cmpint(ci.state, ==, VIR_DOMAIN_CONTROL_OK);
    n = virDomainMemoryStats(dom, ms, 8, 0);
    g_assert_cmpint(n, ==, 4);
    g_assert_cmpint(ms[0].tag, ==, VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON);
    g_assert_cmpuint(ms[0].val, ==, 2097152);
    g_assert_cmpint(virDomainMemoryStats(dom, ms, 1, 0), ==, 1);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint(virDomainInterfaceStats(dom, "testnet0", &is, sizeof(is)), ==, -1);
    tp_assert_error(VIR_ERR_OPERATION_INVALID, "domain is not running");
    g_assert_cmpint(virDomainMemoryStats(dom, ms, 8, 0), ==, -1);
    tp_assert_error(VIR_ERR_OPERATION_INVALID, "domain is not running");
    virDomainFree(dom);
    virConnectClose(conn);
}

int
main(int argc, char **argv)
{
    tp_init(&argc, &argv);
    g_test_add_func("/test-plugin/domain/scheduler", test_scheduler);
    g_test_add_func("/test-plugin/domain/memory-parameters", test_memory_params);
    g_test_add_func("/test-plugin/domain/blkio-parameters", test_blkio);
    g_test_add_func("/test-plugin/domain/block-stats", test_block_stats);
    g_test_add_func("/test-plugin/domain/block-info-peek", test_block_info_peek);
    g_test_add_func("/test-plugin/domain/block-resize", test_block_resize);
    g_test_add_func("/test-plugin/domain/devices", test_devices);
    g_test_add_func("/test-plugin/domain/metadata", test_metadata);
    g_test_add_func("/test-plugin/domain/stats", test_stats);
    g_test_add_func("/test-plugin/domain/stats-follow-changes", test_stats_follow_changes);
    g_test_add_func("/test-plugin/domain/job-info-idle", test_job_info_idle);
    g_test_add_func("/test-plugin/domain/interface-control-memory", test_interface_control_memory);
    return g_test_run();
}
