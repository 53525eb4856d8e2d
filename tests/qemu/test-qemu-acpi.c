/*
 * test-qemu-acpi.c: virDomainShutdown and virDomainReboot reaching a real
 * guest through ACPI, on qemu:///embed and, in the same run, on Debian's
 * libvirt 9.0 qemu:///embed: events, states and reasons compared.
 *
 * The guest is Debian's kernel with a busybox initramfs whose /init says
 * "virtkit-guest: up" on the serial console, waits for the power button
 * and powers off (scripts/acpi-guest.sh builds it, without installing
 * anything, into /var/cache/virtkit/acpi-guest or $VIRTKIT_ACPI_GUEST).
 * It boots in 10-30 s under TCG here.  Skips, saying so, without QEMU, the
 * guest or (for the comparison) python3-libvirt and libvirt's qemu driver.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

/* a boot under TCG on a loaded 2-CPU machine */
#define BOOT_WAIT_S 240

static char *tmpdir;
static char *guest_dir;
static GArray *pids;

static GMutex ev_lock;
static GCond ev_cond;
static GString *ev_seen;

static void
quiet(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

static bool
need_guest(void)
{
    g_autofree char *qemu = g_find_program_in_path("qemu-system-x86_64");
    g_autofree char *k = g_build_filename(guest_dir, "vmlinuz", NULL);
    g_autofree char *i = g_build_filename(guest_dir, "initrd.cpio", NULL);

    if (!qemu) {
        g_test_skip("qemu-system-x86_64 is not installed");
        return false;
    }
    if (!g_file_test(k, G_FILE_TEST_IS_REGULAR) || !g_file_test(i, G_FILE_TEST_IS_REGULAR)) {
        g_test_skip("no ACPI test guest: run scripts/acpi-guest.sh (scripts/deps.sh does)");
        return false;
    }
    return true;
}

static char *
guest_xml(const char *console)
{
    return g_strdup_printf(
        "<domain type='qemu'><name>acpi</name><memory unit='MiB'>256</memory><vcpu>1</vcpu>"
        "<os><type arch='x86_64' machine='pc'>hvm</type>"
        "<kernel>%s/vmlinuz</kernel><initrd>%s/initrd.cpio</initrd>"
        "<cmdline>console=ttyS0 rdinit=/init quiet panic=-1</cmdline></os>"
        "<features><acpi/></features>"
        "<devices><serial type='file'><source path='%s'/><target port='0'/></serial></devices>"
        "</domain>", guest_dir, guest_dir, console);
}

/* Waits until the console has said "up" @n times. */
static bool
wait_up(const char *console, guint n)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)BOOT_WAIT_S * G_USEC_PER_SEC;

    while (g_get_monotonic_time() < deadline) {
        g_autofree char *text = NULL;
        guint seen = 0;

        if (g_file_get_contents(console, &text, NULL, NULL)) {
            for (const char *p = text; (p = strstr(p, "virtkit-guest: up")); p++)
                seen++;
        }
        if (seen >= n)
            return true;
        g_usleep(100000);
    }
    return false;
}

static int
on_lifecycle(virConnectPtr c, virDomainPtr d, int event, int detail, void *opaque)
{
    (void)c;
    (void)d;
    (void)opaque;
    g_mutex_lock(&ev_lock);
    g_string_append_printf(ev_seen, "%sL%d.%d", ev_seen->len ? " " : "", event, detail);
    g_cond_broadcast(&ev_cond);
    g_mutex_unlock(&ev_lock);
    return 0;
}

static void
on_reboot(virConnectPtr c, virDomainPtr d, void *opaque)
{
    (void)c;
    (void)d;
    (void)opaque;
    g_mutex_lock(&ev_lock);
    g_string_append_printf(ev_seen, "%sR", ev_seen->len ? " " : "");
    g_cond_broadcast(&ev_cond);
    g_mutex_unlock(&ev_lock);
}

/* The events seen so far once @want ends them (or 30 s passed, or, with
 * @want NULL, after a quiet half second), forgotten after. */
static char *
events_take(const char *want)
{
    gint64 deadline = g_get_monotonic_time() + (want ? 30 : 0.5) * G_USEC_PER_SEC;
    char *ret;

    g_mutex_lock(&ev_lock);
    while (!want || !g_str_has_suffix(ev_seen->str, want)) {
        if (!g_cond_wait_until(&ev_cond, &ev_lock, deadline))
            break;
    }
    ret = g_strdup(ev_seen->str);
    g_string_truncate(ev_seen, 0);
    g_mutex_unlock(&ev_lock);
    return ret;
}

static int
status_pid(const char *root)
{
    g_autofree char *path = g_build_filename(root, "run", "qemu", "acpi.xml", NULL);
    g_autofree char *text = NULL;
    const char *p;
    int pid;

    if (!g_file_get_contents(path, &text, NULL, NULL) || !(p = strstr(text, " pid='")))
        return 0;
    pid = atoi(p + 6);
    if (pid > 0)
        g_array_append_val(pids, pid);
    return pid;
}

static bool
pid_gone(int pid, int ms)
{
    for (int i = 0; i <= ms / 20; i++) {
        g_autofree char *path = g_strdup_printf("/proc/%d/stat", pid);
        g_autofree char *text = NULL;
        const char *p;

        if (!g_file_get_contents(path, &text, NULL, NULL) || !(p = strrchr(text, ')')) ||
            p[2] == 'Z' || p[2] == 'X')
            return true;
        g_usleep(20000);
    }
    return false;
}

/* ---- Debian's libvirt, the same steps, in the background ------------------ */

static const char libvirt_script[] =
    "import json, os, sys, threading, time\n"
    "import libvirt\n"
    "libvirt.registerErrorHandler(lambda *a: None, None)\n"
    "libvirt.virEventRegisterDefaultImpl()\n"
    "root, xml = sys.argv[1], open(sys.argv[2]).read()\n"
    "console = os.path.join(root, 'console.log')\n"
    "c = libvirt.open('qemu:///embed?root=' + root)\n"
    "evs, lock = [], threading.Lock()\n"
    "def lc(conn, dom, ev, det, op):\n"
    "    with lock: evs.append('L%d.%d' % (ev, det))\n"
    "def rb(conn, dom, op):\n"
    "    with lock: evs.append('R')\n"
    "c.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, lc, None)\n"
    "c.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_REBOOT, rb, None)\n"
    "def loop():\n"
    "    while True: libvirt.virEventRunDefaultImpl()\n"
    "threading.Thread(target=loop, daemon=True).start()\n"
    "def up(n):\n"
    "    end = time.time() + 240\n"
    "    while time.time() < end:\n"
    "        try:\n"
    "            if open(console).read().count('virtkit-guest: up') >= n: return True\n"
    "        except OSError: pass\n"
    "        time.sleep(0.1)\n"
    "    return False\n"
    "def take():\n"
    "    time.sleep(0.5)\n"
    "    with lock:\n"
    "        r = ' '.join(evs); evs.clear(); return r\n"
    "out = {}\n"
    "d = c.defineXML(xml); take()\n"
    "d.create(); out['start'] = take()\n"
    "out['up'] = up(1)\n"
    "d.reboot(0); out['reboot-returned'] = list(d.state())\n"
    "out['up2'] = up(2)\n"
    "out['reboot'] = take(); out['rebooted'] = list(d.state())\n"
    "d.shutdown(); out['shutdown-returned'] = list(d.state())\n"
    "end = time.time() + 60\n"
    "while d.state()[0] != libvirt.VIR_DOMAIN_SHUTOFF and time.time() < end: time.sleep(0.05)\n"
    "out['shutdown'] = take(); out['shut'] = list(d.state())\n"
    "out['reboot-inactive'] = None\n"
    "try: d.reboot(0)\n"
    "except libvirt.libvirtError as e: out['reboot-inactive'] = [e.get_error_code(), "
    "e.get_error_message()]\n"
    "d.undefine()\n"
    "print(json.dumps(out))\n";

typedef struct {
    GSubprocess *proc;
    char *root;
} LibvirtRun;

/* Starts the script against Debian's libvirt, or returns FALSE saying why
 * not in *@why. */
static gboolean
libvirt_start(LibvirtRun *run, char **why)
{
    const char *python = "/usr/bin/python3";
    g_autofree char *script = NULL, *xmlpath = NULL, *xml = NULL, *console = NULL;
    g_autofree char *uri = NULL, *home = NULL;
    g_autoptr(GError) err = NULL;
    int status = -1;

    if (!g_file_test(python, G_FILE_TEST_IS_EXECUTABLE) ||
        !g_file_test("/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so",
                     G_FILE_TEST_EXISTS)) {
        *why = g_strdup("Debian's libvirt qemu driver or /usr/bin/python3 is missing");
        return FALSE;
    }
    {
        const char *argv[] = { python, "-c", "import libvirt", NULL };
        if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                          G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL) ||
            !g_spawn_check_wait_status(status, NULL)) {
            *why = g_strdup("python3-libvirt is not installed");
            return FALSE;
        }
    }
    if (geteuid() == 0) {
        g_autofree char *setpriv = g_find_program_in_path("setpriv");
        if (!setpriv) {
            *why = g_strdup("setpriv (util-linux) is needed to run libvirt as 'nobody'");
            return FALSE;
        }
    }
    /* outside our 0700 temp dir: 'nobody' must reach it */
    run->root = g_dir_make_tmp("vkqa-libvirt-XXXXXX", &err);
    g_assert_no_error(err);
    script = g_build_filename(run->root, "acpi.py", NULL);
    xmlpath = g_build_filename(run->root, "acpi.xml", NULL);
    console = g_build_filename(run->root, "console.log", NULL);
    xml = guest_xml(console);
    g_assert_true(g_file_set_contents(script, libvirt_script, -1, NULL));
    g_assert_true(g_file_set_contents(xmlpath, xml, -1, NULL));
    g_assert_cmpint(g_chmod(script, 0644), ==, 0);
    g_assert_cmpint(g_chmod(xmlpath, 0644), ==, 0);
    if (geteuid() == 0)
        g_assert_cmpint(chown(run->root, 65534, 65534), ==, 0);
    uri = g_strdup(run->root);
    home = g_strdup_printf("HOME=%s", run->root);
    if (geteuid() == 0) {
        g_autofree char *setpriv = g_find_program_in_path("setpriv");
        run->proc = g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                     &err, setpriv, "--reuid=65534", "--regid=65534",
                                     "--clear-groups", "env", home, python, script, uri, xmlpath,
                                     NULL);
    } else {
        run->proc = g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                     &err, "env", home, python, script, uri, xmlpath, NULL);
    }
    g_assert_no_error(err);
    return TRUE;
}

/* libvirt's answers, once the script is done (bounded by its own waits). */
static JsonObject *
libvirt_finish(LibvirtRun *run, JsonParser *parser)
{
    g_autofree char *out = NULL, *err = NULL;
    g_autoptr(GError) gerr = NULL;

    g_assert_true(g_subprocess_communicate_utf8(run->proc, NULL, NULL, &out, &err, &gerr));
    g_assert_no_error(gerr);
    if (!g_subprocess_get_successful(run->proc))
        g_error("Debian's libvirt failed the ACPI steps:\n%s", err);
    g_assert_true(json_parser_load_from_data(parser, out, -1, NULL));
    g_clear_object(&run->proc);
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", run->root);
        if (system(cmd) != 0) {
            /* a leftover temp dir is no test failure */
        }
    }
    g_free(run->root);
    return json_node_get_object(json_parser_get_root(parser));
}

static char *
state_str(virDomainPtr dom)
{
    int state = -1, reason = -1;

    g_assert_cmpint(virDomainGetState(dom, &state, &reason, 0), ==, 0);
    return g_strdup_printf("%d.%d", state, reason);
}

static char *
json_state_str(JsonObject *o, const char *member)
{
    JsonArray *a = json_object_get_array_member(o, member);

    return g_strdup_printf("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT,
                           json_array_get_int_element(a, 0), json_array_get_int_element(a, 1));
}

static void
test_acpi_reboot_shutdown(void)
{
    g_autofree char *root = NULL, *console = NULL, *xml = NULL, *why = NULL;
    g_autofree char *ev_start = NULL, *ev_reboot = NULL, *ev_shutdown = NULL;
    g_autofree char *st_reboot_ret = NULL, *st_rebooted = NULL, *st_shut = NULL;
    g_autoptr(JsonParser) parser = json_parser_new();
    LibvirtRun lv = { 0 };
    gboolean compare;
    virConnectPtr c;
    virDomainPtr dom;
    int pid, pid2;

    if (!need_guest())
        return;
    compare = libvirt_start(&lv, &why);

    root = g_build_filename(tmpdir, "acpi", NULL);
    console = g_build_filename(root, "console.log", NULL);
    g_mkdir_with_parents(root, 0700);
    xml = guest_xml(console);
    {
        g_autofree char *uri = g_strdup_printf("qemu:///embed?root=%s", root);
        c = virConnectOpen(uri);
        g_assert_nonnull(c);
    }
    g_assert_cmpint(virConnectDomainEventRegisterAny(c, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                     VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle),
                                                     NULL, NULL), >=, 0);
    g_assert_cmpint(virConnectDomainEventRegisterAny(c, NULL, VIR_DOMAIN_EVENT_ID_REBOOT,
                                                     VIR_DOMAIN_EVENT_CALLBACK(on_reboot),
                                                     NULL, NULL), >=, 0);
    g_assert_nonnull(dom = virDomainDefineXML(c, xml));
    g_free(events_take("L0.0"));

    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    ev_start = events_take("L2.0");
    pid = status_pid(root);
    g_assert_cmpint(pid, >, 0);
    if (!wait_up(console, 1))
        g_error("the guest did not come up in %d s", BOOT_WAIT_S);

    /* reboot: the guest powers off on the button, QEMU is reset and goes on;
     * no lifecycle event, the REBOOT events of QEMU's resets, same QEMU */
    g_assert_cmpint(virDomainReboot(dom, 0), ==, 0);
    st_reboot_ret = state_str(dom);
    if (!wait_up(console, 2))
        g_error("the guest did not come up again after virDomainReboot in %d s", BOOT_WAIT_S);
    ev_reboot = events_take(NULL);
    st_rebooted = state_str(dom);
    g_assert_cmpstr(st_rebooted, ==, "1.1");            /* running, booted */
    g_assert_true(g_str_has_prefix(ev_reboot, "R"));
    g_assert_null(strstr(ev_reboot, "L"));
    g_assert_cmpint(status_pid(root), ==, pid);
    g_assert_false(pid_gone(pid, 0));

    /* shutdown: SHUTDOWN (guest), then STOPPED (shutdown) once QEMU ended */
    g_assert_cmpint(virDomainShutdown(dom), ==, 0);
    ev_shutdown = events_take("L5.0");
    g_assert_cmpstr(ev_shutdown, ==, "L6.1 L5.0");
    st_shut = state_str(dom);
    g_assert_cmpstr(st_shut, ==, "5.1");                /* shut off, shutdown */
    g_assert_true(pid_gone(pid, 10000));
    g_assert_cmpint(status_pid(root), ==, 0);
    {
        g_autofree char *text = NULL;
        g_assert_true(g_file_get_contents(console, &text, NULL, NULL));
        g_assert_nonnull(strstr(text, "power button pressed, powering off"));
    }
    g_assert_cmpint(virDomainReboot(dom, 0), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_INVALID);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "Requested operation is not valid: "
                    "domain is not running");
    g_assert_cmpint(virDomainReboot(dom, VIR_DOMAIN_REBOOT_GUEST_AGENT), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);

    /* a second start after the shutdown boots again (a fresh QEMU) */
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpint(pid2 = status_pid(root), >, 0);
    g_assert_cmpint(pid2, !=, pid);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_true(pid_gone(pid2, 10000));
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    virDomainFree(dom);
    virConnectClose(c);

    if (!compare) {
        g_test_message("not compared with Debian's libvirt: %s", why);
        return;
    }
    {
        JsonObject *o = libvirt_finish(&lv, parser);
        g_autofree char *lv_reboot_ret = json_state_str(o, "reboot-returned");
        g_autofree char *lv_rebooted = json_state_str(o, "rebooted");
        g_autofree char *lv_shut = json_state_str(o, "shut");
        JsonArray *inactive = json_object_get_array_member(o, "reboot-inactive");

        g_assert_true(json_object_get_boolean_member(o, "up"));
        g_assert_true(json_object_get_boolean_member(o, "up2"));
        g_assert_cmpstr(ev_start, ==, json_object_get_string_member(o, "start"));
        /* how many resets a reboot makes is the guest's (SeaBIOS may reset
         * once more after the host's): only REBOOT events, on both */
        {
            const char *lvr = json_object_get_string_member(o, "reboot");
            g_assert_true(g_str_has_prefix(lvr, "R"));
            g_assert_null(strstr(lvr, "L"));
        }
        g_assert_cmpstr(ev_shutdown, ==, json_object_get_string_member(o, "shutdown"));
        g_assert_cmpstr(st_reboot_ret, ==, lv_reboot_ret);
        g_assert_cmpstr(st_rebooted, ==, lv_rebooted);
        g_assert_cmpstr(st_shut, ==, lv_shut);
        g_assert_nonnull(inactive);
        g_assert_cmpint(json_array_get_int_element(inactive, 0), ==, VIR_ERR_OPERATION_INVALID);
        g_assert_cmpstr(json_array_get_string_element(inactive, 1), ==,
                        "Requested operation is not valid: domain is not running");
    }
}

int
main(int argc, char **argv)
{
    g_autoptr(GError) err = NULL;
    const char *env = g_getenv("VIRTKIT_ACPI_GUEST");
    int ret;

    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, quiet);
    tmpdir = g_dir_make_tmp("vkqa-XXXXXX", &err);
    g_assert_no_error(err);
    guest_dir = g_strdup(env && *env ? env : "/var/cache/virtkit/acpi-guest");
    pids = g_array_new(FALSE, FALSE, sizeof(int));
    ev_seen = g_string_new(NULL);

    g_test_add_func("/qemu/acpi/reboot-shutdown", test_acpi_reboot_shutdown);
    ret = g_test_run();

    /* only the QEMUs this test started, by pid */
    for (guint i = 0; i < pids->len; i++) {
        int pid = g_array_index(pids, int, i);
        if (!pid_gone(pid, 0))
            kill(pid, SIGKILL);
    }
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
        if (system(cmd) != 0) {
            /* a leftover temp dir is no test failure */
        }
    }
    return ret;
}
