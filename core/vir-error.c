/*
 * vir-error.c: the thread's last error, per-connection errors, error
 * handlers and the default stderr reporter.
 *
 * Every thread owns one virError (a GPrivate slot freed when the thread
 * exits).  Internal code fills it with vkErrorReportFull(); the public entry
 * point that failed hands it on once with vkErrorDispatch().  The numbers,
 * the message texts users match and the stderr format of
 * virDefaultErrorFunc are libvirt 9.0's.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VK_FROM VIR_FROM_NONE
#define VK_LOG_MODULE "core.error"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vk-internal.h"
#include "vk-object.h"

/* Defined in vir-log.c: true once the user named log outputs explicitly.
 * Reported errors are only copied into the log then, so an application that
 * handles its errors itself does not get every one of them twice on its
 * GLib writer.  (Candidate for vk-internal.h.) */

/* ------------------------------------------------------------------ */
/* Message table                                                        */
/* ------------------------------------------------------------------ */

/*
 * How libvirt words each code.  @bare is the whole message when the
 * reporter gives no detail.  With a detail, the message is
 * @before + detail + @after; a NULL @before stands for the common form
 * "@bare: detail".
 */
typedef struct {
    const char *bare;
    const char *before;
    const char *after;
} vkErrorWording;

static const vkErrorWording vkErrorWordings[] = {
    [VIR_ERR_INTERNAL_ERROR] = { .bare = "internal error" },
    [VIR_ERR_NO_MEMORY] = { .bare = "out of memory" },
    [VIR_ERR_NO_SUPPORT] = { .bare = "this function is not supported by the connection driver" },
    [VIR_ERR_UNKNOWN_HOST] = { "unknown host", "unknown host ", "" },
    [VIR_ERR_NO_CONNECT] = {
        "no connection driver available",
        "no connection driver available for ", "" },
    [VIR_ERR_INVALID_CONN] = {
        "invalid connection pointer in",
        "invalid connection pointer in ", "" },
    [VIR_ERR_INVALID_DOMAIN] = { "invalid domain pointer in", "invalid domain pointer in ", "" },
    [VIR_ERR_INVALID_ARG] = { .bare = "invalid argument" },
    [VIR_ERR_OPERATION_FAILED] = { .bare = "operation failed" },
    [VIR_ERR_GET_FAILED] = { .bare = "GET operation failed" },
    [VIR_ERR_POST_FAILED] = { .bare = "POST operation failed" },
    [VIR_ERR_HTTP_ERROR] = { "got unknown HTTP error code", "got unknown HTTP error code ", "" },
    [VIR_ERR_SEXPR_SERIAL] = { .bare = "failed to serialize S-Expr" },
    [VIR_ERR_NO_XEN] = {
        "could not use Xen hypervisor entry",
        "could not use Xen hypervisor entry ", "" },
    [VIR_ERR_XEN_CALL] = { "failed Xen syscall", "failed Xen syscall ", "" },
    [VIR_ERR_OS_TYPE] = { "unknown OS type", "unknown OS type ", "" },
    [VIR_ERR_NO_KERNEL] = { .bare = "missing kernel information" },
    [VIR_ERR_NO_ROOT] = {
        "missing root device information",
        "missing root device information in ", "" },
    [VIR_ERR_NO_SOURCE] = {
        "missing source information for device",
        "missing source information for device ", "" },
    [VIR_ERR_NO_TARGET] = {
        "missing target information for device",
        "missing target information for device ", "" },
    [VIR_ERR_NO_NAME] = { "missing name information", "missing name information in ", "" },
    [VIR_ERR_NO_OS] = {
        "missing operating system information",
        "missing operating system information for ", "" },
    [VIR_ERR_NO_DEVICE] = {
        "missing devices information",
        "missing devices information for ", "" },
    [VIR_ERR_NO_XENSTORE] = {
        "could not connect to Xen Store",
        "could not connect to Xen Store ", "" },
    [VIR_ERR_DRIVER_FULL] = {
        "too many drivers registered",
        "too many drivers registered in ", "" },
    [VIR_ERR_CALL_FAILED] = { .bare = "library call failed" },
    [VIR_ERR_XML_ERROR] = { "XML description is invalid or not well formed", "XML error: ", "" },
    [VIR_ERR_DOM_EXIST] = { "this domain exists already", "domain ", " exists already" },
    [VIR_ERR_OPERATION_DENIED] = {
        "operation forbidden for read only access",
        "operation forbidden: ", "" },
    [VIR_ERR_OPEN_FAILED] = {
        "failed to open configuration file",
        "failed to open configuration file ", "" },
    [VIR_ERR_READ_FAILED] = {
        "failed to read configuration file",
        "failed to read configuration file ", "" },
    [VIR_ERR_PARSE_FAILED] = {
        "failed to parse configuration file",
        "failed to parse configuration file ", "" },
    [VIR_ERR_CONF_SYNTAX] = { .bare = "configuration file syntax error" },
    [VIR_ERR_WRITE_FAILED] = { .bare = "failed to write configuration file" },
    [VIR_ERR_XML_DETAIL] = { "parser error", "", "" },
    [VIR_ERR_INVALID_NETWORK] = {
        "invalid network pointer in",
        "invalid network pointer in ", "" },
    [VIR_ERR_NETWORK_EXIST] = { "this network exists already", "network ", " exists already" },
    [VIR_ERR_SYSTEM_ERROR] = { "system call error", "", "" },
    [VIR_ERR_RPC] = { "RPC error", "", "" },
    [VIR_ERR_GNUTLS_ERROR] = { "GNUTLS call error", "", "" },
    [VIR_WAR_NO_NETWORK] = { .bare = "Failed to find the network" },
    [VIR_ERR_NO_DOMAIN] = { .bare = "Domain not found" },
    [VIR_ERR_NO_NETWORK] = { .bare = "Network not found" },
    [VIR_ERR_INVALID_MAC] = { .bare = "invalid MAC address" },
    [VIR_ERR_AUTH_FAILED] = { .bare = "authentication failed" },
    [VIR_ERR_INVALID_STORAGE_POOL] = {
        "invalid storage pool pointer in",
        "invalid storage pool pointer in ", "" },
    [VIR_ERR_INVALID_STORAGE_VOL] = {
        "invalid storage volume pointer in",
        "invalid storage volume pointer in ", "" },
    [VIR_WAR_NO_STORAGE] = { .bare = "Failed to find a storage driver" },
    [VIR_ERR_NO_STORAGE_POOL] = { .bare = "Storage pool not found" },
    [VIR_ERR_NO_STORAGE_VOL] = { .bare = "Storage volume not found" },
    [VIR_WAR_NO_NODE] = { .bare = "Failed to find a node driver" },
    [VIR_ERR_INVALID_NODE_DEVICE] = {
        "invalid node device pointer",
        "invalid node device pointer in ", "" },
    [VIR_ERR_NO_NODE_DEVICE] = { .bare = "Node device not found" },
    [VIR_ERR_NO_SECURITY_MODEL] = { .bare = "Security model not found" },
    [VIR_ERR_OPERATION_INVALID] = { .bare = "Requested operation is not valid" },
    [VIR_WAR_NO_INTERFACE] = { .bare = "Failed to find the interface" },
    [VIR_ERR_NO_INTERFACE] = { .bare = "Interface not found" },
    [VIR_ERR_INVALID_INTERFACE] = {
        "invalid interface pointer in",
        "invalid interface pointer in ", "" },
    [VIR_ERR_MULTIPLE_INTERFACES] = { .bare = "multiple matching interfaces found" },
    [VIR_WAR_NO_NWFILTER] = { .bare = "Failed to start the nwfilter driver" },
    [VIR_ERR_INVALID_NWFILTER] = { .bare = "Invalid network filter" },
    [VIR_ERR_NO_NWFILTER] = { .bare = "Network filter not found" },
    [VIR_ERR_BUILD_FIREWALL] = { .bare = "Error while building firewall" },
    [VIR_WAR_NO_SECRET] = { .bare = "Failed to find a secret storage driver" },
    [VIR_ERR_INVALID_SECRET] = { .bare = "Invalid secret" },
    [VIR_ERR_NO_SECRET] = { .bare = "Secret not found" },
    [VIR_ERR_CONFIG_UNSUPPORTED] = { .bare = "unsupported configuration" },
    [VIR_ERR_OPERATION_TIMEOUT] = { .bare = "Timed out during operation" },
    [VIR_ERR_MIGRATE_PERSIST_FAILED] = {
        .bare = "Failed to make domain persistent after migration" },
    [VIR_ERR_HOOK_SCRIPT_FAILED] = { .bare = "Hook script execution failed" },
    [VIR_ERR_INVALID_DOMAIN_SNAPSHOT] = { .bare = "Invalid domain snapshot" },
    [VIR_ERR_NO_DOMAIN_SNAPSHOT] = { .bare = "Domain snapshot not found" },
    [VIR_ERR_INVALID_STREAM] = { "invalid stream pointer", "invalid stream pointer in ", "" },
    [VIR_ERR_ARGUMENT_UNSUPPORTED] = { .bare = "argument unsupported" },
    [VIR_ERR_STORAGE_PROBE_FAILED] = { .bare = "Storage pool probe failed" },
    [VIR_ERR_STORAGE_POOL_BUILT] = { .bare = "Storage pool already built" },
    [VIR_ERR_SNAPSHOT_REVERT_RISKY] = { .bare = "revert requires force" },
    [VIR_ERR_OPERATION_ABORTED] = { .bare = "operation aborted" },
    [VIR_ERR_AUTH_CANCELLED] = { .bare = "authentication cancelled" },
    [VIR_ERR_NO_DOMAIN_METADATA] = { .bare = "metadata not found" },
    [VIR_ERR_MIGRATE_UNSAFE] = { .bare = "Unsafe migration" },
    [VIR_ERR_OVERFLOW] = { .bare = "numerical overflow" },
    [VIR_ERR_BLOCK_COPY_ACTIVE] = { .bare = "block copy still active" },
    [VIR_ERR_OPERATION_UNSUPPORTED] = { .bare = "Operation not supported" },
    [VIR_ERR_SSH] = { .bare = "SSH transport error" },
    [VIR_ERR_AGENT_UNRESPONSIVE] = { .bare = "Guest agent is not responding" },
    [VIR_ERR_RESOURCE_BUSY] = { .bare = "resource busy" },
    [VIR_ERR_ACCESS_DENIED] = { .bare = "access denied" },
    [VIR_ERR_DBUS_SERVICE] = { .bare = "error from service" },
    [VIR_ERR_STORAGE_VOL_EXIST] = {
        "this storage volume exists already",
        "storage volume ", " exists already" },
    [VIR_ERR_CPU_INCOMPATIBLE] = { .bare = "the CPU is incompatible with host CPU" },
    [VIR_ERR_XML_INVALID_SCHEMA] = { .bare = "XML document failed to validate against schema" },
    [VIR_ERR_MIGRATE_FINISH_OK] = { .bare = "migration successfully aborted" },
    [VIR_ERR_AUTH_UNAVAILABLE] = { .bare = "authentication unavailable" },
    [VIR_ERR_NO_SERVER] = { .bare = "Server not found" },
    [VIR_ERR_NO_CLIENT] = { .bare = "Client not found" },
    [VIR_ERR_AGENT_UNSYNCED] = {
        .bare = "guest agent replied with wrong id to guest-sync command" },
    [VIR_ERR_LIBSSH] = { .bare = "libssh transport error" },
    [VIR_ERR_DEVICE_MISSING] = { .bare = "device not found" },
    [VIR_ERR_INVALID_NWFILTER_BINDING] = { .bare = "Invalid network filter binding" },
    [VIR_ERR_NO_NWFILTER_BINDING] = { .bare = "Network filter binding not found" },
    [VIR_ERR_INVALID_DOMAIN_CHECKPOINT] = { .bare = "Invalid domain checkpoint" },
    [VIR_ERR_NO_DOMAIN_CHECKPOINT] = { .bare = "Domain checkpoint not found" },
    [VIR_ERR_NO_DOMAIN_BACKUP] = { .bare = "Domain backup job id not found" },
    [VIR_ERR_INVALID_NETWORK_PORT] = { .bare = "Invalid network port pointer" },
    [VIR_ERR_NETWORK_PORT_EXIST] = {
        "this network port exists already",
        "network port ", " exists already" },
    [VIR_ERR_NO_NETWORK_PORT] = { .bare = "network port not found" },
    [VIR_ERR_NO_HOSTNAME] = { .bare = "no hostname found" },
    [VIR_ERR_CHECKPOINT_INCONSISTENT] = { .bare = "checkpoint inconsistent" },
    [VIR_ERR_MULTIPLE_DOMAINS] = { .bare = "multiple matching domains found" },
};

G_STATIC_ASSERT(G_N_ELEMENTS(vkErrorWordings) == VIR_ERR_MULTIPLE_DOMAINS + 1);

/* The origin names virDefaultErrorFunc prints, by virErrorDomain. */
static const char *const vkErrorDomainNames[] = {
    [VIR_FROM_NONE] = "",
    [VIR_FROM_XEN] = "Xen Driver",
    [VIR_FROM_XEND] = "Xen Daemon",
    [VIR_FROM_XENSTORE] = "Xen Store",
    [VIR_FROM_SEXPR] = "S-Expression",
    [VIR_FROM_XML] = "XML Util",
    [VIR_FROM_DOM] = "Domain",
    [VIR_FROM_RPC] = "XML-RPC",
    [VIR_FROM_PROXY] = "Proxy Daemon",
    [VIR_FROM_CONF] = "Config File",
    [VIR_FROM_QEMU] = "QEMU Driver",
    [VIR_FROM_NET] = "Network",
    [VIR_FROM_TEST] = "Test Driver",
    [VIR_FROM_REMOTE] = "Remote Driver",
    [VIR_FROM_OPENVZ] = "OpenVZ Driver",
    [VIR_FROM_XENXM] = "Xen XM Driver",
    [VIR_FROM_STATS_LINUX] = "Linux Statistics",
    [VIR_FROM_LXC] = "LXC Driver",
    [VIR_FROM_STORAGE] = "Storage Driver",
    [VIR_FROM_NETWORK] = "Network Driver",
    [VIR_FROM_DOMAIN] = "Domain Config",
    [VIR_FROM_UML] = "User Mode Linux Driver",
    [VIR_FROM_NODEDEV] = "Node Device Driver",
    [VIR_FROM_XEN_INOTIFY] = "Xen Inotify Driver",
    [VIR_FROM_SECURITY] = "Security Driver",
    [VIR_FROM_VBOX] = "VirtualBox Driver",
    [VIR_FROM_INTERFACE] = "Network Interface Driver",
    [VIR_FROM_ONE] = "Open Nebula Driver",
    [VIR_FROM_ESX] = "ESX Driver",
    [VIR_FROM_PHYP] = "Power Hypervisor Driver",
    [VIR_FROM_SECRET] = "Secrets Driver",
    [VIR_FROM_CPU] = "CPU Driver",
    [VIR_FROM_XENAPI] = "XenAPI Driver",
    [VIR_FROM_NWFILTER] = "Network Filter Driver",
    [VIR_FROM_HOOK] = "Lifecycle Hook",
    [VIR_FROM_DOMAIN_SNAPSHOT] = "Domain Snapshot",
    [VIR_FROM_AUDIT] = "Audit Utils",
    [VIR_FROM_SYSINFO] = "Sysinfo Utils",
    [VIR_FROM_STREAMS] = "I/O Stream Utils",
    [VIR_FROM_VMWARE] = "VMware Driver",
    [VIR_FROM_EVENT] = "Event Loop",
    [VIR_FROM_LIBXL] = "Xen Light Driver",
    [VIR_FROM_LOCKING] = "Lock Driver",
    [VIR_FROM_HYPERV] = "Hyper-V Driver",
    [VIR_FROM_CAPABILITIES] = "Capabilities Utils",
    [VIR_FROM_URI] = "URI Utils",
    [VIR_FROM_AUTH] = "Authentication Utils",
    [VIR_FROM_DBUS] = "DBus Utils",
    [VIR_FROM_PARALLELS] = "Parallels Cloud Server",
    [VIR_FROM_DEVICE] = "Device Config",
    [VIR_FROM_SSH] = "SSH transport layer",
    [VIR_FROM_LOCKSPACE] = "Lock Space",
    [VIR_FROM_INITCTL] = "Init control",
    [VIR_FROM_IDENTITY] = "Identity",
    [VIR_FROM_CGROUP] = "Cgroup",
    [VIR_FROM_ACCESS] = "Access Manager",
    [VIR_FROM_SYSTEMD] = "Systemd",
    [VIR_FROM_BHYVE] = "Bhyve",
    [VIR_FROM_CRYPTO] = "Crypto",
    [VIR_FROM_FIREWALL] = "Firewall",
    [VIR_FROM_POLKIT] = "Polkit",
    [VIR_FROM_THREAD] = "Thread jobs",
    [VIR_FROM_ADMIN] = "Admin Interface",
    [VIR_FROM_LOGGING] = "Log Manager",
    [VIR_FROM_XENXL] = "Xen XL Config",
    [VIR_FROM_PERF] = "Perf",
    [VIR_FROM_LIBSSH] = "Libssh transport layer",
    [VIR_FROM_RESCTRL] = "Resource control",
    [VIR_FROM_FIREWALLD] = "FirewallD",
    [VIR_FROM_DOMAIN_CHECKPOINT] = "Domain Checkpoint",
    [VIR_FROM_TPM] = "TPM",
    [VIR_FROM_BPF] = "BPF",
    [VIR_FROM_CH] = "Cloud-Hypervisor Driver",
};

G_STATIC_ASSERT(G_N_ELEMENTS(vkErrorDomainNames) == VIR_FROM_CH + 1);


/* ------------------------------------------------------------------ */
/* The thread's last error                                              */
/* ------------------------------------------------------------------ */

static void vkLastErrorFree(gpointer data);

/* One virError per thread, allocated on first use and freed with the
 * thread. */
static GPrivate vkLastErrorKey = G_PRIVATE_INIT(vkLastErrorFree);

/* The handler set with virSetErrorFunc.  Handler and data change together,
 * so they share a lock rather than two atomics. */
static GMutex vkGlobalHandlerLock;
static virErrorFunc vkGlobalHandler;
static void *vkGlobalHandlerData;

static void
vkLastErrorFree(gpointer data)
{
    virFreeError(data);
}

static virErrorPtr
vkLastError(void)
{
    virErrorPtr err = g_private_get(&vkLastErrorKey);

    if (!err) {
        err = g_new0(virError, 1);
        g_private_set(&vkLastErrorKey, err);
    }
    return err;
}

/* Deep copy of the fields an error owns.  Object pointers are never
 * copied: an error outlives the objects it might name. */
static void
vkErrorCopy(const virError *from, virErrorPtr to)
{
    virResetError(to);
    to->code = from->code;
    to->domain = from->domain;
    to->level = from->level;
    to->message = g_strdup(from->message);
    to->str1 = g_strdup(from->str1);
    to->str2 = g_strdup(from->str2);
    to->str3 = g_strdup(from->str3);
    to->int1 = from->int1;
    to->int2 = from->int2;
}

/* A live connection handle, or NULL.  Error calls take handles that may be
 * NULL; anything not carrying the connection magic is treated as NULL. */
static virConnectPtr
vkConnOrNull(virConnectPtr conn)
{
    if (conn && conn->magic == VK_MAGIC_CONNECT)
        return conn;
    return NULL;
}

void
vkErrorReportFull(int from, int code, const char *file, const char *func,
                  size_t line, const char *fmt, ...)
{
    int saved_errno = errno;
    virErrorPtr err = vkLastError();
    g_autofree char *detail = NULL;
    const vkErrorWording *w = NULL;

    virResetError(err);
    if (code == VIR_ERR_OK) {
        errno = saved_errno;
        return;
    }

    if (fmt) {
        va_list ap;

        va_start(ap, fmt);
        detail = g_strdup_vprintf(fmt, ap);
        va_end(ap);
    }

    if (code > VIR_ERR_OK && code < (int) G_N_ELEMENTS(vkErrorWordings))
        w = &vkErrorWordings[code];

    err->code = code;
    err->domain = from;
    err->level = VIR_ERR_ERROR;
    err->int1 = -1;
    err->int2 = -1;

    /* str1 is the wording as libvirt fills it (its printf template), str2
     * the caller's detail.  A detail that already starts with the code's
     * wording (a libvirtkit-conf sentence such as "unsupported
     * configuration: unknown value ...") is the whole message: the wording
     * is not said twice. */
    if (!w) {
        err->message = g_strdup("No error message provided");
    } else if (!detail) {
        err->message = g_strdup(w->bare);
        err->str1 = g_strdup(w->bare);
    } else if (w->before) {
        if (*w->before && g_str_has_prefix(detail, w->before) && !*w->after)
            err->message = g_strdup(detail);
        else
            err->message = g_strconcat(w->before, detail, w->after, NULL);
        err->str1 = g_strconcat(w->before, "%s", w->after, NULL);
    } else {
        g_autofree char *prefix = g_strconcat(w->bare, ": ", NULL);

        if (g_str_has_prefix(detail, prefix))
            err->message = g_strdup(detail);
        else
            err->message = g_strconcat(prefix, detail, NULL);
        err->str1 = g_strconcat(w->bare, ": %s", NULL);
    }
    err->str2 = g_steal_pointer(&detail);

    if (vkLogHasOutputs() && vkLogWouldLog(VK_LOG_ERROR, VK_LOG_MODULE))
        vkLogMessage(VK_LOG_ERROR, VK_LOG_MODULE, file, (int) line, func,
                     "%s", err->message);

    errno = saved_errno;
}

void
vkErrorDispatch(virConnectPtr conn)
{
    virErrorPtr err = vkLastError();
    virErrorFunc handler = NULL;
    void *data = NULL;

    if (err->code == VIR_ERR_OK) {
        /* The failing path forgot to report; say so rather than nothing. */
        virResetError(err);
        err->code = VIR_ERR_INTERNAL_ERROR;
        err->domain = VIR_FROM_NONE;
        err->level = VIR_ERR_ERROR;
        err->message = g_strdup("An error occurred, but the cause is unknown");
    }

    conn = vkConnOrNull(conn);
    if (conn) {
        g_mutex_lock(&conn->lock);
        vkErrorCopy(err, &conn->err);
        handler = conn->handler;
        data = conn->handler_data;
        g_mutex_unlock(&conn->lock);
    }

    if (!handler) {
        g_mutex_lock(&vkGlobalHandlerLock);
        handler = vkGlobalHandler;
        data = vkGlobalHandlerData;
        g_mutex_unlock(&vkGlobalHandlerLock);
    }

    /* Called with no lock held: a handler may well call back into us. */
    if (handler)
        handler(data, err);
    else
        virDefaultErrorFunc(err);
}

void
vkErrorReportRawFull(int from, int code, const char *file, const char *func,
                     size_t line, const char *fmt, ...)
{
    int saved_errno = errno;
    virErrorPtr err = vkLastError();
    va_list ap;

    virResetError(err);
    va_start(ap, fmt);
    err->message = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    err->code = code;
    err->domain = from;
    err->level = VIR_ERR_ERROR;
    err->int1 = -1;
    err->int2 = -1;
    err->str1 = g_strdup(func);
    if (vkLogHasOutputs() && vkLogWouldLog(VK_LOG_ERROR, VK_LOG_MODULE))
        vkLogMessage(VK_LOG_ERROR, VK_LOG_MODULE, file, (int) line, func, "%s", err->message);
    errno = saved_errno;
}

void
vkErrorRestore(const virError *saved)
{
    if (saved)
        vkErrorCopy(saved, vkLastError());
}

bool
vkErrorIsSet(void)
{
    virErrorPtr err = g_private_get(&vkLastErrorKey);

    return err && err->code != VIR_ERR_OK;
}


/* ------------------------------------------------------------------ */
/* Public API                                                           */
/* ------------------------------------------------------------------ */

/**
 * virGetLastError:
 *
 * The calling thread's last error.  Each thread has its own, so threads
 * never see one another's errors.
 *
 * Returns: a pointer to the thread's error, or NULL when none is set.  The
 * error stays owned by the library: do not free it; it changes with the
 * next call the thread makes.  Copy it (virCopyLastError, virSaveLastError)
 * to keep it.
 *
 * Since: 0.1.0
 */
virErrorPtr
virGetLastError(void)
{
    virErrorPtr err = vkLastError();

    if (err->code == VIR_ERR_OK)
        return NULL;
    return err;
}

/**
 * virGetLastErrorCode:
 *
 * Returns: the code (a virErrorNumber) of the calling thread's last error,
 * or VIR_ERR_OK when none is set.  Thread-safe; reads only this thread's
 * error.
 *
 * Since: 4.5.0
 */
int
virGetLastErrorCode(void)
{
    return vkLastError()->code;
}

/**
 * virGetLastErrorDomain:
 *
 * Returns: the origin (a virErrorDomain) of the calling thread's last error,
 * or VIR_FROM_NONE when none is set.  Thread-safe; reads only this thread's
 * error.
 *
 * Since: 4.5.0
 */
int
virGetLastErrorDomain(void)
{
    return vkLastError()->domain;
}

/**
 * virGetLastErrorMessage:
 *
 * Returns: the message of the calling thread's last error; "no error" when
 * none is set; "unknown error" for an error without a message.  Never NULL.
 * The string belongs to the library and is valid until the thread's next
 * call into it.
 *
 * Since: 1.0.6
 */
const char *
virGetLastErrorMessage(void)
{
    virErrorPtr err = vkLastError();

    if (err->code == VIR_ERR_OK)
        return "no error";
    if (!err->message)
        return "unknown error";
    return err->message;
}

/*
 * virtkitSetLastError: the calling thread's last error becomes a copy of
 * @err (NULL or code VIR_ERR_OK resets it).  Nothing is dispatched or
 * logged.  For programs that relay an error made elsewhere (virtkitd
 * answering a remote call); see virtkit-own.h.
 */
void
virtkitSetLastError(const virError *err)
{
    if (!err || err->code == VIR_ERR_OK) {
        virResetLastError();
        return;
    }
    vkErrorCopy(err, vkLastError());
}

/**
 * virCopyLastError:
 * @to: where to copy the error; need not be initialized
 *
 * Deep-copies the calling thread's last error into @to (zeroed first, so
 * with no error set @to ends up all zero).  The object pointers of @to stay
 * NULL.  Release the copy's strings with virResetError().
 *
 * Returns: the copied error's code (VIR_ERR_OK when none is set), or -1 when
 * @to is NULL.
 *
 * Since: 0.1.0
 */
int
virCopyLastError(virErrorPtr to)
{
    if (!to)
        return -1;

    /* The caller's struct may hold garbage: do not free what it points at. */
    memset(to, 0, sizeof(*to));
    vkErrorCopy(vkLastError(), to);
    return to->code;
}

/**
 * virSaveLastError:
 *
 * Copies the calling thread's last error into a new object; with no error
 * set, the copy has code VIR_ERR_OK.  errno is left unchanged.
 *
 * Returns: the copy, never NULL.  The caller owns it and frees it with
 * virFreeError().
 *
 * Since: 0.6.1
 */
virErrorPtr
virSaveLastError(void)
{
    int saved_errno = errno;
    virErrorPtr to = g_new0(virError, 1);

    virCopyLastError(to);
    errno = saved_errno;
    return to;
}

/**
 * virResetError:
 * @err: an error whose strings the caller owns (a virCopyLastError target,
 *       or a virError inside a virSaveLastError result); NULL is ignored
 *
 * Frees the strings @err holds and zeroes it.  It does not free @err itself.
 *
 * Since: 0.1.0
 */
void
virResetError(virErrorPtr err)
{
    if (!err)
        return;
    g_free(err->message);
    g_free(err->str1);
    g_free(err->str2);
    g_free(err->str3);
    memset(err, 0, sizeof(*err));
}

/**
 * virFreeError:
 * @err: an error from virSaveLastError(), or NULL
 *
 * Frees @err and the strings it holds.
 *
 * Since: 0.6.1
 */
void
virFreeError(virErrorPtr err)
{
    virResetError(err);
    g_free(err);
}

/**
 * virResetLastError:
 *
 * Clears the calling thread's last error.  Other threads' errors are
 * untouched.
 *
 * Since: 0.1.0
 */
void
virResetLastError(void)
{
    virErrorPtr err = g_private_get(&vkLastErrorKey);

    if (err)
        virResetError(err);
}

/**
 * virConnGetLastError:
 * @conn: a connection, or NULL
 *
 * The last error dispatched by a call on @conn.  Every such error is also
 * the failing thread's last error, which is the one to use: this per
 * connection copy is shared by all threads and is not protected against a
 * concurrent failure overwriting it.
 *
 * Returns: a pointer into @conn (owned by it, valid while @conn is; its code
 * is VIR_ERR_OK when no error has been dispatched), or NULL when @conn is
 * NULL or not a connection.
 *
 * Since: 0.1.0
 */
virErrorPtr
virConnGetLastError(virConnectPtr conn)
{
    conn = vkConnOrNull(conn);
    if (!conn)
        return NULL;
    return &conn->err;
}

/**
 * virConnCopyLastError:
 * @conn: a connection
 * @to: where to copy the error; need not be initialized
 *
 * Deep-copies the last error dispatched by a call on @conn into @to, under
 * the connection's lock.  With none, @to is zeroed.  Release the copy's
 * strings with virResetError().
 *
 * Returns: the copied code (0 when there is no error), or -1 when @conn or
 * @to is NULL or @conn is not a connection.
 *
 * Since: 0.1.0
 */
int
virConnCopyLastError(virConnectPtr conn, virErrorPtr to)
{
    if (!to)
        return -1;
    memset(to, 0, sizeof(*to));

    conn = vkConnOrNull(conn);
    if (!conn)
        return -1;

    g_mutex_lock(&conn->lock);
    vkErrorCopy(&conn->err, to);
    g_mutex_unlock(&conn->lock);
    return to->code;
}

/**
 * virConnResetLastError:
 * @conn: a connection, or NULL (ignored)
 *
 * Clears the last error kept on @conn.  Thread-safe.
 *
 * Since: 0.1.0
 */
void
virConnResetLastError(virConnectPtr conn)
{
    conn = vkConnOrNull(conn);
    if (!conn)
        return;

    g_mutex_lock(&conn->lock);
    virResetError(&conn->err);
    g_mutex_unlock(&conn->lock);
}

/**
 * virSetErrorFunc:
 * @userData: passed to @handler as its first argument
 * @handler: called for every failed call whose connection has no handler of
 *           its own; NULL restores the default, virDefaultErrorFunc
 *
 * Sets the process-wide error handler.  The handler runs in the thread
 * whose call failed, with no library lock held, and receives that thread's
 * last error (owned by the library; copy it to keep it).  Thread-safe.
 *
 * Since: 0.1.0
 */
void
virSetErrorFunc(void *userData, virErrorFunc handler)
{
    g_mutex_lock(&vkGlobalHandlerLock);
    vkGlobalHandler = handler;
    vkGlobalHandlerData = userData;
    g_mutex_unlock(&vkGlobalHandlerLock);
}

/**
 * virConnSetErrorFunc:
 * @conn: a connection, or NULL (ignored)
 * @userData: passed to @handler as its first argument
 * @handler: called for every failed call on @conn, instead of the global
 *           handler; NULL falls back to the global handler
 *
 * Sets @conn's error handler, under the connection's lock.  The handler runs
 * as described for virSetErrorFunc().
 *
 * Since: 0.1.0
 */
void
virConnSetErrorFunc(virConnectPtr conn, void *userData, virErrorFunc handler)
{
    conn = vkConnOrNull(conn);
    if (!conn)
        return;

    g_mutex_lock(&conn->lock);
    conn->handler = handler;
    conn->handler_data = userData;
    g_mutex_unlock(&conn->lock);
}

/**
 * virDefaultErrorFunc:
 * @err: the error to print; NULL or an error with code VIR_ERR_OK prints
 *       nothing
 *
 * Prints @err to stderr as libvirt does:
 * "libvirt: <origin> <level> : <message>\n", where <origin> is the name of
 * @err's domain ("QEMU Driver", "Test Driver", empty for VIR_FROM_NONE,
 * "Unknown" out of range) and <level> is "error", "warning" or empty.  No
 * newline is added to a message that ends with one.  An XML_DETAIL error
 * from VIR_FROM_XML with a line number in int1 prints
 * "libvirt: <origin> <level> : line <n>: <message>" as is.  Object names
 * are never printed: errors here hold no object pointers.
 *
 * Since: 0.1.0
 */
void
virDefaultErrorFunc(virErrorPtr err)
{
    const char *level = "";
    const char *origin = "Unknown";
    const char *message;
    size_t len;

    if (!err || err->code == VIR_ERR_OK)
        return;

    if (err->level == VIR_ERR_WARNING)
        level = "warning";
    else if (err->level == VIR_ERR_ERROR)
        level = "error";

    if (err->domain >= 0 && err->domain < (int) G_N_ELEMENTS(vkErrorDomainNames))
        origin = vkErrorDomainNames[err->domain];

    message = err->message ? err->message : "";
    len = strlen(message);

    /* libvirt prints "<origin> <level> <domain name><network name>: "; the
     * two names are always empty here. */
    if (err->domain == VIR_FROM_XML && err->code == VIR_ERR_XML_DETAIL &&
        err->int1 != 0)
        fprintf(stderr, "libvirt: %s %s : line %d: %s",
                origin, level, err->int1, message);
    else if (len == 0 || message[len - 1] != '\n')
        fprintf(stderr, "libvirt: %s %s : %s\n", origin, level, message);
    else
        fprintf(stderr, "libvirt: %s %s : %s", origin, level, message);
}
