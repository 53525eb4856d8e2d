/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vk-rpc-packet.h: what the server runtime decides about one packet from its
 * length word and header alone, before any payload is decoded; and the
 * encoders of the packets it sends (replies, errors, keepalive, messages).
 *
 * No sockets and no threads here: the socket code in vk-rpc-server.c feeds
 * bytes in, and the fuzz target in tests/fuzz/ drives the same functions.
 */
#ifndef VK_RPC_PACKET_H
# define VK_RPC_PACKET_H

# include <glib.h>
# include "vk-rpc.h"

/* Bounds of the length word (it counts itself): README section 1.4. */
# define VK_RPC_LEN_MIN 28u
# define VK_RPC_LEN_MAX (33554432u + 4u)
# define VK_RPC_HEADER_LEN 24u
# define VK_RPC_FDS_MAX 32u

# define VK_RPC_TYPE_CALL 0
# define VK_RPC_TYPE_REPLY 1
# define VK_RPC_TYPE_MESSAGE 2
# define VK_RPC_TYPE_STREAM 3
# define VK_RPC_TYPE_CALL_WITH_FDS 4
# define VK_RPC_TYPE_REPLY_WITH_FDS 5
# define VK_RPC_TYPE_STREAM_HOLE 6

# define VK_RPC_STATUS_OK 0
# define VK_RPC_STATUS_ERROR 1

# define VK_RPC_KEEPALIVE_PROC_PING 1
# define VK_RPC_KEEPALIVE_PROC_PONG 2

/*
 * vkRpcLengthCheck:
 * Whether a packet announcing @len bytes (the length word as read, host
 * order) may be received.  Callers close the connection when it may not,
 * before allocating anything (libvirtd does the same, without a reply).
 */
static inline bool
vkRpcLengthCheck(guint32 len)
{
    return len >= VK_RPC_LEN_MIN && len <= VK_RPC_LEN_MAX;
}

typedef enum {
    VK_RPC_ACT_DISPATCH,    /* run verdict->desc on a worker */
    VK_RPC_ACT_ERROR,       /* answer REPLY/ERROR with err_* (the connection stays) */
    VK_RPC_ACT_PING,        /* answer PONG */
    VK_RPC_ACT_PONG,        /* the peer answered our PING */
    VK_RPC_ACT_DROP,        /* ignore (no reply is expected for this type) */
    VK_RPC_ACT_CLOSE,       /* protocol violation: close the connection */
} vkRpcAction;

typedef struct {
    vkRpcAction action;
    vkRpcHeader hdr;
    const vkRpcProgram *prog;
    const vkRpcProcDesc *desc;
    unsigned int nfds;        /* fd count word of types 4 and 5 */
    size_t payload_offset;    /* where the procedure's arguments start */
    int err_code;
    int err_domain;
    char *err_message;        /* the whole text, as virError.message */
    char *err_str1;           /* the template, as libvirt fills str1 (may be NULL) */
    char *err_str2;
} vkRpcVerdict;

/* Frees what a verdict holds (not the verdict itself). */
void vkRpcVerdictClear(vkRpcVerdict *v);

/*
 * vkRpcHeaderDecode:
 * Decodes the 24-byte header at the start of @body (the packet without its
 * length word, @len bytes).  Returns false when @len is short.
 */
bool vkRpcHeaderDecode(const guint8 *body, size_t len, vkRpcHeader *hdr);

/*
 * vkRpcPacketExamine:
 * The runtime's rules, from the header (and the fd count word) alone:
 * keepalive messages, unknown program/version/procedure, a status that makes
 * no sense for a CALL, procedures a read-only client may not call, calls
 * before the connection is open.  @progs lists the programs served.
 * @body/@len: the packet without its length word.  Fills @v (clear it with
 * vkRpcVerdictClear); never fails.
 */
void vkRpcPacketExamine(const guint8 *body, size_t len,
                        const vkRpcProgram *const *progs, size_t nprogs,
                        bool readonly, bool open, vkRpcVerdict *v);

/* Whether @f encodes nothing: NULL or xdr_void (the table's "no args"). */
static inline bool
vkRpcFilterIsVoid(xdrproc_t f)
{
    return f == NULL || (void *)f == (void *)xdr_void;
}

/* Looks @proc up in @prog's sorted table; NULL when absent. */
const vkRpcProcDesc *vkRpcProgramFind(const vkRpcProgram *prog, int proc);

/*
 * vkRpcProcApiName:
 * The public API a procedure name stands for ("DOMAIN_GET_XML_DESC" ->
 * "virDomainGetXMLDesc"), for the read-only refusal's text.  New string.
 */
char *vkRpcProcApiName(const char *procname);

/*
 * Encoders.  Each returns a complete packet (length word included) as a new
 * GBytes, or NULL when the encoded packet would exceed VK_RPC_LEN_MAX or the
 * filter failed (the caller then sends an error instead).
 */
GBytes *vkRpcEncodePacket(const vkRpcHeader *hdr, xdrproc_t filter, void *data);
GBytes *vkRpcEncodeError(const vkRpcHeader *call, int code, int domain, int level,
                         const char *message, const char *str1, const char *str2,
                         const char *str3, int int1, int int2);
/* The error for @call from the calling thread's virGetLastError(). */
GBytes *vkRpcEncodeLastError(const vkRpcHeader *call);
GBytes *vkRpcEncodeKeepalive(int proc);

#endif /* VK_RPC_PACKET_H */
