/*
 * test-error.c: the thread's last error, per-connection errors, handler
 * routing and virDefaultErrorFunc's output.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <glib.h>

#include "vk-internal.h"
#include "vk-object.h"

/* Each test starts from no error and no handlers. */
static void
reset_state(void)
{
    virResetLastError();
    virSetErrorFunc(NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* Handlers that record what they were given                           */
/* ------------------------------------------------------------------ */

typedef struct {
    int calls;
    int code;
    char *message;
    void *data;
} HandlerLog;

static void
handler_log_clear(HandlerLog *log)
{
    g_clear_pointer(&log->message, g_free);
    memset(log, 0, sizeof(*log));
}

static HandlerLog global_log;
static HandlerLog conn_log;

static void
record(HandlerLog *log, void *data, virErrorPtr err)
{
    log->calls++;
    log->code = err->code;
    g_free(log->message);
    log->message = g_strdup(err->message);
    log->data = data;
}

static void
global_handler(void *data, virErrorPtr err)
{
    record(&global_log, data, err);
}

static void
conn_handler(void *data, virErrorPtr err)
{
    record(&conn_log, data, err);
}

static virConnectPtr
fake_conn_new(void)
{
    virConnectPtr conn = g_new0(struct _virConnect, 1);

    conn->magic = VK_MAGIC_CONNECT;
    conn->refs = 1;
    g_mutex_init(&conn->lock);
    return conn;
}

static void
fake_conn_free(virConnectPtr conn)
{
    virResetError(&conn->err);
    g_mutex_clear(&conn->lock);
    g_free(conn);
}

/* ------------------------------------------------------------------ */
/* Last error                                                           */
/* ------------------------------------------------------------------ */

static void
test_last_none(void)
{
    reset_state();
    g_assert_null(virGetLastError());
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "no error");
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OK);
    g_assert_cmpint(virGetLastErrorDomain(), ==, VIR_FROM_NONE);
    g_assert_false(vkErrorIsSet());
}

static void
test_last_set(void)
{
    virErrorPtr err;

    reset_state();
    vkErrorReportFull(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, __FILE__,
                      __func__, __LINE__, "domain '%s' is not running", "vm1");
    g_assert_true(vkErrorIsSet());
    err = virGetLastError();
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VIR_ERR_OPERATION_INVALID);
    g_assert_cmpint(err->domain, ==, VIR_FROM_QEMU);
    g_assert_cmpint(err->level, ==, VIR_ERR_ERROR);
    g_assert_cmpstr(err->message, ==,
                    "Requested operation is not valid: domain 'vm1' is not running");
    g_assert_cmpstr(virGetLastErrorMessage(), ==, err->message);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_INVALID);
    g_assert_cmpint(virGetLastErrorDomain(), ==, VIR_FROM_QEMU);
    /* str1/str2 as libvirt fills them: the template and the detail. */
    g_assert_cmpstr(err->str1, ==, "Requested operation is not valid: %s");
    g_assert_cmpstr(err->str2, ==, "domain 'vm1' is not running");
    g_assert_null(err->str3);
    g_assert_cmpint(err->int1, ==, -1);
    g_assert_cmpint(err->int2, ==, -1);

    /* Reporting VIR_ERR_OK clears. */
    vkErrorReportFull(VIR_FROM_NONE, VIR_ERR_OK, __FILE__, __func__, __LINE__,
                      "ignored");
    g_assert_null(virGetLastError());
}

static void
test_last_reset(void)
{
    reset_state();
    vkReportError(VIR_ERR_INTERNAL_ERROR, "boom");
    g_assert_nonnull(virGetLastError());
    virResetLastError();
    g_assert_null(virGetLastError());
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "no error");
    g_assert_false(vkErrorIsSet());
    /* NULL is accepted. */
    virResetError(NULL);
    virFreeError(NULL);
}

/* Two threads each hold their own error at the same time. */
typedef struct {
    GMutex lock;
    GCond cond;
    int stage;              /* 1: worker has set its error; 2: main has set its */
    bool saw_main_error;
    int code_after;
    char *message_after;
} IsolationCtx;

static void
wait_stage(IsolationCtx *ctx, int stage)
{
    g_mutex_lock(&ctx->lock);
    while (ctx->stage < stage)
        g_cond_wait(&ctx->cond, &ctx->lock);
    g_mutex_unlock(&ctx->lock);
}

static void
set_stage(IsolationCtx *ctx, int stage)
{
    g_mutex_lock(&ctx->lock);
    ctx->stage = stage;
    g_cond_broadcast(&ctx->cond);
    g_mutex_unlock(&ctx->lock);
}

static gpointer
isolation_worker(gpointer opaque)
{
    IsolationCtx *ctx = opaque;

    /* The main thread's error is already set: it must not show here. */
    ctx->saw_main_error = virGetLastError() != NULL;
    vkReportError(VIR_ERR_NO_DOMAIN, "no domain with name '%s'", "worker");
    set_stage(ctx, 1);

    wait_stage(ctx, 2);
    ctx->code_after = virGetLastErrorCode();
    ctx->message_after = g_strdup(virGetLastErrorMessage());
    return NULL;
}

static void
test_last_thread_isolation(void)
{
    IsolationCtx ctx = { 0 };
    GThread *thread;

    reset_state();
    g_mutex_init(&ctx.lock);
    g_cond_init(&ctx.cond);

    vkReportError(VIR_ERR_INVALID_ARG, "main thread");
    thread = g_thread_new("isolation", isolation_worker, &ctx);

    wait_stage(&ctx, 1);
    /* The worker's error did not replace ours... */
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "invalid argument: main thread");
    /* ...and resetting and setting ours does not touch the worker's. */
    virResetLastError();
    vkReportError(VIR_ERR_OPERATION_DENIED, "read-only");
    set_stage(&ctx, 2);
    g_thread_join(thread);

    g_assert_false(ctx.saw_main_error);
    g_assert_cmpint(ctx.code_after, ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpstr(ctx.message_after, ==, "Domain not found: no domain with name 'worker'");
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "operation forbidden: read-only");

    g_free(ctx.message_after);
    g_cond_clear(&ctx.cond);
    g_mutex_clear(&ctx.lock);
}

/* ------------------------------------------------------------------ */
/* Message composition                                                  */
/* ------------------------------------------------------------------ */

static void
test_message_compose(void)
{
    static const struct {
        int code;
        const char *detail;     /* NULL: no format at all */
        const char *expected;
    } cases[] = {
        { VIR_ERR_NO_SUPPORT, "virDomainSuspend",
          "this function is not supported by the connection driver: virDomainSuspend" },
        { VIR_ERR_NO_SUPPORT, NULL,
          "this function is not supported by the connection driver" },
        { VIR_ERR_INVALID_ARG, "flags must be 0",
          "invalid argument: flags must be 0" },
        { VIR_ERR_OPERATION_DENIED, "read-only connection",
          "operation forbidden: read-only connection" },
        { VIR_ERR_OPERATION_DENIED, NULL,
          "operation forbidden for read only access" },
        { VIR_ERR_INTERNAL_ERROR, "oops", "internal error: oops" },
        { VIR_ERR_INVALID_CONN, "virConnectClose",
          "invalid connection pointer in virConnectClose" },
        { VIR_ERR_INVALID_DOMAIN, "virDomainSuspend",
          "invalid domain pointer in virDomainSuspend" },
        { VIR_ERR_NO_DOMAIN, "no domain with matching name 'x'",
          "Domain not found: no domain with matching name 'x'" },
        { VIR_ERR_NO_DOMAIN, NULL, "Domain not found" },
        { VIR_ERR_NO_DOMAIN_SNAPSHOT, "s1", "Domain snapshot not found: s1" },
        { VIR_ERR_DOM_EXIST, "vm1", "domain vm1 exists already" },
        { VIR_ERR_STORAGE_VOL_EXIST, "v", "storage volume v exists already" },
        { VIR_ERR_UNKNOWN_HOST, "h", "unknown host h" },
        { VIR_ERR_XML_ERROR, "bad", "XML error: bad" },
        { VIR_ERR_SYSTEM_ERROR, "cannot open: No such file",
          "cannot open: No such file" },
        { VIR_ERR_CONFIG_UNSUPPORTED, "x", "unsupported configuration: x" },
        { VIR_ERR_INVALID_STREAM, "virStreamSend",
          "invalid stream pointer in virStreamSend" },
        { VIR_ERR_MULTIPLE_DOMAINS, "y", "multiple matching domains found: y" },
        /* A detail that already says the code's wording is not prefixed twice. */
        { VIR_ERR_CONFIG_UNSUPPORTED, "unsupported configuration: unknown value 'q'",
          "unsupported configuration: unknown value 'q'" },
        { VIR_ERR_XML_ERROR, "XML error: an os <type> must be specified",
          "XML error: an os <type> must be specified" },
        /* An empty detail still takes the detailed form, as in libvirt. */
        { VIR_ERR_INVALID_ARG, "", "invalid argument: " },
        /* Codes past the table. */
        { VIR_ERR_MULTIPLE_DOMAINS + 1, "z", "No error message provided" },
        { 10000, NULL, "No error message provided" },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        reset_state();
        if (cases[i].detail)
            vkErrorReportFull(VIR_FROM_TEST, cases[i].code, __FILE__, __func__,
                              __LINE__, "%s", cases[i].detail);
        else
            vkErrorReportFull(VIR_FROM_TEST, cases[i].code, __FILE__, __func__,
                              __LINE__, NULL);
        g_test_message("case %zu: code %d", i, cases[i].code);
        g_assert_cmpint(virGetLastErrorCode(), ==, cases[i].code);
        g_assert_cmpint(virGetLastErrorDomain(), ==, VIR_FROM_TEST);
        g_assert_cmpstr(virGetLastErrorMessage(), ==, cases[i].expected);
    }
}

static void
test_message_null_arg(void)
{
    reset_state();
    vkReportNullArg("virDomainLookupByName", "name");
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "name in virDomainLookupByName must not be NULL");
}

/* ------------------------------------------------------------------ */
/* Copies                                                               */
/* ------------------------------------------------------------------ */

static void
test_copy_last(void)
{
    virError copy;

    reset_state();
    vkReportError(VIR_ERR_NO_SUPPORT, "virFoo");

    /* The target may hold garbage: it is overwritten, not freed. */
    memset(&copy, 0xa5, sizeof(copy));
    g_assert_cmpint(virCopyLastError(&copy), ==, VIR_ERR_NO_SUPPORT);
    g_assert_cmpint(copy.code, ==, VIR_ERR_NO_SUPPORT);
    g_assert_cmpint(copy.domain, ==, VIR_FROM_NONE);
    g_assert_cmpint(copy.level, ==, VIR_ERR_ERROR);
    g_assert_cmpstr(copy.message, ==,
                    "this function is not supported by the connection driver: virFoo");
    g_assert_cmpstr(copy.str2, ==, "virFoo");
    /* A deep copy: distinct storage that outlives the original. */
    g_assert_true(copy.message != virGetLastError()->message);
    virResetLastError();
    g_assert_cmpstr(copy.message, ==,
                    "this function is not supported by the connection driver: virFoo");
    virResetError(&copy);
    g_assert_null(copy.message);
    g_assert_cmpint(copy.code, ==, VIR_ERR_OK);

    /* With no error the copy is all zero. */
    memset(&copy, 0xa5, sizeof(copy));
    g_assert_cmpint(virCopyLastError(&copy), ==, VIR_ERR_OK);
    g_assert_cmpint(copy.code, ==, VIR_ERR_OK);
    g_assert_null(copy.message);
    g_assert_null(copy.str1);

    g_assert_cmpint(virCopyLastError(NULL), ==, -1);
}

static void
test_save_free(void)
{
    virErrorPtr saved;

    reset_state();
    vkReportError(VIR_ERR_NO_DOMAIN, "vm9");
    saved = virSaveLastError();
    g_assert_nonnull(saved);
    virResetLastError();
    g_assert_cmpint(saved->code, ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpstr(saved->message, ==, "Domain not found: vm9");
    virFreeError(saved);

    saved = virSaveLastError();
    g_assert_nonnull(saved);
    g_assert_cmpint(saved->code, ==, VIR_ERR_OK);
    g_assert_null(saved->message);
    virFreeError(saved);
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                             */
/* ------------------------------------------------------------------ */

static void
test_dispatch_global(void)
{
    int token = 0;

    reset_state();
    handler_log_clear(&global_log);
    virSetErrorFunc(&token, global_handler);

    vkReportError(VIR_ERR_OPERATION_FAILED, "step %d", 2);
    vkErrorDispatch(NULL);
    g_assert_cmpint(global_log.calls, ==, 1);
    g_assert_true(global_log.data == &token);
    g_assert_cmpint(global_log.code, ==, VIR_ERR_OPERATION_FAILED);
    g_assert_cmpstr(global_log.message, ==, "operation failed: step 2");
    /* Dispatching does not consume the thread's error. */
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_FAILED);

    virSetErrorFunc(NULL, NULL);
    handler_log_clear(&global_log);
}

static void
test_dispatch_unknown(void)
{
    reset_state();
    handler_log_clear(&global_log);
    virSetErrorFunc(NULL, global_handler);

    /* A failure path that forgot to report still dispatches something. */
    vkErrorDispatch(NULL);
    g_assert_cmpint(global_log.calls, ==, 1);
    g_assert_cmpint(global_log.code, ==, VIR_ERR_INTERNAL_ERROR);
    g_assert_cmpstr(global_log.message, ==, "An error occurred, but the cause is unknown");
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INTERNAL_ERROR);
    g_assert_cmpint(virGetLastErrorDomain(), ==, VIR_FROM_NONE);

    virSetErrorFunc(NULL, NULL);
    handler_log_clear(&global_log);
}

static void
test_dispatch_conn(void)
{
    virConnectPtr conn = fake_conn_new();
    int gtoken = 0, ctoken = 0;
    virError copy;
    virErrorPtr cerr;

    reset_state();
    handler_log_clear(&global_log);
    handler_log_clear(&conn_log);
    virSetErrorFunc(&gtoken, global_handler);

    /* Before any failure the connection's error is empty. */
    cerr = virConnGetLastError(conn);
    g_assert_nonnull(cerr);
    g_assert_cmpint(cerr->code, ==, VIR_ERR_OK);
    g_assert_cmpint(virConnCopyLastError(conn, &copy), ==, VIR_ERR_OK);

    /* The connection's handler wins over the global one. */
    virConnSetErrorFunc(conn, &ctoken, conn_handler);
    vkReportError(VIR_ERR_NO_DOMAIN, "vm1");
    vkErrorDispatch(conn);
    g_assert_cmpint(conn_log.calls, ==, 1);
    g_assert_true(conn_log.data == &ctoken);
    g_assert_cmpstr(conn_log.message, ==, "Domain not found: vm1");
    g_assert_cmpint(global_log.calls, ==, 0);

    /* The error was copied into the connection. */
    g_assert_cmpint(conn->err.code, ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpstr(conn->err.message, ==, "Domain not found: vm1");
    g_assert_true(conn->err.message != virGetLastError()->message);
    g_assert_true(virConnGetLastError(conn) == &conn->err);
    virResetLastError();
    g_assert_cmpint(virConnCopyLastError(conn, &copy), ==, VIR_ERR_NO_DOMAIN);
    g_assert_cmpstr(copy.message, ==, "Domain not found: vm1");
    virResetError(&copy);

    /* Without a connection handler, the global one gets it. */
    virConnSetErrorFunc(conn, NULL, NULL);
    vkReportError(VIR_ERR_INVALID_ARG, "flags");
    vkErrorDispatch(conn);
    g_assert_cmpint(conn_log.calls, ==, 1);
    g_assert_cmpint(global_log.calls, ==, 1);
    g_assert_true(global_log.data == &gtoken);
    g_assert_cmpstr(global_log.message, ==, "invalid argument: flags");
    g_assert_cmpint(conn->err.code, ==, VIR_ERR_INVALID_ARG);

    virConnResetLastError(conn);
    g_assert_cmpint(conn->err.code, ==, VIR_ERR_OK);
    g_assert_null(conn->err.message);

    /* NULL connections are refused or ignored. */
    g_assert_null(virConnGetLastError(NULL));
    g_assert_cmpint(virConnCopyLastError(NULL, &copy), ==, -1);
    virConnResetLastError(NULL);
    virConnSetErrorFunc(NULL, NULL, conn_handler);

    virSetErrorFunc(NULL, NULL);
    handler_log_clear(&global_log);
    handler_log_clear(&conn_log);
    fake_conn_free(conn);
}

/* ------------------------------------------------------------------ */
/* virDefaultErrorFunc                                                  */
/* ------------------------------------------------------------------ */

/* Runs the current test's child branch in a subprocess and checks its
 * stderr is exactly @expected. */
static void
expect_stderr(const char *expected)
{
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("");
    g_test_trap_assert_stderr(expected);
}

static void
test_default_none_domain(void)
{
    if (g_test_subprocess()) {
        vkErrorReportFull(VIR_FROM_NONE, VIR_ERR_NO_SUPPORT, __FILE__, __func__,
                          __LINE__, "%s", "virDomainSuspend");
        virDefaultErrorFunc(virGetLastError());
        return;
    }
    expect_stderr("libvirt:  error : this function is not supported by the "
                  "connection driver: virDomainSuspend\n");
}

static void
test_default_test_domain(void)
{
    if (g_test_subprocess()) {
        vkErrorReportFull(VIR_FROM_TEST, VIR_ERR_NO_DOMAIN, __FILE__, __func__,
                          __LINE__, "no domain with matching name '%s'", "vm1");
        virDefaultErrorFunc(virGetLastError());
        return;
    }
    expect_stderr("libvirt: Test Driver error : Domain not found: no domain "
                  "with matching name 'vm1'\n");
}

static void
test_default_qemu_domain(void)
{
    if (g_test_subprocess()) {
        vkErrorReportFull(VIR_FROM_QEMU, VIR_ERR_OPERATION_INVALID, __FILE__,
                          __func__, __LINE__, "%s", "domain is not running");
        virDefaultErrorFunc(virGetLastError());
        return;
    }
    expect_stderr("libvirt: QEMU Driver error : Requested operation is not "
                  "valid: domain is not running\n");
}

static void
test_default_variants(void)
{
    if (g_test_subprocess()) {
        virError e = { 0 };

        /* A message ending in a newline gets no second one. */
        e.code = VIR_ERR_INTERNAL_ERROR;
        e.domain = VIR_FROM_REMOTE;
        e.level = VIR_ERR_ERROR;
        e.message = (char *) "ends in newline\n";
        virDefaultErrorFunc(&e);
        /* Warning level; an empty message. */
        e.level = VIR_ERR_WARNING;
        e.message = (char *) "";
        virDefaultErrorFunc(&e);
        /* No level word at VIR_ERR_NONE; an origin past the table. */
        e.level = VIR_ERR_NONE;
        e.domain = 9999;
        e.message = (char *) "m";
        virDefaultErrorFunc(&e);
        /* XML_DETAIL with a line number: "line N: " and nothing added. */
        e.code = VIR_ERR_XML_DETAIL;
        e.domain = VIR_FROM_XML;
        e.level = VIR_ERR_ERROR;
        e.int1 = 7;
        e.message = (char *) "Opening and ending tag mismatch\n";
        virDefaultErrorFunc(&e);
        /* ...and without one, the ordinary form. */
        e.int1 = 0;
        e.message = (char *) "no line";
        virDefaultErrorFunc(&e);
        /* Nothing at all for no error. */
        e.code = VIR_ERR_OK;
        virDefaultErrorFunc(&e);
        virDefaultErrorFunc(NULL);
        return;
    }
    expect_stderr("libvirt: Remote Driver error : ends in newline\n"
                  "libvirt: Remote Driver warning : \n"
                  "libvirt: Unknown  : m\n"
                  "libvirt: XML Util error : line 7: Opening and ending tag mismatch\n"
                  "libvirt: XML Util error : no line\n");
}

/* With no handler anywhere, dispatch prints through virDefaultErrorFunc. */
static void
test_dispatch_default(void)
{
    if (g_test_subprocess()) {
        virConnectPtr conn = fake_conn_new();

        vkErrorReportFull(VIR_FROM_TEST, VIR_ERR_NO_SUPPORT, __FILE__, __func__,
                          __LINE__, "%s", "virConnectGetHostname");
        vkErrorDispatch(conn);
        fake_conn_free(conn);
        return;
    }
    expect_stderr("libvirt: Test Driver error : this function is not supported "
                  "by the connection driver: virConnectGetHostname\n");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    /* Logging settings from the caller's environment must not change what
     * these tests see (reported errors may be logged). */
    g_unsetenv("VIRTKIT_DEBUG");
    g_unsetenv("VIRTKIT_LOG_FILTERS");
    g_unsetenv("VIRTKIT_LOG_OUTPUTS");

    g_test_add_func("/error/last/none", test_last_none);
    g_test_add_func("/error/last/set", test_last_set);
    g_test_add_func("/error/last/reset", test_last_reset);
    g_test_add_func("/error/last/thread-isolation", test_last_thread_isolation);
    g_test_add_func("/error/message/compose", test_message_compose);
    g_test_add_func("/error/message/null-arg", test_message_null_arg);
    g_test_add_func("/error/copy/last", test_copy_last);
    g_test_add_func("/error/copy/save-free", test_save_free);
    g_test_add_func("/error/dispatch/global-handler", test_dispatch_global);
    g_test_add_func("/error/dispatch/unknown", test_dispatch_unknown);
    g_test_add_func("/error/dispatch/conn-handler", test_dispatch_conn);
    g_test_add_func("/error/dispatch/default-func", test_dispatch_default);
    g_test_add_func("/error/default-func/from-none", test_default_none_domain);
    g_test_add_func("/error/default-func/from-test", test_default_test_domain);
    g_test_add_func("/error/default-func/from-qemu", test_default_qemu_domain);
    g_test_add_func("/error/default-func/variants", test_default_variants);

    return g_test_run();
}
