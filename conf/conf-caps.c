/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * conf-caps.c: capabilities and domain capabilities, filled by plugins and
 * formatted as libvirt formats them.
 */
#include "virtkit-conf-caps.h"

#include <string.h>

static void
virtkitCapsMachineFree(gpointer p)
{
    virtkitCapsMachine *m = p;

    if (!m)
        return;
    g_free(m->canonical);
    g_free(m);
}

static void
virtkitCapsGuestFree(gpointer p)
{
    virtkitCapsGuest *g = p;
    g_free(g->os_type);
    g_free(g->arch);
    g_free(g->emulator);
    g_ptr_array_unref(g->machines);
    g_ptr_array_unref(g->machine_info);
    g_ptr_array_unref(g->domain_types);
    g_ptr_array_unref(g->features);
    g_free(g);
}

static void
virtkitCapsCellFree(gpointer p)
{
    virtkitCapsCell *c = p;
    g_array_unref(c->cpus);
    g_array_unref(c->pages);
    g_free(c);
}

virtkitCaps *
virtkitCapsNew(const char *host_arch)
{
    virtkitCaps *c = g_new0(virtkitCaps, 1);
    c->host_arch = g_strdup(host_arch);
    c->host_features = g_ptr_array_new_with_free_func(g_free);
    c->page_sizes_kib = g_array_new(FALSE, FALSE, sizeof(guint));
    c->cells = g_ptr_array_new_with_free_func(virtkitCapsCellFree);
    c->guests = g_ptr_array_new_with_free_func(virtkitCapsGuestFree);
    return c;
}

void
virtkitCapsFree(virtkitCaps *caps)
{
    if (!caps)
        return;
    g_free(caps->host_arch);
    g_free(caps->host_uuid);
    g_ptr_array_unref(caps->host_features);
    g_array_unref(caps->page_sizes_kib);
    g_ptr_array_unref(caps->cells);
    g_free(caps->secmodel);
    g_free(caps->secmodel_doi);
    g_ptr_array_unref(caps->guests);
    g_free(caps);
}

virtkitCapsGuest *
virtkitCapsAddGuest(virtkitCaps *caps, const char *os_type, const char *arch, guint wordsize,
                    const char *emulator)
{
    virtkitCapsGuest *g = g_new0(virtkitCapsGuest, 1);
    g->os_type = g_strdup(os_type);
    g->arch = g_strdup(arch);
    g->wordsize = wordsize;
    g->emulator = g_strdup(emulator);
    g->machines = g_ptr_array_new_with_free_func(g_free);
    g->machine_info = g_ptr_array_new_with_free_func(virtkitCapsMachineFree);
    g->domain_types = g_ptr_array_new_with_free_func(g_free);
    g->features = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(caps->guests, g);
    return g;
}

void
virtkitCapsGuestAddDomainType(virtkitCapsGuest *guest, const char *type)
{
    g_ptr_array_add(guest->domain_types, g_strdup(type));
}

void
virtkitCapsGuestAddMachine(virtkitCapsGuest *guest, const char *machine)
{
    g_ptr_array_add(guest->machines, g_strdup(machine));
    g_ptr_array_add(guest->machine_info, NULL);
}

void
virtkitCapsGuestAddMachineFull(virtkitCapsGuest *guest, const char *machine,
                               const char *canonical, guint max_cpus, gboolean deprecated)
{
    virtkitCapsMachine *m = g_new0(virtkitCapsMachine, 1);

    m->canonical = g_strdup(canonical);
    m->max_cpus = max_cpus;
    m->deprecated = deprecated;
    g_ptr_array_add(guest->machines, g_strdup(machine));
    g_ptr_array_add(guest->machine_info, m);
}

void
virtkitCapsGuestAddFeature(virtkitCapsGuest *guest, const char *feature)
{
    g_ptr_array_add(guest->features, g_strdup(feature));
}

virtkitCapsCell *
virtkitCapsAddCell(virtkitCaps *caps, guint64 memory_kib, guint ncpus)
{
    virtkitCapsCell *c = g_new0(virtkitCapsCell, 1);
    guint first = 0;
    for (guint i = 0; i < caps->cells->len; i++)
        first += ((virtkitCapsCell *) caps->cells->pdata[i])->cpus->len;
    c->id = caps->cells->len;
    c->memory_kib = memory_kib;
    c->cpus = g_array_new(FALSE, FALSE, sizeof(guint));
    c->pages = g_array_new(FALSE, FALSE, sizeof(virtkitCapsPages));
    for (guint i = 0; i < ncpus; i++) {
        guint id = first + i;
        g_array_append_val(c->cpus, id);
    }
    g_ptr_array_add(caps->cells, c);
    return c;
}

void
virtkitCapsCellAddPages(virtkitCapsCell *cell, guint size_kib, guint64 count)
{
    virtkitCapsPages p = { size_kib, count };
    g_array_append_val(cell->pages, p);
}

static gboolean
virtkitCapsGuestHasType(const virtkitCapsGuest *g, const char *virt_type)
{
    if (!virt_type)
        return TRUE;
    for (guint i = 0; i < g->domain_types->len; i++)
        if (strcmp(g->domain_types->pdata[i], virt_type) == 0)
            return TRUE;
    return FALSE;
}

const char *
virtkitCapsDefaultArch(const virtkitCaps *caps, const char *os_type, const char *virt_type)
{
    if (!caps)
        return NULL;
    for (guint i = 0; i < caps->guests->len; i++) {
        const virtkitCapsGuest *g = caps->guests->pdata[i];
        if (os_type && strcmp(g->os_type, os_type) == 0 && virtkitCapsGuestHasType(g, virt_type))
            return g->arch;
    }
    return caps->host_arch;
}

const char *
virtkitCapsDefaultMachine(const virtkitCaps *caps, const char *os_type, const char *arch,
                          const char *virt_type)
{
    if (!caps)
        return NULL;
    for (guint i = 0; i < caps->guests->len; i++) {
        const virtkitCapsGuest *g = caps->guests->pdata[i];
        if (os_type && strcmp(g->os_type, os_type) == 0 && g_strcmp0(g->arch, arch) == 0 &&
            virtkitCapsGuestHasType(g, virt_type) && g->machines->len)
            return g->machines->pdata[0];
    }
    return NULL;
}

static void
virtkitCapsEscapeText(GString *b, int indent, const char *name, const char *text)
{
    g_string_append_printf(b, "%*s<%s>", indent, "", name);
    virtkitXmlEscape(b, text);
    g_string_append_printf(b, "</%s>\n", name);
}

char *
virtkitCapsFormat(const virtkitCaps *caps)
{
    GString *b = g_string_new("<capabilities>\n\n  <host>\n");
    if (caps->host_uuid)
        virtkitCapsEscapeText(b, 4, "uuid", caps->host_uuid);
    g_string_append(b, "    <cpu>\n");
    virtkitCapsEscapeText(b, 6, "arch", caps->host_arch);
    if (caps->host_features->len) {
        g_string_append(b, "      <features>\n");
        for (guint i = 0; i < caps->host_features->len; i++)
            g_string_append_printf(b, "        <%s/>\n", (char *) caps->host_features->pdata[i]);
        g_string_append(b, "      </features>\n");
    }
    for (guint i = 0; i < caps->page_sizes_kib->len; i++)
        g_string_append_printf(b, "      <pages unit='KiB' size='%u'/>\n",
                               g_array_index(caps->page_sizes_kib, guint, i));
    g_string_append(b, "    </cpu>\n    <power_management/>\n    <iommu support='no'/>\n");
    if (caps->cells->len) {
        g_string_append_printf(b, "    <topology>\n      <cells num='%u'>\n", caps->cells->len);
        for (guint i = 0; i < caps->cells->len; i++) {
            const virtkitCapsCell *c = caps->cells->pdata[i];
            g_string_append_printf(b, "        <cell id='%u'>\n", c->id);
            g_string_append_printf(b, "          <memory unit='KiB'>%" G_GUINT64_FORMAT
                                   "</memory>\n", c->memory_kib);
            for (guint k = 0; k < c->pages->len; k++) {
                const virtkitCapsPages *pg = &g_array_index(c->pages, virtkitCapsPages, k);
                g_string_append_printf(b, "          <pages unit='KiB' size='%u'>%" G_GUINT64_FORMAT
                                       "</pages>\n", pg->size_kib, pg->count);
            }
            g_string_append_printf(b, "          <cpus num='%u'>\n", c->cpus->len);
            for (guint k = 0; k < c->cpus->len; k++) {
                guint id = g_array_index(c->cpus, guint, k);
                g_string_append_printf(b, "            <cpu id='%u' socket_id='%u' die_id='0' "
                                       "core_id='%u' siblings='%u'/>\n", id, c->id, k, id);
            }
            g_string_append(b, "          </cpus>\n        </cell>\n");
        }
        g_string_append(b, "      </cells>\n    </topology>\n");
    }
    if (caps->secmodel) {
        g_string_append(b, "    <secmodel>\n");
        virtkitCapsEscapeText(b, 6, "model", caps->secmodel);
        virtkitCapsEscapeText(b, 6, "doi", caps->secmodel_doi ? caps->secmodel_doi : "");
        g_string_append(b, "    </secmodel>\n");
    }
    g_string_append(b, "  </host>\n\n");
    for (guint i = 0; i < caps->guests->len; i++) {
        const virtkitCapsGuest *g = caps->guests->pdata[i];
        g_string_append(b, "  <guest>\n");
        virtkitCapsEscapeText(b, 4, "os_type", g->os_type);
        g_string_append(b, "    <arch name='");
        virtkitXmlEscape(b, g->arch);
        g_string_append(b, "'>\n");
        g_string_append_printf(b, "      <wordsize>%u</wordsize>\n", g->wordsize);
        if (g->emulator)
            virtkitCapsEscapeText(b, 6, "emulator", g->emulator);
        for (guint k = 0; k < g->machines->len; k++) {
            const virtkitCapsMachine *m = k < g->machine_info->len ? g->machine_info->pdata[k]
                                                                   : NULL;
            if (!m) {
                virtkitCapsEscapeText(b, 6, "machine", g->machines->pdata[k]);
                continue;
            }
            g_string_append(b, "      <machine");
            if (m->canonical) {
                g_string_append(b, " canonical='");
                virtkitXmlEscape(b, m->canonical);
                g_string_append(b, "'");
            }
            if (m->max_cpus)
                g_string_append_printf(b, " maxCpus='%u'", m->max_cpus);
            if (m->deprecated)
                g_string_append(b, " deprecated='yes'");
            g_string_append(b, ">");
            virtkitXmlEscape(b, g->machines->pdata[k]);
            g_string_append(b, "</machine>\n");
        }
        for (guint k = 0; k < g->domain_types->len; k++) {
            g_string_append(b, "      <domain type='");
            virtkitXmlEscape(b, g->domain_types->pdata[k]);
            g_string_append(b, "'/>\n");
        }
        g_string_append(b, "    </arch>\n");
        if (g->features->len) {
            g_string_append(b, "    <features>\n");
            for (guint k = 0; k < g->features->len; k++)
                g_string_append_printf(b, "      <%s/>\n", (char *) g->features->pdata[k]);
            g_string_append(b, "    </features>\n");
        }
        g_string_append(b, "  </guest>\n\n");
    }
    g_string_append(b, "</capabilities>\n");
    return g_string_free(b, FALSE);
}

virtkitCaps *
virtkitCapsNewTestDefault(void)
{
    static const char *const os_types[] = { "hvm", "xen" };
    virtkitCaps *c = virtkitCapsNew("i686");
    static const guint pages[] = { 4, 8, 2048, 1048576 };

    g_ptr_array_add(c->host_features, g_strdup("pae"));
    g_ptr_array_add(c->host_features, g_strdup("nonpae"));
    for (guint i = 0; i < G_N_ELEMENTS(pages); i++)
        g_array_append_val(c->page_sizes_kib, pages[i]);
    virtkitCapsCell *c0 = virtkitCapsAddCell(c, 2097152, 8);
    virtkitCapsCell *c1 = virtkitCapsAddCell(c, 4194304, 8);
    virtkitCapsCellAddPages(c0, 4, 524288);
    virtkitCapsCellAddPages(c1, 8, 524288);
    for (guint i = 0; i < 2; i++) {
        virtkitCapsCellAddPages(i ? c1 : c0, 2048, 0);
        virtkitCapsCellAddPages(i ? c1 : c0, 1048576, 0);
    }
    c->secmodel = g_strdup("testSecurity");
    c->secmodel_doi = g_strdup("");
    for (guint i = 0; i < G_N_ELEMENTS(os_types); i++) {
        virtkitCapsGuest *g = virtkitCapsAddGuest(c, os_types[i], "i686", 32, "/usr/bin/test-hv");
        virtkitCapsGuestAddDomainType(g, "test");
        virtkitCapsGuestAddFeature(g, "pae");
        virtkitCapsGuestAddFeature(g, "nonpae");
    }
    return c;
}

/* ---- domain capabilities ------------------------------------------------ */

virtkitDomainCaps *
virtkitDomainCapsNew(const char *path, const char *domain_type, const char *machine,
                     const char *arch)
{
    virtkitDomainCaps *c = g_new0(virtkitDomainCaps, 1);
    c->path = g_strdup(path);
    c->domain_type = g_strdup(domain_type);
    c->machine = g_strdup(machine);
    c->arch = g_strdup(arch);
    c->max_vcpus = 1;
    return c;
}

void
virtkitDomainCapsFree(virtkitDomainCaps *c)
{
    if (!c)
        return;
    g_free(c->path);
    g_free(c->domain_type);
    g_free(c->machine);
    g_free(c->arch);
    g_strfreev(c->firmware);
    g_strfreev(c->loader_values);
    g_strfreev(c->loader_types);
    g_strfreev(c->loader_readonly);
    g_strfreev(c->loader_secure);
    g_free(c->cpu_host_model);
    g_free(c->cpu_host_model_vendor);
    g_strfreev(c->cpu_custom_models);
    g_strfreev(c->cpu_custom_usable);
    g_free(c->cpu_custom_vendor);
    GStrv *lists[] = {
        &c->disk_device, &c->disk_bus, &c->disk_model, &c->graphics_type, &c->video_model,
        &c->hostdev_mode, &c->hostdev_startup, &c->hostdev_subsys, &c->hostdev_pci_backend,
        &c->rng_model, &c->rng_backend, &c->filesystem_driver, &c->tpm_model, &c->tpm_backend,
        &c->redirdev_bus, &c->channel_type, &c->crypto_model, &c->interface_backend,
    };
    for (guint i = 0; i < G_N_ELEMENTS(lists); i++)
        g_strfreev(*lists[i]);
    g_free(c);
}

static void
virtkitDomainCapsEnum(GString *b, int indent, const char *name, GStrv values)
{
    if (!values || !values[0]) {
        g_string_append_printf(b, "%*s<enum name='%s'/>\n", indent, "", name);
        return;
    }
    g_string_append_printf(b, "%*s<enum name='%s'>\n", indent, "", name);
    for (guint i = 0; values[i]; i++) {
        g_string_append_printf(b, "%*s<value>", indent + 2, "");
        virtkitXmlEscape(b, values[i]);
        g_string_append(b, "</value>\n");
    }
    g_string_append_printf(b, "%*s</enum>\n", indent, "");
}

static void
virtkitDomainCapsDevice(GString *b, const char *name, gboolean supported,
                        const char *const *enum_names,
          GStrv *enum_values)
{
    if (!supported) {
        g_string_append_printf(b, "    <%s supported='no'/>\n", name);
        return;
    }
    g_string_append_printf(b, "    <%s supported='yes'>\n", name);
    for (guint i = 0; enum_names[i]; i++)
        virtkitDomainCapsEnum(b, 6, enum_names[i], enum_values[i]);
    g_string_append_printf(b, "    </%s>\n", name);
}

static void
virtkitDomainCapsYesNo(GString *b, const char *name, gboolean v)
{
    g_string_append_printf(b, "    <%s supported='%s'/>\n", name, v ? "yes" : "no");
}

char *
virtkitDomainCapsFormat(const virtkitDomainCaps *c)
{
    GString *b = g_string_new("<domainCapabilities>\n");
    if (c->path)
        virtkitCapsEscapeText(b, 2, "path", c->path);
    virtkitCapsEscapeText(b, 2, "domain", c->domain_type ? c->domain_type : "");
    if (c->machine)
        virtkitCapsEscapeText(b, 2, "machine", c->machine);
    virtkitCapsEscapeText(b, 2, "arch", c->arch ? c->arch : "");
    g_string_append_printf(b, "  <vcpu max='%u'/>\n", c->max_vcpus);
    g_string_append_printf(b, "  <iothreads supported='%s'/>\n", c->iothreads ? "yes" : "no");

    g_string_append(b, "  <os supported='yes'>\n");
    if (c->firmware)
        virtkitDomainCapsEnum(b, 4, "firmware", c->firmware);
    if (c->loader_values || c->loader_types) {
        g_string_append(b, "    <loader supported='yes'>\n");
        for (guint i = 0; c->loader_values && c->loader_values[i]; i++) {
            g_string_append(b, "      <value>");
            virtkitXmlEscape(b, c->loader_values[i]);
            g_string_append(b, "</value>\n");
        }
        virtkitDomainCapsEnum(b, 6, "type", c->loader_types);
        virtkitDomainCapsEnum(b, 6, "readonly", c->loader_readonly);
        virtkitDomainCapsEnum(b, 6, "secure", c->loader_secure);
        g_string_append(b, "    </loader>\n");
    } else {
        g_string_append(b, "    <loader supported='no'/>\n");
    }
    g_string_append(b, "  </os>\n");

    g_string_append(b, "  <cpu>\n");
    g_string_append_printf(b, "    <mode name='host-passthrough' supported='%s'",
                           c->cpu_host_passthrough ? "yes" : "no");
    if (c->cpu_host_passthrough)
        g_string_append(b, ">\n      <enum name='hostPassthroughMigratable'>\n"
                           "        <value>off</value>\n      </enum>\n    </mode>\n");
    else
        g_string_append(b, "/>\n");
    g_string_append_printf(b, "    <mode name='maximum' supported='%s'",
                           c->cpu_maximum ? "yes" : "no");
    if (c->cpu_maximum)
        g_string_append(b, ">\n      <enum name='maximumMigratable'>\n"
                           "        <value>off</value>\n      </enum>\n    </mode>\n");
    else
        g_string_append(b, "/>\n");
    if (c->cpu_host_model) {
        g_string_append(b, "    <mode name='host-model' supported='yes'>\n");
        g_string_append(b, "      <model fallback='forbid'>");
        virtkitXmlEscape(b, c->cpu_host_model);
        g_string_append(b, "</model>\n");
        if (c->cpu_host_model_vendor)
            virtkitCapsEscapeText(b, 6, "vendor", c->cpu_host_model_vendor);
        g_string_append(b, "    </mode>\n");
    } else {
        g_string_append(b, "    <mode name='host-model' supported='no'/>\n");
    }
    if (c->cpu_custom_models && c->cpu_custom_models[0]) {
        guint nusable = c->cpu_custom_usable ? g_strv_length(c->cpu_custom_usable) : 0;

        g_string_append(b, "    <mode name='custom' supported='yes'>\n");
        for (guint i = 0; c->cpu_custom_models[i]; i++) {
            const char *usable = i < nusable ? c->cpu_custom_usable[i] : "yes";
            g_string_append(b, "      <model usable='");
            virtkitXmlEscape(b, usable);
            g_string_append(b, "' vendor='");
            virtkitXmlEscape(b, c->cpu_custom_vendor ? c->cpu_custom_vendor : "unknown");
            g_string_append(b, "'>");
            virtkitXmlEscape(b, c->cpu_custom_models[i]);
            g_string_append(b, "</model>\n");
        }
        g_string_append(b, "    </mode>\n");
    } else {
        g_string_append(b, "    <mode name='custom' supported='no'/>\n");
    }
    g_string_append(b, "  </cpu>\n");

    if (c->no_memory_backing)
        g_string_append(b, "  <memoryBacking supported='no'/>\n");
    else
        g_string_append(b, "  <memoryBacking supported='yes'>\n"
                       "    <enum name='sourceType'>\n"
                       "      <value>file</value>\n"
                       "      <value>anonymous</value>\n"
                       "      <value>memfd</value>\n"
                       "    </enum>\n"
                       "  </memoryBacking>\n");

    g_string_append(b, "  <devices>\n");
    {
        const char *const n[] = { "diskDevice", "bus", "model", NULL };
        GStrv v[] = { c->disk_device, c->disk_bus, c->disk_model };
        virtkitDomainCapsDevice(b, "disk", c->disk_device != NULL, n, v);
    }
    {
        const char *const n[] = { "type", NULL };
        GStrv v[] = { c->graphics_type };
        virtkitDomainCapsDevice(b, "graphics", c->graphics_type != NULL, n, v);
    }
    {
        const char *const n[] = { "modelType", NULL };
        GStrv v[] = { c->video_model };
        virtkitDomainCapsDevice(b, "video", c->video_model != NULL, n, v);
    }
    {
        const char *const n[] = { "mode", "startupPolicy", "subsysType", "capsType",
                                  "pciBackend", NULL };
        GStrv v[] = { c->hostdev_mode, c->hostdev_startup, c->hostdev_subsys, NULL,
                      c->hostdev_pci_backend };
        virtkitDomainCapsDevice(b, "hostdev", c->hostdev_mode != NULL, n, v);
    }
    {
        const char *const n[] = { "model", "backendModel", NULL };
        GStrv v[] = { c->rng_model, c->rng_backend };
        virtkitDomainCapsDevice(b, "rng", c->rng_model != NULL, n, v);
    }
    {
        const char *const n[] = { "driverType", NULL };
        GStrv v[] = { c->filesystem_driver };
        virtkitDomainCapsDevice(b, "filesystem", c->filesystem_driver != NULL, n, v);
    }
    {
        const char *const n[] = { "model", "backendModel", NULL };
        GStrv v[] = { c->tpm_model, c->tpm_backend };
        virtkitDomainCapsDevice(b, "tpm", c->tpm_model != NULL, n, v);
    }
    {
        const char *const n[] = { "bus", NULL };
        GStrv v[] = { c->redirdev_bus };
        virtkitDomainCapsDevice(b, "redirdev", c->redirdev_bus != NULL, n, v);
    }
    {
        const char *const n[] = { "type", NULL };
        GStrv v[] = { c->channel_type };
        virtkitDomainCapsDevice(b, "channel", c->channel_type != NULL, n, v);
    }
    g_string_append(b, "  </devices>\n");

    g_string_append(b, "  <features>\n");
    virtkitDomainCapsYesNo(b, "gic", c->gic);
    virtkitDomainCapsYesNo(b, "vmcoreinfo", c->vmcoreinfo);
    virtkitDomainCapsYesNo(b, "genid", c->genid);
    virtkitDomainCapsYesNo(b, "backingStoreInput", c->backing_store_input);
    virtkitDomainCapsYesNo(b, "backup", c->backup);
    virtkitDomainCapsYesNo(b, "sev", c->sev);
    virtkitDomainCapsYesNo(b, "sgx", c->sgx);
    g_string_append(b, "  </features>\n");
    g_string_append(b, "</domainCapabilities>\n");
    return g_string_free(b, FALSE);
}
