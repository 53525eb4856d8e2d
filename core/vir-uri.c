/*
 * vir-uri.c: the client config file and the URI a connection opens.
 *
 * The rules are libvirt's (src/libvirt.c virConnectOpenInternal and
 * src/util/viruri.c virURIResolveAlias), with virtkit's names: the file is
 * virtkit.conf, the variable VIRTKIT_DEFAULT_URI.  Nothing is cached: the
 * small file is read again on every open, so edits take effect at once.
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
    /* TODO(virtkitd): return "qemu:///system" (or session) when the local
     * daemon's socket exists, as libvirt's probe of its drivers does. */
    return NULL;
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
            candidate = g_strdup(VK_URI_FALLBACK);
            where = g_strdup("the built-in default");
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

        vkReportError(VIR_ERR_INVALID_ARG, "malformed URI '%s' (from %s): %s%s%s%s",
                      result, where, gerr->message,
                      bare_word ? "; it is not an alias in 'uri_aliases' of " : "",
                      bare_word ? path : "",
                      bare_word && !aliases_checked ?
                          (flags & VIR_CONNECT_NO_ALIASES ?
                               " (aliases are off: VIR_CONNECT_NO_ALIASES)" :
                               " (none defined)") : "");
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
