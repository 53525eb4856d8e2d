/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vk-file.h: reading a whole file with a size limit, from any source.
 *
 * g_file_get_contents() reads until the source ends, so /dev/zero, a FIFO
 * fed forever or a file that grows while it is read take all the memory
 * there is; a stat() check covers regular files only.  Every reader of a
 * file that a user or a client names (configuration, node files, domain
 * XML, save images) goes through this helper instead: it never holds more
 * than @max_size + 1 bytes.
 *
 * The source is compiled into each component that needs it (the core, the
 * conf archive that plugins link, vksh), each copy hidden in its binary.
 */
#ifndef VK_FILE_H
#define VK_FILE_H

#include <gio/gio.h>

G_BEGIN_DECLS

/* The error domain of vkFileReadBounded's own refusal; other failures are
 * G_FILE_ERROR errors as g_file_get_contents() gives them. */
#define VK_FILE_ERROR (vkFileErrorQuark())
GQuark vkFileErrorQuark(void);

typedef enum {
    VK_FILE_ERROR_TOO_BIG = 1,   /* more than the limit: nothing kept */
} vkFileError;

/**
 * vkFileReadBounded:
 * @path: the file to read; any kind (regular, device, FIFO, /proc)
 * @max_size: the largest content accepted, in bytes
 * @contents: (out): the content, NUL-terminated, g_free() it
 * @length: (out) (optional): its length, without the NUL
 * @error: G_FILE_ERROR (as g_file_get_contents() words it) on an open or read
 *   failure, with errno in @errno_out;
 *   VK_FILE_ERROR_TOO_BIG when there is more than @max_size bytes
 * @errno_out: (out) (optional): errno of an open or read failure, else 0
 *
 * Reads at most @max_size + 1 bytes: a larger source is refused after
 * that, whatever it is.  Blocking; thread-safe.
 *
 * Returns: TRUE with @contents set, FALSE with @error set.
 */
gboolean vkFileReadBounded(const char *path, gsize max_size, char **contents, gsize *length,
                           int *errno_out, GError **error);

/**
 * vkFileOpenRead:
 * @path: the file, any kind
 * @errno_out: (out) (optional): errno of a failure, else 0
 * @error: G_FILE_ERROR as g_file_get_contents() words it
 *
 * Opens @path for vkFileStreamRead(), for a reader that checks a header
 * before it knows how much more to read (one open, so a FIFO works).
 *
 * Returns: (transfer full): the stream, or NULL with @error set.
 */
GInputStream *vkFileOpenRead(const char *path, int *errno_out, GError **error);

/**
 * vkFileStreamRead:
 * @in: a stream from vkFileOpenRead()
 * @path: its file, for messages
 * @limit: the most bytes to keep
 * @contents: (out): what was read, NUL-terminated, g_free() it
 * @length: (out): how many bytes that is (at most @limit)
 * @more: (out): whether the source held more than @limit bytes (one byte
 *   past @limit was read to tell)
 * @errno_out: (out) (optional): errno of a read failure, else 0
 * @error: G_FILE_ERROR on a read failure
 *
 * Returns: TRUE with @contents set, FALSE with @error set.
 */
gboolean vkFileStreamRead(GInputStream *in, const char *path, gsize limit, char **contents,
                          gsize *length, gboolean *more, int *errno_out, GError **error);

G_END_DECLS

#endif
