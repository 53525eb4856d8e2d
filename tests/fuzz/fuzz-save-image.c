/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-save-image.c: libFuzzer target for the test host's save image: the
 * header parser (magic, running line, XML length) and, when the header
 * holds, the domain XML it frames, parsed and formatted as a restore does.
 * The header must never claim more than the XML limit or point past the
 * header's own bytes; a refusal must be a VIRTKIT_CONF_ERROR or
 * VIRTKIT_CONF_XML_ERROR with a message.
 */
#include "virtkit-conf-domain.h"
#include "virtkit-conf-save-image.h"

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
    g_autoptr(GError) error = NULL;
    gboolean running;
    guint64 xml_len = 0;
    gsize skip = 0;

    if (!caps) {
        g_log_set_handler("virtkit-conf", G_LOG_LEVEL_MASK, quiet, NULL);
        caps = virtkitCapsNewTestDefault();
    }
    if (size > 256 * 1024)
        return 0;
    if (!virtkitSaveImageHeaderParse((const char *) data, size, "fuzz.img", &running, &xml_len,
                                     &skip, &error)) {
        if (!error || !error->message ||
                (error->domain != VIRTKIT_CONF_ERROR && error->domain != VIRTKIT_CONF_XML_ERROR))
            abort();
        return 0;
    }
    if (xml_len > VIRTKIT_XML_DEFAULT_MAX_SIZE || skip > size ||
        skip > VIRTKIT_SAVE_IMAGE_HEADER_MAX)
        abort();
    if (size - skip == xml_len && !memchr(data + skip, '\0', xml_len)) {
        g_autofree char *xml = g_strndup((const char *) data + skip, xml_len);
        virtkitDomainParseOptions opts = { .caps = caps, .max_size = 256 * 1024 };
        g_autoptr(GError) perr = NULL;
        g_autoptr(virtkitDomainDef) def = virtkitDomainDefParseString(xml, &opts, 0, &perr);
        if (def) {
            gsize len;
            g_autofree char *out = virtkitDomainDefFormat(def, VIR_DOMAIN_XML_SECURE);
            g_autofree char *image = virtkitSaveImageFormat(out, running, &len);
            g_autoptr(GError) e2 = NULL;
            gboolean r2;
            guint64 l2;
            gsize s2;
            /* what we write, our header parser reads */
            if (!virtkitSaveImageHeaderParse(image, len, "again.img", &r2, &l2, &s2, &e2) ||
                r2 != running || l2 != strlen(out) || s2 + l2 != len)
                abort();
        } else if (!perr || !perr->message) {
            abort();
        }
    }
    return 0;
}
