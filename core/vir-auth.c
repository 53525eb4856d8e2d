/*
 * vir-auth.c: virConnectAuthPtrDefault, the credential callback libvirt
 * programs pass to virConnectOpenAuth to be prompted on a terminal.
 *
 * It behaves as libvirt's virConnectAuthCallbackDefault: each credential is
 * asked for with "PROMPT: ", an empty answer (or end of file) takes the
 * credential's default result, or "" without one; passphrases are read
 * without echo.  Differences: every prompt and answer goes through the
 * controlling terminal (/dev/tty), never stdin/stdout, so a program whose
 * standard streams are pipes still prompts its user and no answer is read
 * from a pipe by mistake; a default is shown as "PROMPT [DEFAULT]: " for the
 * echoed credentials; and failures are reported errors rather than a bare -1.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define VK_FROM VIR_FROM_AUTH
#define VK_LOG_MODULE "core.auth"
#include "vk-internal.h"
#include "vir-auth.h"

/* Longest answer accepted, in bytes; longer input is refused, not cut. */
#define VK_AUTH_MAX_ANSWER 8192

/* Serializes prompting, so that two threads asking at once do not
 * interleave their prompts on one terminal, and guards vkAuthTTYPath. */
static GMutex vkAuthLock;
static char *vkAuthTTYPath;

void
vkAuthSetTTYPath(const char *path)
{
    g_mutex_lock(&vkAuthLock);
    g_free(vkAuthTTYPath);
    vkAuthTTYPath = g_strdup(path);
    g_mutex_unlock(&vkAuthLock);
}

static int
vkAuthWrite(int fd, const char *s, const char *tty)
{
    size_t len = strlen(s);

    while (len > 0) {
        ssize_t n = write(fd, s, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            vkReportError(VIR_ERR_AUTH_FAILED, "cannot write a prompt to the terminal %s: %s",
                          tty, g_strerror(errno));
            return -1;
        }
        s += n;
        len -= n;
    }
    return 0;
}

/* Reads one line, without its line end, byte by byte so that nothing
 * after the newline is consumed.  End of file ends the line. */
static char *
vkAuthReadLine(int fd, const char *tty, const char *prompt)
{
    g_autoptr(GString) line = g_string_new(NULL);

    for (;;) {
        char c;
        ssize_t n = read(fd, &c, 1);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            vkReportError(VIR_ERR_AUTH_FAILED,
                          "cannot read the answer to '%s' from the terminal %s: %s",
                          prompt, tty, g_strerror(errno));
            return NULL;
        }
        if (n == 0 || c == '\n')
            break;
        if (line->len >= VK_AUTH_MAX_ANSWER) {
            vkReportError(VIR_ERR_AUTH_FAILED,
                          "the answer to '%s' is longer than %d bytes",
                          prompt, VK_AUTH_MAX_ANSWER);
            return NULL;
        }
        g_string_append_c(line, c);
    }
    if (line->len > 0 && line->str[line->len - 1] == '\r')
        g_string_truncate(line, line->len - 1);
    return g_string_free(g_steal_pointer(&line), FALSE);
}

static const char *
vkAuthFallbackPrompt(int type)
{
    switch (type) {
    case VIR_CRED_USERNAME:
    case VIR_CRED_AUTHNAME:
        return "Username";
    case VIR_CRED_PASSPHRASE:
        return "Password";
    case VIR_CRED_REALM:
        return "Realm";
    default:
        return "Answer";
    }
}

/* Asks one credential on @fd; returns the answer (new string) or NULL with
 * the error reported. */
static char *
vkAuthAsk(int fd, const char *tty, const virConnectCredential *cred)
{
    const char *prompt = cred->prompt ? cred->prompt : vkAuthFallbackPrompt(cred->type);
    bool noecho = cred->type == VIR_CRED_PASSPHRASE || cred->type == VIR_CRED_NOECHOPROMPT;
    g_autofree char *text = NULL;
    struct termios saved;
    char *answer;

    /* A default passphrase is not shown on the screen. */
    if (!noecho && cred->defresult && *cred->defresult)
        text = g_strdup_printf("%s [%s]: ", prompt, cred->defresult);
    else
        text = g_strdup_printf("%s: ", prompt);

    if (noecho) {
        struct termios quiet;

        if (tcgetattr(fd, &saved) < 0) {
            vkReportError(VIR_ERR_AUTH_FAILED, "cannot read the settings of the terminal %s: %s",
                          tty, g_strerror(errno));
            return NULL;
        }
        /* As getpass(3) does: no echo, and no signal characters, so that
         * an interrupt cannot leave the terminal without echo. */
        quiet = saved;
        quiet.c_lflag &= ~(ECHO | ISIG);
        if (tcsetattr(fd, TCSAFLUSH, &quiet) < 0) {
            vkReportError(VIR_ERR_AUTH_FAILED, "cannot turn off echo on the terminal %s: %s",
                          tty, g_strerror(errno));
            return NULL;
        }
    }

    answer = NULL;
    if (vkAuthWrite(fd, text, tty) == 0)
        answer = vkAuthReadLine(fd, tty, prompt);

    if (noecho) {
        /* The user's Enter was not echoed either. */
        while (write(fd, "\n", 1) < 0 && errno == EINTR)
            ;
        if (tcsetattr(fd, TCSAFLUSH, &saved) < 0)
            VK_WARN("cannot restore the settings of the terminal %s: %s",
                    tty, g_strerror(errno));
    }
    return answer;
}

static int
vkAuthDefaultCallback(virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
    g_autofree char *tty = NULL;
    unsigned int i;
    unsigned int filled = 0;    /* credentials answered so far */
    int fd = -1;
    int ret = -1;
    bool prompts = false;

    (void)cbdata;

    /* Refuse what cannot be answered before asking anything. */
    for (i = 0; i < ncred; i++) {
        switch (cred[i].type) {
        case VIR_CRED_EXTERNAL:
            /* libvirt: the user may have authenticated outside of it
             * (PolicyKit); anything else cannot be answered here. */
            if (cred[i].challenge && strcmp(cred[i].challenge, "PolicyKit") != 0) {
                vkReportError(VIR_ERR_AUTH_FAILED,
                              "the default authentication callback cannot answer the "
                              "external challenge '%s'", cred[i].challenge);
                return -1;
            }
            break;
        case VIR_CRED_USERNAME:
        case VIR_CRED_AUTHNAME:
        case VIR_CRED_ECHOPROMPT:
        case VIR_CRED_REALM:
        case VIR_CRED_PASSPHRASE:
        case VIR_CRED_NOECHOPROMPT:
            prompts = true;
            break;
        default:
            vkReportError(VIR_ERR_AUTH_FAILED,
                          "the default authentication callback cannot answer credential "
                          "type %d ('%s')", cred[i].type, VK_NULLSTR(cred[i].prompt));
            return -1;
        }
    }
    if (!prompts)
        return 0;

    g_mutex_lock(&vkAuthLock);
    tty = g_strdup(vkAuthTTYPath ? vkAuthTTYPath : VK_AUTH_TTY_PATH);

    fd = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        vkReportError(VIR_ERR_AUTH_UNAVAILABLE,
                      "cannot prompt for credentials: no terminal (%s: %s)",
                      tty, g_strerror(errno));
        goto cleanup;
    }
    if (!isatty(fd)) {
        vkReportError(VIR_ERR_AUTH_UNAVAILABLE,
                      "cannot prompt for credentials: %s is not a terminal", tty);
        goto cleanup;
    }

    for (filled = 0; filled < ncred; filled++) {
        char *answer;

        i = filled;
        if (cred[i].type == VIR_CRED_EXTERNAL)
            continue;
        if (!(answer = vkAuthAsk(fd, tty, &cred[i])))
            goto cleanup;
        if (*answer == '\0') {
            g_free(answer);
            answer = g_strdup(cred[i].defresult ? cred[i].defresult : "");
        }
        cred[i].result = answer;
        cred[i].resultlen = strlen(answer);
    }
    ret = 0;

 cleanup:
    if (ret < 0) {
        /* Leave no half-filled answers (a passphrase among them) behind. */
        unsigned int j;

        for (j = 0; j < filled; j++) {
            if (cred[j].type != VIR_CRED_EXTERNAL && cred[j].result) {
                memset(cred[j].result, 0, cred[j].resultlen);
                g_clear_pointer(&cred[j].result, g_free);
                cred[j].resultlen = 0;
            }
        }
    }
    if (fd >= 0)
        close(fd);
    g_mutex_unlock(&vkAuthLock);
    return ret;
}

/* virConnectAuthPtrDefault: the credential types a terminal can answer.
 * Like libvirt, VIR_CRED_USERNAME is not advertised (it would ask for the
 * user name twice) but is answered if asked. */
static int vkAuthDefaultCredTypes[] = {
    VIR_CRED_AUTHNAME, VIR_CRED_ECHOPROMPT, VIR_CRED_REALM,
    VIR_CRED_PASSPHRASE, VIR_CRED_NOECHOPROMPT, VIR_CRED_EXTERNAL,
};

static virConnectAuth vkAuthDefault = {
    .credtype = vkAuthDefaultCredTypes,
    .ncredtype = G_N_ELEMENTS(vkAuthDefaultCredTypes),
    .cb = vkAuthDefaultCallback,
    .cbdata = NULL,
};

virConnectAuthPtr virConnectAuthPtrDefault = &vkAuthDefault;
