/*
 * test_redact.c: credentials out of printed addresses (redact.h) and
 * out of every error message (ds_err_set).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testutil.h"

#include "error.h"
#include "redact.h"

/* Redact text as free text and check the whole result. */
static void check_text(const char *in, const char *want)
{
	char out[256];
	size_t n = ds_redact_text(out, sizeof(out), in);

	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
}

/* Redact s as one address and check the whole result. */
static void check_addr(const char *in, const char *want)
{
	char out[256];
	size_t n = ds_redact_addr(out, sizeof(out), in);

	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
}

/* The userinfo of every URL in a message is replaced, the rest kept. */
static void text_should_redact_userinfo(void **state)
{
	(void)state;
	check_text("invalid DOCKER_HOST 'tcp://user:pass@host:2376': bad",
		   "invalid DOCKER_HOST 'tcp://***@host:2376': bad");
	check_text("ssh://admin:s3cret@host and https://tok@x.io/v2/",
		   "ssh://***@host and https://***@x.io/v2/");
	check_text("a@b:c@host://x@y:1/p@q", "a@b:c@host://***@y:1/p@q");
	check_text("'unix:///run/a@b.sock'", "'unix:///run/a@b.sock'");
	check_text("\"tcp://u:p@h\"", "\"tcp://***@h\"");
}

/* Query values are replaced, names kept; a bare parameter is replaced. */
static void text_should_redact_query(void **state)
{
	(void)state;
	check_text("'tcp://h:1/?token=abc&x=1#frag' end",
		   "'tcp://h:1/?token=***&x=***#frag' end");
	check_text("https://h/p?abc123", "https://h/p?***");
	check_text("https://h/p?a=&&b", "https://h/p?a=***&&***");
	check_text("https://h/p?", "https://h/p?");
}

/* Text without addresses, image references included, is unchanged. */
static void text_should_keep_other_text(void **state)
{
	(void)state;
	check_text("", "");
	check_text("cannot delete image 'alpine@sha256:0123': in use",
		   "cannot delete image 'alpine@sha256:0123': in use");
	check_text("what? user@host", "what? user@host");
	check_text("x://", "x://");
}

/* One address: no scheme needed; the last '@' ends any password. */
static void addr_should_redact_whole_userinfo(void **state)
{
	(void)state;
	check_addr("user:pass@host:2376", "***@host:2376");
	check_addr("tcp://u:p'a s/s?#@h:1", "tcp://***@h:1");
	check_addr("tcp://h:2375", "tcp://h:2375");
	check_addr("tcp://h:1?token=t&sig=s", "tcp://h:1?token=***&sig=***");
	check_addr("unix:///tmp/a:b@c.sock", "unix:///tmp/a:b@c.sock");
	check_addr("/tmp/a:b@c.sock", "/tmp/a:b@c.sock");
	check_addr("", "");
}

/* The snprintf contract: truncated, terminated, full length returned. */
static void redact_should_truncate_like_snprintf(void **state)
{
	char out[8];
	char *dup;

	(void)state;
	assert_int_equal(ds_redact_text(NULL, 0, "tcp://u:p@h"), 11);
	assert_int_equal(ds_redact_text(out, sizeof(out), "tcp://u:p@h"), 11);
	assert_string_equal(out, "tcp://*");
	assert_int_equal(ds_redact_addr(out, 1, "u:p@h"), 5);
	assert_string_equal(out, "");
	dup = ds_redact_addr_dup("u:p@h");
	assert_string_equal(dup, "***@h");
	free(dup);
}

/* Every error message is redacted, even one longer than the record. */
static void err_set_should_redact_messages(void **state)
{
	struct ds_err err = DS_ERR_INIT;
	char pad[600];

	(void)state;
	ds_err_set(&err, DS_E_CONNECT, "cannot reach engine at '%s': %s",
		   "tcp://user:s3cret@h:1", "refused");
	assert_string_equal(err.msg,
			    "cannot reach engine at 'tcp://***@h:1': refused");
	ds_err_clear(&err);
	/* an address cut at the record's end must not leave a secret */
	memset(pad, 'x', 500);
	pad[500] = '\0';
	ds_err_set(&err, DS_E_CONFIG, "%s tcp://user:s3cretpassword@h:1",
		   pad);
	assert_lacks(err.msg, "s3cret");
	assert_int_equal(strlen(err.msg), sizeof(err.msg) - 1);
}

DS_TEST_MAIN(
	cmocka_unit_test(text_should_redact_userinfo),
	cmocka_unit_test(text_should_redact_query),
	cmocka_unit_test(text_should_keep_other_text),
	cmocka_unit_test(addr_should_redact_whole_userinfo),
	cmocka_unit_test(redact_should_truncate_like_snprintf),
	cmocka_unit_test(err_set_should_redact_messages))
