/* store.c: where an engine's images are on its host (see store.h). */
#include <stdio.h>
#include <string.h>

#include "store.h"

/* 1 when /info describes Docker's containerd image store. */
int ds_store_is_containerd(const struct ds_info *info)
{
	return info->driver_type &&
	       strcmp(info->driver_type, "io.containerd.snapshotter.v1") == 0;
}

/* 1 when address is the system containerd's socket. */
static int system_address(const char *address)
{
	return strcmp(address, DS_STORE_SYSTEM_SOCKET) == 0 ||
	       strcmp(address, "/var" DS_STORE_SYSTEM_SOCKET) == 0 ||
	       strcmp(address, "unix://" DS_STORE_SYSTEM_SOCKET) == 0 ||
	       strcmp(address, "unix:///var" DS_STORE_SYSTEM_SOCKET) == 0;
}

/* Where the images are (see store.h). */
void ds_store_locate(const struct ds_info *info, int system_containerd,
		     struct ds_store *out)
{
	const char *root = info->root_dir ? info->root_dir : "";
	const char *address = info->containerd_address
			      ? info->containerd_address : "";

	out->kind = DS_STORE_DATA_ROOT;
	snprintf(out->path, sizeof(out->path), "%s", root);
	if (!ds_store_is_containerd(info))
		return;
	if (*address ? system_address(address) : system_containerd) {
		out->kind = DS_STORE_CONTAINERD_SYSTEM;
		snprintf(out->path, sizeof(out->path), "%s",
			 DS_STORE_SYSTEM_ROOT);
	} else if (*root) {
		out->kind = DS_STORE_CONTAINERD_DAEMON;
		snprintf(out->path, sizeof(out->path), "%s/containerd/daemon",
			 root);
	}
}

/* A name for messages. */
const char *ds_store_name(enum ds_store_kind kind)
{
	switch (kind) {
	case DS_STORE_CONTAINERD_SYSTEM:
		return "containerd root";
	case DS_STORE_CONTAINERD_DAEMON:
		return "containerd root (run by dockerd)";
	case DS_STORE_DATA_ROOT:
		break;
	}
	return "data root";
}

/* A key for JSON. */
const char *ds_store_key(enum ds_store_kind kind)
{
	return kind == DS_STORE_DATA_ROOT ? "data-root" : "containerd";
}
