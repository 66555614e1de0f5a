/* names.c: length limits of names and references (see names.h). */
#include "names.h"

/* How much of a too long value a message quotes. */
#define QUOTED 40

/* Check that value (len bytes) is at most max bytes long. */
enum ds_code ds_check_length(const char *what, const char *value,
			     size_t len, size_t max, struct ds_err *err)
{
	if (len <= max)
		return DS_OK;
	return ds_err_set(err, DS_E_ARG, "%s '%.*s...' is %zu characters "
			  "long: at most %zu", what,
			  (int)(len < QUOTED ? len : QUOTED), value, len, max);
}
