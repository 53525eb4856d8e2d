/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-conf-domain.c: unit tests of libvirtkit-conf: units, defaults,
 * VIR_DOMAIN_XML_SECURE, VIR_DOMAIN_DEFINE_VALIDATE, error positions, size
 * limits, the value helpers, capabilities and the node file.
 */
#include "virtkit-conf-domain.h"
#include "virtkit-conf-node.h"
#include "conf-test-util.h"

#include <virtkit/virtkit.h>
#include <string.h>

#include "../unit/uuid-cases.h"

#define MINIMAL(body) \
    "<domain type='test'>\n  <name>t</name>\n  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>\n" \
    "  <os><type>hvm</type></os>\n" body "</domain>\n"

static virtkitDomainDef *
parse(const char *xml, unsigned int flags, GError **error)
{
    g_autoptr(virtkitCaps) caps = virtkitCapsNewTestDefault();
    virtkitDomainParseOptions opts = { .caps = caps };
    return virtkitDomainDefParseString(xml, &opts, flags, error);
}

static void
test_units(void)
{
    static const struct { const char *value, *unit; guint64 kib; } cases[] = {
        { "214", "MiB", 219136 }, { "1048576", "KB", 1024000 }, { "0", "bytes", 0 },
        { "1", "b", 1 }, { "1025", "bytes", 2 }, { "2", "G", 2097152 }, { "1", "GB", 976563 },
        { "7", NULL, 7 }, { "1", "TiB", 1073741824 },
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        guint64 v = 0;
        g_autoptr(GError) error = NULL;
        g_assert_true(virtkitParseScaled(cases[i].value, cases[i].unit, "KiB", "KiB",
                                         G_MAXUINT64, "memory", &v, &error));
        g_assert_no_error(error);
        g_assert_cmpuint(v, ==, cases[i].kib);
    }
    guint64 v;
    g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL;
    g_assert_false(virtkitParseScaled("12", "parsecs", "KiB", "KiB", G_MAXUINT64, "memory",
                                      &v, &e1));
    g_assert_error(e1, VIRTKIT_CONF_ERROR, VIR_ERR_INVALID_ARG);
    g_assert_false(virtkitParseScaled("-1", NULL, "KiB", "KiB", G_MAXUINT64, "memory", &v, &e2));
    g_assert_error(e2, VIRTKIT_CONF_ERROR, VIR_ERR_XML_DETAIL);
    g_assert_false(virtkitParseScaled("18446744073709551615", "EiB", "KiB", "KiB", G_MAXUINT64,
                                      "memory", &v, &e3));
    g_assert_error(e3, VIRTKIT_CONF_ERROR, VIR_ERR_OVERFLOW);

    /* in a document: everything comes out in KiB */
    g_autoptr(GError) error = NULL;
    g_autoptr(virtkitDomainDef) def = parse(MINIMAL("  <memory unit='MiB'>214</memory>\n"
                                                    "  <memtune><swap_hard_limit unit='KB'>1048576"
                                                    "</swap_hard_limit></memtune>\n"), 0, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(virtkitDomainDefGetMemory(def), ==, 219136);
    g_assert_cmpuint(virtkitDomainDefGetCurrentMemory(def), ==, 219136);
    g_autofree char *xml = virtkitDomainDefFormat(def, 0);
    g_assert_nonnull(strstr(xml, "<memory unit='KiB'>219136</memory>"));
    g_assert_nonnull(strstr(xml, "<swap_hard_limit unit='KiB'>1024000</swap_hard_limit>"));
}

static void
test_defaults(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(virtkitDomainDef) def = parse(
        MINIMAL("  <memory>1024</memory>\n"
                "  <devices>\n"
                "    <disk><source file='/a.img'/><target dev='hdb'/></disk>\n"
                "    <console type='pty'/>\n"
                "    <graphics type='vnc'/>\n"
                "  </devices>\n"), 0, &error);
    g_assert_no_error(error);
    g_autofree char *xml = virtkitDomainDefFormat(def, 0);
    static const char expected[] =
        "<domain type='test'>\n"
        "  <name>t</name>\n"
        "  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>\n"
        "  <memory unit='KiB'>1024</memory>\n"
        "  <currentMemory unit='KiB'>1024</currentMemory>\n"
        "  <vcpu placement='static'>1</vcpu>\n"
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
        "      <source file='/a.img'/>\n"
        "      <target dev='hdb' bus='ide'/>\n"
        "      <address type='drive' controller='0' bus='0' target='0' unit='1'/>\n"
        "    </disk>\n"
        "    <controller type='ide' index='0'/>\n"
        "    <serial type='pty'>\n"
        "      <target port='0'/>\n"
        "    </serial>\n"
        "    <console type='pty'>\n"
        "      <target type='serial' port='0'/>\n"
        "    </console>\n"
        "    <graphics type='vnc' port='-1' autoport='yes'>\n"
        "      <listen type='address'/>\n"
        "    </graphics>\n"
        "    <video>\n"
        "      <model type='cirrus' vram='16384' heads='1' primary='yes'/>\n"
        "    </video>\n"
        "  </devices>\n"
        "</domain>\n";
    g_assert_cmpstr(xml, ==, expected);
    g_assert_cmpstr(virtkitDomainDefGetArch(def), ==, "i686");
    g_assert_cmpuint(virtkitDomainDefGetVcpus(def), ==, 1);
    g_assert_cmpstr(virtkitDomainDefGetLifecycleAction(def, "on_reboot"), ==, "restart");

    /* a missing uuid and MAC are generated, and differ between parses */
    g_autoptr(virtkitDomainDef) a = parse("<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os>"
                                          "<devices><interface type='user'/></devices></domain>",
                                          0, &error);
    g_autoptr(virtkitDomainDef) b = parse("<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os>"
                                          "<devices><interface type='user'/></devices></domain>",
                                          0, &error);
    g_assert_no_error(error);
    unsigned char ua[16], ub[16];
    virtkitDomainDefGetUUID(a, ua);
    virtkitDomainDefGetUUID(b, ub);
    g_assert_true(memcmp(ua, ub, 16) != 0);
    g_autofree char *xa = virtkitDomainDefFormat(a, 0);
    g_autofree char *xb = virtkitDomainDefFormat(b, 0);
    g_assert_nonnull(strstr(xa, "<mac address='52:54:00:"));
    g_assert_cmpstr(xa, !=, xb);
}

static void
test_secure(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(virtkitDomainDef) def = parse(
        MINIMAL("  <memory>1024</memory>\n  <devices>\n"
                "    <graphics type='vnc' port='5900' autoport='no' passwd='sec&apos;ret'/>\n"
                "  </devices>\n"), 0, &error);
    g_assert_no_error(error);
    g_autofree char *plain = virtkitDomainDefFormat(def, 0);
    g_autofree char *secure = virtkitDomainDefFormat(def, VIR_DOMAIN_XML_SECURE);
    g_assert_null(strstr(plain, "passwd"));
    g_assert_nonnull(strstr(secure, "<graphics type='vnc' port='5900' autoport='no' "
                                    "passwd='sec&apos;ret'>"));
}

static void
test_validate(void)
{
    static const char doc[] = MINIMAL("  <memory>1024</memory>\n"
                                      "  <bogus/>\n"
                                      "  <devices>\n"
                                      "    <disk type='file' frobnicate='yes'>\n"
                                      "      <source file='/a'/><target dev='vda'/>\n"
                                      "    </disk>\n"
                                      "  </devices>\n");
    g_autoptr(GError) error = NULL;

    /* without VALIDATE: dropped, with warnings naming them */
    g_test_expect_message("virtkit-conf", G_LOG_LEVEL_WARNING, "*<bogus>*line 6*");
    g_test_expect_message("virtkit-conf", G_LOG_LEVEL_WARNING, "*'frobnicate'*<disk>*line 8*");
    g_autoptr(virtkitDomainDef) def = parse(doc, 0, &error);
    g_test_assert_expected_messages();
    g_assert_no_error(error);
    g_autofree char *xml = virtkitDomainDefFormat(def, 0);
    g_assert_null(strstr(xml, "bogus"));
    g_assert_null(strstr(xml, "frobnicate"));
    const char *const *w = virtkitDomainDefGetWarnings(def);
    g_assert_cmpuint(g_strv_length((GStrv) w), ==, 2);

    /* with VALIDATE: refused, naming the first unknown thing */
    g_autoptr(virtkitDomainDef) v = parse(doc, VIR_DOMAIN_DEFINE_VALIDATE, &error);
    g_assert_null(v);
    g_assert_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_INVALID_SCHEMA);
    g_assert_nonnull(strstr(error->message, "<bogus>"));
    g_assert_nonnull(strstr(error->message, "line 6"));
    g_clear_error(&error);

    static const char attr_doc[] = MINIMAL("  <memory>1024</memory>\n"
                                           "  <vcpu frobnicate='1'>2</vcpu>\n");
    v = parse(attr_doc, VIR_DOMAIN_DEFINE_VALIDATE, &error);
    g_assert_null(v);
    g_assert_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_INVALID_SCHEMA);
    g_assert_nonnull(strstr(error->message, "'frobnicate'"));
    g_clear_error(&error);

    /* a known document passes VALIDATE */
    v = parse(MINIMAL("  <memory>1024</memory>\n"), VIR_DOMAIN_DEFINE_VALIDATE, &error);
    g_assert_no_error(error);
    g_assert_nonnull(v);
}

static void
test_enum_values(void)
{
    static const char *const refused[] = {
        "<watchdog model='itco'/>", "<panic model='pvpanic'/>",
        "<disk type='floppy-file'><target dev='fda'/></disk>",
        "<graphics type='vnc' autoport='maybe'/>",
    };
    for (guint i = 0; i < G_N_ELEMENTS(refused); i++) {
        g_autoptr(GError) error = NULL;
        g_autofree char *doc = g_strdup_printf(MINIMAL("  <memory>1</memory>\n"
                                                       "  <devices>%s</devices>\n"), refused[i]);
        g_autoptr(virtkitDomainDef) def = parse(doc, 0, &error);
        g_assert_null(def);
        g_assert_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_CONFIG_UNSUPPORTED);
        g_assert_nonnull(strstr(error->message, "line 6"));
    }
    g_autoptr(GError) error = NULL;
    g_autoptr(virtkitDomainDef) ok = parse(MINIMAL("  <memory>1</memory>\n"
                                                   "  <devices><watchdog model='ib700'/>"
                                                   "<panic model='isa'/></devices>\n"),
                                           0, &error);
    g_assert_no_error(error);
    g_assert_nonnull(ok);
}

static void
test_error_position(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(virtkitDomainDef) def = parse("<domain type='test'>\n"
                                            "  <name>t</name>\n"
                                            "  <memory>1</memory\n"
                                            "</domain>\n", 0, &error);
    g_assert_null(def);
    /* libvirt's code and shape: "(domain_definition):LINE: ...", the line, a caret. */
    g_assert_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_DETAIL);
    g_assert_true(g_str_has_prefix(error->message, "(domain_definition):4: "));
    g_assert_true(g_str_has_suffix(error->message, "\n</domain>\n^"));
    g_clear_error(&error);

    /* entity declarations are refused, not expanded */
    def = parse("<!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n"
                "<domain type='test'><name>&x;</name><memory>1</memory></domain>", 0, &error);
    g_assert_null(def);
    g_assert_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR);
    g_clear_error(&error);

    /* bad values name the element and its line */
    def = parse("<domain type='test'>\n<name>t</name>\n<uuid>zz</uuid>\n<memory>1</memory>\n"
                "</domain>", 0, &error);
    g_assert_null(def);
    g_assert_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_DETAIL);
    g_assert_nonnull(strstr(error->message, "line 3"));
    g_clear_error(&error);

    def = parse("<domain type='test'><name>t</name><memory>1</memory></domain>", 0, &error);
    g_assert_null(def);
    g_assert_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR);
    g_assert_cmpstr(error->message, ==, "XML error: an os <type> must be specified");
    g_clear_error(&error);

    def = parse("<domain><name>t</name><memory>1</memory></domain>", 0, &error);
    g_assert_null(def);
    g_assert_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR);
    g_clear_error(&error);
    def = parse("<network><name>t</name></network>", 0, &error);
    g_assert_null(def);
    /* libvirt's words, from its XML layer */
    g_assert_error(error, VIRTKIT_CONF_XML_ERROR, VIR_ERR_XML_ERROR);
    g_assert_cmpstr(error->message, ==, "expecting root element of 'domain', not 'network'");
}

static void
test_size_limit(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GString) big = g_string_new(MINIMAL("  <memory>1024</memory>\n"));
    g_autoptr(virtkitCaps) caps = virtkitCapsNewTestDefault();
    virtkitDomainParseOptions opts = { .caps = caps, .max_size = 64 };
    g_autoptr(virtkitDomainDef) def = virtkitDomainDefParseString(big->str, &opts, 0, &error);
    g_assert_null(def);
    g_assert_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR);
    g_assert_nonnull(strstr(error->message, "64 bytes"));
    g_clear_error(&error);

    opts.max_size = big->len;
    def = virtkitDomainDefParseString(big->str, &opts, 0, &error);
    g_assert_no_error(error);
    g_assert_nonnull(def);
    virtkitDomainDefFree(g_steal_pointer(&def));

    /* the default limit applies when none is given */
    g_autofree char *pad = g_strnfill(VIRTKIT_XML_DEFAULT_MAX_SIZE, ' ');
    g_autofree char *huge = g_strconcat(MINIMAL("  <memory>1</memory>\n"), pad, NULL);
    def = parse(huge, 0, &error);
    g_assert_null(def);
    g_assert_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR);
}

static void
test_bitmap(void)
{
    static const struct { const char *in, *out; } cases[] = {
        { "0-5,^4", "0-3,5" }, { "1-2,5-7,^6", "1-2,5,7" }, { "3", "3" },
        { "7,6,5, 1", "1,5-7" }, { "0-1,1-2", "0-2" },
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) error = NULL;
        g_autofree char *s = virtkitBitmapNormalize(cases[i].in, &error);
        g_assert_no_error(error);
        g_assert_cmpstr(s, ==, cases[i].out);
    }
    static const char *const bad[] = { "", "a", "3-1", "1-", "^", "1,,2" };
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error = NULL;
        g_autofree char *s = virtkitBitmapNormalize(bad[i], &error);
        g_assert_null(s);
        g_assert_nonnull(error);
    }
}

static void
test_uuid(void)
{
    unsigned char u[16], v[16];
    char s[37];
    g_assert_true(virtkitUUIDParse("4dea22b31d52d8f32516782e98ab3fa0", u));
    virtkitUUIDFormat(u, s);
    g_assert_cmpstr(s, ==, "4dea22b3-1d52-d8f3-2516-782e98ab3fa0");
    g_assert_true(virtkitUUIDParse(" 4dea22b3-1d52-d8f3-2516-782e98ab3fa0\n", v));
    g_assert_cmpmem(u, 16, v, 16);
    g_assert_false(virtkitUUIDParse("4dea22b3-1d52-d8f3-2516-782e98ab3fa", u));
    g_assert_false(virtkitUUIDParse("4dea22b3-1d52-d8f3-2516-782e98ab3fa0ff", u));
    g_assert_false(virtkitUUIDParse(NULL, u));
    /* libvirt's rules, from the table the core's parser is tested with. */
    for (size_t i = 0; i < G_N_ELEMENTS(uuid_cases); i++) {
        if (virtkitUUIDParse(uuid_cases[i].text, v) != uuid_cases[i].ok)
            g_test_message("UUID text '%s'", uuid_cases[i].text);
        g_assert_cmpint(virtkitUUIDParse(uuid_cases[i].text, v), ==, uuid_cases[i].ok);
        if (uuid_cases[i].ok)
            g_assert_cmpmem(u, 16, v, 16);
    }
}

static void
test_escape(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(virtkitDomainDef) def = parse(
        MINIMAL("  <title>a 'q' \"d\" &amp; &lt; &gt;</title>\n  <memory>1</memory>\n"
                "  <metadata>\n<app1:foo xmlns:app1=\"http://app1.org/app1/\">fooish</app1:foo>\n"
                "    <app2:bar xmlns:app2=\"http://app1.org/app2/\" a=\"b\"><x>1</x>\n<y/>\n"
                "    </app2:bar>\n  </metadata>\n"), 0, &error);
    g_assert_no_error(error);
    g_autofree char *xml = virtkitDomainDefFormat(def, 0);
    g_assert_nonnull(strstr(xml, "  <title>a &apos;q&apos; &quot;d&quot; &amp; &lt; &gt;</title>\n"
                                 "  <metadata>\n"
                                 "    <app1:foo xmlns:app1=\"http://app1.org/app1/\">fooish</app1:foo>\n"
                                 "    <app2:bar xmlns:app2=\"http://app1.org/app2/\" a=\"b\">\n"
                                 "      <x>1</x>\n"
                                 "      <y/>\n"
                                 "    </app2:bar>\n"
                                 "  </metadata>\n"));
    g_autofree char *m = virtkitDomainDefGetMetadata(def, "http://app1.org/app1/");
    g_assert_cmpstr(m, ==, "<app1:foo xmlns:app1=\"http://app1.org/app1/\">fooish</app1:foo>");
}

static void
test_qemu_namespace(void)
{
    static const char *const keep[] = { VIRTKIT_DOMAIN_QEMU_NS, NULL };
    static const char doc[] =
        "<domain type='test' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n"
        "  <name>t</name><memory>1</memory><os><type>hvm</type></os>\n"
        "  <qemu:commandline>\n    <qemu:arg value='-newarg'/>\n"
        "    <qemu:env name='A' value='b'/>\n  </qemu:commandline>\n</domain>\n";
    g_autoptr(GError) error = NULL;
    virtkitDomainParseOptions opts = { .keep_namespaces = keep };
    g_autoptr(virtkitDomainDef) def = virtkitDomainDefParseString(doc, &opts, 0, &error);
    g_assert_no_error(error);
    g_autofree char *xml = virtkitDomainDefFormat(def, 0);
    g_assert_true(g_str_has_prefix(
        xml, "<domain type='test' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n"));
    g_assert_nonnull(strstr(xml, "  <qemu:commandline>\n"
                                 "    <qemu:arg value='-newarg'/>\n"
                                 "    <qemu:env name='A' value='b'/>\n"
                                 "  </qemu:commandline>\n</domain>\n"));

    /* kept by default too; an empty list keeps nothing (as the test driver) */
    g_autoptr(virtkitDomainDef) d2 = virtkitDomainDefParseString(doc, NULL, 0, &error);
    g_assert_no_error(error);
    g_autofree char *x2 = virtkitDomainDefFormat(d2, 0);
    g_assert_nonnull(strstr(x2, "<qemu:arg value='-newarg'/>"));
    static const char *const none[] = { NULL };
    virtkitDomainParseOptions o3 = { .keep_namespaces = none };
    g_test_expect_message("virtkit-conf", G_LOG_LEVEL_WARNING, "*<qemu:commandline>*");
    g_autoptr(virtkitDomainDef) d3 = virtkitDomainDefParseString(doc, &o3, 0, &error);
    g_test_assert_expected_messages();
    g_assert_no_error(error);
    g_autofree char *x3 = virtkitDomainDefFormat(d3, 0);
    g_assert_null(strstr(x3, "qemu"));
}

static void
test_caps(void)
{
    g_autoptr(virtkitCaps) caps = virtkitCapsNewTestDefault();
    g_autofree char *xml = virtkitCapsFormat(caps);
    g_assert_true(g_str_has_prefix(xml, "<capabilities>\n\n  <host>\n    <cpu>\n"
                                        "      <arch>i686</arch>\n"));
    g_assert_nonnull(strstr(xml, "            <cpu id='9' socket_id='1' die_id='0' core_id='1' "
                                 "siblings='9'/>\n"));
    g_assert_nonnull(strstr(xml, "  <guest>\n    <os_type>hvm</os_type>\n    <arch name='i686'>\n"
                                 "      <wordsize>32</wordsize>\n"
                                 "      <emulator>/usr/bin/test-hv</emulator>\n"
                                 "      <domain type='test'/>\n    </arch>\n"));
    g_assert_cmpstr(virtkitCapsDefaultArch(caps, "hvm", "test"), ==, "i686");
    g_assert_cmpstr(virtkitCapsDefaultArch(caps, "exe", NULL), ==, "i686");

    g_autoptr(virtkitDomainCaps) dc = virtkitDomainCapsNew("/usr/bin/qemu-system-x86_64", "kvm",
                                                           "pc-q35-7.2", "x86_64");
    dc->max_vcpus = 255;
    dc->disk_device = g_strsplit("disk cdrom floppy lun", " ", -1);
    dc->disk_bus = g_strsplit("ide scsi virtio usb sata", " ", -1);
    g_autofree char *d = virtkitDomainCapsFormat(dc);
    g_assert_true(g_str_has_prefix(d, "<domainCapabilities>\n"
                                      "  <path>/usr/bin/qemu-system-x86_64</path>\n"
                                      "  <domain>kvm</domain>\n  <machine>pc-q35-7.2</machine>\n"
                                      "  <arch>x86_64</arch>\n  <vcpu max='255'/>\n"));
    g_assert_nonnull(strstr(d, "    <disk supported='yes'>\n      <enum name='diskDevice'>\n"
                               "        <value>disk</value>\n"));
    g_assert_nonnull(strstr(d, "    <graphics supported='no'/>\n"));

    /* both documents are what libvirt's schemas describe */
    if (g_file_test("/usr/share/libvirt/schemas/capability.rng", G_FILE_TEST_EXISTS)) {
        g_autofree char *e1 = conf_test_relaxng_errors(
            xml, "/usr/share/libvirt/schemas/capability.rng");
        g_assert_null(e1);
        dc->iothreads = TRUE;
        dc->firmware = g_strsplit("efi bios", " ", -1);
        dc->loader_values = g_strsplit("/usr/share/OVMF/OVMF_CODE.fd", " ", -1);
        dc->loader_types = g_strsplit("rom pflash", " ", -1);
        dc->loader_readonly = g_strsplit("yes no", " ", -1);
        dc->cpu_host_passthrough = TRUE;
        dc->cpu_host_model = g_strdup("Skylake-Client-IBRS");
        dc->cpu_host_model_vendor = g_strdup("Intel");
        dc->cpu_custom_models = g_strsplit("qemu64 Haswell", " ", -1);
        dc->graphics_type = g_strsplit("vnc spice", " ", -1);
        dc->hostdev_mode = g_strsplit("subsystem", " ", -1);
        dc->rng_model = g_strsplit("virtio", " ", -1);
        g_autofree char *d2 = virtkitDomainCapsFormat(dc);
        g_autofree char *e2 = conf_test_relaxng_errors(
            d2, "/usr/share/libvirt/schemas/domaincaps.rng");
        g_assert_null(e2);
        g_autofree char *e3 = conf_test_relaxng_errors(
            d, "/usr/share/libvirt/schemas/domaincaps.rng");
        g_assert_null(e3);
    }
}

static void
test_node(void)
{
    static const char node_xml[] =
        "<node>\n"
        "  <cpu><mhz>6000</mhz><model>i986</model><active>50</active><nodes>4</nodes>"
        "<sockets>4</sockets><cores>4</cores><threads>2</threads></cpu>\n"
        "  <memory>8192000</memory>\n"
        "  <domain type='test'><name>fv0</name><memory>1</memory><os><type>hvm</type></os>"
        "</domain>\n"
        "  <network><name>default</name></network>\n"
        "</node>\n";
    g_autoptr(GError) error = NULL;
    g_autoptr(virtkitNodeDef) node = virtkitNodeDefParseString(node_xml, ".", 0, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(node->cpu_model, ==, "i986");
    g_assert_cmpuint(node->mhz, ==, 6000);
    g_assert_cmpuint(node->active, ==, 50);
    g_assert_cmpuint(node->memory_kib, ==, 8192000);
    g_assert_cmpuint(node->domains->len, ==, 1);
    g_assert_cmpuint(node->networks->len, ==, 1);
    g_autoptr(virtkitDomainDef) def = virtkitDomainDefParseString(node->domains->pdata[0], NULL,
                                                                  0, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(virtkitDomainDefGetName(def), ==, "fv0");

    g_autoptr(virtkitNodeDef) bad = virtkitNodeDefParseString(
        "<node>\n<cpu>\n<mhz>fast</mhz></cpu></node>", ".", 0, &error);
    g_assert_null(bad);
    g_assert_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR);
    g_assert_nonnull(strstr(error->message, "line 3"));
    g_clear_error(&error);

    g_autoptr(virtkitNodeDef) missing = virtkitNodeDefParseString(
        "<node><domain file='does-not-exist.xml'/></node>", "/nonexistent", 0, &error);
    g_assert_null(missing);
    g_assert_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_ERROR);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/conf/domain/units", test_units);
    g_test_add_func("/conf/domain/defaults", test_defaults);
    g_test_add_func("/conf/domain/secure", test_secure);
    g_test_add_func("/conf/domain/validate", test_validate);
    g_test_add_func("/conf/domain/error-position", test_error_position);
    g_test_add_func("/conf/domain/enum-values", test_enum_values);
    g_test_add_func("/conf/domain/size-limit", test_size_limit);
    g_test_add_func("/conf/domain/escape-metadata", test_escape);
    g_test_add_func("/conf/domain/qemu-namespace", test_qemu_namespace);
    g_test_add_func("/conf/xml/bitmap", test_bitmap);
    g_test_add_func("/conf/xml/uuid", test_uuid);
    g_test_add_func("/conf/caps/format", test_caps);
    g_test_add_func("/conf/node/parse", test_node);
    return g_test_run();
}
