/*
 * platforms.h: which platforms a build targets, and which of them would
 * run under emulation on this host.
 *
 * The list is PLATFORMS (default linux/amd64), plus linux/arm64 when the
 * build is a release (RELEASE=1, or the current git commit is tagged),
 * without duplicates, in order.
 */
#ifndef DS_PLATFORMS_H
#define DS_PLATFORMS_H

#include "buf.h"
#include "error.h"

/*
 * Append the platforms (blank-separated) to out; requested may be NULL
 * or empty for the default.  Each platform must look like os/arch.
 */
enum ds_code ds_platforms_pick(struct ds_buf *out, const char *requested,
			       int release, struct ds_err *err);

/*
 * Append to out the platforms of list whose architecture differs from
 * host_arch (a uname -m value such as "x86_64" or "aarch64").
 */
enum ds_code ds_platforms_emulated(struct ds_buf *out, const char *list,
				   const char *host_arch);

/* Append the host's platform as docker names it: "linux/amd64" on an
 * x86_64 host, "linux/arm64" on aarch64. */
enum ds_code ds_platforms_native(struct ds_buf *out);

/* The host's architecture as uname -m says it ("x86_64"); static. */
const char *ds_platforms_host_arch(void);

/* 1 when the git commit checked out in the current directory is tagged. */
int ds_platforms_head_is_tagged(void);

#endif
