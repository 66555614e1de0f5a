/*
 * apiver.h: Engine API version numbers ("1.41") and negotiation.
 * Pure functions.
 */
#ifndef DS_APIVER_H
#define DS_APIVER_H

#include "error.h"

/* "1.41" -> 1041; -1 when text is not MAJOR.MINOR. */
long ds_api_parse(const char *text);

/*
 * Choose the version to speak: pinned when given (it must be a valid
 * version not below min), else the lower of server and max.  A server
 * below min, or one that sent no version, is DS_E_UNSUPPORTED.  Writes
 * "MAJOR.MINOR" to out (16 bytes).  display names the engine.
 */
enum ds_code ds_api_negotiate(char out[16], const char *server,
			      const char *pinned, const char *min,
			      const char *max, const char *display,
			      struct ds_err *err);

#endif
