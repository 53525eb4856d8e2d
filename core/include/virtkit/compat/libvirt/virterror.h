/*
 * <libvirt/virterror.h> for programs written for libvirt.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIRTKIT_COMPAT_VIRTERROR_H
# define VIRTKIT_COMPAT_VIRTERROR_H
# include <virtkit/virtkit.h>
#endif
