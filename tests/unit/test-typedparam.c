/*
 * test-typedparam.c: the public virTypedParams* family and the core's
 * typed-parameter helpers (core/vir-typedparam.c).
 *
 * Errors are read only through the public API (virGetLastError,
 * virGetLastErrorCode, virGetLastErrorMessage) and a handler installed with
 * virSetErrorFunc, which counts dispatches: public calls must dispatch each
 * error exactly once, internal helpers never.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <limits.h>
#include <stdarg.h>
#include <string.h>

#include "vk-internal.h"

static int dispatchCount;
static int dispatchedCode;

static void
testErrorHandler(void *opaque G_GNUC_UNUSED, virErrorPtr err)
{
    dispatchCount++;
    dispatchedCode = err ? err->code : -1;
}

/* Every test starts from here: no last error, no dispatch seen. */
static void
testReset(void)
{
    virResetLastError();
    dispatchCount = 0;
    dispatchedCode = VIR_ERR_OK;
}

static void
assertNoError(void)
{
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OK);
    g_assert_null(virGetLastError());
    g_assert_cmpint(dispatchCount, ==, 0);
}

/* The last error has @code, was dispatched @dispatched times, and its message
 * holds every string of the NULL-terminated list that follows. */
static void
assertErrorV(int code, int dispatched, ...)
{
    virErrorPtr err = virGetLastError();
    const char *msg = virGetLastErrorMessage();
    const char *needle;
    va_list ap;

    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, code);
    g_assert_cmpint(virGetLastErrorCode(), ==, code);
    g_assert_cmpint(dispatchCount, ==, dispatched);
    if (dispatched)
        g_assert_cmpint(dispatchedCode, ==, code);
    g_assert_nonnull(msg);

    va_start(ap, dispatched);
    while ((needle = va_arg(ap, const char *))) {
        if (!strstr(msg, needle))
            g_test_message("message '%s' lacks '%s'", msg, needle);
        g_assert_nonnull(strstr(msg, needle));
    }
    va_end(ap);
}

#define assertPublicError(code, ...) assertErrorV((code), 1, __VA_ARGS__, NULL)
#define assertInternalError(code, ...) assertErrorV((code), 0, __VA_ARGS__, NULL)

/* Leaves a dispatched error behind, to show that a later call resets it. */
static void
makeSomeError(void)
{
    virTypedParameter p = { .field = "x", .type = VIR_TYPED_PARAM_INT };

    g_assert_cmpint(virTypedParamsGetString(&p, 1, "x", NULL), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    dispatchCount = 0;
}

/* One entry of each type, added through the public API. */
static void
buildAll(virTypedParameterPtr *params, int *n, int *max)
{
    *params = NULL;
    *n = 0;
    *max = 0;
    g_assert_cmpint(virTypedParamsAddInt(params, n, max, "i", -5), ==, 0);
    g_assert_cmpint(virTypedParamsAddUInt(params, n, max, "u", 4000000000U), ==, 0);
    g_assert_cmpint(virTypedParamsAddLLong(params, n, max, "l", LLONG_MIN), ==, 0);
    g_assert_cmpint(virTypedParamsAddULLong(params, n, max, "ul", ULLONG_MAX), ==, 0);
    g_assert_cmpint(virTypedParamsAddDouble(params, n, max, "d", 2.5), ==, 0);
    g_assert_cmpint(virTypedParamsAddBoolean(params, n, max, "b", 7), ==, 0);
    g_assert_cmpint(virTypedParamsAddString(params, n, max, "s", "hello"), ==, 0);
    g_assert_cmpint(*n, ==, 7);
}

static char *
repeatChar(char c, size_t len)
{
    char *s = g_malloc(len + 1);

    memset(s, c, len);
    s[len] = '\0';
    return s;
}

/* ------------------------------------------------------------------ */
/* virTypedParamsGet*                                                   */
/* ------------------------------------------------------------------ */

static void
testGetFirstMatch(void)
{
    virTypedParameter p[3] = {
        { .field = "a", .type = VIR_TYPED_PARAM_INT, .value.i = 1 },
        { .field = "b", .type = VIR_TYPED_PARAM_INT, .value.i = 2 },
        { .field = "a", .type = VIR_TYPED_PARAM_INT, .value.i = 3 },
    };
    int v = 0;

    testReset();
    g_assert_true(virTypedParamsGet(p, 3, "a") == &p[0]);
    g_assert_true(virTypedParamsGet(p, 3, "b") == &p[1]);
    g_assert_null(virTypedParamsGet(p, 3, "c"));
    g_assert_null(virTypedParamsGet(p, 3, "ab"));
    g_assert_null(virTypedParamsGet(p, 1, "b"));
    g_assert_null(virTypedParamsGet(p, 0, "a"));
    g_assert_null(virTypedParamsGet(p, -1, "a"));
    g_assert_null(virTypedParamsGet(p, 3, NULL));
    g_assert_null(virTypedParamsGet(NULL, 3, "a"));
    g_assert_cmpint(virTypedParamsGetInt(p, 3, "a", &v), ==, 1);
    g_assert_cmpint(v, ==, 1);
    assertNoError();
}

static void
testGetFieldWithoutNul(void)
{
    /* One heap entry, every byte 'a' (type and value too), so a read past
     * the 80-byte field runs off the allocation under ASan. */
    virTypedParameterPtr p = g_malloc(sizeof(*p));
    g_autofree char *name79 = repeatChar('a', 79);
    g_autofree char *name80 = repeatChar('a', 80);
    g_autofree char *name100 = repeatChar('a', 100);

    testReset();
    memset(p, 'a', sizeof(*p));
    g_assert_null(virTypedParamsGet(p, 1, "a"));
    g_assert_null(virTypedParamsGet(p, 1, name79));
    g_assert_null(virTypedParamsGet(p, 1, name80));
    g_assert_null(virTypedParamsGet(p, 1, name100));
    g_assert_cmpint(virTypedParamsGetInt(p, 1, name80, NULL), ==, 0);
    assertNoError();
    g_free(p);
}

static void
testGetInt(void)
{
    virTypedParameterPtr p;
    int n, max;
    int v = 12345;

    testReset();
    buildAll(&p, &n, &max);
    g_assert_cmpint(virTypedParamsGetInt(p, n, "i", &v), ==, 1);
    g_assert_cmpint(v, ==, -5);
    g_assert_cmpint(virTypedParamsGetInt(p, n, "i", NULL), ==, 1);
    v = 12345;
    g_assert_cmpint(virTypedParamsGetInt(p, n, "missing", &v), ==, 0);
    g_assert_cmpint(v, ==, 12345);
    assertNoError();

    g_assert_cmpint(virTypedParamsGetInt(p, n, "u", &v), ==, -1);
    g_assert_cmpint(v, ==, 12345);
    assertPublicError(VIR_ERR_INVALID_ARG, "'u'", "'uint'", "'int'", "virTypedParamsGetInt");
    virTypedParamsFree(p, n);
}

static void
testGetUInt(void)
{
    virTypedParameterPtr p;
    int n, max;
    unsigned int v = 0;

    testReset();
    buildAll(&p, &n, &max);
    g_assert_cmpint(virTypedParamsGetUInt(p, n, "u", &v), ==, 1);
    g_assert_cmpuint(v, ==, 4000000000U);
    g_assert_cmpint(virTypedParamsGetUInt(p, n, "missing", &v), ==, 0);
    assertNoError();

    g_assert_cmpint(virTypedParamsGetUInt(p, n, "i", &v), ==, -1);
    assertPublicError(VIR_ERR_INVALID_ARG, "'i'", "'int'", "'uint'", "virTypedParamsGetUInt");
    virTypedParamsFree(p, n);
}

static void
testGetLLong(void)
{
    virTypedParameterPtr p;
    int n, max;
    long long v = 0;

    testReset();
    buildAll(&p, &n, &max);
    g_assert_cmpint(virTypedParamsGetLLong(p, n, "l", &v), ==, 1);
    g_assert_cmpint(v, ==, LLONG_MIN);
    g_assert_cmpint(virTypedParamsGetLLong(p, n, "missing", &v), ==, 0);
    assertNoError();

    g_assert_cmpint(virTypedParamsGetLLong(p, n, "ul", &v), ==, -1);
    assertPublicError(VIR_ERR_INVALID_ARG, "'ul'", "'ullong'", "'llong'");
    virTypedParamsFree(p, n);
}

static void
testGetULLong(void)
{
    virTypedParameterPtr p;
    int n, max;
    unsigned long long v = 0;

    testReset();
    buildAll(&p, &n, &max);
    g_assert_cmpint(virTypedParamsGetULLong(p, n, "ul", &v), ==, 1);
    g_assert_true(v == ULLONG_MAX);
    g_assert_cmpint(virTypedParamsGetULLong(p, n, "missing", &v), ==, 0);
    assertNoError();

    g_assert_cmpint(virTypedParamsGetULLong(p, n, "l", &v), ==, -1);
    assertPublicError(VIR_ERR_INVALID_ARG, "'l'", "'llong'", "'ullong'");
    virTypedParamsFree(p, n);
}

static void
testGetDouble(void)
{
    virTypedParameterPtr p;
    int n, max;
    double v = 0;

    testReset();
    buildAll(&p, &n, &max);
    g_assert_cmpint(virTypedParamsGetDouble(p, n, "d", &v), ==, 1);
    g_assert_cmpfloat(v, ==, 2.5);
    g_assert_cmpint(virTypedParamsGetDouble(p, n, "missing", &v), ==, 0);
    assertNoError();

    g_assert_cmpint(virTypedParamsGetDouble(p, n, "b", &v), ==, -1);
    assertPublicError(VIR_ERR_INVALID_ARG, "'b'", "'boolean'", "'double'");
    virTypedParamsFree(p, n);
}

static void
testGetBoolean(void)
{
    virTypedParameterPtr p;
    int n, max;
    int v = 0;
    virTypedParameter raw = { .field = "raw", .type = VIR_TYPED_PARAM_BOOLEAN, .value.b = 7 };

    testReset();
    buildAll(&p, &n, &max);
    /* AddBoolean stored 7 as 1. */
    g_assert_cmpint(p[5].value.b, ==, 1);
    g_assert_cmpint(virTypedParamsGetBoolean(p, n, "b", &v), ==, 1);
    g_assert_cmpint(v, ==, 1);
    /* A raw non-zero char reads back as 1. */
    v = 0;
    g_assert_cmpint(virTypedParamsGetBoolean(&raw, 1, "raw", &v), ==, 1);
    g_assert_cmpint(v, ==, 1);
    g_assert_cmpint(virTypedParamsGetBoolean(p, n, "missing", &v), ==, 0);
    assertNoError();

    g_assert_cmpint(virTypedParamsGetBoolean(p, n, "d", &v), ==, -1);
    assertPublicError(VIR_ERR_INVALID_ARG, "'d'", "'double'", "'boolean'");
    virTypedParamsFree(p, n);
}

static void
testGetString(void)
{
    virTypedParameterPtr p;
    int n, max;
    const char *v = NULL;

    testReset();
    buildAll(&p, &n, &max);
    g_assert_cmpint(virTypedParamsGetString(p, n, "s", &v), ==, 1);
    g_assert_cmpstr(v, ==, "hello");
    /* Borrowed, not copied. */
    g_assert_true(v == p[6].value.s);
    g_assert_cmpint(virTypedParamsGetString(p, n, "missing", &v), ==, 0);
    assertNoError();

    g_assert_cmpint(virTypedParamsGetString(p, n, "i", &v), ==, -1);
    assertPublicError(VIR_ERR_INVALID_ARG, "'i'", "'int'", "'string'", "virTypedParamsGetString");
    virTypedParamsFree(p, n);
}

static void
testGetUnknownType(void)
{
    virTypedParameter p = { .field = "odd", .type = 99 };
    int v;

    testReset();
    g_assert_cmpint(virTypedParamsGetInt(&p, 1, "odd", &v), ==, -1);
    assertPublicError(VIR_ERR_INVALID_ARG, "'odd'", "unknown type 99");
}

static void
testGetResetsError(void)
{
    virTypedParameter p = { .field = "x", .type = VIR_TYPED_PARAM_INT, .value.i = 4 };
    int v = 0;

    testReset();
    makeSomeError();
    g_assert_cmpint(virTypedParamsGetInt(&p, 1, "x", &v), ==, 1);
    assertNoError();

    makeSomeError();
    g_assert_cmpint(virTypedParamsGetInt(&p, 1, "missing", &v), ==, 0);
    assertNoError();
}

/* ------------------------------------------------------------------ */
/* virTypedParamsAdd*                                                   */
/* ------------------------------------------------------------------ */

static void
testAddInt(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    testReset();
    makeSomeError();
    g_assert_cmpint(virTypedParamsAddInt(&p, &n, &max, "int-param", INT_MIN), ==, 0);
    assertNoError();
    g_assert_nonnull(p);
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpint(max, ==, 1);
    g_assert_cmpstr(p[0].field, ==, "int-param");
    g_assert_cmpint(p[0].type, ==, VIR_TYPED_PARAM_INT);
    g_assert_cmpint(p[0].value.i, ==, INT_MIN);
    virTypedParamsFree(p, n);
}

static void
testAddUInt(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    testReset();
    g_assert_cmpint(virTypedParamsAddUInt(&p, &n, &max, "u", UINT_MAX), ==, 0);
    assertNoError();
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpint(p[0].type, ==, VIR_TYPED_PARAM_UINT);
    g_assert_cmpuint(p[0].value.ui, ==, UINT_MAX);
    virTypedParamsFree(p, n);
}

static void
testAddLLong(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    testReset();
    g_assert_cmpint(virTypedParamsAddLLong(&p, &n, &max, "l", LLONG_MAX), ==, 0);
    assertNoError();
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpint(p[0].type, ==, VIR_TYPED_PARAM_LLONG);
    g_assert_cmpint(p[0].value.l, ==, LLONG_MAX);
    virTypedParamsFree(p, n);
}

static void
testAddULLong(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    testReset();
    g_assert_cmpint(virTypedParamsAddULLong(&p, &n, &max, "ul", ULLONG_MAX - 1), ==, 0);
    assertNoError();
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpint(p[0].type, ==, VIR_TYPED_PARAM_ULLONG);
    g_assert_true(p[0].value.ul == ULLONG_MAX - 1);
    virTypedParamsFree(p, n);
}

static void
testAddDouble(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    testReset();
    g_assert_cmpint(virTypedParamsAddDouble(&p, &n, &max, "d", -0.125), ==, 0);
    assertNoError();
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpint(p[0].type, ==, VIR_TYPED_PARAM_DOUBLE);
    g_assert_cmpfloat(p[0].value.d, ==, -0.125);
    virTypedParamsFree(p, n);
}

static void
testAddBoolean(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    testReset();
    g_assert_cmpint(virTypedParamsAddBoolean(&p, &n, &max, "t", 256), ==, 0);
    g_assert_cmpint(virTypedParamsAddBoolean(&p, &n, &max, "f", 0), ==, 0);
    assertNoError();
    g_assert_cmpint(n, ==, 2);
    g_assert_cmpint(p[0].type, ==, VIR_TYPED_PARAM_BOOLEAN);
    /* 256 would truncate to 0 in a char; it must be stored as 1. */
    g_assert_cmpint(p[0].value.b, ==, 1);
    g_assert_cmpint(p[1].value.b, ==, 0);
    virTypedParamsFree(p, n);
}

static void
testAddString(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;
    char buf[] = "value";

    testReset();
    g_assert_cmpint(virTypedParamsAddString(&p, &n, &max, "s", buf), ==, 0);
    g_assert_cmpint(virTypedParamsAddString(&p, &n, &max, "empty", NULL), ==, 0);
    assertNoError();
    g_assert_cmpint(n, ==, 2);
    g_assert_cmpint(p[0].type, ==, VIR_TYPED_PARAM_STRING);
    g_assert_true(p[0].value.s != buf);
    buf[0] = 'X';
    g_assert_cmpstr(p[0].value.s, ==, "value");
    /* NULL is stored as "", as libvirt does. */
    g_assert_cmpint(p[1].type, ==, VIR_TYPED_PARAM_STRING);
    g_assert_cmpstr(p[1].value.s, ==, "");
    virTypedParamsFree(p, n);
}

static void
testAddGrowth(void)
{
    static const int expected[] = { 1, 2, 3, 4, 6, 6, 9, 9, 9, 13 };
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;
    size_t i;

    testReset();
    for (i = 0; i < G_N_ELEMENTS(expected); i++) {
        g_autofree char *name = g_strdup_printf("p%zu", i);

        g_assert_cmpint(virTypedParamsAddInt(&p, &n, &max, name, (int)i), ==, 0);
        g_assert_cmpint(n, ==, (int)i + 1);
        g_assert_cmpint(max, ==, expected[i]);
    }
    for (i = 0; i < G_N_ELEMENTS(expected); i++) {
        g_autofree char *name = g_strdup_printf("p%zu", i);
        int v = -1;

        g_assert_cmpint(virTypedParamsGetInt(p, n, name, &v), ==, 1);
        g_assert_cmpint(v, ==, (int)i);
    }
    /* The slack past n is zeroed. */
    for (i = n; i < (size_t)max; i++)
        g_assert_cmpint(p[i].type, ==, 0);
    assertNoError();
    virTypedParamsFree(p, n);
}

static void
testAddPreallocated(void)
{
    virTypedParameterPtr p = g_new0(virTypedParameter, 4);
    virTypedParameterPtr orig = p;
    int n = 0, max = 4;

    testReset();
    g_assert_cmpint(virTypedParamsAddInt(&p, &n, &max, "a", 1), ==, 0);
    g_assert_cmpint(virTypedParamsAddInt(&p, &n, &max, "b", 2), ==, 0);
    g_assert_true(p == orig);
    g_assert_cmpint(max, ==, 4);
    g_assert_cmpint(n, ==, 2);
    g_assert_cmpstr(p[1].field, ==, "b");
    assertNoError();
    virTypedParamsFree(p, n);
}

/* An array whose maxparams understates it (nparams > maxparams): libvirt
 * regrows it; the entries in use must survive the growth. */
static void
testAddUnderstatedMax(void)
{
    virTypedParameterPtr p = g_new0(virTypedParameter, 3);
    int n = 3, max = 1;
    int i;

    testReset();
    for (i = 0; i < 3; i++) {
        g_snprintf(p[i].field, sizeof(p[i].field), "e%d", i);
        p[i].type = VIR_TYPED_PARAM_INT;
        p[i].value.i = 10 + i;
    }
    g_assert_cmpint(virTypedParamsAddInt(&p, &n, &max, "new", 99), ==, 0);
    assertNoError();
    g_assert_cmpint(n, ==, 4);
    g_assert_cmpint(max, >=, 4);
    for (i = 0; i < 3; i++) {
        g_assert_cmpint(p[i].type, ==, VIR_TYPED_PARAM_INT);
        g_assert_cmpint(p[i].value.i, ==, 10 + i);
    }
    g_assert_cmpstr(p[3].field, ==, "new");
    virTypedParamsFree(p, n);
}

static void
testAddDuplicateAppended(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;
    int v = 0;

    testReset();
    g_assert_cmpint(virTypedParamsAddInt(&p, &n, &max, "x", 1), ==, 0);
    g_assert_cmpint(virTypedParamsAddInt(&p, &n, &max, "x", 2), ==, 0);
    g_assert_cmpint(n, ==, 2);
    g_assert_cmpint(virTypedParamsGetInt(p, n, "x", &v), ==, 1);
    g_assert_cmpint(v, ==, 1);
    assertNoError();
    virTypedParamsFree(p, n);
}

static void
testAddNameTooLong(void)
{
    g_autofree char *name79 = repeatChar('n', 79);
    g_autofree char *name80 = repeatChar('n', 80);
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    testReset();
    g_assert_cmpint(virTypedParamsAddInt(&p, &n, &max, name79, 1), ==, 0);
    g_assert_cmpstr(p[0].field, ==, name79);
    assertNoError();

    /* Nothing changes on failure: count, allocation, array. */
    g_assert_cmpint(virTypedParamsAddInt(&p, &n, &max, name80, 1), ==, -1);
    assertPublicError(VIR_ERR_INTERNAL_ERROR, name80, "80", "virTypedParamsAddInt");
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpint(max, ==, 1);

    testReset();
    g_assert_cmpint(virTypedParamsAddString(&p, &n, &max, name80, "v"), ==, -1);
    assertPublicError(VIR_ERR_INTERNAL_ERROR, name80, "80", "virTypedParamsAddString");
    g_assert_cmpint(n, ==, 1);

    testReset();
    g_assert_cmpint(virTypedParamsAddFromString(&p, &n, &max, name80,
                                                VIR_TYPED_PARAM_STRING, "v"), ==, -1);
    assertPublicError(VIR_ERR_INTERNAL_ERROR, name80, "80", "virTypedParamsAddFromString");
    g_assert_cmpint(n, ==, 1);

    testReset();
    g_assert_cmpint(virTypedParamsAddUInt(&p, &n, &max, name80, 1), ==, -1);
    assertPublicError(VIR_ERR_INTERNAL_ERROR, name80, "80");
    g_assert_cmpint(virTypedParamsAddLLong(&p, &n, &max, name80, 1), ==, -1);
    g_assert_cmpint(virTypedParamsAddULLong(&p, &n, &max, name80, 1), ==, -1);
    g_assert_cmpint(virTypedParamsAddDouble(&p, &n, &max, name80, 1), ==, -1);
    g_assert_cmpint(virTypedParamsAddBoolean(&p, &n, &max, name80, 1), ==, -1);
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpint(max, ==, 1);
    virTypedParamsFree(p, n);
}

static void
testAddBadArgs(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    testReset();
    g_assert_cmpint(virTypedParamsAddInt(NULL, &n, &max, "a", 1), ==, -1);
    assertPublicError(VIR_ERR_INVALID_ARG, "params", "virTypedParamsAddInt");

    testReset();
    g_assert_cmpint(virTypedParamsAddInt(&p, NULL, &max, "a", 1), ==, -1);
    assertPublicError(VIR_ERR_INVALID_ARG, "nparams", "virTypedParamsAddInt");

    testReset();
    g_assert_cmpint(virTypedParamsAddInt(&p, &n, NULL, "a", 1), ==, -1);
    assertPublicError(VIR_ERR_INVALID_ARG, "maxparams", "virTypedParamsAddInt");

    testReset();
    g_assert_cmpint(virTypedParamsAddString(&p, &n, &max, NULL, "v"), ==, -1);
    assertPublicError(VIR_ERR_INVALID_ARG, "name", "virTypedParamsAddString");

    testReset();
    n = -1;
    g_assert_cmpint(virTypedParamsAddInt(&p, &n, &max, "a", 1), ==, -1);
    assertPublicError(VIR_ERR_INVALID_ARG, "nparams", "negative", "-1");

    testReset();
    n = 2;
    g_assert_cmpint(virTypedParamsAddInt(&p, &n, &max, "a", 1), ==, -1);
    assertPublicError(VIR_ERR_INVALID_ARG, "params", "2");
    g_assert_null(p);
}

/* ------------------------------------------------------------------ */
/* virTypedParamsAddFromString                                          */
/* ------------------------------------------------------------------ */

/* Adds @text as @type under "f"; returns the entry (the array is kept in
 * *p for the caller to free). */
static virTypedParameterPtr
addFromString(virTypedParameterPtr *p, int *n, int *max, int type, const char *text)
{
    int before = *n;

    testReset();
    if (virTypedParamsAddFromString(p, n, max, "f", type, text) < 0) {
        g_test_message("'%s' refused: %s", text, virGetLastErrorMessage());
        g_assert_not_reached();
    }
    assertNoError();
    g_assert_cmpint(*n, ==, before + 1);
    g_assert_cmpint((*p)[*n - 1].type, ==, type);
    g_assert_cmpstr((*p)[*n - 1].field, ==, "f");
    return *p + *n - 1;
}

/* @text must be refused for @type, naming the value and the type. */
static void
refuseFromString(int type, const char *text, const char *typename)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    testReset();
    g_assert_cmpint(virTypedParamsAddFromString(&p, &n, &max, "f", type, text), ==, -1);
    {
        g_autofree char *quoted = g_strdup_printf("'%s'", text);
        g_autofree char *qtype = g_strdup_printf("'%s'", typename);

        assertPublicError(VIR_ERR_INVALID_ARG, quoted, qtype, "'f'");
    }
    g_assert_cmpint(n, ==, 0);
    g_assert_null(p);
}

static void
testFromStringInt(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    g_assert_cmpint(addFromString(&p, &n, &max, VIR_TYPED_PARAM_INT, "42")->value.i, ==, 42);
    g_assert_cmpint(addFromString(&p, &n, &max, VIR_TYPED_PARAM_INT, " -7")->value.i, ==, -7);
    g_assert_cmpint(addFromString(&p, &n, &max, VIR_TYPED_PARAM_INT, "+3")->value.i, ==, 3);
    g_assert_cmpint(addFromString(&p, &n, &max, VIR_TYPED_PARAM_INT,
                                  "2147483647")->value.i, ==, INT_MAX);
    g_assert_cmpint(addFromString(&p, &n, &max, VIR_TYPED_PARAM_INT,
                                  "-2147483648")->value.i, ==, INT_MIN);
    virTypedParamsFree(p, n);

    refuseFromString(VIR_TYPED_PARAM_INT, "2147483648", "int");
    refuseFromString(VIR_TYPED_PARAM_INT, "-2147483649", "int");
    refuseFromString(VIR_TYPED_PARAM_INT, "abc", "int");
    refuseFromString(VIR_TYPED_PARAM_INT, "", "int");
    refuseFromString(VIR_TYPED_PARAM_INT, "12abc", "int");
    refuseFromString(VIR_TYPED_PARAM_INT, "1.5", "int");
    refuseFromString(VIR_TYPED_PARAM_INT, "7 ", "int");
}

static void
testFromStringUInt(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    g_assert_cmpuint(addFromString(&p, &n, &max, VIR_TYPED_PARAM_UINT,
                                   "4294967295")->value.ui, ==, UINT_MAX);
    g_assert_cmpuint(addFromString(&p, &n, &max, VIR_TYPED_PARAM_UINT, "0")->value.ui, ==, 0);
    /* libvirt's virStrToLong_ui shorthand: -1 means UINT_MAX. */
    g_assert_cmpuint(addFromString(&p, &n, &max, VIR_TYPED_PARAM_UINT, "-1")->value.ui,
                     ==, UINT_MAX);
    virTypedParamsFree(p, n);

    refuseFromString(VIR_TYPED_PARAM_UINT, "4294967296", "uint");
    refuseFromString(VIR_TYPED_PARAM_UINT, "-4294967296", "uint");
    refuseFromString(VIR_TYPED_PARAM_UINT, "x", "uint");
}

static void
testFromStringLLong(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    g_assert_cmpint(addFromString(&p, &n, &max, VIR_TYPED_PARAM_LLONG,
                                  "-9223372036854775808")->value.l, ==, LLONG_MIN);
    g_assert_cmpint(addFromString(&p, &n, &max, VIR_TYPED_PARAM_LLONG,
                                  "9223372036854775807")->value.l, ==, LLONG_MAX);
    virTypedParamsFree(p, n);

    refuseFromString(VIR_TYPED_PARAM_LLONG, "9223372036854775808", "llong");
    refuseFromString(VIR_TYPED_PARAM_LLONG, "0x10", "llong");
}

static void
testFromStringULLong(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    g_assert_true(addFromString(&p, &n, &max, VIR_TYPED_PARAM_ULLONG,
                                "18446744073709551615")->value.ul == ULLONG_MAX);
    g_assert_true(addFromString(&p, &n, &max, VIR_TYPED_PARAM_ULLONG,
                                "1234567890123")->value.ul == 1234567890123ULL);
    virTypedParamsFree(p, n);

    refuseFromString(VIR_TYPED_PARAM_ULLONG, "18446744073709551616", "ullong");
    refuseFromString(VIR_TYPED_PARAM_ULLONG, "", "ullong");
    refuseFromString(VIR_TYPED_PARAM_ULLONG, "five", "ullong");
}

static void
testFromStringDouble(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    g_assert_cmpfloat(addFromString(&p, &n, &max, VIR_TYPED_PARAM_DOUBLE,
                                    "1.5")->value.d, ==, 1.5);
    g_assert_cmpfloat(addFromString(&p, &n, &max, VIR_TYPED_PARAM_DOUBLE,
                                    "-2e3")->value.d, ==, -2000.0);
    virTypedParamsFree(p, n);

    refuseFromString(VIR_TYPED_PARAM_DOUBLE, "1,5", "double");
    refuseFromString(VIR_TYPED_PARAM_DOUBLE, "abc", "double");
    refuseFromString(VIR_TYPED_PARAM_DOUBLE, "1e999", "double");
    refuseFromString(VIR_TYPED_PARAM_DOUBLE, "", "double");
}

static void
testFromStringBoolean(void)
{
    static const struct {
        const char *text;
        int value;
    } ok[] = {
        { "true", 1 }, { "TRUE", 1 }, { "True", 1 }, { "1", 1 },
        { "false", 0 }, { "FALSE", 0 }, { "False", 0 }, { "0", 0 },
    };
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(ok); i++) {
        virTypedParameterPtr e = addFromString(&p, &n, &max, VIR_TYPED_PARAM_BOOLEAN,
                                               ok[i].text);

        g_assert_cmpint(e->value.b, ==, ok[i].value);
    }
    virTypedParamsFree(p, n);

    refuseFromString(VIR_TYPED_PARAM_BOOLEAN, "yes", "boolean");
    refuseFromString(VIR_TYPED_PARAM_BOOLEAN, "2", "boolean");
    refuseFromString(VIR_TYPED_PARAM_BOOLEAN, "", "boolean");
}

static void
testFromStringString(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;
    char buf[] = "text 12";
    virTypedParameterPtr e = addFromString(&p, &n, &max, VIR_TYPED_PARAM_STRING, buf);

    g_assert_true(e->value.s != buf);
    buf[0] = 'X';
    g_assert_cmpstr(e->value.s, ==, "text 12");
    virTypedParamsFree(p, n);
}

static void
testFromStringErrors(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    testReset();
    g_assert_cmpint(virTypedParamsAddFromString(&p, &n, &max, "f", 0, "1"), ==, -1);
    assertPublicError(VIR_ERR_INTERNAL_ERROR, "Type 0", "'f'");

    testReset();
    g_assert_cmpint(virTypedParamsAddFromString(&p, &n, &max, "f", 8, "1"), ==, -1);
    assertPublicError(VIR_ERR_INTERNAL_ERROR, "Type 8", "'f'", "virTypedParamsAddFromString");

    testReset();
    g_assert_cmpint(virTypedParamsAddFromString(&p, &n, &max, "f",
                                                VIR_TYPED_PARAM_INT, NULL), ==, -1);
    assertPublicError(VIR_ERR_INVALID_ARG, "value", "NULL", "'f'");

    g_assert_cmpint(n, ==, 0);
    g_assert_null(p);
}

/* ------------------------------------------------------------------ */
/* virTypedParamsAddStringList                                          */
/* ------------------------------------------------------------------ */

static void
testStringListBasic(void)
{
    const char *values[] = { "a", "b", "c", NULL };
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;
    const char *first = NULL;
    int i;

    testReset();
    g_assert_cmpint(virTypedParamsAddInt(&p, &n, &max, "other", 1), ==, 0);
    g_assert_cmpint(virTypedParamsAddStringList(&p, &n, &max, "disk", values), ==, 0);
    assertNoError();
    g_assert_cmpint(n, ==, 4);
    for (i = 0; i < 3; i++) {
        g_assert_cmpstr(p[i + 1].field, ==, "disk");
        g_assert_cmpint(p[i + 1].type, ==, VIR_TYPED_PARAM_STRING);
        g_assert_cmpstr(p[i + 1].value.s, ==, values[i]);
        g_assert_true(p[i + 1].value.s != values[i]);
    }
    g_assert_cmpint(virTypedParamsGetString(p, n, "disk", &first), ==, 1);
    g_assert_cmpstr(first, ==, "a");
    virTypedParamsFree(p, n);
}

static void
testStringListEmpty(void)
{
    const char *empty[] = { NULL };
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    testReset();
    g_assert_cmpint(virTypedParamsAddStringList(&p, &n, &max, "disk", NULL), ==, 0);
    assertNoError();
    g_assert_cmpint(virTypedParamsAddStringList(&p, &n, &max, "disk", empty), ==, 0);
    assertNoError();
    g_assert_cmpint(n, ==, 0);
    g_assert_null(p);
}

static void
testStringListNameTooLong(void)
{
    const char *values[] = { "a", "b", NULL };
    g_autofree char *name80 = repeatChar('z', 80);
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    testReset();
    g_assert_cmpint(virTypedParamsAddStringList(&p, &n, &max, name80, values), ==, -1);
    assertPublicError(VIR_ERR_INTERNAL_ERROR, name80, "80", "virTypedParamsAddStringList");
    /* All or nothing. */
    g_assert_cmpint(n, ==, 0);
    g_assert_null(p);
}

/* ------------------------------------------------------------------ */
/* virTypedParamsClear / virTypedParamsFree                             */
/* ------------------------------------------------------------------ */

static void
testClear(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    testReset();
    g_assert_cmpint(virTypedParamsAddString(&p, &n, &max, "s", "x"), ==, 0);
    g_assert_cmpint(virTypedParamsAddInt(&p, &n, &max, "i", 9), ==, 0);
    g_assert_cmpint(virTypedParamsAddString(&p, &n, &max, "t", "y"), ==, 0);

    /* Clear leaves the caller's error alone (libvirt does too). */
    makeSomeError();
    virTypedParamsClear(p, n);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);

    g_assert_null(p[0].value.s);
    g_assert_null(p[2].value.s);
    g_assert_cmpint(p[1].value.i, ==, 9);
    g_assert_cmpstr(p[1].field, ==, "i");
    /* Clearing twice is harmless; so is NULL. */
    virTypedParamsClear(p, n);
    virTypedParamsClear(NULL, 3);
    g_free(p);
}

static void
testFree(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    testReset();
    g_assert_cmpint(virTypedParamsAddString(&p, &n, &max, "s", "x"), ==, 0);
    g_assert_cmpint(virTypedParamsAddDouble(&p, &n, &max, "d", 1.0), ==, 0);

    makeSomeError();
    virTypedParamsFree(p, n);
    virTypedParamsFree(NULL, 5);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpint(dispatchCount, ==, 0);
}

/* ------------------------------------------------------------------ */
/* vkTypedParamsCheckSet                                                */
/* ------------------------------------------------------------------ */

static void
testCheckValid(void)
{
    virTypedParameter p[3] = {
        { .field = "a", .type = VIR_TYPED_PARAM_INT },
        { .field = "b", .type = VIR_TYPED_PARAM_STRING, .value.s = (char *)"v" },
        { .field = "c", .type = VIR_TYPED_PARAM_BOOLEAN },
    };
    g_autofree char *name79 = repeatChar('q', 79);

    testReset();
    g_assert_cmpint(vkTypedParamsCheckSet(p, 3, true, NULL, "virTest"), ==, 0);
    g_assert_cmpint(vkTypedParamsCheckSet(NULL, 0, false, NULL, "virTest"), ==, 0);
    /* 79 bytes and a NUL fill the field exactly. */
    memcpy(p[0].field, name79, 80);
    g_assert_cmpint(vkTypedParamsCheckSet(p, 3, true, NULL, "virTest"), ==, 0);
    assertNoError();
}

static void
testCheckFieldWithoutNul(void)
{
    /* A single heap entry with every byte 'a' -- field, type, padding and
     * value -- so an unbounded read of the field runs off the allocation
     * and ASan reports it. */
    virTypedParameterPtr one = g_malloc(sizeof(*one));
    virTypedParameter two[2] = {
        { .field = "ok", .type = VIR_TYPED_PARAM_INT },
        { .type = VIR_TYPED_PARAM_INT },
    };
    g_autofree char *field80 = repeatChar('a', 80);

    testReset();
    memset(one, 'a', sizeof(*one));
    g_assert_cmpint(vkTypedParamsCheckSet(one, 1, true, NULL, "virDomainSetFoo"), ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG, "Parameter 0", "virDomainSetFoo", "80", field80);
    g_free(one);

    testReset();
    memset(two[1].field, 'b', sizeof(two[1].field));
    g_assert_cmpint(vkTypedParamsCheckSet(two, 2, true, NULL, "virDomainSetBar"), ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG, "Parameter 1", "virDomainSetBar", "80",
                        "no terminating NUL");

    /* The bound is exactly 80: with a zero byte right after the field (the
     * first byte of type 256 is zero in either byte order), the field is
     * still unterminated and must be refused as such, before its type. */
    testReset();
    two[1].type = 256;
    g_assert_cmpint(vkTypedParamsCheckSet(two, 2, true, NULL, "virDomainSetBar"), ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG, "Parameter 1", "no terminating NUL");
}

static void
testCheckUnknownType(void)
{
    virTypedParameter p[2] = {
        { .field = "a", .type = VIR_TYPED_PARAM_INT },
        { .field = "weird", .type = 0 },
    };

    testReset();
    g_assert_cmpint(vkTypedParamsCheckSet(p, 2, true, NULL, "virTest"), ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG, "'weird'", "virTest", "unknown type 0");

    testReset();
    p[1].type = VIR_TYPED_PARAM_STRING + 1;
    g_assert_cmpint(vkTypedParamsCheckSet(p, 2, true, NULL, "virTest"), ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG, "'weird'", "unknown type 8");

    /* A peer's raw bytes reach the message escaped, never as they are. */
    testReset();
    strcpy(p[1].field, "bad\001\377");
    g_assert_cmpint(vkTypedParamsCheckSet(p, 2, true, NULL, "virTest"), ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG, "'bad\\001\\377'", "unknown type 8");
    g_assert_null(strchr(virGetLastErrorMessage(), '\001'));
    g_assert_null(strchr(virGetLastErrorMessage(), '\377'));
}

static void
testCheckDuplicateRefused(void)
{
    virTypedParameter p[3] = {
        { .field = "x", .type = VIR_TYPED_PARAM_INT },
        { .field = "y", .type = VIR_TYPED_PARAM_INT },
        { .field = "x", .type = VIR_TYPED_PARAM_UINT },
    };

    testReset();
    g_assert_cmpint(vkTypedParamsCheckSet(p, 3, false, NULL, "virTest"), ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG, "'x'", "virTest", "more than once");
}

static void
testCheckDuplicateMultiple(void)
{
    static const char *const multiple[] = { "x", "z", NULL };
    virTypedParameter p[4] = {
        { .field = "x", .type = VIR_TYPED_PARAM_INT },
        { .field = "y", .type = VIR_TYPED_PARAM_INT },
        { .field = "x", .type = VIR_TYPED_PARAM_INT },
        { .field = "x", .type = VIR_TYPED_PARAM_INT },
    };

    testReset();
    g_assert_cmpint(vkTypedParamsCheckSet(p, 4, false, multiple, "virTest"), ==, 0);
    assertNoError();

    /* Being listed for one name allows nothing for another. */
    strcpy(p[3].field, "y");
    g_assert_cmpint(vkTypedParamsCheckSet(p, 4, false, multiple, "virTest"), ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG, "'y'", "more than once");
}

static void
testCheckStringRefused(void)
{
    virTypedParameter p[2] = {
        { .field = "a", .type = VIR_TYPED_PARAM_INT },
        { .field = "path", .type = VIR_TYPED_PARAM_STRING, .value.s = (char *)"/x" },
    };

    testReset();
    g_assert_cmpint(vkTypedParamsCheckSet(p, 2, false, NULL, "virTest"), ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG, "'path'", "virTest", "string",
                        "VIR_TYPED_PARAM_STRING_OKAY");

    testReset();
    g_assert_cmpint(vkTypedParamsCheckSet(p, 2, true, NULL, "virTest"), ==, 0);
    assertNoError();

    p[1].value.s = NULL;
    g_assert_cmpint(vkTypedParamsCheckSet(p, 2, true, NULL, "virTest"), ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG, "'path'", "NULL");
}

static void
testCheckBadCount(void)
{
    virTypedParameter p = { .field = "a", .type = VIR_TYPED_PARAM_INT };

    testReset();
    g_assert_cmpint(vkTypedParamsCheckSet(&p, -1, true, NULL, "virTest"), ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG, "nparams", "virTest", "-1");

    testReset();
    g_assert_cmpint(vkTypedParamsCheckSet(NULL, 2, true, NULL, "virTest"), ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG, "params", "virTest", "2");
}

/* ------------------------------------------------------------------ */
/* vkTypedParamsCheckGetArgs                                            */
/* ------------------------------------------------------------------ */

static void
testGetArgsNullNparams(void)
{
    virTypedParameter p[1];

    testReset();
    g_assert_cmpint(vkTypedParamsCheckGetArgs(p, NULL, "virDomainGetFoo"), ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG, "nparams", "virDomainGetFoo");
}

static void
testGetArgsNegative(void)
{
    virTypedParameter p[1];
    int n = -3;

    testReset();
    g_assert_cmpint(vkTypedParamsCheckGetArgs(p, &n, "virDomainGetFoo"), ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG, "*nparams in virDomainGetFoo must be zero or greater");

    testReset();
    g_assert_cmpint(vkTypedParamsCheckGetArgs(NULL, &n, "virDomainGetFoo"), ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG, "*nparams in virDomainGetFoo must be zero or greater");
}

static void
testGetArgsNullParams(void)
{
    int n = 3;

    testReset();
    g_assert_cmpint(vkTypedParamsCheckGetArgs(NULL, &n, "virDomainGetFoo"), ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG, "params in virDomainGetFoo must not be NULL");
}

static void
testGetArgsValid(void)
{
    virTypedParameter p[2];
    int n = 0;

    testReset();
    /* The count query. */
    g_assert_cmpint(vkTypedParamsCheckGetArgs(NULL, &n, "virDomainGetFoo"), ==, 0);
    g_assert_cmpint(vkTypedParamsCheckGetArgs(p, &n, "virDomainGetFoo"), ==, 0);
    n = 2;
    g_assert_cmpint(vkTypedParamsCheckGetArgs(p, &n, "virDomainGetFoo"), ==, 0);
    g_assert_cmpint(n, ==, 2);
    assertNoError();
}

/* libvirt's scheduler getters take no count query. */
static void
testGetArgsScheduler(void)
{
    virTypedParameter p[2];
    int n = 0;

    testReset();
    g_assert_cmpint(vkTypedParamsCheckGetArgs(NULL, &n, "virDomainGetSchedulerParametersFlags"),
                    ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG,
                        "params in virDomainGetSchedulerParametersFlags must not be NULL");
    testReset();
    g_assert_cmpint(vkTypedParamsCheckGetArgs(p, &n, "virDomainGetSchedulerParameters"), ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG,
                        "*nparams in virDomainGetSchedulerParameters must be greater than zero");
    testReset();
    n = 2;
    g_assert_cmpint(vkTypedParamsCheckGetArgs(p, &n, "virDomainGetSchedulerParameters"), ==, 0);
    assertNoError();
}

/* ------------------------------------------------------------------ */
/* vkTypedParamsDropStrings                                             */
/* ------------------------------------------------------------------ */

static void
testDropStrings(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    testReset();
    g_assert_cmpint(virTypedParamsAddInt(&p, &n, &max, "i", 1), ==, 0);
    g_assert_cmpint(virTypedParamsAddString(&p, &n, &max, "s1", "a"), ==, 0);
    g_assert_cmpint(virTypedParamsAddUInt(&p, &n, &max, "u", 2), ==, 0);
    g_assert_cmpint(virTypedParamsAddString(&p, &n, &max, "s2", "b"), ==, 0);
    g_assert_cmpint(virTypedParamsAddString(&p, &n, &max, "s3", "c"), ==, 0);
    g_assert_cmpint(virTypedParamsAddDouble(&p, &n, &max, "d", 3.0), ==, 0);
    g_assert_cmpint(n, ==, 6);

    vkTypedParamsDropStrings(p, &n);
    g_assert_cmpint(n, ==, 3);
    g_assert_cmpstr(p[0].field, ==, "i");
    g_assert_cmpint(p[0].value.i, ==, 1);
    g_assert_cmpstr(p[1].field, ==, "u");
    g_assert_cmpuint(p[1].value.ui, ==, 2);
    g_assert_cmpstr(p[2].field, ==, "d");
    g_assert_cmpfloat(p[2].value.d, ==, 3.0);
    /* The vacated tail holds no stale entries or freed pointers. */
    g_assert_cmpint(p[3].type, ==, 0);
    g_assert_cmpint(p[4].type, ==, 0);
    g_assert_cmpint(p[5].type, ==, 0);
    g_assert_null(p[5].value.s);

    /* Nothing to drop: unchanged. */
    vkTypedParamsDropStrings(p, &n);
    g_assert_cmpint(n, ==, 3);
    assertNoError();
    virTypedParamsFree(p, n);
}

static void
testDropStringsAll(void)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    testReset();
    g_assert_cmpint(virTypedParamsAddString(&p, &n, &max, "s1", "a"), ==, 0);
    g_assert_cmpint(virTypedParamsAddString(&p, &n, &max, "s2", "b"), ==, 0);
    vkTypedParamsDropStrings(p, &n);
    g_assert_cmpint(n, ==, 0);
    g_assert_cmpint(p[0].type, ==, 0);

    n = 4;
    vkTypedParamsDropStrings(NULL, &n);
    g_assert_cmpint(n, ==, 4);
    vkTypedParamsDropStrings(p, NULL);
    assertNoError();
    g_free(p);
}

/* ------------------------------------------------------------------ */
/* vkTypedParamsReturn                                                  */
/* ------------------------------------------------------------------ */

/* What a plugin would hand back: a=int 1, s=string "x", b=uint 2, t=string "y". */
static virTypedParameterPtr
makeSrc(int *nsrc)
{
    virTypedParameterPtr p = NULL;
    int n = 0, max = 0;

    g_assert_cmpint(virTypedParamsAddInt(&p, &n, &max, "a", 1), ==, 0);
    g_assert_cmpint(virTypedParamsAddString(&p, &n, &max, "s", "x"), ==, 0);
    g_assert_cmpint(virTypedParamsAddUInt(&p, &n, &max, "b", 2), ==, 0);
    g_assert_cmpint(virTypedParamsAddString(&p, &n, &max, "t", "y"), ==, 0);
    *nsrc = n;
    return p;
}

static void
testReturnCountQuery(void)
{
    int nsrc;
    virTypedParameterPtr src;
    int ndst = 0;

    testReset();
    src = makeSrc(&nsrc);
    g_assert_cmpint(vkTypedParamsReturn(src, nsrc, NULL, &ndst, 0), ==, 0);
    g_assert_cmpint(ndst, ==, 2);

    ndst = 0;
    src = makeSrc(&nsrc);
    g_assert_cmpint(vkTypedParamsReturn(src, nsrc, NULL, &ndst,
                                        VIR_TYPED_PARAM_STRING_OKAY), ==, 0);
    g_assert_cmpint(ndst, ==, 4);
    assertNoError();
}

static void
testReturnTooSmall(void)
{
    int nsrc;
    virTypedParameterPtr src;
    virTypedParameter dst[3];
    int ndst = 1;

    testReset();
    memset(dst, 0, sizeof(dst));
    dst[1].type = 42;
    src = makeSrc(&nsrc);
    g_assert_cmpint(vkTypedParamsReturn(src, nsrc, dst, &ndst, 0), ==, 0);
    assertNoError();
    g_assert_cmpint(ndst, ==, 1);
    g_assert_cmpstr(dst[0].field, ==, "a");
    g_assert_cmpint(dst[0].value.i, ==, 1);
    /* Nothing past the room the caller gave. */
    g_assert_cmpint(dst[1].type, ==, 42);

    /* With strings allowed, the first two are a and s. */
    memset(dst, 0, sizeof(dst));
    dst[2].type = 42;
    ndst = 2;
    src = makeSrc(&nsrc);
    g_assert_cmpint(vkTypedParamsReturn(src, nsrc, dst, &ndst,
                                        VIR_TYPED_PARAM_STRING_OKAY), ==, 0);
    assertNoError();
    g_assert_cmpint(ndst, ==, 2);
    g_assert_cmpstr(dst[0].field, ==, "a");
    g_assert_cmpstr(dst[1].field, ==, "s");
    g_assert_cmpstr(dst[1].value.s, ==, "x");
    g_assert_cmpint(dst[2].type, ==, 42);
    virTypedParamsClear(dst, ndst);
}

static void
testReturnExact(void)
{
    int nsrc;
    virTypedParameterPtr src;
    virTypedParameterPtr dst = g_new0(virTypedParameter, 2);
    int ndst = 2;

    testReset();
    src = makeSrc(&nsrc);
    g_assert_cmpint(vkTypedParamsReturn(src, nsrc, dst, &ndst, 0), ==, 0);
    assertNoError();
    g_assert_cmpint(ndst, ==, 2);
    g_assert_cmpstr(dst[0].field, ==, "a");
    g_assert_cmpint(dst[0].type, ==, VIR_TYPED_PARAM_INT);
    g_assert_cmpstr(dst[1].field, ==, "b");
    g_assert_cmpint(dst[1].type, ==, VIR_TYPED_PARAM_UINT);
    g_assert_cmpuint(dst[1].value.ui, ==, 2);
    virTypedParamsFree(dst, ndst);
}

static void
testReturnLarger(void)
{
    int nsrc;
    virTypedParameterPtr src;
    virTypedParameterPtr dst = g_new0(virTypedParameter, 10);
    int ndst = 10;

    testReset();
    src = makeSrc(&nsrc);
    g_assert_cmpint(vkTypedParamsReturn(src, nsrc, dst, &ndst, 0), ==, 0);
    g_assert_cmpint(ndst, ==, 2);
    g_assert_cmpint(dst[2].type, ==, 0);
    assertNoError();
    virTypedParamsFree(dst, ndst);
}

static void
testReturnStringsStripped(void)
{
    int nsrc;
    virTypedParameterPtr src;
    virTypedParameterPtr dst = g_new0(virTypedParameter, 4);
    int ndst = 4;
    int i;

    testReset();
    src = makeSrc(&nsrc);
    g_assert_cmpint(vkTypedParamsReturn(src, nsrc, dst, &ndst, 0), ==, 0);
    g_assert_cmpint(ndst, ==, 2);
    for (i = 0; i < ndst; i++)
        g_assert_cmpint(dst[i].type, !=, VIR_TYPED_PARAM_STRING);
    g_assert_cmpint(virTypedParamsGetString(dst, ndst, "s", NULL), ==, 0);
    assertNoError();
    virTypedParamsFree(dst, ndst);
}

static void
testReturnStringsKept(void)
{
    int nsrc;
    virTypedParameterPtr src;
    virTypedParameterPtr dst = g_new0(virTypedParameter, 4);
    int ndst = 4;
    const char *s = NULL;
    const char *t = NULL;

    testReset();
    src = makeSrc(&nsrc);
    g_assert_cmpint(vkTypedParamsReturn(src, nsrc, dst, &ndst,
                                        VIR_TYPED_PARAM_STRING_OKAY), ==, 0);
    assertNoError();
    g_assert_cmpint(ndst, ==, 4);
    /* src is freed by now: these strings must be the caller's own copies
     * (ASan would report a use after free otherwise). */
    g_assert_cmpint(virTypedParamsGetString(dst, ndst, "s", &s), ==, 1);
    g_assert_cmpstr(s, ==, "x");
    g_assert_cmpint(virTypedParamsGetString(dst, ndst, "t", &t), ==, 1);
    g_assert_cmpstr(t, ==, "y");
    g_assert_cmpstr(dst[0].field, ==, "a");
    g_assert_cmpstr(dst[2].field, ==, "b");
    virTypedParamsFree(dst, ndst);
}

static void
testReturnZeroRoom(void)
{
    int nsrc;
    virTypedParameterPtr src;
    virTypedParameter dst[1] = { { .type = 42 } };
    int ndst = 0;

    testReset();
    src = makeSrc(&nsrc);
    /* A non-NULL array with room for nothing is not a count query. */
    g_assert_cmpint(vkTypedParamsReturn(src, nsrc, dst, &ndst, 0), ==, 0);
    g_assert_cmpint(ndst, ==, 0);
    g_assert_cmpint(dst[0].type, ==, 42);
    assertNoError();
}

static void
testReturnBadArgs(void)
{
    int nsrc;
    virTypedParameterPtr src;
    int ndst = 2;

    testReset();
    src = makeSrc(&nsrc);
    g_assert_cmpint(vkTypedParamsReturn(src, nsrc, NULL, NULL, 0), ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG, "nparams");

    testReset();
    src = makeSrc(&nsrc);
    g_assert_cmpint(vkTypedParamsReturn(src, nsrc, NULL, &ndst, 0), ==, -1);
    assertInternalError(VIR_ERR_INVALID_ARG, "params in vkTypedParamsReturn must not be NULL");
    g_assert_cmpint(ndst, ==, 2);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, testErrorHandler);

    g_test_add_func("/typedparam/get/first-match", testGetFirstMatch);
    g_test_add_func("/typedparam/get/field-without-nul", testGetFieldWithoutNul);
    g_test_add_func("/typedparam/get/int", testGetInt);
    g_test_add_func("/typedparam/get/uint", testGetUInt);
    g_test_add_func("/typedparam/get/llong", testGetLLong);
    g_test_add_func("/typedparam/get/ullong", testGetULLong);
    g_test_add_func("/typedparam/get/double", testGetDouble);
    g_test_add_func("/typedparam/get/boolean", testGetBoolean);
    g_test_add_func("/typedparam/get/string", testGetString);
    g_test_add_func("/typedparam/get/unknown-type", testGetUnknownType);
    g_test_add_func("/typedparam/get/resets-error", testGetResetsError);

    g_test_add_func("/typedparam/add/int", testAddInt);
    g_test_add_func("/typedparam/add/uint", testAddUInt);
    g_test_add_func("/typedparam/add/llong", testAddLLong);
    g_test_add_func("/typedparam/add/ullong", testAddULLong);
    g_test_add_func("/typedparam/add/double", testAddDouble);
    g_test_add_func("/typedparam/add/boolean", testAddBoolean);
    g_test_add_func("/typedparam/add/string", testAddString);
    g_test_add_func("/typedparam/add/growth", testAddGrowth);
    g_test_add_func("/typedparam/add/preallocated", testAddPreallocated);
    g_test_add_func("/typedparam/add/understated-maxparams", testAddUnderstatedMax);
    g_test_add_func("/typedparam/add/duplicate-appended", testAddDuplicateAppended);
    g_test_add_func("/typedparam/add/name-too-long", testAddNameTooLong);
    g_test_add_func("/typedparam/add/bad-args", testAddBadArgs);

    g_test_add_func("/typedparam/add-from-string/int", testFromStringInt);
    g_test_add_func("/typedparam/add-from-string/uint", testFromStringUInt);
    g_test_add_func("/typedparam/add-from-string/llong", testFromStringLLong);
    g_test_add_func("/typedparam/add-from-string/ullong", testFromStringULLong);
    g_test_add_func("/typedparam/add-from-string/double", testFromStringDouble);
    g_test_add_func("/typedparam/add-from-string/boolean", testFromStringBoolean);
    g_test_add_func("/typedparam/add-from-string/string", testFromStringString);
    g_test_add_func("/typedparam/add-from-string/errors", testFromStringErrors);

    g_test_add_func("/typedparam/add-string-list/basic", testStringListBasic);
    g_test_add_func("/typedparam/add-string-list/null-and-empty", testStringListEmpty);
    g_test_add_func("/typedparam/add-string-list/name-too-long", testStringListNameTooLong);

    g_test_add_func("/typedparam/clear", testClear);
    g_test_add_func("/typedparam/free", testFree);

    g_test_add_func("/typedparam/check/valid", testCheckValid);
    g_test_add_func("/typedparam/check/field-without-nul", testCheckFieldWithoutNul);
    g_test_add_func("/typedparam/check/unknown-type", testCheckUnknownType);
    g_test_add_func("/typedparam/check/duplicate-refused", testCheckDuplicateRefused);
    g_test_add_func("/typedparam/check/duplicate-multiple", testCheckDuplicateMultiple);
    g_test_add_func("/typedparam/check/string-refused", testCheckStringRefused);
    g_test_add_func("/typedparam/check/bad-count", testCheckBadCount);

    g_test_add_func("/typedparam/check-get-args/null-nparams", testGetArgsNullNparams);
    g_test_add_func("/typedparam/check-get-args/negative", testGetArgsNegative);
    g_test_add_func("/typedparam/check-get-args/null-params", testGetArgsNullParams);
    g_test_add_func("/typedparam/check-get-args/valid", testGetArgsValid);
    g_test_add_func("/typedparam/check-get-args/scheduler", testGetArgsScheduler);

    g_test_add_func("/typedparam/drop-strings/mixed", testDropStrings);
    g_test_add_func("/typedparam/drop-strings/all", testDropStringsAll);

    g_test_add_func("/typedparam/return/count-query", testReturnCountQuery);
    g_test_add_func("/typedparam/return/too-small", testReturnTooSmall);
    g_test_add_func("/typedparam/return/exact", testReturnExact);
    g_test_add_func("/typedparam/return/larger", testReturnLarger);
    g_test_add_func("/typedparam/return/strings-stripped", testReturnStringsStripped);
    g_test_add_func("/typedparam/return/strings-kept", testReturnStringsKept);
    g_test_add_func("/typedparam/return/zero-room", testReturnZeroRoom);
    g_test_add_func("/typedparam/return/bad-args", testReturnBadArgs);

    return g_test_run();
}
