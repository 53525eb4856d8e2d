/*
 * qemu-caps.h: what a QEMU binary can do, asked of QEMU itself over QMP
 * (query-version, query-target, query-machines, query-cpu-definitions,
 * query-kvm, query-qmp-schema) and cached on disk.
 *
 * The probe starts the binary with '-machine none -S' and a monitor on a
 * socketpair (no path, nothing to clean up), under TCG and, when /dev/kvm
 * can be opened, once more under KVM to see whether KVM initialises.  The
 * result is cached as JSON in CACHEDIR/capabilities/SHA256(path).json,
 * keyed by the binary's path, size and mtime (nanoseconds), the plugin's
 * version and the cache format: a cache entry whose key differs from the
 * binary as it is now, or that does not parse, is probed again and
 * rewritten (atomically).
 *
 * Thread rules: a qemuCaps is immutable once returned; share it with
 * qemuCapsRef.  qemuCapsLookup may run in several threads at once (two may
 * probe the same binary; the last rename wins, both results are equal).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef QEMU_CAPS_H
#define QEMU_CAPS_H

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* Bumped whenever what the cache holds changes. */
#define QEMU_CAPS_CACHE_FORMAT 1
/* A cache file larger than this is not read (a probe is a few tens of KiB). */
#define QEMU_CAPS_CACHE_MAX_BYTES (4 * 1024 * 1024)

typedef struct _qemuCapsMachine {
    char *name;              /* "pc-i440fx-7.2" */
    char *alias;             /* "pc", may be NULL */
    guint max_cpus;
    gboolean is_default;
    gboolean deprecated;
} qemuCapsMachine;

typedef struct _qemuCapsCPUModel {
    char *name;
    gboolean usable;         /* under TCG: no unavailable-features */
} qemuCapsCPUModel;

typedef struct _qemuCaps {
    gint refs;
    /* the key */
    char *binary;
    guint64 size;
    gint64 mtime_ns;
    /* the answers */
    guint version;           /* major * 1000000 + minor * 1000 + micro */
    char *package;           /* "Debian 1:7.2+dfsg-7+deb12u18+b3" */
    char *arch;              /* query-target: "x86_64" */
    gboolean kvm_present;    /* query-kvm under TCG: QEMU has KVM support built in */
    gboolean kvm_initialises; /* a QEMU started with -accel kvm said enabled */
    GPtrArray *machines;     /* qemuCapsMachine *, as QEMU lists them */
    GPtrArray *cpu_models;   /* qemuCapsCPUModel *, as QEMU lists them */
    GHashTable *commands;    /* QMP command names (query-qmp-schema) -> themselves */
    GHashTable *events;      /* QMP event names */
    /* how this one was had (not in the cache file) */
    gboolean probed;         /* TRUE: QEMU was run for it; FALSE: read from the cache */
    double probe_ms;         /* how long the probe or the cache read took */
} qemuCaps;

qemuCaps *qemuCapsRef(qemuCaps *caps);
void qemuCapsUnref(qemuCaps *caps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(qemuCaps, qemuCapsUnref)

/*
 * qemuCapsLookup:
 * @cache_dir: the plugin's cache directory (ROOT/cache/qemu); created as needed
 * @binary: the QEMU binary's absolute path
 * @current: (nullable): what the caller holds already; returned (a new
 *           reference) when its key still matches the binary
 * @error: G_FILE_ERROR when the binary cannot be checked (missing, not
 *         executable: "Cannot check QEMU binary PATH: REASON", libvirt's
 *         words), G_IO_ERROR when the probe fails (QEMU's own words)
 *
 * The binary's capabilities: @current if it is still valid, else the cache
 * file if its key matches, else a fresh probe (written to the cache; a
 * cache that cannot be written is not fatal).  @log (nullable) hears why
 * a cache was not used (@warning FALSE) and why one was not written
 * (@warning TRUE).
 *
 * Returns: (transfer full): the capabilities, or NULL with @error set.
 */
qemuCaps *qemuCapsLookup(const char *cache_dir, const char *binary, qemuCaps *current,
                         void (*log)(gboolean warning, const char *msg), GError **error);

/* The cache file of @binary under @cache_dir (g_free it). */
char *qemuCapsCachePath(const char *cache_dir, const char *binary);

/* The machine @name names (itself or an alias), NULL when QEMU has none;
 * @name NULL: the default machine. */
const qemuCapsMachine *qemuCapsFindMachine(const qemuCaps *caps, const char *name);

/* Whether QEMU has the QMP command @name. */
gboolean qemuCapsHasCommand(const qemuCaps *caps, const char *name);

G_END_DECLS

#endif /* QEMU_CAPS_H */
