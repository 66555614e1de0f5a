/*
 * fuzz.h: shared by the libFuzzer targets in fuzz/ (see README.md).
 * Each target is one file defining LLVMFuzzerTestOneInput; inputs are
 * raw bytes, so parsers that take C strings get a NUL-terminated copy
 * (cut at the first NUL, as a C caller would see it).
 */
#ifndef DS_FUZZ_H
#define DS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd NUL-terminated copy of n bytes (the caller frees). */
static inline char *fuzz_str(const uint8_t *data, size_t n)
{
	char *s = malloc(n + 1);

	if (!s)
		abort();
	memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

#endif
