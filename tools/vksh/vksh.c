/*
 * vksh.c: the virtkit shell.  virsh's command line, parser, help and
 * exit codes (0 when the last command succeeded, 1 otherwise), over
 * libvirtkit.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef WITH_READLINE
# include <readline/readline.h>
# include <readline/history.h>
#endif

#include "vksh.h"
#include "vk-xml-error.h"

#define VKSH_PROMPT_RW "vksh # "
#define VKSH_PROMPT_RO "vksh > "

/* ---- command lookup and help ----------------------------------------- */

const vkshCmdDef *
vkshCmdDefSearch(const char *name)
{
    for (const vkshCmdGrp *g = vkshCmdGroups; g->name; g++) {
        for (const vkshCmdDef *c = g->commands; c->name; c++) {
            if (g_str_equal(c->name, name))
                return c;
        }
    }
    return NULL;
}

const vkshCmdGrp *
vkshCmdGrpSearch(const char *name)
{
    for (const vkshCmdGrp *g = vkshCmdGroups; g->name; g++) {
        if (g_str_equal(g->name, name) || g_str_equal(g->keyword, name))
            return g;
    }
    return NULL;
}

bool
vkshCmdGrpHelp(vkshControl *ctl, const vkshCmdGrp *grp)
{
    vkshPrint(ctl, " %s (help keyword '%s'):\n", grp->name, grp->keyword);
    for (const vkshCmdDef *c = grp->commands; c->name; c++)
        vkshPrint(ctl, "    %-30s %s\n", c->name, c->help);
    return true;
}

/* The layout of virsh's `help COMMAND`. */
bool
vkshCmdDefHelp(vkshControl *ctl, const vkshCmdDef *def)
{
    g_autoptr(GString) out = g_string_new(NULL);
    bool shortopt = false;   /* true once 'arg' works instead of '--opt arg' */

    g_string_append_printf(out, "  NAME\n    %s - %s\n", def->name, def->help);
    g_string_append_printf(out, "\n  SYNOPSIS\n    %s", def->name);
    for (const vkshCmdOptDef *o = def->opts; o && o->name; o++) {
        bool req = o->flags & VKSH_OFLAG_REQ;

        g_string_append_c(out, ' ');
        switch (o->type) {
        case VKSH_OT_BOOL:
            g_string_append_printf(out, "[--%s]", o->name);
            break;
        case VKSH_OT_INT:
            if (req)
                g_string_append_printf(out, "<%s>", o->name);
            else
                g_string_append_printf(out, "[--%s <number>]", o->name);
            if (!(o->flags & VKSH_OFLAG_NOPOS))
                shortopt = true;
            break;
        case VKSH_OT_STRING:
            g_string_append_printf(out, "[--%s <string>]", o->name);
            if (!(o->flags & VKSH_OFLAG_NOPOS))
                shortopt = true;
            break;
        case VKSH_OT_DATA:
            g_string_append_printf(out, req ? "<%s>" : "[<%s>]", o->name);
            shortopt = true;
            break;
        case VKSH_OT_ARGV:
            if (shortopt)
                g_string_append_printf(out, req ? "{[--%s] <string>}..." : "[[--%s] <string>]...",
                                       o->name);
            else
                g_string_append_printf(out, req ? "<%s>..." : "[<%s>]...", o->name);
            break;
        }
    }
    g_string_append_c(out, '\n');
    if (def->desc && *def->desc)
        g_string_append_printf(out, "\n  DESCRIPTION\n    %s\n", def->desc);
    if (def->opts && def->opts->name) {
        g_string_append(out, "\n  OPTIONS\n");
        for (const vkshCmdOptDef *o = def->opts; o->name; o++) {
            g_autofree char *buf = NULL;

            switch (o->type) {
            case VKSH_OT_BOOL:
                buf = g_strdup_printf("--%s", o->name);
                break;
            case VKSH_OT_INT:
                buf = g_strdup_printf((o->flags & VKSH_OFLAG_REQ) ? "[--%s] <number>"
                                      : "--%s <number>", o->name);
                break;
            case VKSH_OT_STRING:
                buf = g_strdup_printf("--%s <string>", o->name);
                break;
            case VKSH_OT_DATA:
                buf = g_strdup_printf("[--%s] <string>", o->name);
                break;
            case VKSH_OT_ARGV:
                buf = g_strdup_printf(shortopt ? "[--%s] <string>" : "<%s>", o->name);
                break;
            }
            g_string_append_printf(out, "    %-15s  %s\n", buf, o->help);
        }
    }
    g_string_append_c(out, '\n');
    vkshPrint(ctl, "%s", out->str);
    return true;
}

bool
cmdHelp(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *name = NULL;
    const vkshCmdDef *def;
    const vkshCmdGrp *grp;

    if (vkshOptString(ctl, cmd, "command", &name) <= 0) {
        vkshPrint(ctl, "%s", "Grouped commands:\n\n");
        for (grp = vkshCmdGroups; grp->name; grp++) {
            vkshCmdGrpHelp(ctl, grp);
            vkshPrint(ctl, "\n");
        }
        return true;
    }
    if ((def = vkshCmdDefSearch(name)))
        return vkshCmdDefHelp(ctl, def);
    if ((grp = vkshCmdGrpSearch(name)))
        return vkshCmdGrpHelp(ctl, grp);
    vkshError(ctl, "command or command group '%s' doesn't exist", name);
    return false;
}

bool
cmdQuit(vkshControl *ctl, const vkshCmd *cmd)
{
    (void)cmd;
    ctl->quit = true;
    return true;
}

/* virsh's quoting for echo --shell: bare when only safe characters */
static void
vkshShellQuote(GString *out, const char *arg)
{
    const char *safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+@%:,=";

    if (*arg && strspn(arg, safe) == strlen(arg)) {
        g_string_append(out, arg);
        return;
    }
    g_string_append_c(out, '\'');
    for (const char *p = arg; *p; p++) {
        if (*p == '\'')
            g_string_append(out, "'\\''");
        else
            g_string_append_c(out, *p);
    }
    g_string_append_c(out, '\'');
}

bool
cmdEcho(vkshControl *ctl, const vkshCmd *cmd)
{
    bool shell = vkshOptBool(cmd, "shell");
    bool xml = vkshOptBool(cmd, "xml");
    bool split = vkshOptBool(cmd, "split");
    g_autoptr(GString) out = g_string_new(NULL);
    int count = 0;

    for (const vkshCmdOpt *o = NULL; (o = vkshOptArgv(cmd, o));) {
        g_auto(GStrv) parts = NULL;

        if (split) {
            /* ',,' is a literal comma */
            g_autoptr(GString) cur = g_string_new(NULL);
            g_autoptr(GPtrArray) arr = g_ptr_array_new();
            for (const char *p = o->data; ; p++) {
                if (*p == ',' && p[1] == ',') {
                    g_string_append_c(cur, ',');
                    p++;
                } else if (*p == ',' || !*p) {
                    g_ptr_array_add(arr, g_strdup(cur->str));
                    g_string_truncate(cur, 0);
                    if (!*p)
                        break;
                } else {
                    g_string_append_c(cur, *p);
                }
            }
            g_ptr_array_add(arr, NULL);
            parts = (GStrv)g_ptr_array_free(g_steal_pointer(&arr), FALSE);
        } else {
            parts = g_new0(char *, 2);
            parts[0] = g_strdup(o->data);
        }
        for (size_t i = 0; parts[i]; i++) {
            g_autofree char *val = xml ? g_markup_escape_text(parts[i], -1) : g_strdup(parts[i]);

            if (count++)
                g_string_append_c(out, split ? '\n' : ' ');
            if (shell)
                vkshShellQuote(out, val);
            else
                g_string_append(out, val);
        }
    }
    if (vkshOptBool(cmd, "err"))
        fprintf(stderr, "%s\n", out->str);
    else
        vkshPrint(ctl, "%s\n", out->str);
    return true;
}

/* ---- connection ------------------------------------------------------- */

/* -c was given: connect before the first command, as virsh does. */
static bool vkshUriOption;

static void
vkshErrorHandler(void *opaque, virErrorPtr error)
{
    (void)opaque;
    (void)error;
    vkshSaveLibvirtError();
    if (g_getenv("VKSH_DEBUG"))
        virDefaultErrorFunc(error);
}

bool
vkshConnect(vkshControl *ctl, const char *uri, bool readonly)
{
    if (ctl->conn) {
        virConnectClose(ctl->conn);
        ctl->conn = NULL;
    }
    if (uri != ctl->uri) {
        g_free(ctl->uri);
        ctl->uri = g_strdup(uri);
    }
    ctl->readonly = readonly;
    ctl->conn = virConnectOpenAuth(ctl->uri, virConnectAuthPtrDefault,
                                   readonly ? VIR_CONNECT_RO : 0);
    if (!ctl->conn) {
        vkshError(ctl, "%s", "failed to connect to the hypervisor");
        return false;
    }
    if (ctl->keepaliveInterval >= 0 || ctl->keepaliveCount >= 0) {
        int interval = ctl->keepaliveInterval >= 0 ? ctl->keepaliveInterval : 5;
        int count = ctl->keepaliveCount >= 0 ? ctl->keepaliveCount : 6;

        /* an in-process driver has no keepalive to set: not an error, as in virsh */
        if (virConnectSetKeepAlive(ctl->conn, interval, count) < 0)
            vkshResetLibvirtError();
    }
    return true;
}

bool
cmdConnect(vkshControl *ctl, const vkshCmd *cmd)
{
    const char *name = NULL;
    bool ro = vkshOptBool(cmd, "readonly");

    if (vkshOptString(ctl, cmd, "name", &name) < 0)
        return false;
    if (!vkshConnect(ctl, name ? name : ctl->uri, ro))
        return false;
    return true;
}

/* ---- parsing ---------------------------------------------------------- */

typedef enum {
    VKSH_TK_ERROR,
    VKSH_TK_ARG,
    VKSH_TK_SUBCMD_END,
    VKSH_TK_END,
} vkshToken;

typedef struct {
    /* string mode */
    const char *pos;
    /* argv mode */
    char **argPos;
    char **argEnd;
    bool argvMode;
} vkshParser;

/* The shell-like tokenizer of virsh: blanks separate, ';' and newline end
 * a command, quotes and backslashes as in sh, '#' starts a comment. */
static vkshToken
vkshStringGetArg(vkshControl *ctl, vkshParser *p, char **res)
{
    bool sq = false, dq = false;
    const char *s = p->pos;
    GString *q;

    *res = NULL;
    while (*s == ' ' || *s == '\t' || (*s == '\\' && s[1] == '\n'))
        s += 1 + (*s == '\\');
    if (!*s) {
        p->pos = s;
        return VKSH_TK_END;
    }
    if (*s == ';' || *s == '\n') {
        p->pos = s + 1;
        return VKSH_TK_SUBCMD_END;
    }
    if (*s == '#') {
        while (*s && *s != '\n')
            s++;
        p->pos = s + !!*s;
        return VKSH_TK_SUBCMD_END;
    }
    q = g_string_new(NULL);
    while (*s) {
        if (!dq && !sq && (*s == ' ' || *s == '\t' || *s == ';' || *s == '\n'))
            break;
        if (!dq && *s == '\'') {
            sq = !sq;
            s++;
            continue;
        } else if (!sq && *s == '\\') {
            s++;
            if (!*s) {
                vkshError(ctl, "%s", "dangling \\");
                g_string_free(q, TRUE);
                return VKSH_TK_ERROR;
            } else if (*s == '\n') {
                s++;
                continue;
            }
        } else if (!sq && *s == '"') {
            dq = !dq;
            s++;
            continue;
        }
        g_string_append_c(q, *s++);
    }
    if (dq) {
        vkshError(ctl, "%s", "missing \"");
        g_string_free(q, TRUE);
        return VKSH_TK_ERROR;
    }
    p->pos = s;
    *res = g_string_free(q, FALSE);
    return VKSH_TK_ARG;
}

static vkshToken
vkshGetArg(vkshControl *ctl, vkshParser *p, char **res)
{
    if (!p->argvMode)
        return vkshStringGetArg(ctl, p, res);
    if (p->argPos == p->argEnd) {
        *res = NULL;
        return VKSH_TK_END;
    }
    *res = g_strdup(*p->argPos++);
    return VKSH_TK_ARG;
}

static void
vkshCommandOptFree(vkshCmdOpt *o)
{
    while (o) {
        vkshCmdOpt *next = o->next;
        g_free(o->data);
        g_free(o);
        o = next;
    }
}

static void
vkshCommandFree(vkshCmd *c)
{
    while (c) {
        vkshCmd *next = c->next;
        vkshCommandOptFree(c->opts);
        g_free(c);
        c = next;
    }
}

static const vkshCmdOptDef vkshHelpOpt = {
    "help", VKSH_OT_BOOL, 0, "print help for this function"
};

static const vkshCmdOptDef *
vkshCmdDefGetOption(vkshControl *ctl, const vkshCmdDef *def, const char *name,
                    guint64 *seen, size_t *index)
{
    if (g_str_equal(name, "help"))
        return &vkshHelpOpt;
    for (size_t i = 0; def->opts && def->opts[i].name; i++) {
        const vkshCmdOptDef *o = &def->opts[i];

        if (!g_str_equal(o->name, name))
            continue;
        if ((*seen & (1ULL << i)) && o->type != VKSH_OT_ARGV) {
            vkshError(ctl, "option --%s already seen", name);
            return NULL;
        }
        *seen |= 1ULL << i;
        *index = i;
        return o;
    }
    if (!g_str_equal(def->name, "help"))
        vkshError(ctl, "command '%s' doesn't support option --%s", def->name, name);
    return NULL;
}

static const vkshCmdOptDef *
vkshCmdDefGetData(const vkshCmdDef *def, guint64 *needArg, guint64 *seen)
{
    size_t i;

    if (!*needArg)
        return NULL;
    i = __builtin_ffsll((long long)*needArg) - 1;
    if (def->opts[i].type != VKSH_OT_ARGV)
        *needArg &= ~(1ULL << i);
    *seen |= 1ULL << i;
    return &def->opts[i];
}

static void
vkshCmdDefOptParse(const vkshCmdDef *def, guint64 *needArg, guint64 *required)
{
    *needArg = *required = 0;
    for (size_t i = 0; def->opts && def->opts[i].name; i++) {
        const vkshCmdOptDef *o = &def->opts[i];

        if (o->type == VKSH_OT_BOOL)
            continue;
        if (!(o->flags & VKSH_OFLAG_NOPOS))
            *needArg |= 1ULL << i;
        if (o->flags & VKSH_OFLAG_REQ)
            *required |= 1ULL << i;
    }
}

static bool
vkshCommandCheckOpts(vkshControl *ctl, const vkshCmd *c, guint64 required, guint64 seen)
{
    required &= ~seen;
    if (!required)
        return true;
    for (size_t i = 0; c->def->opts[i].name; i++) {
        const vkshCmdOptDef *o = &c->def->opts[i];

        if (required & (1ULL << i))
            vkshError(ctl, o->type == VKSH_OT_DATA || o->type == VKSH_OT_ARGV
                      ? "command '%s' requires <%s> option"
                      : "command '%s' requires --%s option", c->def->name, o->name);
    }
    return false;
}

/* Parses one command line (or argv) into ctl->cmd, a list of commands.
 * Returns false, after printing why, on a syntax error. */
static bool
vkshCommandParse(vkshControl *ctl, vkshParser *parser)
{
    vkshCmd *clast = NULL;

    g_clear_pointer(&ctl->cmd, vkshCommandFree);
    for (;;) {
        vkshCmdOpt *first = NULL, *last = NULL;
        const vkshCmdDef *def = NULL;
        guint64 needArg = 0, required = 0, seen = 0;
        bool dataOnly = false;
        vkshToken tk;
        char *tkdata = NULL;

        for (;;) {
            const vkshCmdOptDef *opt = NULL;

            tk = vkshGetArg(ctl, parser, &tkdata);
            if (tk == VKSH_TK_ERROR)
                goto syntax_error;
            if (tk != VKSH_TK_ARG)
                break;

            if (!def) {
                if (*tkdata == '#') {
                    /* a comment: argv mode swallows the rest of this command */
                    do {
                        g_free(tkdata);
                        tk = vkshGetArg(ctl, parser, &tkdata);
                    } while (tk == VKSH_TK_ARG && parser->argvMode);
                    g_free(tkdata);
                    break;
                }
                if (!(def = vkshCmdDefSearch(tkdata))) {
                    vkshError(ctl, "unknown command: '%s'", tkdata);
                    goto syntax_error;
                }
                vkshCmdDefOptParse(def, &needArg, &required);
                g_clear_pointer(&tkdata, g_free);
                continue;
            } else if (dataOnly) {
                goto get_data;
            } else if (tkdata[0] == '-' && tkdata[1] == '-' && g_ascii_isalnum(tkdata[2])) {
                char *optstr = strchr(tkdata + 2, '=');
                size_t index = 0;

                if (optstr) {
                    *optstr = '\0';
                    optstr = g_strdup(optstr + 1);
                }
                if (!(opt = vkshCmdDefGetOption(ctl, def, tkdata + 2, &seen, &index))) {
                    g_free(optstr);
                    if (g_str_equal(def->name, "help")) {
                        g_clear_pointer(&tkdata, g_free);
                        continue;
                    }
                    goto syntax_error;
                }
                g_clear_pointer(&tkdata, g_free);
                if (opt->type != VKSH_OT_BOOL) {
                    if (optstr) {
                        tkdata = optstr;
                    } else {
                        tk = vkshGetArg(ctl, parser, &tkdata);
                        if (tk == VKSH_TK_ERROR)
                            goto syntax_error;
                        if (tk != VKSH_TK_ARG) {
                            vkshError(ctl, "expected syntax: --%s <%s>", opt->name,
                                      opt->type == VKSH_OT_INT ? "number" : "string");
                            goto syntax_error;
                        }
                    }
                    if (opt->type != VKSH_OT_ARGV)
                        needArg &= ~(1ULL << index);
                } else if (optstr) {
                    vkshError(ctl, "invalid '=' after option --%s", opt->name);
                    g_free(optstr);
                    goto syntax_error;
                }
            } else if (tkdata[0] == '-' && tkdata[1] == '-' && tkdata[2] == '\0') {
                g_clear_pointer(&tkdata, g_free);
                dataOnly = true;
                continue;
            } else {
 get_data:
                if (!(opt = vkshCmdDefGetData(def, &needArg, &seen)) &&
                    !g_str_equal(def->name, "help")) {
                    vkshError(ctl, "unexpected data '%s'", tkdata);
                    goto syntax_error;
                }
            }
            if (opt) {
                vkshCmdOpt *arg = g_new0(vkshCmdOpt, 1);

                arg->def = opt;
                arg->data = g_steal_pointer(&tkdata);
                if (!first)
                    first = arg;
                if (last)
                    last->next = arg;
                last = arg;
                vkshDebug(ctl, 1, "%s: %s(%s): %s\n", def->name, opt->name,
                          opt->type != VKSH_OT_BOOL ? "optdata" : "bool",
                          opt->type != VKSH_OT_BOOL ? arg->data : "(none)");
            }
            g_clear_pointer(&tkdata, g_free);
        }

        if (def) {
            vkshCmd *c = g_new0(vkshCmd, 1);

            /* --help anywhere makes the command 'help COMMAND' */
            for (vkshCmdOpt *o = first; o; o = o->next) {
                const vkshCmdDef *help;

                if (!g_str_equal(o->def->name, "help") || o->def != &vkshHelpOpt)
                    continue;
                help = vkshCmdDefSearch("help");
                vkshCommandOptFree(first);
                first = g_new0(vkshCmdOpt, 1);
                first->def = help->opts;
                first->data = g_strdup(def->name);
                def = help;
                required = seen = 0;
                break;
            }
            c->opts = first;
            c->def = def;
            if (!vkshCommandCheckOpts(ctl, c, required, seen)) {
                vkshCommandFree(c);
                goto syntax_error_nofree;
            }
            if (!ctl->cmd)
                ctl->cmd = c;
            if (clast)
                clast->next = c;
            clast = c;
        }
        if (tk == VKSH_TK_END)
            break;
        continue;

 syntax_error:
        vkshCommandOptFree(first);
        g_free(tkdata);
 syntax_error_nofree:
        g_clear_pointer(&ctl->cmd, vkshCommandFree);
        return false;
    }
    return true;
}

static bool
vkshCommandStringParse(vkshControl *ctl, const char *str)
{
    vkshParser p = { .pos = str };

    if (!str || !*str)
        return false;
    return vkshCommandParse(ctl, &p);
}

static bool
vkshCommandArgvParse(vkshControl *ctl, int argc, char **argv)
{
    vkshParser p = { .argPos = argv, .argEnd = argv + argc, .argvMode = true };

    if (argc <= 0)
        return false;
    return vkshCommandParse(ctl, &p);
}

/* ---- running ---------------------------------------------------------- */

static bool
vkshConnHandler(vkshControl *ctl)
{
    if (ctl->conn)
        return true;
    return vkshConnect(ctl, ctl->uri, ctl->readonly);
}

/* Runs ctl->cmd; the result is the last command's, as virsh's. */
static bool
vkshCommandRun(vkshControl *ctl)
{
    bool ret = true;

    for (const vkshCmd *c = ctl->cmd; c; c = c->next) {
        gint64 before = g_get_monotonic_time(), after;

        vkshResetLibvirtError();
        if ((c->def->flags & VKSH_CMD_FLAG_NOCONNECT) || vkshConnHandler(ctl))
            ret = c->def->handler(ctl, c);
        else
            ret = false;
        after = g_get_monotonic_time();
        if (!ret)
            vkshReportError(ctl);
        if (ctl->quit)
            return ret;
        if (ctl->timing)
            vkshPrint(ctl, "\n(Time: %.3f ms)\n\n", (after - before) / 1000.0);
        else if (!(c->def->flags & VKSH_CMD_FLAG_NOBLANK))
            vkshPrintExtra(ctl, "\n");
        fflush(stdout);
    }
    return ret;
}

bool
vkshRunString(vkshControl *ctl, const char *str)
{
    vkshCmd *outer = ctl->cmd;
    bool ret = false;

    ctl->cmd = NULL;
    if (vkshCommandStringParse(ctl, str))
        ret = vkshCommandRun(ctl);
    g_clear_pointer(&ctl->cmd, vkshCommandFree);
    ctl->cmd = outer;
    return ret;
}

/* ---- readline ---------------------------------------------------------
 * Built without readline (-Dreadline=disabled), an interactive vksh still
 * prompts and runs commands, with no line editing, history or completion. */

#ifdef WITH_READLINE
static char *
vkshCompleteCommand(const char *text, int state)
{
    static const vkshCmdGrp *grp;
    static const vkshCmdDef *c;
    size_t len = strlen(text);

    if (!state) {
        grp = vkshCmdGroups;
        c = grp->commands;
    }
    while (grp->name) {
        while (c->name) {
            const char *name = c++->name;
            if (strncmp(name, text, len) == 0)
                return strdup(name);
        }
        grp++;
        c = grp->name ? grp->commands : NULL;
    }
    return NULL;
}

static const vkshCmdDef *completeDef;

static char *
vkshCompleteOption(const char *text, int state)
{
    static size_t i;
    static bool helpDone;
    size_t len = strlen(text);

    if (!state) {
        i = 0;
        helpDone = false;
    }
    if (!completeDef || strncmp(text, "--", MIN(len, 2)) != 0)
        return NULL;
    while (completeDef->opts && completeDef->opts[i].name) {
        g_autofree char *opt = g_strdup_printf("--%s", completeDef->opts[i++].name);
        if (strncmp(opt, text, len) == 0)
            return strdup(opt);
    }
    if (!helpDone) {
        helpDone = true;
        if (strncmp("--help", text, len) == 0)
            return strdup("--help");
    }
    return NULL;
}

/* The command name at the start of the current ';'-separated command, or
 * nothing: then the word being typed is a command name. */
static char **
vkshReadlineCompletion(const char *text, int start, int end)
{
    g_autofree char *line = g_strndup(rl_line_buffer, start);
    char *seg = strrchr(line, ';');
    g_auto(GStrv) words = NULL;

    (void)end;
    rl_attempted_completion_over = 1;
    seg = seg ? seg + 1 : line;
    words = g_strsplit_set(g_strstrip(seg), " \t", 2);
    if (!words[0] || !*words[0])
        return rl_completion_matches(text, vkshCompleteCommand);
    completeDef = vkshCmdDefSearch(words[0]);
    return rl_completion_matches(text, vkshCompleteOption);
}

static char *
vkshHistoryFile(void)
{
    const char *dir = g_get_user_cache_dir();
    g_autofree char *d = g_build_filename(dir, "virtkit", NULL);

    if (g_mkdir_with_parents(d, 0700) < 0)
        return NULL;
    return g_build_filename(d, "vksh_history", NULL);
}
#endif /* WITH_READLINE */

/* One line from stdin without its newline, or NULL at end of input. */
static char *
vkshReadPlainLine(void)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    int ch;

    while ((ch = getchar()) != EOF && ch != '\n')
        g_string_append_c(buf, (char)ch);
    if (ch == EOF && buf->len == 0)
        return NULL;
    return g_string_free(g_steal_pointer(&buf), FALSE);
}

static void
vkshInteractive(vkshControl *ctl)
{
#ifdef WITH_READLINE
    g_autofree char *histfile = NULL;
#endif

    if (ctl->istty) {
#ifdef WITH_READLINE
        rl_readline_name = "vksh";
        rl_attempted_completion_function = vkshReadlineCompletion;
        using_history();
        stifle_history(500);
        if ((histfile = vkshHistoryFile()))
            read_history(histfile);
#endif
        if (!ctl->quiet) {
            vkshPrint(ctl, "Welcome to vksh, the virtkit interactive terminal.\n\n");
            vkshPrint(ctl, "Type:  'help' for help with commands\n"
                      "       'quit' to quit\n\n");
        }
    }

    while (!ctl->quit) {
        g_autofree char *line = NULL;

        if (ctl->istty) {
#ifdef WITH_READLINE
            char *rl = readline(ctl->readonly ? VKSH_PROMPT_RO : VKSH_PROMPT_RW);
            if (!rl) {
                vkshPrint(ctl, "\n");
                break;
            }
            line = g_strdup(rl);
            free(rl);
            if (*line)
                add_history(line);
#else
            vkshPrint(ctl, "%s", ctl->readonly ? VKSH_PROMPT_RO : VKSH_PROMPT_RW);
            fflush(stdout);
            if (!(line = vkshReadPlainLine())) {
                vkshPrint(ctl, "\n");
                break;
            }
#endif
        } else {
            /* commands from a pipe: no prompt, no banner, one line at a time */
            if (!(line = vkshReadPlainLine()))
                break;
        }
        if (vkshCommandStringParse(ctl, line))
            vkshCommandRun(ctl);
        g_clear_pointer(&ctl->cmd, vkshCommandFree);
        fflush(stdout);
    }
#ifdef WITH_READLINE
    if (histfile)
        write_history(histfile);
#endif
}

/* ---- global options --------------------------------------------------- */

static void
vkshUsage(void)
{
    fprintf(stdout, "\n"
            "vksh [options]... [<command_string>]\n"
            "vksh [options]... <command> [args...]\n\n"
            "  options:\n"
            "    -c | --connect=URI      hypervisor connection URI\n"
            "    -d | --debug=NUM        debug level [0-4]\n"
            "    -e | --escape <char>    set escape sequence for console\n"
            "    -h | --help             this help\n"
            "    -k | --keepalive-interval=NUM\n"
            "                            keepalive interval in seconds, 0 for disable\n"
            "    -K | --keepalive-count=NUM\n"
            "                            number of possible missed keepalive messages\n"
            "    -l | --log=FILE         output logging to file\n"
            "    -q | --quiet            quiet mode\n"
            "    -r | --readonly         connect readonly\n"
            "    -t | --timing           print timing information\n"
            "    -v                      short version\n"
            "    -V                      long version\n"
            "         --version[=TYPE]   version, TYPE is short or long (default short)\n"
            "  commands (non interactive mode):\n\n");
    for (const vkshCmdGrp *g = vkshCmdGroups; g->name; g++) {
        fprintf(stdout, " %s (help keyword '%s')\n", g->name, g->keyword);
        for (const vkshCmdDef *c = g->commands; c->name; c++)
            fprintf(stdout, "    %-30s %s\n", c->name, c->help);
        fprintf(stdout, "\n");
    }
    fprintf(stdout, "%s",
            "\n  (specify help <group> for details about the commands in the group)\n"
            "\n  (specify help <command> for details about the command)\n\n");
}

static void
vkshShowVersion(void)
{
    fprintf(stdout, "Virtkit shell vksh %s (libvirt API level 9.0.0)\n", VIRTKIT_VERSION);
    fprintf(stdout, "Drivers are plugins found at run time: see 'vksh plugins'.\n");
}

static bool
vkshParseNum(const char *arg, int lo, int hi, int *out)
{
    long long v;
    char *end = NULL;

    errno = 0;
    v = strtoll(arg, &end, 10);
    if (errno || end == arg || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

/* Returns -1 to go on, else an exit status. */
static int
vkshParseArgv(vkshControl *ctl, int argc, char **argv)
{
    static const struct option opts[] = {
        { "connect", required_argument, NULL, 'c' },
        { "debug", required_argument, NULL, 'd' },
        { "escape", required_argument, NULL, 'e' },
        { "help", no_argument, NULL, 'h' },
        { "keepalive-interval", required_argument, NULL, 'k' },
        { "keepalive-count", required_argument, NULL, 'K' },
        { "log", required_argument, NULL, 'l' },
        { "quiet", no_argument, NULL, 'q' },
        { "readonly", no_argument, NULL, 'r' },
        { "timing", no_argument, NULL, 't' },
        { "version", optional_argument, NULL, 'v' },
        { NULL, 0, NULL, 0 },
    };
    int arg;

    opterr = 0;
    while ((arg = getopt_long(argc, argv, "+:c:d:e:hk:K:l:qrtvV", opts, NULL)) != -1) {
        switch (arg) {
        case 'c':
            g_free(ctl->uri);
            ctl->uri = g_strdup(optarg);
            vkshUriOption = true;
            break;
        case 'd':
            if (!vkshParseNum(optarg, INT_MIN, INT_MAX, &ctl->debug)) {
                vkshError(ctl, "option -%s takes a numeric argument", "d");
                return EXIT_FAILURE;
            }
            if (ctl->debug < 0 || ctl->debug > 4) {
                vkshError(ctl, "ignoring debug level %d out of range [0-4]", ctl->debug);
                ctl->debug = -1;
            }
            break;
        case 'e':
            if (!((strlen(optarg) == 1 && optarg[0] != '^') ||
                  (strlen(optarg) == 2 && optarg[0] == '^' &&
                   (g_ascii_isalpha(optarg[1]) || strchr("@[\\]^_", optarg[1]))))) {
                vkshError(ctl, "Invalid string '%s' for escape sequence", optarg);
                return EXIT_FAILURE;
            }
            g_free(ctl->escapeChar);
            ctl->escapeChar = g_strdup(optarg);
            break;
        case 'h':
            vkshUsage();
            return EXIT_SUCCESS;
        case 'k':
        case 'K': {
            int *dst = arg == 'k' ? &ctl->keepaliveInterval : &ctl->keepaliveCount;
            if (!vkshParseNum(optarg, INT_MIN, INT_MAX, dst)) {
                vkshError(ctl, "Invalid value for option -%c", arg);
                return EXIT_FAILURE;
            }
            if (*dst < 0) {
                vkshError(ctl, "option -%c requires a positive integer argument", arg);
                return EXIT_FAILURE;
            }
            break;
        }
        case 'l':
            g_free(ctl->logfile);
            ctl->logfile = g_strdup(optarg);
            break;
        case 'q':
            ctl->quiet = true;
            break;
        case 'r':
            ctl->readonly = true;
            break;
        case 't':
            ctl->timing = true;
            break;
        case 'v':
            if (!optarg || g_str_equal(optarg, "short")) {
                fprintf(stdout, "%s\n", VIRTKIT_VERSION);
                return EXIT_SUCCESS;
            }
            if (g_str_equal(optarg, "long")) {
                vkshShowVersion();
                return EXIT_SUCCESS;
            }
            vkshError(ctl, "option --version takes a type of 'short' or 'long', not '%s'", optarg);
            return EXIT_FAILURE;
        case 'V':
            vkshShowVersion();
            return EXIT_SUCCESS;
        case ':':
            for (size_t i = 0; opts[i].name; i++) {
                if (opts[i].val == optopt) {
                    vkshError(ctl, "option '-%c'/'--%s' requires an argument", optopt, opts[i].name);
                    return EXIT_FAILURE;
                }
            }
            vkshError(ctl, "option '-%c' requires an argument", optopt);
            return EXIT_FAILURE;
        case '?':
        default:
            if (optopt)
                vkshError(ctl, "unsupported option '-%c'. See --help.", optopt);
            else
                vkshError(ctl, "unsupported option '%s'. See --help.", argv[optind - 1]);
            return EXIT_FAILURE;
        }
    }

    if (ctl->logfile) {
        ctl->logfp = fopen(ctl->logfile, "a");
        if (!ctl->logfp) {
            vkshError(ctl, "failed to open the log file. check the log file path: %s",
                      g_strerror(errno));
            return EXIT_FAILURE;
        }
    }

    if (argc > optind) {
        ctl->interactive = false;
        if (argc == optind + 1)
            return vkshCommandStringParse(ctl, argv[optind]) ? -1 : EXIT_FAILURE;
        return vkshCommandArgvParse(ctl, argc - optind, argv + optind) ? -1 : EXIT_FAILURE;
    }
    ctl->interactive = true;
    return -1;
}

int
main(int argc, char **argv)
{
    vkshControl ctl = {
        .debug = -1,
        .keepaliveInterval = -1,
        .keepaliveCount = -1,
    };
    int status;
    const char *env;
    vkXmlErrors xmlErrors;

    setlocale(LC_ALL, "");
    /* vksh's XML work (dumpxml --xpath, edit, ...) is on this thread: for
     * the whole run libxml2 reports to a structured handler, never with its
     * own "XPath error : ..." lines on stderr; vksh prints its own errors */
    vkXmlErrorsBegin(&xmlErrors);
    /* Ours first, then virsh's, as scripts written for virsh set it; with
     * neither, the core's order decides (and fails rather than choose a
     * mock host). */
    if (((env = g_getenv("VKSH_DEFAULT_CONNECT_URI")) && *env) ||
        ((env = g_getenv("VIRSH_DEFAULT_CONNECT_URI")) && *env))
        ctl.uri = g_strdup(env);
    if ((env = g_getenv("VKSH_DEBUG")) && *env)
        vkshParseNum(env, 0, 4, &ctl.debug);
    ctl.istty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);

    virSetErrorFunc(NULL, vkshErrorHandler);
    if (virInitialize() < 0) {
        vkshError(&ctl, "%s", "Failed to initialize libvirt");
        return EXIT_FAILURE;
    }

    status = vkshParseArgv(&ctl, argc, argv);
    if (status < 0) {
        /* with -c, connect up front as virsh does; else (a URI from the
         * environment, or the default) at the first command that needs it */
        if (vkshUriOption && !vkshConnect(&ctl, ctl.uri, ctl.readonly)) {
            vkshReportError(&ctl);
            status = EXIT_FAILURE;
        } else if (!ctl.interactive) {
            status = vkshCommandRun(&ctl) ? EXIT_SUCCESS : EXIT_FAILURE;
        } else {
            vkshInteractive(&ctl);
            status = EXIT_SUCCESS;
        }
    }
    fflush(stdout);
    vkshCommandFree(ctl.cmd);
    if (ctl.conn)
        virConnectClose(ctl.conn);
    vkshResetLibvirtError();
    if (ctl.logfp)
        fclose(ctl.logfp);
    g_free(ctl.uri);
    g_free(ctl.logfile);
    g_free(ctl.escapeChar);
    vkXmlErrorsEnd(&xmlErrors);
    return status;
}
