/*
 * vir-host-services.c: host-table services for plugins that have no other
 * home in the core: typed-parameter validation against a plugin's own table
 * (libvirt's virTypedParamsValidate rules and messages), and configuration
 * files through the core's conf reader (vir-conf.c), with errors reported
 * the way plugins report them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#include <string.h>

#define VK_FROM VIR_FROM_NONE
#define VK_LOG_MODULE "core.host"
#include "vk-host-services.h"
#include "vir-conf.h"

/* ------------------------------------------------ typed-parameter tables */

/* libvirt's names for the types, as its messages print them. */
static const char *
vkValidateTypeName(int type)
{
    static const char *const names[] = {
        "unknown", "int", "uint", "llong", "ullong", "double", "boolean", "string",
    };

    return type > 0 && type < (int)G_N_ELEMENTS(names) ? names[type] : names[0];
}

static gint
vkValidateCompare(gconstpointer a, gconstpointer b, gpointer data)
{
    const virTypedParameter *params = data;
    int ia = *(const int *)a, ib = *(const int *)b;
    int c = strncmp(params[ia].field, params[ib].field, VIR_TYPED_PARAM_FIELD_LENGTH);

    /* Equal names keep their order, so the result never depends on qsort. */
    return c ? c : (ia > ib) - (ia < ib);
}

int
vkHostTypedParamsValidate(const virTypedParameter *params, int nparams,
                          const virtkitTypedParamSpec *spec, size_t nspec)
{
    g_autoptr(GHashTable) table = NULL;
    g_autofree virtkitTypedParamSpec *specs = NULL;
    g_autofree int *order = NULL;
    size_t stride;
    const char *prev = NULL;

    if (nparams <= 0)
        return 0;
    if (!params) {
        vkReportError(VIR_ERR_INVALID_ARG,
                      "typed parameters to validate are NULL, but nparams is %d", nparams);
        return -1;
    }
    stride = spec && nspec ? spec[0].struct_size : 0;
    if (nspec && stride < offsetof(virtkitTypedParamSpec, flags)) {
        vkReportError(VIR_ERR_INTERNAL_ERROR,
                      "the plugin's typed-parameter table has entries of %zu bytes; "
                      "write them with VIRTKIT_TYPED_PARAM_SPEC", stride);
        return -1;
    }

    /* The plugin's entries, copied to our size (an older plugin's lack
     * the newer fields, which read as zero). */
    specs = g_new0(virtkitTypedParamSpec, nspec ? nspec : 1);
    table = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t i = 0; i < nspec; i++) {
        memcpy(&specs[i], (const char *)spec + i * stride, MIN(stride, sizeof(specs[i])));
        if (!specs[i].field || strlen(specs[i].field) >= VIR_TYPED_PARAM_FIELD_LENGTH) {
            vkReportError(VIR_ERR_INTERNAL_ERROR, "Field name '%s' too long",
                          VK_NULLSTR(specs[i].field));
            return -1;
        }
        g_hash_table_insert(table, (gpointer)specs[i].field, &specs[i]);
    }

    /* libvirt walks the parameters sorted by name: the first failing one
     * in that order decides the error, so ours is the same. */
    order = g_new(int, nparams);
    for (int i = 0; i < nparams; i++)
        order[i] = i;
    g_qsort_with_data(order, nparams, sizeof(int), vkValidateCompare, (gpointer)params);

    for (int k = 0; k < nparams; k++) {
        const virTypedParameter *p = &params[order[k]];
        g_autofree char *field = g_strndup(p->field, VIR_TYPED_PARAM_FIELD_LENGTH);
        const virtkitTypedParamSpec *s = g_hash_table_lookup(table, field);

        if (!s) {
            vkReportError(VIR_ERR_ARGUMENT_UNSUPPORTED, "parameter '%s' not supported", field);
            return -1;
        }
        if (prev && strcmp(prev, s->field) == 0 && !(s->flags & VIRTKIT_TYPED_PARAM_MULTIPLE)) {
            vkReportError(VIR_ERR_INVALID_ARG, "parameter '%s' occurs multiple times", field);
            return -1;
        }
        if (p->type != s->type) {
            vkReportError(VIR_ERR_INVALID_ARG,
                          "invalid type '%s' for parameter '%s', expected '%s'",
                          vkValidateTypeName(p->type), field, vkValidateTypeName(s->type));
            return -1;
        }
        prev = s->field;
    }
    return 0;
}

/* ---------------------------------------------------- configuration files */

static void
vkHostConfReport(const GError *gerr)
{
    if (gerr->domain == VK_CONF_ERROR)
        vkErrorReportFull(VIR_FROM_CONF, VIR_ERR_CONF_SYNTAX, __FILE__, __func__, __LINE__,
                          "%s", gerr->message);
    else
        vkErrorReportFull(VIR_FROM_CONF, VIR_ERR_SYSTEM_ERROR, __FILE__, __func__, __LINE__,
                          "cannot read the configuration file: %s", gerr->message);
}

/* The plugin-api type is the core's, under another name. */
static const vkConf *
vkConfOf(const virtkitConfFile *conf)
{
    return (const vkConf *)conf;
}

virtkitConfFile *
vkHostConfReadFile(const char *path, unsigned int flags)
{
    g_autoptr(GError) gerr = NULL;
    vkConf *conf;

    if (!path) {
        vkReportError(VIR_ERR_INVALID_ARG, "no configuration file path was given");
        return NULL;
    }
    if (flags & ~(unsigned int)VIRTKIT_CONF_MISSING_OK) {
        vkReportInvalidArg("unsupported flags (0x%x) in function %s",
                           flags & ~(unsigned int)VIRTKIT_CONF_MISSING_OK, "confReadFile");
        return NULL;
    }
    if ((conf = vkConfParseFile(path, &gerr)))
        return (virtkitConfFile *)conf;
    if ((flags & VIRTKIT_CONF_MISSING_OK) &&
        g_error_matches(gerr, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
        VK_DEBUG("no configuration file at %s: no settings", path);
        return (virtkitConfFile *)vkConfParseString("", path, NULL);
    }
    vkHostConfReport(gerr);
    return NULL;
}

virtkitConfFile *
vkHostConfReadString(const char *text, const char *name)
{
    g_autoptr(GError) gerr = NULL;
    vkConf *conf;

    if (!text) {
        vkReportError(VIR_ERR_INVALID_ARG, "no configuration text was given");
        return NULL;
    }
    if (!(conf = vkConfParseString(text, name, &gerr)))
        vkHostConfReport(gerr);
    return (virtkitConfFile *)conf;
}

void
vkHostConfFree(virtkitConfFile *conf)
{
    vkConfFree((vkConf *)conf);
}

/* Each lookup: a NULL conf has no settings; errors become the thread's. */
#define VK_HOST_CONF_LOOKUP(call) \
    do { \
        g_autoptr(GError) gerr = NULL; \
        int rc; \
        if (!conf || !key || !value) \
            return 0; \
        if ((rc = (call)) < 0) \
            vkHostConfReport(gerr); \
        return rc; \
    } while (0)

int
vkHostConfGetString(const virtkitConfFile *conf, const char *key, char **value)
{
    VK_HOST_CONF_LOOKUP(vkConfGetString(vkConfOf(conf), key, value, &gerr));
}

int
vkHostConfGetStringList(const virtkitConfFile *conf, const char *key, char ***value)
{
    VK_HOST_CONF_LOOKUP(vkConfGetStringList(vkConfOf(conf), key, value, &gerr));
}

static int
vkHostConfIntInto(const vkConf *conf, const char *key, long long min, long long max,
                  long long *value, GError **gerr)
{
    gint64 v;
    int rc = vkConfGetIntRange(conf, key, min, max, &v, gerr);

    if (rc > 0)
        *value = v;
    return rc;
}

int
vkHostConfGetInt(const virtkitConfFile *conf, const char *key, long long min, long long max,
                 long long *value)
{
    VK_HOST_CONF_LOOKUP(vkHostConfIntInto(vkConfOf(conf), key, min, max, value, &gerr));
}

static int
vkHostConfUIntInto(const vkConf *conf, const char *key, unsigned long long max,
                   unsigned long long *value, GError **gerr)
{
    guint64 v;
    int rc = vkConfGetUIntRange(conf, key, max, &v, gerr);

    if (rc > 0)
        *value = v;
    return rc;
}

int
vkHostConfGetUInt(const virtkitConfFile *conf, const char *key, unsigned long long max,
                  unsigned long long *value)
{
    VK_HOST_CONF_LOOKUP(vkHostConfUIntInto(vkConfOf(conf), key, max, value, &gerr));
}

static int
vkHostConfBoolInto(const vkConf *conf, const char *key, bool *value, GError **gerr)
{
    gboolean v;
    int rc = vkConfGetBool(conf, key, &v, gerr);

    if (rc > 0)
        *value = v;
    return rc;
}

int
vkHostConfGetBool(const virtkitConfFile *conf, const char *key, bool *value)
{
    VK_HOST_CONF_LOOKUP(vkHostConfBoolInto(vkConfOf(conf), key, value, &gerr));
}
