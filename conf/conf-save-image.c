/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* conf-save-image.c: the test host's save image header (see the header). */
#include "virtkit-conf-save-image.h"

#include <virtkit/virtkit.h>
#include <string.h>

gboolean
virtkitSaveImageHeaderParse(const char *buf, gsize len, const char *path, gboolean *running,
                            guint64 *xml_len, gsize *header_len, GError **error)
{
    const gsize magic = strlen(VIRTKIT_SAVE_IMAGE_MAGIC);
    const char *p, *end, *nl;
    g_autofree char *num = NULL;

    len = MIN(len, VIRTKIT_SAVE_IMAGE_HEADER_MAX);
    end = buf + len;
    if (len < magic || memcmp(buf, VIRTKIT_SAVE_IMAGE_MAGIC, magic) != 0) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_OPERATION_FAILED,
                    "'%s' is not a save image of the test host (no '%.16s' header)", path,
                    VIRTKIT_SAVE_IMAGE_MAGIC);
        return FALSE;
    }
    p = buf + magic;
    if ((gsize) (end - p) >= 10 && memcmp(p, "running=1\n", 10) == 0)
        *running = TRUE;
    else if ((gsize) (end - p) >= 10 && memcmp(p, "running=0\n", 10) == 0)
        *running = FALSE;
    else {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_OPERATION_FAILED,
                    "save image '%s' is damaged: no 'running=' line", path);
        return FALSE;
    }
    p += 10;
    if ((gsize) (end - p) < 11 || memcmp(p, "xml-length=", 11) != 0 ||
        !(nl = memchr(p, '\n', (gsize) (end - p)))) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_OPERATION_FAILED,
                    "save image '%s' is damaged: no 'xml-length=' line", path);
        return FALSE;
    }
    num = g_strndup(p + 11, (gsize) (nl - (p + 11)));
    if (!virtkitParseUInt64(num, xml_len) || *xml_len > VIRTKIT_XML_DEFAULT_MAX_SIZE) {
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_OPERATION_FAILED,
                    "save image '%s' is damaged: its XML length '%s' is not a number from 0 "
                    "to the limit of %u bytes", path, num,
                    (unsigned int) VIRTKIT_XML_DEFAULT_MAX_SIZE);
        return FALSE;
    }
    *header_len = (gsize) (nl + 1 - buf);
    return TRUE;
}

char *
virtkitSaveImageFormat(const char *xml, gboolean running, gsize *len)
{
    char *data = g_strdup_printf("%srunning=%d\nxml-length=%" G_GSIZE_FORMAT "\n%s",
                                 VIRTKIT_SAVE_IMAGE_MAGIC, running ? 1 : 0, strlen(xml), xml);
    *len = strlen(data);
    return data;
}
