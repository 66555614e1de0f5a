/*
 * units.h: sizes and durations as users write them, and as docker prints
 * them.  Pure functions: no I/O, no allocation.
 *
 * Size syntax: a number with an optional fraction and an optional unit,
 * no space needed: "1024", "3G", "1.5GB", "512MiB", "10 kb".
 *   bare number or "B"            bytes
 *   kB MB GB TB PB (any case)     decimal: 1000^n
 *   KiB MiB GiB TiB PiB (any case) binary: 1024^n
 *   K M G T P (one letter, any case) binary, as df -BG and docker run -m
 * The result is rounded down to whole bytes; values above 2^63 fail.
 *
 * Duration syntax: one or more <integer><unit> groups, units s m h d w,
 * e.g. "90s", "30m", "24h", "7d", "1h30m"; a bare integer is seconds.
 */
#ifndef DS_UNITS_H
#define DS_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Parse a size into bytes; DS_E_ARG with a message on bad text. */
enum ds_code ds_size_parse(const char *text, uint64_t *out,
			   struct ds_err *err);

/*
 * Parse a unit name alone ("GB", "g", "MiB", "B", "" = bytes) into the
 * number of bytes it stands for.
 */
enum ds_code ds_unit_parse(const char *text, uint64_t *out,
			   struct ds_err *err);

/* Parse a yes/no value: 1, yes, true, on (any case) are 1; 0, no,
 * false, off and the empty string are 0; anything else is DS_E_ARG. */
enum ds_code ds_bool_parse(const char *text, int *out, struct ds_err *err);

/* Parse a duration into seconds; DS_E_ARG with a message on bad text. */
enum ds_code ds_duration_parse(const char *text, uint64_t *out,
			       struct ds_err *err);

/*
 * Format bytes as docker does (go-units HumanSize: decimal units, four
 * significant digits): 0 -> "0B", 10255968 -> "10.26MB".  Writes at
 * most n bytes including the NUL; returns out.
 */
char *ds_size_human(uint64_t bytes, char *out, size_t n);

/*
 * Format bytes exactly, in the largest unit that divides them, binary
 * or decimal (1073741824 -> "1G", 8000000000 -> "8GB"), else bytes
 * ("1234").  For messages that echo sizes the user wrote.
 */
char *ds_size_exact(uint64_t bytes, char *out, size_t n);

#endif
