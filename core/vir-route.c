/*
 * vir-route.c: the older forms of an operation carried out through its
 * newest form's slot, where the arguments need converting (vk-route.h).
 * The simple cases (a defaulted flags argument) need no code here: the
 * generated wrapper calls the slot directly.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#define VK_FROM VIR_FROM_DOM
#define VK_LOG_MODULE "core.route"
#include "vk-route.h"

/* The list Save/Restore Params take: the file, made absolute, and the
 * alternative XML when there is one.  @p has room for two entries; strings
 * are borrowed except the file, which the caller frees with g_free(*file). */
static int
vkRouteFileParams(virTypedParameter p[2], char **file, const char *path, const char *dxml)
{
    int n = 0;

    *file = g_canonicalize_filename(path, NULL);
    memset(p, 0, 2 * sizeof(*p));
    g_strlcpy(p[n].field, VIR_DOMAIN_SAVE_PARAM_FILE, sizeof(p[n].field));
    p[n].type = VIR_TYPED_PARAM_STRING;
    p[n++].value.s = *file;
    if (dxml) {
        g_strlcpy(p[n].field, VIR_DOMAIN_SAVE_PARAM_DXML, sizeof(p[n].field));
        p[n].type = VIR_TYPED_PARAM_STRING;
        p[n++].value.s = (char *)dxml;
    }
    return n;
}

int
vkRouteSaveParams(int (*slot)(virDomainPtr, virTypedParameterPtr, int, unsigned int),
                  virDomainPtr domain, const char *to, const char *dxml, unsigned int flags)
{
    virTypedParameter p[2];
    g_autofree char *file = NULL;
    int n = vkRouteFileParams(p, &file, to, dxml);

    return slot(domain, p, n, flags);
}

int
vkRouteRestoreParams(int (*slot)(virConnectPtr, virTypedParameterPtr, int, unsigned int),
                     virConnectPtr conn, const char *from, const char *dxml, unsigned int flags)
{
    virTypedParameter p[2];
    g_autofree char *file = NULL;
    int n = vkRouteFileParams(p, &file, from, dxml);

    return slot(conn, p, n, flags);
}

int
vkRouteBlockStats(int (*slot)(virDomainPtr, const char *, virTypedParameterPtr *, int *,
                              unsigned int),
                  virDomainPtr dom, const char *disk, virDomainBlockStatsPtr stats, size_t size)
{
    static const struct {
        const char *field;
        size_t offset;
    } map[] = {
        { VIR_DOMAIN_BLOCK_STATS_READ_REQ, offsetof(virDomainBlockStatsStruct, rd_req) },
        { VIR_DOMAIN_BLOCK_STATS_READ_BYTES, offsetof(virDomainBlockStatsStruct, rd_bytes) },
        { VIR_DOMAIN_BLOCK_STATS_WRITE_REQ, offsetof(virDomainBlockStatsStruct, wr_req) },
        { VIR_DOMAIN_BLOCK_STATS_WRITE_BYTES, offsetof(virDomainBlockStatsStruct, wr_bytes) },
        { VIR_DOMAIN_BLOCK_STATS_ERRS, offsetof(virDomainBlockStatsStruct, errs) },
    };
    virDomainBlockStatsStruct all = { -1, -1, -1, -1, -1 };
    virTypedParameterPtr params = NULL;
    int nparams = 0;

    /* the wrapper has refused a size larger than the struct */
    if (slot(dom, disk, &params, &nparams, 0) < 0)
        return -1;
    for (int i = 0; i < nparams; i++) {
        for (size_t j = 0; j < G_N_ELEMENTS(map); j++) {
            long long *dst = (long long *)((char *)&all + map[j].offset);

            if (strcmp(params[i].field, map[j].field) != 0)
                continue;
            if (params[i].type == VIR_TYPED_PARAM_LLONG)
                *dst = params[i].value.l;
            else if (params[i].type == VIR_TYPED_PARAM_ULLONG)
                *dst = (long long)params[i].value.ul;
        }
    }
    vkTypedParamsDropStrings(params, &nparams);
    g_free(params);
    memcpy(stats, &all, size);
    return 0;
}

/* From a ListAll* answer (@n handles in @objs, NULL-terminated, owned):
 * the first @max values into @out, then every handle released. */
#define VK_ROUTE_TAKE(objs, n, out, max, value, release) \
    do { \
        int written_ = MIN((n), (max)); \
        for (int i_ = 0; i_ < written_; i_++) \
            (out)[i_] = value((objs)[i_]); \
        for (int i_ = 0; i_ < (n); i_++) \
            release((objs)[i_]); \
        g_free(objs); \
        return written_; \
    } while (0)

#define VK_ROUTE_ID(d) ((d)->id)
#define VK_ROUTE_NAME(o) g_strdup((o)->name)

int
vkRouteDomainIDs(int (*slot)(virConnectPtr, virDomainPtr **, unsigned int),
                 virConnectPtr conn, int *ids, int maxids)
{
    virDomainPtr *doms = NULL;
    int n = slot(conn, &doms, VIR_CONNECT_LIST_DOMAINS_ACTIVE);

    if (n < 0)
        return -1;
    VK_ROUTE_TAKE(doms, n, ids, maxids, VK_ROUTE_ID, virDomainFree);
}

int
vkRouteDomainNames(int (*slot)(virConnectPtr, virDomainPtr **, unsigned int),
                   virConnectPtr conn, char **const names, int maxnames)
{
    virDomainPtr *doms = NULL;
    int n = slot(conn, &doms, VIR_CONNECT_LIST_DOMAINS_INACTIVE);

    if (n < 0)
        return -1;
    VK_ROUTE_TAKE(doms, n, names, maxnames, VK_ROUTE_NAME, virDomainFree);
}

int
vkRoutePoolNames(int (*slot)(virConnectPtr, virStoragePoolPtr **, unsigned int),
                 virConnectPtr conn, char **const names, int maxnames, unsigned int flags)
{
    virStoragePoolPtr *pools = NULL;
    int n = slot(conn, &pools, flags);

    if (n < 0)
        return -1;
    VK_ROUTE_TAKE(pools, n, names, maxnames, VK_ROUTE_NAME, virStoragePoolFree);
}

int
vkRouteVolNames(int (*slot)(virStoragePoolPtr, virStorageVolPtr **, unsigned int),
                virStoragePoolPtr pool, char **const names, int maxnames)
{
    virStorageVolPtr *vols = NULL;
    int n = slot(pool, &vols, 0);

    if (n < 0)
        return -1;
    VK_ROUTE_TAKE(vols, n, names, maxnames, VK_ROUTE_NAME, virStorageVolFree);
}
