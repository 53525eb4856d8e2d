/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* conf/'s typed views (virtkit-conf-devices.h): values typed, bad values
 * refused by name, and everything not represented listed as unmodelled. */
#include "virtkit-conf-devices.h"

#include <virtkit/virtkit.h>

#include <string.h>

#define DOMAIN \
    "<domain type='qemu'><name>v1</name><memory unit='MiB'>256</memory>" \
    "<currentMemory unit='MiB'>128</currentMemory><vcpu current='1'>4</vcpu>" \
    "<os><type arch='x86_64' machine='q35'>hvm</type><boot dev='network'/><boot dev='hd'/>" \
    "</os>%s<devices>%s</devices></domain>"

static virtkitDomainDef *
parse(const char *top, const char *devices)
{
    g_autofree char *xml = g_strdup_printf(DOMAIN, top, devices);
    g_autoptr(GError) err = NULL;
    virtkitDomainDef *def = virtkitDomainDefParseString(xml, NULL, 0, &err);
    g_assert_no_error(err);
    return def;
}

static void
test_typed(void)
{
    g_autoptr(virtkitDomainDef) def = parse(
        "<features><acpi/><vmport state='off'/></features>"
        "<cpu mode='custom'><model fallback='forbid'>EPYC</model>"
        "<topology sockets='1' dies='1' cores='4' threads='1'/>"
        "<feature policy='disable' name='svm'/></cpu>"
        "<clock offset='localtime'><timer name='rtc' tickpolicy='catchup'/></clock>",
        "<disk type='block' device='cdrom'><driver name='qemu' type='raw' cache='none'/>"
        "<source dev='/dev/sr0'/><target dev='sdb' bus='sata'/><readonly/><boot order='2'/>"
        "</disk>"
        "<interface type='ethernet'><mac address='52:54:00:00:00:01'/><target dev='t0' "
        "managed='no'/><model type='virtio'/><link state='down'/><mtu size='9000'/></interface>"
        "<graphics type='vnc' port='5901' autoport='no'><listen type='address' "
        "address='127.0.0.1'/></graphics>"
        "<serial type='tcp'><source mode='bind' host='127.0.0.1' service='7000'/>"
        "<protocol type='telnet'/><target port='0'/></serial>"
        "<memballoon model='virtio' autodeflate='on'><stats period='7'/></memballoon>");
    g_autoptr(GError) err = NULL;
    g_autoptr(virtkitDomainView) v = virtkitDomainViewNew(def, &err);
    const virtkitDiskView *d;
    const virtkitInterfaceView *n;
    const virtkitGraphicsView *g;
    const virtkitChardevView *c;

    g_assert_no_error(err);
    g_assert_cmpstr(v->os.machine, ==, "q35");
    g_assert_cmpuint(v->os.boot->len, ==, 2);
    g_assert_cmpint(g_array_index(v->os.boot, virtkitBootDevice, 0), ==, VIRTKIT_BOOT_NETWORK);
    g_assert_cmpint(v->features.acpi, ==, VIRTKIT_TRISTATE_ON);
    g_assert_cmpint(v->features.vmport, ==, VIRTKIT_TRISTATE_OFF);
    g_assert_cmpint(v->features.smm, ==, VIRTKIT_TRISTATE_ABSENT);
    g_assert_cmpint(v->cpu.mode, ==, VIRTKIT_CPU_MODE_CUSTOM);
    g_assert_cmpstr(v->cpu.model, ==, "EPYC");
    g_assert_cmpstr(v->cpu.fallback, ==, "forbid");
    g_assert_cmpuint(v->cpu.cores, ==, 4);
    g_assert_cmpint(g_array_index(v->cpu.features, virtkitCpuFeature, 0).policy, ==,
                    VIRTKIT_CPU_FEATURE_DISABLE);
    g_assert_cmpstr(v->clock.offset, ==, "localtime");
    g_assert_cmpstr(g_array_index(v->clock.timers, virtkitClockTimer, 0).tickpolicy, ==,
                    "catchup");
    g_assert_cmpuint(v->memory.memory_kib, ==, 262144);
    g_assert_cmpuint(v->memory.current_kib, ==, 131072);
    g_assert_cmpuint(v->vcpus.max, ==, 4);
    g_assert_cmpuint(v->vcpus.current, ==, 1);

    g_assert_cmpuint(v->disks->len, ==, 1);
    d = &g_array_index(v->disks, virtkitDiskView, 0);
    g_assert_cmpint(d->type, ==, VIRTKIT_DISK_TYPE_BLOCK);
    g_assert_cmpint(d->device, ==, VIRTKIT_DISK_DEVICE_CDROM);
    g_assert_cmpint(d->bus, ==, VIRTKIT_DISK_BUS_SATA);
    g_assert_cmpstr(d->source, ==, "/dev/sr0");
    g_assert_cmpstr(d->format, ==, "raw");
    g_assert_cmpstr(d->cache, ==, "none");
    g_assert_true(d->readonly);
    g_assert_cmpuint(d->boot_order, ==, 2);
    /* the model gives a SATA disk its drive address */
    g_assert_cmpstr(d->address.type, ==, "drive");
    g_assert_cmpuint(d->address.unit, ==, 1);

    n = &g_array_index(v->interfaces, virtkitInterfaceView, 0);
    g_assert_cmpint(n->type, ==, VIRTKIT_NET_TYPE_ETHERNET);
    g_assert_cmpstr(n->target, ==, "t0");
    g_assert_false(n->target_managed);
    g_assert_cmpint(n->link_up, ==, VIRTKIT_TRISTATE_OFF);
    g_assert_cmpuint(n->mtu, ==, 9000);

    g = &g_array_index(v->graphics, virtkitGraphicsView, 0);
    g_assert_cmpint(g->type, ==, VIRTKIT_GRAPHICS_VNC);
    g_assert_cmpint(g->port, ==, 5901);
    g_assert_false(g->autoport);
    g_assert_cmpstr(g->listen_address, ==, "127.0.0.1");

    /* the model adds the console that stands for serial 0 */
    g_assert_cmpuint(v->chardevs->len, ==, 2);
    c = &g_array_index(v->chardevs, virtkitChardevView, 0);
    g_assert_cmpint(c->kind, ==, VIRTKIT_CHARDEV_SERIAL);
    g_assert_cmpint(c->type, ==, VIRTKIT_CHR_TCP);
    g_assert_true(c->listen);
    g_assert_cmpstr(c->service, ==, "7000");
    g_assert_cmpstr(c->protocol, ==, "telnet");
    g_assert_cmpint(g_array_index(v->chardevs, virtkitChardevView, 1).kind, ==,
                    VIRTKIT_CHARDEV_CONSOLE);

    g_assert_nonnull(v->memballoon);
    g_assert_cmpint(v->memballoon->autodeflate, ==, VIRTKIT_TRISTATE_ON);
    g_assert_cmpuint(v->memballoon->stats_period, ==, 7);

    g_assert_cmpstr(v->unmodelled[0], ==, NULL);
    g_assert_true(virtkitDomainViewRefuseUnmodelled(v, NULL, "test", &err));
}

static void
test_unmodelled(void)
{
    g_autoptr(virtkitDomainDef) def = parse(
        "<cputune><shares>2048</shares></cputune>",
        "<disk type='file' device='disk'><source file='/a'/><target dev='vda' bus='virtio'/>"
        "<iotune><total_bytes_sec>100</total_bytes_sec></iotune></disk>"
        "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>"
        "<interface type='user'><model type='virtio'/><driver queues='2'/></interface>");
    g_autoptr(GError) err = NULL;
    g_autoptr(virtkitDomainView) v = virtkitDomainViewNew(def, &err);
    const char *const accepted[] = { "<cputune>", "<devices/rng>", "<devices/disk/iotune>",
                                     NULL };

    g_assert_no_error(err);
    g_assert_true(g_strv_contains((const char *const *) v->unmodelled, "<cputune>"));
    g_assert_true(g_strv_contains((const char *const *) v->unmodelled, "<devices/disk/iotune>"));
    g_assert_true(g_strv_contains((const char *const *) v->unmodelled, "<devices/rng>"));
    g_assert_true(g_strv_contains((const char *const *) v->unmodelled,
                                  "<devices/interface/driver>"));
    g_assert_false(virtkitDomainViewRefuseUnmodelled(v, accepted, "the test plugin", &err));
    g_assert_error(err, VIRTKIT_CONF_ERROR, VIR_ERR_CONFIG_UNSUPPORTED);
    g_assert_nonnull(strstr(err->message, "the test plugin does not support "
                                          "<devices/interface/driver> in domain 'v1'"));
}

static void
test_bad_values(void)
{
    static const struct { const char *devices, *says; } bad[] = {
        { "<graphics type='vnc' port='59x'/>",
          "invalid value '59x' of attribute 'port' of <devices/graphics>" },
        { "<video><model type='vga' heads='17'/></video>",
          "invalid value '17' of attribute 'heads' of <devices/video/model>" },
        { "<controller type='virtio-serial' index='0' ports='many'/>",
          "invalid value 'many' of attribute 'ports' of <devices/controller>" },
        { "<memballoon model='virtio'><stats period='-3'/></memballoon>",
          "invalid value '-3' of attribute 'period' of <devices/memballoon/stats>" },
        { "<interface type='user'><address type='pci' slot='0x40'/></interface>",
          "invalid value '0x40' of attribute 'slot' of <devices/interface/address>" },
    };
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(virtkitDomainDef) def = parse("", bad[i].devices);
        g_autoptr(GError) err = NULL;
        g_autoptr(virtkitDomainView) v = virtkitDomainViewNew(def, &err);
        g_assert_null(v);
        g_assert_error(err, VIRTKIT_CONF_ERROR, VIR_ERR_XML_DETAIL);
        if (!strstr(err->message, bad[i].says))
            g_test_fail_printf("'%s' does not say '%s'", err->message, bad[i].says);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/conf/devices/typed", test_typed);
    g_test_add_func("/conf/devices/unmodelled", test_unmodelled);
    g_test_add_func("/conf/devices/bad-values", test_bad_values);
    return g_test_run();
}
