/*
 * os.c: file-system and clock helpers for the operations (os.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "os.h"

/* Create directory dir and its parents (mkdir -p). */
enum ds_code ds_os_mkdirs(const char *dir, struct ds_err *err)
{
	char path[4096], reason[128];
	size_t i, n = strlen(dir);

	if (n == 0 || n >= sizeof(path))
		return ds_err_set(err, DS_E_IO, "cannot create '%s': name too "
				  "long", dir);
	memcpy(path, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			return ds_err_set(err, DS_E_IO, "cannot create '%s': "
					  "%s", path, ds_errno_text(errno,
					  reason, sizeof(reason)));
		path[i] = i < n ? '/' : '\0';
	}
	return DS_OK;
}

/* Replace the file at path with text (written aside, then renamed). */
enum ds_code ds_os_write_file(const char *path, const char *text,
			      size_t len, struct ds_err *err)
{
	char tmp[4200], reason[128];
	FILE *f;
	int ok;

	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
	f = fopen(tmp, "w");
	if (!f)
		return ds_err_set(err, DS_E_IO, "cannot write '%s': %s", tmp,
				  ds_errno_text(errno, reason, sizeof(reason)));
	ok = fwrite(text, 1, len, f) == len;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		ds_err_set(err, DS_E_IO, "cannot write '%s': %s", path,
			   ds_errno_text(errno, reason, sizeof(reason)));
		unlink(tmp);
		return DS_E_IO;
	}
	return DS_OK;
}

/* mkdir -p of the directory holding path. */
enum ds_code ds_os_mkdir_parents(const char *path, struct ds_err *err)
{
	enum ds_code result = DS_OK;
	char *dir = strdup(path), *slash;

	if (!dir)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		result = ds_os_mkdirs(dir, err);
	}
	free(dir);
	return result;
}

/* Milliseconds on the monotonic clock. */
long long ds_os_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
