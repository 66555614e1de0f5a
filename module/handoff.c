/* handoff.c: move images to where they run (see handoff.h). */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctr.h"
#include "dest.h"
#include "handoff.h"
#include "ledger.h"
#include "model.h"
#include "os.h"
#include "ref.h"

/* One image being handed off. */
struct item {
	const char *ref;        /* as given */
	struct ds_image img;    /* from the source's inspect */
	const char **names;     /* what is asked for: every tag, or the ID */
	size_t n_names;
	int skip;               /* already handed off there and removed */
	int verified;
};

/* Say one line of progress. */
static void say(const struct ds_handoff_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say(const struct ds_handoff_opts *o, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (!o->say)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	o->say(o->say_ctx, line);
}

/* The verification decision (see handoff.h). */
enum ds_code ds_handoff_verify(const char *image, const char *want_id,
			       const char *const *tags,
			       const char *const *got, size_t n,
			       const char *dest, struct ds_err *err)
{
	size_t i;

	if (!n)
		return ds_err_set(err, DS_E_ARG, "nothing to verify of '%s' "
				  "at %s", image, dest);
	for (i = 0; i < n; i++) {
		if (!got[i] || !*got[i])
			return ds_err_set(err, DS_E_PROTOCOL, "'%s' of '%s' "
					  "is missing at %s", tags[i], image,
					  dest);
		if (strcmp(got[i], want_id) != 0)
			return ds_err_set(err, DS_E_PROTOCOL, "'%s' at %s is "
					  "%.19s, not %.19s", tags[i], dest,
					  got[i], want_id);
	}
	return DS_OK;
}

/* Wrap a phase's failure: phase, image, destination; nothing removed. */
static enum ds_code phase_failed(const char *phase, const char *image,
				 const char *dest, const struct ds_err *why,
				 struct ds_err *err)
{
	return ds_err_set(err, why->code ? why->code : DS_E_IO,
			  "hand-off of '%s' to %s failed at %s: %s; nothing "
			  "was removed from the source", image, dest, phase,
			  why->msg);
}

/* Resolve the getvar of context:NAME: DOCKER_CONTEXT=NAME, no HOST. */
struct ctx_vars {
	const struct ds_handoff_opts *o;
	const char *context;
};

/* A getvar that names the context and hides DOCKER_HOST. */
static char *context_getvar(void *ctx, const char *name)
{
	struct ctx_vars *v = ctx;

	if (strcmp(name, "DOCKER_HOST") == 0)
		return NULL;
	if (strcmp(name, "DOCKER_CONTEXT") == 0)
		return strdup(v->context);
	return v->o->getvar ? v->o->getvar(v->o->getvar_ctx, name) : NULL;
}

/* Connect to a destination engine (ENGINE or CONTEXT). */
static enum ds_code connect_dest(struct ds_engine **out,
				 const struct ds_dest *d,
				 const struct ds_handoff_opts *o,
				 struct ds_err *err)
{
	struct ds_endpoint ep = { 0 };
	struct ds_engine_opts eo = *o->engine_opts;
	struct ctx_vars v = { o, d->context };
	enum ds_code result;

	eo.cache_dir = NULL;
	if (d->kind == DS_DEST_ENGINE) {
		result = ds_endpoint_parse_host(&ep, d->host, "the destination",
						err);
		/* an ssh:// destination takes the same ssh options */
		if (result == DS_OK && ep.kind == DS_EP_SSH && o->getvar)
			ep.ssh_opts = o->getvar(o->getvar_ctx,
						"DOCKSPACE_SSH_OPTS");
	} else
		result = ds_endpoint_resolve(&ep, context_getvar, &v, err);
	if (result == DS_OK)
		result = ds_engine_connect(out, &ep, &eo, err);
	ds_endpoint_free(&ep);
	return result;
}

/* The image ID a reference names on an engine; "" when it has none. */
static enum ds_code id_on(struct ds_engine *e, const char *ref, char *id,
			  size_t n, struct ds_err *err)
{
	struct ds_image img = { 0 };
	struct ds_err local = DS_ERR_INIT;
	enum ds_code result;

	id[0] = '\0';
	result = ds_engine_image_inspect(e, ref, &img, &local);
	if (result == DS_OK)
		snprintf(id, n, "%s", img.id);
	else if (result == DS_E_NOTFOUND)
		result = DS_OK;
	else
		ds_err_set(err, result, "%s", local.msg);
	ds_model_image_free(&img);
	return result;
}

/* Where a destination says a name points: the image ID into id (n
 * bytes), "" when it has no such name. */
typedef enum ds_code (*id_lookup_fn)(void *ctx, const struct item *it,
				     const char *name, char *id, size_t n,
				     struct ds_err *err);

/* Verify one image: every name of it, looked up at the destination,
 * must name the image's ID (ds_handoff_verify). */
static enum ds_code verify_names(struct item *it, const char *dest,
				 id_lookup_fn lookup, void *ctx,
				 struct ds_err *err)
{
	char (*ids)[80] = calloc(it->n_names, sizeof(*ids));
	const char **got = calloc(it->n_names, sizeof(*got));
	enum ds_code result = DS_OK;
	size_t i;

	if (!ids || !got)
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
	for (i = 0; result == DS_OK && i < it->n_names; i++) {
		result = lookup(ctx, it, it->names[i], ids[i], sizeof(ids[i]),
				err);
		got[i] = ids[i];
	}
	if (result == DS_OK)
		result = ds_handoff_verify(it->ref, it->img.id, it->names, got,
					   it->n_names, dest, err);
	free(ids);
	free(got);
	return result;
}

/* id_lookup_fn on a destination engine. */
static enum ds_code engine_id(void *ctx, const struct item *it,
			      const char *name, char *id, size_t n,
			      struct ds_err *err)
{
	(void)it;
	return id_on(ctx, name, id, n, err);
}

/* Verify one image on a destination engine. */
static enum ds_code verify_engine(struct ds_engine *dst, struct item *it,
				  const char *dest, struct ds_err *err)
{
	return verify_names(it, dest, engine_id, dst, err);
}

/*
 * Podman names its images localhost/NAME in an archive, and containerd
 * keeps that name, which no pod asking for NAME finds: give each such
 * image its canonical name (docker.io/library/NAME:TAG) too.
 */
static enum ds_code name_as_asked(const struct ds_dest *d,
				  const struct ds_handoff_opts *o,
				  const struct item *it, struct ds_err *err)
{
	enum ds_code result = DS_OK;
	char name[DS_REF_MAX];
	size_t i;

	for (i = 0; result == DS_OK && i < it->img.n_tags; i++) {
		const char *raw = it->img.raw_tags[i];

		if (strncmp(raw, "localhost/", 10) != 0 ||
		    ds_ref_canonical(name, sizeof(name), it->img.tags[i], 1))
			continue;
		result = ds_ctr_tag(o->ctr, d->socket, d->ns, raw, name, err);
	}
	return result;
}

/*
 * The same for an engine: POST /images/localhost%2FNAME/tag with the
 * repository and tag of NAME (a Docker destination keeps Podman's
 * localhost/ name as it is).
 */
static enum ds_code engine_name_as_asked(struct ds_engine *dst,
					 const struct item *it,
					 struct ds_err *err)
{
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	struct ds_buf path = DS_BUF_INIT;
	enum ds_code result = DS_OK;
	size_t i, repo;

	for (i = 0; result == DS_OK && i < it->img.n_tags; i++) {
		const char *raw = it->img.raw_tags[i], *tag = it->img.tags[i];

		if (strncmp(raw, "localhost/", 10) != 0 ||
		    strncmp(tag, "localhost/", 10) == 0)
			continue;
		repo = ds_ref_repo_len(tag);
		ds_buf_reset(&path);
		if (ds_buf_puts(&path, "/images/") != DS_OK ||
		    ds_buf_url_escape(&path, raw, 0) != DS_OK ||
		    ds_buf_printf(&path, "/tag?repo=%.*s", (int)repo, tag)
		    != DS_OK ||
		    (tag[repo] == ':' &&
		     ds_buf_printf(&path, "&tag=%s", tag + repo + 1) != DS_OK)) {
			result = ds_err_set(err, DS_E_NOMEM, "out of memory");
			break;
		}
		result = ds_engine_call(dst, "POST", path.ptr, NULL, 0, &reply,
					err);
		ds_http_reply_free(&reply);
	}
	ds_buf_free(&path);
	return result;
}

/* A containerd destination and the hand-off's options. */
struct ctr_ctx {
	const struct ds_dest *d;
	const struct ds_handoff_opts *o;
};

/* id_lookup_fn in a containerd namespace: the image config the name's
 * target points to. */
static enum ds_code containerd_id(void *ctx, const struct item *it,
				  const char *name, char *id, size_t n,
				  struct ds_err *err)
{
	const struct ctr_ctx *c = ctx;
	char canonical[DS_REF_MAX], target[80];
	enum ds_code result;

	if (ds_ref_canonical(canonical, sizeof(canonical), name, 1) != 0)
		snprintf(canonical, sizeof(canonical), "%s", name);
	result = ds_ctr_image_config(c->o->ctr, c->d->socket, c->d->ns,
				     canonical, id, target, n, err);
	/* a source on Docker's containerd store: its ID is the manifest's
	 * (or index's) digest, the name's target here */
	if (result == DS_OK && target[0] && strcmp(target, it->img.id) == 0)
		snprintf(id, n, "%s", target);
	return result;
}

/* Verify one image in a containerd namespace. */
static enum ds_code verify_containerd(const struct ds_dest *d,
				      const struct ds_handoff_opts *o,
				      struct item *it, const char *dest,
				      struct ds_err *err)
{
	struct ctr_ctx c = { d, o };

	return verify_names(it, dest, containerd_id, &c, err);
}

/* Octal number of a tar header field. */
static unsigned long long tar_octal(const char *f, size_t n)
{
	unsigned long long v = 0;
	size_t i;

	for (i = 0; i < n && (f[i] == ' ' || f[i] == '0'); i++)
		;
	for (; i < n && f[i] >= '0' && f[i] <= '7'; i++)
		v = v * 8 + (unsigned long long)(f[i] - '0');
	return v;
}

/* Read the archive's manifest.json (top level) into b. */
static enum ds_code tar_manifest(int fd, const char *path, struct ds_buf *b,
				 struct ds_err *err)
{
	char h[512], reason[128];
	off_t at = 0;
	unsigned long long size;
	ssize_t got;

	for (;;) {
		got = pread(fd, h, sizeof(h), at);
		if (got != (ssize_t)sizeof(h) || !h[0])
			break;
		size = tar_octal(h + 124, 12);
		if (strncmp(h, "manifest.json", 100) == 0 && h[156] != '5') {
			char *text;

			if (size > ((size_t)16 << 20))
				break;
			text = malloc(size + 1);
			if (!text)
				return ds_err_set(err, DS_E_NOMEM, "out of "
						  "memory");
			got = pread(fd, text, size, at + 512);
			if (got == (ssize_t)size)
				ds_buf_add(b, text, size);
			free(text);
			if (got != (ssize_t)size)
				return ds_err_set(err, DS_E_IO, "cannot read "
						  "'%s': %s", path,
						  ds_errno_text(errno, reason,
						  sizeof(reason)));
			return DS_OK;
		}
		at += 512 + (off_t)((size + 511) / 512 * 512);
	}
	return ds_err_set(err, DS_E_PROTOCOL, "'%s' has no manifest.json",
			  path);
}

/* Verify the images in the archive just written. */
static enum ds_code verify_file(int fd, const char *path, struct item *items,
				size_t n, const char *dest,
				struct ds_err *err)
{
	struct ds_buf text = DS_BUF_INIT;
	struct ds_save_manifest m = { 0 };
	enum ds_code result;
	size_t i, j, k;

	result = tar_manifest(fd, path, &text, err);
	if (result == DS_OK)
		result = ds_model_parse_save_manifest(&m, text.ptr, text.len,
						      err);
	for (i = 0; result == DS_OK && i < n; i++) {
		const char **got;

		if (items[i].skip)
			continue;
		got = calloc(items[i].n_names, sizeof(*got));
		if (!got) {
			result = ds_err_set(err, DS_E_NOMEM, "out of memory");
			break;
		}
		for (j = 0; j < items[i].n_names; j++)
			for (k = 0; k < m.n && !got[j]; k++) {
				size_t t;

				if (items[i].img.n_tags == 0 &&
				    strcmp(m.ids[k], items[i].img.id) == 0)
					got[j] = m.ids[k];
				for (t = m.first[k]; t < m.first[k + 1]; t++)
					if (ds_ref_same(m.tags[t],
							items[i].names[j]))
						got[j] = m.ids[k];
			}
		result = ds_handoff_verify(items[i].ref, items[i].img.id,
					   items[i].names, got,
					   items[i].n_names, dest, err);
		free(got);
		items[i].verified = result == DS_OK;
	}
	ds_model_save_manifest_free(&m);
	ds_buf_free(&text);
	return result;
}

/* A ds_http_sink_fn writing to a file descriptor (ctx: int *). */
static int fd_sink(void *ctx, const char *data, size_t len,
		   struct ds_err *err)
{
	int fd = *(int *)ctx;
	char reason[128];
	ssize_t n;

	while (len) {
		n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ds_err_set(err, DS_E_IO, "cannot write the archive: %s",
				   ds_errno_text(errno, reason,
				   sizeof(reason)));
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Every name of every image still to go, in one list (the file:). */
static const char **all_names(struct item *items, size_t n, size_t *count)
{
	size_t i, j, k = 0, total = 0;
	const char **all;

	for (i = 0; i < n; i++)
		total += items[i].skip ? 0 : items[i].n_names;
	all = calloc(total + 1, sizeof(*all));
	for (i = 0; all && i < n; i++)
		for (j = 0; !items[i].skip && j < items[i].n_names; j++)
			all[k++] = items[i].names[j];
	*count = k;
	return all;
}

/* file:PATH: one archive of all the images, verified, then renamed. */
static enum ds_code to_file(struct ds_engine *src, const struct ds_dest *d,
			    struct item *items, size_t n, const char *dest,
			    const struct ds_handoff_opts *o,
			    struct ds_err *err)
{
	struct ds_err why = DS_ERR_INIT;
	struct ds_http_flow flow;
	struct ds_buf tmp = DS_BUF_INIT;
	const char **names;
	size_t count;
	enum ds_code result = DS_OK;
	int fd = -1;
	char reason[128];

	names = all_names(items, n, &count);
	if (!names || ds_buf_printf(&tmp, "%s.%ld.tmp", d->path,
				    (long)getpid()) != DS_OK) {
		free(names);
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	}
	if (!count)
		goto done;
	if (ds_os_mkdir_parents(d->path, &why) != DS_OK)
		goto failed_stream;
	fd = open(tmp.ptr, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		ds_err_set(&why, DS_E_IO, "cannot create '%s': %s", tmp.ptr,
			   ds_errno_text(errno, reason, sizeof(reason)));
		goto failed_stream;
	}
	say(o, "streaming %zu name%s into %s", count, count == 1 ? "" : "s",
	    dest);
	if (ds_engine_export(src, names, count, fd_sink, &fd, &flow,
			     &why) != DS_OK || fsync(fd) != 0) {
		if (!why.code)
			ds_err_set(&why, DS_E_IO, "cannot write '%s': %s",
				   tmp.ptr, ds_errno_text(errno, reason,
				   sizeof(reason)));
		goto failed_stream;
	}
	if (verify_file(fd, tmp.ptr, items, n, dest, &why) != DS_OK) {
		result = phase_failed("verify", items[0].ref, dest, &why, err);
		goto done;
	}
	if (rename(tmp.ptr, d->path) != 0) {
		ds_err_set(&why, DS_E_IO, "cannot rename '%s': %s", tmp.ptr,
			   ds_errno_text(errno, reason, sizeof(reason)));
		result = phase_failed("verify", items[0].ref, dest, &why, err);
	}
	goto done;
failed_stream:
	result = phase_failed("stream", items[0].ref, dest, &why, err);
done:
	if (fd >= 0)
		close(fd);
	if (result != DS_OK)
		unlink(tmp.ptr);
	ds_buf_free(&tmp);
	free(names);
	return result;
}

/* Stream and verify one image to an engine or containerd. */
static enum ds_code to_one(struct ds_engine *src, struct ds_engine *dst,
			   const struct ds_dest *d, struct item *it,
			   const char *dest, const struct ds_handoff_opts *o,
			   struct ds_err *err)
{
	struct ds_err why = DS_ERR_INIT;
	struct ds_http_flow flow = { 0 };
	struct ds_ctr_import imp;
	long long t0 = ds_os_mono_ms();
	enum ds_code result;

	/* already there, every name with the same ID: nothing to send */
	result = dst ? verify_engine(dst, it, dest, &why)
		     : verify_containerd(d, o, it, dest, &why);
	if (result == DS_OK) {
		it->verified = 1;
		say(o, "'%s' is at %s already: %zu name%s verified, not sent "
		    "again", it->ref, dest, it->n_names,
		    it->n_names == 1 ? "" : "s");
		return DS_OK;
	}
	ds_err_clear(&why);
	if (dst) {
		result = ds_engine_relay_images(src, dst, it->names,
						it->n_names, &flow, &why);
	} else {
		result = ds_ctr_import_begin(&imp, o->ctr, d->socket, d->ns,
					     &why);
		if (result == DS_OK) {
			struct ds_err client = DS_ERR_INIT;

			result = ds_engine_export(src, it->names, it->n_names,
						  ds_ctr_import_write, &imp,
						  &flow, &why);
			/* the source failed: stop ctr; ctr stopped reading (a
			 * broken pipe): its own words say why better */
			if (ds_ctr_import_end(&imp, result != DS_OK &&
					      flow.failed_side != 2,
					      &client) != DS_OK) {
				ds_err_clear(&why);
				result = ds_err_set(&why, client.code, "%s",
						    client.msg);
			}
		}
	}
	if (result != DS_OK)
		return phase_failed("stream", it->ref, dest, &why, err);
	if ((dst ? engine_name_as_asked(dst, it, &why)
		 : name_as_asked(d, o, it, &why)) != DS_OK)
		return phase_failed("stream", it->ref, dest, &why, err);
	say(o, "streamed '%s' (%s) to %s: %llu bytes in %lld ms, at most "
	    "%zu in memory", it->ref, ds_ref_bare_id(it->img.id), dest, flow.bytes,
	    ds_os_mono_ms() - t0, flow.peak_buffered);
	result = dst ? verify_engine(dst, it, dest, &why)
		     : verify_containerd(d, o, it, dest, &why);
	if (result != DS_OK)
		return phase_failed("verify", it->ref, dest, &why, err);
	it->verified = 1;
	say(o, "verified '%s' at %s: %zu name%s, same image ID", it->ref,
	    dest, it->n_names, it->n_names == 1 ? "" : "s");
	return DS_OK;
}

/* Ledger lines for the verified images (state copied or removed). */
static enum ds_code record(const struct item *items, size_t n,
			   struct ds_engine *src,
			   const struct ds_handoff_opts *o, int removed,
			   const int *gone, struct ds_err *err)
{
	struct ds_ledger_rec *recs;
	size_t i, j, k = 0, total = 0;
	char (*keys)[DS_REF_MAX];
	enum ds_code result;

	for (i = 0; i < n; i++)
		total += items[i].n_names;
	recs = calloc(total + 1, sizeof(*recs));
	keys = calloc(total + 1, sizeof(*keys));
	if (!recs || !keys) {
		free(recs);
		free(keys);
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		if (!items[i].verified || (removed && !gone[i]))
			continue;
		for (j = 0; j < items[i].n_names; j++, k++) {
			if (strncmp(items[i].names[j], "sha256:", 7) == 0 ||
			    ds_ref_canonical(keys[k], sizeof(keys[k]),
					     items[i].names[j], 1) != 0)
				snprintf(keys[k], sizeof(keys[k]), "%s",
					 items[i].names[j]);
			recs[k].when = (int64_t)time(NULL);
			recs[k].ref = keys[k];
			recs[k].id = items[i].img.id;
			recs[k].from = (char *)ds_engine_url(src);
			recs[k].to = (char *)o->to;
			recs[k].removed = removed;
		}
	}
	result = k ? ds_ledger_append(o->state_dir, recs, k, err) : DS_OK;
	free(recs);
	free(keys);
	return result;
}

/* Remove the verified images from the source, and what they held. */
static enum ds_code remove_source(struct ds_engine *src, struct item *items,
				  size_t n, const char *dest,
				  const struct ds_handoff_opts *o,
				  struct ds_err *err)
{
	struct ds_prune_opts po = DS_PRUNE_OPTS_INIT;
	struct ds_prune_result r;
	struct ds_space_opts none = { 0 };
	const char **ids = calloc(n + 1, sizeof(*ids));
	int *gone = calloc(n + 1, sizeof(*gone));
	enum ds_code result = DS_OK;
	size_t i, k = 0;
	char id[80];

	if (!ids || !gone) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < n; i++)
		if (items[i].verified)
			ids[k++] = items[i].img.id;
	if (!k)
		goto done;
	po.kinds = DS_PRUNE_IMAGES | DS_PRUNE_CACHE;
	po.only = ids;
	po.n_only = k;
	po.pins = o->pins;
	po.n_pins = o->n_pins;
	po.now = (int64_t)time(NULL);
	result = ds_prune_run(src, &po, o->space_opts ? o->space_opts : &none,
			      0, o->log, o->log_ctx, &r, err);
	if (result != DS_OK)
		goto done;
	for (i = 0; i < n && result == DS_OK; i++) {
		if (!items[i].verified)
			continue;
		result = id_on(src, items[i].img.id, id, sizeof(id), err);
		gone[i] = result == DS_OK && !id[0];
		if (result == DS_OK && !gone[i])
			say(o, "kept '%s' on the source: the prune did not "
			    "remove it (in use, pinned or protected)",
			    items[i].ref);
	}
	for (i = 0, k = 0; i < n; i++)
		k += gone[i];
	if (result == DS_OK)
		say(o, "removed %zu verified image%s from the source (now at "
		    "%s), with the build cache only %s held: %lld bytes "
		    "reclaimed (%zu object%s deleted)", k, k == 1 ? "" : "s",
		    dest, k == 1 ? "it" : "they", (long long)r.reclaimed,
		    r.deleted, r.deleted == 1 ? "" : "s");
	if (result == DS_OK)
		result = record(items, n, src, o, 1, gone, err);
done:
	free(ids);
	free(gone);
	return result;
}

/* Inspect each REF on the source; a removed one is explained. */
static enum ds_code inspect_all(struct ds_engine *src, char **refs,
				struct item *items, size_t n,
				const struct ds_ledger *ledger,
				const struct ds_handoff_opts *o,
				const char *dest, struct ds_err *err)
{
	struct ds_err why = DS_ERR_INIT;
	enum ds_code result = DS_OK;
	const struct ds_ledger_rec *rec;
	char msg[1024];
	size_t i, j;

	for (i = 0; i < n && result == DS_OK; i++) {
		items[i].ref = refs[i];
		result = ds_engine_image_inspect(src, refs[i], &items[i].img,
						 &why);
		rec = result == DS_E_NOTFOUND ? ds_ledger_find(ledger, refs[i])
					      : NULL;
		if (rec && rec->removed && strcmp(rec->to, o->to) == 0) {
			say(o, "'%s' was handed off to %s already and removed "
			    "here: nothing to do", refs[i], dest);
			items[i].skip = 1;
			ds_err_clear(&why);
			result = DS_OK;
			continue;
		}
		if (rec && rec->removed)
			return ds_err_set(err, DS_E_NOTFOUND, "%s",
					  ds_ledger_gone_text(rec, refs[i], msg,
							      sizeof(msg)));
		if (result != DS_OK)
			return phase_failed("inspect", refs[i], dest, &why,
					    err);
		items[i].n_names = items[i].img.n_tags ? items[i].img.n_tags
						       : 1;
		items[i].names = calloc(items[i].n_names,
					sizeof(*items[i].names));
		if (!items[i].names)
			return ds_err_set(err, DS_E_NOMEM, "out of memory");
		for (j = 0; j < items[i].img.n_tags; j++)
			items[i].names[j] = items[i].img.tags[j];
		if (!items[i].img.n_tags)
			items[i].names[0] = items[i].img.id;
	}
	return result;
}

/* Hand refs off from src to opts->to (see handoff.h). */
enum ds_code ds_handoff_run(struct ds_engine *src, char **refs, size_t n,
			    const struct ds_handoff_opts *o,
			    struct ds_buf *out, struct ds_err *err)
{
	struct ds_dest d;
	struct ds_ledger ledger = DS_LEDGER_INIT;
	struct ds_engine *dst = NULL;
	struct ds_err why = DS_ERR_INIT;
	struct item *items = NULL;
	enum ds_code result;
	char dest[700];
	size_t i;

	result = ds_dest_parse(&d, o->to, err);
	if (result != DS_OK)
		return result;
	ds_dest_describe(o->to, dest, sizeof(dest));
	items = calloc(n + 1, sizeof(*items));
	if (!items) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	result = ds_ledger_load(&ledger, o->state_dir, err);
	if (result == DS_OK)
		result = inspect_all(src, refs, items, n, &ledger, o, dest,
				     err);
	if (result != DS_OK)
		goto done;
	if (d.kind == DS_DEST_ENGINE || d.kind == DS_DEST_CONTEXT) {
		result = connect_dest(&dst, &d, o, &why);
		if (result != DS_OK) {
			result = phase_failed("connect", refs[0], dest, &why,
					      err);
			goto done;
		}
		if (strcmp(ds_engine_url(dst), ds_engine_url(src)) == 0) {
			result = ds_err_set(err, DS_E_ARG, "cannot hand off "
					    "to %s: it is the engine in use",
					    dest);
			goto done;
		}
	}
	if (d.kind == DS_DEST_FILE)
		result = to_file(src, &d, items, n, dest, o, err);
	for (i = 0; d.kind != DS_DEST_FILE && i < n && result == DS_OK; i++)
		if (!items[i].skip)
			result = to_one(src, dst, &d, &items[i], dest, o, err);
	if (result == DS_OK && d.kind == DS_DEST_FILE)
		say(o, "wrote and verified %s", dest);
	if (result == DS_OK)
		result = record(items, n, src, o, 0, NULL, err);
	if (result == DS_OK && o->prune_source)
		result = remove_source(src, items, n, dest, o, err);
	for (i = 0; result == DS_OK && i < n; i++)
		ds_buf_printf(out, "%s%s", out->len ? " " : "", refs[i]);
done:
	for (i = 0; items && i < n; i++) {
		free(items[i].names);
		ds_model_image_free(&items[i].img);
	}
	free(items);
	ds_engine_close(dst);
	ds_ledger_free(&ledger);
	ds_dest_free(&d);
	return result;
}

/* $(docker-where REF). */
enum ds_code ds_handoff_where(struct ds_engine *e, const char *ref,
			      const char *state_dir, struct ds_buf *out,
			      struct ds_err *err)
{
	struct ds_ledger ledger = DS_LEDGER_INIT;
	const struct ds_ledger_rec *rec;
	enum ds_code result = DS_OK;
	char id[80] = "";

	if (e)
		result = id_on(e, ref, id, sizeof(id), err);
	if (result != DS_OK)
		return result;
	if (id[0])
		return ds_buf_puts(out, "here") == DS_OK
		       ? DS_OK : ds_err_set(err, DS_E_NOMEM, "out of memory");
	result = ds_ledger_load(&ledger, state_dir, err);
	if (result == DS_OK && (rec = ds_ledger_find(&ledger, ref)) &&
	    ds_buf_puts(out, rec->to) != DS_OK)
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
	ds_ledger_free(&ledger);
	return result;
}

/* Replace an engine's "no image" with where the image went. */
int ds_handoff_explain(const char *state_dir, const char *ref,
		       struct ds_err *err)
{
	struct ds_ledger ledger = DS_LEDGER_INIT;
	const struct ds_ledger_rec *rec;
	char msg[1024];
	int found = 0;

	if (ds_ledger_load(&ledger, state_dir, NULL) == DS_OK &&
	    (rec = ds_ledger_find(&ledger, ref)) && rec->removed) {
		ds_ledger_gone_text(rec, ref, msg, sizeof(msg));
		ds_err_clear(err);
		ds_err_set(err, DS_E_NOTFOUND, "%s", msg);
		found = 1;
	}
	ds_ledger_free(&ledger);
	return found;
}
