/*
 * call.c: the services every make function's implementation builds on
 * the glue's few (call.h): typed variables, the engine the variables
 * name, free space, and CI output.  One copy, for the module and the
 * command alike.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "call.h"
#include "endpoint.h"
#include "units.h"
#include "words.h"

/* Read a size variable into *out (see call.h). */
enum ds_code ds_call_size(const struct ds_call *call, const char *name,
			  uint64_t dflt, uint64_t *out, int *set, char **text,
			  struct ds_err *err)
{
	enum ds_code result = DS_OK;
	struct ds_err local = DS_ERR_INIT;
	char *v = call->getvar(name);

	*out = dflt;
	if (set)
		*set = v != NULL;
	if (text)
		*text = NULL;
	if (v && ds_size_parse(v, out, &local) != DS_OK)
		result = ds_err_set(err, DS_E_CONFIG, "%s: %s", name,
				    local.msg);
	if (text && result == DS_OK)
		*text = v;
	else
		free(v);
	return result;
}

/* Read a yes/no variable (see call.h). */
enum ds_code ds_call_flag(const struct ds_call *call, const char *name,
			  int dflt, int *out, struct ds_err *err)
{
	char *v = call->getvar(name);
	struct ds_err local = DS_ERR_INIT;

	*out = dflt;
	if (v && ds_bool_parse(v, out, &local) != DS_OK)
		ds_err_set(err, DS_E_CONFIG, "%s: %s", name, local.msg);
	free(v);
	return err->code;
}

/* Read a duration variable in seconds (see call.h). */
enum ds_code ds_call_seconds(const struct ds_call *call, const char *name,
			     uint64_t dflt, uint64_t max, uint64_t *out,
			     struct ds_err *err)
{
	char *v = call->getvar(name);
	struct ds_err local = DS_ERR_INIT;

	*out = dflt;
	if (v && (ds_duration_parse(v, out, &local) != DS_OK || *out == 0 ||
		  *out > max))
		ds_err_set(err, DS_E_CONFIG, "invalid %s '%s': give seconds "
			   "from 1 to %" PRIu64 ", e.g. 30", name, v, max);
	free(v);
	return err->code;
}

/*
 * Where replies are kept between runs: DOCKSPACE_CACHE_DIR, else
 * $XDG_RUNTIME_DIR/dockspace, else /tmp/dockspace-UID; none when
 * DOCKSPACE_CACHE says no (units.h's yes/no rule; unset is yes).
 * Writes the directory to dir (n bytes) and sets *out to it, or to NULL.
 */
static enum ds_code cache_dir(const struct ds_call *call, char *dir,
			      size_t n, const char **out, struct ds_err *err)
{
	char *set = call->getvar("DOCKSPACE_CACHE_DIR");
	char *run = call->getvar("XDG_RUNTIME_DIR");
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
	if (ds_call_flag(call, "DOCKSPACE_CACHE", 1, &on, err) == DS_OK && on)
		*out = dir;
	return err->code;
}

/* call->getvar in endpoint.h's form (ctx is the call). */
static char *endpoint_getvar(void *ctx, const char *name)
{
	const struct ds_call *call = ctx;

	return call->getvar(name);
}

/* Connect to the engine the variables name (see call.h). */
enum ds_code ds_call_connect(const struct ds_call *call,
			     struct ds_engine **out, struct ds_err *err)
{
	enum ds_code result;
	struct ds_endpoint ep = { 0 };
	struct ds_engine_opts opts = { 0 };
	char *pinned = NULL, dir[4096];
	uint64_t secs, ttl;

	result = ds_call_seconds(call, "DOCKSPACE_TIMEOUT", 120, 86400, &secs,
				 err);
	if (result == DS_OK)
		result = ds_call_seconds(call, "DOCKSPACE_CACHE_TTL", 60,
					 86400, &ttl, err);
	if (result == DS_OK)
		result = cache_dir(call, dir, sizeof(dir), &opts.cache_dir,
				   err);
	if (result != DS_OK)
		return result;
	pinned = call->getvar("DOCKER_API_VERSION");
	result = ds_endpoint_resolve(&ep, endpoint_getvar, (void *)call, err);
	if (result != DS_OK)
		goto done;
	opts.pinned_api = pinned;
	opts.timeout_ms = (long)secs * 1000;
	opts.cache_ttl = (long)ttl;
	result = ds_engine_connect(out, &ep, &opts, err);
done:
	ds_endpoint_free(&ep);
	free(pinned);
	return result;
}

/* Connect on first use, then hand out the same engine (see call.h). */
enum ds_code ds_call_engine_once(const struct ds_call *call,
				 struct ds_engine **kept,
				 struct ds_engine **out, struct ds_err *err)
{
	enum ds_code result = DS_OK;

	if (!*kept)
		result = ds_call_connect(call, kept, err);
	if (result == DS_OK)
		*out = *kept;
	return result;
}

/* Measure free space for the engine, or for path (see call.h). */
enum ds_code ds_call_measure(const struct ds_call *call, const char *path,
			     struct ds_space *out, struct ds_err *err)
{
	enum ds_code result;
	struct ds_space_opts opts = { 0 };
	struct ds_engine *e = NULL;

	opts.path = path;
	result = ds_call_size(call, "DOCKSPACE_BUDGET", 0, &opts.budget,
			      &opts.have_budget, NULL, err);
	if (result == DS_OK && !path)
		result = call->engine(&e, err);
	if (result == DS_OK)
		result = ds_space_measure(e, &opts, out, err);
	return result;
}

/* Which CI this runs in (see call.h). */
enum ds_ci ds_call_ci(const struct ds_call *call)
{
	char *gh = call->getvar("GITHUB_ACTIONS");
	char *gl = call->getvar("GITLAB_CI");
	enum ds_ci ci = ds_ci_detect(gh, gl);

	free(gh);
	free(gl);
	return ci;
}

/* In GitHub Actions, write NAME=VALUE to $GITHUB_OUTPUT (see call.h). */
void ds_call_output(const struct ds_call *call, const char *name,
		    const char *value)
{
	char *path;
	struct ds_err err = DS_ERR_INIT;

	if (ds_call_ci(call) != DS_CI_GITHUB ||
	    !(path = call->getvar("GITHUB_OUTPUT")))
		return;
	if (ds_ci_output(path, name, value, &err) != DS_OK)
		call->warn(err.msg);
	free(path);
}

/* ds_call_output() of a signed number. */
void ds_call_output_number(const struct ds_call *call, const char *name,
			   int64_t value)
{
	char text[32];

	snprintf(text, sizeof(text), "%" PRId64, value);
	ds_call_output(call, name, text);
}

/* In GitHub Actions, print an annotation (see call.h). */
void ds_call_annotate(const struct ds_call *call, const char *level,
		      const char *text)
{
	struct ds_buf line = DS_BUF_INIT, b = DS_BUF_INIT;

	if (ds_call_ci(call) != DS_CI_GITHUB)
		return;
	ds_buf_add(&line, text, strcspn(text, "\n"));
	if (ds_buf_error(&line) == DS_OK &&
	    ds_ci_annotation(&b, level, NULL, line.ptr) == DS_OK) {
		fputs(b.ptr, stdout);
		fflush(stdout);
	}
	ds_buf_free(&line);
	ds_buf_free(&b);
}

/* The state directory: DOCKSPACE_STATE_DIR, else ".dockspace". */
char *ds_call_state_dir(const struct ds_call *call)
{
	char *dir = call->getvar("DOCKSPACE_STATE_DIR");

	return dir ? dir : strdup(".dockspace");
}

/* Write text on stdout now (make's own output is line-buffered too). */
void ds_call_print(const char *text, size_t len)
{
	if (len) {
		fwrite(text, 1, len, stdout);
		fflush(stdout);
	}
}

/* Every pin in force: DOCKSPACE_PINS (this make run's, or the command's
 * when it has no file) and the command's state file DIR/pins (pins made
 * with `dockspace pin`, kept until unpinned), each once, space-separated,
 * into *out (NULL when there are none).  Out of memory is an error, never
 * fewer pins. */
enum ds_code ds_call_pins(const struct ds_call *call, char **out,
			  struct ds_err *err)
{
	char *var = call->getvar("DOCKSPACE_PINS"), *dir;
	enum ds_code result = DS_OK;
	struct ds_buf path = DS_BUF_INIT, file = DS_BUF_INIT;
	struct ds_buf all = DS_BUF_INIT;
	struct ds_err ignored = DS_ERR_INIT;
	const char *p, *w;
	size_t len, i;

	*out = NULL;
	dir = ds_call_state_dir(call);
	if (dir && ds_buf_printf(&path, "%s/pins", dir) == DS_OK &&
	    ds_buf_read_file(&file, path.ptr, &ignored) != DS_OK &&
	    ignored.code != DS_E_NOMEM)
		ds_buf_reset(&file);   /* no file: no pins of the command */
	for (i = 0; i < 2; i++)
		for (p = i ? file.ptr : var; p && (w = ds_word_next(&p, &len));)
			if (!ds_words_has(all.ptr, w, len))
				ds_buf_printf(&all, "%s%.*s", all.len ? " " : "",
					      (int)len, w);
	if (!dir || ds_buf_error(&path) != DS_OK || ds_buf_error(&file) !=
	    DS_OK || ignored.code == DS_E_NOMEM || ds_buf_error(&all) != DS_OK)
		result = ds_err_set(err, DS_E_NOMEM, "out of memory reading "
				    "the pins");
	else if (all.len)
		*out = ds_buf_detach(&all);
	ds_err_clear(&ignored);
	ds_buf_free(&path);
	ds_buf_free(&file);
	ds_buf_free(&all);
	free(dir);
	free(var);
	return result;
}
