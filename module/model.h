/*
 * model.h: engine replies (JSON text) turned into plain structs.
 *
 * This is the only file set that calls cJSON, and the one place where
 * Docker and Podman differences are normalised:
 *   - image IDs always carry "sha256:" (Podman omits it);
 *   - repository tags are "repo:tag" with Podman's "localhost/" and
 *     "docker.io/library/" prefixes removed; "<none>:<none>",
 *     "<none>@<none>", null and [] all mean "no tags" (n_tags 0);
 *   - Podman's one-row-per-tag /system/df images are merged by ID;
 *   - BuildCache null and [] are both "no records";
 *   - sizes are 64-bit, read from the number's double or text, never
 *     cJSON's int (which saturates at INT_MAX); absent sizes are 0 and
 *     "unknown" sizes (-1) stay -1 where the field is signed;
 *   - API 1.52's ImageUsage/ContainerUsage/VolumeUsage/BuildCacheUsage
 *     summaries are used when present, else the summary is computed from
 *     the legacy lists exactly as the docker CLI does for `system df`.
 *
 * Memory: every parse function fills a caller-provided struct and
 * allocates what it points to; the matching *_free() releases it (and is
 * safe on a zeroed or already freed struct).  On failure nothing is left
 * allocated and err says what was wrong with the reply.
 */
#ifndef DS_MODEL_H
#define DS_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* One image as listed by /images/json or /system/df. */
struct ds_image {
	char *id;            /* "sha256:<hex>" */
	char **tags;         /* normalised "repo:tag", n_tags of them */
	size_t n_tags;
	char **raw_tags;     /* the engine's own spelling, same order */
	char *parent_id;     /* "" when none */
	int64_t created;     /* unix seconds */
	int64_t size;        /* bytes, whole image (all layers) */
	int64_t shared_size; /* bytes shared with other images, -1 unknown */
	int64_t containers;  /* containers using it, -1 unknown */
	char **label_keys;   /* labels, n_labels of them */
	char **label_values;
	size_t n_labels;
};

/* One step of an image's history (/images/{name}/history). */
struct ds_history {
	char *id;            /* "sha256:<hex>", or "<missing>" (not kept) */
	int64_t created;     /* unix seconds */
	char *created_by;    /* the engine's CreatedBy, "" when absent */
	char *comment;       /* "" when absent */
	int64_t size;        /* bytes the step added (0: metadata only) */
};

/* One container. */
struct ds_container {
	char *id;
	char *name;          /* without the leading "/" */
	char *image;         /* image reference as the engine reports it */
	char *image_id;      /* "sha256:<hex>" */
	char *state;         /* "running", "exited", "created", ... */
	int64_t size_rw;     /* bytes written, 0 when absent */
	int64_t created;
};

/* One volume. */
struct ds_volume {
	char *name;
	int64_t size;        /* -1 unknown */
	int64_t ref_count;   /* -1 unknown */
	int64_t created;     /* unix seconds, 0 unknown (Podman) */
};

/* One build-cache record. */
struct ds_cache {
	char *id;
	char *type;
	char *description;
	int in_use;
	int shared;
	int64_t size;
	int64_t created_at;   /* unix seconds, 0 unknown */
	int64_t last_used_at; /* unix seconds, 0 unknown */
	int64_t usage_count;
	char **parents;       /* records this one is built on (BuildKit
				 keeps a parent while a child exists) */
	size_t n_parents;
};

/* One line of `docker system df`. */
struct ds_usage_row {
	int64_t total;       /* objects */
	int64_t active;      /* objects in use */
	int64_t size;        /* bytes */
	int64_t reclaimable; /* bytes */
};

/* /system/df. */
struct ds_df {
	struct ds_usage_row images, containers, volumes, cache;
	struct ds_image *image_list;
	size_t n_images;
	struct ds_container *container_list;
	size_t n_containers;
	struct ds_volume *volume_list;
	size_t n_volumes;
	struct ds_cache *cache_list;
	size_t n_cache;
	int64_t layers_size; /* LayersSize; 0 on Podman 4.3 */
};

/* /info, the fields dockspace uses ("" when absent). */
struct ds_info {
	char *root_dir;       /* DockerRootDir */
	char *driver;         /* "overlay2", "vfs", "overlayfs"... */
	char *server_version;
	char *driver_type;    /* DriverStatus "driver-type": Docker's
				 containerd image store says
				 "io.containerd.snapshotter.v1" */
	char *containerd_address; /* Containerd.Address (API 1.46+) */
};

/* /version, the fields dockspace uses. */
struct ds_version {
	char *version;        /* "20.10.24+dfsg1", "4.3.1" */
	char *api_version;    /* "1.41" */
	char *min_api_version;/* "1.12" ("" when absent) */
	int is_podman;        /* a component named "Podman Engine" */
};

enum ds_code ds_model_parse_df(struct ds_df *out, const char *json,
			       size_t len, struct ds_err *err);
void ds_model_df_free(struct ds_df *df);

/* /images/json: an array of images. */
enum ds_code ds_model_parse_images(struct ds_image **out, size_t *n,
				   const char *json, size_t len,
				   struct ds_err *err);
void ds_model_images_free(struct ds_image *list, size_t n);

/* /containers/json: an array of containers. */
enum ds_code ds_model_parse_containers(struct ds_container **out,
				       size_t *n, const char *json,
				       size_t len, struct ds_err *err);
void ds_model_containers_free(struct ds_container *list, size_t n);

/*
 * /images/{name}/json: id, tags, parent_id, created, size (the whole
 * image, as `docker image ls` shows it) and labels; shared_size and
 * containers are -1 (not in this reply).  Free with ds_model_image_free.
 */
enum ds_code ds_model_parse_image_inspect(struct ds_image *out,
					  const char *json, size_t len,
					  struct ds_err *err);
void ds_model_image_free(struct ds_image *img);

/* /images/{name}/history: the steps, newest first as the engine sends
 * them (Podman's IDs get "sha256:" too). */
enum ds_code ds_model_parse_history(struct ds_history **out, size_t *n,
				    const char *json, size_t len,
				    struct ds_err *err);
void ds_model_history_free(struct ds_history *list, size_t n);

/*
 * Decode len bytes of text that are a JSON array of strings (an
 * exec-form command, ["pip", "install", "torch"]) into *n new strings;
 * DS_E_PROTOCOL (no message) when the text is anything else.  Free with
 * ds_model_argv_free.
 */
enum ds_code ds_model_parse_argv(char ***out, size_t *n, const char *text,
				 size_t len);
void ds_model_argv_free(char **argv, size_t n);

enum ds_code ds_model_parse_info(struct ds_info *out, const char *json,
				 size_t len, struct ds_err *err);
void ds_model_info_free(struct ds_info *info);

enum ds_code ds_model_parse_version(struct ds_version *out,
				    const char *json, size_t len,
				    struct ds_err *err);
void ds_model_version_free(struct ds_version *v);

/*
 * The message of an error reply, whatever its shape: Docker's
 * {"message":...}, Podman's {"cause":...,"message":...}, a text/plain
 * body, or an in-band stream line {"errorDetail":{"message":...}}.
 * Writes a one-line, NUL-terminated message (newlines folded, trailing
 * space trimmed, cut to n-1 bytes); empty body -> "".
 */
void ds_model_error_message(char *out, size_t n, const char *content_type,
			    const char *body, size_t len);

/*
 * The reply of POST /build/prune: *deleted is 1 when its CachesDeleted
 * (null or a list) names id.
 */
enum ds_code ds_model_build_prune_deleted(int *deleted, const char *id,
					  const char *json, size_t len,
					  struct ds_err *err);

/*
 * /containers/{id}/json: *state is a new string (the caller frees it),
 * its State.Status ("running", "exited"...), "" when State or its
 * Status is missing or null (unknown: see ds_prune_state_stopped).
 */
enum ds_code ds_model_parse_container_state(char **state, const char *json,
					    size_t len, struct ds_err *err);

/* Normalise one reference as above ("localhost/a:b" -> "a:b");
 * returns a new string the caller frees, or NULL when it is none. */
char *ds_model_normalise_ref(const char *ref);

/*
 * One line of /events (Docker and Podman stream one JSON object a line).
 * Normalised: Podman's container "remove" is "destroy", its image
 * "loadfromarchive" is "load" and its image "remove" is "delete"; image
 * IDs carry "sha256:"; an image's name is its normalised reference, ""
 * when the engine names it only by ID (Docker's untag and delete) or not
 * at all, and an image "ID" that is a reference (Docker's pull and push
 * put "repo:tag" there) is taken as the name, the ID being ""; a
 * container's name is its name.  The time is the 'time' field
 * (unix seconds), never 'timeNano', which exceeds 2^53 and so is not
 * exact as a JSON number.  Podman's untag names the tag removed; Docker's
 * names only the image ID; Podman also reports "delete" for a tag
 * removed from an image that stays.
 */
struct ds_event {
	char *type;          /* "image", "container", ... ("" when absent) */
	char *action;        /* "tag", "untag", "delete", "create", ... */
	char *id;            /* the object's ID ("" when absent) */
	char *name;          /* see above ("" when none) */
	int64_t time;        /* unix seconds, 0 when absent */
};

/* Parse one event line (len bytes, without its line feed). */
enum ds_code ds_model_parse_event(struct ds_event *out, const char *json,
				  size_t len, struct ds_err *err);
void ds_model_event_free(struct ds_event *ev);

/*
 * The JSON stream POST /images/load answers (one object a line, also
 * with status 200): 0 when no line carries an error; else 1 and the
 * first error's text in msg (n bytes).  A line that is not JSON counts
 * as an error too (its text is the message).
 */
int ds_model_load_error(char *msg, size_t n, const char *body, size_t len);

/*
 * An image manifest's config digest ("sha256:..."), from a manifest
 * (Docker v2 schema 2 or OCI) into out (n bytes); DS_E_PROTOCOL when the
 * text has none.
 */
enum ds_code ds_model_manifest_config(char *out, size_t n, const char *json,
				      size_t len, struct ds_err *err);

/*
 * The manifest.json of a `docker save` archive: for each image, its ID
 * ("sha256:" + the config file's name without ".json") and its tags
 * (RepoTags).  ids[i] and the tags of image i (tags[first[i] ..
 * first[i+1])) are malloc'd; free with ds_model_save_manifest_free.
 */
struct ds_save_manifest {
	size_t n;
	char **ids;
	size_t *first;       /* n + 1 entries */
	char **tags;
};
enum ds_code ds_model_parse_save_manifest(struct ds_save_manifest *out,
					  const char *json, size_t len,
					  struct ds_err *err);
void ds_model_save_manifest_free(struct ds_save_manifest *m);

#endif
