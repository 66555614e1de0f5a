/* space.c: free space for the engine (see space.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "space.h"
#include "ssh.h"

/* statvfs(path) into out; errno-style failure as a ds error. */
static enum ds_code measure_path(const char *path, struct ds_space *out,
				 struct ds_err *err)
{
	struct statvfs st;
	char reason[128];

	if (statvfs(path, &st) != 0)
		return ds_err_set(err, errno == ENOENT ? DS_E_NOTFOUND
						       : DS_E_IO,
				  "cannot measure free space of '%s': %s",
				  path, ds_errno_text(errno, reason,
						      sizeof(reason)));
	out->free = (uint64_t)st.f_bavail * st.f_frsize;
	out->total = (uint64_t)st.f_blocks * st.f_frsize;
	out->mode = DS_SPACE_FS;
	out->store = DS_STORE_DATA_ROOT;
	snprintf(out->path, sizeof(out->path), "%s", path);
	out->host[0] = '\0';
	return DS_OK;
}

/* 1 when the n bytes at s are all digits (and there is one at least). */
static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return n > 0 && n < 20;
}

/* Read `df -P -k` output into bytes. */
int ds_space_parse_df(const char *text, uint64_t *free_bytes,
		      uint64_t *total_bytes)
{
	const char *line = strchr(text, '\n'), *tok[64];
	size_t len[64], n = 0, i;

	if (!line)
		return -1;
	line++;
	/* the fields of the second line (a device name may hold spaces) */
	while (*line && *line != '\n' && n < 64) {
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line || *line == '\n')
			break;
		tok[n] = line;
		while (*line && *line != ' ' && *line != '\t' && *line != '\n')
			line++;
		len[n] = (size_t)(line - tok[n]);
		n++;
	}
	/* TOTAL USED AVAIL CAPACITY%: the first such run from the left */
	for (i = 3; i < n; i++) {
		if (len[i] < 2 || tok[i][len[i] - 1] != '%' ||
		    !all_digits(tok[i], len[i] - 1) ||
		    !all_digits(tok[i - 1], len[i - 1]) ||
		    !all_digits(tok[i - 2], len[i - 2]) ||
		    !all_digits(tok[i - 3], len[i - 3]))
			continue;
		*total_bytes = strtoull(tok[i - 3], NULL, 10) * 1024;
		*free_bytes = strtoull(tok[i - 1], NULL, 10) * 1024;
		return 0;
	}
	return -1;
}

/* Free space of root on an ssh:// engine's host: df there, over ssh. */
static enum ds_code measure_ssh(struct ds_engine *e, const char *root,
				struct ds_space *out, struct ds_err *err)
{
	enum ds_code result;
	struct ds_buf text = DS_BUF_INIT;
	char *quoted = ds_ssh_quote(root);
	const char *words[] = { "df", "-P", "-k", "--", quoted, NULL };

	if (!quoted)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	result = ds_engine_ssh_run(e, words, &text, err);
	if (result != DS_OK)
		goto done;
	if (ds_space_parse_df(text.ptr ? text.ptr : "", &out->free,
			      &out->total) != 0) {
		result = ds_err_set(err, DS_E_PROTOCOL, "cannot measure free "
				    "space of '%s' on engine at '%s': df over "
				    "ssh said '%.80s'", root, ds_engine_url(e),
				    text.ptr ? text.ptr : "");
		goto done;
	}
	out->mode = DS_SPACE_SSH;
	snprintf(out->path, sizeof(out->path), "%s", root);
	snprintf(out->host, sizeof(out->host), "%s", ds_engine_url(e));
done:
	ds_buf_free(&text);
	free(quoted);
	return result;
}

/* Bytes the engine accounts for, from a /system/df summary. */
uint64_t ds_space_engine_used(const struct ds_df *df)
{
	int64_t used = 0;

	used += df->images.size > 0 ? df->images.size : 0;
	used += df->containers.size > 0 ? df->containers.size : 0;
	used += df->volumes.size > 0 ? df->volumes.size : 0;
	used += df->cache.size > 0 ? df->cache.size : 0;
	return (uint64_t)used;
}

/* free = budget - engine usage, never below zero. */
static enum ds_code measure_budget(struct ds_engine *e, uint64_t budget,
				   struct ds_space *out, struct ds_err *err)
{
	enum ds_code result;
	struct ds_df df = { 0 };
	uint64_t used;

	result = ds_engine_df(e, &df, 0, err);
	if (result != DS_OK)
		return result;
	used = ds_space_engine_used(&df);
	out->free = used < budget ? budget - used : 0;
	out->total = budget;
	out->mode = DS_SPACE_BUDGET;
	out->store = DS_STORE_DATA_ROOT;
	out->path[0] = '\0';
	out->host[0] = '\0';
	ds_model_df_free(&df);
	return DS_OK;
}

/* Where this host keeps the engine's images (store.h), looking up the
 * one fact /info may leave out: whether the system containerd runs. */
static void locate(const struct ds_info *info, struct ds_store *store)
{
	struct stat st;

	ds_store_locate(info, stat(DS_STORE_SYSTEM_SOCKET, &st) == 0, store);
}

/*
 * Where an ssh:// engine's host keeps its images: as locate(), with the
 * system containerd's socket looked for on that host (through ssh) only
 * when the answer depends on it.
 */
static enum ds_code locate_over_ssh(struct ds_engine *e,
				    const struct ds_info *info,
				    struct ds_store *store,
				    struct ds_err *err)
{
	enum ds_code result;
	struct ds_store other;
	struct ds_buf said = DS_BUF_INIT;
	const char *words[] = { "test", "-S", DS_STORE_SYSTEM_SOCKET, "&&",
				"echo", "yes", "||", "echo", "no", NULL };

	ds_store_locate(info, 0, store);
	ds_store_locate(info, 1, &other);
	if (strcmp(store->path, other.path) == 0 && store->kind == other.kind)
		return DS_OK;
	result = ds_engine_ssh_run(e, words, &said, err);
	if (result == DS_OK && said.ptr && strncmp(said.ptr, "yes", 3) == 0)
		*store = other;
	ds_buf_free(&said);
	return result;
}

/* Measure free space as described in space.h. */
enum ds_code ds_space_measure(struct ds_engine *e,
			      const struct ds_space_opts *opts,
			      struct ds_space *out, struct ds_err *err)
{
	enum ds_code result;
	const struct ds_info *info;
	struct ds_err local = DS_ERR_INIT;
	struct ds_space budget;
	struct ds_store store;

	if (opts->path)
		return measure_path(opts->path, out, err);
	if (!ds_engine_is_remote(e)) {
		result = ds_engine_info(e, &info, err);
		if (result != DS_OK)
			return result;
		locate(info, &store);
		if (!store.path[0])
			result = ds_err_set(&local, DS_E_PROTOCOL,
					    "engine at '%s' did not say where "
					    "it stores images",
					    ds_engine_url(e));
		else
			result = measure_path(store.path, out, &local);
		out->store = store.kind;
		if (result == DS_E_NOTFOUND && !opts->have_budget)
			return ds_err_set(err, DS_E_CONFIG,
					  "%s '%s' of engine at '%s' is "
					  "not on this host: set "
					  "DOCKSPACE_BUDGET to the space the "
					  "engine may use (e.g. 20G)",
					  ds_store_name(store.kind),
					  store.path, ds_engine_url(e));
		if (result != DS_OK && result != DS_E_NOTFOUND)
			return ds_err_set(err, result, "%s", local.msg);
		if (result == DS_OK && !opts->have_budget)
			return DS_OK;
		if (result != DS_OK) /* not here, but a budget is set */
			return measure_budget(e, opts->budget, out, err);
		result = measure_budget(e, opts->budget, &budget, err);
		if (result == DS_OK && budget.free < out->free)
			*out = budget;
		return result;
	}
	if (ds_engine_is_ssh(e)) {
		result = ds_engine_info(e, &info, err);
		if (result == DS_OK)
			result = locate_over_ssh(e, info, &store, err);
		if (result != DS_OK)
			return result;
		if (!store.path[0])
			return ds_err_set(err, DS_E_PROTOCOL,
					  "engine at '%s' did not say where "
					  "it stores images", ds_engine_url(e));
		result = measure_ssh(e, store.path, out, err);
		out->store = store.kind;
		if (result != DS_OK || !opts->have_budget)
			return result;
		result = measure_budget(e, opts->budget, &budget, err);
		if (result == DS_OK && budget.free < out->free)
			*out = budget;
		return result;
	}
	if (!opts->have_budget)
		return ds_err_set(err, DS_E_CONFIG,
				  "engine at '%s' is remote, so its free disk "
				  "cannot be measured here: set "
				  "DOCKSPACE_BUDGET to the space the engine "
				  "may use (e.g. 20G)", ds_engine_url(e));
	return measure_budget(e, opts->budget, out, err);
}
