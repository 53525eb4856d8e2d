/*
 * vksh-cmdtab.c: the command and option tables.  Names, option order,
 * types and help texts are virsh's (libvirt 9.0), so `help CMD` reads the
 * same and the same positional arguments land in the same options; the
 * `--json` options and the `plugins` command are virtkit's own.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "vksh.h"

/* Options many commands share, spelled once (virsh's words). */
#define VKSH_OPT_DOMAIN \
    {"domain", VKSH_OT_DATA, VKSH_OFLAG_REQ, "domain name, id or uuid"}
#define VKSH_OPT_CONFIG_LIVE_CURRENT \
    {"config", VKSH_OT_BOOL, 0, "affect next boot"}, \
    {"live", VKSH_OT_BOOL, 0, "affect running domain"}, \
    {"current", VKSH_OT_BOOL, 0, "affect current domain"}
#define VKSH_OPT_END {NULL, 0, 0, NULL}

static const vkshCmdOptDef opts_attach_device[] = {
    VKSH_OPT_DOMAIN,
    {"file", VKSH_OT_DATA, VKSH_OFLAG_REQ,
     "XML file"},
    {"persistent", VKSH_OT_BOOL, 0,
     "make live change persistent"},
    VKSH_OPT_CONFIG_LIVE_CURRENT,
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_blkiotune[] = {
    VKSH_OPT_DOMAIN,
    {"weight", VKSH_OT_INT, 0,
     "IO Weight"},
    {"device-weights", VKSH_OT_STRING, 0,
     "per-device IO Weights, in the form of /path/to/device,weight,..."},
    {"device-read-iops-sec", VKSH_OT_STRING, 0,
     "per-device read I/O limit per second, in the form of /path/to/device,read_iops_sec,..."},
    {"device-write-iops-sec", VKSH_OT_STRING, 0,
     "per-device write I/O limit per second, in the form of /path/to/device,write_iops_sec,..."},
    {"device-read-bytes-sec", VKSH_OT_STRING, 0,
     "per-device bytes read per second, in the form of /path/to/device,read_bytes_sec,..."},
    {"device-write-bytes-sec", VKSH_OT_STRING, 0,
     "per-device bytes wrote per second, in the form of /path/to/device,write_bytes_sec,..."},
    VKSH_OPT_CONFIG_LIVE_CURRENT,
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_blockresize[] = {
    VKSH_OPT_DOMAIN,
    {"path", VKSH_OT_DATA, VKSH_OFLAG_REQ,
     "Fully-qualified path of block device"},
    {"size", VKSH_OT_INT, VKSH_OFLAG_REQ,
     "New size of the block device, as scaled integer (default KiB)"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_capabilities[] = {
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_connect[] = {
    {"name", VKSH_OT_STRING, 0,
     "hypervisor connection URI"},
    {"readonly", VKSH_OT_BOOL, 0,
     "read-only connection"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_create[] = {
    {"file", VKSH_OT_DATA, VKSH_OFLAG_REQ,
     "file containing an XML domain description"},
    {"console", VKSH_OT_BOOL, 0,
     "attach to console after creation"},
    {"paused", VKSH_OT_BOOL, 0,
     "leave the guest paused after creation"},
    {"autodestroy", VKSH_OT_BOOL, 0,
     "automatically destroy the guest when virsh disconnects"},
    {"pass-fds", VKSH_OT_STRING, 0,
     "pass file descriptors N,M,... to the guest"},
    {"validate", VKSH_OT_BOOL, 0,
     "validate the XML against the schema"},
    {"reset-nvram", VKSH_OT_BOOL, 0,
     "re-initialize NVRAM from its pristine template"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_define[] = {
    {"file", VKSH_OT_DATA, VKSH_OFLAG_REQ,
     "file containing an XML domain description"},
    {"validate", VKSH_OT_BOOL, 0,
     "validate the XML against the schema"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_destroy[] = {
    VKSH_OPT_DOMAIN,
    {"graceful", VKSH_OT_BOOL, 0,
     "terminate gracefully"},
    {"remove-logs", VKSH_OT_BOOL, 0,
     "remove domain logs"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_detach_device[] = {
    VKSH_OPT_DOMAIN,
    {"file", VKSH_OT_DATA, VKSH_OFLAG_REQ,
     "XML file"},
    {"persistent", VKSH_OT_BOOL, 0,
     "make live change persistent"},
    VKSH_OPT_CONFIG_LIVE_CURRENT,
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_domblkinfo[] = {
    VKSH_OPT_DOMAIN,
    {"device", VKSH_OT_STRING, 0,
     "block device"},
    {"human", VKSH_OT_BOOL, 0,
     "Human readable output"},
    {"all", VKSH_OT_BOOL, 0,
     "display all block devices info"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_domblklist[] = {
    VKSH_OPT_DOMAIN,
    {"inactive", VKSH_OT_BOOL, 0,
     "get inactive rather than running configuration"},
    {"details", VKSH_OT_BOOL, 0,
     "additionally display the type and device value"},
    {"json", VKSH_OT_BOOL, 0,
     "print JSON for scripts (virtkit; virsh has none)"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_domblkstat[] = {
    VKSH_OPT_DOMAIN,
    {"device", VKSH_OT_STRING, 0,
     "block device"},
    {"human", VKSH_OT_BOOL, 0,
     "print a more human readable output"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_domcapabilities[] = {
    {"virttype", VKSH_OT_STRING, 0,
     "virtualization type (/domain/@type)"},
    {"emulatorbin", VKSH_OT_STRING, 0,
     "path to emulator binary (/domain/devices/emulator)"},
    {"arch", VKSH_OT_STRING, 0,
     "domain architecture (/domain/os/type/@arch)"},
    {"machine", VKSH_OT_STRING, 0,
     "machine type (/domain/os/type/@machine)"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_domid[] = {
    {"domain", VKSH_OT_DATA, VKSH_OFLAG_REQ,
     "domain name or uuid"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_dominfo[] = {
    VKSH_OPT_DOMAIN,
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_domjobinfo[] = {
    VKSH_OPT_DOMAIN,
    {"completed", VKSH_OT_BOOL, 0,
     "return statistics of a recently completed job"},
    {"keep-completed", VKSH_OT_BOOL, 0,
     "don't destroy statistics of a recently completed job when reading"},
    {"anystats", VKSH_OT_BOOL, 0,
     "print statistics for any kind of job (even failed ones)"},
    {"rawstats", VKSH_OT_BOOL, 0,
     "print the raw data returned by libvirt"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_domname[] = {
    {"domain", VKSH_OT_DATA, VKSH_OFLAG_REQ,
     "domain id or uuid"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_domstate[] = {
    VKSH_OPT_DOMAIN,
    {"reason", VKSH_OT_BOOL, 0,
     "also print reason for the state"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_domstats[] = {
    {"state", VKSH_OT_BOOL, 0,
     "report domain state"},
    {"cpu-total", VKSH_OT_BOOL, 0,
     "report domain physical cpu usage"},
    {"balloon", VKSH_OT_BOOL, 0,
     "report domain balloon statistics"},
    {"vcpu", VKSH_OT_BOOL, 0,
     "report domain virtual cpu information"},
    {"interface", VKSH_OT_BOOL, 0,
     "report domain network interface information"},
    {"block", VKSH_OT_BOOL, 0,
     "report domain block device statistics"},
    {"perf", VKSH_OT_BOOL, 0,
     "report domain perf event statistics"},
    {"iothread", VKSH_OT_BOOL, 0,
     "report domain IOThread information"},
    {"memory", VKSH_OT_BOOL, 0,
     "report domain memory usage"},
    {"dirtyrate", VKSH_OT_BOOL, 0,
     "report domain dirty rate information"},
    {"vm", VKSH_OT_BOOL, 0,
     "report hypervisor-specific statistics"},
    {"list-active", VKSH_OT_BOOL, 0,
     "list only active domains"},
    {"list-inactive", VKSH_OT_BOOL, 0,
     "list only inactive domains"},
    {"list-persistent", VKSH_OT_BOOL, 0,
     "list only persistent domains"},
    {"list-transient", VKSH_OT_BOOL, 0,
     "list only transient domains"},
    {"list-running", VKSH_OT_BOOL, 0,
     "list only running domains"},
    {"list-paused", VKSH_OT_BOOL, 0,
     "list only paused domains"},
    {"list-shutoff", VKSH_OT_BOOL, 0,
     "list only shutoff domains"},
    {"list-other", VKSH_OT_BOOL, 0,
     "list only domains in other states"},
    {"raw", VKSH_OT_BOOL, 0,
     "do not pretty-print the fields"},
    {"enforce", VKSH_OT_BOOL, 0,
     "enforce requested stats parameters"},
    {"backing", VKSH_OT_BOOL, 0,
     "add backing chain information to block stats"},
    {"nowait", VKSH_OT_BOOL, 0,
     "report only stats that are accessible instantly"},
    {"domain", VKSH_OT_ARGV, 0,
     "list of domains to get stats for"},
    {"json", VKSH_OT_BOOL, 0,
     "print JSON for scripts (virtkit; virsh has none)"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_domuuid[] = {
    {"domain", VKSH_OT_DATA, VKSH_OFLAG_REQ,
     "domain id or name"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_dumpxml[] = {
    VKSH_OPT_DOMAIN,
    {"inactive", VKSH_OT_BOOL, 0,
     "show inactive defined XML"},
    {"security-info", VKSH_OT_BOOL, 0,
     "include security sensitive information in XML dump"},
    {"update-cpu", VKSH_OT_BOOL, 0,
     "update guest CPU according to host CPU"},
    {"migratable", VKSH_OT_BOOL, 0,
     "provide XML suitable for migrations"},
    {"xpath", VKSH_OT_STRING, VKSH_OFLAG_NOPOS,
     "xpath expression to filter the XML document"},
    {"wrap", VKSH_OT_BOOL, 0,
     "wrap xpath results in an common root element"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_edit[] = {
    VKSH_OPT_DOMAIN,
    {"skip-validate", VKSH_OT_BOOL, 0,
     "skip validation of the XML against the schema"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_event[] = {
    {"domain", VKSH_OT_STRING, 0,
     "filter by domain name, id or uuid"},
    {"event", VKSH_OT_STRING, 0,
     "which event type to wait for"},
    {"all", VKSH_OT_BOOL, 0,
     "wait for all events instead of just one type"},
    {"loop", VKSH_OT_BOOL, 0,
     "loop until timeout or interrupt, rather than one-shot"},
    {"timeout", VKSH_OT_INT, 0,
     "timeout seconds"},
    {"list", VKSH_OT_BOOL, 0,
     "list valid event types"},
    {"timestamp", VKSH_OT_BOOL, 0,
     "show timestamp for each printed event"},
    {"run", VKSH_OT_STRING, VKSH_OFLAG_NOPOS,
     "commands to run once listening (virtkit; virsh has none)"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_echo[] = {
    {"shell", VKSH_OT_BOOL, 0,
     "escape for shell use"},
    {"xml", VKSH_OT_BOOL, 0,
     "escape for XML use"},
    {"split", VKSH_OT_BOOL, 0,
     "split each argument on ','; ',,' is an escape sequence"},
    {"err", VKSH_OT_BOOL, 0,
     "output to stderr"},
    {"string", VKSH_OT_ARGV, 0,
     "arguments to echo"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_exit[] = {
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_help[] = {
    {"command", VKSH_OT_STRING, 0,
     "Prints global help, command specific help, or help for a group of related commands"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_hostname[] = {
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_list[] = {
    {"inactive", VKSH_OT_BOOL, 0,
     "list inactive domains"},
    {"all", VKSH_OT_BOOL, 0,
     "list inactive & active domains"},
    {"transient", VKSH_OT_BOOL, 0,
     "list transient domains"},
    {"persistent", VKSH_OT_BOOL, 0,
     "list persistent domains"},
    {"with-snapshot", VKSH_OT_BOOL, 0,
     "list domains with existing snapshot"},
    {"without-snapshot", VKSH_OT_BOOL, 0,
     "list domains without a snapshot"},
    {"with-checkpoint", VKSH_OT_BOOL, 0,
     "list domains with existing checkpoint"},
    {"without-checkpoint", VKSH_OT_BOOL, 0,
     "list domains without a checkpoint"},
    {"state-running", VKSH_OT_BOOL, 0,
     "list domains in running state"},
    {"state-paused", VKSH_OT_BOOL, 0,
     "list domains in paused state"},
    {"state-shutoff", VKSH_OT_BOOL, 0,
     "list domains in shutoff state"},
    {"state-other", VKSH_OT_BOOL, 0,
     "list domains in other states"},
    {"autostart", VKSH_OT_BOOL, 0,
     "list domains with autostart enabled"},
    {"no-autostart", VKSH_OT_BOOL, 0,
     "list domains with autostart disabled"},
    {"with-managed-save", VKSH_OT_BOOL, 0,
     "list domains with managed save state"},
    {"without-managed-save", VKSH_OT_BOOL, 0,
     "list domains without managed save"},
    {"uuid", VKSH_OT_BOOL, 0,
     "list uuid's only"},
    {"name", VKSH_OT_BOOL, 0,
     "list domain names only"},
    {"id", VKSH_OT_BOOL, 0,
     "list domain IDs only"},
    {"table", VKSH_OT_BOOL, 0,
     "list table (default)"},
    {"managed-save", VKSH_OT_BOOL, 0,
     "mark inactive domains with managed save state"},
    {"title", VKSH_OT_BOOL, 0,
     "show domain title"},
    {"json", VKSH_OT_BOOL, 0,
     "print JSON for scripts (virtkit; virsh has none)"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_managedsave[] = {
    VKSH_OPT_DOMAIN,
    {"bypass-cache", VKSH_OT_BOOL, 0,
     "avoid file system cache when saving"},
    {"running", VKSH_OT_BOOL, 0,
     "set domain to be running on next start"},
    {"paused", VKSH_OT_BOOL, 0,
     "set domain to be paused on next start"},
    {"verbose", VKSH_OT_BOOL, 0,
     "display the progress of save"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_managedsave_remove[] = {
    VKSH_OPT_DOMAIN,
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_memtune[] = {
    VKSH_OPT_DOMAIN,
    {"hard-limit", VKSH_OT_INT, 0,
     "Max memory, as scaled integer (default KiB)"},
    {"soft-limit", VKSH_OT_INT, 0,
     "Memory during contention, as scaled integer (default KiB)"},
    {"swap-hard-limit", VKSH_OT_INT, 0,
     "Max memory plus swap, as scaled integer (default KiB)"},
    {"min-guarantee", VKSH_OT_INT, 0,
     "Min guaranteed memory, as scaled integer (default KiB)"},
    VKSH_OPT_CONFIG_LIVE_CURRENT,
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_nodeinfo[] = {
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_plugins[] = {
    {"json", VKSH_OT_BOOL, 0,
     "print JSON for scripts"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_quit[] = {
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_reboot[] = {
    VKSH_OPT_DOMAIN,
    {"mode", VKSH_OT_STRING, 0,
     "shutdown mode: acpi|agent|initctl|signal|paravirt"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_reset[] = {
    VKSH_OPT_DOMAIN,
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_restore[] = {
    {"file", VKSH_OT_DATA, VKSH_OFLAG_REQ,
     "the state to restore"},
    {"bypass-cache", VKSH_OT_BOOL, 0,
     "avoid file system cache when restoring"},
    {"xml", VKSH_OT_STRING, 0,
     "filename containing updated XML for the target"},
    {"running", VKSH_OT_BOOL, 0,
     "restore domain into running state"},
    {"paused", VKSH_OT_BOOL, 0,
     "restore domain into paused state"},
    {"reset-nvram", VKSH_OT_BOOL, 0,
     "re-initialize NVRAM from its pristine template"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_resume[] = {
    VKSH_OPT_DOMAIN,
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_save[] = {
    VKSH_OPT_DOMAIN,
    {"file", VKSH_OT_DATA, VKSH_OFLAG_REQ,
     "where to save the data"},
    {"bypass-cache", VKSH_OT_BOOL, 0,
     "avoid file system cache when saving"},
    {"xml", VKSH_OT_STRING, 0,
     "filename containing updated XML for the target"},
    {"running", VKSH_OT_BOOL, 0,
     "set domain to be running on restore"},
    {"paused", VKSH_OT_BOOL, 0,
     "set domain to be paused on restore"},
    {"verbose", VKSH_OT_BOOL, 0,
     "display the progress of save"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_save_image_dumpxml[] = {
    {"file", VKSH_OT_DATA, VKSH_OFLAG_REQ,
     "saved state file to read"},
    {"security-info", VKSH_OT_BOOL, 0,
     "include security sensitive information in XML dump"},
    {"xpath", VKSH_OT_STRING, VKSH_OFLAG_NOPOS,
     "xpath expression to filter the XML document"},
    {"wrap", VKSH_OT_BOOL, 0,
     "wrap xpath results in an common root element"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_schedinfo[] = {
    VKSH_OPT_DOMAIN,
    {"weight", VKSH_OT_INT, VKSH_OFLAG_NOPOS,
     "weight for XEN_CREDIT"},
    {"cap", VKSH_OT_INT, VKSH_OFLAG_NOPOS,
     "cap for XEN_CREDIT"},
    {"current", VKSH_OT_BOOL, 0,
     "get/set current scheduler info"},
    {"config", VKSH_OT_BOOL, 0,
     "get/set value to be used on next boot"},
    {"live", VKSH_OT_BOOL, 0,
     "get/set value from running domain"},
    {"set", VKSH_OT_ARGV, 0,
     "parameter=value"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_setmem[] = {
    VKSH_OPT_DOMAIN,
    {"size", VKSH_OT_INT, VKSH_OFLAG_REQ,
     "new memory size, as scaled integer (default KiB)"},
    VKSH_OPT_CONFIG_LIVE_CURRENT,
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_setvcpus[] = {
    VKSH_OPT_DOMAIN,
    {"count", VKSH_OT_INT, VKSH_OFLAG_REQ,
     "number of virtual CPUs"},
    {"maximum", VKSH_OT_BOOL, 0,
     "set maximum limit on next boot"},
    VKSH_OPT_CONFIG_LIVE_CURRENT,
    {"guest", VKSH_OT_BOOL, 0,
     "modify cpu state in the guest"},
    {"hotpluggable", VKSH_OT_BOOL, 0,
     "make added vcpus hot(un)pluggable"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_shutdown[] = {
    VKSH_OPT_DOMAIN,
    {"mode", VKSH_OT_STRING, 0,
     "shutdown mode: acpi|agent|initctl|signal|paravirt"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_snapshot_create[] = {
    VKSH_OPT_DOMAIN,
    {"xmlfile", VKSH_OT_STRING, 0,
     "domain snapshot XML"},
    {"redefine", VKSH_OT_BOOL, 0,
     "redefine metadata for existing snapshot"},
    {"current", VKSH_OT_BOOL, 0,
     "with redefine, set current snapshot"},
    {"no-metadata", VKSH_OT_BOOL, 0,
     "take snapshot but create no metadata"},
    {"halt", VKSH_OT_BOOL, 0,
     "halt domain after snapshot is created"},
    {"disk-only", VKSH_OT_BOOL, 0,
     "capture disk state but not vm state"},
    {"reuse-external", VKSH_OT_BOOL, 0,
     "reuse any existing external files"},
    {"quiesce", VKSH_OT_BOOL, 0,
     "quiesce guest's file systems"},
    {"atomic", VKSH_OT_BOOL, 0,
     "require atomic operation"},
    {"live", VKSH_OT_BOOL, 0,
     "take a live snapshot"},
    {"validate", VKSH_OT_BOOL, 0,
     "validate the XML against the schema"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_snapshot_create_as[] = {
    VKSH_OPT_DOMAIN,
    {"name", VKSH_OT_STRING, 0,
     "name of snapshot"},
    {"description", VKSH_OT_STRING, 0,
     "description of snapshot"},
    {"print-xml", VKSH_OT_BOOL, 0,
     "print XML document rather than create"},
    {"no-metadata", VKSH_OT_BOOL, 0,
     "take snapshot but create no metadata"},
    {"halt", VKSH_OT_BOOL, 0,
     "halt domain after snapshot is created"},
    {"disk-only", VKSH_OT_BOOL, 0,
     "capture disk state but not vm state"},
    {"reuse-external", VKSH_OT_BOOL, 0,
     "reuse any existing external files"},
    {"quiesce", VKSH_OT_BOOL, 0,
     "quiesce guest's file systems"},
    {"atomic", VKSH_OT_BOOL, 0,
     "require atomic operation"},
    {"live", VKSH_OT_BOOL, 0,
     "take a live snapshot"},
    {"validate", VKSH_OT_BOOL, 0,
     "validate the XML against the schema"},
    {"memspec", VKSH_OT_STRING, VKSH_OFLAG_NOPOS,
     "memory attributes: [file=]name[,snapshot=type]"},
    {"diskspec", VKSH_OT_ARGV, 0,
     "disk attributes: disk[,snapshot=type][,driver=type][,stype=type][,file=name]"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_snapshot_current[] = {
    VKSH_OPT_DOMAIN,
    {"name", VKSH_OT_BOOL, 0,
     "list the name, rather than the full xml"},
    {"security-info", VKSH_OT_BOOL, 0,
     "include security sensitive information in XML dump"},
    {"snapshotname", VKSH_OT_STRING, 0,
     "name of existing snapshot to make current"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_snapshot_delete[] = {
    VKSH_OPT_DOMAIN,
    {"snapshotname", VKSH_OT_STRING, 0,
     "snapshot name"},
    {"current", VKSH_OT_BOOL, 0,
     "delete current snapshot"},
    {"children", VKSH_OT_BOOL, 0,
     "delete snapshot and all children"},
    {"children-only", VKSH_OT_BOOL, 0,
     "delete children but not snapshot"},
    {"metadata", VKSH_OT_BOOL, 0,
     "delete only libvirt metadata, leaving snapshot contents behind"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_snapshot_dumpxml[] = {
    VKSH_OPT_DOMAIN,
    {"snapshotname", VKSH_OT_DATA, VKSH_OFLAG_REQ,
     "snapshot name"},
    {"security-info", VKSH_OT_BOOL, 0,
     "include security sensitive information in XML dump"},
    {"xpath", VKSH_OT_STRING, VKSH_OFLAG_NOPOS,
     "xpath expression to filter the XML document"},
    {"wrap", VKSH_OT_BOOL, 0,
     "wrap xpath results in an common root element"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_snapshot_edit[] = {
    VKSH_OPT_DOMAIN,
    {"snapshotname", VKSH_OT_STRING, 0,
     "snapshot name"},
    {"current", VKSH_OT_BOOL, 0,
     "also set edited snapshot as current"},
    {"rename", VKSH_OT_BOOL, 0,
     "allow renaming an existing snapshot"},
    {"clone", VKSH_OT_BOOL, 0,
     "allow cloning to new name"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_snapshot_info[] = {
    VKSH_OPT_DOMAIN,
    {"snapshotname", VKSH_OT_STRING, 0,
     "snapshot name"},
    {"current", VKSH_OT_BOOL, 0,
     "info on current snapshot"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_snapshot_list[] = {
    VKSH_OPT_DOMAIN,
    {"parent", VKSH_OT_BOOL, 0,
     "add a column showing parent snapshot"},
    {"roots", VKSH_OT_BOOL, 0,
     "list only snapshots without parents"},
    {"leaves", VKSH_OT_BOOL, 0,
     "list only snapshots without children"},
    {"no-leaves", VKSH_OT_BOOL, 0,
     "list only snapshots that are not leaves (with children)"},
    {"metadata", VKSH_OT_BOOL, 0,
     "list only snapshots that have metadata that would prevent undefine"},
    {"no-metadata", VKSH_OT_BOOL, 0,
     "list only snapshots that have no metadata managed by libvirt"},
    {"inactive", VKSH_OT_BOOL, 0,
     "filter by snapshots taken while inactive"},
    {"active", VKSH_OT_BOOL, 0,
     "filter by snapshots taken while active (full system snapshots)"},
    {"disk-only", VKSH_OT_BOOL, 0,
     "filter by disk-only snapshots"},
    {"internal", VKSH_OT_BOOL, 0,
     "filter by internal snapshots"},
    {"external", VKSH_OT_BOOL, 0,
     "filter by external snapshots"},
    {"tree", VKSH_OT_BOOL, 0,
     "list snapshots in a tree"},
    {"from", VKSH_OT_STRING, 0,
     "limit list to children of given snapshot"},
    {"current", VKSH_OT_BOOL, 0,
     "limit list to children of current snapshot"},
    {"descendants", VKSH_OT_BOOL, 0,
     "with --from, list all descendants"},
    {"name", VKSH_OT_BOOL, 0,
     "list snapshot names only"},
    {"topological", VKSH_OT_BOOL, 0,
     "sort list topologically rather than by name"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_snapshot_parent[] = {
    VKSH_OPT_DOMAIN,
    {"snapshotname", VKSH_OT_STRING, 0,
     "find parent of snapshot name"},
    {"current", VKSH_OT_BOOL, 0,
     "find parent of current snapshot"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_snapshot_revert[] = {
    VKSH_OPT_DOMAIN,
    {"snapshotname", VKSH_OT_STRING, 0,
     "snapshot name"},
    {"current", VKSH_OT_BOOL, 0,
     "revert to current snapshot"},
    {"running", VKSH_OT_BOOL, 0,
     "after reverting, change state to running"},
    {"paused", VKSH_OT_BOOL, 0,
     "after reverting, change state to paused"},
    {"force", VKSH_OT_BOOL, 0,
     "try harder on risky reverts"},
    {"reset-nvram", VKSH_OT_BOOL, 0,
     "re-initialize NVRAM from its pristine template"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_start[] = {
    {"domain", VKSH_OT_DATA, VKSH_OFLAG_REQ,
     "name of the inactive domain"},
    {"console", VKSH_OT_BOOL, 0,
     "attach to console after creation"},
    {"paused", VKSH_OT_BOOL, 0,
     "leave the guest paused after creation"},
    {"autodestroy", VKSH_OT_BOOL, 0,
     "automatically destroy the guest when virsh disconnects"},
    {"bypass-cache", VKSH_OT_BOOL, 0,
     "avoid file system cache when loading"},
    {"force-boot", VKSH_OT_BOOL, 0,
     "force fresh boot by discarding any managed save"},
    {"pass-fds", VKSH_OT_STRING, 0,
     "pass file descriptors N,M,... to the guest"},
    {"reset-nvram", VKSH_OT_BOOL, 0,
     "re-initialize NVRAM from its pristine template"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_suspend[] = {
    VKSH_OPT_DOMAIN,
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_undefine[] = {
    VKSH_OPT_DOMAIN,
    {"managed-save", VKSH_OT_BOOL, 0,
     "remove domain managed state file"},
    {"storage", VKSH_OT_STRING, 0,
     "remove associated storage volumes (comma separated list of targets or source paths) (see domblklist)"},
    {"remove-all-storage", VKSH_OT_BOOL, 0,
     "remove all associated storage volumes (use with caution)"},
    {"delete-storage-volume-snapshots", VKSH_OT_BOOL, 0,
     "delete snapshots associated with volume(s), requires --remove-all-storage (must be supported by storage driver)"},
    {"wipe-storage", VKSH_OT_BOOL, 0,
     "wipe data on the removed volumes"},
    {"snapshots-metadata", VKSH_OT_BOOL, 0,
     "remove all domain snapshot metadata (vm must be inactive)"},
    {"checkpoints-metadata", VKSH_OT_BOOL, 0,
     "remove all domain checkpoint metadata (vm must be inactive)"},
    {"nvram", VKSH_OT_BOOL, 0,
     "remove nvram file"},
    {"keep-nvram", VKSH_OT_BOOL, 0,
     "keep nvram file"},
    {"tpm", VKSH_OT_BOOL, 0,
     "remove TPM state"},
    {"keep-tpm", VKSH_OT_BOOL, 0,
     "keep TPM state"},
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_uri[] = {
    VKSH_OPT_END
};

static const vkshCmdOptDef opts_version[] = {
    {"daemon", VKSH_OT_BOOL, 0,
     "report daemon version too"},
    VKSH_OPT_END
};

static const vkshCmdDef cmds_domain[] = {
    {"attach-device", cmdAttachDevice, opts_attach_device,
     "attach device from an XML file",
     "Attach device from an XML <file>.",
     0},
    {"blkiotune", cmdBlkiotune, opts_blkiotune,
     "Get or set blkio parameters",
     "Get or set the current blkio parameters for a guest domain.\n    To get the blkio parameters use following command: \n\n    virsh # blkiotune <domain>",
     0},
    {"blockresize", cmdBlockresize, opts_blockresize,
     "Resize block device of domain.",
     "Resize block device of domain.",
     0},
    {"create", cmdCreate, opts_create,
     "create a domain from an XML file",
     "Create a domain.",
     0},
    {"define", cmdDefine, opts_define,
     "define (but don't start) a domain from an XML file",
     "Define a domain.",
     0},
    {"destroy", cmdDestroy, opts_destroy,
     "destroy (stop) a domain",
     "Forcefully stop a given domain, but leave its resources intact.",
     0},
    {"detach-device", cmdDetachDevice, opts_detach_device,
     "detach device from an XML file",
     "Detach device from an XML <file>",
     0},
    {"domid", cmdDomid, opts_domid,
     "convert a domain name or UUID to domain id",
     "",
     0},
    {"domjobinfo", cmdDomjobinfo, opts_domjobinfo,
     "domain job information",
     "Returns information about jobs running on a domain.",
     0},
    {"domname", cmdDomname, opts_domname,
     "convert a domain id or UUID to domain name",
     "",
     0},
    {"domuuid", cmdDomuuid, opts_domuuid,
     "convert a domain name or id to domain UUID",
     "",
     0},
    {"dumpxml", cmdDumpXML, opts_dumpxml,
     "domain information in XML",
     "Output the domain information as an XML dump to stdout.",
     0},
    {"edit", cmdEdit, opts_edit,
     "edit XML configuration for a domain",
     "Edit the XML configuration for a domain.",
     0},
    {"event", cmdEvent, opts_event,
     "Domain Events",
     "List event types, or wait for domain events to occur",
     0},
    {"managedsave", cmdManagedSave, opts_managedsave,
     "managed save of a domain state",
     "Save and destroy a running domain, so it can be restarted from\n    the same state at a later time.  When the virsh 'start'\n    command is next run for the domain, it will automatically\n    be started from this saved state.",
     0},
    {"managedsave-remove", cmdManagedSaveRemove, opts_managedsave_remove,
     "Remove managed save of a domain",
     "Remove an existing managed save state file from a domain",
     0},
    {"memtune", cmdMemtune, opts_memtune,
     "Get or set memory parameters",
     "Get or set the current memory parameters for a guest domain.\n    To get the memory parameters use following command: \n\n    virsh # memtune <domain>",
     0},
    {"reboot", cmdReboot, opts_reboot,
     "reboot a domain",
     "Run a reboot command in the target domain.",
     0},
    {"reset", cmdReset, opts_reset,
     "reset a domain",
     "Reset the target domain as if by power button",
     0},
    {"restore", cmdRestore, opts_restore,
     "restore a domain from a saved state in a file",
     "Restore a domain.",
     0},
    {"resume", cmdResume, opts_resume,
     "resume a domain",
     "Resume a previously suspended domain.",
     0},
    {"save", cmdSave, opts_save,
     "save a domain state to a file",
     "Save the RAM state of a running domain.",
     0},
    {"save-image-dumpxml", cmdSaveImageDumpxml, opts_save_image_dumpxml,
     "saved state domain information in XML",
     "Dump XML of domain information for a saved state file to stdout.",
     0},
    {"schedinfo", cmdSchedinfo, opts_schedinfo,
     "show/set scheduler parameters",
     "Show/Set scheduler parameters.",
     0},
    {"setmem", cmdSetmem, opts_setmem,
     "change memory allocation",
     "Change the current memory allocation in the guest domain.",
     0},
    {"setvcpus", cmdSetvcpus, opts_setvcpus,
     "change number of virtual CPUs",
     "Change the number of virtual CPUs in the guest domain.",
     0},
    {"shutdown", cmdShutdown, opts_shutdown,
     "gracefully shutdown a domain",
     "Run shutdown in the target domain.",
     0},
    {"start", cmdStart, opts_start,
     "start a (previously defined) inactive domain",
     "Start a domain, either from the last managedsave\n    state, or via a fresh boot if no managedsave state\n    is present.",
     0},
    {"suspend", cmdSuspend, opts_suspend,
     "suspend a domain",
     "Suspend a running domain.",
     0},
    {"undefine", cmdUndefine, opts_undefine,
     "undefine a domain",
     "Undefine an inactive domain, or convert persistent to transient.",
     0},
    {NULL, NULL, NULL, NULL, NULL, 0}
};

static const vkshCmdDef cmds_monitor[] = {
    {"domblkinfo", cmdDomblkinfo, opts_domblkinfo,
     "domain block device size information",
     "Get block device size info for a domain.",
     0},
    {"domblklist", cmdDomblklist, opts_domblklist,
     "list all domain blocks",
     "Get the summary of block devices for a domain.",
     0},
    {"domblkstat", cmdDomblkstat, opts_domblkstat,
     "get device block stats for a domain",
     "Get device block stats for a running domain. See man page or use --human for explanation of fields",
     0},
    {"dominfo", cmdDominfo, opts_dominfo,
     "domain information",
     "Returns basic information about the domain.",
     0},
    {"domstate", cmdDomstate, opts_domstate,
     "domain state",
     "Returns state about a domain.",
     0},
    {"domstats", cmdDomstats, opts_domstats,
     "get statistics about one or multiple domains",
     "Gets statistics about one or more (or all) domains",
     0},
    {"list", cmdList, opts_list,
     "list domains",
     "Returns list of domains.",
     0},
    {NULL, NULL, NULL, NULL, NULL, 0}
};

static const vkshCmdDef cmds_host[] = {
    {"capabilities", cmdCapabilities, opts_capabilities,
     "capabilities",
     "Returns capabilities of hypervisor/driver.",
     0},
    {"domcapabilities", cmdDomcapabilities, opts_domcapabilities,
     "domain capabilities",
     "Returns capabilities of emulator with respect to host and libvirt.",
     0},
    {"hostname", cmdHostname, opts_hostname,
     "print the hypervisor hostname",
     "",
     0},
    {"nodeinfo", cmdNodeinfo, opts_nodeinfo,
     "node information",
     "Returns basic information about the node.",
     0},
    {"plugins", cmdPlugins, opts_plugins,
     "list the plugins virtkit finds, their ABI and capabilities",
     "Lists every plugin on the plugin search path (VIRTKIT_PLUGIN_DIR, then the installed\n    plugin directory), loading each to report its ABI version, URI schemes and capabilities,\n    and the reason for every refusal, then the directories searched and what each held.",
     VKSH_CMD_FLAG_NOCONNECT},
    {"uri", cmdURI, opts_uri,
     "print the hypervisor canonical URI",
     "",
     0},
    {"version", cmdVersion, opts_version,
     "show version",
     "Display the system version information.",
     0},
    {NULL, NULL, NULL, NULL, NULL, 0}
};

static const vkshCmdDef cmds_snapshot[] = {
    {"snapshot-create", cmdSnapshotCreate, opts_snapshot_create,
     "Create a snapshot from XML",
     "Create a snapshot (disk and RAM) from XML",
     0},
    {"snapshot-create-as", cmdSnapshotCreateAs, opts_snapshot_create_as,
     "Create a snapshot from a set of args",
     "Create a snapshot (disk and RAM) from arguments",
     0},
    {"snapshot-current", cmdSnapshotCurrent, opts_snapshot_current,
     "Get or set the current snapshot",
     "Get or set the current snapshot",
     0},
    {"snapshot-delete", cmdSnapshotDelete, opts_snapshot_delete,
     "Delete a domain snapshot",
     "Snapshot Delete",
     0},
    {"snapshot-dumpxml", cmdSnapshotDumpXML, opts_snapshot_dumpxml,
     "Dump XML for a domain snapshot",
     "Snapshot Dump XML",
     0},
    {"snapshot-edit", cmdSnapshotEdit, opts_snapshot_edit,
     "edit XML for a snapshot",
     "Edit the domain snapshot XML for a named snapshot",
     0},
    {"snapshot-info", cmdSnapshotInfo, opts_snapshot_info,
     "snapshot information",
     "Returns basic information about a snapshot.",
     0},
    {"snapshot-list", cmdSnapshotList, opts_snapshot_list,
     "List snapshots for a domain",
     "Snapshot List",
     0},
    {"snapshot-parent", cmdSnapshotParent, opts_snapshot_parent,
     "Get the name of the parent of a snapshot",
     "Extract the snapshot's parent, if any",
     0},
    {"snapshot-revert", cmdSnapshotRevert, opts_snapshot_revert,
     "Revert a domain to a snapshot",
     "Revert domain to snapshot",
     0},
    {NULL, NULL, NULL, NULL, NULL, 0}
};

static const vkshCmdDef cmds_virsh[] = {
    {"echo", cmdEcho, opts_echo,
     "echo arguments. Used for internal testing.",
     "Echo back arguments, possibly with quoting. Used for internal testing.",
     VKSH_CMD_FLAG_NOCONNECT | VKSH_CMD_FLAG_NOBLANK},
    {"connect", cmdConnect, opts_connect,
     "(re)connect to hypervisor",
     "Connect to local hypervisor. This is built-in command after shell start up.",
     VKSH_CMD_FLAG_NOCONNECT},
    {"exit", cmdQuit, opts_exit,
     "quit this interactive terminal",
     "",
     VKSH_CMD_FLAG_NOCONNECT},
    {"help", cmdHelp, opts_help,
     "print help",
     "Prints global help, command specific help, or help for a\n    group of related commands",
     VKSH_CMD_FLAG_NOCONNECT},
    {"quit", cmdQuit, opts_quit,
     "quit this interactive terminal",
     "",
     VKSH_CMD_FLAG_NOCONNECT},
    {NULL, NULL, NULL, NULL, NULL, 0}
};

const vkshCmdGrp vkshCmdGroups[] = {
    {"Domain Management", "domain", cmds_domain},
    {"Domain Monitoring", "monitor", cmds_monitor},
    {"Host and Hypervisor", "host", cmds_host},
    {"Snapshot", "snapshot", cmds_snapshot},
    {"Virsh itself", "virsh", cmds_virsh},
    {NULL, NULL, NULL}
};
