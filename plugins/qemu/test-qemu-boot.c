/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The command line of each device class, run for real: qemu-system-x86_64
 * (TCG) started with what qemuBuildCommandLine gives, asked over QMP what
 * it has (status, devices by id, block nodes, chardevs, VNC, memory, vCPUs,
 * balloon), then told to quit.  Needs no guest OS.  Every case is skipped,
 * saying so, when QEMU or qemu-img is not installed.
 */
#include "qemu-command.h"

#include <virtkit/virtkit.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>
#include <json-glib/json-glib.h>
#include <string.h>

typedef struct {
    const char *name;
    const char *machine;
    const char *top;          /* after </os> */
    const char *devices;      /* @DIR@ is the case's directory */
    const char *ids[10];      /* devices that must be in /machine/peripheral */
    const char *blocks[4];    /* "qdev node-name ro(0|1) file-suffix": query-block entries */
    const char *chardevs[5];  /* labels query-chardev must list */
    const char *vnc;          /* query-vnc "family" (ipv4, unix) or NULL */
    guint vcpus;
    gboolean balloon;
    gboolean cont;            /* also run the guest (SeaBIOS) and see it running */
} bootCase;

static const bootCase cases[] = {
    { "disks-pc", "pc", "",
      "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
      "<source file='@DIR@/a.qcow2'/><target dev='vda' bus='virtio'/></disk>"
      "<disk type='file' device='disk'><driver name='qemu' type='raw' cache='none'/>"
      "<source file='@DIR@/b.raw'/><target dev='hda' bus='ide'/></disk>"
      "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>"
      "<controller type='scsi' index='0' model='virtio-scsi'/>"
      "<disk type='file' device='disk'><source file='@DIR@/c.raw'/>"
      "<target dev='sda' bus='scsi'/><readonly/></disk>",
      { "virtio-disk0", "ide0-0-0", "ide0-1-0", "scsi0", "scsi0-0-0-0" },
      { "virtio-disk0 libvirt-1-format 0 a.qcow2", "ide0-0-0 libvirt-2-format 0 b.raw",
        "scsi0-0-0-0 libvirt-4-format 1 c.raw" },
      { "charmonitor" }, NULL, 1, FALSE, TRUE },
    { "disks-q35-usb-input", "q35", "",
      "<disk type='file' device='disk'><source file='@DIR@/b.raw'/>"
      "<target dev='sda' bus='sata'/></disk>"
      "<disk type='file' device='cdrom'><source file='@DIR@/c.raw'/>"
      "<target dev='sdb' bus='sata'/></disk>"
      "<controller type='usb' index='0' model='qemu-xhci'/>"
      "<input type='tablet' bus='usb'/><input type='keyboard' bus='virtio'/>",
      { "sata0-0-0", "sata0-0-1", "usb", "input0", "input1" },
      { "sata0-0-0 libvirt-1-format 0 b.raw", "sata0-0-1 libvirt-2-format 1 c.raw" },
      { "charmonitor" }, NULL, 1, FALSE, TRUE },
    { "network-user", "pc", "",
      "<interface type='user'><mac address='52:54:00:aa:bb:01'/><model type='virtio'/>"
      "</interface><interface type='user'><mac address='52:54:00:aa:bb:02'/>"
      "<model type='e1000'/></interface><interface type='user'/>",
      { "net0", "net1", "net2" }, { NULL }, { "charmonitor" }, NULL, 1, FALSE, FALSE },
    { "vnc-unix-virtio-video", "pc", "",
      "<graphics type='vnc'><listen type='socket' socket='@DIR@/v.sock'/></graphics>"
      "<video><model type='virtio'/></video>",
      { "video0" }, { NULL }, { "charmonitor" }, "unix", 1, FALSE, FALSE },
    { "vnc-loopback-cirrus", "pc", "",
      "<graphics type='vnc' listen='127.0.0.1'/><video><model type='cirrus'/></video>",
      { "video0" }, { NULL }, { "charmonitor" }, "ipv4", 1, FALSE, FALSE },
    { "chardevs", "pc", "",
      "<serial type='pty'><target port='0'/></serial>"
      "<serial type='unix'><source mode='bind' path='@DIR@/s1.sock'/><target port='1'/></serial>"
      "<console type='pty'><target type='serial' port='0'/></console>"
      "<channel type='unix'><source mode='bind' path='@DIR@/ga.sock'/>"
      "<target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
      "<console type='pty'><target type='virtio' port='1'/></console>",
      { "serial0", "serial1", "virtio-serial0", "channel0", "console0" }, { NULL },
      { "charserial0", "charserial1", "charchannel0", "charconsole0" }, NULL, 1, FALSE, TRUE },
    { "cpu-memory-balloon", "q35",
      "<features><acpi/><apic/></features><cpu mode='host-model'>"
      "<topology sockets='1' dies='1' cores='2' threads='1'/></cpu>"
      "<clock offset='localtime'><timer name='rtc' tickpolicy='catchup'/></clock>",
      "<memballoon model='virtio'><stats period='5'/></memballoon>",
      { "balloon0" }, { NULL }, { "charmonitor" }, NULL, 2, TRUE, TRUE },
};

typedef struct {
    GSubprocess *proc;
    GSocketConnection *conn;
    GDataInputStream *in;
    GOutputStream *out;
} qmpPeer;

static const char *
qemu_binary(void)
{
    const char *b = g_getenv("VIRTKIT_QEMU_BINARY");
    return b && *b ? b : NULL;
}

/* The next reply (not an event), its "return" member; NULL on "error". */
static JsonNode *
qmp_read(qmpPeer *p, GError **error)
{
    for (;;) {
        g_autofree char *line = g_data_input_stream_read_line_utf8(p->in, NULL, NULL, error);
        g_autoptr(JsonParser) parser = json_parser_new();
        JsonObject *o;
        if (!line) {
            if (error && !*error)
                g_set_error(error, G_IO_ERROR, G_IO_ERROR_CLOSED, "QMP closed");
            return NULL;
        }
        if (!json_parser_load_from_data(parser, line, -1, error))
            return NULL;
        o = json_node_get_object(json_parser_get_root(parser));
        if (json_object_has_member(o, "event") || json_object_has_member(o, "QMP"))
            continue;
        if (json_object_has_member(o, "error")) {
            g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "QMP error: %s", line);
            return NULL;
        }
        return json_node_copy(json_object_get_member(o, "return"));
    }
}

static JsonNode *
qmp(qmpPeer *p, const char *cmd)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *line = g_strdup_printf("%s\n", cmd);
    JsonNode *ret;
    g_assert_true(g_output_stream_write_all(p->out, line, strlen(line), NULL, NULL, &err));
    g_assert_no_error(err);
    ret = qmp_read(p, &err);
    g_assert_no_error(err);
    return ret;
}

/* The QEMU process's output, for messages when it dies. */
static char *
proc_output(GSubprocess *proc)
{
    GInputStream *s = g_subprocess_get_stdout_pipe(proc);
    char buf[4096];
    gssize n = s ? g_input_stream_read(s, buf, sizeof(buf) - 1, NULL, NULL) : -1;
    return g_strndup(buf, n > 0 ? n : 0);
}

static void
qemu_start(qmpPeer *p, GStrv argv, const char *monitor)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GSocketClient) client = g_socket_client_new();
    g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(monitor);
    gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
    JsonNode *r;

    p->proc = g_subprocess_newv((const char *const *) argv,
                                G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE |
                                G_SUBPROCESS_FLAGS_STDIN_PIPE, &err);
    g_assert_no_error(err);
    /* QEMU creates the socket once the command line is accepted */
    while (!(p->conn = g_socket_client_connect(client, G_SOCKET_CONNECTABLE(addr), NULL, NULL))) {
        if (g_subprocess_get_identifier(p->proc) == NULL ||
            g_get_monotonic_time() > deadline) {
            g_autofree char *out = NULL;
            g_autofree char *cmd = g_strjoinv(" ", argv);
            g_subprocess_wait(p->proc, NULL, NULL);
            out = proc_output(p->proc);
            g_error("QEMU did not open its monitor: %s\n%s", cmd, out);
        }
        g_usleep(10 * 1000);
    }
    p->in = g_data_input_stream_new(g_io_stream_get_input_stream(G_IO_STREAM(p->conn)));
    p->out = g_io_stream_get_output_stream(G_IO_STREAM(p->conn));
    r = qmp(p, "{\"execute\":\"qmp_capabilities\"}");
    json_node_unref(r);
}

static void
qemu_quit(qmpPeer *p)
{
    g_autoptr(GError) err = NULL;
    JsonNode *r = qmp(p, "{\"execute\":\"quit\"}");
    json_node_unref(r);
    g_assert_true(g_subprocess_wait(p->proc, NULL, &err));
    g_assert_no_error(err);
    g_assert_true(g_subprocess_get_if_exited(p->proc));
    g_clear_object(&p->in);
    g_clear_object(&p->conn);
    g_clear_object(&p->proc);
}

static void
make_image(const char *dir, const char *name, const char *format)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    const char *argv[] = { "qemu-img", "create", "-q", "-f", format, path, "16M", NULL };
    g_autoptr(GError) err = NULL;
    g_autoptr(GSubprocess) p = g_subprocess_newv(argv, G_SUBPROCESS_FLAGS_NONE, &err);
    g_assert_no_error(err);
    g_assert_true(g_subprocess_wait_check(p, NULL, &err));
    g_assert_no_error(err);
}

static gboolean
array_has(JsonArray *a, const char *member, const char *value)
{
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *o = json_array_get_object_element(a, i);
        if (g_strcmp0(json_object_get_string_member_with_default(o, member, NULL), value) == 0)
            return TRUE;
    }
    return FALSE;
}

static void
check_block(JsonArray *blocks, const char *spec)
{
    g_auto(GStrv) f = g_strsplit(spec, " ", 4);
    for (guint i = 0; i < json_array_get_length(blocks); i++) {
        JsonObject *b = json_array_get_object_element(blocks, i);
        JsonObject *ins;
        const char *qdev = json_object_get_string_member_with_default(b, "qdev", "");
        g_autofree char *virtio = g_strdup_printf("/machine/peripheral/%s/virtio-backend", f[0]);
        /* virtio-blk answers with its backend's QOM path, the others with the id */
        if (!g_str_equal(qdev, f[0]) && !g_str_equal(qdev, virtio))
            continue;
        g_assert_true(json_object_has_member(b, "inserted"));
        ins = json_object_get_object_member(b, "inserted");
        g_assert_cmpstr(json_object_get_string_member(ins, "node-name"), ==, f[1]);
        g_assert_cmpint(json_object_get_boolean_member(ins, "ro"), ==, f[2][0] == '1');
        g_assert_true(g_str_has_suffix(json_object_get_string_member(ins, "file"), f[3]));
        return;
    }
    g_test_fail_printf("query-block has no device '%s'", f[0]);
}

static void
test_boot(gconstpointer data)
{
    const bootCase *tc = data;
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = NULL, *monitor = NULL, *devices = NULL, *xml = NULL;
    g_autoptr(virtkitDomainDef) def = NULL;
    g_auto(GStrv) argv = NULL;
    g_auto(GStrv) parts = NULL;
    qmpPeer p = { 0 };
    qemuCommandOptions opts = { 0 };
    JsonNode *r;

    g_autofree char *qemu_img = g_find_program_in_path("qemu-img");

    if (!qemu_binary() || !qemu_img) {
        g_test_skip("qemu-system-x86_64 or qemu-img is not installed");
        return;
    }
    dir = g_dir_make_tmp("virtkit-qemu-boot-XXXXXX", &err);
    g_assert_no_error(err);
    make_image(dir, "a.qcow2", "qcow2");
    make_image(dir, "b.raw", "raw");
    make_image(dir, "c.raw", "raw");
    parts = g_strsplit(tc->devices, "@DIR@", -1);
    devices = g_strjoinv(dir, parts);
    xml = g_strdup_printf("<domain type='qemu'><name>boot-%s</name><memory unit='MiB'>128"
                          "</memory><vcpu>%u</vcpu><os><type arch='x86_64' machine='%s'>hvm"
                          "</type></os>%s<devices>%s</devices></domain>",
                          tc->name, tc->vcpus, tc->machine, tc->top, devices);
    def = virtkitDomainDefParseString(xml, NULL, 0, &err);
    g_assert_no_error(err);
    monitor = g_build_filename(dir, "monitor.sock", NULL);
    opts.binary = qemu_binary();
    opts.monitor_path = monitor;
    opts.socket_dir = dir;
    argv = qemuBuildCommandLine(def, &opts, &err);
    g_assert_no_error(err);

    qemu_start(&p, argv, monitor);

    r = qmp(&p, "{\"execute\":\"query-status\"}");
    g_assert_cmpstr(json_object_get_string_member(json_node_get_object(r), "status"), ==,
                    "prelaunch");
    json_node_unref(r);

    r = qmp(&p, "{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"/machine/peripheral\"}}");
    for (guint i = 0; i < G_N_ELEMENTS(tc->ids) && tc->ids[i]; i++)
        if (!array_has(json_node_get_array(r), "name", tc->ids[i]))
            g_test_fail_printf("QEMU has no device '%s'", tc->ids[i]);
    json_node_unref(r);

    r = qmp(&p, "{\"execute\":\"query-block\"}");
    for (guint i = 0; i < G_N_ELEMENTS(tc->blocks) && tc->blocks[i]; i++)
        check_block(json_node_get_array(r), tc->blocks[i]);
    json_node_unref(r);

    r = qmp(&p, "{\"execute\":\"query-chardev\"}");
    for (guint i = 0; i < G_N_ELEMENTS(tc->chardevs) && tc->chardevs[i]; i++)
        if (!array_has(json_node_get_array(r), "label", tc->chardevs[i]))
            g_test_fail_printf("QEMU has no chardev '%s'", tc->chardevs[i]);
    json_node_unref(r);

    if (tc->vnc) {
        JsonObject *o;
        r = qmp(&p, "{\"execute\":\"query-vnc\"}");
        o = json_node_get_object(r);
        g_assert_true(json_object_get_boolean_member(o, "enabled"));
        g_assert_cmpstr(json_object_get_string_member(o, "family"), ==, tc->vnc);
        if (g_str_equal(tc->vnc, "ipv4"))
            g_assert_cmpstr(json_object_get_string_member(o, "host"), ==, "127.0.0.1");
        json_node_unref(r);
    }

    r = qmp(&p, "{\"execute\":\"query-memory-size-summary\"}");
    g_assert_cmpint(json_object_get_int_member(json_node_get_object(r), "base-memory"), ==,
                    128 * 1024 * 1024);
    json_node_unref(r);

    r = qmp(&p, "{\"execute\":\"query-cpus-fast\"}");
    g_assert_cmpuint(json_array_get_length(json_node_get_array(r)), ==, tc->vcpus);
    json_node_unref(r);

    if (tc->balloon) {
        r = qmp(&p, "{\"execute\":\"query-balloon\"}");
        g_assert_cmpint(json_object_get_int_member(json_node_get_object(r), "actual"), ==,
                        128 * 1024 * 1024);
        json_node_unref(r);
    }

    if (tc->cont) {
        r = qmp(&p, "{\"execute\":\"cont\"}");
        json_node_unref(r);
        r = qmp(&p, "{\"execute\":\"query-status\"}");
        g_assert_cmpstr(json_object_get_string_member(json_node_get_object(r), "status"), ==,
                        "running");
        json_node_unref(r);
    }

    qemu_quit(&p);
    {
        g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
        const char *n;
        while (d && (n = g_dir_read_name(d))) {
            g_autofree char *f = g_build_filename(dir, n, NULL);
            g_unlink(f);
        }
        g_rmdir(dir);
    }
}

/* QEMU itself refuses what the builder must never write: an option QEMU
 * does not know would fail here even for the smallest guest. */
static void
test_minimal_accepted(void)
{
    const bootCase minimal = { "minimal", "pc", "", "", { NULL }, { NULL }, { "charmonitor" },
                               NULL, 1, FALSE, TRUE };
    test_boot(&minimal);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qemu/boot/minimal", test_minimal_accepted);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("/qemu/boot/%s", cases[i].name);
        g_test_add_data_func(path, &cases[i], test_boot);
    }
    return g_test_run();
}
