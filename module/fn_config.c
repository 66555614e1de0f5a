/*
 * fn_config.c: make functions (see fns.h) that configure a build.
 *
 *   $(docker-config FILE)   define the pipeline's variables from FILE
 *   $(docker-platforms [native])   the platforms to build for (this
 *                           host's own with native)
 *   $(docker-yes VAR)       "1" when VAR says yes (units.h's rule)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fns.h"
#include "platforms.h"
#include "units.h"
#include "words.h"

/* $(docker-config FILE): define the pipeline's variables from FILE. */
static enum ds_code fn_config(const struct ds_call *call,
			      unsigned int argc, char **argv,
			      struct ds_buf *out, struct ds_err *err)
{
	char *file = ds_arg(argc, argv, 0);
	struct ds_buf json = DS_BUF_INIT, defs = DS_BUF_INIT;

	(void)out;
	if (!file)
		ds_err_set(err, DS_E_ARG, "give the file, e.g. "
			   "$(docker-config build-config.json)");
	else if (ds_buf_read_file(&json, file, err) == DS_OK &&
		 ds_config_to_make(&defs, json.ptr, json.len,
				   file, err) == DS_OK && defs.len)
		call->define(defs.ptr, err);
	ds_buf_free(&json);
	ds_buf_free(&defs);
	free(file);
	return err->code;
}

/*
 * $(docker-platforms [native]): PLATFORMS (default linux/amd64), plus linux/arm64
 * for a release (RELEASE says yes, or a tagged commit when RELEASE is
 * unset or empty; units.h's yes/no rule);
 * warns once per make run about platforms this host would emulate.
 * With "native": this host's own platform (linux/amd64 on x86_64).
 */
static enum ds_code fn_platforms(const struct ds_call *call,
				 unsigned int argc, char **argv,
				 struct ds_buf *out, struct ds_err *err)
{
	static int warned;
	char *requested = call->getvar("PLATFORMS");
	struct ds_buf slow = DS_BUF_INIT, msg = DS_BUF_INIT;
	char *what = ds_arg(argc, argv, 0);
	int release = -1;

	if (what) {
		if (strcmp(what, "native") != 0)
			ds_err_set(err, DS_E_ARG, "invalid argument '%s': "
				   "expected 'native' or nothing", what);
		else if (ds_platforms_native(out) != DS_OK)
			ds_err_set(err, DS_E_NOMEM, "out of memory");
		free(what);
		free(requested);
		return err->code;
	}
	/* RELEASE unset (or empty): a tagged commit is a release */
	if (ds_call_flag(call, "RELEASE", -1, &release, err) == DS_OK &&
	    release < 0)
		release = ds_platforms_head_is_tagged();
	if (err->code == DS_OK &&
	    ds_platforms_pick(out, requested, release, err) == DS_OK &&
	    !warned &&
	    ds_platforms_emulated(&slow, out->ptr,
				  ds_platforms_host_arch()) == DS_OK &&
	    slow.len) {
		warned = 1;
		ds_buf_printf(&msg, "%s would build under emulation on "
			      "this %s host: minutes become hours (build it "
			      "on a native runner, or only for releases)",
			      slow.ptr, ds_platforms_host_arch());
		if (ds_buf_error(&msg) == DS_OK)
			call->warn(msg.ptr);
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

	if (!name)
		ds_err_set(err, DS_E_ARG, "give a variable name, e.g. "
			   "$(docker-yes DRY_RUN)");
	else if (strlen(name) > 200 || strpbrk(name, " \t$()"))
		ds_err_set(err, DS_E_ARG, "invalid variable name '%.200s'",
			   name);
	else if (ds_call_flag(call, name, 0, &yes, err) == DS_OK && yes)
		ds_buf_puts(out, "1");
	free(name);
	return err->code;
}

/* The functions this file adds to make. */
const struct ds_fn ds_fns_config[] = {
	{ "docker-config", fn_config, 1, "FILE" },
	{ "docker-platforms", fn_platforms, 1, "[native]" },
	{ "docker-yes", fn_yes, 1, "VAR" },
	{ NULL, NULL, 0, NULL }
};
