/* ctr.c: containerd through the ctr client (see ctr.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctr.h"
#include "model.h"

/* Read what fd has until its end into b (bounded by b's limit). */
static void read_all(int fd, struct ds_buf *b)
{
	char chunk[4096];
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || ds_buf_add(b, chunk, (size_t)n) != DS_OK)
			return;
	}
}

/*
 * Start ctr with args (NULL-terminated, after "--address SOCK
 * --namespace NS"); its stdin, stdout and stderr are pipes given back
 * in fds (-1 where not wanted: /dev/null).
 */
static enum ds_code spawn(pid_t *pid, int *in, int *out, int *errfd,
			  const char *ctr, const char *sock, const char *ns,
			  const char *const *args, struct ds_err *err)
{
	const char *argv[16];
	int p_in[2] = { -1, -1 }, p_out[2] = { -1, -1 }, p_err[2] = { -1, -1 };
	size_t k = 0, i;
	char reason[128];

	argv[k++] = ctr;
	argv[k++] = "--address";
	argv[k++] = sock;
	argv[k++] = "--namespace";
	argv[k++] = ns;
	for (i = 0; args[i] && k < 15; i++)
		argv[k++] = args[i];
	argv[k] = NULL;
	if ((in && pipe2(p_in, O_CLOEXEC) != 0) ||
	    (out && pipe2(p_out, O_CLOEXEC) != 0) ||
	    pipe2(p_err, O_CLOEXEC) != 0)
		goto fail;
	*pid = fork();
	if (*pid < 0)
		goto fail;
	if (*pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(in ? p_in[0] : null, 0);
		dup2(out ? p_out[1] : null, 1);
		dup2(p_err[1], 2);
		execvp(ctr, (char *const *)argv);
		dprintf(2, "cannot run '%s': %s\n", ctr, strerror(errno));
		_exit(127);
	}
	if (in) {
		close(p_in[0]);
		*in = p_in[1];
	}
	if (out) {
		close(p_out[1]);
		*out = p_out[0];
	}
	close(p_err[1]);
	*errfd = p_err[0];
	return DS_OK;
fail:
	ds_err_set(err, DS_E_IO, "cannot start '%s': %s", ctr,
		   ds_errno_text(errno, reason, sizeof(reason)));
	for (i = 0; i < 2; i++) {
		if (p_in[i] >= 0)
			close(p_in[i]);
		if (p_out[i] >= 0)
			close(p_out[i]);
		if (p_err[i] >= 0)
			close(p_err[i]);
	}
	return DS_E_IO;
}

/* Wait for pid; DS_E_HTTP with its stderr's last line when it failed. */
static enum ds_code reap(pid_t pid, int errfd, const char *what,
			 const char *where, struct ds_err *err)
{
	struct ds_buf text = DS_BUF_INIT;
	int status = 0;
	size_t len;
	char *last;

	read_all(errfd, &text);
	close(errfd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		ds_buf_free(&text);
		return DS_OK;
	}
	len = text.len;
	while (len && (text.ptr[len - 1] == '\n' || text.ptr[len - 1] == ' '))
		text.ptr[--len] = '\0';
	last = len ? strrchr(text.ptr, '\n') : NULL;
	ds_err_set(err, DS_E_HTTP, "%s failed on %s: %s", what, where,
		   len ? (last ? last + 1 : text.ptr)
		       : WIFSIGNALED(status) ? "killed by a signal"
					     : "no message");
	ds_buf_free(&text);
	return DS_E_HTTP;
}

/* Start `ctr images import -`. */
enum ds_code ds_ctr_import_begin(struct ds_ctr_import *imp, const char *ctr,
				 const char *sock, const char *ns,
				 struct ds_err *err)
{
	static const char *const args[] = { "images", "import", "-", NULL };
	struct sigaction ign;
	enum ds_code result;

	memset(imp, 0, sizeof(*imp));
	imp->in = imp->errfd = -1;
	snprintf(imp->where, sizeof(imp->where), "containerd '%s' at "
		 "unix://%s", ns, sock);
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &imp->old_pipe);
	result = spawn(&imp->pid, &imp->in, NULL, &imp->errfd, ctr, sock, ns,
		       args, err);
	if (result != DS_OK) {
		sigaction(SIGPIPE, &imp->old_pipe, NULL);
		imp->pid = 0;
	}
	return result;
}

/* Write a piece of the archive to the import. */
int ds_ctr_import_write(void *ctx, const char *data, size_t len,
			struct ds_err *err)
{
	struct ds_ctr_import *imp = ctx;
	char reason[128];
	ssize_t n;

	while (len) {
		n = write(imp->in, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ds_err_set(err, DS_E_IO, "cannot write to the import "
				   "into %s: %s", imp->where,
				   ds_errno_text(errno, reason, sizeof(reason)));
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Close the import's stdin and wait for it. */
enum ds_code ds_ctr_import_end(struct ds_ctr_import *imp, int abort,
			       struct ds_err *err)
{
	enum ds_code result = DS_OK;

	if (!imp->pid)
		return DS_OK;
	if (abort)
		kill(imp->pid, SIGTERM);
	close(imp->in);
	result = reap(imp->pid, imp->errfd, "ctr images import", imp->where,
		      abort ? NULL : err);
	sigaction(SIGPIPE, &imp->old_pipe, NULL);
	imp->pid = 0;
	return abort ? DS_OK : result;
}

/* Run ctr args and keep its stdout in out. */
static enum ds_code run(const char *ctr, const char *sock, const char *ns,
			const char *const *args, struct ds_buf *out,
			struct ds_err *err)
{
	char where[512];
	pid_t pid;
	int fd, errfd;
	enum ds_code result;

	snprintf(where, sizeof(where), "containerd '%s' at unix://%s", ns,
		 sock);
	result = spawn(&pid, NULL, &fd, &errfd, ctr, sock, ns, args, err);
	if (result != DS_OK)
		return result;
	read_all(fd, out);
	close(fd);
	return reap(pid, errfd, args[0], where, err);
}

/* The config digest image name has in the namespace. */
enum ds_code ds_ctr_image_config(const char *ctr, const char *sock,
				 const char *ns, const char *name, char *out,
				 char *target, size_t n, struct ds_err *err)
{
	enum ds_code result;
	struct ds_buf list = DS_BUF_INIT, manifest = DS_BUF_INIT;
	struct ds_buf filter = DS_BUF_INIT;
	const char *args[6];
	char digest[160] = "";

	out[0] = '\0';
	target[0] = '\0';
	if (ds_buf_printf(&filter, "name==%s", name) != DS_OK)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	args[0] = "images";
	args[1] = "ls";
	args[2] = filter.ptr;
	args[3] = NULL;
	result = run(ctr, sock, ns, args, &list, err);
	if (result == DS_OK && list.ptr) {
		/* REF TYPE DIGEST ...: the second line, third word */
		const char *line = strchr(list.ptr, '\n');

		if (line && sscanf(line + 1, "%*s %*s %159s", digest) != 1)
			digest[0] = '\0';
	}
	if (result == DS_OK && digest[0]) {
		snprintf(target, n, "%s", digest);
		args[0] = "content";
		args[1] = "get";
		args[2] = digest;
		args[3] = NULL;
		result = run(ctr, sock, ns, args, &manifest, err);
		if (result == DS_OK)
			result = ds_model_manifest_config(out, n, manifest.ptr ?
				manifest.ptr : "", manifest.len, err);
	}
	ds_buf_free(&list);
	ds_buf_free(&manifest);
	ds_buf_free(&filter);
	return result;
}

/* Give image from the name to as well. */
enum ds_code ds_ctr_tag(const char *ctr, const char *sock, const char *ns,
			const char *from, const char *to, struct ds_err *err)
{
	const char *args[] = { "images", "tag", "--force", from, to, NULL };
	struct ds_buf out = DS_BUF_INIT;
	enum ds_code result;

	result = run(ctr, sock, ns, args, &out, err);
	ds_buf_free(&out);
	return result;
}
