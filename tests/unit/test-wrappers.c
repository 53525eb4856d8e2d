/*
 * test-wrappers: the one ritual every public wrapper follows, checked
 * through the public API against a fake plugin table registered in-process:
 * handle checks, argument checks, the read-only rule, NO_SUPPORT naming the
 * API, one dispatch per failure, the typed-parameter get rules, and the log
 * line of a call with flags.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "vk-dispatch.h"

static int fake_calls;          /* slot invocations */
static int fake_strings = 1;    /* answer to TYPED_PARAM_STRING */
static unsigned int fake_last_flags;
static const unsigned char fake_uuid[VIR_UUID_BUFLEN] = {
    0x6b, 0xb8, 0xd6, 0x9f, 0x39, 0x2c, 0x4e, 0x7a, 0x9d, 0x31, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f,
};

static virtkitPluginOpenStatus
fakeConnectOpen(virConnectPtr conn, const char *uri, virConnectAuthPtr auth, unsigned int flags)
{
    (void)conn;
    (void)auth;
    (void)flags;
    return strcmp(uri, "fake:///declines") == 0 ? VIRTKIT_PLUGIN_OPEN_DECLINED : VIRTKIT_PLUGIN_OPEN_SUCCESS;
}

static int
fakeConnectSupportsFeature(virConnectPtr conn, int feature)
{
    (void)conn;
    if (fake_strings < 0 && feature == VIRTKIT_DRV_FEATURE_TYPED_PARAM_STRING) {
        vkReportError(VIR_ERR_OPERATION_FAILED, "fake plugin cannot tell its features today");
        return -1;
    }
    return feature == VIRTKIT_DRV_FEATURE_TYPED_PARAM_STRING ? fake_strings : 0;
}

static virDomainPtr
fakeDomainLookupByName(virConnectPtr conn, const char *name)
{
    fake_calls++;
    if (strcmp(name, "fake") != 0) {
        vkReportError(VIR_ERR_NO_DOMAIN, "no domain with matching name '%s'", name);
        return NULL;
    }
    return vkDomainNew(conn, name, fake_uuid, 7);
}

static virDomainPtr
fakeDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    fake_calls++;
    if (memcmp(uuid, fake_uuid, VIR_UUID_BUFLEN) != 0) {
        vkReportError(VIR_ERR_NO_DOMAIN, "no domain with that UUID");
        return NULL;
    }
    return vkDomainNew(conn, "fake", fake_uuid, 7);
}

static int
fakeDomainSuspend(virDomainPtr domain)
{
    (void)domain;
    fake_calls++;
    return 0;
}

static int
fakeDomainShutdownFlags(virDomainPtr domain, unsigned int flags)
{
    (void)domain;
    fake_calls++;
    fake_last_flags = flags;
    return 0;
}

/* Three entries, the middle one a string (as blkio's device_weight is). */
static int
fakeFillParams(virTypedParameterPtr *params, int *nparams)
{
    virTypedParameterPtr p = g_new0(virTypedParameter, 3);

    g_strlcpy(p[0].field, "cpu_shares", sizeof(p[0].field));
    p[0].type = VIR_TYPED_PARAM_ULLONG;
    p[0].value.ul = 1024;
    g_strlcpy(p[1].field, "device_weight", sizeof(p[1].field));
    p[1].type = VIR_TYPED_PARAM_STRING;
    p[1].value.s = g_strdup("/dev/vda,500");
    g_strlcpy(p[2].field, "vcpu_period", sizeof(p[2].field));
    p[2].type = VIR_TYPED_PARAM_ULLONG;
    p[2].value.ul = 100000;
    *params = p;
    *nparams = 3;
    return 0;
}

static int
fakeDomainGetSchedulerParametersFlags(virDomainPtr domain, virTypedParameterPtr *params,
                                      int *nparams, unsigned int flags)
{
    (void)domain;
    fake_calls++;
    fake_last_flags = flags;
    return fakeFillParams(params, nparams);
}

/* A getter with libvirt's count query (the scheduler getters have none). */
static int
fakeDomainGetMemoryParameters(virDomainPtr domain, virTypedParameterPtr *params,
                              int *nparams, unsigned int flags)
{
    return fakeDomainGetSchedulerParametersFlags(domain, params, nparams, flags);
}

static int
fakeDomainSetSchedulerParametersFlags(virDomainPtr domain, virTypedParameterPtr params,
                                      int nparams, unsigned int flags)
{
    (void)domain;
    (void)params;
    (void)nparams;
    (void)flags;
    fake_calls++;
    return 0;
}

/* The newest forms only: the older ones (virDomainCreate, virDomainSave,
 * virDomainBlockStats, ...) reach these through the core's routes.  Each
 * records the call as "slot(args)" in fake_last_call. */
static char fake_last_call[512];

static int
fakeDomainCreateWithFlags(virDomainPtr domain, unsigned int flags)
{
    (void)domain;
    fake_calls++;
    g_snprintf(fake_last_call, sizeof(fake_last_call), "domainCreateWithFlags(0x%x)", flags);
    return 0;
}

static int
fakeDomainDestroyFlags(virDomainPtr domain, unsigned int flags)
{
    (void)domain;
    fake_calls++;
    g_snprintf(fake_last_call, sizeof(fake_last_call), "domainDestroyFlags(0x%x)", flags);
    return 0;
}

static int
fakeDomainSetMemoryFlags(virDomainPtr domain, unsigned long memory, unsigned int flags)
{
    (void)domain;
    fake_calls++;
    g_snprintf(fake_last_call, sizeof(fake_last_call), "domainSetMemoryFlags(%lu, 0x%x)",
               memory, flags);
    return 0;
}

static int
fakeDomainGetVcpusFlags(virDomainPtr domain, unsigned int flags)
{
    (void)domain;
    fake_calls++;
    g_snprintf(fake_last_call, sizeof(fake_last_call), "domainGetVcpusFlags(0x%x)", flags);
    return (flags & VIR_DOMAIN_VCPU_MAXIMUM) ? 16 : 2;
}

static int
fakeDomainAttachDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags)
{
    (void)domain;
    fake_calls++;
    g_snprintf(fake_last_call, sizeof(fake_last_call), "domainAttachDeviceFlags(%s, 0x%x)",
               xml, flags);
    return 0;
}

static int
fakeDomainSaveParams(virDomainPtr domain, virTypedParameterPtr params, int nparams,
                     unsigned int flags)
{
    g_autoptr(GString) s = g_string_new("domainSaveParams(");

    (void)domain;
    fake_calls++;
    for (int i = 0; i < nparams; i++)
        g_string_append_printf(s, "%s=%s%s, ", params[i].field,
                               params[i].type == VIR_TYPED_PARAM_STRING ? "" : "(not a string)",
                               params[i].type == VIR_TYPED_PARAM_STRING ? params[i].value.s : "");
    g_string_append_printf(s, "0x%x)", flags);
    g_strlcpy(fake_last_call, s->str, sizeof(fake_last_call));
    return 0;
}

/* Four of the five counters of the old struct, plus one it has no room for,
 * and a string the old form must skip. */
static int
fakeDomainBlockStatsFlags(virDomainPtr domain, const char *disk, virTypedParameterPtr *params,
                          int *nparams, unsigned int flags)
{
    static const char *const names[] = { "rd_bytes", "flush_operations", "wr_operations",
                                         "rd_operations", "wr_bytes" };
    virTypedParameterPtr p = g_new0(virTypedParameter, G_N_ELEMENTS(names) + 1);

    (void)domain;
    fake_calls++;
    g_snprintf(fake_last_call, sizeof(fake_last_call), "domainBlockStatsFlags(%s, 0x%x)",
               disk, flags);
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        g_strlcpy(p[i].field, names[i], sizeof(p[i].field));
        p[i].type = VIR_TYPED_PARAM_LLONG;
        p[i].value.l = 100 + (long long)i;
    }
    g_strlcpy(p[G_N_ELEMENTS(names)].field, "errs", sizeof(p[0].field));
    p[G_N_ELEMENTS(names)].type = VIR_TYPED_PARAM_STRING;
    p[G_N_ELEMENTS(names)].value.s = g_strdup("not a counter");
    *params = p;
    *nparams = G_N_ELEMENTS(names) + 1;
    return 0;
}

/* Active: "fake" (id 7) and "other" (id 9); inactive: "off1", "off2", "off3". */
static int
fakeConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    static const char *const active[] = { "fake", "other" };
    static const char *const inactive[] = { "off1", "off2", "off3" };
    bool act = flags == VIR_CONNECT_LIST_DOMAINS_ACTIVE;
    const char *const *names = act ? active : inactive;
    int n = act ? 2 : 3;

    fake_calls++;
    g_snprintf(fake_last_call, sizeof(fake_last_call), "connectListAllDomains(%s, 0x%x)",
               domains ? "&list" : "NULL", flags);
    if (domains) {
        *domains = g_new0(virDomainPtr, n + 1);
        for (int i = 0; i < n; i++)
            (*domains)[i] = vkDomainNew(conn, names[i], fake_uuid, act ? 7 + 2 * i : -1);
    }
    return n;
}

static const virtkitHypervisorOps fake_hv = {
    .struct_size = sizeof(virtkitHypervisorOps),
    .connectOpen = fakeConnectOpen,
    .connectSupportsFeature = fakeConnectSupportsFeature,
    .domainLookupByName = fakeDomainLookupByName,
    .domainLookupByUUID = fakeDomainLookupByUUID,
    .domainSuspend = fakeDomainSuspend,
    .domainShutdownFlags = fakeDomainShutdownFlags,
    .domainCreateWithFlags = fakeDomainCreateWithFlags,
    .connectListAllDomains = fakeConnectListAllDomains,
    .domainDestroyFlags = fakeDomainDestroyFlags,
    .domainSetMemoryFlags = fakeDomainSetMemoryFlags,
    .domainGetVcpusFlags = fakeDomainGetVcpusFlags,
    .domainAttachDeviceFlags = fakeDomainAttachDeviceFlags,
    .domainSaveParams = fakeDomainSaveParams,
    .domainBlockStatsFlags = fakeDomainBlockStatsFlags,
    .domainGetSchedulerParametersFlags = fakeDomainGetSchedulerParametersFlags,
    .domainSetSchedulerParametersFlags = fakeDomainSetSchedulerParametersFlags,
    .domainGetMemoryParameters = fakeDomainGetMemoryParameters,
};

static const vkDriverTables fake_tables = {
    .name = "fake",
    .hypervisor = &fake_hv,
};

static int dispatch_count;

static void
countingErrorFunc(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
    dispatch_count++;
}

typedef struct {
    virConnectPtr conn;
    virDomainPtr dom;
} Fixture;

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
    gboolean readonly = GPOINTER_TO_INT(data);

    vkDriverRegister("fake", &fake_tables);
    fake_calls = 0;
    fake_strings = 1;
    dispatch_count = 0;
    virSetErrorFunc(NULL, countingErrorFunc);
    fx->conn = readonly ? virConnectOpenReadOnly("fake:///default") : virConnectOpen("fake:///default");
    g_assert_nonnull(fx->conn);
    fx->dom = virDomainLookupByName(fx->conn, "fake");
    g_assert_nonnull(fx->dom);
    fake_calls = 0;
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
    (void)data;
    g_assert_cmpint(virDomainFree(fx->dom), ==, 0);
    g_assert_cmpint(virConnectClose(fx->conn), ==, 0);
    virSetErrorFunc(NULL, NULL);
}

static void
test_no_support_names_api(Fixture *fx, gconstpointer data)
{
    (void)data;
    g_assert_cmpint(virDomainResume(fx->dom), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_SUPPORT);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "this function is not supported by the connection driver: virDomainResume");
    g_assert_cmpint(dispatch_count, ==, 1);
}

static void
test_readonly_refused(Fixture *fx, gconstpointer data)
{
    (void)data;
    g_assert_cmpint(virDomainSuspend(fx->dom), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_DENIED);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "operation forbidden: read only access prevents virDomainSuspend");
    g_assert_cmpint(fake_calls, ==, 0);
    g_assert_cmpint(dispatch_count, ==, 1);

    /* Reading is allowed on the same connection. */
    {
        virTypedParameter params[3];
        int nparams = 3;
        g_assert_cmpint(virDomainGetSchedulerParametersFlags(fx->dom, params, &nparams, 0), ==, 0);
        g_assert_cmpint(nparams, ==, 3);
        virTypedParamsClear(params, nparams);
    }
}

static void
test_writable_calls_plugin(Fixture *fx, gconstpointer data)
{
    (void)data;
    g_assert_cmpint(virDomainSuspend(fx->dom), ==, 0);
    g_assert_cmpint(fake_calls, ==, 1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OK);
    g_assert_cmpint(dispatch_count, ==, 0);
}

static void
test_bad_handles(Fixture *fx, gconstpointer data)
{
    virDomain fake = { 0 };

    (void)fx;
    (void)data;
    g_assert_cmpint(virDomainSuspend(NULL), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_DOMAIN);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "invalid domain pointer in virDomainSuspend");

    /* A pointer that is not a live domain handle is refused too. */
    g_assert_cmpint(virDomainSuspend(&fake), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_DOMAIN);

    g_assert_null(virDomainLookupByName(NULL, "fake"));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_CONN);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "invalid connection pointer in virDomainLookupByName");
    g_assert_cmpint(fake_calls, ==, 0);
    g_assert_cmpint(dispatch_count, ==, 3);
}

static void
test_plugin_error_passes_through(Fixture *fx, gconstpointer data)
{
    (void)data;
    g_assert_null(virDomainLookupByName(fx->conn, "nosuch"));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "Domain not found: no domain with matching name 'nosuch'");
    g_assert_cmpint(dispatch_count, ==, 1);
    /* The connection keeps a copy of the error it dispatched. */
    g_assert_nonnull(virConnGetLastError(fx->conn));
    g_assert_cmpint(virConnGetLastError(fx->conn)->code, ==, VIR_ERR_NO_DOMAIN);
}

static void
test_accessors(Fixture *fx, gconstpointer data)
{
    char buf[VIR_UUID_STRING_BUFLEN];
    unsigned char raw[VIR_UUID_BUFLEN];
    virDomainPtr again;

    (void)data;
    g_assert_cmpstr(virDomainGetName(fx->dom), ==, "fake");
    g_assert_cmpuint(virDomainGetID(fx->dom), ==, 7);
    g_assert_true(virDomainGetConnect(fx->dom) == fx->conn);
    g_assert_cmpint(virDomainGetUUIDString(fx->dom, buf), ==, 0);
    g_assert_cmpstr(buf, ==, "6bb8d69f-392c-4e7a-9d31-1a2b3c4d5e6f");
    g_assert_cmpint(virDomainGetUUID(fx->dom, raw), ==, 0);
    g_assert_cmpmem(raw, sizeof(raw), fake_uuid, sizeof(fake_uuid));
    g_assert_cmpint(fake_calls, ==, 0);

    again = virDomainLookupByUUIDString(fx->conn, "6bb8d69f392c4e7a9d311a2b3c4d5e6f");
    g_assert_nonnull(again);
    g_assert_cmpint(virDomainFree(again), ==, 0);
    g_assert_null(virDomainLookupByUUIDString(fx->conn, "not-a-uuid"));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);

    /* Ref/Free: the connection outlives a close while a domain holds it. */
    g_assert_cmpint(virDomainRef(fx->dom), ==, 0);
    g_assert_cmpint(virDomainFree(fx->dom), ==, 0);
    g_assert_cmpint(virConnectRef(fx->conn), ==, 0);
    g_assert_cmpint(virConnectClose(fx->conn), ==, 2);  /* ours + the domain's */
}

static void
test_typed_get_rules(Fixture *fx, gconstpointer data)
{
    virTypedParameter params[3];
    int nparams;

    (void)data;
    /* nparams == 0 with a NULL array: how many there are (with strings). */
    nparams = 0;
    g_assert_cmpint(virDomainGetMemoryParameters(fx->dom, NULL, &nparams,
                                                 VIR_TYPED_PARAM_STRING_OKAY), ==, 0);
    g_assert_cmpint(nparams, ==, 3);
    /* The plugin said yes to strings, so the core passed STRING_OKAY down. */
    g_assert_true(fake_last_flags & VIR_TYPED_PARAM_STRING_OKAY);

    /* Without STRING_OKAY too: libvirt's getters add the flag themselves
     * when the plugin takes strings, so the string entry stays, and the
     * plugin sees STRING_OKAY. */
    nparams = 0;
    fake_last_flags = 0;
    g_assert_cmpint(virDomainGetMemoryParameters(fx->dom, NULL, &nparams, 0), ==, 0);
    g_assert_cmpint(nparams, ==, 3);
    g_assert_cmpuint(fake_last_flags, ==, VIR_TYPED_PARAM_STRING_OKAY);

    /* Too small: the first entries and no error. */
    memset(params, 0, sizeof(params));
    nparams = 1;
    g_assert_cmpint(virDomainGetSchedulerParametersFlags(fx->dom, params, &nparams,
                                                         VIR_TYPED_PARAM_STRING_OKAY), ==, 0);
    g_assert_cmpint(nparams, ==, 1);
    g_assert_cmpstr(params[0].field, ==, "cpu_shares");
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OK);

    /* Big enough, with strings. */
    nparams = 3;
    g_assert_cmpint(virDomainGetSchedulerParametersFlags(fx->dom, params, &nparams,
                                                         VIR_TYPED_PARAM_STRING_OKAY), ==, 0);
    g_assert_cmpint(nparams, ==, 3);
    g_assert_cmpint(params[1].type, ==, VIR_TYPED_PARAM_STRING);
    g_assert_cmpstr(params[1].value.s, ==, "/dev/vda,500");
    virTypedParamsClear(params, nparams);

    /* A NULL array with nparams > 0 is an argument error; the plugin is not asked. */
    fake_calls = 0;
    nparams = 2;
    g_assert_cmpint(virDomainGetMemoryParameters(fx->dom, NULL, &nparams, 0), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "params in virDomainGetMemoryParameters must not be NULL");
    g_assert_cmpint(virGetLastErrorDomain(), ==, VIR_FROM_DOMAIN);
    g_assert_cmpint(fake_calls, ==, 0);

    /* libvirt's scheduler getters have no count query: a NULL array or a
     * zero count is refused before the plugin is asked. */
    nparams = 0;
    g_assert_cmpint(virDomainGetSchedulerParametersFlags(fx->dom, NULL, &nparams, 0), ==, -1);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "params in virDomainGetSchedulerParametersFlags must not be NULL");
    g_assert_cmpint(virDomainGetSchedulerParameters(fx->dom, params, &nparams), ==, -1);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "*nparams in virDomainGetSchedulerParameters must be greater than zero");
    g_assert_cmpint(fake_calls, ==, 0);
}

/* A plugin that answers no to TYPED_PARAM_STRING never sees STRING_OKAY,
 * even from a caller who passed it (a plugin refusing unknown flags would
 * fail the call), and its callers get no strings. */
static void
test_typed_get_plugin_no_strings(Fixture *fx, gconstpointer data)
{
    virTypedParameter params[3];
    int nparams = 3;

    (void)data;
    fake_strings = 0;
    fake_last_flags = 0xdead;
    g_assert_cmpint(virDomainGetSchedulerParametersFlags(fx->dom, params, &nparams,
                                                         VIR_TYPED_PARAM_STRING_OKAY |
                                                         VIR_DOMAIN_AFFECT_CONFIG), ==, 0);
    g_assert_cmpuint(fake_last_flags, ==, VIR_DOMAIN_AFFECT_CONFIG);
    virTypedParamsClear(params, nparams);
    nparams = 3;
    g_assert_cmpint(virDomainGetSchedulerParametersFlags(fx->dom, params, &nparams, 0), ==, 0);
    g_assert_cmpuint(fake_last_flags, ==, 0);
    g_assert_cmpint(nparams, ==, 2);
    for (int i = 0; i < nparams; i++)
        g_assert_cmpint(params[i].type, !=, VIR_TYPED_PARAM_STRING);
}

/* The getters libvirt 9.0's own test driver cannot show (test-getters
 * compares the others with it): virDomainBlockStatsFlags, which it lacks,
 * and virDomainGetSchedulerParametersFlags, where it refuses the
 * STRING_OKAY its public wrapper adds ("unsupported flags (0x4) in function
 * testDomainGetSchedulerParametersFlags").  With flags 0 and a plugin that
 * takes strings, string entries come back, as they do from libvirt's
 * drivers that accept the flag. */
static void
test_typed_get_flags0_strings(Fixture *fx, gconstpointer data)
{
    virTypedParameter params[8];
    int nparams = 8;

    (void)data;
    memset(params, 0, sizeof(params));
    g_assert_cmpint(virDomainBlockStatsFlags(fx->dom, "vda", params, &nparams, 0), ==, 0);
    g_assert_cmpstr(fake_last_call, ==, "domainBlockStatsFlags(vda, 0x4)");
    g_assert_cmpint(nparams, ==, 6);
    g_assert_cmpstr(params[5].field, ==, "errs");
    g_assert_cmpint(params[5].type, ==, VIR_TYPED_PARAM_STRING);
    virTypedParamsClear(params, nparams);

    nparams = 8;
    g_assert_cmpint(virDomainGetSchedulerParametersFlags(fx->dom, params, &nparams, 0), ==, 0);
    g_assert_cmpint(nparams, ==, 3);
    g_assert_cmpint(params[1].type, ==, VIR_TYPED_PARAM_STRING);
    virTypedParamsClear(params, nparams);
}

/* A plugin that fails to answer a feature question fails the call: the
 * error is never taken for "no". */
static void
test_feature_error_not_no(Fixture *fx, gconstpointer data)
{
    int nparams = 0;

    (void)data;
    fake_strings = -1;
    fake_calls = 0;
    g_assert_cmpint(virDomainGetMemoryParameters(fx->dom, NULL, &nparams, 0), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_FAILED);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "operation failed: fake plugin cannot tell its features today");
    g_assert_cmpint(fake_calls, ==, 0);
}

static void
test_sched_no_flags_never_string(Fixture *fx, gconstpointer data)
{
    virTypedParameter params[3];
    int nparams = 3;

    (void)data;
    memset(params, 0, sizeof(params));
    fake_last_flags = 0xdead;
    g_assert_cmpint(virDomainGetSchedulerParameters(fx->dom, params, &nparams), ==, 0);
    /* Carried out by the Flags slot, with flags 0: no STRING_OKAY either. */
    g_assert_cmpint(fake_calls, ==, 1);
    g_assert_cmpuint(fake_last_flags, ==, 0);
    g_assert_cmpint(nparams, ==, 2);
    for (int i = 0; i < nparams; i++)
        g_assert_cmpint(params[i].type, !=, VIR_TYPED_PARAM_STRING);
}

/* The older forms of an operation reach the newest form's slot with
 * libvirt's defaults; the fake plugin fills only the newest slots. */
static void
test_route_defaults(Fixture *fx, gconstpointer data)
{
    static const struct {
        const char *name;
        const char *want;
    } cases[] = {
        { "virDomainCreate", "domainCreateWithFlags(0x0)" },
        { "virDomainCreateWithFlags", "domainCreateWithFlags(0x4)" },
        { "virDomainDestroy", "domainDestroyFlags(0x0)" },
        { "virDomainSetMemory", "domainSetMemoryFlags(524288, 0x1)" },
        { "virDomainSetMaxMemory", "domainSetMemoryFlags(1048576, 0x4)" },
        { "virDomainSetMemoryFlags", "domainSetMemoryFlags(4096, 0x2)" },
        { "virDomainGetMaxVcpus", "domainGetVcpusFlags(0x5)" },
        { "virDomainAttachDevice", "domainAttachDeviceFlags(<disk/>, 0x1)" },
    };

    (void)data;
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const char *n = cases[i].name;
        int rc = -2;

        fake_calls = 0;
        fake_last_call[0] = '\0';
        if (g_str_equal(n, "virDomainCreate"))
            rc = virDomainCreate(fx->dom);
        else if (g_str_equal(n, "virDomainCreateWithFlags"))
            rc = virDomainCreateWithFlags(fx->dom, VIR_DOMAIN_START_BYPASS_CACHE);
        else if (g_str_equal(n, "virDomainDestroy"))
            rc = virDomainDestroy(fx->dom);
        else if (g_str_equal(n, "virDomainSetMemory"))
            rc = virDomainSetMemory(fx->dom, 524288);
        else if (g_str_equal(n, "virDomainSetMaxMemory"))
            rc = virDomainSetMaxMemory(fx->dom, 1048576);
        else if (g_str_equal(n, "virDomainSetMemoryFlags"))
            rc = virDomainSetMemoryFlags(fx->dom, 4096, VIR_DOMAIN_AFFECT_CONFIG);
        else if (g_str_equal(n, "virDomainGetMaxVcpus"))
            rc = virDomainGetMaxVcpus(fx->dom) == 16 ? 0 : -3;
        else if (g_str_equal(n, "virDomainAttachDevice"))
            rc = virDomainAttachDevice(fx->dom, "<disk/>");
        g_test_message("%s -> %s", n, fake_last_call);
        g_assert_cmpint(rc, ==, 0);
        g_assert_cmpint(fake_calls, ==, 1);
        g_assert_cmpstr(fake_last_call, ==, cases[i].want);
    }
    g_assert_cmpint(dispatch_count, ==, 0);
}

/* The listing calls of before virConnectListAllDomains: counts ask for no
 * handles, ids and names come from the handles, cut at the caller's room. */
static void
test_route_lists(Fixture *fx, gconstpointer data)
{
    int ids[4] = { 0 };
    char *names[4] = { NULL };

    (void)data;
    g_assert_cmpint(virConnectNumOfDomains(fx->conn), ==, 2);
    g_assert_cmpstr(fake_last_call, ==, "connectListAllDomains(NULL, 0x1)");
    g_assert_cmpint(virConnectNumOfDefinedDomains(fx->conn), ==, 3);
    g_assert_cmpstr(fake_last_call, ==, "connectListAllDomains(NULL, 0x2)");

    g_assert_cmpint(virConnectListDomains(fx->conn, ids, 4), ==, 2);
    g_assert_cmpstr(fake_last_call, ==, "connectListAllDomains(&list, 0x1)");
    g_assert_cmpint(ids[0], ==, 7);
    g_assert_cmpint(ids[1], ==, 9);
    ids[0] = 0;
    g_assert_cmpint(virConnectListDomains(fx->conn, ids, 1), ==, 1);
    g_assert_cmpint(ids[0], ==, 7);
    g_assert_cmpint(ids[1], ==, 9);

    g_assert_cmpint(virConnectListDefinedDomains(fx->conn, names, 2), ==, 2);
    g_assert_cmpstr(fake_last_call, ==, "connectListAllDomains(&list, 0x2)");
    g_assert_cmpstr(names[0], ==, "off1");
    g_assert_cmpstr(names[1], ==, "off2");
    g_assert_null(names[2]);
    free(names[0]);
    free(names[1]);
    g_assert_cmpint(fake_calls, ==, 5);
    g_assert_cmpint(dispatch_count, ==, 0);
}

/* Save and SaveFlags become SaveParams: the path made absolute, the
 * alternative XML only when given, the caller's flags. */
static void
test_route_save_params(Fixture *fx, gconstpointer data)
{
    g_autofree char *cwd = g_get_current_dir();
    g_autofree char *want1 = g_strdup_printf("domainSaveParams(file=%s/img.save, 0x0)", cwd);
    g_autofree char *want2 = g_strdup_printf("domainSaveParams(file=/tmp/x.save, "
                                             "dxml=<domain/>, 0x4)");

    (void)data;
    g_assert_cmpint(virDomainSave(fx->dom, "img.save"), ==, 0);
    g_assert_cmpstr(fake_last_call, ==, want1);
    g_assert_cmpint(virDomainSaveFlags(fx->dom, "/tmp/x.save", "<domain/>",
                                       VIR_DOMAIN_SAVE_PAUSED), ==, 0);
    g_assert_cmpstr(fake_last_call, ==, want2);
    /* The old form's own argument checks still name it. */
    g_assert_cmpint(virDomainSave(fx->dom, NULL), ==, -1);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "to in virDomainSave must not be NULL");
    g_assert_cmpint(fake_calls, ==, 2);
}

/* BlockStats fills libvirt's struct from the Flags form's typed
 * parameters: -1 where the plugin has no counter, strings skipped, only
 * @size bytes written, a size beyond the struct refused. */
static void
test_route_block_stats(Fixture *fx, gconstpointer data)
{
    virDomainBlockStatsStruct st;

    (void)data;
    memset(&st, 0x55, sizeof(st));
    g_assert_cmpint(virDomainBlockStats(fx->dom, "vda", &st, sizeof(st)), ==, 0);
    g_assert_cmpstr(fake_last_call, ==, "domainBlockStatsFlags(vda, 0x0)");
    g_assert_cmpint(st.rd_bytes, ==, 100);
    g_assert_cmpint(st.wr_req, ==, 102);
    g_assert_cmpint(st.rd_req, ==, 103);
    g_assert_cmpint(st.wr_bytes, ==, 104);
    g_assert_cmpint(st.errs, ==, -1);

    /* An older, shorter struct: only its bytes are written. */
    memset(&st, 0x55, sizeof(st));
    g_assert_cmpint(virDomainBlockStats(fx->dom, "vda", &st, 2 * sizeof(long long)), ==, 0);
    g_assert_cmpint(st.rd_req, ==, 103);
    g_assert_cmpint(st.rd_bytes, ==, 100);
    g_assert_cmpint(st.wr_req, ==, 0x5555555555555555LL);

    fake_calls = 0;
    g_assert_cmpint(virDomainBlockStats(fx->dom, "vda", &st, sizeof(st) + 1), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    /* libvirt 9.0's words and domain, measured (tests/conformance/hostile) */
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_DOMAIN);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "size must not exceed 40");
    g_assert_cmpint(fake_calls, ==, 0);
}

/* A routed form whose newest slot is NULL: NO_SUPPORT names the API the
 * application called, and the log line names it too. */
static void
test_route_no_support_and_log(Fixture *fx, gconstpointer data)
{
    g_autofree char *path = g_build_filename(g_get_tmp_dir(), "vk-route-log-XXXXXX", NULL);
    g_autofree char *outputs = NULL;
    g_autofree char *text = NULL;
    int fd;

    (void)data;
    g_assert_cmpint(virDomainUndefine(fx->dom), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_SUPPORT);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "this function is not supported by the connection driver: virDomainUndefine");
    g_assert_cmpint(virDomainSetVcpus(fx->dom, 2), ==, -1);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "this function is not supported by the connection driver: virDomainSetVcpus");

    fd = g_mkstemp(path);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    outputs = g_strdup_printf("1:file:%s", path);
    g_assert_cmpint(vkLogConfigure("1", "1:api", outputs), ==, 0);
    g_assert_cmpint(virDomainCreate(fx->dom), ==, 0);
    g_assert_cmpint(vkLogConfigure("4", "", ""), ==, 0);
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_nonnull(strstr(text, ": debug : virDomainCreate:"));
    g_assert_null(strstr(text, "virDomainCreateWithFlags"));
    g_unlink(path);
}

static void
test_typed_set_rules(Fixture *fx, gconstpointer data)
{
    virTypedParameter p[2];

    (void)data;
    memset(p, 0, sizeof(p));
    /* A field filling all 80 bytes with no NUL is refused before the plugin runs. */
    memset(p[0].field, 'a', VIR_TYPED_PARAM_FIELD_LENGTH);
    p[0].type = VIR_TYPED_PARAM_INT;
    g_assert_cmpint(virDomainSetSchedulerParametersFlags(fx->dom, p, 1, 0), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpint(fake_calls, ==, 0);

    /* Strings are refused when the plugin does not take them. */
    fake_strings = 0;
    memset(p, 0, sizeof(p));
    g_strlcpy(p[0].field, "cpu_shares", sizeof(p[0].field));
    p[0].type = VIR_TYPED_PARAM_STRING;
    p[0].value.s = (char *)"x";
    g_assert_cmpint(virDomainSetSchedulerParametersFlags(fx->dom, p, 1, 0), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpint(fake_calls, ==, 0);

    p[0].type = VIR_TYPED_PARAM_ULLONG;
    p[0].value.ul = 5;
    g_assert_cmpint(virDomainSetSchedulerParametersFlags(fx->dom, p, 1, 0), ==, 0);
    g_assert_cmpint(fake_calls, ==, 1);
}

static void
test_open_errors(void)
{
    vkDriverRegister("fake", &fake_tables);
    g_assert_null(virConnectOpen("nosuchscheme:///x"));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_CONNECT);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "no connection driver available for nosuchscheme:///x");
    g_assert_null(virConnectOpen("fake:///declines"));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_CONNECT);
    g_assert_null(virConnectOpen("::not a uri"));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_nonnull(strstr(virGetLastErrorMessage(), "'::not a uri'"));
}

/* Aliases reach virConnectOpen: the alias opens its URI, NO_ALIASES skips
 * them, and a malformed entry fails the open with libvirt's words. */
static void
test_open_aliases(void)
{
    g_autofree char *dir = g_dir_make_tmp("vk-alias-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "virtkit.conf", NULL);
    virConnectPtr conn;
    char *uri;

    vkDriverRegister("fake", &fake_tables);
    g_assert_true(g_file_set_contents(path, "uri_aliases = [ \"fk=fake:///default\" ]\n", -1, NULL));
    g_setenv("VIRTKIT_CONF", path, TRUE);
    conn = virConnectOpen("fk");
    g_assert_nonnull(conn);
    uri = virConnectGetURI(conn);
    g_assert_cmpstr(uri, ==, "fake:///default");
    g_free(uri);
    virConnectClose(conn);
    g_assert_null(virConnectOpenAuth("fk", NULL, VIR_CONNECT_NO_ALIASES));

    g_assert_true(g_file_set_contents(path,
        "uri_aliases = [ \"jj#j=qemu+ssh://root@127.0.0.1/system\" ]\n", -1, NULL));
    g_assert_null(virConnectOpen("fake:///default"));
    /* libvirt's code's prefix, then libvirt's words. */
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_CONF_SYNTAX);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "configuration file syntax error: "
                    "Malformed 'uri_aliases' config entry 'jj#j=qemu+ssh://root@127.0.0.1/system', "
                    "aliases may only contain 'a-Z, 0-9, _, -'");
    g_unsetenv("VIRTKIT_CONF");
    g_unlink(path);
    g_rmdir(dir);
}

static void
test_versions(void)
{
    unsigned long lib = 0, type = 0;

    g_assert_cmpint(virGetVersion(&lib, "Test", &type), ==, 0);
    g_assert_cmpuint(lib, ==, 9000000);
    g_assert_cmpuint(type, ==, 9000000);
    g_assert_cmpuint(virtkitGetVersion(), ==, VIRTKIT_VERSION_NUMBER);
    g_assert_cmpint(virGetVersion(NULL, NULL, NULL), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
}

/* The log line of a public call with flags: every argument, flags included,
 * "name=value" joined by ", " and nothing after the last one. */
static void
test_log_line_with_flags(Fixture *fx, gconstpointer data)
{
    g_autofree char *path = g_build_filename(g_get_tmp_dir(), "vk-wrappers-log-XXXXXX", NULL);
    g_autofree char *outputs = NULL;
    g_autofree char *text = NULL;
    int fd;

    (void)data;
    fd = g_mkstemp(path);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    outputs = g_strdup_printf("1:file:%s", path);
    g_assert_cmpint(vkLogConfigure("1", "1:api", outputs), ==, 0);
    g_assert_cmpint(virDomainShutdownFlags(fx->dom, VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN |
                                                    VIR_DOMAIN_SHUTDOWN_GUEST_AGENT), ==, 0);
    g_assert_cmpint(vkLogConfigure("4", "", ""), ==, 0);
    g_assert_cmpuint(fake_last_flags, ==, 0x3);

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    /* "<date> <time>+0000: <tid>: debug : virDomainShutdownFlags:<line> : <args>\n":
     * compare everything after the timestamp and thread id, but the line. */
    {
        g_autofree char *args = g_strdup_printf(" : domain=%p, flags=0x3\n", (void *)fx->dom);
        const char *p = strstr(text, ": debug : virDomainShutdownFlags:");
        const char *q;

        g_assert_nonnull(p);
        p += strlen(": debug : virDomainShutdownFlags:");
        q = p;
        while (g_ascii_isdigit(*q))
            q++;
        g_assert_true(q > p);
        g_assert_cmpstr(q, ==, args);
    }
    g_unlink(path);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

#define FX(path, fn, ro) \
    g_test_add(path, Fixture, GINT_TO_POINTER(ro), fixture_setup, fn, fixture_teardown)
    FX("/wrapper/no-support-names-api", test_no_support_names_api, 0);
    FX("/wrapper/readonly/refused", test_readonly_refused, 1);
    FX("/wrapper/readonly/writable-calls-plugin", test_writable_calls_plugin, 0);
    FX("/wrapper/handles/bad", test_bad_handles, 0);
    FX("/wrapper/error/plugin-error-passes-through", test_plugin_error_passes_through, 0);
    FX("/wrapper/accessors", test_accessors, 0);
    FX("/wrapper/typedparam/get-rules", test_typed_get_rules, 0);
    FX("/wrapper/typedparam/sched-no-flags-never-string", test_sched_no_flags_never_string, 0);
    FX("/wrapper/typedparam/set-rules", test_typed_set_rules, 0);
    FX("/wrapper/typedparam/plugin-no-strings", test_typed_get_plugin_no_strings, 0);
    FX("/wrapper/typedparam/flags0-strings", test_typed_get_flags0_strings, 0);
    FX("/wrapper/route/defaults", test_route_defaults, 0);
    FX("/wrapper/route/save-params", test_route_save_params, 0);
    FX("/wrapper/route/lists", test_route_lists, 0);
    FX("/wrapper/route/block-stats", test_route_block_stats, 0);
    FX("/wrapper/route/no-support-and-log", test_route_no_support_and_log, 0);
    FX("/wrapper/feature/error-is-not-no", test_feature_error_not_no, 0);
    FX("/wrapper/log/line-with-flags", test_log_line_with_flags, 0);
#undef FX
    g_test_add_func("/wrapper/open/errors", test_open_errors);
    g_test_add_func("/wrapper/versions", test_versions);
    g_test_add_func("/wrapper/open/aliases", test_open_aliases);
    return g_test_run();
}
