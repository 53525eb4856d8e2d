/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * virtkit-conf-devices.h: typed views of what a hypervisor needs to run a
 * guest, read once from a parsed domain definition: os and boot, cpu,
 * features, clock, memory, vcpus, and the disks, controllers, interfaces,
 * graphics, video, serial/console/channel/parallel, input and memballoon
 * devices.
 *
 * The qemu, xen and esx plugins read these instead of walking the element
 * tree.  Numbers arrive parsed (ports, indexes, sizes in KiB), yes/no and
 * on/off as gboolean or a tristate, and the choices a plugin switches on
 * (disk type, device and bus; interface, graphics and chardev types ...) as
 * C enums; a value the view does not know is refused when the view is built
 * (VIR_ERR_CONFIG_UNSUPPORTED naming the element, attribute and value).
 *
 * Nothing is silently dropped: every element and attribute below a viewed
 * element that the view does not represent, and every hardware element
 * outside the views (<cputune>, <hostdev>, <numatune> ...), is listed in
 * virtkitDomainView.unmodelled as "<devices/disk/iotune>" or
 * "<devices/disk/driver cache='none'>".  A plugin refuses those with
 * virtkitDomainViewRefuseUnmodelled() (or accepts the ones it handles).
 *
 * Lifetime: every string is borrowed from the definition, which must
 * outlive the view and not change while it is used.  Thread rules: as the
 * definition's.
 */
#ifndef VIRTKIT_CONF_DEVICES_H
#define VIRTKIT_CONF_DEVICES_H

#include "virtkit-conf-domain.h"

G_BEGIN_DECLS

/* Absent, or set to no/off, or yes/on. */
typedef enum {
    VIRTKIT_TRISTATE_ABSENT = 0,
    VIRTKIT_TRISTATE_OFF,
    VIRTKIT_TRISTATE_ON,
} virtkitTristate;

/**
 * virtkitDeviceAddress:
 * @type: "pci", "drive", "virtio-serial", "usb", "isa", ... or NULL when
 *        the device has no <address>
 * @domain, @bus, @slot, @function, @multifunction: type 'pci'
 * @controller, @bus, @target, @unit: type 'drive' (@bus shared with pci)
 * @port: type 'virtio-serial' (with @controller and @bus) or the usb port
 *        ("1.2") for type 'usb' in @usb_port
 *
 * Since: 0.1.0
 */
typedef struct _virtkitDeviceAddress {
    const char *type;
    guint domain;
    guint bus;
    guint slot;
    guint function;
    gboolean multifunction;
    guint controller;
    guint target;
    guint unit;
    guint port;
    const char *usb_port;
} virtkitDeviceAddress;

typedef enum {
    VIRTKIT_BOOT_HD = 0,
    VIRTKIT_BOOT_CDROM,
    VIRTKIT_BOOT_FD,
    VIRTKIT_BOOT_NETWORK,
} virtkitBootDevice;

typedef struct _virtkitDomainOsView {
    const char *type;           /* "hvm", "xen", "linux", "exe" */
    const char *arch;           /* NULL: the host's */
    const char *machine;        /* NULL: the hypervisor's default */
    GArray *boot;               /* virtkitBootDevice, in <boot> order */
    virtkitTristate bootmenu;
    guint bootmenu_timeout_ms;  /* 0 when absent */
    const char *loader;         /* <loader> path or NULL */
    virtkitTristate loader_readonly;
    const char *loader_type;    /* "rom", "pflash" or NULL */
    const char *nvram;
    const char *kernel;
    const char *initrd;
    const char *cmdline;
    const char *dtb;
} virtkitDomainOsView;

typedef enum {
    VIRTKIT_CPU_MODE_NONE = 0,      /* no <cpu> element */
    VIRTKIT_CPU_MODE_CUSTOM,
    VIRTKIT_CPU_MODE_HOST_MODEL,
    VIRTKIT_CPU_MODE_HOST_PASSTHROUGH,
    VIRTKIT_CPU_MODE_MAXIMUM,
} virtkitCpuMode;

typedef enum {
    VIRTKIT_CPU_FEATURE_FORCE = 0,
    VIRTKIT_CPU_FEATURE_REQUIRE,
    VIRTKIT_CPU_FEATURE_OPTIONAL,
    VIRTKIT_CPU_FEATURE_DISABLE,
    VIRTKIT_CPU_FEATURE_FORBID,
} virtkitCpuFeaturePolicy;

typedef struct _virtkitCpuFeature {
    const char *name;
    virtkitCpuFeaturePolicy policy;
} virtkitCpuFeature;

typedef struct _virtkitDomainCpuView {
    virtkitCpuMode mode;
    const char *model;          /* <model> text or NULL */
    const char *fallback;       /* "allow", "forbid" or NULL */
    const char *check;          /* "none", "partial", "full" or NULL */
    /* <topology>; all 0 when absent */
    guint sockets;
    guint dies;
    guint cores;
    guint threads;
    GArray *features;           /* virtkitCpuFeature */
} virtkitDomainCpuView;

/* <features>: the ones hypervisors share; anything else is unmodelled. */
typedef struct _virtkitDomainFeaturesView {
    virtkitTristate acpi;
    virtkitTristate apic;
    virtkitTristate pae;
    virtkitTristate hap;
    virtkitTristate pmu;
    virtkitTristate vmport;
    virtkitTristate smm;
} virtkitDomainFeaturesView;

typedef struct _virtkitClockTimer {
    const char *name;           /* "rtc", "pit", "hpet", "kvmclock", ... */
    virtkitTristate present;
    const char *tickpolicy;     /* "delay", "catchup", "merge", "discard" or NULL */
    const char *track;          /* "guest", "wall", "realtime" or NULL */
} virtkitClockTimer;

typedef struct _virtkitDomainClockView {
    const char *offset;         /* "utc", "localtime", "timezone", "variable", "absolute" */
    const char *timezone;
    gint64 adjustment;          /* seconds, offset='variable' */
    GArray *timers;             /* virtkitClockTimer */
} virtkitDomainClockView;

typedef struct _virtkitDomainMemoryView {
    guint64 memory_kib;         /* <memory> */
    guint64 current_kib;        /* <currentMemory> */
    guint64 max_kib;            /* <maxMemory>, 0 when absent */
    guint max_slots;
} virtkitDomainMemoryView;

typedef struct _virtkitDomainVcpuView {
    guint max;
    guint current;
    const char *cpuset;         /* NULL when absent */
} virtkitDomainVcpuView;

typedef enum {
    VIRTKIT_DISK_TYPE_FILE = 0,
    VIRTKIT_DISK_TYPE_BLOCK,
    VIRTKIT_DISK_TYPE_DIR,
    VIRTKIT_DISK_TYPE_NETWORK,
    VIRTKIT_DISK_TYPE_VOLUME,
    VIRTKIT_DISK_TYPE_NVME,
    VIRTKIT_DISK_TYPE_VHOSTUSER,
} virtkitDiskType;

typedef enum {
    VIRTKIT_DISK_DEVICE_DISK = 0,
    VIRTKIT_DISK_DEVICE_CDROM,
    VIRTKIT_DISK_DEVICE_FLOPPY,
    VIRTKIT_DISK_DEVICE_LUN,
} virtkitDiskDevice;

typedef enum {
    VIRTKIT_DISK_BUS_IDE = 0,
    VIRTKIT_DISK_BUS_FDC,
    VIRTKIT_DISK_BUS_SCSI,
    VIRTKIT_DISK_BUS_VIRTIO,
    VIRTKIT_DISK_BUS_XEN,
    VIRTKIT_DISK_BUS_USB,
    VIRTKIT_DISK_BUS_UML,
    VIRTKIT_DISK_BUS_SATA,
    VIRTKIT_DISK_BUS_SD,
} virtkitDiskBus;

typedef struct _virtkitDiskView {
    virtkitDiskType type;
    virtkitDiskDevice device;
    const char *driver_name;    /* <driver name>: "qemu", "tap", "phy" ... */
    const char *format;         /* <driver type>: "raw", "qcow2" ... or NULL */
    const char *cache;          /* <driver cache> or NULL; likewise below */
    const char *io;
    const char *discard;
    const char *detect_zeroes;
    const char *error_policy;
    const char *source;         /* file or dev path; NULL: no medium */
    const char *target;         /* <target dev> */
    virtkitDiskBus bus;
    virtkitTristate tray_open;
    gboolean readonly;
    gboolean shareable;
    const char *serial;
    guint boot_order;           /* 0: none */
    const char *alias;
    virtkitDeviceAddress address;
} virtkitDiskView;

typedef struct _virtkitControllerView {
    const char *type;           /* "ide", "scsi", "sata", "usb", "pci", "virtio-serial" ... */
    guint index;
    const char *model;          /* or NULL */
    guint ports;                /* virtio-serial; 0 when absent */
    guint vectors;
    guint queues;               /* <driver queues> */
    const char *alias;
    virtkitDeviceAddress address;
} virtkitControllerView;

typedef enum {
    VIRTKIT_NET_TYPE_USER = 0,
    VIRTKIT_NET_TYPE_NETWORK,
    VIRTKIT_NET_TYPE_BRIDGE,
    VIRTKIT_NET_TYPE_ETHERNET,
    VIRTKIT_NET_TYPE_DIRECT,
    VIRTKIT_NET_TYPE_OTHER,     /* mcast, udp, server, client, vhostuser, hostdev ... */
} virtkitNetType;

typedef struct _virtkitInterfaceView {
    virtkitNetType type;
    const char *type_name;      /* the type attribute as written */
    const char *mac;
    const char *source;         /* network name, bridge or dev; NULL for user */
    const char *target;         /* <target dev> (tap name) or NULL */
    gboolean target_managed;    /* <target managed>, default yes */
    const char *model;          /* <model type> or NULL */
    const char *script;         /* <script path> */
    guint boot_order;
    virtkitTristate link_up;    /* <link state> */
    guint mtu;                  /* 0 when absent */
    const char *alias;
    virtkitDeviceAddress address;
} virtkitInterfaceView;

typedef enum {
    VIRTKIT_GRAPHICS_VNC = 0,
    VIRTKIT_GRAPHICS_SPICE,
    VIRTKIT_GRAPHICS_SDL,
    VIRTKIT_GRAPHICS_RDP,
    VIRTKIT_GRAPHICS_DESKTOP,
    VIRTKIT_GRAPHICS_EGL_HEADLESS,
    VIRTKIT_GRAPHICS_DBUS,
} virtkitGraphicsType;

typedef struct _virtkitGraphicsView {
    virtkitGraphicsType type;
    gint port;                  /* -1: automatic */
    gboolean autoport;
    gint websocket;             /* 0: none, -1: automatic */
    const char *listen_type;    /* "address", "network", "socket", "none" or NULL */
    const char *listen_address; /* NULL: the hypervisor's default */
    const char *socket;         /* listen type 'socket': the path, or NULL to generate */
    const char *passwd;
    const char *keymap;
    const char *share_policy;
} virtkitGraphicsView;

typedef struct _virtkitVideoView {
    const char *model;          /* "vga", "cirrus", "virtio", "qxl", "bochs", "none" ... */
    guint vram_kib;             /* 0 when absent; likewise ram, vgamem */
    guint ram_kib;
    guint vgamem_kib;
    guint heads;
    gboolean primary;
    const char *alias;
    virtkitDeviceAddress address;
} virtkitVideoView;

typedef enum {
    VIRTKIT_CHARDEV_SERIAL = 0,
    VIRTKIT_CHARDEV_CONSOLE,
    VIRTKIT_CHARDEV_CHANNEL,
    VIRTKIT_CHARDEV_PARALLEL,
} virtkitChardevKind;

typedef enum {
    VIRTKIT_CHR_PTY = 0,
    VIRTKIT_CHR_NULL,
    VIRTKIT_CHR_VC,
    VIRTKIT_CHR_FILE,
    VIRTKIT_CHR_UNIX,
    VIRTKIT_CHR_TCP,
    VIRTKIT_CHR_UDP,
    VIRTKIT_CHR_STDIO,
    VIRTKIT_CHR_PIPE,
    VIRTKIT_CHR_DEV,
    VIRTKIT_CHR_OTHER,          /* spicevmc, spiceport, qemu-vdagent, dbus, nmdm */
} virtkitChrType;

typedef struct _virtkitChardevView {
    virtkitChardevKind kind;
    virtkitChrType type;
    const char *type_name;      /* as written */
    const char *path;           /* file, unix, dev, pipe, pty */
    gboolean listen;            /* unix/tcp <source mode='bind'> */
    const char *host;           /* tcp/udp */
    const char *service;
    const char *protocol;       /* tcp <protocol type>: "raw", "telnet" ... */
    virtkitTristate append;     /* file */
    const char *log_file;
    const char *target_type;    /* serial: "isa-serial" ...; console: "serial", "virtio" ... */
    const char *target_model;   /* <target><model name> */
    const char *target_name;    /* channel: "org.qemu.guest_agent.0" */
    guint target_port;
    gboolean has_target_port;
    const char *alias;
    virtkitDeviceAddress address;
} virtkitChardevView;

typedef struct _virtkitInputView {
    const char *type;           /* "mouse", "tablet", "keyboard", "passthrough", "evdev" */
    const char *bus;            /* "ps2", "usb", "virtio", "xen" or NULL */
    const char *alias;
    virtkitDeviceAddress address;
} virtkitInputView;

typedef struct _virtkitMemballoonView {
    const char *model;          /* "virtio", "xen", "none"... */
    virtkitTristate autodeflate;
    guint stats_period;         /* seconds; 0 when absent */
    const char *alias;
    virtkitDeviceAddress address;
} virtkitMemballoonView;

/**
 * virtkitDomainView:
 *
 * The typed views of one definition.  Arrays hold the structs by value, in
 * document order; memballoon is NULL when the definition has none.
 * @unmodelled: NULL-terminated, what the views do not represent (see the
 * file comment), "<devices/hostdev>" or "<devices/disk/driver cache='none'>".
 *
 * Since: 0.1.0
 */
typedef struct _virtkitDomainView {
    const char *type;           /* <domain type> */
    const char *name;
    unsigned char uuid[16];
    virtkitDomainOsView os;
    virtkitDomainCpuView cpu;
    virtkitDomainFeaturesView features;
    virtkitDomainClockView clock;
    virtkitDomainMemoryView memory;
    virtkitDomainVcpuView vcpus;
    const char *emulator;
    GArray *disks;              /* virtkitDiskView */
    GArray *controllers;        /* virtkitControllerView */
    GArray *interfaces;         /* virtkitInterfaceView */
    GArray *graphics;           /* virtkitGraphicsView */
    GArray *videos;             /* virtkitVideoView */
    GArray *chardevs;           /* virtkitChardevView: serial, console, channel, parallel */
    GArray *inputs;             /* virtkitInputView */
    virtkitMemballoonView *memballoon;
    GStrv unmodelled;
} virtkitDomainView;

/**
 * virtkitDomainViewNew:
 * @def: the definition (borrowed for the view's lifetime)
 * @error: return location for a GError (VIRTKIT_CONF_ERROR,
 *         VIR_ERR_CONFIG_UNSUPPORTED or VIR_ERR_XML_DETAIL naming the
 *         element, attribute and value)
 *
 * Returns: (transfer full): the views, or NULL with @error set.
 * Since: 0.1.0
 */
virtkitDomainView *virtkitDomainViewNew(const virtkitDomainDef *def, GError **error);
void virtkitDomainViewFree(virtkitDomainView *view);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virtkitDomainView, virtkitDomainViewFree)

/**
 * virtkitDomainViewRefuseUnmodelled:
 * @view: the views
 * @accepted: NULL-terminated prefixes of unmodelled entries the caller
 *            handles or may ignore ("<devices/disk/driver cache="), or NULL
 * @who: who refuses, for the message ("the qemu plugin")
 * @error: return location for a GError (VIR_ERR_CONFIG_UNSUPPORTED naming
 *         the first entry refused)
 *
 * Returns: TRUE when every unmodelled entry is @accepted.
 * Since: 0.1.0
 */
gboolean virtkitDomainViewRefuseUnmodelled(const virtkitDomainView *view,
                                           const char *const *accepted, const char *who,
                                           GError **error);

G_END_DECLS

#endif /* VIRTKIT_CONF_DEVICES_H */
