/*
 * vir-uri.c: the client config file and the URI a connection opens.
 *
 * The rules are libvirt's (src/libvirt.c virConnectOpenInternal and
 * src/util/viruri.c virURIResolveAlias), with virtkit's names: the file is
 * virtkit.conf, the variable VIRTKIT_DEFAULT_URI (LIBVIRT_DEFAULT_URI after
 * it).  Nothing is cached: the small file is read again on every open, so
 * edits take effect at once.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#include <string.h>
#include <unistd.h>

#define VK_FROM VIR_FROM_URI
#define VK_LOG_MODULE "core.uri"
#include "vk-internal.h"
#include "vir-conf.h"
#include "vir-uri.h"

/* The characters libvirt allows in an alias name (URI_ALIAS_CHARS). */
#define VK_URI_ALIAS_CHARS \
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"

#define VK_CONF_SYSTEM_PATH "/etc/virtkit/virtkit.conf"

char *
vkConfigPathFor(bool privileged)
{
    const char *env = g_getenv("VIRTKIT_CONF");

    if (env && *env)
        return g_strdup(env);
    if (privileged)
        return g_strdup(VK_CONF_SYSTEM_PATH);
    return g_build_filename(g_get_user_config_dir(), "virtkit", "virtkit.conf", NULL);
}

char *
vkConfigPath(void)
{
    return vkConfigPathFor(geteuid() == 0);
}

char *
vkURIProbeLocalDaemon(void)
{
    /* A stub until virtkitd and the remote plugin exist: there is no daemon
     * socket to look for yet, so it finds nothing and the open fails.  Then
     * it will return the local daemon's URI when its socket is there, as
     * libvirt's client probes its daemons' sockets. */
    return NULL;
}

/* What an open with no URI, none configured and no local daemon fails
 * with: libvirt's code and domain for the same case (its client then fails
 * to reach the daemon socket: VIR_ERR_SYSTEM_ERROR from VIR_FROM_RPC), and
 * our words, naming every way to choose a URI. */
static void
vkURIReportNoDefault(const char *path)
{
    vkErrorReportFull(VIR_FROM_RPC, VIR_ERR_SYSTEM_ERROR, __FILE__, __func__, __LINE__,
                      "No connection URI was given, none is configured, and there is no "
                      "local virtkitd to connect to: pass a URI (the name argument of "
                      "virConnectOpen, vksh -c URI), or set VIRTKIT_DEFAULT_URI or "
                      "LIBVIRT_DEFAULT_URI, or uri_default in %s", path);
}

/* True when @s is a well-formed relative URI reference (RFC 3986 4.2): only
 * URI characters, and no ':' before the first '/', '?' or '#', so no scheme.
 * libvirt parses such a name and then finds no driver name in it; anything
 * else that GUri refuses is a malformed URI. */
static bool
vkURIIsSchemeless(const char *s)
{
    /* '[' and ']' only ever appear around an IP literal host, which a
     * relative reference without "//" has not. */
    static const char uri_chars[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        "-._~!$&'()*+,;=:@/?#%";

    if (!*s || s[strspn(s, uri_chars)] != '\0' || strcspn(s, ":") < strcspn(s, "/?#"))
        return false;
    for (const char *pct = strchr(s, '%'); pct; pct = strchr(pct + 1, '%'))
        if (!g_ascii_isxdigit(pct[1]) || !g_ascii_isxdigit(pct[2]))
            return false;
    return true;
}

/* Reports a conf-module GError as a core error (VIR_FROM_CONF). */
static void
vkURIReportConfError(const GError *gerr)
{
    int code = gerr->domain == VK_CONF_ERROR ? VIR_ERR_CONF_SYNTAX : VIR_ERR_SYSTEM_ERROR;

    vkErrorReportFull(VIR_FROM_CONF, code, __FILE__, __func__, __LINE__,
                      code == VIR_ERR_CONF_SYNTAX ? "%s" :
                      "cannot read the client configuration file: %s",
                      gerr->message);
}

/* Loads the client config.  *conf stays NULL when the file does not exist.
 * Returns 0 or -1 with the error reported. */
static int
vkURILoadConfig(const char *path, vkConf **conf)
{
    g_autoptr(GError) gerr = NULL;

    *conf = vkConfParseFile(path, &gerr);
    if (*conf)
        return 0;
    if (g_error_matches(gerr, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
        VK_DEBUG("no client config file at %s", path);
        return 0;
    }
    vkURIReportConfError(gerr);
    return -1;
}

/*
 * Looks @candidate up in @aliases.  Every entry is validated, not only the
 * ones before a match, so that a bad entry is reported whatever name is
 * opened.  Returns 0 with *uri a new string (match) or NULL (no match), or
 * -1 with the error reported.
 */
static int
vkURIFindAlias(char **aliases, const char *candidate, char **uri)
{
    char **entry;
    const char *match = NULL;
    size_t cand_len = strlen(candidate);

    for (entry = aliases; *entry; entry++) {
        const char *eq = strchr(*entry, '=');
        size_t name_len;

        if (!eq) {
            vkReportError(VIR_ERR_CONF_SYNTAX,
                          "Malformed 'uri_aliases' config entry '%s', expected "
                          "'alias=uri://host/path'", *entry);
            return -1;
        }
        name_len = eq - *entry;
        if (strspn(*entry, VK_URI_ALIAS_CHARS) < name_len) {
            vkReportError(VIR_ERR_CONF_SYNTAX,
                          "Malformed 'uri_aliases' config entry '%s', aliases may only "
                          "contain 'a-Z, 0-9, _, -'", *entry);
            return -1;
        }
        if (!match && name_len == cand_len && strncmp(*entry, candidate, cand_len) == 0)
            match = eq + 1;
    }

    *uri = g_strdup(match);
    return 0;
}

int
vkURIResolve(const char *name, unsigned int flags, char **resolved)
{
    g_autofree char *path = vkConfigPath();
    g_autoptr(vkConf) conf = NULL;
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GUri) guri = NULL;
    g_autofree char *candidate = NULL;
    g_autofree char *alias_uri = NULL;
    g_autofree char *where = NULL;
    const char *env;
    const char *result;
    bool aliases_checked = false;

    g_return_val_if_fail(resolved != NULL, -1);

    VK_DEBUG("name=%s, flags=0x%x, config=%s", VK_NULLSTR(name), flags, path);

    /* libvirt reads its config on every open, and a broken file fails the
     * open even when nothing in it would have been used. */
    if (vkURILoadConfig(path, &conf) < 0)
        return -1;

    if (name && *name) {
        candidate = g_strdup(name);
        where = g_strdup("the connection name");
    } else if ((env = g_getenv("VIRTKIT_DEFAULT_URI")) && *env) {
        candidate = g_strdup(env);
        where = g_strdup("$VIRTKIT_DEFAULT_URI");
    } else if ((env = g_getenv("LIBVIRT_DEFAULT_URI")) && *env) {
        /* libvirt users' scripts set it; ours comes first so that a host
         * running both can point each library elsewhere. */
        candidate = g_strdup(env);
        where = g_strdup("$LIBVIRT_DEFAULT_URI");
    } else {
        int rc = 0;

        if (conf && (rc = vkConfGetString(conf, "uri_default", &candidate, &gerr)) < 0) {
            vkURIReportConfError(gerr);
            return -1;
        }
        if (rc > 0) {
            where = g_strdup_printf("'uri_default' in %s", path);
        } else if ((candidate = vkURIProbeLocalDaemon())) {
            where = g_strdup("the local daemon");
        } else {
            /* Never a mock host: a script that forgot its URI must not
             * "succeed" against test:///default. */
            vkURIReportNoDefault(path);
            return -1;
        }
    }
    VK_DEBUG("candidate URI '%s' from %s", candidate, where);

    result = candidate;
    if (!(flags & VIR_CONNECT_NO_ALIASES) && conf) {
        g_auto(GStrv) aliases = NULL;
        int rc = vkConfGetStringList(conf, "uri_aliases", &aliases, &gerr);

        if (rc < 0) {
            vkURIReportConfError(gerr);
            return -1;
        }
        if (rc > 0) {
            aliases_checked = true;
            if (vkURIFindAlias(aliases, candidate, &alias_uri) < 0)
                return -1;
        }
        if (alias_uri) {
            VK_DEBUG("resolved alias '%s' to '%s'", candidate, alias_uri);
            g_free(where);
            where = g_strdup_printf("alias '%s' in %s", candidate, path);
            result = alias_uri;
        }
    }

    guri = g_uri_parse(result, G_URI_FLAGS_NON_DNS | G_URI_FLAGS_ENCODED, &gerr);
    if (!guri) {
        /* A bare word that is no alias is the likely typo: say so. */
        bool bare_word = !alias_uri && !strchr(result, ':');
        const char *hint_of = bare_word ? "; it is not an alias in 'uri_aliases' of " : "";
        const char *hint_why = bare_word && !aliases_checked ?
            (flags & VIR_CONNECT_NO_ALIASES ? " (aliases are off: VIR_CONNECT_NO_ALIASES)" :
                                              " (none defined)") : "";

        if (vkURIIsSchemeless(result)) {
            /* libvirt's code, domain and words for a URI without a scheme
             * ("myte", "/tmp/x"), which scripts match; then our hint. */
            vkErrorReportFull(VIR_FROM_NONE, VIR_ERR_NO_CONNECT, __FILE__, __func__, __LINE__,
                              "URI '%s' does not include a driver name%s%s%s%s%s",
                              result, hint_of, bare_word ? path : "", hint_why,
                              name && *name ? "" : "; it came from ",
                              name && *name ? "" : where);
        } else {
            vkReportError(VIR_ERR_INVALID_ARG, "malformed URI '%s' (from %s): %s%s%s%s",
                          result, where, gerr->message, hint_of, bare_word ? path : "",
                          hint_why);
        }
        return -1;
    }

    VK_DEBUG("resolved '%s' to '%s'", VK_NULLSTR(name), result);
    *resolved = g_strdup(result);
    return 0;
}

int
vkURISplitScheme(const char *uri, char **driver, char **transport)
{
    const char *colon;
    const char *plus;
    size_t len;
    size_t i;
    g_autofree char *scheme = NULL;

    if (!uri) {
        vkReportError(VIR_ERR_INVALID_ARG, "cannot split the scheme of a NULL URI");
        return -1;
    }
    colon = strchr(uri, ':');
    len = colon ? (size_t)(colon - uri) : strlen(uri);

    /* RFC 3986 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
    for (i = 0; i < len; i++) {
        char c = uri[i];
        if (!(g_ascii_isalpha(c) ||
              (i > 0 && (g_ascii_isdigit(c) || c == '+' || c == '-' || c == '.'))))
            break;
    }
    if (len == 0 || i < len) {
        vkReportError(VIR_ERR_INVALID_ARG,
                      "no valid URI scheme in '%s': a scheme starts with a letter, then "
                      "letters, digits, '+', '-' or '.'", uri);
        return -1;
    }

    scheme = g_ascii_strdown(uri, len);
    plus = strchr(scheme, '+');
    if (plus && (plus == scheme || plus[1] == '\0')) {
        vkReportError(VIR_ERR_INVALID_ARG,
                      "malformed URI scheme '%s' in '%s': expected 'driver' or "
                      "'driver+transport'", scheme, uri);
        return -1;
    }

    if (driver)
        *driver = plus ? g_strndup(scheme, plus - scheme) : g_strdup(scheme);
    if (transport)
        *transport = plus ? g_strdup(plus + 1) : NULL;
    return 0;
}
