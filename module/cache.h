/*
 * cache.h: what an engine said, kept between make runs while it cannot
 * have changed.  One file per endpoint in a private directory.
 *
 * Kept: the daemon's identity (peer.h), its API version and kind, the
 * raw /info reply (none of it changes without a restart, which changes
 * the identity), and the last raw /system/df reply with when it was
 * asked, whether containers were running, and the BuildKit database's
 * stamp.  engine.c decides when these may be reused.
 *
 * A cache is a help, never a source of errors: a missing, damaged or
 * foreign file is simply not used, and a directory that is not private
 * (owned by us, mode 0700) is not used at all.
 *
 * Memory: an entry owns its buffers; ds_cache_entry_free releases them.
 */
#ifndef DS_CACHE_H
#define DS_CACHE_H

#include <stdint.h>

#include "buf.h"

struct ds_cache_entry {
	char id[192];          /* daemon identity */
	char server_api[32];   /* the engine's Api-Version */
	int podman;
	struct ds_buf info;    /* raw /info reply; empty when not kept */
	struct ds_buf df;      /* raw /system/df reply; empty when not kept */
	int64_t df_time;       /* when that df was asked, unix nanoseconds */
	int df_running;        /* containers were running then */
	int64_t buildkit;      /* BuildKit database stamp then, -1 unknown */
};

#define DS_CACHE_ENTRY_INIT { "", "", 0, DS_BUF_INIT, DS_BUF_INIT, 0, 0, -1 }

/* Serialise an entry (appended to out). */
enum ds_code ds_cache_format(struct ds_buf *out,
			     const struct ds_cache_entry *e);

/* Parse a serialised entry; -1 (and an empty entry) when not valid. */
int ds_cache_parse(struct ds_cache_entry *e, const char *text, size_t len);

/*
 * The cache file for an endpoint in dir (created 0700 when missing), in
 * path (n bytes); -1 when dir cannot be used privately.
 */
int ds_cache_path(char *path, size_t n, const char *dir,
		  const char *endpoint);

/* Load the file at path into e; -1 when absent or not valid. */
int ds_cache_load(struct ds_cache_entry *e, const char *path);

/* Write e to path atomically (a temporary file, then rename); -1 on failure. */
int ds_cache_store(const struct ds_cache_entry *e, const char *path);

/* A stamp of BuildKit's databases under the data root (newest mtime in
 * nanoseconds), or -1 when they cannot be read. */
int64_t ds_cache_buildkit_stamp(const char *root_dir);

void ds_cache_entry_free(struct ds_cache_entry *e);

#endif
