/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-conf.c: libFuzzer target for the configuration-file parser
 * (libvirt's conf syntax: virtkit.conf, the plugins' files): any bytes
 * parse or are refused with an error that has a message, and the keys the
 * core and the test plugin read can be read back through every typed
 * getter (each answers or refuses, whatever the value's type).
 */
#include "vir-conf.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(vkConf) conf = NULL;

    if (size > 1024 * 1024)
        return 0;
    conf = vkConfParseData((const char *) data, size, "fuzz.conf", &error);
    if (!conf) {
        if (!error || !error->message)
            abort();
        return 0;
    }
    static const char *const keys[] = { "uri_default", "uri_aliases", "job_wait_timeout_ms",
                                        "log_level", "log_filters", "log_outputs" };
    for (unsigned i = 0; i < G_N_ELEMENTS(keys); i++) {
        g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL, e5 = NULL;
        g_autofree char *str = NULL;
        g_auto(GStrv) list = NULL;
        gint64 v;
        guint64 u;
        gboolean b;
        (void) vkConfGetType(conf, keys[i]);
        if ((vkConfGetString(conf, keys[i], &str, &e1) < 0 && !e1) ||
            (vkConfGetStringList(conf, keys[i], &list, &e2) < 0 && !e2) ||
            (vkConfGetInt(conf, keys[i], &v, &e3) < 0 && !e3) ||
            (vkConfGetUIntRange(conf, keys[i], G_MAXINT, &u, &e4) < 0 && !e4) ||
            (vkConfGetBool(conf, keys[i], &b, &e5) < 0 && !e5))
            abort();
    }
    return 0;
}
