/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vk-rpc-events.h: a client's domain event registrations (vk-rpc-events.c). */
#ifndef VK_RPC_EVENTS_H
# define VK_RPC_EVENTS_H

# include "vk-rpc-dispatch.h"

typedef struct _vkRpcEventSink vkRpcEventSink;
typedef struct _vkRpcDomainEvents vkRpcDomainEvents;

/* What event callbacks send through; Detach when the client goes away
 * (a callback running then finishes first, later ones send nothing). */
vkRpcEventSink *vkRpcEventSinkNew(vkRpcClient *client);
void vkRpcEventSinkDetach(vkRpcEventSink *sink);
void vkRpcEventSinkUnref(vkRpcEventSink *sink);

vkRpcDomainEvents *vkRpcDomainEventsNew(void);
void vkRpcDomainEventsFree(vkRpcDomainEvents *events);
/* Deregisters everything from @conn, the connection they were made on. */
void vkRpcDomainEventsDropAll(vkRpcDomainEvents *events, virConnectPtr conn);
guint vkRpcDomainEventsCount(vkRpcDomainEvents *events);

/* the client's, from vk-rpc-dispatch.c */
vkRpcDomainEvents *vkRpcDispatchEvents(vkRpcClient *client);
vkRpcEventSink *vkRpcDispatchSink(vkRpcClient *client);

#endif /* VK_RPC_EVENTS_H */
