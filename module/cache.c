/* cache.c: engine replies kept between make runs (see cache.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "sha256.h"

#define MAGIC "dockspace-cache 2\n"

/* Serialise an entry. */
enum ds_code ds_cache_format(struct ds_buf *out,
			     const struct ds_cache_entry *e)
{
	enum ds_code result;

	result = ds_buf_printf(out, MAGIC "id %s\napi %s\npodman %d\n"
			       "df-time %" PRId64 "\ndf-running %d\n"
			       "buildkit %" PRId64 "\ninfo %zu\n", e->id,
			       e->server_api, e->podman, e->df_time,
			       e->df_running, e->buildkit, e->info.len);
	if (result == DS_OK)
		result = ds_buf_add(out, e->info.ptr,
				    e->info.len);
	if (result == DS_OK)
		result = ds_buf_printf(out, "\ndf %zu\n", e->df.len);
	if (result == DS_OK)
		result = ds_buf_add(out, e->df.ptr, e->df.len);
	return result;
}

/* Read "KEY VALUE\n" at *p into value (n bytes); -1 when it is not. */
static int field(const char **p, const char *end, const char *key,
		 char *value, size_t n)
{
	size_t klen = strlen(key), vlen;
	const char *nl;

	if ((size_t)(end - *p) <= klen + 1 || strncmp(*p, key, klen) != 0 ||
	    (*p)[klen] != ' ')
		return -1;
	*p += klen + 1;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	if (!nl || (vlen = (size_t)(nl - *p)) >= n)
		return -1;
	memcpy(value, *p, vlen);
	value[vlen] = '\0';
	*p = nl + 1;
	return 0;
}

/* Read a number field. */
static int number(const char **p, const char *end, const char *key,
		  int64_t *out)
{
	char v[32], *e;

	if (field(p, end, key, v, sizeof(v)) != 0)
		return -1;
	errno = 0;
	*out = strtoll(v, &e, 10);
	return errno || e == v || *e ? -1 : 0;
}

/* Read a "KEY LEN\n" header and LEN bytes into b. */
static int blob(const char **p, const char *end, const char *key,
		struct ds_buf *b)
{
	int64_t len;

	if (number(p, end, key, &len) != 0 || len < 0 ||
	    len > end - *p)
		return -1;
	if (len && ds_buf_add(b, *p, (size_t)len) != DS_OK)
		return -1;
	*p += len;
	return 0;
}

/* Parse a serialised entry. */
int ds_cache_parse(struct ds_cache_entry *e, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	int64_t podman, running;

	ds_cache_entry_free(e);
	if (len < strlen(MAGIC) || strncmp(p, MAGIC, strlen(MAGIC)) != 0)
		goto bad;
	p += strlen(MAGIC);
	if (field(&p, end, "id", e->id, sizeof(e->id)) != 0 ||
	    field(&p, end, "api", e->server_api, sizeof(e->server_api)) ||
	    number(&p, end, "podman", &podman) != 0 ||
	    number(&p, end, "df-time", &e->df_time) != 0 ||
	    number(&p, end, "df-running", &running) != 0 ||
	    number(&p, end, "buildkit", &e->buildkit) != 0 ||
	    blob(&p, end, "info", &e->info) != 0 || p >= end || *p++ != '\n' ||
	    blob(&p, end, "df", &e->df) != 0 || p != end)
		goto bad;
	e->podman = podman != 0;
	e->df_running = running != 0;
	return 0;
bad:
	ds_cache_entry_free(e);
	return -1;
}

/* The cache file for an endpoint; -1 when dir is not private. */
int ds_cache_path(char *path, size_t n, const char *dir,
		  const char *endpoint)
{
	struct stat st;
	char hex[65];

	if (!dir || !*dir)
		return -1;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return -1;
	if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 077))
		return -1;
	ds_sha256_hex(endpoint, strlen(endpoint), hex);
	return snprintf(path, n, "%s/%.32s", dir, hex) < (int)n ? 0 : -1;
}

/* Load the file at path into e. */
int ds_cache_load(struct ds_cache_entry *e, const char *path)
{
	struct ds_buf b = DS_BUF_INIT;
	int rc = -1;

	if (ds_buf_read_file(&b, path, NULL) == DS_OK)
		rc = ds_cache_parse(e, b.ptr, b.len);
	ds_buf_free(&b);
	return rc;
}

/* Write e to path atomically. */
int ds_cache_store(const struct ds_cache_entry *e, const char *path)
{
	struct ds_buf b = DS_BUF_INIT, tmp = DS_BUF_INIT;
	int fd = -1, rc = -1;

	if (ds_cache_format(&b, e) != DS_OK ||
	    ds_buf_printf(&tmp, "%s.%ld.tmp", path, (long)getpid()) != DS_OK)
		goto done;
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		goto done;
	if (write(fd, b.ptr, b.len) == (ssize_t)b.len && close(fd) == 0 &&
	    rename(tmp.ptr, path) == 0)
		rc = 0;
	else
		unlink(tmp.ptr);
	fd = -1;
done:
	if (fd >= 0)
		close(fd);
	ds_buf_free(&b);
	ds_buf_free(&tmp);
	return rc;
}

/* Newest mtime of BuildKit's databases under the data root, or -1. */
int64_t ds_cache_buildkit_stamp(const char *root_dir)
{
	static const char *const files[] = { "buildkit/metadata_v2.db",
		"buildkit/cache.db", "buildkit/snapshots.db",
		"buildkit/containerdmeta.db" };
	struct stat st;
	char path[4096];
	int64_t newest = -1;
	size_t i;

	if (!root_dir || !*root_dir)
		return -1;
	/* the directory must be readable: else changes cannot be seen */
	snprintf(path, sizeof(path), "%s/buildkit", root_dir);
	if (stat(path, &st) != 0 || access(path, R_OK | X_OK) != 0)
		return -1;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int64_t t;

		snprintf(path, sizeof(path), "%s/%s", root_dir, files[i]);
		if (stat(path, &st) != 0)
			continue;
		t = (int64_t)st.st_mtim.tv_sec * 1000000000 +
		    st.st_mtim.tv_nsec;
		if (t > newest)
			newest = t;
	}
	return newest < 0 ? 0 : newest;
}

/* Release what the entry owns. */
void ds_cache_entry_free(struct ds_cache_entry *e)
{
	ds_buf_free(&e->info);
	ds_buf_free(&e->df);
	e->id[0] = e->server_api[0] = '\0';
	e->podman = e->df_running = 0;
	e->df_time = 0;
	e->buildkit = -1;
}
