/*
 * qemu-driver.h: what the qemu plugin's files share.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef QEMU_DRIVER_H
#define QEMU_DRIVER_H

#include <glib.h>
#include <gio/gio.h>
#include <virtkit/virtkit-plugin.h>

#include "virtkit-conf-domain.h"
#include "qemu-monitor.h"
#include "qemu-caps.h"

#define QEMU_PLUGIN_NAME "qemu"

/* The plugin's host table (set once by init). */
extern const virtkitPluginHost *qemuHostTable;

#define QEMU_REPORT(code, ...) \
    VIRTKIT_PLUGIN_REPORT(qemuHostTable, VIR_FROM_QEMU, (code), __VA_ARGS__)
#define QEMU_REPORT_FROM(from, code, ...) \
    VIRTKIT_PLUGIN_REPORT(qemuHostTable, (from), (code), __VA_ARGS__)
#define QEMU_CHECK_FLAGS(flags, supported, retval) \
    VIRTKIT_CHECK_FLAGS(qemuHostTable, VIR_FROM_QEMU, flags, supported, retval)

typedef struct _qemuHost qemuHost;

/*
 * One domain of an embed root.  Fields are guarded by the host's lock;
 * the process fields are changed only by the holder of the domain's job
 * (or by the monitor's EOF handler, under the lock).
 */
typedef struct _qemuDom {
    gint refs;                   /* atomic: monitor threads hold references */
    qemuHost *host;              /* a reference */
    bool removed;                /* no longer listed */

    unsigned char uuid[VIR_UUID_BUFLEN];
    char *name;
    int id;                      /* -1 while inactive */
    virtkitDomainDef *def;       /* the live definition while active, else the config */
    virtkitDomainDef *newDef;    /* the persistent config while active, else NULL */
    bool persistent;
    int state;                   /* virDomainState */
    int reason;

    /* the running QEMU */
    GSubprocess *proc;           /* NULL for a process found at reconnect */
    GPid pid;
    guint64 startTime;           /* /proc/PID/stat starttime: guards against pid reuse */
    char *monPath;
    qemuMonitor *mon;            /* NULL while inactive */
    bool gotShutdown;            /* QEMU said SHUTDOWN: an EOF is a shutdown */
    bool fakeReboot;             /* virDomainReboot asked: the next SHUTDOWN is a reboot */
    bool beingDestroyed;         /* an EOF is expected */
    int pausedReason;            /* the reason a STOP event gets (we asked) */
    virConnectPtr autodestroyConn;

    /* the job that holds the domain, NULL when none */
    const char *job;
    gint64 jobSinceMono;
} qemuDom;

struct _qemuHost {
    gint refs;                   /* atomic */
    char *root;
    char *configDir;             /* ROOT/etc/qemu: NAME.xml, the persistent configs */
    char *stateDir;              /* ROOT/run/qemu: NAME.xml live status, NAME.monitor */
    char *logDir;                /* ROOT/log/qemu: NAME.log, QEMU's stdout and stderr */
    char *cacheDir;              /* ROOT/cache/qemu */

    GMutex lock;
    GCond jobCond;               /* signalled whenever a job ends */
    GPtrArray *doms;             /* qemuDom * (a reference each), in definition order */
    GPtrArray *conns;            /* the open connections on this root */
    GPtrArray *deferredFree;     /* event handles to release once unlocked */
    int nextId;
    bool closed;                 /* its last connection went: callbacks do nothing */

    GMutex capsLock;             /* guards caps; held across a probe (one at a time) */
    qemuCaps *caps;              /* the binary's, once asked for; NULL before */
};

#endif /* QEMU_DRIVER_H */
