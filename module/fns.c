/*
 * fns.c: the one list of make functions (fns.h), for the module and
 * the command alike.
 */
#include <string.h>

#include "fns.h"
#include "words.h"

/* Every table of functions, in the order make registers them. */
const struct ds_fn *const ds_fns[] = { ds_fns_space, ds_fns_prune,
				       ds_fns_images, ds_fns_report,
				       ds_fns_config, ds_fns_pipeline,
				       ds_fns_handoff, NULL };

/* The function called name, or NULL (see fns.h). */
const struct ds_fn *ds_fn_find(const char *name)
{
	const struct ds_fn *t;
	size_t i;

	for (i = 0; ds_fns[i]; i++)
		for (t = ds_fns[i]; t->name; t++)
			if (strcmp(t->name, name) == 0)
				return t;
	return NULL;
}

/* Check the name and argument count, then run the function (fns.h). */
enum ds_code ds_fn_run(const struct ds_call *call, const char *name,
		       unsigned int argc, char **argv, struct ds_buf *out,
		       struct ds_err *err)
{
	const struct ds_fn *f = ds_fn_find(name);

	if (!f)
		return ds_err_set(err, DS_E_ARG, "unknown function '%s'", name);
	if (argc > f->max && f->max == 0 &&
	    (argc > 1 || !ds_is_blank(argv[0])))
		return ds_err_set(err, DS_E_ARG, "takes no arguments");
	if (argc > f->max && f->max > 0)
		return ds_err_set(err, DS_E_ARG, "too many arguments (%u): use "
				  "$(%s %s)", argc, name, f->usage);
	/* the implementation may append freely: a failed append sticks
	 * (buf.h) and is reported here, once */
	if (f->impl(call, argc, argv, out, err) == DS_OK &&
	    ds_buf_error(out) != DS_OK)
		ds_err_set(err, ds_buf_error(out), "out of memory");
	return err->code;
}
