/*
 * test-jobs.c: the test plugin's per-domain jobs.  A save into a FIFO holds
 * the job for as long as the test leaves the FIFO unread, so the waits are
 * driven by the test, not by timing: a call that needs the job gives up
 * after job_wait_timeout_ms naming the job that holds it and since when;
 * queries never wait; and several threads hammering one domain never
 * corrupt it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tp-util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

typedef struct {
    virDomainPtr dom;
    char *path;
    int ret;
    int code;
} SaveJob;

static int timeout_ms;
static char *timeout_text;

static gpointer
save_thread(gpointer data)
{
    SaveJob *j = data;
    j->ret = virDomainSave(j->dom, j->path);
    j->code = j->ret < 0 ? virGetLastErrorCode() : 0;
    return NULL;
}

/* Waits (bounded) until the domain reports a job in progress. */
static void
wait_for_job(virDomainPtr dom)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    virDomainJobInfo info;

    do {
        g_assert_cmpint(virDomainGetJobInfo(dom, &info), ==, 0);
        if (info.type == VIR_DOMAIN_JOB_UNBOUNDED)
            return;
        g_usleep(1000);
    } while (g_get_monotonic_time() < deadline);
    g_assert_cmpint(info.type, ==, VIR_DOMAIN_JOB_UNBOUNDED);
}

static char *
drain(const char *path)
{
    int fd = g_open(path, O_RDONLY, 0);
    GString *out = g_string_new(NULL);
    char buf[4096];
    ssize_t r;

    g_assert_cmpint(fd, >=, 0);
    while ((r = read(fd, buf, sizeof(buf))) > 0)
        g_string_append_len(out, buf, r);
    close(fd);
    return g_string_free(out, FALSE);
}

static void
test_timeout(void)
{
    virConnectPtr conn;
    virDomainPtr dom;
    SaveJob j = { 0 };
    GThread *t;
    g_autofree char *fifo = g_build_filename(tp_tmpdir(), "job.fifo", NULL);
    g_autofree char *image = NULL;
    gint64 start;
    int type = -1, nparams = 0, op = -1;
    virTypedParameterPtr params = NULL;
    virDomainInfo info;

    conn = tp_open_fresh(NULL);
    dom = virDomainLookupByName(conn, "test");
    g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
    j.dom = dom;
    j.path = fifo;
    t = g_thread_new("save", save_thread, &j);
    wait_for_job(dom);

    /* queries answer while the job is held */
    g_assert_cmpint(tp_state(dom, NULL), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(virDomainGetInfo(dom, &info), ==, 0);
    {
        g_autofree char *xml = virDomainGetXMLDesc(dom, 0);
        g_assert_nonnull(xml);
    }
    g_assert_cmpint(virConnectListAllDomains(conn, NULL, 0), ==, 1);
    g_assert_cmpint(virDomainGetJobStats(dom, &type, &params, &nparams, 0), ==, 0);
    g_assert_cmpint(type, ==, VIR_DOMAIN_JOB_UNBOUNDED);
    g_assert_cmpint(virTypedParamsGetInt(params, nparams, VIR_DOMAIN_JOB_OPERATION, &op), ==, 1);
    g_assert_cmpint(op, ==, VIR_DOMAIN_JOB_OPERATION_SAVE);
    virTypedParamsFree(params, nparams);

    /* a change gives up after the timeout, naming the holder */
    start = g_get_monotonic_time();
    g_assert_cmpint(virDomainSuspend(dom), ==, -1);
    g_assert_cmpint(g_get_monotonic_time() - start, >=, (gint64)timeout_ms * 1000);
    tp_assert_error(VIR_ERR_OPERATION_TIMEOUT, "held by job 'save' since ");
    tp_assert_error(VIR_ERR_OPERATION_TIMEOUT, timeout_text);
    tp_assert_error(VIR_ERR_OPERATION_TIMEOUT, "'suspend' on domain 'test'");
    g_assert_cmpint(virDomainSetMemory(dom, 1024), ==, -1);
    tp_assert_error(VIR_ERR_OPERATION_TIMEOUT, "held by job 'save'");
    /* still running: nothing changed */
    g_assert_cmpint(tp_state(dom, NULL), ==, VIR_DOMAIN_RUNNING);

    image = drain(fifo);
    g_thread_join(t);
    g_assert_cmpint(j.ret, ==, 0);
    g_assert_true(g_str_has_prefix(image, "VirtkitTestSave1\n"));
    g_assert_cmpint(tp_state(dom, NULL), ==, VIR_DOMAIN_SHUTOFF);
    params = NULL;
    nparams = 0;
    g_assert_cmpint(virDomainGetJobStats(dom, &type, &params, &nparams,
                                         VIR_DOMAIN_JOB_STATS_COMPLETED), ==, 0);
    g_assert_cmpint(type, ==, VIR_DOMAIN_JOB_COMPLETED);
    g_assert_cmpint(virTypedParamsGetInt(params, nparams, VIR_DOMAIN_JOB_OPERATION, &op), ==, 1);
    g_assert_cmpint(op, ==, VIR_DOMAIN_JOB_OPERATION_SAVE);
    virTypedParamsFree(params, nparams);
    g_assert_cmpint(virDomainGetJobInfo(dom, &(virDomainJobInfo){ 0 }), ==, 0);

    g_unlink(fifo);
    virDomainFree(dom);
    virConnectClose(conn);
}

typedef struct {
    virDomainPtr dom;
    int ret;
    int code;
} SuspendJob;

static gpointer
suspend_thread(gpointer data)
{
    SuspendJob *s = data;
    s->ret = virDomainSuspend(s->dom);
    s->code = s->ret < 0 ? virGetLastErrorCode() : 0;
    return NULL;
}

/* A waiter gets the job when the holder ends, and sees its result. */
static void
test_wait_then_proceed(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    g_autofree char *fifo = g_build_filename(tp_tmpdir(), "job2.fifo", NULL);
    g_autofree char *image = NULL;
    SaveJob j = { .dom = dom, .path = fifo };
    SuspendJob s = { .dom = dom, .ret = 99 };
    GThread *t1, *t2;

    g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
    t1 = g_thread_new("save", save_thread, &j);
    wait_for_job(dom);
    t2 = g_thread_new("suspend", suspend_thread, &s);
    image = drain(fifo);
    g_thread_join(t1);
    g_thread_join(t2);
    g_assert_cmpint(j.ret, ==, 0);
    /* the suspend ran after the save: the domain was no longer running */
    g_assert_cmpint(s.ret, ==, -1);
    g_assert_cmpint(s.code, ==, VIR_ERR_INTERNAL_ERROR);
    g_unlink(fifo);
    virDomainFree(dom);
    virConnectClose(conn);
}

typedef struct {
    virConnectPtr conn;
    int seed;
    int failures;
    GString *log;
} Hammer;

static gpointer
hammer_thread(gpointer data)
{
    Hammer *hm = data;
    GRand *rand = g_rand_new_with_seed(hm->seed);
    virDomainPtr dom = virDomainLookupByName(hm->conn, "test");
    g_autofree char *name = g_strdup_printf("hammer-%d", hm->seed);

    for (int i = 0; i < 300; i++) {
        int op = g_rand_int_range(rand, 0, 10), rc = 0;
        virDomainInfo info;
        switch (op) {
        case 0: rc = virDomainSuspend(dom); break;
        case 1: rc = virDomainResume(dom); break;
        case 2: rc = virDomainReboot(dom, 0); break;
        case 3: rc = virDomainSetMemory(dom, 1048576 + g_rand_int_range(rand, 0, 1024)); break;
        case 4: rc = virDomainGetInfo(dom, &info); break;
        case 5: {
            char *xml = virDomainGetXMLDesc(dom, 0);
            rc = xml ? 0 : -1;
            free(xml);
            break;
        }
        case 6: {
            virDomainPtr d = tp_define(hm->conn, name, NULL);
            rc = virDomainUndefine(d);
            virDomainFree(d);
            break;
        }
        case 7: rc = virConnectListAllDomains(hm->conn, NULL, 0) > 0 ? 0 : -1; break;
        case 8: {
            virTypedParameter p = { .type = VIR_TYPED_PARAM_UINT };
            g_strlcpy(p.field, VIR_DOMAIN_SCHEDULER_WEIGHT, sizeof(p.field));
            p.value.ui = 10 + i;
            rc = virDomainSetSchedulerParameters(dom, &p, 1);
            break;
        }
        case 9: {
            virDomainStatsRecordPtr *recs = NULL;
            rc = virConnectGetAllDomainStats(hm->conn, 0, &recs, 0) > 0 ? 0 : -1;
            virDomainStatsRecordListFree(recs);
            break;
        }
        }
        if (rc < 0) {
            int code = virGetLastErrorCode();
            /* the refusals a state race may bring; anything else is a failure */
            if (!((op == 0 || op == 1) && code == VIR_ERR_INTERNAL_ERROR)) {
                hm->failures++;
                g_string_append_printf(hm->log, "op %d: %s; ", op, virGetLastErrorMessage());
            }
        }
    }
    virDomainFree(dom);
    g_rand_free(rand);
    return NULL;
}

static void
test_hammer(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    Hammer hm[8];
    GThread *t[8];
    virDomainPtr dom;
    int state;

    for (int i = 0; i < 8; i++) {
        hm[i] = (Hammer){ .conn = conn, .seed = i + 1, .log = g_string_new(NULL) };
        t[i] = g_thread_new("hammer", hammer_thread, &hm[i]);
    }
    for (int i = 0; i < 8; i++) {
        g_thread_join(t[i]);
        if (hm[i].failures)
            g_test_message("thread %d: %s", i, hm[i].log->str);
        g_assert_cmpint(hm[i].failures, ==, 0);
        g_string_free(hm[i].log, TRUE);
    }
    dom = virDomainLookupByName(conn, "test");
    state = tp_state(dom, NULL);
    g_assert_true(state == VIR_DOMAIN_RUNNING || state == VIR_DOMAIN_PAUSED);
    g_assert_cmpint(virConnectListAllDomains(conn, NULL, 0), ==, 1);
    virDomainFree(dom);
    virConnectClose(conn);
}

int
main(int argc, char **argv)
{
    guint64 v;

    /* TP_EXPECT_TIMEOUT_MS: the run where the plugin's config file sets
     * the timeout (the environment override is empty there) */
    if (g_getenv("TP_EXPECT_TIMEOUT_MS")) {
        v = g_ascii_strtoull(g_getenv("TP_EXPECT_TIMEOUT_MS"), NULL, 10);
    } else {
        /* set before any thread exists; the plugin reads it at each wait */
        if (!g_getenv("VIRTKIT_TEST_JOB_WAIT_TIMEOUT_MS"))
            g_setenv("VIRTKIT_TEST_JOB_WAIT_TIMEOUT_MS", "1000", TRUE);
        v = g_ascii_strtoull(g_getenv("VIRTKIT_TEST_JOB_WAIT_TIMEOUT_MS"), NULL, 10);
    }
    timeout_ms = (int)MIN(v, 60000);
    timeout_text = g_strdup_printf("job_wait_timeout_ms=%d", timeout_ms);
    tp_init(&argc, &argv);
    g_test_add_func("/test-plugin/jobs/timeout-names-holder", test_timeout);
    g_test_add_func("/test-plugin/jobs/wait-then-proceed", test_wait_then_proceed);
    g_test_add_func("/test-plugin/jobs/hammer", test_hammer);
    return g_test_run();
}
