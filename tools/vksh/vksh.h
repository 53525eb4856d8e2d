/*
 * vksh.h: the shell's control structure, command tables and the helpers
 * every command uses.  The framework follows virsh's (command and option
 * tables, positional options, help layout, `error:` lines, exit codes) so
 * that scripts written for virsh run unchanged.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VKSH_H
# define VKSH_H

# include <stdbool.h>
# include <glib.h>
# include <json-glib/json-glib.h>
# include <virtkit/virtkit.h>

typedef enum {
    VKSH_OT_BOOL,    /* --name, no value */
    VKSH_OT_STRING,  /* --name VALUE; positional unless VKSH_OFLAG_NOPOS */
    VKSH_OT_INT,     /* --name NUMBER; positional unless VKSH_OFLAG_NOPOS */
    VKSH_OT_DATA,    /* a required positional string */
    VKSH_OT_ARGV,    /* every remaining positional argument; always last */
} vkshOptType;

typedef enum {
    VKSH_OFLAG_NONE = 0,
    VKSH_OFLAG_REQ = 1 << 0,    /* the option must be given */
    VKSH_OFLAG_NOPOS = 1 << 1,  /* only as --name VALUE, never positional (virsh's REQ_OPT) */
    VKSH_OFLAG_EMPTY_OK = 1 << 2, /* an empty string value is allowed */
} vkshOptFlags;

typedef struct {
    const char *name;
    vkshOptType type;
    unsigned int flags;
    const char *help;
} vkshCmdOptDef;

typedef struct _vkshControl vkshControl;
typedef struct _vkshCmd vkshCmd;

typedef enum {
    VKSH_CMD_FLAG_NOCONNECT = 1 << 0,  /* runs without a connection */
    VKSH_CMD_FLAG_NOBLANK = 1 << 1,    /* no blank line after it (virsh's echo) */
} vkshCmdFlags;

typedef struct {
    const char *name;
    bool (*handler)(vkshControl *ctl, const vkshCmd *cmd);
    const vkshCmdOptDef *opts;
    const char *help;   /* one line, for `help` listings */
    const char *desc;   /* the DESCRIPTION paragraph; "" for none */
    unsigned int flags;
} vkshCmdDef;

typedef struct {
    const char *name;
    const char *keyword;
    const vkshCmdDef *commands;   /* terminated by an entry with name NULL */
} vkshCmdGrp;

typedef struct _vkshCmdOpt vkshCmdOpt;
struct _vkshCmdOpt {
    const vkshCmdOptDef *def;
    char *data;                   /* NULL for booleans */
    vkshCmdOpt *next;
};

struct _vkshCmd {
    const vkshCmdDef *def;
    vkshCmdOpt *opts;
    vkshCmd *next;
};

struct _vkshControl {
    char *uri;                    /* -c, or NULL for the default */
    virConnectPtr conn;
    bool readonly;                /* -r */
    bool quiet;                   /* -q */
    bool timing;                  /* -t */
    int debug;                    /* -d, 0..4; -1 when unset */
    char *logfile;                /* -l */
    FILE *logfp;
    int keepaliveInterval;        /* -k; -1 when unset */
    int keepaliveCount;           /* -K; -1 when unset */
    char *escapeChar;             /* -e */
    bool interactive;             /* reading commands from a terminal or pipe */
    bool istty;
    bool quit;                    /* `quit` / `exit` seen */
    bool useDefaultEventLoop;     /* virEventRegisterDefaultImpl() was called */
    vkshCmd *cmd;                 /* the commands being run */
};

/* Command groups (vksh-cmdtab.c). */
extern const vkshCmdGrp vkshCmdGroups[];

const vkshCmdDef *vkshCmdDefSearch(const char *name);
const vkshCmdGrp *vkshCmdGrpSearch(const char *name);
bool vkshCmdDefHelp(vkshControl *ctl, const vkshCmdDef *def);
bool vkshCmdGrpHelp(vkshControl *ctl, const vkshCmdGrp *grp);

/* Output.  vkshPrintExtra is silenced by -q; errors go to stderr as
 * "error: ..." after stdout is flushed. */
void vkshPrint(vkshControl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void vkshPrintExtra(vkshControl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void vkshError(vkshControl *ctl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void vkshDebug(vkshControl *ctl, int level, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* The libvirt error saved by the error handler; reported once when a command fails. */
void vkshReportError(vkshControl *ctl);
void vkshResetLibvirtError(void);
void vkshSaveLibvirtError(void);

/* Option accessors.  Each returns 1 when the option was given and valid,
 * 0 when it was not given (the value is left alone), -1 after printing an
 * error. */
bool vkshOptBool(const vkshCmd *cmd, const char *name);
int vkshOptString(vkshControl *ctl, const vkshCmd *cmd, const char *name, const char **value);
int vkshOptInt(vkshControl *ctl, const vkshCmd *cmd, const char *name, int *value);
int vkshOptUInt(vkshControl *ctl, const vkshCmd *cmd, const char *name, unsigned int *value);
int vkshOptUIntWrap(vkshControl *ctl, const vkshCmd *cmd, const char *name, unsigned int *value);
int vkshOptLongLong(vkshControl *ctl, const vkshCmd *cmd, const char *name, long long *value);
int vkshOptULongLong(vkshControl *ctl, const vkshCmd *cmd, const char *name,
                     unsigned long long *value);
int vkshOptScaledInt(vkshControl *ctl, const vkshCmd *cmd, const char *name,
                     unsigned long long *value, unsigned long long scale,
                     unsigned long long max);
int vkshOptTimeoutToMs(vkshControl *ctl, const vkshCmd *cmd, int *timeout);
const vkshCmdOpt *vkshOptArgv(const vkshCmd *cmd, const vkshCmdOpt *prev);

/* "both --a and --b" mutual exclusion, with virsh's message. */
bool vkshExclusive(vkshControl *ctl, const vkshCmd *cmd, const char *a, const char *b);

/* Parses a size with virsh's suffixes (none = @scale, B, K/KiB, KB = 1000, ...). */
int vkshScaleInteger(const char *str, unsigned long long *value,
                     unsigned long long scale, unsigned long long max);

/* Looks up --NAME (the domain option) by id, UUID or name, as virsh does.
 * Prints "failed to get domain 'X'" and returns NULL when nothing matches. */
virDomainPtr vkshCommandOptDomain(vkshControl *ctl, const vkshCmd *cmd, const char **name);
virDomainPtr vkshCommandOptDomainBy(vkshControl *ctl, const vkshCmd *cmd,
                                    const char *optname, const char **name);
virDomainPtr vkshLookupDomain(vkshControl *ctl, const char *str);

/* Reads a whole file for define/create/attach-device: prints virsh's
 * error on failure. */
char *vkshReadFile(vkshControl *ctl, const char *path);

/* The edit loop of edit and snapshot-edit: @doc written to a temporary
 * file, $VISUAL or $EDITOR (default vi) run on it through the shell as
 * virsh does, and what the file holds afterwards returned; NULL with the
 * error printed.  The file is removed either way. */
char *vkshEditDocument(vkshControl *ctl, const char *doc);

/* A simple table printed like virsh's (left aligned columns, dashed rule). */
typedef struct _vkshTable vkshTable;
vkshTable *vkshTableNew(const char *first, ...) G_GNUC_NULL_TERMINATED;
void vkshTableRowAdd(vkshTable *t, const char *first, ...) G_GNUC_NULL_TERMINATED;
void vkshTablePrint(vkshControl *ctl, vkshTable *t, bool header);
void vkshTableFree(vkshTable *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkshTable, vkshTableFree)

/* Pretty unit for a byte count ("B", "KiB", ... "EiB"). */
double vkshPrettyCapacity(unsigned long long val, const char **unit);

/* Prints a typed parameter value as virsh does. */
char *vkshTypedParamValue(virTypedParameterPtr item);

/* Parses and runs a nested command string (event --run), keeping the
 * commands being run; the result is the last command's. */
bool vkshRunString(vkshControl *ctl, const char *str);

/* Connection handling for commands that need one. */
bool vkshConnect(vkshControl *ctl, const char *uri, bool readonly);

/* JSON output helpers (--json). */
void vkshJsonPrint(vkshControl *ctl, JsonBuilder *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(virDomain, virDomainFree)

/* Command handlers. */
# define VKSH_HANDLER(fn) bool fn(vkshControl *ctl, const vkshCmd *cmd)
VKSH_HANDLER(cmdHelp);
VKSH_HANDLER(cmdQuit);
VKSH_HANDLER(cmdEcho);
VKSH_HANDLER(cmdConnect);
VKSH_HANDLER(cmdPlugins);
VKSH_HANDLER(cmdList);
VKSH_HANDLER(cmdDominfo);
VKSH_HANDLER(cmdDomstate);
VKSH_HANDLER(cmdDomid);
VKSH_HANDLER(cmdDomname);
VKSH_HANDLER(cmdDomuuid);
VKSH_HANDLER(cmdDefine);
VKSH_HANDLER(cmdUndefine);
VKSH_HANDLER(cmdStart);
VKSH_HANDLER(cmdCreate);
VKSH_HANDLER(cmdDestroy);
VKSH_HANDLER(cmdShutdown);
VKSH_HANDLER(cmdReboot);
VKSH_HANDLER(cmdReset);
VKSH_HANDLER(cmdSuspend);
VKSH_HANDLER(cmdResume);
VKSH_HANDLER(cmdSave);
VKSH_HANDLER(cmdRestore);
VKSH_HANDLER(cmdSaveImageDumpxml);
VKSH_HANDLER(cmdManagedSave);
VKSH_HANDLER(cmdManagedSaveRemove);
VKSH_HANDLER(cmdDumpXML);
VKSH_HANDLER(cmdEdit);
VKSH_HANDLER(cmdSetmem);
VKSH_HANDLER(cmdSetvcpus);
VKSH_HANDLER(cmdAttachDevice);
VKSH_HANDLER(cmdDetachDevice);
VKSH_HANDLER(cmdDomblkstat);
VKSH_HANDLER(cmdDomblkinfo);
VKSH_HANDLER(cmdDomblklist);
VKSH_HANDLER(cmdBlockresize);
VKSH_HANDLER(cmdSchedinfo);
VKSH_HANDLER(cmdMemtune);
VKSH_HANDLER(cmdBlkiotune);
VKSH_HANDLER(cmdDomstats);
VKSH_HANDLER(cmdDomjobinfo);
VKSH_HANDLER(cmdNodeinfo);
VKSH_HANDLER(cmdHostname);
VKSH_HANDLER(cmdVersion);
VKSH_HANDLER(cmdURI);
VKSH_HANDLER(cmdCapabilities);
VKSH_HANDLER(cmdDomcapabilities);
VKSH_HANDLER(cmdEvent);
VKSH_HANDLER(cmdSnapshotCreate);
VKSH_HANDLER(cmdSnapshotCreateAs);
VKSH_HANDLER(cmdSnapshotCurrent);
VKSH_HANDLER(cmdSnapshotDelete);
VKSH_HANDLER(cmdSnapshotDumpXML);
VKSH_HANDLER(cmdSnapshotEdit);
VKSH_HANDLER(cmdSnapshotInfo);
VKSH_HANDLER(cmdSnapshotList);
VKSH_HANDLER(cmdSnapshotParent);
VKSH_HANDLER(cmdSnapshotRevert);

#endif /* VKSH_H */
