/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vk-rpc-server.h: the server runtime of libvirt's wire protocol: listening
 * sockets, one reader per client on the runtime's own GMainContext thread,
 * a worker pool plus priority workers, per-client request quota, keepalive.
 * What a procedure does is the dispatch side's (vk-rpc.h).
 *
 * Threads: vkRpcServerNew/Start/Stop/Free from one controlling thread;
 * vkRpcServerNClients and vkRpcServerIdleSeconds from any thread.
 */
#ifndef VK_RPC_SERVER_H
# define VK_RPC_SERVER_H

# include <gio/gio.h>
# include "vk-rpc.h"

typedef struct _vkRpcServer vkRpcServer;

/* Per-client dispatch state hooks (vk-rpc.h): the daemon passes
 * vkRpcDispatchClientNew/Free/IsOpen; tests their own. */
typedef struct {
    void *(*client_new)(vkRpcClient *client);
    void (*client_free)(void *data);
    bool (*client_is_open)(void *data);
} vkRpcServerHooks;

typedef struct {
    unsigned int max_clients;          /* libvirtd default 5000 */
    unsigned int max_workers;          /* 20 */
    unsigned int prio_workers;         /* 5 */
    unsigned int max_client_requests;  /* 5 */
    int keepalive_interval;            /* seconds, 5; <= 0 disables pings */
    unsigned int keepalive_count;      /* 5 */
    /* where the config says so, for error texts ("virtkitd.conf") */
    const char *config_name;
} vkRpcServerConfig;

/* libvirtd 9.0's defaults. */
void vkRpcServerConfigInit(vkRpcServerConfig *cfg);

/*
 * vkRpcServerNew:
 * A server for @progs (each stays valid for the server's lifetime).  The
 * keepalive program needs no table: the runtime serves it.  Returns NULL
 * with @err set when the config is out of range.
 */
vkRpcServer *vkRpcServerNew(const vkRpcServerConfig *cfg, const vkRpcServerHooks *hooks,
                            const vkRpcProgram *const *progs, size_t nprogs, GError **err);

/*
 * vkRpcServerAddListener:
 * Serves clients accepted on @listener (a listening stream socket, unix or
 * tcp; the server takes a reference).  Clients from it are read-only when
 * @readonly.  Call before vkRpcServerStart.
 */
void vkRpcServerAddListener(vkRpcServer *srv, GSocket *listener, bool readonly);

/* Starts the runtime thread and the workers. */
bool vkRpcServerStart(vkRpcServer *srv, GError **err);

/* Closes every client (their dispatch state is freed) and stops the threads. */
void vkRpcServerStop(vkRpcServer *srv);
void vkRpcServerFree(vkRpcServer *srv);

/* Clients connected now. */
unsigned int vkRpcServerNClients(vkRpcServer *srv);

/* Seconds since the last client left (0 while one is connected), for the
 * daemon's --timeout. */
double vkRpcServerIdleSeconds(vkRpcServer *srv);

/* Calls answered so far, for tests and the bench. */
guint64 vkRpcServerNCalls(vkRpcServer *srv);

#endif /* VK_RPC_SERVER_H */
