/* test_handoff.c: the pure parts of hand-offs: TO, ledger, verification,
 * the load stream's errors, docker save's manifest.json. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "dest.h"
#include "handoff.h"
#include "ledger.h"
#include "model.h"

/* A string field of a parsed TO: equal to want, unless want is NULL. */
static void dest_field(const char *in, const char *name, const char *got,
		       const char *want)
{
	if (want && (!got || strcmp(got, want) != 0))
		fail_msg("'%s': %s is '%s', want '%s'", in, name,
			 got ? got : "(null)", want);
}

/* Each TO form parses into its parts (NULL: the field is not checked). */
static void dest_parse_should_take_every_form(void **state)
{
	static const struct {
		const char *in;
		enum ds_dest_kind kind;
		const char *host, *text, *context, *socket, *ns, *path;
	} cases[] = {
		{ " unix:///run/b.sock ", DS_DEST_ENGINE, "unix:///run/b.sock",
		  "unix:///run/b.sock", NULL, NULL, NULL, NULL },
		{ "tcp://10.0.0.2:2375", DS_DEST_ENGINE,
		  NULL, NULL, NULL, NULL, NULL, NULL },
		{ "ssh://me@host:2222", DS_DEST_ENGINE, "ssh://me@host:2222",
		  NULL, NULL, NULL, NULL, NULL },
		{ "context:kind", DS_DEST_CONTEXT,
		  NULL, NULL, "kind", NULL, NULL, NULL },
		{ "containerd:///run/containerd/containerd.sock"
		  "?namespace=k8s.io", DS_DEST_CONTAINERD, NULL, NULL, NULL,
		  "/run/containerd/containerd.sock", "k8s.io", NULL },
		{ "containerd:///c.sock", DS_DEST_CONTAINERD,
		  NULL, NULL, NULL, NULL, "default", NULL },
		{ "file:out/images.tar", DS_DEST_FILE,
		  NULL, NULL, NULL, NULL, NULL, "out/images.tar" },
	};
	struct ds_dest d;
	struct ds_err err = DS_ERR_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(ds_dest_parse(&d, cases[i].in, &err), DS_OK);
		if (d.kind != cases[i].kind)
			fail_msg("'%s': kind %d, want %d", cases[i].in,
				 (int)d.kind, (int)cases[i].kind);
		dest_field(cases[i].in, "host", d.host, cases[i].host);
		dest_field(cases[i].in, "text", d.text, cases[i].text);
		dest_field(cases[i].in, "context", d.context, cases[i].context);
		dest_field(cases[i].in, "socket", d.socket, cases[i].socket);
		dest_field(cases[i].in, "ns", d.ns, cases[i].ns);
		dest_field(cases[i].in, "path", d.path, cases[i].path);
		ds_dest_free(&d);
	}
	assert_int_equal(err.code, DS_OK);
}

/* Bad forms are refused; the message says what to give. */
static void dest_parse_should_refuse_bad_forms(void **state)
{
	static const struct { const char *in, *msg; } bad[] = {
		{ "  ", NULL },
		{ "kind-control-plane", "invalid destination "
		  "'kind-control-plane': give unix://PATH, "
		  "tcp://HOST:PORT, ssh://HOST, context:NAME, "
		  "containerd://PATH (then ?namespace=NS) or file:PATH.tar" },
		{ "containerd://relative.sock", NULL },
		{ "containerd:///c.sock?ns=x", NULL },
		{ "context:", NULL },
		{ "file:", NULL },
		{ "file:a\tb", NULL },
	};
	struct ds_dest d;
	struct ds_err err = DS_ERR_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ds_dest_parse(&d, bad[i].in, &err) != DS_E_ARG)
			fail_msg("'%s' was not refused", bad[i].in);
		if (bad[i].msg)
			assert_string_equal(err.msg, bad[i].msg);
		ds_err_clear(&err);
	}
}

/* Destinations are described the way messages name them. */
static void dest_describe_should_name_each_kind(void **state)
{
	char out[300];

	(void)state;
	assert_string_equal(ds_dest_describe("containerd:///c.sock?namespace="
					     "k8s.io", out, sizeof(out)),
			    "containerd 'k8s.io' at unix:///c.sock");
	assert_string_equal(ds_dest_describe("unix:///b.sock", out,
					     sizeof(out)),
			    "the engine at 'unix:///b.sock'");
	assert_string_equal(ds_dest_describe("file:x.tar", out, sizeof(out)),
			    "the archive 'x.tar'");
	assert_string_equal(ds_dest_describe("context:c", out, sizeof(out)),
			    "docker context 'c'");
}

#define ID_A "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define ID_B "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

/* The latest line for a reference wins; references are normalised;
 * short IDs find the image; bad lines are skipped. */
static void ledger_should_find_the_latest_record(void **state)
{
	const char *text =
		"100\tdocker.io/library/api:1\t" ID_A "\tunix:///a\tunix:///b\tcopied\n"
		"garbage line\n"
		"101\tdocker.io/library/web:1\t" ID_B "\tunix:///a\tfile:w.tar\tcopied\n"
		"102\tdocker.io/library/api:1\t" ID_A "\tunix:///a\tcontainerd:///c.sock?namespace=k8s.io\tremoved\n"
		"x\tdocker.io/library/api:1\t" ID_A "\tunix:///a\tunix:///z\tremoved\n"
		"103\tdocker.io/library/api:2\t" ID_B "\tunix:///a\tunix:///b\tmoved\n";
	struct ds_ledger l = DS_LEDGER_INIT;
	struct ds_err err = DS_ERR_INIT;
	const struct ds_ledger_rec *r;

	(void)state;
	assert_int_equal(ds_ledger_parse(&l, text, strlen(text), &err), DS_OK);
	assert_int_equal(l.n, 3);
	r = ds_ledger_find(&l, "api:1");
	assert_non_null(r);
	assert_int_equal(r->when, 102);
	assert_true(r->removed);
	assert_string_equal(r->to, "containerd:///c.sock?namespace=k8s.io");
	r = ds_ledger_find(&l, "docker.io/library/web:1");
	assert_non_null(r);
	assert_false(r->removed);
	assert_null(ds_ledger_find(&l, "api"));      /* api:latest */
	assert_null(ds_ledger_find(&l, "api:2"));    /* unknown state */
	r = ds_ledger_find(&l, "bbbbbbbbbbbb");
	assert_non_null(r);
	assert_string_equal(r->to, "file:w.tar");
	ds_ledger_free(&l);
}

/* A record formats to one parseable line; the gone text names all. */
static void ledger_should_format_and_explain(void **state)
{
	struct ds_ledger_rec rec = { 1765000000, "docker.io/library/api:1",
				     ID_A, "unix:///a.sock",
				     "containerd:///c.sock?namespace=k8s.io",
				     1, 0 };
	struct ds_buf b = DS_BUF_INIT;
	struct ds_ledger l = DS_LEDGER_INIT;
	char msg[600];

	(void)state;
	assert_int_equal(ds_ledger_format(&b, &rec), DS_OK);
	assert_string_equal(b.ptr, "1765000000\tdocker.io/library/api:1\t"
			    ID_A "\tunix:///a.sock\tcontainerd:///c.sock?"
			    "namespace=k8s.io\tremoved\n");
	assert_int_equal(ds_ledger_parse(&l, b.ptr, b.len, NULL), DS_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(ds_ledger_gone_text(&l.recs[0], "api:1", msg,
						sizeof(msg)),
			    "'api:1' was handed off to containerd 'k8s.io' at "
			    "unix:///c.sock at 2025-12-06T05:46:40Z and "
			    "removed here (from 'unix:///a.sock'): use it "
			    "there");
	ds_ledger_free(&l);
	ds_buf_free(&b);
}

/* Verification: all tags with the same ID, else the first bad one. */
static void verify_should_want_every_tag_with_the_same_id(void **state)
{
	const char *tags[] = { "api:1", "api:latest" };
	const char *good[] = { ID_A, ID_A };
	const char *missing[] = { ID_A, "" };
	const char *other[] = { ID_B, ID_A };
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(ds_handoff_verify("api:1", ID_A, tags, good, 2, "D",
					   &err), DS_OK);
	assert_int_equal(ds_handoff_verify("api:1", ID_A, tags, missing, 2,
					   "D", &err), DS_E_PROTOCOL);
	assert_string_equal(err.msg, "'api:latest' of 'api:1' is missing "
			    "at D");
	ds_err_clear(&err);
	assert_int_equal(ds_handoff_verify("api:1", ID_A, tags, other, 2, "D",
					   &err), DS_E_PROTOCOL);
	assert_string_equal(err.msg, "'api:1' at D is sha256:bbbbbbbbbbbb, "
			    "not sha256:aaaaaaaaaaaa");
	ds_err_clear(&err);
	assert_int_equal(ds_handoff_verify("api:1", ID_A, tags, good, 0, "D",
					   &err), DS_E_ARG);
}

/* /images/load says 200 and carries its error inside. */
static void load_error_should_be_found_inside_a_200(void **state)
{
	const char *ok = "{\"stream\":\"Loaded image: api:1\\n\"}\r\n";
	const char *bad = "{\"stream\":\"x\"}\n{\"errorDetail\":{\"message\":"
			  "\"write /l/layer.tar: no space left on device\"},"
			  "\"error\":\"write /l/layer.tar: no space left on "
			  "device\"}\n";
	char msg[200];

	(void)state;
	assert_int_equal(ds_model_load_error(msg, sizeof(msg), ok,
					     strlen(ok)), 0);
	assert_int_equal(ds_model_load_error(msg, sizeof(msg), bad,
					     strlen(bad)), 1);
	assert_string_equal(msg, "write /l/layer.tar: no space left on "
			    "device");
	assert_int_equal(ds_model_load_error(msg, sizeof(msg), "oops", 4), 1);
	assert_string_equal(msg, "oops");
}

/* docker save's manifest.json: IDs from the config names, and tags. */
static void save_manifest_should_give_ids_and_tags(void **state)
{
	const char *json = "[{\"Config\":\"" "aaaa.json\",\"RepoTags\":"
			   "[\"api:1\",\"api:latest\"],\"Layers\":[]},"
			   "{\"Config\":\"blobs/sha256/bbbb\",\"RepoTags\":"
			   "null,\"Layers\":[]}]";
	struct ds_save_manifest m;
	char cfg[100];

	(void)state;
	assert_int_equal(ds_model_parse_save_manifest(&m, json, strlen(json),
						      NULL), DS_OK);
	assert_int_equal(m.n, 2);
	assert_string_equal(m.ids[0], "sha256:aaaa");
	assert_string_equal(m.ids[1], "sha256:bbbb");
	assert_int_equal(m.first[1] - m.first[0], 2);
	assert_string_equal(m.tags[1], "api:latest");
	assert_int_equal(m.first[2], m.first[1]);
	ds_model_save_manifest_free(&m);
	assert_int_equal(ds_model_parse_save_manifest(&m, "{}", 2, NULL),
			 DS_E_PROTOCOL);
	json = "{\"config\":{\"digest\":\"" ID_A "\"}}";
	assert_int_equal(ds_model_manifest_config(cfg, sizeof(cfg), json,
						  strlen(json), NULL), DS_OK);
	assert_string_equal(cfg, ID_A);
}

DS_TEST_MAIN(
	cmocka_unit_test(dest_parse_should_take_every_form),
	cmocka_unit_test(dest_parse_should_refuse_bad_forms),
	cmocka_unit_test(dest_describe_should_name_each_kind),
	cmocka_unit_test(ledger_should_find_the_latest_record),
	cmocka_unit_test(ledger_should_format_and_explain),
	cmocka_unit_test(verify_should_want_every_tag_with_the_same_id),
	cmocka_unit_test(load_error_should_be_found_inside_a_200),
	cmocka_unit_test(save_manifest_should_give_ids_and_tags))
