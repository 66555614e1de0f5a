/*
 * layers.h: where an image's bytes are, from its history.  Pure: no
 * I/O; builds lists and text from parsed history (model.h).
 *
 * A history step's CreatedBy is the builder's record of the instruction;
 * it is cleaned into the Dockerfile line a person wrote:
 *   "/bin/sh -c #(nop)  CMD [\"sh\"]"          -> "CMD [\"sh\"]"
 *   "/bin/sh -c #(nop) COPY dir:ab12 in /app " -> "COPY dir:ab12 in /app"
 *   "|1 PY=3.11 /bin/sh -c pip install torch"  -> "RUN pip install torch"
 *   "RUN |1 PY=3.11 /bin/sh -c pip install torch # buildkit"
 *                                              -> "RUN pip install torch"
 *   "/bin/sh -c [\"pip\", \"install\", \"torch\"]" (Buildah, exec form)
 *                                              -> "RUN pip install torch"
 * (any shell that the SHELL instruction set, e.g. "/bin/bash -o pipefail
 * -c", goes the same way; runs of white space become one space).
 *
 * The layers shown are the steps that added bytes (size > 0), largest
 * first; equal sizes newest first.  Each carries the hints (hints.h)
 * that apply to it.
 *
 * Text, one line a layer, sizes as docker prints them, right-aligned:
 *     "  45MB  RUN pip install torch   hint: use the CPU wheel index ..."
 * (an instruction longer than DS_LAYERS_TEXT_WIDTH is cut, ending in
 * "..."; several hints are joined with "; ").  JSON, one array:
 *     [{"size":45000000,"size_human":"45MB","instruction":"RUN ...",
 *       "created_by":"...","created":1700000000,"id":"<missing>",
 *       "hints":[{"id":"cuda-wheels","text":"..."}]}]
 *
 * Memory: ds_layer_instruction returns a string the caller frees;
 * ds_layers_top fills a new list freed with ds_layers_free (which owns
 * copies of the strings it needs, so the history may be freed first).
 */
#ifndef DS_LAYERS_H
#define DS_LAYERS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "hints.h"
#include "model.h"

#define DS_LAYERS_DEFAULT_TOP 5
#define DS_LAYERS_TEXT_WIDTH 100 /* characters of an instruction shown */
#define DS_LAYER_MAX_HINTS 8

/* One layer as docker-layers shows it. */
struct ds_layer {
	size_t index;              /* place in the history, 0 = newest */
	char *id;                  /* as the engine says: "<missing>" ... */
	int64_t created;           /* unix seconds */
	int64_t size;              /* bytes */
	char *created_by;          /* the engine's text */
	char *instruction;         /* cleaned */
	const struct ds_hint *hints[DS_LAYER_MAX_HINTS];
	size_t n_hints;
};

/* The cleaned instruction of a CreatedBy (see above); NULL: no memory. */
char *ds_layer_instruction(const char *created_by);

/*
 * The top (at least 1) largest layers of a history (newest first, as
 * the engine lists it), with their hints; context_size is the
 * whole-context threshold (DOCKSPACE_HINT_CONTEXT_SIZE).
 */
enum ds_code ds_layers_top(struct ds_layer **out, size_t *n,
			   const struct ds_history *history, size_t n_history,
			   size_t top, uint64_t context_size,
			   struct ds_err *err);

/* Release a list from ds_layers_top. */
void ds_layers_free(struct ds_layer *list, size_t n);

/* Append one layer's line, its size right-aligned in width characters
 * (0: no padding); no newline. */
enum ds_code ds_layers_line(struct ds_buf *out, const struct ds_layer *l,
			    int width);

/* Append the text form: one line a layer, "\n" between lines. */
enum ds_code ds_layers_text(struct ds_buf *out, const struct ds_layer *list,
			    size_t n);

/* Append the JSON form: one array on one line. */
enum ds_code ds_layers_json(struct ds_buf *out, const struct ds_layer *list,
			    size_t n);

#endif
