/*
 * os.h: file-system and clock helpers shared by the operations (fn_*.c,
 * handoff.c...) and the command.  Errors are DS_E_IO naming the path.
 */
#ifndef DS_OS_H
#define DS_OS_H

#include <stddef.h>

#include "error.h"

/* Create directory dir and its parents (mkdir -p). */
enum ds_code ds_os_mkdirs(const char *dir, struct ds_err *err);

/* mkdir -p of the directory holding the file path (nothing for "f"). */
enum ds_code ds_os_mkdir_parents(const char *path, struct ds_err *err);

/* Replace the file at path with text (written aside, then renamed, so
 * that a reader sees the old file or the new one). */
enum ds_code ds_os_write_file(const char *path, const char *text,
			      size_t len, struct ds_err *err);

/* Milliseconds on the monotonic clock (for durations, not dates). */
long long ds_os_mono_ms(void);

#endif
