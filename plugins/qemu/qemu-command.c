/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-command.c: domain definition -> QEMU argv (see qemu-command.h).
 *
 * Everything is read through conf/'s typed views (virtkit-conf-devices.h);
 * what the views leave unmodelled is refused first, then each view is
 * turned into options or refused by value.  qemuRefusals lists every
 * refusal; the unit test makes each one happen.
 */
#include "qemu-command.h"

#include "virtkit-conf-devices.h"

#include <virtkit/virtkit.h>

#include <string.h>

static const char *const qemuRefusals[] = {
    "any element or attribute the conf/ views do not model (listed by name): "
    "<cputune>, <numatune>, <memtune>, <blkiotune>, <memoryBacking>, <iothreads>, "
    "<sysinfo>, <seclabel>, <resource>, <pm>, <perf>, <idmap>, <launchSecurity>, "
    "<qemu:commandline>, <devices/hostdev>, <devices/filesystem>, <devices/sound>, "
    "<devices/watchdog>, <devices/rng>, <devices/tpm>, <devices/smartcard>, "
    "<devices/redirdev>, <devices/hub>, <devices/panic>, <devices/shmem>, <devices/memory>, "
    "<devices/iommu>, <devices/vsock>, <devices/lease>, <devices/audio>, <devices/nvram>, "
    "<devices/disk/iotune>, <devices/disk/backingStore>, <devices/disk/encryption>, "
    "<devices/disk/auth>, <devices/disk/geometry>, <devices/disk/blockio>, "
    "<devices/interface/bandwidth>, <devices/interface/vlan>, <devices/interface/driver>, "
    "<devices/interface/filterref>, <devices/graphics/channel>, <cpu/numa>, <cpu/cache>, "
    "<cpu/vendor>, <clock/timer> children, <os/smbios>, <os/bios>, <features> other than "
    "acpi apic pae hap pmu vmport smm, and the like",
    "<domain type> other than 'qemu' and 'kvm'; 'kvm' when the probe found KVM unusable",
    "<os><type> other than 'hvm'; <os><type arch> other than 'x86_64'",
    "<os><type machine> other than pc, q35 and their versioned names (pc-i440fx-*, pc-q35-*)",
    "<os><loader>, <os><nvram>, <os><dtb>; <os><initrd>/<cmdline> without <kernel>",
    "<cpu mode='custom'> without <model>; <cpu><feature policy='optional'>",
    "<vcpu cpuset> (host pinning)",
    "<clock offset> other than 'utc' and 'localtime'; <timer> other than rtc, pit, hpet; "
    "rtc tickpolicy other than catchup and delay; rtc track other than guest and wall; "
    "pit tickpolicy other than delay; hpet present='yes' on q35",
    "<disk type> other than 'file' and 'block'",
    "<disk device> 'floppy' and 'lun'",
    "<disk><target bus> other than virtio, ide, sata, scsi; sata on pc, ide on q35",
    "<disk><driver name> other than 'qemu'; <driver type> other than raw and qcow2",
    "<disk><driver error_policy>; <driver io='native'> without cache 'none' or 'directsync'",
    "<disk><readonly/> on an IDE or SATA disk (not cdrom): QEMU's ide-hd cannot be read-only",
    "<disk device='cdrom'> on the virtio bus",
    "<disk device='disk'> without <source>; <disk><address type> other than 'drive' "
    "(virtio: 'pci'); IDE bus or unit above 1; SATA unit above 5",
    "<controller type> other than pci (pci-root, pcie-root), ide, sata, scsi, usb, "
    "virtio-serial; <controller type='scsi' model> other than lsilogic and virtio-scsi; "
    "<controller type='usb' model> other than piix3-uhci, qemu-xhci, nec-xhci, ich9-ehci1, none",
    "<interface type> other than 'user' and 'ethernet' (network, bridge, direct, ...)",
    "<interface><model type> other than virtio, e1000, e1000e, rtl8139; <link state='down'>; "
    "<mtu> on a non-virtio model; <script>",
    "<graphics type> other than 'vnc'; a second <graphics>; VNC listen addresses other than "
    "loopback; port below 5900; websocket; passwd",
    "<video><model type> other than vga, cirrus, virtio, bochs, none; heads other than 1",
    "<serial>/<console>/<channel> types other than pty, null, file, unix, tcp, pipe, dev; "
    "<serial><target type> other than isa-serial and pci-serial; <parallel>",
    "<console><target type> other than serial (matching a <serial>) and virtio",
    "<channel><target type> other than virtio",
    "<input type> passthrough and evdev; <input bus> other than ps2, usb, virtio; "
    "a ps2 tablet",
    "<memballoon model> other than virtio and none",
    "a device <address type='pci'> on a bus other than 0, or another address type the "
    "device cannot take",
    NULL,
};

const char *const *
qemuCommandRefusals(void)
{
    return qemuRefusals;
}

typedef struct {
    const virtkitDomainView *v;
    const qemuCommandOptions *opts;
    GPtrArray *argv;
    gboolean q35;
    const char *pci_bus;    /* "pci.0" or "pcie.0" */
} qemuCmd;

static gboolean G_GNUC_PRINTF(2, 3)
qemuRefuse(GError **error, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_CONFIG_UNSUPPORTED,
                "unsupported configuration: %s", msg);
    return FALSE;
}

/* QEMU option values: a ',' is written ',,'. */
static void
qemuEscape(GString *s, const char *value)
{
    for (const char *p = value; *p; p++) {
        if (*p == ',')
            g_string_append_c(s, ',');
        g_string_append_c(s, *p);
    }
}

static void
qemuArg(qemuCmd *c, const char *opt)
{
    g_ptr_array_add(c->argv, g_strdup(opt));
}

/* Appends @opt and the GString @val (consumed). */
static void
qemuArgVal(qemuCmd *c, const char *opt, GString *val)
{
    g_ptr_array_add(c->argv, g_strdup(opt));
    g_ptr_array_add(c->argv, g_string_free(val, FALSE));
}

/* ",key=value" with the value escaped. */
static void
qemuProp(GString *s, const char *key, const char *value)
{
    g_string_append_printf(s, ",%s=", key);
    qemuEscape(s, value);
}

static gboolean
qemuIsLoopback(const char *addr)
{
    return g_str_equal(addr, "127.0.0.1") || g_str_equal(addr, "::1") ||
           g_str_equal(addr, "localhost") || g_str_has_prefix(addr, "127.");
}

/* A PCI address (bus 0 only) as ",bus=pci.0,addr=0xS.F", nothing when
 * absent; any other address type is refused for @what. */
static gboolean
qemuPciAddress(qemuCmd *c, GString *s, const virtkitDeviceAddress *a, const char *what,
               GError **error)
{
    if (!a->type)
        return TRUE;
    if (!g_str_equal(a->type, "pci"))
        return qemuRefuse(error, "%s: <address type='%s'> (only 'pci')", what, a->type);
    if (a->domain != 0 || a->bus != 0)
        return qemuRefuse(error, "%s: <address type='pci' domain='%u' bus='%u'> "
                          "(only domain 0, bus 0)", what, a->domain, a->bus);
    g_string_append_printf(s, ",bus=%s,addr=0x%x", c->pci_bus, a->slot);
    if (a->function)
        g_string_append_printf(s, ".0x%x", a->function);
    if (a->multifunction)
        g_string_append(s, ",multifunction=on");
    return TRUE;
}

/* ---- domain-wide -------------------------------------------------------- */

static gboolean
qemuBuildMachine(qemuCmd *c, GError **error)
{
    const virtkitDomainView *v = c->v;
    const char *machine = v->os.machine ? v->os.machine : "pc";
    GString *m;

    if (!(g_str_equal(machine, "pc") || g_str_equal(machine, "q35") ||
          g_str_has_prefix(machine, "pc-i440fx-") || g_str_has_prefix(machine, "pc-q35-")))
        return qemuRefuse(error, "<os><type machine='%s'>: the qemu plugin runs pc, q35 and "
                          "their versioned names", machine);
    c->q35 = g_str_equal(machine, "q35") || g_str_has_prefix(machine, "pc-q35-");
    c->pci_bus = c->q35 ? "pcie.0" : "pci.0";
    m = g_string_new(NULL);
    qemuEscape(m, machine);
    /* libvirt's rule: no <acpi/> in <features> means the guest has no ACPI */
    g_string_append_printf(m, ",acpi=%s", v->features.acpi == VIRTKIT_TRISTATE_ON ? "on" : "off");
    if (v->features.vmport != VIRTKIT_TRISTATE_ABSENT)
        g_string_append_printf(m, ",vmport=%s",
                               v->features.vmport == VIRTKIT_TRISTATE_ON ? "on" : "off");
    if (v->features.smm != VIRTKIT_TRISTATE_ABSENT)
        g_string_append_printf(m, ",smm=%s",
                               v->features.smm == VIRTKIT_TRISTATE_ON ? "on" : "off");
    for (guint i = 0; i < v->clock.timers->len; i++) {
        const virtkitClockTimer *t = &g_array_index(v->clock.timers, virtkitClockTimer, i);
        if (g_strcmp0(t->name, "hpet") == 0 && t->present == VIRTKIT_TRISTATE_OFF && !c->q35)
            g_string_append(m, ",hpet=off");
    }
    qemuArgVal(c, "-machine", m);
    qemuArgVal(c, "-accel", g_string_new(c->opts->kvm ? "kvm" : "tcg"));
    return TRUE;
}

static gboolean
qemuBuildCpu(qemuCmd *c, GError **error)
{
    const virtkitDomainCpuView *cpu = &c->v->cpu;
    gboolean kvm = c->opts->kvm;
    const char *model = NULL;
    GString *s;

    switch (cpu->mode) {
    case VIRTKIT_CPU_MODE_NONE:
    case VIRTKIT_CPU_MODE_MAXIMUM:
        /* TCG's 'max' is every feature TCG emulates: no guest is refused for
         * a feature (vme ...) that TCG lacks, unlike a named model */
        model = kvm && cpu->mode == VIRTKIT_CPU_MODE_NONE ? "host" : "max";
        break;
    case VIRTKIT_CPU_MODE_HOST_PASSTHROUGH:
        model = kvm ? "host" : "max";
        break;
    case VIRTKIT_CPU_MODE_HOST_MODEL:
        model = c->opts->host_cpu_model ? c->opts->host_cpu_model : kvm ? "host" : "max";
        break;
    case VIRTKIT_CPU_MODE_CUSTOM:
        if (!cpu->model)
            return qemuRefuse(error, "<cpu mode='custom'> without <model>");
        model = cpu->model;
        break;
    }
    s = g_string_new(NULL);
    qemuEscape(s, model);
    for (guint i = 0; i < cpu->features->len; i++) {
        const virtkitCpuFeature *f = &g_array_index(cpu->features, virtkitCpuFeature, i);
        gboolean on = f->policy == VIRTKIT_CPU_FEATURE_FORCE ||
                      f->policy == VIRTKIT_CPU_FEATURE_REQUIRE;
        if (f->policy == VIRTKIT_CPU_FEATURE_OPTIONAL) {
            g_string_free(s, TRUE);
            return qemuRefuse(error, "<cpu><feature name='%s' policy='optional'>", f->name);
        }
        /* no 'enforce': a feature TCG lacks is warned about by QEMU, not fatal */
        g_string_append_printf(s, ",%s=%s", f->name, on ? "on" : "off");
    }
    if (c->v->features.pmu != VIRTKIT_TRISTATE_ABSENT)
        g_string_append_printf(s, ",pmu=%s",
                               c->v->features.pmu == VIRTKIT_TRISTATE_ON ? "on" : "off");
    qemuArgVal(c, "-cpu", s);
    return TRUE;
}

static gboolean
qemuBuildMemorySmp(qemuCmd *c, GError **error)
{
    const virtkitDomainView *v = c->v;
    GString *m = g_string_new(NULL);
    GString *smp = g_string_new(NULL);

    if (v->vcpus.cpuset) {
        g_string_free(m, TRUE);
        g_string_free(smp, TRUE);
        return qemuRefuse(error, "<vcpu cpuset='%s'>: host CPU pinning", v->vcpus.cpuset);
    }
    g_string_append_printf(m, "size=%" G_GUINT64_FORMAT "k", v->memory.memory_kib);
    if (v->memory.max_kib)
        g_string_append_printf(m, ",slots=%u,maxmem=%" G_GUINT64_FORMAT "k",
                               v->memory.max_slots, v->memory.max_kib);
    qemuArgVal(c, "-m", m);
    g_string_append_printf(smp, "%u,maxcpus=%u", v->vcpus.current, v->vcpus.max);
    if (v->cpu.sockets)
        g_string_append_printf(smp, ",sockets=%u", v->cpu.sockets);
    if (v->cpu.dies)
        g_string_append_printf(smp, ",dies=%u", v->cpu.dies);
    if (v->cpu.cores)
        g_string_append_printf(smp, ",cores=%u", v->cpu.cores);
    if (v->cpu.threads)
        g_string_append_printf(smp, ",threads=%u", v->cpu.threads);
    qemuArgVal(c, "-smp", smp);
    return TRUE;
}

static gboolean
qemuBuildOs(qemuCmd *c, GError **error)
{
    const virtkitDomainOsView *os = &c->v->os;
    gboolean per_device = FALSE;
    GString *boot;

    if (g_strcmp0(os->type, "hvm") != 0)
        return qemuRefuse(error, "<os><type>%s</type>: only 'hvm'", os->type ? os->type : "");
    if (os->arch && !g_str_equal(os->arch, "x86_64"))
        return qemuRefuse(error, "<os><type arch='%s'>: only 'x86_64'", os->arch);
    if (os->loader)
        return qemuRefuse(error, "<os><loader>%s</loader> (firmware other than SeaBIOS)",
                          os->loader);
    if (os->nvram)
        return qemuRefuse(error, "<os><nvram>");
    if (os->dtb)
        return qemuRefuse(error, "<os><dtb>");
    if ((os->initrd || os->cmdline) && !os->kernel)
        return qemuRefuse(error, "<os><%s> without <kernel>", os->initrd ? "initrd" : "cmdline");
    if (os->kernel) {
        GString *k = g_string_new(os->kernel);
        qemuArgVal(c, "-kernel", k);
        if (os->initrd)
            qemuArgVal(c, "-initrd", g_string_new(os->initrd));
        if (os->cmdline)
            qemuArgVal(c, "-append", g_string_new(os->cmdline));
    }
    for (guint i = 0; i < c->v->disks->len; i++)
        per_device |= g_array_index(c->v->disks, virtkitDiskView, i).boot_order != 0;
    for (guint i = 0; i < c->v->interfaces->len; i++)
        per_device |= g_array_index(c->v->interfaces, virtkitInterfaceView, i).boot_order != 0;
    boot = g_string_new(NULL);
    if (per_device) {
        g_string_append(boot, "strict=on");
    } else if (os->boot->len) {
        static const char letters[] = { 'c', 'd', 'a', 'n' };
        g_string_append(boot, "order=");
        for (guint i = 0; i < os->boot->len; i++)
            g_string_append_c(boot, letters[g_array_index(os->boot, virtkitBootDevice, i)]);
    }
    if (os->bootmenu != VIRTKIT_TRISTATE_ABSENT) {
        g_string_append_printf(boot, "%smenu=%s", boot->len ? "," : "",
                               os->bootmenu == VIRTKIT_TRISTATE_ON ? "on" : "off");
        if (os->bootmenu_timeout_ms)
            g_string_append_printf(boot, ",splash-time=%u", os->bootmenu_timeout_ms);
    }
    if (boot->len)
        qemuArgVal(c, "-boot", boot);
    else
        g_string_free(boot, TRUE);
    return TRUE;
}

static gboolean
qemuBuildClock(qemuCmd *c, GError **error)
{
    const virtkitDomainClockView *clock = &c->v->clock;
    GString *rtc;

    if (!g_str_equal(clock->offset, "utc") && !g_str_equal(clock->offset, "localtime"))
        return qemuRefuse(error, "<clock offset='%s'>: only 'utc' and 'localtime'",
                          clock->offset);
    rtc = g_string_new(NULL);
    g_string_append_printf(rtc, "base=%s", clock->offset);
    for (guint i = 0; i < clock->timers->len; i++) {
        const virtkitClockTimer *t = &g_array_index(clock->timers, virtkitClockTimer, i);
        const char *name = t->name ? t->name : "";
        if (g_str_equal(name, "rtc")) {
            if (t->tickpolicy && g_str_equal(t->tickpolicy, "catchup"))
                g_string_append(rtc, ",driftfix=slew");
            else if (t->tickpolicy && !g_str_equal(t->tickpolicy, "delay"))
                goto bad_policy;
            if (t->track && g_str_equal(t->track, "guest"))
                g_string_append(rtc, ",clock=vm");
            else if (t->track && g_str_equal(t->track, "wall"))
                g_string_append(rtc, ",clock=rt");
            else if (t->track) {
                g_string_free(rtc, TRUE);
                return qemuRefuse(error, "<timer name='rtc' track='%s'>", t->track);
            }
        } else if (g_str_equal(name, "pit")) {
            /* delay is what QEMU's PIT does without KVM's in-kernel one */
            if (t->tickpolicy && !g_str_equal(t->tickpolicy, "delay"))
                goto bad_policy;
        } else if (g_str_equal(name, "hpet")) {
            if (c->q35 && t->present == VIRTKIT_TRISTATE_ON) {
                g_string_free(rtc, TRUE);
                return qemuRefuse(error, "<timer name='hpet' present='yes'> on q35");
            }
        } else {
            g_string_free(rtc, TRUE);
            return qemuRefuse(error, "<clock><timer name='%s'>", name);
        }
        continue;
    bad_policy:
        g_string_free(rtc, TRUE);
        return qemuRefuse(error, "<timer name='%s' tickpolicy='%s'>", name, t->tickpolicy);
    }
    qemuArgVal(c, "-rtc", rtc);
    return TRUE;
}

/* ---- controllers -------------------------------------------------------- */

static gboolean
qemuBuildControllers(qemuCmd *c, GError **error)
{
    gboolean has_usb = FALSE;

    for (guint i = 0; i < c->v->controllers->len; i++) {
        const virtkitControllerView *ct = &g_array_index(c->v->controllers,
                                                         virtkitControllerView, i);
        const char *type = ct->type ? ct->type : "";
        const char *model = ct->model;
        g_autofree char *what = g_strdup_printf("<controller type='%s' index='%u'>", type,
                                                ct->index);
        GString *d;

        if (g_str_equal(type, "pci")) {
            if (model && !g_str_equal(model, c->q35 ? "pcie-root" : "pci-root"))
                return qemuRefuse(error, "<controller type='pci' model='%s'> (only the %s)",
                                  model, c->q35 ? "pcie-root" : "pci-root");
            continue;
        }
        if (g_str_equal(type, "ide")) {
            if (ct->index != 0 || c->q35)
                return qemuRefuse(error, "%s: only the built-in IDE controller of pc", what);
            continue;
        }
        if (g_str_equal(type, "sata")) {
            if (ct->index != 0)
                return qemuRefuse(error, "%s: only one SATA controller", what);
            if (c->q35)
                continue;   /* q35's own AHCI */
            d = g_string_new("ich9-ahci,id=sata0");
        } else if (g_str_equal(type, "scsi")) {
            const char *dev;
            if (!model || g_str_equal(model, "lsilogic"))
                dev = "lsi53c895a";
            else if (g_str_equal(model, "virtio-scsi"))
                dev = "virtio-scsi-pci";
            else
                return qemuRefuse(error, "<controller type='scsi' model='%s'>: only lsilogic "
                                  "and virtio-scsi", model);
            d = g_string_new(NULL);
            g_string_append_printf(d, "%s,id=scsi%u", dev, ct->index);
            if (ct->queues && g_str_equal(dev, "virtio-scsi-pci"))
                g_string_append_printf(d, ",num_queues=%u", ct->queues);
        } else if (g_str_equal(type, "usb")) {
            const char *dev;
            if (!model)
                model = c->q35 ? "qemu-xhci" : "piix3-uhci";
            has_usb = TRUE;
            if (g_str_equal(model, "none"))
                continue;
            if (g_str_equal(model, "piix3-uhci"))
                dev = "piix3-usb-uhci";
            else if (g_str_equal(model, "qemu-xhci") || g_str_equal(model, "nec-xhci"))
                dev = g_str_equal(model, "qemu-xhci") ? "qemu-xhci" : "nec-usb-xhci";
            else if (g_str_equal(model, "ich9-ehci1"))
                dev = "ich9-usb-ehci1";
            else
                return qemuRefuse(error, "<controller type='usb' model='%s'>", model);
            if (ct->index != 0)
                return qemuRefuse(error, "%s: only one USB controller", what);
            d = g_string_new(NULL);
            g_string_append_printf(d, "%s,id=usb", dev);
        } else if (g_str_equal(type, "virtio-serial")) {
            d = g_string_new(NULL);
            g_string_append_printf(d, "virtio-serial-pci,id=virtio-serial%u", ct->index);
            if (ct->ports)
                g_string_append_printf(d, ",max_ports=%u", ct->ports);
        } else if (g_str_equal(type, "fdc")) {
            return qemuRefuse(error, "<controller type='fdc'>: floppy disks");
        } else {
            return qemuRefuse(error, "<controller type='%s'>", type);
        }
        if (!qemuPciAddress(c, d, &ct->address, what, error)) {
            g_string_free(d, TRUE);
            return FALSE;
        }
        qemuArgVal(c, "-device", d);
    }
    /* libvirt's qemu driver gives a machine with USB devices its default USB
     * controller when the XML names none; so does the builder */
    for (guint i = 0; i < c->v->inputs->len && !has_usb; i++) {
        if (g_strcmp0(g_array_index(c->v->inputs, virtkitInputView, i).bus, "usb") == 0) {
            qemuArgVal(c, "-device", g_string_new(c->q35 ? "qemu-xhci,id=usb"
                                                         : "piix3-usb-uhci,id=usb"));
            has_usb = TRUE;
        }
    }
    return TRUE;
}

/* ---- disks -------------------------------------------------------------- */

/* "vda" -> 0, "sdb" -> 1, "hdaa" -> 26: the letters after the two-letter prefix */
static int
qemuDiskIndex(const char *dev)
{
    int idx = 0;
    if (strlen(dev) < 3)
        return 0;
    for (const char *p = dev + 2; *p; p++) {
        if (!g_ascii_islower(*p))
            return 0;
        idx = idx * 26 + (*p - 'a' + 1);
    }
    return idx - 1;
}

static gboolean
qemuBuildDisk(qemuCmd *c, const virtkitDiskView *d, guint n, GError **error)
{
    g_autofree char *what = g_strdup_printf("<disk> '%s'", d->target ? d->target : "");
    gboolean cdrom = d->device == VIRTKIT_DISK_DEVICE_CDROM;
    gboolean ro = d->readonly || cdrom;
    gboolean direct = FALSE, noflush = FALSE, wce = TRUE;
    const char *format = d->format ? d->format : "raw";
    g_autofree char *id = NULL;
    GString *dev;

    if (d->type != VIRTKIT_DISK_TYPE_FILE && d->type != VIRTKIT_DISK_TYPE_BLOCK)
        return qemuRefuse(error, "%s: <disk type> other than 'file' and 'block'", what);
    if (d->device == VIRTKIT_DISK_DEVICE_FLOPPY || d->device == VIRTKIT_DISK_DEVICE_LUN)
        return qemuRefuse(error, "%s: <disk device='%s'>", what,
                          d->device == VIRTKIT_DISK_DEVICE_LUN ? "lun" : "floppy");
    if (d->driver_name && !g_str_equal(d->driver_name, "qemu"))
        return qemuRefuse(error, "%s: <driver name='%s'>: only 'qemu'", what, d->driver_name);
    if (!g_str_equal(format, "raw") && !g_str_equal(format, "qcow2"))
        return qemuRefuse(error, "%s: <driver type='%s'>: only raw and qcow2", what, format);
    if (d->error_policy)
        return qemuRefuse(error, "%s: <driver error_policy='%s'>", what, d->error_policy);
    if (!d->source && !cdrom)
        return qemuRefuse(error, "%s: a disk without <source>", what);
    if (d->readonly && !cdrom &&
        (d->bus == VIRTKIT_DISK_BUS_IDE || d->bus == VIRTKIT_DISK_BUS_SATA))
        /* QEMU's ide-hd cannot be read-only ("Block node is read-only") */
        return qemuRefuse(error, "%s: <readonly/> on an %s disk (a cdrom or virtio and scsi "
                          "disks can be)", what, d->bus == VIRTKIT_DISK_BUS_IDE ? "IDE" : "SATA");

    if (d->cache) {
        if (g_str_equal(d->cache, "none"))
            direct = TRUE;
        else if (g_str_equal(d->cache, "writethrough"))
            wce = FALSE;
        else if (g_str_equal(d->cache, "directsync"))
            direct = TRUE, wce = FALSE;
        else if (g_str_equal(d->cache, "unsafe"))
            noflush = TRUE;
    }
    if (d->io && g_str_equal(d->io, "native") && !direct)
        return qemuRefuse(error, "%s: <driver io='native'> needs cache 'none' or 'directsync'",
                          what);

    if (d->source) {
        GString *f = g_string_new(NULL);
        GString *fmt = g_string_new(NULL);
        g_string_append_printf(f, "driver=%s",
                               d->type == VIRTKIT_DISK_TYPE_BLOCK ? "host_device" : "file");
        qemuProp(f, "filename", d->source);
        g_string_append_printf(f, ",node-name=libvirt-%u-storage", n);
        g_string_append_printf(f, ",cache.direct=%s,cache.no-flush=%s", direct ? "on" : "off",
                               noflush ? "on" : "off");
        g_string_append_printf(f, ",auto-read-only=on");
        if (d->io)
            qemuProp(f, "aio", d->io);
        if (d->discard && g_str_equal(d->discard, "unmap"))
            g_string_append(f, ",discard=unmap");
        qemuArgVal(c, "-blockdev", f);

        g_string_append_printf(fmt, "node-name=libvirt-%u-format,read-only=%s", n,
                               ro ? "on" : "off");
        g_string_append_printf(fmt, ",cache.direct=%s,cache.no-flush=%s",
                               direct ? "on" : "off", noflush ? "on" : "off");
        if (d->discard && g_str_equal(d->discard, "unmap"))
            g_string_append(fmt, ",discard=unmap");
        if (d->detect_zeroes)
            qemuProp(fmt, "detect-zeroes", d->detect_zeroes);
        g_string_append_printf(fmt, ",driver=%s,file=libvirt-%u-storage", format, n);
        qemuArgVal(c, "-blockdev", fmt);
    }

    dev = g_string_new(NULL);
    switch (d->bus) {
    case VIRTKIT_DISK_BUS_VIRTIO:
        if (cdrom) {
            g_string_free(dev, TRUE);
            return qemuRefuse(error, "%s: a cdrom on the virtio bus", what);
        }
        id = g_strdup_printf("virtio-disk%d", qemuDiskIndex(d->target ? d->target : "vda"));
        g_string_append(dev, "virtio-blk-pci");
        if (!qemuPciAddress(c, dev, &d->address, what, error)) {
            g_string_free(dev, TRUE);
            return FALSE;
        }
        break;
    case VIRTKIT_DISK_BUS_IDE:
    case VIRTKIT_DISK_BUS_SATA:
    case VIRTKIT_DISK_BUS_SCSI: {
        const virtkitDeviceAddress *a = &d->address;
        if (a->type && !g_str_equal(a->type, "drive")) {
            g_string_free(dev, TRUE);
            return qemuRefuse(error, "%s: <address type='%s'> (only 'drive')", what, a->type);
        }
        if (d->bus == VIRTKIT_DISK_BUS_IDE) {
            if (c->q35) {
                g_string_free(dev, TRUE);
                return qemuRefuse(error, "%s: the ide bus on q35 (use sata)", what);
            }
            if (a->bus > 1 || a->unit > 1) {
                g_string_free(dev, TRUE);
                return qemuRefuse(error, "%s: IDE bus %u unit %u (pc has buses 0-1, units 0-1)",
                                  what, a->bus, a->unit);
            }
            id = g_strdup_printf("ide0-%u-%u", a->bus, a->unit);
            g_string_append_printf(dev, "%s,bus=ide.%u,unit=%u", cdrom ? "ide-cd" : "ide-hd",
                                   a->bus, a->unit);
        } else if (d->bus == VIRTKIT_DISK_BUS_SATA) {
            if (a->unit > 5) {
                g_string_free(dev, TRUE);
                return qemuRefuse(error, "%s: SATA unit %u (ports 0-5)", what, a->unit);
            }
            id = g_strdup_printf("sata0-0-%u", a->unit);
            g_string_append_printf(dev, "%s,bus=%s.%u", cdrom ? "ide-cd" : "ide-hd",
                                   c->q35 ? "ide" : "sata0", a->unit);
        } else {
            const virtkitControllerView *ctl = NULL;
            for (guint i = 0; i < c->v->controllers->len; i++) {
                const virtkitControllerView *ct =
                    &g_array_index(c->v->controllers, virtkitControllerView, i);
                if (g_strcmp0(ct->type, "scsi") == 0 && ct->index == a->controller)
                    ctl = ct;
            }
            id = g_strdup_printf("scsi%u-0-%u-%u", a->controller, a->target, a->unit);
            g_string_append_printf(dev, "%s,bus=scsi%u.0", cdrom ? "scsi-cd" : "scsi-hd",
                                   a->controller);
            if (ctl && g_strcmp0(ctl->model, "virtio-scsi") == 0)
                g_string_append_printf(dev, ",channel=0,scsi-id=%u,lun=%u", a->target, a->unit);
            else
                g_string_append_printf(dev, ",scsi-id=%u", a->unit);
        }
        break;
    }
    default:
        g_string_free(dev, TRUE);
        return qemuRefuse(error, "%s: <target bus> other than virtio, ide, sata and scsi", what);
    }
    if (d->source)
        g_string_append_printf(dev, ",drive=libvirt-%u-format", n);
    g_string_append_printf(dev, ",id=%s", id);
    if (!cdrom)
        g_string_append_printf(dev, ",write-cache=%s", wce ? "on" : "off");
    if (d->shareable)
        g_string_append(dev, ",share-rw=on");
    if (d->serial)
        qemuProp(dev, "serial", d->serial);
    if (d->boot_order)
        g_string_append_printf(dev, ",bootindex=%u", d->boot_order);
    qemuArgVal(c, "-device", dev);
    return TRUE;
}

/* ---- network ------------------------------------------------------------ */

static gboolean
qemuBuildInterface(qemuCmd *c, const virtkitInterfaceView *nic, guint i, GError **error)
{
    g_autofree char *what = g_strdup_printf("<interface type='%s'> #%u",
                                            nic->type_name ? nic->type_name : "", i);
    const char *model = nic->model ? nic->model : "rtl8139";
    const char *dev;
    GString *net, *d;

    if (g_str_equal(model, "virtio"))
        dev = "virtio-net-pci";
    else if (g_str_equal(model, "e1000") || g_str_equal(model, "e1000e") ||
             g_str_equal(model, "rtl8139"))
        dev = model;
    else
        return qemuRefuse(error, "%s: <model type='%s'>: only virtio, e1000, e1000e, rtl8139",
                          what, model);
    if (nic->link_up == VIRTKIT_TRISTATE_OFF)
        return qemuRefuse(error, "%s: <link state='down'>", what);
    if (nic->mtu && !g_str_equal(model, "virtio"))
        return qemuRefuse(error, "%s: <mtu> on model '%s' (only virtio)", what, model);
    if (nic->script)
        return qemuRefuse(error, "%s: <script path='%s'>", what, nic->script);

    net = g_string_new(NULL);
    if (nic->type == VIRTKIT_NET_TYPE_USER) {
        g_string_append(net, "user");
    } else if (nic->type == VIRTKIT_NET_TYPE_ETHERNET) {
        g_string_append(net, "tap");
        if (nic->target)
            qemuProp(net, "ifname", nic->target);
        /* libvirt runs no script for type='ethernet'; neither does QEMU then */
        g_string_append(net, ",script=no,downscript=no");
    } else {
        g_string_free(net, TRUE);
        return qemuRefuse(error, "%s: only 'user' and 'ethernet' (tap) interfaces", what);
    }
    g_string_append_printf(net, ",id=hostnet%u", i);
    qemuArgVal(c, "-netdev", net);

    d = g_string_new(dev);
    g_string_append_printf(d, ",netdev=hostnet%u,id=net%u", i, i);
    if (nic->mac)
        qemuProp(d, "mac", nic->mac);
    if (nic->mtu)
        g_string_append_printf(d, ",host_mtu=%u", nic->mtu);
    if (nic->boot_order)
        g_string_append_printf(d, ",bootindex=%u", nic->boot_order);
    if (!qemuPciAddress(c, d, &nic->address, what, error)) {
        g_string_free(d, TRUE);
        return FALSE;
    }
    qemuArgVal(c, "-device", d);
    return TRUE;
}

/* ---- graphics and video ------------------------------------------------- */

static gboolean
qemuBuildGraphics(qemuCmd *c, GError **error)
{
    const virtkitGraphicsView *g;
    GString *vnc;

    if (c->v->graphics->len == 0)
        return TRUE;
    g = &g_array_index(c->v->graphics, virtkitGraphicsView, 0);
    if (g->type != VIRTKIT_GRAPHICS_VNC)
        return qemuRefuse(error, "<graphics type> other than 'vnc'");
    for (guint i = 1; i < c->v->graphics->len; i++)
        return qemuRefuse(error, "a second <graphics> element");
    if (g->websocket)
        return qemuRefuse(error, "<graphics type='vnc' websocket='%d'>", g->websocket);
    if (g->passwd)
        /* a password on the command line is visible to every local user */
        return qemuRefuse(error, "<graphics type='vnc' passwd>");
    vnc = g_string_new(NULL);
    if (g_strcmp0(g->listen_type, "none") == 0) {
        g_string_append(vnc, "none");
    } else if (g_strcmp0(g->listen_type, "socket") == 0) {
        g_autofree char *path = NULL;
        if (g->socket)
            path = g_strdup(g->socket);
        else if (c->opts->socket_dir)
            path = g_build_filename(c->opts->socket_dir, "vnc.sock", NULL);
        else {
            g_string_free(vnc, TRUE);
            return qemuRefuse(error, "<graphics type='vnc'><listen type='socket'/> without a "
                              "path, and no socket directory given");
        }
        g_string_append(vnc, "unix:");
        qemuEscape(vnc, path);
    } else {
        const char *addr = g->listen_address ? g->listen_address : "127.0.0.1";
        if (g_strcmp0(g->listen_type, "network") == 0 || !qemuIsLoopback(addr)) {
            g_string_free(vnc, TRUE);
            return qemuRefuse(error, "<graphics type='vnc'> listening on '%s': only loopback "
                              "or a unix socket", g->listen_type && g_str_equal(g->listen_type,
                              "network") ? "a network" : addr);
        }
        if (!g->autoport && g->port < 5900) {
            g_string_free(vnc, TRUE);
            return qemuRefuse(error, "<graphics type='vnc' port='%d'>: ports from 5900",
                              g->port);
        }
        if (strchr(addr, ':'))
            g_string_append_printf(vnc, "[%s]", addr);
        else
            g_string_append(vnc, addr);
        if (g->autoport)
            g_string_append(vnc, ":0,to=99");
        else
            g_string_append_printf(vnc, ":%d", g->port - 5900);
    }
    if (g->share_policy)
        qemuProp(vnc, "share", g->share_policy);
    qemuArgVal(c, "-vnc", vnc);
    if (g->keymap)
        qemuArgVal(c, "-k", g_string_new(g->keymap));
    return TRUE;
}

static gboolean
qemuBuildVideo(qemuCmd *c, GError **error)
{
    for (guint i = 0; i < c->v->videos->len; i++) {
        const virtkitVideoView *vd = &g_array_index(c->v->videos, virtkitVideoView, i);
        const char *model = vd->model ? vd->model : "vga";
        g_autofree char *what = g_strdup_printf("<video> #%u", i);
        gboolean primary = vd->primary || i == 0;
        GString *d;

        if (g_str_equal(model, "none"))
            continue;
        if (vd->heads > 1)
            return qemuRefuse(error, "%s: heads='%u'", what, vd->heads);
        if (g_str_equal(model, "vga"))
            d = g_string_new(primary ? "VGA" : "secondary-vga");
        else if (g_str_equal(model, "cirrus") && primary)
            d = g_string_new("cirrus-vga");
        else if (g_str_equal(model, "virtio"))
            d = g_string_new(primary ? "virtio-vga" : "virtio-gpu-pci");
        else if (g_str_equal(model, "bochs"))
            d = g_string_new("bochs-display");
        else
            return qemuRefuse(error, "%s: <model type='%s'>%s", what, model,
                              g_str_equal(model, "cirrus") ? " as a secondary card" : "");
        g_string_append_printf(d, ",id=video%u", i);
        if (vd->vram_kib && (g_str_equal(model, "vga") || g_str_equal(model, "cirrus")))
            g_string_append_printf(d, ",vgamem_mb=%u", MAX(vd->vram_kib / 1024, 1u));
        if (!qemuPciAddress(c, d, &vd->address, what, error)) {
            g_string_free(d, TRUE);
            return FALSE;
        }
        qemuArgVal(c, "-device", d);
    }
    return TRUE;
}

/* ---- character devices -------------------------------------------------- */

static gboolean
qemuChardevBackend(const virtkitChardevView *ch, const char *id, const char *what,
                   GString **out, GError **error)
{
    GString *s = g_string_new(NULL);

    switch (ch->type) {
    case VIRTKIT_CHR_PTY:
        g_string_append(s, "pty");
        break;
    case VIRTKIT_CHR_NULL:
        g_string_append(s, "null");
        break;
    case VIRTKIT_CHR_FILE:
    case VIRTKIT_CHR_PIPE:
    case VIRTKIT_CHR_DEV:
        if (!ch->path)
            goto no_path;
        g_string_append(s, ch->type == VIRTKIT_CHR_FILE ? "file"
                           : ch->type == VIRTKIT_CHR_PIPE ? "pipe" : "tty");
        qemuProp(s, "path", ch->path);
        if (ch->type == VIRTKIT_CHR_FILE && ch->append != VIRTKIT_TRISTATE_ABSENT)
            g_string_append_printf(s, ",append=%s",
                                   ch->append == VIRTKIT_TRISTATE_ON ? "on" : "off");
        break;
    case VIRTKIT_CHR_UNIX:
        if (!ch->path)
            goto no_path;
        g_string_append(s, "socket");
        qemuProp(s, "path", ch->path);
        if (ch->listen)
            g_string_append(s, ",server=on,wait=off");
        break;
    case VIRTKIT_CHR_TCP:
        if (!ch->service) {
            g_string_free(s, TRUE);
            return qemuRefuse(error, "%s: <source> without service (port)", what);
        }
        g_string_append(s, "socket");
        qemuProp(s, "host", ch->host ? ch->host : "127.0.0.1");
        qemuProp(s, "port", ch->service);
        if (ch->listen)
            g_string_append(s, ",server=on,wait=off");
        if (ch->protocol && g_str_equal(ch->protocol, "telnet"))
            g_string_append(s, ",telnet=on");
        else if (ch->protocol && !g_str_equal(ch->protocol, "raw")) {
            g_string_free(s, TRUE);
            return qemuRefuse(error, "%s: <protocol type='%s'>", what, ch->protocol);
        }
        break;
    default:
        g_string_free(s, TRUE);
        return qemuRefuse(error, "%s: type '%s' (only pty, null, file, unix, tcp, pipe, dev)",
                          what, ch->type_name ? ch->type_name : "");
    }
    g_string_append_printf(s, ",id=%s", id);
    if (ch->log_file)
        qemuProp(s, "logfile", ch->log_file);
    *out = s;
    return TRUE;
no_path:
    g_string_free(s, TRUE);
    return qemuRefuse(error, "%s: <source> without path", what);
}

/* ",bus=virtio-serial0.0,nr=N" from a virtio-serial address, nothing without one. */
static gboolean
qemuVirtioSerialAddress(GString *d, const virtkitDeviceAddress *a, const char *what,
                        GError **error)
{
    if (!a->type)
        return TRUE;
    if (!g_str_equal(a->type, "virtio-serial"))
        return qemuRefuse(error, "%s: <address type='%s'> (only 'virtio-serial')", what,
                          a->type);
    g_string_append_printf(d, ",bus=virtio-serial%u.%u", a->controller, a->bus);
    if (a->port)
        g_string_append_printf(d, ",nr=%u", a->port);
    return TRUE;
}

static gboolean
qemuBuildChardevs(qemuCmd *c, GError **error)
{
    guint nserial = 0, nconsole = 0, nchannel = 0;

    for (guint i = 0; i < c->v->chardevs->len; i++) {
        const virtkitChardevView *ch = &g_array_index(c->v->chardevs, virtkitChardevView, i);
        g_autofree char *id = NULL;
        g_autofree char *what = NULL;
        GString *be = NULL, *d;

        if (ch->kind == VIRTKIT_CHARDEV_PARALLEL)
            return qemuRefuse(error, "<parallel>");
        if (ch->kind == VIRTKIT_CHARDEV_CONSOLE &&
            (!ch->target_type || g_str_equal(ch->target_type, "serial"))) {
            /* libvirt's convention: this console is the serial port of the same
             * number, already on the command line; refuse one without it */
            gboolean found = FALSE;
            for (guint j = 0; j < c->v->chardevs->len; j++) {
                const virtkitChardevView *s = &g_array_index(c->v->chardevs,
                                                             virtkitChardevView, j);
                found |= s->kind == VIRTKIT_CHARDEV_SERIAL && s->target_port == ch->target_port;
            }
            if (!found)
                return qemuRefuse(error, "<console><target type='serial' port='%u'> without "
                                  "that <serial>", ch->target_port);
            continue;
        }
        switch (ch->kind) {
        case VIRTKIT_CHARDEV_SERIAL: {
            const char *tt = ch->target_type ? ch->target_type : "isa-serial";
            guint port = ch->has_target_port ? ch->target_port : nserial;
            what = g_strdup_printf("<serial> port %u", port);
            id = g_strdup_printf("charserial%u", port);
            if (!qemuChardevBackend(ch, id, what, &be, error))
                return FALSE;
            if (g_str_equal(tt, "isa-serial")) {
                d = g_string_new(NULL);
                g_string_append_printf(d, "isa-serial,chardev=%s,id=serial%u,index=%u", id,
                                       port, port);
            } else if (g_str_equal(tt, "pci-serial")) {
                d = g_string_new(NULL);
                g_string_append_printf(d, "pci-serial,chardev=%s,id=serial%u", id, port);
                if (!qemuPciAddress(c, d, &ch->address, what, error)) {
                    g_string_free(d, TRUE);
                    g_string_free(be, TRUE);
                    return FALSE;
                }
            } else {
                g_string_free(be, TRUE);
                return qemuRefuse(error, "%s: <target type='%s'>: only isa-serial and "
                                  "pci-serial", what, tt);
            }
            nserial++;
            break;
        }
        case VIRTKIT_CHARDEV_CONSOLE:
            what = g_strdup_printf("<console><target type='%s'>", ch->target_type);
            if (!g_str_equal(ch->target_type, "virtio"))
                return qemuRefuse(error, "%s: only serial and virtio consoles", what);
            id = g_strdup_printf("charconsole%u", nconsole);
            if (!qemuChardevBackend(ch, id, what, &be, error))
                return FALSE;
            d = g_string_new(NULL);
            g_string_append_printf(d, "virtconsole,chardev=%s,id=console%u", id, nconsole);
            if (!qemuVirtioSerialAddress(d, &ch->address, what, error)) {
                g_string_free(d, TRUE);
                g_string_free(be, TRUE);
                return FALSE;
            }
            nconsole++;
            break;
        case VIRTKIT_CHARDEV_CHANNEL:
            what = g_strdup_printf("<channel><target type='%s'>",
                                   ch->target_type ? ch->target_type : "");
            if (g_strcmp0(ch->target_type, "virtio") != 0)
                return qemuRefuse(error, "%s: only virtio channels", what);
            id = g_strdup_printf("charchannel%u", nchannel);
            if (!qemuChardevBackend(ch, id, what, &be, error))
                return FALSE;
            d = g_string_new(NULL);
            g_string_append_printf(d, "virtserialport,chardev=%s,id=channel%u", id, nchannel);
            if (ch->target_name)
                qemuProp(d, "name", ch->target_name);
            if (!qemuVirtioSerialAddress(d, &ch->address, what, error)) {
                g_string_free(d, TRUE);
                g_string_free(be, TRUE);
                return FALSE;
            }
            nchannel++;
            break;
        default:
            g_assert_not_reached();
        }
        qemuArgVal(c, "-chardev", be);
        qemuArgVal(c, "-device", d);
    }
    return TRUE;
}

/* ---- input and balloon -------------------------------------------------- */

static gboolean
qemuBuildInputs(qemuCmd *c, GError **error)
{
    for (guint i = 0; i < c->v->inputs->len; i++) {
        const virtkitInputView *in = &g_array_index(c->v->inputs, virtkitInputView, i);
        const char *type = in->type ? in->type : "";
        const char *bus = in->bus ? in->bus : "ps2";
        const char *dev;
        GString *d;

        if (!g_str_equal(type, "mouse") && !g_str_equal(type, "tablet") &&
            !g_str_equal(type, "keyboard"))
            return qemuRefuse(error, "<input type='%s'>", type);
        if (g_str_equal(bus, "ps2")) {
            if (g_str_equal(type, "tablet"))
                return qemuRefuse(error, "<input type='tablet' bus='ps2'>");
            continue;   /* the i8042 every pc and q35 machine has */
        }
        if (g_str_equal(bus, "usb"))
            dev = g_str_equal(type, "mouse") ? "usb-mouse"
                  : g_str_equal(type, "tablet") ? "usb-tablet" : "usb-kbd";
        else if (g_str_equal(bus, "virtio"))
            dev = g_str_equal(type, "mouse") ? "virtio-mouse-pci"
                  : g_str_equal(type, "tablet") ? "virtio-tablet-pci" : "virtio-keyboard-pci";
        else
            return qemuRefuse(error, "<input type='%s' bus='%s'>", type, bus);
        d = g_string_new(NULL);
        g_string_append_printf(d, "%s,id=input%u", dev, i);
        if (g_str_equal(bus, "usb")) {
            if (in->address.type && !g_str_equal(in->address.type, "usb")) {
                g_string_free(d, TRUE);
                return qemuRefuse(error, "<input bus='usb'><address type='%s'>",
                                  in->address.type);
            }
            g_string_append(d, ",bus=usb.0");
            if (in->address.usb_port)
                qemuProp(d, "port", in->address.usb_port);
        } else if (!qemuPciAddress(c, d, &in->address, "<input bus='virtio'>", error)) {
            g_string_free(d, TRUE);
            return FALSE;
        }
        qemuArgVal(c, "-device", d);
    }
    return TRUE;
}

static gboolean
qemuBuildMemballoon(qemuCmd *c, GError **error)
{
    const virtkitMemballoonView *b = c->v->memballoon;
    GString *d;

    if (!b || g_strcmp0(b->model, "none") == 0)
        return TRUE;
    if (g_strcmp0(b->model, "virtio") != 0)
        return qemuRefuse(error, "<memballoon model='%s'>", b->model ? b->model : "");
    d = g_string_new("virtio-balloon-pci,id=balloon0");
    if (b->autodeflate != VIRTKIT_TRISTATE_ABSENT)
        g_string_append_printf(d, ",deflate-on-oom=%s",
                               b->autodeflate == VIRTKIT_TRISTATE_ON ? "on" : "off");
    if (b->stats_period)
        g_string_append_printf(d, ",guest-stats-polling-interval=%u", b->stats_period);
    if (!qemuPciAddress(c, d, &b->address, "<memballoon>", error)) {
        g_string_free(d, TRUE);
        return FALSE;
    }
    qemuArgVal(c, "-device", d);
    return TRUE;
}

/* ---- the whole ---------------------------------------------------------- */

GStrv
qemuBuildCommandLine(const virtkitDomainDef *def, const qemuCommandOptions *opts,
                     GError **error)
{
    g_autoptr(virtkitDomainView) v = NULL;
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    qemuCmd c = { .opts = opts, .argv = argv };
    char uuid[37];
    GString *s;

    if (!opts || !opts->monitor_path) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_INVALID_ARG,
                    "qemuBuildCommandLine needs the QMP monitor socket path");
        return NULL;
    }
    if (!(v = virtkitDomainViewNew(def, error)))
        return NULL;
    c.v = v;
    if (!virtkitDomainViewRefuseUnmodelled(v, NULL, "the qemu plugin", error))
        return NULL;
    if (g_strcmp0(v->type, "qemu") != 0 && g_strcmp0(v->type, "kvm") != 0) {
        qemuRefuse(error, "<domain type='%s'>: the qemu plugin runs 'qemu' and 'kvm'",
                   v->type ? v->type : "");
        return NULL;
    }
    if (g_str_equal(v->type, "kvm") && !opts->kvm) {
        qemuRefuse(error, "<domain type='kvm'>: KVM is not usable on this host "
                   "(use type='qemu' for TCG)");
        return NULL;
    }

    g_ptr_array_add(argv, g_strdup(opts->binary ? opts->binary
                                   : v->emulator ? v->emulator : "qemu-system-x86_64"));
    s = g_string_new("guest=");
    qemuEscape(s, v->name);
    g_string_append(s, ",debug-threads=on");
    qemuArgVal(&c, "-name", s);
    virtkitUUIDFormat(v->uuid, uuid);
    qemuArgVal(&c, "-uuid", g_string_new(uuid));
    qemuArg(&c, "-no-user-config");
    qemuArg(&c, "-nodefaults");
    qemuArg(&c, "-S");
    qemuArgVal(&c, "-display", g_string_new("none"));
    qemuArgVal(&c, "-msg", g_string_new("timestamp=on"));
    s = g_string_new("socket,id=charmonitor");
    qemuProp(s, "path", opts->monitor_path);
    g_string_append(s, ",server=on,wait=off");
    qemuArgVal(&c, "-chardev", s);
    qemuArgVal(&c, "-mon", g_string_new("chardev=charmonitor,id=monitor,mode=control"));
    if (opts->pidfile)
        qemuArgVal(&c, "-pidfile", g_string_new(opts->pidfile));
    if (opts->no_shutdown)
        qemuArg(&c, "-no-shutdown");

    if (!qemuBuildMachine(&c, error) || !qemuBuildCpu(&c, error) ||
        !qemuBuildMemorySmp(&c, error) || !qemuBuildOs(&c, error) ||
        !qemuBuildClock(&c, error) || !qemuBuildControllers(&c, error))
        return NULL;
    for (guint i = 0; i < v->disks->len; i++)
        if (!qemuBuildDisk(&c, &g_array_index(v->disks, virtkitDiskView, i), i + 1, error))
            return NULL;
    for (guint i = 0; i < v->interfaces->len; i++)
        if (!qemuBuildInterface(&c, &g_array_index(v->interfaces, virtkitInterfaceView, i), i,
                                error))
            return NULL;
    if (!qemuBuildGraphics(&c, error) || !qemuBuildVideo(&c, error) ||
        !qemuBuildChardevs(&c, error) || !qemuBuildInputs(&c, error) ||
        !qemuBuildMemballoon(&c, error))
        return NULL;

    g_ptr_array_add(argv, NULL);
    return (GStrv) g_ptr_array_steal(argv, NULL);
}
