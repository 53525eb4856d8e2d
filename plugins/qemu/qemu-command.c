/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-command.c: domain definition -> QEMU argv (see qemu-command.h).
 *
 * First step: the machine, accelerator, CPU, memory, vCPUs, identity and
 * monitor.  Devices come with conf/'s typed device views; until then every
 * device element is refused by name rather than dropped.
 */
#include "qemu-command.h"

#include <virtkit/virtkit.h>

static const char *const qemuRefusals[] = {
    "<domain type> other than 'qemu' or 'kvm'",
    "<os><type> other than 'hvm'",
    "<os><type arch> other than 'x86_64'",
    "<devices> children other than <controller>, <input>, <video>, <memballoon> (first step)",
    NULL,
};

const char *const *
qemuCommandRefusals(void)
{
    return qemuRefusals;
}

static void
qemuArgs(GPtrArray *argv, const char *opt, const char *value)
{
    g_ptr_array_add(argv, g_strdup(opt));
    if (value)
        g_ptr_array_add(argv, g_strdup(value));
}

GStrv
qemuBuildCommandLine(const virtkitDomainDef *def, const qemuCommandOptions *opts,
                     GError **error)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    const char *type = virtkitDomainDefGetType(def);
    const char *arch = virtkitDomainDefGetArch(def);
    const char *machine = virtkitDomainDefGetMachine(def);
    unsigned char uuid[16];
    char uuidstr[37];
    static const char *const device_kinds[] = {
        "disk", "interface", "graphics", "serial", "console", "channel", "parallel",
        "filesystem", "hostdev", "sound", "watchdog", "rng", "tpm", "smartcard",
        "redirdev", "hub", "panic", "shmem", "memory", "iommu", "vsock", "lease",
        "crypto", "audio", NULL,
    };

    if (!opts || !opts->monitor_path) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_INVALID_ARG,
                    "qemuBuildCommandLine needs the QMP monitor socket path");
        return NULL;
    }
    if (g_strcmp0(type, "qemu") != 0 && g_strcmp0(type, "kvm") != 0) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_CONFIG_UNSUPPORTED,
                    "unsupported <domain type='%s'>: the qemu plugin runs 'qemu' and 'kvm'",
                    type ? type : "");
        return NULL;
    }
    if (g_strcmp0(virtkitDomainDefGetOSType(def), "hvm") != 0) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_CONFIG_UNSUPPORTED,
                    "unsupported <os><type>%s</type>: only 'hvm'",
                    virtkitDomainDefGetOSType(def));
        return NULL;
    }
    if (arch && g_strcmp0(arch, "x86_64") != 0) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_CONFIG_UNSUPPORTED,
                    "unsupported <os><type arch='%s'>: only 'x86_64'", arch);
        return NULL;
    }
    for (guint k = 0; device_kinds[k]; k++) {
        g_autoptr(GPtrArray) devs =
            virtkitDomainDefGetDevices((virtkitDomainDef *) def, device_kinds[k]);
        if (devs && devs->len) {
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_CONFIG_UNSUPPORTED,
                        "unsupported device <%s>: the qemu command line does not build it yet",
                        device_kinds[k]);
            return NULL;
        }
    }

    g_ptr_array_add(argv, g_strdup(opts->binary ? opts->binary : "qemu-system-x86_64"));
    g_ptr_array_add(argv, g_strdup("-name"));
    g_ptr_array_add(argv, g_strdup_printf("guest=%s", virtkitDomainDefGetName(def)));
    virtkitDomainDefGetUUID(def, uuid);
    virtkitUUIDFormat(uuid, uuidstr);
    qemuArgs(argv, "-uuid", uuidstr);
    g_ptr_array_add(argv, g_strdup("-machine"));
    g_ptr_array_add(argv, g_strdup(machine ? machine : "pc"));
    qemuArgs(argv, "-accel", opts->kvm ? "kvm" : "tcg");
    qemuArgs(argv, "-cpu", opts->host_cpu_model ? opts->host_cpu_model
                                                 : (opts->kvm ? "host" : "max"));
    g_ptr_array_add(argv, g_strdup("-m"));
    g_ptr_array_add(argv, g_strdup_printf("size=%" G_GUINT64_FORMAT "k",
                                          virtkitDomainDefGetMemory(def)));
    g_ptr_array_add(argv, g_strdup("-smp"));
    g_ptr_array_add(argv, g_strdup_printf("%u,maxcpus=%u", virtkitDomainDefGetVcpus(def),
                                          virtkitDomainDefGetVcpusMax(def)));
    qemuArgs(argv, "-no-user-config", NULL);
    qemuArgs(argv, "-nodefaults", NULL);
    qemuArgs(argv, "-display", "none");
    qemuArgs(argv, "-S", NULL);
    g_ptr_array_add(argv, g_strdup("-chardev"));
    g_ptr_array_add(argv, g_strdup_printf("socket,id=charmonitor,path=%s,server=on,wait=off",
                                          opts->monitor_path));
    qemuArgs(argv, "-mon", "chardev=charmonitor,id=monitor,mode=control");
    if (opts->pidfile)
        qemuArgs(argv, "-pidfile", opts->pidfile);
    if (opts->no_shutdown)
        qemuArgs(argv, "-no-shutdown", NULL);
    g_ptr_array_add(argv, NULL);
    return (GStrv) g_ptr_array_steal(argv, NULL);
}
