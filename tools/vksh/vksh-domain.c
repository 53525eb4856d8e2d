/*
 * vksh-domain.c: domain life cycle and configuration commands (define,
 * start, suspend, save, dumpxml, setmem, attach-device, blockresize,
 * schedinfo, memtune, blkiotune, ...), with virsh's messages.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "vksh.h"
#include "vksh-xml.h"

/* --current/--live/--config as virsh combines them. */
static bool
vkshAffectFlags(vkshControl *ctl, const vkshCmd *cmd, unsigned int *flags)
{
    bool live = vkshOptBool(cmd, "live");
    bool config = vkshOptBool(cmd, "config");

    if (!vkshExclusive(ctl, cmd, "current", "live") ||
        !vkshExclusive(ctl, cmd, "current", "config"))
        return false;
    *flags = VIR_DOMAIN_AFFECT_CURRENT;
    if (config)
        *flags |= VIR_DOMAIN_AFFECT_CONFIG;
    if (live)
        *flags |= VIR_DOMAIN_AFFECT_LIVE;
    return true;
}

/* --pass-fds N,M,... */
static bool
vkshParsePassFds(vkshControl *ctl, const vkshCmd *cmd, GArray **fds)
{
    const char *str = NULL;
    g_auto(GStrv) parts = NULL;

    *fds = NULL;
    if (vkshOptString(ctl, cmd, "pass-fds", &str) < 0)
        return false;
    if (!str)
        return true;
    parts = g_strsplit(str, ",", -1);
    *fds = g_array_new(FALSE, FALSE, sizeof(int));
    for (size_t i = 0; parts[i]; i++) {
        char *end = NULL;
        long v;

        errno = 0;
        v = strtol(parts[i], &end, 10);
        if (errno || end == parts[i] || *end || v < 0 || v > INT_MAX) {
            vkshError(ctl, "Unable to parse FD number '%s'", parts[i]);
            g_array_unref(*fds);
            *fds = NULL;
            return false;
        }
        g_array_append_val(*fds, v);
    }
    return true;
}

bool
cmdDefine(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *from = NULL;
    g_autofree char *buffer = NULL;
    g_autoptr(virDomain) dom = NULL;
    unsigned int flags = 0;

    if (vkshOptString(ctl, cmd, "file", &from) <= 0)
        return false;
    if (vkshOptBool(cmd, "validate"))
        flags |= VIR_DOMAIN_DEFINE_VALIDATE;
    if (!(buffer = vkshReadFile(ctl, from)))
        return false;
    dom = flags ? virDomainDefineXMLFlags(ctl->conn, buffer, flags)
                : virDomainDefineXML(ctl->conn, buffer);
    if (!dom) {
        vkshError(ctl, "Failed to define domain from %s", from);
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' defined from %s\n", virDomainGetName(dom), from);
    return true;
}

static void
vkshVolFree(gpointer vol)
{
    virStorageVolFree(vol);
}

bool
cmdUndefine(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;
    const char *storage = NULL;
    unsigned int flags = 0;

    if (!vkshExclusive(ctl, cmd, "nvram", "keep-nvram") ||
        !vkshExclusive(ctl, cmd, "tpm", "keep-tpm") ||
        !vkshExclusive(ctl, cmd, "storage", "remove-all-storage"))
        return false;
    if (vkshOptBool(cmd, "delete-storage-volume-snapshots") &&
        !vkshOptBool(cmd, "remove-all-storage")) {
        vkshError(ctl, "Option --%s requires option --%s",
                  "delete-storage-volume-snapshots", "remove-all-storage");
        return false;
    }
    if (vkshOptString(ctl, cmd, "storage", &storage) < 0)
        return false;
    if (vkshOptBool(cmd, "managed-save"))
        flags |= VIR_DOMAIN_UNDEFINE_MANAGED_SAVE;
    if (vkshOptBool(cmd, "snapshots-metadata"))
        flags |= VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA;
    if (vkshOptBool(cmd, "checkpoints-metadata"))
        flags |= VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA;
    if (vkshOptBool(cmd, "nvram"))
        flags |= VIR_DOMAIN_UNDEFINE_NVRAM;
    if (vkshOptBool(cmd, "keep-nvram"))
        flags |= VIR_DOMAIN_UNDEFINE_KEEP_NVRAM;
    if (vkshOptBool(cmd, "tpm"))
        flags |= VIR_DOMAIN_UNDEFINE_TPM;
    if (vkshOptBool(cmd, "keep-tpm"))
        flags |= VIR_DOMAIN_UNDEFINE_KEEP_TPM;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;

    /* Volumes to remove are looked up before the domain goes away; the
     * storage plugin answers for them (or says it is not there). */
    g_autoptr(GPtrArray) vols = g_ptr_array_new_with_free_func(vkshVolFree);
    if (storage || vkshOptBool(cmd, "remove-all-storage")) {
        g_autofree char *xml = virDomainGetXMLDesc(dom, 0);
        g_autoptr(vkshXml) doc = NULL;
        g_auto(GStrv) wanted = storage ? g_strsplit(storage, ",", -1) : NULL;

        if (!xml || !(doc = vkshXmlParse(ctl, xml)))
            return false;
        for (xmlNodePtr disk = vkshXmlFirst(doc, "/domain/devices/disk"); disk;
             disk = vkshXmlNextSibling(disk, "disk")) {
            g_autofree char *target = vkshXmlProp(disk, "target", "dev");
            g_autofree char *source = vkshXmlProp(disk, "source", "file");
            virStorageVolPtr vol;

            if (!source)
                source = vkshXmlProp(disk, "source", "dev");
            if (!source)
                continue;
            if (wanted && !g_strv_contains((const char *const *)wanted, source) &&
                !(target && g_strv_contains((const char *const *)wanted, target)))
                continue;
            if (!(vol = virStorageVolLookupByPath(ctl->conn, source))) {
                vkshResetLibvirtError();
                vkshPrintExtra(ctl, "Storage volume '%s'(%s) is not managed by libvirt. "
                               "Remove it manually.\n", target ? target : "", source);
                continue;
            }
            g_ptr_array_add(vols, vol);
        }
    }

    if (virDomainUndefineFlags(dom, flags) < 0) {
        vkshError(ctl, "Failed to undefine domain '%s'", name);
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' has been undefined\n", name);

    for (guint i = 0; i < vols->len; i++) {
        virStorageVolPtr vol = g_ptr_array_index(vols, i);
        g_autofree char *path = virStorageVolGetPath(vol);

        if (vkshOptBool(cmd, "wipe-storage") && virStorageVolWipe(vol, 0) < 0) {
            vkshError(ctl, "Failed to wipe vol '%s'", path ? path : "");
            return false;
        }
        if (virStorageVolDelete(vol, vkshOptBool(cmd, "delete-storage-volume-snapshots")
                                ? VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS : 0) < 0) {
            vkshError(ctl, "Failed to remove storage volume '%s'", path ? path : "");
            return false;
        }
        vkshPrintExtra(ctl, "Volume '%s' removed.\n", path ? path : "");
    }
    return true;
}

bool
cmdStart(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(GArray) fds = NULL;
    unsigned int flags = VIR_DOMAIN_NONE;
    int rc;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (virDomainGetID(dom) != (unsigned int)-1) {
        vkshError(ctl, "%s", "Domain is already active");
        return false;
    }
    if (!vkshParsePassFds(ctl, cmd, &fds))
        return false;
    if (vkshOptBool(cmd, "console")) {
        vkshError(ctl, "%s", "--console is not available in vksh: no console plugin is loaded");
        return false;
    }
    if (vkshOptBool(cmd, "paused"))
        flags |= VIR_DOMAIN_START_PAUSED;
    if (vkshOptBool(cmd, "autodestroy"))
        flags |= VIR_DOMAIN_START_AUTODESTROY;
    if (vkshOptBool(cmd, "bypass-cache"))
        flags |= VIR_DOMAIN_START_BYPASS_CACHE;
    if (vkshOptBool(cmd, "force-boot"))
        flags |= VIR_DOMAIN_START_FORCE_BOOT;
    if (vkshOptBool(cmd, "reset-nvram"))
        flags |= VIR_DOMAIN_START_RESET_NVRAM;

    if (fds)
        rc = virDomainCreateWithFiles(dom, fds->len, (int *)(void *)fds->data, flags);
    else if (flags)
        rc = virDomainCreateWithFlags(dom, flags);
    else
        rc = virDomainCreate(dom);
    if (rc < 0) {
        vkshError(ctl, "Failed to start domain '%s'", virDomainGetName(dom));
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' started\n", virDomainGetName(dom));
    return true;
}

bool
cmdCreate(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *from = NULL;
    g_autofree char *buffer = NULL;
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(GArray) fds = NULL;
    unsigned int flags = 0;

    if (vkshOptString(ctl, cmd, "file", &from) <= 0)
        return false;
    if (!vkshParsePassFds(ctl, cmd, &fds))
        return false;
    if (vkshOptBool(cmd, "console")) {
        vkshError(ctl, "%s", "--console is not available in vksh: no console plugin is loaded");
        return false;
    }
    if (vkshOptBool(cmd, "paused"))
        flags |= VIR_DOMAIN_START_PAUSED;
    if (vkshOptBool(cmd, "autodestroy"))
        flags |= VIR_DOMAIN_START_AUTODESTROY;
    if (vkshOptBool(cmd, "validate"))
        flags |= VIR_DOMAIN_START_VALIDATE;
    if (vkshOptBool(cmd, "reset-nvram"))
        flags |= VIR_DOMAIN_START_RESET_NVRAM;
    if (!(buffer = vkshReadFile(ctl, from)))
        return false;
    if (fds)
        dom = virDomainCreateXMLWithFiles(ctl->conn, buffer, fds->len,
                                          (int *)(void *)fds->data, flags);
    else
        dom = virDomainCreateXML(ctl->conn, buffer, flags);
    if (!dom) {
        vkshError(ctl, "Failed to create domain from %s", from);
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' created from %s\n", virDomainGetName(dom), from);
    return true;
}

bool
cmdDestroy(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;
    unsigned int flags = 0;
    int rc;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (vkshOptBool(cmd, "graceful"))
        flags |= VIR_DOMAIN_DESTROY_GRACEFUL;
    if (vkshOptBool(cmd, "remove-logs"))
        flags |= VIR_DOMAIN_DESTROY_REMOVE_LOGS;
    rc = flags ? virDomainDestroyFlags(dom, flags) : virDomainDestroy(dom);
    if (rc < 0) {
        vkshError(ctl, "Failed to destroy domain '%s'", name);
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' destroyed\n", name);
    return true;
}

/* --mode acpi,agent,... for shutdown and reboot */
static bool
vkshShutdownModes(vkshControl *ctl, const vkshCmd *cmd, bool reboot, unsigned int *flags)
{
    const char *mode = NULL;
    g_auto(GStrv) modes = NULL;

    *flags = 0;
    if (vkshOptString(ctl, cmd, "mode", &mode) < 0)
        return false;
    if (!mode)
        return true;
    modes = g_strsplit(mode, ",", -1);
    for (size_t i = 0; modes[i]; i++) {
        const char *m = modes[i];

        if (g_str_equal(m, "acpi"))
            *flags |= reboot ? VIR_DOMAIN_REBOOT_ACPI_POWER_BTN : VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN;
        else if (g_str_equal(m, "agent"))
            *flags |= reboot ? VIR_DOMAIN_REBOOT_GUEST_AGENT : VIR_DOMAIN_SHUTDOWN_GUEST_AGENT;
        else if (g_str_equal(m, "initctl"))
            *flags |= reboot ? VIR_DOMAIN_REBOOT_INITCTL : VIR_DOMAIN_SHUTDOWN_INITCTL;
        else if (g_str_equal(m, "signal"))
            *flags |= reboot ? VIR_DOMAIN_REBOOT_SIGNAL : VIR_DOMAIN_SHUTDOWN_SIGNAL;
        else if (g_str_equal(m, "paravirt"))
            *flags |= reboot ? VIR_DOMAIN_REBOOT_PARAVIRT : VIR_DOMAIN_SHUTDOWN_PARAVIRT;
        else {
            vkshError(ctl, "Unknown mode %s value, expecting "
                      "'acpi', 'agent', 'initctl', 'signal', or 'paravirt'", m);
            return false;
        }
    }
    return true;
}

bool
cmdShutdown(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;
    unsigned int flags;
    int rc;

    if (!vkshShutdownModes(ctl, cmd, false, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    rc = flags ? virDomainShutdownFlags(dom, flags) : virDomainShutdown(dom);
    if (rc < 0) {
        vkshError(ctl, "Failed to shutdown domain '%s'", name);
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' is being shutdown\n", name);
    return true;
}

bool
cmdReboot(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;
    unsigned int flags;

    if (!vkshShutdownModes(ctl, cmd, true, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (virDomainReboot(dom, flags) < 0) {
        vkshError(ctl, "Failed to reboot domain '%s'", name);
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' is being rebooted\n", name);
    return true;
}

bool
cmdReset(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (virDomainReset(dom, 0) < 0) {
        vkshError(ctl, "Failed to reset domain '%s'", name);
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' was reset\n", name);
    return true;
}

bool
cmdSuspend(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (virDomainSuspend(dom) < 0) {
        vkshError(ctl, "Failed to suspend domain '%s'", name);
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' suspended\n", name);
    return true;
}

bool
cmdResume(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (virDomainResume(dom) < 0) {
        vkshError(ctl, "Failed to resume domain '%s'", name);
        return false;
    }
    vkshPrintExtra(ctl, "Domain '%s' resumed\n", name);
    return true;
}

/* --running/--paused/--bypass-cache shared by save, restore, managedsave */
static bool
vkshSaveFlags(vkshControl *ctl, const vkshCmd *cmd, unsigned int *flags)
{
    if (!vkshExclusive(ctl, cmd, "running", "paused"))
        return false;
    *flags = 0;
    if (vkshOptBool(cmd, "bypass-cache"))
        *flags |= VIR_DOMAIN_SAVE_BYPASS_CACHE;
    if (vkshOptBool(cmd, "running"))
        *flags |= VIR_DOMAIN_SAVE_RUNNING;
    if (vkshOptBool(cmd, "paused"))
        *flags |= VIR_DOMAIN_SAVE_PAUSED;
    if (vkshOptBool(cmd, "reset-nvram"))
        *flags |= VIR_DOMAIN_SAVE_RESET_NVRAM;
    return true;
}

static bool
vkshOptXmlFile(vkshControl *ctl, const vkshCmd *cmd, char **xml)
{
    const char *xmlfile = NULL;

    *xml = NULL;
    if (vkshOptString(ctl, cmd, "xml", &xmlfile) < 0)
        return false;
    if (xmlfile && !(*xml = vkshReadFile(ctl, xmlfile)))
        return false;
    return true;
}

bool
cmdSave(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL, *to = NULL;
    g_autofree char *xml = NULL;
    unsigned int flags;
    int rc;

    if (vkshOptString(ctl, cmd, "file", &to) <= 0)
        return false;
    if (!vkshSaveFlags(ctl, cmd, &flags) || !vkshOptXmlFile(ctl, cmd, &xml))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    rc = (flags || xml) ? virDomainSaveFlags(dom, to, xml, flags) : virDomainSave(dom, to);
    if (rc < 0) {
        vkshError(ctl, "Failed to save domain '%s' to %s", name, to);
        return false;
    }
    if (vkshOptBool(cmd, "verbose"))
        vkshPrint(ctl, "\rSave: [100 %%]\n");
    vkshPrintExtra(ctl, "\nDomain '%s' saved to %s\n", name, to);
    return true;
}

bool
cmdRestore(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *from = NULL;
    g_autofree char *xml = NULL;
    unsigned int flags;
    int rc;

    if (vkshOptString(ctl, cmd, "file", &from) <= 0)
        return false;
    if (!vkshSaveFlags(ctl, cmd, &flags) || !vkshOptXmlFile(ctl, cmd, &xml))
        return false;
    rc = (flags || xml) ? virDomainRestoreFlags(ctl->conn, from, xml, flags)
                        : virDomainRestore(ctl->conn, from);
    if (rc < 0) {
        vkshError(ctl, "Failed to restore domain from %s", from);
        return false;
    }
    vkshPrintExtra(ctl, "Domain restored from %s\n", from);
    return true;
}

/* dumpxml's and save-image-dumpxml's --xpath/--wrap, or the XML as is */
static bool
vkshDumpXMLOut(vkshControl *ctl, const vkshCmd *cmd, const char *xml)
{
    const char *xpath = NULL;

    if (vkshOptString(ctl, cmd, "xpath", &xpath) < 0)
        return false;
    if (!xpath) {
        vkshPrint(ctl, "%s", xml);
        return true;
    }
    return vkshXmlXPathPrint(ctl, xml, xpath, vkshOptBool(cmd, "wrap"));
}

bool
cmdSaveImageDumpxml(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *file = NULL;
    g_autofree char *xml = NULL;
    unsigned int flags = 0;

    if (vkshOptString(ctl, cmd, "file", &file) <= 0)
        return false;
    if (vkshOptBool(cmd, "security-info"))
        flags |= VIR_DOMAIN_SAVE_IMAGE_XML_SECURE;
    if (!(xml = virDomainSaveImageGetXMLDesc(ctl->conn, file, flags)))
        return false;
    return vkshDumpXMLOut(ctl, cmd, xml);
}

bool
cmdManagedSave(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;
    unsigned int flags;

    if (!vkshSaveFlags(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if (virDomainManagedSave(dom, flags) < 0) {
        vkshError(ctl, "Failed to save domain '%s' state", name);
        return false;
    }
    if (vkshOptBool(cmd, "verbose"))
        vkshPrint(ctl, "\rManaged save: [100 %%]\n");
    vkshPrintExtra(ctl, "\nDomain '%s' state saved by libvirt\n", name);
    return true;
}

bool
cmdManagedSaveRemove(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL;
    int has;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    if ((has = virDomainHasManagedSaveImage(dom, 0)) < 0) {
        vkshError(ctl, "%s", "Failed to check for domain managed save image");
        return false;
    }
    if (!has) {
        vkshPrintExtra(ctl, "Domain '%s' has no manage save image; removal skipped", name);
        return true;
    }
    if (virDomainManagedSaveRemove(dom, 0) < 0) {
        vkshError(ctl, "Failed to remove managedsave image for domain '%s'", name);
        return false;
    }
    vkshPrintExtra(ctl, "Removed managedsave image for domain '%s'", name);
    return true;
}

bool
cmdDumpXML(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *xml = NULL;
    unsigned int flags = 0;

    if (vkshOptBool(cmd, "inactive"))
        flags |= VIR_DOMAIN_XML_INACTIVE;
    if (vkshOptBool(cmd, "security-info"))
        flags |= VIR_DOMAIN_XML_SECURE;
    if (vkshOptBool(cmd, "update-cpu"))
        flags |= VIR_DOMAIN_XML_UPDATE_CPU;
    if (vkshOptBool(cmd, "migratable"))
        flags |= VIR_DOMAIN_XML_MIGRATABLE;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(xml = virDomainGetXMLDesc(dom, flags)))
        return false;
    return vkshDumpXMLOut(ctl, cmd, xml);
}

/* Runs $VISUAL or $EDITOR (default vi) on @path, through the shell as
 * virsh does, so that "EDITOR='emacs -nw'" works. */
static bool
vkshRunEditor(vkshControl *ctl, const char *path)
{
    const char *editor = g_getenv("VISUAL");
    g_autoptr(GError) err = NULL;
    g_autoptr(GSubprocess) proc = NULL;
    g_autofree char *quoted = g_shell_quote(path);
    g_autofree char *cmdline = NULL;

    if (!editor || !*editor)
        editor = g_getenv("EDITOR");
    if (!editor || !*editor)
        editor = "vi";
    cmdline = g_strdup_printf("%s %s", editor, quoted);
    proc = g_subprocess_new(G_SUBPROCESS_FLAGS_STDIN_INHERIT, &err, "/bin/sh", "-c",
                            cmdline, NULL);
    if (!proc || !g_subprocess_wait(proc, NULL, &err)) {
        vkshError(ctl, "%s", err->message);
        return false;
    }
    if (!g_subprocess_get_if_exited(proc) || g_subprocess_get_exit_status(proc) != 0) {
        vkshError(ctl, "Child process (%s) unexpected exit status %d", cmdline,
                  g_subprocess_get_if_exited(proc) ? g_subprocess_get_exit_status(proc) : -1);
        return false;
    }
    return true;
}

char *
vkshEditDocument(vkshControl *ctl, const char *doc)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *tmp = NULL;
    char *edited = NULL;
    int fd;

    if ((fd = g_file_open_tmp("vkshXXXXXX.xml", &tmp, &err)) < 0) {
        vkshError(ctl, "%s", err->message);
        return NULL;
    }
    close(fd);
    if (!g_file_set_contents(tmp, doc, -1, &err))
        vkshError(ctl, "%s", err->message);
    else if (vkshRunEditor(ctl, tmp))
        edited = vkshReadFile(ctl, tmp);
    unlink(tmp);
    return edited;
}

bool
cmdEdit(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *orig = NULL;
    g_autofree char *edited = NULL;
    g_autoptr(virDomain) newdom = NULL;
    unsigned int defineFlags = VIR_DOMAIN_DEFINE_VALIDATE;

    if (vkshOptBool(cmd, "skip-validate"))
        defineFlags &= ~VIR_DOMAIN_DEFINE_VALIDATE;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(orig = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE)))
        return false;
    if (!(edited = vkshEditDocument(ctl, orig)))
        return false;
    if (g_str_equal(orig, edited)) {
        vkshPrintExtra(ctl, "Domain '%s' XML configuration not changed.\n",
                       virDomainGetName(dom));
        return true;
    }
    if (!(newdom = virDomainDefineXMLFlags(ctl->conn, edited, defineFlags)))
        return false;
    vkshPrintExtra(ctl, "Domain '%s' XML configuration edited.\n", virDomainGetName(newdom));
    return true;
}

bool
cmdSetmem(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    unsigned long long bytes = 0, max;
    unsigned long kibibytes;
    unsigned int flags;
    int rc;

    if (!vkshAffectFlags(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    /* the API takes KiB in an unsigned long */
    max = sizeof(unsigned long) > 4 ? ULLONG_MAX : 1024ULL * ULONG_MAX;
    if (vkshOptScaledInt(ctl, cmd, "size", &bytes, 1024, max) < 0)
        return false;
    kibibytes = (unsigned long)((bytes + 1023) / 1024);
    rc = flags == VIR_DOMAIN_AFFECT_CURRENT ? virDomainSetMemory(dom, kibibytes)
                                            : virDomainSetMemoryFlags(dom, kibibytes, flags);
    return rc == 0;
}

bool
cmdSetvcpus(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    unsigned int flags;
    int count = 0;

    if (!vkshAffectFlags(ctl, cmd, &flags))
        return false;
    if (!vkshExclusive(ctl, cmd, "guest", "config") ||
        !vkshExclusive(ctl, cmd, "hotpluggable", "guest"))
        return false;
    if (vkshOptBool(cmd, "maximum"))
        flags |= VIR_DOMAIN_VCPU_MAXIMUM;
    if (vkshOptBool(cmd, "guest"))
        flags |= VIR_DOMAIN_VCPU_GUEST;
    if (vkshOptBool(cmd, "hotpluggable"))
        flags |= VIR_DOMAIN_VCPU_HOTPLUGGABLE;
    if ((flags & VIR_DOMAIN_VCPU_MAXIMUM) && !(flags & VIR_DOMAIN_AFFECT_CONFIG) &&
        !(flags & VIR_DOMAIN_AFFECT_LIVE) && vkshOptBool(cmd, "current")) {
        /* as virsh: --maximum with --current is allowed and means config for an inactive domain */
    }
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptInt(ctl, cmd, "count", &count) < 0)
        return false;
    if (count <= 0) {
        vkshError(ctl, "%s", "Invalid number of virtual CPUs");
        return false;
    }
    if (flags == VIR_DOMAIN_AFFECT_CURRENT)
        return virDomainSetVcpus(dom, count) == 0;
    return virDomainSetVcpusFlags(dom, count, flags) == 0;
}

static bool
vkshAttachDetach(vkshControl *ctl, const vkshCmd *cmd, bool attach)
{
    g_autoptr(virDomain) dom = NULL;
    const char *from = NULL;
    g_autofree char *buffer = NULL;
    unsigned int flags;
    int rc;

    if (!vkshAffectFlags(ctl, cmd, &flags))
        return false;
    if (!vkshExclusive(ctl, cmd, "persistent", "current"))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "file", &from) <= 0)
        return false;
    if (vkshOptBool(cmd, "persistent")) {
        flags |= VIR_DOMAIN_AFFECT_CONFIG;
        if (virDomainIsActive(dom) == 1)
            flags |= VIR_DOMAIN_AFFECT_LIVE;
    }
    if (!(buffer = vkshReadFile(ctl, from)))
        return false;
    if (attach)
        rc = flags || vkshOptBool(cmd, "current")
             ? virDomainAttachDeviceFlags(dom, buffer, flags)
             : virDomainAttachDevice(dom, buffer);
    else
        rc = flags || vkshOptBool(cmd, "current")
             ? virDomainDetachDeviceFlags(dom, buffer, flags)
             : virDomainDetachDevice(dom, buffer);
    if (rc < 0) {
        vkshError(ctl, attach ? "Failed to attach device from %s" : "Failed to detach device from %s",
                  from);
        return false;
    }
    vkshPrintExtra(ctl, "%s", attach ? "Device attached successfully\n"
                                     : "Device detached successfully\n");
    return true;
}

bool
cmdAttachDevice(vkshControl *ctl, const vkshCmd *cmd)
{
    return vkshAttachDetach(ctl, cmd, true);
}

bool
cmdDetachDevice(vkshControl *ctl, const vkshCmd *cmd)
{
    return vkshAttachDetach(ctl, cmd, false);
}

bool
cmdBlockresize(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *path = NULL;
    unsigned long long size = 0;
    unsigned int flags = 0;

    if (vkshOptString(ctl, cmd, "path", &path) < 0)
        return false;
    if (vkshOptScaledInt(ctl, cmd, "size", &size, 1024, ULLONG_MAX) < 0)
        return false;
    /* KiB when it divides evenly, as virsh prefers the older unit */
    if (size % 1024 == 0)
        size /= 1024;
    else
        flags |= VIR_DOMAIN_BLOCK_RESIZE_BYTES;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (virDomainBlockResize(dom, path, size, flags) < 0) {
        vkshError(ctl, "Failed to resize block device '%s'", path);
        return false;
    }
    vkshPrintExtra(ctl, "Block device '%s' is resized\n", path);
    return true;
}

/* ---- schedinfo / memtune / blkiotune --------------------------------- */

/* Parses "field=value" into @params, typed like the current value. */
static int
vkshSchedSetParam(vkshControl *ctl, virTypedParameterPtr cur, int ncur, const char *set,
                  virTypedParameterPtr *params, int *nparams, int *maxparams)
{
    g_autofree char *field = g_strdup(set);
    char *val = strchr(field, '=');
    virTypedParameterPtr p = NULL;

    if (!val) {
        vkshError(ctl, "%s", "Invalid syntax for --set, expecting name=value");
        return -1;
    }
    *val++ = '\0';
    for (int i = 0; i < ncur; i++) {
        if (g_str_equal(cur[i].field, field)) {
            p = &cur[i];
            break;
        }
    }
    if (!p) {
        vkshError(ctl, "invalid scheduler option: %s", field);
        return -1;
    }
    if (virTypedParamsAddFromString(params, nparams, maxparams, field, p->type, val) < 0) {
        vkshSaveLibvirtError();
        vkshError(ctl, "invalid value of %s for parameter %s", val, field);
        return -1;
    }
    return 0;
}

bool
cmdSchedinfo(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autofree char *type = NULL;
    virTypedParameterPtr params = NULL;
    virTypedParameterPtr upd = NULL;
    int nparams = 0, nupd = 0, maxupd = 0;
    unsigned int flags;
    bool ret = false;
    int weight, cap, rc;

    if (!vkshAffectFlags(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(type = virDomainGetSchedulerType(dom, &nparams)))
        return false;
    vkshPrint(ctl, "%-15s: %s\n", "Scheduler", type);
    if (!nparams)
        return true;

    params = g_new0(virTypedParameter, nparams);
    rc = flags == VIR_DOMAIN_AFFECT_CURRENT
         ? virDomainGetSchedulerParameters(dom, params, &nparams)
         : virDomainGetSchedulerParametersFlags(dom, params, &nparams, flags);
    if (rc < 0)
        goto cleanup;

    if ((rc = vkshOptInt(ctl, cmd, "weight", &weight)) < 0)
        goto cleanup;
    if (rc > 0 && virTypedParamsAddUInt(&upd, &nupd, &maxupd, "weight", (unsigned int)weight) < 0)
        goto cleanup;
    if ((rc = vkshOptInt(ctl, cmd, "cap", &cap)) < 0)
        goto cleanup;
    if (rc > 0 && virTypedParamsAddUInt(&upd, &nupd, &maxupd, "cap", (unsigned int)cap) < 0)
        goto cleanup;
    for (const vkshCmdOpt *o = NULL; (o = vkshOptArgv(cmd, o));) {
        if (vkshSchedSetParam(ctl, params, nparams, o->data, &upd, &nupd, &maxupd) < 0)
            goto cleanup;
    }

    if (nupd) {
        rc = flags == VIR_DOMAIN_AFFECT_CURRENT
             ? virDomainSetSchedulerParameters(dom, upd, nupd)
             : virDomainSetSchedulerParametersFlags(dom, upd, nupd, flags);
        if (rc < 0)
            goto cleanup;
        /* show what is now in effect */
        rc = flags == VIR_DOMAIN_AFFECT_CURRENT
             ? virDomainGetSchedulerParameters(dom, params, &nparams)
             : virDomainGetSchedulerParametersFlags(dom, params, &nparams, flags);
        if (rc < 0)
            goto cleanup;
    }
    for (int i = 0; i < nparams; i++) {
        g_autofree char *v = vkshTypedParamValue(&params[i]);
        vkshPrint(ctl, "%-15s: %s\n", params[i].field, v);
    }
    ret = true;
 cleanup:
    virTypedParamsFree(params, nparams);
    virTypedParamsFree(upd, nupd);
    return ret;
}

static int
vkshMemtuneGetSize(vkshControl *ctl, const vkshCmd *cmd, const char *name, long long *value)
{
    const char *str = NULL;
    unsigned long long tmp;
    int rc;

    if ((rc = vkshOptString(ctl, cmd, name, &str)) <= 0)
        return rc;
    /* -1 means unlimited */
    if (g_str_equal(str, "-1")) {
        *value = -1;
        return 1;
    }
    if (vkshScaleInteger(str, &tmp, 1024, LLONG_MAX) < 0) {
        vkshError(ctl, "Unable to parse integer parameter %s", name);
        return -1;
    }
    *value = (long long)(tmp / 1024 + (tmp % 1024 ? 1 : 0));
    return 1;
}

bool
cmdMemtune(vkshControl *ctl, const vkshCmd *cmd)
{
    static const struct { const char *opt; const char *field; } knobs[] = {
        { "hard-limit", VIR_DOMAIN_MEMORY_HARD_LIMIT },
        { "soft-limit", VIR_DOMAIN_MEMORY_SOFT_LIMIT },
        { "swap-hard-limit", VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT },
        { "min-guarantee", VIR_DOMAIN_MEMORY_MIN_GUARANTEE },
    };
    g_autoptr(virDomain) dom = NULL;
    virTypedParameterPtr params = NULL;
    int nparams = 0, maxparams = 0;
    unsigned int flags;
    bool ret = false;

    if (!vkshAffectFlags(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    for (size_t i = 0; i < G_N_ELEMENTS(knobs); i++) {
        long long v;
        int rc = vkshMemtuneGetSize(ctl, cmd, knobs[i].opt, &v);

        if (rc < 0)
            goto cleanup;
        if (rc > 0 &&
            virTypedParamsAddULLong(&params, &nparams, &maxparams, knobs[i].field,
                                    v < 0 ? VIR_DOMAIN_MEMORY_PARAM_UNLIMITED
                                          : (unsigned long long)v) < 0)
            goto cleanup;
    }
    if (nparams) {
        if (virDomainSetMemoryParameters(dom, params, nparams, flags) != 0) {
            vkshError(ctl, "%s", "Unable to change memory parameters");
            goto cleanup;
        }
        ret = true;
        goto cleanup;
    }
    if (virDomainGetMemoryParameters(dom, NULL, &nparams, flags) != 0) {
        vkshError(ctl, "%s", "Unable to get number of memory parameters");
        goto cleanup;
    }
    if (nparams == 0) {
        ret = true;
        goto cleanup;
    }
    params = g_new0(virTypedParameter, nparams);
    if (virDomainGetMemoryParameters(dom, params, &nparams, flags) != 0) {
        vkshError(ctl, "%s", "Unable to get memory parameters");
        goto cleanup;
    }
    for (int i = 0; i < nparams; i++) {
        if (params[i].type == VIR_TYPED_PARAM_ULLONG &&
            params[i].value.ul == VIR_DOMAIN_MEMORY_PARAM_UNLIMITED) {
            vkshPrint(ctl, "%-15s: %s\n", params[i].field, "unlimited");
        } else {
            g_autofree char *v = vkshTypedParamValue(&params[i]);
            vkshPrint(ctl, "%-15s: %s\n", params[i].field, v);
        }
    }
    ret = true;
 cleanup:
    virTypedParamsFree(params, nparams);
    return ret;
}

bool
cmdBlkiotune(vkshControl *ctl, const vkshCmd *cmd)
{
    static const struct { const char *opt; const char *field; } strs[] = {
        { "device-weights", VIR_DOMAIN_BLKIO_DEVICE_WEIGHT },
        { "device-read-iops-sec", VIR_DOMAIN_BLKIO_DEVICE_READ_IOPS },
        { "device-write-iops-sec", VIR_DOMAIN_BLKIO_DEVICE_WRITE_IOPS },
        { "device-read-bytes-sec", VIR_DOMAIN_BLKIO_DEVICE_READ_BPS },
        { "device-write-bytes-sec", VIR_DOMAIN_BLKIO_DEVICE_WRITE_BPS },
    };
    g_autoptr(virDomain) dom = NULL;
    virTypedParameterPtr params = NULL;
    int nparams = 0, maxparams = 0, rc;
    unsigned int flags, weight = 0;
    bool ret = false;

    if (!vkshAffectFlags(ctl, cmd, &flags))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if ((rc = vkshOptUInt(ctl, cmd, "weight", &weight)) < 0)
        goto cleanup;
    if (rc > 0 && virTypedParamsAddUInt(&params, &nparams, &maxparams,
                                        VIR_DOMAIN_BLKIO_WEIGHT, weight) < 0)
        goto cleanup;
    for (size_t i = 0; i < G_N_ELEMENTS(strs); i++) {
        const char *v = NULL;

        if ((rc = vkshOptString(ctl, cmd, strs[i].opt, &v)) < 0)
            goto cleanup;
        if (rc > 0 && virTypedParamsAddString(&params, &nparams, &maxparams,
                                              strs[i].field, v) < 0)
            goto cleanup;
    }
    if (nparams) {
        if (virDomainSetBlkioParameters(dom, params, nparams, flags) < 0) {
            vkshError(ctl, "%s", "Unable to change blkio parameters");
            goto cleanup;
        }
        ret = true;
        goto cleanup;
    }
    /* string entries (per-device limits) come only to callers that take them */
    flags |= VIR_TYPED_PARAM_STRING_OKAY;
    if (virDomainGetBlkioParameters(dom, NULL, &nparams, flags) != 0) {
        vkshError(ctl, "%s", "Unable to get number of blkio parameters");
        goto cleanup;
    }
    if (nparams == 0) {
        ret = true;
        goto cleanup;
    }
    params = g_new0(virTypedParameter, nparams);
    if (virDomainGetBlkioParameters(dom, params, &nparams, flags) != 0) {
        vkshError(ctl, "%s", "Unable to get blkio parameters");
        goto cleanup;
    }
    for (int i = 0; i < nparams; i++) {
        g_autofree char *v = vkshTypedParamValue(&params[i]);
        vkshPrint(ctl, "%-15s: %s\n", params[i].field, v);
    }
    ret = true;
 cleanup:
    virTypedParamsFree(params, nparams);
    return ret;
}
