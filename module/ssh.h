/*
 * ssh.h: the ssh processes behind an ssh:// engine, as the docker CLI
 * runs them.
 *
 * The engine connection is `ssh [OPTIONS] -- HOST docker [--host
 * unix://SOCKET] system dial-stdio` with a unix socket connection as its
 * stdin and stdout: HTTP written to the socket goes to the remote
 * engine.  Options are always "-o BatchMode=yes" (never a
 * prompt: a missing key or an unknown host key fails instead), "-o
 * ConnectTimeout=N", then DOCKSPACE_SSH_OPTS, "-T", "-l USER", "-p
 * PORT".  ssh runs in a session of its own (no terminal); its stderr is
 * kept in a pipe so that a failure becomes one line
 * (ds_ssh_failure).  Whoever starts a process finishes it
 * (ds_ssh_finish): no zombie is left behind.
 */
#ifndef DS_SSH_H
#define DS_SSH_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"
#include "endpoint.h"
#include "error.h"

/*
 * Build in *out the argv (NULL-terminated, "ssh" first) that runs the
 * remote command words (NULL-terminated; each is passed as it is, so
 * quote for the remote shell) on ep, a DS_EP_SSH endpoint.  The caller
 * frees it with ds_ssh_argv_free().
 */
enum ds_code ds_ssh_argv(char ***out, const struct ds_endpoint *ep,
			 const char *const *words, long connect_timeout_ms,
			 struct ds_err *err);

/*
 * Build in *out the argv of the engine connection (docker system
 * dial-stdio, with --host when ep names the remote socket).
 */
enum ds_code ds_ssh_dial_argv(char ***out, const struct ds_endpoint *ep,
			      long connect_timeout_ms, struct ds_err *err);

/* Free an argv from ds_ssh_argv(); NULL is fine. */
void ds_ssh_argv_free(char **argv);

/* A running ssh: pid, our end of its stdin/stdout, its stderr. */
struct ds_ssh_proc {
	pid_t pid;
	int fd;      /* socket: write to its stdin, read its stdout */
	int err_fd;  /* read end of its stderr (non-blocking) */
};

/*
 * Start argv (argv[0] looked up in PATH); *p is the caller's to finish
 * with ds_ssh_finish().  Without via, p->fd is connected to its stdin
 * and stdout (a socketpair).  With via (a unix socket path in a private
 * directory), the child listens there and takes the first connection as
 * its stdin and stdout (waiting 60 s at most): p->fd is an unconnected
 * unix socket for the caller to connect to via (libcurl does; curl 7.88
 * calls connect() even on a socket said to be connected).  Both of our
 * descriptors are close-on-exec.
 */
enum ds_code ds_ssh_start(struct ds_ssh_proc *p, char *const *argv,
			  const char *via, const char *display,
			  struct ds_err *err);

/*
 * Close p->fd unless close_fd is 0 (someone else closes it), wait up to
 * wait_ms for ssh to exit (then SIGTERM, and wait), and put the end of
 * what it wrote on stderr in text (n bytes with the NUL) and its exit
 * status in *status (-1 when unknown, 128+N for signal N).
 */
void ds_ssh_finish(struct ds_ssh_proc *p, int close_fd, long wait_ms,
		   char *text, size_t n, int *status);

/*
 * 1 when p has exited (then it is reaped, *status set, text filled as
 * by ds_ssh_finish); 0 when it still runs after wait_ms.
 */
int ds_ssh_exited(struct ds_ssh_proc *p, long wait_ms, char *text, size_t n,
		  int *status);

/*
 * Turn what a failed ssh said (stderr text, exit status) into one line
 * naming display, DS_E_CONNECT: a refused login, an unknown host key,
 * no connection, no docker on the remote host, a remote docker that
 * cannot reach its engine, or the last line ssh or the remote command
 * said.
 */
enum ds_code ds_ssh_failure(const char *display, const char *text,
			    int status, struct ds_err *err);

/*
 * Run argv with an empty stdin, append its stdout (at most 1 MiB) to
 * out; a non-zero exit is ds_ssh_failure(); no end within timeout_ms is
 * DS_E_TIMEOUT.  Always reaps the process.
 */
enum ds_code ds_ssh_run(char *const *argv, const char *display,
			long timeout_ms, struct ds_buf *out,
			struct ds_err *err);

/* Quote s for a POSIX shell ('...'); the caller frees; NULL if no memory. */
char *ds_ssh_quote(const char *s);

#endif
