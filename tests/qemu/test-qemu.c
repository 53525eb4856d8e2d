/*
 * test-qemu.c: the qemu plugin through libvirt's public API (libvirtkit)
 * and vksh, against a real qemu-system-x86_64 under TCG: small guests
 * (64 MiB, no OS: SeaBIOS runs), each on its own embed root.
 *
 * Cases that need QEMU skip, saying so, when it is not installed.  Every
 * QEMU a case starts is found by the pid in its status file and killed by
 * that pid at the end if still there; nothing else is touched.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static char *tmpdir;
static GArray *started_pids;     /* every QEMU pid a case saw: killed at exit */

static GMutex ev_lock;
static GCond ev_cond;
static GString *ev_seen;         /* "vm:L4.0 vm:L2.0 ..." in delivery order */

static void
quiet(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

static bool
have_qemu(void)
{
    g_autofree char *p = g_find_program_in_path("qemu-system-x86_64");
    return p != NULL;
}

#define NEED_QEMU() \
    do { \
        if (!have_qemu()) { \
            g_test_skip("qemu-system-x86_64 is not installed (scripts/deps.sh installs " \
                        "qemu-system-x86)"); \
            return; \
        } \
    } while (0)

/* A fresh embed root for one case. */
static char *
new_root(const char *name)
{
    char *root = g_build_filename(tmpdir, name, NULL);
    g_mkdir_with_parents(root, 0700);
    return root;
}

static char *
root_uri(const char *root)
{
    return g_strdup_printf("qemu:///embed?root=%s", root);
}

static virConnectPtr
open_root(const char *root)
{
    g_autofree char *uri = root_uri(root);
    virConnectPtr c = virConnectOpen(uri);

    if (!c)
        g_error("cannot open %s: %s", uri, virGetLastErrorMessage());
    return c;
}

static char *
dom_xml(const char *name, const char *machine)
{
    return g_strdup_printf("<domain type='qemu'>"
                           "<name>%s</name>"
                           "<memory unit='MiB'>64</memory>"
                           "<vcpu>1</vcpu>"
                           "<os><type arch='x86_64' machine='%s'>hvm</type></os>"
                           "</domain>", name, machine ? machine : "pc");
}

/* The pid the plugin recorded in the live status of @name under @root. */
static int
status_pid(const char *root, const char *name)
{
    g_autofree char *file = g_strconcat(name, ".xml", NULL);
    g_autofree char *path = g_build_filename(root, "run", "qemu", file, NULL);
    g_autofree char *text = NULL;
    const char *p;
    int pid;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return 0;
    if (!(p = strstr(text, " pid='")))
        return 0;
    pid = atoi(p + 6);
    if (pid > 0)
        g_array_append_val(started_pids, pid);
    return pid;
}

static bool
pid_alive(int pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", pid);
    g_autofree char *text = NULL;
    const char *p;

    if (pid <= 0 || !g_file_get_contents(path, &text, NULL, NULL))
        return false;
    p = strrchr(text, ')');
    return p && p[2] != 'Z' && p[2] != 'X';
}

static bool
wait_pid_gone(int pid, int ms)
{
    for (int i = 0; i < ms / 10; i++) {
        if (!pid_alive(pid))
            return true;
        g_usleep(10000);
    }
    return !pid_alive(pid);
}

static int
dom_state(virDomainPtr dom, int *reason)
{
    int state = -1;

    g_assert_cmpint(virDomainGetState(dom, &state, reason, 0), ==, 0);
    return state;
}

/* ---- events ---------------------------------------------------------- */

static int
on_lifecycle(virConnectPtr c, virDomainPtr d, int event, int detail, void *opaque)
{
    (void)c;
    (void)opaque;
    g_mutex_lock(&ev_lock);
    g_string_append_printf(ev_seen, "%s%s:L%d.%d", ev_seen->len ? " " : "",
                           virDomainGetName(d), event, detail);
    g_cond_broadcast(&ev_cond);
    g_mutex_unlock(&ev_lock);
    return 0;
}

static void
on_reboot(virConnectPtr c, virDomainPtr d, void *opaque)
{
    (void)c;
    (void)opaque;
    g_mutex_lock(&ev_lock);
    g_string_append_printf(ev_seen, "%s%s:R", ev_seen->len ? " " : "", virDomainGetName(d));
    g_cond_broadcast(&ev_cond);
    g_mutex_unlock(&ev_lock);
}

static int
watch(virConnectPtr c)
{
    int id = virConnectDomainEventRegisterAny(c, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                              VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle),
                                              NULL, NULL);
    g_assert_cmpint(id, >=, 0);
    g_assert_cmpint(virConnectDomainEventRegisterAny(c, NULL, VIR_DOMAIN_EVENT_ID_REBOOT,
                                                     VIR_DOMAIN_EVENT_CALLBACK(on_reboot),
                                                     NULL, NULL), >=, 0);
    return id;
}

/* Waits (up to 20 s) until the events seen end with @want; returns them
 * all and forgets them. */
static char *
events_wait(const char *want)
{
    gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
    char *ret;

    g_mutex_lock(&ev_lock);
    while (!g_str_has_suffix(ev_seen->str, want)) {
        if (!g_cond_wait_until(&ev_cond, &ev_lock, deadline))
            break;
    }
    ret = g_strdup(ev_seen->str);
    g_string_truncate(ev_seen, 0);
    g_mutex_unlock(&ev_lock);
    return ret;
}

/* ---- cases without QEMU ------------------------------------------------ */

static void
test_open_errors(void)
{
    virConnectPtr c;

    /* system and session mean the daemon, which does not exist yet */
    c = virConnectOpen("qemu:///system");
    g_assert_null(c);
    g_assert_nonnull(strstr(virGetLastErrorMessage(), "virtkitd"));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_CONNECT);
    c = virConnectOpen("qemu:///session");
    g_assert_null(c);
    g_assert_nonnull(strstr(virGetLastErrorMessage(), "virtkitd"));

    c = virConnectOpen("qemu:///embed");
    g_assert_null(c);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_nonnull(strstr(virGetLastErrorMessage(), "qemu:///embed?root="));

    c = virConnectOpen("qemu:///embed?root=relative/dir");
    g_assert_null(c);
    g_assert_nonnull(strstr(virGetLastErrorMessage(), "absolute"));
}

static void
test_define_list_dumpxml(void)
{
    g_autofree char *root = new_root("define");
    g_autofree char *xml = dom_xml("d1", NULL);
    g_autofree char *cfg = g_build_filename(root, "etc", "qemu", "d1.xml", NULL);
    virConnectPtr c = open_root(root);
    virDomainPtr dom, *doms = NULL;
    char *out;
    int n;

    watch(c);
    g_assert_null(virDomainDefineXML(c, "<domain type='test'><name>t</name>"
                                        "<memory>65536</memory><os><type>hvm</type></os></domain>"));
    g_assert_nonnull(strstr(virGetLastErrorMessage(), "'qemu' and 'kvm'"));

    dom = virDomainDefineXMLFlags(c, xml, VIR_DOMAIN_DEFINE_VALIDATE);
    g_assert_nonnull(dom);
    g_assert_true(g_file_test(cfg, G_FILE_TEST_IS_REGULAR));
    g_autofree char *ev = events_wait("d1:L0.0");
    g_assert_cmpstr(ev, ==, "d1:L0.0");        /* DEFINED ADDED */

    n = virConnectListAllDomains(c, &doms, VIR_CONNECT_LIST_DOMAINS_INACTIVE |
                                           VIR_CONNECT_LIST_DOMAINS_PERSISTENT);
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpstr(virDomainGetName(doms[0]), ==, "d1");
    virDomainFree(doms[0]);
    free(doms);
    g_assert_cmpint(virConnectListAllDomains(c, NULL, VIR_CONNECT_LIST_DOMAINS_ACTIVE), ==, 0);
    g_assert_cmpint(dom_state(dom, NULL), ==, VIR_DOMAIN_SHUTOFF);

    out = virDomainGetXMLDesc(dom, 0);
    g_assert_nonnull(strstr(out, "<name>d1</name>"));
    g_assert_nonnull(strstr(out, "<memory unit='KiB'>65536</memory>"));
    free(out);
    virDomainFree(dom);
    virConnectClose(c);

    /* a new open reads the configuration back */
    c = open_root(root);
    dom = virDomainLookupByName(c, "d1");
    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 1);
    g_assert_cmpint(virDomainUndefine(dom), ==, 0);
    g_assert_false(g_file_test(cfg, G_FILE_TEST_EXISTS));
    virDomainFree(dom);
    g_assert_null(virDomainLookupByName(c, "d1"));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_DOMAIN);
    virConnectClose(c);
}

/* ---- cases with QEMU ---------------------------------------------------- */

static void
test_lifecycle(void)
{
    NEED_QEMU();
    g_autofree char *root = new_root("life");
    g_autofree char *xml = dom_xml("vm", NULL);
    virConnectPtr c = open_root(root);
    virDomainPtr dom;
    char *ev;
    int reason = -1, pid;

    watch(c);
    dom = virDomainDefineXML(c, xml);
    g_assert_nonnull(dom);
    g_free(events_wait("vm:L0.0"));

    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpuint(virDomainGetID(dom), >, 0);
    g_assert_cmpint(dom_state(dom, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_BOOTED);
    /* libvirt's qemu driver: RESUMED UNPAUSED (the 'cont'), then STARTED BOOTED */
    ev = events_wait("vm:L2.0");
    g_assert_cmpstr(ev, ==, "vm:L4.0 vm:L2.0");
    g_free(ev);
    pid = status_pid(root, "vm");
    g_assert_true(pid_alive(pid));
    g_assert_cmpint(virConnectListAllDomains(c, NULL, VIR_CONNECT_LIST_DOMAINS_RUNNING), ==, 1);

    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    g_assert_cmpint(dom_state(dom, &reason), ==, VIR_DOMAIN_PAUSED);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_PAUSED_USER);
    ev = events_wait("vm:L3.0");
    g_assert_cmpstr(ev, ==, "vm:L3.0");        /* SUSPENDED PAUSED, once */
    g_free(ev);
    g_assert_cmpint(virConnectListAllDomains(c, NULL, VIR_CONNECT_LIST_DOMAINS_PAUSED), ==, 1);

    g_assert_cmpint(virDomainResume(dom), ==, 0);
    g_assert_cmpint(dom_state(dom, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_UNPAUSED);
    ev = events_wait("vm:L4.0");
    g_assert_cmpstr(ev, ==, "vm:L4.0");        /* RESUMED UNPAUSED, once */
    g_free(ev);

    g_assert_cmpint(virDomainReset(dom, 0), ==, 0);
    ev = events_wait("vm:R");
    g_assert_cmpstr(ev, ==, "vm:R");           /* QMP RESET -> the REBOOT event */
    g_free(ev);

    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint(dom_state(dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_DESTROYED);
    g_assert_cmpuint(virDomainGetID(dom), ==, (unsigned int)-1);
    ev = events_wait("vm:L5.1");
    g_assert_cmpstr(ev, ==, "vm:L5.1");        /* STOPPED DESTROYED */
    g_free(ev);
    g_assert_true(wait_pid_gone(pid, 5000));
    g_assert_cmpint(status_pid(root, "vm"), ==, 0);

    g_assert_cmpint(virDomainDestroy(dom), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_OPERATION_INVALID);

    /* START_PAUSED: STARTED BOOTED then SUSPENDED PAUSED, state paused (user) */
    g_assert_cmpint(virDomainCreateWithFlags(dom, VIR_DOMAIN_START_PAUSED), ==, 0);
    g_assert_cmpint(dom_state(dom, &reason), ==, VIR_DOMAIN_PAUSED);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_PAUSED_USER);
    ev = events_wait("vm:L3.0");
    g_assert_cmpstr(ev, ==, "vm:L2.0 vm:L3.0");
    g_free(ev);
    status_pid(root, "vm");
    g_assert_cmpint(virDomainDestroyFlags(dom, VIR_DOMAIN_DESTROY_GRACEFUL), ==, 0);
    g_free(events_wait("vm:L5.1"));

    virDomainFree(dom);
    virConnectClose(c);
}

static void
test_crash(void)
{
    NEED_QEMU();
    g_autofree char *root = new_root("crash");
    g_autofree char *xml = dom_xml("cr", NULL);
    virConnectPtr c = open_root(root);
    virDomainPtr dom;
    char *ev;
    int reason = -1, pid, state = -1;

    watch(c);
    dom = virDomainCreateXML(c, xml, 0);    /* transient */
    g_assert_nonnull(dom);
    g_free(events_wait("cr:L2.0"));
    pid = status_pid(root, "cr");
    g_assert_true(pid_alive(pid));

    g_assert_cmpint(kill(pid, SIGKILL), ==, 0);
    ev = events_wait("cr:L5.5");
    g_assert_cmpstr(ev, ==, "cr:L5.5");        /* STOPPED FAILED */
    g_free(ev);
    /* a transient domain is gone with its QEMU */
    g_assert_cmpint(virDomainGetState(dom, &state, &reason, 0), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_DOMAIN);
    virDomainFree(dom);

    /* persistent: shut off, reason crashed */
    dom = virDomainDefineXML(c, xml);
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    pid = status_pid(root, "cr");
    g_free(events_wait("cr:L2.0"));
    g_assert_cmpint(kill(pid, SIGKILL), ==, 0);
    g_free(events_wait("cr:L5.5"));
    g_assert_cmpint(dom_state(dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_CRASHED);
    g_assert_cmpint(status_pid(root, "cr"), ==, 0);
    virDomainFree(dom);
    virConnectClose(c);
}

static void
test_reconnect(void)
{
    NEED_QEMU();
    g_autofree char *root = new_root("reconn");
    g_autofree char *xml = dom_xml("rc", NULL);
    g_autofree char *uri = root_uri(root);
    g_autofree char *xmlpath = g_build_filename(root, "rc-def.xml", NULL);
    virConnectPtr c = open_root(root);
    virDomainPtr dom;
    int reason = -1, pid, pid2;

    dom = virDomainDefineXML(c, xml);
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    pid = status_pid(root, "rc");
    virDomainFree(dom);
    virConnectClose(c);
    /* closing the last connection leaves the guest running */
    g_assert_true(pid_alive(pid));

    c = open_root(root);
    dom = virDomainLookupByName(c, "rc");
    g_assert_nonnull(dom);
    g_assert_cmpint(dom_state(dom, &reason), ==, VIR_DOMAIN_PAUSED);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_PAUSED_USER);
    g_assert_cmpint(status_pid(root, "rc"), ==, pid);
    /* the monitor works again */
    g_assert_cmpint(virDomainResume(dom), ==, 0);
    g_assert_cmpint(dom_state(dom, NULL), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_true(wait_pid_gone(pid, 5000));
    virDomainFree(dom);
    virConnectClose(c);

    /* another process (vksh) starts it and exits; this one reconnects */
    {
        g_autofree char *vksh = g_build_filename(g_getenv("VIRTKIT_BUILD_ROOT"), "tools", "vksh",
                                                 "vksh", NULL);

        if (!g_file_test(vksh, G_FILE_TEST_IS_EXECUTABLE)) {
            g_test_skip("vksh is not built (-Dvksh=disabled): no reconnect from another process");
            return;
        }
        g_autofree char *out = NULL, *err = NULL;
        const char *argv[] = { vksh, "-c", uri, "start", "rc", NULL };
        int status = -1;

        g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   &out, &err, &status, NULL));
        g_assert_cmpstr(err, ==, "");
        g_assert_nonnull(strstr(out, "Domain 'rc' started"));
        pid2 = status_pid(root, "rc");
        g_assert_true(pid_alive(pid2));
    }
    c = open_root(root);
    dom = virDomainLookupByName(c, "rc");
    g_assert_cmpint(dom_state(dom, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_BOOTED);
    g_assert_cmpint(status_pid(root, "rc"), ==, pid2);
    g_assert_true(pid_alive(pid2));
    /* the reconnected monitor still sees the guest die */
    watch(c);
    g_assert_cmpint(kill(pid2, SIGKILL), ==, 0);
    g_free(events_wait("rc:L5.5"));
    g_assert_cmpint(dom_state(dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_SHUTOFF_CRASHED);
    virDomainFree(dom);
    virConnectClose(c);
    (void)xmlpath;
}

static void
test_start_fails(void)
{
    NEED_QEMU();
    g_autofree char *root = new_root("fails");
    g_autofree char *xml = dom_xml("bad", "no-such-machine");
    virConnectPtr c = open_root(root);
    virDomainPtr dom = virDomainDefineXML(c, xml);
    int reason = -1;

    g_assert_nonnull(dom);
    /* refused by the command-line builder, its error forwarded */
    g_assert_cmpint(virDomainCreate(dom), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_CONFIG_UNSUPPORTED);
    g_assert_nonnull(strstr(virGetLastErrorMessage(), "no-such-machine"));
    g_assert_cmpint(dom_state(dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    virDomainFree(dom);

    /* refused by QEMU itself: a disk whose file is missing */
    dom = virDomainDefineXML(c, "<domain type='qemu'><name>bad2</name>"
                                "<memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                                "<os><type arch='x86_64' machine='pc'>hvm</type></os>"
                                "<devices><disk type='file' device='disk'>"
                                "<driver name='qemu' type='raw'/>"
                                "<source file='/nonexistent/vkq-missing.img'/>"
                                "<target dev='vda' bus='virtio'/></disk></devices></domain>");
    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainCreate(dom), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INTERNAL_ERROR);
    /* QEMU's own words, from its log */
    g_assert_nonnull(strstr(virGetLastErrorMessage(), "vm='bad2'"));
    g_assert_nonnull(strstr(virGetLastErrorMessage(), "/nonexistent/vkq-missing.img"));
    g_assert_nonnull(strstr(virGetLastErrorMessage(), "No such file or directory"));
    g_assert_cmpint(dom_state(dom, &reason), ==, VIR_DOMAIN_SHUTOFF);
    g_assert_cmpint(status_pid(root, "bad2"), ==, 0);
    virDomainFree(dom);
    virConnectClose(c);
}

static void
test_autodestroy(void)
{
    NEED_QEMU();
    g_autofree char *root = new_root("autod");
    g_autofree char *xml = dom_xml("ad", NULL);
    virConnectPtr c = open_root(root);
    virConnectPtr other = open_root(root);
    virDomainPtr dom;
    int pid;

    watch(other);
    dom = virDomainCreateXML(c, xml, VIR_DOMAIN_START_AUTODESTROY);
    g_assert_nonnull(dom);
    pid = status_pid(root, "ad");
    g_assert_true(pid_alive(pid));
    g_free(events_wait("ad:L2.0"));
    virDomainFree(dom);
    virConnectClose(c);
    /* gone with the connection that started it; the other one hears it */
    g_free(events_wait("ad:L5.1"));
    g_assert_true(wait_pid_gone(pid, 5000));
    g_assert_null(virDomainLookupByName(other, "ad"));
    virConnectClose(other);
}

static void
test_vksh(void)
{
    NEED_QEMU();
    g_autofree char *root = new_root("vksh");
    g_autofree char *uri = root_uri(root);
    g_autofree char *xml = dom_xml("vk", NULL);
    g_autofree char *xmlpath = g_build_filename(root, "vk.xml", NULL);
    g_autofree char *vksh = g_build_filename(g_getenv("VIRTKIT_BUILD_ROOT"), "tools", "vksh",
                                             "vksh", NULL);
    g_autofree char *script = g_strdup_printf("define %s; start vk; domstate --reason vk; "
                                              "suspend vk; domstate --reason vk; resume vk; "
                                              "list --all; dominfo vk; destroy vk; domstate --reason vk; "
                                              "undefine vk", xmlpath);
    g_autofree char *out = NULL, *err = NULL;
    const char *argv[] = { vksh, "-c", uri, script, NULL };
    int status = -1;

    if (!g_file_test(vksh, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("vksh is not built (-Dvksh=disabled)");
        return;
    }
    g_assert_true(g_file_set_contents(xmlpath, xml, -1, NULL));
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, NULL));
    g_assert_cmpstr(err, ==, "");
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    g_assert_nonnull(strstr(out, "running (booted)"));
    g_assert_nonnull(strstr(out, "paused (user)"));
    g_assert_nonnull(strstr(out, " 1    vk     running"));
    g_assert_nonnull(strstr(out, "shut off (destroyed)"));
    g_assert_nonnull(strstr(out, "Managed save:   no"));
    g_assert_nonnull(strstr(out, "Domain 'vk' has been undefined"));
}

int
main(int argc, char **argv)
{
    g_autoptr(GError) err = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    virSetErrorFunc(NULL, quiet);
    /* unix socket paths are short: keep the roots short too */
    tmpdir = g_dir_make_tmp("vkq-XXXXXX", &err);
    g_assert_no_error(err);
    started_pids = g_array_new(FALSE, FALSE, sizeof(int));
    ev_seen = g_string_new(NULL);

    g_test_add_func("/qemu/open/errors", test_open_errors);
    g_test_add_func("/qemu/define/list-dumpxml-undefine", test_define_list_dumpxml);
    g_test_add_func("/qemu/lifecycle/start-suspend-resume-reset-destroy", test_lifecycle);
    g_test_add_func("/qemu/lifecycle/kill-9-is-crashed", test_crash);
    g_test_add_func("/qemu/lifecycle/reconnect", test_reconnect);
    g_test_add_func("/qemu/lifecycle/start-error-quotes-qemu", test_start_fails);
    g_test_add_func("/qemu/lifecycle/autodestroy", test_autodestroy);
    g_test_add_func("/qemu/vksh/lifecycle", test_vksh);
    ret = g_test_run();

    /* only the QEMUs these cases started, by pid */
    for (guint i = 0; i < started_pids->len; i++) {
        int pid = g_array_index(started_pids, int, i);
        if (pid_alive(pid))
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
