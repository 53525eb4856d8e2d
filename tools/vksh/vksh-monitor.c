/*
 * vksh-monitor.c: commands that report on domains (list, dominfo,
 * domstate, domid/domname/domuuid, domblk*, domstats, domjobinfo), in
 * virsh's layout, plus --json for the list-style ones.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vksh.h"
#include "vksh-xml.h"

static const char *const stateNames[] = {
    "no state", "running", "idle", "paused", "in shutdown", "shut off", "crashed",
    "pmsuspended",
};

static const char *
vkshStateToString(int state)
{
    if (state >= 0 && state < (int)G_N_ELEMENTS(stateNames))
        return stateNames[state];
    return "no state";
}

static const char *const *const reasonNames[] = {
    [VIR_DOMAIN_NOSTATE] = (const char *const[]){ "unknown", NULL },
    [VIR_DOMAIN_RUNNING] = (const char *const[]){
        "unknown", "booted", "migrated", "restored", "from snapshot", "unpaused",
        "migration canceled", "save canceled", "event wakeup", "crashed", "post-copy",
        "post-copy failed", NULL },
    [VIR_DOMAIN_BLOCKED] = (const char *const[]){ "unknown", NULL },
    [VIR_DOMAIN_PAUSED] = (const char *const[]){
        "unknown", "user", "migrating", "saving", "dumping", "I/O error", "watchdog",
        "from snapshot", "shutting down", "creating snapshot", "crashed", "starting up",
        "post-copy", "post-copy failed", "api error", NULL },
    [VIR_DOMAIN_SHUTDOWN] = (const char *const[]){ "unknown", "user", NULL },
    [VIR_DOMAIN_SHUTOFF] = (const char *const[]){
        "unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed",
        "from snapshot", "daemon", NULL },
    [VIR_DOMAIN_CRASHED] = (const char *const[]){ "unknown", "panicked", NULL },
    [VIR_DOMAIN_PMSUSPENDED] = (const char *const[]){ "unknown", NULL },
};

static const char *
vkshStateReasonToString(int state, int reason)
{
    const char *const *names;

    if (state < 0 || state >= (int)G_N_ELEMENTS(reasonNames) || reason < 0)
        return "unknown";
    names = reasonNames[state];
    for (int i = 0; names[i]; i++) {
        if (i == reason)
            return names[i];
    }
    return "unknown";
}

/* The state, from virDomainGetState, or virDomainGetInfo when a plugin
 * lacks the former (as virsh falls back). */
static int
vkshDomainState(virDomainPtr dom, int *reason)
{
    virDomainInfo info;
    int state;

    if (reason)
        *reason = -1;
    if (virDomainGetState(dom, &state, reason, 0) == 0)
        return state;
    if (virGetLastErrorCode() != VIR_ERR_NO_SUPPORT)
        return -1;
    vkshResetLibvirtError();
    if (virDomainGetInfo(dom, &info) < 0)
        return -1;
    return info.state;
}

bool
cmdDomstate(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    int state, reason;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if ((state = vkshDomainState(dom, &reason)) < 0)
        return false;
    if (vkshOptBool(cmd, "reason"))
        vkshPrint(ctl, "%s (%s)\n", vkshStateToString(state),
                  vkshStateReasonToString(state, reason));
    else
        vkshPrint(ctl, "%s\n", vkshStateToString(state));
    return true;
}

bool
cmdDomid(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    unsigned int id;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    id = virDomainGetID(dom);
    if (id == (unsigned int)-1)
        vkshPrint(ctl, "%s\n", "-");
    else
        vkshPrint(ctl, "%d\n", id);
    return true;
}

bool
cmdDomname(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    vkshPrint(ctl, "%s\n", virDomainGetName(dom));
    return true;
}

bool
cmdDomuuid(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    char uuid[VIR_UUID_STRING_BUFLEN];

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (virDomainGetUUIDString(dom, uuid) != -1)
        vkshPrint(ctl, "%s\n", uuid);
    else
        vkshError(ctl, "%s", "failed to get domain UUID");
    return true;
}

bool
cmdDominfo(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    virDomainInfo info;
    virSecurityModel secmodel;
    char uuid[VIR_UUID_STRING_BUFLEN];
    g_autofree char *ostype = NULL;
    unsigned int id;
    int persistent, autostart, managed;
    bool ret = true;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    id = virDomainGetID(dom);
    if (id == (unsigned int)-1)
        vkshPrint(ctl, "%-15s %s\n", "Id:", "-");
    else
        vkshPrint(ctl, "%-15s %d\n", "Id:", id);
    vkshPrint(ctl, "%-15s %s\n", "Name:", virDomainGetName(dom));
    if (virDomainGetUUIDString(dom, uuid) == 0)
        vkshPrint(ctl, "%-15s %s\n", "UUID:", uuid);
    if ((ostype = virDomainGetOSType(dom)))
        vkshPrint(ctl, "%-15s %s\n", "OS Type:", ostype);
    if (virDomainGetInfo(dom, &info) == 0) {
        vkshPrint(ctl, "%-15s %s\n", "State:", vkshStateToString(info.state));
        vkshPrint(ctl, "%-15s %d\n", "CPU(s):", info.nrVirtCpu);
        if (info.cpuTime != 0)
            vkshPrint(ctl, "%-15s %.1lfs\n", "CPU time:", info.cpuTime / 1000000000.0);
        if (info.maxMem != UINT_MAX)
            vkshPrint(ctl, "%-15s %lu KiB\n", "Max memory:", info.maxMem);
        else
            vkshPrint(ctl, "%-15s %s\n", "Max memory:", "no limit");
        vkshPrint(ctl, "%-15s %lu KiB\n", "Used memory:", info.memory);
    } else {
        ret = false;
    }
    persistent = virDomainIsPersistent(dom);
    vkshDebug(ctl, 0, "Domain persistent flag value: %d\n", persistent);
    if (persistent < 0)
        vkshPrint(ctl, "%-15s %s\n", "Persistent:", "unknown");
    else
        vkshPrint(ctl, "%-15s %s\n", "Persistent:", persistent ? "yes" : "no");
    if (!virDomainGetAutostart(dom, &autostart))
        vkshPrint(ctl, "%-15s %s\n", "Autostart:", autostart ? "enable" : "disable");
    managed = virDomainHasManagedSaveImage(dom, 0);
    if (managed < 0)
        vkshPrint(ctl, "%-15s %s\n", "Managed save:", "unknown");
    else
        vkshPrint(ctl, "%-15s %s\n", "Managed save:", managed ? "yes" : "no");

    memset(&secmodel, 0, sizeof(secmodel));
    if (virNodeGetSecurityModel(ctl->conn, &secmodel) == -1) {
        if (virGetLastErrorCode() != VIR_ERR_NO_SUPPORT)
            return false;
        vkshResetLibvirtError();
    } else if (secmodel.model[0] != '\0') {
        g_autofree virSecurityLabelPtr label = g_new0(virSecurityLabel, 1);

        vkshPrint(ctl, "%-15s %s\n", "Security model:", secmodel.model);
        vkshPrint(ctl, "%-15s %s\n", "Security DOI:", secmodel.doi);
        if (virDomainGetSecurityLabel(dom, label) == -1)
            return false;
        if (label->label[0] != '\0')
            vkshPrint(ctl, "%-15s %s (%s)\n", "Security label:", label->label,
                      label->enforcing ? "enforcing" : "permissive");
    }
    if (ret) {
        char **messages = NULL;
        int n = virDomainGetMessages(dom, &messages, 0);

        if (n > 0) {
            for (int i = 0; messages[i]; i++)
                vkshPrint(ctl, "%-15s %s\n", i == 0 ? "Messages:" : "", messages[i]);
        }
        if (n >= 0 && messages) {
            for (int i = 0; messages[i]; i++)
                free(messages[i]);
            free(messages);
        }
        vkshResetLibvirtError();
    }
    return ret;
}

/* ---- list ------------------------------------------------------------- */

/* Running domains by id, then inactive ones by name (case-insensitive). */
static int
vkshDomainSorter(gconstpointer a, gconstpointer b)
{
    virDomainPtr da = *(virDomainPtr const *)a;
    virDomainPtr db = *(virDomainPtr const *)b;
    unsigned int ida = virDomainGetID(da), idb = virDomainGetID(db);
    const unsigned int inactive = (unsigned int)-1;

    if (ida == inactive && idb == inactive)
        return g_ascii_strcasecmp(virDomainGetName(da), virDomainGetName(db));
    if (ida != inactive && idb != inactive)
        return ida > idb ? 1 : ida < idb ? -1 : 0;
    return ida != inactive ? -1 : 1;
}

/* The title, or "" when the domain has none. */
static char *
vkshDomainTitle(virDomainPtr dom)
{
    char *title = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_TITLE, NULL, 0);

    if (!title) {
        vkshResetLibvirtError();
        return g_strdup("");
    }
    /* only the first line, as virsh shows it */
    {
        char *nl = strchr(title, '\n');
        char *ret;
        if (nl)
            *nl = '\0';
        ret = g_strdup(title);
        free(title);
        return ret;
    }
}

bool
cmdList(vkshControl *ctl, const vkshCmd *cmd)
{
    static const struct { const char *opt; unsigned int flag; } filters[] = {
        { "persistent", VIR_CONNECT_LIST_DOMAINS_PERSISTENT },
        { "transient", VIR_CONNECT_LIST_DOMAINS_TRANSIENT },
        { "with-managed-save", VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE },
        { "without-managed-save", VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE },
        { "autostart", VIR_CONNECT_LIST_DOMAINS_AUTOSTART },
        { "no-autostart", VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART },
        { "with-snapshot", VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT },
        { "without-snapshot", VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT },
        { "with-checkpoint", VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT },
        { "without-checkpoint", VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT },
        { "state-running", VIR_CONNECT_LIST_DOMAINS_RUNNING },
        { "state-paused", VIR_CONNECT_LIST_DOMAINS_PAUSED },
        { "state-shutoff", VIR_CONNECT_LIST_DOMAINS_SHUTOFF },
        { "state-other", VIR_CONNECT_LIST_DOMAINS_OTHER },
    };
    bool managed = vkshOptBool(cmd, "managed-save");
    bool optTitle = vkshOptBool(cmd, "title");
    bool optTable = vkshOptBool(cmd, "table");
    bool optUUID = vkshOptBool(cmd, "uuid");
    bool optName = vkshOptBool(cmd, "name");
    bool optID = vkshOptBool(cmd, "id");
    bool json = vkshOptBool(cmd, "json");
    unsigned int flags = VIR_CONNECT_LIST_DOMAINS_ACTIVE;
    virDomainPtr *doms = NULL;
    int ndoms;
    g_autoptr(vkshTable) table = NULL;
    g_autoptr(JsonBuilder) jb = NULL;
    bool ret = false;

    if (vkshOptBool(cmd, "inactive") || vkshOptBool(cmd, "state-shutoff"))
        flags = VIR_CONNECT_LIST_DOMAINS_INACTIVE;
    if (vkshOptBool(cmd, "all"))
        flags = VIR_CONNECT_LIST_DOMAINS_INACTIVE | VIR_CONNECT_LIST_DOMAINS_ACTIVE;
    for (size_t i = 0; i < G_N_ELEMENTS(filters); i++) {
        if (vkshOptBool(cmd, filters[i].opt))
            flags |= filters[i].flag;
    }
    if (!vkshExclusive(ctl, cmd, "table", "name") ||
        !vkshExclusive(ctl, cmd, "table", "uuid") ||
        !vkshExclusive(ctl, cmd, "table", "id"))
        return false;
    if (!optUUID && !optName && !optID)
        optTable = true;

    if ((ndoms = virConnectListAllDomains(ctl->conn, &doms, flags)) < 0) {
        vkshError(ctl, "%s", "Failed to list domains");
        return false;
    }
    if (ndoms > 1)
        qsort(doms, ndoms, sizeof(*doms), (int (*)(const void *, const void *))vkshDomainSorter);

    if (json) {
        jb = json_builder_new();
        json_builder_begin_array(jb);
    } else if (optTable) {
        table = optTitle ? vkshTableNew("Id", "Name", "State", "Title", NULL)
                         : vkshTableNew("Id", "Name", "State", NULL);
    }

    for (int i = 0; i < ndoms; i++) {
        virDomainPtr dom = doms[i];
        unsigned int id = virDomainGetID(dom);
        char idbuf[32];
        char uuid[VIR_UUID_STRING_BUFLEN];
        const char *sep = "";

        if (id != (unsigned int)-1)
            g_snprintf(idbuf, sizeof(idbuf), "%d", id);
        else
            g_strlcpy(idbuf, "-", sizeof(idbuf));

        if (json) {
            int reason, state = vkshDomainState(dom, &reason);

            if (state < 0) {
                vkshResetLibvirtError();
                continue;
            }
            json_builder_begin_object(jb);
            json_builder_set_member_name(jb, "id");
            if (id != (unsigned int)-1)
                json_builder_add_int_value(jb, id);
            else
                json_builder_add_null_value(jb);
            json_builder_set_member_name(jb, "name");
            json_builder_add_string_value(jb, virDomainGetName(dom));
            if (virDomainGetUUIDString(dom, uuid) == 0) {
                json_builder_set_member_name(jb, "uuid");
                json_builder_add_string_value(jb, uuid);
            }
            json_builder_set_member_name(jb, "state");
            json_builder_add_string_value(jb, vkshStateToString(state));
            json_builder_set_member_name(jb, "reason");
            json_builder_add_string_value(jb, vkshStateReasonToString(state, reason));
            json_builder_set_member_name(jb, "persistent");
            json_builder_add_boolean_value(jb, virDomainIsPersistent(dom) == 1);
            if (managed || optTitle) {
                if (managed) {
                    json_builder_set_member_name(jb, "managedSave");
                    json_builder_add_boolean_value(jb, virDomainHasManagedSaveImage(dom, 0) > 0);
                }
                if (optTitle) {
                    g_autofree char *title = vkshDomainTitle(dom);
                    json_builder_set_member_name(jb, "title");
                    json_builder_add_string_value(jb, title);
                }
            }
            json_builder_end_object(jb);
            vkshResetLibvirtError();
            continue;
        }

        if (optTable) {
            int state = vkshDomainState(dom, NULL);
            const char *statestr;

            /* the domain may have gone in the meantime */
            if (state < 0) {
                vkshResetLibvirtError();
                continue;
            }
            statestr = vkshStateToString(state);
            if (managed && state == VIR_DOMAIN_SHUTOFF && virDomainHasManagedSaveImage(dom, 0) > 0)
                statestr = "saved";
            if (optTitle) {
                g_autofree char *title = vkshDomainTitle(dom);
                vkshTableRowAdd(table, idbuf, virDomainGetName(dom), statestr, title, NULL);
            } else {
                vkshTableRowAdd(table, idbuf, virDomainGetName(dom), statestr, NULL);
            }
        } else {
            if (optUUID) {
                if (virDomainGetUUIDString(dom, uuid) < 0) {
                    vkshError(ctl, "%s", "Failed to get domain's UUID");
                    goto cleanup;
                }
                vkshPrint(ctl, "%s", uuid);
                sep = " ";
            }
            if (optID) {
                /* ids only: live domains only */
                if (id == (unsigned int)-1 && !optUUID && !optName)
                    continue;
                vkshPrint(ctl, "%s%s", sep, idbuf);
                sep = " ";
            }
            if (optName) {
                vkshPrint(ctl, "%s%s", sep, virDomainGetName(dom));
                sep = " ";
            }
            vkshPrint(ctl, "\n");
        }
    }
    if (json) {
        json_builder_end_array(jb);
        vkshJsonPrint(ctl, jb);
    } else if (optTable) {
        vkshTablePrint(ctl, table, true);
    }
    ret = true;
 cleanup:
    for (int i = 0; i < ndoms; i++)
        virDomainFree(doms[i]);
    free(doms);
    return ret;
}

/* ---- block devices ---------------------------------------------------- */

static const struct {
    const char *field, *legacy, *human;
} blkstatOutput[] = {
    { VIR_DOMAIN_BLOCK_STATS_READ_REQ, "rd_req", "number of read operations:" },
    { VIR_DOMAIN_BLOCK_STATS_READ_BYTES, "rd_bytes", "number of bytes read:" },
    { VIR_DOMAIN_BLOCK_STATS_WRITE_REQ, "wr_req", "number of write operations:" },
    { VIR_DOMAIN_BLOCK_STATS_WRITE_BYTES, "wr_bytes", "number of bytes written:" },
    { VIR_DOMAIN_BLOCK_STATS_ERRS, "errs", "error count:" },
    { VIR_DOMAIN_BLOCK_STATS_FLUSH_REQ, NULL, "number of flush operations:" },
    { VIR_DOMAIN_BLOCK_STATS_READ_TOTAL_TIMES, NULL, "total duration of reads (ns):" },
    { VIR_DOMAIN_BLOCK_STATS_WRITE_TOTAL_TIMES, NULL, "total duration of writes (ns):" },
    { VIR_DOMAIN_BLOCK_STATS_FLUSH_TOTAL_TIMES, NULL, "total duration of flushes (ns):" },
};

bool
cmdDomblkstat(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    const char *name = NULL, *device = NULL;
    bool human = vkshOptBool(cmd, "human");
    virTypedParameterPtr params = NULL;
    int nparams = 0;
    bool ret = false;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, &name)))
        return false;
    {
        /* an empty --device means every device, so it is allowed here */
        const vkshCmdOpt *o = NULL;
        for (o = cmd->opts; o && !g_str_equal(o->def->name, "device"); o = o->next)
            ;
        device = o ? o->data : "";
    }

    if (virDomainBlockStatsFlags(dom, device, NULL, &nparams, 0) < 0) {
        virDomainBlockStatsStruct stats;
        long long vals[5];

        if (virGetLastErrorCode() != VIR_ERR_NO_SUPPORT)
            return false;
        vkshResetLibvirtError();
        if (virDomainBlockStats(dom, device, &stats, sizeof(stats)) == -1) {
            vkshError(ctl, "Failed to get block stats %s %s", name, device);
            return false;
        }
        if (human) {
            vkshPrint(ctl, "Device: %s\n", device);
            device = "";
        }
        vals[0] = stats.rd_req;
        vals[1] = stats.rd_bytes;
        vals[2] = stats.wr_req;
        vals[3] = stats.wr_bytes;
        vals[4] = stats.errs;
        for (int i = 0; i < 5; i++) {
            if (vals[i] >= 0)
                vkshPrint(ctl, "%s %-*s %lld\n", device, human ? 31 : 0,
                          human ? blkstatOutput[i].human : blkstatOutput[i].legacy, vals[i]);
        }
        return true;
    }

    params = g_new0(virTypedParameter, nparams);
    if (virDomainBlockStatsFlags(dom, device, params, &nparams, 0) < 0) {
        vkshError(ctl, "Failed to get block stats for domain '%s' device '%s'", name, device);
        goto cleanup;
    }
    if (human) {
        vkshPrint(ctl, "Device: %s\n", device);
        device = "";
    }
    for (size_t i = 0; i < G_N_ELEMENTS(blkstatOutput); i++) {
        virTypedParameterPtr par = virTypedParamsGet(params, nparams, blkstatOutput[i].field);
        g_autofree char *value = NULL;
        const char *field;

        if (!par)
            continue;
        value = vkshTypedParamValue(par);
        par->field[0] = '\0';   /* printed: skipped below */
        field = human ? blkstatOutput[i].human : blkstatOutput[i].legacy;
        if (!field)
            field = blkstatOutput[i].field;
        vkshPrint(ctl, "%s %-*s %s\n", device, human ? 31 : 0, field, value);
    }
    for (int i = 0; i < nparams; i++) {
        g_autofree char *value = NULL;

        if (!*params[i].field)
            continue;
        value = vkshTypedParamValue(&params[i]);
        vkshPrint(ctl, "%s %s %s\n", device, params[i].field, value);
    }
    ret = true;
 cleanup:
    virTypedParamsFree(params, nparams);
    return ret;
}

static void
vkshBlkinfoStrings(const virDomainBlockInfo *info, bool human, char **cap, char **alloc, char **phy)
{
    if (info->capacity == 0 && info->allocation == 0 && info->physical == 0) {
        *cap = g_strdup("-");
        *alloc = g_strdup("-");
        *phy = g_strdup("-");
    } else if (!human) {
        *cap = g_strdup_printf("%llu", info->capacity);
        *alloc = g_strdup_printf("%llu", info->allocation);
        *phy = g_strdup_printf("%llu", info->physical);
    } else {
        const char *u1, *u2, *u3;
        double v1 = vkshPrettyCapacity(info->capacity, &u1);
        double v2 = vkshPrettyCapacity(info->allocation, &u2);
        double v3 = vkshPrettyCapacity(info->physical, &u3);

        *cap = g_strdup_printf("%.3lf %s", v1, u1);
        *alloc = g_strdup_printf("%.3lf %s", v2, u2);
        *phy = g_strdup_printf("%.3lf %s", v3, u3);
    }
}

static vkshXml *
vkshDomainXml(vkshControl *ctl, virDomainPtr dom, unsigned int flags)
{
    g_autofree char *xml = virDomainGetXMLDesc(dom, flags);

    if (!xml)
        return NULL;
    return vkshXmlParse(ctl, xml);
}

bool
cmdDomblkinfo(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    bool human = vkshOptBool(cmd, "human");
    bool all = vkshOptBool(cmd, "all");
    const char *device = NULL;

    if (!vkshExclusive(ctl, cmd, "all", "device"))
        return false;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!all) {
        const vkshCmdOpt *o;
        for (o = cmd->opts; o && !g_str_equal(o->def->name, "device"); o = o->next)
            ;
        if (!o || !*o->data) {
            vkshError(ctl, "%s", "command 'domblkinfo' requires <device> option");
            return false;
        }
        device = o->data;
    }

    if (all) {
        g_autoptr(vkshXml) doc = vkshDomainXml(ctl, dom, 0);
        g_autoptr(vkshTable) table = NULL;

        if (!doc)
            return false;
        table = vkshTableNew("Target", "Capacity", "Allocation", "Physical", NULL);
        for (xmlNodePtr disk = vkshXmlFirst(doc, "/domain/devices/disk"); disk;
             disk = vkshXmlNextSibling(disk, "disk")) {
            g_autofree char *target = vkshXmlProp(disk, "target", "dev");
            g_autofree char *cap = NULL, *alloc = NULL, *phy = NULL;
            virDomainBlockInfo info = { 0 };
            bool hasSource = false;

            for (xmlNodePtr n = disk->children; n; n = n->next)
                hasSource |= n->type == XML_ELEMENT_NODE && g_str_equal((const char *)n->name, "source");
            if (hasSource && virDomainGetBlockInfo(dom, target, &info, 0) < 0)
                return false;
            vkshBlkinfoStrings(&info, human, &cap, &alloc, &phy);
            vkshTableRowAdd(table, target ? target : "", cap, alloc, phy, NULL);
        }
        vkshTablePrint(ctl, table, true);
    } else {
        virDomainBlockInfo info = { 0 };
        g_autofree char *cap = NULL, *alloc = NULL, *phy = NULL;

        if (virDomainGetBlockInfo(dom, device, &info, 0) < 0)
            return false;
        vkshBlkinfoStrings(&info, human, &cap, &alloc, &phy);
        vkshPrint(ctl, "%-15s %s\n", "Capacity:", cap);
        vkshPrint(ctl, "%-15s %s\n", "Allocation:", alloc);
        vkshPrint(ctl, "%-15s %s\n", "Physical:", phy);
    }
    return true;
}

bool
cmdDomblklist(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    g_autoptr(vkshXml) doc = NULL;
    g_autoptr(vkshTable) table = NULL;
    g_autoptr(JsonBuilder) jb = NULL;
    bool details = vkshOptBool(cmd, "details");
    bool json = vkshOptBool(cmd, "json");
    unsigned int flags = vkshOptBool(cmd, "inactive") ? VIR_DOMAIN_XML_INACTIVE : 0;

    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;
    if (!(doc = vkshDomainXml(ctl, dom, flags)))
        return false;
    if (json) {
        jb = json_builder_new();
        json_builder_begin_array(jb);
    } else {
        table = details ? vkshTableNew("Type", "Device", "Target", "Source", NULL)
                        : vkshTableNew("Target", "Source", NULL);
    }
    for (xmlNodePtr disk = vkshXmlFirst(doc, "/domain/devices/disk"); disk;
         disk = vkshXmlNextSibling(disk, "disk")) {
        g_autofree char *type = vkshXmlProp(disk, NULL, "type");
        g_autofree char *device = vkshXmlProp(disk, NULL, "device");
        g_autofree char *target = vkshXmlProp(disk, "target", "dev");
        g_autofree char *source = NULL;
        static const char *const srcAttrs[] = { "file", "dev", "dir", "name", "volume", "path" };

        if (!target) {
            vkshError(ctl, "%s", "unable to query block list");
            return false;
        }
        for (size_t i = 0; !source && i < G_N_ELEMENTS(srcAttrs); i++)
            source = vkshXmlProp(disk, "source", srcAttrs[i]);
        if (json) {
            json_builder_begin_object(jb);
            json_builder_set_member_name(jb, "type");
            json_builder_add_string_value(jb, type);
            json_builder_set_member_name(jb, "device");
            json_builder_add_string_value(jb, device);
            json_builder_set_member_name(jb, "target");
            json_builder_add_string_value(jb, target);
            json_builder_set_member_name(jb, "source");
            if (source)
                json_builder_add_string_value(jb, source);
            else
                json_builder_add_null_value(jb);
            json_builder_end_object(jb);
        } else if (details) {
            if (!type || !device) {
                vkshPrint(ctl, "unable to query block list details");
                return false;
            }
            vkshTableRowAdd(table, type, device, target, source ? source : "-", NULL);
        } else {
            vkshTableRowAdd(table, target, source ? source : "-", NULL);
        }
    }
    if (json) {
        json_builder_end_array(jb);
        vkshJsonPrint(ctl, jb);
    } else {
        vkshTablePrint(ctl, table, true);
    }
    return true;
}

/* ---- domstats --------------------------------------------------------- */

static void
vkshJsonTypedParam(JsonBuilder *jb, virTypedParameterPtr p)
{
    json_builder_set_member_name(jb, p->field);
    switch (p->type) {
    case VIR_TYPED_PARAM_INT: json_builder_add_int_value(jb, p->value.i); break;
    case VIR_TYPED_PARAM_UINT: json_builder_add_int_value(jb, p->value.ui); break;
    case VIR_TYPED_PARAM_LLONG: json_builder_add_int_value(jb, p->value.l); break;
    case VIR_TYPED_PARAM_ULLONG:
        /* JSON numbers beyond 2^63 do not survive most readers: strings then */
        if (p->value.ul > G_MAXINT64) {
            g_autofree char *s = g_strdup_printf("%llu", p->value.ul);
            json_builder_add_string_value(jb, s);
        } else {
            json_builder_add_int_value(jb, (gint64)p->value.ul);
        }
        break;
    case VIR_TYPED_PARAM_DOUBLE: json_builder_add_double_value(jb, p->value.d); break;
    case VIR_TYPED_PARAM_BOOLEAN: json_builder_add_boolean_value(jb, p->value.b); break;
    case VIR_TYPED_PARAM_STRING: json_builder_add_string_value(jb, p->value.s); break;
    default: json_builder_add_null_value(jb); break;
    }
}

static void
vkshDomFree(gpointer dom)
{
    virDomainFree(dom);
}

bool
cmdDomstats(vkshControl *ctl, const vkshCmd *cmd)
{
    static const struct { const char *opt; unsigned int bit; } statOpts[] = {
        { "state", VIR_DOMAIN_STATS_STATE }, { "cpu-total", VIR_DOMAIN_STATS_CPU_TOTAL },
        { "balloon", VIR_DOMAIN_STATS_BALLOON }, { "vcpu", VIR_DOMAIN_STATS_VCPU },
        { "interface", VIR_DOMAIN_STATS_INTERFACE }, { "block", VIR_DOMAIN_STATS_BLOCK },
        { "perf", VIR_DOMAIN_STATS_PERF }, { "iothread", VIR_DOMAIN_STATS_IOTHREAD },
        { "memory", VIR_DOMAIN_STATS_MEMORY }, { "dirtyrate", VIR_DOMAIN_STATS_DIRTYRATE },
        { "vm", VIR_DOMAIN_STATS_VM },
    };
    static const struct { const char *opt; unsigned int bit; } listOpts[] = {
        { "list-active", VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE },
        { "list-inactive", VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE },
        { "list-persistent", VIR_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT },
        { "list-transient", VIR_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT },
        { "list-running", VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING },
        { "list-paused", VIR_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED },
        { "list-shutoff", VIR_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF },
        { "list-other", VIR_CONNECT_GET_ALL_DOMAINS_STATS_OTHER },
        { "enforce", VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS },
        { "backing", VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING },
        { "nowait", VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT },
    };
    unsigned int stats = 0, flags = 0;
    virDomainStatsRecordPtr *records = NULL;
    g_autoptr(GPtrArray) doms = g_ptr_array_new_with_free_func(vkshDomFree);
    bool json = vkshOptBool(cmd, "json");
    bool ret = false;
    int rc;

    for (size_t i = 0; i < G_N_ELEMENTS(statOpts); i++) {
        if (vkshOptBool(cmd, statOpts[i].opt))
            stats |= statOpts[i].bit;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(listOpts); i++) {
        if (vkshOptBool(cmd, listOpts[i].opt))
            flags |= listOpts[i].bit;
    }
    if (vkshOptBool(cmd, "domain")) {
        for (const vkshCmdOpt *o = NULL; (o = vkshOptArgv(cmd, o));) {
            virDomainPtr dom = vkshLookupDomain(ctl, o->data);
            if (!dom)
                return false;
            g_ptr_array_add(doms, dom);
        }
        g_ptr_array_add(doms, NULL);
        rc = virDomainListGetStats((virDomainPtr *)doms->pdata, stats, &records, flags);
        g_ptr_array_remove_index(doms, doms->len - 1);
    } else {
        rc = virConnectGetAllDomainStats(ctl->conn, stats, &records, flags);
    }
    if (rc < 0)
        goto cleanup;

    if (json) {
        g_autoptr(JsonBuilder) jb = json_builder_new();

        json_builder_begin_array(jb);
        for (virDomainStatsRecordPtr *next = records; *next; next++) {
            json_builder_begin_object(jb);
            json_builder_set_member_name(jb, "name");
            json_builder_add_string_value(jb, virDomainGetName((*next)->dom));
            json_builder_set_member_name(jb, "stats");
            json_builder_begin_object(jb);
            for (int i = 0; i < (*next)->nparams; i++)
                vkshJsonTypedParam(jb, &(*next)->params[i]);
            json_builder_end_object(jb);
            json_builder_end_object(jb);
        }
        json_builder_end_array(jb);
        vkshJsonPrint(ctl, jb);
    } else {
        for (virDomainStatsRecordPtr *next = records; *next;) {
            virDomainStatsRecordPtr r = *next;

            vkshPrint(ctl, "Domain: '%s'\n", virDomainGetName(r->dom));
            for (int i = 0; i < r->nparams; i++) {
                g_autofree char *v = vkshTypedParamValue(&r->params[i]);
                vkshPrint(ctl, "  %s=%s\n", r->params[i].field, v);
            }
            if (*(++next))
                vkshPrint(ctl, "\n");
        }
    }
    ret = true;
 cleanup:
    if (records)
        virDomainStatsRecordListFree(records);
    return ret;
}

/* ---- domjobinfo ------------------------------------------------------- */

static const char *
vkshJobTypeToString(int type)
{
    static const char *const names[] = { "None", "Bounded", "Unbounded", "Completed",
                                         "Failed", "Cancelled" };
    if (type >= 0 && type < (int)G_N_ELEMENTS(names))
        return names[type];
    return "unknown";
}

static const char *
vkshJobOpToString(int op)
{
    static const char *const names[] = {
        "Unknown", "Start", "Save", "Restore", "Incoming migration", "Outgoing migration",
        "Snapshot", "Snapshot revert", "Dump", "Backup", "Snapshot delete" };
    if (op >= 0 && op < (int)G_N_ELEMENTS(names))
        return names[op];
    return "unknown";
}

bool
cmdDomjobinfo(vkshControl *ctl, const vkshCmd *cmd)
{
    g_autoptr(virDomain) dom = NULL;
    virTypedParameterPtr params = NULL;
    int nparams = 0, type = 0, op = 0;
    unsigned int flags = 0;
    unsigned long long v;
    bool ret = false;

    if (vkshOptBool(cmd, "completed"))
        flags |= VIR_DOMAIN_JOB_STATS_COMPLETED;
    if (vkshOptBool(cmd, "keep-completed"))
        flags |= VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED;
    if (!(dom = vkshCommandOptDomain(ctl, cmd, NULL)))
        return false;

    if (virDomainGetJobStats(dom, &type, &params, &nparams, flags) < 0) {
        virDomainJobInfo info;

        if (virGetLastErrorCode() != VIR_ERR_NO_SUPPORT || flags)
            return false;
        vkshResetLibvirtError();
        memset(&info, 0, sizeof(info));
        if (virDomainGetJobInfo(dom, &info) < 0)
            return false;
        type = info.type;
        vkshPrint(ctl, "%-17s %-12s\n", "Job type:", vkshJobTypeToString(type));
        if (type != VIR_DOMAIN_JOB_NONE) {
            vkshPrint(ctl, "%-17s %-12llu ms\n", "Time elapsed:", info.timeElapsed);
            if (type == VIR_DOMAIN_JOB_BOUNDED)
                vkshPrint(ctl, "%-17s %-12llu ms\n", "Time remaining:", info.timeRemaining);
        }
        return true;
    }

    vkshPrint(ctl, "%-17s %-12s\n", "Job type:", vkshJobTypeToString(type));
    if (type == VIR_DOMAIN_JOB_NONE && !vkshOptBool(cmd, "anystats")) {
        ret = true;
        goto cleanup;
    }
    if (virTypedParamsGetInt(params, nparams, VIR_DOMAIN_JOB_OPERATION, &op) > 0)
        vkshPrint(ctl, "%-17s %-12s\n", "Operation:", vkshJobOpToString(op));
    if (vkshOptBool(cmd, "rawstats")) {
        for (int i = 0; i < nparams; i++) {
            g_autofree char *s = vkshTypedParamValue(&params[i]);
            vkshPrint(ctl, "%s: %s\n", params[i].field, s);
        }
        ret = true;
        goto cleanup;
    }
    if (virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_TIME_ELAPSED, &v) > 0)
        vkshPrint(ctl, "%-17s %-12llu ms\n", "Time elapsed:", v);
    if (virTypedParamsGetULLong(params, nparams, VIR_DOMAIN_JOB_TIME_REMAINING, &v) > 0)
        vkshPrint(ctl, "%-17s %-12llu ms\n", "Time remaining:", v);
    {
        static const struct { const char *field, *label; } sizes[] = {
            { VIR_DOMAIN_JOB_DATA_TOTAL, "Data total:" },
            { VIR_DOMAIN_JOB_DATA_PROCESSED, "Data processed:" },
            { VIR_DOMAIN_JOB_DATA_REMAINING, "Data remaining:" },
            { VIR_DOMAIN_JOB_MEMORY_TOTAL, "Memory total:" },
            { VIR_DOMAIN_JOB_MEMORY_PROCESSED, "Memory processed:" },
            { VIR_DOMAIN_JOB_MEMORY_REMAINING, "Memory remaining:" },
            { VIR_DOMAIN_JOB_DISK_TOTAL, "File total:" },
            { VIR_DOMAIN_JOB_DISK_PROCESSED, "File processed:" },
            { VIR_DOMAIN_JOB_DISK_REMAINING, "File remaining:" },
        };
        for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
            if (virTypedParamsGetULLong(params, nparams, sizes[i].field, &v) > 0) {
                const char *unit;
                double val = vkshPrettyCapacity(v, &unit);
                vkshPrint(ctl, "%-17s %-.3lf %s\n", sizes[i].label, val, unit);
            }
        }
    }
    {
        const char *err = NULL;
        if (virTypedParamsGetString(params, nparams, VIR_DOMAIN_JOB_ERRMSG, &err) > 0)
            vkshPrint(ctl, "%-17s %s\n", "Error message:", err);
    }
    ret = true;
 cleanup:
    virTypedParamsFree(params, nparams);
    return ret;
}
