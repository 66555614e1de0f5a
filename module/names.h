/*
 * names.h: how long the names dockspace passes on may be, and the one
 * message for a name that is too long.  Pure C: no I/O.
 *
 * Docker's own limits: a repository name (all its path components) is
 * at most 255 characters, a tag 128; a whole reference, digest
 * included, is taken here up to 4096 (longer is never a real image and
 * would only make a huge request).  A service name becomes a repository
 * path component, a make variable prefix and a file name, so it has the
 * name's limit.
 */
#ifndef DS_NAMES_H
#define DS_NAMES_H

#include <stddef.h>

#include "error.h"

#define DS_SERVICE_NAME_MAX 255   /* a service name */
#define DS_REF_MAX 4096           /* an image reference or ID */

/*
 * DS_OK when value (len bytes) has at most max bytes; else DS_E_ARG
 * with "WHAT 'first 40 characters...' is N characters long: at most
 * MAX".  value need not be NUL-terminated.
 */
enum ds_code ds_check_length(const char *what, const char *value,
			     size_t len, size_t max, struct ds_err *err);

#endif
