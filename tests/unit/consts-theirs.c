/* The same table as Debian's libvirt-dev headers define it. */
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include "consts-list.h"
#include "consts-table.h"

const vkConstRow vk_consts_theirs[] = {
    VK_CONSTS(VK_ROW_X, VK_ROW_S)
    VK_STRUCTS(VK_ROW_T, VK_ROW_F)
    VK_EXTRA_ROWS
};
const size_t vk_consts_theirs_n = sizeof(vk_consts_theirs) / sizeof(vk_consts_theirs[0]);
