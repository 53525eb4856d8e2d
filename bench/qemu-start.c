/*
 * qemu-start.c: API call -> running for qemu:///embed, against a bare
 * qemu-system-x86_64 exec -> QMP 'cont' answered, same guest, same run.
 *
 *   VIRTKIT_PLUGIN_DIR=build/plugins/qemu build/bench/qemu-start [ROUNDS]
 *
 * The guest: 128 MiB, 1 vCPU, machine pc, TCG, no disk, no OS (SeaBIOS
 * runs).  "virtkit" times virDomainCreate until virDomainGetState says
 * running; "bare" times the spawn of QEMU with the same kind of command
 * line (-S, the monitor on a socket it creates) until its answer to 'cont'
 * (greeting and qmp_capabilities included).  Each QEMU is destroyed (or
 * killed, by its own pid) between rounds.  Prints medians and the ratio.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <libvirt/libvirt.h>

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Reads from @fd until a line containing @want arrives. */
static gboolean
read_until(int fd, const char *want)
{
    char buf[65536];
    GString *acc = g_string_new(NULL);
    gboolean ok = FALSE;

    for (;;) {
        ssize_t n = recv(fd, buf, sizeof(buf), 0);
        if (n <= 0)
            break;
        g_string_append_len(acc, buf, n);
        if (strstr(acc->str, want)) {
            ok = TRUE;
            break;
        }
    }
    g_string_free(acc, TRUE);
    return ok;
}

static double
bare_once(const char *dir)
{
    g_autofree char *sock = g_build_filename(dir, "bare.monitor", NULL);
    g_autofree char *chardev = g_strdup_printf("socket,id=mon,path=%s,server=on,wait=off", sock);
    const char *argv[] = { "qemu-system-x86_64", "-name", "guest=bare", "-no-user-config",
                           "-nodefaults", "-S", "-display", "none", "-chardev", chardev,
                           "-mon", "chardev=mon,mode=control", "-machine", "pc,acpi=off",
                           "-accel", "tcg", "-cpu", "max", "-m", "128", "-smp", "1", NULL };
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    g_autoptr(GSubprocess) p = NULL;
    gint64 t0 = g_get_monotonic_time();
    double ms;
    int fd = -1;

    unlink(sock);
    p = g_subprocess_newv(argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                          NULL);
    if (!p)
        return -1;
    strncpy(sa.sun_path, sock, sizeof(sa.sun_path) - 1);
    /* QEMU creates the socket: poll for it, as a bare script would */
    for (int i = 0; i < 20000; i++) {
        fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
            break;
        close(fd);
        fd = -1;
        g_usleep(200);
    }
    if (fd < 0 || !read_until(fd, "\"QMP\""))
        return -1;
    const char *caps = "{\"execute\":\"qmp_capabilities\",\"id\":1}\n";
    const char *cont = "{\"execute\":\"cont\",\"id\":2}\n";
    if (send(fd, caps, strlen(caps), 0) < 0 || !read_until(fd, "\"return\""))
        return -1;
    if (send(fd, cont, strlen(cont), 0) < 0 || !read_until(fd, "\"id\": 2"))
        return -1;
    ms = (g_get_monotonic_time() - t0) / 1000.0;
    close(fd);
    g_subprocess_force_exit(p);
    g_subprocess_wait(p, NULL, NULL);
    return ms;
}

static double
virtkit_once(virDomainPtr dom)
{
    gint64 t0 = g_get_monotonic_time();
    int state = 0;
    double ms;

    if (virDomainCreate(dom) < 0)
        return -1;
    while (virDomainGetState(dom, &state, NULL, 0) == 0 && state != VIR_DOMAIN_RUNNING)
        g_usleep(100);
    ms = (g_get_monotonic_time() - t0) / 1000.0;
    virDomainDestroy(dom);
    return ms;
}

int
main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 10;
    g_autofree char *dir = g_dir_make_tmp("vkqb-XXXXXX", NULL);
    g_autofree char *uri = g_strdup_printf("qemu:///embed?root=%s", dir);
    g_autofree double *vk = g_new0(double, rounds);
    g_autofree double *bare = g_new0(double, rounds);
    const char *xml = "<domain type='qemu'><name>bench</name><memory unit='MiB'>128</memory>"
                      "<vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os>"
                      "</domain>";
    virConnectPtr c;
    virDomainPtr dom;

    if (!dir || !(c = virConnectOpen(uri)) || !(dom = virDomainDefineXML(c, xml))) {
        fprintf(stderr, "qemu-start: cannot open %s or define the guest\n", uri);
        return 1;
    }
    /* warm the page cache for both */
    virtkit_once(dom);
    bare_once(dir);
    for (int i = 0; i < rounds; i++) {
        vk[i] = virtkit_once(dom);
        bare[i] = bare_once(dir);
        if (vk[i] < 0 || bare[i] < 0) {
            fprintf(stderr, "qemu-start: round %d failed\n", i);
            return 1;
        }
    }
    double mv = median(vk, rounds), mb = median(bare, rounds);
    printf("API call -> running, median of %d (ms)\n", rounds);
    printf("  qemu:///embed virDomainCreate   %8.1f\n", mv);
    printf("  bare qemu exec -> cont answered %8.1f\n", mb);
    printf("  ratio                           %8.2fx\n", mv / mb);
    virDomainUndefine(dom);
    virDomainFree(dom);
    virConnectClose(c);
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
        if (system(cmd) != 0) {
            /* a leftover temp dir */
        }
    }
    return 0;
}
