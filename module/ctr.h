/*
 * ctr.h: containerd through its `ctr` client (containerd speaks gRPC,
 * not the Docker API): import a `docker save` stream into a namespace,
 * the way kind loads images into its nodes, and read back which config
 * an image name points to.  The client is DOCKSPACE_CTR (default
 * "ctr", found on PATH), always given --address and --namespace.
 *
 * While an import runs, SIGPIPE is ignored (a client that dies makes
 * the writes fail with EPIPE instead of killing make).
 *
 * Memory: struct ds_ctr_import is the caller's; ds_ctr_import_end
 * releases what begin took, whatever the result.
 */
#ifndef DS_CTR_H
#define DS_CTR_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

#include "buf.h"
#include "error.h"

struct ds_ctr_import {
	pid_t pid;
	int in;             /* write the archive here */
	int errfd;          /* the client's stderr */
	struct sigaction old_pipe;
	char where[512];    /* "containerd 'NS' at unix://SOCK", messages */
};

/* Start `ctr images import -` on socket sock, namespace ns. */
enum ds_code ds_ctr_import_begin(struct ds_ctr_import *imp, const char *ctr,
				 const char *sock, const char *ns,
				 struct ds_err *err);

/* A ds_http_sink_fn writing to the import's stdin (ctx: the import). */
int ds_ctr_import_write(void *ctx, const char *data, size_t len,
			struct ds_err *err);

/*
 * Close the import's stdin and wait for it (or, with abort, kill it
 * first: nothing complete was sent); a client that failed is DS_E_HTTP
 * with its last words.
 */
enum ds_code ds_ctr_import_end(struct ds_ctr_import *imp, int abort,
			       struct ds_err *err);

/*
 * The config digest ("sha256:...", the image ID of Docker's graph-driver
 * store) that image name (containerd's spelling, e.g.
 * "docker.io/library/api:1") has in namespace ns, into out (n bytes),
 * and the digest its name points to (its manifest or index: the image
 * ID of Docker's containerd image store) into target (n bytes); both ""
 * when the namespace has no such image.
 */
enum ds_code ds_ctr_image_config(const char *ctr, const char *sock,
				 const char *ns, const char *name, char *out,
				 char *target, size_t n, struct ds_err *err);

/*
 * Give image from (containerd's spelling) the name to as well, in
 * namespace ns (`ctr images tag --force`).
 */
enum ds_code ds_ctr_tag(const char *ctr, const char *sock, const char *ns,
			const char *from, const char *to, struct ds_err *err);

#endif
