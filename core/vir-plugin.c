/*
 * vir-plugin.c: finding, routing to and loading driver plugins.
 *
 * Discovery reads key files only (NAME.plugin beside each module); a URI
 * dlopens the one plugin it needs.  Loading goes through libltdl, which is
 * not thread-safe, so every loader call runs under vkPluginLock.  A plugin
 * is loaded once, resolved eagerly and never unloaded.  Every refusal is
 * kept, with its reason and the file's path, and becomes the error of any
 * open that needs that plugin.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#include <dlfcn.h>
#include <ltdl.h>
#include <unistd.h>

#define VK_FROM VIR_FROM_NONE
#define VK_LOG_MODULE "core.plugin"
#include "vk-dispatch.h"
#include "vk-plugin.h"
/* The plugin ABI's committed layout (plugin-api/abi/): the core does not
 * build when a table or a struct of virtkit-plugin.h moves a field. */
#include <virtkit/virtkit-plugin-abi-check.h>
#include "vir-event.h"
#include "vk-domain-event.h"
#include "vk-elf.h"
#include "vk-host-services.h"

typedef enum {
    VK_PLUGIN_FOUND = 0,    /* key file read, module not loaded */
    VK_PLUGIN_LOADED,
    VK_PLUGIN_REFUSED,
    VK_PLUGIN_SHADOWED,     /* a plugin of the same name came first */
} vkPluginState;

typedef struct {
    char *keyfile;          /* path of NAME.plugin */
    char *module;           /* path of the module as the key file names it */
    char *module_file;      /* the file libltdl opened (with its extension), once opened */
    char *name;
    char **schemes;
    bool secondary;
    bool stateful;
    bool embeddable;
    int abi_major;
    bool have_desc_abi;     /* the descriptor was read: the next two are its ABI */
    unsigned int desc_abi_major;
    unsigned int desc_abi_minor;

    vkPluginState state;
    char *reason;           /* why refused / shadowed */
    char *warning;          /* loaded, but with something to say */
    int refused_code;       /* the virErrorNumber of the refusal */

    lt_dlhandle handle;
    virtkitPluginDescriptor desc;   /* the plugin's, copied to full size */
    virtkitHypervisorOps *hv;       /* full-size copies, NULL when absent */
    virtkitStorageOps *storage;
    virtkitStreamOps *stream;
    vkDriverTables tables;
    void *plugin_data;
} vkPlugin;

static GMutex vkPluginLock;
static GPtrArray *vkPlugins;        /* vkPlugin *, discovery order */
static char **vkPluginSearched;     /* the directories that discovery read */
static unsigned int vkPluginLoads;  /* modules dlopened so far */
static bool vkPluginDaemon;
static bool vkPluginLtInit;

/* Plugins whose init succeeded, in that order, for their shutdown at exit.
 * A lock of its own, not vkPluginLock: exit must not wait for a load that
 * another thread is in the middle of (an init that blocks). */
static GMutex vkPluginExitLock;
static GPtrArray *vkPluginInited;   /* vkPlugin * (loaded records are never freed) */
static bool vkPluginExited;
static pid_t vkPluginExitPid;       /* the process that registered the handler */

/* How long exit waits for the core's event thread to take the shutdowns
 * (a callback of its may be running) before running them itself. */
#define VK_PLUGIN_SHUTDOWN_WAIT_US (5 * G_USEC_PER_SEC)

/* ---------------------------------------------------------------- host */

/* A plugin's error domain as it crosses the wire: libvirt 9.0's values only
 * (virtkit-plugin.h says which to use; VIR_FROM_CH is 9.0's last), anything
 * else as VIR_FROM_NONE. */
static int
vkHostFrom(int from)
{
    if (from < VIR_FROM_NONE || from > VIR_FROM_CH) {
        VK_DEBUG("a plugin reported error domain %d, not one of libvirt's; "
                 "reporting it as VIR_FROM_NONE", from);
        return VIR_FROM_NONE;
    }
    return from;
}

static void
vkHostReportError(int from, int code, const char *file, const char *func, int line,
                  const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vkErrorReportFull(vkHostFrom(from), code, file, func, (size_t)line, "%s", msg);
}

static void
vkHostReportRawError(int from, int code, const char *file, const char *func, int line,
                     const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vkErrorReportRawFull(vkHostFrom(from), code, file, func, (size_t)line, "%s", msg);
}

static void
vkHostReportBareError(int from, int code, const char *file, const char *func, int line)
{
    vkErrorReportFull(vkHostFrom(from), code, file, func, (size_t)line, NULL);
}

static void
vkHostDomainSetID(virDomainPtr domain, int id)
{
    domain->id = id;
}

static bool
vkHostLogEnabled(int priority, const char *module)
{
    return vkLogWouldLog((vkLogPriority)priority, module);
}

static void
vkHostLog(int priority, const char *module, const char *file, int line, const char *func,
          const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    if (!vkLogWouldLog((vkLogPriority)priority, module))
        return;
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vkLogMessage((vkLogPriority)priority, module, file, line, func, "%s", msg);
}

static const char *vkHostDomainGetName(virDomainPtr d) { return d->name; }
static void vkHostDomainGetUUID(virDomainPtr d, unsigned char *u) { memcpy(u, d->uuid, VIR_UUID_BUFLEN); }
static int vkHostDomainGetID(virDomainPtr d) { return d->id; }
static virConnectPtr vkHostDomainGetConnect(virDomainPtr d) { return d->conn; }
static const char *vkHostSnapshotGetName(virDomainSnapshotPtr s) { return s->name; }
static virDomainPtr vkHostSnapshotGetDomain(virDomainSnapshotPtr s) { return s->domain; }
static const char *vkHostPoolGetName(virStoragePoolPtr p) { return p->name; }
static void vkHostPoolGetUUID(virStoragePoolPtr p, unsigned char *u) { memcpy(u, p->uuid, VIR_UUID_BUFLEN); }
static const char *vkHostVolGetName(virStorageVolPtr v) { return v->name; }
static const char *vkHostVolGetKey(virStorageVolPtr v) { return v->key; }
static const char *vkHostVolGetPool(virStorageVolPtr v) { return v->pool; }
static const char *vkHostConnectGetURI(virConnectPtr c) { return c->uri; }
static bool vkHostConnectIsReadOnly(virConnectPtr c) { return (c->flags & VIR_CONNECT_RO) != 0; }

static void *
vkHostConnectGetPrivate(virConnectPtr conn, const char *plugin)
{
    void *data = NULL;

    g_mutex_lock(&conn->lock);
    if (conn->privates)
        data = g_hash_table_lookup(conn->privates, plugin);
    g_mutex_unlock(&conn->lock);
    return data;
}

static void
vkHostConnectSetPrivate(virConnectPtr conn, const char *plugin, void *data)
{
    g_mutex_lock(&conn->lock);
    if (!conn->privates)
        conn->privates = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (data)
        g_hash_table_replace(conn->privates, g_strdup(plugin), data);
    else
        g_hash_table_remove(conn->privates, plugin);
    g_mutex_unlock(&conn->lock);
}

static void *vkHostStreamGetPrivate(virStreamPtr st) { return st->private_data; }

static void
vkHostStreamSetPrivate(virStreamPtr st, void *data, void (*free_fn)(void *data))
{
    void *old = st->private_data;
    void (*old_free)(void *data) = st->private_free;

    st->private_data = data;
    st->private_free = free_fn;
    /* Replaced data is released now, not leaked (setting the same pointer
     * again only changes its free function). */
    if (old_free && old != data)
        old_free(old);
}

static int
vkHostTypedParamsAdd(virTypedParameterPtr *params, int *nparams, int *maxparams,
                     const char *name, int type, ...)
{
    va_list ap;
    int ret;

    va_start(ap, type);
    ret = vkTypedParamsAddV(params, nparams, maxparams, name, type, ap);
    va_end(ap);
    return ret;
}

static const virtkitPluginHost vkHost = {
    .struct_size = sizeof(virtkitPluginHost),
    .abi_major = VIRTKIT_PLUGIN_ABI_MAJOR,
    .abi_minor = VIRTKIT_PLUGIN_ABI_MINOR,
    .reportError = vkHostReportError,
    .logEnabled = vkHostLogEnabled,
    .log = vkHostLog,
    .domainNew = vkDomainNew,
    .snapshotNew = vkSnapshotNew,
    .poolNew = vkPoolNew,
    .volNew = vkVolNew,
    .domainGetName = vkHostDomainGetName,
    .domainGetUUID = vkHostDomainGetUUID,
    .domainGetID = vkHostDomainGetID,
    .domainGetConnect = vkHostDomainGetConnect,
    .snapshotGetName = vkHostSnapshotGetName,
    .snapshotGetDomain = vkHostSnapshotGetDomain,
    .poolGetName = vkHostPoolGetName,
    .poolGetUUID = vkHostPoolGetUUID,
    .volGetName = vkHostVolGetName,
    .volGetKey = vkHostVolGetKey,
    .volGetPool = vkHostVolGetPool,
    .connectGetURI = vkHostConnectGetURI,
    .connectIsReadOnly = vkHostConnectIsReadOnly,
    .connectGetPrivate = vkHostConnectGetPrivate,
    .connectSetPrivate = vkHostConnectSetPrivate,
    .streamGetPrivate = vkHostStreamGetPrivate,
    .streamSetPrivate = vkHostStreamSetPrivate,
    .typedParamsAdd = vkHostTypedParamsAdd,
    .typedParamsFree = virTypedParamsFree,
    .uuidParse = vkUUIDParse,
    .uuidFormat = vkUUIDFormat,
    .mainContext = vkEventCoreContext,
    .runCallback = vkEventRunCallback,
    .domainEventWanted = vkDomainEventWanted,
    .domainEventEmit = vkDomainEventEmit,
    .domainFree = vkDomainUnref,
    .snapshotFree = vkDomainSnapshotUnref,
    .domainSetID = vkHostDomainSetID,
    .reportBareError = vkHostReportBareError,
    .reportRawError = vkHostReportRawError,
    .typedParamsValidate = vkHostTypedParamsValidate,
    .confReadFile = vkHostConfReadFile,
    .confReadString = vkHostConfReadString,
    .confFree = vkHostConfFree,
    .confGetString = vkHostConfGetString,
    .confGetStringList = vkHostConfGetStringList,
    .confGetInt = vkHostConfGetInt,
    .confGetUInt = vkHostConfGetUInt,
    .confGetBool = vkHostConfGetBool,
};

const virtkitPluginHost *
vkPluginHost(void)
{
    return &vkHost;
}

/* ------------------------------------------------------------ discovery */

static void
vkPluginFree(vkPlugin *p)
{
    g_free(p->keyfile);
    g_free(p->module);
    g_free(p->module_file);
    g_free(p->name);
    g_strfreev(p->schemes);
    g_free(p->reason);
    g_free(p->warning);
    g_free(p->hv);
    g_free(p->storage);
    g_free(p->stream);
    g_free(p);
}

static void
vkPluginRefuse(vkPlugin *p, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
vkPluginRefuse(vkPlugin *p, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_free(p->reason);
    p->reason = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    p->state = VK_PLUGIN_REFUSED;
    p->refused_code = code;
    /* Info, not a warning: the refusal becomes the error of any open that
     * needs the plugin, and `vksh plugins` shows it; a warning through
     * GLib's writer would be fatal in programs run with fatal warnings. */
    VK_INFO("%s", p->reason);
}

static void
vkPluginDirsAdd(GStrvBuilder *b, const char *list)
{
    g_auto(GStrv) parts = g_strsplit(list, ":", -1);

    for (size_t i = 0; parts[i]; i++)
        if (*parts[i])
            g_strv_builder_add(b, parts[i]);
}

/* The directories searched, in order: $VIRTKIT_PLUGIN_DIR's, then the
 * installed directory, which $VIRTKIT_PLUGIN_SYSTEM_DIR replaces when set
 * (empty: none), as GST_PLUGIN_SYSTEM_PATH does for GStreamer.  A build
 * tree's tests set it empty, so an installed copy of virtkit never shows
 * up as one more plugin in them. */
static char **
vkPluginDirs(void)
{
    const char *env = g_getenv("VIRTKIT_PLUGIN_DIR");
    const char *sys = g_getenv("VIRTKIT_PLUGIN_SYSTEM_DIR");
    g_autoptr(GStrvBuilder) b = g_strv_builder_new();

    if (env)
        vkPluginDirsAdd(b, env);
    if (sys)
        vkPluginDirsAdd(b, sys);
    else
        g_strv_builder_add(b, VIRTKIT_PLUGIN_INSTALL_DIR);
    return g_strv_builder_end(b);
}

static vkPlugin *
vkPluginFindByName(const char *name)
{
    for (guint i = 0; i < vkPlugins->len; i++) {
        vkPlugin *p = g_ptr_array_index(vkPlugins, i);
        if (p->state != VK_PLUGIN_SHADOWED && g_strcmp0(p->name, name) == 0)
            return p;
    }
    return NULL;
}

static void
vkPluginReadKeyFile(const char *dir, const char *fname)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autoptr(GError) gerr = NULL;
    g_autofree char *path = g_build_filename(dir, fname, NULL);
    g_autofree char *kind = NULL;
    g_autofree char *module = NULL;
    vkPlugin *p = g_new0(vkPlugin, 1);
    vkPlugin *first;

    p->keyfile = g_strdup(path);
    g_ptr_array_add(vkPlugins, p);
    if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &gerr)) {
        p->name = g_strndup(fname, strlen(fname) - strlen(".plugin"));
        vkPluginRefuse(p, VIR_ERR_CONF_SYNTAX, "Plugin key file '%s' cannot be read: %s",
                       path, gerr->message);
        return;
    }
    p->name = g_key_file_get_string(kf, "Plugin", "Name", NULL);
    module = g_key_file_get_string(kf, "Plugin", "Module", NULL);
    if (!p->name || !module) {
        if (!p->name)
            p->name = g_strndup(fname, strlen(fname) - strlen(".plugin"));
        vkPluginRefuse(p, VIR_ERR_CONF_SYNTAX,
                       "Plugin key file '%s' lacks the [Plugin] key '%s'",
                       path, module ? "Name" : "Module");
        return;
    }
    p->module = g_path_is_absolute(module) ? g_strdup(module) : g_build_filename(dir, module, NULL);
    p->schemes = g_key_file_get_string_list(kf, "Plugin", "Schemes", NULL, NULL);
    if (!p->schemes)
        p->schemes = g_new0(char *, 1);
    kind = g_key_file_get_string(kf, "Plugin", "Kind", NULL);
    p->secondary = g_strcmp0(kind, "secondary") == 0;
    p->stateful = g_key_file_get_boolean(kf, "Plugin", "Stateful", NULL);
    p->embeddable = g_key_file_get_boolean(kf, "Plugin", "Embeddable", NULL);
    p->abi_major = g_key_file_get_integer(kf, "Plugin", "AbiMajor", NULL);

    if (kind && strcmp(kind, "hypervisor") != 0 && strcmp(kind, "secondary") != 0) {
        vkPluginRefuse(p, VIR_ERR_CONF_SYNTAX,
                       "Plugin key file '%s' says Kind=%s; it must be 'hypervisor' or 'secondary'",
                       path, kind);
        return;
    }
    if ((first = vkPluginFindByName(p->name)) && first != p) {
        p->state = VK_PLUGIN_SHADOWED;
        p->reason = g_strdup_printf("shadowed by '%s', found earlier in the search path",
                                    first->keyfile);
    }
}

static gint
vkStrCompare(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool vkPluginClaims(vkPlugin *p, const char *scheme);

/*
 * Two hypervisor plugins claiming one scheme: both are refused, at
 * discovery, so that `vksh plugins` shows the clash on each of them with its
 * reason (not only an open of the scheme), and neither is loaded for it.
 */
static void
vkPluginRefuseClashes(void)
{
    g_autoptr(GPtrArray) clashing = g_ptr_array_new();
    g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func(g_free);

    for (guint i = 0; i < vkPlugins->len; i++) {
        vkPlugin *p = g_ptr_array_index(vkPlugins, i);

        if (p->secondary || p->state != VK_PLUGIN_FOUND)
            continue;
        for (size_t s = 0; p->schemes && p->schemes[s]; s++) {
            g_autoptr(GPtrArray) claimants = g_ptr_array_new();
            g_autoptr(GString) who = g_string_new(NULL);

            for (guint j = 0; j < vkPlugins->len; j++) {
                vkPlugin *q = g_ptr_array_index(vkPlugins, j);

                if (q->state != VK_PLUGIN_REFUSED && vkPluginClaims(q, p->schemes[s]))
                    g_ptr_array_add(claimants, q);
            }
            for (guint j = 0; j < claimants->len; j++) {
                vkPlugin *q = g_ptr_array_index(claimants, j);

                if (j)
                    g_string_append(who, j + 1 < claimants->len ? ", " : " and ");
                g_string_append_printf(who, "'%s' (%s)", q->name, q->keyfile);
            }
            if (claimants->len > 1) {
                g_ptr_array_add(clashing, p);
                g_ptr_array_add(reasons, g_strdup_printf(
                    "Plugin '%s' is refused: two hypervisor plugins claim the scheme '%s': %s; "
                    "remove one, or give it a scheme of its own", p->name, p->schemes[s],
                    who->str));
                break;
            }
        }
    }
    /* Refused only now: each saw every other claimant while counting. */
    for (guint i = 0; i < clashing->len; i++)
        vkPluginRefuse(g_ptr_array_index(clashing, i), VIR_ERR_NO_CONNECT, "%s",
                       (const char *)g_ptr_array_index(reasons, i));
}

/* Reads every key file once; call with vkPluginLock held. */
static void
vkPluginDiscover(void)
{
    g_auto(GStrv) dirs = NULL;

    if (vkPlugins)
        return;
    vkPlugins = g_ptr_array_new_with_free_func((GDestroyNotify)vkPluginFree);
    dirs = vkPluginDirs();
    g_strfreev(vkPluginSearched);
    vkPluginSearched = g_strdupv(dirs);
    for (size_t d = 0; dirs[d]; d++) {
        g_autoptr(GDir) dir = g_dir_open(dirs[d], 0, NULL);
        g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
        const char *ent;

        if (!dir)
            continue;
        while ((ent = g_dir_read_name(dir)))
            if (g_str_has_suffix(ent, ".plugin"))
                g_ptr_array_add(names, g_strdup(ent));
        /* Readdir order is the file system's; ours must not depend on it. */
        g_ptr_array_sort(names, vkStrCompare);
        for (guint i = 0; i < names->len; i++)
            vkPluginReadKeyFile(dirs[d], g_ptr_array_index(names, i));
    }
    vkPluginRefuseClashes();
    VK_DEBUG("found %u plugin key file(s)", vkPlugins->len);
}

/* ------------------------------------------------------------- shutdown */

/* Every recorded plugin's shutdown, newest init first. */
static void
vkPluginRunShutdowns(void *data)
{
    GPtrArray *list = data;

    for (guint i = list->len; i > 0; i--) {
        vkPlugin *p = g_ptr_array_index(list, i - 1);

        if (!p->desc.shutdown)
            continue;
        VK_DEBUG("shutting down plugin '%s'", p->name);
        p->desc.shutdown(p->plugin_data);
    }
}

/* The process is exiting (exit() or a return from main; never on _exit()
 * or a fatal signal).  The shutdowns run on the core's event thread when it
 * is running, so no core-loop callback (a plugin's timer or I/O, an event
 * delivery) runs at the same time; otherwise, or when that thread is held
 * up, on the exiting thread. */
static void
vkPluginAtExit(void)
{
    g_autoptr(GPtrArray) list = NULL;

    /* A forked child that calls exit() must not stop its parent's guests. */
    if (getpid() != vkPluginExitPid)
        return;
    g_mutex_lock(&vkPluginExitLock);
    if (!vkPluginExited) {
        vkPluginExited = true;
        list = g_steal_pointer(&vkPluginInited);
    }
    g_mutex_unlock(&vkPluginExitLock);
    if (!list || !list->len)
        return;
    if (!vkEventCoreRunSync(vkPluginRunShutdowns, list, VK_PLUGIN_SHUTDOWN_WAIT_US))
        vkPluginRunShutdowns(list);
}

/* Records that @p's init succeeded; the first one registers the handler. */
static void
vkPluginRecordInit(vkPlugin *p)
{
    g_mutex_lock(&vkPluginExitLock);
    if (!vkPluginExited) {
        if (!vkPluginInited) {
            vkPluginInited = g_ptr_array_new();
            vkPluginExitPid = getpid();
            /* atexit, not a destructor: exit handlers run before any
             * module's destructors, so the plugin and the libraries it
             * loaded are still whole. */
            atexit(vkPluginAtExit);
        }
        g_ptr_array_add(vkPluginInited, p);
    }
    g_mutex_unlock(&vkPluginExitLock);
}

/* --------------------------------------------------------------- loading */

/* Copies min(struct_size, sizeof) of a plugin's table into zeroed storage. */
static void *
vkPluginCopyTable(const void *table, size_t ours)
{
    size_t theirs;
    void *copy;

    if (!table)
        return NULL;
    theirs = *(const size_t *)table;
    copy = g_malloc0(ours);
    memcpy(copy, table, MIN(theirs, ours));
    *(size_t *)copy = ours;
    return copy;
}

static bool
vkPluginSchemesEqual(char **a, const char *const *b)
{
    guint na = a ? g_strv_length(a) : 0, nb = 0;

    while (b && b[nb])
        nb++;
    if (na != nb)
        return false;
    for (guint i = 0; i < na; i++)
        if (!g_strv_contains(b, a[i]))
            return false;
    return true;
}

static char *
vkStrvJoin(const char *const *v)
{
    return v ? g_strjoinv(";", (char **)v) : g_strdup("");
}

static char *vkPluginModuleFile(vkPlugin *p);

/*
 * Resolves every symbol of @p's module before libltdl opens it; with
 * vkPluginLock held.  Returns 0, or -1 with the refusal recorded in @p.
 *
 * libltdl has no advice for immediate binding (lt_dladvise offers ext,
 * resident, local, global and preload only) and opens with RTLD_LAZY, so a
 * function no library defines surfaces at its first call as the dynamic
 * linker's "symbol lookup error", which ends the whole process (exit 127),
 * and a missing variable (bound at load even when lazy) makes lt_dlopenext
 * fall through to its next candidate name and say "file not found".  So the
 * module is opened once with dlopen(RTLD_NOW | RTLD_LOCAL) first: the
 * dynamic linker binds every symbol or fails naming the first one missing.
 * The handle is kept (plugins are never unloaded), so libltdl's own dlopen
 * below finds the object loaded and bound, and no constructor runs twice.
 * LD_BIND_NOW cannot be set for a running process, and -z now at link time
 * covers in-tree plugins only, not a third party's.
 */
static int
vkPluginBindNow(vkPlugin *p)
{
    g_autofree char *file = vkPluginModuleFile(p);
    const char *err, *sym;

    /* a module that is not there: libltdl's own open says so */
    if (!g_file_test(file, G_FILE_TEST_IS_REGULAR))
        return 0;
    dlerror();
    if (dlopen(file, RTLD_NOW | RTLD_LOCAL))
        return 0;
    err = dlerror();
    if (!err)
        err = "the dynamic linker gave no reason";
    if ((sym = strstr(err, "undefined symbol: "))) {
        g_autofree char *name = g_strdup(sym + strlen("undefined symbol: "));

        /* glibc may append the version wanted: "name, version V" */
        name[strcspn(name, ", \t")] = '\0';
        vkPluginRefuse(p, VIR_ERR_NO_CONNECT,
                       "Plugin '%s' (%s) is refused: it uses the symbol '%s', which neither "
                       "it nor any library it links defines",
                       p->name, file, name);
        return -1;
    }
    vkPluginRefuse(p, VIR_ERR_NO_CONNECT, "Plugin '%s' (%s) cannot be loaded: %s",
                   p->name, file, err);
    return -1;
}

/* Opens @p's module through libltdl (after binding it completely) and
 * records the file it opened.  Returns 0, or -1 with the refusal recorded. */
static int
vkPluginOpenModule(vkPlugin *p)
{
    lt_dladvise advise;
    const lt_dlinfo *li;

    if (!vkPluginLtInit) {
        if (lt_dlinit() != 0) {
            vkPluginRefuse(p, VIR_ERR_INTERNAL_ERROR, "The plugin loader (libltdl) did not start: %s",
                           lt_dlerror());
            return -1;
        }
        vkPluginLtInit = true;
    }
    if (vkPluginBindNow(p) < 0)
        return -1;
    /* RTLD_LOCAL: plugins never see one another's symbols. */
    lt_dladvise_init(&advise);
    lt_dladvise_ext(&advise);
    lt_dladvise_local(&advise);
    p->handle = lt_dlopenadvise(p->module, advise);
    lt_dladvise_destroy(&advise);
    if (!p->handle) {
        vkPluginRefuse(p, VIR_ERR_NO_CONNECT, "Plugin '%s' (%s) cannot be loaded: %s",
                       p->name, p->module, lt_dlerror());
        return -1;
    }
    vkPluginLoads++;
    /* lt_dlopenext found the file with its extension: name that one, in
     * messages and in the listing, rather than the key file's stem. */
    li = lt_dlgetinfo(p->handle);
    p->module_file = g_strdup(li && li->filename ? li->filename : p->module);
    return 0;
}

/* Calls the entry point, checks the descriptor's size and ABI and copies it
 * to full size into p->desc.  Returns 0, or -1 with the refusal recorded. */
static int
vkPluginReadDescriptor(vkPlugin *p)
{
    virtkitPluginEntryFunc entry;
    const virtkitPluginDescriptor *d;

    entry = (virtkitPluginEntryFunc)lt_dlsym(p->handle, VIRTKIT_PLUGIN_ENTRY_SYMBOL);
    if (!entry) {
        vkPluginRefuse(p, VIR_ERR_NO_CONNECT,
                       "Plugin '%s' (%s) is refused: it exports no '%s' symbol",
                       p->name, p->module_file, VIRTKIT_PLUGIN_ENTRY_SYMBOL);
        return -1;
    }
    d = entry();
    if (!d || d->struct_size < offsetof(virtkitPluginDescriptor, name)) {
        vkPluginRefuse(p, VIR_ERR_NO_CONNECT,
                       "Plugin '%s' (%s) is refused: its descriptor is missing or too short",
                       p->name, p->module_file);
        return -1;
    }
    /* Kept whatever happens next: a listing shows the ABI the plugin was
     * built for, not what its key file claims. */
    p->have_desc_abi = true;
    p->desc_abi_major = d->abi_major;
    p->desc_abi_minor = d->abi_minor;
    if (d->abi_major != VIRTKIT_PLUGIN_ABI_MAJOR || d->abi_minor > VIRTKIT_PLUGIN_ABI_MINOR) {
        bool major = d->abi_major != VIRTKIT_PLUGIN_ABI_MAJOR;

        vkPluginRefuse(p, VIR_ERR_NO_CONNECT,
                       "Plugin '%s' (%s) is refused: it was built for plugin ABI %u.%u, "
                       "%s %d.%d%s",
                       p->name, p->module_file, d->abi_major, d->abi_minor,
                       major ? "and this core speaks" : "newer than this core's",
                       VIRTKIT_PLUGIN_ABI_MAJOR, VIRTKIT_PLUGIN_ABI_MINOR,
                       major ? " (the major versions must be equal)" : "");
        return -1;
    }
    memset(&p->desc, 0, sizeof(p->desc));
    memcpy(&p->desc, d, MIN(d->struct_size, sizeof(p->desc)));
    p->desc.struct_size = sizeof(p->desc);
    return 0;
}

static const char *
vkBoolText(bool b)
{
    return b ? "true" : "false";
}

/* The descriptor is the authority: the key file must agree with it.
 * Returns 0, or -1 with the refusal recorded, naming the first key that
 * differs. */
static int
vkPluginCheckKeyFile(vkPlugin *p)
{
    bool dsec = (p->desc.flags & VIRTKIT_PLUGIN_SECONDARY) != 0;
    bool dstate = (p->desc.flags & VIRTKIT_PLUGIN_STATEFUL) != 0;
    bool demb = (p->desc.flags & VIRTKIT_PLUGIN_EMBEDDABLE) != 0;
    const char *what = NULL;
    g_autofree char *kv = NULL, *dv = NULL;

    if (g_strcmp0(p->name, p->desc.name) != 0) {
        what = "Name";
        kv = g_strdup(p->name);
        dv = g_strdup(p->desc.name);
    } else if (!vkPluginSchemesEqual(p->schemes, p->desc.uri_schemes)) {
        what = "Schemes";
        kv = g_strjoinv(";", p->schemes);
        dv = vkStrvJoin(p->desc.uri_schemes);
    } else if (p->secondary != dsec) {
        what = "Kind";
        kv = g_strdup(p->secondary ? "secondary" : "hypervisor");
        dv = g_strdup(dsec ? "secondary" : "hypervisor");
    } else if (p->stateful != dstate) {
        what = "Stateful";
        kv = g_strdup(vkBoolText(p->stateful));
        dv = g_strdup(vkBoolText(dstate));
    } else if (p->embeddable != demb) {
        what = "Embeddable";
        kv = g_strdup(vkBoolText(p->embeddable));
        dv = g_strdup(vkBoolText(demb));
    } else if (p->abi_major != (int)p->desc.abi_major) {
        what = "AbiMajor";
        kv = g_strdup_printf("%d", p->abi_major);
        dv = g_strdup_printf("%u", p->desc.abi_major);
    }
    if (!what)
        return 0;
    vkPluginRefuse(p, VIR_ERR_NO_CONNECT,
                   "Plugin '%s' is refused: its key file %s says %s=%s, "
                   "but its descriptor in %s says %s",
                   p->name, p->keyfile, what, kv, p->module_file, dv);
    return -1;
}

/* Copies the plugin's tables to full size and runs its init.  Returns 0,
 * or -1 with the refusal recorded. */
static int
vkPluginStart(vkPlugin *p)
{
    g_autofree char *extra = vkElfExtraExports(p->module_file, VIRTKIT_PLUGIN_ENTRY_SYMBOL);

    if (extra) {
        /* A warning, not a refusal: the core resolves only the entry point,
         * and loads with RTLD_LOCAL, so the extra names cannot interpose on
         * another plugin; they do show a build without hidden visibility. */
        p->warning = g_strdup_printf("Plugin '%s' (%s) exports symbols besides %s: %s",
                                     p->name, p->module_file, VIRTKIT_PLUGIN_ENTRY_SYMBOL, extra);
        VK_INFO("%s", p->warning);
    }

    p->hv = vkPluginCopyTable(p->desc.hypervisor, sizeof(virtkitHypervisorOps));
    p->storage = vkPluginCopyTable(p->desc.storage, sizeof(virtkitStorageOps));
    p->stream = vkPluginCopyTable(p->desc.stream, sizeof(virtkitStreamOps));
    p->tables.name = p->name;
    p->tables.flags = p->desc.flags;
    p->tables.hypervisor = p->hv;
    p->tables.storage = p->storage;
    p->tables.stream = p->stream;

    if (p->desc.init) {
        virResetLastError();
        if (p->desc.init(&vkHost, &p->plugin_data) < 0) {
            const char *why = vkErrorIsSet() ? virGetLastErrorMessage() : "it gave no reason";
            vkPluginRefuse(p, VIR_ERR_NO_CONNECT,
                           "Plugin '%s' (%s) is refused: its init failed: %s",
                           p->name, p->module_file, why);
            virResetLastError();
            return -1;
        }
    }
    vkPluginRecordInit(p);
    return 0;
}

/* Loads @p if it is not loaded yet; with vkPluginLock held.  Returns 0, or
 * -1 with the refusal recorded in @p. */
static int
vkPluginLoad(vkPlugin *p)
{
    if (p->state == VK_PLUGIN_LOADED)
        return 0;
    if (p->state != VK_PLUGIN_FOUND)
        return -1;
    if (vkPluginOpenModule(p) < 0 || vkPluginReadDescriptor(p) < 0 ||
        vkPluginCheckKeyFile(p) < 0 || vkPluginStart(p) < 0)
        return -1;
    p->state = VK_PLUGIN_LOADED;
    VK_DEBUG("loaded plugin '%s' version %s from %s", p->name, VK_NULLSTR(p->desc.version), p->module_file);
    return 0;
}

/* --------------------------------------------------------------- routing */

void
vkPluginSetDaemon(bool daemon)
{
    g_mutex_lock(&vkPluginLock);
    vkPluginDaemon = daemon;
    g_mutex_unlock(&vkPluginLock);
}

unsigned int
vkPluginLoadCount(void)
{
    unsigned int n;

    g_mutex_lock(&vkPluginLock);
    n = vkPluginLoads;
    g_mutex_unlock(&vkPluginLock);
    return n;
}

static bool
vkPluginClaims(vkPlugin *p, const char *scheme)
{
    return !p->secondary && p->state != VK_PLUGIN_SHADOWED && p->schemes &&
           g_strv_contains((const char *const *)p->schemes, scheme);
}

/* Reports the error an open gets from a refused plugin. */
static void
vkPluginReportRefused(vkPlugin *p, const char *uri)
{
    vkReportError(p->refused_code ? p->refused_code : VIR_ERR_NO_CONNECT,
                  "%s: %s", uri, p->reason);
}

const vkDriverTables *
vkPluginForURI(const char *scheme, const char *uri, const char *host, bool embed)
{
    vkPlugin *found = NULL;
    const vkDriverTables *ret = NULL;
    size_t scheme_len = strcspn(uri, ":");
    const char *plus = memchr(uri, '+', scheme_len);
    g_autofree char *transport = plus ? g_strndup(plus + 1, scheme_len - (plus + 1 - uri))
                                      : NULL;

    g_mutex_lock(&vkPluginLock);
    vkPluginDiscover();
    for (guint i = 0; i < vkPlugins->len; i++) {
        vkPlugin *p = g_ptr_array_index(vkPlugins, i);
        if (!vkPluginClaims(p, scheme))
            continue;
        if (found) {
            vkReportError(VIR_ERR_NO_CONNECT,
                          "%s: two hypervisor plugins claim the scheme '%s': '%s' (%s) and '%s' (%s)",
                          uri, scheme, found->name, found->keyfile, p->name, p->keyfile);
            goto out;
        }
        found = p;
    }
    if (!found) {
        vkReportError(VIR_ERR_NO_CONNECT, "%s", uri);
        goto out;
    }
    /* A stateful plugin runs in virtkitd; clients reach it through the
     * remote plugin, unless the URI asks for an embedded instance. */
    if (found->stateful && !vkPluginDaemon && !(found->embeddable && embed)) {
        vkPlugin *remote = vkPluginFindByName("remote");
        if (!remote) {
            vkReportError(VIR_ERR_NO_CONNECT,
                          "%s: plugin '%s' is stateful and runs in virtkitd, "
                          "and no 'remote' plugin is installed to reach the daemon",
                          uri, found->name);
            goto out;
        }
        VK_DEBUG("URI %s goes to the daemon through the remote plugin", uri);
        found = remote;
    }
    if (vkPluginLoad(found) < 0) {
        vkPluginReportRefused(found, uri);
        goto out;
    }
    /* Another host, or a transport ("test+unix:///default"), is the remote
     * plugin's job, as libvirt's remote driver takes every URI with a
     * server or a transport: never hand it to a local plugin, which would
     * quietly serve this host instead, or decline. */
    if (((host && *host) || transport) && (found->desc.flags & VIRTKIT_PLUGIN_LOCAL_ONLY)) {
        vkPlugin *remote = vkPluginFindByName("remote");

        if ((!remote || remote == found) && host && *host) {
            vkReportError(VIR_ERR_NO_CONNECT,
                          "%s: the URI names the host '%s', but plugin '%s' (%s) drives only "
                          "this host (VIRTKIT_PLUGIN_LOCAL_ONLY), and no 'remote' plugin is "
                          "installed to reach another one (leave the host out for this machine)",
                          uri, host, found->name, found->module_file);
            goto out;
        }
        if (!remote || remote == found) {
            vkReportError(VIR_ERR_NO_CONNECT,
                          "%s: the URI asks for the transport '%s', which only the 'remote' "
                          "plugin speaks, and none is installed; plugin '%s' (%s) drives this "
                          "host directly (leave '+%s' out)",
                          uri, transport, found->name, found->module_file, transport);
            goto out;
        }
        VK_DEBUG("URI %s names a host or a transport: it goes to the remote plugin", uri);
        found = remote;
        if (vkPluginLoad(found) < 0) {
            vkPluginReportRefused(found, uri);
            goto out;
        }
    }
    ret = &found->tables;
 out:
    g_mutex_unlock(&vkPluginLock);
    return ret;
}

GPtrArray *
vkPluginSecondaries(void)
{
    GPtrArray *out = g_ptr_array_new();

    g_mutex_lock(&vkPluginLock);
    vkPluginDiscover();
    for (guint i = 0; i < vkPlugins->len; i++) {
        vkPlugin *p = g_ptr_array_index(vkPlugins, i);
        if (!p->secondary || p->state == VK_PLUGIN_SHADOWED)
            continue;
        if (vkPluginLoad(p) == 0)
            g_ptr_array_add(out, &p->tables);
    }
    g_mutex_unlock(&vkPluginLock);
    return out;
}

/* Forgets discovery results (tests change VIRTKIT_PLUGIN_DIR between runs).
 * Loaded modules stay loaded: their records are kept alive on purpose. */
void
vkPluginRescan(void)
{
    g_mutex_lock(&vkPluginLock);
    if (vkPlugins) {
        /* Loaded plugins may still serve open connections; leak their
         * records rather than free tables in use. */
        for (guint i = 0; i < vkPlugins->len; i++) {
            vkPlugin *p = g_ptr_array_index(vkPlugins, i);
            if (p->state == VK_PLUGIN_LOADED)
                vkPlugins->pdata[i] = NULL;
        }
        g_ptr_array_set_free_func(vkPlugins, NULL);
        for (guint i = 0; i < vkPlugins->len; i++)
            if (vkPlugins->pdata[i])
                vkPluginFree(vkPlugins->pdata[i]);
        g_ptr_array_unref(vkPlugins);
        vkPlugins = NULL;
    }
    g_mutex_unlock(&vkPluginLock);
}

/* ------------------------------------------------------- public listing */

/* The file a plugin's module is, for a listing: what libltdl opened, or,
 * never opened (refused at discovery, or not loaded), the file it would
 * open: the key file's Module= as is, else with the shared-module
 * extension libltdl appends. */
static char *
vkPluginModuleFile(vkPlugin *p)
{
    g_autofree char *with_ext = NULL;

    if (!p->module)
        return g_strdup(p->keyfile);
    if (g_file_test(p->module, G_FILE_TEST_IS_REGULAR))
        return g_strdup(p->module);
    with_ext = g_strconcat(p->module, ".so", NULL);
    if (g_file_test(with_ext, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer(&with_ext);
    return g_strdup(p->module);
}

int
virtkitConnectListPluginDirs(char ***dirs, unsigned int flags)
{
    int n;

    VK_LOG_API("virtkitConnectListPluginDirs", "dirs=%p, flags=0x%x", (void *)dirs, flags);
    virResetLastError();
    if (flags) {
        vkReportInvalidArg("unsupported flags (0x%x) in function %s", flags,
                           "virtkitConnectListPluginDirs");
        vkErrorDispatch(NULL);
        return -1;
    }
    g_mutex_lock(&vkPluginLock);
    /* The directories of the discovery the listing reports, not a fresh
     * reading of VIRTKIT_PLUGIN_DIR, so the two always agree. */
    vkPluginDiscover();
    n = (int)g_strv_length(vkPluginSearched);
    if (dirs)
        *dirs = g_strdupv(vkPluginSearched);
    g_mutex_unlock(&vkPluginLock);
    return n;
}

static const char *const vkPluginStateNames[] = {
    [VK_PLUGIN_FOUND] = "found",
    [VK_PLUGIN_LOADED] = "loaded",
    [VK_PLUGIN_REFUSED] = "refused",
    [VK_PLUGIN_SHADOWED] = "shadowed",
};

int
virtkitConnectListPlugins(virtkitPluginInfoPtr **plugins, unsigned int flags)
{
    g_autoptr(GPtrArray) out = NULL;

    VK_LOG_API("virtkitConnectListPlugins", "plugins=%p, flags=0x%x", (void *)plugins, flags);
    virResetLastError();
    if (flags & ~(unsigned int)VIRTKIT_LIST_PLUGINS_LOAD) {
        vkReportInvalidArg("unsupported flags (0x%x) in function %s",
                      flags & ~(unsigned int)VIRTKIT_LIST_PLUGINS_LOAD, "virtkitConnectListPlugins");
        vkErrorDispatch(NULL);
        return -1;
    }

    out = g_ptr_array_new();
    g_mutex_lock(&vkPluginLock);
    vkPluginDiscover();
    for (guint i = 0; i < vkPlugins->len; i++) {
        vkPlugin *p = g_ptr_array_index(vkPlugins, i);
        virtkitPluginInfoPtr info = g_new0(virtkitPluginInfo, 1);
        g_autoptr(GArray) feats = g_array_new(FALSE, FALSE, sizeof(int));

        if (flags & VIRTKIT_LIST_PLUGINS_LOAD)
            vkPluginLoad(p);
        info->name = g_strdup(p->name);
        info->file = p->module_file ? g_strdup(p->module_file) : vkPluginModuleFile(p);
        info->keyFile = g_strdup(p->keyfile);
        info->kind = g_strdup(p->secondary ? "secondary" : "hypervisor");
        info->schemes = g_strdupv(p->schemes);
        info->status = g_strdup(vkPluginStateNames[p->state]);
        info->reason = g_strdup(p->state == VK_PLUGIN_LOADED ? p->warning : p->reason);
        /* The descriptor is the authority: once read, its ABI is shown,
         * even for a plugin refused because its key file disagrees. */
        if (p->have_desc_abi) {
            info->abiMajor = p->desc_abi_major;
            info->abiMinor = p->desc_abi_minor;
        } else {
            info->abiMajor = (unsigned int)p->abi_major;
        }
        if (p->desc.struct_size) {
            /* Copied (ABI accepted), though perhaps refused later. */
            info->version = g_strdup(p->desc.version);
            info->license = g_strdup(p->desc.license);
            info->flags = p->desc.flags;
            info->vendorFeatures = g_strdupv((char **)p->desc.vendor_features);
        }
        if (p->state == VK_PLUGIN_LOADED) {
            /* Features the plugin answers yes to about itself (no connection). */
            if (p->hv && p->hv->connectSupportsFeature) {
                for (int f = 1; f <= VIRTKIT_DRV_FEATURE_LAST_KNOWN; f++)
                    if (p->hv->connectSupportsFeature(NULL, f) > 0)
                        g_array_append_val(feats, f);
                virResetLastError();
            }
        }
        if (!info->vendorFeatures)
            info->vendorFeatures = g_new0(char *, 1);
        info->nfeatures = feats->len;
        info->features = (int *)g_array_free(g_steal_pointer(&feats), FALSE);
        g_ptr_array_add(out, info);
    }
    g_mutex_unlock(&vkPluginLock);

    if (plugins) {
        int n = (int)out->len;
        g_ptr_array_add(out, NULL);
        *plugins = (virtkitPluginInfoPtr *)g_ptr_array_free(g_steal_pointer(&out), FALSE);
        return n;
    }
    for (guint i = 0; i < out->len; i++)
        virtkitPluginInfoFree(g_ptr_array_index(out, i));
    return (int)out->len;
}

void
virtkitPluginInfoFree(virtkitPluginInfoPtr info)
{
    if (!info)
        return;
    g_free(info->name);
    g_free(info->file);
    g_free(info->keyFile);
    g_free(info->version);
    g_free(info->license);
    g_free(info->kind);
    g_strfreev(info->schemes);
    g_strfreev(info->vendorFeatures);
    g_free(info->features);
    g_free(info->status);
    g_free(info->reason);
    g_free(info);
}

const char *
virtkitDrvFeatureName(int feature)
{
    switch ((virtkitDrvFeature)feature) {
#define VK_FEATURE_CASE_(name, num) case VIRTKIT_DRV_FEATURE_##name: return #name;
    VIRTKIT_DRV_FEATURES(VK_FEATURE_CASE_)
#undef VK_FEATURE_CASE_
    default:
        return NULL;
    }
}
