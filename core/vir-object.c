/*
 * vir-object.c: the core's refcounted objects, their handle checks and the
 * accessors that need no plugin (names, UUIDs, IDs, owning connection).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#define VK_FROM VIR_FROM_NONE
#define VK_LOG_MODULE "core.object"
#include "vk-dispatch.h"
#include "vk-domain-event.h"
#include "vk-uuid.h"

/* ---------------------------------------------------------------- checks */

static bool
vkBadHandle(int from, int code, const char *api)
{
    vkErrorReportFull(from, code, __FILE__, __func__, __LINE__, "%s", api);
    return false;
}

bool
vkCheckConnFrom(int from, virConnectPtr conn, const char *api)
{
    if (!conn || conn->magic != VK_MAGIC_CONNECT)
        return vkBadHandle(from, VIR_ERR_INVALID_CONN, api);
    return true;
}

bool
vkCheckDomain(virDomainPtr domain, const char *api)
{
    if (!domain || domain->magic != VK_MAGIC_DOMAIN ||
        !domain->conn || domain->conn->magic != VK_MAGIC_CONNECT)
        return vkBadHandle(VIR_FROM_DOM, VIR_ERR_INVALID_DOMAIN, api);
    return true;
}

bool
vkCheckDomainListFrom(int from, virDomainPtr *doms, const char *api)
{
    if (!doms) {
        vkErrorReportRawFull(from, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__,
                             "doms in %s must not be NULL", api);
        return false;
    }
    if (!doms[0]) {
        /* libvirt's words */
        vkErrorReportFull(from, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__,
                          "doms array in %s must contain at least one domain", api);
        return false;
    }
    for (size_t i = 0; doms[i]; i++) {
        if (!vkCheckDomain(doms[i], api))
            return false;
        if (doms[i]->conn != doms[0]->conn) {
            vkErrorReportFull(from, VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__,
                              "domain '%s' passed to %s belongs to another connection "
                              "than domain '%s'", doms[i]->name, api, doms[0]->name);
            return false;
        }
    }
    return true;
}

bool
vkCheckSnapshot(virDomainSnapshotPtr snapshot, const char *api)
{
    if (!snapshot || snapshot->magic != VK_MAGIC_SNAPSHOT ||
        !vkCheckDomain(snapshot->domain, api)) {
        virResetLastError();
        return vkBadHandle(VIR_FROM_DOMAIN_SNAPSHOT, VIR_ERR_INVALID_DOMAIN_SNAPSHOT, api);
    }
    return true;
}

bool
vkCheckPool(virStoragePoolPtr pool, const char *api)
{
    if (!pool || pool->magic != VK_MAGIC_POOL ||
        !pool->conn || pool->conn->magic != VK_MAGIC_CONNECT)
        return vkBadHandle(VIR_FROM_STORAGE, VIR_ERR_INVALID_STORAGE_POOL, api);
    return true;
}

bool
vkCheckVol(virStorageVolPtr vol, const char *api)
{
    if (!vol || vol->magic != VK_MAGIC_VOL ||
        !vol->conn || vol->conn->magic != VK_MAGIC_CONNECT)
        return vkBadHandle(VIR_FROM_STORAGE, VIR_ERR_INVALID_STORAGE_VOL, api);
    return true;
}

bool
vkCheckStream(virStreamPtr stream, const char *api)
{
    if (!stream || stream->magic != VK_MAGIC_STREAM ||
        !stream->conn || stream->conn->magic != VK_MAGIC_CONNECT)
        return vkBadHandle(VIR_FROM_STREAMS, VIR_ERR_INVALID_STREAM, api);
    return true;
}

/* The calls refused on a read-only connection only for a flag that would
 * show secrets (VIR_DOMAIN_XML_SECURE, ...): libvirt words their refusal
 * differently from every other read-only refusal. */
static const char *const vkSecureFlagApis[] = {
    "virDomainGetXMLDesc",
    "virDomainManagedSaveGetXMLDesc",
    "virDomainSnapshotGetXMLDesc",
};

bool
vkCheckWritableFrom(int from, virConnectPtr conn, const char *api)
{
    if (!(conn->flags & VIR_CONNECT_RO))
        return true;
    for (size_t i = 0; i < G_N_ELEMENTS(vkSecureFlagApis); i++) {
        if (g_str_equal(api, vkSecureFlagApis[i])) {
            vkErrorReportFull(from, VIR_ERR_OPERATION_DENIED, __FILE__, __func__, __LINE__,
                              "%s with secure flag", api);
            return false;
        }
    }
    vkErrorReportFull(from, VIR_ERR_OPERATION_DENIED, __FILE__, __func__, __LINE__,
                      "read only access prevents %s", api);
    return false;
}

int
vkConnectSupportsFeature(virConnectPtr conn, int feature)
{
    const virtkitHypervisorOps *hv = conn->tables ? conn->tables->hypervisor : NULL;
    int r;

    if (!hv || !hv->connectSupportsFeature)
        return 0;
    r = hv->connectSupportsFeature(conn, feature);
    if (r < 0 && !vkErrorIsSet())
        vkReportError(VIR_ERR_INTERNAL_ERROR,
                      "plugin '%s' failed to say whether it supports feature %d",
                      VK_NULLSTR(conn->tables->name), feature);
    return r < 0 ? -1 : (r > 0);
}

int
virtkitConnectSupportsFeature(virConnectPtr conn, int feature)
{
    virConnectPtr hconn = NULL;
    int r;

    VK_LOG_API("virtkitConnectSupportsFeature", "conn=%p, feature=%d", (void *)conn, feature);
    virResetLastError();
    if (!vkCheckConn(conn, "virtkitConnectSupportsFeature"))
        goto error;
    hconn = conn;
    if ((r = vkConnectSupportsFeature(conn, feature)) < 0)
        goto error;
    return r;

 error:
    vkErrorDispatch(hconn);
    return -1;
}

/* ---------------------------------------------------------------- UUIDs */

int
vkUUIDParse(const char *text, unsigned char *uuid)
{
    return vkUUIDParseText(text, uuid);
}

void
vkUUIDFormat(const unsigned char *u, char *buf)
{
    g_snprintf(buf, VIR_UUID_STRING_BUFLEN,
               "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
               u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7],
               u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

/* ---------------------------------------------------------------- lifetimes */

virConnectPtr
vkConnectNew(const vkDriverTables *tables, const char *uri, unsigned int flags)
{
    virConnectPtr conn = g_new0(virConnect, 1);

    conn->magic = VK_MAGIC_CONNECT;
    conn->refs = 1;
    g_mutex_init(&conn->lock);
    /* Calls dispatch to a per-connection copy, so secondary plugins can
     * add the tables the hypervisor plugin lacks. */
    conn->own_tables = g_new0(vkDriverTables, 1);
    if (tables)
        *conn->own_tables = *tables;
    conn->tables = conn->own_tables;
    conn->hv_plugin = tables;
    conn->secondaries = g_ptr_array_new();
    conn->uri = g_strdup(uri);
    conn->flags = flags;
    return conn;
}

/* Drops one reference; returns the references left.  The last one closes
 * the plugins' side (secondaries first) and frees the connection. */
int
vkConnectUnref(virConnectPtr conn)
{
    if (!g_atomic_int_dec_and_test(&conn->refs))
        return g_atomic_int_get(&conn->refs);
    g_mutex_lock(&conn->lock);
    conn->closing = true;
    g_mutex_unlock(&conn->lock);
    for (guint i = conn->secondaries->len; i > 0; i--) {
        const vkDriverTables *t = g_ptr_array_index(conn->secondaries, i - 1);
        if (t->storage && t->storage->connectClose)
            t->storage->connectClose(conn);
    }
    if (conn->hv_plugin && conn->hv_plugin->hypervisor && conn->hv_plugin->hypervisor->connectClose)
        conn->hv_plugin->hypervisor->connectClose(conn);
    if (conn->close_free)
        conn->close_free(conn->close_opaque);
    g_clear_pointer(&conn->events, vkDomainEventListFree);
    virResetError(&conn->err);
    g_ptr_array_unref(conn->secondaries);
    g_clear_pointer(&conn->privates, g_hash_table_unref);
    g_free(conn->own_tables);
    g_free(conn->uri);
    g_mutex_clear(&conn->lock);
    conn->magic = VK_MAGIC_DEAD;
    g_free(conn);
    return 0;
}

static void
vkConnectRefInternal(virConnectPtr conn)
{
    g_atomic_int_inc(&conn->refs);
}

/* A reference only while one is still held elsewhere; false at zero. */
static bool
vkConnectTryRef(virConnectPtr conn)
{
    int r;

    do {
        r = g_atomic_int_get(&conn->refs);
    } while (r > 0 && !g_atomic_int_compare_and_exchange(&conn->refs, r, r + 1));
    return r > 0;
}

virDomainPtr
vkDomainNew(virConnectPtr conn, const char *name, const unsigned char *uuid, int id)
{
    virDomainPtr d;
    size_t len;

    if (!name || !uuid) {
        vkReportError(VIR_ERR_INTERNAL_ERROR, "a domain handle needs a name and a UUID");
        return NULL;
    }
    /* A connection whose last reference is gone is being closed (its
     * plugin's connectClose may be waiting for a lock the caller holds):
     * a handle must not bring it back, so none is made. */
    if (!vkConnectTryRef(conn)) {
        vkReportError(VIR_ERR_INVALID_CONN, "the connection is closing: no domain handle for '%s'",
                      name);
        return NULL;
    }
    /* one allocation for the handle and its name (which never changes):
     * lists and bulk statistics make a handle per domain */
    len = strlen(name) + 1;
    d = g_malloc0(sizeof(*d) + len);
    d->magic = VK_MAGIC_DOMAIN;
    d->refs = 1;
    d->conn = conn;
    d->name = memcpy(d + 1, name, len);
    memcpy(d->uuid, uuid, VIR_UUID_BUFLEN);
    d->id = id;
    return d;
}

virDomainSnapshotPtr
vkSnapshotNew(virDomainPtr domain, const char *name)
{
    virDomainSnapshotPtr s;

    if (!name) {
        vkReportError(VIR_ERR_INTERNAL_ERROR, "a snapshot handle needs a name");
        return NULL;
    }
    s = g_new0(virDomainSnapshot, 1);
    s->magic = VK_MAGIC_SNAPSHOT;
    s->refs = 1;
    g_atomic_int_inc(&domain->refs);
    s->domain = domain;
    s->name = g_strdup(name);
    return s;
}

virStoragePoolPtr
vkPoolNew(virConnectPtr conn, const char *name, const unsigned char *uuid)
{
    virStoragePoolPtr p;

    if (!name || !uuid) {
        vkReportError(VIR_ERR_INTERNAL_ERROR, "a storage pool handle needs a name and a UUID");
        return NULL;
    }
    p = g_new0(virStoragePool, 1);
    p->magic = VK_MAGIC_POOL;
    p->refs = 1;
    vkConnectRefInternal(conn);
    p->conn = conn;
    p->name = g_strdup(name);
    memcpy(p->uuid, uuid, VIR_UUID_BUFLEN);
    return p;
}

virStorageVolPtr
vkVolNew(virConnectPtr conn, const char *pool, const char *name, const char *key)
{
    virStorageVolPtr v;

    if (!pool || !name || !key) {
        vkReportError(VIR_ERR_INTERNAL_ERROR, "a storage volume handle needs a pool, a name and a key");
        return NULL;
    }
    v = g_new0(virStorageVol, 1);
    v->magic = VK_MAGIC_VOL;
    v->refs = 1;
    vkConnectRefInternal(conn);
    v->conn = conn;
    v->pool = g_strdup(pool);
    v->name = g_strdup(name);
    v->key = g_strdup(key);
    return v;
}

/* ------------------------------------------------- public: Ref / Free */

/*
 * The Ref/Free pairs below share one shape per family; each public symbol
 * is spelled out because libvirt's API names them separately.  Each family
 * also gets vk<Type>Unref (vk-object.h): the release alone, without the
 * public call's logging and error reset, for the core and the plugin host
 * (a plugin releasing a handle of its own must not clear the error it is
 * about to return).
 */
#define VK_DEFINE_REF_FREE(Type, Ptr, Check, Api, Release) \
    void vk##Type##Unref(Ptr obj) \
    { \
        if (obj && g_atomic_int_dec_and_test(&obj->refs)) { \
            Release; \
            obj->magic = VK_MAGIC_DEAD; \
            g_free(obj); \
        } \
    } \
    int vir##Type##Ref(Ptr obj) \
    { \
        VK_LOG_API("vir" #Type "Ref", "%s=%p", Api, (void *)obj); \
        virResetLastError(); \
        if (!Check(obj, "vir" #Type "Ref")) { \
            vkErrorDispatch(NULL); \
            return -1; \
        } \
        g_atomic_int_inc(&obj->refs); \
        return 0; \
    } \
    int vir##Type##Free(Ptr obj) \
    { \
        VK_LOG_API("vir" #Type "Free", "%s=%p", Api, (void *)obj); \
        virResetLastError(); \
        if (!Check(obj, "vir" #Type "Free")) { \
            vkErrorDispatch(NULL); \
            return -1; \
        } \
        vk##Type##Unref(obj); \
        return 0; \
    }

/* vkDomainUnref, virDomainRef, virDomainFree (the name shares the handle's
 * allocation) */
VK_DEFINE_REF_FREE(Domain, virDomainPtr, vkCheckDomain, "domain",
                   { vkConnectUnref(obj->conn); })
/* vkDomainSnapshotUnref, virDomainSnapshotRef, virDomainSnapshotFree */
VK_DEFINE_REF_FREE(DomainSnapshot, virDomainSnapshotPtr, vkCheckSnapshot, "snapshot",
                   { g_free(obj->name); vkDomainUnref(obj->domain); })
/* vkStoragePoolUnref, virStoragePoolRef, virStoragePoolFree */
VK_DEFINE_REF_FREE(StoragePool, virStoragePoolPtr, vkCheckPool, "pool",
                   { g_free(obj->name); vkConnectUnref(obj->conn); })
/* vkStorageVolUnref, virStorageVolRef, virStorageVolFree */
VK_DEFINE_REF_FREE(StorageVol, virStorageVolPtr, vkCheckVol, "vol",
                   { g_free(obj->pool); g_free(obj->name); g_free(obj->key);
                     vkConnectUnref(obj->conn); })

/* Streams are released through their plugin when the last reference goes:
 * its free function gets its data (host->streamSetPrivate). */
/* vkStreamUnref, virStreamRef, virStreamFree */
VK_DEFINE_REF_FREE(Stream, virStreamPtr, vkCheckStream, "stream",
                   { if (obj->private_free)
                         obj->private_free(obj->private_data);
                     vkConnectUnref(obj->conn); })

/* --------------------------------------------------- public: accessors */

#define VK_ACCESSOR(RetType, Name, Ptr, Check, Api, Fail, Expr) \
    RetType Name(Ptr obj) \
    { \
        VK_LOG_API(#Name, "%s=%p", Api, (void *)obj); \
        virResetLastError(); \
        if (!Check(obj, #Name)) { \
            vkErrorDispatch(NULL); \
            return Fail; \
        } \
        return Expr; \
    }

VK_ACCESSOR(const char *, virDomainGetName, virDomainPtr, vkCheckDomain, "domain", NULL, obj->name)
VK_ACCESSOR(virConnectPtr, virDomainGetConnect, virDomainPtr, vkCheckDomain, "domain", NULL, obj->conn)
VK_ACCESSOR(const char *, virDomainSnapshotGetName, virDomainSnapshotPtr, vkCheckSnapshot,
            "snapshot", NULL, obj->name)
VK_ACCESSOR(virDomainPtr, virDomainSnapshotGetDomain, virDomainSnapshotPtr, vkCheckSnapshot,
            "snapshot", NULL, obj->domain)
VK_ACCESSOR(virConnectPtr, virDomainSnapshotGetConnect, virDomainSnapshotPtr, vkCheckSnapshot,
            "snapshot", NULL, obj->domain->conn)
VK_ACCESSOR(const char *, virStoragePoolGetName, virStoragePoolPtr, vkCheckPool, "pool", NULL, obj->name)
VK_ACCESSOR(virConnectPtr, virStoragePoolGetConnect, virStoragePoolPtr, vkCheckPool, "pool", NULL,
            obj->conn)
VK_ACCESSOR(const char *, virStorageVolGetName, virStorageVolPtr, vkCheckVol, "vol", NULL, obj->name)
VK_ACCESSOR(const char *, virStorageVolGetKey, virStorageVolPtr, vkCheckVol, "vol", NULL, obj->key)
VK_ACCESSOR(virConnectPtr, virStorageVolGetConnect, virStorageVolPtr, vkCheckVol, "vol", NULL, obj->conn)

unsigned int
virDomainGetID(virDomainPtr domain)
{
    VK_LOG_API("virDomainGetID", "domain=%p", (void *)domain);
    virResetLastError();
    if (!vkCheckDomain(domain, "virDomainGetID")) {
        vkErrorDispatch(NULL);
        return (unsigned int)-1;
    }
    return (unsigned int)domain->id;
}

/* The UUID accessors of domains and pools differ only in the handle and in
 * the domain a NULL output reports from (libvirt-domain.c's or
 * libvirt-storage.c's). */
#define vkOutNull(from, api, arg) \
    vkErrorReportRawFull((from), VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__, \
                         "%s in %s must not be NULL", (arg), (api))

static int
vkCopyUUID(int from, const unsigned char *src, unsigned char *uuid, const char *api)
{
    if (!uuid) {
        vkOutNull(from, api, "uuid");
        return -1;
    }
    memcpy(uuid, src, VIR_UUID_BUFLEN);
    return 0;
}

static int
vkFormatUUID(int from, const unsigned char *src, char *buf, const char *api)
{
    if (!buf) {
        vkOutNull(from, api, "buf");
        return -1;
    }
    vkUUIDFormat(src, buf);
    return 0;
}

#define VK_UUID_ACCESSOR(Name, Ptr, Check, Api, OutType, OutName, Fn, From) \
    int Name(Ptr obj, OutType OutName) \
    { \
        VK_LOG_API(#Name, "%s=%p, " #OutName "=%p", Api, (void *)obj, (void *)OutName); \
        virResetLastError(); \
        if (!Check(obj, #Name) || Fn((From), obj->uuid, OutName, #Name) < 0) { \
            vkErrorDispatch(NULL); \
            return -1; \
        } \
        return 0; \
    }

VK_UUID_ACCESSOR(virDomainGetUUID, virDomainPtr, vkCheckDomain, "domain", unsigned char *, uuid,
                 vkCopyUUID, VIR_FROM_DOMAIN)
VK_UUID_ACCESSOR(virDomainGetUUIDString, virDomainPtr, vkCheckDomain, "domain", char *, buf,
                 vkFormatUUID, VIR_FROM_DOMAIN)
VK_UUID_ACCESSOR(virStoragePoolGetUUID, virStoragePoolPtr, vkCheckPool, "pool", unsigned char *, uuid,
                 vkCopyUUID, VIR_FROM_STORAGE)
VK_UUID_ACCESSOR(virStoragePoolGetUUIDString, virStoragePoolPtr, vkCheckPool, "pool", char *, buf,
                 vkFormatUUID, VIR_FROM_STORAGE)

/* ------------------------------------------------- public: list frees */

void
virDomainStatsRecordListFree(virDomainStatsRecordPtr *stats)
{
    VK_LOG_API("virDomainStatsRecordListFree", "stats=%p", (void *)stats);
    if (!stats)
        return;
    for (size_t i = 0; stats[i]; i++) {
        if (stats[i]->dom)
            vkDomainUnref(stats[i]->dom);
        virTypedParamsFree(stats[i]->params, stats[i]->nparams);
        g_free(stats[i]);
    }
    g_free(stats);
}

void
virDomainFSInfoFree(virDomainFSInfoPtr info)
{
    VK_LOG_API("virDomainFSInfoFree", "info=%p", (void *)info);
    if (!info)
        return;
    g_free(info->mountpoint);
    g_free(info->name);
    g_free(info->fstype);
    for (size_t i = 0; i < info->ndevAlias; i++)
        g_free(info->devAlias[i]);
    g_free(info->devAlias);
    g_free(info);
}

void
virDomainIOThreadInfoFree(virDomainIOThreadInfoPtr info)
{
    VK_LOG_API("virDomainIOThreadInfoFree", "info=%p", (void *)info);
    if (!info)
        return;
    g_free(info->cpumap);
    g_free(info);
}

void
virDomainInterfaceFree(virDomainInterfacePtr iface)
{
    VK_LOG_API("virDomainInterfaceFree", "iface=%p", (void *)iface);
    if (!iface)
        return;
    g_free(iface->name);
    g_free(iface->hwaddr);
    for (size_t i = 0; i < iface->naddrs; i++)
        g_free(iface->addrs[i].addr);
    g_free(iface->addrs);
    g_free(iface);
}
