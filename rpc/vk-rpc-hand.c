/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vk-rpc-hand.c: the host and domain procedures whose layout is not one
 * call with scalars in and out (impl=hand in rpc/remote.procs): arrays the
 * caller sizes, arrays the API allocates, structs of strings, fd-less
 * lists.  Each checks the protocol's caps before it allocates anything.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "vk-rpc-dispatch.h"

/* The opening and closing every handler shares: the client's connection,
 * the domain the args name (when there is one), and cleanup that keeps a
 * failure's error across the frees (public calls reset it). */
#define VK_HAND_CONN \
    virConnectPtr conn = vkRpcDispatchConn(client); \
    virDomainPtr dom = NULL; \
    int rv = -1; \
    if (!conn) \
        return -1

#define VK_HAND_DOM(wire) \
    if (!(dom = vkRpcGetDomain(conn, (wire)))) \
        goto cleanup

#define VK_HAND_END \
    do { \
        virErrorPtr saved_ = vkRpcErrorSave(rv); \
        if (dom) \
            virDomainFree(dom); \
        virConnectClose(conn); \
        vkRpcErrorRestore(saved_); \
    } while (0)

#define VK_HAND_CHECK_MAX(what, value, max) \
    if ((long long)(value) < 0 || (long long)(value) > (long long)(max)) { \
        vkRpcReportLimit((what), (value), (max)); \
        goto cleanup; \
    }

static void *
vkRpcAlloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);

    if (!p)
        g_error("out of memory");
    return p;
}

static void
vkRpcStrvFree(char **v, int n)
{
    if (!v)
        return;
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* ------------------------------------------------------------ host */

int
vkRpcRemoteNodeGetCellsFreeMemory(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                  void *a, void *r)
{
    remote_node_get_cells_free_memory_args *args = a;
    remote_node_get_cells_free_memory_ret *ret = r;
    unsigned long long *cells = NULL;
    int n;
    VK_HAND_CONN;

    VK_HAND_CHECK_MAX("NUMA cells", args->maxcells, REMOTE_NODE_MAX_CELLS);
    cells = vkRpcAlloc(args->maxcells, sizeof(*cells));
    if ((n = virNodeGetCellsFreeMemory(conn, cells, args->startCell, args->maxcells)) < 0)
        goto cleanup;
    ret->cells.cells_val = (u_quad_t *)cells;
    ret->cells.cells_len = n;
    cells = NULL;
    rv = 0;

 cleanup:
    free(cells);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteConnectBaselineCpu(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                              void *a, void *r)
{
    remote_connect_baseline_cpu_args *args = a;
    remote_connect_baseline_cpu_ret *ret = r;
    VK_HAND_CONN;

    if (!(ret->cpu = virConnectBaselineCPU(conn, (const char **)args->xmlCPUs.xmlCPUs_val,
                                           args->xmlCPUs.xmlCPUs_len, args->flags)))
        goto cleanup;
    rv = 0;

 cleanup:
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteNodeGetCpuStats(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                           void *a, void *r)
{
    remote_node_get_cpu_stats_args *args = a;
    remote_node_get_cpu_stats_ret *ret = r;
    virNodeCPUStatsPtr params = NULL;
    int nparams;
    VK_HAND_CONN;

    VK_HAND_CHECK_MAX("node CPU stats", args->nparams, REMOTE_NODE_CPU_STATS_MAX);
    nparams = args->nparams;
    if (nparams)
        params = vkRpcAlloc(nparams, sizeof(*params));
    if (virNodeGetCPUStats(conn, args->cpuNum, params, &nparams, args->flags) < 0)
        goto cleanup;
    if (args->nparams == 0) {
        /* the count query */
        ret->nparams = nparams;
    } else {
        ret->params.params_val = vkRpcAlloc(nparams, sizeof(*ret->params.params_val));
        ret->params.params_len = nparams;
        for (int i = 0; i < nparams; i++) {
            ret->params.params_val[i].field = g_strndup(params[i].field, VIR_NODE_CPU_STATS_FIELD_LENGTH);
            ret->params.params_val[i].value = params[i].value;
        }
    }
    rv = 0;

 cleanup:
    free(params);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteNodeGetMemoryStats(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                              void *a, void *r)
{
    remote_node_get_memory_stats_args *args = a;
    remote_node_get_memory_stats_ret *ret = r;
    virNodeMemoryStatsPtr params = NULL;
    int nparams;
    VK_HAND_CONN;

    VK_HAND_CHECK_MAX("node memory stats", args->nparams, REMOTE_NODE_MEMORY_STATS_MAX);
    nparams = args->nparams;
    if (nparams)
        params = vkRpcAlloc(nparams, sizeof(*params));
    if (virNodeGetMemoryStats(conn, args->cellNum, params, &nparams, args->flags) < 0)
        goto cleanup;
    if (args->nparams == 0) {
        ret->nparams = nparams;
    } else {
        ret->params.params_val = vkRpcAlloc(nparams, sizeof(*ret->params.params_val));
        ret->params.params_len = nparams;
        for (int i = 0; i < nparams; i++) {
            ret->params.params_val[i].field = g_strndup(params[i].field,
                                                        VIR_NODE_MEMORY_STATS_FIELD_LENGTH);
            ret->params.params_val[i].value = params[i].value;
        }
    }
    rv = 0;

 cleanup:
    free(params);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteNodeGetCpuMap(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                         void *a, void *r)
{
    remote_node_get_cpu_map_args *args = a;
    remote_node_get_cpu_map_ret *ret = r;
    unsigned char *cpumap = NULL;
    unsigned int online = 0;
    int n;
    VK_HAND_CONN;

    if ((n = virNodeGetCPUMap(conn, args->need_map ? &cpumap : NULL,
                              args->need_online ? &online : NULL, args->flags)) < 0)
        goto cleanup;
    if (cpumap) {
        size_t len = VIR_CPU_MAPLEN(n);

        VK_HAND_CHECK_MAX("CPU map bytes", len, REMOTE_CPUMAP_MAX);
        ret->cpumap.cpumap_val = (char *)cpumap;
        ret->cpumap.cpumap_len = len;
        cpumap = NULL;
    }
    ret->online = online;
    ret->ret = n;
    rv = 0;

 cleanup:
    free(cpumap);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteConnectGetCpuModelNames(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                   void *a, void *r)
{
    remote_connect_get_cpu_model_names_args *args = a;
    remote_connect_get_cpu_model_names_ret *ret = r;
    char **models = NULL;
    int n = -1;
    VK_HAND_CONN;

    if ((n = virConnectGetCPUModelNames(conn, args->arch, args->need_results ? &models : NULL,
                                        args->flags)) < 0)
        goto cleanup;
    VK_HAND_CHECK_MAX("CPU models", n, REMOTE_CONNECT_CPU_MODELS_MAX);
    if (models) {
        ret->models.models_val = models;
        ret->models.models_len = n;
        models = NULL;
    }
    ret->ret = n;
    rv = 0;

 cleanup:
    vkRpcStrvFree(models, n);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteNodeGetFreePages(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                            void *a, void *r)
{
    remote_node_get_free_pages_args *args = a;
    remote_node_get_free_pages_ret *ret = r;
    unsigned long long *counts = NULL;
    unsigned long long total = (unsigned long long)args->pages.pages_len * args->cellCount;
    int n;
    VK_HAND_CONN;

    VK_HAND_CHECK_MAX("page counts (pages x cells)", total, REMOTE_NODE_MAX_CELLS);
    counts = vkRpcAlloc(total, sizeof(*counts));
    if ((n = virNodeGetFreePages(conn, args->pages.pages_len, args->pages.pages_val,
                                 args->startCell, args->cellCount, counts, args->flags)) < 0)
        goto cleanup;
    ret->counts.counts_val = (u_quad_t *)counts;
    ret->counts.counts_len = n;
    counts = NULL;
    rv = 0;

 cleanup:
    free(counts);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteNodeAllocPages(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                          void *a, void *r)
{
    remote_node_alloc_pages_args *args = a;
    remote_node_alloc_pages_ret *ret = r;
    int n;
    VK_HAND_CONN;

    if (args->pageSizes.pageSizes_len != args->pageCounts.pageCounts_len) {
        vkRpcReportError(VIR_FROM_RPC, VIR_ERR_RPC,
                         "%u page sizes but %u page counts", args->pageSizes.pageSizes_len,
                         args->pageCounts.pageCounts_len);
        goto cleanup;
    }
    if ((n = virNodeAllocPages(conn, args->pageSizes.pageSizes_len, args->pageSizes.pageSizes_val,
                               (unsigned long long *)args->pageCounts.pageCounts_val,
                               args->startCell, args->cellCount, args->flags)) < 0)
        goto cleanup;
    ret->ret = n;
    rv = 0;

 cleanup:
    VK_HAND_END;
    return rv;
}

/* ------------------------------------------------------------ domain lists */

int
vkRpcRemoteConnectGetAllDomainStats(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                    void *a, void *r)
{
    remote_connect_get_all_domain_stats_args *args = a;
    remote_connect_get_all_domain_stats_ret *ret = r;
    virDomainPtr *doms = NULL;
    virDomainStatsRecordPtr *stats = NULL;
    u_int ndoms = 0;
    int n = -1;
    VK_HAND_CONN;

    if (args->doms.doms_len) {
        /* virDomainListGetStats: the listed domains, NULL-terminated */
        doms = vkRpcAlloc(args->doms.doms_len + 1, sizeof(*doms));
        for (ndoms = 0; ndoms < args->doms.doms_len; ndoms++)
            if (!(doms[ndoms] = vkRpcGetDomain(conn, &args->doms.doms_val[ndoms])))
                goto cleanup;
        n = virDomainListGetStats(doms, args->stats, &stats, args->flags);
    } else {
        n = virConnectGetAllDomainStats(conn, args->stats, &stats, args->flags);
    }
    if (n < 0)
        goto cleanup;
    VK_HAND_CHECK_MAX("domain stats records", n, REMOTE_DOMAIN_LIST_MAX);
    ret->retStats.retStats_val = vkRpcAlloc(n, sizeof(*ret->retStats.retStats_val));
    ret->retStats.retStats_len = n;
    for (int i = 0; i < n; i++) {
        remote_domain_stats_record *w = &ret->retStats.retStats_val[i];

        vkRpcMakeDomain(&w->dom, stats[i]->dom);
        /* stats carry strings (block.N.name, ...), as libvirtd sends them */
        if (vkRpcParamsToWire(stats[i]->params, stats[i]->nparams,
                              REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX,
                              &w->params.params_val, &w->params.params_len,
                              VK_RPC_TYPED_PARAM_STRING_OKAY) < 0)
            goto cleanup;
    }
    rv = 0;

 cleanup:
    {
        virErrorPtr saved = vkRpcErrorSave(rv);

        if (stats)
            virDomainStatsRecordListFree(stats);
        for (u_int i = 0; doms && i < ndoms; i++)
            virDomainFree(doms[i]);
        free(doms);
        vkRpcErrorRestore(saved);
    }
    VK_HAND_END;
    return rv;
}

/* ------------------------------------------------------------ domain lifecycle */

int
vkRpcRemoteDomainCreateWithFlags(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                 void *a, void *r)
{
    remote_domain_create_with_flags_args *args = a;
    remote_domain_create_with_flags_ret *ret = r;
    virDomainPtr started = NULL;
    VK_HAND_CONN;

    VK_HAND_DOM(&args->domain);
    if (virDomainCreateWithFlags(dom, args->flags) < 0)
        goto cleanup;
    /* the reply carries the domain with the id it runs under now */
    if (!(started = virDomainLookupByUUID(conn, (const unsigned char *)args->domain.uuid)))
        goto cleanup;
    vkRpcMakeDomain(&ret->dom, started);
    rv = 0;

 cleanup:
    if (started)
        virDomainFree(started);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteDomainSendKey(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                         void *a, void *r G_GNUC_UNUSED)
{
    remote_domain_send_key_args *args = a;
    VK_HAND_CONN;

    VK_HAND_DOM(&args->dom);
    if (virDomainSendKey(dom, args->codeset, args->holdtime, args->keycodes.keycodes_val,
                         args->keycodes.keycodes_len, args->flags) < 0)
        goto cleanup;
    rv = 0;

 cleanup:
    VK_HAND_END;
    return rv;
}

static int
vkRpcFSFreezeThaw(vkRpcClient *client, remote_domain_fsfreeze_args *args,
                  remote_domain_fsfreeze_ret *ret, bool freeze)
{
    int n;
    VK_HAND_CONN;

    VK_HAND_DOM(&args->dom);
    n = (freeze ? virDomainFSFreeze : virDomainFSThaw)(dom, (const char **)args->mountpoints.mountpoints_val,
                                                      args->mountpoints.mountpoints_len, args->flags);
    if (n < 0)
        goto cleanup;
    ret->filesystems = n;
    rv = 0;

 cleanup:
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteDomainFsfreeze(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                          void *a, void *r)
{
    return vkRpcFSFreezeThaw(client, a, r, true);
}

int
vkRpcRemoteDomainFsthaw(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                        void *a, void *r)
{
    /* FSTHAW's args and ret have FSFREEZE's layout */
    G_STATIC_ASSERT(sizeof(remote_domain_fsthaw_args) == sizeof(remote_domain_fsfreeze_args));
    return vkRpcFSFreezeThaw(client, a, r, false);
}

/* ------------------------------------------------------------ vcpus and pinning */

int
vkRpcRemoteDomainGetVcpus(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                          void *a, void *r)
{
    remote_domain_get_vcpus_args *args = a;
    remote_domain_get_vcpus_ret *ret = r;
    virVcpuInfoPtr info = NULL;
    unsigned char *cpumaps = NULL;
    long long mapbytes = (long long)args->maxinfo * args->maplen;
    int n;
    VK_HAND_CONN;

    VK_HAND_CHECK_MAX("vcpu infos", args->maxinfo, REMOTE_VCPUINFO_MAX);
    VK_HAND_CHECK_MAX("CPU map bytes (maxinfo x maplen)", mapbytes, REMOTE_CPUMAPS_MAX);
    VK_HAND_DOM(&args->dom);
    info = vkRpcAlloc(args->maxinfo, sizeof(*info));
    if (mapbytes > 0)
        cpumaps = vkRpcAlloc(mapbytes, 1);
    if ((n = virDomainGetVcpus(dom, info, args->maxinfo, cpumaps, args->maplen)) < 0)
        goto cleanup;
    ret->info.info_val = vkRpcAlloc(n, sizeof(*ret->info.info_val));
    ret->info.info_len = n;
    for (int i = 0; i < n; i++) {
        ret->info.info_val[i].number = info[i].number;
        ret->info.info_val[i].state = info[i].state;
        ret->info.info_val[i].cpu_time = info[i].cpuTime;
        ret->info.info_val[i].cpu = info[i].cpu;
    }
    /* libvirtd sends the whole buffer the caller sized */
    ret->cpumaps.cpumaps_val = (char *)cpumaps;
    ret->cpumaps.cpumaps_len = mapbytes > 0 ? mapbytes : 0;
    cpumaps = NULL;
    rv = 0;

 cleanup:
    free(info);
    free(cpumaps);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteDomainGetVcpuPinInfo(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                void *a, void *r)
{
    remote_domain_get_vcpu_pin_info_args *args = a;
    remote_domain_get_vcpu_pin_info_ret *ret = r;
    unsigned char *cpumaps = NULL;
    long long mapbytes = (long long)args->ncpumaps * args->maplen;
    int n;
    VK_HAND_CONN;

    VK_HAND_CHECK_MAX("vcpus", args->ncpumaps, REMOTE_VCPUINFO_MAX);
    VK_HAND_CHECK_MAX("CPU map bytes (ncpumaps x maplen)", mapbytes, REMOTE_CPUMAPS_MAX);
    VK_HAND_DOM(&args->dom);
    cpumaps = vkRpcAlloc(mapbytes, 1);
    if ((n = virDomainGetVcpuPinInfo(dom, args->ncpumaps, cpumaps, args->maplen, args->flags)) < 0)
        goto cleanup;
    ret->cpumaps.cpumaps_val = (char *)cpumaps;
    ret->cpumaps.cpumaps_len = mapbytes;
    ret->num = n;
    cpumaps = NULL;
    rv = 0;

 cleanup:
    free(cpumaps);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteDomainGetEmulatorPinInfo(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                    void *a, void *r)
{
    remote_domain_get_emulator_pin_info_args *args = a;
    remote_domain_get_emulator_pin_info_ret *ret = r;
    unsigned char *cpumap = NULL;
    int n;
    VK_HAND_CONN;

    VK_HAND_CHECK_MAX("CPU map bytes", args->maplen, REMOTE_CPUMAPS_MAX);
    VK_HAND_DOM(&args->dom);
    cpumap = vkRpcAlloc(args->maplen, 1);
    if ((n = virDomainGetEmulatorPinInfo(dom, cpumap, args->maplen, args->flags)) < 0)
        goto cleanup;
    ret->cpumaps.cpumaps_val = (char *)cpumap;
    ret->cpumaps.cpumaps_len = args->maplen;
    ret->ret = n;
    cpumap = NULL;
    rv = 0;

 cleanup:
    free(cpumap);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteDomainGetIothreadInfo(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                 void *a, void *r)
{
    remote_domain_get_iothread_info_args *args = a;
    remote_domain_get_iothread_info_ret *ret = r;
    virDomainIOThreadInfoPtr *info = NULL;
    int n = -1;
    VK_HAND_CONN;

    VK_HAND_DOM(&args->dom);
    if ((n = virDomainGetIOThreadInfo(dom, &info, args->flags)) < 0)
        goto cleanup;
    VK_HAND_CHECK_MAX("iothreads", n, REMOTE_IOTHREAD_INFO_MAX);
    ret->info.info_val = vkRpcAlloc(n, sizeof(*ret->info.info_val));
    ret->info.info_len = n;
    for (int i = 0; i < n; i++) {
        remote_domain_iothread_info *w = &ret->info.info_val[i];
        int len = info[i]->cpumaplen > 0 ? info[i]->cpumaplen : 0;

        VK_HAND_CHECK_MAX("CPU map bytes", len, REMOTE_CPUMAP_MAX);
        w->iothread_id = info[i]->iothread_id;
        w->cpumap.cpumap_val = g_memdup2(info[i]->cpumap, len ? len : 1);
        w->cpumap.cpumap_len = len;
    }
    ret->ret = n;
    rv = 0;

 cleanup:
    if (info) {
        for (int i = 0; i < n; i++)
            virDomainIOThreadInfoFree(info[i]);
        free(info);
    }
    VK_HAND_END;
    return rv;
}

/* ------------------------------------------------------------ stats and peeks */

int
vkRpcRemoteDomainMemoryStats(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                             void *a, void *r)
{
    remote_domain_memory_stats_args *args = a;
    remote_domain_memory_stats_ret *ret = r;
    virDomainMemoryStatPtr stats = NULL;
    int n;
    VK_HAND_CONN;

    VK_HAND_CHECK_MAX("memory stats", args->maxStats, REMOTE_DOMAIN_MEMORY_STATS_MAX);
    VK_HAND_DOM(&args->dom);
    stats = vkRpcAlloc(args->maxStats, sizeof(*stats));
    if ((n = virDomainMemoryStats(dom, stats, args->maxStats, args->flags)) < 0)
        goto cleanup;
    ret->stats.stats_val = vkRpcAlloc(n, sizeof(*ret->stats.stats_val));
    ret->stats.stats_len = n;
    for (int i = 0; i < n; i++) {
        ret->stats.stats_val[i].tag = stats[i].tag;
        ret->stats.stats_val[i].val = stats[i].val;
    }
    rv = 0;

 cleanup:
    free(stats);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteDomainBlockPeek(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                           void *a, void *r)
{
    remote_domain_block_peek_args *args = a;
    remote_domain_block_peek_ret *ret = r;
    char *buf = NULL;
    VK_HAND_CONN;

    VK_HAND_CHECK_MAX("block peek bytes", args->size, REMOTE_DOMAIN_BLOCK_PEEK_BUFFER_MAX);
    VK_HAND_DOM(&args->dom);
    buf = vkRpcAlloc(args->size, 1);
    if (virDomainBlockPeek(dom, args->path, args->offset, args->size, buf, args->flags) < 0)
        goto cleanup;
    ret->buffer.buffer_val = buf;
    ret->buffer.buffer_len = args->size;
    buf = NULL;
    rv = 0;

 cleanup:
    free(buf);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteDomainMemoryPeek(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                            void *a, void *r)
{
    remote_domain_memory_peek_args *args = a;
    remote_domain_memory_peek_ret *ret = r;
    char *buf = NULL;
    VK_HAND_CONN;

    VK_HAND_CHECK_MAX("memory peek bytes", args->size, REMOTE_DOMAIN_MEMORY_PEEK_BUFFER_MAX);
    VK_HAND_DOM(&args->dom);
    buf = vkRpcAlloc(args->size, 1);
    if (virDomainMemoryPeek(dom, args->offset, args->size, buf, args->flags) < 0)
        goto cleanup;
    ret->buffer.buffer_val = buf;
    ret->buffer.buffer_len = args->size;
    buf = NULL;
    rv = 0;

 cleanup:
    free(buf);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteDomainGetCpuStats(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                             void *a, void *r)
{
    remote_domain_get_cpu_stats_args *args = a;
    remote_domain_get_cpu_stats_ret *ret = r;
    virTypedParameterPtr params = NULL;
    long long total;
    int n;
    VK_HAND_CONN;

    VK_HAND_CHECK_MAX("CPU stats per CPU", args->nparams, REMOTE_NODE_CPU_STATS_MAX);
    VK_HAND_CHECK_MAX("CPUs", args->ncpus, REMOTE_DOMAIN_GET_CPU_STATS_NCPUS_MAX);
    /* only now is the product bounded (found by fuzz-rpc-args) */
    total = (long long)args->nparams * args->ncpus;
    VK_HAND_DOM(&args->dom);
    if (total > 0)
        params = g_new0(virTypedParameter, total);
    if ((n = virDomainGetCPUStats(dom, params, args->nparams, args->start_cpu, args->ncpus,
                                  args->flags)) < 0)
        goto cleanup;
    /* the count query answers with nparams alone; the holes of a per-CPU
     * table (empty names) are not sent */
    if (total > 0 &&
        vkRpcParamsToWire(params, total, REMOTE_DOMAIN_GET_CPU_STATS_MAX,
                          &ret->params.params_val, &ret->params.params_len, args->flags) < 0)
        goto cleanup;
    ret->nparams = n;
    rv = 0;

 cleanup:
    if (params)
        virTypedParamsFree(params, total);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteDomainGetDiskErrors(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                               void *a, void *r)
{
    remote_domain_get_disk_errors_args *args = a;
    remote_domain_get_disk_errors_ret *ret = r;
    virDomainDiskErrorPtr errs = NULL;
    int n = -1;
    VK_HAND_CONN;

    VK_HAND_CHECK_MAX("disk errors", args->maxerrors, REMOTE_DOMAIN_DISK_ERRORS_MAX);
    VK_HAND_DOM(&args->dom);
    if (args->maxerrors)
        errs = vkRpcAlloc(args->maxerrors, sizeof(*errs));
    if ((n = virDomainGetDiskErrors(dom, errs, args->maxerrors, args->flags)) < 0)
        goto cleanup;
    ret->nerrors = n;
    if (errs) {
        ret->errors.errors_val = vkRpcAlloc(n, sizeof(*ret->errors.errors_val));
        ret->errors.errors_len = n;
        for (int i = 0; i < n; i++) {
            ret->errors.errors_val[i].disk = errs[i].disk;
            ret->errors.errors_val[i].error = errs[i].error;
            errs[i].disk = NULL;
        }
    }
    rv = 0;

 cleanup:
    if (errs) {
        for (int i = 0; i < n; i++)
            free(errs[i].disk);
        free(errs);
    }
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteDomainGetSecurityLabelList(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                      void *a, void *r)
{
    remote_domain_get_security_label_list_args *args = a;
    remote_domain_get_security_label_list_ret *ret = r;
    virSecurityLabelPtr labels = NULL;
    int n;
    VK_HAND_CONN;

    VK_HAND_DOM(&args->dom);
    if ((n = virDomainGetSecurityLabelList(dom, &labels)) < 0)
        goto cleanup;
    VK_HAND_CHECK_MAX("security labels", n, REMOTE_SECURITY_LABEL_LIST_MAX);
    ret->labels.labels_val = vkRpcAlloc(n, sizeof(*ret->labels.labels_val));
    ret->labels.labels_len = n;
    for (int i = 0; i < n; i++) {
        size_t len = strnlen(labels[i].label, sizeof(labels[i].label) - 1) + 1;

        ret->labels.labels_val[i].label.label_val = g_strndup(labels[i].label, len - 1);
        ret->labels.labels_val[i].label.label_len = len;
        ret->labels.labels_val[i].enforcing = labels[i].enforcing;
    }
    ret->ret = n;
    rv = 0;

 cleanup:
    free(labels);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteDomainGetFsinfo(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                           void *a, void *r)
{
    remote_domain_get_fsinfo_args *args = a;
    remote_domain_get_fsinfo_ret *ret = r;
    virDomainFSInfoPtr *info = NULL;
    int n = -1;
    VK_HAND_CONN;

    VK_HAND_DOM(&args->dom);
    if ((n = virDomainGetFSInfo(dom, &info, args->flags)) < 0)
        goto cleanup;
    VK_HAND_CHECK_MAX("filesystems", n, REMOTE_DOMAIN_FSINFO_MAX);
    ret->info.info_val = vkRpcAlloc(n, sizeof(*ret->info.info_val));
    ret->info.info_len = n;
    for (int i = 0; i < n; i++) {
        remote_domain_fsinfo *w = &ret->info.info_val[i];

        VK_HAND_CHECK_MAX("disks of a filesystem", info[i]->ndevAlias, REMOTE_DOMAIN_FSINFO_DISKS_MAX);
        w->mountpoint = g_strdup(info[i]->mountpoint ? info[i]->mountpoint : "");
        w->name = g_strdup(info[i]->name ? info[i]->name : "");
        w->fstype = g_strdup(info[i]->fstype ? info[i]->fstype : "");
        w->dev_aliases.dev_aliases_val = vkRpcAlloc(info[i]->ndevAlias, sizeof(char *));
        w->dev_aliases.dev_aliases_len = info[i]->ndevAlias;
        for (size_t j = 0; j < info[i]->ndevAlias; j++)
            w->dev_aliases.dev_aliases_val[j] = g_strdup(info[i]->devAlias[j]);
    }
    ret->ret = n;
    rv = 0;

 cleanup:
    if (info) {
        for (int i = 0; i < n; i++)
            virDomainFSInfoFree(info[i]);
        free(info);
    }
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteDomainInterfaceAddresses(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                    void *a, void *r)
{
    remote_domain_interface_addresses_args *args = a;
    remote_domain_interface_addresses_ret *ret = r;
    virDomainInterfacePtr *ifaces = NULL;
    int n = -1;
    VK_HAND_CONN;

    VK_HAND_DOM(&args->dom);
    if ((n = virDomainInterfaceAddresses(dom, &ifaces, args->source, args->flags)) < 0)
        goto cleanup;
    VK_HAND_CHECK_MAX("interfaces", n, REMOTE_DOMAIN_INTERFACE_MAX);
    ret->ifaces.ifaces_val = vkRpcAlloc(n, sizeof(*ret->ifaces.ifaces_val));
    ret->ifaces.ifaces_len = n;
    for (int i = 0; i < n; i++) {
        remote_domain_interface *w = &ret->ifaces.ifaces_val[i];
        virDomainInterfacePtr f = ifaces[i];

        VK_HAND_CHECK_MAX("addresses of an interface", f->naddrs, REMOTE_DOMAIN_IP_ADDR_MAX);
        w->name = g_strdup(f->name ? f->name : "");
        if (f->hwaddr) {
            w->hwaddr = g_new0(remote_nonnull_string, 1);
            *w->hwaddr = g_strdup(f->hwaddr);
        }
        w->addrs.addrs_val = vkRpcAlloc(f->naddrs, sizeof(*w->addrs.addrs_val));
        w->addrs.addrs_len = f->naddrs;
        for (unsigned int j = 0; j < f->naddrs; j++) {
            w->addrs.addrs_val[j].type = f->addrs[j].type;
            w->addrs.addrs_val[j].addr = g_strdup(f->addrs[j].addr ? f->addrs[j].addr : "");
            w->addrs.addrs_val[j].prefix = f->addrs[j].prefix;
        }
    }
    rv = 0;

 cleanup:
    if (ifaces) {
        for (int i = 0; i < n; i++)
            virDomainInterfaceFree(ifaces[i]);
        free(ifaces);
    }
    VK_HAND_END;
    return rv;
}

/* ------------------------------------------------------------ typed parameters the API allocates */

int
vkRpcRemoteDomainGetJobStats(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                             void *a, void *r)
{
    remote_domain_get_job_stats_args *args = a;
    remote_domain_get_job_stats_ret *ret = r;
    virTypedParameterPtr params = NULL;
    int nparams = 0, type = 0;
    VK_HAND_CONN;

    VK_HAND_DOM(&args->dom);
    if (virDomainGetJobStats(dom, &type, &params, &nparams, args->flags) < 0)
        goto cleanup;
    if (vkRpcParamsToWire(params, nparams, REMOTE_DOMAIN_JOB_STATS_MAX, &ret->params.params_val,
                          &ret->params.params_len, VK_RPC_TYPED_PARAM_STRING_OKAY) < 0)
        goto cleanup;
    ret->type = type;
    rv = 0;

 cleanup:
    virTypedParamsFree(params, nparams);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteDomainGetPerfEvents(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                               void *a, void *r)
{
    remote_domain_get_perf_events_args *args = a;
    remote_domain_get_perf_events_ret *ret = r;
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    VK_HAND_CONN;

    VK_HAND_DOM(&args->dom);
    if (virDomainGetPerfEvents(dom, &params, &nparams, args->flags) < 0)
        goto cleanup;
    if (vkRpcParamsToWire(params, nparams, REMOTE_DOMAIN_PERF_EVENTS_MAX, &ret->params.params_val,
                          &ret->params.params_len, VK_RPC_TYPED_PARAM_STRING_OKAY) < 0)
        goto cleanup;
    rv = 0;

 cleanup:
    virTypedParamsFree(params, nparams);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteDomainGetGuestVcpus(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                               void *a, void *r)
{
    remote_domain_get_guest_vcpus_args *args = a;
    remote_domain_get_guest_vcpus_ret *ret = r;
    virTypedParameterPtr params = NULL;
    unsigned int nparams = 0;
    VK_HAND_CONN;

    VK_HAND_DOM(&args->dom);
    if (virDomainGetGuestVcpus(dom, &params, &nparams, args->flags) < 0)
        goto cleanup;
    if (vkRpcParamsToWire(params, nparams, REMOTE_DOMAIN_GUEST_VCPU_PARAMS_MAX,
                          &ret->params.params_val, &ret->params.params_len,
                          VK_RPC_TYPED_PARAM_STRING_OKAY) < 0)
        goto cleanup;
    rv = 0;

 cleanup:
    virTypedParamsFree(params, nparams);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteDomainGetLaunchSecurityInfo(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                       void *a, void *r)
{
    remote_domain_get_launch_security_info_args *args = a;
    remote_domain_get_launch_security_info_ret *ret = r;
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    VK_HAND_CONN;

    VK_HAND_DOM(&args->dom);
    if (virDomainGetLaunchSecurityInfo(dom, &params, &nparams, args->flags) < 0)
        goto cleanup;
    if (vkRpcParamsToWire(params, nparams, REMOTE_DOMAIN_LAUNCH_SECURITY_INFO_PARAMS_MAX,
                          &ret->params.params_val, &ret->params.params_len,
                          VK_RPC_TYPED_PARAM_STRING_OKAY) < 0)
        goto cleanup;
    rv = 0;

 cleanup:
    virTypedParamsFree(params, nparams);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteDomainGetGuestInfo(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                              void *a, void *r)
{
    remote_domain_get_guest_info_args *args = a;
    remote_domain_get_guest_info_ret *ret = r;
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    VK_HAND_CONN;

    VK_HAND_DOM(&args->dom);
    if (virDomainGetGuestInfo(dom, args->types, &params, &nparams, args->flags) < 0)
        goto cleanup;
    if (vkRpcParamsToWire(params, nparams, REMOTE_DOMAIN_GUEST_INFO_PARAMS_MAX,
                          &ret->params.params_val, &ret->params.params_len,
                          VK_RPC_TYPED_PARAM_STRING_OKAY) < 0)
        goto cleanup;
    rv = 0;

 cleanup:
    virTypedParamsFree(params, nparams);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteNodeGetSevInfo(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                          void *a, void *r)
{
    remote_node_get_sev_info_args *args = a;
    remote_node_get_sev_info_ret *ret = r;
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    VK_HAND_CONN;

    if (virNodeGetSEVInfo(conn, &params, &nparams, args->flags) < 0)
        goto cleanup;
    if (vkRpcParamsToWire(params, nparams, REMOTE_NODE_SEV_INFO_MAX, &ret->params.params_val,
                          &ret->params.params_len, VK_RPC_TYPED_PARAM_STRING_OKAY) < 0)
        goto cleanup;
    ret->nparams = nparams;
    rv = 0;

 cleanup:
    virTypedParamsFree(params, nparams);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteConnectBaselineHypervisorCpu(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                        void *a, void *r)
{
    remote_connect_baseline_hypervisor_cpu_args *args = a;
    remote_connect_baseline_hypervisor_cpu_ret *ret = r;
    VK_HAND_CONN;

    if (!(ret->cpu = virConnectBaselineHypervisorCPU(conn,
                                                     args->emulator ? *args->emulator : NULL,
                                                     args->arch ? *args->arch : NULL,
                                                     args->machine ? *args->machine : NULL,
                                                     args->virttype ? *args->virttype : NULL,
                                                     (const char **)args->xmlCPUs.xmlCPUs_val,
                                                     args->xmlCPUs.xmlCPUs_len, args->flags)))
        goto cleanup;
    rv = 0;

 cleanup:
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteDomainAuthorizedSshKeysGet(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                      void *a, void *r)
{
    remote_domain_authorized_ssh_keys_get_args *args = a;
    remote_domain_authorized_ssh_keys_get_ret *ret = r;
    char **keys = NULL;
    int n = -1;
    VK_HAND_CONN;

    VK_HAND_DOM(&args->dom);
    if ((n = virDomainAuthorizedSSHKeysGet(dom, args->user, &keys, args->flags)) < 0)
        goto cleanup;
    VK_HAND_CHECK_MAX("authorized SSH keys", n, REMOTE_DOMAIN_AUTHORIZED_SSH_KEYS_MAX);
    ret->keys.keys_val = keys;
    ret->keys.keys_len = n;
    keys = NULL;
    rv = 0;

 cleanup:
    vkRpcStrvFree(keys, n);
    VK_HAND_END;
    return rv;
}

int
vkRpcRemoteDomainAuthorizedSshKeysSet(vkRpcClient *client, const vkRpcHeader *hdr G_GNUC_UNUSED,
                                      void *a, void *r G_GNUC_UNUSED)
{
    remote_domain_authorized_ssh_keys_set_args *args = a;
    VK_HAND_CONN;

    VK_HAND_DOM(&args->dom);
    if (virDomainAuthorizedSSHKeysSet(dom, args->user, (const char **)args->keys.keys_val,
                                      args->keys.keys_len, args->flags) < 0)
        goto cleanup;
    rv = 0;

 cleanup:
    VK_HAND_END;
    return rv;
}
