/* dest.c: the TO argument of $(docker-handoff) (see dest.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dest.h"

/* Longest TO accepted (paths and URLs). */
#define TO_MAX 4096

/* 1 when s starts with prefix. */
static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Parse "containerd:///PATH[?namespace=NS]" into d. */
static enum ds_code parse_containerd(struct ds_dest *d, const char *to,
				     struct ds_err *err)
{
	const char *p = to + strlen("containerd://"), *q = strchr(p, '?');
	size_t plen = q ? (size_t)(q - p) : strlen(p);
	const char *ns = "default";

	if (plen < 2 || p[0] != '/')
		return ds_err_set(err, DS_E_ARG, "invalid destination '%s': "
				  "give containerd's socket, e.g. "
				  "containerd:///run/containerd/"
				  "containerd.sock followed by "
				  "?namespace=k8s.io", to);
	if (q) {
		if (!starts(q + 1, "namespace=") ||
		    !q[1 + strlen("namespace=")] ||
		    strpbrk(q + 1 + strlen("namespace="), "&?/ "))
			return ds_err_set(err, DS_E_ARG, "invalid destination "
					  "'%s': the only query is "
					  "?namespace=NAME", to);
		ns = q + 1 + strlen("namespace=");
	}
	d->kind = DS_DEST_CONTAINERD;
	d->socket = strndup(p, plen);
	d->ns = strndup(ns, strlen(ns));
	if (!d->socket || !d->ns)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	return DS_OK;
}

/* Parse TO into out. */
enum ds_code ds_dest_parse(struct ds_dest *out, const char *to,
			   struct ds_err *err)
{
	enum ds_code result = DS_OK;
	size_t len;

	memset(out, 0, sizeof(*out));
	while (to && (*to == ' ' || *to == '\t'))
		to++;
	len = to ? strlen(to) : 0;
	while (len && (to[len - 1] == ' ' || to[len - 1] == '\t'))
		len--;
	if (!len)
		return ds_err_set(err, DS_E_ARG, "give where to hand the "
				  "images off, e.g. unix:///run/other.sock, "
				  "context:NAME, containerd:///run/containerd/"
				  "containerd.sock (then ?namespace=k8s.io) or "
				  "file:images.tar");
	if (len > TO_MAX || memchr(to, '\n', len) || memchr(to, '\t', len))
		return ds_err_set(err, DS_E_ARG, "invalid destination "
				  "'%.200s': at most %d characters, without "
				  "tabs or line feeds", to, TO_MAX);
	if (!(out->text = strndup(to, len)))
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	to = out->text;
	if (starts(to, "unix://") || starts(to, "tcp://") ||
	    starts(to, "ssh://")) {
		out->kind = DS_DEST_ENGINE;
		if (!(out->host = strndup(to, len)))
			result = ds_err_set(err, DS_E_NOMEM, "out of memory");
	} else if (starts(to, "context:")) {
		out->kind = DS_DEST_CONTEXT;
		if (!to[strlen("context:")] ||
		    strpbrk(to + strlen("context:"), "/ "))
			result = ds_err_set(err, DS_E_ARG, "invalid "
					    "destination '%s': give a docker "
					    "context's name, e.g. "
					    "context:cluster", to);
		else if (!(out->context = strndup(to + 8, len - 8)))
			result = ds_err_set(err, DS_E_NOMEM, "out of memory");
	} else if (starts(to, "containerd://")) {
		result = parse_containerd(out, to, err);
	} else if (starts(to, "file:")) {
		out->kind = DS_DEST_FILE;
		if (!to[strlen("file:")])
			result = ds_err_set(err, DS_E_ARG, "invalid "
					    "destination '%s': give the "
					    "archive's path, e.g. "
					    "file:images.tar", to);
		else if (!(out->path = strndup(to + 5, len - 5)))
			result = ds_err_set(err, DS_E_NOMEM, "out of memory");
	} else {
		result = ds_err_set(err, DS_E_ARG, "invalid destination "
				    "'%s': give unix://PATH, tcp://HOST:PORT, "
				    "ssh://HOST, context:NAME, containerd://PATH "
				    "(then ?namespace=NS) or file:PATH.tar", to);
	}
	if (result != DS_OK)
		ds_dest_free(out);
	return result;
}

/* A readable name for the destination TO. */
const char *ds_dest_describe(const char *to, char *out, size_t n)
{
	struct ds_dest d;

	if (ds_dest_parse(&d, to, NULL) != DS_OK) {
		snprintf(out, n, "'%s'", to);
		return out;
	}
	switch (d.kind) {
	case DS_DEST_ENGINE:
		snprintf(out, n, "the engine at '%s'", d.host);
		break;
	case DS_DEST_CONTEXT:
		snprintf(out, n, "docker context '%s'", d.context);
		break;
	case DS_DEST_CONTAINERD:
		snprintf(out, n, "containerd '%s' at unix://%s", d.ns,
			 d.socket);
		break;
	case DS_DEST_FILE:
		snprintf(out, n, "the archive '%s'", d.path);
		break;
	}
	ds_dest_free(&d);
	return out;
}

/* Release what d owns. */
void ds_dest_free(struct ds_dest *d)
{
	free(d->text);
	free(d->host);
	free(d->context);
	free(d->socket);
	free(d->ns);
	free(d->path);
	memset(d, 0, sizeof(*d));
}
