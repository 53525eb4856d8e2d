/*
 * vk-elf.h: the names an ELF shared object exports, read from its file.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * vkElfExtraExports:
 * The functions and variables the shared object at @path defines and
 * exports (global or weak, in its dynamic symbol table), except @keep and
 * names starting with '_' (the toolchain's own), joined by ", " in table
 * order.  Both ELF classes are read, 32- and 64-bit, in either byte order,
 * whatever this build's own class: a packager's tools and a 32-bit port
 * see the same answer.  NULL when there is none, or when the file is not
 * an ELF object this can read (missing, truncated, a table outside the
 * file): the caller only warns with the answer, it never refuses on it.
 */
char *vkElfExtraExports(const char *path, const char *keep);

G_END_DECLS
