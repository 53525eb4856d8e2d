/*
 * vk-object.h: the core's objects (connections, domains, snapshots, storage
 * pools and volumes, streams).  Refcounted and thread-safe; the public
 * handles applications hold point at these.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "vk-internal.h"

G_BEGIN_DECLS

/* Magic numbers let the wrappers tell a live handle from a freed or foreign
 * pointer before touching anything else in it (VIR_ERR_INVALID_*). */
#define VK_MAGIC_CONNECT  0x564b434eU  /* "VKCN" */
#define VK_MAGIC_DOMAIN   0x564b444dU  /* "VKDM" */
#define VK_MAGIC_SNAPSHOT 0x564b534eU  /* "VKSN" */
#define VK_MAGIC_POOL     0x564b504cU  /* "VKPL" */
#define VK_MAGIC_VOL      0x564b564cU  /* "VKVL" */
#define VK_MAGIC_STREAM   0x564b5354U  /* "VKST" */
#define VK_MAGIC_DEAD     0xdeadbeefU

typedef struct _vkDriverTables vkDriverTables;
typedef struct _vkDomainEventList vkDomainEventList;

struct _virConnect {
    guint32 magic;
    gint refs;                      /* atomic */
    GMutex lock;                    /* guards the fields below it */
    unsigned int flags;             /* VIR_CONNECT_RO, ... */
    char *uri;
    const vkDriverTables *tables;   /* what calls dispatch to: &own_tables */
    vkDriverTables *own_tables;     /* hypervisor plugin's tables + attached storage */
    const vkDriverTables *hv_plugin; /* the hypervisor plugin, for connectClose */
    GPtrArray *secondaries;         /* const vkDriverTables * that accepted the open */
    GHashTable *privates;           /* plugin name -> its per-connection data */

    /* Error reporting (vir-error.c). */
    virError err;                   /* copy of the last error dispatched on it */
    virErrorFunc handler;           /* virConnSetErrorFunc */
    void *handler_data;

    /* Set (under lock) when the last reference is gone and the plugins are
     * being told: events emitted then are dropped, not delivered. */
    bool closing;

    /* Domain event callbacks (vir-domain-event.c); created on first use. */
    vkDomainEventList *events;

    /* Close callback (virConnectRegisterCloseCallback). */
    virConnectCloseFunc close_cb;
    void *close_opaque;
    virFreeCallback close_free;
};

struct _virDomain {
    guint32 magic;
    gint refs;
    virConnectPtr conn;             /* holds a reference */
    char *name;                     /* in the handle's own allocation */
    unsigned char uuid[VIR_UUID_BUFLEN];
    int id;                         /* -1 when inactive */
};

struct _virDomainSnapshot {
    guint32 magic;
    gint refs;
    virDomainPtr domain;            /* holds a reference */
    char *name;
};

struct _virStoragePool {
    guint32 magic;
    gint refs;
    virConnectPtr conn;
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
};

struct _virStorageVol {
    guint32 magic;
    gint refs;
    virConnectPtr conn;
    char *pool;
    char *name;
    char *key;
};

struct _virStream {
    guint32 magic;
    gint refs;
    virConnectPtr conn;
    unsigned int flags;
    void *private_data;             /* the plugin's per-stream data */
    void (*private_free)(void *data); /* runs on it when the last reference goes */
};

G_END_DECLS
