/*
 * vk-route.h: conversions for the older forms of an operation whose newest
 * form is the plugin's only slot (see route= in scripts/api-gen.py).  The
 * generated wrapper of the old form has checked its handle and arguments and
 * that @slot is not NULL; a helper converts the arguments, calls @slot and
 * converts the answer back.  Helpers report errors as internal functions do
 * and return what the old form returns.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "vk-dispatch.h"

G_BEGIN_DECLS

/* virDomainSave, virDomainSaveFlags -> virDomainSaveParams: @to (made
 * absolute, as libvirt's wrappers do: the image may be written by another
 * process) becomes VIR_DOMAIN_SAVE_PARAM_FILE, a non-NULL @dxml
 * VIR_DOMAIN_SAVE_PARAM_DXML. */
int vkRouteSaveParams(int (*slot)(virDomainPtr, virTypedParameterPtr, int, unsigned int),
                      virDomainPtr domain, const char *to, const char *dxml,
                      unsigned int flags);

/* virDomainRestore, virDomainRestoreFlags -> virDomainRestoreParams, the same
 * way. */
int vkRouteRestoreParams(int (*slot)(virConnectPtr, virTypedParameterPtr, int, unsigned int),
                         virConnectPtr conn, const char *from, const char *dxml,
                         unsigned int flags);

/* virDomainBlockStats -> virDomainBlockStatsFlags: fills the first @size
 * bytes of libvirt's struct from the typed parameters (rd_operations,
 * rd_bytes, wr_operations, wr_bytes, errs; -1 for what the plugin does not
 * report).  A @size larger than the struct is refused, as libvirt does. */
int vkRouteBlockStats(int (*slot)(virDomainPtr, const char *, virTypedParameterPtr *, int *,
                                  unsigned int),
                      virDomainPtr dom, const char *disk, virDomainBlockStatsPtr stats,
                      size_t size);

/* The listing calls of before ListAll* (virConnectListDomains, ...): the
 * ListAll* slot's handles, of which the first @max give their id or name
 * (names newly allocated, freed by the caller as libvirt's are); the
 * handles are released.  Returns how many were written. */
int vkRouteDomainIDs(int (*slot)(virConnectPtr, virDomainPtr **, unsigned int),
                     virConnectPtr conn, int *ids, int maxids);
int vkRouteDomainNames(int (*slot)(virConnectPtr, virDomainPtr **, unsigned int),
                       virConnectPtr conn, char **const names, int maxnames);
int vkRoutePoolNames(int (*slot)(virConnectPtr, virStoragePoolPtr **, unsigned int),
                     virConnectPtr conn, char **const names, int maxnames, unsigned int flags);
int vkRouteVolNames(int (*slot)(virStoragePoolPtr, virStorageVolPtr **, unsigned int),
                    virStoragePoolPtr pool, char **const names, int maxnames);

G_END_DECLS
