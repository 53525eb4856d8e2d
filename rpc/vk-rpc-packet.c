/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vk-rpc-packet.c: header rules and packet encoders (see vk-rpc-packet.h).
 * The answers and their texts are libvirtd 9.0's, as observed on the wire
 * (protocol README sections 1.5 and 8, captures/50-rawprobe.txt).
 */
#include <string.h>
#include <libvirt/virterror.h>

#include "vk-rpc-packet.h"
#include "vk_rpc_proto.h"

void
vkRpcVerdictClear(vkRpcVerdict *v)
{
    g_clear_pointer(&v->err_message, g_free);
    g_clear_pointer(&v->err_str1, g_free);
    g_clear_pointer(&v->err_str2, g_free);
}

static guint32
vkRpcGetU32(const guint8 *p)
{
    return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

bool
vkRpcHeaderDecode(const guint8 *body, size_t len, vkRpcHeader *hdr)
{
    if (len < VK_RPC_HEADER_LEN)
        return false;
    hdr->prog = vkRpcGetU32(body);
    hdr->vers = vkRpcGetU32(body + 4);
    hdr->proc = (int)vkRpcGetU32(body + 8);
    hdr->type = (int)vkRpcGetU32(body + 12);
    hdr->serial = vkRpcGetU32(body + 16);
    hdr->status = (int)vkRpcGetU32(body + 20);
    return true;
}

const vkRpcProcDesc *
vkRpcProgramFind(const vkRpcProgram *prog, int proc)
{
    size_t lo = 0, hi = prog->nprocs;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int p = prog->procs[mid].proc;
        if (p == proc)
            return &prog->procs[mid];
        if (p < proc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Words of procedure names that the API spells in capitals or otherwise
 * not as plain CamelCase. */
static const struct {
    const char *word;
    const char *api;
} vkRpcApiWords[] = {
    { "XML", "XML" }, { "UUID", "UUID" }, { "CPU", "CPU" }, { "OS", "OS" },
    { "ID", "ID" }, { "FS", "FS" }, { "SSH", "SSH" }, { "SEV", "SEV" },
    { "URI", "URI" }, { "MAC", "MAC" }, { "DHCP", "DHCP" }, { "IOTHREAD", "IOThread" },
    { "NWFILTER", "NWFilter" }, { "SCSI", "SCSI" }, { "PCI", "PCI" },
    { "NUMA", "NUMA" }, { "SGX", "SGX" },
};

char *
vkRpcProcApiName(const char *procname)
{
    g_auto(GStrv) words = g_strsplit(procname, "_", -1);
    GString *s = g_string_new("vir");

    for (size_t i = 0; words[i]; i++) {
        const char *w = words[i];
        size_t j;

        if (!*w)
            continue;
        for (j = 0; j < G_N_ELEMENTS(vkRpcApiWords); j++) {
            if (g_str_equal(w, vkRpcApiWords[j].word)) {
                g_string_append(s, vkRpcApiWords[j].api);
                break;
            }
        }
        if (j < G_N_ELEMENTS(vkRpcApiWords))
            continue;
        g_string_append_c(s, w[0]);
        for (const char *c = w + 1; *c; c++)
            g_string_append_c(s, g_ascii_tolower(*c));
    }
    return g_string_free(s, FALSE);
}

/* The error domain a public API of that family reports from. */
static int
vkRpcProcErrorDomain(const char *procname)
{
    static const struct {
        const char *prefix;
        int domain;
    } map[] = {
        { "DOMAIN_", VIR_FROM_DOMAIN },
        { "NETWORK_", VIR_FROM_NETWORK },
        { "STORAGE_", VIR_FROM_STORAGE },
        { "NODE_DEVICE_", VIR_FROM_NODEDEV },
        { "SECRET_", VIR_FROM_SECRET },
        { "NWFILTER_", VIR_FROM_NWFILTER },
        { "INTERFACE_", VIR_FROM_INTERFACE },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(map); i++) {
        if (g_str_has_prefix(procname, map[i].prefix))
            return map[i].domain;
    }
    return VIR_FROM_NONE;
}

static void
vkRpcVerdictError(vkRpcVerdict *v, int code, int domain, char *message)
{
    v->action = VK_RPC_ACT_ERROR;
    v->err_code = code;
    v->err_domain = domain;
    v->err_message = message;
}

void
vkRpcPacketExamine(const guint8 *body, size_t len,
                   const vkRpcProgram *const *progs, size_t nprogs,
                   bool readonly, bool open, vkRpcVerdict *v)
{
    vkRpcHeader *h = &v->hdr;
    bool is_call;

    memset(v, 0, sizeof(*v));
    if (!vkRpcHeaderDecode(body, len, h)) {
        v->action = VK_RPC_ACT_CLOSE;
        return;
    }
    v->payload_offset = VK_RPC_HEADER_LEN;

    /* The fd count word comes first in the payload of types 4 and 5; the
     * fds themselves follow the packet, so a count the reader cannot honour
     * leaves it out of step with the stream: close, as libvirtd does. */
    if (h->type == VK_RPC_TYPE_CALL_WITH_FDS || h->type == VK_RPC_TYPE_REPLY_WITH_FDS) {
        if (len < VK_RPC_HEADER_LEN + 4) {
            v->action = VK_RPC_ACT_CLOSE;
            return;
        }
        v->nfds = vkRpcGetU32(body + VK_RPC_HEADER_LEN);
        if (v->nfds > VK_RPC_FDS_MAX) {
            v->action = VK_RPC_ACT_CLOSE;
            return;
        }
        v->payload_offset += 4;
    }

    if (h->type == VK_RPC_TYPE_MESSAGE && h->prog == VK_RPC_KEEPALIVE_PROGRAM &&
        h->vers == VK_RPC_KEEPALIVE_VERSION) {
        if (h->proc == VK_RPC_KEEPALIVE_PROC_PING)
            v->action = VK_RPC_ACT_PING;
        else if (h->proc == VK_RPC_KEEPALIVE_PROC_PONG)
            v->action = VK_RPC_ACT_PONG;
        else
            v->action = VK_RPC_ACT_DROP;
        return;
    }

    is_call = h->type == VK_RPC_TYPE_CALL || h->type == VK_RPC_TYPE_CALL_WITH_FDS;
    for (size_t i = 0; i < nprogs; i++) {
        if (progs[i]->prog == h->prog && progs[i]->vers == h->vers) {
            v->prog = progs[i];
            break;
        }
    }

    /* Replies, stray messages, stream packets (no stream is open: the
     * runtime serves none yet) and unknown types expect no answer. */
    if (!is_call) {
        v->action = VK_RPC_ACT_DROP;
        return;
    }

    if (!v->prog) {
        vkRpcVerdictError(v, VIR_ERR_RPC, VIR_FROM_RPC,
                          g_strdup_printf("Cannot find program %d version %d",
                                          (int)h->prog, (int)h->vers));
        return;
    }
    if (h->status != VK_RPC_STATUS_OK) {
        vkRpcVerdictError(v, VIR_ERR_RPC, VIR_FROM_RPC,
                          g_strdup_printf("Unexpected message status %u", (unsigned int)h->status));
        return;
    }
    v->desc = vkRpcProgramFind(v->prog, h->proc);
    if (!v->desc || (v->desc->flags & VK_RPC_PROC_SERVER_ONLY)) {
        v->desc = NULL;
        vkRpcVerdictError(v, VIR_ERR_RPC, VIR_FROM_RPC,
                          g_strdup_printf("unknown procedure: %d", h->proc));
        return;
    }
    if (readonly && !(v->desc->flags & VK_RPC_PROC_READONLY_OK)) {
        g_autofree char *api = vkRpcProcApiName(v->desc->name);
        /* libvirt's wording for an API refused on a read-only connection,
         * with its template in str1 and the argument in str2. */
        v->err_str2 = g_strdup_printf("read only access prevents %s", api);
        v->err_str1 = g_strdup("operation forbidden: %s");
        vkRpcVerdictError(v, VIR_ERR_OPERATION_DENIED, vkRpcProcErrorDomain(v->desc->name),
                          g_strdup_printf("operation forbidden: %s", v->err_str2));
        return;
    }
    if (!open && !(v->desc->flags & VK_RPC_PROC_PREOPEN)) {
        v->err_str1 = g_strdup("internal error: %s");
        v->err_str2 = g_strdup("hypervisor connection not open");
        vkRpcVerdictError(v, VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC,
                          g_strdup("internal error: hypervisor connection not open"));
        return;
    }
    v->action = VK_RPC_ACT_DISPATCH;
}

static void
vkRpcPutU32(guint8 *p, guint32 v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

GBytes *
vkRpcEncodePacket(const vkRpcHeader *hdr, xdrproc_t filter, void *data)
{
    unsigned long payload = 0;
    guint8 *buf;
    size_t total;
    XDR xdr;

    if (!vkRpcFilterIsVoid(filter)) {
        payload = xdr_sizeof(filter, data);
        if (payload == 0)
            return NULL;
    } else {
        filter = NULL;
    }
    if (payload > VK_RPC_LEN_MAX - VK_RPC_LEN_MIN)
        return NULL;
    total = VK_RPC_LEN_MIN + payload;
    buf = g_malloc(total);
    vkRpcPutU32(buf, total);
    vkRpcPutU32(buf + 4, hdr->prog);
    vkRpcPutU32(buf + 8, hdr->vers);
    vkRpcPutU32(buf + 12, (guint32)hdr->proc);
    vkRpcPutU32(buf + 16, (guint32)hdr->type);
    vkRpcPutU32(buf + 20, hdr->serial);
    vkRpcPutU32(buf + 24, (guint32)hdr->status);
    if (filter) {
        bool ok;
        xdrmem_create(&xdr, (char *)buf + VK_RPC_LEN_MIN, payload, XDR_ENCODE);
        ok = filter(&xdr, data, 0);
        xdr_destroy(&xdr);
        if (!ok) {
            g_free(buf);
            return NULL;
        }
    }
    return g_bytes_new_take(buf, total);
}

GBytes *
vkRpcEncodeError(const vkRpcHeader *call, int code, int domain, int level,
                 const char *message, const char *str1, const char *str2,
                 const char *str3, int int1, int int2)
{
    vkRpcHeader h = *call;
    vk_rpc_error e = { 0 };
    /* The strings are only read by the encoder. */
    char *m = (char *)message, *s1 = (char *)str1, *s2 = (char *)str2, *s3 = (char *)str3;
    GBytes *b;

    h.type = VK_RPC_TYPE_REPLY;
    h.status = VK_RPC_STATUS_ERROR;
    e.code = code;
    e.domain = domain;
    e.level = level;
    e.message = m ? &m : NULL;
    e.str1 = s1 ? &s1 : NULL;
    e.str2 = s2 ? &s2 : NULL;
    e.str3 = s3 ? &s3 : NULL;
    e.int1 = int1;
    e.int2 = int2;
    b = vkRpcEncodePacket(&h, (xdrproc_t)xdr_vk_rpc_error, &e);
    if (!b && code != VIR_ERR_RPC) {
        /* Strings longer than the protocol carries: say so instead. */
        return vkRpcEncodeError(call, VIR_ERR_RPC, VIR_FROM_RPC, VIR_ERR_ERROR,
                                "error message too long to send", NULL, NULL, NULL, -1, -1);
    }
    return b;
}

GBytes *
vkRpcEncodeLastError(const vkRpcHeader *call)
{
    virErrorPtr err = virGetLastError();

    if (!err || err->code == VIR_ERR_OK) {
        return vkRpcEncodeError(call, VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC, VIR_ERR_ERROR,
                                "internal error: library function returned error but did not set virError",
                                "internal error: %s",
                                "library function returned error but did not set virError",
                                NULL, -1, -1);
    }
    return vkRpcEncodeError(call, err->code, err->domain, err->level, err->message,
                            err->str1, err->str2, err->str3, err->int1, err->int2);
}

GBytes *
vkRpcEncodeKeepalive(int proc)
{
    vkRpcHeader h = {
        .prog = VK_RPC_KEEPALIVE_PROGRAM,
        .vers = VK_RPC_KEEPALIVE_VERSION,
        .proc = proc,
        .type = VK_RPC_TYPE_MESSAGE,
        .serial = 0,
        .status = VK_RPC_STATUS_OK,
    };
    return vkRpcEncodePacket(&h, NULL, NULL);
}
