/* fn_images.c: make functions (see fns.h). */
#include "fns.h"

/* The functions this file adds to make. */
const struct ds_fn ds_fns_images[] = {
	{ NULL, NULL, 0, NULL }
};
