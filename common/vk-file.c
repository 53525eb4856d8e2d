/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vk-file.c: bounded whole-file reads (see vk-file.h). */
#include "vk-file.h"

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>

GQuark
vkFileErrorQuark(void)
{
    return g_quark_from_static_string("vk-file-error-quark");
}

/* GIO keeps errno only inside its message: turn its code back into one so
 * callers can print libvirt's strerror texts. */
static int
vkFileErrno(const GError *e)
{
    if (!e || e->domain != G_IO_ERROR)
        return EIO;
    if (e->code == G_IO_ERROR_FAILED)
        return EIO;
    switch (e->code) {
    case G_IO_ERROR_NOT_FOUND: return ENOENT;
    case G_IO_ERROR_PERMISSION_DENIED: return EACCES;
    case G_IO_ERROR_IS_DIRECTORY: return EISDIR;
    case G_IO_ERROR_NOT_DIRECTORY: return ENOTDIR;
    case G_IO_ERROR_FILENAME_TOO_LONG: return ENAMETOOLONG;
    case G_IO_ERROR_TOO_MANY_LINKS: return ELOOP;
    case G_IO_ERROR_NO_SPACE: return ENOSPC;
    case G_IO_ERROR_INVALID_ARGUMENT: return EINVAL;
    default: return EIO;
    }
}

/* A failure as g_file_get_contents() reports it (G_FILE_ERROR, its words),
 * so callers that tell a missing file from others keep working. */
static void
vkFileFail(const char *path, const char *what, int err, int *errno_out, GError **error)
{
    g_autofree char *display = g_filename_display_name(path);

    if (errno_out)
        *errno_out = err;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err),
                "Failed to %s file \u201c%s\u201d: %s", what, display, g_strerror(err));
}

GInputStream *
vkFileOpenRead(const char *path, int *errno_out, GError **error)
{
    int fd;

    if (errno_out)
        *errno_out = 0;
    if ((fd = g_open(path, O_RDONLY | O_CLOEXEC, 0)) < 0) {
        vkFileFail(path, "open", errno, errno_out, error);
        return NULL;
    }
    return g_unix_input_stream_new(fd, TRUE);
}

gboolean
vkFileStreamRead(GInputStream *in, const char *path, gsize limit, char **contents,
                 gsize *length, gboolean *more, int *errno_out, GError **error)
{
    g_autoptr(GByteArray) buf = g_byte_array_new();
    GError *err = NULL;
    guint8 chunk[65536];

    g_return_val_if_fail(limit < G_MAXUINT - 1, FALSE);
    if (errno_out)
        *errno_out = 0;
    *more = FALSE;
    /* One byte past the limit tells "exactly the limit" from "more". */
    while (buf->len <= limit) {
        gsize want = MIN(sizeof(chunk), limit + 1 - buf->len);
        gssize got = g_input_stream_read(in, chunk, want, NULL, &err);
        if (got < 0) {
            vkFileFail(path, "read from", vkFileErrno(err), errno_out, error);
            g_error_free(err);
            return FALSE;
        }
        if (got == 0)
            break;
        g_byte_array_append(buf, chunk, (guint) got);
    }
    if (buf->len > limit) {
        *more = TRUE;
        g_byte_array_set_size(buf, (guint) limit);
    }
    *length = buf->len;
    g_byte_array_append(buf, (const guint8 *) "", 1);
    *contents = (char *) g_byte_array_free(g_steal_pointer(&buf), FALSE);
    return TRUE;
}

gboolean
vkFileReadBounded(const char *path, gsize max_size, char **contents, gsize *length,
                  int *errno_out, GError **error)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    gboolean more;

    g_autoptr(GInputStream) in = NULL;

    g_return_val_if_fail(path && contents, FALSE);
    if (!(in = vkFileOpenRead(path, errno_out, error)) ||
        !vkFileStreamRead(in, path, max_size, &data, &len, &more, errno_out, error))
        return FALSE;
    if (more) {
        if (errno_out)
            *errno_out = EOVERFLOW;
        g_set_error(error, VK_FILE_ERROR, VK_FILE_ERROR_TOO_BIG,
                    "'%s' is larger than the limit of %" G_GSIZE_FORMAT " bytes", path,
                    max_size);
        return FALSE;
    }
    *contents = g_steal_pointer(&data);
    if (length)
        *length = len;
    return TRUE;
}

