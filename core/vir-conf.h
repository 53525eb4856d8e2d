/*
 * vir-conf.h: a reader for libvirt's configuration file syntax, as used by
 * the client config (virtkit.conf) and, later, the daemon's config.
 *
 * Syntax, as libvirt's virconf.c reads it:
 *
 *     # a comment, to the end of the line
 *     uri_default = "qemu:///system"          # strings: "...", '...' or """..."""
 *     keepalive_interval = 5                  # integers, optionally signed
 *     uri_aliases = [                         # lists may span lines,
 *       "hail=qemu+ssh://root@hail.example.com/system",
 *       "sleet=qemu+ssh://root@sleet.example.com/system",   # a trailing comma is fine
 *     ]
 *     a = 1; b = 2                            # ';' separates settings on one line
 *
 * Names start with an ASCII letter, then letters, digits and '_'.  Strings
 * have no escape sequences, exactly as in libvirt: a backslash is an
 * ordinary character, a '"' is written inside '...' or """...""", and only
 * """...""" may span lines.  Unlike libvirt, '#' comments are also allowed
 * between the items of a list, and an integer that does not fit in 64 bits
 * is an error rather than wrapping.  When a name is set twice the first
 * setting wins (libvirt's rule); a warning is logged.
 *
 * Errors are GErrors in VK_CONF_ERROR (or G_FILE_ERROR for I/O) whose
 * message starts "FILE:LINE:COLUMN: " for syntax errors and "FILE:LINE: "
 * for type errors, e.g.
 *     /etc/virtkit/virtkit.conf:3:12: expected '=' after 'uri_default'
 * LINE and COLUMN count from 1; COLUMN counts characters (UTF-8 sequences),
 * a tab being one.  Nothing here touches the thread's virError: callers in
 * the core convert with vkReportError() where a public API needs it.
 *
 * A parsed vkConf is immutable, so one may be read from several threads.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VK_CONF_ERROR (vkConfErrorQuark())
GQuark vkConfErrorQuark(void);

typedef enum {
    VK_CONF_ERROR_SYNTAX,   /* the text does not follow the syntax */
    VK_CONF_ERROR_TYPE,     /* a setting has another type than asked for */
    VK_CONF_ERROR_RANGE,    /* an integer does not fit */
    VK_CONF_ERROR_TOO_BIG,  /* the file exceeds VK_CONF_MAX_FILE_SIZE */
} vkConfError;

/* Files larger than this are refused (libvirt's sanity limit). */
#define VK_CONF_MAX_FILE_SIZE (10 * 1024 * 1024)

typedef enum {
    VK_CONF_TYPE_NONE = 0,  /* the setting is absent */
    VK_CONF_TYPE_INT,
    VK_CONF_TYPE_STRING,
    VK_CONF_TYPE_LIST,
} vkConfType;

typedef struct _vkConf vkConf;

/*
 * vkConfParseFile:
 * Reads and parses @path.  Returns a new vkConf (free with vkConfFree), or
 * NULL with @err set: G_FILE_ERROR from reading (G_FILE_ERROR_NOENT when the
 * file does not exist, which callers may treat as "no settings"), or
 * VK_CONF_ERROR.  Messages name @path.
 */
vkConf *vkConfParseFile(const char *path, GError **err);

/*
 * vkConfParseString:
 * Parses the NUL-terminated @text.  @filename_for_messages (may be NULL:
 * "<string>") is what error messages name.  Returns a new vkConf or NULL
 * with @err set (VK_CONF_ERROR_SYNTAX or VK_CONF_ERROR_RANGE).
 */
vkConf *vkConfParseString(const char *text, const char *filename_for_messages,
                          GError **err);

/*
 * vkConfParseData:
 * As vkConfParseString, for @len bytes that need not be NUL-terminated
 * (a NUL byte inside is a syntax error).  This is what the fuzzer drives.
 */
vkConf *vkConfParseData(const char *data, size_t len,
                        const char *filename_for_messages, GError **err);

/* Frees @conf and everything it holds; NULL is allowed. */
void vkConfFree(vkConf *conf);

/* The name errors use: the path, or the filename_for_messages given. */
const char *vkConfGetFilename(const vkConf *conf);

/* The type of setting @key, VK_CONF_TYPE_NONE when it is absent. */
vkConfType vkConfGetType(const vkConf *conf, const char *key);

/*
 * The getters share one contract: they return 1 and store the value when
 * @key is set with the right type; 0 when @key is absent (*value untouched);
 * -1 with @err set (VK_CONF_ERROR_TYPE, message naming file, line and key)
 * when it has another type.
 *
 * vkConfGetString: *value becomes a new string (g_free); any previous
 *     *value is NOT freed.
 * vkConfGetStringList: *value becomes a new NULL-terminated array
 *     (g_strfreev), possibly empty; every element of the list must be a
 *     string.  A single string is not accepted as a one-element list.
 * vkConfGetInt: any integer in [G_MININT64, G_MAXINT64].
 */
int vkConfGetString(const vkConf *conf, const char *key, char **value, GError **err);
int vkConfGetStringList(const vkConf *conf, const char *key, char ***value, GError **err);
int vkConfGetInt(const vkConf *conf, const char *key, gint64 *value, GError **err);

/*
 * Typed lookups with a range, same contract as above; a value outside
 * [@min, @max] is VK_CONF_ERROR_RANGE, naming file, line, key, the value
 * and the range.
 *
 * vkConfGetIntRange: an integer in [@min, @max].
 * vkConfGetUIntRange: an integer in [0, @max] (the syntax holds integers
 *     up to G_MAXINT64, so larger @max values change nothing).
 * vkConfGetBool: libvirt's booleans, the integers 0 and 1.
 */
int vkConfGetIntRange(const vkConf *conf, const char *key, gint64 min, gint64 max,
                      gint64 *value, GError **err);
int vkConfGetUIntRange(const vkConf *conf, const char *key, guint64 max, guint64 *value,
                       GError **err);
int vkConfGetBool(const vkConf *conf, const char *key, gboolean *value, GError **err);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(vkConf, vkConfFree)

G_END_DECLS
