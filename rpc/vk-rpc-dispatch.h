/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vk-rpc-dispatch.h: what the generated handlers (vk-rpc-remote-table.c,
 * from scripts/rpc-gen.py) and the hand-written ones (vk-rpc-dispatch.c)
 * share: the client's connection, object handles to and from the wire,
 * typed parameters to and from the wire, errors.
 */
#ifndef VK_RPC_DISPATCH_H
# define VK_RPC_DISPATCH_H

# include <glib.h>
# include "vk-rpc.h"
# include "remote_protocol.h"
# include "vk-rpc-remote-procs.h"

/* The table's filter for an empty payload.  libtirpc declares xdr_void
 * without arguments; going through void (*)(void) says the cast is meant. */
# define VK_RPC_XDR_VOID ((xdrproc_t)(void (*)(void))xdr_void)

/* libvirt's virTypedParameterFlags bit the client sets once feature 9 is
 * answered yes (VIR_TYPED_PARAM_STRING_OKAY). */
# define VK_RPC_TYPED_PARAM_STRING_OKAY (1u << 2)

/* The client's open connection with a new reference (the caller closes it),
 * or NULL with "hypervisor connection not open" set. */
virConnectPtr vkRpcDispatchConn(vkRpcClient *client);

/* Sets the thread's last error, as libvirt's daemon words its own errors.
 * domain is a virErrorDomain, code a virErrorNumber; the message is the
 * formatted text exactly. */
void vkRpcReportError(int domain, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* Every public call resets the thread's last error, virDomainFree and
 * virConnectClose too: a handler's cleanup saves a failure's error first
 * (NULL when @rv is not negative) and puts it back after the frees. */
virErrorPtr vkRpcErrorSave(int rv);
void vkRpcErrorRestore(virErrorPtr saved);

/* A list or count from the wire or from the API is over the protocol's
 * cap: VIR_ERR_RPC naming the item, the value and the limit. */
void vkRpcReportLimit(const char *what, long long value, long long max);

/* Wire handles to API handles (a new reference, or NULL with the error of
 * the lookup set) and back (strings copied into the wire struct). */
virDomainPtr vkRpcGetDomain(virConnectPtr conn, const remote_nonnull_domain *d);
virDomainSnapshotPtr vkRpcGetSnapshot(virConnectPtr conn, const remote_nonnull_domain_snapshot *s);
virStoragePoolPtr vkRpcGetPool(virConnectPtr conn, const remote_nonnull_storage_pool *p);
virStorageVolPtr vkRpcGetVol(virConnectPtr conn, const remote_nonnull_storage_vol *v);
void vkRpcMakeDomain(remote_nonnull_domain *d, virDomainPtr dom);
void vkRpcMakeSnapshot(remote_nonnull_domain_snapshot *s, virDomainSnapshotPtr snap);
void vkRpcMakePool(remote_nonnull_storage_pool *p, virStoragePoolPtr pool);
void vkRpcMakeVol(remote_nonnull_storage_vol *v, virStorageVolPtr vol);

/* Typed parameters to the wire: at most @max entries; string entries are
 * left out unless @flags has VIR_TYPED_PARAM_STRING_OKAY (libvirt's rule
 * for a client that did not say it understands them). */
int vkRpcParamsToWire(virTypedParameterPtr params, int nparams, int max,
                      remote_typed_param **out, u_int *outlen, unsigned int flags);
/* Typed parameters from the wire: at most @max, each field name shorter
 * than VIR_TYPED_PARAM_FIELD_LENGTH and of a known type.  The result is
 * freed with virTypedParamsFree. */
int vkRpcParamsFromWire(const remote_typed_param *in, u_int inlen, int max,
                        virTypedParameterPtr *out, int *nout);

#endif /* VK_RPC_DISPATCH_H */
