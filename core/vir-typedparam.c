/*
 * vir-typedparam.c: the public virTypedParams* family and the typed-parameter
 * helpers the core's wrappers (and, through the host table, plugins) use.
 *
 * Memory: every array and string handed out here comes from the g_malloc
 * family.  Since GLib 2.46 g_malloc is the system malloc, so on glibc a caller
 * may release what we return with free() as well as with g_free() or
 * virTypedParamsFree(); the reverse holds too, so arrays a caller built with
 * malloc()/realloc() may be grown by the virTypedParamsAdd* functions.
 *
 * Threads: nothing here has shared state except the calling thread's last
 * error.  Different arrays may be used from different threads at once; one
 * array must not be changed by one thread while another reads or changes it.
 *
 * Field names: a virTypedParameter's field is VIR_TYPED_PARAM_FIELD_LENGTH
 * (80) bytes.  An array a caller or a peer hands us may have all 80 bytes
 * filled with no NUL, so every read of a field we did not write ourselves is
 * bounded by 80 (strnlen/strncmp/"%.*s"), never strlen/strcmp.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define VK_FROM VIR_FROM_NONE
#define VK_LOG_MODULE "core.typedparam"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "vk-internal.h"

/* Names of the types as libvirt spells them (virTypedParameterType). */
static const char *const vkTypedParamTypeNames[] = {
    [0] = "unknown",
    [VIR_TYPED_PARAM_INT] = "int",
    [VIR_TYPED_PARAM_UINT] = "uint",
    [VIR_TYPED_PARAM_LLONG] = "llong",
    [VIR_TYPED_PARAM_ULLONG] = "ullong",
    [VIR_TYPED_PARAM_DOUBLE] = "double",
    [VIR_TYPED_PARAM_BOOLEAN] = "boolean",
    [VIR_TYPED_PARAM_STRING] = "string",
};

static bool
vkTypedParamTypeIsKnown(int type)
{
    return type >= VIR_TYPED_PARAM_INT && type <= VIR_TYPED_PARAM_STRING;
}

static const char *
vkTypedParamTypeName(int type)
{
    return vkTypedParamTypeIsKnown(type) ? vkTypedParamTypeNames[type] : "unknown";
}

/* The first entry named @name, or NULL.  Bounded: @name is compared including
 * its NUL, and only names shorter than the field can match, so no more than
 * VIR_TYPED_PARAM_FIELD_LENGTH bytes of any field are read. */
static virTypedParameterPtr
vkTypedParamsFind(virTypedParameterPtr params, int nparams, const char *name)
{
    size_t len;
    int i;

    if (!params || !name || nparams <= 0)
        return NULL;

    len = strlen(name);
    if (len >= VIR_TYPED_PARAM_FIELD_LENGTH)
        return NULL;

    for (i = 0; i < nparams; i++) {
        if (strncmp(params[i].field, name, len + 1) == 0)
            return params + i;
    }
    return NULL;
}

/* Shared body of the virTypedParamsGet<Type> calls: resets the last error,
 * finds @name and checks its type.  Returns 1 with *found set, 0 when absent,
 * -1 with the error reported (not yet dispatched). */
static int
vkTypedParamsGetTyped(virTypedParameterPtr params, int nparams, const char *name,
                      int type, const char *api, virTypedParameterPtr *found)
{
    virTypedParameterPtr param;

    if (!(param = vkTypedParamsFind(params, nparams, name)))
        return 0;

    if (!vkTypedParamTypeIsKnown(param->type)) {
        vkReportError(VIR_ERR_INVALID_ARG,
                      "Parameter '%s' has unknown type %d, so %s cannot read it as type '%s'",
                      name, param->type, api, vkTypedParamTypeName(type));
        return -1;
    }
    if (param->type != type) {
        vkReportError(VIR_ERR_INVALID_ARG,
                      "Parameter '%s' has type '%s', but %s reads only type '%s'",
                      name, vkTypedParamTypeName(param->type), api,
                      vkTypedParamTypeName(type));
        return -1;
    }

    *found = param;
    return 1;
}

/* virTypedParamsClear without the API log line, for internal use. */
static void
vkTypedParamsClearArray(virTypedParameterPtr params, int nparams)
{
    int i;

    if (!params)
        return;

    for (i = 0; i < nparams; i++) {
        if (params[i].type == VIR_TYPED_PARAM_STRING)
            g_clear_pointer(&params[i].value.s, g_free);
    }
}

/* Checks the arguments every virTypedParamsAdd* call shares and fills
 * @out (zeroed) with the field name.  Reports and returns -1 on error. */
static int
vkTypedParamsAddPrepare(virTypedParameterPtr *params, int *nparams, int *maxparams,
                        const char *name, const char *api, virTypedParameterPtr out)
{
    size_t len;

    if (!params) {
        vkReportNullArg(api, "params");
        return -1;
    }
    if (!nparams) {
        vkReportNullArg(api, "nparams");
        return -1;
    }
    if (!maxparams) {
        vkReportNullArg(api, "maxparams");
        return -1;
    }
    if (!name) {
        vkReportNullArg(api, "name");
        return -1;
    }
    if (*nparams < 0) {
        vkReportError(VIR_ERR_INVALID_ARG,
                      "nparams in %s must not be negative, but it is %d", api, *nparams);
        return -1;
    }
    if (*maxparams < 0) {
        vkReportError(VIR_ERR_INVALID_ARG,
                      "maxparams in %s must not be negative, but it is %d", api, *maxparams);
        return -1;
    }
    if (!*params && *nparams > 0) {
        vkReportError(VIR_ERR_INVALID_ARG,
                      "params in %s points to no array, but nparams says it holds %d entries",
                      api, *nparams);
        return -1;
    }
    if (*nparams == INT_MAX) {
        vkReportError(VIR_ERR_INVALID_ARG,
                      "The array passed to %s already holds %d parameters, "
                      "the most an int count can describe",
                      api, *nparams);
        return -1;
    }

    /* libvirt reports an over-long name as VIR_ERR_INTERNAL_ERROR; keep its code. */
    len = strlen(name);
    if (len >= VIR_TYPED_PARAM_FIELD_LENGTH) {
        vkReportError(VIR_ERR_INTERNAL_ERROR,
                      "Field name '%s' passed to %s is %zu bytes long; "
                      "typed parameter names must be shorter than %d bytes "
                      "(VIR_TYPED_PARAM_FIELD_LENGTH)",
                      name, api, len, VIR_TYPED_PARAM_FIELD_LENGTH);
        return -1;
    }

    memset(out, 0, sizeof(*out));
    memcpy(out->field, name, len + 1);
    return 0;
}

/* Appends @param (taking over its string, if any) to the array, growing it
 * the way libvirt's VIR_RESIZE_N does: to exactly what is needed, but by at
 * least half the current allocation (1, 2, 3, 4, 6, 9, 13, ...).  The new
 * tail is zeroed.  Arguments were checked by vkTypedParamsAddPrepare(). */
static void
vkTypedParamsAddPush(virTypedParameterPtr *params, int *nparams, int *maxparams,
                     const virTypedParameter *param)
{
    size_t n = *nparams;
    /* An array pointer of NULL holds nothing, whatever maxparams says. */
    size_t max = *params ? (size_t)*maxparams : 0;

    if (n + 1 > max) {
        size_t delta = n + 1 - max;
        size_t newmax;
        size_t keep;

        if (delta < max / 2)
            delta = max / 2;
        newmax = MIN(max + delta, (size_t)INT_MAX);

        *params = g_renew(virTypedParameter, *params, newmax);
        /* Zero only what no caller entry lives in (nparams may exceed a
         * maxparams that understated the array). */
        keep = MAX(max, n);
        memset(*params + keep, 0, (newmax - keep) * sizeof(virTypedParameter));
        *maxparams = (int)newmax;
    }

    (*params)[n] = *param;
    *nparams = (int)(n + 1);
}

/* strtoll/strtoull with libvirt's virStrToLong_* rules: base 10, leading
 * white space and a sign allowed, the whole string consumed, no overflow. */
static bool
vkParseLLong(const char *s, long long *out)
{
    char *end = NULL;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0')
        return false;
    *out = v;
    return true;
}

static bool
vkParseULLong(const char *s, unsigned long long *out)
{
    char *end = NULL;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0')
        return false;
    *out = v;
    return true;
}

/* Parses @value as @type into @param (whose field is already set).
 * Reports and returns -1 on error; a string is duplicated. */
static int
vkTypedParamParse(virTypedParameterPtr param, int type, const char *value, const char *api)
{
    const char *expected = NULL;
    long long ll;
    unsigned long long ull;
    double d;
    char *end = NULL;

    if (!value) {
        vkReportError(VIR_ERR_INVALID_ARG,
                      "value in %s must not be NULL (field '%s', type '%s')",
                      api, param->field, vkTypedParamTypeName(type));
        return -1;
    }

    switch (type) {
    case VIR_TYPED_PARAM_INT:
        if (!vkParseLLong(value, &ll) || ll < INT_MIN || ll > INT_MAX) {
            expected = "a decimal integer from -2147483648 to 2147483647";
            break;
        }
        param->value.i = (int)ll;
        break;
    case VIR_TYPED_PARAM_UINT:
        /* As libvirt's virStrToLong_ui: a negative number down to -UINT_MAX
         * wraps around, so "-1" is accepted as shorthand for UINT_MAX. */
        if (!vkParseLLong(value, &ll) || ll < -(long long)UINT_MAX || ll > (long long)UINT_MAX) {
            expected = "a decimal integer from 0 to 4294967295";
            break;
        }
        param->value.ui = (unsigned int)ll;
        break;
    case VIR_TYPED_PARAM_LLONG:
        if (!vkParseLLong(value, &ll)) {
            expected = "a decimal integer from -9223372036854775808 to 9223372036854775807";
            break;
        }
        param->value.l = ll;
        break;
    case VIR_TYPED_PARAM_ULLONG:
        /* As libvirt's virStrToLong_ull (plain strtoull): negatives wrap. */
        if (!vkParseULLong(value, &ull)) {
            expected = "a decimal integer from 0 to 18446744073709551615";
            break;
        }
        param->value.ul = ull;
        break;
    case VIR_TYPED_PARAM_DOUBLE:
        /* Locale-independent: "1.5" means one and a half in every locale. */
        d = g_ascii_strtod(value, &end);
        if (errno != 0 || end == value || *end != '\0') {
            expected = "a floating-point number such as '1.5' or '2e3' "
                       "within the range of a double";
            break;
        }
        param->value.d = d;
        break;
    case VIR_TYPED_PARAM_BOOLEAN:
        if (g_ascii_strcasecmp(value, "true") == 0 || strcmp(value, "1") == 0) {
            param->value.b = 1;
        } else if (g_ascii_strcasecmp(value, "false") == 0 || strcmp(value, "0") == 0) {
            param->value.b = 0;
        } else {
            expected = "'true', 'false', '1' or '0'";
        }
        break;
    case VIR_TYPED_PARAM_STRING:
        param->value.s = g_strdup(value);
        break;
    default:
        /* libvirt reports an unknown type here as VIR_ERR_INTERNAL_ERROR. */
        vkReportError(VIR_ERR_INTERNAL_ERROR,
                      "Type %d requested from %s for field '%s' is not a typed parameter type; "
                      "known types are %d (int) to %d (string)",
                      type, api, param->field, VIR_TYPED_PARAM_INT, VIR_TYPED_PARAM_STRING);
        return -1;
    }

    if (expected) {
        vkReportError(VIR_ERR_INVALID_ARG,
                      "Invalid value '%s' for field '%s' of type '%s' in %s: expected %s",
                      value, param->field, vkTypedParamTypeName(type), api, expected);
        return -1;
    }

    param->type = type;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Public API                                                           */
/* ------------------------------------------------------------------ */

/**
 * virTypedParamsGet:
 * @params: array of typed parameters, may be NULL
 * @nparams: number of entries in @params (a negative count is taken as 0)
 * @name: name of the parameter to find, may be NULL
 *
 * Finds the first parameter called @name.
 *
 * Returns a pointer into @params (owned by the caller's array, valid while it
 * is), or NULL when there is no such entry or @params or @name is NULL.  As in
 * libvirt, this function neither raises nor resets an error.
 *
 * Thread rules: reads @params only; see the file comment.
 *
 * Since: 1.0.2
 */
virTypedParameterPtr
virTypedParamsGet(virTypedParameterPtr params, int nparams, const char *name)
{
    VK_LOG_API(__func__, "params=%p, nparams=%d, name=%s",
               (void *)params, nparams, VK_NULLSTR(name));

    return vkTypedParamsFind(params, nparams, name);
}

/* The virTypedParamsGet<Type> calls differ only in the C type, the typed
 * parameter type and the union member read; one body serves them all. */
#define VK_TYPED_PARAMS_GET(Name, CType, Type, Expr) \
    int \
    virTypedParamsGet##Name(virTypedParameterPtr params, int nparams, const char *name, \
                            CType *value) \
    { \
        virTypedParameterPtr param = NULL; \
        int ret; \
        \
        VK_LOG_API("virTypedParamsGet" #Name, "params=%p, nparams=%d, name=%s, value=%p", \
                   (void *)params, nparams, VK_NULLSTR(name), (void *)value); \
        virResetLastError(); \
        if ((ret = vkTypedParamsGetTyped(params, nparams, name, Type, \
                                         "virTypedParamsGet" #Name, &param)) < 0) { \
            vkErrorDispatch(NULL); \
            return -1; \
        } \
        if (ret == 1 && value) \
            *value = Expr; \
        return ret; \
    }

/**
 * virTypedParamsGetInt:
 * @params: array of typed parameters, may be NULL
 * @nparams: number of entries in @params
 * @name: name of the parameter to find
 * @value: where to store the value; NULL to test presence and type only
 *
 * Finds the first parameter called @name and stores its int value in @value.
 *
 * Returns 1 when found, 0 when @params has no such entry (@value untouched),
 * -1 with VIR_ERR_INVALID_ARG when the entry is not of type
 * VIR_TYPED_PARAM_INT.  Resets the last error first.
 *
 * Thread rules: reads @params only; see the file comment.
 *
 * Since: 1.0.2
 */
VK_TYPED_PARAMS_GET(Int, int, VIR_TYPED_PARAM_INT, param->value.i)

/**
 * virTypedParamsGetUInt:
 * @params: array of typed parameters, may be NULL
 * @nparams: number of entries in @params
 * @name: name of the parameter to find
 * @value: where to store the value; NULL to test presence and type only
 *
 * Finds the first parameter called @name and stores its unsigned int value
 * in @value.
 *
 * Returns 1 when found, 0 when @params has no such entry (@value untouched),
 * -1 with VIR_ERR_INVALID_ARG when the entry is not of type
 * VIR_TYPED_PARAM_UINT.  Resets the last error first.
 *
 * Thread rules: reads @params only; see the file comment.
 *
 * Since: 1.0.2
 */
VK_TYPED_PARAMS_GET(UInt, unsigned int, VIR_TYPED_PARAM_UINT, param->value.ui)

/**
 * virTypedParamsGetLLong:
 * @params: array of typed parameters, may be NULL
 * @nparams: number of entries in @params
 * @name: name of the parameter to find
 * @value: where to store the value; NULL to test presence and type only
 *
 * Finds the first parameter called @name and stores its long long value in
 * @value.
 *
 * Returns 1 when found, 0 when @params has no such entry (@value untouched),
 * -1 with VIR_ERR_INVALID_ARG when the entry is not of type
 * VIR_TYPED_PARAM_LLONG.  Resets the last error first.
 *
 * Thread rules: reads @params only; see the file comment.
 *
 * Since: 1.0.2
 */
VK_TYPED_PARAMS_GET(LLong, long long, VIR_TYPED_PARAM_LLONG, param->value.l)

/**
 * virTypedParamsGetULLong:
 * @params: array of typed parameters, may be NULL
 * @nparams: number of entries in @params
 * @name: name of the parameter to find
 * @value: where to store the value; NULL to test presence and type only
 *
 * Finds the first parameter called @name and stores its unsigned long long
 * value in @value.
 *
 * Returns 1 when found, 0 when @params has no such entry (@value untouched),
 * -1 with VIR_ERR_INVALID_ARG when the entry is not of type
 * VIR_TYPED_PARAM_ULLONG.  Resets the last error first.
 *
 * Thread rules: reads @params only; see the file comment.
 *
 * Since: 1.0.2
 */
VK_TYPED_PARAMS_GET(ULLong, unsigned long long, VIR_TYPED_PARAM_ULLONG, param->value.ul)

/**
 * virTypedParamsGetDouble:
 * @params: array of typed parameters, may be NULL
 * @nparams: number of entries in @params
 * @name: name of the parameter to find
 * @value: where to store the value; NULL to test presence and type only
 *
 * Finds the first parameter called @name and stores its double value in
 * @value.
 *
 * Returns 1 when found, 0 when @params has no such entry (@value untouched),
 * -1 with VIR_ERR_INVALID_ARG when the entry is not of type
 * VIR_TYPED_PARAM_DOUBLE.  Resets the last error first.
 *
 * Thread rules: reads @params only; see the file comment.
 *
 * Since: 1.0.2
 */
VK_TYPED_PARAMS_GET(Double, double, VIR_TYPED_PARAM_DOUBLE, param->value.d)

/**
 * virTypedParamsGetBoolean:
 * @params: array of typed parameters, may be NULL
 * @nparams: number of entries in @params
 * @name: name of the parameter to find
 * @value: where to store the value (0 or 1); NULL to test presence and type
 *
 * Finds the first parameter called @name and stores its boolean value in
 * @value, normalised to 0 or 1.
 *
 * Returns 1 when found, 0 when @params has no such entry (@value untouched),
 * -1 with VIR_ERR_INVALID_ARG when the entry is not of type
 * VIR_TYPED_PARAM_BOOLEAN.  Resets the last error first.
 *
 * Thread rules: reads @params only; see the file comment.
 *
 * Since: 1.0.2
 */
VK_TYPED_PARAMS_GET(Boolean, int, VIR_TYPED_PARAM_BOOLEAN, !!param->value.b)

/**
 * virTypedParamsGetString:
 * @params: array of typed parameters, may be NULL
 * @nparams: number of entries in @params
 * @name: name of the parameter to find
 * @value: where to store the value; NULL to test presence and type only
 *
 * Finds the first parameter called @name and stores its string in @value.
 * The string is not copied: it belongs to @params, stays valid until the
 * array is cleared or freed, and the caller must not free it.
 *
 * Returns 1 when found, 0 when @params has no such entry (@value untouched),
 * -1 with VIR_ERR_INVALID_ARG when the entry is not of type
 * VIR_TYPED_PARAM_STRING.  Resets the last error first.
 *
 * Thread rules: reads @params only; see the file comment.
 *
 * Since: 1.0.2
 */
int
virTypedParamsGetString(virTypedParameterPtr params, int nparams, const char *name,
                        const char **value)
{
    virTypedParameterPtr param = NULL;
    int ret;

    VK_LOG_API(__func__, "params=%p, nparams=%d, name=%s, value=%p",
               (void *)params, nparams, VK_NULLSTR(name), (void *)value);
    virResetLastError();

    if ((ret = vkTypedParamsGetTyped(params, nparams, name, VIR_TYPED_PARAM_STRING,
                                     __func__, &param)) < 0)
        goto error;
    if (ret == 1 && value)
        *value = param->value.s;
    return ret;

 error:
    vkErrorDispatch(NULL);
    return -1;
}

/*
 * The virTypedParamsAdd* calls share one contract:
 *
 * @params: in/out pointer to the array; *params may be NULL (then it holds
 *          nothing, whatever *maxparams says)
 * @nparams: in/out number of entries in use; incremented by one on success
 * @maxparams: in/out number of entries allocated; updated when the array grows
 * @name: name of the new entry; it must be shorter than
 *        VIR_TYPED_PARAM_FIELD_LENGTH (80) bytes, else the call fails with
 *        VIR_ERR_INTERNAL_ERROR (libvirt's code for it) and a message naming
 *        the name and the limit
 *
 * When the array is full it is reallocated (g_renew; release with
 * virTypedParamsFree), growing to what is needed but by at least half its
 * allocation, as libvirt does.  As in libvirt, an existing entry of the same
 * name is not an error: the new one is appended (virTypedParamsGet* return
 * the first).  On failure nothing changes: neither the array nor the counts.
 *
 * Returns 0 on success, -1 on error (dispatched).  Resets the last error
 * first.  NULL @params, @nparams, @maxparams or @name, a negative count, or
 * a NULL array with *nparams > 0 are VIR_ERR_INVALID_ARG.
 */

/* The virTypedParamsAdd<Type> calls for plain values differ only in the C
 * type, the log format, the typed parameter type and the member written. */
#define VK_TYPED_PARAMS_ADD(Name, CType, Fmt, Type, Member, Expr) \
    int \
    virTypedParamsAdd##Name(virTypedParameterPtr *params, int *nparams, int *maxparams, \
                            const char *name, CType value) \
    { \
        virTypedParameter param; \
        \
        VK_LOG_API("virTypedParamsAdd" #Name, \
                   "params=%p, nparams=%p, maxparams=%p, name=%s, value=" Fmt, \
                   (void *)params, (void *)nparams, (void *)maxparams, VK_NULLSTR(name), value); \
        virResetLastError(); \
        if (vkTypedParamsAddPrepare(params, nparams, maxparams, name, \
                                    "virTypedParamsAdd" #Name, &param) < 0) { \
            vkErrorDispatch(NULL); \
            return -1; \
        } \
        param.type = Type; \
        param.value.Member = Expr; \
        vkTypedParamsAddPush(params, nparams, maxparams, &param); \
        return 0; \
    }

/**
 * virTypedParamsAddInt:
 * @params: pointer to the array of typed parameters
 * @nparams: number of entries in use
 * @maxparams: number of entries allocated
 * @name: name of the new parameter
 * @value: its value
 *
 * Appends a VIR_TYPED_PARAM_INT entry; see the shared contract above.
 *
 * Returns 0 on success, -1 on error.
 *
 * Thread rules: changes *params; see the file comment.
 *
 * Since: 1.0.2
 */
VK_TYPED_PARAMS_ADD(Int, int, "%d", VIR_TYPED_PARAM_INT, i, value)

/**
 * virTypedParamsAddUInt:
 * @params: pointer to the array of typed parameters
 * @nparams: number of entries in use
 * @maxparams: number of entries allocated
 * @name: name of the new parameter
 * @value: its value
 *
 * Appends a VIR_TYPED_PARAM_UINT entry; see the shared contract above.
 *
 * Returns 0 on success, -1 on error.
 *
 * Thread rules: changes *params; see the file comment.
 *
 * Since: 1.0.2
 */
VK_TYPED_PARAMS_ADD(UInt, unsigned int, "%u", VIR_TYPED_PARAM_UINT, ui, value)

/**
 * virTypedParamsAddLLong:
 * @params: pointer to the array of typed parameters
 * @nparams: number of entries in use
 * @maxparams: number of entries allocated
 * @name: name of the new parameter
 * @value: its value
 *
 * Appends a VIR_TYPED_PARAM_LLONG entry; see the shared contract above.
 *
 * Returns 0 on success, -1 on error.
 *
 * Thread rules: changes *params; see the file comment.
 *
 * Since: 1.0.2
 */
VK_TYPED_PARAMS_ADD(LLong, long long, "%lld", VIR_TYPED_PARAM_LLONG, l, value)

/**
 * virTypedParamsAddULLong:
 * @params: pointer to the array of typed parameters
 * @nparams: number of entries in use
 * @maxparams: number of entries allocated
 * @name: name of the new parameter
 * @value: its value
 *
 * Appends a VIR_TYPED_PARAM_ULLONG entry; see the shared contract above.
 *
 * Returns 0 on success, -1 on error.
 *
 * Thread rules: changes *params; see the file comment.
 *
 * Since: 1.0.2
 */
VK_TYPED_PARAMS_ADD(ULLong, unsigned long long, "%llu", VIR_TYPED_PARAM_ULLONG, ul, value)

/**
 * virTypedParamsAddDouble:
 * @params: pointer to the array of typed parameters
 * @nparams: number of entries in use
 * @maxparams: number of entries allocated
 * @name: name of the new parameter
 * @value: its value
 *
 * Appends a VIR_TYPED_PARAM_DOUBLE entry; see the shared contract above.
 *
 * Returns 0 on success, -1 on error.
 *
 * Thread rules: changes *params; see the file comment.
 *
 * Since: 1.0.2
 */
VK_TYPED_PARAMS_ADD(Double, double, "%g", VIR_TYPED_PARAM_DOUBLE, d, value)

/**
 * virTypedParamsAddBoolean:
 * @params: pointer to the array of typed parameters
 * @nparams: number of entries in use
 * @maxparams: number of entries allocated
 * @name: name of the new parameter
 * @value: its value; any non-zero value is stored as 1
 *
 * Appends a VIR_TYPED_PARAM_BOOLEAN entry; see the shared contract above.
 *
 * Returns 0 on success, -1 on error.
 *
 * Thread rules: changes *params; see the file comment.
 *
 * Since: 1.0.2
 */
VK_TYPED_PARAMS_ADD(Boolean, int, "%d", VIR_TYPED_PARAM_BOOLEAN, b, !!value)

/**
 * virTypedParamsAddString:
 * @params: pointer to the array of typed parameters
 * @nparams: number of entries in use
 * @maxparams: number of entries allocated
 * @name: name of the new parameter
 * @value: its value, copied; NULL is stored as "" (as libvirt does)
 *
 * Appends a VIR_TYPED_PARAM_STRING entry holding a g_strdup'd copy of @value,
 * which virTypedParamsClear/virTypedParamsFree release; see the shared
 * contract above.
 *
 * Returns 0 on success, -1 on error.
 *
 * Thread rules: changes *params; see the file comment.
 *
 * Since: 1.0.2
 */
int
virTypedParamsAddString(virTypedParameterPtr *params, int *nparams, int *maxparams,
                        const char *name, const char *value)
{
    virTypedParameter param;

    VK_LOG_API(__func__, "params=%p, nparams=%p, maxparams=%p, name=%s, value=%s",
               (void *)params, (void *)nparams, (void *)maxparams, VK_NULLSTR(name),
               VK_NULLSTR(value));
    virResetLastError();

    if (vkTypedParamsAddPrepare(params, nparams, maxparams, name, __func__, &param) < 0)
        goto error;
    param.type = VIR_TYPED_PARAM_STRING;
    param.value.s = g_strdup(value ? value : "");
    vkTypedParamsAddPush(params, nparams, maxparams, &param);
    return 0;

 error:
    vkErrorDispatch(NULL);
    return -1;
}

/**
 * virTypedParamsAddStringList:
 * @params: pointer to the array of typed parameters
 * @nparams: number of entries in use
 * @maxparams: number of entries allocated
 * @name: name every new entry gets
 * @values: NULL-terminated list of strings, each copied; may be NULL
 *
 * Appends one VIR_TYPED_PARAM_STRING entry named @name per string in
 * @values, in order; see the shared contract above.  All or nothing: the
 * checks are made before anything is added.
 *
 * Returns 0 on success (including a NULL or empty @values, which adds
 * nothing), -1 on error.  Deviation from libvirt 9.0, which returns -1
 * without setting an error for an empty list: an empty list is success here.
 *
 * Thread rules: changes *params; see the file comment.
 *
 * Since: 1.2.17
 */
int
virTypedParamsAddStringList(virTypedParameterPtr *params, int *nparams, int *maxparams,
                            const char *name, const char **values)
{
    virTypedParameter param;
    size_t i;

    VK_LOG_API(__func__, "params=%p, nparams=%p, maxparams=%p, name=%s, values=%p",
               (void *)params, (void *)nparams, (void *)maxparams, VK_NULLSTR(name),
               (void *)values);
    virResetLastError();

    /* As in libvirt, a NULL list is accepted before any other check. */
    if (!values)
        return 0;

    if (vkTypedParamsAddPrepare(params, nparams, maxparams, name, __func__, &param) < 0)
        goto error;

    for (i = 0; values[i]; i++) {
        if (*nparams == INT_MAX) {
            /* Only reachable with ~2^31 entries; keep what was added. */
            vkReportError(VIR_ERR_INVALID_ARG,
                          "The array passed to %s already holds %d parameters, "
                          "the most an int count can describe",
                          __func__, *nparams);
            goto error;
        }
        param.type = VIR_TYPED_PARAM_STRING;
        param.value.s = g_strdup(values[i]);
        vkTypedParamsAddPush(params, nparams, maxparams, &param);
    }
    return 0;

 error:
    vkErrorDispatch(NULL);
    return -1;
}

/**
 * virTypedParamsAddFromString:
 * @params: pointer to the array of typed parameters
 * @nparams: number of entries in use
 * @maxparams: number of entries allocated
 * @name: name of the new parameter
 * @type: its type, a virTypedParameterType
 * @value: its value as text; must not be NULL
 *
 * Appends an entry of @type whose value is parsed from @value; see the
 * shared contract above.  The parsing is libvirt's: integers are decimal,
 * may have leading white space and a sign, and must use the whole string and
 * fit the type (for "uint" a negative number down to -4294967295 wraps
 * around, so "-1" means 4294967295; for "ullong" negatives wrap likewise);
 * doubles are read in the C locale; booleans are "true"/"false" (any case)
 * or "1"/"0"; strings are copied.
 *
 * Returns 0 on success, -1 on error: VIR_ERR_INVALID_ARG for a NULL or
 * unparsable @value (the message names the value, the field and the type),
 * VIR_ERR_INTERNAL_ERROR for an unknown @type (libvirt's code).
 *
 * Thread rules: changes *params; see the file comment.
 *
 * Since: 1.0.2
 */
int
virTypedParamsAddFromString(virTypedParameterPtr *params, int *nparams, int *maxparams,
                            const char *name, int type, const char *value)
{
    virTypedParameter param;

    VK_LOG_API(__func__, "params=%p, nparams=%p, maxparams=%p, name=%s, type=%d, value=%s",
               (void *)params, (void *)nparams, (void *)maxparams, VK_NULLSTR(name), type,
               VK_NULLSTR(value));
    virResetLastError();

    if (vkTypedParamsAddPrepare(params, nparams, maxparams, name, __func__, &param) < 0)
        goto error;
    if (vkTypedParamParse(&param, type, value, __func__) < 0)
        goto error;
    vkTypedParamsAddPush(params, nparams, maxparams, &param);
    return 0;

 error:
    vkErrorDispatch(NULL);
    return -1;
}

/**
 * virTypedParamsClear:
 * @params: the array of typed parameters, may be NULL
 * @nparams: number of entries in @params
 *
 * Frees the string of every VIR_TYPED_PARAM_STRING entry (setting it to
 * NULL); the array itself is kept.  Use virTypedParamsFree to release both.
 * As in libvirt, the last error is left alone, so this can run in a
 * caller's error path before it reads the error.
 *
 * Thread rules: changes @params; see the file comment.
 *
 * Since: 1.0.2
 */
void
virTypedParamsClear(virTypedParameterPtr params, int nparams)
{
    VK_LOG_API(__func__, "params=%p, nparams=%d", (void *)params, nparams);

    vkTypedParamsClearArray(params, nparams);
}

/**
 * virTypedParamsFree:
 * @params: the array of typed parameters, may be NULL
 * @nparams: number of entries in @params
 *
 * Frees the strings of @params (see virTypedParamsClear) and the array.
 * Accepts arrays from the virTypedParamsAdd* calls, from get-style APIs, and
 * (glibc) from malloc().  Leaves the last error alone, as libvirt does.
 *
 * Thread rules: @params must not be in use by another thread.
 *
 * Since: 1.0.2
 */
void
virTypedParamsFree(virTypedParameterPtr params, int nparams)
{
    VK_LOG_API(__func__, "params=%p, nparams=%d", (void *)params, nparams);

    vkTypedParamsClearArray(params, nparams);
    g_free(params);
}

/* ------------------------------------------------------------------ */
/* Internal helpers (declared in vk-internal.h)                         */
/* ------------------------------------------------------------------ */

/* A field as it may appear in a message: at most VIR_TYPED_PARAM_FIELD_LENGTH
 * bytes (a peer's field may lack its NUL) with control and non-ASCII bytes
 * escaped, so peer data cannot put raw bytes into an error message. */
static char *
vkTypedParamFieldForMessage(const char *field)
{
    g_autofree char *copy = g_strndup(field, VIR_TYPED_PARAM_FIELD_LENGTH);

    return g_strescape(copy, NULL);
}

/* Contract in vk-internal.h.  Checks run per entry in this order: field
 * terminated, type known, string allowed and not NULL, name not repeated; the
 * first failure is reported.  Internal: reports, never dispatches. */
int
vkTypedParamsCheckSet(const virTypedParameter *params, int nparams,
                      bool strings_ok, const char *const *multiple,
                      const char *api)
{
    g_autoptr(GHashTable) seen = NULL;
    int i;

    api = VK_NULLSTR(api);

    if (nparams < 0) {
        vkReportError(VIR_ERR_INVALID_ARG,
                      "nparams in %s must not be negative, but it is %d", api, nparams);
        return -1;
    }
    if (nparams == 0)
        return 0;
    if (!params) {
        vkReportError(VIR_ERR_INVALID_ARG,
                      "params in %s must not be NULL when nparams is %d", api, nparams);
        return -1;
    }

    seen = g_hash_table_new(g_str_hash, g_str_equal);

    for (i = 0; i < nparams; i++) {
        const virTypedParameter *p = params + i;
        g_autofree char *shown = NULL;

        /* First, so that nothing below reads the field unbounded. */
        if (!memchr(p->field, '\0', VIR_TYPED_PARAM_FIELD_LENGTH)) {
            shown = vkTypedParamFieldForMessage(p->field);
            vkReportError(VIR_ERR_INVALID_ARG,
                          "Parameter %d passed to %s has a name '%s' that fills all %d bytes "
                          "of the field with no terminating NUL; typed parameter names must be "
                          "shorter than %d bytes (VIR_TYPED_PARAM_FIELD_LENGTH)",
                          i, api, shown, VIR_TYPED_PARAM_FIELD_LENGTH,
                          VIR_TYPED_PARAM_FIELD_LENGTH);
            return -1;
        }

        if (!vkTypedParamTypeIsKnown(p->type)) {
            shown = vkTypedParamFieldForMessage(p->field);
            vkReportError(VIR_ERR_INVALID_ARG,
                          "Parameter '%s' passed to %s has unknown type %d; "
                          "known types are %d (int) to %d (string)",
                          shown, api, p->type, VIR_TYPED_PARAM_INT, VIR_TYPED_PARAM_STRING);
            return -1;
        }

        if (p->type == VIR_TYPED_PARAM_STRING) {
            if (!strings_ok) {
                shown = vkTypedParamFieldForMessage(p->field);
                vkReportError(VIR_ERR_INVALID_ARG,
                              "Parameter '%s' passed to %s is a string, "
                              "and string parameters are not supported here "
                              "(they need VIR_TYPED_PARAM_STRING_OKAY support)",
                              shown, api);
                return -1;
            }
            if (!p->value.s) {
                shown = vkTypedParamFieldForMessage(p->field);
                vkReportError(VIR_ERR_INVALID_ARG,
                              "String parameter '%s' passed to %s has a NULL value; "
                              "string values must not be NULL",
                              shown, api);
                return -1;
            }
        }

        if (!g_hash_table_add(seen, (gpointer)p->field) &&
            !(multiple && g_strv_contains((const gchar *const *)multiple, p->field))) {
            shown = vkTypedParamFieldForMessage(p->field);
            vkReportError(VIR_ERR_INVALID_ARG,
                          "Parameter '%s' passed to %s occurs more than once, "
                          "but it may be given only once",
                          shown, api);
            return -1;
        }
    }

    return 0;
}

#define vkGetArgError(from, ...) \
    vkErrorReportRawFull((from), VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__, __VA_ARGS__)

/* Contract in vk-internal.h.  Internal: reports, never dispatches.  The
 * texts are libvirt's virCheck*Arg wordings, which scripts match. */
int
vkTypedParamsCheckGetArgsFrom(int from, virTypedParameterPtr params, int *nparams,
                              const char *api)
{
    /* libvirt's two scheduler getters answer no count query: they want a
     * buffer and a positive count (the count comes from
     * virDomainGetSchedulerType). */
    bool sched = api && g_str_has_prefix(api, "virDomainGetSchedulerParameters");

    api = VK_NULLSTR(api);
    if (sched && !params) {
        vkGetArgError(from, "params in %s must not be NULL", api);
        return -1;
    }
    if (!nparams) {
        vkGetArgError(from, "nparams in %s must not be NULL", api);
        return -1;
    }
    if (sched && *nparams <= 0) {
        vkGetArgError(from, "*nparams in %s must be greater than zero", api);
        return -1;
    }
    if (*nparams < 0) {
        vkGetArgError(from, "*nparams in %s must be zero or greater", api);
        return -1;
    }
    if (!params && *nparams > 0) {
        vkGetArgError(from, "params in %s must not be NULL", api);
        return -1;
    }
    return 0;
}

/* Contract in vk-internal.h.  NULL @params or @nparams is a no-op; the
 * vacated tail is zeroed so no stale copy or freed pointer stays behind. */
void
vkTypedParamsDropStrings(virTypedParameterPtr params, int *nparams)
{
    int i;
    int kept = 0;

    if (!params || !nparams || *nparams <= 0)
        return;

    for (i = 0; i < *nparams; i++) {
        if (params[i].type == VIR_TYPED_PARAM_STRING) {
            g_free(params[i].value.s);
            continue;
        }
        if (kept != i)
            params[kept] = params[i];
        kept++;
    }

    /* No stale copies or freed string pointers past the new end. */
    if (kept < *nparams)
        memset(params + kept, 0, (size_t)(*nparams - kept) * sizeof(*params));

    VK_DEBUG("dropped %d string parameters, %d left", *nparams - kept, kept);
    *nparams = kept;
}

/* Contract in vk-internal.h.  Invalid @dst/@ndst (which
 * vkTypedParamsCheckGetArgs() should have refused earlier) report
 * VIR_ERR_INVALID_ARG and return -1; @src is freed then too.  Entries past
 * the count returned in *ndst are not touched. */
int
vkTypedParamsReturn(virTypedParameterPtr src, int nsrc,
                    virTypedParameterPtr dst, int *ndst,
                    unsigned int caller_flags)
{
    int n;
    int i;

    if (!src || nsrc < 0)
        nsrc = 0;

    if (!(caller_flags & VIR_TYPED_PARAM_STRING_OKAY))
        vkTypedParamsDropStrings(src, &nsrc);

    if (!ndst || *ndst < 0 || (!dst && *ndst > 0)) {
        /* The wrapper's vkTypedParamsCheckGetArgs() should have caught this. */
        vkTypedParamsCheckGetArgsFrom(VK_FROM, dst, ndst, "vkTypedParamsReturn");
        vkTypedParamsClearArray(src, nsrc);
        g_free(src);
        return -1;
    }

    if (*ndst == 0 && !dst) {
        VK_DEBUG("count query: %d parameters", nsrc);
        *ndst = nsrc;
        vkTypedParamsClearArray(src, nsrc);
        g_free(src);
        return 0;
    }

    n = MIN(*ndst, nsrc);
    for (i = 0; i < n; i++) {
        dst[i] = src[i];
        if (src[i].type == VIR_TYPED_PARAM_STRING)
            dst[i].value.s = g_strdup(src[i].value.s);
    }
    VK_DEBUG("returned %d of %d parameters into room for %d", n, nsrc, *ndst);
    *ndst = n;

    vkTypedParamsClearArray(src, nsrc);
    g_free(src);
    return 0;
}

int
vkTypedParamsAddV(virTypedParameterPtr *params, int *nparams, int *maxparams,
                  const char *name, int type, va_list ap)
{
    virTypedParameter param;

    if (vkTypedParamsAddPrepare(params, nparams, maxparams, name, "typedParamsAdd", &param) < 0)
        return -1;
    param.type = type;
    switch (type) {
    case VIR_TYPED_PARAM_INT:
        param.value.i = va_arg(ap, int);
        break;
    case VIR_TYPED_PARAM_UINT:
        param.value.ui = va_arg(ap, unsigned int);
        break;
    case VIR_TYPED_PARAM_LLONG:
        param.value.l = va_arg(ap, long long);
        break;
    case VIR_TYPED_PARAM_ULLONG:
        param.value.ul = va_arg(ap, unsigned long long);
        break;
    case VIR_TYPED_PARAM_DOUBLE:
        param.value.d = va_arg(ap, double);
        break;
    case VIR_TYPED_PARAM_BOOLEAN:
        param.value.b = va_arg(ap, int) ? 1 : 0;
        break;
    case VIR_TYPED_PARAM_STRING: {
        const char *v = va_arg(ap, const char *);
        param.value.s = g_strdup(v ? v : "");
        break;
    }
    default:
        vkReportError(VIR_ERR_INVALID_ARG,
                      "Parameter '%s' cannot be added: type %d is not a virTypedParameterType",
                      name, type);
        return -1;
    }
    vkTypedParamsAddPush(params, nparams, maxparams, &param);
    return 0;
}
