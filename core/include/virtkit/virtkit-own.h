/*
 * virtkit-own.h: virtkit's additions beside libvirt's API (symbol node
 * VIRTKIT_0.1 and later).  Nothing here replaces a libvirt call.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIRTKIT_OWN_H
# define VIRTKIT_OWN_H

# ifdef __cplusplus
extern "C" {
# endif

/* virtkit's own release as major * 1,000,000 + minor * 1,000 + micro. */
# define VIRTKIT_VERSION_NUMBER 1000

/**
 * virtkitGetVersion:
 *
 * Reports virtkit's own release, as VIRTKIT_VERSION_NUMBER encodes it.
 * virGetVersion() and virConnectGetLibVersion() report the libvirt API
 * level virtkit implements instead (9000000 for libvirt 9.0.0), which is
 * what programs written for libvirt check.
 *
 * Returns the release number; never fails.  Thread-safe.
 *
 * Since: VIRTKIT_0.1
 */
unsigned long virtkitGetVersion(void);

/**
 * virtkitPluginInfo:
 *
 * One plugin found on the plugin search path ($VIRTKIT_PLUGIN_DIR, then the
 * installed plugin directory), as virtkitConnectListPlugins() reports it.
 * Strings and arrays belong to the struct; free it with
 * virtkitPluginInfoFree().
 *
 * Since: VIRTKIT_0.1
 */
typedef struct _virtkitPluginInfo virtkitPluginInfo;
typedef virtkitPluginInfo *virtkitPluginInfoPtr;
struct _virtkitPluginInfo {
    char *name;             /* the plugin's name (from its descriptor once loaded) */
    char *file;             /* the module's file, as opened (with its extension) once
                             * loading was tried; until then as its key file names it */
    char *keyFile;          /* the NAME.plugin key file */
    char *version;          /* the plugin's own release; NULL until its ABI is accepted */
    char *license;          /* SPDX identifier; NULL until its ABI is accepted */
    char *kind;             /* "hypervisor" or "secondary" */
    char **schemes;         /* URI schemes claimed, NULL-terminated */
    char **vendorFeatures;  /* dotted vendor capability names, NULL-terminated */
    int *features;          /* VIR_DRV_FEATURE_* numbers answered yes without a connection */
    int nfeatures;
    unsigned int abiMajor;  /* plugin ABI the descriptor says it was built for, even when
                             * refused; the key file's AbiMajor until loading was tried */
    unsigned int abiMinor;
    unsigned int flags;     /* the descriptor's flags (see virtkit-plugin.h) */
    char *status;           /* "found" (not loaded), "loaded", "refused" or "shadowed" */
    char *reason;           /* why refused or shadowed; a warning when loaded; else NULL */
};

/* Flags of virtkitConnectListPlugins(). */
typedef enum {
    VIRTKIT_LIST_PLUGINS_LOAD = 1 << 0,   /* load every plugin to report ABI and capabilities */
} virtkitListPluginsFlags;

/**
 * virtkitConnectListPlugins:
 * @plugins: where to store a NULL-terminated array of new virtkitPluginInfo
 *           (free each with virtkitPluginInfoFree(), the array with free());
 *           may be NULL to count only
 * @flags: VIRTKIT_LIST_PLUGINS_LOAD to load every plugin found (otherwise
 *         only plugins already loaded report ABI and capabilities)
 *
 * Reports every plugin on the search path, loaded or not, with the reason
 * for every refusal.  Needs no connection.
 *
 * Returns the number of plugins, or -1 with the last error set.
 * Thread-safe.
 *
 * Since: VIRTKIT_0.1
 */
int virtkitConnectListPlugins(virtkitPluginInfoPtr **plugins, unsigned int flags);

/**
 * virtkitConnectListPluginDirs:
 * @dirs: where to store a NULL-terminated array of new strings (free each
 *        and the array with free()); may be NULL to count only
 * @flags: extra flags; none is defined yet, pass 0
 *
 * Reports the directories searched for plugins, in search order: each of
 * $VIRTKIT_PLUGIN_DIR (colon separated, read when the process first looked
 * for plugins), then the installed plugin directory.  A directory need not
 * exist.  These are the directories virtkitConnectListPlugins() reports
 * plugins from.  Needs no connection.
 *
 * Returns the number of directories, or -1 with the last error set.
 * Thread-safe.
 *
 * Since: VIRTKIT_0.1
 */
int virtkitConnectListPluginDirs(char ***dirs, unsigned int flags);

/**
 * virtkitPluginInfoFree:
 * @info: an entry from virtkitConnectListPlugins(); NULL is a no-op
 *
 * Since: VIRTKIT_0.1
 */
void virtkitPluginInfoFree(virtkitPluginInfoPtr info);

/**
 * virtkitDrvFeatureName:
 * @feature: a connection feature number, as libvirt numbers its
 *           VIR_DRV_FEATURE_* values (the numbers virtkitPluginInfo.features
 *           holds and the wire protocol carries)
 *
 * Names a connection feature: "TYPED_PARAM_STRING" for 9, and so on.
 *
 * Returns a static string, or NULL for a number libvirt 9.0 does not
 * define.  Thread-safe.
 *
 * Since: VIRTKIT_0.1
 */
const char *virtkitDrvFeatureName(int feature);

# ifdef __cplusplus
}
# endif
#endif /* VIRTKIT_OWN_H */
