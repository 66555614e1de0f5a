/*
 * glue.c: the GNU Make side of dockspace.  The only file that calls
 * gmk_*: registers the functions, reads make variables, parses
 * arguments, returns results in gmk_alloc'd strings and turns every
 * failure into one $(error) (or $(warning) with DOCKSPACE_ON_ERROR=warn).
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnumake.h>

#include "buf.h"
#include "call.h"
#include "ci.h"
#include "config.h"
#include "endpoint.h"
#include "fns.h"
#include "engine.h"
#include "http.h"
#include "platforms.h"
#include "prune_run.h"
#include "space.h"
#include "tier.h"
#include "units.h"
#include "usage.h"
#include "words.h"

#define EXPORT __attribute__((visibility("default")))

EXPORT int plugin_is_GPL_compatible;

/*
 * The only other exported symbols: make's entry points, with the setup
 * signature of the gnumake.h we are built against, and the unload hook
 * only where that header has the versioned ABI (after 4.4.1).
 */
#ifdef GMK_ABI_VERSION
EXPORT int dockspace_gmk_setup(unsigned int abi, const gmk_floc *floc);
EXPORT void dockspace_gmk_unload(void);
#else
EXPORT int dockspace_gmk_setup(const gmk_floc *floc);
#endif

/* The engine connection, opened on first use, kept for the make run. */
static struct ds_engine *engine;

/*
 * The value of make variable NAME (the environment included), trimmed,
 * as a malloc'd string; NULL when unset or empty.  Matches ds_getvar_fn.
 */
static char *getvar(void *ctx, const char *name)
{
	struct ds_buf ref = DS_BUF_INIT;
	char *raw, *val;

	(void)ctx;
	/* any length: a cut reference would be make's "unterminated" */
	if (ds_buf_printf(&ref, "$(%s)", name) != DS_OK)
		return NULL;
	raw = gmk_expand(ref.ptr);
	ds_buf_free(&ref);
	val = ds_trim_copy(raw);
	gmk_free(raw);
	if (val && !*val) {
		free(val);
		val = NULL;
	}
	return val;
}

/* Hand text to make in a gmk_alloc'd copy (make frees it). */
static char *give(const char *text, size_t len)
{
	char *out = gmk_alloc((unsigned int)len + 1);

	memcpy(out, text, len);
	out[len] = '\0';
	return out;
}

/* 1 when this make runs in GitHub Actions. */
static int on_github(void)
{
	char *gh = getvar(NULL, "GITHUB_ACTIONS");
	int yes = ds_ci_detect(gh, NULL) == DS_CI_GITHUB;

	free(gh);
	return yes;
}

/*
 * In GitHub Actions, also print text (up to its first newline) as an
 * annotation of the given level, so it shows on the run's page.
 */
static void github_annotation(const char *level, const char *text)
{
	struct ds_buf line = DS_BUF_INIT, b = DS_BUF_INIT;

	if (!on_github())
		return;
	ds_buf_add(&line, text, strcspn(text, "\n"));
	if (line.ptr && ds_ci_annotation(&b, level, NULL, line.ptr) == DS_OK) {
		fputs(b.ptr, stdout);
		fflush(stdout);
	}
	ds_buf_free(&line);
	ds_buf_free(&b);
}

/*
 * In GitHub Actions, write NAME=VALUE to the step's outputs
 * ($GITHUB_OUTPUT); a failure to write is a warning, not an error.
 */
static void github_output(const char *name, const char *value)
{
	char *path;
	struct ds_err err = DS_ERR_INIT;

	if (!on_github() || !(path = getvar(NULL, "GITHUB_OUTPUT")))
		return;
	if (ds_ci_output(path, name, value, &err) != DS_OK)
		fprintf(stderr, "dockspace: %s\n", err.msg);
	free(path);
}

/*
 * Tell make about a failure of function NAME: $(error dockspace: MSG),
 * which stops make at the caller's file:line, or $(warning ...) when
 * DOCKSPACE_ON_ERROR is "warn".  Argument errors name the function.  The
 * message travels through a define so that no character in it ($,
 * parentheses, commas, #) is interpreted.  Returns NULL: the function's
 * expansion is empty.
 */
static void raise_in_make(const char *name, const struct ds_err *err,
			  int warning_only)
{
	char *mode = getvar(NULL, "DOCKSPACE_ON_ERROR");
	int warn = warning_only || (mode && strcmp(mode, "warn") == 0);
	int bad_mode = mode && !warn && strcmp(mode, "error") != 0;
	struct ds_buf b = DS_BUF_INIT;
	const char *p;

	ds_buf_puts(&b, "define dockspace-error-text\ndockspace: ");
	if (bad_mode)
		ds_buf_printf(&b, "invalid DOCKSPACE_ON_ERROR '%s': use "
			      "'error' or 'warn' (while reporting: ", mode);
	if (err->code == DS_E_ARG && name)
		ds_buf_printf(&b, "%s: ", name);
	for (p = err->msg; *p; p++)
		ds_buf_add(&b, *p == '\n' ? " " : p, 1);
	if (bad_mode)
		ds_buf_puts(&b, ")");
	/* a last backslash would join the line with endef */
	if (b.len && b.ptr[b.len - 1] == '\\')
		ds_buf_puts(&b, " ");
	ds_buf_printf(&b, "\nendef\n$(%s $(value dockspace-error-text))\n",
		      warn ? "warning" : "error");
	if (b.ptr) {
		github_annotation(warn ? "warning" : "error",
				  b.ptr + strlen("define dockspace-error-text\n"));
		gmk_eval(b.ptr, NULL);
	}
	ds_buf_free(&b);
	free(mode);
}

/* Report a failure of function NAME (see raise_in_make); returns NULL. */
static char *fail(const char *name, const struct ds_err *err)
{
	raise_in_make(name, err, 0);
	return NULL;
}

/* Read a size-valued variable; *set tells whether it was given. */
static enum ds_code size_var(const char *name, uint64_t dflt, uint64_t *out,
			     int *set, struct ds_err *err)
{
	enum ds_code result = DS_OK;
	char *v = getvar(NULL, name);
	struct ds_err local = DS_ERR_INIT;

	*out = dflt;
	if (set)
		*set = v != NULL;
	if (v && ds_size_parse(v, out, &local) != DS_OK)
		result = ds_err_set(err, DS_E_CONFIG, "%s: %s", name,
				    local.msg);
	free(v);
	return result;
}

/* Read a yes/no variable (units.h's rule); unset is dflt. */
static enum ds_code flag_var(const char *name, int dflt, int *out,
			     struct ds_err *err)
{
	char *v = getvar(NULL, name);
	struct ds_err local = DS_ERR_INIT;

	*out = dflt;
	if (v && ds_bool_parse(v, out, &local) != DS_OK)
		ds_err_set(err, DS_E_CONFIG, "%s: %s", name, local.msg);
	free(v);
	return err->code;
}

/*
 * Where replies are kept between make runs: DOCKSPACE_CACHE_DIR, else
 * $XDG_RUNTIME_DIR/dockspace, else /tmp/dockspace-UID; none when
 * DOCKSPACE_CACHE says no (units.h's yes/no rule; unset is yes).
 * Writes the directory to dir (n bytes) and sets *out to it, or to NULL.
 */
static enum ds_code cache_dir(char *dir, size_t n, const char **out,
			      struct ds_err *err)
{
	char *set = getvar(NULL, "DOCKSPACE_CACHE_DIR");
	char *run = getvar(NULL, "XDG_RUNTIME_DIR");
	int on = 1;

	if (set)
		snprintf(dir, n, "%s", set);
	else if (run)
		snprintf(dir, n, "%s/dockspace", run);
	else
		snprintf(dir, n, "/tmp/dockspace-%ld", (long)geteuid());
	free(set);
	free(run);
	*out = NULL;
	if (flag_var("DOCKSPACE_CACHE", 1, &on, err) == DS_OK && on)
		*out = dir;
	return err->code;
}

/* Read a duration variable in seconds, from 1 to max. */
static enum ds_code seconds_var(const char *name, uint64_t dflt,
				uint64_t max, uint64_t *out,
				struct ds_err *err)
{
	char *v = getvar(NULL, name);
	struct ds_err local = DS_ERR_INIT;

	*out = dflt;
	if (v && (ds_duration_parse(v, out, &local) != DS_OK || *out == 0 ||
		  *out > max))
		ds_err_set(err, DS_E_CONFIG, "invalid %s '%s': give seconds "
			   "from 1 to %" PRIu64 ", e.g. 30", name, v, max);
	free(v);
	return err->code;
}

/* Connect to the engine on first use; later calls reuse it. */
static enum ds_code get_engine(struct ds_engine **out, struct ds_err *err)
{
	enum ds_code result;
	struct ds_endpoint ep = { 0 };
	struct ds_engine_opts opts = { 0 };
	char *pinned = NULL, dir[4096];
	uint64_t secs, ttl;

	if (engine) {
		*out = engine;
		return DS_OK;
	}
	result = seconds_var("DOCKSPACE_TIMEOUT", 120, 86400, &secs, err);
	if (result == DS_OK)
		result = seconds_var("DOCKSPACE_CACHE_TTL", 60, 86400, &ttl,
				     err);
	if (result == DS_OK)
		result = cache_dir(dir, sizeof(dir), &opts.cache_dir, err);
	if (result != DS_OK)
		return result;
	pinned = getvar(NULL, "DOCKER_API_VERSION");
	result = ds_endpoint_resolve(&ep, getvar, NULL, err);
	if (result != DS_OK)
		goto done;
	opts.pinned_api = pinned;
	opts.timeout_ms = (long)secs * 1000;
	opts.cache_ttl = (long)ttl;
	result = ds_engine_connect(&engine, &ep, &opts, err);
	if (result == DS_OK)
		*out = engine;
done:
	ds_endpoint_free(&ep);
	free(pinned);
	return result;
}

/* Measure free space for the engine, or for path when given. */
static enum ds_code measure(const char *path, struct ds_space *space,
			    struct ds_err *err)
{
	enum ds_code result;
	struct ds_space_opts opts = { 0 };
	struct ds_engine *e = NULL;

	opts.path = path;
	result = size_var("DOCKSPACE_BUDGET", 0, &opts.budget,
			  &opts.have_budget, err);
	if (result == DS_OK && !path)
		result = get_engine(&e, err);
	if (result == DS_OK)
		result = ds_space_measure(e, &opts, space, err);
	return result;
}

/* $(docker-space [UNIT][,PATH]): free bytes, or whole UNITs. */
static enum ds_code fn_space(const struct ds_call *call,
			     unsigned int argc, char **argv,
			     struct ds_buf *out, struct ds_err *err)
{
	struct ds_space space;
	char *unit = ds_arg(argc, argv, 0), *path = ds_arg(argc, argv, 1);
	uint64_t per = 1;

	(void)call;
	if ((!unit || ds_unit_parse(unit, &per, err) == DS_OK) &&
	    measure(path, &space, err) == DS_OK) {
		char free_text[32];

		ds_buf_printf(out, "%" PRIu64, space.free / per);
		snprintf(free_text, sizeof(free_text), "%" PRIu64, space.free);
		if (!path)
			github_output("free_bytes", free_text);
	}
	free(unit);
	free(path);
	return err->code;
}

/* Read one tier threshold from an argument, a variable or the default. */
static enum ds_code tier_limit(unsigned int argc, char **argv,
			       unsigned int i, const char *var,
			       uint64_t dflt, uint64_t *out,
			       struct ds_err *err)
{
	enum ds_code result;
	char *v = ds_arg(argc, argv, i);

	if (!v)
		return size_var(var, dflt, out, NULL, err);
	result = ds_size_parse(v, out, err);
	free(v);
	return result;
}

/* $(docker-tier [FULL,MEDIUM,MINIMAL]): full, medium, minimal, critical. */
static enum ds_code fn_tier(const struct ds_call *call,
			    unsigned int argc, char **argv,
			    struct ds_buf *out, struct ds_err *err)
{
	struct ds_tier_limits lim;
	struct ds_space space;
	unsigned int given = 0, i;

	(void)call;
	for (i = 0; i < argc; i++)
		given += !ds_is_blank(argv[i]);
	if (given && given != 3)
		return ds_err_set(err, DS_E_ARG, "wrong number of arguments "
				  "(%u): give all three thresholds or none, "
				  "e.g. $(docker-tier 8G,5G,2G)", given);
	if (tier_limit(argc, argv, 0, "DOCKSPACE_TIER_FULL",
		       DS_TIER_DEFAULT_FULL, &lim.full, err) == DS_OK &&
	    tier_limit(argc, argv, 1, "DOCKSPACE_TIER_MEDIUM",
		       DS_TIER_DEFAULT_MEDIUM, &lim.medium, err) == DS_OK &&
	    tier_limit(argc, argv, 2, "DOCKSPACE_TIER_MINIMAL",
		       DS_TIER_DEFAULT_MINIMAL, &lim.minimal, err) == DS_OK &&
	    ds_tier_check(&lim, err) == DS_OK &&
	    measure(NULL, &space, err) == DS_OK) {
		char free_text[32];

		ds_buf_puts(out, ds_tier_name(ds_tier_pick(space.free, &lim)));
		snprintf(free_text, sizeof(free_text), "%" PRIu64, space.free);
		github_output("tier", out->ptr);
		github_output("free_bytes", free_text);
	}
	return err->code;
}

/* $(docker-fits SIZE): "yes" when at least SIZE is free, else empty. */
static enum ds_code fn_fits(const struct ds_call *call,
			    unsigned int argc, char **argv,
			    struct ds_buf *out, struct ds_err *err)
{
	struct ds_space space;
	char *size = ds_arg(argc, argv, 0);
	uint64_t need = 0;

	(void)call;
	if (!size)
		ds_err_set(err, DS_E_ARG, "a size is needed, e.g. "
			   "$(docker-fits 3G)");
	else if (ds_size_parse(size, &need, err) == DS_OK &&
		 measure(NULL, &space, err) == DS_OK && space.free >= need)
		ds_buf_puts(out, "yes");
	free(size);
	return err->code;
}

/* $(docker-usage [table|json]): the `docker system df` summary. */
static enum ds_code fn_usage(const struct ds_call *call,
			     unsigned int argc, char **argv,
			     struct ds_buf *out, struct ds_err *err)
{
	struct ds_df df = { 0 };
	struct ds_space space;
	struct ds_engine *e = NULL;
	char *format = ds_arg(argc, argv, 0);
	int json = 0;

	(void)call;
	if (format && strcmp(format, "json") == 0)
		json = 1;
	else if (format && strcmp(format, "table") != 0)
		ds_err_set(err, DS_E_ARG, "unknown format '%s': use 'table' "
			   "or 'json'", format);
	if (err->code == DS_OK && get_engine(&e, err) == DS_OK &&
	    ds_engine_df(e, &df, 1, err) == DS_OK &&
	    measure(NULL, &space, err) == DS_OK &&
	    (json ? ds_usage_json(out, &df, &space)
		  : ds_usage_table(out, &df, &space)) != DS_OK)
		ds_err_set(err, DS_E_NOMEM, "out of memory");
	free(format);
	ds_model_df_free(&df);
	return err->code;
}

/* $(docker-engine): "KIND VERSION api API ENDPOINT". */
static enum ds_code fn_engine(const struct ds_call *call,
			      unsigned int argc, char **argv,
			      struct ds_buf *out, struct ds_err *err)
{
	struct ds_engine *e = NULL;
	const struct ds_version *v = NULL;

	(void)call;
	(void)argc;
	(void)argv;
	if (get_engine(&e, err) == DS_OK &&
	    ds_engine_version(e, &v, err) == DS_OK)
		ds_buf_printf(out, "%s %s api %s %s",
			      ds_engine_is_podman(e) ? "podman" : "docker",
			      v->version, ds_engine_api(e), ds_engine_url(e));
	return err->code;
}

/* Where the prune log goes: text lines on stderr, or JSON items. */
struct prune_log {
	int quiet;
	int json;
	int dry_run;
	struct ds_buf items;   /* JSON: the items so far */
	struct ds_buf notes;   /* JSON: the notes so far */
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
			ds_buf_puts(&l->notes, l->notes.len ? "," : "");
			ds_buf_json_string(&l->notes, note);
			return;
		}
		ds_buf_printf(&l->items, "%s{\"kind\":\"%s\",\"id\":",
			      l->items.len ? "," : "",
			      ds_prune_kind_name(item->kind));
		ds_buf_json_string(&l->items,
				   item->kind == DS_ITEM_IMAGE
				   ? item->image->id
				   : item->kind == DS_ITEM_CONTAINER
				   ? item->container->id
				   : item->kind == DS_ITEM_CACHE
				   ? item->cache->id : item->volume->name);
		ds_buf_puts(&l->items, ",\"name\":");
		ds_buf_json_string(&l->items, ds_prune_item_name(item));
		ds_buf_printf(&l->items, ",\"size\":%" PRId64 ",\"reason\":",
			      item->size);
		ds_buf_json_string(&l->items, item->reason);
		ds_buf_printf(&l->items, ",\"status\":\"%s\"",
			      json_status[status]);
		if (note) {
			ds_buf_puts(&l->items, ",\"note\":");
			ds_buf_json_string(&l->items, note);
		}
		ds_buf_puts(&l->items, "}");
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

/* Print the prune summary: a line on stderr, or the JSON on stdout. */
static void prune_summary(struct prune_log *l,
			  const struct ds_prune_args *a,
			  const struct ds_prune_result *r)
{
	char rec[32], before[32], after[32], goal[32], gone[48], untagged[48];

	if (l->json) {
		printf("{\"dry_run\":%s,\"items\":[%s],\"notes\":[%s],"
		       "\"planned\":%zu,"
		       "\"deleted\":%zu,\"skipped\":%zu,\"gone\":%zu,"
		       "\"untagged\":%zu,\"reclaimed\":%" PRId64
		       ",\"held_by_cache\":%" PRId64
		       ",\"free_before\":%" PRIu64 ",\"free_after\":%"
		       PRIu64 ",\"goal_met\":%s}\n",
		       l->dry_run ? "true" : "false",
		       l->items.ptr ? l->items.ptr : "",
		       l->notes.ptr ? l->notes.ptr : "", r->planned,
		       r->deleted, r->skipped, r->gone, r->untagged,
		       r->reclaimed, r->held, r->free_before,
		       r->free_after, r->goal_met ? "true" : "false");
		fflush(stdout);
		return;
	}
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
	struct prune_log l = { 0, 0, 0, DS_BUF_INIT, DS_BUF_INIT };
	struct ds_engine *e = NULL;
	char *pins = getvar(NULL, "DOCKSPACE_PINS");
	int strict = 0;

	(void)call;
	if (ds_prune_parse_args(&a, argc, argv, pins, err) != DS_OK)
		goto done;
	if (flag_var("DOCKSPACE_STRICT", 0, &strict, err) != DS_OK ||
	    flag_var("DOCKSPACE_QUIET", 0, &l.quiet, err) != DS_OK) {
		ds_prune_args_free(&a);
		goto done;
	}
	a.opts.strict |= strict;
	l.json = a.json;
	l.dry_run = a.dry_run;
	if (size_var("DOCKSPACE_BUDGET", 0, &space.budget, &space.have_budget,
		     err) == DS_OK &&
	    get_engine(&e, err) == DS_OK &&
	    ds_prune_run(e, &a.opts, &space, a.dry_run, prune_log, &l, &r,
			 err) == DS_OK) {
		prune_summary(&l, &a, &r);
		ds_buf_printf(out, "%" PRId64, r.reclaimed);
		if (!a.dry_run)
			github_output("reclaimed_bytes", out->ptr);
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

/* Set the exported make variable DOCKSPACE_PINS to the words given. */
static void set_pins(const struct ds_buf *words)
{
	struct ds_buf line = DS_BUF_INIT;
	const char *p;

	ds_buf_puts(&line, "export DOCKSPACE_PINS := ");
	for (p = words->ptr ? words->ptr : ""; *p; p++) {
		if (*p == '$')
			ds_buf_puts(&line, "$$");
		else if (*p == '#')
			ds_buf_puts(&line, "\\#");
		else if (*p != '\n')
			ds_buf_add(&line, p, 1);
	}
	ds_buf_puts(&line, "\n");
	if (line.ptr)
		gmk_eval(line.ptr, NULL);
	ds_buf_free(&line);
}

/* Pin (add) or unpin (remove) the references in text. */
static enum ds_code change_pins(const char *text, int add,
				struct ds_err *err)
{
	char *old = getvar(NULL, "DOCKSPACE_PINS");
	struct ds_buf next = DS_BUF_INIT;
	const char *p, *w;
	size_t len;

	if (!text || ds_is_blank(text)) {
		free(old);
		return ds_err_set(err, DS_E_ARG, "give one or more image "
				  "references, e.g. myapp:latest");
	}
	/* keep the old words, less those unpinned; add the new ones */
	for (p = old; (w = ds_word_next(&p, &len));)
		if (add || !ds_words_has(text, w, len))
			ds_buf_printf(&next, "%s%.*s", next.len ? " " : "",
				      (int)len, w);
	for (p = add ? text : NULL; (w = ds_word_next(&p, &len));)
		if (!ds_words_has(next.ptr, w, len))
			ds_buf_printf(&next, "%s%.*s", next.len ? " " : "",
				      (int)len, w);
	set_pins(&next);
	ds_buf_free(&next);
	free(old);
	return DS_OK;
}

/* $(docker-pin REF...): protect images from every prune of this run. */
static enum ds_code fn_pin(const struct ds_call *call,
			   unsigned int argc, char **argv,
			   struct ds_buf *out, struct ds_err *err)
{
	(void)call;
	(void)out;
	return change_pins(argc ? argv[0] : NULL, 1, err);
}

/* $(docker-unpin REF...): release pinned images. */
static enum ds_code fn_unpin(const struct ds_call *call,
			     unsigned int argc, char **argv,
			     struct ds_buf *out, struct ds_err *err)
{
	(void)call;
	(void)out;
	return change_pins(argc ? argv[0] : NULL, 0, err);
}

/* $(docker-config FILE): define the pipeline's variables from FILE. */
static enum ds_code fn_config(const struct ds_call *call,
			      unsigned int argc, char **argv,
			      struct ds_buf *out, struct ds_err *err)
{
	char *file = ds_arg(argc, argv, 0);
	struct ds_buf json = DS_BUF_INIT, defs = DS_BUF_INIT;

	(void)call;
	(void)out;
	if (!file)
		ds_err_set(err, DS_E_ARG, "give the file, e.g. "
			   "$(docker-config build-config.json)");
	else if (ds_buf_read_file(&json, file, err) == DS_OK &&
		 ds_config_to_make(&defs, json.ptr ? json.ptr : "", json.len,
				   file, err) == DS_OK && defs.ptr)
		gmk_eval(defs.ptr, NULL);
	ds_buf_free(&json);
	ds_buf_free(&defs);
	free(file);
	return err->code;
}

/*
 * $(docker-platforms): PLATFORMS (default linux/amd64), plus linux/arm64
 * for a release (RELEASE says yes, or a tagged commit when RELEASE is
 * unset or empty; units.h's yes/no rule);
 * warns once per make run about platforms this host would emulate.
 */
static enum ds_code fn_platforms(const struct ds_call *call,
				 unsigned int argc, char **argv,
				 struct ds_buf *out, struct ds_err *err)
{
	static int warned;
	char *requested = getvar(NULL, "PLATFORMS");
	struct ds_buf slow = DS_BUF_INIT, msg = DS_BUF_INIT;
	int release = -1;

	(void)call;
	(void)argc;
	(void)argv;
	/* RELEASE unset (or empty): a tagged commit is a release */
	if (flag_var("RELEASE", -1, &release, err) == DS_OK && release < 0)
		release = ds_platforms_head_is_tagged();
	if (err->code == DS_OK &&
	    ds_platforms_pick(out, requested, release, err) == DS_OK &&
	    !warned &&
	    ds_platforms_emulated(&slow, out->ptr,
				  ds_platforms_host_arch()) == DS_OK &&
	    slow.len) {
		warned = 1;
		ds_buf_printf(&msg, "$(warning dockspace: %s would build "
			      "under emulation on this %s host: minutes "
			      "become hours (build it on a native runner, or "
			      "only for releases))", slow.ptr,
			      ds_platforms_host_arch());
		gmk_eval(msg.ptr, NULL);
	}
	ds_buf_free(&slow);
	ds_buf_free(&msg);
	free(requested);
	return err->code;
}

/*
 * $(docker-yes VAR): "1" when make variable VAR says yes, empty when it
 * says no or is unset, an error naming VAR for anything else (the one
 * yes/no rule of units.h, for dockspace.mk and makefiles).
 */
static enum ds_code fn_yes(const struct ds_call *call, unsigned int argc,
			   char **argv, struct ds_buf *out,
			   struct ds_err *err)
{
	char *name = ds_arg(argc, argv, 0);
	int yes = 0;

	(void)call;
	if (!name)
		ds_err_set(err, DS_E_ARG, "give a variable name, e.g. "
			   "$(docker-yes DRY_RUN)");
	else if (strlen(name) > 200 || strpbrk(name, " \t$()"))
		ds_err_set(err, DS_E_ARG, "invalid variable name '%.200s'",
			   name);
	else if (flag_var(name, 0, &yes, err) == DS_OK && yes)
		ds_buf_puts(out, "1");
	free(name);
	return err->code;
}

/* Every function dockspace adds to make. */
static const struct ds_fn functions[] = {
	{ "docker-space", fn_space, 2, "[UNIT][,PATH]" },
	{ "docker-tier", fn_tier, 3, "[FULL,MEDIUM,MINIMAL]" },
	{ "docker-fits", fn_fits, 1, "SIZE" },
	{ "docker-usage", fn_usage, 1, "[table|json]" },
	{ "docker-engine", fn_engine, 0, NULL },
	{ "docker-prune", fn_prune, 16, "WHAT[,OPTION...]" },
	{ "docker-pin", fn_pin, 1, "REF..." },
	{ "docker-unpin", fn_unpin, 1, "REF..." },
	{ "docker-config", fn_config, 1, "FILE" },
	{ "docker-platforms", fn_platforms, 0, NULL },
	{ "docker-yes", fn_yes, 1, "VAR" },
	{ NULL, NULL, 0, NULL }
};

/* The tables of functions make gets: this file's and the others'. */
static const struct ds_fn *const tables[] = { functions, ds_fns_images,
						ds_fns_report, ds_fns_handoff, NULL };

/* Print "dockspace: MSG" as a make warning at the caller's line. */
static void warn(const char *msg)
{
	struct ds_err err = DS_ERR_INIT;

	ds_err_set(&err, DS_E_IO, "%s", msg);
	raise_in_make(NULL, &err, 1);
}

/* getvar() for implementations in other files. */
static char *call_getvar(const char *name)
{
	return getvar(NULL, name);
}

/* What implementations in other files get from the glue (call.h). */
static const struct ds_call call = { call_getvar, get_engine, measure,
				     warn };

/*
 * The one entry point make calls for every dockspace function: checks
 * the argument count, runs the function, and hands its text to make or
 * reports its error.  Functions are registered with one argument more
 * than they take, so that extra commas are caught here instead of being
 * glued into the last argument.
 */
static char *dispatch(const char *name, unsigned int argc, char **argv)
{
	const struct ds_fn *f = NULL, *t;
	struct ds_buf out = DS_BUF_INIT;
	struct ds_err err = DS_ERR_INIT;
	char *result;
	size_t i;

	for (i = 0; tables[i] && !f; i++)
		for (t = tables[i]; t->name && !f; t++)
			if (strcmp(t->name, name) == 0)
				f = t;
	if (!f)
		ds_err_set(&err, DS_E_ARG, "unknown function '%s'", name);
	else if (argc > f->max && f->max == 0 &&
		 (argc > 1 || !ds_is_blank(argv[0])))
		ds_err_set(&err, DS_E_ARG, "takes no arguments");
	else if (argc > f->max && f->max > 0)
		ds_err_set(&err, DS_E_ARG, "too many arguments (%u): use "
			   "$(%s %s)", argc, name, f->usage);
	else
		f->impl(&call, argc, argv, &out, &err);
	if (err.code != DS_OK) {
		ds_buf_free(&out);
		return fail(name, &err);
	}
	result = out.len ? give(out.ptr, out.len) : NULL;
	ds_buf_free(&out);
	return result;
}

/*
 * Register the functions, and for each a variable of the same name that
 * calls it, so that $(docker-space) works as well as $(docker-space ).
 * The definitions are evaluated with no floc: make then uses the
 * location of the load line it is reading, the same place it passes as
 * floc.  Never touching make's floc keeps a module built for one setup
 * ABI from crashing in a make of the other (a make after 4.4.1 passes
 * the ABI number where a module built for 4.4.1 expects the floc).
 */
static int setup(void)
{
	struct ds_buf defs = DS_BUF_INIT;
	const struct ds_fn *f;
	size_t i;

	for (i = 0; tables[i]; i++) {
		for (f = tables[i]; f->name; f++) {
			gmk_add_function(f->name, dispatch, 0, f->max + 1,
					 GMK_FUNC_DEFAULT);
			ds_buf_printf(&defs, "%s = $(%s )\n", f->name,
				      f->name);
		}
	}
	ds_buf_puts(&defs, "DOCKSPACE_VERSION := " VERSION "\n");
	if (!defs.ptr)
		return 0;
	gmk_eval(defs.ptr, NULL);
	ds_buf_free(&defs);
	return 1;
}

#ifdef GMK_ABI_VERSION
/* Entry point for GNU Make with the versioned setup ABI (after 4.4.1). */
EXPORT int dockspace_gmk_setup(unsigned int abi, const gmk_floc *floc)
{
	(void)abi;
	(void)floc;
	return setup();
}

/* Called by GNU Make after 4.4.1 before it unloads the object. */
EXPORT void dockspace_gmk_unload(void)
{
	ds_engine_close(engine);
	engine = NULL;
	ds_http_global_cleanup();
}
#else
/* Entry point for GNU Make 4.0 to 4.4.1. */
EXPORT int dockspace_gmk_setup(const gmk_floc *floc)
{
	(void)floc;   /* the ABI number when a later make calls us */
	return setup();
}
#endif
