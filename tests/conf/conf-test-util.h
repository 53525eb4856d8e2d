/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* conf-test-util.h: shared by the conf tests (comparison with virsh,
 * RelaxNG validation, masking of generated values). */
#ifndef CONF_TEST_UTIL_H
#define CONF_TEST_UTIL_H

#include <glib.h>

/* Our output for @xml the way libvirt's test driver defines it: parse with
 * the test host's capabilities, name interfaces testnetN, format.  NULL with
 * @error set on failure. */
char *conf_test_format_like_test_driver(const char *xml, GError **error);

/* Stock virsh: define @path and dump it back in one test:///default
 * session.  NULL with @error set when virsh fails. */
char *conf_test_virsh_dump(const char *path, const char *name, GError **error);

/* Replace values libvirt generates (uuid, MAC, virtualport ids) that do
 * not appear in @input by a placeholder. */
char *conf_test_mask_generated(const char *xml, const char *input);

/* Validate against libvirt's published domain.rng; NULL when valid, else
 * the validator's messages. */
char *conf_test_relaxng_errors(const char *xml, const char *schema_path);

/* A unified-ish line diff for failure messages. */
char *conf_test_diff(const char *expected, const char *actual);

#endif
