/*
 * event-script.h: one sequence of domain operations, compiled twice: into
 * the events test (against virtkit) and into stock-events (against
 * Debian's libvirt), so the lifecycle and metadata events each operation
 * produces can be compared line by line with libvirt's test driver.
 *
 * Only libvirt's public API is used.  After each operation a marker (a
 * title change on domain "test") is set; events arrive in order, so when
 * the marker's METADATA_CHANGE arrives, the operation's events have too.
 *
 * The includer provides es_pump(): run the application's event loop once,
 * or wait briefly when callbacks run on another thread.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef EVENT_SCRIPT_H
#define EVENT_SCRIPT_H

#include <stdio.h>
#include <string.h>
#include <glib.h>

static void es_pump(void);

static GMutex es_lock;
static GString *es_events;      /* the current operation's events */
static int es_markers;          /* markers seen */

static int
es_lifecycle(virConnectPtr c, virDomainPtr d, int event, int detail, void *opaque)
{
    (void)c;
    (void)opaque;
    g_mutex_lock(&es_lock);
    g_string_append_printf(es_events, " %s:L%d.%d", virDomainGetName(d), event, detail);
    g_mutex_unlock(&es_lock);
    return 0;
}

static void
es_metadata(virConnectPtr c, virDomainPtr d, int type, const char *nsuri, void *opaque)
{
    (void)c;
    (void)opaque;
    g_mutex_lock(&es_lock);
    if (type == VIR_DOMAIN_METADATA_TITLE && strcmp(virDomainGetName(d), "test") == 0)
        es_markers++;
    else
        g_string_append_printf(es_events, " %s:M%d(%s)", virDomainGetName(d), type,
                               nsuri ? nsuri : "");
    g_mutex_unlock(&es_lock);
}

/* Waits for the marker after @op and appends "op:events\n" to @out. */
static void
es_settle(virConnectPtr conn, const char *op, int rc, GString *out)
{
    virDomainPtr test = virDomainLookupByName(conn, "test");
    static int sent;
    char title[32];
    gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

    snprintf(title, sizeof(title), "marker-%d", ++sent);
    if (!test || virDomainSetMetadata(test, VIR_DOMAIN_METADATA_TITLE, title, NULL, NULL, 0) < 0) {
        g_string_append_printf(out, "%s: (no marker)\n", op);
        if (test)
            virDomainFree(test);
        return;
    }
    virDomainFree(test);
    for (;;) {
        int got;
        g_mutex_lock(&es_lock);
        got = es_markers;
        g_mutex_unlock(&es_lock);
        if (got >= sent || g_get_monotonic_time() > deadline)
            break;
        es_pump();
    }
    g_mutex_lock(&es_lock);
    g_string_append_printf(out, "%s rc=%d:%s%s\n", op, rc, es_events->str,
                           es_markers >= sent ? "" : " (timed out)");
    g_string_truncate(es_events, 0);
    g_mutex_unlock(&es_lock);
}

#define ES_XML(name) \
    "<domain type='test'><name>" name "</name>" \
    "<uuid>a1b2c3d4-0000-4000-8000-00000000000" name "</uuid>" \
    "<memory>1048576</memory><os><type>hvm</type></os></domain>"

/* Runs the sequence on @conn (test:///default); returns the transcript. */
static char *
es_run(virConnectPtr conn)
{
    GString *out = g_string_new(NULL);
    virDomainPtr d, t;
    int rc, id1, id2;
    char img[256];

    es_events = g_string_new(NULL);
    id1 = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                           VIR_DOMAIN_EVENT_CALLBACK(es_lifecycle), NULL, NULL);
    id2 = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
                                           VIR_DOMAIN_EVENT_CALLBACK(es_metadata), NULL, NULL);
    if (id1 < 0 || id2 < 0) {
        g_string_free(es_events, TRUE);
        g_string_free(out, TRUE);
        return NULL;
    }
    snprintf(img, sizeof(img), "%s/es-%d.img", g_get_tmp_dir(), (int)getpid());

#define STEP(name, call) do { rc = (call); es_settle(conn, name, rc, out); } while (0)
    d = virDomainDefineXML(conn, ES_XML("1"));
    es_settle(conn, "define", d ? 0 : -1, out);
    virDomainFree(virDomainDefineXML(conn, ES_XML("1")));
    es_settle(conn, "define-again", 0, out);
    STEP("create", virDomainCreate(d));
    STEP("suspend", virDomainSuspend(d));
    STEP("resume", virDomainResume(d));
    STEP("shutdown", virDomainShutdown(d));
    STEP("create", virDomainCreate(d));
    STEP("destroy", virDomainDestroy(d));
    STEP("create", virDomainCreate(d));
    STEP("suspend", virDomainSuspend(d));
    STEP("shutdown-paused", virDomainShutdown(d));
    STEP("create", virDomainCreate(d));
    STEP("reboot", virDomainReboot(d, 0));
    STEP("save", virDomainSave(d, img));
    STEP("restore", virDomainRestore(conn, img));
    remove(img);
    STEP("destroy-restored", virDomainDestroy(d));
    STEP("create", virDomainCreate(d));
    STEP("managedsave", virDomainManagedSave(d, 0));
    STEP("create-from-image", virDomainCreate(d));
    STEP("set-description", virDomainSetMetadata(d, VIR_DOMAIN_METADATA_DESCRIPTION, "x", NULL,
                                                 NULL, 0));
    STEP("set-element", virDomainSetMetadata(d, VIR_DOMAIN_METADATA_ELEMENT, "<a/>", "e",
                                             "http://example.org/e", 0));
    STEP("undefine-running", virDomainUndefine(d));
    STEP("destroy-transient", virDomainDestroy(d));
    virDomainFree(d);
    t = virDomainCreateXML(conn, ES_XML("2"), 0);
    es_settle(conn, "create-xml", t ? 0 : -1, out);
    STEP("destroy-transient", t ? virDomainDestroy(t) : -1);
    if (t)
        virDomainFree(t);
    /* lifecycle actions: powering off restarts, rebooting stops */
    d = virDomainDefineXML(conn,
        "<domain type='test'><name>4</name><uuid>a1b2c3d4-0000-4000-8000-000000000004</uuid>"
        "<memory>1048576</memory><os><type>hvm</type></os><on_poweroff>restart</on_poweroff>"
        "<on_reboot>destroy</on_reboot></domain>");
    es_settle(conn, "define", d ? 0 : -1, out);
    STEP("create", d ? virDomainCreate(d) : -1);
    STEP("shutdown-restarts", d ? virDomainShutdown(d) : -1);
    STEP("reboot-stops", d ? virDomainReboot(d, 0) : -1);
    STEP("create", d ? virDomainCreate(d) : -1);
    STEP("reset", d ? virDomainReset(d, 0) : -1);
    STEP("destroy", d ? virDomainDestroy(d) : -1);
    STEP("undefine", d ? virDomainUndefine(d) : -1);
    if (d)
        virDomainFree(d);
    d = virDomainDefineXML(conn, ES_XML("3"));
    es_settle(conn, "define", d ? 0 : -1, out);
    STEP("undefine", d ? virDomainUndefine(d) : -1);
    if (d)
        virDomainFree(d);
#undef STEP

    virConnectDomainEventDeregisterAny(conn, id1);
    virConnectDomainEventDeregisterAny(conn, id2);
    g_string_free(es_events, TRUE);
    return g_string_free(out, FALSE);
}

#endif
