/* ssh.c: the ssh processes behind an ssh:// engine (see ssh.h). */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "os.h"
#include "ssh.h"
#include "words.h"

/* The most stdout ds_ssh_run keeps. */
#define RUN_OUT_MAX ((size_t)1 << 20)

/* Append a copy of the n bytes at s to the argv being built; 0 or -1
 * (no memory). */
static int push_n(char ***argv, size_t *n, size_t *cap, const char *s,
		  size_t len)
{
	char **grown;

	if (*n + 2 > *cap) {
		*cap = *cap ? *cap * 2 : 16;
		grown = realloc(*argv, *cap * sizeof(**argv));
		if (!grown)
			return -1;
		*argv = grown;
	}
	(*argv)[*n] = strndup(s, len);
	if (!(*argv)[*n])
		return -1;
	(*n)++;
	(*argv)[*n] = NULL;
	return 0;
}

/* Append a copy of s to the argv being built; 0 or -1 (no memory). */
static int push(char ***argv, size_t *n, size_t *cap, const char *s)
{
	return push_n(argv, n, cap, s, strlen(s));
}

/* Free an argv from ds_ssh_argv(). */
void ds_ssh_argv_free(char **argv)
{
	size_t i;

	if (!argv)
		return;
	for (i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* Append the white-space separated words of opts to the argv. */
static int push_opts(char ***argv, size_t *n, size_t *cap, const char *opts)
{
	const char *w;
	size_t len;

	while (opts && (w = ds_word_next(&opts, &len)) != NULL)
		if (push_n(argv, n, cap, w, len) != 0)
			return -1;
	return 0;
}

/* Build the argv that runs words on ep through ssh. */
enum ds_code ds_ssh_argv(char ***out, const struct ds_endpoint *ep,
			 const char *const *words, long connect_timeout_ms,
			 struct ds_err *err)
{
	char **argv = NULL, tmp[64];
	size_t n = 0, cap = 0, i;
	long secs = (connect_timeout_ms + 999) / 1000;
	int bad = 0;

	*out = NULL;
	if (secs < 1)
		secs = 1;
	snprintf(tmp, sizeof(tmp), "ConnectTimeout=%ld", secs);
	bad |= push(&argv, &n, &cap, "ssh");
	bad |= push(&argv, &n, &cap, "-o");
	bad |= push(&argv, &n, &cap, "BatchMode=yes");
	bad |= push(&argv, &n, &cap, "-o");
	bad |= push(&argv, &n, &cap, tmp);
	bad |= push_opts(&argv, &n, &cap, ep->ssh_opts);
	bad |= push(&argv, &n, &cap, "-T");
	if (ep->ssh_user) {
		bad |= push(&argv, &n, &cap, "-l");
		bad |= push(&argv, &n, &cap, ep->ssh_user);
	}
	if (ep->port) {
		snprintf(tmp, sizeof(tmp), "%d", ep->port);
		bad |= push(&argv, &n, &cap, "-p");
		bad |= push(&argv, &n, &cap, tmp);
	}
	bad |= push(&argv, &n, &cap, "--");
	bad |= push(&argv, &n, &cap, ep->host);
	for (i = 0; words[i]; i++)
		bad |= push(&argv, &n, &cap, words[i]);
	if (bad) {
		ds_ssh_argv_free(argv);
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	}
	*out = argv;
	return DS_OK;
}

/* Build the argv of the engine connection (docker system dial-stdio). */
enum ds_code ds_ssh_dial_argv(char ***out, const struct ds_endpoint *ep,
			      long connect_timeout_ms, struct ds_err *err)
{
	char host[4200];
	const char *with_path[] = { "docker", "--host", host, "system",
				    "dial-stdio", NULL };
	const char *plain[] = { "docker", "system", "dial-stdio", NULL };

	if (ep->ssh_path) {
		/* endpoint.c allows no shell syntax in the path */
		snprintf(host, sizeof(host), "unix://%s", ep->ssh_path);
		return ds_ssh_argv(out, ep, with_path, connect_timeout_ms,
				   err);
	}
	return ds_ssh_argv(out, ep, plain, connect_timeout_ms, err);
}

/* Quote s for a POSIX shell. */
char *ds_ssh_quote(const char *s)
{
	size_t n = 3, i, j = 0;
	char *q;

	for (i = 0; s[i]; i++)
		n += s[i] == '\'' ? 4 : 1;
	q = malloc(n);
	if (!q)
		return NULL;
	q[j++] = '\'';
	for (i = 0; s[i]; i++) {
		if (s[i] == '\'') {
			memcpy(q + j, "'\\''", 4);
			j += 4;
		} else {
			q[j++] = s[i];
		}
	}
	q[j++] = '\'';
	q[j] = '\0';
	return q;
}

/*
 * In the child: take the descriptor that becomes stdin and stdout
 * (with via, the one connection accepted on listener, waited for 60 s
 * at most), stderr into errfd, a session of its own, then exec argv.
 */
static void child_exec(char *const *argv, int io, int listener, int errfd)
{
	char msg[300];
	sigset_t none;
	int n;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	setsid(); /* no terminal to prompt on, no ^C meant for make */
	if (listener >= 0) {
		alarm(60);
		do
			io = accept(listener, NULL, NULL);
		while (io < 0 && errno == EINTR);
		alarm(0);
		if (io < 0)
			_exit(126);
		close(listener);
	}
	if (dup2(io, 0) < 0 || dup2(io, 1) < 0 || dup2(errfd, 2) < 0)
		_exit(126);
	if (io > 2)
		close(io);
	if (errfd > 2)
		close(errfd);
	execvp(argv[0], argv);
	n = snprintf(msg, sizeof(msg), "cannot run '%s': %s\n", argv[0],
		     strerror(errno));
	if (n > 0 && write(2, msg, (size_t)n) < 0)
		_exit(127);
	_exit(127);
}

/* Bind and listen on the unix socket path (replacing a stale one). */
static int listen_at(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(fd, 1) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Start argv with a socket as stdin and stdout, stderr into a pipe. */
enum ds_code ds_ssh_start(struct ds_ssh_proc *p, char *const *argv,
			  const char *via, const char *display,
			  struct ds_err *err)
{
	enum ds_code result = DS_OK;
	int sv[2] = { -1, -1 }, ep[2] = { -1, -1 }, listener = -1, flags;
	char reason[128];
	pid_t pid;

	p->pid = -1;
	p->fd = p->err_fd = -1;
	if (via) {
		listener = listen_at(via);
		sv[0] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (listener < 0 || sv[0] < 0)
			goto fail;
	} else if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
			      sv) != 0) {
		goto fail;
	}
	if (pipe2(ep, O_CLOEXEC) != 0)
		goto fail;
	pid = fork();
	if (pid < 0)
		goto fail;
	if (pid == 0)
		child_exec(argv, sv[1], listener, ep[1]);
	p->pid = pid;
	p->fd = sv[0];
	p->err_fd = ep[0];
	sv[0] = ep[0] = -1;
	flags = fcntl(p->err_fd, F_GETFL);
	if (flags >= 0)
		fcntl(p->err_fd, F_SETFL, flags | O_NONBLOCK);
	goto done;
fail:
	result = ds_err_set(err, DS_E_IO, "cannot start ssh for engine at "
			    "'%s': %s", display,
			    ds_errno_text(errno, reason, sizeof(reason)));
done:
	if (listener >= 0)
		close(listener);
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	if (ep[0] >= 0)
		close(ep[0]);
	if (ep[1] >= 0)
		close(ep[1]);
	return result;
}

/* Read what is in the stderr pipe, keeping its last n-1 bytes in text. */
static void read_stderr(struct ds_ssh_proc *p, char *text, size_t n)
{
	char chunk[1024];
	size_t have = strlen(text), k;
	ssize_t got;

	if (p->err_fd < 0 || n == 0)
		return;
	for (;;) {
		got = read(p->err_fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		for (k = 0; k < (size_t)got; k++) {
			if (have + 1 >= n) { /* keep the end */
				memmove(text, text + n / 2, have - n / 2);
				have -= n / 2;
			}
			text[have++] = chunk[k];
		}
		text[have] = '\0';
	}
}

/* Status from waitpid as an exit code (128+N for signal N). */
static int exit_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

/* 1 when p has exited (reaped; status and text filled), else 0. */
int ds_ssh_exited(struct ds_ssh_proc *p, long wait_ms, char *text, size_t n,
		  int *status)
{
	long long end = ds_os_mono_ms() + wait_ms;
	int st;
	pid_t r;

	if (n)
		text[0] = '\0';
	*status = -1;
	if (p->pid <= 0)
		return 1;
	for (;;) {
		r = waitpid(p->pid, &st, WNOHANG);
		if (r == p->pid || (r < 0 && errno != EINTR)) {
			/* r < 0: make's own waitpid(-1) took it (ECHILD) */
			if (r == p->pid)
				*status = exit_code(st);
			p->pid = -1;
			read_stderr(p, text, n);
			if (p->err_fd >= 0)
				close(p->err_fd);
			p->err_fd = -1;
			return 1;
		}
		if (ds_os_mono_ms() >= end)
			return 0;
		poll(NULL, 0, 10);
	}
}

/* Close, wait (SIGTERM after wait_ms), reap, and read stderr. */
void ds_ssh_finish(struct ds_ssh_proc *p, int close_fd, long wait_ms,
		   char *text, size_t n, int *status)
{
	if (close_fd && p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	if (!ds_ssh_exited(p, wait_ms, text, n, status)) {
		kill(p->pid, SIGTERM);
		if (!ds_ssh_exited(p, 2000, text, n, status)) {
			kill(p->pid, SIGKILL);
			ds_ssh_exited(p, 60000, text, n, status);
		}
	}
	if (p->err_fd >= 0)
		close(p->err_fd);
	p->err_fd = -1;
}

/* The last line of text that is not empty and not an ssh warning. */
static void last_line(const char *text, char *line, size_t n)
{
	const char *p = text, *end, *best = NULL;
	size_t best_len = 0, len, i, j = 0;

	while (*p) {
		end = strchr(p, '\n');
		len = end ? (size_t)(end - p) : strlen(p);
		while (len && isspace((unsigned char)p[len - 1]))
			len--;
		if (len && strncmp(p, "Warning:", 8) != 0 &&
		    strncmp(p, "**", 2) != 0) {
			best = p;
			best_len = len;
		}
		if (!end)
			break;
		p = end + 1;
	}
	if (best_len && best[best_len - 1] == '.')
		best_len--; /* the message ends the sentence */
	for (i = 0; best && i < best_len && j + 1 < n && j < 300; i++)
		line[j++] = isprint((unsigned char)best[i]) ? best[i] : '?';
	line[j] = '\0';
}

/* One line for a failed ssh. */
enum ds_code ds_ssh_failure(const char *display, const char *text,
			    int status, struct ds_err *err)
{
	char line[320];
	const char *what;

	last_line(text ? text : "", line, sizeof(line));
	if (!line[0])
		return ds_err_set(err, DS_E_CONNECT, "cannot reach engine at "
				  "'%s': ssh ended (status %d) without a word",
				  display, status);
	if (strncmp(line, "cannot run '", 12) == 0)
		what = "ssh cannot be started";
	else if (strstr(text, "Host key verification failed") ||
	    strstr(text, "IDENTIFICATION HAS CHANGED") ||
	    strstr(text, "host key for"))
		what = "ssh does not trust the host's key (connect once "
		       "with ssh to add it to known_hosts)";
	else if (strstr(line, "Permission denied") ||
		 strstr(line, "Too many authentication failures"))
		what = "ssh could not log in";
	else if (strstr(line, "docker: not found") ||
		 strstr(line, "docker: command not found") ||
		 (status == 127 && strstr(line, "docker")))
		what = "no docker command on the remote host";
	else if (strstr(line, "ssh: connect to host") ||
		 strstr(line, "Could not resolve hostname") ||
		 strstr(line, "Connection closed") ||
		 strstr(line, "Connection timed out"))
		what = "ssh cannot connect";
	else if (strstr(line, "raw stream connection") ||
		 strstr(line, "Cannot connect to the Docker daemon") ||
		 strstr(line, "dial unix") || strstr(line, "dial tcp"))
		what = "docker on the remote host cannot reach its engine";
	else if (status == 255)
		what = "ssh failed";
	else
		what = "the remote command failed";
	return ds_err_set(err, DS_E_CONNECT, "cannot reach engine at '%s': "
			  "%s: %s", display, what, line);
}

/* Run argv, read its stdout; a failure is one line. */
enum ds_code ds_ssh_run(char *const *argv, const char *display,
			long timeout_ms, struct ds_buf *out,
			struct ds_err *err)
{
	enum ds_code result;
	struct ds_ssh_proc p;
	struct pollfd pfd;
	long long end = ds_os_mono_ms() + timeout_ms;
	char chunk[4096], text[2048] = "";
	ssize_t got;
	int status = -1, left, finished = 0;

	result = ds_ssh_start(&p, argv, NULL, display, err);
	if (result != DS_OK)
		return result;
	shutdown(p.fd, SHUT_WR); /* the remote command reads no input */
	for (;;) {
		left = (int)(end - ds_os_mono_ms());
		if (timeout_ms > 0 && left <= 0) {
			result = ds_err_set(err, DS_E_TIMEOUT, "engine at '%s' "
					    "did not answer in time (set "
					    "DOCKSPACE_TIMEOUT to wait longer)",
					    display);
			goto done;
		}
		pfd.fd = p.fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, timeout_ms > 0 ? left : -1) < 0) {
			if (errno == EINTR)
				continue;
			result = ds_err_set(err, DS_E_IO, "cannot read what ssh "
					    "says for engine at '%s': %s",
					    display, strerror(errno));
			goto done;
		}
		if (!pfd.revents)
			continue;
		got = read(p.fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (out->len + (size_t)got > RUN_OUT_MAX) {
			result = ds_err_set(err, DS_E_PROTOCOL, "'%s' said more "
					    "than %zu bytes to '%s'", argv[0],
					    RUN_OUT_MAX, display);
			goto done;
		}
		if (ds_buf_add(out, chunk, (size_t)got) != DS_OK) {
			result = ds_err_set(err, DS_E_NOMEM, "out of memory");
			goto done;
		}
	}
	/* its stdout is closed: it is ending */
	ds_ssh_finish(&p, 1, timeout_ms > 0 ? timeout_ms : 60000, text,
		      sizeof(text), &status);
	finished = 1;
	/* -1 with nothing said: make reaped it first; the output decides */
	if (status > 0 || (status < 0 && text[0]))
		result = ds_ssh_failure(display, text, status, err);
done:
	if (!finished)
		ds_ssh_finish(&p, 1, 0, text, sizeof(text), &status);
	return result;
}

