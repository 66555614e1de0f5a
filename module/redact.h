/*
 * redact.h: keep credentials out of everything dockspace prints.
 *
 * The one place that decides what a secret looks like in an address:
 * the userinfo of a URL (in "tcp://user:pass@host", "user:pass"
 * becomes DS_REDACTED, three asterisks) and every query value ("?token=abc&x" becomes
 * "?token=***&x=***").  ds_err_set() passes every error message through
 * ds_redact_text(), so error lines, warnings, GitHub annotations and
 * JSON built from messages are covered; code that prints an address
 * itself (endpoint.c for DOCKER_HOST and context hosts) uses
 * ds_redact_addr(), which also knows addresses without a scheme.
 *
 * Both write like snprintf: at most n bytes with the NUL into out (out
 * may be NULL when n is 0) and return the length the whole result
 * needs, so a caller can size a buffer with a first call.
 */
#ifndef DS_REDACT_H
#define DS_REDACT_H

#include <stddef.h>

/* The text that replaces a secret. */
#define DS_REDACTED "***"

/*
 * Copy free text (a message) with the credentials of every
 * "SCHEME://..." address in it replaced.  An address ends at white
 * space or a quote.
 */
size_t ds_redact_text(char *out, size_t n, const char *text);

/*
 * Copy one address (a DOCKER_HOST value, a context's host) with its
 * credentials replaced: the scheme is optional ("user:pass@host:2375"),
 * and everything before the last '@' of a non-path address is userinfo,
 * whatever characters the password holds.  Paths (unix://..., /...,
 * ./...) are left alone.
 */
size_t ds_redact_addr(char *out, size_t n, const char *addr);

/* ds_redact_addr() into a malloc'd string; NULL when out of memory. */
char *ds_redact_addr_dup(const char *addr);

#endif
