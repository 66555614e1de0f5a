/*
 * config.h: the pipeline's build configuration file (build-config.json)
 * turned into make variable assignments.  Pure: text in, text out.
 *
 * Schema (every key optional; unknown keys are errors naming their path):
 *   {
 *     "registry": "registry.example:5000",
 *     "image_prefix": "team/",
 *     "tag": "v1",
 *     "testing_image": "team/testing:latest",
 *     "testing_context": "testing/",
 *     "platforms": ["linux/amd64"],
 *     "services": {                      (in build order)
 *       "api": { "context": "api/", "dockerfile": "api/Dockerfile",
 *                "target": "prod", "build_args": { "PY": "3.11" },
 *                "essential": true, "size_limit": "1.5G" }
 *     },
 *     "cache": { "max_cache": "10GB", "keep_images": 2 },
 *     "environments": { "blue": { "build_args": { "COLOR": "blue" } } },
 *     "tiers": { "full": "8G", "medium": "5G", "minimal": "2G" }
 *   }
 *
 * Assignments use ?= so that a make variable or the environment always
 * wins over the file: SERVICES, ESSENTIAL_SERVICES, <svc>_CONTEXT,
 * <svc>_DOCKERFILE, <svc>_TARGET, <svc>_BUILD_ARGS (NAME=VALUE words),
 * <svc>_SIZE_LIMIT, REGISTRY, IMAGE_PREFIX, TAG, TESTING_IMAGE,
 * TESTING_CONTEXT, PLATFORMS, DOCKSPACE_MAX_CACHE, DOCKSPACE_KEEP_IMAGES,
 * DOCKSPACE_ENVIRONMENTS, <env>_BUILD_ARGS, DOCKSPACE_TIER_FULL,
 * DOCKSPACE_TIER_MEDIUM, DOCKSPACE_TIER_MINIMAL.  Sizes are checked with
 * units.h; names must be make-safe ([A-Za-z0-9_.-], not starting with
 * '.' or '-'); values may not hold blanks, control characters, '$', '#'
 * or '\'.  Values that reach a command line are data, never code:
 * context, dockerfile and testing_context must be paths, testing_image a
 * reference, tag a tag, target a stage name, registry and image_prefix
 * registry and name characters, none starting with '-' (no shell
 * metacharacter passes); build_args values are quoted by dockspace.mk.
 */
#ifndef DS_CONFIG_H
#define DS_CONFIG_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

/*
 * Check the file's JSON (len bytes) and append the make assignments to
 * out.  file names the file in messages: "build-config.json: unknown
 * key 'services.api.contxt'".
 */
enum ds_code ds_config_to_make(struct ds_buf *out, const char *json,
			       size_t len, const char *file,
			       struct ds_err *err);

#endif
