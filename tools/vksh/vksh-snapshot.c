/*
 * vksh-snapshot.c: the snapshot commands (snapshot-create, -create-as,
 * -list, -info, -current, -parent, -dumpxml, -revert, -delete, -edit),
 * with virsh 9.0's options, output layout, messages and exit codes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vksh.h"
#include "vksh-xml.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomainSnapshot, virDomainSnapshotFree)

/* ---- helpers ---------------------------------------------------------- */

/* virsh's vshStringToArray: split on ',', with ",," a literal comma.  An
 * empty string has no element at all. */
static GStrv
vkshSplitCommas(const char *str)
{
    g_autoptr(GStrvBuilder) b = g_strv_builder_new();
    g_autoptr(GString) cur = g_string_new(NULL);

    if (!*str)
        return g_strv_builder_end(b);
    for (const char *p = str; ; p++) {
        if (*p == ',' && p[1] == ',') {
            g_string_append_c(cur, ',');
            p++;
        } else if (*p == ',' || !*p) {
            g_strv_builder_add(b, cur->str);
            g_string_truncate(cur, 0);
            if (!*p)
                break;
        } else {
            g_string_append_c(cur, *p);
        }
    }
    return g_strv_builder_end(b);
}

/* virBufferEscapeString: @fmt with @str escaped for XML; nothing for NULL. */
static void
vkshAppendEscaped(GString *buf, const char *indent, const char *fmt, const char *str)
{
    g_autofree char *esc = NULL;

    if (!str)
        return;
    esc = g_markup_escape_text(str, -1);
    /* libvirt escapes ' as &apos; and " as &quot;, as GLib does */
    g_string_append(buf, indent);
    g_string_append_printf(buf, fmt, esc);
}

/* --memspec [file=]name[,snapshot=type] */
static bool
vkshParseMemspec(vkshControl *ctl, GString *buf, const char *str)
{
    g_auto(GStrv) parts = vkshSplitCommas(str);
    const char *snapshot = NULL, *file = NULL;

    for (size_t i = 0; parts[i]; i++) {
        if (!snapshot && g_str_has_prefix(parts[i], "snapshot="))
            snapshot = parts[i] + strlen("snapshot=");
        else if (!file && g_str_has_prefix(parts[i], "file="))
            file = parts[i] + strlen("file=");
        else if (!file && *parts[i] == '/')
            file = parts[i];
        else {
            vkshError(ctl, "unable to parse memspec: %s", str);
            return false;
        }
    }
    g_string_append(buf, "  <memory");
    vkshAppendEscaped(buf, "", " snapshot='%s'", snapshot);
    vkshAppendEscaped(buf, "", " file='%s'", file);
    g_string_append(buf, "/>\n");
    return true;
}

/* --diskspec disk[,snapshot=type][,driver=type][,stype=type][,file=name] */
static bool
vkshParseDiskspec(vkshControl *ctl, GString *buf, const char *str)
{
    g_auto(GStrv) parts = vkshSplitCommas(str);
    const char *name = parts[0];
    const char *snapshot = NULL, *driver = NULL, *stype = NULL, *file = NULL;
    bool isFile = true;

    for (size_t i = 1; name && parts[i]; i++) {
        if (!snapshot && g_str_has_prefix(parts[i], "snapshot="))
            snapshot = parts[i] + strlen("snapshot=");
        else if (!driver && g_str_has_prefix(parts[i], "driver="))
            driver = parts[i] + strlen("driver=");
        else if (!stype && g_str_has_prefix(parts[i], "stype="))
            stype = parts[i] + strlen("stype=");
        else if (!file && g_str_has_prefix(parts[i], "file="))
            file = parts[i] + strlen("file=");
        else
            goto error;
    }
    /* as virsh: no name (an empty diskspec) leaves no "<disk" either */
    g_string_append(buf, "    ");
    vkshAppendEscaped(buf, "", "<disk name='%s'", name);
    if (snapshot)
        g_string_append_printf(buf, " snapshot='%s'", snapshot);
    if (stype) {
        if (g_str_equal(stype, "block")) {
            isFile = false;
        } else if (!g_str_equal(stype, "file")) {
            vkshError(ctl, "Unknown storage type: '%s'", stype);
            goto error;
        }
        g_string_append_printf(buf, " type='%s'", stype);
    }
    if (driver || file) {
        g_string_append(buf, ">\n");
        if (driver)
            g_string_append_printf(buf, "      <driver type='%s'/>\n", driver);
        if (file)
            vkshAppendEscaped(buf, "      ", isFile ? "<source file='%s'/>\n"
                                                    : "<source dev='%s'/>\n", file);
        g_string_append(buf, "    </disk>\n");
    } else {
        g_string_append(buf, "/>\n");
    }
    return true;

 error:
    vkshError(ctl, "unable to parse diskspec: %s", str);
    return false;
}

static bool
vkshSnapshotCreate(vkshControl *ctl, virDomainPtr dom, const char *xml,
                   unsigned int flags, const char *from)
{
    g_autoptr(virDomainSnapshot) snap = NULL;
    bool halt = false;

    snap = virDomainSnapshotCreateXML(dom, xml, flags);
    /* virsh emulates --halt where the hypervisor refuses the flag */
    if (!snap && virGetLastErrorCode() == VIR_ERR_INVALID_ARG &&
        (flags & VIR_DOMAIN_SNAPSHOT_CREATE_HALT)) {
        int persistent;

        vkshResetLibvirtError();
        if ((persistent = virDomainIsPersistent(dom)) < 0) {
            vkshReportError(ctl);
            return false;
        }
        if (!persistent) {
            vkshError(ctl, "%s", "cannot halt after snapshot of transient domain");
            return false;
        }
        halt = virDomainIsActive(dom) == 1;
        snap = virDomainSnapshotCreateXML(dom, xml, flags & ~VIR_DOMAIN_SNAPSHOT_CREATE_HALT);
    }
    if (!snap)
        return false;
    if (halt && virDomainDestroy(dom) < 0) {
        vkshReportError(ctl);
        return false;
    }
    if (from)
        vkshPrintExtra(ctl, "Domain snapshot %s created from '%s'",
                       virDomainSnapshotGetName(snap), from);
    else
        vkshPrintExtra(ctl, "Domain snapshot %s created", virDomainSnapshotGetName(snap));
    return true;
}

static unsigned int
vkshSnapshotCreateFlags(const vkshCmd *cmd)
{
    static const struct { const char *opt; unsigned int flag; } map[] = {
        { "redefine", VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE },
        { "current", VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT },
        { "no-metadata", VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA },
        { "halt", VIR_DOMAIN_SNAPSHOT_CREATE_HALT },
        { "disk-only", VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY },
        { "reuse-external", VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT },
        { "quiesce", VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE },
        { "atomic", VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC },
        { "live", VIR_DOMAIN_SNAPSHOT_CREATE_LIVE },
        { "validate", VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE },
    };
    unsigned int flags = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(map); i++) {
        /* snapshot-create-as has no --redefine/--current: never set there */
        if (vkshOptBool(cmd, map[i].opt))
            flags |= map[i].flag;
    }
    return flags;
}

/* {--current | --ARG name} into a snapshot of @dom (virsh's
 * virshLookupSnapshot); with @exclusive, both is an error. */
static bool
vkshLookupSnapshot(vkshControl *ctl, const vkshCmd *cmd, const char *arg, bool exclusive,
                   virDomainPtr dom, virDomainSnapshotPtr *snap, const char **name)
{
    bool current = vkshOptBool(cmd, "current");
    const char *snapname = NULL;

    *snap = NULL;
    if (vkshOptString(ctl, cmd, arg, &snapname) < 0)
        return false;
    if (exclusive && current && snapname) {
        vkshError(ctl, "--%s and --current are mutually exclusive", arg);
        return false;
    }
    if (snapname) {
        *snap = virDomainSnapshotLookupByName(dom, snapname, 0);
    } else if (current) {
        *snap = virDomainSnapshotCurrent(dom, 0);
    } else {
        vkshError(ctl, "--%s or --current is required", arg);
        return false;
    }
    if (!*snap) {
        vkshReportError(ctl);
        return false;
    }
    *name = virDomainSnapshotGetName(*snap);
    return true;
}

/* The parent's name of @snap in *@parent (NULL for a root).  A root is
 * known from virDomainSnapshotGetParent failing with
 * VIR_ERR_NO_DOMAIN_SNAPSHOT; any other failure falls back to the XML. */
static bool
vkshSnapshotParentName(vkshControl *ctl, virDomainSnapshotPtr snap, char **parent)
{
    g_autoptr(virDomainSnapshot) p = NULL;
    g_autofree char *xml = NULL;
    g_autoptr(vkshXml) doc = NULL;

    *parent = NULL;
    if ((p = virDomainSnapshotGetParent(snap, 0))) {
        *parent = g_strdup(virDomainSnapshotGetName(p));
        vkshResetLibvirtError();
        return true;
    }
    if (virGetLastErrorCode() == VIR_ERR_NO_DOMAIN_SNAPSHOT) {
        vkshResetLibvirtError();
        return true;
    }
    if ((xml = virDomainSnapshotGetXMLDesc(snap, 0)) && (doc = vkshXmlParse(ctl, xml))) {
        *parent = vkshXmlString(doc, "/domainsnapshot/parent/name");
        vkshResetLibvirtError();
        return true;
    }
    vkshReportError(ctl);
    vkshError(ctl, "%s", "unable to determine if snapshot has parent");
    return false;
}

/* ---- snapshot-create, snapshot-create-as ----------------------------- */

bool
cmdSnapshotCreate(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *from = NULL;
    g_autofree char *buffer = NULL;
    unsigned int flags = vkshSnapshotCreateFlags(cmd);

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "xmlfile", &from) < 0)
        return false;
    if (!from)
        buffer = g_strdup("<domainsnapshot/>");
    else if (!(buffer = vkshReadFile(ctl, from)))
        return false;
    return vkshSnapshotCreate(ctl, dom, buffer, flags, from);
}

bool
cmdSnapshotCreateAs(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(GString) buf = g_string_new(NULL);
    const char *name = NULL, *desc = NULL, *memspec = NULL;
    unsigned int flags = vkshSnapshotCreateFlags(cmd);
    const vkshCmdOpt *o = NULL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (vkshOptString(ctl, cmd, "name", &name) < 0 ||
        vkshOptString(ctl, cmd, "description", &desc) < 0)
        return false;
    g_string_append(buf, "<domainsnapshot>\n");
    vkshAppendEscaped(buf, "  ", "<name>%s</name>\n", name);
    vkshAppendEscaped(buf, "  ", "<description>%s</description>\n", desc);
    if (vkshOptString(ctl, cmd, "memspec", &memspec) < 0)
        return false;
    if (memspec && !vkshParseMemspec(ctl, buf, memspec))
        return false;
    if (vkshOptArgv(cmd, NULL)) {
        g_string_append(buf, "  <disks>\n");
        while ((o = vkshOptArgv(cmd, o))) {
            if (!vkshParseDiskspec(ctl, buf, o->data))
                return false;
        }
        g_string_append(buf, "  </disks>\n");
    }
    g_string_append(buf, "</domainsnapshot>\n");
    if (vkshOptBool(cmd, "print-xml")) {
        vkshPrint(ctl, "%s\n", buf->str);
        return true;
    }
    return vkshSnapshotCreate(ctl, dom, buf->str, flags, NULL);
}

/* ---- snapshot-edit ----------------------------------------------------- */

bool
cmdSnapshotEdit(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainSnapshot) snap = NULL;
    g_autoptr(virDomainSnapshot) edited = NULL;
    g_autofree char *doc = NULL, *docEdited = NULL, *docReread = NULL;
    const char *name = NULL, *editedName;
    unsigned int defineFlags = VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;
    bool renameOk = vkshOptBool(cmd, "rename");
    bool cloneOk = vkshOptBool(cmd, "clone");
    bool ret = false;

    if (!vkshExclusive(ctl, cmd, "rename", "clone"))
        return false;
    if (vkshOptBool(cmd, "current") && vkshOptBool(cmd, "snapshotname"))
        defineFlags |= VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!vkshLookupSnapshot(ctl, cmd, "snapshotname", false, dom, &snap, &name))
        goto cleanup;
    if (!(doc = virDomainSnapshotGetXMLDesc(snap, VIR_DOMAIN_XML_SECURE)))
        goto cleanup;
    if (!(docEdited = vkshEditDocument(ctl, doc)))
        goto cleanup;
    /* unchanged: nothing to do, unless it is to become current */
    if (g_str_equal(doc, docEdited) && !(defineFlags & VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT)) {
        vkshPrintExtra(ctl, "Snapshot %s XML configuration not changed.\n", name);
        ret = true;
        goto cleanup;
    }
    /* did someone else change it meanwhile? */
    if (!(docReread = virDomainSnapshotGetXMLDesc(snap, VIR_DOMAIN_XML_SECURE)))
        goto cleanup;
    if (!g_str_equal(doc, docReread)) {
        vkshError(ctl, "%s", "The XML configuration was changed by another user.");
        goto cleanup;
    }
    if (strstr(doc, "<state>disk-snapshot</state>"))
        defineFlags |= VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY;
    if (!(edited = virDomainSnapshotCreateXML(dom, docEdited, defineFlags))) {
        vkshReportError(ctl);
        goto cleanup;
    }
    editedName = virDomainSnapshotGetName(edited);
    if (g_str_equal(name, editedName)) {
        vkshPrintExtra(ctl, "Snapshot %s edited.\n", name);
    } else if (cloneOk) {
        vkshPrintExtra(ctl, "Snapshot %s cloned to %s.\n", name, editedName);
    } else {
        if (virDomainSnapshotDelete(renameOk ? snap : edited,
                                    VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY) < 0) {
            vkshReportError(ctl);
            vkshError(ctl, "Failed to clean up %s", renameOk ? name : editedName);
            goto cleanup;
        }
        if (!renameOk) {
            vkshError(ctl, "Must use --rename or --clone to change %s to %s",
                      name, editedName);
            goto cleanup;
        }
    }
    ret = true;

 cleanup:
    if (!ret && name)
        vkshError(ctl, "Failed to update %s", name);
    return ret;
}

/* ---- snapshot-current -------------------------------------------------- */

bool
cmdSnapshotCurrent(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainSnapshot) snap = NULL;
    g_autofree char *xml = NULL;
    const char *domname = NULL, *snapname = NULL;
    unsigned int flags = 0;
    int current;
    bool ret = false;

    if (vkshOptBool(cmd, "security-info"))
        flags |= VIR_DOMAIN_XML_SECURE;
    if (!vkshExclusive(ctl, cmd, "name", "snapshotname"))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, &domname)))
        return false;
    if (vkshOptString(ctl, cmd, "snapshotname", &snapname) < 0)
        goto cleanup;

    if (snapname) {
        g_autoptr(virDomainSnapshot) snap2 = NULL;

        flags = VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE | VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT;
        if (!(snap = virDomainSnapshotLookupByName(dom, snapname, 0)))
            goto cleanup;
        if (!(xml = virDomainSnapshotGetXMLDesc(snap, VIR_DOMAIN_XML_SECURE)))
            goto cleanup;
        if (strstr(xml, "<state>disk-snapshot</state>"))
            flags |= VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY;
        if (!(snap2 = virDomainSnapshotCreateXML(dom, xml, flags)))
            goto cleanup;
        vkshPrintExtra(ctl, "Snapshot %s set as current", snapname);
        ret = true;
        goto cleanup;
    }

    if ((current = virDomainHasCurrentSnapshot(dom, 0)) < 0)
        goto cleanup;
    if (!current) {
        vkshError(ctl, "domain '%s' has no current snapshot", domname);
        goto cleanup;
    }
    if (!(snap = virDomainSnapshotCurrent(dom, 0)))
        goto cleanup;
    if (vkshOptBool(cmd, "name")) {
        vkshPrint(ctl, "%s", virDomainSnapshotGetName(snap));
    } else {
        if (!(xml = virDomainSnapshotGetXMLDesc(snap, flags)))
            goto cleanup;
        vkshPrint(ctl, "%s", xml);
    }
    ret = true;

 cleanup:
    if (!ret)
        vkshReportError(ctl);
    return ret;
}

/* ---- snapshot-info ----------------------------------------------------- */

bool
cmdSnapshotInfo(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainSnapshot) snap = NULL;
    g_autofree char *xml = NULL, *state = NULL, *parent = NULL;
    g_autoptr(vkshXml) doc = NULL;
    const char *name = NULL;
    int current, count, metadata;
    bool external;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!vkshLookupSnapshot(ctl, cmd, "snapshotname", true, dom, &snap, &name))
        return false;

    vkshPrint(ctl, "%-15s %s\n", "Name:", name);
    vkshPrint(ctl, "%-15s %s\n", "Domain:", virDomainGetName(dom));

    if ((current = virDomainSnapshotIsCurrent(snap, 0)) < 0) {
        g_autoptr(virDomainSnapshot) other = virDomainSnapshotCurrent(dom, 0);

        vkshResetLibvirtError();
        current = other && g_str_equal(name, virDomainSnapshotGetName(other));
    }
    vkshPrint(ctl, "%-15s %s\n", "Current:", current > 0 ? "yes" : "no");

    if (!(xml = virDomainSnapshotGetXMLDesc(snap, 0)))
        return false;
    if (!(doc = vkshXmlParse(ctl, xml)))
        return false;
    if (!(state = vkshXmlString(doc, "/domainsnapshot/state"))) {
        vkshError(ctl, "%s", "unexpected problem reading snapshot xml");
        return false;
    }
    vkshPrint(ctl, "%-15s %s\n", "State:", state);

    /* with <memory>, an external memory or disk decides; else disk-only
     * snapshots are the external ones */
    if (vkshXmlHas(doc, "/domainsnapshot/memory"))
        external = vkshXmlHas(doc, "/domainsnapshot/memory[@snapshot='external'] | "
                                   "/domainsnapshot/disks/disk[@snapshot='external']");
    else
        external = g_str_equal(state, "disk-snapshot");
    vkshPrint(ctl, "%-15s %s\n", "Location:", external ? "external" : "internal");

    parent = vkshXmlString(doc, "/domainsnapshot/parent/name");
    vkshPrint(ctl, "%-15s %s\n", "Parent:", parent ? parent : "-");

    if ((count = virDomainSnapshotNumChildren(snap, 0)) < 0) {
        if (virGetLastErrorCode() == VIR_ERR_NO_SUPPORT) {
            vkshResetLibvirtError();
            return true;
        }
        return false;
    }
    vkshPrint(ctl, "%-15s %d\n", "Children:", count);
    if ((count = virDomainSnapshotNumChildren(snap, VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS)) < 0)
        return false;
    vkshPrint(ctl, "%-15s %d\n", "Descendants:", count);

    if ((metadata = virDomainSnapshotHasMetadata(snap, 0)) < 0) {
        metadata = virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_METADATA);
        vkshResetLibvirtError();
    }
    if (metadata >= 0)
        vkshPrint(ctl, "%-15s %s\n", "Metadata:", metadata ? "yes" : "no");
    return true;
}

/* ---- snapshot-list ----------------------------------------------------- */

typedef struct {
    virDomainSnapshotPtr snap;
    char *parent;
} vkshSnap;

static void
vkshSnapClear(gpointer p)
{
    vkshSnap *s = p;

    if (s->snap)
        virDomainSnapshotFree(s->snap);
    g_free(s->parent);
}

static gint
vkshSnapSorter(gconstpointer a, gconstpointer b)
{
    const vkshSnap *sa = a, *sb = b;

    return g_ascii_strcasecmp(virDomainSnapshotGetName(sa->snap),
                              virDomainSnapshotGetName(sb->snap));
}

/* The snapshots of @dom (or the children of @from), filtered by @flags;
 * with @tree, each with its parent's name, and @from itself as a root. */
static GArray *
vkshSnapshotListCollect(vkshControl *ctl, virDomainPtr dom, virDomainSnapshotPtr from,
                        unsigned int flags, bool tree)
{
    g_autoptr(GArray) list = g_array_new(FALSE, TRUE, sizeof(vkshSnap));
    virDomainSnapshotPtr *snaps = NULL;
    int count;

    g_array_set_clear_func(list, vkshSnapClear);
    if (from)
        count = virDomainSnapshotListAllChildren(from, &snaps, flags);
    else
        count = virDomainListAllSnapshots(dom, &snaps, flags);
    if (count < 0)
        return NULL;
    for (int i = 0; i < count; i++) {
        vkshSnap s = { snaps[i], NULL };
        g_array_append_val(list, s);
    }
    g_free(snaps);
    if (tree) {
        for (guint i = 0; i < list->len; i++) {
            vkshSnap *s = &g_array_index(list, vkshSnap, i);
            if (!vkshSnapshotParentName(ctl, s->snap, &s->parent))
                return NULL;
        }
        if (from) {
            vkshSnap s = { from, NULL };
            virDomainSnapshotRef(from);
            g_array_append_val(list, s);
        }
    }
    if (!(flags & VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL))
        g_array_sort(list, vkshSnapSorter);
    return g_steal_pointer(&list);
}

/* virsh's vshTreePrint, over the list's parent names. */
static void
vkshTreePrintInternal(vkshControl *ctl, GArray *list, guint devid, guint lastdev,
                      bool root, GString *indent)
{
    const char *dev = virDomainSnapshotGetName(g_array_index(list, vkshSnap, devid).snap);
    gint nextlast = -1;

    vkshPrint(ctl, "%s%s%s\n", indent->str, root ? "" : "+- ", dev);
    if (!root) {
        g_string_append_c(indent, devid == lastdev ? ' ' : '|');
        g_string_append_c(indent, ' ');
    }
    for (guint i = 0; i < list->len; i++) {
        const char *parent = g_array_index(list, vkshSnap, i).parent;
        if (parent && g_str_equal(parent, dev))
            nextlast = (gint)i;
    }
    if (nextlast != -1)
        vkshPrint(ctl, "%s  |\n", indent->str);
    g_string_append(indent, "  ");
    for (guint i = 0; i < list->len; i++) {
        const char *parent = g_array_index(list, vkshSnap, i).parent;
        if (parent && g_str_equal(parent, dev))
            vkshTreePrintInternal(ctl, list, i, (guint)nextlast, false, indent);
    }
    g_string_truncate(indent, indent->len - 2);
    if (nextlast == -1 && devid == lastdev)
        vkshPrint(ctl, "%s\n", indent->str);
    if (!root)
        g_string_truncate(indent, indent->len - 2);
}

bool
cmdSnapshotList(vkshControl *ctl, const vkshCmd *cmd)
{
    static const struct { const char *opt; unsigned int flag; } filters[] = {
        { "leaves", VIR_DOMAIN_SNAPSHOT_LIST_LEAVES },
        { "no-leaves", VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES },
        { "inactive", VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE },
        { "active", VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE },
        { "disk-only", VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY },
        { "internal", VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL },
        { "external", VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL },
    };
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainSnapshot) start = NULL;
    g_autoptr(GArray) list = NULL;
    g_autoptr(vkshTable) table = NULL;
    bool tree = vkshOptBool(cmd, "tree");
    bool name = vkshOptBool(cmd, "name");
    bool from = vkshOptBool(cmd, "from");
    bool parent = vkshOptBool(cmd, "parent");
    bool current = vkshOptBool(cmd, "current");
    const char *fromName = NULL;
    unsigned int flags = 0;

    if (!vkshExclusive(ctl, cmd, "tree", "name") ||
        !vkshExclusive(ctl, cmd, "parent", "roots") ||
        !vkshExclusive(ctl, cmd, "parent", "tree") ||
        !vkshExclusive(ctl, cmd, "roots", "tree") ||
        !vkshExclusive(ctl, cmd, "roots", "from") ||
        !vkshExclusive(ctl, cmd, "roots", "current"))
        return false;
    for (size_t i = 0; i < G_N_ELEMENTS(filters); i++) {
        if (!vkshOptBool(cmd, filters[i].opt))
            continue;
        if (tree) {
            vkshError(ctl, "--%s and --tree are mutually exclusive", filters[i].opt);
            return false;
        }
        flags |= filters[i].flag;
    }
    if (vkshOptBool(cmd, "roots"))
        flags |= VIR_DOMAIN_SNAPSHOT_LIST_ROOTS;
    if (vkshOptBool(cmd, "metadata"))
        flags |= VIR_DOMAIN_SNAPSHOT_LIST_METADATA;
    if (vkshOptBool(cmd, "no-metadata"))
        flags |= VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA;
    if (vkshOptBool(cmd, "descendants")) {
        if (!from && !current) {
            vkshError(ctl, "%s", "--descendants requires either --from or --current");
            return false;
        }
        flags |= VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS;
    }
    if (vkshOptBool(cmd, "topological"))
        flags |= VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if ((from || current) &&
        !vkshLookupSnapshot(ctl, cmd, "from", true, dom, &start, &fromName))
        return false;
    if (!(list = vkshSnapshotListCollect(ctl, dom, start, flags, tree)))
        return false;

    if (tree) {
        for (guint i = 0; i < list->len; i++) {
            if (!g_array_index(list, vkshSnap, i).parent) {
                g_autoptr(GString) indent = g_string_new(NULL);
                vkshTreePrintInternal(ctl, list, i, i, true, indent);
            }
        }
        return true;
    }
    if (name) {
        for (guint i = 0; i < list->len; i++)
            vkshPrint(ctl, "%s\n", virDomainSnapshotGetName(g_array_index(list, vkshSnap, i).snap));
        return true;
    }

    if (parent)
        table = vkshTableNew("Name", "Creation Time", "State", "Parent", NULL);
    else
        table = vkshTableNew("Name", "Creation Time", "State", NULL);
    for (guint i = 0; i < list->len; i++) {
        virDomainSnapshotPtr snap = g_array_index(list, vkshSnap, i).snap;
        const char *snapName = virDomainSnapshotGetName(snap);
        g_autofree char *xml = NULL, *state = NULL, *ctime = NULL, *parentName = NULL;
        g_autoptr(vkshXml) doc = NULL;
        long long creation;
        char *end = NULL;
        time_t t;
        struct tm tm;
        char timestr[100];

        /* a snapshot that vanished or reads oddly is left out, as by virsh */
        if (!(xml = virDomainSnapshotGetXMLDesc(snap, 0)))
            continue;
        if (!(doc = vkshXmlParse(ctl, xml)))
            continue;
        if (parent)
            parentName = vkshXmlString(doc, "/domainsnapshot/parent/name");
        if (!(state = vkshXmlString(doc, "/domainsnapshot/state")))
            continue;
        if (!(ctime = vkshXmlString(doc, "/domainsnapshot/creationTime")))
            continue;
        errno = 0;
        creation = strtoll(ctime, &end, 10);
        if (errno || end == ctime || *end)
            continue;
        t = (time_t)creation;
        localtime_r(&t, &tm);
        strftime(timestr, sizeof(timestr), "%Y-%m-%d %H:%M:%S %z", &tm);
        if (parent)
            vkshTableRowAdd(table, snapName, timestr, state, parentName ? parentName : "", NULL);
        else
            vkshTableRowAdd(table, snapName, timestr, state, NULL);
    }
    vkshResetLibvirtError();
    vkshTablePrint(ctl, table, true);
    return true;
}

/* ---- snapshot-dumpxml, snapshot-parent -------------------------------- */

bool
cmdSnapshotDumpXML(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainSnapshot) snap = NULL;
    g_autofree char *xml = NULL;
    const char *name = NULL, *xpath = NULL;
    unsigned int flags = 0;

    if (vkshOptBool(cmd, "security-info"))
        flags |= VIR_DOMAIN_XML_SECURE;
    if (vkshOptString(ctl, cmd, "snapshotname", &name) < 0)
        return false;
    if (vkshOptString(ctl, cmd, "xpath", &xpath) < 0)
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(snap = virDomainSnapshotLookupByName(dom, name, 0)))
        return false;
    if (!(xml = virDomainSnapshotGetXMLDesc(snap, flags)))
        return false;
    if (!xpath) {
        vkshPrint(ctl, "%s", xml);
        return true;
    }
    return vkshXmlXPathPrint(ctl, xml, xpath, vkshOptBool(cmd, "wrap"));
}

bool
cmdSnapshotParent(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainSnapshot) snap = NULL;
    g_autofree char *parent = NULL;
    const char *name = NULL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!vkshLookupSnapshot(ctl, cmd, "snapshotname", true, dom, &snap, &name))
        return false;
    if (!vkshSnapshotParentName(ctl, snap, &parent))
        return false;
    if (!parent) {
        vkshError(ctl, "snapshot '%s' has no parent", name);
        return false;
    }
    vkshPrint(ctl, "%s", parent);
    return true;
}

/* ---- snapshot-revert, snapshot-delete ---------------------------------- */

bool
cmdSnapshotRevert(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainSnapshot) snap = NULL;
    const char *name = NULL;
    unsigned int flags = 0;
    int rc;

    if (vkshOptBool(cmd, "running"))
        flags |= VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING;
    if (vkshOptBool(cmd, "paused"))
        flags |= VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED;
    if (vkshOptBool(cmd, "reset-nvram"))
        flags |= VIR_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!vkshLookupSnapshot(ctl, cmd, "snapshotname", true, dom, &snap, &name))
        return false;
    /* --force only once the hypervisor calls the revert risky, as virsh
     * does for servers that refuse the flag */
    rc = virDomainRevertToSnapshot(snap, flags);
    if (rc < 0 && vkshOptBool(cmd, "force") &&
        virGetLastErrorCode() == VIR_ERR_SNAPSHOT_REVERT_RISKY) {
        vkshResetLibvirtError();
        rc = virDomainRevertToSnapshot(snap, flags | VIR_DOMAIN_SNAPSHOT_REVERT_FORCE);
    }
    if (rc < 0) {
        vkshError(ctl, "Failed to revert snapshot %s", name);
        return false;
    }
    vkshPrintExtra(ctl, "Domain snapshot %s reverted\n", name);
    return true;
}

bool
cmdSnapshotDelete(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(virDomainSnapshot) snap = NULL;
    const char *name = NULL;
    unsigned int flags = 0;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!vkshLookupSnapshot(ctl, cmd, "snapshotname", true, dom, &snap, &name))
        return false;
    if (vkshOptBool(cmd, "children"))
        flags |= VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN;
    if (vkshOptBool(cmd, "children-only"))
        flags |= VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY;
    if (vkshOptBool(cmd, "metadata"))
        flags |= VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY;
    if (virDomainSnapshotDelete(snap, flags) < 0) {
        vkshError(ctl, "Failed to delete snapshot %s", name);
        return false;
    }
    if (flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)
        vkshPrintExtra(ctl, "Domain snapshot %s children deleted\n", name);
    else
        vkshPrintExtra(ctl, "Domain snapshot %s deleted\n", name);
    return true;
}
