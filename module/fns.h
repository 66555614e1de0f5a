/*
 * fns.h: the tables of make functions implemented outside glue.c, each
 * ending with an entry whose name is NULL (see call.h).
 */
#ifndef DS_FNS_H
#define DS_FNS_H

#include "call.h"

/* fn_images.c: docker-image-size, docker-layers, docker-sizes-report. */
extern const struct ds_fn ds_fns_images[];

/* fn_report.c: docker-checkpoint, docker-report-text, docker-report,
 * docker-monitor. */
extern const struct ds_fn ds_fns_report[];

/* fn_handoff.c: docker-handoff, docker-where. */
extern const struct ds_fn ds_fns_handoff[];

#endif
