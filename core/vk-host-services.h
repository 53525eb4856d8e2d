/*
 * vk-host-services.h: host-table services that have no other home in the
 * core (vir-host-services.c): typed-parameter validation against a
 * plugin's table, and configuration files for plugins.  Contracts are the
 * host fields' in virtkit-plugin.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "vk-dispatch.h"

G_BEGIN_DECLS

int vkHostTypedParamsValidate(const virTypedParameter *params, int nparams,
                              const virtkitTypedParamSpec *spec, size_t nspec);

virtkitConfFile *vkHostConfReadFile(const char *path, unsigned int flags);
virtkitConfFile *vkHostConfReadString(const char *text, const char *name);
void vkHostConfFree(virtkitConfFile *conf);
int vkHostConfGetString(const virtkitConfFile *conf, const char *key, char **value);
int vkHostConfGetStringList(const virtkitConfFile *conf, const char *key, char ***value);
int vkHostConfGetInt(const virtkitConfFile *conf, const char *key, long long min, long long max,
                     long long *value);
int vkHostConfGetUInt(const virtkitConfFile *conf, const char *key, unsigned long long max,
                      unsigned long long *value);
int vkHostConfGetBool(const virtkitConfFile *conf, const char *key, bool *value);

G_END_DECLS
