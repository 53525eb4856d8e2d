/*
 * test-plugin-host: the services the core hands plugins in the host table
 * (virtkit-plugin.h), called the way a plugin calls them: through
 * vkPluginHost() and the plugin-api macros.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vk-dispatch.h"
#include "vk-plugin.h"
#include "uuid-cases.h"

/* connectOpen's slots return the documented enum, not int. */
_Static_assert(__builtin_types_compatible_p(
                   __typeof__(((virtkitHypervisorOps *)0)->connectOpen),
                   virtkitPluginOpenStatus (*)(virConnectPtr, const char *, virConnectAuthPtr,
                                               unsigned int)),
               "virtkitHypervisorOps.connectOpen returns virtkitPluginOpenStatus");
_Static_assert(__builtin_types_compatible_p(
                   __typeof__(((virtkitStorageOps *)0)->connectOpen),
                   __typeof__(((virtkitHypervisorOps *)0)->connectOpen)),
               "virtkitStorageOps.connectOpen has the same type");

/* VIRTKIT_HOST_HAS: a field is there when the table holds it whole. */
static void
test_host_has(void)
{
    const virtkitPluginHost *host = vkPluginHost();
    virtkitPluginHost older = *host;

    g_assert_cmpuint(host->struct_size, ==, sizeof(virtkitPluginHost));
    g_assert_true(VIRTKIT_HOST_HAS(host, reportError));
    g_assert_true(VIRTKIT_HOST_HAS(host, reportRawError));

    /* A core whose table ends right before reportRawError. */
    older.struct_size = offsetof(virtkitPluginHost, reportRawError);
    g_assert_true(VIRTKIT_HOST_HAS(&older, reportBareError));
    g_assert_false(VIRTKIT_HOST_HAS(&older, reportRawError));
    /* One byte short of the whole pointer is still missing. */
    older.struct_size = offsetof(virtkitPluginHost, reportRawError) + sizeof(void *) - 1;
    g_assert_false(VIRTKIT_HOST_HAS(&older, reportRawError));
    older.struct_size = offsetof(virtkitPluginHost, reportRawError) + sizeof(void *);
    g_assert_true(VIRTKIT_HOST_HAS(&older, reportRawError));
}

/* A made-up error domain never crosses the wire. */
static void
test_error_domain(void)
{
    const virtkitPluginHost *host = vkPluginHost();

    virResetLastError();
    VIRTKIT_PLUGIN_REPORT(host, 4242, VIR_ERR_INTERNAL_ERROR, "made-up domain");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_NONE);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INTERNAL_ERROR);
    host->reportRawError(-3, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__, "raw");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_NONE);
    host->reportBareError(VIR_FROM_CH + 1, VIR_ERR_NO_DOMAIN, __FILE__, __func__, __LINE__);
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_NONE);
    /* libvirt's own domains pass unchanged, the last one too. */
    VIRTKIT_PLUGIN_REPORT(host, VIR_FROM_CH, VIR_ERR_INTERNAL_ERROR, "cloud hypervisor");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_CH);
    VIRTKIT_PLUGIN_REPORT(host, VIR_FROM_TEST, VIR_ERR_INTERNAL_ERROR, "test");
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_TEST);
    virResetLastError();
}

/* ------------------------------------------------- a fake plugin */

static virtkitPluginOpenStatus
fakeOpen(virConnectPtr c, const char *u, virConnectAuthPtr a, unsigned int f)
{
    (void)c; (void)u; (void)a; (void)f;
    return VIRTKIT_PLUGIN_OPEN_SUCCESS;
}

static const virtkitHypervisorOps fake_hv = {
    .struct_size = sizeof(virtkitHypervisorOps),
    .connectOpen = fakeOpen,
};
static const vkDriverTables fake_tables = { .name = "hostfake", .hypervisor = &fake_hv };

static virConnectPtr
fake_connect(void)
{
    virConnectPtr conn;

    vkDriverRegister("hostfake", &fake_tables);
    conn = virConnectOpen("hostfake:///");
    g_assert_nonnull(conn);
    return conn;
}

/* ------------------------------------------------- streams */

typedef struct {
    int frees;
    char name[8];
} StreamData;

static void
stream_data_free(void *data)
{
    ((StreamData *)data)->frees++;
}

/* The stream's data is released with the stream's last reference, once,
 * and replaced data is released when it is replaced. */
static void
test_stream_private(void)
{
    const virtkitPluginHost *host = vkPluginHost();
    virConnectPtr conn = fake_connect();
    StreamData a = { 0, "a" }, b = { 0, "b" };
    virStreamPtr st = virStreamNew(conn, 0);

    g_assert_nonnull(st);
    g_assert_null(host->streamGetPrivate(st));
    host->streamSetPrivate(st, &a, stream_data_free);
    g_assert_true(host->streamGetPrivate(st) == &a);
    /* Setting the same data again changes nothing. */
    host->streamSetPrivate(st, &a, stream_data_free);
    g_assert_cmpint(a.frees, ==, 0);
    host->streamSetPrivate(st, &b, stream_data_free);
    g_assert_cmpint(a.frees, ==, 1);
    g_assert_true(host->streamGetPrivate(st) == &b);

    g_assert_cmpint(virStreamRef(st), ==, 0);
    g_assert_cmpint(virStreamFree(st), ==, 0);
    g_assert_cmpint(b.frees, ==, 0);          /* a reference is left */
    g_assert_cmpint(virStreamFree(st), ==, 0);
    g_assert_cmpint(b.frees, ==, 1);
    g_assert_cmpint(a.frees, ==, 1);

    /* No free function: nothing is called, nothing breaks. */
    st = virStreamNew(conn, 0);
    host->streamSetPrivate(st, &a, NULL);
    g_assert_cmpint(virStreamFree(st), ==, 0);
    g_assert_cmpint(a.frees, ==, 1);
    g_assert_cmpint(virConnectClose(conn), ==, 0);
}

/* ------------------------------------------------- flag checks */

static int
fakeDomainSomething(unsigned int flags)
{
    VIRTKIT_CHECK_FLAGS(vkPluginHost(), VIR_FROM_TEST, flags, 0x1 | 0x2, -1);
    return 0;
}

/* libvirt's exact text, code and no prefix; the unknown bits only; the
 * plugin function's name. */
static void
test_check_flags(void)
{
    g_assert_cmpint(fakeDomainSomething(0), ==, 0);
    g_assert_cmpint(fakeDomainSomething(0x3), ==, 0);
    virResetLastError();
    g_assert_cmpint(fakeDomainSomething(0x80000006), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_TEST);
    g_assert_cmpstr(virGetLastErrorMessage(), ==,
                    "unsupported flags (0x80000004) in function fakeDomainSomething");
    virResetLastError();
}

/* ------------------------------------------------- typed-parameter tables */

static const virtkitTypedParamSpec mem_spec[] = {
    VIRTKIT_TYPED_PARAM_SPEC(VIR_DOMAIN_MEMORY_HARD_LIMIT, VIR_TYPED_PARAM_ULLONG),
    VIRTKIT_TYPED_PARAM_SPEC(VIR_DOMAIN_MEMORY_SOFT_LIMIT, VIR_TYPED_PARAM_ULLONG),
    VIRTKIT_TYPED_PARAM_SPEC_MULTIPLE("path", VIR_TYPED_PARAM_STRING),
};

static int
validate(const char *names_types)
{
    /* "name:type,name:type": type as VIR_TYPED_PARAM_* number */
    g_auto(GStrv) items = g_strsplit(names_types, ",", -1);
    guint n = g_strv_length(items);
    g_autofree virTypedParameter *params = g_new0(virTypedParameter, n ? n : 1);

    for (guint i = 0; i < n; i++) {
        g_auto(GStrv) nt = g_strsplit(items[i], ":", 2);
        g_strlcpy(params[i].field, nt[0], sizeof(params[i].field));
        params[i].type = atoi(nt[1]);
        if (params[i].type == VIR_TYPED_PARAM_STRING)
            params[i].value.s = (char *)"x";
    }
    virResetLastError();
    return vkPluginHost()->typedParamsValidate(params, (int)n, mem_spec, G_N_ELEMENTS(mem_spec));
}

static void
assert_error(int code, const char *msg)
{
    g_assert_cmpint(virGetLastErrorCode(), ==, code);
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_NONE);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, msg);
}

/* libvirt's virTypedParamsValidate: its messages (with the code's prefix),
 * and the error of the first failing name in name order, not in the
 * caller's order. */
static void
test_validate(void)
{
    g_assert_cmpint(validate("hard_limit:4,soft_limit:4"), ==, 0);
    g_assert_cmpint(validate("path:7,path:7,hard_limit:4"), ==, 0);
    g_assert_cmpint(vkPluginHost()->typedParamsValidate(NULL, 0, mem_spec, 1), ==, 0);

    g_assert_cmpint(validate("hard_limit:4,swap:4"), ==, -1);
    assert_error(VIR_ERR_ARGUMENT_UNSUPPORTED, "argument unsupported: parameter 'swap' not supported");
    g_assert_cmpint(validate("soft_limit:1"), ==, -1);
    assert_error(VIR_ERR_INVALID_ARG,
                 "invalid argument: invalid type 'int' for parameter 'soft_limit', expected 'ullong'");
    g_assert_cmpint(validate("soft_limit:4,hard_limit:4,soft_limit:4"), ==, -1);
    assert_error(VIR_ERR_INVALID_ARG,
                 "invalid argument: parameter 'soft_limit' occurs multiple times");
    /* Order by name: 'hard_limit' (bad type) sorts before 'zzz' (unknown). */
    g_assert_cmpint(validate("zzz:4,hard_limit:3"), ==, -1);
    assert_error(VIR_ERR_INVALID_ARG,
                 "invalid argument: invalid type 'llong' for parameter 'hard_limit', expected 'ullong'");
    g_assert_cmpint(validate("soft_limit:3,aaa:4"), ==, -1);
    assert_error(VIR_ERR_ARGUMENT_UNSUPPORTED, "argument unsupported: parameter 'aaa' not supported");
    /* A type libvirt has no name for. */
    g_assert_cmpint(validate("hard_limit:99"), ==, -1);
    assert_error(VIR_ERR_INVALID_ARG,
                 "invalid argument: invalid type 'unknown' for parameter 'hard_limit', expected 'ullong'");
    virResetLastError();
}

/* ------------------------------------------------- configuration files */

static virtkitConfFile *
conf_from(const char *text)
{
    virtkitConfFile *conf = vkPluginHost()->confReadString(text, "/etc/virtkit/qemu.conf");

    g_assert_nonnull(conf);
    return conf;
}

static void
assert_conf_error(const char *msg)
{
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_CONF_SYNTAX);
    g_assert_cmpint(virGetLastError()->domain, ==, VIR_FROM_CONF);
    g_assert_cmpstr(virGetLastErrorMessage(), ==, msg);
    virResetLastError();
}

/* Typed lookups for plugins: values, absence, and errors naming file,
 * line and key. */
static void
test_conf_lookups(void)
{
    const virtkitPluginHost *host = vkPluginHost();
    virtkitConfFile *conf = conf_from("# qemu.conf\n"
                                  "vnc_listen = \"0.0.0.0\"\n"
                                  "max_files = 32768; max_processes = -1\n"
                                  "spice_tls = 1\n"
                                  "cgroup_controllers = [ \"cpu\", \"memory\", ]\n"
                                  "bad_list = [ \"a\", 2 ]\n"
                                  "vnc_tls = 2\n");
    g_autofree char *str = NULL;
    g_auto(GStrv) list = NULL;
    long long ll = 7;
    unsigned long long ull = 7;
    bool b = false;

    g_assert_cmpint(host->confGetString(conf, "vnc_listen", &str), ==, 1);
    g_assert_cmpstr(str, ==, "0.0.0.0");
    g_assert_cmpint(host->confGetStringList(conf, "cgroup_controllers", &list), ==, 1);
    g_assert_cmpuint(g_strv_length(list), ==, 2);
    g_assert_cmpstr(list[1], ==, "memory");
    g_assert_cmpint(host->confGetUInt(conf, "max_files", G_MAXUINT, &ull), ==, 1);
    g_assert_cmpuint(ull, ==, 32768);
    g_assert_cmpint(host->confGetInt(conf, "max_processes", -1, 100, &ll), ==, 1);
    g_assert_cmpint(ll, ==, -1);
    g_assert_cmpint(host->confGetBool(conf, "spice_tls", &b), ==, 1);
    g_assert_true(b);

    /* Absent: 0, value untouched. */
    ll = 7;
    g_assert_cmpint(host->confGetInt(conf, "nothing", 0, 10, &ll), ==, 0);
    g_assert_cmpint(ll, ==, 7);
    g_assert_cmpint(host->confGetBool(NULL, "spice_tls", &b), ==, 0);

    virResetLastError();
    g_assert_cmpint(host->confGetUInt(conf, "max_processes", 100, &ull), ==, -1);
    assert_conf_error("configuration file syntax error: /etc/virtkit/qemu.conf:3: the value of "
                      "'max_processes' is -1, outside its range 0 to 100");
    g_assert_cmpint(host->confGetInt(conf, "max_files", 0, 1024, &ll), ==, -1);
    assert_conf_error("configuration file syntax error: /etc/virtkit/qemu.conf:3: the value of "
                      "'max_files' is 32768, outside its range 0 to 1024");
    g_assert_cmpint(host->confGetBool(conf, "vnc_tls", &b), ==, -1);
    assert_conf_error("configuration file syntax error: /etc/virtkit/qemu.conf:7: the value of "
                      "'vnc_tls' is 2, outside its range 0 to 1 (a boolean: 0 or 1)");
    g_assert_cmpint(host->confGetBool(conf, "vnc_listen", &b), ==, -1);
    assert_conf_error("configuration file syntax error: /etc/virtkit/qemu.conf:2: the value of "
                      "'vnc_listen' must be 0 or 1, not a string");
    g_assert_cmpint(host->confGetString(conf, "max_files", &str), ==, -1);
    assert_conf_error("configuration file syntax error: /etc/virtkit/qemu.conf:3: the value of "
                      "'max_files' must be a string, not an integer");
    g_assert_cmpint(host->confGetStringList(conf, "bad_list", &list), ==, -1);
    assert_conf_error("configuration file syntax error: /etc/virtkit/qemu.conf:6: the value of "
                      "'bad_list' must be a list of strings, but item 2 is an integer");
    host->confFree(conf);
}

static void
test_conf_files(void)
{
    const virtkitPluginHost *host = vkPluginHost();
    g_autoptr(GError) err = NULL;
    g_autofree char *path = NULL;
    g_autofree char *want = NULL;
    virtkitConfFile *conf;
    int fd = g_file_open_tmp("vk-host-XXXXXX.conf", &path, &err);

    g_assert_no_error(err);
    g_assert_cmpint(write(fd, "a = 1\nb = [\n", 12), ==, 12);
    close(fd);
    virResetLastError();
    g_assert_null(host->confReadFile(path, 0));
    want = g_strdup_printf("configuration file syntax error: %s:2:5: unterminated list in the "
                           "value of 'b': this '[' is never closed with ']'", path);
    assert_conf_error(want);
    g_unlink(path);

    /* Missing: an error, or no settings when the caller says so. */
    g_assert_null(host->confReadFile(path, 0));
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_SYSTEM_ERROR);
    g_assert_nonnull(strstr(virGetLastErrorMessage(), path));
    virResetLastError();
    conf = host->confReadFile(path, VIRTKIT_CONF_MISSING_OK);
    g_assert_nonnull(conf);
    g_assert_false(vkErrorIsSet());
    {
        g_autofree char *s = NULL;
        g_assert_cmpint(host->confGetString(conf, "a", &s), ==, 0);
    }
    host->confFree(conf);
    g_assert_null(host->confReadFile(path, 0x8));
    g_assert_cmpstr(virGetLastErrorMessage(), ==, "unsupported flags (0x8) in function confReadFile");
    virResetLastError();
}

/* ------------------------------------------------- UUIDs */

/* host->uuidParse takes what libvirt's virUUIDParse takes, nothing more
 * (conf's virtkitUUIDParse is tested with the same table). */
static void
test_uuid_parse(void)
{
    const virtkitPluginHost *host = vkPluginHost();
    static const unsigned char want[VIR_UUID_BUFLEN] = {
        0x4d, 0xea, 0x22, 0xb3, 0x1d, 0x52, 0xd8, 0xf3,
        0x25, 0x16, 0x78, 0x2e, 0x98, 0xab, 0x3f, 0xa0,
    };

    for (size_t i = 0; i < G_N_ELEMENTS(uuid_cases); i++) {
        unsigned char u[VIR_UUID_BUFLEN] = { 0 };
        int rc = host->uuidParse(uuid_cases[i].text, u);

        if (rc != (uuid_cases[i].ok ? 0 : -1))
            g_test_message("UUID text '%s'", uuid_cases[i].text);
        g_assert_cmpint(rc, ==, uuid_cases[i].ok ? 0 : -1);
        if (uuid_cases[i].ok)
            g_assert_cmpmem(u, sizeof(u), want, sizeof(want));
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/plugin-host/host-has", test_host_has);
    g_test_add_func("/plugin-host/error-domain", test_error_domain);
    g_test_add_func("/plugin-host/stream-private", test_stream_private);
    g_test_add_func("/plugin-host/uuid-parse", test_uuid_parse);
    g_test_add_func("/plugin-host/check-flags", test_check_flags);
    g_test_add_func("/plugin-host/typed-params-validate", test_validate);
    g_test_add_func("/plugin-host/conf/lookups", test_conf_lookups);
    g_test_add_func("/plugin-host/conf/files", test_conf_files);
    return g_test_run();
}
