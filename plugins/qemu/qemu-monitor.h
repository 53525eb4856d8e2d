/*
 * qemu-monitor.h: a QMP client on json-glib over QEMU's unix monitor
 * socket.  One reader thread per monitor (the plugin's own, so no call
 * depends on the application running an event loop) parses what QEMU
 * sends: replies wake the caller waiting for that id, events and the end
 * of the stream go to the callbacks.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef QEMU_MONITOR_H
#define QEMU_MONITOR_H

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _qemuMonitor qemuMonitor;

/* A message larger than this (bytes, one JSON line) is refused: QEMU's
 * largest answer, query-qmp-schema, is a few hundred KiB. */
#define QEMU_MONITOR_DEFAULT_MAX_MESSAGE (16 * 1024 * 1024)

typedef struct _qemuMonitorCallbacks {
    /* An asynchronous event ("STOP", "SHUTDOWN", ...) with its "data"
     * object (may be NULL).  Runs on the monitor's reader thread. */
    void (*event)(qemuMonitor *mon, const char *name, JsonObject *data, void *opaque);
    /* The stream ended (QEMU exited or closed the socket).  Runs once, on
     * the reader thread, unless qemuMonitorClose came first. */
    void (*eof)(qemuMonitor *mon, void *opaque);
} qemuMonitorCallbacks;

/* The error domain of qemuMonitor GErrors. */
#define QEMU_MONITOR_ERROR (qemuMonitorErrorQuark())
GQuark qemuMonitorErrorQuark(void);
typedef enum {
    QEMU_MONITOR_ERROR_FAILED,    /* I/O or protocol failure */
    QEMU_MONITOR_ERROR_EOF,       /* the monitor closed */
    QEMU_MONITOR_ERROR_TIMEOUT,   /* no answer in time */
    QEMU_MONITOR_ERROR_COMMAND,   /* QEMU answered with an "error" object */
    QEMU_MONITOR_ERROR_TOO_BIG,   /* a message over the size limit */
} qemuMonitorError;

/*
 * qemuMonitorOpen:
 * @fd: a connected (or connecting) unix stream socket to QEMU's monitor;
 *      taken over (closed by the monitor)
 * @path: the socket's path, for messages
 * @timeout_ms: how long to wait for the greeting and qmp_capabilities
 * @max_message: message size limit in bytes (0: the default)
 * @cbs, @opaque: callbacks; @opaque_free runs when the monitor is freed
 *
 * Reads QEMU's greeting, negotiates capabilities, then starts delivering
 * events.  Callbacks never run before this returns.
 *
 * Returns: the monitor (one reference for the caller), or NULL with @error.
 */
qemuMonitor *qemuMonitorOpen(int fd, const char *path, int timeout_ms, gsize max_message,
                             const qemuMonitorCallbacks *cbs, void *opaque,
                             GDestroyNotify opaque_free, GError **error);

/*
 * qemuMonitorCommand:
 * @args: (transfer full) (nullable): the "arguments" object
 *
 * Sends @cmd with a fresh id and waits up to @timeout_ms for its answer.
 * Commands are serialised per monitor.  Never call it from a callback.
 *
 * Returns: (transfer full): the "return" member, or NULL with @error
 * (QEMU_MONITOR_ERROR_COMMAND carries QEMU's "desc").
 */
JsonNode *qemuMonitorCommand(qemuMonitor *mon, const char *cmd, JsonObject *args,
                             int timeout_ms, GError **error);

/* A reference for a caller that uses @mon without the lock that keeps it
 * (qemuMonitorClose from another thread then leaves it allocated; its
 * commands fail with QEMU_MONITOR_ERROR_EOF).  Any thread. */
qemuMonitor *qemuMonitorRef(qemuMonitor *mon);
void qemuMonitorUnref(qemuMonitor *mon);

/* The QEMU version from the greeting: major * 1000000 + minor * 1000 + micro. */
unsigned long qemuMonitorGetVersion(qemuMonitor *mon);
/* Whether the stream ended (set before the eof callback runs). */
gboolean qemuMonitorGotEOF(qemuMonitor *mon);

/* Stops event delivery, closes the socket and drops the caller's
 * reference.  Safe from any thread but the reader's own callbacks.  A
 * callback that had already started may still be running: callbacks check,
 * under their own lock, that the monitor is still the one they use. */
void qemuMonitorClose(qemuMonitor *mon);

G_END_DECLS

#endif /* QEMU_MONITOR_H */
