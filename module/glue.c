/*
 * glue.c: the GNU Make side of dockspace.  The only file that calls
 * gmk_*: registers the functions (fns.h; each lives in an fn_*.c file
 * behind struct ds_call), gives them make's services (variables, the
 * engine kept for the run, warnings, exported variables, eval), returns
 * their text in gmk_alloc'd strings and turns every failure into one
 * $(error) (or $(warning) with DOCKSPACE_ON_ERROR=warn).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnumake.h>

#include "call.h"
#include "fns.h"
#include "http.h"
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

/* The services below, declared for the table that hands them out. */
static char *getvar(const char *name);
static enum ds_code get_engine(struct ds_engine **out, struct ds_err *err);
static void warn(const char *msg);
static enum ds_code setvar(const char *name, const char *value,
			   struct ds_err *err);
static enum ds_code define(const char *text, struct ds_err *err);

/* What the functions' implementations get from the glue (call.h). */
static const struct ds_call call = { getvar, get_engine, warn,
				     setvar, define };

/*
 * The value of make variable NAME (the environment included), trimmed,
 * as a malloc'd string; NULL when unset or empty (call.h's getvar).
 */
static char *getvar(const char *name)
{
	struct ds_buf ref = DS_BUF_INIT;
	char *raw, *val;

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
	char *mode = getvar("DOCKSPACE_ON_ERROR");
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
	if (ds_buf_error(&b) == DS_OK) {
		ds_call_annotate(&call, warn ? "warning" : "error",
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

/* Connect to the engine on first use; later calls reuse it. */
static enum ds_code get_engine(struct ds_engine **out, struct ds_err *err)
{
	return ds_call_engine_once(&call, &engine, out, err);
}

/*
 * Set the exported make variable NAME to value, for the functions and
 * recipes that follow ($ and # kept literal, no line feeds).
 */
static enum ds_code setvar(const char *name, const char *value,
			   struct ds_err *err)
{
	struct ds_buf line = DS_BUF_INIT;
	const char *p;

	ds_buf_printf(&line, "export %s := ", name);
	for (p = value; *p; p++) {
		if (*p == '$')
			ds_buf_puts(&line, "$$");
		else if (*p == '#')
			ds_buf_puts(&line, "\\#");
		else if (*p != '\n')
			ds_buf_add(&line, p, 1);
	}
	if (ds_buf_puts(&line, "\n") != DS_OK) {
		ds_buf_free(&line);
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	}
	gmk_eval(line.ptr, NULL);
	ds_buf_free(&line);
	return DS_OK;
}

/* Have make evaluate text (variable definitions). */
static enum ds_code define(const char *text, struct ds_err *err)
{
	(void)err;
	gmk_eval(text, NULL);
	return DS_OK;
}

/* Print "dockspace: MSG" as a make warning at the caller's line. */
static void warn(const char *msg)
{
	struct ds_err err = DS_ERR_INIT;

	ds_err_set(&err, DS_E_IO, "%s", msg);
	raise_in_make(NULL, &err, 1);
}

/*
 * The one entry point make calls for every dockspace function: checks
 * the argument count and runs the function (ds_fn_run), and hands its
 * text to make or reports its error.  Functions are registered with one
 * argument more than they take, so that extra commas are caught instead
 * of being glued into the last argument.
 */
static char *dispatch(const char *name, unsigned int argc, char **argv)
{
	struct ds_buf out = DS_BUF_INIT;
	struct ds_err err = DS_ERR_INIT;
	char *result;

	if (ds_fn_run(&call, name, argc, argv, &out, &err) != DS_OK) {
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

	for (i = 0; ds_fns[i]; i++) {
		for (f = ds_fns[i]; f->name; f++) {
			gmk_add_function(f->name, dispatch, 0, f->max + 1,
					 GMK_FUNC_DEFAULT);
			ds_buf_printf(&defs, "%s = $(%s )\n", f->name,
				      f->name);
		}
	}
	if (ds_buf_puts(&defs, "DOCKSPACE_VERSION := " VERSION "\n") !=
	    DS_OK) {
		ds_buf_free(&defs);
		return 0;
	}
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
