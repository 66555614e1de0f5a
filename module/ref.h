/*
 * ref.h: image references normalised the way the docker CLI does, in
 * one place, for the model's tags, pins and protect= patterns alike.
 * Pure: no I/O and no allocation (results go to caller buffers or point
 * into the caller's strings).
 *
 * Canonical form: "HOST/PATH:TAG", "HOST/PATH@DIGEST" or both.
 *   - a first component with a '.' or a ':', or "localhost", is a
 *     registry host; otherwise "docker.io/" is implied, and
 *     "docker.io/library/" for a name of one component; the old
 *     "index.docker.io" is "docker.io";
 *   - ":latest" is implied when there is neither tag nor digest (for
 *     references; a pattern without a tag names a whole repository);
 *   - a digest ("@sha256:...") is kept as written.
 *   One departure from docker: Podman's "localhost/" before a name is
 *   dropped first, as the familiar form drops it, so "localhost/app:1",
 *   "app:1" and "docker.io/library/app:1" are one image everywhere.
 *
 * The familiar form (what model.h keeps as an image's tags): Podman's
 * "localhost/", and "docker.io/library/", "docker.io/" (and the older
 * "index.docker.io/" spellings) dropped, a registry with a port kept;
 * "", "<none>", "<none>:<none>" and "<none>@<none>" name nothing.
 *
 * Image IDs: "sha256:" and 64 lower-case hex digits; Podman leaves the
 * "sha256:" out (model.h adds it).
 *
 * Short IDs: 12 or more hex digits, "sha256:" before them or not, name
 * every image whose ID starts with them (the IMAGE ID column of
 * `docker images`).
 */
#ifndef DS_REF_H
#define DS_REF_H

#include <stddef.h>

/* Room for any canonical reference (name 255, tag 128, digest 71+). */
#define DS_REF_MAX 512

/*
 * Write ref's canonical form to out (n bytes).  latest: add ":latest"
 * when ref has neither tag nor digest.  Returns 0, or -1 (out is "")
 * when ref is empty or the result does not fit.
 */
int ds_ref_canonical(char *out, size_t n, const char *ref, int latest);

/* Length of ref's repository: the part before its tag or digest. */
size_t ds_ref_repo_len(const char *ref);

/* 1 when ref names a tag or a digest (a ':' after its last '/', or '@'). */
int ds_ref_has_tag(const char *ref);

/* The hex digits of s when s is a short ID (12+ hex digits, "sha256:"
 * before them or not), else NULL. */
const char *ds_ref_short_id(const char *s);

/* 1 when the short ID s (see ds_ref_short_id) starts image ID id
 * ("sha256:<hex>" or "<hex>"), case-insensitively. */
int ds_ref_id_matches(const char *id, const char *s);

/*
 * A protect= pattern, prepared once: a glob (fnmatch) matched as given
 * against tags as the engine and model spell them, and normalised
 * against normalised tags; without a tag it also matches a repository
 * alone; a short ID also matches the IDs it starts.  Borrows text.
 */
struct ds_ref_pattern {
	const char *text;          /* as given */
	char canon[DS_REF_MAX];    /* normalised, without implied tag; "" */
	int repo_too;              /* no tag: a repository matches too */
	const char *short_id;      /* hex digits of a short ID, or NULL */
};

void ds_ref_pattern_init(struct ds_ref_pattern *p, const char *text);

/* 1 when the pattern matches an image ID (glob or short ID). */
int ds_ref_pattern_matches_id(const struct ds_ref_pattern *p,
			      const char *id);

/*
 * 1 when the pattern matches a tag: tag and raw as model.h spells them
 * ("app:1", and the engine's "localhost/app:1"), canon the tag's
 * canonical form (ds_ref_canonical of tag; "" if none).
 */
int ds_ref_pattern_matches_tag(const struct ds_ref_pattern *p,
			       const char *tag, const char *raw,
			       const char *canon);

/* 1 when references a and b (pins, tags) name the same image tag once
 * normalised (":latest" implied). */
int ds_ref_same(const char *a, const char *b);

/*
 * 1 when ref (a pin) names the image with ID id and the n tags tags
 * and raw_tags (as model.h spells them): a tag equal to ref once both
 * are normalised (registry, library/ and ":latest" implied), or an ID
 * ref starts (a short ID, see above).
 */
int ds_ref_names_image(const char *ref, const char *id,
		       char *const *tags, char *const *raw_tags, size_t n);

/* 1 when ref names no repository: "", "<none>", "<none>:<none>",
 * "<none>@<none>". */
int ds_ref_is_none(const char *ref);

/* ref in its familiar form ("localhost/a:b" -> "a:b"): a pointer into
 * ref (a suffix of it), or NULL when ref is NULL or names nothing. */
const char *ds_ref_familiar(const char *ref);

/* 1 when s is a whole image ID: 64 lower-case hex digits, "sha256:"
 * before them or not. */
int ds_ref_is_image_id(const char *s);

/* id without its "sha256:" prefix (a pointer into id). */
const char *ds_ref_bare_id(const char *id);

#endif
