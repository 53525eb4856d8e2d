/*
 * <libvirt/libvirt.h> for programs written for libvirt: builds them against
 * virtkit unchanged (pkg-config --cflags --libs virtkit-compat).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIRTKIT_COMPAT_LIBVIRT_H
# define VIRTKIT_COMPAT_LIBVIRT_H
# include <virtkit/virtkit.h>
#endif
