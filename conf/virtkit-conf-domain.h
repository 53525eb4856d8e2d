/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * virtkit-conf-domain.h: libvirt's domain XML, parsed, completed with
 * libvirt's defaults and formatted back the way libvirt 9.0 formats it.
 *
 * The model is a virtkitXmlNode tree checked against a table of every element
 * and attribute we know (conf-domain-schema.c), put in libvirt's order and
 * given libvirt's defaults (units in KiB, placement='static', boot hd,
 * implicit controllers, drive addresses, primary video, chardev targets ...).
 * Typed accessors cover what plugins need to run a guest; everything else is
 * reached through the tree.
 *
 * Values the model generates, and which therefore differ between two parses
 * of one document: the <uuid> when absent, <mac address> of interfaces, and
 * the instanceid of 802.1Qbg/802.1Qbh virtual ports.  Addresses the model
 * assigns are deterministic (drive, ccid and virtio-serial addresses follow
 * the target names and device order).
 *
 * Thread rules: a virtkitDomainDef belongs to one thread at a time; parsing
 * and formatting have no shared state.
 */
#ifndef VIRTKIT_CONF_DOMAIN_H
#define VIRTKIT_CONF_DOMAIN_H

#include "virtkit-conf-xml.h"
#include "virtkit-conf-caps.h"

G_BEGIN_DECLS

typedef struct _virtkitDomainDef virtkitDomainDef;

/**
 * virtkitDomainParseOptions:
 * @max_size: document size limit in bytes, 0 for VIRTKIT_XML_DEFAULT_MAX_SIZE
 * @caps: the capabilities the defaults come from (the guest arch for an
 *        <os><type> without one); NULL means the host's architecture
 * @keep_namespaces: NULL-terminated namespace URIs whose top-level elements
 *        are kept as written; NULL means { VIRTKIT_DOMAIN_QEMU_NS } so
 *        <qemu:commandline> survives; pass an empty list to keep none.
 *        Elements of other namespaces are dropped with a warning (refused
 *        with VIR_DOMAIN_DEFINE_VALIDATE)
 *
 * Since: 0.1.0
 */
typedef struct _virtkitDomainParseOptions {
    gsize max_size;
    const virtkitCaps *caps;
    const char *const *keep_namespaces;
} virtkitDomainParseOptions;

#define VIRTKIT_DOMAIN_QEMU_NS "http://libvirt.org/schemas/domain/qemu/1.0"

/**
 * virtkitDomainDefParseString:
 * @xml: the domain definition
 * @opts: options, may be NULL
 * @flags: VIR_DOMAIN_DEFINE_VALIDATE: refuse anything the model does not
 *         know (VIR_ERR_XML_INVALID_SCHEMA naming it); without it, unknown
 *         elements and attributes are dropped with a logged warning
 * @error: return location for a GError
 *
 * Returns: (transfer full): the definition, or NULL with @error set.
 * Since: 0.1.0
 */
virtkitDomainDef *virtkitDomainDefParseString(const char *xml,
                                              const virtkitDomainParseOptions *opts,
                                              unsigned int flags, GError **error);
/* A definition is reference counted: virtkitDomainDefRef takes a
 * reference (returning @def), virtkitDomainDefFree drops one and frees the
 * definition with the last (NULL is ignored).  Counting is atomic; the
 * holders of a shared definition only read it, so a plugin can keep one
 * alive to format or copy it with its own lock released.  A new, copied or
 * parsed definition has one reference.  Since: 0.1.0 */
virtkitDomainDef *virtkitDomainDefRef(virtkitDomainDef *def);
void virtkitDomainDefFree(virtkitDomainDef *def);
virtkitDomainDef *virtkitDomainDefCopy(const virtkitDomainDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virtkitDomainDef, virtkitDomainDefFree)

/**
 * virtkitDomainDefFormat:
 * @def: the definition
 * @flags: virDomainXMLFlags; VIR_DOMAIN_XML_SECURE includes graphics
 *         passwords, which are left out otherwise
 *
 * Returns: (transfer full): the XML, newline-terminated, as libvirt 9.0
 * formats it.
 * Since: 0.1.0
 */
char *virtkitDomainDefFormat(const virtkitDomainDef *def, unsigned int flags);

/**
 * virtkitDomainDefFormatID:
 * @def: the definition (not changed)
 * @flags: as for virtkitDomainDefFormat
 * @id: the root's id attribute in the output; negative: none
 *
 * virtkitDomainDefFormat of @def with its root's id attribute set to @id
 * (or removed), without copying @def.
 *
 * Returns: (transfer full): the XML.
 * Since: 0.1.0
 */
char *virtkitDomainDefFormatID(const virtkitDomainDef *def, unsigned int flags, int id);

/* The warnings the last parse logged ("unknown element <poll> in ..."),
 * NULL-terminated, owned by @def. */
const char *const *virtkitDomainDefGetWarnings(const virtkitDomainDef *def);

/* A number no other definition of this process has had: given when @def
 * is parsed or copied, and again by every virtkitDomainDefSet* and
 * virtkitDomainDefAssignIfnames, so a cache of what the typed accessors
 * read can tell a changed or new definition (even at an old one's
 * address) from the one it was built from.  Edits made through the tree
 * (virtkitDomainDefGetRoot, virtkitDomainDefGetDevices) keep the serial:
 * a cache must not hold what such edits change. */
guint64 virtkitDomainDefGetSerial(const virtkitDomainDef *def);

/* The tree: read or change anything; call virtkitDomainDefFormat after.
 * (The formatter sorts a tree handed out here again, at every format: a
 * caller that only reads it takes virtkitDomainDefPeekRoot.) */
virtkitXmlNode *virtkitDomainDefGetRoot(virtkitDomainDef *def);
/* The tree, to read only. */
const virtkitXmlNode *virtkitDomainDefPeekRoot(const virtkitDomainDef *def);

/* ---- typed accessors (borrowed strings) -------------------------------- */
const char *virtkitDomainDefGetType(const virtkitDomainDef *def);
const char *virtkitDomainDefGetName(const virtkitDomainDef *def);
void virtkitDomainDefSetName(virtkitDomainDef *def, const char *name);
void virtkitDomainDefGetUUID(const virtkitDomainDef *def, unsigned char uuid[16]);
void virtkitDomainDefSetUUID(virtkitDomainDef *def, const unsigned char uuid[16]);
const char *virtkitDomainDefGetTitle(const virtkitDomainDef *def);
void virtkitDomainDefSetTitle(virtkitDomainDef *def, const char *title);
const char *virtkitDomainDefGetDescription(const virtkitDomainDef *def);
void virtkitDomainDefSetDescription(virtkitDomainDef *def, const char *description);
/* <memory>, <currentMemory>, <maxMemory> in KiB (0 when absent). */
guint64 virtkitDomainDefGetMemory(const virtkitDomainDef *def);
void virtkitDomainDefSetMemory(virtkitDomainDef *def, guint64 kib);
guint64 virtkitDomainDefGetCurrentMemory(const virtkitDomainDef *def);
void virtkitDomainDefSetCurrentMemory(virtkitDomainDef *def, guint64 kib);
guint64 virtkitDomainDefGetMaxMemory(const virtkitDomainDef *def);
/* <vcpu>: the maximum, and the current count ('current' or the maximum). */
guint virtkitDomainDefGetVcpusMax(const virtkitDomainDef *def);
guint virtkitDomainDefGetVcpus(const virtkitDomainDef *def);
void virtkitDomainDefSetVcpus(virtkitDomainDef *def, guint current, guint max);
const char *virtkitDomainDefGetOSType(const virtkitDomainDef *def);
const char *virtkitDomainDefGetArch(const virtkitDomainDef *def);
const char *virtkitDomainDefGetMachine(const virtkitDomainDef *def);
/* <on_poweroff>, <on_reboot>, <on_crash>, <on_lockfailure> by name. */
const char *virtkitDomainDefGetLifecycleAction(const virtkitDomainDef *def, const char *event);

/* The device elements called @kind ("disk", "interface", ...), in order,
 * to read only (change them through virtkitDomainDefGetRoot's tree); free
 * the array only (g_ptr_array_unref). */
GPtrArray *virtkitDomainDefGetDevices(const virtkitDomainDef *def, const char *kind);

/* <metadata> child in namespace @uri, formatted; NULL when absent. */
char *virtkitDomainDefGetMetadata(const virtkitDomainDef *def, const char *uri);

/**
 * virtkitDomainDefAssignIfnames:
 * @def: the definition
 * @prefix: e.g. "testnet" (libvirt's test driver) or "vnet"
 * @counter: in/out, the next number to use
 *
 * Gives every <interface> without <target dev> the name @prefix@counter,
 * as libvirt's drivers do when they define or start a domain.
 *
 * Since: 0.1.0
 */
void virtkitDomainDefAssignIfnames(virtkitDomainDef *def, const char *prefix, guint *counter);

G_END_DECLS

#endif /* VIRTKIT_CONF_DOMAIN_H */
