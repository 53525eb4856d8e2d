/*
 * test-host.c: test:///default is libvirt's test host (node info,
 * hostname, capabilities, the running domain "test"), shared by every
 * connection of the process; test:///PATH.xml loads a host of its own.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tp-util.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

/* What stock `virsh -c test:///default dumpxml test` prints (libvirt 9.0). */
static const char stock_dumpxml[] =
    "<domain type='test' id='1'>\n"
    "  <name>test</name>\n"
    "  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>\n"
    "  <memory unit='KiB'>8388608</memory>\n"
    "  <currentMemory unit='KiB'>2097152</currentMemory>\n"
    "  <vcpu placement='static'>2</vcpu>\n"
    "  <os>\n"
    "    <type arch='i686'>hvm</type>\n"
    "    <boot dev='hd'/>\n"
    "  </os>\n"
    "  <clock offset='utc'/>\n"
    "  <on_poweroff>destroy</on_poweroff>\n"
    "  <on_reboot>restart</on_reboot>\n"
    "  <on_crash>destroy</on_crash>\n"
    "  <devices>\n"
    "    <disk type='file' device='disk'>\n"
    "      <source file='/guest/diskimage1'/>\n"
    "      <target dev='vda' bus='virtio'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>\n"
    "    </disk>\n"
    "    <interface type='network'>\n"
    "      <mac address='aa:bb:cc:dd:ee:ff'/>\n"
    "      <source network='default'/>\n"
    "      <target dev='testnet0'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>\n"
    "    </interface>\n"
    "    <memballoon model='virtio'>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>\n"
    "    </memballoon>\n"
    "  </devices>\n"
    "</domain>\n";

static void
test_nodeinfo(void)
{
    virConnectPtr conn = tp_open_default();
    virNodeInfo info;

    g_assert_cmpint(virNodeGetInfo(conn, &info), ==, 0);
    g_assert_cmpstr(info.model, ==, "i686");
    g_assert_cmpuint(info.memory, ==, 3145728);
    g_assert_cmpuint(info.cpus, ==, 16);
    g_assert_cmpuint(info.mhz, ==, 1400);
    g_assert_cmpuint(info.nodes, ==, 2);
    g_assert_cmpuint(info.sockets, ==, 2);
    g_assert_cmpuint(info.cores, ==, 2);
    g_assert_cmpuint(info.threads, ==, 2);
    {
        unsigned long long cells[4] = { 0 };
        g_assert_cmpint(virNodeGetCellsFreeMemory(conn, cells, 0, 4), ==, 2);
        g_assert_cmpuint(cells[0], ==, 2097152);
        g_assert_cmpuint(cells[1], ==, 4194304);
        g_assert_cmpint(virNodeGetCellsFreeMemory(conn, cells, 5, 1), ==, -1);
        tp_assert_error(VIR_ERR_INVALID_ARG, "start cell 5");
    }
    g_assert_cmpuint(virNodeGetFreeMemory(conn), ==, 3145728);
    virConnectClose(conn);
}

static void
test_identity(void)
{
    virConnectPtr conn = tp_open_default();
    unsigned long ver = 0;
    g_autofree char *host = virConnectGetHostname(conn);
    g_autofree char *uri = virConnectGetURI(conn);
    g_autofree char *stock = tp_virsh("hostname");

    g_assert_cmpstr(virConnectGetType(conn), ==, "TEST");
    g_assert_cmpint(virConnectGetVersion(conn, &ver), ==, 0);
    g_assert_cmpuint(ver, ==, 2);
    g_assert_cmpint(virConnectGetMaxVcpus(conn, NULL), ==, 32);
    g_assert_cmpstr(uri, ==, "test:///default");
    g_assert_nonnull(host);
    g_assert_true(g_str_has_prefix(host, g_get_host_name()));
    if (stock)
        g_assert_cmpstr(g_strstrip(stock), ==, host);
    else
        g_test_message("stock virsh not available: hostname checked against the kernel's only");
    g_assert_cmpint(virConnectIsAlive(conn), ==, 1);
    g_assert_cmpint(virConnectIsSecure(conn), ==, 1);
    g_assert_cmpint(virConnectIsEncrypted(conn), ==, 0);
    virConnectClose(conn);
}

static void
test_capabilities(void)
{
    virConnectPtr conn = tp_open_default();
    g_autofree char *caps = virConnectGetCapabilities(conn);
    g_autofree char *stock = tp_virsh("capabilities");

    g_assert_nonnull(caps);
    g_assert_nonnull(strstr(caps, "<model>testSecurity</model>"));
    g_assert_nonnull(strstr(caps, "<emulator>/usr/bin/test-hv</emulator>"));
    g_assert_nonnull(strstr(caps, "<pages unit='KiB' size='4'>524288</pages>"));
    if (!stock) {
        g_test_message("stock virsh not available: compared with the fixed facts only");
    } else {
        /* virsh adds a blank line after what the API returns */
        g_assert_true(g_str_has_prefix(stock, caps));
        g_assert_cmpuint(strlen(stock), ==, strlen(caps) + 1);
    }
    {
        g_autofree char *dc = virConnectGetDomainCapabilities(conn, NULL, NULL, NULL, NULL, 0);
        g_assert_nonnull(dc);
        g_assert_nonnull(strstr(dc, "<domain>test</domain>"));
        g_assert_null(virConnectGetDomainCapabilities(conn, NULL, "aarch64", NULL, NULL, 0));
        tp_assert_error(VIR_ERR_INVALID_ARG, "aarch64");
        g_assert_null(virConnectGetDomainCapabilities(conn, NULL, NULL, NULL, "kvm", 0));
        tp_assert_error(VIR_ERR_INVALID_ARG, "'kvm'");
    }
    virConnectClose(conn);
}

static void
test_domain_test(void)
{
    virConnectPtr conn = tp_open_default();
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virDomainInfo info;
    char uuid[VIR_UUID_STRING_BUFLEN];
    int reason;
    virSecurityModel model;
    virSecurityLabel label;

    g_assert_nonnull(dom);
    g_assert_cmpuint(virDomainGetID(dom), ==, 1);
    g_assert_cmpint(virDomainGetUUIDString(dom, uuid), ==, 0);
    g_assert_cmpstr(uuid, ==, "6695eb01-f6a4-8304-79aa-97f2502e193f");
    g_assert_cmpint(virDomainGetInfo(dom, &info), ==, 0);
    g_assert_cmpint(info.state, ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpuint(info.maxMem, ==, 8388608);
    g_assert_cmpuint(info.memory, ==, 2097152);
    g_assert_cmpuint(info.nrVirtCpu, ==, 2);
    /* like libvirt's test driver, the wall clock as cpu time */
    g_assert_cmpuint(info.cpuTime / 1000000000ULL, >=, (guint64)(g_get_real_time() / G_USEC_PER_SEC) - 60);
    g_assert_cmpuint(info.cpuTime / 1000000000ULL, <=, (guint64)(g_get_real_time() / G_USEC_PER_SEC) + 60);
    g_assert_cmpint(tp_state(dom, &reason), ==, VIR_DOMAIN_RUNNING);
    g_assert_cmpint(reason, ==, VIR_DOMAIN_RUNNING_UNKNOWN);
    {
        g_autofree char *os = virDomainGetOSType(dom);
        g_assert_cmpstr(os, ==, "linux");
    }
    g_assert_cmpint(virDomainIsActive(dom), ==, 1);
    g_assert_cmpint(virDomainIsPersistent(dom), ==, 1);
    g_assert_cmpint(virDomainIsUpdated(dom), ==, 0);
    g_assert_cmpint(virNodeGetSecurityModel(conn, &model), ==, 0);
    g_assert_cmpstr(model.model, ==, "testSecurity");
    g_assert_cmpint(virDomainGetSecurityLabel(dom, &label), ==, 0);
    g_assert_cmpstr(label.label, ==, "libvirt-test");
    g_assert_cmpint(label.enforcing, ==, 1);
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
test_dumpxml(void)
{
    virConnectPtr conn = tp_open_default();
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    g_autofree char *xml = NULL;
    g_autofree char *stock = tp_virsh("dumpxml test");

    g_assert_nonnull(dom);
    xml = virDomainGetXMLDesc(dom, 0);
    g_assert_cmpstr(xml, ==, stock_dumpxml);
    if (stock) {
        /* virsh prints a blank line after the document */
        g_assert_true(g_str_has_prefix(stock, xml));
    } else {
        g_test_message("stock virsh not available: compared with libvirt 9.0's recorded output");
    }
    {
        g_autofree char *inactive = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
        g_assert_true(g_str_has_prefix(inactive, "<domain type='test'>\n"));
    }
    virDomainFree(dom);
    virConnectClose(conn);
}

static void
test_lookups(void)
{
    virConnectPtr conn = tp_open_default();
    virDomainPtr a, b, c;
    unsigned char uuid[VIR_UUID_BUFLEN] = { 0 };

    a = virDomainLookupByName(conn, "test");
    b = virDomainLookupByID(conn, 1);
    g_assert_nonnull(a);
    g_assert_nonnull(b);
    g_assert_cmpint(virDomainGetUUID(a, uuid), ==, 0);
    c = virDomainLookupByUUID(conn, uuid);
    g_assert_nonnull(c);
    g_assert_cmpstr(virDomainGetName(b), ==, "test");
    g_assert_cmpstr(virDomainGetName(c), ==, "test");
    /* libvirt's test driver answers failed lookups with the bare text. */
    g_assert_null(virDomainLookupByName(conn, "nope"));
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "Domain not found");
    tp_assert_error(VIR_ERR_NO_DOMAIN, NULL);
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_TEST);
    g_assert_null(virDomainLookupByID(conn, 4242));
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "Domain not found");
    memset(uuid, 0x11, sizeof(uuid));
    g_assert_null(virDomainLookupByUUID(conn, uuid));
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "Domain not found");
    virDomainFree(a);
    virDomainFree(b);
    virDomainFree(c);
    virConnectClose(conn);
}

/* test:///default is one host for every connection of the process. */
static void
test_shared(void)
{
    virConnectPtr c1 = tp_open_default();
    virConnectPtr c2 = tp_open_default();
    virDomainPtr d1 = tp_define(c1, "shared-one", NULL);
    virDomainPtr d2 = virDomainLookupByName(c2, "shared-one");

    g_assert_nonnull(d2);
    g_assert_cmpint(virDomainUndefine(d2), ==, 0);
    g_assert_null(virDomainLookupByName(c1, "shared-one"));
    tp_assert_error(VIR_ERR_NO_DOMAIN, NULL);
    virDomainFree(d1);
    virDomainFree(d2);
    virConnectClose(c1);
    virConnectClose(c2);
    /* after every connection closed, the host is still the same one */
    c1 = tp_open_default();
    d1 = tp_define(c1, "shared-two", NULL);
    virDomainFree(d1);
    virConnectClose(c1);
    c1 = tp_open_default();
    d1 = virDomainLookupByName(c1, "shared-two");
    g_assert_nonnull(d1);
    g_assert_cmpint(virDomainUndefine(d1), ==, 0);
    virDomainFree(d1);
    virConnectClose(c1);
}

static void
test_node_file(void)
{
    g_autofree char *path = g_build_filename(tp_tmpdir(), "custom.xml", NULL);
    g_autofree char *uri = g_strdup_printf("test://%s", path);
    g_autofree char *before = NULL, *after = NULL;
    const char *xml =
        "<node>\n"
        "  <cpu><mhz>2000</mhz><model>x86_64</model><nodes>1</nodes><sockets>1</sockets>"
        "<cores>4</cores><threads>1</threads></cpu>\n"
        "  <memory>1048576</memory>\n"
        "  <domain type='test'><name>fromfile</name><memory>65536</memory>"
        "<os><type>hvm</type></os></domain>\n"
        "</node>\n";
    virConnectPtr conn, conn2;
    virDomainPtr dom;
    virNodeInfo info;

    g_assert_true(g_file_set_contents(path, xml, -1, NULL));
    conn = virConnectOpen(uri);
    g_assert_nonnull(conn);
    g_assert_cmpint(virNodeGetInfo(conn, &info), ==, 0);
    g_assert_cmpstr(info.model, ==, "x86_64");
    g_assert_cmpuint(info.mhz, ==, 2000);
    g_assert_cmpuint(info.cpus, ==, 4);
    g_assert_cmpuint(info.memory, ==, 1048576);
    dom = virDomainLookupByName(conn, "fromfile");
    g_assert_nonnull(dom);
    g_assert_cmpint(virDomainIsActive(dom), ==, 1);
    g_assert_cmpuint(virDomainGetID(dom), ==, 1);
    g_assert_null(virDomainLookupByName(conn, "test"));
    /* changes stay in memory: the file is only read */
    g_assert_true(g_file_get_contents(path, &before, NULL, NULL));
    g_assert_cmpint(virDomainDestroy(dom), ==, 0);
    virDomainFree(dom);
    g_assert_true(g_file_get_contents(path, &after, NULL, NULL));
    g_assert_cmpstr(before, ==, after);
    /* a second connection gets a host of its own, fresh from the file */
    conn2 = virConnectOpen(uri);
    g_assert_nonnull(conn2);
    dom = virDomainLookupByName(conn2, "fromfile");
    g_assert_cmpint(virDomainIsActive(dom), ==, 1);
    virDomainFree(dom);
    virConnectClose(conn2);
    virConnectClose(conn);

    g_assert_null(virConnectOpen("test:///nonexistent/node.xml"));
    tp_assert_error(VIR_ERR_OPERATION_FAILED, "/nonexistent/node.xml");
    g_assert_null(virConnectOpen("test:///"));
    tp_assert_error(VIR_ERR_INVALID_ARG, "test:///default or test:///ABSOLUTE/PATH.xml");
    g_assert_null(virConnectOpen("test:relative.xml"));
    tp_assert_error(VIR_ERR_INVALID_ARG, "test:///ABSOLUTE/PATH.xml");
}

/* What we format validates against libvirt's published schemas. */
static void
validate(const char *xml, const char *schema)
{
    g_autofree char *xmllint = g_find_program_in_path("xmllint");
    g_autofree char *rng = g_build_filename("/usr/share/libvirt/schemas", schema, NULL);
    g_autofree char *path = g_build_filename(tp_tmpdir(), "validate.xml", NULL);
    g_autoptr(GSubprocess) p = NULL;
    g_autofree char *err = NULL;

    if (!xmllint || !g_file_test(rng, G_FILE_TEST_EXISTS)) {
        g_test_skip("xmllint or libvirt's schemas (Debian's libvirt0) are not installed");
        return;
    }
    g_assert_true(g_file_set_contents(path, xml, -1, NULL));
    p = g_subprocess_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                         NULL, "timeout", "60", xmllint, "--noout", "--relaxng", rng, path, NULL);
    g_assert_nonnull(p);
    g_assert_true(g_subprocess_communicate_utf8(p, NULL, NULL, NULL, &err, NULL));
    if (!g_subprocess_get_successful(p))
        g_test_message("%s: %s", schema, err);
    g_assert_true(g_subprocess_get_successful(p));
}

static void
test_schemas(void)
{
    virConnectPtr conn = tp_open_default();
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    g_autofree char *caps = virConnectGetCapabilities(conn);
    g_autofree char *dc = virConnectGetDomainCapabilities(conn, NULL, NULL, NULL, NULL, 0);
    g_autofree char *xml = virDomainGetXMLDesc(dom, 0);

    validate(caps, "capability.rng");
    validate(dc, "domaincaps.rng");
    validate(xml, "domain.rng");
    virDomainFree(dom);
    virConnectClose(conn);
}

int
main(int argc, char **argv)
{
    tp_init(&argc, &argv);
    g_test_add_func("/test-plugin/host/nodeinfo", test_nodeinfo);
    g_test_add_func("/test-plugin/host/identity", test_identity);
    g_test_add_func("/test-plugin/host/capabilities", test_capabilities);
    g_test_add_func("/test-plugin/host/domain-test", test_domain_test);
    g_test_add_func("/test-plugin/host/dumpxml-test", test_dumpxml);
    g_test_add_func("/test-plugin/host/lookups", test_lookups);
    g_test_add_func("/test-plugin/host/shared-default", test_shared);
    g_test_add_func("/test-plugin/host/node-file", test_node_file);
    g_test_add_func("/test-plugin/host/schemas", test_schemas);
    return g_test_run();
}
