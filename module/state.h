/*
 * state.h: what the pipeline keeps about a service between runs, in
 * the state directory (DOCKSPACE_STATE_DIR, default .dockspace): the
 * files DIR/SVC.size (its last build's bytes) and DIR/SVC.placeholder-size
 * (its last placeholder's), each one decimal number.  The one reader and
 * writer of their format.
 */
#ifndef DS_STATE_H
#define DS_STATE_H

#include <stdint.h>

#include "error.h"

/* Read DIR/SVC.EXT into *out: 1 when it holds a size, 0 when it is
 * missing or holds anything else. */
int ds_state_read_size(const char *dir, const char *service,
		       const char *ext, uint64_t *out);

/* Write bytes to DIR/SVC.EXT (the directory made when missing; the file
 * replaced at once). */
enum ds_code ds_state_write_size(const char *dir, const char *service,
				 const char *ext, uint64_t bytes,
				 struct ds_err *err);

#endif
