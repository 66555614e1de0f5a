/*
 * error.h: result codes and the error record every layer fills in.
 *
 * Every function that can fail returns an enum ds_code (DS_OK is 0) and,
 * on failure, describes the failure in a caller-owned struct ds_err.
 * The first error set wins: ds_err_set() never overwrites a message that
 * is already there, so a lower layer's precise reason survives while the
 * code propagates up (libgit2's rule).  Messages are one line, lower
 * case, without the "dockspace: " prefix (the make glue adds it).
 */
#ifndef DS_ERROR_H
#define DS_ERROR_H

#include <stddef.h>

enum ds_code {
	DS_OK = 0,
	DS_E_NOMEM,       /* out of memory */
	DS_E_ARG,         /* a bad argument from the makefile */
	DS_E_CONFIG,      /* a bad environment variable or config file */
	DS_E_CONNECT,     /* the engine cannot be reached */
	DS_E_TIMEOUT,     /* the engine did not answer in time */
	DS_E_HTTP,        /* the engine answered with an error status */
	DS_E_PROTOCOL,    /* the engine's reply is not what the API says */
	DS_E_UNSUPPORTED, /* the engine or endpoint cannot do this */
	DS_E_IO,          /* a local file or filesystem call failed */
	DS_E_NOTFOUND     /* the object asked for does not exist */
};

struct ds_err {
	enum ds_code code;
	long status;      /* HTTP status for DS_E_HTTP, else 0 */
	char msg[512];
};

#define DS_ERR_INIT { DS_OK, 0, "" }

/* Record an error unless one is already recorded; returns code. */
enum ds_code ds_err_set(struct ds_err *err, enum ds_code code,
			const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Forget a recorded error (after it was handled). */
void ds_err_clear(struct ds_err *err);

/*
 * The system's text for errno value e with its first letter in lower
 * case ("no such file or directory"), in out (n bytes); returns out.
 */
char *ds_errno_text(int e, char *out, size_t n);

/* A static name for a code, e.g. "connect" (never NULL). */
const char *ds_strerror(enum ds_code code);

#endif
