/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * qemu-command.h: a domain definition (the conf/ model) turned into the
 * argv of qemu-system-*.
 *
 * The builder is pure: it reads the definition and the options, touches no
 * file, runs nothing and needs no QEMU, so a table-driven unit test checks
 * it.  What the binary can do (KVM usable, the host CPU model) comes in
 * through qemuCommandOptions, filled by the plugin's probe.
 *
 * Every domain XML construct the builder cannot express is refused with an
 * error naming the element (and attribute and value); nothing is silently
 * dropped.  qemuCommandRefusals() lists the refusals, as does
 * docs/qemu-command-line.md with what is written for each element.
 *
 * The command line always carries -S (the caller sends 'cont'), -nodefaults,
 * -no-user-config, -display none, -name guest=NAME, -uuid and a QMP monitor
 * listening on @monitor_path (a unix socket QEMU creates; server=on,wait=off).
 *
 * libvirt's rules kept: a definition without <features><acpi/> gets
 * -machine ...,acpi=off, so 'system_powerdown' reaches only guests whose XML
 * has <acpi/>; an interface without <model> is rtl8139; a <console> with
 * target type 'serial' is the <serial> of that port, not a second device.
 *
 * Names the caller can rely on (QMP answers carry them):
 *   disks        -device id = libvirt's alias: virtio-disk0, ide0-0-0,
 *                sata0-0-0, scsi0-0-0-0; -blockdev node names
 *                libvirt-N-storage (the file) and libvirt-N-format (the
 *                format layer, what query-block's "inserted" shows), N the
 *                disk's 1-based position among the <disk> elements;
 *                query-block's "qdev" is the id, or for virtio-blk
 *                "/machine/peripheral/ID/virtio-backend"
 *   interfaces   -netdev id hostnetI, -device id netI
 *   chardevs     -chardev id charserialI / charconsoleI / charchannelI,
 *                devices serialI / consoleI / channelI
 *   monitor      -chardev id charmonitor
 *   graphics     one VNC server; with autoport, QEMU picks the first free
 *                display from 5900 up to 5999 and the caller reads the port
 *                back with query-vnc
 *   balloon      -device id balloon0; <currentMemory> below <memory> is the
 *                caller's to set with 'balloon' after start
 *
 * Thread rules: no state; any thread.
 */
#ifndef VIRTKIT_QEMU_COMMAND_H
#define VIRTKIT_QEMU_COMMAND_H

#include <glib.h>

#include "virtkit-conf-domain.h"

G_BEGIN_DECLS

/**
 * qemuCommandOptions:
 * @binary: argv[0]; NULL: the definition's <emulator>, else
 *          "qemu-system-x86_64" (looked up on PATH by whoever spawns it)
 * @kvm: TRUE when the probe found KVM usable: -accel kvm; FALSE: -accel tcg
 * @host_cpu_model: the host CPU model as QEMU reports it (probe), used for
 *          <cpu mode='host-model'> and, under KVM, 'host-passthrough'; NULL
 *          means "max" under TCG (every feature TCG emulates, so a guest is
 *          never refused for a feature such as vme that TCG lacks) and
 *          "host" under KVM
 * @monitor_path: required: the unix socket QEMU listens on for QMP
 * @socket_dir: where sockets the XML leaves unnamed go (a VNC server with
 *          <listen type='socket'/> and no path: DIR/vnc.sock); NULL refuses
 *          such XML
 * @pidfile: NULL: no -pidfile
 * @no_shutdown: TRUE adds -no-shutdown: a guest powering off stops instead
 *          of QEMU exiting (for <on_poweroff>-style handling by the caller)
 *
 * Zero-initialise and set what you need; fields may only be added.
 * Since: 0.1.0
 */
typedef struct _qemuCommandOptions {
    const char *binary;
    gboolean kvm;
    const char *host_cpu_model;
    const char *monitor_path;
    const char *socket_dir;
    const char *pidfile;
    gboolean no_shutdown;
} qemuCommandOptions;

/**
 * qemuBuildCommandLine:
 * @def: the definition (not changed)
 * @opts: the options; @opts->monitor_path is required
 * @error: return location for a GError, in VIRTKIT_CONF_ERROR with a
 *         virErrorNumber code: VIR_ERR_CONFIG_UNSUPPORTED for XML the
 *         builder refuses, VIR_ERR_INVALID_ARG for missing options, so a
 *         plugin forwards code and message unchanged
 *
 * Returns: (transfer full): the NULL-terminated argv, argv[0] the binary;
 * g_strfreev it.  NULL with @error set on refusal.
 * Since: 0.1.0
 */
GStrv qemuBuildCommandLine(const virtkitDomainDef *def, const qemuCommandOptions *opts,
                           GError **error);

/**
 * qemuCommandRefusals:
 *
 * Returns: (transfer none): a NULL-terminated list of what the builder
 * refuses, one line per group ("<disk type> other than 'file' and 'block'"),
 * for documentation; the unit test makes each group's refusals happen.
 * Since: 0.1.0
 */
const char *const *qemuCommandRefusals(void);

G_END_DECLS

#endif /* VIRTKIT_QEMU_COMMAND_H */
