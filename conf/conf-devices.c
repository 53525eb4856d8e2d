/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * conf-devices.c: the typed views of virtkit-conf-devices.h.
 *
 * Each view reads its element through the helpers below, which remember
 * every attribute and child they touched; what was not touched is listed
 * as unmodelled afterwards, so a plugin can refuse it instead of dropping it.
 */
#include "virtkit-conf-devices.h"

#include <virtkit/virtkit.h>

#include <string.h>

typedef struct {
    GHashTable *used;        /* "%p" (element) and "%p@name" (attribute) */
    GPtrArray *unmodelled;   /* char * */
} virtkitViewCtx;

static void
virtkitViewMark(virtkitViewCtx *c, const virtkitXmlNode *n, const char *attr)
{
    g_hash_table_add(c->used, attr ? g_strdup_printf("%p@%s", (void *) n, attr)
                                   : g_strdup_printf("%p", (void *) n));
}

static gboolean
virtkitViewMarked(virtkitViewCtx *c, const virtkitXmlNode *n, const char *attr)
{
    g_autofree char *k = attr ? g_strdup_printf("%p@%s", (void *) n, attr)
                              : g_strdup_printf("%p", (void *) n);
    return g_hash_table_contains(c->used, k);
}

/* "devices/disk/driver": the path below <domain>, for messages. */
static char *
virtkitViewPath(const virtkitXmlNode *n)
{
    g_autofree char *p = virtkitXmlNodePath(n);
    return g_strdup(g_str_has_prefix(p, "domain/") ? p + strlen("domain/") : p);
}

static const char *
virtkitViewAttr(virtkitViewCtx *c, const virtkitXmlNode *n, const char *name)
{
    if (!n)
        return NULL;
    virtkitViewMark(c, n, name);
    return virtkitXmlNodeGetAttr(n, name);
}

static virtkitXmlNode *
virtkitViewChild(virtkitViewCtx *c, const virtkitXmlNode *n, const char *name)
{
    virtkitXmlNode *ch = n ? virtkitXmlNodeChild(n, name) : NULL;
    if (ch)
        virtkitViewMark(c, ch, NULL);
    return ch;
}

static const char *
virtkitViewChildText(virtkitViewCtx *c, const virtkitXmlNode *n, const char *name)
{
    virtkitXmlNode *ch = virtkitViewChild(c, n, name);
    return ch ? ch->text : NULL;
}

/* An attribute's value the view has no use for is still a value the user
 * asked for: mark it used only when it carries no information. */
static void
virtkitViewLeftovers(virtkitViewCtx *c, const virtkitXmlNode *n)
{
    g_autofree char *path = virtkitViewPath(n);
    for (guint i = 0; n->attrs && i < n->attrs->len; i++) {
        virtkitXmlAttr *a = n->attrs->pdata[i];
        if (!virtkitViewMarked(c, n, a->name))
            g_ptr_array_add(c->unmodelled,
                            g_strdup_printf("<%s %s='%s'>", path, a->name, a->value));
    }
    for (guint i = 0; n->children && i < n->children->len; i++) {
        virtkitXmlNode *ch = n->children->pdata[i];
        if (virtkitViewMarked(c, ch, NULL)) {
            virtkitViewLeftovers(c, ch);
        } else {
            g_autofree char *cp = virtkitViewPath(ch);
            g_ptr_array_add(c->unmodelled, g_strdup_printf("<%s>", cp));
        }
    }
}

static gboolean
virtkitViewBad(const virtkitXmlNode *n, const char *attr, const char *value, const char *why,
               GError **error)
{
    g_autofree char *path = virtkitViewPath(n);
    g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_CONFIG_UNSUPPORTED,
                "unsupported value '%s' of attribute '%s' of <%s>: %s", value, attr, path, why);
    return FALSE;
}

static gboolean
virtkitViewUInt(virtkitViewCtx *c, const virtkitXmlNode *n, const char *attr, guint max,
                guint *out, GError **error)
{
    const char *v = virtkitViewAttr(c, n, attr);
    guint64 u;
    if (!v)
        return TRUE;
    if (!virtkitParseUInt64(v, &u) || u > max) {
        g_autofree char *why = g_strdup_printf("expected an integer from 0 to %u", max);
        g_autofree char *path = virtkitViewPath(n);
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_DETAIL,
                    "invalid value '%s' of attribute '%s' of <%s>: %s", v, attr, path, why);
        return FALSE;
    }
    *out = (guint) u;
    return TRUE;
}

static gboolean
virtkitViewInt(virtkitViewCtx *c, const virtkitXmlNode *n, const char *attr, gint *out,
               GError **error)
{
    const char *v = virtkitViewAttr(c, n, attr);
    gint64 i;
    if (!v)
        return TRUE;
    if (!virtkitParseInt64(v, &i) || i < -1 || i > 65535) {
        g_autofree char *path = virtkitViewPath(n);
        g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_XML_DETAIL,
                    "invalid value '%s' of attribute '%s' of <%s>: expected -1 to 65535",
                    v, attr, path);
        return FALSE;
    }
    *out = (gint) i;
    return TRUE;
}

/* @names: NULL-terminated, index = value; absent leaves *out alone. */
static gboolean
virtkitViewEnum(virtkitViewCtx *c, const virtkitXmlNode *n, const char *attr,
                const char *const *names, int *out, GError **error)
{
    const char *v = virtkitViewAttr(c, n, attr);
    int i;
    if (!v)
        return TRUE;
    if ((i = virtkitEnumFromString(names, v)) < 0) {
        g_autofree char *list = g_strjoinv("', '", (GStrv) names);
        g_autofree char *why = g_strdup_printf("expected '%s'", list);
        return virtkitViewBad(n, attr, v, why, error);
    }
    *out = i;
    return TRUE;
}

static gboolean
virtkitViewTristate(virtkitViewCtx *c, const virtkitXmlNode *n, const char *attr,
                    virtkitTristate *out, GError **error)
{
    const char *v = virtkitViewAttr(c, n, attr);
    if (!v)
        return TRUE;
    if (g_str_equal(v, "yes") || g_str_equal(v, "on"))
        *out = VIRTKIT_TRISTATE_ON;
    else if (g_str_equal(v, "no") || g_str_equal(v, "off"))
        *out = VIRTKIT_TRISTATE_OFF;
    else
        return virtkitViewBad(n, attr, v, "expected yes/no or on/off", error);
    return TRUE;
}

static gboolean
virtkitViewAddress(virtkitViewCtx *c, const virtkitXmlNode *dev, virtkitDeviceAddress *a,
                   GError **error)
{
    virtkitXmlNode *n = virtkitViewChild(c, dev, "address");
    virtkitTristate mf = VIRTKIT_TRISTATE_ABSENT;
    if (!n)
        return TRUE;
    a->type = virtkitViewAttr(c, n, "type");
    if (g_strcmp0(a->type, "usb") == 0) {
        a->usb_port = virtkitViewAttr(c, n, "port");
        return virtkitViewUInt(c, n, "bus", G_MAXUINT, &a->bus, error);
    }
    if (!virtkitViewUInt(c, n, "domain", 0xffff, &a->domain, error) ||
        !virtkitViewUInt(c, n, "bus", G_MAXUINT, &a->bus, error) ||
        !virtkitViewUInt(c, n, "slot", 0x1f, &a->slot, error) ||
        !virtkitViewUInt(c, n, "function", 7, &a->function, error) ||
        !virtkitViewTristate(c, n, "multifunction", &mf, error) ||
        !virtkitViewUInt(c, n, "controller", G_MAXUINT, &a->controller, error) ||
        !virtkitViewUInt(c, n, "target", G_MAXUINT, &a->target, error) ||
        !virtkitViewUInt(c, n, "unit", G_MAXUINT, &a->unit, error) ||
        !virtkitViewUInt(c, n, "port", G_MAXUINT, &a->port, error))
        return FALSE;
    a->multifunction = mf == VIRTKIT_TRISTATE_ON;
    return TRUE;
}

static const char *
virtkitViewAlias(virtkitViewCtx *c, const virtkitXmlNode *dev)
{
    return virtkitViewAttr(c, virtkitViewChild(c, dev, "alias"), "name");
}

static guint
virtkitViewBootOrder(virtkitViewCtx *c, const virtkitXmlNode *dev, GError **error,
                     gboolean *ok)
{
    guint order = 0;
    *ok = virtkitViewUInt(c, virtkitViewChild(c, dev, "boot"), "order", G_MAXINT, &order, error);
    return order;
}

/* ---- the domain-wide views ---------------------------------------------- */

static gboolean
virtkitViewOs(virtkitViewCtx *c, virtkitDomainView *v, const virtkitXmlNode *root,
              GError **error)
{
    static const char *const boots[] = { "hd", "cdrom", "fd", "network", NULL };
    virtkitXmlNode *os = virtkitViewChild(c, root, "os");
    virtkitXmlNode *type = virtkitViewChild(c, os, "type");
    virtkitXmlNode *menu, *loader;

    v->os.boot = g_array_new(FALSE, FALSE, sizeof(virtkitBootDevice));
    if (!os)
        return TRUE;
    if (type)
        virtkitViewMark(c, type, "#text");
    v->os.type = type ? type->text : NULL;
    v->os.arch = virtkitViewAttr(c, type, "arch");
    v->os.machine = virtkitViewAttr(c, type, "machine");
    for (guint i = 0; i < os->children->len; i++) {
        virtkitXmlNode *ch = os->children->pdata[i];
        int b = -1;
        if (!g_str_equal(ch->name, "boot"))
            continue;
        virtkitViewMark(c, ch, NULL);
        if (!virtkitViewEnum(c, ch, "dev", boots, &b, error))
            return FALSE;
        if (b >= 0) {
            virtkitBootDevice d = b;
            g_array_append_val(v->os.boot, d);
        }
    }
    if ((menu = virtkitViewChild(c, os, "bootmenu")) &&
        (!virtkitViewTristate(c, menu, "enable", &v->os.bootmenu, error) ||
         !virtkitViewUInt(c, menu, "timeout", 65535, &v->os.bootmenu_timeout_ms, error)))
        return FALSE;
    if ((loader = virtkitViewChild(c, os, "loader"))) {
        v->os.loader = loader->text;
        v->os.loader_type = virtkitViewAttr(c, loader, "type");
        if (!virtkitViewTristate(c, loader, "readonly", &v->os.loader_readonly, error))
            return FALSE;
    }
    v->os.nvram = virtkitViewChildText(c, os, "nvram");
    v->os.kernel = virtkitViewChildText(c, os, "kernel");
    v->os.initrd = virtkitViewChildText(c, os, "initrd");
    v->os.cmdline = virtkitViewChildText(c, os, "cmdline");
    v->os.dtb = virtkitViewChildText(c, os, "dtb");
    return TRUE;
}

static gboolean
virtkitViewCpu(virtkitViewCtx *c, virtkitDomainView *v, const virtkitXmlNode *root,
               GError **error)
{
    static const char *const modes[] = {
        "", "custom", "host-model", "host-passthrough", "maximum", NULL,
    };
    static const char *const policies[] = {
        "force", "require", "optional", "disable", "forbid", NULL,
    };
    virtkitXmlNode *cpu = virtkitViewChild(c, root, "cpu");
    virtkitXmlNode *model, *topo;
    int mode = VIRTKIT_CPU_MODE_CUSTOM;

    v->cpu.features = g_array_new(FALSE, FALSE, sizeof(virtkitCpuFeature));
    if (!cpu)
        return TRUE;
    if (!virtkitViewEnum(c, cpu, "mode", modes, &mode, error))
        return FALSE;
    v->cpu.mode = mode;
    /* match and migratable say how strictly to compare, not what to run */
    virtkitViewAttr(c, cpu, "match");
    virtkitViewAttr(c, cpu, "migratable");
    v->cpu.check = virtkitViewAttr(c, cpu, "check");
    if ((model = virtkitViewChild(c, cpu, "model"))) {
        v->cpu.model = model->text;
        v->cpu.fallback = virtkitViewAttr(c, model, "fallback");
    }
    if ((topo = virtkitViewChild(c, cpu, "topology")) &&
        (!virtkitViewUInt(c, topo, "sockets", 65535, &v->cpu.sockets, error) ||
         !virtkitViewUInt(c, topo, "dies", 65535, &v->cpu.dies, error) ||
         !virtkitViewUInt(c, topo, "cores", 65535, &v->cpu.cores, error) ||
         !virtkitViewUInt(c, topo, "threads", 65535, &v->cpu.threads, error)))
        return FALSE;
    for (guint i = 0; i < cpu->children->len; i++) {
        virtkitXmlNode *ch = cpu->children->pdata[i];
        int p = VIRTKIT_CPU_FEATURE_REQUIRE;
        virtkitCpuFeature f;
        if (!g_str_equal(ch->name, "feature"))
            continue;
        virtkitViewMark(c, ch, NULL);
        if (!virtkitViewEnum(c, ch, "policy", policies, &p, error))
            return FALSE;
        f.name = virtkitViewAttr(c, ch, "name");
        f.policy = p;
        g_array_append_val(v->cpu.features, f);
    }
    return TRUE;
}

static gboolean
virtkitViewFeatures(virtkitViewCtx *c, virtkitDomainView *v, const virtkitXmlNode *root,
                    GError **error)
{
    virtkitXmlNode *f = virtkitViewChild(c, root, "features");
    struct { const char *name; virtkitTristate *where; const char *attr; } known[] = {
        { "acpi", &v->features.acpi, NULL },
        { "apic", &v->features.apic, NULL },
        { "pae", &v->features.pae, NULL },
        { "hap", &v->features.hap, "state" },
        { "pmu", &v->features.pmu, "state" },
        { "vmport", &v->features.vmport, "state" },
        { "smm", &v->features.smm, "state" },
    };
    if (!f)
        return TRUE;
    for (guint i = 0; i < G_N_ELEMENTS(known); i++) {
        virtkitXmlNode *e = virtkitViewChild(c, f, known[i].name);
        if (!e)
            continue;
        *known[i].where = VIRTKIT_TRISTATE_ON;
        if (!virtkitViewTristate(c, e, "state", known[i].where, error))
            return FALSE;
    }
    return TRUE;
}

static gboolean
virtkitViewClock(virtkitViewCtx *c, virtkitDomainView *v, const virtkitXmlNode *root,
                 GError **error)
{
    virtkitXmlNode *clock = virtkitViewChild(c, root, "clock");
    const char *adj;

    v->clock.timers = g_array_new(FALSE, FALSE, sizeof(virtkitClockTimer));
    v->clock.offset = "utc";
    if (!clock)
        return TRUE;
    if (virtkitXmlNodeGetAttr(clock, "offset"))
        v->clock.offset = virtkitViewAttr(c, clock, "offset");
    v->clock.timezone = virtkitViewAttr(c, clock, "timezone");
    if ((adj = virtkitViewAttr(c, clock, "adjustment")) &&
        !g_str_equal(adj, "reset") && !virtkitParseInt64(adj, &v->clock.adjustment))
        return virtkitViewBad(clock, "adjustment", adj, "expected seconds or 'reset'", error);
    for (guint i = 0; i < clock->children->len; i++) {
        virtkitXmlNode *ch = clock->children->pdata[i];
        virtkitClockTimer t = { 0 };
        if (!g_str_equal(ch->name, "timer"))
            continue;
        virtkitViewMark(c, ch, NULL);
        t.name = virtkitViewAttr(c, ch, "name");
        t.tickpolicy = virtkitViewAttr(c, ch, "tickpolicy");
        t.track = virtkitViewAttr(c, ch, "track");
        if (!virtkitViewTristate(c, ch, "present", &t.present, error))
            return FALSE;
        g_array_append_val(v->clock.timers, t);
    }
    return TRUE;
}

static gboolean
virtkitViewMemoryVcpu(virtkitViewCtx *c, virtkitDomainView *v, const virtkitDomainDef *def,
                      const virtkitXmlNode *root, GError **error)
{
    virtkitXmlNode *n;
    v->memory.memory_kib = virtkitDomainDefGetMemory(def);
    v->memory.current_kib = virtkitDomainDefGetCurrentMemory(def);
    v->memory.max_kib = virtkitDomainDefGetMaxMemory(def);
    /* the model has normalised every size to KiB: the unit says nothing more */
    if ((n = virtkitViewChild(c, root, "memory"))) {
        virtkitViewAttr(c, n, "unit");
        virtkitViewMark(c, n, "#text");
    }
    if ((n = virtkitViewChild(c, root, "currentMemory"))) {
        virtkitViewAttr(c, n, "unit");
        virtkitViewMark(c, n, "#text");
    }
    if ((n = virtkitViewChild(c, root, "maxMemory"))) {
        virtkitViewAttr(c, n, "unit");
        virtkitViewMark(c, n, "#text");
        if (!virtkitViewUInt(c, n, "slots", 65535, &v->memory.max_slots, error))
            return FALSE;
    }
    v->vcpus.max = virtkitDomainDefGetVcpusMax(def);
    v->vcpus.current = virtkitDomainDefGetVcpus(def);
    if ((n = virtkitViewChild(c, root, "vcpu"))) {
        const char *placement = virtkitViewAttr(c, n, "placement");
        virtkitViewMark(c, n, "#text");
        virtkitViewAttr(c, n, "current");
        v->vcpus.cpuset = virtkitViewAttr(c, n, "cpuset");
        if (placement && !g_str_equal(placement, "static"))
            return virtkitViewBad(n, "placement", placement,
                                  "only 'static' placement is modelled", error);
    }
    return TRUE;
}

/* ---- devices ------------------------------------------------------------ */

static gboolean
virtkitViewDisk(virtkitViewCtx *c, const virtkitXmlNode *d, virtkitDiskView *out,
                GError **error)
{
    static const char *const types[] = {
        "file", "block", "dir", "network", "volume", "nvme", "vhostuser", NULL,
    };
    static const char *const devices[] = { "disk", "cdrom", "floppy", "lun", NULL };
    static const char *const buses[] = {
        "ide", "fdc", "scsi", "virtio", "xen", "usb", "uml", "sata", "sd", NULL,
    };
    virtkitXmlNode *drv = virtkitViewChild(c, d, "driver");
    virtkitXmlNode *src = virtkitViewChild(c, d, "source");
    virtkitXmlNode *tgt = virtkitViewChild(c, d, "target");
    virtkitTristate tray = VIRTKIT_TRISTATE_ABSENT;
    int type = VIRTKIT_DISK_TYPE_FILE, device = VIRTKIT_DISK_DEVICE_DISK;
    int bus = VIRTKIT_DISK_BUS_IDE;
    const char *tray_s;
    gboolean ok;

    if (!virtkitViewEnum(c, d, "type", types, &type, error) ||
        !virtkitViewEnum(c, d, "device", devices, &device, error) ||
        !virtkitViewEnum(c, tgt, "bus", buses, &bus, error))
        return FALSE;
    out->type = type;
    out->device = device;
    out->bus = bus;
    out->driver_name = virtkitViewAttr(c, drv, "name");
    out->format = virtkitViewAttr(c, drv, "type");
    out->cache = virtkitViewAttr(c, drv, "cache");
    out->io = virtkitViewAttr(c, drv, "io");
    out->discard = virtkitViewAttr(c, drv, "discard");
    out->detect_zeroes = virtkitViewAttr(c, drv, "detect_zeroes");
    out->error_policy = virtkitViewAttr(c, drv, "error_policy");
    if (src) {
        out->source = virtkitViewAttr(c, src, type == VIRTKIT_DISK_TYPE_BLOCK ? "dev"
                                              : type == VIRTKIT_DISK_TYPE_DIR ? "dir" : "file");
        /* libvirt's live XML numbers the image; it configures nothing */
        virtkitViewAttr(c, src, "index");
    }
    for (guint i = 0; i < d->children->len; i++) {
        virtkitXmlNode *bs = d->children->pdata[i];
        /* an empty <backingStore/> says "no backing chain"; a real chain
         * stays unmodelled */
        if (g_str_equal(bs->name, "backingStore") && bs->attrs->len == 0 &&
            bs->children->len == 0)
            virtkitViewMark(c, bs, NULL);
    }
    out->target = virtkitViewAttr(c, tgt, "dev");
    if ((tray_s = virtkitViewAttr(c, tgt, "tray"))) {
        if (!g_str_equal(tray_s, "open") && !g_str_equal(tray_s, "closed"))
            return virtkitViewBad(tgt, "tray", tray_s, "expected 'open' or 'closed'", error);
        tray = g_str_equal(tray_s, "open") ? VIRTKIT_TRISTATE_ON : VIRTKIT_TRISTATE_OFF;
    }
    out->tray_open = tray;
    out->readonly = virtkitViewChild(c, d, "readonly") != NULL;
    out->shareable = virtkitViewChild(c, d, "shareable") != NULL;
    out->serial = virtkitViewChildText(c, d, "serial");
    out->boot_order = virtkitViewBootOrder(c, d, error, &ok);
    out->alias = virtkitViewAlias(c, d);
    return ok && virtkitViewAddress(c, d, &out->address, error);
}

static gboolean
virtkitViewController(virtkitViewCtx *c, const virtkitXmlNode *n, virtkitControllerView *out,
                      GError **error)
{
    out->type = virtkitViewAttr(c, n, "type");
    out->model = virtkitViewAttr(c, n, "model");
    out->alias = virtkitViewAlias(c, n);
    return virtkitViewUInt(c, n, "index", G_MAXINT, &out->index, error) &&
           virtkitViewUInt(c, n, "ports", 65535, &out->ports, error) &&
           virtkitViewUInt(c, n, "vectors", 65535, &out->vectors, error) &&
           virtkitViewUInt(c, virtkitViewChild(c, n, "driver"), "queues", 65535,
                           &out->queues, error) &&
           virtkitViewAddress(c, n, &out->address, error);
}

static gboolean
virtkitViewInterface(virtkitViewCtx *c, const virtkitXmlNode *n, virtkitInterfaceView *out,
                     GError **error)
{
    static const char *const types[] = {
        "user", "network", "bridge", "ethernet", "direct", NULL,
    };
    int type;
    virtkitXmlNode *src = virtkitViewChild(c, n, "source");
    virtkitXmlNode *tgt = virtkitViewChild(c, n, "target");
    virtkitXmlNode *link = virtkitViewChild(c, n, "link");
    virtkitTristate managed = VIRTKIT_TRISTATE_ABSENT;
    const char *state;
    gboolean ok;

    out->type_name = virtkitViewAttr(c, n, "type");
    type = virtkitEnumFromString(types, out->type_name);
    out->type = type < 0 ? VIRTKIT_NET_TYPE_OTHER : type;
    out->mac = virtkitViewAttr(c, virtkitViewChild(c, n, "mac"), "address");
    if (src) {
        const char *which = out->type == VIRTKIT_NET_TYPE_NETWORK ? "network"
                            : out->type == VIRTKIT_NET_TYPE_BRIDGE ? "bridge" : "dev";
        out->source = virtkitViewAttr(c, src, which);
    }
    out->target = virtkitViewAttr(c, tgt, "dev");
    if (!virtkitViewTristate(c, tgt, "managed", &managed, error))
        return FALSE;
    out->target_managed = managed != VIRTKIT_TRISTATE_OFF;
    out->model = virtkitViewAttr(c, virtkitViewChild(c, n, "model"), "type");
    out->script = virtkitViewAttr(c, virtkitViewChild(c, n, "script"), "path");
    if ((state = virtkitViewAttr(c, link, "state"))) {
        if (!g_str_equal(state, "up") && !g_str_equal(state, "down"))
            return virtkitViewBad(link, "state", state, "expected 'up' or 'down'", error);
        out->link_up = g_str_equal(state, "up") ? VIRTKIT_TRISTATE_ON : VIRTKIT_TRISTATE_OFF;
    }
    out->boot_order = virtkitViewBootOrder(c, n, error, &ok);
    out->alias = virtkitViewAlias(c, n);
    return ok &&
           virtkitViewUInt(c, virtkitViewChild(c, n, "mtu"), "size", 65535, &out->mtu, error) &&
           virtkitViewAddress(c, n, &out->address, error);
}

static gboolean
virtkitViewGraphics(virtkitViewCtx *c, const virtkitXmlNode *n, virtkitGraphicsView *out,
                    GError **error)
{
    static const char *const types[] = {
        "vnc", "spice", "sdl", "rdp", "desktop", "egl-headless", "dbus", NULL,
    };
    int type = VIRTKIT_GRAPHICS_VNC;
    virtkitTristate autoport = VIRTKIT_TRISTATE_ABSENT;
    virtkitXmlNode *listen = virtkitViewChild(c, n, "listen");
    const char *listen_attr;

    if (!virtkitViewEnum(c, n, "type", types, &type, error))
        return FALSE;
    out->type = type;
    out->port = -1;
    if (!virtkitViewInt(c, n, "port", &out->port, error) ||
        !virtkitViewInt(c, n, "websocket", &out->websocket, error) ||
        !virtkitViewTristate(c, n, "autoport", &autoport, error))
        return FALSE;
    out->autoport = autoport == VIRTKIT_TRISTATE_ON ||
                    (autoport == VIRTKIT_TRISTATE_ABSENT && out->port == -1);
    out->passwd = virtkitViewAttr(c, n, "passwd");
    out->keymap = virtkitViewAttr(c, n, "keymap");
    out->share_policy = virtkitViewAttr(c, n, "sharePolicy");
    out->socket = virtkitViewAttr(c, n, "socket");
    listen_attr = virtkitViewAttr(c, n, "listen");
    if (listen) {
        out->listen_type = virtkitViewAttr(c, listen, "type");
        out->listen_address = virtkitViewAttr(c, listen, "address");
        if (!out->socket)
            out->socket = virtkitViewAttr(c, listen, "socket");
        /* a listen on a libvirt network is left unmodelled (the attribute) */
        /* libvirt fills autoGenerated itself; it changes nothing */
        virtkitViewAttr(c, listen, "autoGenerated");
    }
    if (!out->listen_address)
        out->listen_address = listen_attr;
    if (out->socket && !out->listen_type)
        out->listen_type = "socket";
    return TRUE;
}

static gboolean
virtkitViewVideo(virtkitViewCtx *c, const virtkitXmlNode *n, virtkitVideoView *out,
                 GError **error)
{
    virtkitXmlNode *m = virtkitViewChild(c, n, "model");
    virtkitTristate primary = VIRTKIT_TRISTATE_ABSENT;
    out->model = virtkitViewAttr(c, m, "type");
    out->alias = virtkitViewAlias(c, n);
    if (!virtkitViewUInt(c, m, "vram", G_MAXINT, &out->vram_kib, error) ||
        !virtkitViewUInt(c, m, "ram", G_MAXINT, &out->ram_kib, error) ||
        !virtkitViewUInt(c, m, "vgamem", G_MAXINT, &out->vgamem_kib, error) ||
        !virtkitViewUInt(c, m, "heads", 16, &out->heads, error) ||
        !virtkitViewTristate(c, m, "primary", &primary, error))
        return FALSE;
    out->primary = primary == VIRTKIT_TRISTATE_ON;
    return virtkitViewAddress(c, n, &out->address, error);
}

static gboolean
virtkitViewChardev(virtkitViewCtx *c, const virtkitXmlNode *n, virtkitChardevKind kind,
                   virtkitChardevView *out, GError **error)
{
    static const char *const types[] = {
        "pty", "null", "vc", "file", "unix", "tcp", "udp", "stdio", "pipe", "dev", NULL,
    };
    virtkitXmlNode *tgt = virtkitViewChild(c, n, "target");
    virtkitXmlNode *log = virtkitViewChild(c, n, "log");
    int type;

    out->kind = kind;
    out->type_name = virtkitViewAttr(c, n, "type");
    type = virtkitEnumFromString(types, out->type_name ? out->type_name : "pty");
    out->type = type < 0 ? VIRTKIT_CHR_OTHER : type;
    /* tcp/udp may carry two <source> elements (bind and connect): only the
     * first is modelled, the second is left unmodelled */
    for (guint i = 0; i < n->children->len; i++) {
        virtkitXmlNode *src = n->children->pdata[i];
        const char *mode;
        if (!g_str_equal(src->name, "source"))
            continue;
        virtkitViewMark(c, src, NULL);
        out->path = virtkitViewAttr(c, src, "path");
        out->host = virtkitViewAttr(c, src, "host");
        out->service = virtkitViewAttr(c, src, "service");
        mode = virtkitViewAttr(c, src, "mode");
        out->listen = g_strcmp0(mode, "bind") == 0;
        if (!virtkitViewTristate(c, src, "append", &out->append, error))
            return FALSE;
        break;
    }
    out->protocol = virtkitViewAttr(c, virtkitViewChild(c, n, "protocol"), "type");
    if (log) {
        virtkitTristate append = VIRTKIT_TRISTATE_ABSENT;
        out->log_file = virtkitViewAttr(c, log, "file");
        if (!virtkitViewTristate(c, log, "append", &append, error))
            return FALSE;
    }
    if (tgt) {
        out->target_type = virtkitViewAttr(c, tgt, "type");
        out->target_name = virtkitViewAttr(c, tgt, "name");
        out->target_model = virtkitViewAttr(c, virtkitViewChild(c, tgt, "model"), "name");
        out->has_target_port = virtkitXmlNodeGetAttr(tgt, "port") != NULL;
        if (!virtkitViewUInt(c, tgt, "port", G_MAXINT, &out->target_port, error))
            return FALSE;
        /* a channel's state is the guest agent's, reported, never configured */
        virtkitViewAttr(c, tgt, "state");
    }
    out->alias = virtkitViewAlias(c, n);
    return virtkitViewAddress(c, n, &out->address, error);
}

static gboolean
virtkitViewInput(virtkitViewCtx *c, const virtkitXmlNode *n, virtkitInputView *out,
                 GError **error)
{
    out->type = virtkitViewAttr(c, n, "type");
    out->bus = virtkitViewAttr(c, n, "bus");
    out->alias = virtkitViewAlias(c, n);
    return virtkitViewAddress(c, n, &out->address, error);
}

static gboolean
virtkitViewMemballoon(virtkitViewCtx *c, const virtkitXmlNode *n, virtkitMemballoonView *out,
                      GError **error)
{
    out->model = virtkitViewAttr(c, n, "model");
    out->alias = virtkitViewAlias(c, n);
    return virtkitViewTristate(c, n, "autodeflate", &out->autodeflate, error) &&
           virtkitViewUInt(c, virtkitViewChild(c, n, "stats"), "period", G_MAXINT,
                           &out->stats_period, error) &&
           virtkitViewAddress(c, n, &out->address, error);
}

/* ---- the whole ---------------------------------------------------------- */

/* Top-level elements that describe no hardware, or that the typed
 * accessors of virtkit-conf-domain.h already cover. */
static const char *const virtkitViewNotHardware[] = {
    "name", "uuid", "title", "description", "metadata", "on_poweroff", "on_reboot",
    "on_crash", "on_lockfailure", NULL,
};

#define VIRTKIT_VIEW_DEVICE(kind_name, array, type, fn) \
    if (g_str_equal(d->name, kind_name)) { \
        type item = { 0 }; \
        virtkitViewMark(c, d, NULL); \
        if (!fn(c, d, &item, error)) \
            return FALSE; \
        g_array_append_val(v->array, item); \
        continue; \
    }

static gboolean
virtkitViewDevices(virtkitViewCtx *c, virtkitDomainView *v, const virtkitXmlNode *root,
                   GError **error)
{
    virtkitXmlNode *devs = virtkitViewChild(c, root, "devices");
    static const char *const chardevs[] = { "serial", "console", "channel", "parallel", NULL };

    if (!devs)
        return TRUE;
    for (guint i = 0; i < devs->children->len; i++) {
        virtkitXmlNode *d = devs->children->pdata[i];
        int ck;
        if (g_str_equal(d->name, "emulator")) {
            virtkitViewMark(c, d, NULL);
            virtkitViewMark(c, d, "#text");
            v->emulator = d->text;
            continue;
        }
        VIRTKIT_VIEW_DEVICE("disk", disks, virtkitDiskView, virtkitViewDisk)
        VIRTKIT_VIEW_DEVICE("controller", controllers, virtkitControllerView, virtkitViewController)
        VIRTKIT_VIEW_DEVICE("interface", interfaces, virtkitInterfaceView, virtkitViewInterface)
        VIRTKIT_VIEW_DEVICE("graphics", graphics, virtkitGraphicsView, virtkitViewGraphics)
        VIRTKIT_VIEW_DEVICE("video", videos, virtkitVideoView, virtkitViewVideo)
        VIRTKIT_VIEW_DEVICE("input", inputs, virtkitInputView, virtkitViewInput)
        if ((ck = virtkitEnumFromString(chardevs, d->name)) >= 0) {
            virtkitChardevView item = { 0 };
            virtkitViewMark(c, d, NULL);
            if (!virtkitViewChardev(c, d, ck, &item, error))
                return FALSE;
            g_array_append_val(v->chardevs, item);
            continue;
        }
        if (g_str_equal(d->name, "memballoon") && !v->memballoon) {
            v->memballoon = g_new0(virtkitMemballoonView, 1);
            virtkitViewMark(c, d, NULL);
            if (!virtkitViewMemballoon(c, d, v->memballoon, error))
                return FALSE;
        }
    }
    return TRUE;
}

virtkitDomainView *
virtkitDomainViewNew(const virtkitDomainDef *def, GError **error)
{
    g_autoptr(virtkitDomainView) v = g_new0(virtkitDomainView, 1);
    /* read only: the views never change the definition */
    virtkitXmlNode *root = (virtkitXmlNode *) virtkitDomainDefPeekRoot(def);
    virtkitViewCtx ctx = {
        .used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
        .unmodelled = g_ptr_array_new(),
    };
    gboolean ok;

    v->type = virtkitDomainDefGetType(def);
    v->name = virtkitDomainDefGetName(def);
    virtkitDomainDefGetUUID(def, v->uuid);
    v->disks = g_array_new(FALSE, FALSE, sizeof(virtkitDiskView));
    v->controllers = g_array_new(FALSE, FALSE, sizeof(virtkitControllerView));
    v->interfaces = g_array_new(FALSE, FALSE, sizeof(virtkitInterfaceView));
    v->graphics = g_array_new(FALSE, FALSE, sizeof(virtkitGraphicsView));
    v->videos = g_array_new(FALSE, FALSE, sizeof(virtkitVideoView));
    v->chardevs = g_array_new(FALSE, FALSE, sizeof(virtkitChardevView));
    v->inputs = g_array_new(FALSE, FALSE, sizeof(virtkitInputView));

    for (guint i = 0; virtkitViewNotHardware[i]; i++) {
        virtkitXmlNode *n = virtkitXmlNodeChild(root, virtkitViewNotHardware[i]);
        if (n)
            virtkitViewMark(&ctx, n, NULL);
    }
    virtkitViewMark(&ctx, root, "type");
    virtkitViewMark(&ctx, root, "id");
    ok = virtkitViewOs(&ctx, v, root, error) && virtkitViewCpu(&ctx, v, root, error) &&
         virtkitViewFeatures(&ctx, v, root, error) && virtkitViewClock(&ctx, v, root, error) &&
         virtkitViewMemoryVcpu(&ctx, v, def, root, error) &&
         virtkitViewDevices(&ctx, v, root, error);
    if (ok) {
        /* the not-hardware elements are taken whole */
        for (guint i = 0; root->children && i < root->children->len; i++) {
            virtkitXmlNode *n = root->children->pdata[i];
            if (virtkitEnumFromString(virtkitViewNotHardware, n->name) >= 0)
                continue;
            if (!virtkitViewMarked(&ctx, n, NULL)) {
                g_autofree char *p = virtkitViewPath(n);
                g_ptr_array_add(ctx.unmodelled, g_strdup_printf("<%s>", p));
            } else {
                virtkitViewLeftovers(&ctx, n);
            }
        }
        for (guint i = 0; root->attrs && i < root->attrs->len; i++) {
            virtkitXmlAttr *a = root->attrs->pdata[i];
            if (!virtkitViewMarked(&ctx, root, a->name))
                g_ptr_array_add(ctx.unmodelled,
                                g_strdup_printf("<domain %s='%s'>", a->name, a->value));
        }
    }
    g_ptr_array_add(ctx.unmodelled, NULL);
    v->unmodelled = (GStrv) g_ptr_array_free(ctx.unmodelled, FALSE);
    g_hash_table_unref(ctx.used);
    return ok ? g_steal_pointer(&v) : NULL;
}

void
virtkitDomainViewFree(virtkitDomainView *v)
{
    if (!v)
        return;
    g_clear_pointer(&v->os.boot, g_array_unref);
    g_clear_pointer(&v->cpu.features, g_array_unref);
    g_clear_pointer(&v->clock.timers, g_array_unref);
    g_clear_pointer(&v->disks, g_array_unref);
    g_clear_pointer(&v->controllers, g_array_unref);
    g_clear_pointer(&v->interfaces, g_array_unref);
    g_clear_pointer(&v->graphics, g_array_unref);
    g_clear_pointer(&v->videos, g_array_unref);
    g_clear_pointer(&v->chardevs, g_array_unref);
    g_clear_pointer(&v->inputs, g_array_unref);
    g_free(v->memballoon);
    g_strfreev(v->unmodelled);
    g_free(v);
}

gboolean
virtkitDomainViewRefuseUnmodelled(const virtkitDomainView *view, const char *const *accepted,
                                  const char *who, GError **error)
{
    for (guint i = 0; view->unmodelled && view->unmodelled[i]; i++) {
        const char *u = view->unmodelled[i];
        gboolean ok = FALSE;
        for (guint j = 0; accepted && accepted[j] && !ok; j++)
            ok = g_str_has_prefix(u, accepted[j]);
        if (!ok) {
            g_set_error(error, VIRTKIT_CONF_ERROR, VIR_ERR_CONFIG_UNSUPPORTED,
                        "unsupported configuration: %s does not support %s in domain '%s'",
                        who, u, view->name ? view->name : "");
            return FALSE;
        }
    }
    return TRUE;
}
