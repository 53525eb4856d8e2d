/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-snapshot-xml: the <domainsnapshot> model and the snapshot tree.
 * What we format is held to what stock libvirt 9.0 formats (virsh on
 * test:///default, run by the test) and to domainsnapshot.rng.
 */
#include <glib/gstdio.h>

#include <string.h>
#include <glib.h>

#include <virtkit/virtkit.h>

#include "virtkit-conf-xml.h"
#include "virtkit-conf-snapshot.h"
#include "conf-test-util.h"

#define SNAPSHOT_RNG "/usr/share/libvirt/schemas/domainsnapshot.rng"

static const char domain_xml[] =
    "<domain type='test'>\n"
    "  <name>snapxml</name>\n"
    "  <uuid>7e2f0f4a-5a53-4c55-9b8e-2b1f4f0c9a11</uuid>\n"
    "  <memory>131072</memory>\n"
    "  <vcpu>1</vcpu>\n"
    "  <os><type>hvm</type></os>\n"
    "  <devices>\n"
    "    <disk type='file' device='disk'>\n"
    "      <source file='/guest/snapxml.img'/>\n"
    "      <target dev='vda' bus='virtio'/>\n"
    "    </disk>\n"
    "    <disk type='file' device='cdrom'>\n"
    "      <source file='/guest/install.iso'/>\n"
    "      <target dev='hdc' bus='ide'/>\n"
    "      <readonly/>\n"
    "    </disk>\n"
    "  </devices>\n"
    "</domain>\n";

/* Stock libvirt's dump of a snapshot of domain_xml, made by virsh now. */
static char *
stock_snapshot_dump(void)
{
    g_autofree char *dir = g_dir_make_tmp("vk-snapxml-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "d.xml", NULL);
    g_autofree char *cmds = NULL;
    g_autofree char *out = NULL, *err = NULL;
    g_autoptr(GError) gerr = NULL;
    const char *start;
    int status = 0;
    char *argv[] = { (char *)"virsh", (char *)"-q", (char *)"-c", (char *)"test:///default",
                     NULL, NULL };

    g_autofree char *virsh = g_find_program_in_path("virsh");

    if (!virsh)
        return NULL;
    g_assert_true(g_file_set_contents(path, domain_xml, -1, NULL));
    cmds = g_strdup_printf("define %s; snapshot-create-as snapxml first --description 'the first'; "
                           "snapshot-create-as snapxml second; snapshot-dumpxml snapxml second",
                           path);
    argv[4] = cmds;
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                               &status, &gerr));
    g_unlink(path);
    g_rmdir(dir);
    if (!g_spawn_check_wait_status(status, NULL)) {
        g_test_message("virsh failed: %s", err);
        return NULL;
    }
    start = strstr(out, "<domainsnapshot>");
    g_assert_nonnull(start);
    return g_strdup(start);
}

static void
test_roundtrip_stock(void)
{
    g_autofree char *stock = stock_snapshot_dump();
    g_autoptr(virtkitSnapshotDef) def = NULL;
    g_autoptr(GError) err = NULL;
    g_autofree char *ours = NULL, *diff = NULL, *rng = NULL;

    if (!stock) {
        g_test_skip("stock virsh (libvirt-clients) is not installed: nothing to compare with");
        return;
    }
    def = virtkitSnapshotDefParseString(stock, VIRTKIT_SNAPSHOT_PARSE_REDEFINE, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(def->name, ==, "second");
    g_assert_cmpstr(def->parent, ==, "first");
    g_assert_cmpstr(def->state, ==, "shutoff");
    g_assert_nonnull(def->dom);
    ours = virtkitSnapshotDefFormat(def, 0);
    diff = conf_test_diff(stock, ours);
    if (strcmp(stock, ours) != 0)
        g_test_message("stock vs ours:\n%s", diff);
    g_assert_cmpstr(ours, ==, stock);
    rng = conf_test_relaxng_errors(ours, SNAPSHOT_RNG);
    g_assert_cmpstr(rng, ==, NULL);
}

/* A snapshot built as a plugin builds one: defaults filled, disks aligned. */
static void
test_build_and_validate(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(virtkitSnapshotDef) def =
        virtkitSnapshotDefParseString("<domainsnapshot><name>s</name>"
                                      "<description>a &amp; b</description></domainsnapshot>", 0, &err);
    g_autofree char *xml = NULL, *rng = NULL;
    const virtkitSnapshotDisk *d;

    g_assert_no_error(err);
    def->state = g_strdup("running");
    def->creation_time = 1700000000;
    def->memory = g_strdup("internal");
    def->dom = virtkitDomainDefParseString(domain_xml, NULL, 0, &err);
    g_assert_no_error(err);
    g_assert_true(virtkitSnapshotDefAlignDisks(def, def->dom, "internal", &err));
    g_assert_cmpuint(def->disks->len, ==, 2);
    d = g_ptr_array_index(def->disks, 0);
    g_assert_cmpstr(d->name, ==, "vda");
    g_assert_cmpstr(d->snapshot, ==, "internal");
    d = g_ptr_array_index(def->disks, 1);
    g_assert_cmpstr(d->name, ==, "hdc");
    g_assert_cmpstr(d->snapshot, ==, "no");      /* a read-only cdrom */
    xml = virtkitSnapshotDefFormat(def, 0);
    g_assert_nonnull(strstr(xml, "  <description>a &amp; b</description>\n"));
    g_assert_nonnull(strstr(xml, "  <creationTime>1700000000</creationTime>\n"
                                 "  <memory snapshot='internal'/>\n"
                                 "  <disks>\n"
                                 "    <disk name='vda' snapshot='internal'/>\n"
                                 "    <disk name='hdc' snapshot='no'/>\n"
                                 "  </disks>\n"
                                 "  <domain type='test'>\n"));
    rng = conf_test_relaxng_errors(xml, SNAPSHOT_RNG);
    g_assert_cmpstr(rng, ==, NULL);
}

static void
test_external_disks(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(virtkitSnapshotDef) def = virtkitSnapshotDefParseString(
        "<domainsnapshot><name>ext</name><disks>"
        "<disk name='/guest/snapxml.img'><source file='/tmp/o.qcow2'/><driver type='qcow2'/></disk>"
        "</disks></domainsnapshot>", 0, &err);
    g_autoptr(virtkitDomainDef) dom = virtkitDomainDefParseString(domain_xml, NULL, 0, NULL);
    g_autofree char *xml = NULL, *rng = NULL;
    const virtkitSnapshotDisk *d;

    g_assert_no_error(err);
    /* Named by source path, given a file but no mode: external, target name. */
    g_assert_true(virtkitSnapshotDefAlignDisks(def, dom, "external", &err));
    d = g_ptr_array_index(def->disks, 0);
    g_assert_cmpstr(d->name, ==, "vda");
    g_assert_cmpstr(d->snapshot, ==, "external");
    g_assert_true(virtkitSnapshotDefIsExternal(def));
    def->state = g_strdup("disk-snapshot");
    def->memory = g_strdup("no");
    xml = virtkitSnapshotDefFormat(def, 0);
    g_assert_nonnull(strstr(xml, "    <disk name='vda' snapshot='external' type='file'>\n"
                                 "      <driver type='qcow2'/>\n"
                                 "      <source file='/tmp/o.qcow2'/>\n"
                                 "    </disk>\n"));
    rng = conf_test_relaxng_errors(xml, SNAPSHOT_RNG);
    g_assert_cmpstr(rng, ==, NULL);
}

static void
test_parse_errors(void)
{
    g_autoptr(virtkitDomainDef) dom = virtkitDomainDefParseString(domain_xml, NULL, 0, NULL);
    /* A wrong root element and a bad enum value are the XML layer's errors
     * (VIR_FROM_XML in libvirt); the rest the snapshot model's. */
    GQuark xmlq = VIRTKIT_CONF_XML_ERROR, confq = VIRTKIT_CONF_ERROR;
    struct {
        const char *xml;
        unsigned int flags;
        GQuark quark;
        int code;
        const char *msg;
    } cases[] = {
        { "<domain/>", 0, xmlq, VIR_ERR_XML_ERROR,
          "expecting root element of 'domainsnapshot', not 'domain'" },
        { "<domainsnapshot><name>x</name>", 0, confq, VIR_ERR_XML_DETAIL,
          "(domain_snapshot):1: Premature end of data in tag domainsnapshot line 1\n"
          "<domainsnapshot><name>x</name>\n------------------------------^" },
        { "<domainsnapshot><name>r</name><state>dancing</state><creationTime>1</creationTime>"
          "<domain type='test'><name>t</name><memory>1024</memory><os><type>hvm</type></os>"
          "</domain></domainsnapshot>", VIRTKIT_SNAPSHOT_PARSE_REDEFINE, confq,
          VIR_ERR_CONFIG_UNSUPPORTED, "Invalid state 'dancing' in domain snapshot XML" },
        { "<domainsnapshot><memory snapshot='maybe'/></domainsnapshot>", 0, xmlq,
          VIR_ERR_XML_ERROR, "Invalid value for attribute 'snapshot' in element 'memory': 'maybe'." },
        { "<domainsnapshot><disks><disk name='vda' snapshot='x'/></disks></domainsnapshot>", 0,
          xmlq, VIR_ERR_XML_ERROR,
          "Invalid value for attribute 'snapshot' in element 'disk': 'x'." },
        { "<domainsnapshot><memory snapshot='no' file='/m'/></domainsnapshot>", 0, confq,
          VIR_ERR_XML_ERROR, "memory filename '/m' requires external snapshot" },
        { "<domainsnapshot><creationTime>soon</creationTime></domainsnapshot>", 0, confq,
          VIR_ERR_XML_DETAIL, "invalid creationTime 'soon'" },
        { "<domainsnapshot><name>r</name><state>running</state></domainsnapshot>",
          VIRTKIT_SNAPSHOT_PARSE_REDEFINE, confq, VIR_ERR_INTERNAL_ERROR,
          "missing creationTime from existing snapshot" },
        { "<domainsnapshot><name>r</name><state>running</state><creationTime>1</creationTime>"
          "</domainsnapshot>", VIRTKIT_SNAPSHOT_PARSE_REDEFINE, confq, VIR_ERR_INTERNAL_ERROR,
          "missing domain in snapshot" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) err = NULL;
        g_autoptr(virtkitSnapshotDef) def = virtkitSnapshotDefParseString(cases[i].xml, cases[i].flags, &err);
        g_assert_null(def);
        g_assert_error(err, cases[i].quark, cases[i].code);
        if (!strstr(err->message, cases[i].msg))
            g_test_message("%s: %s", cases[i].xml, err->message);
        g_assert_nonnull(strstr(err->message, cases[i].msg));
    }
    /* a new snapshot's state is the domain's: the document's is not read */
    {
        g_autoptr(GError) err = NULL;
        g_autoptr(virtkitSnapshotDef) def = virtkitSnapshotDefParseString(
            "<domainsnapshot><state>dancing</state></domainsnapshot>", 0, &err);
        g_assert_no_error(err);
        g_assert_nonnull(def);
    }

    /* Disks the domain does not have, or named twice. */
    {
        g_autoptr(GError) err = NULL;
        g_autoptr(virtkitSnapshotDef) def = virtkitSnapshotDefParseString(
            "<domainsnapshot><disks><disk name='vdz'/></disks></domainsnapshot>", 0, NULL);
        g_assert_false(virtkitSnapshotDefAlignDisks(def, dom, "internal", &err));
        g_assert_error(err, VIRTKIT_CONF_ERROR, VIR_ERR_CONFIG_UNSUPPORTED);
        g_assert_nonnull(strstr(err->message, "no disk named 'vdz'"));
    }
    {
        g_autoptr(GError) err = NULL;
        g_autoptr(virtkitSnapshotDef) def = virtkitSnapshotDefParseString(
            "<domainsnapshot><disks><disk name='vda'/><disk name='/guest/snapxml.img'/>"
            "</disks></domainsnapshot>", 0, NULL);
        g_assert_false(virtkitSnapshotDefAlignDisks(def, dom, "internal", &err));
        g_assert_nonnull(strstr(err->message, "specified twice"));
    }
}

/* ------------------------------------------------------------------ tree */

static void
tree_add(virtkitSnapshotTree *t, const char *name, const char *parent, const char *state)
{
    virtkitSnapshotDef *d = virtkitSnapshotDefParseString("<domainsnapshot/>", 0, NULL);
    g_autoptr(GError) err = NULL;

    d->name = g_strdup(name);
    d->parent = g_strdup(parent);
    d->state = g_strdup(state);
    g_assert_true(virtkitSnapshotTreeAdd(t, d, FALSE, &err));
    virtkitSnapshotTreeSetCurrent(t, name);
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
joined(GPtrArray *names)
{
    g_autoptr(GPtrArray) sorted = g_ptr_array_new();   /* borrows the strings */
    char *out;

    for (guint i = 0; i < names->len; i++)
        g_ptr_array_add(sorted, g_ptr_array_index(names, i));
    g_ptr_array_sort(sorted, compare_names);
    g_ptr_array_add(sorted, NULL);
    out = g_strjoinv(",", (char **)sorted->pdata);
    g_ptr_array_unref(names);
    return out;
}

/*   s1 - s2 - s3
 *     \
 *      s4 (current)     off: a shut-off root */
static virtkitSnapshotTree *
make_tree(void)
{
    virtkitSnapshotTree *t = virtkitSnapshotTreeNew();

    tree_add(t, "s1", NULL, "running");
    tree_add(t, "s2", "s1", "running");
    tree_add(t, "s3", "s2", "paused");
    tree_add(t, "s4", "s1", "running");
    tree_add(t, "off", NULL, "shutoff");
    virtkitSnapshotTreeSetCurrent(t, "s4");
    return t;
}

static void
test_tree_list(void)
{
    g_autoptr(virtkitSnapshotTree) t = make_tree();
    struct {
        const char *from;
        unsigned int flags;
        const char *want;
    } cases[] = {
        { NULL, 0, "off,s1,s2,s3,s4" },
        { NULL, VIR_DOMAIN_SNAPSHOT_LIST_ROOTS, "off,s1" },
        { NULL, VIR_DOMAIN_SNAPSHOT_LIST_LEAVES, "off,s3,s4" },
        { NULL, VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES, "s1,s2" },
        { NULL, VIR_DOMAIN_SNAPSHOT_LIST_LEAVES | VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES, "" },
        { NULL, VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE, "off" },
        { NULL, VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE, "s1,s2,s3,s4" },
        { NULL, VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA, "" },
        { NULL, VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL, "" },
        { NULL, VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL | VIR_DOMAIN_SNAPSHOT_LIST_ROOTS, "off,s1" },
        { "s1", 0, "s2,s4" },
        { "s1", VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS, "s2,s3,s4" },
        { "s1", VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS | VIR_DOMAIN_SNAPSHOT_LIST_LEAVES, "s3,s4" },
        { "s3", 0, "" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *got = joined(virtkitSnapshotTreeList(t, cases[i].from, cases[i].flags));
        if (strcmp(got, cases[i].want) != 0)
            g_test_message("case %zu: from %s flags 0x%x", i, cases[i].from, cases[i].flags);
        g_assert_cmpstr(got, ==, cases[i].want);
    }
    /* Topological: parents before children. */
    {
        g_autoptr(GPtrArray) topo = virtkitSnapshotTreeList(t, NULL, VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL);
        g_assert_cmpuint(topo->len, ==, 5);
        for (guint i = 0; i < topo->len; i++) {
            virtkitSnapshotDef *d = virtkitSnapshotTreeFind(t, g_ptr_array_index(topo, i));
            gboolean seen = d->parent == NULL;
            for (guint k = 0; k < i && !seen; k++)
                seen = strcmp(g_ptr_array_index(topo, k), d->parent) == 0;
            g_assert_true(seen);
        }
    }
}

static void
test_tree_add_errors(void)
{
    g_autoptr(virtkitSnapshotTree) t = make_tree();
    g_autoptr(GError) err = NULL;
    virtkitSnapshotDef *d = virtkitSnapshotDefParseString("<domainsnapshot/>", 0, NULL);

    d->name = g_strdup("s2");
    g_assert_false(virtkitSnapshotTreeAdd(t, d, FALSE, &err));
    g_assert_error(err, VIRTKIT_CONF_ERROR, VIR_ERR_OPERATION_FAILED);
    g_assert_cmpstr(err->message, ==, "domain moment s2 already exists");
    g_clear_error(&err);
    g_free(d->name);
    d->name = g_strdup("orphan");
    d->parent = g_strdup("nowhere");
    g_assert_false(virtkitSnapshotTreeAdd(t, d, FALSE, &err));
    virtkitSnapshotDefFree(d);
    g_assert_cmpuint(virtkitSnapshotTreeSize(t), ==, 5);
}

static void
test_tree_delete(void)
{
    {
        /* Plain: children re-parented; the current one's parent becomes current. */
        g_autoptr(virtkitSnapshotTree) t = make_tree();
        /* Named by the snapshot's own string, which the delete frees. */
        g_autofree char *gone = joined(virtkitSnapshotTreeDelete(t, virtkitSnapshotTreeFind(t, "s2")->name, 0));
        g_assert_cmpstr(gone, ==, "s2");
        g_assert_cmpstr(virtkitSnapshotTreeFind(t, "s3")->parent, ==, "s1");
        g_free(joined(virtkitSnapshotTreeDelete(t, "s4", 0)));
        g_assert_cmpstr(virtkitSnapshotTreeGetCurrent(t), ==, "s1");
    }
    {
        g_autoptr(virtkitSnapshotTree) t = make_tree();
        g_autofree char *gone = joined(virtkitSnapshotTreeDelete(t, "s1", VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN));
        g_assert_cmpstr(gone, ==, "s1,s2,s3,s4");
        /* s1 was a root: no current snapshot is left. */
        g_assert_null(virtkitSnapshotTreeGetCurrent(t));
        g_assert_cmpuint(virtkitSnapshotTreeSize(t), ==, 1);
    }
    {
        g_autoptr(virtkitSnapshotTree) t = make_tree();
        g_autofree char *gone = joined(virtkitSnapshotTreeDelete(t, "s1", VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY));
        g_assert_cmpstr(gone, ==, "s2,s3,s4");
        g_assert_cmpstr(virtkitSnapshotTreeGetCurrent(t), ==, "s1");
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/conf/snapshot/roundtrip-stock", test_roundtrip_stock);
    g_test_add_func("/conf/snapshot/build-and-validate", test_build_and_validate);
    g_test_add_func("/conf/snapshot/external-disks", test_external_disks);
    g_test_add_func("/conf/snapshot/parse-errors", test_parse_errors);
    g_test_add_func("/conf/snapshot/tree/list", test_tree_list);
    g_test_add_func("/conf/snapshot/tree/add-errors", test_tree_add_errors);
    g_test_add_func("/conf/snapshot/tree/delete", test_tree_delete);
    return g_test_run();
}
