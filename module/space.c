/* space.c: free space for the engine (see space.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "space.h"

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
	return DS_OK;
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
	if (!opts->have_budget)
		return ds_err_set(err, DS_E_CONFIG,
				  "engine at '%s' is remote, so its free disk "
				  "cannot be measured here: set "
				  "DOCKSPACE_BUDGET to the space the engine "
				  "may use (e.g. 20G)", ds_engine_url(e));
	return measure_budget(e, opts->budget, out, err);
}
