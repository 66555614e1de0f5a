/*
 * sha256.h: SHA-256 (FIPS 180-4), only to name docker context
 * directories (contexts/meta/<sha256 hex of the context name>).
 */
#ifndef DS_SHA256_H
#define DS_SHA256_H

#include <stddef.h>

/* Write the 64 lower-case hex digits and a NUL of sha256(data) to hex. */
void ds_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
