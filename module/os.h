/*
 * os.h: the few filesystem and clock calls every operation needs, in
 * one place: mkdir -p, a whole-file replace that readers never see half
 * written, and a monotonic clock.  Nothing here allocates for the
 * caller.
 */
#ifndef DS_OS_H
#define DS_OS_H

#include <stddef.h>

#include "error.h"

/*
 * Create directory dir and its missing parents with mode (less the
 * umask), as mkdir -p; an existing directory is fine.  A failure is
 * DS_E_IO, "cannot create directory 'PATH': reason".
 */
enum ds_code ds_mkdir_p(const char *dir, unsigned int mode,
			struct ds_err *err);

/* mkdir -p of the directory holding the file path (nothing for "f"). */
enum ds_code ds_mkdir_parents(const char *path, struct ds_err *err);

/*
 * Replace the file at path with len bytes of data: written to
 * PATH.PID.tmp with mode (less the umask), flushed, then renamed over
 * path, so a reader sees the old file or the new one, never a part.
 * A failure is DS_E_IO, "cannot write 'PATH': reason", and leaves no
 * temporary file behind.
 */
enum ds_code ds_write_atomic(const char *path, const void *data, size_t len,
			     unsigned int mode, struct ds_err *err);

/* Milliseconds on the monotonic clock (for durations, not dates). */
long long ds_mono_ms(void);

#endif
