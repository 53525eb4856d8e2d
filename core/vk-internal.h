/*
 * vk-internal.h: services the core's modules give one another.
 *
 * Nothing here is installed.  Public entry points follow the ritual of
 * CONVENTIONS.md; internal functions report an error with vkReportError()
 * and return -1 / NULL, and only the public entry point dispatches it, once,
 * with vkErrorDispatch().
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <glib.h>

#include "virtkit/virtkit.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------------ */
/* Errors (vir-error.c)                                                 */
/* ------------------------------------------------------------------ */

/* Each .c file may define VK_FROM (a virErrorDomain) before including this
 * header; errors it reports carry that domain. */
#ifndef VK_FROM
# define VK_FROM VIR_FROM_NONE
#endif

/*
 * vkErrorReportFull:
 * Sets the calling thread's last error.  The stored message is the code's
 * standard prefix followed by the formatted detail, the way libvirt composes
 * them ("this function is not supported by the connection driver: virFoo").
 * @fmt may be NULL: the message is then the prefix alone.  level is always
 * VIR_ERR_ERROR.  Never dispatches.  str1 holds the code's message template
 * and str2 the detail, as libvirt fills them.
 */
void vkErrorReportFull(int from, int code, const char *file, const char *func,
                       size_t line, const char *fmt, ...) G_GNUC_PRINTF(6, 7);

#define vkReportError(code, ...) \
    vkErrorReportFull(VK_FROM, (code), __FILE__, __func__, __LINE__, __VA_ARGS__)

/*
 * vkErrorReportRawFull:
 * Like vkErrorReportFull, but the message is exactly the formatted text,
 * without the code's prefix: how libvirt words its argument checks
 * (virCheckNonNullArg, unsupported flags, mutually exclusive flags, ...),
 * which scripts match.
 */
void vkErrorReportRawFull(int from, int code, const char *file, const char *func,
                          size_t line, const char *fmt, ...) G_GNUC_PRINTF(6, 7);

#define vkReportInvalidArg(...) \
    vkErrorReportRawFull(VK_FROM, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__, __VA_ARGS__)

/* Argument errors phrased once for every wrapper (VIR_ERR_INVALID_ARG,
 * libvirt's words, no prefix). */
#define vkReportNullArg(api, argname) \
    vkReportInvalidArg("%s in %s must not be NULL", (argname), (api))

/*
 * vkErrorDispatch:
 * Called once at the error label of a public entry point.  If the thread has
 * no last error, VIR_ERR_INTERNAL_ERROR "An error occurred, but the cause is
 * unknown" (libvirt's text) is set first.  The error is
 * copied into @conn's own last error (if @conn is not NULL), then handed to
 * @conn's handler if one is set, else to the global handler set with
 * virSetErrorFunc, else to virDefaultErrorFunc.
 */
void vkErrorDispatch(virConnectPtr conn);

/* Makes a copy of @saved (from virSaveLastError) the thread's last error
 * again: for cleanup that calls public functions after a failure, so the
 * first error is the one dispatched. */
void vkErrorRestore(const virError *saved);

/* True when the calling thread has a last error set (code != VIR_ERR_OK). */
bool vkErrorIsSet(void);

/* ------------------------------------------------------------------ */
/* Logging (vir-log.c)                                                  */
/* ------------------------------------------------------------------ */

typedef enum {
    VK_LOG_DEBUG = 1,
    VK_LOG_INFO = 2,
    VK_LOG_WARN = 3,
    VK_LOG_ERROR = 4,
} vkLogPriority;

/* Each .c file may define VK_LOG_MODULE (a string such as "core.typedparam")
 * before including this header; it is what VIRTKIT_LOG_FILTERS matches. */
#ifndef VK_LOG_MODULE
# define VK_LOG_MODULE "core"
#endif

/* True once the user configured logging (any VIRTKIT_* setting): reported
 * errors are then written to the log too. */
bool vkLogHasOutputs(void);

/* Cheap check done before any argument is formatted. */
bool vkLogWouldLog(vkLogPriority prio, const char *module);

void vkLogMessage(vkLogPriority prio, const char *module, const char *file,
                  int line, const char *func, const char *fmt, ...)
    G_GNUC_PRINTF(6, 7);

#define VK_LOG(prio, ...) \
    do { \
        if (vkLogWouldLog((prio), VK_LOG_MODULE)) \
            vkLogMessage((prio), VK_LOG_MODULE, __FILE__, __LINE__, __func__, __VA_ARGS__); \
    } while (0)

#define VK_DEBUG(...) VK_LOG(VK_LOG_DEBUG, __VA_ARGS__)
#define VK_INFO(...) VK_LOG(VK_LOG_INFO, __VA_ARGS__)
#define VK_WARN(...) VK_LOG(VK_LOG_WARN, __VA_ARGS__)
#define VK_ERROR(...) VK_LOG(VK_LOG_ERROR, __VA_ARGS__)

/* The log line of a public call: module "api", @func is the API's name,
 * the message is "name=value, name=value" with every argument, flags
 * included, and no trailing separator. */
#define VK_LOG_API(func, ...) \
    do { \
        if (vkLogWouldLog(VK_LOG_DEBUG, "api")) \
            vkLogMessage(VK_LOG_DEBUG, "api", __FILE__, __LINE__, (func), __VA_ARGS__); \
    } while (0)

/*
 * Re-reads the settings.  NULL arguments mean "as from the environment"
 * (VIRTKIT_DEBUG, VIRTKIT_LOG_FILTERS, VIRTKIT_LOG_OUTPUTS).  Returns -1 with
 * an error set when a string does not parse; the previous settings stay.
 * Used at first use (from the environment) and by tests.
 */
int vkLogConfigure(const char *level, const char *filters, const char *outputs);

/* ------------------------------------------------------------------ */
/* Typed parameters (vir-typedparam.c)                                  */
/* ------------------------------------------------------------------ */

/*
 * vkTypedParamsCheckSet:
 * Validates an array a caller hands in: every field NUL-terminated within
 * VIR_TYPED_PARAM_FIELD_LENGTH bytes (never read past them), a known type,
 * no name twice unless listed in @multiple (NULL-terminated, may be NULL),
 * and string entries only when @strings_ok.  @api names the public call in
 * the error.  Returns 0, or -1 with VIR_ERR_INVALID_ARG set.
 */
int vkTypedParamsCheckSet(const virTypedParameter *params, int nparams,
                          bool strings_ok, const char *const *multiple,
                          const char *api);

/*
 * vkTypedParamsAddV:
 * virTypedParamsAdd* for any @type without touching the last error's
 * dispatch: the value is read from @ap as the type says (int, unsigned int,
 * long long, unsigned long long, double, int for booleans, const char * for
 * strings, copied).  Returns 0, or -1 with the error set.  For plugins
 * (through the host table) and internal callers.
 */
int vkTypedParamsAddV(virTypedParameterPtr *params, int *nparams, int *maxparams,
                      const char *name, int type, va_list ap);

/*
 * vkTypedParamsCheckGetArgs:
 * The nparams rules of every get-style call, checked before the plugin runs,
 * as libvirt's wrappers check them: @nparams must not be NULL or negative; a
 * NULL @params with *nparams > 0 is an argument error; and the two
 * scheduler getters (@api virDomainGetSchedulerParameters[Flags]) take no
 * count query: a NULL @params or *nparams <= 0 is refused.  The error
 * (VIR_ERR_INVALID_ARG, libvirt's words) comes from the caller's VK_FROM.
 * Returns 0 or -1 with the error set.
 */
int vkTypedParamsCheckGetArgsFrom(int from, virTypedParameterPtr params, int *nparams,
                                  const char *api);
#define vkTypedParamsCheckGetArgs(params, nparams, api) \
    vkTypedParamsCheckGetArgsFrom(VK_FROM, (params), (nparams), (api))

/*
 * vkTypedParamsDropStrings:
 * Removes (and frees) every VIR_TYPED_PARAM_STRING entry, compacting the
 * array in place and updating *nparams.
 */
void vkTypedParamsDropStrings(virTypedParameterPtr params, int *nparams);

/*
 * The STRING_OKAY rule of typed-parameter getters (libvirt's): when the
 * plugin answers yes to TYPED_PARAM_STRING, a getter runs as if its caller
 * had passed VIR_TYPED_PARAM_STRING_OKAY, so `flags 0` returns the string
 * entries too; a plugin that answered no never sees the flag (it would
 * refuse it as unknown).  Stripping strings by a caller's own flags is for
 * the wire: the RPC layer, for clients that did not announce strings, calls
 * vkTypedParamsDropStrings (or vkTypedParamsReturn with the client's flags).
 *
 * vkTypedParamsFlagsForCaller: the flags vkTypedParamsReturn gets.
 * vkTypedParamsFlagsForPlugin: the flags the plugin's slot gets.
 */
static inline unsigned int
vkTypedParamsFlagsForCaller(unsigned int flags, bool plugin_strings)
{
    return plugin_strings ? flags | VIR_TYPED_PARAM_STRING_OKAY : flags;
}

static inline unsigned int
vkTypedParamsFlagsForPlugin(unsigned int flags, bool plugin_strings)
{
    return plugin_strings ? flags | VIR_TYPED_PARAM_STRING_OKAY
                          : flags & ~(unsigned int)VIR_TYPED_PARAM_STRING_OKAY;
}

/*
 * vkTypedParamsReturn:
 * Finishes a get-style call.  @src (owned; freed here in every case) holds
 * all @nsrc entries a plugin produced.  String entries are dropped unless
 * @caller_flags has VIR_TYPED_PARAM_STRING_OKAY (see the rule above).  Then: with *ndst == 0 and
 * @dst NULL, *ndst becomes the number of entries; otherwise the first
 * min(*ndst, n) entries are copied (strings duplicated) into @dst and *ndst
 * becomes that count.  Returns 0 (it cannot fail on valid input).
 */
int vkTypedParamsReturn(virTypedParameterPtr src, int nsrc,
                        virTypedParameterPtr dst, int *ndst,
                        unsigned int caller_flags);

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */
/* ------------------------------------------------------------------ */

/* NULL-safe string for log lines. */
#define VK_NULLSTR(s) ((s) ? (s) : "<null>")

G_END_DECLS
