/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * virtkit-conf-save-image.h: the test host's save image.
 *
 * An image is VIRTKIT_SAVE_IMAGE_MAGIC, a "running=0|1" line, an
 * "xml-length=N" line and N bytes of domain XML.  The header fits in
 * VIRTKIT_SAVE_IMAGE_HEADER_MAX bytes and says how much follows, so a
 * reader checks it before it reads anything else, and then reads only N
 * bytes (at most VIRTKIT_XML_DEFAULT_MAX_SIZE).
 */
#ifndef VIRTKIT_CONF_SAVE_IMAGE_H
#define VIRTKIT_CONF_SAVE_IMAGE_H

#include "virtkit-conf-xml.h"

G_BEGIN_DECLS

#define VIRTKIT_SAVE_IMAGE_MAGIC "VirtkitTestSave1\n"
#define VIRTKIT_SAVE_IMAGE_HEADER_MAX 128

/**
 * virtkitSaveImageHeaderParse:
 * @buf: the first bytes of the image (need not be NUL-terminated)
 * @len: how many (up to VIRTKIT_SAVE_IMAGE_HEADER_MAX are looked at)
 * @path: the image, for messages
 * @running: (out): whether the guest was running
 * @xml_len: (out): the length of the XML that follows
 * @header_len: (out): where the XML starts
 * @error: VIRTKIT_CONF_ERROR, VIR_ERR_OPERATION_FAILED, naming @path: not an
 *   image, no running line, no length line, a length past the XML limit
 *
 * Returns: TRUE with the outs set, FALSE with @error set.
 * Since: 0.1.0
 */
gboolean virtkitSaveImageHeaderParse(const char *buf, gsize len, const char *path,
                                     gboolean *running, guint64 *xml_len, gsize *header_len,
                                     GError **error);

/**
 * virtkitSaveImageFormat:
 * @xml: the domain XML
 * @running: whether the guest was running
 * @len: (out): the image's length
 *
 * Returns: the whole image, g_free() it.
 * Since: 0.1.0
 */
char *virtkitSaveImageFormat(const char *xml, gboolean running, gsize *len);

G_END_DECLS

#endif
