/*
 * fn_images.c: make functions about images (see fns.h):
 *   $(docker-image-size REF)                the image's bytes
 *   $(docker-untag REF...)                  remove tags (never forced)
 *   $(docker-layers REF[,N][,json])         its N largest layers, hinted
 *   $(docker-sizes-report SVC[=REF[|REF...]]...)
 *                                           services against their limits
 * Engine replies are parsed by model.c; lists, hints and tables are
 * made by the pure layers.c, hints.c and sizes.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ci.h"
#include "fns.h"
#include "handoff.h"
#include "os.h"
#include "hints.h"
#include "layers.h"
#include "names.h"
#include "sizes.h"
#include "units.h"
#include "state.h"
#include "words.h"

/* Inspect the image ref (ds_model_image_free the result). */
static enum ds_code inspect(struct ds_engine *e, const char *ref,
			    struct ds_image *img, struct ds_err *err)
{
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	enum ds_code result;

	memset(img, 0, sizeof(*img));
	result = ds_engine_image_get(e, ref, "json", &reply, err);
	if (result == DS_OK)
		result = ds_model_parse_image_inspect(img, reply.body.ptr,
						      reply.body.len, err);
	ds_http_reply_free(&reply);
	return result;
}

/* The top largest layers of the image ref (ds_layers_free them). */
static enum ds_code top_layers(struct ds_engine *e, const char *ref,
			       size_t top, uint64_t context_size,
			       struct ds_layer **list, size_t *n,
			       struct ds_err *err)
{
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	struct ds_history *history = NULL;
	size_t n_history = 0;
	enum ds_code result;

	*list = NULL;
	*n = 0;
	result = ds_engine_image_get(e, ref, "history", &reply, err);
	if (result == DS_OK)
		result = ds_model_parse_history(&history, &n_history,
						reply.body.ptr, reply.body.len,
						err);
	if (result == DS_OK)
		result = ds_layers_top(list, n, history, n_history, top,
				       context_size, err);
	ds_model_history_free(history, n_history);
	ds_http_reply_free(&reply);
	return result;
}

/*
 * An image the engine does not have: when the hand-off ledger in the
 * state directory says it was handed off and removed, say where it went
 * instead of the engine's "no image" (handoff.h).
 */
static void explain_gone(const struct ds_call *call, const char *ref,
			 struct ds_err *err)
{
	char *dir;

	if (!ref || err->code != DS_E_NOTFOUND)
		return;
	dir = ds_call_state_dir(call);
	if (dir)
		ds_handoff_explain(dir, ref, err);
	free(dir);
}

/* $(docker-image-size REF): the image's size in bytes. */
static enum ds_code fn_image_size(const struct ds_call *call,
				  unsigned int argc, char **argv,
				  struct ds_buf *out, struct ds_err *err)
{
	struct ds_engine *e = NULL;
	struct ds_image img;
	char *ref = ds_arg(argc, argv, 0);

	memset(&img, 0, sizeof(img));
	if (!ref)
		ds_err_set(err, DS_E_ARG, "give an image reference, e.g. "
			   "$(docker-image-size myapp:latest)");
	else if (call->engine(&e, err) == DS_OK &&
		 inspect(e, ref, &img, err) == DS_OK)
		ds_buf_printf(out, "%" PRId64, img.size);
	explain_gone(call, ref, err);
	ds_model_image_free(&img);
	free(ref);
	return err->code;
}

/* DELETE /images/{ref} (not forced): the tag goes, and the image with
 * its last tag unless a container uses it. */
static enum ds_code untag(struct ds_engine *e, const char *ref,
			  struct ds_err *err)
{
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	struct ds_buf path = DS_BUF_INIT;
	struct ds_err local = DS_ERR_INIT;
	enum ds_code result;

	if (ds_buf_puts(&path, "/images/") != DS_OK ||
	    ds_buf_url_escape(&path, ref, 0) != DS_OK) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	result = ds_engine_call(e, "DELETE", path.ptr, NULL, 0, &reply,
				&local);
	if (result != DS_OK) {
		ds_err_set(err, result, "cannot remove the tag '%s': %s", ref,
			   local.msg);
		if (err && err->code == result)
			err->status = local.status;
	}
done:
	ds_http_reply_free(&reply);
	ds_buf_free(&path);
	return result;
}

/*
 * $(docker-untag REF...): remove each tag, one request per reference,
 * in order, never forced (an image a container uses keeps its tag: an
 * error).  Stops at the first failure.  Expands to nothing.
 */
static enum ds_code fn_untag(const struct ds_call *call, unsigned int argc,
			     char **argv, struct ds_buf *out,
			     struct ds_err *err)
{
	struct ds_engine *e = NULL;
	char *refs = ds_arg(argc, argv, 0);
	const char *cursor = refs, *w;
	size_t len;

	(void)out;
	if (!refs || ds_is_blank(refs)) {
		ds_err_set(err, DS_E_ARG, "give one or more image references, "
			   "e.g. $(docker-untag myapp:1 myapp:latest)");
		goto done;
	}
	if (call->engine(&e, err) != DS_OK)
		goto done;
	while ((w = ds_word_next(&cursor, &len)) != NULL) {
		char *ref = strndup(w, len);

		if (!ref) {
			ds_err_set(err, DS_E_NOMEM, "out of memory");
			break;
		}
		untag(e, ref, err);
		free(ref);
		if (err->code != DS_OK)
			break;
	}
done:
	free(refs);
	return err->code;
}

/* Parse N of docker-layers: a whole number from 1. */
static enum ds_code parse_count(const char *s, size_t *out,
				struct ds_err *err)
{
	size_t v = 0;
	const char *p;

	for (p = s; *p >= '0' && *p <= '9' && v < 1000000; p++)
		v = v * 10 + (size_t)(*p - '0');
	if (*p || p == s || v == 0)
		return ds_err_set(err, DS_E_ARG, "invalid count '%s': give a "
				  "whole number of layers from 1, e.g. "
				  "$(docker-layers myapp:latest,10)", s);
	*out = v;
	return DS_OK;
}

/* $(docker-layers REF[,N][,json]): the N largest layers with hints. */
static enum ds_code fn_layers(const struct ds_call *call, unsigned int argc,
			      char **argv, struct ds_buf *out,
			      struct ds_err *err)
{
	struct ds_engine *e = NULL;
	struct ds_layer *list = NULL;
	size_t n = 0, top = DS_LAYERS_DEFAULT_TOP;
	uint64_t context_size = DS_HINT_CONTEXT_SIZE;
	char *ref = ds_arg(argc, argv, 0), *a1 = ds_arg(argc, argv, 1);
	char *a2 = ds_arg(argc, argv, 2), *format = NULL;
	int json = 0;

	/* $(docker-layers REF,json) is $(docker-layers REF,,json) */
	if (a1 && !a2 && (strcmp(a1, "json") == 0 ||
			  strcmp(a1, "text") == 0)) {
		format = a1;
		a1 = NULL;
	} else {
		format = a2;
		a2 = NULL;
	}
	if (!ref)
		ds_err_set(err, DS_E_ARG, "give an image reference, e.g. "
			   "$(docker-layers myapp:latest)");
	if (err->code == DS_OK && a1)
		parse_count(a1, &top, err);
	if (err->code == DS_OK && format && strcmp(format, "json") != 0 &&
	    strcmp(format, "text") != 0)
		ds_err_set(err, DS_E_ARG, "unknown format '%s': use 'text' or "
			   "'json'", format);
	json = format && strcmp(format, "json") == 0;
	if (err->code == DS_OK &&
	    ds_call_size(call, "DOCKSPACE_HINT_CONTEXT_SIZE",
			 DS_HINT_CONTEXT_SIZE, &context_size, NULL, NULL,
			 err) == DS_OK &&
	    call->engine(&e, err) == DS_OK &&
	    top_layers(e, ref, top, context_size, &list, &n, err) == DS_OK &&
	    (json ? ds_layers_json(out, list, n)
		  : ds_layers_text(out, list, n)) != DS_OK)
		ds_err_set(err, DS_E_NOMEM, "out of memory");
	explain_gone(call, ref, err);
	ds_layers_free(list, n);
	free(ref);
	free(a1);
	free(a2);
	free(format);
	return err->code;
}

/* One service of docker-sizes-report, and what its row borrows. */
struct service {
	char *name;
	char **refs;         /* candidates, in order */
	size_t n_refs;
	char *limit_text;    /* <name>_SIZE_LIMIT, or NULL */
	uint64_t limit;
	char *id;            /* the image found, or NULL */
	const char *ref;     /* the candidate found (or the first) */
};

/* Release one service. */
static void service_clear(struct service *s)
{
	size_t i;

	free(s->name);
	for (i = 0; i < s->n_refs; i++)
		free(s->refs[i]);
	free(s->refs);
	free(s->limit_text);
	free(s->id);
	memset(s, 0, sizeof(*s));
}

/* Parse the word "SVC[=REF[|REF...]]" into s (no REF: SVC itself). */
static enum ds_code parse_service(const char *word, size_t len,
				  struct service *s, struct ds_err *err)
{
	const char *eq = memchr(word, '=', len);
	size_t name_len = eq ? (size_t)(eq - word) : len;
	const char *p = eq ? eq + 1 : word, *end = word + len;

	memset(s, 0, sizeof(*s));
	if (name_len == 0)
		return ds_err_set(err, DS_E_ARG, "invalid service '%.*s': "
				  "give SERVICE or SERVICE=IMAGE",
				  (int)len, word);
	if (ds_check_length("service name", word, name_len,
			    DS_SERVICE_NAME_MAX, err) != DS_OK)
		return err->code;
	s->name = malloc(name_len + 1);
	if (!s->name)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	memcpy(s->name, word, name_len);
	s->name[name_len] = '\0';
	s->refs = calloc(len + 1, sizeof(*s->refs));
	if (!s->refs)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	while (p < end) {
		const char *bar = memchr(p, '|', (size_t)(end - p));
		size_t n = bar ? (size_t)(bar - p) : (size_t)(end - p);

		if (ds_check_length("image reference", p, n, DS_REF_MAX, err)
		    != DS_OK)
			return err->code;
		if (n) {
			s->refs[s->n_refs] = malloc(n + 1);
			if (!s->refs[s->n_refs])
				return ds_err_set(err, DS_E_NOMEM,
						  "out of memory");
			memcpy(s->refs[s->n_refs], p, n);
			s->refs[s->n_refs++][n] = '\0';
		}
		p += n + (bar ? 1 : 0);
	}
	if (!s->n_refs)
		return ds_err_set(err, DS_E_ARG, "invalid service '%.*s': "
				  "no image after '='", (int)len, word);
	s->ref = s->refs[0];
	return DS_OK;
}

/* Find the service's image: the first candidate the engine has. */
static enum ds_code find_image(struct ds_engine *e, struct service *s,
			       struct ds_size_row *row, const char *dir,
			       struct ds_err *err)
{
	struct ds_err local = DS_ERR_INIT;
	struct ds_image img;
	enum ds_code result;
	size_t i;

	for (i = 0; i < s->n_refs; i++) {
		ds_err_clear(&local);
		result = inspect(e, s->refs[i], &img, &local);
		if (result == DS_E_NOTFOUND)
			continue;
		if (result != DS_OK) {
			ds_err_set(err, result, "%s", local.msg);
			return result;
		}
		s->ref = s->refs[i];
		s->id = strdup(img.id);
		row->size = img.size > 0 ? (uint64_t)img.size : 0;
		ds_model_image_free(&img);
		if (!s->id)
			return ds_err_set(err, DS_E_NOMEM, "out of memory");
		row->source = DS_SIZE_ENGINE;
		row->id = s->id;
		row->ref = s->ref;
		return DS_OK;
	}
	row->ref = s->ref;
	row->source = ds_state_read_size(dir, s->name, "size", &row->size)
		      ? DS_SIZE_RECORDED : DS_SIZE_NONE;
	return DS_OK;
}

/* Load, update and save DIR/sizes.tsv for the rows. */
static enum ds_code update_records(const char *dir, struct ds_size_row *rows,
				   size_t n, struct ds_err *err)
{
	struct ds_size_records records = DS_SIZE_RECORDS_INIT;
	struct ds_buf text = DS_BUF_INIT, path = DS_BUF_INIT;
	struct ds_err local = DS_ERR_INIT;
	enum ds_code result;

	result = ds_buf_printf(&path, "%s/sizes.tsv", dir);
	if (result != DS_OK)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	result = ds_buf_read_file(&text, path.ptr, &local);
	if (result == DS_E_NOTFOUND)
		result = DS_OK;
	else if (result != DS_OK)
		ds_err_set(err, result, "%s", local.msg);
	if (result == DS_OK)
		result = ds_sizes_records_parse(&records,
						text.ptr,
						text.len, err);
	if (result == DS_OK)
		result = ds_sizes_update(&records, rows, n, (int64_t)time(NULL),
					 err);
	ds_buf_reset(&text);
	if (result == DS_OK && ds_sizes_records_text(&text, &records) != DS_OK)
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
	if (result == DS_OK)
		result = ds_os_mkdirs(dir, err);
	if (result == DS_OK)
		result = ds_os_write_file(path.ptr, text.ptr, text.len, err);
	ds_sizes_records_free(&records);
	ds_buf_free(&text);
	ds_buf_free(&path);
	return result;
}

/*
 * Append what to do about an offender: its largest layer's line (with
 * its hint), or why it cannot be shown.  md: as a Markdown list item.
 */
static enum ds_code advise(struct ds_engine *e, const struct ds_size_row *r,
			   uint64_t context_size, struct ds_buf *text,
			   struct ds_buf *md, struct ds_err *err)
{
	struct ds_layer *top = NULL;
	size_t n = 0, i;
	char over[32];
	enum ds_code result = DS_OK;

	ds_size_human(r->size - r->limit, over, sizeof(over));
	if (r->source == DS_SIZE_ENGINE)
		result = top_layers(e, r->ref, 1, context_size, &top, &n, err);
	if (result != DS_OK)
		return result;
	if (r->source != DS_SIZE_ENGINE) {
		ds_buf_printf(text, "dockspace: %s is %s over its limit of %s "
			      "(recorded size: the image is not in the "
			      "engine, so its layers cannot be shown)\n",
			      r->service, over, r->limit_text);
		ds_buf_printf(md, "- **%s** is %s over its limit of %s "
			      "(recorded size; the image is not in the "
			      "engine)\n", r->service, over, r->limit_text);
	} else if (n == 0) {
		ds_buf_printf(text, "dockspace: %s is %s over its limit of %s "
			      "(its history shows no layer with content)\n",
			      r->service, over, r->limit_text);
		ds_buf_printf(md, "- **%s** is %s over its limit of %s\n",
			      r->service, over, r->limit_text);
	} else {
		char size[32];

		ds_buf_printf(text, "dockspace: %s is %s over its limit of %s;"
			      " its largest layer:\n", r->service, over,
			      r->limit_text);
		ds_layers_line(text, &top[0], 0);
		ds_buf_puts(text, "\n");
		ds_size_human((uint64_t)top[0].size, size, sizeof(size));
		ds_buf_printf(md, "- **%s** is %s over its limit of %s; its "
			      "largest layer (%s): `", r->service, over,
			      r->limit_text, size);
		for (i = 0; top[0].instruction[i]; i++)
			ds_buf_add(md, top[0].instruction[i] == '`' ? "'" :
				   &top[0].instruction[i], 1);
		ds_buf_puts(md, "`");
		for (i = 0; i < top[0].n_hints; i++)
			ds_buf_printf(md, "%s%s", i ? "; " : " (hint: ",
				      top[0].hints[i]->text);
		ds_buf_puts(md, top[0].n_hints ? ")\n" : "\n");
	}
	ds_layers_free(top, n);
	return DS_OK;
}

/* Append the GitHub annotation of a row over or near its limit. */
static enum ds_code annotate(struct ds_buf *out, const struct ds_size_row *r)
{
	char size[32], pct[32], msg[512], title[200];

	ds_size_human(r->size, size, sizeof(size));
	ds_sizes_percent_text(r->size, r->limit, pct, sizeof(pct));
	snprintf(title, sizeof(title), "image size: %s", r->service);
	if (r->status == DS_SIZE_OVER)
		snprintf(msg, sizeof(msg), "%s (%s) is %s, over its limit of "
			 "%s (%s)", r->service, r->ref, size, r->limit_text,
			 pct);
	else
		snprintf(msg, sizeof(msg), "%s (%s) is %s, %s of its limit of "
			 "%s", r->service, r->ref, size, pct, r->limit_text);
	return ds_ci_annotation(out, r->status == DS_SIZE_OVER ? "error"
				: "warning", title, msg);
}

/*
 * $(docker-sizes-report SVC[=REF[|REF...]]...): print every service's
 * image size against <SVC>_SIZE_LIMIT as a table, record the sizes in
 * DOCKSPACE_STATE_DIR/sizes.tsv, advise on each offender, and expand to
 * the services over their limit.
 */
static enum ds_code fn_sizes_report(const struct ds_call *call,
				    unsigned int argc, char **argv,
				    struct ds_buf *out, struct ds_err *err)
{
	struct service *svcs = NULL;
	struct ds_size_row *rows = NULL;
	struct ds_engine *e = NULL;
	struct ds_buf text = DS_BUF_INIT, md = DS_BUF_INIT;
	struct ds_buf advice = DS_BUF_INIT, advice_md = DS_BUF_INIT;
	char *words = ds_arg(argc, argv, 0), *dir = NULL, *summary = NULL;
	char name[300];
	uint64_t context_size = DS_HINT_CONTEXT_SIZE;
	size_t n = 0, cap = 0, i, len;
	enum ds_ci ci;
	const char *p, *cursor;
	int64_t now = (int64_t)time(NULL);

	if (!words) {
		ds_err_set(err, DS_E_ARG, "give the services, e.g. "
			   "$(docker-sizes-report api=myorg/api:latest "
			   "worker)");
		goto done;
	}
	for (cursor = words; ds_word_next(&cursor, &len);)
		cap++;
	svcs = calloc(cap, sizeof(*svcs));
	rows = calloc(cap, sizeof(*rows));
	if (!svcs || !rows) {
		ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	for (cursor = words; (p = ds_word_next(&cursor, &len)) != NULL;)
		if (parse_service(p, len, &svcs[n++], err) != DS_OK)
			goto done;
	dir = ds_call_state_dir(call);
	if (!dir) {
		ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	if (ds_call_size(call, "DOCKSPACE_HINT_CONTEXT_SIZE",
			 DS_HINT_CONTEXT_SIZE, &context_size, NULL, NULL,
			 err) != DS_OK)
		goto done;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s_SIZE_LIMIT", svcs[i].name);
		if (ds_call_size(call, name, 0, &svcs[i].limit, NULL,
				 &svcs[i].limit_text, err) != DS_OK)
			goto done;
	}
	if (call->engine(&e, err) != DS_OK)
		goto done;
	for (i = 0; i < n; i++) {
		rows[i].service = svcs[i].name;
		rows[i].limit_text = svcs[i].limit_text;
		rows[i].limit = svcs[i].limit;
		if (find_image(e, &svcs[i], &rows[i], dir, err) != DS_OK)
			goto done;
	}
	if (update_records(dir, rows, n, err) != DS_OK)
		goto done;
	for (i = 0; i < n; i++)
		if (rows[i].status == DS_SIZE_OVER &&
		    advise(e, &rows[i], context_size, &advice, &advice_md,
			   err) != DS_OK)
			goto done;

	ci = ds_call_ci(call);
	if (ci == DS_CI_GITLAB)
		ds_ci_section_start(&text, "dockspace_sizes",
				    "dockspace: image sizes", 0, now);
	ds_sizes_table(&text, rows, n);
	ds_buf_puts(&text, "\n");
	if (advice.len)
		ds_buf_add(&text, advice.ptr, advice.len);
	if (ci == DS_CI_GITLAB)
		ds_ci_section_end(&text, "dockspace_sizes", now);
	for (i = 0; ci == DS_CI_GITHUB && i < n; i++)
		if (rows[i].status == DS_SIZE_OVER ||
		    rows[i].status == DS_SIZE_NEAR)
			annotate(&text, &rows[i]);
	if (ds_buf_error(&advice) != DS_OK || ds_buf_error(&text) != DS_OK) {
		ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	ds_call_print(text.ptr, text.len);
	summary = ci == DS_CI_GITHUB ? call->getvar("GITHUB_STEP_SUMMARY")
				     : NULL;
	if (summary) {
		ds_buf_puts(&md, "### dockspace: image sizes\n\n");
		ds_sizes_markdown(&md, rows, n);
		if (advice_md.len) {
			ds_buf_puts(&md, "\n");
			ds_buf_add(&md, advice_md.ptr, advice_md.len);
		}
		ds_buf_puts(&md, "\n");
		if (ds_buf_error(&advice_md) != DS_OK ||
		    ds_buf_error(&md) != DS_OK) {
			ds_err_set(err, DS_E_NOMEM, "out of memory");
			goto done;
		}
		if (ds_ci_append_file(summary, md.ptr, md.len, err) != DS_OK)
			goto done;
	}
	for (i = 0; i < n; i++)
		if (rows[i].status == DS_SIZE_OVER)
			ds_buf_printf(out, "%s%s", out->len ? " " : "",
				      rows[i].service);
done:
	for (i = 0; svcs && i < n; i++)
		service_clear(&svcs[i]);
	free(svcs);
	free(rows);
	free(words);
	free(dir);
	free(summary);
	ds_buf_free(&text);
	ds_buf_free(&md);
	ds_buf_free(&advice);
	ds_buf_free(&advice_md);
	return err->code;
}

/* The functions this file adds to make. */
const struct ds_fn ds_fns_images[] = {
	{ "docker-image-size", fn_image_size, 1, "REF" },
	{ "docker-untag", fn_untag, 1, "REF..." },
	{ "docker-layers", fn_layers, 3, "REF[,N][,json]" },
	{ "docker-sizes-report", fn_sizes_report, 1,
	  "SERVICE[=IMAGE[|IMAGE...]]..." },
	{ NULL, NULL, 0, NULL }
};
