/*
 * fn_prune.c: make functions (see fns.h) that make room, and the pins
 * that keep images out of every prune.
 *
 *   $(docker-prune WHAT[,OPTION...])  delete what the plan says; the
 *                                     log on stderr (or JSON on stdout)
 *   $(docker-pin REF...)              add to DOCKSPACE_PINS
 *   $(docker-unpin REF...)            remove from DOCKSPACE_PINS
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fns.h"
#include "jsonw.h"
#include "prune_run.h"
#include "units.h"
#include "words.h"

/* Where the prune log goes: text lines on stderr, or JSON items. */
struct prune_log {
	int quiet;
	int json;
	int dry_run;
	struct ds_buf items;   /* JSON: the items so far, an open array */
	struct ds_buf notes;   /* JSON: the notes so far, an open array */
	struct ds_jsonw items_w, notes_w;   /* writing into those two */
};

/* Show one prune event (see ds_prune_log_fn). */
static void prune_log(void *ctx, enum ds_prune_status status,
		      const struct ds_prune_item *item, const char *note)
{
	static const char *const verbs[] = { "would delete", "deleted",
					     "skipped", "note", "already gone",
					     "untagged" };
	static const char *const json_status[] = { "planned", "deleted",
						   "skipped", "note", "gone",
						   "untagged" };
	struct prune_log *l = ctx;
	char size[32];

	if (l->json) {
		if (!item) {
			ds_jsonw_string(&l->notes_w, note);
			return;
		}
		ds_jsonw_object(&l->items_w);
		ds_jsonw_kstring(&l->items_w, "kind",
				 ds_prune_kind_name(item->kind));
		ds_jsonw_kstring(&l->items_w, "id",
				 item->kind == DS_ITEM_IMAGE
				 ? item->image->id
				 : item->kind == DS_ITEM_CONTAINER
				 ? item->container->id
				 : item->kind == DS_ITEM_CACHE
				 ? item->cache->id : item->volume->name);
		ds_jsonw_kstring(&l->items_w, "name", ds_prune_item_name(item));
		ds_jsonw_kint(&l->items_w, "size", item->size);
		ds_jsonw_kstring(&l->items_w, "reason", item->reason);
		ds_jsonw_kstring(&l->items_w, "status", json_status[status]);
		if (note)
			ds_jsonw_kstring(&l->items_w, "note", note);
		ds_jsonw_end(&l->items_w);
		return;
	}
	if (l->quiet)
		return;
	if (!item) {
		fprintf(stderr, "dockspace: %s\n", note);
		return;
	}
	ds_size_human(item->size > 0 ? (uint64_t)item->size : 0, size,
		      sizeof(size));
	if (status == DS_STATUS_SKIPPED || status == DS_STATUS_GONE)
		fprintf(stderr, "dockspace: %s %s '%s'%s%s\n", verbs[status],
			ds_prune_kind_name(item->kind),
			ds_prune_item_name(item),
			status == DS_STATUS_SKIPPED ? ": " : "",
			status == DS_STATUS_SKIPPED && note ? note : "");
	else if (status == DS_STATUS_UNTAGGED)
		fprintf(stderr, "dockspace: %s\n", note ? note : "untagged");
	else
		fprintf(stderr, "dockspace: %s %s '%s' (%s, %s)\n",
			verbs[status], ds_prune_kind_name(item->kind),
			ds_prune_item_name(item), size, item->reason);
}

/*
 * Print the JSON report on stdout: the items and notes logged, then the
 * counts.  Fails (printing nothing) when a list could not be written.
 */
static enum ds_code prune_json(struct prune_log *l,
			       const struct ds_prune_result *r)
{
	struct ds_buf report = DS_BUF_INIT;
	enum ds_code result;
	struct ds_jsonw w;

	ds_jsonw_end(&l->items_w);
	ds_jsonw_end(&l->notes_w);
	result = ds_jsonw_finish(&l->items_w);
	if (result == DS_OK)
		result = ds_jsonw_finish(&l->notes_w);
	if (result != DS_OK)
		return result;
	ds_jsonw_init(&w, &report);
	ds_jsonw_object(&w);
	ds_jsonw_kbool(&w, "dry_run", l->dry_run);
	ds_jsonw_key(&w, "items");
	ds_jsonw_raw(&w, l->items.ptr);
	ds_jsonw_key(&w, "notes");
	ds_jsonw_raw(&w, l->notes.ptr);
	ds_jsonw_kuint(&w, "planned", r->planned);
	ds_jsonw_kuint(&w, "deleted", r->deleted);
	ds_jsonw_kuint(&w, "skipped", r->skipped);
	ds_jsonw_kuint(&w, "gone", r->gone);
	ds_jsonw_kuint(&w, "untagged", r->untagged);
	ds_jsonw_kint(&w, "reclaimed", r->reclaimed);
	ds_jsonw_kint(&w, "held_by_cache", r->held);
	ds_jsonw_kuint(&w, "free_before", r->free_before);
	ds_jsonw_kuint(&w, "free_after", r->free_after);
	ds_jsonw_kbool(&w, "goal_met", r->goal_met);
	ds_jsonw_end(&w);
	result = ds_jsonw_finish(&w);
	if (result == DS_OK) {
		printf("%s\n", report.ptr);
		fflush(stdout);
	}
	ds_buf_free(&report);
	return result;
}

/* Print the prune summary line on stderr (unless quiet). */
static void prune_summary(struct prune_log *l,
			  const struct ds_prune_args *a,
			  const struct ds_prune_result *r)
{
	char rec[32], before[32], after[32], goal[32], gone[48], untagged[48];

	if (l->quiet)
		return;
	ds_size_human((uint64_t)r->reclaimed, rec, sizeof(rec));
	ds_size_human(r->free_before, before, sizeof(before));
	ds_size_human(r->free_after, after, sizeof(after));
	snprintf(gone, sizeof(gone), "%zu already gone", r->gone);
	snprintf(untagged, sizeof(untagged), "%zu untagged only",
		 r->untagged);
	if (l->dry_run)
		fprintf(stderr, "dockspace: dry run: would delete %zu object%s, "
			"about %s; nothing deleted (free %s)\n", r->planned,
			r->planned == 1 ? "" : "s", rec, before);
	else
		fprintf(stderr, "dockspace: reclaimed %s from %zu object%s "
			"(%zu skipped%s%s%s%s); free %s -> %s\n", rec,
			r->deleted, r->deleted == 1 ? "" : "s", r->skipped,
			r->gone ? ", " : "", r->gone ? gone : "",
			r->untagged ? ", " : "", r->untagged ? untagged : "",
			before, after);
	if (!r->goal_met)
		fprintf(stderr, "dockspace: free=%s not reached: nothing more "
			"may be deleted\n", ds_size_exact(
				(uint64_t)a->opts.free_goal, goal,
				sizeof(goal)));
}

/* $(docker-prune WHAT[,OPTION...]): delete what the plan says. */
static enum ds_code fn_prune(const struct ds_call *call,
			     unsigned int argc, char **argv,
			     struct ds_buf *out, struct ds_err *err)
{
	struct ds_prune_args a;
	struct ds_prune_result r;
	struct ds_space_opts space = { 0 };
	struct prune_log l = { .items = DS_BUF_INIT, .notes = DS_BUF_INIT };
	struct ds_engine *e = NULL;
	char *pins = NULL;
	int strict = 0;

	if (ds_call_pins(call, &pins, err) != DS_OK ||
	    ds_prune_parse_args(&a, argc, argv, pins, err) != DS_OK)
		goto done;
	if (ds_call_flag(call, "DOCKSPACE_STRICT", 0, &strict, err) != DS_OK ||
	    ds_call_flag(call, "DOCKSPACE_QUIET", 0, &l.quiet, err) != DS_OK) {
		ds_prune_args_free(&a);
		goto done;
	}
	a.opts.strict |= strict;
	l.json = a.json;
	l.dry_run = a.dry_run;
	ds_jsonw_init(&l.items_w, &l.items);
	ds_jsonw_array(&l.items_w);
	ds_jsonw_init(&l.notes_w, &l.notes);
	ds_jsonw_array(&l.notes_w);
	if (ds_call_size(call, "DOCKSPACE_BUDGET", 0, &space.budget,
			 &space.have_budget, NULL, err) == DS_OK &&
	    call->engine(&e, err) == DS_OK &&
	    ds_prune_run(e, &a.opts, &space, a.dry_run, prune_log, &l, &r,
			 err) == DS_OK) {
		/* the JSON report's lists were written freely (jsonw.h) */
		if (l.json && prune_json(&l, &r) != DS_OK)
			ds_err_set(err, DS_E_NOMEM, "out of memory writing the "
				   "report of a prune that reclaimed %" PRId64
				   " bytes", r.reclaimed);
		else if (!l.json)
			prune_summary(&l, &a, &r);
		ds_buf_printf(out, "%" PRId64, r.reclaimed);
		if (!a.dry_run)
			ds_call_output(call, "reclaimed_bytes", out->ptr);
		if (!r.goal_met && a.opts.strict) {
			char goal[32], after[32];
			uint64_t left = a.dry_run ? r.free_before +
					(uint64_t)r.reclaimed : r.free_after;

			ds_err_set(err, DS_E_ARG, "free=%s not reached: about "
				   "%s free after all the plan may delete "
				   "(strict)", ds_size_exact((uint64_t)
				   a.opts.free_goal, goal, sizeof(goal)),
				   ds_size_human(left, after, sizeof(after)));
		}
	}
	ds_prune_args_free(&a);
done:
	ds_buf_free(&l.items);
	ds_buf_free(&l.notes);
	free(pins);
	return err->code;
}

/* Pin (add) or unpin (remove) the references in text: DOCKSPACE_PINS
 * becomes the old words, less those unpinned, plus the new ones. */
static enum ds_code change_pins(const struct ds_call *call, const char *text,
				int add, struct ds_err *err)
{
	char *old = call->getvar("DOCKSPACE_PINS");
	struct ds_buf next = DS_BUF_INIT;
	const char *p, *w;
	size_t len;

	if (!text || ds_is_blank(text)) {
		free(old);
		return ds_err_set(err, DS_E_ARG, "give one or more image "
				  "references, e.g. myapp:latest");
	}
	for (p = old; (w = ds_word_next(&p, &len));)
		if (add || !ds_words_has(text, w, len))
			ds_buf_printf(&next, "%s%.*s", next.len ? " " : "",
				      (int)len, w);
	for (p = add ? text : NULL; (w = ds_word_next(&p, &len));)
		if (!ds_words_has(next.ptr, w, len))
			ds_buf_printf(&next, "%s%.*s", next.len ? " " : "",
				      (int)len, w);
	call->setvar("DOCKSPACE_PINS", next.ptr, err);
	ds_buf_free(&next);
	free(old);
	return err->code;
}

/* $(docker-pin REF...): protect images from every prune of this run. */
static enum ds_code fn_pin(const struct ds_call *call,
			   unsigned int argc, char **argv,
			   struct ds_buf *out, struct ds_err *err)
{
	(void)out;
	return change_pins(call, argc ? argv[0] : NULL, 1, err);
}

/* $(docker-unpin REF...): release pinned images. */
static enum ds_code fn_unpin(const struct ds_call *call,
			     unsigned int argc, char **argv,
			     struct ds_buf *out, struct ds_err *err)
{
	(void)out;
	return change_pins(call, argc ? argv[0] : NULL, 0, err);
}

/* The functions this file adds to make. */
const struct ds_fn ds_fns_prune[] = {
	{ "docker-prune", fn_prune, 16, "WHAT[,OPTION...]" },
	{ "docker-pin", fn_pin, 1, "REF..." },
	{ "docker-unpin", fn_unpin, 1, "REF..." },
	{ NULL, NULL, 0, NULL }
};
