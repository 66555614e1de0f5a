/*
 * store.h: which directory of the engine's host holds its images, so
 * that free space is measured on the filesystem they are really on.
 * Pure: decides from /info (and one fact about the host the caller
 * looked up); no I/O.
 *
 * - Docker with a graph driver (overlay2, ...; 20.10 to 28 by default)
 *   and Podman: the data root, /info DockerRootDir (Podman reports its
 *   graph root there).
 * - Docker's containerd image store (29's default on fresh installs):
 *   /info says Driver "overlayfs" and DriverStatus
 *   [["driver-type","io.containerd.snapshotter.v1"]].  Image content
 *   and snapshots live under containerd's root, not DockerRootDir:
 *   - the system containerd (dockerd uses it when
 *     /run/containerd/containerd.sock exists; /info's Containerd.Address
 *     says so from API 1.46): its default root, /var/lib/containerd;
 *   - a containerd dockerd starts itself (any other address, under its
 *     exec root): DockerRootDir/containerd/daemon.
 *   Without Containerd.Address (API below 1.46), system_containerd says
 *   whether the system socket exists on this host, as dockerd decides.
 *   A system containerd configured with another root (containerd's
 *   config.toml `root`) is not visible through the API: give
 *   $(docker-space UNIT,PATH) the right place then.
 */
#ifndef DS_STORE_H
#define DS_STORE_H

#include "model.h"

#define DS_STORE_SYSTEM_SOCKET "/run/containerd/containerd.sock"
#define DS_STORE_SYSTEM_ROOT "/var/lib/containerd"

enum ds_store_kind {
	DS_STORE_DATA_ROOT,          /* DockerRootDir */
	DS_STORE_CONTAINERD_SYSTEM,  /* /var/lib/containerd */
	DS_STORE_CONTAINERD_DAEMON   /* DockerRootDir/containerd/daemon */
};

struct ds_store {
	enum ds_store_kind kind;
	char path[1024];             /* "" when /info has no data root */
};

/* 1 when /info describes Docker's containerd image store. */
int ds_store_is_containerd(const struct ds_info *info);

/* Where the images of the engine /info describes are (see above). */
void ds_store_locate(const struct ds_info *info, int system_containerd,
		     struct ds_store *out);

/* "data root", "containerd root" or "containerd root (run by dockerd)":
 * a static string for messages and $(docker-usage). */
const char *ds_store_name(enum ds_store_kind kind);

/* "data-root", "containerd": a static key for JSON. */
const char *ds_store_key(enum ds_store_kind kind);

#endif
