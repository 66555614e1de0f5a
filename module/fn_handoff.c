/*
 * fn_handoff.c: the make functions of hand-offs: $(docker-handoff
 * REF...,TO[,prune-source]) and $(docker-where REF).  See handoff.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fns.h"
#include "handoff.h"
#include "prune_run.h"
#include "units.h"
#include "words.h"

/* The glue's getvar as a ds_getvar_fn (ctx: the call). */
static char *call_getvar(void *ctx, const char *name)
{
	const struct ds_call *call = ctx;

	return call->getvar(name);
}

/* Print one line of progress on stderr. */
static void say(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "dockspace: handoff: %s\n", line);
}

/* Print what the removal did, as $(docker-prune) does, on stderr. */
static void removal_log(void *ctx, enum ds_prune_status status,
			const struct ds_prune_item *item, const char *note)
{
	static const char *const verbs[] = { "would remove", "removed",
					     "kept", "note", "already gone",
					     "untagged" };
	char size[32];

	(void)ctx;
	if (!item) {
		fprintf(stderr, "dockspace: handoff: %s\n", note);
		return;
	}
	ds_size_human(item->size > 0 ? (uint64_t)item->size : 0, size,
		      sizeof(size));
	fprintf(stderr, "dockspace: handoff: %s %s '%s' (%s)%s%s\n",
		verbs[status], ds_prune_kind_name(item->kind),
		ds_prune_item_name(item), size, note ? ": " : "",
		note ? note : "");
}

/* Split the space-separated words of text into a malloc'd array. */
static char **split_words(const char *text, size_t *n)
{
	const char *p = text, *w;
	size_t len, k = 0, cap = 0;
	char **v;

	while (ds_word_next(&p, &len))
		cap++;
	v = calloc(cap + 1, sizeof(*v));
	for (p = text; v && (w = ds_word_next(&p, &len)); k++) {
		v[k] = strndup(w, len);
		if (!v[k]) {
			/* never a shorter list: a lost pin could be removed */
			while (k)
				free(v[--k]);
			free(v);
			*n = 0;
			return NULL;
		}
	}
	*n = k;
	return v;
}

/* Free what split_words returned. */
static void free_words(char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* $(docker-handoff REF...,TO[,prune-source]). */
static enum ds_code fn_handoff(const struct ds_call *call, unsigned int argc,
			       char **argv, struct ds_buf *out,
			       struct ds_err *err)
{
	char *refs_text = ds_arg(argc, argv, 0), *to = ds_arg(argc, argv, 1);
	char *flag = ds_arg(argc, argv, 2), *pins_text = NULL;
	char *dir = ds_call_state_dir(call);
	char *ctr = call->getvar("DOCKSPACE_CTR");
	char **refs = NULL, **pins = NULL;
	uint64_t secs = 120;
	size_t n = 0, n_pins = 0;
	struct ds_handoff_opts o = { 0 };
	struct ds_engine_opts eo = { 0 };
	struct ds_space_opts so = { 0 };
	struct ds_engine *src = NULL;

	if (!refs_text || !to) {
		ds_err_set(err, DS_E_ARG, "give the images and where they go, "
			   "e.g. $(docker-handoff api:1 web:1,"
			   "unix:///run/other.sock)");
		goto done;
	}
	if (flag && strcmp(flag, "prune-source") != 0) {
		ds_err_set(err, DS_E_ARG, "unknown option '%s': the only one "
			   "is prune-source", flag);
		goto done;
	}
	if (ds_call_pins(call, &pins_text, err) != DS_OK)
		goto done;
	refs = split_words(refs_text, &n);
	pins = split_words(pins_text ? pins_text : "", &n_pins);
	if (!refs || !pins || !dir) {
		ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	if (ds_call_size(call, "DOCKSPACE_BUDGET", 0, &so.budget,
			 &so.have_budget, NULL, err) != DS_OK ||
	    ds_call_seconds(call, "DOCKSPACE_TIMEOUT", 120, 86400, &secs,
			    err) != DS_OK ||
	    call->engine(&src, err) != DS_OK)
		goto done;
	eo.timeout_ms = (long)secs * 1000;
	o.to = to;
	o.prune_source = flag != NULL;
	o.state_dir = dir;
	o.ctr = ctr ? ctr : "ctr";
	o.pins = pins;
	o.n_pins = n_pins;
	o.engine_opts = &eo;
	o.getvar = call_getvar;
	o.getvar_ctx = (void *)call;
	o.space_opts = &so;
	o.log = removal_log;
	o.say = say;
	ds_handoff_run(src, refs, n, &o, out, err);
done:
	free_words(refs, n);
	free_words(pins, n_pins);
	free(refs_text);
	free(to);
	free(flag);
	free(pins_text);
	free(dir);
	free(ctr);
	return err->code;
}

/* $(docker-where REF): here, the TO it was handed to, or empty. */
static enum ds_code fn_where(const struct ds_call *call, unsigned int argc,
			     char **argv, struct ds_buf *out,
			     struct ds_err *err)
{
	char *ref = ds_arg(argc, argv, 0), *dir = ds_call_state_dir(call);
	struct ds_engine *e = NULL;

	if (!ref)
		ds_err_set(err, DS_E_ARG, "give an image, e.g. "
			   "$(docker-where api:1)");
	else if (!dir)
		ds_err_set(err, DS_E_NOMEM, "out of memory");
	else if (call->engine(&e, err) == DS_OK)
		ds_handoff_where(e, ref, dir, out, err);
	free(ref);
	free(dir);
	return err->code;
}

/* The functions this file adds to make. */
const struct ds_fn ds_fns_handoff[] = {
	{ "docker-handoff", fn_handoff, 3, "REF...,TO[,prune-source]" },
	{ "docker-where", fn_where, 1, "REF" },
	{ NULL, NULL, 0, NULL }
};
