/*
 * virtkit-plugin.h: the one contract between the virtkit core and a driver
 * plugin.  A third party reads this header (and the operation tables it
 * includes, virtkit-plugin-ops.h) and nothing else; builds with
 * `pkg-config --cflags virtkit-plugin`; and links GLib, libxml2 and its own
 * SDKs, never libvirtkit.  Every service of the core comes in through the
 * host table handed to init().
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * ------------------------------------------------------------------------
 * What a plugin is
 * ------------------------------------------------------------------------
 * A shared module that exports exactly one symbol, virtkitPluginEntry,
 * written by VIRTKIT_PLUGIN_DEFINE(descriptor).  Build everything else with
 * hidden visibility.  Beside the module the plugin ships a key file,
 * NAME.plugin, that lets the core route URIs without loading anything:
 *
 *     [Plugin]
 *     Module=libvirtkit-plugin-NAME      # file name, extension optional
 *     Name=NAME                          # must equal descriptor->name
 *     Schemes=scheme1;scheme2;           # must equal descriptor->uri_schemes
 *     Kind=hypervisor                    # or "secondary"
 *     Stateful=false                     # must match VIRTKIT_PLUGIN_STATEFUL
 *     Embeddable=false                   # must match VIRTKIT_PLUGIN_EMBEDDABLE
 *     AbiMajor=1                         # must equal descriptor->abi_major
 *
 * The descriptor is the authority: when the key file says otherwise the
 * plugin is refused with a message naming both values.
 *
 * Where the core looks: each directory of $VIRTKIT_PLUGIN_DIR (colon
 * separated), then $libdir/virtkit/plugins-<abi major>/, which
 * $VIRTKIT_PLUGIN_SYSTEM_DIR replaces when set (empty: none).  The first
 * plugin of a name wins; later ones are listed as shadowed.
 *
 * ------------------------------------------------------------------------
 * Versions
 * ------------------------------------------------------------------------
 * The core loads a plugin when abi_major equals VIRTKIT_PLUGIN_ABI_MAJOR and
 * abi_minor is not newer than the core's.  Every struct this header defines
 * starts with `size_t struct_size` (set it from sizeof); the core copies
 * min(struct_size, its own sizeof) into zeroed storage, so a table built
 * against an older header reads as NULL past its end.  Tables only grow:
 * fields are appended under a "Since ABI 1.N" comment and never reordered,
 * removed or renumbered; the order is committed in the source tree
 * (plugin-api/abi/: one slot list per minor for the operation tables, one
 * field list for this header's structs) and checked when the core builds.
 * Initialise tables with designated initialisers and
 * tag each line with the group it comes from:
 *
 *     .domainSuspend = myDomainSuspend,   (tagged with comment 1.0)
 *
 * and name each implementation <plugin><Field> (tests/check-plugin-tables.py
 * checks both in this tree).
 *
 * ------------------------------------------------------------------------
 * Lifetime and threads
 * ------------------------------------------------------------------------
 * - The core loads a plugin the first time a URI needs it (or when a tool
 *   asks to list plugins), once per process, and never unloads it.  Loading
 *   is serialised by the core.
 * - init() runs once, right after loading, on the thread that caused the
 *   load, before any other call; it receives the host table (valid until
 *   exit; keep the pointer) and may set *plugin_data.  Returning -1 refuses
 *   the plugin: report why through host->reportError first.
 * - shutdown() runs once at process exit (exit() or a return from main;
 *   not on _exit(), abort() or a fatal signal, and not in a forked child
 *   that calls exit()) for every plugin whose init() succeeded, the last
 *   one loaded first.  It runs on the core's "virtkit-event" thread when
 *   that thread is running, so none of the plugin's timers, I/O watches or
 *   event deliveries on the core's context runs beside it (it may remove
 *   them); otherwise, or if that thread is held up for 5 seconds by a
 *   callback, on the exiting thread.  Application threads may still be
 *   inside table calls at that moment.  So shutdown() is for what must not
 *   outlive the process or be lost with it: stop child processes that
 *   would otherwise be orphaned, flush and close state files, say goodbye
 *   on sockets.  It must return promptly; it must not free memory that a
 *   table call still running could reach (the process is ending anyway),
 *   call exit(), or call libvirtkit's public API; host->log and
 *   host->reportError stay usable.
 * - Table calls arrive on application threads and run concurrently: calls on
 *   different connections at any time, and calls on one connection from
 *   several threads at once.  A plugin protects its own state.
 * - connectOpen() answers VIRTKIT_PLUGIN_OPEN_SUCCESS (the URI is mine and
 *   the connection is open), _DECLINED (not my URI; report nothing) or _ERROR
 *   (mine, and it failed; report why).  connectClose() runs once for every
 *   successful open, when the application's last reference goes.
 * - connectSupportsFeature(conn, feature) answers 1, 0, or -1 with an error
 *   reported; conn is NULL when a tool asks about the plugin itself.
 *
 * ------------------------------------------------------------------------
 * The URI a plugin receives
 * ------------------------------------------------------------------------
 * connectOpen(conn, uri, auth, flags) gets the URI after the core's own
 * work on it: when the application passed NULL or "", the default URI the
 * core chose; and, unless flags has VIR_CONNECT_NO_ALIASES, the target of
 * the uri_aliases entry that matched.  So uri is never NULL and never an
 * alias name; it is the text as written by the application, the
 * environment or the configuration, not normalised, and it parses with
 * GLib's GUri (the core refused it otherwise).  For a hypervisor plugin
 * its scheme, without a "+transport" suffix, is one of
 * descriptor->uri_schemes; a secondary plugin is offered each connection a
 * local hypervisor plugin opened, with that plugin's URI.  A LOCAL_ONLY
 * plugin never receives a URI that names a host or a transport
 * ("test+unix:///default"): the core hands that to the remote plugin, or
 * refuses it when there is none.  flags are
 * the application's, VIR_CONNECT_RO and VIR_CONNECT_NO_ALIASES included.
 * host->connectGetURI(conn) returns the same string, and so does
 * virConnectGetURI().
 *
 * ------------------------------------------------------------------------
 * Which error domain (VIR_FROM_*) to report under
 * ------------------------------------------------------------------------
 * libvirt's virErrorDomain has no value for third-party drivers, and the
 * numbers cross the wire and are compared by scripts, so a plugin never
 * makes one up.  Report under the domain of the hypervisor it drives when
 * libvirt has one (VIR_FROM_QEMU, VIR_FROM_XEN, VIR_FROM_ESX, VIR_FROM_TEST,
 * ...), or under the subsystem an error is about where libvirt's drivers
 * do the same (VIR_FROM_DOMAIN for definition checks, VIR_FROM_STORAGE,
 * VIR_FROM_CONF, VIR_FROM_DOMAIN_SNAPSHOT); a plugin for a hypervisor
 * libvirt has no domain for reports VIR_FROM_NONE.  The host reports a
 * value outside libvirt 9.0's virErrorDomain as VIR_FROM_NONE.
 *
 * ------------------------------------------------------------------------
 * Who checks and who frees
 * ------------------------------------------------------------------------
 * - The core checks handles, NULL arguments, read-only connections and the
 *   flag combinations libvirt refuses before a slot is called.  A plugin
 *   checks only its own flags (VIRTKIT_CHECK_FLAGS refuses unknown ones
 *   with libvirt's words), the names and types of the typed parameters it
 *   takes (host->typedParamsValidate against its own table), and its own
 *   semantics.
 * - Services a plugin would otherwise write again come from the host:
 *   configuration files in libvirt's syntax with typed lookups
 *   (host->confReadFile, confGetUInt, ...: qemu.conf-style files), UUID
 *   text (host->uuidParse), typed-parameter arrays, events, handles.
 * - A NULL slot means "not supported": the core reports VIR_ERR_NO_SUPPORT
 *   naming the API.  Never return an error with VIR_ERR_NO_SUPPORT yourself
 *   for a slot you filled.
 * - One slot per operation: the older forms of a call (virDomainCreate,
 *   virDomainSave, virDomainSetMemory, virDomainBlockStats, ...) have no
 *   slot; the core carries them out through the newest form's slot with
 *   libvirt's defaults (the slot's comment in virtkit-plugin-ops.h lists
 *   them).  Fill the newest slot and every form works.
 * - Results: strings (char *) and arrays a slot returns are allocated with
 *   GLib (g_malloc, g_strdup) and freed by the core or the application
 *   (GLib's allocator is libc's).  Object handles are made with the host's
 *   constructors (host->domainNew, ...) and returned as new references.
 * - Errors: report with host->reportError (or VIRTKIT_PLUGIN_REPORT) and
 *   return the API's failure value.  The core dispatches the error once.
 * - Typed-parameter getters whose caller passes a buffer have slots that
 *   return every entry in a new array (see virtkit-plugin-ops.h); the core
 *   applies libvirt's nparams rules.  When the plugin answers yes to
 *   VIRTKIT_DRV_FEATURE_TYPED_PARAM_STRING, getters are called with
 *   VIR_TYPED_PARAM_STRING_OKAY in flags whatever the caller passed, their
 *   string entries reach the caller (libvirt's rule), and setters may
 *   receive strings.  A plugin that answers no never gets STRING_OKAY in
 *   flags (the core clears it), so refusing it as an unknown flag is safe,
 *   and should return no string entries.  virDomainGetSchedulerParameters
 *   (no flags argument) reaches the Flags slot with flags 0 and never
 *   returns strings.
 */
#ifndef VIRTKIT_PLUGIN_H
# define VIRTKIT_PLUGIN_H

# include <stdarg.h>
# include <stdbool.h>
# include <stddef.h>
# include <stdint.h>

# include <virtkit/virtkit.h>

# ifdef __cplusplus
extern "C" {
# endif

/* What connectOpen answers (the return type of the connectOpen slots in
 * virtkit-plugin-ops.h, hence declared before it). */
typedef enum {
    VIRTKIT_PLUGIN_OPEN_SUCCESS = 0,
    VIRTKIT_PLUGIN_OPEN_DECLINED = 1,
    VIRTKIT_PLUGIN_OPEN_ERROR = 2,
} virtkitPluginOpenStatus;

# ifdef __cplusplus
}
# endif

# include <virtkit/virtkit-plugin-ops.h>

# ifdef __cplusplus
extern "C" {
# endif

# define VIRTKIT_PLUGIN_ABI_MAJOR 1
# define VIRTKIT_PLUGIN_ABI_MINOR 0

/* The symbol every plugin exports, and its type. */
# define VIRTKIT_PLUGIN_ENTRY_SYMBOL "virtkitPluginEntry"

typedef struct _virtkitPluginDescriptor virtkitPluginDescriptor;
typedef const virtkitPluginDescriptor *(*virtkitPluginEntryFunc)(void);

/**
 * VIRTKIT_PLUGIN_DEFINE:
 * @desc: the plugin's static const virtkitPluginDescriptor
 *
 * Writes virtkitPluginEntry, the plugin's only exported symbol.
 */
# define VIRTKIT_PLUGIN_DEFINE(desc) \
    __attribute__((visibility("default"))) const virtkitPluginDescriptor *virtkitPluginEntry(void); \
    __attribute__((visibility("default"))) const virtkitPluginDescriptor *virtkitPluginEntry(void) \
    { \
        return &(desc); \
    }

/* Descriptor flags. */
typedef enum {
    VIRTKIT_PLUGIN_STATEFUL = 1 << 0,    /* keeps host-wide state: belongs in virtkitd */
    VIRTKIT_PLUGIN_LOCAL_ONLY = 1 << 1,  /* drives this host only: no URI with a host or transport */
    VIRTKIT_PLUGIN_REMOTE_ONLY = 1 << 2, /* reaches other hosts only */
    VIRTKIT_PLUGIN_SECONDARY = 1 << 3,   /* attaches to local connections; claims no scheme */
    VIRTKIT_PLUGIN_EMBEDDABLE = 1 << 4,  /* stateful, but some URIs run in-process */
} virtkitPluginFlags;

/*
 * The connection features the core asks a plugin about, with libvirt's
 * numbers: they cross the wire (REMOTE_PROC_CONNECT_SUPPORTS_FEATURE), so
 * they are libvirt's VIR_DRV_FEATURE_* values, which libvirt keeps private
 * to its drivers.  One list, VIRTKIT_DRV_FEATURES(X), makes the enum here
 * and the name table behind virtkitDrvFeatureName() (virtkit-own.h), so the
 * core, vksh and plugins cannot disagree.  Since ABI 1.0.
 */
# define VIRTKIT_DRV_FEATURES(X) \
    X(MIGRATION_V1, 1) \
    X(REMOTE, 2) \
    X(MIGRATION_V2, 3) \
    X(MIGRATION_P2P, 4) \
    X(MIGRATION_DIRECT, 5) \
    X(MIGRATION_V3, 6) \
    X(MIGRATE_CHANGE_PROTECTION, 7) \
    X(FD_PASSING, 8) \
    X(TYPED_PARAM_STRING, 9) \
    X(PROGRAM_KEEPALIVE, 10) \
    X(XML_MIGRATABLE, 11) \
    X(MIGRATION_OFFLINE, 12) \
    X(MIGRATION_PARAMS, 13) \
    X(REMOTE_EVENT_CALLBACK, 14) \
    X(REMOTE_CLOSE_CALLBACK, 15) \
    X(NETWORK_UPDATE_HAS_CORRECT_ORDER, 16)

typedef enum {
# define VIRTKIT_DRV_FEATURE_ENUM_(name, num) VIRTKIT_DRV_FEATURE_##name = num,
    VIRTKIT_DRV_FEATURES(VIRTKIT_DRV_FEATURE_ENUM_)
# undef VIRTKIT_DRV_FEATURE_ENUM_
    VIRTKIT_DRV_FEATURE_LAST_KNOWN = 16,
} virtkitDrvFeature;

/* Log priorities for host->log. */
typedef enum {
    VIRTKIT_LOG_DEBUG = 1,
    VIRTKIT_LOG_INFO = 2,
    VIRTKIT_LOG_WARN = 3,
    VIRTKIT_LOG_ERROR = 4,
} virtkitLogPriority;

/*
 * virtkitDomainEvent: one domain event a plugin emits through
 * host->domainEventEmit.  Which fields count depends on event_id (libvirt's
 * virDomainEventID); the others stay zero.  The core copies what it needs
 * before domainEventEmit returns.
 *
 *   LIFECYCLE           event, detail (virDomainEventType and its detail enum)
 *   REBOOT              -
 *   RTC_CHANGE          llong (utc offset)
 *   WATCHDOG            event (action)
 *   IO_ERROR            str1 (source path), str2 (device alias), event (action)
 *   IO_ERROR_REASON     str1, str2, event (action), str3 (reason)
 *   CONTROL_ERROR       -
 *   BLOCK_JOB(_2)       str1 (disk path, or target for _2), event (type), detail (status)
 *   DISK_CHANGE         str1 (old source), str2 (new source), str3 (alias), event (reason)
 *   TRAY_CHANGE         str1 (alias), event (reason)
 *   PMWAKEUP, PMSUSPEND, PMSUSPEND_DISK   event (reason)
 *   BALLOON_CHANGE      ullong (actual, KiB)
 *   DEVICE_REMOVED, DEVICE_ADDED, DEVICE_REMOVAL_FAILED   str1 (alias)
 *   TUNABLE, JOB_COMPLETED   params, nparams
 *   AGENT_LIFECYCLE     event (state), detail (reason)
 *   MIGRATION_ITERATION event (iteration)
 *   METADATA_CHANGE     event (type), str1 (namespace URI or NULL)
 *   BLOCK_THRESHOLD     str1 (dev), str2 (path), ullong (threshold), ullong2 (excess)
 *   MEMORY_FAILURE      event (recipient), detail (action), flags
 *   MEMORY_DEVICE_SIZE_CHANGE   str1 (alias), ullong (size)
 *
 * GRAPHICS events are not carried (no plugin produces them yet).
 */
typedef struct _virtkitDomainEvent {
    size_t struct_size;
    int event_id;

    /* Since ABI 1.0 */
    int event;
    int detail;
    unsigned int flags;
    long long llong;
    unsigned long long ullong;
    unsigned long long ullong2;
    const char *str1;
    const char *str2;
    const char *str3;
    virTypedParameterPtr params;
    int nparams;
} virtkitDomainEvent;

/*
 * virtkitTypedParamSpec: one entry of a plugin's table of the typed
 * parameters a call takes, for host->typedParamsValidate.  Write entries
 * with VIRTKIT_TYPED_PARAM_SPEC (the element size the core steps by is
 * the first entry's struct_size).
 */
typedef struct _virtkitTypedParamSpec {
    size_t struct_size;

    /* Since ABI 1.0 */
    const char *field;          /* the parameter's name */
    int type;                   /* VIR_TYPED_PARAM_* it must have */
    unsigned int flags;         /* VIRTKIT_TYPED_PARAM_MULTIPLE: may repeat */
} virtkitTypedParamSpec;

/* The parameter may appear more than once (libvirt's
 * VIR_TYPED_PARAM_MULTIPLE), e.g. a list of strings. */
# define VIRTKIT_TYPED_PARAM_MULTIPLE (1U << 0)

# define VIRTKIT_TYPED_PARAM_SPEC(field, type) \
    { sizeof(virtkitTypedParamSpec), (field), (type), 0 }
# define VIRTKIT_TYPED_PARAM_SPEC_MULTIPLE(field, type) \
    { sizeof(virtkitTypedParamSpec), (field), (type), VIRTKIT_TYPED_PARAM_MULTIPLE }

/*
 * virtkitConfFile: a configuration file in libvirt's syntax, parsed by the
 * core's own reader (the one that reads virtkit.conf), immutable once read
 * (any thread may look values up).  The syntax:
 *
 *     # a comment                      strings: "...", '...' or """...""" (multi-line)
 *     log_level = 3                    integers, optionally signed (64-bit)
 *     vnc_listen = "0.0.0.0"           booleans are the integers 0 and 1
 *     cgroup_controllers = [ "cpu", "memory", ]     lists may span lines
 *     a = 1; b = 2                     ';' separates settings on one line
 *
 * Names are a letter, then letters, digits and '_'; when one is set twice
 * the first setting wins (a warning is logged).  Files over 10 MiB are
 * refused.  Every error names the file and line (and column, for syntax)
 * and the key: "/etc/virtkit/qemu.conf:12: the value of 'max_files' is -1,
 * outside its range 0 to 4294967295".  Unknown keys are the plugin's
 * business: libvirt's drivers ignore them.
 */
typedef struct _virtkitConfFile virtkitConfFile;

/* host->confReadFile flags. */
typedef enum {
    /* A file that does not exist reads as one with no settings. */
    VIRTKIT_CONF_MISSING_OK = 1 << 0,
} virtkitConfFlags;

/*
 * virtkitPluginHost: the core's services, filled by the core and handed to
 * init().  Valid for the life of the process; callable from any thread.
 * A field from a group newer than ABI 1.0 may be missing in an older core:
 * test VIRTKIT_HOST_HAS(host, field) before calling it.
 */
typedef struct _virtkitPluginHost {
    size_t struct_size;
    uint32_t abi_major;         /* the core's ABI */
    uint32_t abi_minor;

    /* Since ABI 1.0 */

    /* Sets the calling thread's last error (libvirt's virErrorDomain and
     * virErrorNumber values); the message is the code's standard prefix
     * followed by the formatted detail.  The core dispatches it once. */
    void (*reportError)(int from, int code, const char *file, const char *func,
                        int line, const char *fmt, ...)
        __attribute__((format(printf, 6, 7)));
    /* Whether a message at @priority for @module would be logged: check it
     * before formatting anything costly. */
    bool (*logEnabled)(int priority, const char *module);
    void (*log)(int priority, const char *module, const char *file, int line,
                const char *func, const char *fmt, ...)
        __attribute__((format(printf, 6, 7)));

    /* Object constructors: new references the plugin returns from lookups.
     * NULL with an error reported on bad arguments. */
    virDomainPtr (*domainNew)(virConnectPtr conn, const char *name,
                              const unsigned char *uuid, int id);
    virDomainSnapshotPtr (*snapshotNew)(virDomainPtr domain, const char *name);
    virStoragePoolPtr (*poolNew)(virConnectPtr conn, const char *name,
                                 const unsigned char *uuid);
    virStorageVolPtr (*volNew)(virConnectPtr conn, const char *pool, const char *name,
                               const char *key);

    /* Reading handles (plugins do not link libvirtkit's accessors).  The
     * strings belong to the handle. */
    const char *(*domainGetName)(virDomainPtr domain);
    void (*domainGetUUID)(virDomainPtr domain, unsigned char *uuid);
    int (*domainGetID)(virDomainPtr domain);
    virConnectPtr (*domainGetConnect)(virDomainPtr domain);
    const char *(*snapshotGetName)(virDomainSnapshotPtr snapshot);
    virDomainPtr (*snapshotGetDomain)(virDomainSnapshotPtr snapshot);
    const char *(*poolGetName)(virStoragePoolPtr pool);
    void (*poolGetUUID)(virStoragePoolPtr pool, unsigned char *uuid);
    const char *(*volGetName)(virStorageVolPtr vol);
    const char *(*volGetKey)(virStorageVolPtr vol);
    const char *(*volGetPool)(virStorageVolPtr vol);
    const char *(*connectGetURI)(virConnectPtr conn);
    bool (*connectIsReadOnly)(virConnectPtr conn);

    /* Per-connection private data, one slot per plugin (by descriptor
     * name), so a secondary plugin keeps its own beside the hypervisor's. */
    void *(*connectGetPrivate)(virConnectPtr conn, const char *plugin);
    void (*connectSetPrivate)(virConnectPtr conn, const char *plugin, void *data);
    /* A stream's data for its plugin.  free_fn (may be NULL) runs with
     * @data once: when the stream's last reference goes (virStreamFree, on
     * the thread that drops it), or when a later streamSetPrivate replaces
     * @data.  Set it in the call that makes the stream, before returning;
     * the pair is not synchronised against concurrent setters. */
    void *(*streamGetPrivate)(virStreamPtr stream);
    void (*streamSetPrivate)(virStreamPtr stream, void *data, void (*free_fn)(void *data));

    /* Typed parameters: append an entry (the value is read as the type
     * says: int, unsigned int, long long, unsigned long long, double, int
     * for booleans, const char * for strings); free an array. */
    int (*typedParamsAdd)(virTypedParameterPtr *params, int *nparams, int *maxparams,
                          const char *name, int type, ...);
    void (*typedParamsFree)(virTypedParameterPtr params, int nparams);

    /* UUIDs.  uuidParse takes libvirt's text forms (virUUIDParse's rules:
     * leading whitespace, then 32 hex digits with any '-' or ' ' between
     * pairs, then only whitespace) and returns 0, or -1 for anything else;
     * libvirtkit-conf's virtkitUUIDParse is the same parser.  uuidFormat
     * writes 36 characters + NUL (VIR_UUID_STRING_BUFLEN). */
    int (*uuidParse)(const char *text, unsigned char *uuid);
    void (*uuidFormat)(const unsigned char *uuid, char *buf);

    /* The core's own GLib main context (a GMainContext *), run on the
     * core's "virtkit-event" thread: attach timers and I/O sources there.
     * Never unref it. */
    struct _GMainContext *(*mainContext)(void);
    /* Delivers an application callback (an event): from the application's
     * event loop when it registered one (virEventRegisterDefaultImpl or
     * virEventRegisterImpl), else on the core's thread; never before this
     * returns; in order.  free_fn (may be NULL) runs right after fn. */
    void (*runCallback)(void (*fn)(void *data), void *data, void (*free_fn)(void *data));

    /* Domain events.  domainEventWanted says whether any callback on @conn
     * listens for @event_id (skip building events nobody wants);
     * domainEventEmit queues @ev for every matching callback registered on
     * @conn (by virConnectDomainEventRegister(Any)), delivered as
     * runCallback delivers.  A plugin whose host state is shared by several
     * connections emits once per connection.  Callable from any thread. */
    bool (*domainEventWanted)(virConnectPtr conn, int event_id);
    void (*domainEventEmit)(virConnectPtr conn, virDomainPtr dom, const virtkitDomainEvent *ev);

    /* Releasing handles the plugin made for its own use (one reference
     * each; handles returned to the application are the application's). */
    void (*domainFree)(virDomainPtr domain);
    void (*snapshotFree)(virDomainSnapshotPtr snapshot);
    /* libvirt updates the id of the handle a call was made on (-1 after a
     * stop, the new id after a start); other handles keep theirs. */
    void (*domainSetID)(virDomainPtr domain, int id);
    /* An error with the code's standard text alone ("Domain not found"),
     * where libvirt reports no detail. */
    void (*reportBareError)(int from, int code, const char *file, const char *func, int line);
    /* An error whose message is exactly the formatted text, without the
     * code's prefix: how libvirt words argument checks ("unsupported flags
     * (0x4) in function ...", "Flags 'A' and 'B' are mutually exclusive"). */
    void (*reportRawError)(int from, int code, const char *file, const char *func, int line,
                           const char *fmt, ...) __attribute__((format(printf, 6, 7)));

    /* Checks the typed parameters a call received against @spec, the
     * @nspec names the plugin takes, as libvirt's virTypedParamsValidate
     * does, with its errors (VIR_FROM_NONE): a name not in @spec is
     * VIR_ERR_ARGUMENT_UNSUPPORTED "parameter 'NAME' not supported"; a
     * wrong type VIR_ERR_INVALID_ARG "invalid type 'T' for parameter 'NAME',
     * expected 'T'"; a repeated name without VIRTKIT_TYPED_PARAM_MULTIPLE
     * VIR_ERR_INVALID_ARG "parameter 'NAME' occurs multiple times".  Entries
     * are checked in the order of their names (strcmp), so the error is the
     * one libvirt reports for the same input.  Returns 0, or -1 with the
     * error reported. */
    int (*typedParamsValidate)(const virTypedParameter *params, int nparams,
                               const virtkitTypedParamSpec *spec, size_t nspec);

    /* Configuration files (see virtkitConfFile).  confReadFile: NULL with the
     * error reported (VIR_FROM_CONF: VIR_ERR_CONF_SYNTAX naming file, line
     * and column; VIR_ERR_SYSTEM_ERROR when it cannot be read) unless
     * @flags has VIRTKIT_CONF_MISSING_OK and the file does not exist.
     * confReadString: the same for @text, @name standing for the file in
     * messages.  Free with confFree (NULL is fine). */
    virtkitConfFile *(*confReadFile)(const char *path, unsigned int flags);
    virtkitConfFile *(*confReadString)(const char *text, const char *name);
    void (*confFree)(virtkitConfFile *conf);
    /* Typed lookups.  Each returns 1 and stores the value when @key is set
     * with the right type and in range; 0 when @key is absent (*value
     * untouched); -1 with VIR_ERR_CONF_SYNTAX reported (VIR_FROM_CONF),
     * naming file, line and key, when the value has another type or is out
     * of range.  Strings and lists are new (g_free, g_strfreev); a list
     * must hold strings only.  confGetInt takes [@min, @max], confGetUInt
     * [0, @max] (values up to 2^63-1), confGetBool 0 or 1. */
    int (*confGetString)(const virtkitConfFile *conf, const char *key, char **value);
    int (*confGetStringList)(const virtkitConfFile *conf, const char *key, char ***value);
    int (*confGetInt)(const virtkitConfFile *conf, const char *key, long long min, long long max,
                      long long *value);
    int (*confGetUInt)(const virtkitConfFile *conf, const char *key, unsigned long long max,
                       unsigned long long *value);
    int (*confGetBool)(const virtkitConfFile *conf, const char *key, bool *value);
} virtkitPluginHost;

/*
 * VIRTKIT_HOST_HAS:
 * @host: the const virtkitPluginHost * init() received
 * @field: a field name of virtkitPluginHost
 *
 * True when the core that filled @host has @field: its table is long
 * enough to hold it whole (host->struct_size is the core's sizeof).  A
 * plugin built against a newer header than the core it runs in tests
 * every field newer than the core's abi_minor before using it.
 */
# define VIRTKIT_HOST_HAS(host, field) \
    ((host)->struct_size >= offsetof(virtkitPluginHost, field) + sizeof((host)->field))

/* Reports an error through the host with the caller's position. */
# define VIRTKIT_PLUGIN_REPORT(host, from, code, ...) \
    (host)->reportError((from), (code), __FILE__, __func__, __LINE__, __VA_ARGS__)

/*
 * VIRTKIT_CHECK_FLAGS:
 * @host: the plugin's host table
 * @from: the VIR_FROM_* the plugin reports under
 * @flags: the flags the call received
 * @supported: every flag the call knows
 * @retval: what the calling function returns on failure
 *
 * The first statement of a slot that takes flags: any flag outside
 * @supported makes the enclosing function report libvirt's exact
 * VIR_ERR_INVALID_ARG "unsupported flags (0x%x) in function %s" (the
 * unknown bits, the plugin function's name) and return @retval.
 */
# define VIRTKIT_CHECK_FLAGS(host, from, flags, supported, retval) \
    do { \
        unsigned int virtkitUnknownFlags_ = (unsigned int)(flags) & ~(unsigned int)(supported); \
        if (virtkitUnknownFlags_) { \
            (host)->reportRawError((from), VIR_ERR_INVALID_ARG, __FILE__, __func__, __LINE__, \
                                   "unsupported flags (0x%x) in function %s", \
                                   virtkitUnknownFlags_, __func__); \
            return retval; \
        } \
    } while (0)

/*
 * virtkitPluginDescriptor: what virtkitPluginEntry returns; static const
 * storage in the plugin.
 */
struct _virtkitPluginDescriptor {
    size_t struct_size;
    uint32_t abi_major;                  /* VIRTKIT_PLUGIN_ABI_MAJOR as built */
    uint32_t abi_minor;                  /* VIRTKIT_PLUGIN_ABI_MINOR as built */

    /* Since ABI 1.0 */
    const char *name;                    /* "qemu"; unique; unrelated to the file name */
    const char *version;                 /* the plugin's own release */
    const char *license;                 /* SPDX identifier */
    const char *const *uri_schemes;      /* NULL-terminated; empty for secondary plugins */
    const char *const *vendor_features;  /* dotted names, NULL-terminated; may be NULL */
    uint32_t flags;                      /* virtkitPluginFlags */
    int (*init)(const virtkitPluginHost *host, void **plugin_data);
    void (*shutdown)(void *plugin_data);
    const virtkitHypervisorOps *hypervisor;
    const virtkitStorageOps *storage;
    const virtkitStreamOps *stream;
    /* Since ABI 1.1 -- append below this line only */
};

# ifdef __cplusplus
}
# endif
#endif /* VIRTKIT_PLUGIN_H */
