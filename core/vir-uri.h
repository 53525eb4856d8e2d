/*
 * vir-uri.h: the client config file's location, and turning the name an
 * application passes to virConnectOpen* into the URI to connect to.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdbool.h>
#include <glib.h>

G_BEGIN_DECLS

/*
 * vkConfigPath:
 * The client config file to read: $VIRTKIT_CONF if set and not empty;
 * otherwise /etc/virtkit/virtkit.conf when the effective uid is 0;
 * otherwise $XDG_CONFIG_HOME/virtkit/virtkit.conf, where GLib's
 * g_get_user_config_dir() supplies $XDG_CONFIG_HOME or its default
 * ~/.config (note that GLib reads that once per process).  The file need
 * not exist.  Returns a new string (g_free).  Thread-safe.
 */
char *vkConfigPath(void);

/*
 * vkConfigPathFor:
 * vkConfigPath() with the privilege decided by the caller instead of
 * geteuid(): @privileged picks the /etc path.  $VIRTKIT_CONF still wins.
 * For tests, which usually run as root.
 */
char *vkConfigPathFor(bool privileged);

/*
 * vkURIResolve:
 * Decides which URI a virConnectOpen* call connects to.
 *
 * @name: what the application passed; NULL or "" asks for the default.
 * @flags: the open call's flags; only VIR_CONNECT_NO_ALIASES matters here,
 *         other bits are ignored (the caller validates them).
 * @resolved: on success, a new string (g_free): the URI, exactly as written
 *         by whichever source chose it (not re-serialized).
 *
 * Reads the config file (vkConfigPath()) afresh on every call; nothing is
 * cached.  A missing file means "no settings"; a file that cannot be read or
 * does not parse, or whose uri_default / uri_aliases have the wrong type, is
 * an error (VIR_ERR_CONF_SYNTAX, VIR_FROM_CONF, naming file, line and column).
 *
 * The candidate is @name; for NULL/"": $VIRTKIT_DEFAULT_URI (if not empty),
 * then $LIBVIRT_DEFAULT_URI (if not empty), then the config's uri_default,
 * then vkURIProbeLocalDaemon(); with none of them the call fails as
 * libvirt's open fails when no daemon answers (VIR_ERR_SYSTEM_ERROR,
 * VIR_FROM_RPC), with a message naming those ways to choose a URI.  A mock
 * host (test:///default) is never chosen by default.  Unless @flags has VIR_CONNECT_NO_ALIASES, the candidate
 * is then looked up in the config's uri_aliases ("name=URI" entries, first
 * exact match wins), as libvirt does, whatever its source.  Every entry is
 * checked first: one without '=' or with a character outside
 * [A-Za-z0-9_-] before it fails the call with libvirt's message
 * (VIR_ERR_CONF_SYNTAX, VIR_FROM_URI).  The result must parse with
 * g_uri_parse(G_URI_FLAGS_NON_DNS | G_URI_FLAGS_ENCODED), else
 * VIR_ERR_INVALID_ARG (VIR_FROM_URI) quoting it and saying where it came from;
 * a relative reference without a scheme ("myte", "/tmp/x") fails as in
 * libvirt instead: VIR_ERR_NO_CONNECT (VIR_FROM_NONE), "no connection driver
 * available for URI 'myte' does not include a driver name", then our hint.
 *
 * Returns 0, or -1 with the thread's last error set (not dispatched) and
 * *resolved untouched.  Thread-safe (it reads the environment, so the usual
 * rule about setenv in threaded programs applies).
 */
int vkURIResolve(const char *name, unsigned int flags, char **resolved);

/*
 * vkURISplitScheme:
 * Splits the scheme of @uri ("qemu+ssh://host/system", or a bare scheme
 * "qemu+ssh") at its first '+': *driver = "qemu", *transport = "ssh".
 * Without a '+', *transport is NULL.  The scheme is lowercased, as GUri
 * does.  @driver and @transport may each be NULL when not wanted.
 * Returns 0, or -1 with VIR_ERR_INVALID_ARG set when @uri has no valid
 * scheme (RFC 3986: a letter, then letters, digits, '+', '-', '.') or a
 * side of the '+' is empty.  Outputs are new strings (g_free), set only
 * on success.
 */
int vkURISplitScheme(const char *uri, char **driver, char **transport);

/*
 * vkURIProbeLocalDaemon:
 * Hook for the default-URI chain: once virtkitd exists, it will return the
 * URI of the local daemon when its socket is there (as libvirt probes its
 * daemons' sockets).  Returns a new string or NULL.  Today a stub: there is
 * no daemon and no remote plugin to reach one, so it always returns NULL
 * and an open with nothing configured fails.
 */
char *vkURIProbeLocalDaemon(void);

G_END_DECLS
