/*
 * vir-auth.h: internals of virConnectAuthPtrDefault (vir-auth.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The terminal the default callback prompts on when none was set. */
#define VK_AUTH_TTY_PATH "/dev/tty"

/*
 * vkAuthSetTTYPath:
 * Makes virConnectAuthPtrDefault prompt on @path instead of /dev/tty (NULL
 * restores /dev/tty).  For tests, which drive a pseudo-terminal; the path is
 * copied.  Thread-safe.
 */
void vkAuthSetTTYPath(const char *path);

G_END_DECLS
