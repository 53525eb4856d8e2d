/*
 * test-domain.c: the test plugin's device, tunable, metadata, block and
 * statistics calls.  Locking as in test-driver.c: the host's mutex for
 * everything, a job for every change, nothing but the mutex for queries.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "test-driver.h"
#include "vk-xml-error.h"

/* Default sizes of a disk whose source does not exist here: what
 * libvirt's test driver reports for every disk. */
#define TEST_DISK_CAPACITY 1099506450432ULL
#define TEST_DISK_PHYSICAL 1099511627776ULL

static int
testCheckActive(testDom *d)
{
    if (!testDomIsActive(d)) {
        TEST_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_OPERATION_INVALID, "domain is not running");
        return -1;
    }
    return 0;
}

/* ======================================================================
 * Devices
 * ==================================================================== */

/* The name a device goes by in DEVICE_ADDED/REMOVED events: its alias if
 * it has one, else the disk's target, the interface's target or MAC. */
static char *
testDeviceAlias(const virtkitXmlNode *dev)
{
    virtkitXmlNode *alias = virtkitXmlNodeChild(dev, "alias");
    virtkitXmlNode *target = virtkitXmlNodeChild(dev, "target");
    virtkitXmlNode *mac = virtkitXmlNodeChild(dev, "mac");

    if (alias && virtkitXmlNodeGetAttr(alias, "name"))
        return g_strdup(virtkitXmlNodeGetAttr(alias, "name"));
    if (target && virtkitXmlNodeGetAttr(target, "dev"))
        return g_strdup(virtkitXmlNodeGetAttr(target, "dev"));
    if (mac && virtkitXmlNodeGetAttr(mac, "address"))
        return g_strdup(virtkitXmlNodeGetAttr(mac, "address"));
    return g_strdup(dev->name);
}

/* Whether @have (a device of the domain) is the one @want describes. */
static bool
testDeviceMatches(const virtkitXmlNode *have, const virtkitXmlNode *want)
{
    if (strcmp(have->name, want->name) != 0)
        return false;
    if (strcmp(want->name, "disk") == 0) {
        virtkitXmlNode *a = virtkitXmlNodeChild(have, "target");
        virtkitXmlNode *b = virtkitXmlNodeChild(want, "target");
        return a && b && g_strcmp0(virtkitXmlNodeGetAttr(a, "dev"),
                                   virtkitXmlNodeGetAttr(b, "dev")) == 0;
    }
    if (strcmp(want->name, "interface") == 0) {
        virtkitXmlNode *b = virtkitXmlNodeChild(want, "mac");
        virtkitXmlNode *a = virtkitXmlNodeChild(have, "mac");
        if (b)
            return a && g_ascii_strcasecmp(virtkitXmlNodeGetAttr(a, "address") ?: "",
                                           virtkitXmlNodeGetAttr(b, "address") ?: "") == 0;
        return true;
    }
    /* other devices: every attribute the description gives must agree */
    for (guint i = 0; i < want->attrs->len; i++) {
        const virtkitXmlAttr *attr = want->attrs->pdata[i];
        if (g_strcmp0(virtkitXmlNodeGetAttr(have, attr->name), attr->value) != 0)
            return false;
    }
    return true;
}

static char *
testDeviceDescribe(const virtkitXmlNode *dev)
{
    virtkitXmlNode *t = virtkitXmlNodeChild(dev, "target");
    virtkitXmlNode *m = virtkitXmlNodeChild(dev, "mac");

    if (strcmp(dev->name, "disk") == 0 && t)
        return g_strdup_printf("disk %s", virtkitXmlNodeGetAttr(t, "dev") ?: "?");
    if (strcmp(dev->name, "interface") == 0 && m)
        return g_strdup_printf("interface %s", virtkitXmlNodeGetAttr(m, "address") ?: "?");
    return g_strdup_printf("device <%s>", dev->name);
}

/* A copy of @def with @dev added or removed, parsed again so libvirt's
 * defaults (addresses, ...) apply.  *alias gets the event name. */
static virtkitDomainDef *
testDeviceApply(testHost *h, virtkitDomainDef *def, const virtkitXmlNode *dev, bool attach,
                char **alias)
{
    g_autoptr(virtkitDomainDef) copy = virtkitDomainDefCopy(def);
    virtkitXmlNode *root = virtkitDomainDefGetRoot(copy);
    virtkitXmlNode *devices = virtkitXmlNodeEnsureChild(root, "devices");
    virtkitXmlNode *found = NULL;
    g_autofree char *xml = NULL;
    virtkitDomainDef *ret;

    for (guint i = 0; i < devices->children->len; i++) {
        virtkitXmlNode *c = devices->children->pdata[i];
        if (testDeviceMatches(c, dev)) {
            found = c;
            break;
        }
    }
    if (attach) {
        if (found && strcmp(dev->name, "disk") == 0) {
            virtkitXmlNode *t = virtkitXmlNodeChild(dev, "target");
            TEST_REPORT(VIR_ERR_OPERATION_INVALID, "target %s already exists",
                        t ? virtkitXmlNodeGetAttr(t, "dev") : "?");
            return NULL;
        }
        found = virtkitXmlNodeAddChild(devices, virtkitXmlNodeCopy(dev), -1);
        if (strcmp(dev->name, "interface") == 0) {
            guint n = virtkitXmlNodeCountChildren(devices, "interface") - 1;
            virtkitXmlNode *t = virtkitXmlNodeChild(found, "target");
            if (!t || !virtkitXmlNodeGetAttr(t, "dev"))
                virtkitDomainDefAssignIfnames(copy, "testnet", &n);
        }
        *alias = testDeviceAlias(found);
    } else {
        if (!found) {
            g_autofree char *what = testDeviceDescribe(dev);
            TEST_REPORT(VIR_ERR_DEVICE_MISSING, "%s not found", what);
            return NULL;
        }
        *alias = testDeviceAlias(found);
        virtkitXmlNodeRemoveChild(devices, found);
    }
    xml = virtkitDomainDefFormat(copy, VIR_DOMAIN_XML_SECURE);
    ret = testParseDomain(h, xml, 0);
    if (!ret)
        g_clear_pointer(alias, g_free);
    return ret;
}

/* After a change was worked out with the host unlocked (from @configBase
 * and @liveBase, either NULL): -1 with an error when the definitions it
 * started from are no longer the domain's (the domain stopped, by
 * autodestroy, or left the host meanwhile), so a swap would lose that. */
static int
testChangeLost(testDom *d, virtkitDomainDef *configBase, virtkitDomainDef *liveBase)
{
    if (d->removed || (configBase && testDomConfigDef(d) != configBase) ||
        (liveBase && (d->def != liveBase || !testDomIsActive(d)))) {
        TEST_REPORT(VIR_ERR_OPERATION_FAILED,
                    "domain '%s' changed state while its definition was being changed",
                    testDomName(d));
        return -1;
    }
    return 0;
}

static int
testDeviceChange(virDomainPtr domain, const char *xml, unsigned int flags, bool attach)
{
    testHost *h;
    testDom *d;
    int ret = -1;
    g_autoptr(GError) error = NULL;
    g_autoptr(virtkitXmlNode) dev = NULL;
    g_autoptr(virtkitDomainDef) live = NULL;
    g_autoptr(virtkitDomainDef) config = NULL;
    g_autofree char *alias = NULL;
    g_autofree char *alias2 = NULL;
    virtkitDomainDef *configBase = NULL, *liveBase = NULL;
    bool ok;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (!(dev = virtkitXmlParse(xml, 0, NULL, "device definition", &error))) {
        testReportGError(error);
        return -1;
    }
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testJobBegin(h, d, attach ? "attach device" : "detach device",
                     VIR_DOMAIN_JOB_OPERATION_UNKNOWN) < 0)
        goto cleanup;
    if (testUpdateImpact(d, &flags) < 0)
        goto endjob;
    /* Copied, changed and parsed again with the job held and the host
     * unlocked, from references to the definitions (the job keeps every
     * other change out; a swap under the lock replaces, never edits). */
    if (flags & VIR_DOMAIN_AFFECT_CONFIG)
        configBase = virtkitDomainDefRef(testDomConfigDef(d));
    if (flags & VIR_DOMAIN_AFFECT_LIVE)
        liveBase = virtkitDomainDefRef(d->def);
    testHostUnlock(h);
    ok = (!configBase || (config = testDeviceApply(h, configBase, dev, attach, &alias2))) &&
         (!liveBase || (live = testDeviceApply(h, liveBase, dev, attach, &alias)));
    g_mutex_lock(&h->lock);
    if (!ok || testChangeLost(d, configBase, liveBase) < 0)
        goto endjob;
    if (config) {
        virtkitDomainDef **slot = d->newDef ? &d->newDef : &d->def;
        testHostDeferFree(h, *slot);
        *slot = g_steal_pointer(&config);
    }
    if (live) {
        virtkitDomainEvent ev = { .struct_size = sizeof(ev),
                                  .event_id = attach ? VIR_DOMAIN_EVENT_ID_DEVICE_ADDED
                                                     : VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
                                  .str1 = alias };
        testHostDeferFree(h, d->def);
        d->def = g_steal_pointer(&live);
        testEmit(h, domain, &ev);
    }
    ret = 0;
 endjob:
    testJobEnd(h, d);
 cleanup:
    testHostDeferFree(h, configBase);
    testHostDeferFree(h, liveBase);
    testDomEnd(h, d);
    return ret;
}

int
testDomainAttachDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags)
{
    return testDeviceChange(domain, xml, flags, true);
}

int
testDomainDetachDeviceFlags(virDomainPtr domain, const char *xml, unsigned int flags)
{
    return testDeviceChange(domain, xml, flags, false);
}

/* ======================================================================
 * Tunables
 * ==================================================================== */

static void
testEmitTunable(testHost *h, virDomainPtr domain, virTypedParameterPtr params, int nparams)
{
    virtkitDomainEvent ev = { .struct_size = sizeof(ev), .event_id = VIR_DOMAIN_EVENT_ID_TUNABLE,
                              .params = params, .nparams = nparams };
    if (nparams > 0)
        testEmit(h, domain, &ev);
}

char *
testDomainGetSchedulerType(virDomainPtr domain, int *nparams)
{
    testHost *h;
    testDom *d = testDomBegin(domain, &h);

    if (!d)
        return NULL;
    testDomEnd(h, d);
    if (nparams)
        *nparams = 1;
    return g_strdup("fair");
}

int
testDomainGetSchedulerParametersFlags(virDomainPtr domain, virTypedParameterPtr *params,
                                      int *nparams, unsigned int flags)
{
    testHost *h;
    testDom *d;
    int max = 0, ret = -1;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                     VIR_TYPED_PARAM_STRING_OKAY, -1);
    flags &= ~VIR_TYPED_PARAM_STRING_OKAY;
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testUpdateImpact(d, &flags) < 0)
        goto cleanup;
    *params = NULL;
    *nparams = 0;
    testHostTable->typedParamsAdd(params, nparams, &max, VIR_DOMAIN_SCHEDULER_WEIGHT,
                                  VIR_TYPED_PARAM_UINT, d->schedWeight);
    ret = 0;
 cleanup:
    testDomEnd(h, d);
    return ret;
}

int
testDomainSetSchedulerParametersFlags(virDomainPtr domain, virTypedParameterPtr params,
                                      int nparams, unsigned int flags)
{
    static const virtkitTypedParamSpec spec[] = {
        VIRTKIT_TYPED_PARAM_SPEC(VIR_DOMAIN_SCHEDULER_WEIGHT, VIR_TYPED_PARAM_UINT),
    };
    testHost *h;
    testDom *d;
    int ret = -1;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (testHostTable->typedParamsValidate(params, nparams, spec, G_N_ELEMENTS(spec)) < 0)
        return -1;
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testJobBegin(h, d, "set scheduler parameters", VIR_DOMAIN_JOB_OPERATION_UNKNOWN) < 0)
        goto cleanup;
    if (testUpdateImpact(d, &flags) < 0)
        goto endjob;
    for (int i = 0; i < nparams; i++) {
        if (params[i].value.ui < 2 || params[i].value.ui > 262144) {
            TEST_REPORT(VIR_ERR_INVALID_ARG,
                        "scheduler weight %u of domain '%s' is out of range (2-262144)",
                        params[i].value.ui, testDomName(d));
            goto endjob;
        }
    }
    for (int i = 0; i < nparams; i++)
        d->schedWeight = params[i].value.ui;
    if (flags & VIR_DOMAIN_AFFECT_LIVE) {
        virTypedParameterPtr ev = NULL;
        int nev = 0, maxev = 0;
        testHostTable->typedParamsAdd(&ev, &nev, &maxev, VIR_DOMAIN_TUNABLE_CPU_CPU_SHARES,
                                      VIR_TYPED_PARAM_ULLONG,
                                      (unsigned long long)d->schedWeight);
        testEmitTunable(h, domain, ev, nev);
        testHostTable->typedParamsFree(ev, nev);
    }
    ret = 0;
 endjob:
    testJobEnd(h, d);
 cleanup:
    testDomEnd(h, d);
    return ret;
}

int
testDomainGetMemoryParameters(virDomainPtr domain, virTypedParameterPtr *params, int *nparams,
                              unsigned int flags)
{
    testHost *h;
    testDom *d;
    int max = 0, ret = -1;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                     VIR_TYPED_PARAM_STRING_OKAY, -1);
    flags &= ~VIR_TYPED_PARAM_STRING_OKAY;
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testUpdateImpact(d, &flags) < 0)
        goto cleanup;
    *params = NULL;
    *nparams = 0;
    testHostTable->typedParamsAdd(params, nparams, &max, VIR_DOMAIN_MEMORY_HARD_LIMIT,
                                  VIR_TYPED_PARAM_ULLONG, d->memHard);
    testHostTable->typedParamsAdd(params, nparams, &max, VIR_DOMAIN_MEMORY_SOFT_LIMIT,
                                  VIR_TYPED_PARAM_ULLONG, d->memSoft);
    testHostTable->typedParamsAdd(params, nparams, &max, VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT,
                                  VIR_TYPED_PARAM_ULLONG, d->memSwap);
    ret = 0;
 cleanup:
    testDomEnd(h, d);
    return ret;
}

int
testDomainSetMemoryParameters(virDomainPtr domain, virTypedParameterPtr params, int nparams,
                              unsigned int flags)
{
    static const virtkitTypedParamSpec spec[] = {
        VIRTKIT_TYPED_PARAM_SPEC(VIR_DOMAIN_MEMORY_HARD_LIMIT, VIR_TYPED_PARAM_ULLONG),
        VIRTKIT_TYPED_PARAM_SPEC(VIR_DOMAIN_MEMORY_SOFT_LIMIT, VIR_TYPED_PARAM_ULLONG),
        VIRTKIT_TYPED_PARAM_SPEC(VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT, VIR_TYPED_PARAM_ULLONG),
    };
    testHost *h;
    testDom *d;
    int ret = -1;
    unsigned long long hard, soft, swap;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (testHostTable->typedParamsValidate(params, nparams, spec, G_N_ELEMENTS(spec)) < 0)
        return -1;
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testJobBegin(h, d, "set memory parameters", VIR_DOMAIN_JOB_OPERATION_UNKNOWN) < 0)
        goto cleanup;
    if (testUpdateImpact(d, &flags) < 0)
        goto endjob;
    hard = d->memHard;
    soft = d->memSoft;
    swap = d->memSwap;
    for (int i = 0; i < nparams; i++) {
        unsigned long long v = MIN(params[i].value.ul,
                                   (unsigned long long)VIR_DOMAIN_MEMORY_PARAM_UNLIMITED);
        if (strcmp(params[i].field, VIR_DOMAIN_MEMORY_HARD_LIMIT) == 0)
            hard = v;
        else if (strcmp(params[i].field, VIR_DOMAIN_MEMORY_SOFT_LIMIT) == 0)
            soft = v;
        else
            swap = v;
    }
    if (hard > swap) {
        TEST_REPORT(VIR_ERR_INVALID_ARG,
                    "memory hard_limit tunable value must be lower than or equal to "
                    "swap_hard_limit (domain '%s': %llu > %llu KiB)", testDomName(d), hard, swap);
        goto endjob;
    }
    d->memHard = hard;
    d->memSoft = soft;
    d->memSwap = swap;
    ret = 0;
 endjob:
    testJobEnd(h, d);
 cleanup:
    testDomEnd(h, d);
    return ret;
}

static const char *const testBlkioStringFields[TEST_BLKIO_NSTRINGS] = {
    VIR_DOMAIN_BLKIO_DEVICE_WEIGHT,
    VIR_DOMAIN_BLKIO_DEVICE_READ_IOPS,
    VIR_DOMAIN_BLKIO_DEVICE_WRITE_IOPS,
    VIR_DOMAIN_BLKIO_DEVICE_READ_BPS,
    VIR_DOMAIN_BLKIO_DEVICE_WRITE_BPS,
};

/* Longest per-device blkio list the test host keeps: a few thousand devices,
 * and a bound, so one call cannot store (and emit in events) megabytes. */
#define TEST_BLKIO_DEVICES_MAX 65536

/* Checks a per-device blkio list as libvirt parses it: "" (none), or
 * "PATH,VALUE[,PATH,VALUE...]" with unsigned numbers; libvirt's codes,
 * domain and words.  Returns 0, or -1 with the error reported. */
static int
testBlkioDevicesCheck(const char *field, const char *str)
{
    g_auto(GStrv) parts = NULL;
    size_t len = strnlen(str, TEST_BLKIO_DEVICES_MAX + 1);
    guint n;

    if (len > TEST_BLKIO_DEVICES_MAX) {
        TEST_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG,
                         "blkio device list '%s' is longer than the limit of %d bytes",
                         field, TEST_BLKIO_DEVICES_MAX);
        return -1;
    }
    if (!*str)
        return 0;
    parts = g_strsplit(str, ",", -1);
    n = g_strv_length(parts);
    if (n % 2 != 0) {
        TEST_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG,
                         "unable to parse blkio device '%s' '%s'", field, str);
        return -1;
    }
    for (guint i = 0; i < n; i += 2) {
        guint64 v;

        if (!*parts[i] || !g_ascii_string_to_unsigned(parts[i + 1], 10, 0,
                                                     strcmp(field, VIR_DOMAIN_BLKIO_DEVICE_WEIGHT)
                                                     == 0 ? G_MAXUINT : G_MAXUINT64,
                                                     &v, NULL)) {
            TEST_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_INVALID_ARG,
                             "invalid value '%s' for parameter '%s' of device '%s'",
                             parts[i + 1], field, parts[i]);
            return -1;
        }
    }
    return 0;
}

int
testDomainGetBlkioParameters(virDomainPtr domain, virTypedParameterPtr *params, int *nparams,
                             unsigned int flags)
{
    testHost *h;
    testDom *d;
    int max = 0, ret = -1;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG |
                     VIR_TYPED_PARAM_STRING_OKAY, -1);
    flags &= ~VIR_TYPED_PARAM_STRING_OKAY;
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testUpdateImpact(d, &flags) < 0)
        goto cleanup;
    *params = NULL;
    *nparams = 0;
    testHostTable->typedParamsAdd(params, nparams, &max, VIR_DOMAIN_BLKIO_WEIGHT,
                                  VIR_TYPED_PARAM_UINT, d->blkioWeight);
    for (int i = 0; i < TEST_BLKIO_NSTRINGS; i++)
        testHostTable->typedParamsAdd(params, nparams, &max, testBlkioStringFields[i],
                                      VIR_TYPED_PARAM_STRING, d->blkioStrings[i]);
    ret = 0;
 cleanup:
    testDomEnd(h, d);
    return ret;
}

int
testDomainSetBlkioParameters(virDomainPtr domain, virTypedParameterPtr params, int nparams,
                             unsigned int flags)
{
    static const virtkitTypedParamSpec spec[] = {
        VIRTKIT_TYPED_PARAM_SPEC(VIR_DOMAIN_BLKIO_WEIGHT, VIR_TYPED_PARAM_UINT),
        VIRTKIT_TYPED_PARAM_SPEC(VIR_DOMAIN_BLKIO_DEVICE_WEIGHT, VIR_TYPED_PARAM_STRING),
        VIRTKIT_TYPED_PARAM_SPEC(VIR_DOMAIN_BLKIO_DEVICE_READ_IOPS, VIR_TYPED_PARAM_STRING),
        VIRTKIT_TYPED_PARAM_SPEC(VIR_DOMAIN_BLKIO_DEVICE_WRITE_IOPS, VIR_TYPED_PARAM_STRING),
        VIRTKIT_TYPED_PARAM_SPEC(VIR_DOMAIN_BLKIO_DEVICE_READ_BPS, VIR_TYPED_PARAM_STRING),
        VIRTKIT_TYPED_PARAM_SPEC(VIR_DOMAIN_BLKIO_DEVICE_WRITE_BPS, VIR_TYPED_PARAM_STRING),
    };
    testHost *h;
    testDom *d;
    int ret = -1;
    virTypedParameterPtr ev = NULL;
    int nev = 0, maxev = 0;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (testHostTable->typedParamsValidate(params, nparams, spec, G_N_ELEMENTS(spec)) < 0)
        return -1;
    for (int i = 0; i < nparams; i++) {
        if (params[i].type == VIR_TYPED_PARAM_UINT &&
            (params[i].value.ui < 100 || params[i].value.ui > 1000)) {
            TEST_REPORT(VIR_ERR_INVALID_ARG, "out of blkio weight range: %u (100-1000)",
                        params[i].value.ui);
            return -1;
        }
        if (params[i].type == VIR_TYPED_PARAM_STRING &&
            testBlkioDevicesCheck(params[i].field, params[i].value.s ? params[i].value.s : "") < 0)
            return -1;
    }
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testJobBegin(h, d, "set blkio parameters", VIR_DOMAIN_JOB_OPERATION_UNKNOWN) < 0)
        goto cleanup;
    if (testUpdateImpact(d, &flags) < 0)
        goto endjob;
    for (int i = 0; i < nparams; i++) {
        if (params[i].type == VIR_TYPED_PARAM_UINT) {
            d->blkioWeight = params[i].value.ui;
            testHostTable->typedParamsAdd(&ev, &nev, &maxev, "blkiotune.weight",
                                          VIR_TYPED_PARAM_UINT, d->blkioWeight);
            continue;
        }
        for (int j = 0; j < TEST_BLKIO_NSTRINGS; j++) {
            if (strcmp(params[i].field, testBlkioStringFields[j]) == 0) {
                g_autofree char *name = g_strdup_printf("blkiotune.%s", params[i].field);
                g_free(d->blkioStrings[j]);
                d->blkioStrings[j] = g_strdup(params[i].value.s ? params[i].value.s : "");
                testHostTable->typedParamsAdd(&ev, &nev, &maxev, name, VIR_TYPED_PARAM_STRING,
                                              d->blkioStrings[j]);
            }
        }
    }
    if (flags & VIR_DOMAIN_AFFECT_LIVE)
        testEmitTunable(h, domain, ev, nev);
    ret = 0;
 endjob:
    testJobEnd(h, d);
 cleanup:
    testHostTable->typedParamsFree(ev, nev);
    testDomEnd(h, d);
    return ret;
}

/* ======================================================================
 * Metadata
 * ==================================================================== */

/* Replaces (or with @fragment NULL removes) the <metadata> element of
 * namespace @uri in @def; @fragment gets @key as its prefix. */
static int
testMetadataElementIn(vkXmlErrors *xerr, virtkitXmlNode *root, const char *fragment,
                      const char *key, const char *uri)
{
    virtkitXmlNode *meta = virtkitXmlNodeChild(root, "metadata");
    g_autofree char *wrapped = g_strdup_printf("<metadata>%s</metadata>",
                                               meta && meta->verbatim ? meta->verbatim : "");
    xmlDocPtr doc = vkXmlReadMemory(xerr, wrapped, (int)strlen(wrapped), XML_PARSE_NOBLANKS);
    xmlNodePtr mroot, next;
    GString *out;

    if (!doc) {
        TEST_REPORT(VIR_ERR_INTERNAL_ERROR, "the domain's <metadata> does not parse");
        return -1;
    }
    mroot = xmlDocGetRootElement(doc);
    for (xmlNodePtr c = mroot->children; c; c = next) {
        next = c->next;
        if (c->type == XML_ELEMENT_NODE && c->ns && c->ns->href &&
            strcmp((const char *)c->ns->href, uri) == 0) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        }
    }
    if (fragment) {
        xmlDocPtr frag = vkXmlReadMemory(xerr, fragment, (int)strlen(fragment),
                                         XML_PARSE_NOBLANKS);
        xmlNodePtr froot, copy;
        xmlNsPtr ns;

        if (!frag || !(froot = xmlDocGetRootElement(frag))) {
            /* libvirt's code, domain and words, pointing into the fragment */
            g_autofree char *msg = vkXmlErrorsFormat(xerr, "metadata_xml", fragment);
            if (frag)
                xmlFreeDoc(frag);
            xmlFreeDoc(doc);
            TEST_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_XML_DETAIL, "%s", msg);
            return -1;
        }
        copy = xmlDocCopyNode(froot, doc, 1);
        xmlFreeDoc(frag);
        xmlAddChild(mroot, copy);
        ns = xmlNewNs(copy, BAD_CAST uri, BAD_CAST key);
        /* every element without a namespace of its own joins @uri */
        for (xmlNodePtr n = copy; n;) {
            if (n->type == XML_ELEMENT_NODE && !n->ns)
                xmlSetNs(n, ns);
            if (n->children) {
                n = n->children;
                continue;
            }
            while (n && n != copy && !n->next)
                n = n->parent;
            if (!n || n == copy)
                break;
            n = n->next;
        }
    }
    out = g_string_new(NULL);
    for (xmlNodePtr c = mroot->children; c; c = c->next) {
        xmlBufferPtr xb;
        if (c->type != XML_ELEMENT_NODE)
            continue;
        xb = xmlBufferCreate();
        xmlNodeDump(xb, doc, c, 0, 1);
        g_string_append(out, (const char *)xmlBufferContent(xb));
        g_string_append_c(out, '\n');
        xmlBufferFree(xb);
    }
    xmlFreeDoc(doc);
    if (out->len == 0) {
        g_string_free(out, TRUE);
        if (meta)
            virtkitXmlNodeRemoveChild(root, meta);
        return 0;
    }
    if (!meta)
        meta = virtkitXmlNodeAddNewChild(root, "metadata");
    g_free(meta->verbatim);
    meta->verbatim = g_string_free(out, FALSE);
    return 0;
}

/* testMetadataElementIn with every libxml2 error kept off stderr. */
static int
testMetadataElement(virtkitXmlNode *root, const char *fragment, const char *key,
                    const char *uri)
{
    vkXmlErrors xerr;
    int ret;

    vkXmlErrorsBegin(&xerr);
    ret = testMetadataElementIn(&xerr, root, fragment, key, uri);
    vkXmlErrorsEnd(&xerr);
    return ret;
}

static virtkitDomainDef *
testMetadataApply(testHost *h, virtkitDomainDef *def, int type, const char *metadata,
                  const char *key, const char *uri)
{
    g_autoptr(virtkitDomainDef) copy = virtkitDomainDefCopy(def);
    g_autofree char *xml = NULL;
    const char *value = metadata && *metadata ? metadata : NULL;

    switch (type) {
    case VIR_DOMAIN_METADATA_DESCRIPTION:
        virtkitDomainDefSetDescription(copy, value);
        break;
    case VIR_DOMAIN_METADATA_TITLE:
        if (value && strchr(value, '\n')) {
            TEST_REPORT(VIR_ERR_INVALID_ARG, "Domain title can't contain newlines");
            return NULL;
        }
        virtkitDomainDefSetTitle(copy, value);
        break;
    case VIR_DOMAIN_METADATA_ELEMENT:
        /* '' is a fragment that does not parse, as in libvirt; only NULL removes */
        if (testMetadataElement(virtkitDomainDefGetRoot(copy), metadata, key, uri) < 0)
            return NULL;
        break;
    }
    xml = virtkitDomainDefFormat(copy, VIR_DOMAIN_XML_SECURE);
    return testParseDomain(h, xml, 0);
}

int
testDomainSetMetadata(virDomainPtr domain, int type, const char *metadata, const char *key,
                      const char *uri, unsigned int flags)
{
    testHost *h;
    testDom *d;
    int ret = -1;
    g_autoptr(virtkitDomainDef) live = NULL;
    g_autoptr(virtkitDomainDef) config = NULL;
    virtkitDomainDef *configBase = NULL, *liveBase = NULL;
    bool ok;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, -1);
    if (type < VIR_DOMAIN_METADATA_DESCRIPTION || type > VIR_DOMAIN_METADATA_ELEMENT) {
        TEST_REPORT(VIR_ERR_INVALID_ARG, "unknown metadata type '%d'", type);
        return -1;
    }
    if (type == VIR_DOMAIN_METADATA_ELEMENT && (!uri || (metadata && !key))) {
        TEST_REPORT(VIR_ERR_INVALID_ARG,
                    "metadata of type element needs a namespace URI and, to set it, a key");
        return -1;
    }
    if (type == VIR_DOMAIN_METADATA_ELEMENT && metadata && xmlValidateNCName(BAD_CAST key, 0)) {
        /* '' or 'a b' cannot be a namespace prefix: libvirt's code, domain and words */
        TEST_REPORT_FROM(VIR_FROM_XML, VIR_ERR_INTERNAL_ERROR,
                         "failed to validate prefix for a new XML namespace");
        return -1;
    }
    if (type == VIR_DOMAIN_METADATA_ELEMENT && metadata && strcmp(key, "xmlns") == 0) {
        /* libvirt accepts it and writes an element no namespace-aware parser
         * reads back; here it would be lost, so it is refused */
        TEST_REPORT(VIR_ERR_INVALID_ARG,
                    "metadata key 'xmlns' cannot be a namespace prefix: XML reserves it");
        return -1;
    }
    if (type == VIR_DOMAIN_METADATA_ELEMENT && !*uri) {
        /* a prefix cannot be bound to the empty namespace name (XML
         * namespaces 1.0): the element would be lost */
        TEST_REPORT(VIR_ERR_INVALID_ARG,
                    "metadata of type element needs a non-empty namespace URI");
        return -1;
    }
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testJobBegin(h, d, "set metadata", VIR_DOMAIN_JOB_OPERATION_UNKNOWN) < 0)
        goto cleanup;
    if (testUpdateImpact(d, &flags) < 0)
        goto endjob;
    /* worked out with the job held and the host unlocked, as a device change */
    if (flags & VIR_DOMAIN_AFFECT_CONFIG)
        configBase = virtkitDomainDefRef(testDomConfigDef(d));
    if (flags & VIR_DOMAIN_AFFECT_LIVE)
        liveBase = virtkitDomainDefRef(d->def);
    testHostUnlock(h);
    ok = (!configBase ||
          (config = testMetadataApply(h, configBase, type, metadata, key, uri))) &&
         (!liveBase || (live = testMetadataApply(h, liveBase, type, metadata, key, uri)));
    g_mutex_lock(&h->lock);
    if (!ok || testChangeLost(d, configBase, liveBase) < 0)
        goto endjob;
    if (config) {
        virtkitDomainDef **slot = d->newDef ? &d->newDef : &d->def;
        testHostDeferFree(h, *slot);
        *slot = g_steal_pointer(&config);
    }
    if (live) {
        testHostDeferFree(h, d->def);
        d->def = g_steal_pointer(&live);
    }
    {
        virtkitDomainEvent ev = { .struct_size = sizeof(ev),
                                  .event_id = VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
                                  .event = type,
                                  .str1 = type == VIR_DOMAIN_METADATA_ELEMENT ? uri : NULL };
        testEmit(h, domain, &ev);
    }
    ret = 0;
 endjob:
    testJobEnd(h, d);
 cleanup:
    testHostDeferFree(h, configBase);
    testHostDeferFree(h, liveBase);
    testDomEnd(h, d);
    return ret;
}

char *
testDomainGetMetadata(virDomainPtr domain, int type, const char *uri, unsigned int flags)
{
    testHost *h;
    testDom *d;
    char *ret = NULL;
    virtkitDomainDef *def;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG, NULL);
    if (!(d = testDomBegin(domain, &h)))
        return NULL;
    if (testUpdateImpact(d, &flags) < 0)
        goto cleanup;
    def = (flags & VIR_DOMAIN_AFFECT_LIVE) ? d->def : testDomConfigDef(d);
    switch (type) {
    case VIR_DOMAIN_METADATA_DESCRIPTION:
        ret = g_strdup(virtkitDomainDefGetDescription(def));
        break;
    case VIR_DOMAIN_METADATA_TITLE:
        ret = g_strdup(virtkitDomainDefGetTitle(def));
        break;
    case VIR_DOMAIN_METADATA_ELEMENT:
        ret = uri ? virtkitDomainDefGetMetadata(def, uri) : NULL;
        break;
    default:
        TEST_REPORT(VIR_ERR_INVALID_ARG, "unknown metadata type '%d'", type);
        goto cleanup;
    }
    if (!ret)
        TEST_REPORT_FROM(VIR_FROM_DOMAIN, VIR_ERR_NO_DOMAIN_METADATA,
                         "Requested metadata element is not present");
 cleanup:
    testDomEnd(h, d);
    return ret;
}

/* ======================================================================
 * Block devices
 * ==================================================================== */

typedef struct {
    const char *target;
    const char *path;       /* source file/dev, may be NULL */
    bool readonly;
    guint index;            /* among all the disks (set by the stats only) */
} testDisk;

static bool
testDiskGet(const virtkitXmlNode *node, testDisk *out)
{
    virtkitXmlNode *t = virtkitXmlNodeChild(node, "target");
    virtkitXmlNode *s = virtkitXmlNodeChild(node, "source");

    if (!t || !virtkitXmlNodeGetAttr(t, "dev"))
        return false;
    out->target = virtkitXmlNodeGetAttr(t, "dev");
    out->path = NULL;
    if (s) {
        out->path = virtkitXmlNodeGetAttr(s, "file");
        if (!out->path)
            out->path = virtkitXmlNodeGetAttr(s, "dev");
        if (!out->path)
            out->path = virtkitXmlNodeGetAttr(s, "dir");
    }
    out->readonly = virtkitXmlNodeChild(node, "readonly") != NULL;
    return true;
}

/* A disk named by its target (vda) or its source path; *index gets its
 * position among the disks. */
static bool
testDiskFind(testDom *d, const char *name, testDisk *out, guint *index)
{
    g_autoptr(GPtrArray) disks = virtkitDomainDefGetDevices(d->def, "disk");

    for (guint i = 0; i < disks->len; i++) {
        testDisk disk;
        if (!testDiskGet(disks->pdata[i], &disk))
            continue;
        if (strcmp(disk.target, name) == 0 || g_strcmp0(disk.path, name) == 0) {
            *out = disk;
            if (index)
                *index = i;
            return true;
        }
    }
    return false;
}

/*
 * What the bulk statistics need of a domain's definition, kept beside the
 * domain: walking 1000 definitions' trees and stat()ing 1000 files on
 * every virConnectGetAllDomainStats cost more than everything else the
 * call does (most of a microsecond a disk in the system call alone).
 * Built from the definition whose serial it records, rebuilt when
 * d->def is another one or was changed through its setters (memory and
 * vCPUs are; devices never are edited in place: attach and detach build
 * a new definition).  A disk's file sizes are read by the first bulk call
 * that reports them, and again by every virDomainGetBlockInfo and
 * virDomainBlockResize of that disk, which read the file at each call
 * and refresh what the bulk calls report: libvirt's test driver reports
 * fixed sizes, this one the file's as last read.
 */

typedef struct {
    char *target;
    char *path;                     /* NULL when the disk has none */
    guint index;                    /* among all the disks */
    unsigned long long sizes[3];    /* capacity, allocation, physical */
    bool sizesRead;
} testStatsDisk;

struct _testStatsCache {
    guint64 serial;
    unsigned long long balloon, memory;     /* KiB */
    guint vcpus, vcpusMax;
    guint ndisks;
    testStatsDisk *disks;
    guint nifs;
    char **ifnames;                 /* target dev of each interface, "" when none */
};

void
testStatsCacheFree(testStatsCache *c)
{
    if (!c)
        return;
    for (guint i = 0; i < c->ndisks; i++) {
        g_free(c->disks[i].target);
        g_free(c->disks[i].path);
    }
    g_free(c->disks);
    for (guint i = 0; i < c->nifs; i++)
        g_free(c->ifnames[i]);
    g_free(c->ifnames);
    g_free(c);
}

static testStatsCache *
testStatsCacheGet(testDom *d)
{
    guint64 serial = virtkitDomainDefGetSerial(d->def);
    testStatsCache *c = d->statsCache;
    virtkitXmlNode *devices;
    guint nd = 0, ni = 0, index = 0;

    if (c && c->serial == serial)
        return c;
    testStatsCacheFree(c);
    c = d->statsCache = g_new0(testStatsCache, 1);
    c->serial = serial;
    c->memory = virtkitDomainDefGetMemory(d->def);
    c->balloon = virtkitDomainDefGetCurrentMemory(d->def);
    if (!c->balloon)
        c->balloon = c->memory;
    c->vcpus = virtkitDomainDefGetVcpus(d->def);
    c->vcpusMax = virtkitDomainDefGetVcpusMax(d->def);
    devices = virtkitXmlNodeChild(virtkitDomainDefPeekRoot(d->def), "devices");
    for (guint k = 0; devices && k < devices->children->len; k++) {
        const char *name = ((virtkitXmlNode *)devices->children->pdata[k])->name;
        nd += strcmp(name, "disk") == 0;
        ni += strcmp(name, "interface") == 0;
    }
    c->disks = g_new0(testStatsDisk, nd);
    c->ifnames = g_new0(char *, ni);
    for (guint k = 0; devices && k < devices->children->len; k++) {
        virtkitXmlNode *n = devices->children->pdata[k];
        testDisk dk;

        if (strcmp(n->name, "interface") == 0) {
            virtkitXmlNode *t = virtkitXmlNodeChild(n, "target");
            const char *dev = t ? virtkitXmlNodeGetAttr(t, "dev") : NULL;
            c->ifnames[c->nifs++] = g_strdup(dev ? dev : "");
        } else if (strcmp(n->name, "disk") == 0) {
            if (testDiskGet(n, &dk)) {
                testStatsDisk *sd = &c->disks[c->ndisks++];
                sd->target = g_strdup(dk.target);
                sd->path = g_strdup(dk.path);
                sd->index = index;
            }
            index++;
        }
    }
    return c;
}

/* The sizes of the file at @path (capacity, allocation, physical, bytes);
 * the mock's fixed sizes when it is no regular file. */
static void
testDiskFileSizes(const char *path, unsigned long long sizes[3])
{
    struct stat st;

    if (path && g_stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        sizes[0] = sizes[2] = (unsigned long long)st.st_size;
        sizes[1] = (unsigned long long)st.st_blocks * 512ULL;
    } else {
        sizes[0] = TEST_DISK_CAPACITY;
        sizes[1] = sizes[2] = TEST_DISK_PHYSICAL;
    }
}

/* A size BlockResize set replaces the file's. */
static unsigned long long
testDiskCapacity(testDom *d, const char *target, unsigned long long file_capacity)
{
    guint64 *resized;

    if (!g_hash_table_size(d->diskCapacity))
        return file_capacity;
    resized = g_hash_table_lookup(d->diskCapacity, target);
    return resized ? *resized : file_capacity;
}

/* Capacity, allocation and physical size in bytes, read now; the bulk
 * statistics report these from now on. */
static void
testDiskSizes(testDom *d, const testDisk *disk, unsigned long long *capacity,
              unsigned long long *allocation, unsigned long long *physical)
{
    testStatsCache *c = testStatsCacheGet(d);
    unsigned long long sizes[3];

    testDiskFileSizes(disk->path, sizes);
    for (guint i = 0; i < c->ndisks; i++) {
        if (strcmp(c->disks[i].target, disk->target) == 0) {
            memcpy(c->disks[i].sizes, sizes, sizeof(sizes));
            c->disks[i].sizesRead = true;
        }
    }
    *capacity = testDiskCapacity(d, disk->target, sizes[0]);
    *allocation = sizes[1];
    *physical = sizes[2];
}

/* Counters that grow with the time the guest has run. */
static void
testDiskCounters(testDom *d, guint index, long long v[8])
{
    long long ms = (long long)(testDomUptimeNs(d) / 1000000ULL) + 1;
    long long k = index + 1;

    v[0] = ms * 4096 * k;   /* rd_bytes */
    v[1] = ms * k;          /* rd_operations */
    v[2] = ms * 1000 * k;   /* rd_total_times (ns) */
    v[3] = ms * 2048 * k;   /* wr_bytes */
    v[4] = ms / 2 * k;      /* wr_operations */
    v[5] = ms * 1500 * k;   /* wr_total_times */
    v[6] = ms / 10 * k;     /* flush_operations */
    v[7] = ms * 100 * k;    /* flush_total_times */
}

static int
testDiskLookupForStats(testDom *d, const char *name, testDisk *disk, guint *index)
{
    if (testCheckActive(d) < 0)
        return -1;
    if (!*name) {
        TEST_REPORT(VIR_ERR_OPERATION_UNSUPPORTED, "summary statistics are not supported yet");
        return -1;
    }
    if (!testDiskFind(d, name, disk, index)) {
        TEST_REPORT(VIR_ERR_INVALID_ARG, "invalid path: %s", name);
        return -1;
    }
    return 0;
}

int
testDomainBlockStatsFlags(virDomainPtr dom, const char *disk, virTypedParameterPtr *params,
                          int *nparams, unsigned int flags)
{
    static const char *const names[8] = {
        VIR_DOMAIN_BLOCK_STATS_READ_BYTES, VIR_DOMAIN_BLOCK_STATS_READ_REQ,
        VIR_DOMAIN_BLOCK_STATS_READ_TOTAL_TIMES, VIR_DOMAIN_BLOCK_STATS_WRITE_BYTES,
        VIR_DOMAIN_BLOCK_STATS_WRITE_REQ, VIR_DOMAIN_BLOCK_STATS_WRITE_TOTAL_TIMES,
        VIR_DOMAIN_BLOCK_STATS_FLUSH_REQ, VIR_DOMAIN_BLOCK_STATS_FLUSH_TOTAL_TIMES,
    };
    testHost *h;
    testDom *d;
    testDisk info;
    guint index;
    long long v[8];
    int max = 0, ret = -1;

    TEST_CHECK_FLAGS(flags, VIR_TYPED_PARAM_STRING_OKAY, -1);
    if (!(d = testDomBegin(dom, &h)))
        return -1;
    if (testDiskLookupForStats(d, disk, &info, &index) < 0)
        goto cleanup;
    testDiskCounters(d, index, v);
    *params = NULL;
    *nparams = 0;
    for (int i = 0; i < 8; i++)
        testHostTable->typedParamsAdd(params, nparams, &max, names[i], VIR_TYPED_PARAM_LLONG,
                                      v[i]);
    ret = 0;
 cleanup:
    testDomEnd(h, d);
    return ret;
}

int
testDomainGetBlockInfo(virDomainPtr domain, const char *disk, virDomainBlockInfoPtr info,
                       unsigned int flags)
{
    testHost *h;
    testDom *d;
    testDisk dk;
    int ret = -1;

    TEST_CHECK_FLAGS(flags, 0, -1);
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (!testDiskFind(d, disk, &dk, NULL)) {
        TEST_REPORT(VIR_ERR_INVALID_ARG, "invalid path %s not assigned to domain", disk);
        goto cleanup;
    }
    testDiskSizes(d, &dk, &info->capacity, &info->allocation, &info->physical);
    ret = 0;
 cleanup:
    testDomEnd(h, d);
    return ret;
}

int
testDomainBlockPeek(virDomainPtr dom, const char *disk, unsigned long long offset, size_t size,
                    void *buffer, unsigned int flags)
{
    testHost *h;
    testDom *d;
    testDisk dk;
    g_autofree char *path = NULL;
    g_autofree char *target = NULL;
    int fd;
    size_t done = 0;

    TEST_CHECK_FLAGS(flags, 0, -1);
    if (!(d = testDomBegin(dom, &h)))
        return -1;
    if (testCheckActive(d) < 0) {
        testDomEnd(h, d);
        return -1;
    }
    if (!testDiskFind(d, disk, &dk, NULL)) {
        TEST_REPORT(VIR_ERR_INVALID_ARG, "invalid path %s not assigned to domain", disk);
        testDomEnd(h, d);
        return -1;
    }
    if (!dk.path) {
        TEST_REPORT(VIR_ERR_OPERATION_INVALID, "disk '%s' of domain '%s' has no source to read",
                    dk.target, testDomName(d));
        testDomEnd(h, d);
        return -1;
    }
    path = g_strdup(dk.path);
    target = g_strdup(dk.target);
    testDomEnd(h, d);

    /* pread takes a signed offset: past 2^63 - 1 no byte can be addressed */
    if (offset > (unsigned long long)G_MAXINT64 || size > (size_t)G_MAXINT64 - offset) {
        TEST_REPORT(VIR_ERR_INVALID_ARG,
                    "cannot read %zu bytes at offset %llu of disk '%s' (%s): a disk's offsets "
                    "end at %" G_GINT64_FORMAT, size, offset, target, path, G_MAXINT64);
        return -1;
    }
    /* the read runs unlocked: the source may be slow */
    if ((fd = g_open(path, O_RDONLY | O_CLOEXEC, 0)) < 0) {
        TEST_REPORT(VIR_ERR_SYSTEM_ERROR, "cannot open disk '%s' (%s): %s", target, path,
                    g_strerror(errno));
        return -1;
    }
    /* a request past the end is refused before anything is written to the
     * caller's buffer */
    {
        struct stat sb;

        if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
            offset + size > (unsigned long long)sb.st_size) {
            TEST_REPORT(VIR_ERR_INVALID_ARG,
                        "cannot read %zu bytes at offset %llu of disk '%s' (%s): it ends "
                        "after %lld bytes", size, offset, target, path, (long long)sb.st_size);
            close(fd);
            return -1;
        }
    }
    while (done < size) {
        ssize_t r = pread(fd, (char *)buffer + done, size - done, (off_t)(offset + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            TEST_REPORT(VIR_ERR_SYSTEM_ERROR, "cannot read disk '%s' (%s): %s", target, path,
                        g_strerror(errno));
            close(fd);
            return -1;
        }
        if (r == 0) {
            TEST_REPORT(VIR_ERR_INVALID_ARG,
                        "cannot read %zu bytes at offset %llu of disk '%s' (%s): it ends "
                        "after %llu bytes", size, offset, target, path, offset + done);
            close(fd);
            return -1;
        }
        done += (size_t)r;
    }
    close(fd);
    return 0;
}

int
testDomainBlockResize(virDomainPtr dom, const char *disk, unsigned long long size,
                      unsigned int flags)
{
    testHost *h;
    testDom *d;
    testDisk dk;
    unsigned long long bytes = size, capacity, allocation, physical;
    int ret = -1;

    TEST_CHECK_FLAGS(flags, VIR_DOMAIN_BLOCK_RESIZE_BYTES, -1);
    if (!(flags & VIR_DOMAIN_BLOCK_RESIZE_BYTES)) {
        if (size > G_MAXUINT64 / 1024) {
            TEST_REPORT(VIR_ERR_OVERFLOW, "size %llu KiB for disk '%s' is too big", size, disk);
            return -1;
        }
        bytes = size * 1024;
    }
    if (!(d = testDomBegin(dom, &h)))
        return -1;
    if (testJobBegin(h, d, "block resize", VIR_DOMAIN_JOB_OPERATION_UNKNOWN) < 0)
        goto cleanup;
    if (testCheckActive(d) < 0)
        goto endjob;
    if (!testDiskFind(d, disk, &dk, NULL)) {
        TEST_REPORT(VIR_ERR_INVALID_ARG, "invalid path %s not assigned to domain", disk);
        goto endjob;
    }
    testDiskSizes(d, &dk, &capacity, &allocation, &physical);
    if (dk.readonly) {
        TEST_REPORT(VIR_ERR_OPERATION_INVALID,
                    "cannot resize read-only disk '%s' (%s) of domain '%s' from %llu to %llu "
                    "bytes", dk.target, dk.path ? dk.path : "no source", testDomName(d),
                    capacity, bytes);
        goto endjob;
    }
    if (bytes < capacity) {
        TEST_REPORT(VIR_ERR_INVALID_ARG,
                    "cannot shrink disk '%s' (%s) of domain '%s' from %llu to %llu bytes",
                    dk.target, dk.path ? dk.path : "no source", testDomName(d), capacity, bytes);
        goto endjob;
    }
    g_hash_table_replace(d->diskCapacity, g_strdup(dk.target), g_memdup2(&bytes, sizeof(bytes)));
    ret = 0;
 endjob:
    testJobEnd(h, d);
 cleanup:
    testDomEnd(h, d);
    return ret;
}

/* ======================================================================
 * Interfaces, control, memory
 * ==================================================================== */

int
testDomainInterfaceStats(virDomainPtr dom, const char *device, virDomainInterfaceStatsPtr stats,
                         size_t size)
{
    testHost *h;
    testDom *d;
    g_autoptr(GPtrArray) ifs = NULL;
    int index = -1, ret = -1;

    if (!(d = testDomBegin(dom, &h)))
        return -1;
    if (testCheckActive(d) < 0)
        goto cleanup;
    /* named by its target (testnet0) or its MAC, as libvirt allows */
    ifs = virtkitDomainDefGetDevices(d->def, "interface");
    for (guint i = 0; i < ifs->len && index < 0; i++) {
        virtkitXmlNode *t = virtkitXmlNodeChild(ifs->pdata[i], "target");
        virtkitXmlNode *m = virtkitXmlNodeChild(ifs->pdata[i], "mac");
        if ((t && g_strcmp0(virtkitXmlNodeGetAttr(t, "dev"), device) == 0) ||
            (m && g_ascii_strcasecmp(virtkitXmlNodeGetAttr(m, "address") ?: "", device) == 0))
            index = (int)i;
    }
    if (index < 0) {
        TEST_REPORT(VIR_ERR_INVALID_ARG, "invalid path, '%s' is not a known interface", device);
        goto cleanup;
    }
    {
        long long ms = (long long)(testDomUptimeNs(d) / 1000000ULL) + 1;
        long long k = index + 1;
        virDomainInterfaceStatsStruct st = {
            .rx_bytes = ms * 1500 * k, .rx_packets = ms * k, .rx_errs = 0, .rx_drop = 0,
            .tx_bytes = ms * 700 * k, .tx_packets = ms / 2 * k, .tx_errs = 0, .tx_drop = 0,
        };
        memset(stats, 0, size);
        memcpy(stats, &st, MIN(size, sizeof(st)));
    }
    ret = 0;
 cleanup:
    testDomEnd(h, d);
    return ret;
}

int
testDomainGetControlInfo(virDomainPtr domain, virDomainControlInfoPtr info, unsigned int flags)
{
    testHost *h;
    testDom *d;
    int ret = -1;

    TEST_CHECK_FLAGS(flags, 0, -1);
    if (!(d = testDomBegin(domain, &h)))
        return -1;
    if (testCheckActive(d) < 0)
        goto cleanup;
    memset(info, 0, sizeof(*info));
    /* a job in progress keeps the domain busy, as a monitor call would */
    if (d->job) {
        info->state = VIR_DOMAIN_CONTROL_JOB;
        info->stateTime = (unsigned long long)((g_get_monotonic_time() - d->jobSinceMono) / 1000);
    } else {
        info->state = VIR_DOMAIN_CONTROL_OK;
    }
    ret = 0;
 cleanup:
    testDomEnd(h, d);
    return ret;
}

int
testDomainMemoryStats(virDomainPtr dom, virDomainMemoryStatPtr stats, unsigned int nr_stats,
                      unsigned int flags)
{
    testHost *h;
    testDom *d;
    unsigned long long cur;
    virDomainMemoryStatStruct all[4];
    unsigned int n = 0;

    TEST_CHECK_FLAGS(flags, 0, -1);
    if (!(d = testDomBegin(dom, &h)))
        return -1;
    if (testCheckActive(d) < 0) {
        testDomEnd(h, d);
        return -1;
    }
    cur = virtkitDomainDefGetCurrentMemory(d->def);
    if (!cur)
        cur = virtkitDomainDefGetMemory(d->def);
    all[0] = (virDomainMemoryStatStruct){ VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, cur };
    all[1] = (virDomainMemoryStatStruct){ VIR_DOMAIN_MEMORY_STAT_UNUSED, cur / 2 };
    all[2] = (virDomainMemoryStatStruct){ VIR_DOMAIN_MEMORY_STAT_AVAILABLE, cur };
    all[3] = (virDomainMemoryStatStruct){ VIR_DOMAIN_MEMORY_STAT_RSS, cur / 4 };
    testDomEnd(h, d);
    for (; n < nr_stats && n < G_N_ELEMENTS(all); n++)
        stats[n] = all[n];
    return (int)n;
}

/* ======================================================================
 * Domain statistics
 * ==================================================================== */

#define TEST_STATS_SUPPORTED \
    (VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL | VIR_DOMAIN_STATS_BALLOON | \
     VIR_DOMAIN_STATS_VCPU | VIR_DOMAIN_STATS_INTERFACE | VIR_DOMAIN_STATS_BLOCK)

#define TEST_STATS_FILTERS \
    (VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE | VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE | \
     VIR_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT | VIR_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT | \
     VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING | VIR_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED | \
     VIR_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF | VIR_CONNECT_GET_ALL_DOMAINS_STATS_OTHER)

#define TEST_STATS_FLAGS \
    (VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT | VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING | \
     VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS)

static int
testStatsCheck(unsigned int *stats, unsigned int flags)
{
    if (*stats & ~TEST_STATS_SUPPORTED) {
        if (flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS) {
            TEST_REPORT(VIR_ERR_ARGUMENT_UNSUPPORTED,
                        "Stats types bits 0x%x are not supported by this daemon",
                        *stats & ~TEST_STATS_SUPPORTED);
            return -1;
        }
        *stats &= TEST_STATS_SUPPORTED;
    }
    if (*stats == 0)
        *stats = TEST_STATS_SUPPORTED;
    return 0;
}

/* @prefix@idx@suffix (or @prefix alone when @suffix is NULL) into a typed
 * parameter's field; the names here are far shorter than the field. */
static void
testParamName(char field[VIR_TYPED_PARAM_FIELD_LENGTH], const char *prefix, const char *suffix,
              guint idx)
{
    char digits[16];
    gsize np = strlen(prefix), nd = 0, ns;

    memcpy(field, prefix, np);
    if (!suffix) {
        field[np] = '\0';
        return;
    }
    do {
        digits[nd++] = (char)('0' + idx % 10);
        idx /= 10;
    } while (idx);
    for (gsize i = 0; i < nd; i++)
        field[np + i] = digits[nd - 1 - i];
    ns = strlen(suffix);
    memcpy(field + np + nd, suffix, ns + 1);
}

static virDomainStatsRecordPtr
testStatsRecord(virConnectPtr conn, testDom *d, unsigned int stats)
{
    virDomainStatsRecordPtr rec = g_new0(virDomainStatsRecord, 1);
    bool active = testDomIsActive(d);
    bool ifs = (stats & VIR_DOMAIN_STATS_INTERFACE) && active;
    testStatsCache *c = testStatsCacheGet(d);
    int max = 9;                  /* state, cpu, balloon, vcpu */
    virTypedParameterPtr p;

    rec->dom = testHostTable->domainNew(conn, testDomName(d), d->uuid, d->id);
    if (ifs)
        max += 1 + c->nifs;
    if (stats & VIR_DOMAIN_STATS_BLOCK)
        max += 1 + 7 * c->ndisks;
    /* the array at its final size, filled in place: what typedParamsAdd
     * would have built, without its checks, varargs and reallocations */
    rec->params = g_new0(virTypedParameter, max);

#define TEST_PARAM(name, t) \
    (p = &rec->params[rec->nparams++], testParamName(p->field, (name), NULL, 0), \
     p->type = (t), p)
#define TEST_PARAM_IDX(prefix, idx, suffix, t) \
    (p = &rec->params[rec->nparams++], testParamName(p->field, (prefix), (suffix), (idx)), \
     p->type = (t), p)

    if (stats & VIR_DOMAIN_STATS_STATE) {
        TEST_PARAM("state.state", VIR_TYPED_PARAM_INT)->value.i = d->state;
        TEST_PARAM("state.reason", VIR_TYPED_PARAM_INT)->value.i = d->reason;
    }
    if ((stats & VIR_DOMAIN_STATS_CPU_TOTAL) && active) {
        unsigned long long t = testDomUptimeNs(d);
        TEST_PARAM("cpu.time", VIR_TYPED_PARAM_ULLONG)->value.ul = t;
        TEST_PARAM("cpu.user", VIR_TYPED_PARAM_ULLONG)->value.ul = t / 2;
        TEST_PARAM("cpu.system", VIR_TYPED_PARAM_ULLONG)->value.ul = t / 4;
    }
    if (stats & VIR_DOMAIN_STATS_BALLOON) {
        TEST_PARAM("balloon.current", VIR_TYPED_PARAM_ULLONG)->value.ul = c->balloon;
        TEST_PARAM("balloon.maximum", VIR_TYPED_PARAM_ULLONG)->value.ul = c->memory;
    }
    if (stats & VIR_DOMAIN_STATS_VCPU) {
        TEST_PARAM("vcpu.current", VIR_TYPED_PARAM_UINT)->value.ui = c->vcpus;
        TEST_PARAM("vcpu.maximum", VIR_TYPED_PARAM_UINT)->value.ui = c->vcpusMax;
    }
    if (ifs) {
        TEST_PARAM("net.count", VIR_TYPED_PARAM_UINT)->value.ui = c->nifs;
        for (guint i = 0; i < c->nifs; i++)
            TEST_PARAM_IDX("net.", i, ".name", VIR_TYPED_PARAM_STRING)->value.s =
                g_strdup(c->ifnames[i]);
    }
    if (stats & VIR_DOMAIN_STATS_BLOCK) {
        TEST_PARAM("block.count", VIR_TYPED_PARAM_UINT)->value.ui = c->ndisks;
        for (guint i = 0; i < c->ndisks; i++) {
            testStatsDisk *sd = &c->disks[i];
            TEST_PARAM_IDX("block.", i, ".name", VIR_TYPED_PARAM_STRING)->value.s =
                g_strdup(sd->target);
            if (sd->path)
                TEST_PARAM_IDX("block.", i, ".path", VIR_TYPED_PARAM_STRING)->value.s =
                    g_strdup(sd->path);
            if (active) {
                long long v[8];
                testDiskCounters(d, sd->index, v);
                TEST_PARAM_IDX("block.", i, ".rd.reqs", VIR_TYPED_PARAM_ULLONG)->value.ul =
                    (unsigned long long)v[1];
                TEST_PARAM_IDX("block.", i, ".wr.reqs", VIR_TYPED_PARAM_ULLONG)->value.ul =
                    (unsigned long long)v[4];
            }
            if (!sd->sizesRead) {
                testDiskFileSizes(sd->path, sd->sizes);
                sd->sizesRead = true;
            }
            TEST_PARAM_IDX("block.", i, ".allocation", VIR_TYPED_PARAM_ULLONG)->value.ul =
                sd->sizes[1];
            TEST_PARAM_IDX("block.", i, ".capacity", VIR_TYPED_PARAM_ULLONG)->value.ul =
                testDiskCapacity(d, sd->target, sd->sizes[0]);
            TEST_PARAM_IDX("block.", i, ".physical", VIR_TYPED_PARAM_ULLONG)->value.ul =
                sd->sizes[2];
        }
    }
#undef TEST_PARAM
#undef TEST_PARAM_IDX
    g_assert(rec->nparams <= max);
    return rec;
}

int
testConnectGetAllDomainStats(virConnectPtr conn, unsigned int stats,
                             virDomainStatsRecordPtr **retStats, unsigned int flags)
{
    testHost *h = testConnHost(conn);
    g_autoptr(GPtrArray) out = NULL;
    int n;

    TEST_CHECK_FLAGS(flags, TEST_STATS_FILTERS | TEST_STATS_FLAGS, -1);
    if (testStatsCheck(&stats, flags) < 0)
        return -1;
    g_mutex_lock(&h->lock);
    out = g_ptr_array_sized_new(h->doms->len + 1);
    for (guint i = 0; i < h->doms->len; i++) {
        testDom *d = g_ptr_array_index(h->doms, i);
        if (testDomMatchesFilter(d, flags & TEST_STATS_FILTERS))
            g_ptr_array_add(out, testStatsRecord(conn, d, stats));
    }
    testHostUnlock(h);
    n = (int)out->len;
    g_ptr_array_add(out, NULL);
    *retStats = (virDomainStatsRecordPtr *)g_ptr_array_steal(out, NULL);
    return n;
}

int
testDomainListGetStats(virDomainPtr *doms, unsigned int stats,
                       virDomainStatsRecordPtr **retStats, unsigned int flags)
{
    virConnectPtr conn;
    testHost *h;
    g_autoptr(GPtrArray) out = g_ptr_array_new();
    int n;

    TEST_CHECK_FLAGS(flags, TEST_STATS_FLAGS, -1);
    if (testStatsCheck(&stats, flags) < 0)
        return -1;
    *retStats = NULL;
    if (!doms[0]) {
        *retStats = g_new0(virDomainStatsRecordPtr, 1);
        return 0;
    }
    conn = testHostTable->domainGetConnect(doms[0]);
    h = testConnHost(conn);
    g_mutex_lock(&h->lock);
    /* check every handle first: a record holds a handle, which only the
     * core can release */
    for (size_t i = 0; doms[i]; i++) {
        testDom *d;
        if (testHostTable->domainGetConnect(doms[i]) != conn) {
            testHostUnlock(h);
            TEST_REPORT(VIR_ERR_INVALID_ARG,
                        "domains in the list belong to different connections");
            return -1;
        }
        if (!(d = testDomFromHandle(h, doms[i]))) {
            testHostUnlock(h);
            return -1;
        }
        testDomUnref(d);
    }
    for (size_t i = 0; doms[i]; i++) {
        testDom *d = testDomFromHandle(h, doms[i]);
        g_ptr_array_add(out, testStatsRecord(conn, d, stats));
        testDomUnref(d);
    }
    testHostUnlock(h);
    n = (int)out->len;
    g_ptr_array_add(out, NULL);
    *retStats = (virDomainStatsRecordPtr *)g_ptr_array_steal(out, NULL);
    return n;
}
