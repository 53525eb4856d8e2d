/*
 * snapshot: the snapshot conformance suite, installed as the program
 * virtkit-conformance.  Written once against libvirt's public API only, and
 * run against a plugin through a URI and a domain XML template:
 *
 *   VIRTKIT_PLUGIN_DIR=DIR virtkit-conformance [--tap] URI [TEMPLATE.xml]
 *
 * The template is a domain definition for the hypervisor behind URI with
 * @NAME@ where the domain's name goes (and anywhere else a per-domain value
 * is needed, e.g. a disk path).  It must have one disk with target vda.
 * Without one, a 'test'-type domain is used.
 *
 * Each case runs in a subprocess of its own, so one failure (an assertion
 * ends its process) never stops the cases after it; in that process every
 * failed libvirt call prints its error, which GLib shows under the case's
 * "not ok" line.  The plugin behind URI must declare
 * the vendor feature org.virtkit.snapshots: one that does not fails the
 * first case (and the others still run, to show what works).
 *
 * The same source is also built against Debian's libvirt (VK_STOCK_LIBVIRT)
 * and run on its test driver, so every rule both share is held to stock
 * libvirt 9.0's behaviour; the rules where virtkit does more than libvirt's
 * test driver say so in the case table and are skipped there, with the
 * reason.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static virConnectPtr conn;
static char *domain_template;
static int domain_counter;

static const char default_template[] =
    "<domain type='test'>\n"
    "  <name>@NAME@</name>\n"
    "  <memory>131072</memory>\n"
    "  <vcpu>1</vcpu>\n"
    "  <os><type>hvm</type></os>\n"
    "  <devices>\n"
    "    <disk type='file' device='disk'>\n"
    "      <source file='/guest/@NAME@.img'/>\n"
    "      <target dev='vda' bus='virtio'/>\n"
    "    </disk>\n"
    "  </devices>\n"
    "</domain>\n";

/* ---------------------------------------------------------------- helpers */

static char *
domain_xml(const char *name)
{
    g_auto(GStrv) parts = g_strsplit(domain_template, "@NAME@", -1);
    return g_strjoinv(name, parts);
}

/* A new persistent domain, started when @running. */
static virDomainPtr
new_domain(bool running, char **name_out)
{
    /* The pid keeps names apart between the cases' processes, on a
     * hypervisor whose domains outlive them (a failed case leaves its own). */
    g_autofree char *name = g_strdup_printf("conf%d-%d", (int)getpid(), ++domain_counter);
    g_autofree char *xml = domain_xml(name);
    virDomainPtr dom = virDomainDefineXML(conn, xml);

    g_assert_nonnull(dom);
    if (running)
        g_assert_cmpint(virDomainCreate(dom), ==, 0);
    if (name_out)
        *name_out = g_steal_pointer(&name);
    return dom;
}

static void
drop_domain(virDomainPtr dom)
{
    if (virDomainIsActive(dom) == 1)
        virDomainDestroy(dom);
    virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
                                VIR_DOMAIN_UNDEFINE_MANAGED_SAVE);
    virDomainFree(dom);
}

static virDomainSnapshotPtr
snap(virDomainPtr dom, const char *name, unsigned int flags)
{
    g_autofree char *xml = g_strdup_printf("<domainsnapshot><name>%s</name></domainsnapshot>", name);
    virDomainSnapshotPtr s = virDomainSnapshotCreateXML(dom, xml, flags);

    if (!s)
        g_test_message("creating snapshot %s: %s", name, virGetLastErrorMessage());
    g_assert_nonnull(s);
    return s;
}

static void
expect_error(int code, const char *needle)
{
    const char *msg = virGetLastErrorMessage();

    if (virGetLastErrorCode() != code || (needle && !strstr(msg, needle)))
        g_test_message("got code %d: %s", virGetLastErrorCode(), msg);
    g_assert_cmpint(virGetLastErrorCode(), ==, code);
    if (needle)
        g_assert_nonnull(strstr(msg, needle));
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, comma-joined snapshot names a list call returns. */
/* Frees the @n handles a ListAll call returned; gives their sorted names. */
static char *
join_sorted(virDomainSnapshotPtr *snaps, int n)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);

    g_assert_cmpint(n, >=, 0);
    for (int i = 0; i < n; i++) {
        g_ptr_array_add(names, g_strdup(virDomainSnapshotGetName(snaps[i])));
        virDomainSnapshotFree(snaps[i]);
    }
    free(snaps);
    g_ptr_array_sort(names, compare_names);
    g_ptr_array_add(names, NULL);
    return g_strjoinv(",", (char **)names->pdata);
}

static char *
names_of(virDomainPtr dom, unsigned int flags)
{
    virDomainSnapshotPtr *snaps = NULL;
    int n = virDomainListAllSnapshots(dom, &snaps, flags);

    return join_sorted(snaps, n);
}

static char *
children_of(virDomainSnapshotPtr s, unsigned int flags)
{
    virDomainSnapshotPtr *snaps = NULL;
    int n = virDomainSnapshotListAllChildren(s, &snaps, flags);

    g_assert_cmpint(virDomainSnapshotNumChildren(s, flags), ==, n);
    return join_sorted(snaps, n);
}

static char *
parent_name(virDomainSnapshotPtr s)
{
    virDomainSnapshotPtr p = virDomainSnapshotGetParent(s, 0);
    char *name;

    if (!p)
        return NULL;
    name = g_strdup(virDomainSnapshotGetName(p));
    virDomainSnapshotFree(p);
    return name;
}

static char *
current_name(virDomainPtr dom)
{
    virDomainSnapshotPtr s = virDomainSnapshotCurrent(dom, 0);
    char *name;

    if (!s)
        return NULL;
    name = g_strdup(virDomainSnapshotGetName(s));
    virDomainSnapshotFree(s);
    return name;
}

static void
assert_state(virDomainPtr dom, int state, int reason)
{
    int st = -1, rs = -1;

    g_assert_cmpint(virDomainGetState(dom, &st, &rs, 0), ==, 0);
    g_assert_cmpint(st, ==, state);
    g_assert_cmpint(rs, ==, reason);
}

/* The snapshot tree most list tests use:
 *
 *   s1 - s2 - s3
 *     \
 *      s4          (s1 reverted to, then s4 taken; s4 is current)
 */
static virDomainPtr
make_tree(void)
{
    virDomainPtr dom = new_domain(true, NULL);
    virDomainSnapshotPtr s1 = snap(dom, "s1", 0);

    virDomainSnapshotFree(snap(dom, "s2", 0));
    virDomainSnapshotFree(snap(dom, "s3", 0));
    g_assert_cmpint(virDomainRevertToSnapshot(s1, 0), ==, 0);
    virDomainSnapshotFree(snap(dom, "s4", 0));
    virDomainSnapshotFree(s1);
    return dom;
}

/* ------------------------------------------------------------------ create */

static void
test_create_basic(void)
{
    virDomainPtr dom = new_domain(true, NULL);
    g_autofree char *xml = NULL;
    g_autofree char *cur = NULL;
    virDomainSnapshotPtr s;

    g_assert_cmpint(virDomainHasCurrentSnapshot(dom, 0), ==, 0);
    s = virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>s1</name>"
                                        "<description>first one</description></domainsnapshot>", 0);
    g_assert_nonnull(s);
    g_assert_cmpstr(virDomainSnapshotGetName(s), ==, "s1");
    g_assert_true(virDomainSnapshotGetDomain(s) == dom);
    g_assert_true(virDomainSnapshotGetConnect(s) == conn);
    xml = virDomainSnapshotGetXMLDesc(s, 0);
    g_assert_nonnull(xml);
    g_assert_nonnull(strstr(xml, "<name>s1</name>"));
    g_assert_nonnull(strstr(xml, "<description>first one</description>"));
    g_assert_nonnull(strstr(xml, "<state>running</state>"));
    g_assert_nonnull(strstr(xml, "<creationTime>"));
    g_assert_nonnull(strstr(xml, "<memory snapshot='internal'/>"));
    g_assert_nonnull(strstr(xml, "<disk name='vda' snapshot='internal'/>"));
    g_assert_nonnull(strstr(xml, "<domain type="));
    g_assert_cmpint(virDomainSnapshotNum(dom, 0), ==, 1);
    g_assert_cmpint(virDomainHasCurrentSnapshot(dom, 0), ==, 1);
    cur = current_name(dom);
    g_assert_cmpstr(cur, ==, "s1");
    g_assert_cmpint(virDomainSnapshotIsCurrent(s, 0), ==, 1);
    g_assert_cmpint(virDomainSnapshotHasMetadata(s, 0), ==, 1);
    /* Taking a snapshot does not stop a running domain. */
    assert_state(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    virDomainSnapshotFree(s);
    drop_domain(dom);
}

static void
test_create_generated_name(void)
{
    virDomainPtr dom = new_domain(false, NULL);
    virDomainSnapshotPtr s = virDomainSnapshotCreateXML(dom, "<domainsnapshot/>", 0);
    g_autofree char *xml = NULL;

    /* No name given: the creation time, in seconds, names it. */
    g_assert_nonnull(s);
    for (const char *p = virDomainSnapshotGetName(s); *p; p++)
        g_assert_true(g_ascii_isdigit(*p));
    xml = virDomainSnapshotGetXMLDesc(s, 0);
    g_assert_nonnull(strstr(xml, "<state>shutoff</state>"));
    virDomainSnapshotFree(s);
    drop_domain(dom);
}

static void
test_create_errors(void)
{
    virDomainPtr dom = new_domain(true, NULL);
    virDomainPtr ro_dom;
    virConnectPtr ro;
    g_autofree char *uri = virConnectGetURI(conn);

    virDomainSnapshotFree(snap(dom, "x", 0));
    g_assert_null(virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>x</name></domainsnapshot>", 0));
    expect_error(VIR_ERR_OPERATION_FAILED, "x");
    g_assert_null(virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>y</name>", 0));
    expect_error(VIR_ERR_XML_DETAIL, NULL);
    g_assert_null(virDomainSnapshotCreateXML(dom, "<domain/>", 0));
    expect_error(VIR_ERR_XML_ERROR, "domainsnapshot");
    g_assert_null(virDomainSnapshotCreateXML(dom, NULL, 0));
    expect_error(VIR_ERR_INVALID_ARG, "xmlDesc");

    /* libvirt's flag rules, checked before the plugin sees the call. */
    g_assert_null(virDomainSnapshotCreateXML(dom, "<domainsnapshot/>", VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT));
    expect_error(VIR_ERR_INVALID_ARG,
                 "Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE' is required by flag "
                 "'VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT'");
    g_assert_null(virDomainSnapshotCreateXML(dom, "<domainsnapshot/>",
                                             VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE |
                                             VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA));
    expect_error(VIR_ERR_INVALID_ARG, "are mutually exclusive");
    g_assert_null(virDomainSnapshotCreateXML(dom, "<domainsnapshot/>",
                                             VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE |
                                             VIR_DOMAIN_SNAPSHOT_CREATE_HALT));
    expect_error(VIR_ERR_INVALID_ARG,
                 "Flags 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE' and 'VIR_DOMAIN_SNAPSHOT_CREATE_HALT' "
                 "are mutually exclusive");

    /* Read-only connections: no snapshots, and no secure XML. */
    ro = virConnectOpenReadOnly(uri);
    g_assert_nonnull(ro);
    ro_dom = virDomainLookupByName(ro, virDomainGetName(dom));
    g_assert_nonnull(ro_dom);
    g_assert_null(virDomainSnapshotCreateXML(ro_dom, "<domainsnapshot/>", 0));
    expect_error(VIR_ERR_OPERATION_DENIED,
                 "read only access prevents virDomainSnapshotCreateXML");
    {
        virDomainSnapshotPtr s = virDomainSnapshotLookupByName(ro_dom, "x", 0);
        g_assert_nonnull(s);
        g_assert_null(virDomainSnapshotGetXMLDesc(s, VIR_DOMAIN_SNAPSHOT_XML_SECURE));
        expect_error(VIR_ERR_OPERATION_DENIED, "virDomainSnapshotGetXMLDesc");
        g_autofree char *plain = virDomainSnapshotGetXMLDesc(s, 0);
        g_assert_nonnull(plain);
        virDomainSnapshotFree(s);
    }
    virDomainFree(ro_dom);
    virConnectClose(ro);
    drop_domain(dom);
}

/* QUIESCE, ATOMIC and LIVE are accepted on a running domain. */
static void
test_create_noop_flags(void)
{
    virDomainPtr dom = new_domain(true, NULL);

    virDomainSnapshotFree(snap(dom, "q", VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE |
                                         VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC |
                                         VIR_DOMAIN_SNAPSHOT_CREATE_LIVE));
    g_assert_cmpint(virDomainSnapshotNum(dom, 0), ==, 1);
    assert_state(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    drop_domain(dom);
}

static void
test_create_halt(void)
{
    virDomainPtr dom = new_domain(true, NULL);
    virDomainSnapshotPtr s = snap(dom, "h", VIR_DOMAIN_SNAPSHOT_CREATE_HALT);
    g_autofree char *xml = virDomainSnapshotGetXMLDesc(s, 0);

    /* The snapshot records the running guest; the guest then stops. */
    g_assert_nonnull(strstr(xml, "<state>running</state>"));
    assert_state(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
    virDomainSnapshotFree(s);
    drop_domain(dom);
}

static void
test_create_halt_transient(void)
{
    g_autofree char *xml = domain_xml("conftransient1");
    virDomainPtr dom = virDomainCreateXML(conn, xml, 0);

    g_assert_nonnull(dom);
    g_assert_null(virDomainSnapshotCreateXML(dom, "<domainsnapshot/>", VIR_DOMAIN_SNAPSHOT_CREATE_HALT));
    expect_error(VIR_ERR_OPERATION_INVALID, "transient");
    /* Refused: the domain still runs. */
    assert_state(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    virDomainDestroy(dom);
    virDomainFree(dom);
}

static void
test_create_external_refused(void)
{
    virDomainPtr dom = new_domain(true, NULL);
    const char *xml = "<domainsnapshot><name>e</name><disks>"
                      "<disk name='vda' snapshot='external'><source file='/tmp/vk-ext.qcow2'/></disk>"
                      "</disks></domainsnapshot>";

    /* A full external (memory + disk) snapshot: this hypervisor cannot. */
    g_assert_null(virDomainSnapshotCreateXML(dom, xml, 0));
    expect_error(VIR_ERR_CONFIG_UNSUPPORTED, "vda");
    g_assert_cmpint(virDomainSnapshotNum(dom, 0), ==, 0);
    /* Internal disk entries are accepted without flags. */
    virDomainSnapshotFree(virDomainSnapshotCreateXML(
        dom, "<domainsnapshot><name>i</name><disks><disk name='vda' snapshot='internal'/>"
             "</disks></domainsnapshot>", 0));
    g_assert_cmpint(virDomainSnapshotNum(dom, 0), ==, 1);
    drop_domain(dom);
}

static void
test_create_disk_only(void)
{
    virDomainPtr dom;
    virDomainSnapshotPtr s;
    g_autofree char *xml = NULL, *ext = NULL, *disk = NULL, *intl = NULL;

    dom = new_domain(true, NULL);
    virDomainSnapshotFree(snap(dom, "full", 0));
    s = virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>d</name><disks>"
                                        "<disk name='vda' snapshot='external'>"
                                        "<source file='/tmp/vk-d.qcow2'/></disk>"
                                        "</disks></domainsnapshot>",
                                   VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
    g_assert_nonnull(s);
    xml = virDomainSnapshotGetXMLDesc(s, 0);
    g_assert_nonnull(strstr(xml, "<state>disk-snapshot</state>"));
    g_assert_nonnull(strstr(xml, "snapshot='external'"));
    ext = names_of(dom, VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL);
    disk = names_of(dom, VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY);
    intl = names_of(dom, VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL);
    g_assert_cmpstr(ext, ==, "d");
    g_assert_cmpstr(disk, ==, "d");
    g_assert_cmpstr(intl, ==, "full");
    /* A disk-only snapshot leaves the guest running. */
    assert_state(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    virDomainSnapshotFree(s);
    drop_domain(dom);
}

static void
test_create_no_metadata(void)
{
    virDomainPtr dom;
    virDomainSnapshotPtr s;

    dom = new_domain(true, NULL);
    s = snap(dom, "nm", VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA);
    /* Taken, but not tracked: no lookup, no listing, not current. */
    g_assert_cmpint(virDomainSnapshotNum(dom, 0), ==, 0);
    g_assert_null(virDomainSnapshotLookupByName(dom, "nm", 0));
    expect_error(VIR_ERR_NO_DOMAIN_SNAPSHOT, "nm");
    g_assert_cmpint(virDomainHasCurrentSnapshot(dom, 0), ==, 0);
    virDomainSnapshotFree(s);
    drop_domain(dom);
}

static void
test_create_redefine(void)
{
    virDomainPtr dom = make_tree();
    virDomainSnapshotPtr s3 = virDomainSnapshotLookupByName(dom, "s3", 0);
    g_autofree char *xml = virDomainSnapshotGetXMLDesc(s3, VIR_DOMAIN_SNAPSHOT_XML_SECURE);
    g_autofree char *again_xml = NULL, *parent = NULL, *cur = NULL;
    virDomainSnapshotPtr again;

    /* Metadata goes, then comes back from the XML (as after copying it from
     * another host): same name, parent, creation time and domain. */
    g_assert_cmpint(virDomainSnapshotDelete(s3, 0), ==, 0);
    virDomainSnapshotFree(s3);
    again = virDomainSnapshotCreateXML(dom, xml, VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE);
    g_assert_nonnull(again);
    again_xml = virDomainSnapshotGetXMLDesc(again, VIR_DOMAIN_SNAPSHOT_XML_SECURE);
    g_assert_cmpstr(again_xml, ==, xml);
    parent = parent_name(again);
    g_assert_cmpstr(parent, ==, "s2");
    /* REDEFINE alone does not move the current snapshot... */
    cur = current_name(dom);
    g_assert_cmpstr(cur, ==, "s4");
    virDomainSnapshotFree(again);
    /* ...REDEFINE|CURRENT does. */
    again = virDomainSnapshotCreateXML(dom, xml, VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE |
                                                 VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT);
    g_assert_nonnull(again);
    g_free(cur);
    cur = current_name(dom);
    g_assert_cmpstr(cur, ==, "s3");
    virDomainSnapshotFree(again);

    /* A redefinition must carry the domain it was taken from. */
    g_assert_null(virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>nd</name><state>running</state>"
                                                  "<creationTime>1</creationTime></domainsnapshot>",
                                             VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE));
    expect_error(VIR_ERR_INTERNAL_ERROR, "missing domain in snapshot");
    drop_domain(dom);
}

/* -------------------------------------------------------------- lookups */

static void
test_lookup_errors(void)
{
    virDomainPtr dom = new_domain(true, NULL);
    virDomainSnapshotPtr s1 = snap(dom, "s1", 0);

    g_assert_null(virDomainSnapshotLookupByName(dom, "nope", 0));
    expect_error(VIR_ERR_NO_DOMAIN_SNAPSHOT,
                 "Domain snapshot not found: no domain snapshot with matching name 'nope'");
    /* virsh's snapshot-list --tree relies on exactly this code for roots. */
    g_assert_null(virDomainSnapshotGetParent(s1, 0));
    expect_error(VIR_ERR_NO_DOMAIN_SNAPSHOT, "snapshot 's1' does not have a parent");
    virDomainSnapshotFree(s1);
    drop_domain(dom);
}

/* ---------------------------------------------------------------- lists */

static void
test_list_tree(void)
{
    virDomainPtr dom = make_tree();
    virDomainSnapshotPtr s1 = virDomainSnapshotLookupByName(dom, "s1", 0);
    struct {
        unsigned int flags;
        const char *want;
    } cases[] = {
        { 0, "s1,s2,s3,s4" },
        { VIR_DOMAIN_SNAPSHOT_LIST_ROOTS, "s1" },
        { VIR_DOMAIN_SNAPSHOT_LIST_LEAVES, "s3,s4" },
        { VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES, "s1,s2" },
        /* Both leaf filters together select nothing (as libvirt 9.0 does). */
        { VIR_DOMAIN_SNAPSHOT_LIST_LEAVES | VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES, "" },
        { VIR_DOMAIN_SNAPSHOT_LIST_METADATA, "s1,s2,s3,s4" },
        { VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA, "" },
        { VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE, "s1,s2,s3,s4" },
        { VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE, "" },
        { VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL, "s1,s2,s3,s4" },
        { VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL, "" },
        { VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY, "" },
    };
    g_autofree char *cur = current_name(dom);
    char *got;

    g_assert_cmpstr(cur, ==, "s4");
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        got = names_of(dom, cases[i].flags);
        if (g_strcmp0(got, cases[i].want) != 0)
            g_test_message("flags 0x%x", cases[i].flags);
        g_assert_cmpstr(got, ==, cases[i].want);
        g_free(got);
    }
    g_assert_cmpint(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_ROOTS), ==, 1);
    g_assert_cmpint(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_LEAVES), ==, 2);

    got = children_of(s1, 0);
    g_assert_cmpstr(got, ==, "s2,s4");
    g_free(got);
    got = children_of(s1, VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS);
    g_assert_cmpstr(got, ==, "s2,s3,s4");
    g_free(got);
    got = children_of(s1, VIR_DOMAIN_SNAPSHOT_LIST_LEAVES);
    g_assert_cmpstr(got, ==, "s4");
    g_free(got);

    /* The old name-list calls agree. */
    {
        char *names[8] = { 0 };
        int n = virDomainSnapshotListNames(dom, names, 8, VIR_DOMAIN_SNAPSHOT_LIST_ROOTS);
        g_assert_cmpint(n, ==, 1);
        g_assert_cmpstr(names[0], ==, "s1");
        free(names[0]);
        n = virDomainSnapshotListChildrenNames(s1, names, 8, VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS);
        g_assert_cmpint(n, ==, 3);
        for (int i = 0; i < n; i++)
            free(names[i]);
    }
    virDomainSnapshotFree(s1);
    drop_domain(dom);
}

static void
test_list_topological(void)
{
    virDomainPtr dom = make_tree();
    virDomainSnapshotPtr *snaps = NULL;
    int n = virDomainListAllSnapshots(dom, &snaps, VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL);

    /* Every parent comes before its children. */
    g_assert_cmpint(n, ==, 4);
    for (int i = 0; i < n; i++) {
        g_autofree char *parent = parent_name(snaps[i]);
        gboolean seen = parent == NULL;
        if (!parent)
            virResetLastError();
        for (int k = 0; k < i && !seen; k++)
            seen = g_strcmp0(virDomainSnapshotGetName(snaps[k]), parent) == 0;
        g_assert_true(seen);
    }
    for (int i = 0; i < n; i++)
        virDomainSnapshotFree(snaps[i]);
    free(snaps);
    drop_domain(dom);
}

static void
test_list_states(void)
{
    virDomainPtr dom = new_domain(false, NULL);
    g_autofree char *inactive = NULL, *active = NULL;

    virDomainSnapshotFree(snap(dom, "off", 0));
    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    virDomainSnapshotFree(snap(dom, "on", 0));
    g_assert_cmpint(virDomainSuspend(dom), ==, 0);
    virDomainSnapshotFree(snap(dom, "paused", 0));
    inactive = names_of(dom, VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE);
    active = names_of(dom, VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE);
    g_assert_cmpstr(inactive, ==, "off");
    g_assert_cmpstr(active, ==, "on,paused");
    drop_domain(dom);
}

/* --------------------------------------------------------------- revert */

static void
test_revert_restores_config_and_state(void)
{
    virDomainPtr dom = new_domain(true, NULL);
    virDomainSnapshotPtr s = snap(dom, "r", 0);
    g_autofree char *cur = NULL;
    virDomainInfo info;

    /* Change the definition and the run state after the snapshot... */
    g_assert_cmpint(virDomainSetMemoryFlags(dom, 262144, VIR_DOMAIN_AFFECT_CONFIG |
                                                         VIR_DOMAIN_MEM_MAXIMUM), ==, 0);
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    g_assert_cmpint(virDomainGetInfo(dom, &info), ==, 0);
    g_assert_cmpuint(info.maxMem, ==, 262144);
    virDomainSnapshotFree(snap(dom, "later", 0));
    /* ...the revert brings both back, observable through the API. */
    g_assert_cmpint(virDomainRevertToSnapshot(s, 0), ==, 0);
    assert_state(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_FROM_SNAPSHOT);
    g_assert_cmpint(virDomainGetInfo(dom, &info), ==, 0);
    g_assert_cmpuint(info.maxMem, ==, 131072);
    cur = current_name(dom);
    g_assert_cmpstr(cur, ==, "r");
    g_assert_cmpint(virDomainSnapshotIsCurrent(s, 0), ==, 1);

    /* PAUSED overrides the saved running state. */
    g_assert_cmpint(virDomainRevertToSnapshot(s, VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED), ==, 0);
    assert_state(dom, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_FROM_SNAPSHOT);
    g_assert_cmpint(virDomainRevertToSnapshot(s, VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING |
                                                 VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED), ==, -1);
    expect_error(VIR_ERR_INVALID_ARG,
                 "Flags 'VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING' and 'VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED' "
                 "are mutually exclusive");
    virDomainSnapshotFree(s);
    drop_domain(dom);
}

static void
test_revert_inactive(void)
{
    virDomainPtr dom = new_domain(false, NULL);
    virDomainSnapshotPtr off = snap(dom, "off", 0);

    g_assert_cmpint(virDomainCreate(dom), ==, 0);
    /* Back to a shut-off snapshot: the guest stops. */
    g_assert_cmpint(virDomainRevertToSnapshot(off, 0), ==, 0);
    assert_state(dom, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
    virDomainSnapshotFree(off);
    drop_domain(dom);
}

static void
test_revert_inactive_running(void)
{
    virDomainPtr dom;
    virDomainSnapshotPtr off;

    dom = new_domain(false, NULL);
    off = snap(dom, "off", 0);
    g_assert_cmpint(virDomainRevertToSnapshot(off, VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING), ==, 0);
    assert_state(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_FROM_SNAPSHOT);
    g_assert_cmpint(virDomainRevertToSnapshot(off, VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED), ==, 0);
    assert_state(dom, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_FROM_SNAPSHOT);
    virDomainSnapshotFree(off);
    drop_domain(dom);
}

static void
test_revert_transient_needs_run(void)
{
    g_autofree char *xml = domain_xml("conftransient2");
    virDomainPtr dom;
    virDomainSnapshotPtr s;

    /* A transient domain cannot become "defined but off". */
    dom = virDomainCreateXML(conn, xml, 0);
    g_assert_nonnull(dom);
    s = snap(dom, "t", 0);
    g_assert_cmpint(virDomainRevertToSnapshot(s, 0), ==, 0);
    assert_state(dom, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_FROM_SNAPSHOT);
    virDomainSnapshotFree(s);
    virDomainDestroy(dom);
    virDomainFree(dom);
}

/* --------------------------------------------------------------- delete */

static void
test_delete_reparents(void)
{
    virDomainPtr dom = make_tree();
    virDomainSnapshotPtr s2 = virDomainSnapshotLookupByName(dom, "s2", 0);
    virDomainSnapshotPtr s3;
    g_autofree char *parent = NULL, *all = NULL;

    g_assert_cmpint(virDomainSnapshotDelete(s2, 0), ==, 0);
    virDomainSnapshotFree(s2);
    s3 = virDomainSnapshotLookupByName(dom, "s3", 0);
    parent = parent_name(s3);
    g_assert_cmpstr(parent, ==, "s1");
    all = names_of(dom, 0);
    g_assert_cmpstr(all, ==, "s1,s3,s4");
    virDomainSnapshotFree(s3);
    drop_domain(dom);
}

static void
test_delete_children(void)
{
    virDomainPtr dom = make_tree();
    virDomainSnapshotPtr s1 = virDomainSnapshotLookupByName(dom, "s1", 0);
    g_autofree char *all = NULL;

    g_assert_cmpint(virDomainSnapshotDelete(s1, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN |
                                                VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY), ==, -1);
    expect_error(VIR_ERR_INVALID_ARG,
                 "Flags 'VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN' and "
                 "'VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY' are mutually exclusive");
    g_assert_cmpint(virDomainSnapshotDelete(s1, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN), ==, 0);
    all = names_of(dom, 0);
    g_assert_cmpstr(all, ==, "");
    g_assert_cmpint(virDomainHasCurrentSnapshot(dom, 0), ==, 0);
    virDomainSnapshotFree(s1);
    drop_domain(dom);
}

static void
test_delete_children_only(void)
{
    virDomainPtr dom = make_tree();
    virDomainSnapshotPtr s1 = virDomainSnapshotLookupByName(dom, "s1", 0);
    g_autofree char *all = NULL, *cur = NULL;

    /* s4, the current snapshot, is among the descendants that go: the
     * current snapshot becomes s1, which stays. */
    g_assert_cmpint(virDomainSnapshotDelete(s1, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY), ==, 0);
    all = names_of(dom, 0);
    g_assert_cmpstr(all, ==, "s1");
    cur = current_name(dom);
    g_assert_cmpstr(cur, ==, "s1");
    virDomainSnapshotFree(s1);
    drop_domain(dom);
}

static void
test_delete_metadata_only(void)
{
    virDomainPtr dom;
    virDomainSnapshotPtr s;
    g_autofree char *all = NULL;

    dom = make_tree();
    s = virDomainSnapshotLookupByName(dom, "s3", 0);
    g_assert_cmpint(virDomainSnapshotDelete(s, VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY), ==, 0);
    all = names_of(dom, 0);
    g_assert_cmpstr(all, ==, "s1,s2,s4");
    virDomainSnapshotFree(s);
    drop_domain(dom);
}

/* ------------------------------------------------ undefine and lifetime */

static void
test_undefine_with_metadata(void)
{
    g_autofree char *name = NULL;
    virDomainPtr dom = new_domain(false, &name);
    virDomainPtr gone;

    virDomainSnapshotFree(snap(dom, "a", 0));
    virDomainSnapshotFree(snap(dom, "b", 0));
    g_assert_cmpint(virDomainUndefine(dom), ==, -1);
    expect_error(VIR_ERR_OPERATION_INVALID, "cannot delete inactive domain with 2 snapshots");
    /* the whole message is libvirt's, word for word: scripts match it */
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "Requested operation is not valid: cannot delete inactive domain with 2 snapshots");
    g_assert_cmpint(virDomainSnapshotNum(dom, 0), ==, 2);
    g_assert_cmpint(virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA), ==, 0);
    gone = virDomainLookupByName(conn, name);
    g_assert_null(gone);
    expect_error(VIR_ERR_NO_DOMAIN, NULL);
    virDomainFree(dom);
}

static void
test_transient_metadata_goes(void)
{
    g_autofree char *xml = domain_xml("conftransient3");
    virDomainPtr dom = virDomainCreateXML(conn, xml, 0);

    g_assert_nonnull(dom);
    virDomainSnapshotFree(snap(dom, "t1", 0));
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    virDomainFree(dom);
    /* The same name again: a new domain, with no snapshots. */
    dom = virDomainCreateXML(conn, xml, 0);
    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainSnapshotNum(dom, 0), ==, 0);
    virDomainDestroy(dom);
    virDomainFree(dom);
}

static void
test_autodestroy_refused(void)
{
    virDomainPtr dom;

    dom = new_domain(false, NULL);
    g_assert_cmpint(virDomainCreateWithFlags(dom, VIR_DOMAIN_START_AUTODESTROY), ==, 0);
    g_assert_null(virDomainSnapshotCreateXML(dom, "<domainsnapshot/>", 0));
    expect_error(VIR_ERR_OPERATION_INVALID, "autodestroy");
    drop_domain(dom);
}

/* The vendor feature a plugin declares when it implements snapshots. */
#define SNAPSHOT_FEATURE "org.virtkit.snapshots"

#ifndef VK_STOCK_LIBVIRT
/* Which loaded plugin serves @uri, and whether it claims snapshots. */
static bool
plugin_claims_snapshots(const char *uri, char **plugin)
{
    virtkitPluginInfoPtr *list = NULL;
    g_autofree char *scheme = g_uri_parse_scheme(uri);
    bool claims = false;
    int n = virtkitConnectListPlugins(&list, 0);

    if (scheme && strchr(scheme, '+'))
        *strchr(scheme, '+') = '\0';
    for (int i = 0; i < n; i++) {
        virtkitPluginInfoPtr p = list[i];
        if (strcmp(p->status, "loaded") == 0 && p->schemes && scheme &&
            g_strv_contains((const char *const *)p->schemes, scheme)) {
            *plugin = g_strdup(p->name);
            claims = p->vendorFeatures &&
                     g_strv_contains((const char *const *)p->vendorFeatures, SNAPSHOT_FEATURE);
        }
        virtkitPluginInfoFree(p);
    }
    free(list);
    return claims;
}

static char *unclaimed_plugin;

/* In this tree a plugin that does not declare the feature fails the suite:
 * a skip would let a plugin that lost its declaration pass unnoticed. */
static void
test_claimed(void)
{
    if (unclaimed_plugin) {
        g_test_message("plugin '%s' does not declare the vendor feature %s in its "
                       "descriptor's vendor_features; the snapshot cases below are run "
                       "anyway", unclaimed_plugin, SNAPSHOT_FEATURE);
        g_test_fail();
    }
}
#endif

static void
quiet_errors(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
}

/* In a case's process, every failed call prints its libvirt error.  GLib
 * shows that process's stderr only when the case fails, so the last lines
 * before the failed check name the error of the call it was about. */
static void
print_errors(void *data, virErrorPtr err)
{
    (void)data;
    fprintf(stderr, "libvirt error: code %d, domain %d, level %d: %s\n",
            err->code, err->domain, err->level, err->message ? err->message : "(no message)");
}

typedef struct {
    const char *path;
    GTestFunc fn;
    const char *stock_skip;   /* why stock libvirt's test driver cannot run it */
} ConformanceCase;

static const ConformanceCase cases[] = {
    { "/snapshot/create/basic", test_create_basic, NULL },
    { "/snapshot/create/generated-name", test_create_generated_name, NULL },
    { "/snapshot/create/errors", test_create_errors, NULL },
    { "/snapshot/create/quiesce-atomic-live", test_create_noop_flags, NULL },
    { "/snapshot/create/halt", test_create_halt, NULL },
    { "/snapshot/create/halt-transient-refused", test_create_halt_transient, NULL },
    { "/snapshot/create/external-needs-disk-only", test_create_external_refused, NULL },
    { "/snapshot/create/disk-only", test_create_disk_only,
      "VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY (it refuses the flag)" },
    { "/snapshot/create/no-metadata", test_create_no_metadata,
      "VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA (it refuses the flag)" },
    { "/snapshot/create/redefine", test_create_redefine, NULL },
    { "/snapshot/lookup/errors", test_lookup_errors, NULL },
    { "/snapshot/list/tree", test_list_tree, NULL },
    { "/snapshot/list/topological", test_list_topological, NULL },
    { "/snapshot/list/states", test_list_states, NULL },
    { "/snapshot/revert/config-and-state", test_revert_restores_config_and_state, NULL },
    { "/snapshot/revert/inactive", test_revert_inactive, NULL },
    { "/snapshot/revert/inactive-running", test_revert_inactive_running,
      "start the guest when reverting to a shut-off snapshot with REVERT_RUNNING "
      "(9.0 reports a started event but leaves it shut off)" },
    { "/snapshot/revert/transient", test_revert_transient_needs_run, NULL },
    { "/snapshot/delete/reparents", test_delete_reparents, NULL },
    { "/snapshot/delete/children", test_delete_children, NULL },
    { "/snapshot/delete/children-only", test_delete_children_only, NULL },
    { "/snapshot/delete/metadata-only", test_delete_metadata_only,
      "VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY (it refuses the flag; libvirt's qemu driver "
      "takes it)" },
    { "/snapshot/undefine/with-metadata", test_undefine_with_metadata, NULL },
    { "/snapshot/transient/metadata-goes-on-stop", test_transient_metadata_goes, NULL },
    { "/snapshot/autodestroy/refused", test_autodestroy_refused,
      "VIR_DOMAIN_START_AUTODESTROY (it refuses the flag)" },
};

/* The parent's side of a case: run it in a subprocess, report its result. */
static void
run_case(gconstpointer data)
{
    const ConformanceCase *c = data;
    g_autofree char *sub = g_strconcat(c->path, "/subprocess", NULL);

#ifdef VK_STOCK_LIBVIRT
    if (c->stock_skip) {
        g_autofree char *why = g_strdup_printf("stock libvirt's test driver does not: %s",
                                               c->stock_skip);
        g_test_skip(why);
        return;
    }
#endif
    g_test_trap_subprocess(sub, 300 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
}

static int
usage(const char *argv0)
{
    g_printerr("usage: %s [GTEST-OPTION...] URI [DOMAIN-TEMPLATE.xml]\n"
               "Runs the snapshot conformance suite against the plugin serving URI (found\n"
               "through VIRTKIT_PLUGIN_DIR, then the installed plugin directory).  The\n"
               "template is a domain definition with @NAME@ where each test domain's name\n"
               "goes, and one disk with target vda.  --tap gives TAP output.\n", argv0);
    return 2;
}

int
main(int argc, char **argv)
{
    const char *uri;
    const char *tmpl;
    int ret;

    g_test_init(&argc, &argv, NULL);
    /* The cases' subprocesses are started without our arguments: pass
     * them on through the environment, which they inherit. */
    if (argc > 3)
        return usage(argv[0]);
    if (argc >= 2)
        g_setenv("VIRTKIT_CONFORMANCE_URI", argv[1], TRUE);
    if (argc == 3) {
        g_autofree char *abs = g_canonicalize_filename(argv[2], NULL);
        g_setenv("VIRTKIT_CONFORMANCE_DOMAIN_XML", abs, TRUE);
    }
    uri = g_getenv("VIRTKIT_CONFORMANCE_URI");
    tmpl = g_getenv("VIRTKIT_CONFORMANCE_DOMAIN_XML");
    if (!uri || !*uri)
        return usage(argv[0]);
    if (tmpl) {
        g_autoptr(GError) err = NULL;
        if (!g_file_get_contents(tmpl, &domain_template, NULL, &err)) {
            g_printerr("cannot read the domain template %s: %s\n", tmpl, err->message);
            return 1;
        }
    } else {
        domain_template = g_strdup(default_template);
    }
    /* Errors are checked through the API; keep the default handler quiet. */
    virSetErrorFunc(NULL, quiet_errors);
    conn = virConnectOpen(uri);
    if (!conn) {
        g_printerr("cannot open %s: %s\n", uri, virGetLastErrorMessage());
        return 1;
    }

    /* GLib runs a ".../subprocess" path only in the subprocess that asks
     * for it; the parent must know it too. */
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *sub = g_strconcat(cases[i].path, "/subprocess", NULL);
        g_test_add_func(sub, cases[i].fn);
    }
    if (g_test_subprocess()) {
        virSetErrorFunc(NULL, print_errors);
    } else {
        /* A failed case must not stop the ones after it. */
        g_test_set_nonfatal_assertions();
#ifndef VK_STOCK_LIBVIRT
        {
            g_autofree char *plugin = NULL;
            if (!plugin_claims_snapshots(uri, &plugin))
                unclaimed_plugin = plugin ? g_strdup(plugin) : g_strdup_printf(
                    "(no loaded plugin claims the scheme of %s)", uri);
            g_test_add_func("/snapshot/claimed", test_claimed);
        }
#endif
        for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
            g_test_add_data_func(cases[i].path, &cases[i], run_case);
    }
    ret = g_test_run();
    virConnectClose(conn);
    g_free(domain_template);
#ifndef VK_STOCK_LIBVIRT
    g_free(unclaimed_plugin);
#endif
    return ret;
}
