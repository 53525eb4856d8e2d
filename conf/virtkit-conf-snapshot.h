/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * virtkit-conf-snapshot.h: domain snapshots for plugins: the <domainsnapshot>
 * XML model (parse, check, format as libvirt 9.0 formats it) and the
 * snapshot tree every snapshot-capable plugin keeps per domain (parents,
 * children, the current snapshot, libvirt's list filters, deletion with
 * re-parenting).
 *
 * Errors come back as GError in VIRTKIT_CONF_ERROR with virErrorNumber
 * codes, as everywhere in libvirtkit-conf.
 *
 * Thread rules: none of this locks; a plugin holds its own lock around a
 * domain's tree.
 */
#ifndef VIRTKIT_CONF_SNAPSHOT_H
#define VIRTKIT_CONF_SNAPSHOT_H

#include <glib.h>

#include "virtkit-conf-domain.h"

G_BEGIN_DECLS

/* One <disk> of a snapshot. */
typedef struct _virtkitSnapshotDisk {
    char *name;            /* the domain disk's target ("vda") or source path */
    char *snapshot;        /* "no", "internal", "external" or "manual" */
    char *source_file;     /* external: the new overlay, NULL otherwise */
    char *driver_type;     /* external: its format ("qcow2"), may be NULL */
} virtkitSnapshotDisk;

typedef struct _virtkitSnapshotDef {
    char *name;
    char *description;
    char *state;           /* "running", "paused", "shutoff", "disk-snapshot", ... */
    char *parent;          /* NULL for a root */
    gint64 creation_time;  /* seconds since the epoch */
    char *memory;          /* "no", "internal" or "external"; NULL: not given */
    char *memory_file;     /* external memory: where it goes */
    GPtrArray *disks;      /* virtkitSnapshotDisk *, in domain disk order once aligned */
    virtkitDomainDef *dom; /* the inactive definition it was taken from; NULL if not given */
} virtkitSnapshotDef;

/* Parse flags. */
typedef enum {
    /* A redefinition (VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE): creationTime and
     * the embedded <domain> must be there, as libvirt 9.0 requires. */
    VIRTKIT_SNAPSHOT_PARSE_REDEFINE = 1 << 0,
} virtkitSnapshotParseFlags;

/**
 * virtkitSnapshotDefParseString:
 * @xml: a <domainsnapshot> document
 * @flags: virtkitSnapshotParseFlags
 * @error: return location for a GError
 *
 * Reads the document.  Values a caller left out stay NULL/0: the plugin
 * fills name, state, creation time and the domain, then aligns the disks.
 *
 * Returns: (transfer full): the definition, or NULL with @error set
 * (VIR_ERR_XML_ERROR for a wrong root or a malformed document, with libvirt's
 * wording; VIR_ERR_XML_DETAIL for bad values; VIR_ERR_INTERNAL_ERROR for a
 * redefinition missing creationTime or domain, as libvirt reports them).
 */
virtkitSnapshotDef *virtkitSnapshotDefParseString(const char *xml, unsigned int flags,
                                                  GError **error);
void virtkitSnapshotDefFree(virtkitSnapshotDef *def);
virtkitSnapshotDef *virtkitSnapshotDefCopy(const virtkitSnapshotDef *def);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virtkitSnapshotDef, virtkitSnapshotDefFree)

/**
 * virtkitSnapshotDefAlignDisks:
 * @def: the snapshot
 * @dom: the domain definition the snapshot is taken of
 * @default_snapshot: what a disk the document leaves out gets ("internal"
 *                    for a full snapshot, "external" for a disk-only one)
 *
 * Matches every <disk> of @def to a disk of @dom by target or source path
 * (each at most once; names become targets), gives the domain's other disks
 * @default_snapshot (external ones get "<source>.<snapshot name>" as file),
 * and orders the list as the domain's disks.  Disks that are not
 * snapshot-able (cdrom, floppy, read-only) default to "no".
 *
 * Returns: TRUE, or FALSE with @error set (VIR_ERR_CONFIG_UNSUPPORTED naming
 * an unknown or repeated disk).
 */
gboolean virtkitSnapshotDefAlignDisks(virtkitSnapshotDef *def, const virtkitDomainDef *dom,
                                      const char *default_snapshot, GError **error);

/* Whether any disk (or the memory) is snapshotted externally. */
gboolean virtkitSnapshotDefIsExternal(const virtkitSnapshotDef *def);

/**
 * virtkitSnapshotDefFormat:
 * @def: the snapshot
 * @flags: VIR_DOMAIN_SNAPSHOT_XML_SECURE passes VIR_DOMAIN_XML_SECURE to the
 *         embedded domain
 *
 * Returns: (transfer full): the XML as libvirt 9.0 formats it.
 */
char *virtkitSnapshotDefFormat(const virtkitSnapshotDef *def, unsigned int flags);

/* ------------------------------------------------------------------ tree */

typedef struct _virtkitSnapshotTree virtkitSnapshotTree;

virtkitSnapshotTree *virtkitSnapshotTreeNew(void);
void virtkitSnapshotTreeFree(virtkitSnapshotTree *tree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virtkitSnapshotTree, virtkitSnapshotTreeFree)

/* Number of snapshots. */
guint virtkitSnapshotTreeSize(const virtkitSnapshotTree *tree);

/* The snapshot called @name (borrowed), or NULL. */
virtkitSnapshotDef *virtkitSnapshotTreeFind(const virtkitSnapshotTree *tree, const char *name);

/**
 * virtkitSnapshotTreeAdd:
 * Takes @def (its parent, if set, must be in the tree; a name already there
 * is refused with VIR_ERR_OPERATION_FAILED "domain moment NAME already
 * exists", libvirt's words).  A redefinition may replace an existing
 * snapshot of the same name: pass @replace.
 */
gboolean virtkitSnapshotTreeAdd(virtkitSnapshotTree *tree, virtkitSnapshotDef *def,
                                gboolean replace, GError **error);

/* The current snapshot's name (borrowed), or NULL; set it (NULL clears). */
const char *virtkitSnapshotTreeGetCurrent(const virtkitSnapshotTree *tree);
void virtkitSnapshotTreeSetCurrent(virtkitSnapshotTree *tree, const char *name);

/**
 * virtkitSnapshotTreeDelete:
 * @tree: the tree
 * @name: an existing snapshot
 * @flags: VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN (it and every descendant) or
 *         _CHILDREN_ONLY (only the descendants); otherwise only @name, its
 *         children re-parented to its parent.
 *
 * When the current snapshot goes: with CHILDREN_ONLY @name becomes current;
 * with a plain delete or CHILDREN, @name's parent does (none for a root).
 * Returns: the names deleted (transfer full), in no particular order.
 */
GPtrArray *virtkitSnapshotTreeDelete(virtkitSnapshotTree *tree, const char *name,
                                     unsigned int flags);

/**
 * virtkitSnapshotTreeList:
 * @tree: the tree
 * @from: NULL for the whole domain, or a snapshot whose children (with
 *        VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS: descendants) are listed
 * @flags: virDomainSnapshotListFlags, with libvirt's meaning; ROOTS is
 *         ignored when @from is set (as DESCENDANTS is at the top level,
 *         where every snapshot descends from a root)
 *
 * Returns: (transfer full): the matching names (borrowed strings) in the
 * order libvirt 9.0 lists them (see conf-snapshot.c); parents before
 * children with TOPOLOGICAL or DESCENDANTS.
 */
GPtrArray *virtkitSnapshotTreeList(const virtkitSnapshotTree *tree, const char *from,
                                   unsigned int flags);

G_END_DECLS

#endif /* VIRTKIT_CONF_SNAPSHOT_H */
