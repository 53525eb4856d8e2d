/*
 * vk-dispatch.h: what the public wrappers need between checking a call and
 * handing it to a plugin: handle checks, the read-only rule, the tables a
 * connection dispatches to, and object constructors.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "vk-object.h"
#include <virtkit/virtkit-plugin.h>

G_BEGIN_DECLS

/* What a connection dispatches to: its plugin's operation tables, already
 * copied into full-size zeroed storage (a table's missing tail reads NULL). */
struct _vkDriverTables {
    const char *name;                       /* the plugin's name, for messages */
    unsigned int flags;                     /* the descriptor's virtkitPluginFlags */
    const virtkitHypervisorOps *hypervisor;
    const virtkitStorageOps *storage;
    const virtkitStreamOps *stream;
};

/* Handle checks: each reports the libvirt error for a bad handle naming
 * @api ("invalid domain pointer in virDomainSuspend") and returns false.
 * Object handles report from their object's domain (VIR_FROM_DOM,
 * VIR_FROM_STORAGE, ...), as libvirt does; a bad connection reports from
 * the caller's VK_FROM, which for a public call is the domain of the
 * libvirt source file that defines it (libvirt-domain.c: VIR_FROM_DOMAIN,
 * libvirt-storage.c: VIR_FROM_STORAGE, libvirt.c: VIR_FROM_NONE, ...). */
bool vkCheckConnFrom(int from, virConnectPtr conn, const char *api);
#define vkCheckConn(conn, api) vkCheckConnFrom(VK_FROM, (conn), (api))
bool vkCheckDomain(virDomainPtr domain, const char *api);
/* A NULL-terminated domain list (virDomainListGetStats): not NULL, not
 * empty, every handle valid and all of one connection; list errors come
 * from the caller's VK_FROM. */
bool vkCheckDomainListFrom(int from, virDomainPtr *doms, const char *api);
#define vkCheckDomainList(doms, api) vkCheckDomainListFrom(VK_FROM, (doms), (api))
bool vkCheckSnapshot(virDomainSnapshotPtr snapshot, const char *api);
bool vkCheckPool(virStoragePoolPtr pool, const char *api);
bool vkCheckVol(virStorageVolPtr vol, const char *api);
bool vkCheckStream(virStreamPtr stream, const char *api);

/* The read-only rule: reports VIR_ERR_OPERATION_DENIED ("operation
 * forbidden: read only access prevents virDomainSuspend") from the caller's
 * VK_FROM on a read-only connection and returns false.  The three XML
 * getters whose read-only refusal comes from a flag say "<api> with secure
 * flag" instead, libvirt's words. */
bool vkCheckWritableFrom(int from, virConnectPtr conn, const char *api);
#define vkCheckWritable(conn, api) vkCheckWritableFrom(VK_FROM, (conn), (api))

/* Asks the connection's plugin whether it has a VIRTKIT_DRV_FEATURE_*:
 * 1 yes, 0 no (also when the plugin has no connectSupportsFeature slot), -1
 * with the plugin's error set.  An error is never folded into "no". */
int vkConnectSupportsFeature(virConnectPtr conn, int feature);


/* Object constructors: each returns a new reference, or NULL with an error
 * set.  Handles are not interned: two lookups of one domain give two
 * handles, as libvirt's do since 1.2. */
virConnectPtr vkConnectNew(const vkDriverTables *tables, const char *uri, unsigned int flags);
int vkConnectUnref(virConnectPtr conn);  /* returns the references left */
virDomainPtr vkDomainNew(virConnectPtr conn, const char *name, const unsigned char *uuid, int id);
virDomainSnapshotPtr vkSnapshotNew(virDomainPtr domain, const char *name);
virStoragePoolPtr vkPoolNew(virConnectPtr conn, const char *name, const unsigned char *uuid);
virStorageVolPtr vkVolNew(virConnectPtr conn, const char *pool, const char *name, const char *key);
/* Drop one reference (NULL: nothing), freeing the handle with the last;
 * unlike the public Free, no logging and the thread's error is left as it
 * is. */
void vkDomainUnref(virDomainPtr domain);
void vkDomainSnapshotUnref(virDomainSnapshotPtr snapshot);
void vkStoragePoolUnref(virStoragePoolPtr pool);
void vkStorageVolUnref(virStorageVolPtr vol);
void vkStreamUnref(virStreamPtr stream);

/* UUID text <-> bytes (accepts libvirt's forms: with or without dashes). */
int vkUUIDParse(const char *text, unsigned char *uuid);
void vkUUIDFormat(const unsigned char *uuid, char *buf);

/* Registry of in-process tables by URI scheme.  The plugin loader feeds it;
 * tests register fake tables directly. */
void vkDriverRegister(const char *scheme, const vkDriverTables *tables);
void vkDriverUnregisterAll(void);

G_END_DECLS
