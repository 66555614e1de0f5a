/* os.c: mkdir -p, atomic file replace, monotonic clock (see os.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "os.h"

/* Record a failed system call on path as DS_E_IO. */
static enum ds_code io_error(struct ds_err *err, const char *what,
			     const char *path)
{
	char reason[128];

	return ds_err_set(err, DS_E_IO, "cannot %s '%s': %s", what, path,
			  ds_errno_text(errno, reason, sizeof(reason)));
}

/* Create dir and its parents (mkdir -p). */
enum ds_code ds_mkdir_p(const char *dir, unsigned int mode,
			struct ds_err *err)
{
	enum ds_code result = DS_OK;
	char *path = strdup(dir), *p, c;
	struct stat st;

	if (!path)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	for (p = path + 1; result == DS_OK; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(path, (mode_t)mode) != 0 && errno != EEXIST)
			result = io_error(err, "create directory", path);
		else if (!c && (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))) {
			errno = ENOTDIR;
			result = io_error(err, "create directory", path);
		}
		*p = c;
		if (!c)
			break;
	}
	free(path);
	return result;
}

/* mkdir -p of the directory holding path. */
enum ds_code ds_mkdir_parents(const char *path, struct ds_err *err)
{
	enum ds_code result = DS_OK;
	char *dir = strdup(path), *slash;

	if (!dir)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		result = ds_mkdir_p(dir, 0777, err);
	}
	free(dir);
	return result;
}

/* Write all of data to fd; 0, or -1 with errno. */
static int write_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Replace the file at path with data (written aside, then renamed). */
enum ds_code ds_write_atomic(const char *path, const void *data, size_t len,
			     unsigned int mode, struct ds_err *err)
{
	enum ds_code result = DS_OK;
	struct ds_buf tmp = DS_BUF_INIT;
	int fd, saved;

	if (ds_buf_printf(&tmp, "%s.%ld.tmp", path, (long)getpid()) != DS_OK)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		  (mode_t)mode);
	if (fd < 0) {
		result = io_error(err, "write", path);
		goto done;
	}
	if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		result = io_error(err, "write", path);
		unlink(tmp.ptr);
		goto done;
	}
	if (close(fd) != 0 || rename(tmp.ptr, path) != 0) {
		result = io_error(err, "write", path);
		unlink(tmp.ptr);
	}
done:
	ds_buf_free(&tmp);
	return result;
}

/* Milliseconds on the monotonic clock. */
long long ds_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
