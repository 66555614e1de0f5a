/* ref.c: image references normalised as the docker CLI does (see ref.h). */
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ref.h"

/* 1 when s starts with prefix. */
static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Length of ref's repository: the part before its tag or digest. */
size_t ds_ref_repo_len(const char *ref)
{
	const char *at = strchr(ref, '@');
	size_t end = at ? (size_t)(at - ref) : strlen(ref);
	size_t i, colon = end, slash = 0;
	int have_slash = 0;

	for (i = 0; i < end; i++) {
		if (ref[i] == '/') {
			slash = i;
			have_slash = 1;
		} else if (ref[i] == ':') {
			colon = i;
		}
	}
	if (colon < end && (!have_slash || colon > slash))
		return colon;
	return end;
}

/* 1 when ref names a tag or a digest. */
int ds_ref_has_tag(const char *ref)
{
	return ds_ref_repo_len(ref) != strlen(ref);
}

/* 1 when the first component of a name (len bytes) is a registry host. */
static int is_host(const char *s, size_t len)
{
	return memchr(s, '.', len) || memchr(s, ':', len) ||
	       (len == 9 && strncmp(s, "localhost", 9) == 0);
}

/* Write ref's canonical form to out; see ref.h. */
int ds_ref_canonical(char *out, size_t n, const char *ref, int latest)
{
	const char *name = ref, *host = "docker.io", *path, *slash;
	size_t repo, host_len = 9;
	int library, len;

	if (n)
		*out = '\0';
	if (!ref || !*ref)
		return -1;
	/* Podman's default host for local images, as the familiar form */
	if (starts_with(name, "localhost/") && name[10])
		name += 10;
	repo = ds_ref_repo_len(name);
	slash = memchr(name, '/', repo);
	path = name;
	if (slash && is_host(name, (size_t)(slash - name))) {
		host = name;
		host_len = (size_t)(slash - name);
		path = slash + 1;
		if (host_len == 15 && strncmp(host, "index.docker.io", 15) == 0) {
			host = "docker.io";
			host_len = 9;
		}
	}
	library = host_len == 9 && strncmp(host, "docker.io", 9) == 0 &&
		  !memchr(path, '/', repo - (size_t)(path - name));
	len = snprintf(out, n, "%.*s/%s%.*s%s%s", (int)host_len, host,
		       library ? "library/" : "", (int)(repo - (size_t)(path - name)),
		       path, name + repo,
		       latest && !name[repo] ? ":latest" : "");
	if (len < 0 || (size_t)len >= n) {
		if (n)
			*out = '\0';
		return -1;
	}
	return 0;
}

/* The hex digits of a short ID, or NULL. */
const char *ds_ref_short_id(const char *s)
{
	size_t i;

	if (starts_with(s, "sha256:"))
		s += 7;
	for (i = 0; s[i]; i++)
		if (!isxdigit((unsigned char)s[i]))
			return NULL;
	return i >= 12 ? s : NULL;
}

/* 1 when the short ID s starts the image ID id. */
int ds_ref_id_matches(const char *id, const char *s)
{
	const char *hex = ds_ref_short_id(s);

	if (!hex || !id)
		return 0;
	if (starts_with(id, "sha256:"))
		id += 7;
	return strncasecmp(id, hex, strlen(hex)) == 0;
}

/* Prepare a protect= pattern. */
void ds_ref_pattern_init(struct ds_ref_pattern *p, const char *text)
{
	p->text = text;
	p->repo_too = !ds_ref_has_tag(text);
	p->short_id = ds_ref_short_id(text);
	ds_ref_canonical(p->canon, sizeof(p->canon), text, 0);
}

/* 1 when glob matches text, or (repo_too) the repository of text. */
static int glob_matches(const char *glob, const char *text, int repo_too)
{
	char repo[DS_REF_MAX];
	size_t n;

	if (fnmatch(glob, text, 0) == 0)
		return 1;
	if (!repo_too)
		return 0;
	n = ds_ref_repo_len(text);
	if (n >= sizeof(repo))
		return 0;
	memcpy(repo, text, n);
	repo[n] = '\0';
	return fnmatch(glob, repo, 0) == 0;
}

/* 1 when the pattern matches an image ID. */
int ds_ref_pattern_matches_id(const struct ds_ref_pattern *p, const char *id)
{
	if (p->short_id && ds_ref_id_matches(id, p->text))
		return 1;
	return fnmatch(p->text, id, 0) == 0 ||
	       (starts_with(id, "sha256:") && fnmatch(p->text, id + 7, 0) == 0);
}

/* 1 when the pattern matches a tag (as written or normalised). */
int ds_ref_pattern_matches_tag(const struct ds_ref_pattern *p,
			       const char *tag, const char *raw,
			       const char *canon)
{
	if (glob_matches(p->text, tag, p->repo_too) ||
	    glob_matches(p->text, raw, p->repo_too))
		return 1;
	return *p->canon && canon && *canon &&
	       glob_matches(p->canon, canon, p->repo_too);
}

/* 1 when a and b name the same tag once normalised. */
int ds_ref_same(const char *a, const char *b)
{
	char ca[DS_REF_MAX], cb[DS_REF_MAX];

	if (strcmp(a, b) == 0)
		return 1;
	return ds_ref_canonical(ca, sizeof(ca), a, 1) == 0 &&
	       ds_ref_canonical(cb, sizeof(cb), b, 1) == 0 &&
	       strcmp(ca, cb) == 0;
}

/* 1 when ref (a pin) names the image id with these tags. */
int ds_ref_names_image(const char *ref, const char *id,
		       char *const *tags, char *const *raw_tags, size_t n)
{
	size_t i;

	if (ds_ref_id_matches(id, ref))
		return 1;
	for (i = 0; i < n; i++)
		if (ds_ref_same(tags[i], ref) || ds_ref_same(raw_tags[i], ref))
			return 1;
	return 0;
}

/* 1 when ref names no repository: "", "<none>", "<none>:<none>"... */
int ds_ref_is_none(const char *ref)
{
	if (!*ref)
		return 1;
	if (!starts_with(ref, "<none>"))
		return 0;
	ref += strlen("<none>");
	return !*ref || *ref == ':' || *ref == '@';
}

/*
 * ref as docker's familiar form spells it (see ref.h): the first of
 * Podman's "localhost/", "docker.io/library/", "docker.io/",
 * "index.docker.io/library/" or "index.docker.io/" that prefixes it
 * (and leaves a name) is skipped; NULL when ref names nothing.
 */
const char *ds_ref_familiar(const char *ref)
{
	static const char *const strip[] = {
		"localhost/", "docker.io/library/", "docker.io/",
		"index.docker.io/library/", "index.docker.io/"
	};
	size_t i;

	if (!ref || ds_ref_is_none(ref))
		return NULL;
	for (i = 0; i < sizeof(strip) / sizeof(strip[0]); i++)
		if (starts_with(ref, strip[i]) && ref[strlen(strip[i])])
			return ref + strlen(strip[i]);
	return ref;
}

/* Whether s is exactly 64 lower-case hex digits (a bare image ID). */
static int is_hex64(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!isdigit((unsigned char)s[i]) &&
		    !(s[i] >= 'a' && s[i] <= 'f'))
			return 0;
	return s[64] == '\0';
}

/* 1 when s is a whole image ID, with or without "sha256:". */
int ds_ref_is_image_id(const char *s)
{
	return is_hex64(ds_ref_bare_id(s));
}

/* id without its "sha256:" prefix. */
const char *ds_ref_bare_id(const char *id)
{
	return starts_with(id, "sha256:") ? id + 7 : id;
}
