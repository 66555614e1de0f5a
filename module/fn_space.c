/*
 * fn_space.c: make functions (see fns.h) that measure: how much room
 * there is and what the engine holds.
 *
 *   $(docker-space [UNIT][,PATH])        free bytes, or whole UNITs
 *   $(docker-tier [FULL,MEDIUM,MINIMAL]) full, medium, minimal, critical
 *   $(docker-threshold TIER[,UNIT])      the threshold of a tier
 *   $(docker-fits SIZE)                  "yes" when SIZE is free
 *   $(docker-usage [table|json])         the `docker system df` summary
 *   $(docker-engine)                     "KIND VERSION api API ENDPOINT"
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fns.h"
#include "tier.h"
#include "units.h"
#include "usage.h"
#include "words.h"

/* $(docker-space [UNIT][,PATH]): free bytes, or whole UNITs. */
static enum ds_code fn_space(const struct ds_call *call,
			     unsigned int argc, char **argv,
			     struct ds_buf *out, struct ds_err *err)
{
	struct ds_space space;
	char *unit = ds_arg(argc, argv, 0), *path = ds_arg(argc, argv, 1);
	uint64_t per = 1;

	if ((!unit || ds_unit_parse(unit, &per, err) == DS_OK) &&
	    ds_call_measure(call, path, &space, err) == DS_OK) {
		ds_buf_printf(out, "%" PRIu64, space.free / per);
		if (!path)
			ds_call_output_number(call, "free_bytes",
					      (int64_t)space.free);
	}
	free(unit);
	free(path);
	return err->code;
}

/* Read one tier threshold from an argument, a variable or the default. */
static enum ds_code tier_limit(const struct ds_call *call,
			       unsigned int argc, char **argv,
			       unsigned int i, const char *var,
			       uint64_t dflt, uint64_t *out,
			       struct ds_err *err)
{
	enum ds_code result;
	char *v = ds_arg(argc, argv, i);

	if (!v)
		return ds_call_size(call, var, dflt, out, NULL, NULL, err);
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

	for (i = 0; i < argc; i++)
		given += !ds_is_blank(argv[i]);
	if (given && given != 3)
		return ds_err_set(err, DS_E_ARG, "wrong number of arguments "
				  "(%u): give all three thresholds or none, "
				  "e.g. $(docker-tier 8G,5G,2G)", given);
	if (tier_limit(call, argc, argv, 0, "DOCKSPACE_TIER_FULL",
		       DS_TIER_DEFAULT_FULL, &lim.full, err) == DS_OK &&
	    tier_limit(call, argc, argv, 1, "DOCKSPACE_TIER_MEDIUM",
		       DS_TIER_DEFAULT_MEDIUM, &lim.medium, err) == DS_OK &&
	    tier_limit(call, argc, argv, 2, "DOCKSPACE_TIER_MINIMAL",
		       DS_TIER_DEFAULT_MINIMAL, &lim.minimal, err) == DS_OK &&
	    ds_tier_check(&lim, err) == DS_OK &&
	    ds_call_measure(call, NULL, &space, err) == DS_OK) {
		ds_buf_puts(out, ds_tier_name(ds_tier_pick(space.free, &lim)));
		ds_call_output(call, "tier", out->ptr);
		ds_call_output_number(call, "free_bytes", (int64_t)space.free);
	}
	return err->code;
}

/*
 * $(docker-threshold full|medium|minimal[,UNIT]): the tier threshold
 * docker-tier uses (DOCKSPACE_TIER_FULL, ..., else its default), in
 * bytes or whole UNITs; for messages and prune goals in makefiles.
 */
static enum ds_code fn_threshold(const struct ds_call *call,
				 unsigned int argc, char **argv,
				 struct ds_buf *out, struct ds_err *err)
{
	static const struct { const char *name, *var; uint64_t dflt; } t[] = {
		{ "full", "DOCKSPACE_TIER_FULL", DS_TIER_DEFAULT_FULL },
		{ "medium", "DOCKSPACE_TIER_MEDIUM", DS_TIER_DEFAULT_MEDIUM },
		{ "minimal", "DOCKSPACE_TIER_MINIMAL",
		  DS_TIER_DEFAULT_MINIMAL },
	};
	char *name = ds_arg(argc, argv, 0), *unit = ds_arg(argc, argv, 1);
	uint64_t per = 1, bytes;
	size_t i;

	for (i = 0; name && i < 3 && strcmp(t[i].name, name) != 0; i++)
		;
	if (!name || i == 3)
		ds_err_set(err, DS_E_ARG, "invalid tier '%s': expected full, "
			   "medium or minimal", name ? name : "");
	else if ((!unit || ds_unit_parse(unit, &per, err) == DS_OK) &&
		 ds_call_size(call, t[i].var, t[i].dflt, &bytes, NULL, NULL,
			      err) == DS_OK)
		ds_buf_printf(out, "%" PRIu64, bytes / per);
	free(name);
	free(unit);
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

	if (!size)
		ds_err_set(err, DS_E_ARG, "a size is needed, e.g. "
			   "$(docker-fits 3G)");
	else if (ds_size_parse(size, &need, err) == DS_OK &&
		 ds_call_measure(call, NULL, &space, err) == DS_OK &&
		 space.free >= need)
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

	if (format && strcmp(format, "json") == 0)
		json = 1;
	else if (format && strcmp(format, "table") != 0)
		ds_err_set(err, DS_E_ARG, "unknown format '%s': use 'table' "
			   "or 'json'", format);
	if (err->code == DS_OK && call->engine(&e, err) == DS_OK &&
	    ds_engine_df(e, &df, 1, err) == DS_OK &&
	    ds_call_measure(call, NULL, &space, err) == DS_OK &&
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

	(void)argc;
	(void)argv;
	if (call->engine(&e, err) == DS_OK &&
	    ds_engine_version(e, &v, err) == DS_OK)
		ds_buf_printf(out, "%s %s api %s %s",
			      ds_engine_is_podman(e) ? "podman" : "docker",
			      v->version, ds_engine_api(e), ds_engine_url(e));
	return err->code;
}

/* The functions this file adds to make. */
const struct ds_fn ds_fns_space[] = {
	{ "docker-space", fn_space, 2, "[UNIT][,PATH]" },
	{ "docker-tier", fn_tier, 3, "[FULL,MEDIUM,MINIMAL]" },
	{ "docker-threshold", fn_threshold, 2,
	  "full|medium|minimal[,UNIT]" },
	{ "docker-fits", fn_fits, 1, "SIZE" },
	{ "docker-usage", fn_usage, 1, "[table|json]" },
	{ "docker-engine", fn_engine, 0, NULL },
	{ NULL, NULL, 0, NULL }
};
