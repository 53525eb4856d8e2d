/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The QEMU command-line builder, checked without QEMU: one table row per
 * device class (and domain-wide view) with the options its XML must give,
 * and one row per refusal with the words its error must say.
 */
#include "qemu-command.h"

#include <virtkit/virtkit.h>

#include <string.h>

#define DOMAIN \
    "<domain type='qemu'><name>g1</name>" \
    "<uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>" \
    "<memory unit='MiB'>128</memory><vcpu current='1'>2</vcpu>" \
    "<os><type arch='x86_64' machine='%s'>hvm</type>%s</os>%s" \
    "<devices>%s</devices></domain>"

typedef struct {
    const char *name;
    const char *machine;    /* NULL: pc */
    const char *os;         /* inside <os> after <type> */
    const char *top;        /* after </os> */
    const char *devices;
    const char *expect[12]; /* "-opt value" pairs that must follow each other in argv */
    const char *absent[4];  /* options that must not appear at all */
} qemuCase;

static const qemuCase cases[] = {
    { "minimal", NULL, "", "", "",
      { "-machine pc,acpi=off", "-accel tcg", "-cpu max", "-m size=131072k",
        "-smp 1,maxcpus=2", "-name guest=g1,debug-threads=on",
        "-uuid c7a5fdbd-edaf-9455-926a-d65c16db1809", "-display none",
        "-chardev socket,id=charmonitor,path=/run/x/mon,,1.sock,server=on,wait=off",
        "-mon chardev=charmonitor,id=monitor,mode=control", "-rtc base=utc", "-boot order=c" },
      { "-vnc", "-netdev", "-blockdev", "-kernel" } },
    { "q35-acpi-features", "q35", "<boot dev='cdrom'/><boot dev='hd'/><bootmenu enable='yes' timeout='3000'/>",
      "<features><acpi/><apic/><vmport state='off'/><smm state='on'/><pmu state='off'/></features>"
      "<cpu mode='custom'><model>qemu64</model><topology sockets='1' dies='1' cores='2' threads='1'/>"
      "<feature policy='require' name='vme'/><feature policy='disable' name='svm'/></cpu>"
      "<clock offset='localtime'><timer name='rtc' tickpolicy='catchup' track='guest'/>"
      "<timer name='pit' tickpolicy='delay'/></clock>", "",
      { "-machine q35,acpi=on,vmport=off,smm=on", "-cpu qemu64,vme=on,svm=off,pmu=off",
        "-smp 1,maxcpus=2,sockets=1,dies=1,cores=2,threads=1",
        "-rtc base=localtime,driftfix=slew,clock=vm", "-boot order=dc,menu=on,splash-time=3000" } },
    { "cpu-host-model-probe", NULL, "", "<cpu mode='host-model'/>", "",
      { "-cpu Skylake-Client-IBRS" } },
    { "cpu-host-passthrough-tcg", NULL, "", "<cpu mode='host-passthrough'/>", "",
      { "-cpu max" } },
    { "kernel", NULL, "<kernel>/k/vmlinuz</kernel><initrd>/k/initrd,x</initrd><cmdline>console=ttyS0</cmdline>",
      "", "", { "-kernel /k/vmlinuz", "-initrd /k/initrd,x", "-append console=ttyS0" } },
    { "memory-hotplug", NULL, "", "<maxMemory slots='4' unit='MiB'>1024</maxMemory>", "",
      { "-m size=131072k,slots=4,maxmem=1048576k" } },
    { "disk-virtio-qcow2", NULL, "", "",
      "<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='none' io='native' "
      "discard='unmap' detect_zeroes='unmap'/><source file='/img/a,b.qcow2' index='2'/>"
      "<backingStore/>"
      "<target dev='vdb' bus='virtio'/><serial>S1</serial><boot order='1'/></disk>",
      { "-blockdev driver=file,filename=/img/a,,b.qcow2,node-name=libvirt-1-storage,"
        "cache.direct=on,cache.no-flush=off,auto-read-only=on,aio=native,discard=unmap",
        "-blockdev node-name=libvirt-1-format,read-only=off,cache.direct=on,cache.no-flush=off,"
        "discard=unmap,detect-zeroes=unmap,driver=qcow2,file=libvirt-1-storage",
        "-device virtio-blk-pci,drive=libvirt-1-format,id=virtio-disk1,write-cache=on,serial=S1,"
        "bootindex=1", "-boot strict=on" } },
    { "disk-ide-raw-cdrom", NULL, "", "",
      "<disk type='file' device='disk'><source file='/img/r.raw'/><target dev='hda' bus='ide'/>"
      "</disk>"
      "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>",
      { "-blockdev node-name=libvirt-1-format,read-only=off,cache.direct=off,cache.no-flush=off,"
        "driver=raw,file=libvirt-1-storage",
        "-device ide-hd,bus=ide.0,unit=0,drive=libvirt-1-format,id=ide0-0-0,write-cache=on",
        "-device ide-cd,bus=ide.1,unit=0,id=ide0-1-0" } },
    { "disk-sata-q35-block", "q35", "", "",
      "<disk type='block' device='disk'><driver name='qemu' type='raw' cache='writethrough'/>"
      "<source dev='/dev/vg/x'/><target dev='sda' bus='sata'/><shareable/></disk>",
      { "-blockdev driver=host_device,filename=/dev/vg/x,node-name=libvirt-1-storage,"
        "cache.direct=off,cache.no-flush=off,auto-read-only=on",
        "-device ide-hd,bus=ide.0,drive=libvirt-1-format,id=sata0-0-0,write-cache=off,share-rw=on" } },
    { "disk-sata-pc", NULL, "", "",
      "<disk type='file' device='cdrom'><source file='/i.iso'/><target dev='sdb' bus='sata'/></disk>",
      { "-device ich9-ahci,id=sata0",
        "-device ide-cd,bus=sata0.1,drive=libvirt-1-format,id=sata0-0-1" } },
    { "disk-scsi", NULL, "", "",
      "<controller type='scsi' index='0' model='virtio-scsi'><driver queues='2'/></controller>"
      "<disk type='file' device='disk'><source file='/s.raw'/><target dev='sda' bus='scsi'/>"
      "<address type='drive' controller='0' bus='0' target='0' unit='3'/></disk>",
      { "-device virtio-scsi-pci,id=scsi0,num_queues=2",
        "-device scsi-hd,bus=scsi0.0,channel=0,scsi-id=0,lun=3,drive=libvirt-1-format,"
        "id=scsi0-0-0-3,write-cache=on" } },
    { "disk-scsi-lsi-readonly", NULL, "", "",
      "<disk type='file' device='disk'><source file='/s.raw'/><target dev='sdb' bus='scsi'/>"
      "<readonly/></disk>",
      { "-device lsi53c895a,id=scsi0",
        "-blockdev node-name=libvirt-1-format,read-only=on,cache.direct=off,cache.no-flush=off,"
        "driver=raw,file=libvirt-1-storage",
        "-device scsi-hd,bus=scsi0.0,scsi-id=1,drive=libvirt-1-format,id=scsi0-0-0-1,"
        "write-cache=on" } },
    { "controllers-usb-virtio-serial", NULL, "", "",
      "<controller type='usb' index='0' model='qemu-xhci'/>"
      "<controller type='virtio-serial' index='0' ports='8'>"
      "<address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/></controller>",
      { "-device qemu-xhci,id=usb", "-device virtio-serial-pci,id=virtio-serial0,max_ports=8,"
        "bus=pci.0,addr=0x7" } },
    { "interface-user-virtio", NULL, "", "",
      "<interface type='user'><mac address='52:54:00:11:22:33'/><model type='virtio'/>"
      "<mtu size='1400'/></interface>",
      { "-netdev user,id=hostnet0",
        "-device virtio-net-pci,netdev=hostnet0,id=net0,mac=52:54:00:11:22:33,host_mtu=1400" } },
    { "interface-ethernet-tap", NULL, "", "",
      "<interface type='ethernet'><mac address='52:54:00:11:22:34'/><target dev='vktap0'/>"
      "<model type='e1000'/></interface>",
      { "-netdev tap,ifname=vktap0,script=no,downscript=no,id=hostnet0",
        "-device e1000,netdev=hostnet0,id=net0,mac=52:54:00:11:22:34" } },
    { "graphics-vnc-loopback", NULL, "", "",
      "<graphics type='vnc' port='5905' autoport='no' listen='127.0.0.1' keymap='en-us'/>",
      { "-vnc 127.0.0.1:5", "-k en-us", "-device cirrus-vga,id=video0,vgamem_mb=16" } },
    { "graphics-vnc-autoport", NULL, "", "",
      "<graphics type='vnc'/><video><model type='vga' vram='8192'/></video>",
      { "-vnc 127.0.0.1:0,to=99", "-device VGA,id=video0,vgamem_mb=8" } },
    { "graphics-vnc-socket", NULL, "", "",
      "<graphics type='vnc'><listen type='socket'/></graphics><video><model type='virtio'/></video>",
      { "-vnc unix:/run/x/vnc.sock", "-device virtio-vga,id=video0" } },
    { "video-none", NULL, "", "", "<video><model type='none'/></video>",
      { "-cpu max" }, { "-vnc", "-device" } },
    { "serial-pty-console", NULL, "", "", "<serial type='pty'/><console type='pty'/>",
      { "-chardev pty,id=charserial0",
        "-device isa-serial,chardev=charserial0,id=serial0,index=0" } },
    { "serial-unix-file-tcp", NULL, "", "",
      "<serial type='unix'><source mode='bind' path='/run/x/s0'/><target port='0'/></serial>"
      "<serial type='file'><source path='/log/s1' append='on'/><target port='1'/></serial>"
      "<serial type='tcp'><source mode='bind' host='127.0.0.1' service='4555'/>"
      "<protocol type='telnet'/><target port='2'/></serial>",
      { "-chardev socket,path=/run/x/s0,server=on,wait=off,id=charserial0",
        "-chardev file,path=/log/s1,append=on,id=charserial1",
        "-chardev socket,host=127.0.0.1,port=4555,server=on,wait=off,telnet=on,id=charserial2",
        "-device isa-serial,chardev=charserial2,id=serial2,index=2" } },
    { "channel-console-virtio", NULL, "", "",
      "<channel type='unix'><source mode='bind' path='/run/x/ga'/>"
      "<target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
      "<console type='pty'><target type='virtio' port='0'/></console>",
      { "-device virtio-serial-pci,id=virtio-serial0",
        "-chardev socket,path=/run/x/ga,server=on,wait=off,id=charchannel0",
        "-device virtserialport,chardev=charchannel0,id=channel0,name=org.qemu.guest_agent.0",
        "-chardev pty,id=charconsole0",
        "-device virtconsole,chardev=charconsole0,id=console0" } },
    { "input", NULL, "", "",
      "<input type='tablet' bus='usb'/><input type='keyboard' bus='virtio'/>"
      "<input type='mouse' bus='ps2'/>",
      { "-device piix3-usb-uhci,id=usb", "-device usb-tablet,id=input0,bus=usb.0",
        "-device virtio-keyboard-pci,id=input1" } },
    { "memballoon", NULL, "", "",
      "<memballoon model='virtio' autodeflate='on'><stats period='10'/></memballoon>",
      { "-device virtio-balloon-pci,id=balloon0,deflate-on-oom=on,"
        "guest-stats-polling-interval=10" } },
};

static virtkitDomainDef *
parse(const char *machine, const char *os, const char *top, const char *devices)
{
    g_autofree char *xml = g_strdup_printf(DOMAIN, machine ? machine : "pc", os, top, devices);
    g_autoptr(GError) err = NULL;
    virtkitDomainDef *def = virtkitDomainDefParseString(xml, NULL, 0, &err);
    g_assert_no_error(err);
    return def;
}

static void
assert_pair(GStrv argv, const char *pair)
{
    g_autofree char *opt = g_strdup(pair);
    char *val = strchr(opt, ' ');
    g_autofree char *joined = NULL;
    g_assert_nonnull(val);
    *val++ = '\0';
    for (guint i = 0; argv[i]; i++)
        if (g_str_equal(argv[i], opt) && argv[i + 1] && g_str_equal(argv[i + 1], val))
            return;
    joined = g_strjoinv(" ", argv);
    g_test_message("argv: %s", joined);
    g_test_fail_printf("'%s %s' is not in the command line", opt, val);
}

static void
test_case(gconstpointer data)
{
    const qemuCase *tc = data;
    g_autoptr(virtkitDomainDef) def = parse(tc->machine, tc->os, tc->top, tc->devices);
    qemuCommandOptions opts = {
        .monitor_path = "/run/x/mon,1.sock",
        .socket_dir = "/run/x",
        .host_cpu_model = g_str_equal(tc->name, "cpu-host-model-probe") ? "Skylake-Client-IBRS"
                                                                        : NULL,
    };
    g_autoptr(GError) err = NULL;
    g_auto(GStrv) argv = qemuBuildCommandLine(def, &opts, &err);

    g_assert_no_error(err);
    g_assert_cmpstr(argv[0], ==, "qemu-system-x86_64");
    g_assert_true(g_strv_contains((const char *const *) argv, "-S"));
    g_assert_true(g_strv_contains((const char *const *) argv, "-nodefaults"));
    g_assert_true(g_strv_contains((const char *const *) argv, "-no-user-config"));
    for (guint i = 0; i < G_N_ELEMENTS(tc->expect) && tc->expect[i]; i++)
        assert_pair(argv, tc->expect[i]);
    for (guint i = 0; i < G_N_ELEMENTS(tc->absent) && tc->absent[i]; i++)
        g_assert_false(g_strv_contains((const char *const *) argv, tc->absent[i]));
}

static void
test_kvm(void)
{
    g_autoptr(virtkitDomainDef) def = parse(NULL, "", "", "");
    qemuCommandOptions opts = { .monitor_path = "/m", .kvm = TRUE, .binary = "/opt/qemu" };
    g_auto(GStrv) argv = qemuBuildCommandLine(def, &opts, NULL);

    g_assert_nonnull(argv);
    g_assert_cmpstr(argv[0], ==, "/opt/qemu");
    assert_pair(argv, "-accel kvm");
    assert_pair(argv, "-cpu host");
}

static void
test_refuse_no_monitor(void)
{
    g_autoptr(virtkitDomainDef) def = parse(NULL, "", "", "");
    qemuCommandOptions opts = { 0 };
    g_autoptr(GError) err = NULL;
    g_auto(GStrv) argv = qemuBuildCommandLine(def, &opts, &err);

    g_assert_null(argv);
    g_assert_error(err, VIRTKIT_CONF_ERROR, VIR_ERR_INVALID_ARG);
}

typedef struct {
    const char *name;
    const char *machine, *os, *top, *devices;
    const char *says;       /* the message must contain this */
} qemuRefusal;

static const qemuRefusal refusals[] = {
    { "unmodelled-top", NULL, "", "<cputune><shares>10</shares></cputune>", "", "<cputune>" },
    { "unmodelled-device", NULL, "", "", "<watchdog model='i6300esb'/>", "<devices/watchdog>" },
    { "unmodelled-attr", NULL, "", "", "<disk type='file' device='disk'><source file='/a'/>"
      "<target dev='vda' bus='virtio' removable='on'/></disk>",
      "<devices/disk/target removable='on'>" },
    { "unmodelled-child", NULL, "", "", "<disk type='file' device='disk'><source file='/a'/>"
      "<target dev='vda' bus='virtio'/><iotune><total_bytes_sec>1</total_bytes_sec></iotune>"
      "</disk>", "<devices/disk/iotune>" },
    { "machine", "isapc", "", "", "", "machine='isapc'" },
    { "loader", NULL, "<loader readonly='yes' type='pflash'>/f.fd</loader>", "", "", "<os><loader>" },
    { "cpu-optional", NULL, "", "<cpu mode='custom'><model>qemu64</model>"
      "<feature policy='optional' name='vme'/></cpu>", "", "policy='optional'" },
    { "vcpu-cpuset", NULL, "", "", "", "cpuset" },
    { "clock-variable", NULL, "", "<clock offset='variable' adjustment='10'/>", "",
      "<clock offset='variable'>" },
    { "timer-kvmclock", NULL, "", "<clock offset='utc'><timer name='kvmclock'/></clock>", "",
      "<clock><timer name='kvmclock'>" },
    { "disk-network", NULL, "", "", "<disk type='network' device='disk'>"
      "<source protocol='nbd' name='x'><host name='127.0.0.1' port='1'/></source>"
      "<target dev='vda' bus='virtio'/></disk>", "<devices/disk/source" },
    { "disk-dir", NULL, "", "", "<disk type='dir' device='disk'><source dir='/d'/>"
      "<target dev='vda' bus='virtio'/></disk>", "<disk type> other than 'file' and 'block'" },
    { "disk-floppy", NULL, "", "", "<disk type='file' device='floppy'><source file='/f'/>"
      "<target dev='fda' bus='fdc'/></disk>", "floppy disks" },
    { "disk-backing-chain", NULL, "", "", "<disk type='file' device='disk'><source file='/a'/>"
      "<backingStore type='file'><format type='raw'/><source file='/b'/></backingStore>"
      "<target dev='vda' bus='virtio'/></disk>", "<devices/disk/backingStore" },
    { "disk-format", NULL, "", "", "<disk type='file' device='disk'><driver name='qemu' "
      "type='vmdk'/><source file='/a'/><target dev='vda' bus='virtio'/></disk>",
      "<driver type='vmdk'>" },
    { "disk-usb", NULL, "", "", "<disk type='file' device='disk'><source file='/a'/>"
      "<target dev='sda' bus='usb'/></disk>", "<target bus>" },
    { "disk-error-policy", NULL, "", "", "<disk type='file' device='disk'><driver name='qemu' "
      "error_policy='stop'/><source file='/a'/><target dev='vda' bus='virtio'/></disk>",
      "error_policy='stop'" },
    /* a file disk without <source> never gets here: the domain parser refuses
     * it as libvirt does ("missing source information for device vda",
     * tests/conformance/misuse.c) */
    { "disk-ide-readonly", NULL, "", "", "<disk type='file' device='disk'><source file='/a'/>"
      "<target dev='hda' bus='ide'/><readonly/></disk>", "<readonly/> on an IDE disk" },
    { "disk-virtio-cdrom", NULL, "", "", "<disk type='file' device='cdrom'><source file='/a'/>"
      "<target dev='vda' bus='virtio'/></disk>", "a cdrom on the virtio bus" },
    { "disk-ide-q35", "q35", "", "", "<disk type='file' device='disk'><source file='/a'/>"
      "<target dev='hda' bus='ide'/></disk>", "only the built-in IDE controller of pc" },
    { "controller-ccid", NULL, "", "", "<controller type='ccid' index='0'/>", "type='ccid'" },
    { "controller-scsi-model", NULL, "", "", "<controller type='scsi' index='0' "
      "model='buslogic'/>", "model='buslogic'" },
    { "interface-network", NULL, "", "", "<interface type='network'><source network='default'/>"
      "</interface>", "only 'user' and 'ethernet'" },
    { "interface-bridge", NULL, "", "", "<interface type='bridge'><source bridge='br0'/>"
      "</interface>", "only 'user' and 'ethernet'" },
    { "interface-model", NULL, "", "", "<interface type='user'><model type='ne2k_pci'/>"
      "</interface>", "<model type='ne2k_pci'>" },
    { "interface-link-down", NULL, "", "", "<interface type='user'><link state='down'/>"
      "</interface>", "<link state='down'>" },
    { "graphics-spice", NULL, "", "", "<graphics type='spice'/>", "other than 'vnc'" },
    { "graphics-public", NULL, "", "", "<graphics type='vnc' listen='0.0.0.0'/>",
      "listening on '0.0.0.0'" },
    { "graphics-passwd", NULL, "", "", "<graphics type='vnc' passwd='x'/>", "passwd" },
    { "graphics-two", NULL, "", "", "<graphics type='vnc'/><graphics type='vnc'/>",
      "a second <graphics>" },
    { "video-qxl", NULL, "", "", "<video><model type='qxl'/></video>", "<model type='qxl'>" },
    { "serial-vc", NULL, "", "", "<serial type='vc'/>", "type 'vc'" },
    { "serial-usb", NULL, "", "", "<serial type='pty'><target type='usb-serial'/></serial>",
      "<target type='usb-serial'>" },
    { "parallel", NULL, "", "", "<parallel type='pty'/>", "<parallel>" },
    { "channel-guestfwd", NULL, "", "", "<channel type='pty'><target type='guestfwd' "
      "address='10.0.2.1' port='4600'/></channel>", "<devices/channel/target" },
    { "input-evdev", NULL, "", "", "<input type='evdev'><source dev='/dev/input/event1'/></input>",
      "<devices/input/source" },
    { "memballoon-xen", NULL, "", "", "<memballoon model='xen'/>", "<memballoon model='xen'>" },
    { "address-isa", NULL, "", "", "<interface type='user'><address type='isa' iobase='0x300'/>"
      "</interface>", "<devices/interface/address iobase='0x300'>" },
    { "address-pci-bus", NULL, "", "", "<memballoon model='virtio'><address type='pci' "
      "domain='0x0000' bus='0x01' slot='0x02' function='0x0'/></memballoon>", "bus='1'" },
    { "domain-type", NULL, "", "", "", "<domain type='kvm'>: KVM is not usable" },
};

static void
test_refusal(gconstpointer data)
{
    const qemuRefusal *r = data;
    g_autoptr(virtkitDomainDef) def = NULL;
    qemuCommandOptions opts = { .monitor_path = "/m" };
    g_autoptr(GError) err = NULL;
    g_auto(GStrv) argv = NULL;

    def = parse(r->machine, r->os, r->top, r->devices);
    if (g_str_equal(r->name, "vcpu-cpuset"))
        virtkitXmlNodeSetAttr(virtkitXmlNodeChild(virtkitDomainDefGetRoot(def), "vcpu"),
                              "cpuset", "0-1");
    if (g_str_equal(r->name, "domain-type"))
        virtkitXmlNodeSetAttr(virtkitDomainDefGetRoot(def), "type", "kvm");
    argv = qemuBuildCommandLine(def, &opts, &err);
    g_assert_null(argv);
    g_assert_error(err, VIRTKIT_CONF_ERROR, VIR_ERR_CONFIG_UNSUPPORTED);
    if (!strstr(err->message, r->says))
        g_test_fail_printf("'%s' does not say '%s'", err->message, r->says);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("/qemu/command/%s", cases[i].name);
        g_test_add_data_func(path, &cases[i], test_case);
    }
    for (guint i = 0; i < G_N_ELEMENTS(refusals); i++) {
        g_autofree char *path = g_strdup_printf("/qemu/command/refuse/%s", refusals[i].name);
        g_test_add_data_func(path, &refusals[i], test_refusal);
    }
    g_test_add_func("/qemu/command/kvm", test_kvm);
    g_test_add_func("/qemu/command/refuse/no-monitor", test_refuse_no_monitor);
    return g_test_run();
}
