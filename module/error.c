/* error.c: the error record (see error.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "redact.h"

/*
 * Record an error unless one is already recorded; returns code.  The
 * message loses the credentials of any address in it (redact.h): every
 * message reaches make, the terminal and CI logs from here.
 */
enum ds_code ds_err_set(struct ds_err *err, enum ds_code code,
			const char *fmt, ...)
{
	va_list ap;
	char *raw;
	int n;

	if (!err || err->code != DS_OK)
		return code;
	err->code = code;
	/* whole, then redacted, then cut: a cut could split an address */
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	raw = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (!raw) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return code;
	}
	va_start(ap, fmt);
	vsnprintf(raw, (size_t)n + 1, fmt, ap);
	va_end(ap);
	ds_redact_text(err->msg, sizeof(err->msg), raw);
	free(raw);
	return code;
}

/* Forget a recorded error (after it was handled). */
void ds_err_clear(struct ds_err *err)
{
	err->code = DS_OK;
	err->status = 0;
	err->msg[0] = '\0';
}

/* The system's text for errno value e, first letter in lower case. */
char *ds_errno_text(int e, char *out, size_t n)
{
	snprintf(out, n, "%s", strerror(e));
	if (out[0] && isupper((unsigned char)out[0]) &&
	    !isupper((unsigned char)out[1]))
		out[0] = (char)tolower((unsigned char)out[0]);
	return out;
}

/* A static name for a code, e.g. "connect" (never NULL). */
const char *ds_strerror(enum ds_code code)
{
	switch (code) {
	case DS_OK: return "ok";
	case DS_E_NOMEM: return "out of memory";
	case DS_E_ARG: return "bad argument";
	case DS_E_CONFIG: return "bad configuration";
	case DS_E_CONNECT: return "cannot connect";
	case DS_E_TIMEOUT: return "timed out";
	case DS_E_HTTP: return "engine error";
	case DS_E_PROTOCOL: return "bad reply";
	case DS_E_UNSUPPORTED: return "not supported";
	case DS_E_IO: return "i/o error";
	case DS_E_NOTFOUND: return "not found";
	}
	return "unknown error";
}
