/* The table as our headers define it. */
#include <virtkit/virtkit.h>
#include "consts-list.h"
#include "consts-table.h"

const vkConstRow vk_consts_ours[] = {
    VK_CONSTS(VK_ROW_X, VK_ROW_S)
    VK_STRUCTS(VK_ROW_T, VK_ROW_F)
    VK_EXTRA_ROWS
};
const size_t vk_consts_ours_n = sizeof(vk_consts_ours) / sizeof(vk_consts_ours[0]);
