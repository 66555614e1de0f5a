/*
 * model_read.h: what the model_*.c files share, for them only (model.h
 * is the public side).  Defined in model_images.c.
 *
 * Memory: new strings and lists are the caller's (free, and
 * ds_model_images_free for a list of images).
 */
#ifndef DS_MODEL_READ_H
#define DS_MODEL_READ_H

#include <stddef.h>

#include "json.h"
#include "model.h"

/* An image ID with the "sha256:" Podman leaves out, as a new string
 * ("" stays ""); NULL when out of memory. */
char *ds_model_prefix_id(const char *id);

/* ref's familiar form (ds_ref_familiar) as a new *out, NULL when ref
 * names nothing; DS_E_NOMEM (no message) when out of memory. */
enum ds_code ds_model_ref_dup(const char *ref, char **out);

/*
 * Read an array of images (NULL: none) at name into a new list, rows
 * with the same ID merged (Podman's /system/df has one row per tag).
 */
enum ds_code ds_model_read_images(const struct ds_json_ctx *p,
				  const cJSON *arr, const char *name,
				  struct ds_image **out, size_t *n);

#endif
