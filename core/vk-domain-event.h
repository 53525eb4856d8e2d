/*
 * vk-domain-event.h: domain event callbacks registered on a connection, and
 * the emission path plugins reach through the host table.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "vk-dispatch.h"

G_BEGIN_DECLS

/* Frees a connection's callback list; every free callback runs after the
 * deliveries already queued. */
void vkDomainEventListFree(vkDomainEventList *list);

/* host->domainEventWanted / host->domainEventEmit (see virtkit-plugin.h). */
bool vkDomainEventWanted(virConnectPtr conn, int event_id);
void vkDomainEventEmit(virConnectPtr conn, virDomainPtr dom, const virtkitDomainEvent *ev);

G_END_DECLS
