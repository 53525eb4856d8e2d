/*
 * virtkit-own.h: virtkit's additions beside libvirt's API (symbol node
 * VIRTKIT_0.1 and later).  Nothing here replaces a libvirt call.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIRTKIT_OWN_H
# define VIRTKIT_OWN_H

# ifdef __cplusplus
extern "C" {
# endif

/* virtkit's own release as major * 1,000,000 + minor * 1,000 + micro. */
# define VIRTKIT_VERSION_NUMBER 1000

/**
 * virtkitGetVersion:
 *
 * Reports virtkit's own release, as VIRTKIT_VERSION_NUMBER encodes it.
 * virGetVersion() and virConnectGetLibVersion() report the libvirt API
 * level virtkit implements instead (9000000 for libvirt 9.0.0), which is
 * what programs written for libvirt check.
 *
 * Returns the release number; never fails.  Thread-safe.
 *
 * Since: VIRTKIT_0.1
 */
unsigned long virtkitGetVersion(void);

# ifdef __cplusplus
}
# endif
#endif /* VIRTKIT_OWN_H */
