/*
 * endpoint.h: where the engine is, resolved as the docker CLI does.
 *
 * Order: DOCKER_HOST (unix://PATH, tcp://HOST[:PORT], bare HOST:PORT),
 * then DOCKER_CONTEXT, then "currentContext" in $DOCKER_CONFIG/
 * config.json (DOCKER_CONFIG defaults to $HOME/.docker), read from the
 * context store contexts/meta/<sha256 hex of name>/meta.json; the
 * context "default" and no setting at all give unix:///var/run/docker.sock.
 *
 * TLS for tcp:// from the environment: DOCKER_TLS_VERIFY set to any
 * non-empty value means TLS with verification; otherwise a non-empty
 * DOCKER_TLS means TLS without verification.  Certificates come from
 * DOCKER_CERT_PATH (default $DOCKER_CONFIG): ca.pem, cert.pem, key.pem,
 * each used when the file exists.  Default port 2375, with TLS too (as
 * the CLI);
 * TLS asked for with no host at all means tcp://localhost:2376.
 * For a context: its SkipTLSVerify, and contexts/tls/<hash>/docker/
 * {ca,cert,key}.pem when present (TLS is on when the host is tcp:// and
 * any of the TLS files exists or SkipTLSVerify is true, as the CLI).
 *
 * ssh://[USER@]HOST[:PORT][/SOCKET] (from DOCKER_HOST or a context) is
 * reached as the CLI does: `ssh [-l USER] [-p PORT] -- HOST docker
 * [--host unix://SOCKET] system dial-stdio` (http.c runs it); a password,
 * a query or a fragment in it is DS_E_CONFIG.  DOCKSPACE_SSH_OPTS (white
 * space separated ssh options, e.g. "-i KEY -o UserKnownHostsFile=F")
 * is kept in ssh_opts for ssh endpoints.
 *
 * npipe:// and fd:// are DS_E_UNSUPPORTED with a message saying what to
 * do instead.  Anything else malformed is DS_E_CONFIG and names
 * the variable or file it came from.
 *
 * Environment values are read through a callback so tests can feed
 * them (the make glue reads make variables, which include the process
 * environment).
 */
#ifndef DS_ENDPOINT_H
#define DS_ENDPOINT_H

#include "error.h"

enum ds_endpoint_kind { DS_EP_UNIX, DS_EP_TCP, DS_EP_SSH };

struct ds_endpoint {
	enum ds_endpoint_kind kind;
	char *url;        /* "unix:///path", "tcp://host:port" or
			     "ssh://[user@]host[:port][/path]" */
	char *unix_path;  /* DS_EP_UNIX: socket path, else NULL */
	char *host;       /* DS_EP_TCP, DS_EP_SSH: host name or address */
	int port;         /* DS_EP_TCP; DS_EP_SSH: 0 = ssh's default */
	int tls;          /* DS_EP_TCP: use https */
	int tls_verify;   /* verify the server's certificate */
	char *ca_file;    /* NULL when none */
	char *cert_file;  /* NULL when none */
	char *key_file;   /* NULL when none */
	char *cert_dir;   /* TLS: where the pem files were looked for */
	char *source;     /* where it came from: "DOCKER_HOST",
			     "context 'NAME'", "default" */
	char *ssh_user;   /* DS_EP_SSH: login name, or NULL for ssh's */
	char *ssh_path;   /* DS_EP_SSH: remote engine socket, or NULL */
	char *ssh_opts;   /* DS_EP_SSH: DOCKSPACE_SSH_OPTS, or NULL */
};

/*
 * Return a malloc'd copy of the variable's value, or NULL when it is
 * unset or empty.
 */
typedef char *(*ds_getvar_fn)(void *ctx, const char *name);

/* Resolve the endpoint; out is filled and owned by the caller. */
enum ds_code ds_endpoint_resolve(struct ds_endpoint *out,
				 ds_getvar_fn getvar, void *ctx,
				 struct ds_err *err);

/*
 * Parse one host string ("unix:///x.sock", "tcp://h:2376", "h:2375",
 * "ssh://u@h:22"),
 * as found in DOCKER_HOST or a context; from names the source for
 * messages.  TLS fields are left 0/NULL.
 */
enum ds_code ds_endpoint_parse_host(struct ds_endpoint *out,
				    const char *host, const char *from,
				    struct ds_err *err);

/* Release what the endpoint points to; safe on a zeroed struct. */
void ds_endpoint_free(struct ds_endpoint *ep);

#endif
