/*
 * dest.h: where $(docker-handoff) sends images: the TO argument parsed.
 * Pure: no I/O.
 *
 * Forms:
 *   unix:///path.sock, tcp://host:port, ssh://[user@]host[:port][/sock]
 *                                        another Docker or Podman engine
 *   context:NAME                         the engine of docker context NAME
 *   containerd:///path.sock[?namespace=NS]   a containerd namespace, as
 *                                        kind nodes hold images (NS
 *                                        defaults to "default")
 *   file:PATH                            a `docker save` archive
 * Anything else is DS_E_ARG, the message saying what to give.
 *
 * Memory: ds_dest_parse fills a caller struct whose strings it owns;
 * ds_dest_free releases them (safe on a zeroed struct).
 */
#ifndef DS_DEST_H
#define DS_DEST_H

#include <stddef.h>

#include "error.h"

enum ds_dest_kind { DS_DEST_ENGINE, DS_DEST_CONTEXT, DS_DEST_CONTAINERD,
		    DS_DEST_FILE };

struct ds_dest {
	enum ds_dest_kind kind;
	char *text;        /* TO as given (trimmed): the ledger's key */
	char *host;        /* ENGINE: "unix:///x.sock" or "tcp://h:p" */
	char *context;     /* CONTEXT: the context's name */
	char *socket;      /* CONTAINERD: the socket path */
	char *ns;          /* CONTAINERD: the namespace */
	char *path;        /* FILE: the archive's path */
};

/* Parse TO into out (owned by the caller, see ds_dest_free). */
enum ds_code ds_dest_parse(struct ds_dest *out, const char *to,
			   struct ds_err *err);

/*
 * A readable name for messages into out (n bytes): "engine at 'URL'",
 * "context 'NAME'", "containerd 'NS' at unix:///PATH", "file 'PATH'".
 */
const char *ds_dest_describe(const char *to, char *out, size_t n);

/* Release what out owns. */
void ds_dest_free(struct ds_dest *d);

#endif
