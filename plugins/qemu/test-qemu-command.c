/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The QEMU command-line builder, checked without QEMU. */
#include "qemu-command.h"

#include <virtkit/virtkit.h>

#define MINIMAL \
    "<domain type='qemu'><name>g1</name>" \
    "<uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>" \
    "<memory unit='MiB'>128</memory><vcpu current='1'>2</vcpu>" \
    "<os><type arch='x86_64' machine='pc'>hvm</type></os>%s</domain>"

static virtkitDomainDef *
parse(const char *devices)
{
    g_autofree char *xml = g_strdup_printf(MINIMAL, devices);
    g_autoptr(GError) err = NULL;
    virtkitDomainDef *def = virtkitDomainDefParseString(xml, NULL, 0, &err);
    g_assert_no_error(err);
    return def;
}

/* The value that follows @opt in @argv (the first occurrence). */
static const char *
arg_after(GStrv argv, const char *opt)
{
    for (guint i = 0; argv[i]; i++)
        if (g_str_equal(argv[i], opt))
            return argv[i + 1];
    return NULL;
}

static void
test_minimal(void)
{
    g_autoptr(virtkitDomainDef) def = parse("");
    qemuCommandOptions opts = { .monitor_path = "/run/x/monitor.sock" };
    g_autoptr(GError) err = NULL;
    g_auto(GStrv) argv = qemuBuildCommandLine(def, &opts, &err);

    g_assert_no_error(err);
    g_assert_cmpstr(argv[0], ==, "qemu-system-x86_64");
    g_assert_cmpstr(arg_after(argv, "-name"), ==, "guest=g1");
    g_assert_cmpstr(arg_after(argv, "-uuid"), ==, "c7a5fdbd-edaf-9455-926a-d65c16db1809");
    g_assert_cmpstr(arg_after(argv, "-machine"), ==, "pc");
    g_assert_cmpstr(arg_after(argv, "-accel"), ==, "tcg");
    g_assert_cmpstr(arg_after(argv, "-cpu"), ==, "max");
    g_assert_cmpstr(arg_after(argv, "-m"), ==, "size=131072k");
    g_assert_cmpstr(arg_after(argv, "-smp"), ==, "1,maxcpus=2");
    g_assert_true(g_strv_contains((const char *const *) argv, "-S"));
    g_assert_true(g_strv_contains((const char *const *) argv, "-nodefaults"));
    g_assert_cmpstr(arg_after(argv, "-chardev"), ==,
                    "socket,id=charmonitor,path=/run/x/monitor.sock,server=on,wait=off");
}

static void
test_kvm(void)
{
    g_autoptr(virtkitDomainDef) def = parse("");
    qemuCommandOptions opts = { .monitor_path = "/m", .kvm = TRUE };
    g_auto(GStrv) argv = qemuBuildCommandLine(def, &opts, NULL);

    g_assert_nonnull(argv);
    g_assert_cmpstr(arg_after(argv, "-accel"), ==, "kvm");
}

static void
test_refuse_no_monitor(void)
{
    g_autoptr(virtkitDomainDef) def = parse("");
    qemuCommandOptions opts = { 0 };
    g_autoptr(GError) err = NULL;
    g_auto(GStrv) argv = qemuBuildCommandLine(def, &opts, &err);

    g_assert_null(argv);
    g_assert_error(err, VIRTKIT_CONF_ERROR, VIR_ERR_INVALID_ARG);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qemu/command/minimal", test_minimal);
    g_test_add_func("/qemu/command/kvm", test_kvm);
    g_test_add_func("/qemu/command/refuse/no-monitor", test_refuse_no_monitor);
    return g_test_run();
}
