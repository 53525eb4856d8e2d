/*
 * vir-connect.c: opening and closing connections, versions, and the few
 * public calls the core answers for every plugin (URI, library version,
 * close callbacks, streams, UUID-string lookups).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#define VK_FROM VIR_FROM_NONE
#define VK_LOG_MODULE "core.connect"
#include "vk-dispatch.h"
#include "vk-plugin.h"
#include "vir-uri.h"

/* libvirt's API level that virtkit implements. */
#define VK_LIBVIRT_API_LEVEL 9000000UL


static GMutex vkDriversLock;
static GHashTable *vkDrivers;   /* scheme -> const vkDriverTables * */

void
vkDriverRegister(const char *scheme, const vkDriverTables *tables)
{
    g_mutex_lock(&vkDriversLock);
    if (!vkDrivers)
        vkDrivers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_hash_table_replace(vkDrivers, g_strdup(scheme), (gpointer)tables);
    g_mutex_unlock(&vkDriversLock);
}

void
vkDriverUnregisterAll(void)
{
    g_mutex_lock(&vkDriversLock);
    g_clear_pointer(&vkDrivers, g_hash_table_unref);
    g_mutex_unlock(&vkDriversLock);
}

static const vkDriverTables *
vkDriverLookup(const char *scheme)
{
    const vkDriverTables *t = NULL;

    g_mutex_lock(&vkDriversLock);
    if (vkDrivers)
        t = g_hash_table_lookup(vkDrivers, scheme);
    g_mutex_unlock(&vkDriversLock);
    return t;
}

/* Offers the new connection to every secondary plugin; the first that
 * accepts and has storage tables serves storage calls the hypervisor
 * plugin does not.  Only connections of local hypervisor plugins get them. */
static int
vkConnectAttachSecondaries(virConnectPtr conn, const char *uri, virConnectAuthPtr auth,
                           unsigned int flags)
{
    g_autoptr(GPtrArray) secs = NULL;

    if (conn->own_tables->flags & VIRTKIT_PLUGIN_REMOTE_ONLY)
        return 0;
    secs = vkPluginSecondaries();
    for (guint i = 0; i < secs->len; i++) {
        const vkDriverTables *t = g_ptr_array_index(secs, i);
        int st;

        if (!t->storage || !t->storage->connectOpen)
            continue;
        st = t->storage->connectOpen(conn, uri, auth, flags);
        if (st == VIRTKIT_PLUGIN_OPEN_DECLINED)
            continue;
        if (st != VIRTKIT_PLUGIN_OPEN_SUCCESS) {
            if (!vkErrorIsSet())
                vkReportError(VIR_ERR_NO_CONNECT, "%s: secondary plugin '%s' failed to attach",
                              uri, t->name);
            return -1;
        }
        g_ptr_array_add(conn->secondaries, (gpointer)t);
        if (!conn->own_tables->storage)
            conn->own_tables->storage = t->storage;
    }
    return 0;
}

static virConnectPtr
vkConnectOpenInternal(const char *name, virConnectAuthPtr auth, unsigned int flags)
{
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GUri) uri = NULL;
    g_autofree char *scheme = NULL;
    g_autofree char *resolved = NULL;
    const vkDriverTables *tables;
    virConnectPtr conn;
    int st;

    /* NULL -> default URI order; aliases unless VIR_CONNECT_NO_ALIASES. */
    if (vkURIResolve(name, flags, &resolved) < 0)
        return NULL;
    name = resolved;
    uri = g_uri_parse(name, G_URI_FLAGS_NON_DNS | G_URI_FLAGS_ENCODED, &gerr);
    if (!uri) {
        vkReportError(VIR_ERR_INVALID_ARG, "cannot parse connection URI '%s': %s",
                      name, gerr->message);
        return NULL;
    }
    /* "qemu+ssh" is driver "qemu" over transport "ssh". */
    scheme = g_strdup(g_uri_get_scheme(uri));
    if (strchr(scheme, '+'))
        *strchr(scheme, '+') = '\0';

    /* Tables registered in-process (tests) first, then plugins. */
    tables = vkDriverLookup(scheme);
    if (!tables)
        tables = vkPluginForURI(scheme, name, g_uri_get_host(uri),
                                g_strcmp0(g_uri_get_path(uri), "/embed") == 0);
    if (!tables)
        return NULL;
    if (!tables->hypervisor || !tables->hypervisor->connectOpen) {
        vkReportError(VIR_ERR_NO_CONNECT, "%s (plugin '%s' has no connectOpen)", name,
                      VK_NULLSTR(tables->name));
        return NULL;
    }
    conn = vkConnectNew(tables, name, flags);
    st = tables->hypervisor->connectOpen(conn, name, auth, flags);
    if (st != VIRTKIT_PLUGIN_OPEN_SUCCESS) {
        if (st == VIRTKIT_PLUGIN_OPEN_DECLINED || !vkErrorIsSet())
            vkReportError(VIR_ERR_NO_CONNECT, "%s (plugin '%s' declined it)", name,
                          VK_NULLSTR(tables->name));
        /* The plugin did not open: it must not be asked to close. */
        conn->hv_plugin = NULL;
        vkConnectUnref(conn);
        return NULL;
    }
    if (vkConnectAttachSecondaries(conn, name, auth, flags) < 0) {
        vkConnectUnref(conn);
        return NULL;
    }
    return conn;
}

virConnectPtr
virConnectOpen(const char *name)
{
    virConnectPtr conn;

    VK_LOG_API("virConnectOpen", "name=%s", VK_NULLSTR(name));
    virResetLastError();
    if (!(conn = vkConnectOpenInternal(name, NULL, 0)))
        vkErrorDispatch(NULL);
    return conn;
}

virConnectPtr
virConnectOpenReadOnly(const char *name)
{
    virConnectPtr conn;

    VK_LOG_API("virConnectOpenReadOnly", "name=%s", VK_NULLSTR(name));
    virResetLastError();
    if (!(conn = vkConnectOpenInternal(name, NULL, VIR_CONNECT_RO)))
        vkErrorDispatch(NULL);
    return conn;
}

virConnectPtr
virConnectOpenAuth(const char *name, virConnectAuthPtr auth, unsigned int flags)
{
    virConnectPtr conn;

    VK_LOG_API("virConnectOpenAuth", "name=%s, auth=%p, flags=0x%x",
               VK_NULLSTR(name), (void *)auth, flags);
    virResetLastError();
    if (!(conn = vkConnectOpenInternal(name, auth, flags)))
        vkErrorDispatch(NULL);
    return conn;
}

int
virConnectClose(virConnectPtr conn)
{
    VK_LOG_API("virConnectClose", "conn=%p", (void *)conn);
    virResetLastError();
    if (!vkCheckConn(conn, "virConnectClose")) {
        vkErrorDispatch(NULL);
        return -1;
    }
    return vkConnectUnref(conn);
}

#undef VK_FROM
#define VK_FROM VIR_FROM_DOMAIN  /* libvirt-host.c's errors, as libvirt 9.0 reports them */

int
virConnectRef(virConnectPtr conn)
{
    VK_LOG_API("virConnectRef", "conn=%p", (void *)conn);
    virResetLastError();
    if (!vkCheckConn(conn, "virConnectRef")) {
        vkErrorDispatch(NULL);
        return -1;
    }
    g_atomic_int_inc(&conn->refs);
    return 0;
}

char *
virConnectGetURI(virConnectPtr conn)
{
    VK_LOG_API("virConnectGetURI", "conn=%p", (void *)conn);
    virResetLastError();
    if (!vkCheckConn(conn, "virConnectGetURI")) {
        vkErrorDispatch(NULL);
        return NULL;
    }
    return g_strdup(conn->uri);
}

int
virConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer)
{
    VK_LOG_API("virConnectGetLibVersion", "conn=%p, libVer=%p", (void *)conn, (void *)libVer);
    virResetLastError();
    if (!vkCheckConn(conn, "virConnectGetLibVersion"))
        goto error;
    if (!libVer) {
        vkReportNullArg("virConnectGetLibVersion", "libVer");
        goto error;
    }
    *libVer = VK_LIBVIRT_API_LEVEL;
    return 0;

 error:
    vkErrorDispatch(conn && conn->magic == VK_MAGIC_CONNECT ? conn : NULL);
    return -1;
}

#undef VK_FROM
#define VK_FROM VIR_FROM_NONE  /* libvirt.c */

int
virGetVersion(unsigned long *libVer, const char *type, unsigned long *typeVer)
{
    VK_LOG_API("virGetVersion", "libVer=%p, type=%s, typeVer=%p",
               (void *)libVer, VK_NULLSTR(type), (void *)typeVer);
    virResetLastError();
    if (!libVer) {
        vkReportNullArg("virGetVersion", "libVer");
        vkErrorDispatch(NULL);
        return -1;
    }
    *libVer = VK_LIBVIRT_API_LEVEL;
    if (typeVer)
        *typeVer = VK_LIBVIRT_API_LEVEL;
    return 0;
}

unsigned long
virtkitGetVersion(void)
{
    return VIRTKIT_VERSION_NUMBER;
}

int
virInitialize(void)
{
    VK_LOG_API("virInitialize", "%s", "");
    /* Everything the core needs is set up on first use, thread-safely. */
    return 0;
}

#undef VK_FROM
#define VK_FROM VIR_FROM_DOMAIN  /* libvirt-host.c */

int
virConnectRegisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb,
                                void *opaque, virFreeCallback freecb)
{
    VK_LOG_API("virConnectRegisterCloseCallback", "conn=%p, cb=%p, opaque=%p, freecb=%p",
               (void *)conn, (void *)cb, opaque, (void *)freecb);
    virResetLastError();
    if (!vkCheckConn(conn, "virConnectRegisterCloseCallback")) {
        vkErrorDispatch(NULL);
        return -1;
    }
    if (!cb) {
        vkReportNullArg("virConnectRegisterCloseCallback", "cb");
        vkErrorDispatch(conn);
        return -1;
    }
    g_mutex_lock(&conn->lock);
    if (conn->close_cb) {
        g_mutex_unlock(&conn->lock);
        vkReportError(VIR_ERR_OPERATION_INVALID,
                      "a close callback is already registered on connection '%s'", conn->uri);
        vkErrorDispatch(conn);
        return -1;
    }
    conn->close_cb = cb;
    conn->close_opaque = opaque;
    conn->close_free = freecb;
    g_mutex_unlock(&conn->lock);
    return 0;
}

int
virConnectUnregisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb)
{
    virFreeCallback freecb = NULL;
    void *opaque = NULL;

    VK_LOG_API("virConnectUnregisterCloseCallback", "conn=%p, cb=%p", (void *)conn, (void *)cb);
    virResetLastError();
    if (!vkCheckConn(conn, "virConnectUnregisterCloseCallback")) {
        vkErrorDispatch(NULL);
        return -1;
    }
    if (!cb) {
        vkReportNullArg("virConnectUnregisterCloseCallback", "cb");
        vkErrorDispatch(conn);
        return -1;
    }
    g_mutex_lock(&conn->lock);
    if (conn->close_cb != cb) {
        g_mutex_unlock(&conn->lock);
        vkReportError(VIR_ERR_OPERATION_INVALID,
                      "that close callback is not registered on connection '%s'", conn->uri);
        vkErrorDispatch(conn);
        return -1;
    }
    freecb = conn->close_free;
    opaque = conn->close_opaque;
    conn->close_cb = NULL;
    conn->close_free = NULL;
    conn->close_opaque = NULL;
    g_mutex_unlock(&conn->lock);
    if (freecb)
        freecb(opaque);
    return 0;
}

#undef VK_FROM
#define VK_FROM VIR_FROM_STREAMS  /* libvirt-stream.c */

virStreamPtr
virStreamNew(virConnectPtr conn, unsigned int flags)
{
    virStreamPtr st;

    VK_LOG_API("virStreamNew", "conn=%p, flags=0x%x", (void *)conn, flags);
    virResetLastError();
    if (!vkCheckConn(conn, "virStreamNew")) {
        vkErrorDispatch(NULL);
        return NULL;
    }
    if (flags & ~(unsigned int)VIR_STREAM_NONBLOCK) {
        vkReportInvalidArg("unsupported flags (0x%x) in function %s",
                      flags & ~(unsigned int)VIR_STREAM_NONBLOCK, "virStreamNew");
        vkErrorDispatch(conn);
        return NULL;
    }
    st = g_new0(virStream, 1);
    st->magic = VK_MAGIC_STREAM;
    st->refs = 1;
    g_atomic_int_inc(&conn->refs);
    st->conn = conn;
    st->flags = flags;
    return st;
}

#undef VK_FROM
#define VK_FROM VIR_FROM_DOMAIN  /* libvirt-domain.c */

/* The UUID-string lookups parse the text here and ask the plugin by UUID,
 * so a plugin implements one lookup, not two. */
virDomainPtr
virDomainLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    VK_LOG_API("virDomainLookupByUUIDString", "conn=%p, uuidstr=%s",
               (void *)conn, VK_NULLSTR(uuidstr));
    virResetLastError();
    if (!vkCheckConn(conn, "virDomainLookupByUUIDString")) {
        vkErrorDispatch(NULL);
        return NULL;
    }
    if (!uuidstr) {
        vkReportNullArg("virDomainLookupByUUIDString", "uuidstr");
        vkErrorDispatch(conn);
        return NULL;
    }
    if (vkUUIDParse(uuidstr, uuid) < 0) {
        vkReportInvalidArg("uuidstr in virDomainLookupByUUIDString must be a valid UUID, not '%s'",
                      uuidstr);
        vkErrorDispatch(conn);
        return NULL;
    }
    return virDomainLookupByUUID(conn, uuid);
}

#undef VK_FROM
#define VK_FROM VIR_FROM_STORAGE  /* libvirt-storage.c */

virStoragePoolPtr
virStoragePoolLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    VK_LOG_API("virStoragePoolLookupByUUIDString", "conn=%p, uuidstr=%s",
               (void *)conn, VK_NULLSTR(uuidstr));
    virResetLastError();
    if (!vkCheckConn(conn, "virStoragePoolLookupByUUIDString")) {
        vkErrorDispatch(NULL);
        return NULL;
    }
    if (!uuidstr) {
        vkReportNullArg("virStoragePoolLookupByUUIDString", "uuidstr");
        vkErrorDispatch(conn);
        return NULL;
    }
    if (vkUUIDParse(uuidstr, uuid) < 0) {
        vkReportInvalidArg("uuidstr in virStoragePoolLookupByUUIDString must be a valid UUID, not '%s'",
                      uuidstr);
        vkErrorDispatch(conn);
        return NULL;
    }
    return virStoragePoolLookupByUUID(conn, uuid);
}

#undef VK_FROM
#define VK_FROM VIR_FROM_NONE  /* the rest of this file */

virDomainPtr
virDomainCreateLinux(virConnectPtr conn, const char *xmlDesc, unsigned int flags)
{
    /* libvirt's original name for virDomainCreateXML. */
    return virDomainCreateXML(conn, xmlDesc, flags);
}
