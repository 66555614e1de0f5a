/* peer.c: the identity of the process serving a socket (see peer.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "peer.h"

/* Field 22 of /proc/PID/stat: the start time in clock ticks. */
static int start_ticks(pid_t pid, unsigned long long *out)
{
	char path[64], buf[1024];
	const char *p;
	size_t n;
	FILE *f;
	int field;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* the command name may hold spaces */
	if (!p)
		return -1;
	/* after ')' comes field 3; skip to field 22 */
	for (field = 2; *p && field < 22; p++)
		if (*p == ' ')
			field++;
	return sscanf(p, "%llu", out) == 1 ? 0 : -1;
}

/* The kernel's boot id, so that a pid from before a reboot never matches. */
static int boot_id(char *out, size_t n)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
	int ok;

	if (!f)
		return -1;
	ok = fgets(out, (int)n, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	out[strcspn(out, "\n")] = '\0';
	return 0;
}

/* Identify the process serving the unix socket at path. */
enum ds_code ds_peer_identify(const char *path, char *id, size_t n,
			      struct ds_err *err)
{
	struct sockaddr_un addr = { 0 };
	struct ucred cred;
	socklen_t len = sizeof(cred);
	unsigned long long start;
	char boot[64], reason[128];
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path))
		return ds_err_set(err, DS_E_UNSUPPORTED, "socket path too long");
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return ds_err_set(err, DS_E_UNSUPPORTED, "no socket: %s",
				  ds_errno_text(errno, reason,
						sizeof(reason)));
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
		ds_errno_text(errno, reason, sizeof(reason));
		close(fd);
		return ds_err_set(err, DS_E_CONNECT,
				  "cannot reach engine at 'unix://%s': %s",
				  path, reason);
	}
	/*
	 * The credentials are those of the process that listened: with
	 * socket activation that is systemd (pid 1), which outlives daemon
	 * restarts, so it identifies nothing.
	 */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 ||
	    cred.pid <= 1 || start_ticks(cred.pid, &start) != 0 ||
	    boot_id(boot, sizeof(boot)) != 0) {
		close(fd);
		return ds_err_set(err, DS_E_UNSUPPORTED,
				  "cannot tell which process serves '%s'",
				  path);
	}
	close(fd);
	snprintf(id, n, "%s:%d:%llu", boot, (int)cred.pid, start);
	return DS_OK;
}
