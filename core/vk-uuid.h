/*
 * vk-uuid.h: the one parser of UUID text in the tree.  The core's
 * vkUUIDParse (host->uuidParse, the *UUIDString lookups) and libvirtkit-
 * conf's virtkitUUIDParse (<uuid> in XML) both call it; it is a header so
 * that conf, which plugins link without libvirtkit, shares it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

/*
 * vkUUIDParseText:
 * libvirt's rules (virUUIDParse): leading whitespace is skipped; then 32
 * hex digits, where '-' and ' ' may stand (any number of them) before any
 * pair of digits but never inside one; after the 32nd digit only
 * whitespace.  Returns 0 with @uuid filled, or -1 (@uuid undefined).  NULL
 * is -1.
 */
static inline int
vkUUIDParseText(const char *text, unsigned char uuid[16])
{
    const char *p = text;
    int n = 0;

    if (!p)
        return -1;
    while (g_ascii_isspace(*p))
        p++;
    while (n < 16) {
        int hi, lo;

        if (*p == '-' || *p == ' ') {
            p++;
            continue;
        }
        if ((hi = g_ascii_xdigit_value(p[0])) < 0 || (lo = g_ascii_xdigit_value(p[1])) < 0)
            return -1;
        uuid[n++] = (unsigned char)(hi << 4 | lo);
        p += 2;
    }
    for (; *p; p++)
        if (!g_ascii_isspace(*p))
            return -1;
    return 0;
}
