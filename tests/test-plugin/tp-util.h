/*
 * tp-util.h: shared by the test plugin's tests (tests/test-plugin/).
 * Every test reaches the plugin through libvirt's public API only.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef TP_UTIL_H
#define TP_UTIL_H

#include <glib.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

/* Quiets the default error printer; call first in main(). */
void tp_init(int *argc, char ***argv);

/* test:///default: the process-wide default host. */
virConnectPtr tp_open_default(void);

/* A fresh host of its own: test:///TMP/node-N.xml, a <node> file with the
 * default host's facts and domain "test" (plus @extra_domains, whole
 * <domain> documents, may be NULL).  Closed and forgotten by the caller. */
virConnectPtr tp_open_fresh(const char *extra_domains);

/* Defines a persistent domain @name (1 GiB, 2 of 4 vCPUs, disk vda on
 * @disk_path or /guest/@name.img, interface, cdrom hdc read-only). */
virDomainPtr tp_define(virConnectPtr conn, const char *name, const char *disk_path);
char *tp_domain_xml(const char *name, const char *disk_path);

/* The last error must carry @code and, when @substr is not NULL, contain
 * @substr in its message. */
#define tp_assert_error(code, substr) \
    tp_assert_error_at(__FILE__, __LINE__, (code), (substr))
void tp_assert_error_at(const char *file, int line, int code, const char *substr);

int tp_state(virDomainPtr dom, int *reason);

/* The source root (for the shared corpus and stock-virsh comparisons). */
const char *tp_source_root(void);
/* A scratch directory removed at exit. */
const char *tp_tmpdir(void);
/* Runs stock virsh on test:///default with @script; NULL when virsh is
 * missing or fails. */
char *tp_virsh(const char *script);

#endif

/* Stock virsh on test:///default: runs @script and returns the message of
 * its last "error: " line (NULL when virsh is missing or reported none). */
char *tp_virsh_last_error(const char *script);
