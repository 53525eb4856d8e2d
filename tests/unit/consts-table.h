/* One row per constant or layout fact; filled from consts-list.h twice,
 * once under our headers and once under libvirt-dev's. */
#pragma once
#include <stddef.h>

typedef struct {
    const char *name;     /* "VIR_DOMAIN_RUNNING", "virDomainInfo", "virDomainInfo.memory" */
    long long value;      /* the constant, sizeof, or offsetof */
    const char *string;   /* for string macros */
} vkConstRow;

#define VK_ROW_X(n) { #n, (long long)(n), NULL },
#define VK_ROW_S(n) { #n, 0, n },
#define VK_ROW_T(t) { #t, (long long)sizeof(t), NULL },
#define VK_ROW_F(t, f) { #t "." #f, (long long)offsetof(t, f), NULL },
#define VK_ROW_U(t, f) { #t "." #f, (long long)offsetof(t, f), NULL },

/* The union members, and sizes of a few typedef'd names. */
#define VK_EXTRA_ROWS \
    VK_ROW_U(virTypedParameter, value.i) VK_ROW_U(virTypedParameter, value.ui) \
    VK_ROW_U(virTypedParameter, value.l) VK_ROW_U(virTypedParameter, value.ul) \
    VK_ROW_U(virTypedParameter, value.d) VK_ROW_U(virTypedParameter, value.b) \
    VK_ROW_U(virTypedParameter, value.s) \
    { "sizeof(virTypedParameter.value)", (long long)sizeof(((virTypedParameter *)0)->value), NULL }, \
    { "sizeof(virDomainState)", (long long)sizeof(virDomainState), NULL }, \
    { "sizeof(virErrorNumber)", (long long)sizeof(virErrorNumber), NULL },

extern const vkConstRow vk_consts_ours[];
extern const size_t vk_consts_ours_n;
extern const vkConstRow vk_consts_theirs[];
extern const size_t vk_consts_theirs_n;
