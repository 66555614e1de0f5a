/*
 * hints.h: the known causes of large image layers, as data.
 *
 * Each hint names the instructions it looks at (kinds: the first word
 * of a cleaned instruction, see layers.h), what must appear in the
 * instruction (one alternative of `when` and, if set, one of `also`) and
 * what must not (any alternative of `unless`).  Alternatives are
 * separated by '|' and compared without regard to case; an alternative
 * ending in '$' must end the instruction.  A hint with whole_context
 * matches instead a COPY or ADD of the whole build context (a source
 * "." or "./", or the "dir:<hash>" the legacy builder and Buildah
 * record) that added at least the context size.
 *
 * Pure: no I/O, no allocation.  The table is static and ends with an
 * entry whose id is NULL; tests/unit/test_hints.c has a case for each.
 */
#ifndef DS_HINTS_H
#define DS_HINTS_H

#include <stddef.h>
#include <stdint.h>

/* Default DOCKSPACE_HINT_CONTEXT_SIZE: 100MB. */
#define DS_HINT_CONTEXT_SIZE 100000000ULL

struct ds_hint {
	const char *id;      /* short name, e.g. "cuda-wheels" */
	const char *kinds;   /* instructions, blank-separated: "RUN" */
	const char *when;    /* one of these must appear */
	const char *also;    /* and one of these (NULL: no condition) */
	const char *unless;  /* none of these may appear (NULL: none) */
	int whole_context;   /* a COPY/ADD of the whole build context */
	const char *text;    /* what to do about it */
};

/* Every hint, in the order they are shown; ends with id NULL. */
extern const struct ds_hint ds_hints[];

/* The hint named id, or NULL. */
const struct ds_hint *ds_hint_find(const char *id);

/*
 * 1 when hint h applies to a layer that the (cleaned) instruction
 * created, size bytes large; context_size is the whole-context
 * threshold.
 */
int ds_hint_matches(const struct ds_hint *h, const char *instruction,
		    int64_t size, uint64_t context_size);

/*
 * The hints that apply, in table order: up to max pointers into the
 * table in out; returns how many.
 */
size_t ds_hints_for(const char *instruction, int64_t size,
		    uint64_t context_size, const struct ds_hint **out,
		    size_t max);

#endif
