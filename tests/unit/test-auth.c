/*
 * test-auth.c: virConnectAuthPtrDefault prompting on a terminal
 * (core/vir-auth.c), driven through pseudo-terminals.
 *
 * Most tests point the callback at the slave side of a fresh pty and play
 * the user on the master side from the main thread while the callback runs
 * in another; the transcript read from the master shows exactly what a user
 * would see, echo included.  One test runs the callback in a child process
 * whose controlling terminal is the pty, to cover the real /dev/tty path.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib.h>

#include "vk-internal.h"
#include "vir-auth.h"

/* How long a step may wait for the other side; only reached on failure. */
#define STEP_TIMEOUT_MS 10000

typedef struct {
    int master;
    int slave;              /* held open so the master never sees a hangup */
    char *slave_path;
    GString *transcript;    /* everything the "user" saw */
} Pty;

static void
pty_open(Pty *pty)
{
    const char *name;

    pty->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    g_assert_cmpint(pty->master, >=, 0);
    g_assert_cmpint(grantpt(pty->master), ==, 0);
    g_assert_cmpint(unlockpt(pty->master), ==, 0);
    name = ptsname(pty->master);
    g_assert_nonnull(name);
    pty->slave_path = g_strdup(name);
    pty->slave = open(pty->slave_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    g_assert_cmpint(pty->slave, >=, 0);
    pty->transcript = g_string_new(NULL);
}

static void
pty_close(Pty *pty)
{
    close(pty->slave);
    close(pty->master);
    g_free(pty->slave_path);
    g_string_free(pty->transcript, TRUE);
}

/* Appends what the master has to the transcript, waiting up to
 * @timeout_ms for something.  Returns false when nothing came. */
static bool
pty_read_some(Pty *pty, int timeout_ms)
{
    struct pollfd pfd = { .fd = pty->master, .events = POLLIN };
    char buf[256];
    ssize_t n;
    int rc;

    do {
        rc = poll(&pfd, 1, timeout_ms);
    } while (rc < 0 && errno == EINTR);
    g_assert_cmpint(rc, >=, 0);
    if (rc == 0)
        return false;
    n = read(pty->master, buf, sizeof(buf));
    g_assert_cmpint(n, >, 0);
    g_string_append_len(pty->transcript, buf, n);
    return true;
}

/* Waits until the transcript ends with @prompt, then types @answer. */
static void
pty_answer(Pty *pty, const char *prompt, const char *answer)
{
    gint64 deadline = g_get_monotonic_time() + STEP_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

    while (!g_str_has_suffix(pty->transcript->str, prompt)) {
        if (g_get_monotonic_time() > deadline) {
            g_test_message("waiting for prompt '%s'", prompt);
            g_assert_cmpstr(pty->transcript->str, ==, prompt);
        }
        pty_read_some(pty, 100);
    }
    g_assert_cmpint(write(pty->master, answer, strlen(answer)), ==, (ssize_t)strlen(answer));
}

/* Reads the rest of the transcript once the other side is done writing. */
static void
pty_drain(Pty *pty)
{
    while (pty_read_some(pty, 200))
        ;
}

/* ------------------------------------------------------------------ */
/* Running the callback in a thread                                     */
/* ------------------------------------------------------------------ */

typedef struct {
    virConnectCredentialPtr cred;
    unsigned int ncred;
    int rc;
    int code;
    int domain;
    char *message;
} CallbackRun;

static gpointer
callback_thread(gpointer data)
{
    CallbackRun *run = data;
    virErrorPtr err;

    run->rc = virConnectAuthPtrDefault->cb(run->cred, run->ncred,
                                           virConnectAuthPtrDefault->cbdata);
    if ((err = virGetLastError())) {
        run->code = err->code;
        run->domain = err->domain;
        run->message = g_strdup(err->message);
    }
    return NULL;
}

typedef struct {
    const char *prompt;     /* what the user sees, exactly */
    const char *answer;     /* what the user types */
} Step;

/* Runs the callback on a pty with @steps typed by the user; returns the
 * whole transcript (new string).  Asserts the callback succeeded. */
static char *
run_on_pty(virConnectCredentialPtr cred, unsigned int ncred, const Step *steps,
           gsize nsteps)
{
    Pty pty;
    CallbackRun run = { .cred = cred, .ncred = ncred };
    GThread *thread;
    char *transcript;

    pty_open(&pty);
    vkAuthSetTTYPath(pty.slave_path);
    thread = g_thread_new("auth-callback", callback_thread, &run);
    for (gsize i = 0; i < nsteps; i++)
        pty_answer(&pty, steps[i].prompt, steps[i].answer);
    g_thread_join(thread);
    pty_drain(&pty);
    vkAuthSetTTYPath(NULL);

    if (run.rc != 0)
        g_test_message("callback failed: %s", run.message);
    g_assert_cmpint(run.rc, ==, 0);
    g_assert_null(run.message);
    g_free(run.message);
    transcript = g_strdup(pty.transcript->str);
    pty_close(&pty);
    return transcript;
}

static void
cred_clear(virConnectCredentialPtr cred, unsigned int ncred)
{
    for (unsigned int i = 0; i < ncred; i++)
        g_clear_pointer(&cred[i].result, g_free);
}

/* ------------------------------------------------------------------ */
/* Tests                                                                */
/* ------------------------------------------------------------------ */

static void
test_default_struct(void)
{
    static const int want[] = {
        VIR_CRED_AUTHNAME, VIR_CRED_ECHOPROMPT, VIR_CRED_REALM,
        VIR_CRED_PASSPHRASE, VIR_CRED_NOECHOPROMPT, VIR_CRED_EXTERNAL,
    };

    g_assert_nonnull(virConnectAuthPtrDefault);
    g_assert_nonnull(virConnectAuthPtrDefault->cb);
    g_assert_cmpuint(virConnectAuthPtrDefault->ncredtype, ==, G_N_ELEMENTS(want));
    for (gsize i = 0; i < G_N_ELEMENTS(want); i++)
        g_assert_cmpint(virConnectAuthPtrDefault->credtype[i], ==, want[i]);
}

static void
test_prompt_echo(void)
{
    virConnectCredential cred[] = {
        { .type = VIR_CRED_AUTHNAME, .prompt = "Username" },
    };
    static const Step steps[] = { { "Username: ", "alice\n" } };
    g_autofree char *transcript = run_on_pty(cred, 1, steps, 1);

    g_assert_cmpstr(transcript, ==, "Username: alice\r\n");
    g_assert_cmpstr(cred[0].result, ==, "alice");
    g_assert_cmpuint(cred[0].resultlen, ==, 5);
    cred_clear(cred, 1);
}

static void
test_prompt_default_shown(void)
{
    virConnectCredential cred[] = {
        { .type = VIR_CRED_AUTHNAME, .prompt = "Enter username for host", .defresult = "root" },
        { .type = VIR_CRED_ECHOPROMPT, .prompt = "Realm", .defresult = "" },
        { .type = VIR_CRED_ECHOPROMPT, .prompt = "Colour", .defresult = "blue" },
    };
    static const Step steps[] = {
        { "Enter username for host [root]: ", "\n" },
        { "Realm: ", "\n" },
        { "Colour [blue]: ", "red\n" },
    };
    g_autofree char *transcript = run_on_pty(cred, 3, steps, 3);

    g_assert_cmpstr(transcript, ==,
                    "Enter username for host [root]: \r\nRealm: \r\nColour [blue]: red\r\n");
    /* An empty answer takes the default, or "" without one. */
    g_assert_cmpstr(cred[0].result, ==, "root");
    g_assert_cmpuint(cred[0].resultlen, ==, 4);
    g_assert_cmpstr(cred[1].result, ==, "");
    g_assert_cmpuint(cred[1].resultlen, ==, 0);
    g_assert_cmpstr(cred[2].result, ==, "red");
    cred_clear(cred, 3);
}

static void
test_prompt_passphrase_noecho(void)
{
    virConnectCredential cred[] = {
        { .type = VIR_CRED_PASSPHRASE, .prompt = "Password" },
        { .type = VIR_CRED_NOECHOPROMPT, .prompt = "PIN", .defresult = "0000" },
    };
    static const Step steps[] = {
        { "Password: ", "s3cret pass\n" },
        /* A default secret is not shown. */
        { "Password: \r\nPIN: ", "\n" },
    };
    g_autofree char *transcript = run_on_pty(cred, 2, steps, 2);
    struct termios tio;
    int fd;

    /* Nothing typed appears: only the newline the callback writes. */
    g_assert_cmpstr(transcript, ==, "Password: \r\nPIN: \r\n");
    g_assert_cmpstr(cred[0].result, ==, "s3cret pass");
    g_assert_cmpuint(cred[0].resultlen, ==, 11);
    g_assert_cmpstr(cred[1].result, ==, "0000");
    cred_clear(cred, 2);

    /* Echo is back on afterwards: check on a fresh pty used the same way. */
    {
        Pty pty;
        virConnectCredential one[] = { { .type = VIR_CRED_PASSPHRASE, .prompt = "P" } };
        CallbackRun run = { .cred = one, .ncred = 1 };
        GThread *thread;

        pty_open(&pty);
        fd = pty.slave;
        vkAuthSetTTYPath(pty.slave_path);
        thread = g_thread_new("auth-callback", callback_thread, &run);
        pty_answer(&pty, "P: ", "x\n");
        g_thread_join(thread);
        vkAuthSetTTYPath(NULL);
        g_assert_cmpint(run.rc, ==, 0);
        g_assert_cmpint(tcgetattr(fd, &tio), ==, 0);
        g_assert_cmpuint(tio.c_lflag & ECHO, ==, ECHO);
        g_assert_cmpuint(tio.c_lflag & ISIG, ==, ISIG);
        cred_clear(one, 1);
        pty_close(&pty);
    }
}

static void
test_prompt_several(void)
{
    virConnectCredential cred[] = {
        { .type = VIR_CRED_AUTHNAME, .prompt = "Username", .defresult = "me" },
        { .type = VIR_CRED_EXTERNAL, .prompt = "org.libvirt.unix.manage",
          .challenge = "PolicyKit" },
        { .type = VIR_CRED_REALM, .prompt = "Realm" },
        { .type = VIR_CRED_PASSPHRASE, .prompt = "Password for me@host" },
        { .type = VIR_CRED_USERNAME, .prompt = NULL },
    };
    static const Step steps[] = {
        { "Username [me]: ", "bob\n" },
        { "Realm: ", "EXAMPLE.COM\n" },
        { "Password for me@host: ", "pw\n" },
        { "Username: ", "carol\n" },
    };
    g_autofree char *transcript = run_on_pty(cred, 5, steps, 4);

    g_assert_cmpstr(transcript, ==,
                    "Username [me]: bob\r\nRealm: EXAMPLE.COM\r\nPassword for me@host: \r\n"
                    "Username: carol\r\n");
    g_assert_cmpstr(cred[0].result, ==, "bob");
    g_assert_null(cred[1].result);          /* EXTERNAL is left alone */
    g_assert_cmpuint(cred[1].resultlen, ==, 0);
    g_assert_cmpstr(cred[2].result, ==, "EXAMPLE.COM");
    g_assert_cmpstr(cred[3].result, ==, "pw");
    g_assert_cmpstr(cred[4].result, ==, "carol");
    cred_clear(cred, 5);
}

static void
test_prompt_eof(void)
{
    virConnectCredential cred[] = {
        { .type = VIR_CRED_AUTHNAME, .prompt = "Username", .defresult = "fallback" },
    };
    /* ^D at the start of a line: end of file, which counts as empty. */
    static const Step steps[] = { { "Username [fallback]: ", "\x04" } };
    g_autofree char *transcript = run_on_pty(cred, 1, steps, 1);

    g_assert_true(g_str_has_prefix(transcript, "Username [fallback]: "));
    g_assert_cmpstr(cred[0].result, ==, "fallback");
    cred_clear(cred, 1);
}

/* Runs the callback where it must fail; returns the error message. */
static char *
run_failing(virConnectCredentialPtr cred, unsigned int ncred, int code)
{
    CallbackRun run = { .cred = cred, .ncred = ncred };

    virResetLastError();
    callback_thread(&run);
    g_assert_cmpint(run.rc, ==, -1);
    g_assert_cmpint(run.code, ==, code);
    g_assert_cmpint(run.domain, ==, VIR_FROM_AUTH);
    g_assert_nonnull(run.message);
    for (unsigned int i = 0; i < ncred; i++)
        g_assert_null(cred[i].result);
    virResetLastError();
    return run.message;
}

static void
test_no_terminal(void)
{
    virConnectCredential cred[] = {
        { .type = VIR_CRED_PASSPHRASE, .prompt = "Password" },
    };
    g_autofree char *missing = NULL;
    g_autofree char *not_tty = NULL;

    vkAuthSetTTYPath("/nonexistent/tty");
    missing = run_failing(cred, 1, VIR_ERR_AUTH_UNAVAILABLE);
    g_assert_cmpstr(missing, ==,
                    "authentication unavailable: cannot prompt for credentials: no terminal "
                    "(/nonexistent/tty: No such file or directory)");

    vkAuthSetTTYPath("/dev/null");
    not_tty = run_failing(cred, 1, VIR_ERR_AUTH_UNAVAILABLE);
    g_assert_cmpstr(not_tty, ==,
                    "authentication unavailable: cannot prompt for credentials: /dev/null is "
                    "not a terminal");
    vkAuthSetTTYPath(NULL);
}

static void
test_unsupported(void)
{
    virConnectCredential unknown[] = {
        { .type = VIR_CRED_AUTHNAME, .prompt = "Username" },
        { .type = 99, .prompt = "Strange" },
    };
    virConnectCredential external[] = {
        { .type = VIR_CRED_EXTERNAL, .prompt = "x", .challenge = "Kerberos" },
    };
    g_autofree char *msg1 = NULL;
    g_autofree char *msg2 = NULL;

    /* Refused before anything is asked: the terminal is never opened. */
    vkAuthSetTTYPath("/nonexistent/tty");
    msg1 = run_failing(unknown, 2, VIR_ERR_AUTH_FAILED);
    g_assert_cmpstr(msg1, ==, "authentication failed: the default authentication callback "
                              "cannot answer credential type 99 ('Strange')");
    msg2 = run_failing(external, 1, VIR_ERR_AUTH_FAILED);
    g_assert_cmpstr(msg2, ==, "authentication failed: the default authentication callback "
                              "cannot answer the external challenge 'Kerberos'");
    vkAuthSetTTYPath(NULL);
}

static void
test_external_only(void)
{
    virConnectCredential cred[] = {
        { .type = VIR_CRED_EXTERNAL, .prompt = "org.libvirt.unix.manage",
          .challenge = "PolicyKit" },
        { .type = VIR_CRED_EXTERNAL, .prompt = "no challenge" },
    };

    /* Nothing to prompt for, so no terminal is needed. */
    vkAuthSetTTYPath("/nonexistent/tty");
    virResetLastError();
    g_assert_cmpint(virConnectAuthPtrDefault->cb(cred, 2, NULL), ==, 0);
    g_assert_false(vkErrorIsSet());
    g_assert_null(cred[0].result);
    g_assert_null(cred[1].result);
    g_assert_cmpint(virConnectAuthPtrDefault->cb(cred, 0, NULL), ==, 0);
    vkAuthSetTTYPath(NULL);
}

/* ------------------------------------------------------------------ */
/* The real /dev/tty: a child whose controlling terminal is the pty     */
/* ------------------------------------------------------------------ */

/* The child's side: answers two credentials on its controlling terminal
 * and prints the results on stdout (a pipe). */
static int
auth_child_main(void)
{
    virConnectCredential cred[] = {
        { .type = VIR_CRED_AUTHNAME, .prompt = "Username" },
        { .type = VIR_CRED_PASSPHRASE, .prompt = "Password" },
    };

    if (virConnectAuthPtrDefault->cb(cred, 2, NULL) < 0) {
        fprintf(stderr, "%s\n", virGetLastErrorMessage());
        return 1;
    }
    printf("%s|%s\n", cred[0].result, cred[1].result);
    g_free(cred[0].result);
    g_free(cred[1].result);
    return 0;
}

/* In the child, after its stdin became the pty slave: a new session whose
 * controlling terminal is that slave. */
static void
child_make_ctty(gpointer data)
{
    (void)data;
    if (setsid() < 0 || ioctl(STDIN_FILENO, TIOCSCTTY, 0) < 0)
        _exit(125);
}

static void
test_controlling_tty(void)
{
    g_autoptr(GSubprocessLauncher) launcher = NULL;
    g_autoptr(GSubprocess) child = NULL;
    g_autoptr(GError) err = NULL;
    g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *out = NULL;
    g_autofree char *errout = NULL;
    Pty pty;
    int slave;

    g_assert_nonnull(self);
    pty_open(&pty);
    slave = dup(pty.slave);
    g_assert_cmpint(slave, >=, 0);

    launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                         G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_subprocess_launcher_take_stdin_fd(launcher, slave);
    g_subprocess_launcher_set_child_setup(launcher, child_make_ctty, NULL, NULL);
    child = g_subprocess_launcher_spawn(launcher, &err, self, "--auth-child", NULL);
    g_assert_no_error(err);
    g_assert_nonnull(child);
    g_clear_object(&launcher);

    pty_answer(&pty, "Username: ", "dave\n");
    pty_answer(&pty, "Username: dave\r\nPassword: ", "hunter2\n");

    g_assert_true(g_subprocess_communicate_utf8(child, NULL, NULL, &out, &errout, &err));
    g_assert_no_error(err);
    pty_drain(&pty);
    g_assert_cmpstr(errout, ==, "");
    g_assert_true(g_subprocess_get_if_exited(child));
    g_assert_cmpint(g_subprocess_get_exit_status(child), ==, 0);
    g_assert_cmpstr(out, ==, "dave|hunter2\n");
    g_assert_cmpstr(pty.transcript->str, ==, "Username: dave\r\nPassword: \r\n");
    pty_close(&pty);
}

int
main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--auth-child") == 0)
        return auth_child_main();

    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/auth/default/struct", test_default_struct);
    g_test_add_func("/auth/prompt/echo", test_prompt_echo);
    g_test_add_func("/auth/prompt/default-shown", test_prompt_default_shown);
    g_test_add_func("/auth/prompt/passphrase-noecho", test_prompt_passphrase_noecho);
    g_test_add_func("/auth/prompt/several", test_prompt_several);
    g_test_add_func("/auth/prompt/eof", test_prompt_eof);
    g_test_add_func("/auth/error/no-terminal", test_no_terminal);
    g_test_add_func("/auth/error/unsupported", test_unsupported);
    g_test_add_func("/auth/external-only", test_external_only);
    g_test_add_func("/auth/controlling-tty", test_controlling_tty);

    return g_test_run();
}
