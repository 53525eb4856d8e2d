/*
 * tp-util.c: helpers of the test plugin's tests.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tp-util.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdlib.h>

static char *tmpdir;

static void
tp_silent(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

static void
tp_rm_tmpdir(void)
{
    if (tmpdir) {
        g_autoptr(GDir) dir = g_dir_open(tmpdir, 0, NULL);
        const char *f;
        while (dir && (f = g_dir_read_name(dir))) {
            g_autofree char *p = g_build_filename(tmpdir, f, NULL);
            g_unlink(p);
        }
        g_rmdir(tmpdir);
        g_clear_pointer(&tmpdir, g_free);
    }
}

void
tp_init(int *argc, char ***argv)
{
    g_test_init(argc, argv, NULL);
    virSetErrorFunc(NULL, tp_silent);
    atexit(tp_rm_tmpdir);
}

const char *
tp_tmpdir(void)
{
    if (!tmpdir) {
        g_autoptr(GError) error = NULL;
        tmpdir = g_dir_make_tmp("virtkit-test-plugin-XXXXXX", &error);
        g_assert_no_error(error);
    }
    return tmpdir;
}

const char *
tp_source_root(void)
{
    const char *r = g_getenv("VIRTKIT_SOURCE_ROOT");
    return r ? r : ".";
}

virConnectPtr
tp_open_default(void)
{
    virConnectPtr conn = virConnectOpen("test:///default");
    if (!conn)
        g_test_message("virConnectOpen(test:///default): %s", virGetLastErrorMessage());
    g_assert_nonnull(conn);
    return conn;
}

static const char tp_default_domain[] =
    "<domain type='test'>\n"
    "  <name>test</name>\n"
    "  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>\n"
    "  <memory>8388608</memory>\n"
    "  <currentMemory>2097152</currentMemory>\n"
    "  <vcpu>2</vcpu>\n"
    "  <os><type>hvm</type></os>\n"
    "  <devices>\n"
    "    <disk type='file' device='disk'>\n"
    "      <source file='/guest/diskimage1'/>\n"
    "      <target dev='vda' bus='virtio'/>\n"
    "    </disk>\n"
    "    <interface type='network'>\n"
    "      <mac address='aa:bb:cc:dd:ee:ff'/>\n"
    "      <source network='default'/>\n"
    "    </interface>\n"
    "  </devices>\n"
    "</domain>\n";

virConnectPtr
tp_open_fresh(const char *extra_domains)
{
    static gint counter;
    int n = g_atomic_int_add(&counter, 1);
    g_autofree char *path = g_strdup_printf("%s/node-%d.xml", tp_tmpdir(), n);
    g_autofree char *uri = g_strdup_printf("test://%s", path);
    g_autofree char *xml = g_strdup_printf(
        "<node>\n"
        "  <cpu><mhz>1400</mhz><model>i686</model><nodes>2</nodes><sockets>2</sockets>"
        "<cores>2</cores><threads>2</threads><active>16</active></cpu>\n"
        "  <memory>3145728</memory>\n"
        "%s%s"
        "</node>\n", tp_default_domain, extra_domains ? extra_domains : "");
    g_autoptr(GError) error = NULL;
    virConnectPtr conn;

    g_assert_true(g_file_set_contents(path, xml, -1, &error));
    g_assert_no_error(error);
    conn = virConnectOpen(uri);
    if (!conn)
        g_test_message("virConnectOpen(%s): %s", uri, virGetLastErrorMessage());
    g_assert_nonnull(conn);
    return conn;
}

char *
tp_domain_xml(const char *name, const char *disk_path)
{
    g_autofree char *disk = disk_path ? g_strdup(disk_path)
                                      : g_strdup_printf("/guest/%s.img", name);
    /* a UUID derived from the name, so a second define updates */
    g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_MD5, name, -1);
    return g_strdup_printf(
        "<domain type='test'>\n"
        "  <name>%s</name>\n"
        "  <uuid>%.8s-%.4s-%.4s-%.4s-%.12s</uuid>\n"
        "  <memory unit='KiB'>1048576</memory>\n"
        "  <currentMemory unit='KiB'>524288</currentMemory>\n"
        "  <vcpu current='2'>4</vcpu>\n"
        "  <os><type arch='i686'>hvm</type></os>\n"
        "  <devices>\n"
        "    <disk type='file' device='disk'>\n"
        "      <source file='%s'/>\n"
        "      <target dev='vda' bus='virtio'/>\n"
        "    </disk>\n"
        "    <disk type='file' device='cdrom'>\n"
        "      <source file='/guest/%s.iso'/>\n"
        "      <target dev='hdc' bus='ide'/>\n"
        "      <readonly/>\n"
        "    </disk>\n"
        "    <interface type='network'>\n"
        "      <source network='default'/>\n"
        "    </interface>\n"
        "  </devices>\n"
        "</domain>\n", name, sum, sum + 8, sum + 12, sum + 16, sum + 20, disk, name);
}

virDomainPtr
tp_define(virConnectPtr conn, const char *name, const char *disk_path)
{
    g_autofree char *xml = tp_domain_xml(name, disk_path);
    virDomainPtr dom = virDomainDefineXML(conn, xml);
    if (!dom)
        g_test_message("virDomainDefineXML(%s): %s", name, virGetLastErrorMessage());
    g_assert_nonnull(dom);
    return dom;
}

void
tp_assert_error_at(const char *file, int line, int code, const char *substr)
{
    virErrorPtr err = virGetLastError();

    if (!err || err->code != code || (substr && (!err->message || !strstr(err->message, substr)))) {
        g_autofree char *msg = g_strdup_printf(
            "%s:%d: expected error code %d%s%s%s, got code %d: %s", file, line, code,
            substr ? " with \"" : "", substr ? substr : "", substr ? "\"" : "",
            err ? err->code : 0, err && err->message ? err->message : "(no error)");
        g_assertion_message(G_LOG_DOMAIN, file, line, "tp_assert_error", msg);
    }
}

int
tp_state(virDomainPtr dom, int *reason)
{
    int state = -1, r = -1;
    g_assert_cmpint(virDomainGetState(dom, &state, &r, 0), ==, 0);
    if (reason)
        *reason = r;
    return state;
}

char *
tp_virsh(const char *script)
{
    g_autofree char *virsh = g_find_program_in_path("virsh");
    g_autoptr(GSubprocess) p = NULL;
    g_autoptr(GError) error = NULL;
    char *out = NULL;

    if (!virsh)
        return NULL;
    /* bounded: a stock virsh that hangs must not hang the test */
    p = g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                         &error, "timeout", "20", virsh, "-q", "-c", "test:///default", script,
                         NULL);
    if (!p)
        return NULL;
    if (!g_subprocess_communicate_utf8(p, NULL, NULL, &out, NULL, &error) ||
        !g_subprocess_get_successful(p)) {
        g_free(out);
        return NULL;
    }
    return out;
}

char *
tp_virsh_last_error(const char *script)
{
    g_autofree char *virsh = g_find_program_in_path("virsh");
    g_autoptr(GSubprocess) p = NULL;
    g_autofree char *out = NULL, *err = NULL;
    g_auto(GStrv) lines = NULL;
    char *last = NULL;

    if (!virsh)
        return NULL;
    p = g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, NULL,
                         "timeout", "20", virsh, "-q", "-c", "test:///default", script, NULL);
    if (!p || !g_subprocess_communicate_utf8(p, NULL, NULL, &out, &err, NULL) || !err)
        return NULL;
    /* virsh exits 1 after a failed command; anything else (timeout's 124,
     * a signal) is no answer */
    if (!g_subprocess_get_if_exited(p) || g_subprocess_get_exit_status(p) != 1)
        return NULL;
    lines = g_strsplit(err, "\n", -1);
    for (guint i = 0; lines[i]; i++)
        if (g_str_has_prefix(lines[i], "error: "))
            last = lines[i] + strlen("error: ");
    return last ? g_strdup(last) : NULL;
}
