/* test_ref.c: image references normalised as the docker CLI does. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "testutil.h"
#include <stdio.h>
#include <string.h>

#include "ref.h"

static void canonical_should_imply_registry_library_and_latest(void **state)
{
	static const struct { const char *in; int latest; const char *out; }
	table[] = {
		{ "pr:1", 1, "docker.io/library/pr:1" },
		{ "pr", 1, "docker.io/library/pr:latest" },
		{ "pr", 0, "docker.io/library/pr" },
		{ "team/app:2", 1, "docker.io/team/app:2" },
		{ "team/app", 0, "docker.io/team/app" },
		{ "docker.io/library/pr:1", 1, "docker.io/library/pr:1" },
		{ "docker.io/pr:1", 1, "docker.io/library/pr:1" },
		{ "index.docker.io/library/pr", 1,
		  "docker.io/library/pr:latest" },
		{ "index.docker.io/team/app:3", 1, "docker.io/team/app:3" },
		/* Podman's default host goes, as the familiar form drops it */
		{ "localhost/pr:1", 1, "docker.io/library/pr:1" },
		{ "localhost/team/app", 1, "docker.io/team/app:latest" },
		/* hosts: a '.', a ':' or localhost with a port */
		{ "localhost:5000/app", 1, "localhost:5000/app:latest" },
		{ "reg.local:5000/svc:1", 1, "reg.local:5000/svc:1" },
		{ "registry:5000/team/api", 0, "registry:5000/team/api" },
		{ "ghcr.io/o/r:v2", 1, "ghcr.io/o/r:v2" },
		{ "localhost", 1, "docker.io/library/localhost:latest" },
		/* digests kept, no tag implied beside them */
		{ "app@sha256:abcd", 1, "docker.io/library/app@sha256:abcd" },
		{ "ghcr.io/o/r:1@sha256:ab", 1, "ghcr.io/o/r:1@sha256:ab" },
		/* globs normalise like names */
		{ "app:*", 0, "docker.io/library/app:*" },
		{ "*", 0, "docker.io/library/*" },
		{ "registry:5000/team/*", 0, "registry:5000/team/*" },
	};
	char out[DS_REF_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		assert_int_equal(ds_ref_canonical(out, sizeof(out), table[i].in,
						  table[i].latest), 0);
		if (strcmp(out, table[i].out) != 0)
			fail_msg("'%s' gave '%s', not '%s'", table[i].in, out,
				 table[i].out);
	}
}

static void canonical_should_refuse_empty_and_overlong(void **state)
{
	char out[DS_REF_MAX], small[24], longer[DS_REF_MAX + 8];

	(void)state;
	assert_int_equal(ds_ref_canonical(out, sizeof(out), "", 1), -1);
	assert_string_equal(out, "");
	/* "docker.io/library/app:latest" is 28 bytes */
	assert_int_equal(ds_ref_canonical(small, sizeof(small), "app", 1), -1);
	assert_string_equal(small, "");
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	assert_int_equal(ds_ref_canonical(out, sizeof(out), longer, 1), -1);
}

static void repo_len_should_stop_at_the_tag_or_digest(void **state)
{
	(void)state;
	assert_int_equal(ds_ref_repo_len("app:1"), 3);
	assert_int_equal(ds_ref_repo_len("app"), 3);
	assert_int_equal(ds_ref_repo_len("reg:5000/app"), 12);
	assert_int_equal(ds_ref_repo_len("reg:5000/app:1"), 12);
	assert_int_equal(ds_ref_repo_len("app@sha256:ab"), 3);
	assert_int_equal(ds_ref_repo_len("app:1@sha256:ab"), 3);
	assert_true(ds_ref_has_tag("app:1"));
	assert_true(ds_ref_has_tag("app@sha256:ab"));
	assert_false(ds_ref_has_tag("reg:5000/app"));
}

static void short_ids_should_be_twelve_hex_digits_or_more(void **state)
{
	const char *id = "sha256:d6a5d8f4f14d0e3a1b2c3d4e5f60718293a4b5c6"
			 "d7e8f90112233445566778";

	(void)state;
	assert_non_null(ds_ref_short_id("d6a5d8f4f14d"));
	assert_string_equal(ds_ref_short_id("sha256:d6a5d8f4f14d"),
			    "d6a5d8f4f14d");
	assert_null(ds_ref_short_id("d6a5d8f4f14"));   /* 11 digits */
	assert_null(ds_ref_short_id("d6a5d8f4f14g"));
	assert_null(ds_ref_short_id("pr:1"));
	assert_true(ds_ref_id_matches(id, "d6a5d8f4f14d"));
	assert_true(ds_ref_id_matches(id, "sha256:d6a5d8f4f14d0e"));
	assert_true(ds_ref_id_matches(id, "D6A5D8F4F14D"));
	assert_true(ds_ref_id_matches(id + 7, "d6a5d8f4f14d"));
	assert_false(ds_ref_id_matches(id, "d6a5d8f4f14e"));
	assert_false(ds_ref_id_matches(id, "d6a5d8"));
}

/* 1 when pattern matches tag (model spelling = raw spelling here). */
static int pat_tag(const char *pattern, const char *tag)
{
	struct ds_ref_pattern p;
	char canon[DS_REF_MAX];

	ds_ref_pattern_init(&p, pattern);
	ds_ref_canonical(canon, sizeof(canon), tag, 1);
	return ds_ref_pattern_matches_tag(&p, tag, tag, canon);
}

/*
 * Pairs of spellings, as written and normalised: a protect or pin pattern
 * against a tag (pat_tag), and two references (ds_ref_same).  IDs: short
 * IDs by prefix, globs on the ID with or without sha256:.
 */
static void patterns_should_match_as_written_and_normalised(void **state)
{
	static const struct {
		int (*fn)(const char *, const char *);
		const char *a, *b;
		int want;
	} pairs[] = {
		{ pat_tag, "pr:1", "pr:1", 1 },
		{ pat_tag, "docker.io/library/pr:1", "pr:1", 1 },
		{ pat_tag, "docker.io/pr:1", "pr:1", 1 },
		{ pat_tag, "localhost/pr:1", "pr:1", 1 },
		{ pat_tag, "docker.io/library/pr:1", "pr:10", 0 },
		{ pat_tag, "pr:1", "pr:10", 0 },
		/* without a tag: the whole repository */
		{ pat_tag, "pr", "pr:7", 1 },
		{ pat_tag, "docker.io/library/pr", "pr:7", 1 },
		{ pat_tag, "pr", "pro:7", 0 },
		{ pat_tag, "reg.local:5000/svc", "reg.local:5000/svc:2", 1 },
		{ pat_tag, "reg.local:5000/svc", "reg.local:5000/other:2", 0 },
		/* globs, as written and normalised */
		{ pat_tag, "app:*", "app:1", 1 },
		{ pat_tag, "*", "reg.local:5000/svc:1", 1 },
		{ pat_tag, "registry:5000/team/*", "registry:5000/team/api:1", 1 },
		{ pat_tag, "docker.io/team/*", "team/app:1", 1 },
		{ pat_tag, "docker.io/library/web:*", "web:3", 1 },
		{ pat_tag, "docker.io/library/web:*", "team/web:3", 0 },
		/* references */
		{ ds_ref_same, "pr", "pr:latest", 1 },
		{ ds_ref_same, "docker.io/library/pr:1", "pr:1", 1 },
		{ ds_ref_same, "index.docker.io/library/pr", "pr:latest", 1 },
		{ ds_ref_same, "localhost/web:2", "web:2", 1 },
		{ ds_ref_same, "reg:5000/app", "reg:5000/app:latest", 1 },
		{ ds_ref_same, "pr:1", "pr:2", 0 },
		{ ds_ref_same, "pr", "pr:1", 0 },
		{ ds_ref_same, "team/pr:1", "pr:1", 0 },
		{ ds_ref_same, "reg:5000/app:1", "app:1", 0 },
	};
	struct ds_ref_pattern p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (!pairs[i].fn(pairs[i].a, pairs[i].b) != !pairs[i].want)
			fail_msg("%s('%s', '%s'): want %d",
				 pairs[i].fn == pat_tag ? "pattern" : "same",
				 pairs[i].a, pairs[i].b, pairs[i].want);
	ds_ref_pattern_init(&p, "d6a5d8f4f14d");
	assert_non_null(p.short_id);
	assert_true(ds_ref_pattern_matches_id(&p, "sha256:d6a5d8f4f14d99"));
	assert_false(ds_ref_pattern_matches_id(&p, "sha256:d6a5d8f4f14e99"));
	ds_ref_pattern_init(&p, "sha256:d6a5d8f4f14d");
	assert_true(ds_ref_pattern_matches_id(&p, "sha256:d6a5d8f4f14d99"));
	ds_ref_pattern_init(&p, "d6a5*");
	assert_null(p.short_id);
	assert_true(ds_ref_pattern_matches_id(&p, "sha256:d6a5d8f4f14d99"));
	ds_ref_pattern_init(&p, "d6a5d8");   /* too short to be an ID */
	assert_false(ds_ref_pattern_matches_id(&p, "sha256:d6a5d8f4f14d99"));
}

/* The familiar form of ref.h, as model.h keeps tags. */
static void familiar_should_drop_default_hosts_and_name_none(void **state)
{
	static const struct {
		const char *in, *out;
	} table[] = {
		{ "localhost/t1:latest", "t1:latest" },
		{ "localhost/team/app:1.0", "team/app:1.0" },
		{ "docker.io/library/probe-img:v1", "probe-img:v1" },
		{ "docker.io/user/app:2", "user/app:2" },
		{ "index.docker.io/library/busybox:1", "busybox:1" },
		{ "registry:5000/x/y:tag", "registry:5000/x/y:tag" },
		{ "localhost:5000/x:1", "localhost:5000/x:1" },
		{ "quay.io/podman/stable:v4", "quay.io/podman/stable:v4" },
		{ "app:1", "app:1" },
		{ "app@sha256:abcd", "app@sha256:abcd" },
		{ "latest", "latest" },
		{ "localhost/", "localhost/" },
		{ "<none>:<none>", NULL },
		{ "<none>@<none>", NULL },
		{ "<none>", NULL },
		{ "", NULL },
		{ NULL, NULL },
	};
	size_t i;
	const char *got;

	(void)state;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		got = ds_ref_familiar(table[i].in);
		if (!table[i].out)
			assert_null(got);
		else
			assert_string_equal(got, table[i].out);
	}
}

/* A pin names an image by a tag (normalised) or by the start of its ID. */
static void pins_should_name_images_by_tag_or_id(void **state)
{
	char *tags[] = { "pr:1", "team/app:latest" };
	char *raw[] = { "localhost/pr:1", "docker.io/team/app:latest" };
	static const char id[] = "sha256:d6a5d8f4f14d0e3a1b2c";

	(void)state;
	assert_true(ds_ref_names_image("pr:1", id, tags, raw, 2));
	assert_true(ds_ref_names_image("localhost/pr:1", id, tags, raw, 2));
	assert_true(ds_ref_names_image("docker.io/team/app", id, tags, raw,
				       2));
	assert_true(ds_ref_names_image("d6a5d8f4f14d", id, tags, raw, 2));
	assert_true(ds_ref_names_image("sha256:d6a5d8f4f14d", id, tags, raw,
				       2));
	assert_false(ds_ref_names_image("pr", id, tags, raw, 2));
	assert_false(ds_ref_names_image("d6a5d8f4f14", id, tags, raw, 2));
	assert_false(ds_ref_names_image("pr:1", id, tags, raw, 0));
}

/* Whole image IDs, bare IDs and references that name nothing. */
static void ids_should_be_64_hex_digits_and_none_nothing(void **state)
{
	static const char hex[] = "0123456789abcdef0123456789abcdef"
				  "0123456789abcdef0123456789abcdef";
	char id[80];

	(void)state;
	snprintf(id, sizeof(id), "sha256:%s", hex);
	assert_true(ds_ref_is_image_id(hex));
	assert_true(ds_ref_is_image_id(id));
	assert_false(ds_ref_is_image_id("sha256:0123456789ab"));
	assert_false(ds_ref_is_image_id("app:1"));
	id[20] = 'A';
	assert_false(ds_ref_is_image_id(id));
	assert_string_equal(ds_ref_bare_id("sha256:abc"), "abc");
	assert_string_equal(ds_ref_bare_id("abc"), "abc");
	assert_true(ds_ref_is_none(""));
	assert_true(ds_ref_is_none("<none>@<none>"));
	assert_false(ds_ref_is_none("<none>x"));
	assert_false(ds_ref_is_none("app"));
}

DS_TEST_MAIN(
	cmocka_unit_test(canonical_should_imply_registry_library_and_latest),
	cmocka_unit_test(canonical_should_refuse_empty_and_overlong),
	cmocka_unit_test(repo_len_should_stop_at_the_tag_or_digest),
	cmocka_unit_test(short_ids_should_be_twelve_hex_digits_or_more),
	cmocka_unit_test(patterns_should_match_as_written_and_normalised),
	cmocka_unit_test(familiar_should_drop_default_hosts_and_name_none),
	cmocka_unit_test(pins_should_name_images_by_tag_or_id),
	cmocka_unit_test(ids_should_be_64_hex_digits_and_none_nothing))
