/*
 * vir-auth.c: virConnectAuthPtrDefault, the credential callback libvirt
 * programs pass to virConnectOpenAuth to be prompted on a terminal.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#define VK_FROM VIR_FROM_AUTH
#define VK_LOG_MODULE "core.auth"
#include "vk-internal.h"

/* virConnectAuthPtrDefault: the credential types a terminal can answer.
 * Prompting itself belongs to client config work (issue "Core, part 3");
 * until then the callback says it cannot prompt. */
static int vkAuthDefaultCredTypes[] = {
    VIR_CRED_AUTHNAME, VIR_CRED_ECHOPROMPT, VIR_CRED_REALM,
    VIR_CRED_PASSPHRASE, VIR_CRED_NOECHOPROMPT, VIR_CRED_EXTERNAL,
};

static int
vkAuthDefaultCallback(virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
    (void)cred;
    (void)cbdata;
    vkReportError(VIR_ERR_AUTH_FAILED,
                  "cannot prompt for %u credential(s): terminal prompting is not available yet",
                  ncred);
    return -1;
}

static virConnectAuth vkAuthDefault = {
    .credtype = vkAuthDefaultCredTypes,
    .ncredtype = G_N_ELEMENTS(vkAuthDefaultCredTypes),
    .cb = vkAuthDefaultCallback,
    .cbdata = NULL,
};

virConnectAuthPtr virConnectAuthPtrDefault = &vkAuthDefault;
