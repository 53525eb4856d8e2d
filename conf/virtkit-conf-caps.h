/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * virtkit-conf-caps.h: the capabilities XML (virConnectGetCapabilities:
 * <capabilities><host/><guest/>...</capabilities>) and the domain
 * capabilities XML (virConnectGetDomainCapabilities: <domainCapabilities>),
 * as models a plugin fills and formats.
 *
 * Thread rules: a model belongs to one thread at a time while it is filled;
 * once filled, concurrent reads and formatting are safe.
 */
#ifndef VIRTKIT_CONF_CAPS_H
#define VIRTKIT_CONF_CAPS_H

#include "virtkit-conf-xml.h"

G_BEGIN_DECLS

typedef struct _virtkitCapsGuest {
    char *os_type;           /* "hvm", "exe", "xen" */
    char *arch;              /* "x86_64" */
    guint wordsize;          /* 64 */
    char *emulator;          /* may be NULL */
    GPtrArray *machines;     /* char *, the first is the default */
    GPtrArray *machine_info; /* virtkitCapsMachine *, one per machine (NULL: no attributes) */
    GPtrArray *domain_types; /* char *, "kvm", "qemu", "test" */
    GPtrArray *features;     /* char *: "pae", "acpi" ... formatted as <name/> */
} virtkitCapsGuest;

/* What libvirt formats as <machine>'s attributes.  Since: 0.1.0 */
typedef struct _virtkitCapsMachine {
    char *canonical;         /* the machine an alias stands for ('pc'), may be NULL */
    guint max_cpus;          /* 0: no maxCpus attribute */
    gboolean deprecated;
} virtkitCapsMachine;

typedef struct _virtkitCapsPages {
    guint size_kib;
    guint64 count;
} virtkitCapsPages;

typedef struct _virtkitCapsCell {
    guint id;
    guint64 memory_kib;
    GArray *pages;           /* virtkitCapsPages: free pages of each size */
    GArray *cpus;            /* guint cpu ids; socket = cell id, core = index */
} virtkitCapsCell;

typedef struct _virtkitCaps {
    char *host_arch;
    char *host_uuid;         /* may be NULL */
    GPtrArray *host_features; /* char *: "pae", "vmx" ... under <cpu><features> */
    GArray *page_sizes_kib;  /* guint */
    GPtrArray *cells;        /* virtkitCapsCell */
    char *secmodel;          /* may be NULL; "none", "selinux", "testSecurity" */
    char *secmodel_doi;
    GPtrArray *guests;       /* virtkitCapsGuest */
} virtkitCaps;

/* A host of @arch with nothing else.  Since: 0.1.0 */
virtkitCaps *virtkitCapsNew(const char *host_arch);
void virtkitCapsFree(virtkitCaps *caps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virtkitCaps, virtkitCapsFree)

/* Add a guest; the returned guest is owned by @caps.  Since: 0.1.0 */
virtkitCapsGuest *virtkitCapsAddGuest(virtkitCaps *caps, const char *os_type, const char *arch,
                                      guint wordsize, const char *emulator);
void virtkitCapsGuestAddDomainType(virtkitCapsGuest *guest, const char *type);
void virtkitCapsGuestAddMachine(virtkitCapsGuest *guest, const char *machine);
/* A machine with libvirt's attributes: canonical='' (@canonical may be
 * NULL), maxCpus='' (@max_cpus 0: none), deprecated='yes'.  Since: 0.1.0 */
void virtkitCapsGuestAddMachineFull(virtkitCapsGuest *guest, const char *machine,
                                    const char *canonical, guint max_cpus, gboolean deprecated);
void virtkitCapsGuestAddFeature(virtkitCapsGuest *guest, const char *feature);
/* Add a NUMA cell with @ncpus CPUs numbered after those already added. */
virtkitCapsCell *virtkitCapsAddCell(virtkitCaps *caps, guint64 memory_kib, guint ncpus);
void virtkitCapsCellAddPages(virtkitCapsCell *cell, guint size_kib, guint64 count);

/**
 * virtkitCapsDefaultArch:
 * @caps: the capabilities, may be NULL
 * @os_type: "hvm", "exe" ...
 * @virt_type: the <domain type>, or NULL for any
 *
 * Returns: the arch of the first guest of @os_type (and @virt_type), as
 * libvirt picks it for an <os><type> without arch; the host arch when there
 * is no such guest; NULL when @caps is NULL.
 * Since: 0.1.0
 */
const char *virtkitCapsDefaultArch(const virtkitCaps *caps, const char *os_type,
                                   const char *virt_type);

/* The first machine of the matching guest, or NULL.  Since: 0.1.0 */
const char *virtkitCapsDefaultMachine(const virtkitCaps *caps, const char *os_type,
                                      const char *arch, const char *virt_type);

/* The <capabilities> document.  Since: 0.1.0 */
char *virtkitCapsFormat(const virtkitCaps *caps);

/* libvirt's test driver's host (test:///default), as a ready model. */
virtkitCaps *virtkitCapsNewTestDefault(void);

/* ---- domain capabilities ------------------------------------------------ */

/**
 * virtkitDomainCaps:
 *
 * The facts virt-install and virt-manager read from
 * virConnectGetDomainCapabilities.  Enum lists are NULL-terminated string
 * arrays; a NULL list formats the element as unsupported.
 *
 * Since: 0.1.0
 */
typedef struct _virtkitDomainCaps {
    char *path;              /* emulator */
    char *domain_type;       /* "kvm" */
    char *machine;           /* may be NULL */
    char *arch;
    guint max_vcpus;
    gboolean iothreads;
    /* <os>: firmware values and loader */
    GStrv firmware;          /* "efi", "bios"; NULL: no firmware attr */
    GStrv loader_values;     /* paths */
    GStrv loader_types;      /* "rom", "pflash" */
    GStrv loader_readonly;   /* "yes", "no" */
    GStrv loader_secure;     /* "yes", "no" */
    /* <cpu> modes */
    gboolean cpu_host_passthrough;
    gboolean cpu_maximum;
    char *cpu_host_model;    /* model name for host-model, NULL: unsupported */
    char *cpu_host_model_vendor;
    GStrv cpu_custom_models; /* custom models */
    GStrv cpu_custom_usable; /* parallel to cpu_custom_models, "yes"/"no"; NULL: all "yes" */
    char *cpu_custom_vendor; /* their vendor attribute, NULL: "unknown" */
    gboolean no_memory_backing; /* TRUE: <memoryBacking supported='no'/> */
    /* <devices> */
    GStrv disk_device;       /* "disk", "cdrom", "floppy", "lun" */
    GStrv disk_bus;          /* "ide", "scsi", "virtio", "usb", "sata", "fdc" */
    GStrv disk_model;        /* "virtio", "virtio-transitional", ... */
    GStrv graphics_type;     /* "sdl", "vnc", "spice" */
    GStrv video_model;       /* "vga", "cirrus", "virtio", ... */
    GStrv hostdev_mode;      /* "subsystem" */
    GStrv hostdev_startup;
    GStrv hostdev_subsys;    /* "usb", "pci", "scsi" */
    GStrv hostdev_pci_backend;
    GStrv rng_model;         /* "virtio" */
    GStrv rng_backend;       /* "random", "egd", "builtin" */
    GStrv filesystem_driver; /* "path", "handle", "virtiofs" */
    GStrv tpm_model;
    GStrv tpm_backend;
    GStrv redirdev_bus;
    GStrv channel_type;
    GStrv crypto_model;      /* kept for later libvirt levels; 9.0 formats none */
    GStrv interface_backend; /* idem */
    /* <features> */
    gboolean gic;
    gboolean vmcoreinfo;
    gboolean genid;
    gboolean backing_store_input;
    gboolean backup;
    gboolean async_teardown; /* idem */
    gboolean sev;
    gboolean sgx;
} virtkitDomainCaps;

virtkitDomainCaps *virtkitDomainCapsNew(const char *path, const char *domain_type,
                                        const char *machine, const char *arch);
void virtkitDomainCapsFree(virtkitDomainCaps *caps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virtkitDomainCaps, virtkitDomainCapsFree)
/* The <domainCapabilities> document.  Since: 0.1.0 */
char *virtkitDomainCapsFormat(const virtkitDomainCaps *caps);

G_END_DECLS

#endif /* VIRTKIT_CONF_CAPS_H */
