/*
 * test-bounded.c: every file a caller names is read with a size limit,
 * whatever kind of file it is.
 *
 * Before the limit, each of these read /dev/zero until memory ran out
 * (restore: 6.4 GB in 15 s).  Each case runs in a child process with a
 * time limit and, outside sanitizer builds, a 1 GiB address-space limit:
 * reading the source whole fails the case instead of the machine.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tp-util.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define BOUNDED_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BOUNDED_SANITIZED 1
#endif
#endif

#define CHILD_TIMEOUT_US (60 * G_USEC_PER_SEC)

static void
limit_child(void)
{
#ifndef BOUNDED_SANITIZED
    struct rlimit rl = { 1024ULL * 1024 * 1024, 1024ULL * 1024 * 1024 };
    g_assert_cmpint(setrlimit(RLIMIT_AS, &rl), ==, 0);
#endif
}

/* Runs the current test path in a child, which must pass. */
#define IN_CHILD(body)                                                          \
    do {                                                                        \
        if (g_test_subprocess()) {                                              \
            limit_child();                                                      \
            body;                                                               \
            return;                                                             \
        }                                                                       \
        g_test_trap_subprocess(NULL, CHILD_TIMEOUT_US,                         \
                               G_TEST_SUBPROCESS_INHERIT_STDERR);               \
        g_test_trap_assert_passed();                                            \
    } while (0)

static void
test_restore_dev_zero(void)
{
    IN_CHILD({
        virConnectPtr conn = tp_open_default();
        g_assert_cmpint(virDomainRestore(conn, "/dev/zero"), ==, -1);
        tp_assert_error(VIR_ERR_OPERATION_FAILED, "is not a save image of the test host");
        g_assert_null(virDomainSaveImageGetXMLDesc(conn, "/dev/zero", 0));
        tp_assert_error(VIR_ERR_OPERATION_FAILED, "is not a save image of the test host");
        g_assert_cmpint(virDomainSaveImageDefineXML(conn, "/dev/zero", "<domain/>", 0), ==, -1);
        tp_assert_error(VIR_ERR_OPERATION_FAILED, "is not a save image of the test host");
        virConnectClose(conn);
    });
}

/* An image with a good header in a 2 GiB (sparse) file: only the header's
 * length is read, and the rest is refused as damaged. */
static void
test_image_huge(void)
{
    IN_CHILD({
        virConnectPtr conn = tp_open_default();
        virDomainPtr dom = virDomainLookupByName(conn, "test");
        g_autofree char *path = g_build_filename(tp_tmpdir(), "huge.img", NULL);
        g_autofree char *claim = g_build_filename(tp_tmpdir(), "claim.img", NULL);
        int fd;

        g_assert_nonnull(dom);
        g_assert_cmpint(virDomainSave(dom, path), ==, 0);
        g_assert_cmpint(virDomainRestore(conn, path), ==, 0);
        fd = open(path, O_WRONLY);
        g_assert_cmpint(fd, >=, 0);
        g_assert_cmpint(ftruncate(fd, 2LL * 1024 * 1024 * 1024), ==, 0);
        close(fd);
        g_assert_null(virDomainSaveImageGetXMLDesc(conn, path, 0));
        tp_assert_error(VIR_ERR_OPERATION_FAILED, "bytes of XML, the file holds more");
        g_assert_cmpint(virDomainRestore(conn, path), ==, -1);
        tp_assert_error(VIR_ERR_OPERATION_FAILED, "bytes of XML, the file holds more");

        /* a header that claims more than the XML limit: refused from the header */
        g_assert_true(g_file_set_contents(claim, "VirtkitTestSave1\nrunning=1\n"
                                                 "xml-length=2147483648\n<domain/>", -1, NULL));
        g_assert_null(virDomainSaveImageGetXMLDesc(conn, claim, 0));
        tp_assert_error(VIR_ERR_OPERATION_FAILED, "its XML length '2147483648' is not a number "
                                                  "from 0 to the limit of 10485760 bytes");
        /* and one that claims less than is there */
        g_assert_true(g_file_set_contents(claim, "VirtkitTestSave1\nrunning=1\n"
                                                 "xml-length=99\n<domain/>", -1, NULL));
        g_assert_null(virDomainSaveImageGetXMLDesc(conn, claim, 0));
        tp_assert_error(VIR_ERR_OPERATION_FAILED, "gives 99 bytes of XML, the file holds fewer");
        virDomainFree(dom);
        virConnectClose(conn);
    });
}

/* The vcpusched bomb inside a save image (395 bytes stalled the host for
 * 78.6 s): refused at once with libvirt's words. */
static void
test_image_bomb(void)
{
    IN_CHILD({
        virConnectPtr conn = tp_open_default();
        g_autofree char *path = g_build_filename(tp_tmpdir(), "bomb.img", NULL);
        const char *el = "<vcpusched vcpus='0-16383' scheduler='fifo' priority='1'/>";
        g_autofree char *xml = g_strdup_printf(
            "<domain type='test'><name>bomb</name><memory>1024</memory><vcpu>16384</vcpu>"
            "<cputune>%s%s%s%s</cputune><os><type>hvm</type></os></domain>", el, el, el, el);
        g_autofree char *image = g_strdup_printf("VirtkitTestSave1\nrunning=1\n"
                                                 "xml-length=%zu\n%s", strlen(xml), xml);
        gint64 t0;

        g_assert_true(g_file_set_contents(path, image, -1, NULL));
        t0 = g_get_monotonic_time();
        g_assert_cmpint(virDomainRestore(conn, path), ==, -1);
        tp_assert_error(VIR_ERR_XML_DETAIL, "'vcpusched' attributes 'vcpus' must not overlap");
        g_assert_null(virDomainSaveImageGetXMLDesc(conn, path, 0));
        tp_assert_error(VIR_ERR_XML_DETAIL, "'vcpusched' attributes 'vcpus' must not overlap");
        g_printerr("# restore and save-image-dumpxml of the bomb image: %.4f s\n",
                   (g_get_monotonic_time() - t0) / 1e6);
        g_assert_cmpint(g_get_monotonic_time() - t0, <, 5 * G_USEC_PER_SEC);
        virConnectClose(conn);
    });
}

static void
test_node_file_dev_zero(void)
{
    IN_CHILD({
        g_assert_null(virConnectOpen("test:///dev/zero"));
        tp_assert_error(VIR_ERR_OPERATION_FAILED,
                        "The node file '/dev/zero' is larger than the limit");
    });
}

static void
test_node_domain_dev_zero(void)
{
    IN_CHILD({
        g_autofree char *path = g_build_filename(tp_tmpdir(), "zero-node.xml", NULL);
        g_autofree char *uri = g_strdup_printf("test://%s", path);
        g_assert_true(g_file_set_contents(path, "<node><domain file='/dev/zero'/></node>", -1,
                                          NULL));
        g_assert_null(virConnectOpen(uri));
        tp_assert_error(VIR_ERR_OPERATION_FAILED, "The file '/dev/zero' of the node is larger than "
                                           "the limit");
    });
}

/* The client configuration file (VIRTKIT_CONF) and the test plugin's own
 * (VIRTKIT_TEST_CONF): the child sets them before its first open. */
static void
test_virtkit_conf_dev_zero(void)
{
    IN_CHILD({
        g_setenv("VIRTKIT_CONF", "/dev/zero", TRUE);
        g_assert_null(virConnectOpen("test:///default"));
        g_assert_nonnull(strstr(virGetLastErrorMessage(), "/dev/zero: the file is larger than "
                                                          "the limit of 10485760 bytes"));
    });
}

static void
test_plugin_conf_dev_zero(void)
{
    IN_CHILD({
        g_setenv("VIRTKIT_TEST_CONF", "/dev/zero", TRUE);
        g_assert_null(virConnectOpen("test:///default"));
        g_assert_nonnull(strstr(virGetLastErrorMessage(), "/dev/zero: the file is larger than "
                                                          "the limit of 10485760 bytes"));
    });
}

int
main(int argc, char **argv)
{
    tp_init(&argc, &argv);
    g_test_add_func("/test-plugin/bounded/restore-dev-zero", test_restore_dev_zero);
    g_test_add_func("/test-plugin/bounded/image-2GiB-header-first", test_image_huge);
    g_test_add_func("/test-plugin/bounded/vcpusched-bomb-in-image", test_image_bomb);
    g_test_add_func("/test-plugin/bounded/node-file-dev-zero", test_node_file_dev_zero);
    g_test_add_func("/test-plugin/bounded/node-domain-file-dev-zero", test_node_domain_dev_zero);
    g_test_add_func("/test-plugin/bounded/virtkit-conf-dev-zero", test_virtkit_conf_dev_zero);
    g_test_add_func("/test-plugin/bounded/plugin-conf-dev-zero", test_plugin_conf_dev_zero);
    return g_test_run();
}
