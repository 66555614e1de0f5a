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

#include "buf.h"
#include "engine.h"
#include "error.h"
#include "space.h"

struct ds_call {
	/* A make variable's value (the environment included), trimmed and
	 * malloc'd (the caller frees it); NULL when unset or empty. */
	char *(*getvar)(const char *name);
	/* The engine, connected on first use and kept by the glue. */
	enum ds_code (*engine)(struct ds_engine **out, struct ds_err *err);
	/* Free space as $(docker-space) measures it; path may be NULL. */
	enum ds_code (*space)(const char *path, struct ds_space *out,
			      struct ds_err *err);
	/* Print "dockspace: MSG" as a make warning at the caller's line. */
	void (*warn)(const char *msg);
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

#endif
