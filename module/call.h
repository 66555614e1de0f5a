/*
 * call.h: what the implementation of a make function gets from the glue.
 *
 * glue.c is the only file that talks to make; a function implemented in
 * another file receives these services instead, and returns its text in
 * out (owned by the glue, which hands it to make) or an error in err
 * (which the glue raises at the caller's file:line).
 */
#ifndef DS_CALL_H
#define DS_CALL_H

#include <stdint.h>

#include "buf.h"
#include "ci.h"
#include "engine.h"
#include "error.h"
#include "space.h"

struct ds_call {
	/* A make variable's value (the environment included), trimmed and
	 * malloc'd (the caller frees it); NULL when unset or empty. */
	char *(*getvar)(const char *name);
	/* The engine, connected on first use and kept by the glue. */
	enum ds_code (*engine)(struct ds_engine **out, struct ds_err *err);
	/* Print "dockspace: MSG" as a warning (make: at the caller's
	 * line; the command: on stderr). */
	void (*warn)(const char *msg);
	/* Keep NAME=VALUE for the rest of the run, for later calls and
	 * the commands they run (make: an exported variable; the
	 * command: a file in the state directory, see cli.c). */
	enum ds_code (*setvar)(const char *name, const char *value,
			       struct ds_err *err);
	/* Hand make text (variable definitions) to the caller: make
	 * evaluates it, the command prints it. */
	enum ds_code (*define)(const char *text, struct ds_err *err);
};

/* A make function's implementation. */
typedef enum ds_code (*ds_fn_impl)(const struct ds_call *call,
				   unsigned int argc, char **argv,
				   struct ds_buf *out, struct ds_err *err);

/* One make function: its name, implementation and argument count. */
struct ds_fn {
	const char *name;
	ds_fn_impl impl;
	unsigned int max;   /* arguments it takes at most */
	const char *usage;  /* for the argument-count message; NULL: none */
};

/*
 * Services every implementation builds on the ones above (call.c):
 * typed variables, the engine from the variables, CI output.
 */

/* Read a size variable into *out (dflt when unset); *set (may be NULL)
 * says whether it was given, *text (may be NULL) gets its malloc'd
 * value or NULL. */
enum ds_code ds_call_size(const struct ds_call *call, const char *name,
			  uint64_t dflt, uint64_t *out, int *set, char **text,
			  struct ds_err *err);

/* Read a yes/no variable (units.h's rule) into *out; unset is dflt. */
enum ds_code ds_call_flag(const struct ds_call *call, const char *name,
			  int dflt, int *out, struct ds_err *err);

/* Read a duration variable in seconds, from 1 to max; unset is dflt. */
enum ds_code ds_call_seconds(const struct ds_call *call, const char *name,
			     uint64_t dflt, uint64_t max, uint64_t *out,
			     struct ds_err *err);

/* Connect to the engine the variables name (DOCKER_HOST, DOCKER_CONTEXT,
 * DOCKSPACE_TIMEOUT, the cache...); *out is the caller's to close. */
enum ds_code ds_call_connect(const struct ds_call *call,
			     struct ds_engine **out, struct ds_err *err);

/* A glue's engine service: connect into *kept (the glue's, closed by
 * it) on first use, then hand out *kept. */
enum ds_code ds_call_engine_once(const struct ds_call *call,
				 struct ds_engine **kept,
				 struct ds_engine **out, struct ds_err *err);

/* Free space as $(docker-space) measures it: for the engine
 * (call->engine), or for path when given, within DOCKSPACE_BUDGET when
 * set. */
enum ds_code ds_call_measure(const struct ds_call *call, const char *path,
			     struct ds_space *out, struct ds_err *err);

/* Which CI this runs in (GITHUB_ACTIONS, GITLAB_CI). */
enum ds_ci ds_call_ci(const struct ds_call *call);

/* In GitHub Actions, write NAME=VALUE to $GITHUB_OUTPUT; a failure to
 * write is a warning (call->warn), never an error. */
void ds_call_output(const struct ds_call *call, const char *name,
		    const char *value);

/* ds_call_output() of a signed number. */
void ds_call_output_number(const struct ds_call *call, const char *name,
			   int64_t value);

/* In GitHub Actions, print text (up to its first newline) on stdout as
 * an annotation of level (error, warning), so it shows on the run's
 * page. */
void ds_call_annotate(const struct ds_call *call, const char *level,
		      const char *text);

/* The state directory (DOCKSPACE_STATE_DIR, default ".dockspace"),
 * malloc'd (the caller frees it); NULL when out of memory. */
char *ds_call_state_dir(const struct ds_call *call);

/* Every pin in force: DOCKSPACE_PINS and the command's pins file in the
 * state directory (`dockspace pin`), each once, space-separated, into
 * *out, malloc'd (the caller frees it); NULL when there are none.  Out of
 * memory is DS_E_NOMEM, never fewer pins. */
enum ds_code ds_call_pins(const struct ds_call *call, char **out,
			  struct ds_err *err);

/* Write text on stdout now, flushed, so that it lands in order with the
 * output of the commands make runs. */
void ds_call_print(const char *text, size_t len);

#endif
