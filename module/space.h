/*
 * space.h: how much room the engine has.  An operation: asks the engine
 * (engine.h) and the local filesystem (statvfs), decides nothing else.
 *
 * Free space is f_bavail * f_frsize of the filesystem holding the
 * engine's images (store.h: the data root, DockerRootDir from /info,
 * Podman's graph root; or containerd's root for Docker's containerd
 * image store), or of an explicit path.  When the data root is not
 * on this host (a tcp:// engine, or a root that does not exist here),
 * budget mode applies: free = budget - bytes the engine accounts for
 * images, containers, volumes and build cache (never below 0).  With a
 * budget and a local root, the smaller of the two is free.
 *
 * An ssh:// engine's images are measured on its own host: the same
 * store.h decision (whether that host's system containerd socket exists
 * is asked through ssh, only when the decision depends on it), then
 * `df -P -k -- PATH` run there through ssh with the engine's ssh options
 * (mode DS_SPACE_SSH; KiB precision); the smaller of it and the budget
 * when DOCKSPACE_BUDGET is set too.  A tcp:// engine has no way to tell its
 * free disk (the Engine API reports none), so only budget mode applies
 * and without DOCKSPACE_BUDGET it is an error, never a measurement of
 * the wrong disk.
 */
#ifndef DS_SPACE_H
#define DS_SPACE_H

#include <stdint.h>

#include "engine.h"
#include "error.h"
#include "store.h"

struct ds_space_opts {
	const char *path;   /* measure this path instead, or NULL */
	uint64_t budget;    /* DOCKSPACE_BUDGET in bytes */
	int have_budget;
};

enum ds_space_mode { DS_SPACE_FS, DS_SPACE_BUDGET, DS_SPACE_SSH };

struct ds_space {
	uint64_t free;      /* bytes */
	uint64_t total;     /* filesystem size, or the budget */
	enum ds_space_mode mode;
	char path[1024];    /* the path measured ("" in budget mode) */
	enum ds_store_kind store; /* what path is (DATA_ROOT for a path
				     given, and in budget mode) */
	char host[256];     /* DS_SPACE_SSH: the engine measured over ssh */
};

/* Measure free space as described above. */
enum ds_code ds_space_measure(struct ds_engine *e,
			      const struct ds_space_opts *opts,
			      struct ds_space *out, struct ds_err *err);

/*
 * Read the output of POSIX `df -P -k PATH` (a header line, then one
 * line whose fields end "TOTAL USED AVAILABLE CAPACITY% MOUNTPOINT") into
 * bytes; 0, or -1 when it is not that.
 */
int ds_space_parse_df(const char *text, uint64_t *free_bytes,
		      uint64_t *total_bytes);

/* Bytes the engine accounts for, from a /system/df summary. */
uint64_t ds_space_engine_used(const struct ds_df *df);

#endif
