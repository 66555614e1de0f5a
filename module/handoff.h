/*
 * handoff.h: $(docker-handoff REF...,TO[,prune-source]): move built
 * images to where they run, streamed, then free the builder.  An
 * operation (engine.c, ctr.c, ledger.c underneath).
 *
 * Phases, each named in a failure's message with the image:
 *   inspect  each REF on the source engine: its ID and every tag (all
 *            tags go, so that "every tag present" can be checked);
 *   stream   engine: GET /images/get into the destination's POST
 *            /images/load (ds_engine_relay_images: a 4 MiB ring, no
 *            file); containerd: GET /images/get into `ctr images import
 *            -` through a pipe; file: GET /images/get into PATH.PID.tmp,
 *            renamed to PATH once verified.  One image at a time (the
 *            file: all in one archive).  An engine or containerd that
 *            already has every name with the same ID is not sent the
 *            image again (a re-run, or prune-source after a copy);
 *   verify   every tag of the image names the same image ID (config
 *            digest) on the destination (engine: /images/{tag}/json;
 *            containerd: the manifest's config; file: manifest.json);
 *   record   one ledger line per tag (ledger.h), state "copied";
 *   remove   with prune-source, only images that verified: a prune
 *            planned by prune.c with only= those IDs (images, then the
 *            build-cache records they alone held; pins, protect labels
 *            and containers keep an image as in any prune), then
 *            "removed" ledger lines for the images that went.
 * Nothing is removed from the source when any phase before it failed,
 * for any image.  A REF the source lacks that the ledger says was
 * handed off and removed: to the same TO it is skipped with a note (a
 * re-run), to another TO it is an error saying where it went.
 *
 * Memory: out receives the text; everything else is borrowed.
 */
#ifndef DS_HANDOFF_H
#define DS_HANDOFF_H

#include <stddef.h>

#include "buf.h"
#include "endpoint.h"
#include "engine.h"
#include "error.h"
#include "prune_run.h"
#include "space.h"

struct ds_handoff_opts {
	const char *to;              /* TO as given (dest.h) */
	int prune_source;
	const char *state_dir;       /* where the ledger is */
	const char *ctr;             /* containerd's client: "ctr" */
	char **pins;                 /* never removed (DOCKSPACE_PINS) */
	size_t n_pins;
	const struct ds_engine_opts *engine_opts; /* for a destination engine */
	ds_getvar_fn getvar;         /* for context:NAME (DOCKER_CONFIG...) */
	void *getvar_ctx;
	const struct ds_space_opts *space_opts;   /* for the removal */
	ds_prune_log_fn log;         /* removal lines and notes */
	void *log_ctx;
	void (*say)(void *ctx, const char *line); /* one line per phase */
	void *say_ctx;
};

/*
 * Hand refs (n) off from src to opts->to; out gets the references
 * handed off (as given), space-separated.  See above.
 */
enum ds_code ds_handoff_run(struct ds_engine *src, char **refs, size_t n,
			    const struct ds_handoff_opts *opts,
			    struct ds_buf *out, struct ds_err *err);

/*
 * The verification decision (pure): tags[i] is expected to name want_id
 * at the destination, where it names got[i] (NULL or "" when absent).
 * DS_OK when all do (n == 0 is DS_E_ARG: nothing was checked); else
 * DS_E_PROTOCOL naming the first tag that is missing or names another
 * image, the image and dest.
 */
enum ds_code ds_handoff_verify(const char *image, const char *want_id,
			       const char *const *tags,
			       const char *const *got, size_t n,
			       const char *dest, struct ds_err *err);

/*
 * $(docker-where REF): "here" when e has the image, else the TO of the
 * latest ledger record for it, else "" (unknown).  e may be NULL.
 */
enum ds_code ds_handoff_where(struct ds_engine *e, const char *ref,
			      const char *state_dir, struct ds_buf *out,
			      struct ds_err *err);

/*
 * When the ledger in state_dir says ref was handed off and removed,
 * replace err (an engine's "no image") with where it went and return
 * 1; else leave err alone and return 0.
 */
int ds_handoff_explain(const char *state_dir, const char *ref,
		       struct ds_err *err);

#endif
