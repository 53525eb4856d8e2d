/*
 * virtkit.h: the umbrella header.  Programs written for libvirt include
 * <libvirt/libvirt.h> instead (virtkit-compat.pc); both give the same API.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIRTKIT_H
# define VIRTKIT_H

# include <virtkit/virtkit-common.h>
# include <virtkit/virtkit-host.h>
# include <virtkit/virtkit-event.h>
# include <virtkit/virtkit-domain.h>
# include <virtkit/virtkit-domain-snapshot.h>
# include <virtkit/virtkit-storage.h>
# include <virtkit/virtkit-stream.h>
# include <virtkit/virtkit-error.h>
# include <virtkit/virtkit-own.h>

#endif /* VIRTKIT_H */
