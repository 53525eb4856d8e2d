/*
 * test-lifecycle.c: the domain lifecycle of the test plugin.  Every
 * transition from running, paused and shut off, allowed or refused, with
 * its error code and message (the message compared with stock virsh on
 * libvirt's own test:///default when virsh is installed); define and
 * undefine, transient domains, save/restore, managed save, autodestroy,
 * autostart and the listing calls.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tp-util.h"

#include <glib/gstdio.h>

typedef enum { ST_RUNNING, ST_PAUSED, ST_SHUTOFF, ST_LAST } StartState;
static const char *const state_names[] = { "running", "paused", "shutoff" };
static const char *const state_setup_virsh[] = { "", "suspend test; ", "destroy test; " };

typedef enum {
    OP_CREATE, OP_SUSPEND, OP_RESUME, OP_SHUTDOWN, OP_REBOOT, OP_RESET, OP_DESTROY, OP_SAVE,
    OP_MANAGEDSAVE, OP_LAST
} Op;
static const char *const op_names[] = {
    "create", "suspend", "resume", "shutdown", "reboot", "reset", "destroy", "save",
    "managedsave",
};

typedef struct {
    int code;            /* 0: allowed */
    int state, reason;   /* after an allowed transition */
    const char *message; /* the whole message of a refusal */
} Expect;

#define OK(s, r) { 0, s, r, NULL }
#define NO(c, m) { c, 0, 0, m }
static const Expect table[OP_LAST][ST_LAST] = {
    [OP_CREATE] = {
        NO(VIR_ERR_INTERNAL_ERROR, "internal error: Domain 'test' is already running"),
        NO(VIR_ERR_INTERNAL_ERROR, "internal error: Domain 'test' is already running"),
        OK(VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED) },
    [OP_SUSPEND] = {
        OK(VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER),
        NO(VIR_ERR_INTERNAL_ERROR, "internal error: domain 'test' not running"),
        NO(VIR_ERR_INTERNAL_ERROR, "internal error: domain 'test' not running") },
    [OP_RESUME] = {
        NO(VIR_ERR_INTERNAL_ERROR, "internal error: domain 'test' not paused"),
        OK(VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED),
        NO(VIR_ERR_INTERNAL_ERROR, "internal error: domain 'test' not paused") },
    [OP_SHUTDOWN] = {
        OK(VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN),
        OK(VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN),
        NO(VIR_ERR_INTERNAL_ERROR, "internal error: domain 'test' not running") },
    [OP_REBOOT] = {
        OK(VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED),
        OK(VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED),
        NO(VIR_ERR_OPERATION_INVALID, "Requested operation is not valid: domain is not running") },
    [OP_RESET] = {
        OK(VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED),
        OK(VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED),
        NO(VIR_ERR_OPERATION_INVALID, "Requested operation is not valid: domain is not running") },
    [OP_DESTROY] = {
        OK(VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED),
        OK(VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED),
        NO(VIR_ERR_OPERATION_INVALID, "Requested operation is not valid: domain is not running") },
    [OP_SAVE] = {
        OK(VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SAVED),
        OK(VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SAVED),
        NO(VIR_ERR_OPERATION_INVALID, "Requested operation is not valid: domain is not running") },
    [OP_MANAGEDSAVE] = {
        OK(VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SAVED),
        OK(VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SAVED),
        NO(VIR_ERR_OPERATION_INVALID, "Requested operation is not valid: domain is not running") },
};

static int
run_op(virDomainPtr dom, Op op)
{
    g_autofree char *img = g_build_filename(tp_tmpdir(), "sm-save.img", NULL);

    switch (op) {
    case OP_CREATE: return virDomainCreate(dom);
    case OP_SUSPEND: return virDomainSuspend(dom);
    case OP_RESUME: return virDomainResume(dom);
    case OP_SHUTDOWN: return virDomainShutdown(dom);
    case OP_REBOOT: return virDomainReboot(dom, 0);
    case OP_RESET: return virDomainReset(dom, 0);
    case OP_DESTROY: return virDomainDestroy(dom);
    case OP_SAVE: return virDomainSave(dom, img);
    case OP_MANAGEDSAVE: return virDomainManagedSave(dom, 0);
    case OP_LAST: break;
    }
    return -2;
}

/* virsh's commands for the same calls; "start" is left out: virsh checks
 * virDomainIsActive itself and prints its own "Domain is already active". */
static const char *const op_virsh[] = {
    NULL, "suspend test", "resume test", "shutdown test", "reboot test", "reset test",
    "destroy test", "save test /nonexistent-dir/x.img", "managedsave test",
};

typedef struct {
    Op op;
    StartState st;
} Case;

static void
test_transition(gconstpointer data)
{
    const Case *c = data;
    const Expect *e = &table[c->op][c->st];
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    int reason;

    g_assert_nonnull(dom);
    if (c->st == ST_PAUSED)
        g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    if (c->st == ST_SHUTOFF)
        g_assert_cmpint(virDomainDestroy(dom), ==, 0);

    if (e->code == 0) {
        g_assert_cmpint(run_op(dom, c->op), ==, 0);
        g_assert_cmpint(tp_state(dom, &reason), ==, e->state);
        g_assert_cmpint(reason, ==, e->reason);
        g_assert_cmpint(virDomainIsActive(dom), ==, e->state != VIR_DOMAIN_SHUTOFF);
    } else {
        int before = tp_state(dom, NULL);
        g_autofree char *script = NULL;
        g_autofree char *stock = NULL;

        g_assert_cmpint(run_op(dom, c->op), ==, -1);
        tp_assert_error(e->code, NULL);
        g_assert_cmpstr(virGetLastErrorMessage(), ==, e->message);
        /* a refusal changes nothing */
        g_assert_cmpint(tp_state(dom, NULL), ==, before);
        if (op_virsh[c->op]) {
            script = g_strdup_printf("%s%s", state_setup_virsh[c->st], op_virsh[c->op]);
            stock = tp_virsh_last_error(script);
        }
        if (stock)
            g_assert_cmpstr(stock, ==, e->message);
        else
            g_test_message("%s from %s: no stock virsh answer to compare with (virsh missing, "
                           "or it checks this call itself); compared with the table only",
                           op_names[c->op], state_names[c->st]);
    }
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
test_suspend_resume(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom = tp_define(conn, "sr", NULL);
    virDomainInfo info;

    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    for (int i = 0; i < 3; i++) {
        g_assert_cmpint(virDomainSuspend(dom), ==, 0);
        g_assert_cmpint(virDomainGetInfo(dom, &info), ==, 0);
        g_assert_cmpint(info.state, ==, VIR_DOMAIN_PAUSED);
        g_assert_cmpint(virDomainResume(dom), ==, 0);
        g_assert_cmpint(virDomainGetInfo(dom, &info), ==, 0);
        g_assert_cmpint(info.state, ==, VIR_DOMAIN_RUNNING);
    }
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
test_define_undefine(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    g_autofree char *xml = tp_domain_xml("du", NULL);
    virDomainPtr dom = virDomainDefineXML(conn, xml), again;
    int reason;

    g_assert_nonnull(dom);
    g_assert_cmpint(tp_state(dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpuint(virDomainGetID(dom), ==, (unsigned int)-1);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 1);
    g_assert_cmpint(virDomainIsActive(dom), ==, 0);
    /* defining it again updates it */
    again = virDomainDefineXML(conn, xml);
    g_assert_nonnull(again);
    virDomainFree(again);
    /* a known name with another UUID, a known UUID with another name */
    g_assert_null(virDomainDefineXML(conn,
        "<domain type='test'><name>test</name><uuid>11111111-2222-3333-4444-555555555555</uuid>"
        "<memory>1024</memory><os><type>hvm</type></os></domain>"));
    tp_assert_error(VIR_ERR_OPERATION_FAILED,
                    "domain 'test' already exists with uuid 6695eb01-f6a4-8304-79aa-97f2502e193f");
    g_assert_null(virDomainDefineXML(conn,
        "<domain type='test'><name>other</name><uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>"
        "<memory>1024</memory><os><type>hvm</type></os></domain>"));
    tp_assert_error(VIR_ERR_OPERATION_FAILED,
                    "domain 'test' is already defined with uuid 6695eb01-f6a4-8304-79aa-97f2502e193f");
    /* VALIDATE refuses what the model does not know; without it, ignored */
    g_assert_null(virDomainDefineXMLFlags(conn,
        "<domain type='test'><name>v</name><memory>1024</memory><os><type>hvm</type></os>"
        "<bogus/></domain>", VIR_DOMAIN_DEFINE_VALIDATE));
    tp_assert_error(VIR_ERR_XML_INVALID_SCHEMA, "bogus");
    g_test_expect_message("virtkit-conf", G_LOG_LEVEL_WARNING, "*unknown element <bogus>*");
    again = virDomainDefineXMLFlags(conn,
        "<domain type='test'><name>v</name><memory>1024</memory><os><type>hvm</type></os>"
        "<bogus/></domain>", 0);
    g_test_assert_expected_messages();
    g_assert_nonnull(again);
    g_assert_cmpint(virDomainUndefine(again), ==, 0);
    virDomainFree(again);
    g_assert_null(virDomainDefineXML(conn, "<domain type='test'><name>x</name>"));
    tp_assert_error(VIR_ERR_XML_DETAIL, NULL);
    g_assert_null(virDomainDefineXMLFlags(conn, xml, 0x80000));
    tp_assert_error(VIR_ERR_INVALID_ARG, "unsupported flags (0x80000)");

    /* undefine takes every flag an in-memory host can honour */
    g_assert_cmpint(virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
                                                VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
                                                VIR_DOMAIN_UNDEFINE_NVRAM), ==, 0);
    g_assert_cmpint(virDomainIsActive(dom), ==, -1);
    tp_assert_error(VIR_ERR_NO_DOMAIN, "(du)");
    g_assert_cmpint(virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_NVRAM |
                                                VIR_DOMAIN_UNDEFINE_KEEP_NVRAM), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, NULL);
    virDomainFree(dom);

    /* undefining a running domain makes it transient; stopping it removes it */
    dom = tp_define(conn, "du2", NULL);
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 0);
    g_assert_cmpint(virDomainIsActive(dom), ==, 1);
    g_assert_cmpint(virDomainUndefine(dom), ==, -1);
    tp_assert_error(VIR_ERR_OPERATION_INVALID, "cannot undefine transient domain");
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_null(virDomainLookupByName(conn, "du2"));
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
test_create_xml(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    g_autofree char *xml = tp_domain_xml("tr", NULL);
    virDomainPtr dom = virDomainCreateXML(conn, xml, 0);
    int reason;
    int autostart = -1;

    g_assert_nonnull(dom);
    g_assert_cmpint(tp_state(dom, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 0);
    g_assert_cmpuint(virDomainGetID(dom), >, 1);
    g_assert_null(virDomainCreateXML(conn, xml, 0));
    tp_assert_error(VIR_ERR_OPERATION_INVALID, "domain 'tr' is already active");
    g_assert_cmpint(virDomainGetAutostart(dom, &autostart), ==, 0);
    g_assert_cmpint(autostart, ==, 0);
    g_assert_cmpint(virDomainSetAutostart(dom, 1), ==, -1);
    tp_assert_error(VIR_ERR_OPERATION_INVALID, "transient");
    /* managed save is refused: a transient domain could never use the image */
    g_assert_cmpint(virDomainManagedSave(dom, 0), ==, -1);
    tp_assert_error(VIR_ERR_OPERATION_INVALID, "cannot do managed save for transient domain");
    g_assert_cmpint(virDomainShutdown(dom), ==, 0);
    g_assert_cmpint(virDomainIsActive(dom), ==, -1);
    tp_assert_error(VIR_ERR_NO_DOMAIN, NULL);
    virDomainFree(dom);

    dom = virDomainCreateXML(conn, xml, VIR_DOMAIN_START_PAUSED);
    g_assert_nonnull(dom);
    g_assert_cmpint(tp_state(dom, &reason), ==, VIR_DOMAIN_PAUSED);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_PAUSED_USER);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    virDomainFree(dom);

    /* createXML of a defined, inactive domain runs the new definition */
    dom = tp_define(conn, "tr2", NULL);
    {
        g_autofree char *xml2 = tp_domain_xml("tr2", "/guest/other.img");
        virDomainPtr run = virDomainCreateXML(conn, xml2, 0);
        g_autofree char *live = NULL, *config = NULL;
        g_assert_nonnull(run);
        live = virDomainGetXMLDesc(run, 0);
        config = virDomainGetXMLDesc(run, VIR_DOMAIN_XML_INACTIVE);
        g_assert_nonnull(strstr(live, "/guest/other.img"));
        g_assert_nonnull(strstr(config, "/guest/tr2.img"));
        g_assert_cmpint(virDomainIsPersistent(run), ==, 1);
        g_assert_cmpint(virDomainDestroy(run), ==, 0);
        virDomainFree(run);
    }
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
test_start_paused(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom = tp_define(conn, "sp", NULL);
    int reason;

    g_assert_cmpint(virDomainCreateWithFlags(dom, VIR_DOMAIN_START_PAUSED), ==, 0);
    g_assert_cmpint(tp_state(dom, &reason), ==, VIR_DOMAIN_PAUSED);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_PAUSED_USER);
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint(virDomainCreateWithFlags(dom, 0x40000000), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "unsupported flags (0x40000000)");
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
test_save_restore(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom = tp_define(conn, "sv", NULL);
    g_autofree char *img = g_build_filename(tp_tmpdir(), "sv.img", NULL);
    g_autofree char *img2 = g_build_filename(tp_tmpdir(), "sv2.img", NULL);
    g_autofree char *xml = NULL;
    int reason;

    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpint(virDomainSave(dom, img), ==, 0);
    g_assert_cmpint(tp_state(dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_SAVED);
    g_assert_true(g_file_test(img, G_FILE_TEST_IS_REGULAR));
    xml = virDomainSaveImageGetXMLDesc(conn, img, 0);
    g_assert_nonnull(xml);
    g_assert_nonnull(strstr(xml, "<name>sv</name>"));
    g_assert_cmpint(virDomainRestore(conn, img), ==, 0);
    g_assert_cmpint(tp_state(dom, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_RESTORED);
    g_assert_cmpint(virDomainRestore(conn, img), ==, -1);
    tp_assert_error(VIR_ERR_OPERATION_INVALID, "domain 'sv' is already active");

    /* SAVE_PAUSED: restored paused; RestoreFlags can override */
    g_assert_cmpint(virDomainSaveFlags(dom, img2, NULL, VIR_DOMAIN_SAVE_PAUSED), ==, 0);
    g_assert_cmpint(virDomainRestore(conn, img2), ==, 0);
    g_assert_cmpint(tp_state(dom, NULL), ==, VIR_DOMAIN_PAUSED);
    g_assert_cmpint(virDomainSave(dom, img2), ==, 0);
    g_assert_cmpint(virDomainRestoreFlags(conn, img2, NULL, VIR_DOMAIN_SAVE_RUNNING), ==, 0);
    g_assert_cmpint(tp_state(dom, NULL), ==, VIR_DOMAIN_RUNNING);

    /* both flags together are an error */
    g_assert_cmpint(virDomainSaveFlags(dom, img2, NULL,
                                       VIR_DOMAIN_SAVE_RUNNING | VIR_DOMAIN_SAVE_PAUSED), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "mutually exclusive");
    g_assert_cmpint(virDomainRestoreFlags(conn, img2, NULL,
                                          VIR_DOMAIN_SAVE_RUNNING | VIR_DOMAIN_SAVE_PAUSED), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "mutually exclusive");
    g_assert_cmpint(virDomainManagedSave(dom, VIR_DOMAIN_SAVE_RUNNING | VIR_DOMAIN_SAVE_PAUSED),
                    ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "mutually exclusive");

    /* an image's XML can be replaced by one of the same domain only */
    g_assert_cmpint(virDomainSave(dom, img), ==, 0);
    {
        g_autofree char *alt = tp_domain_xml("sv", "/guest/sv-alt.img");
        g_autofree char *other = tp_domain_xml("nope", NULL);
        g_autofree char *got = NULL;
        g_autofree char *with_uuid = NULL;
        char uuid[VIR_UUID_STRING_BUFLEN];
        g_assert_cmpint(virDomainGetUUIDString(dom, uuid), ==, 0);
        with_uuid = g_strdup_printf("%.*s<uuid>%s</uuid>%s", (int)(strstr(alt, "<memory") - alt),
                                    alt, uuid, strstr(alt, "<memory"));
        g_assert_cmpint(virDomainSaveImageDefineXML(conn, img, other, 0), ==, -1);
        tp_assert_error(VIR_ERR_INVALID_ARG, "describes another domain");
        g_assert_cmpint(virDomainSaveImageDefineXML(conn, img, with_uuid,
                                                    VIR_DOMAIN_SAVE_PAUSED), ==, 0);
        got = virDomainSaveImageGetXMLDesc(conn, img, 0);
        g_assert_nonnull(strstr(got, "/guest/sv-alt.img"));
        g_assert_cmpint(virDomainRestore(conn, img), ==, 0);
        g_assert_cmpint(tp_state(dom, NULL), ==, VIR_DOMAIN_PAUSED);
    }
    g_assert_null(virDomainSaveImageGetXMLDesc(conn, "/nonexistent/image", 0));
    /* libvirt's report: a system error with errno's text */
    tp_assert_error(VIR_ERR_SYSTEM_ERROR,
                    "cannot read domain image '/nonexistent/image': No such file or directory");
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
test_managed_save(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom = tp_define(conn, "ms", NULL);
    int reason;

    g_assert_cmpint(virDomainHasManagedSaveImage(dom, 0), ==, 0);
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpint(virDomainManagedSave(dom, 0), ==, 0);
    g_assert_cmpint(tp_state(dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_SAVED);
    g_assert_cmpint(virDomainHasManagedSaveImage(dom, 0), ==, 1);
    /* undefine refuses to lose the image unless told */
    g_assert_cmpint(virDomainUndefine(dom), ==, -1);
    tp_assert_error(VIR_ERR_OPERATION_INVALID,
                    "Refusing to undefine while domain managed save image exists");
    /* starting uses the image */
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpint(virDomainHasManagedSaveImage(dom, 0), ==, 0);
    g_assert_cmpint(tp_state(dom, NULL), ==, VIR_DOMAIN_RUNNING);
    /* a paused image starts paused */
    g_assert_cmpint(virDomainManagedSave(dom, VIR_DOMAIN_SAVE_PAUSED), ==, 0);
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpint(tp_state(dom, NULL), ==, VIR_DOMAIN_PAUSED);
    /* START_FORCE_BOOT discards the image and boots fresh */
    g_assert_cmpint(virDomainManagedSave(dom, VIR_DOMAIN_SAVE_PAUSED), ==, 0);
    g_assert_cmpint(virDomainCreateWithFlags(dom, VIR_DOMAIN_START_FORCE_BOOT), ==, 0);
    g_assert_cmpint(virDomainHasManagedSaveImage(dom, 0), ==, 0);
    g_assert_cmpint(tp_state(dom, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_BOOTED);
    /* ManagedSaveRemove */
    g_assert_cmpint(virDomainManagedSave(dom, 0), ==, 0);
    g_assert_cmpint(virDomainManagedSaveRemove(dom, 0), ==, 0);
    g_assert_cmpint(virDomainHasManagedSaveImage(dom, 0), ==, 0);
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpint(virDomainManagedSave(dom, 0), ==, 0);
    g_assert_cmpint(virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE), ==, 0);
    g_assert_null(virDomainLookupByName(conn, "ms"));
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
test_autodestroy(void)
{
    virConnectPtr keeper = tp_open_default();
    virConnectPtr conn = tp_open_default();
    virDomainPtr dom = tp_define(conn, "ad", NULL);
    virDomainPtr seen;
    g_autofree char *img = g_build_filename(tp_tmpdir(), "ad.img", NULL);

    g_assert_cmpint(virDomainCreateWithFlags(dom, VIR_DOMAIN_START_AUTODESTROY), ==, 0);
    /* can be paused */
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    /* save and managed save are refused */
    g_assert_cmpint(virDomainSave(dom, img), ==, -1);
    tp_assert_error(VIR_ERR_OPERATION_INVALID, "auto destroy");
    g_assert_cmpint(virDomainManagedSave(dom, 0), ==, -1);
    tp_assert_error(VIR_ERR_OPERATION_INVALID, "auto destroy");
    g_assert_false(g_file_test(img, G_FILE_TEST_EXISTS));
    virDomainFree(dom);
    /* it dies with the connection that started it */
    seen = virDomainLookupByName(keeper, "ad");
    g_assert_cmpint(virDomainIsActive(seen), ==, 1);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
    g_assert_cmpint(virDomainIsActive(seen), ==, 0);
    g_assert_cmpint(tp_state(seen, NULL), ==, VIR_DOMAIN_SHUTOFF);
    /* a transient autodestroy domain disappears */
    {
        virConnectPtr c2 = tp_open_default();
        g_autofree char *xml = tp_domain_xml("ad-tr", NULL);
        virDomainPtr t = virDomainCreateXML(c2, xml, VIR_DOMAIN_START_AUTODESTROY);
        virDomainPtr t2;
        g_assert_nonnull(t);
        virDomainFree(t);
        t2 = virDomainLookupByName(keeper, "ad-tr");
        g_assert_nonnull(t2);
        virDomainFree(t2);
        virConnectClose(c2);
        g_assert_null(virDomainLookupByName(keeper, "ad-tr"));
        tp_assert_error(VIR_ERR_NO_DOMAIN, NULL);
    }
    g_assert_cmpint(virDomainUndefine(seen), ==, 0);
    virDomainFree(seen);
    virConnectClose(keeper);
}

static void
test_autostart(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom = tp_define(conn, "as", NULL);
    int a = -1;

    g_assert_cmpint(virDomainGetAutostart(dom, &a), ==, 0);
    g_assert_cmpint(a, ==, 0);
    g_assert_cmpint(virDomainSetAutostart(dom, 1), ==, 0);
    g_assert_cmpint(virDomainGetAutostart(dom, &a), ==, 0);
    g_assert_cmpint(a, ==, 1);
    g_assert_cmpint(virDomainSetAutostart(dom, 0), ==, 0);
    g_assert_cmpint(virDomainGetAutostart(dom, &a), ==, 0);
    g_assert_cmpint(a, ==, 0);
    virDomainFree(dom);
    virConnectClose(conn);
}

static int
count_all(virConnectPtr conn, unsigned int flags, const char *must_have)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, flags);
    bool found = must_have == NULL;

    g_assert_cmpint(n, >=, 0);
    g_assert_null(doms[n]);
    for (int i = 0; i < n; i++) {
        if (must_have && strcmp(virDomainGetName(doms[i]), must_have) == 0)
            found = true;
        virDomainFree(doms[i]);
    }
    free(doms);
    g_assert_true(found);
    g_assert_cmpint(virConnectListAllDomains(conn, NULL, flags), ==, n);
    return n;
}

static void
test_list(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    /* test: running persistent; run: running transient; pau: paused;
     * off: shut off with autostart; sav: shut off with a managed save image */
    g_autofree char *xml = tp_domain_xml("run", NULL);
    virDomainPtr run = virDomainCreateXML(conn, xml, 0);
    virDomainPtr pau = tp_define(conn, "pau", NULL);
    virDomainPtr off = tp_define(conn, "off", NULL);
    virDomainPtr sav = tp_define(conn, "sav", NULL);
    int ids[10];
    char *names[10];
    int n;

    g_assert_nonnull(run);
    g_assert_cmpint(virDomainCreateWithFlags(pau, VIR_DOMAIN_START_PAUSED), ==, 0);
    g_assert_cmpint(virDomainSetAutostart(off, 1), ==, 0);
    g_assert_cmpint(virDomainCreate(sav), ==, 0);
    g_assert_cmpint(virDomainManagedSave(sav, 0), ==, 0);

    g_assert_cmpint(count_all(conn, 0, "test"), ==, 5);
    g_assert_cmpint(count_all(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE, "pau"), ==, 3);
    g_assert_cmpint(count_all(conn, VIR_CONNECT_LIST_DOMAINS_INACTIVE, "off"), ==, 2);
    g_assert_cmpint(count_all(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE |
                                    VIR_CONNECT_LIST_DOMAINS_INACTIVE, NULL), ==, 5);
    g_assert_cmpint(count_all(conn, VIR_CONNECT_LIST_DOMAINS_PERSISTENT, "sav"), ==, 4);
    g_assert_cmpint(count_all(conn, VIR_CONNECT_LIST_DOMAINS_TRANSIENT, "run"), ==, 1);
    g_assert_cmpint(count_all(conn, VIR_CONNECT_LIST_DOMAINS_RUNNING, "run"), ==, 2);
    g_assert_cmpint(count_all(conn, VIR_CONNECT_LIST_DOMAINS_PAUSED, "pau"), ==, 1);
    g_assert_cmpint(count_all(conn, VIR_CONNECT_LIST_DOMAINS_SHUTOFF, "off"), ==, 2);
    g_assert_cmpint(count_all(conn, VIR_CONNECT_LIST_DOMAINS_OTHER, NULL), ==, 0);
    g_assert_cmpint(count_all(conn, VIR_CONNECT_LIST_DOMAINS_PAUSED |
                                    VIR_CONNECT_LIST_DOMAINS_SHUTOFF, NULL), ==, 3);
    g_assert_cmpint(count_all(conn, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, "sav"), ==, 1);
    g_assert_cmpint(count_all(conn, VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE, NULL), ==, 4);
    g_assert_cmpint(count_all(conn, VIR_CONNECT_LIST_DOMAINS_AUTOSTART, "off"), ==, 1);
    g_assert_cmpint(count_all(conn, VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART, NULL), ==, 4);
    g_assert_cmpint(count_all(conn, VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT, NULL), ==, 0);
    g_assert_cmpint(count_all(conn, VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT, NULL), ==, 5);
    g_assert_cmpint(count_all(conn, VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT, NULL), ==, 0);
    g_assert_cmpint(count_all(conn, VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT, NULL), ==, 5);
    g_assert_cmpint(count_all(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE |
                                    VIR_CONNECT_LIST_DOMAINS_PERSISTENT, "test"), ==, 2);
    g_assert_cmpint(virConnectListAllDomains(conn, NULL, 1U << 20), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "unsupported flags");

    /* the old calls */
    g_assert_cmpint(virConnectNumOfDomains(conn), ==, 3);
    g_assert_cmpint(virConnectNumOfDefinedDomains(conn), ==, 2);
    n = virConnectListDomains(conn, ids, 10);
    g_assert_cmpint(n, ==, 3);
    g_assert_cmpint(ids[0], ==, 1);
    n = virConnectListDomains(conn, ids, 1);
    g_assert_cmpint(n, ==, 1);
    n = virConnectListDefinedDomains(conn, names, 10);
    g_assert_cmpint(n, ==, 2);
    g_assert_cmpstr(names[0], ==, "off");
    g_assert_cmpstr(names[1], ==, "sav");
    for (int i = 0; i < n; i++)
        free(names[i]);

    virDomainFree(run);
    virDomainFree(pau);
    virDomainFree(off);
    virDomainFree(sav);
    virConnectClose(conn);
}

static void
test_memory_vcpus(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom = tp_define(conn, "mv", NULL);
    virDomainInfo info;

    /* inactive: only the config changes */
    g_assert_cmpint(virDomainSetMemory(dom, 1024), ==, -1);
    tp_assert_error(VIR_ERR_OPERATION_INVALID, "domain is not running");
    g_assert_cmpint(virDomainSetMaxMemory(dom, 2097152), ==, 0);
    g_assert_cmpuint(virDomainGetMaxMemory(dom), ==, 2097152);
    g_assert_cmpint(virDomainSetVcpusFlags(dom, 8, VIR_DOMAIN_AFFECT_CONFIG |
                                                   VIR_DOMAIN_VCPU_MAXIMUM), ==, 0);
    g_assert_cmpint(virDomainSetVcpusFlags(dom, 3, VIR_DOMAIN_AFFECT_CONFIG), ==, 0);
    g_assert_cmpint(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_CONFIG |
                                                VIR_DOMAIN_VCPU_MAXIMUM), ==, 8);
    g_assert_cmpint(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_CONFIG), ==, 3);
    g_assert_cmpint(virDomainSetVcpus(dom, 2), ==, -1);
    tp_assert_error(VIR_ERR_OPERATION_INVALID, "domain is not running");

    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpint(virDomainSetMemory(dom, 262144), ==, 0);
    g_assert_cmpint(virDomainGetInfo(dom, &info), ==, 0);
    g_assert_cmpuint(info.memory, ==, 262144);
    g_assert_cmpuint(info.maxMem, ==, 2097152);
    g_assert_cmpuint(info.nrVirtCpu, ==, 3);
    g_assert_cmpint(virDomainSetMemory(dom, 99999999), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "cannot set memory higher than max memory");
    g_assert_cmpint(virDomainSetMaxMemory(dom, 4194304), ==, -1);
    tp_assert_error(VIR_ERR_OPERATION_INVALID,
                    "cannot resize the maximum memory on an active domain");
    g_assert_cmpint(virDomainSetMemoryFlags(dom, 131072, VIR_DOMAIN_AFFECT_CONFIG), ==, 0);
    g_assert_cmpint(virDomainSetVcpus(dom, 5), ==, 0);
    g_assert_cmpint(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_LIVE), ==, 5);
    g_assert_cmpint(virDomainGetMaxVcpus(dom), ==, 8);
    g_assert_cmpint(virDomainSetVcpus(dom, 9), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "9 > 8");
    g_assert_cmpint(virDomainSetVcpus(dom, 100), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG,
                    "requested cpu amount exceeds maximum supported amount (100 > 32)");
    g_assert_cmpint(virDomainSetVcpusFlags(dom, 6, VIR_DOMAIN_AFFECT_LIVE |
                                                   VIR_DOMAIN_VCPU_MAXIMUM), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, NULL);
    /* the config waits for the next boot */
    g_assert_cmpint(virDomainGetVcpusFlags(dom, VIR_DOMAIN_AFFECT_CONFIG), ==, 3);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint(virDomainGetInfo(dom, &info), ==, 0);
    g_assert_cmpuint(info.memory, ==, 131072);
    g_assert_cmpuint(info.nrVirtCpu, ==, 3);
    virDomainFree(dom);
    virConnectClose(conn);
}

/* The flag forms: what an in-memory guest can honour, and libvirt's
 * wording for flags it does not know. */
static void
test_flag_forms(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    int reason;

    g_assert_cmpint(virDomainDestroyFlags(dom, VIR_DOMAIN_DESTROY_GRACEFUL), ==, 0);
    g_assert_cmpint(tp_state(dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_DESTROYED);
    g_assert_cmpint(virDomainCreateWithFlags(dom, 0), ==, 0);
    g_assert_cmpint(virDomainReboot(dom, VIR_DOMAIN_REBOOT_ACPI_POWER_BTN), ==, 0);
    g_assert_cmpint(virDomainReset(dom, 1), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "unsupported flags (0x1) in function testDomainReset");
    g_assert_cmpint(virDomainShutdownFlags(dom, VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN), ==, 0);
    g_assert_cmpint(tp_state(dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    g_assert_cmpint(virDomainDestroyFlags(dom, 1U << 20), ==, -1);
    tp_assert_error(VIR_ERR_INVALID_ARG, "unsupported flags (0x100000) in function "
                    "testDomainDestroyFlags");
    virDomainFree(dom);
    virConnectClose(conn);
}

/* Other refusals where stock libvirt and we both refuse: the same code
 * and, when virsh is installed, the same message as stock virsh prints
 * for the same call on its own test:///default. */
typedef struct {
    const char *name;
    const char *virsh;       /* the same call through stock virsh */
    int code;
    const char *message;
} Refusal;

static const Refusal refusals[] = {
    { "setmem-inactive", "destroy test; setmem test 1024", VIR_ERR_OPERATION_INVALID,
      "Requested operation is not valid: domain is not running" },
    { "setmem-over-max", "setmem test 99999999", VIR_ERR_INVALID_ARG,
      "invalid argument: cannot set memory higher than max memory" },
    { "setmaxmem-active", "setmaxmem test 1024", VIR_ERR_OPERATION_INVALID,
      "Requested operation is not valid: cannot resize the maximum memory on an active domain" },
    { "blockstats-unknown", "domblkstat test xx", VIR_ERR_INVALID_ARG,
      "invalid argument: invalid path: xx" },
    { "blockinfo-unknown", "domblkinfo test xx", VIR_ERR_INVALID_ARG,
      "invalid argument: invalid path xx not assigned to domain" },
    { "restore-active", NULL, VIR_ERR_OPERATION_INVALID,
      "Requested operation is not valid: domain 'test' is already active" },
};

static int
run_refusal(virConnectPtr conn, virDomainPtr dom, const char *name)
{
    if (strcmp(name, "setmem-inactive") == 0) {
        g_assert_cmpint(virDomainDestroy(dom), ==, 0);
        return virDomainSetMemory(dom, 1024);
    }
    if (strcmp(name, "setmem-over-max") == 0)
        return virDomainSetMemory(dom, 99999999);
    if (strcmp(name, "setmaxmem-active") == 0)
        return virDomainSetMaxMemory(dom, 1024);
    if (strcmp(name, "blockstats-unknown") == 0) {
        virDomainBlockStatsStruct st;
        return virDomainBlockStats(dom, "xx", &st, sizeof(st));
    }
    if (strcmp(name, "blockinfo-unknown") == 0) {
        virDomainBlockInfo info;
        return virDomainGetBlockInfo(dom, "xx", &info, 0);
    }
    if (strcmp(name, "restore-active") == 0) {
        g_autofree char *img = g_build_filename(tp_tmpdir(), "ra.img", NULL);
        g_assert_cmpint(virDomainSave(dom, img), ==, 0);
        g_assert_cmpint(virDomainRestore(conn, img), ==, 0);
        return virDomainRestore(conn, img);
    }
    g_assert_not_reached();
}

static void
test_refusal(gconstpointer data)
{
    const Refusal *r = data;
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom = virDomainLookupByName(conn, "test");

    g_assert_cmpint(run_refusal(conn, dom, r->name), ==, -1);
    tp_assert_error(r->code, NULL);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, r->message);
    if (r->virsh) {
        g_autofree char *stock = tp_virsh_last_error(r->virsh);
        if (stock)
            g_assert_cmpstr(stock, ==, r->message);
        else
            g_test_message("%s: no stock virsh answer; compared with the table only", r->name);
    }
    virDomainFree(dom);
    virConnectClose(conn);
}

/* Shutdown and reboot do what <on_poweroff> and <on_reboot> say. */
static void
test_lifecycle_actions(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom = virDomainDefineXML(conn,
        "<domain type='test'><name>act</name><memory>1048576</memory><os><type>hvm</type></os>"
        "<on_poweroff>restart</on_poweroff><on_reboot>preserve</on_reboot></domain>");
    int reason;

    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpint(virDomainShutdown(dom), ==, 0);
    g_assert_cmpint(tp_state(dom, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(virDomainReboot(dom, 0), ==, 0);
    g_assert_cmpint(tp_state(dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    /* reset restarts whatever <on_reboot> says */
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpint(virDomainReset(dom, 0), ==, 0);
    g_assert_cmpint(tp_state(dom, NULL), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    virDomainFree(dom);
    virConnectClose(conn);
}

/* The handle a start or stop is made on follows the id, as libvirt's does:
 * -1 after a destroy or shutdown, the new id after a start. */
static void
test_handle_id(void)
{
    virConnectPtr conn = tp_open_fresh(NULL);
    virDomainPtr dom = tp_define(conn, "idfollow", NULL);

    g_assert_nonnull(dom);
    g_assert_cmpuint(virDomainGetID(dom), ==, (unsigned int)-1);
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpuint(virDomainGetID(dom), !=, (unsigned int)-1);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpuint(virDomainGetID(dom), ==, (unsigned int)-1);
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpint(virDomainShutdown(dom), ==, 0);
    g_assert_cmpuint(virDomainGetID(dom), ==, (unsigned int)-1);
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    virDomainFree(dom);
    virConnectClose(conn);
}

int
main(int argc, char **argv)
{
    static Case cases[OP_LAST * ST_LAST];

    tp_init(&argc, &argv);
    for (int op = 0; op < OP_LAST; op++) {
        for (int st = 0; st < ST_LAST; st++) {
            Case *c = &cases[op * ST_LAST + st];
            g_autofree char *path = g_strdup_printf("/test-plugin/lifecycle/transition/%s/from-%s",
                                                    op_names[op], state_names[st]);
            c->op = op;
            c->st = st;
            g_test_add_data_func(path, c, test_transition);
        }
    }
    g_test_add_func("/test-plugin/lifecycle/suspend-resume", test_suspend_resume);
    g_test_add_func("/test-plugin/lifecycle/handle-id", test_handle_id);
    g_test_add_func("/test-plugin/lifecycle/define-undefine", test_define_undefine);
    g_test_add_func("/test-plugin/lifecycle/create-xml", test_create_xml);
    g_test_add_func("/test-plugin/lifecycle/start-paused", test_start_paused);
    g_test_add_func("/test-plugin/lifecycle/save-restore", test_save_restore);
    g_test_add_func("/test-plugin/lifecycle/managed-save", test_managed_save);
    g_test_add_func("/test-plugin/lifecycle/autodestroy", test_autodestroy);
    g_test_add_func("/test-plugin/lifecycle/autostart", test_autostart);
    g_test_add_func("/test-plugin/lifecycle/list", test_list);
    g_test_add_func("/test-plugin/lifecycle/memory-vcpus", test_memory_vcpus);
    g_test_add_func("/test-plugin/lifecycle/flag-forms", test_flag_forms);
    g_test_add_func("/test-plugin/lifecycle/lifecycle-actions", test_lifecycle_actions);
    for (guint i = 0; i < G_N_ELEMENTS(refusals); i++) {
        g_autofree char *path = g_strdup_printf("/test-plugin/lifecycle/refusal/%s",
                                                refusals[i].name);
        g_test_add_data_func(path, &refusals[i], test_refusal);
    }
    return g_test_run();
}
