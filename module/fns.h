/*
 * fns.h: the tables of make functions, each ending with an entry whose
 * name is NULL (see call.h); ds_fns lists them all.  The module
 * (glue.c) and the command (cli.c) serve the same tables.
 */
#ifndef DS_FNS_H
#define DS_FNS_H

#include "call.h"

/* fn_space.c: docker-space, docker-tier, docker-threshold, docker-fits,
 * docker-usage, docker-engine. */
extern const struct ds_fn ds_fns_space[];

/* fn_prune.c: docker-prune, docker-pin, docker-unpin. */
extern const struct ds_fn ds_fns_prune[];

/* fn_config.c: docker-config, docker-platforms [native], docker-yes. */
extern const struct ds_fn ds_fns_config[];

/* fn_images.c: docker-image-size, docker-layers, docker-sizes-report. */
extern const struct ds_fn ds_fns_images[];

/* fn_report.c: docker-checkpoint, docker-report-text, docker-report,
 * docker-monitor. */
extern const struct ds_fn ds_fns_report[];

/* fn_pipeline.c: docker-pipeline-summary, docker-pipeline-record,
 * docker-ci-section (what dockspace.mk's pipeline prints and keeps). */
extern const struct ds_fn ds_fns_pipeline[];

/* fn_handoff.c: docker-handoff, docker-where. */
extern const struct ds_fn ds_fns_handoff[];

/* Every table above, ending with NULL. */
extern const struct ds_fn *const ds_fns[];

/* The function called name in ds_fns, or NULL. */
const struct ds_fn *ds_fn_find(const char *name);

/*
 * Run function name on its arguments (as make splits them): checks the
 * name and the argument count (f->max), then calls the implementation,
 * which appends its text to out (the caller's) or sets err.
 */
enum ds_code ds_fn_run(const struct ds_call *call, const char *name,
		       unsigned int argc, char **argv, struct ds_buf *out,
		       struct ds_err *err);

#endif
