/*
 * test_endpoint.c: endpoint resolution (DOCKER_HOST, DOCKER_CONTEXT,
 * config.json, the context store, TLS variables) and SHA-256.
 */
#define _XOPEN_SOURCE 700

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "endpoint.h"
#include "sha256.h"

#define MAX_VARS 16

/* A test's temporary config directory and the variables it feeds. */
struct fixture {
	char dir[64];
	const char *names[MAX_VARS];
	char *values[MAX_VARS];
	int n;
};

/* Set (or replace) a variable in the table; "" is stored as given. */
static void set_var(struct fixture *fx, const char *name, const char *value)
{
	int i;

	for (i = 0; i < fx->n; i++) {
		if (strcmp(fx->names[i], name) == 0) {
			free(fx->values[i]);
			fx->values[i] = strdup(value);
			return;
		}
	}
	assert_true(fx->n < MAX_VARS);
	fx->names[fx->n] = name;
	fx->values[fx->n] = strdup(value);
	fx->n++;
}

/* Remove a variable from the table. */
static void unset_var(struct fixture *fx, const char *name)
{
	int i;

	for (i = 0; i < fx->n; i++) {
		if (strcmp(fx->names[i], name) == 0) {
			free(fx->values[i]);
			fx->n--;
			fx->names[i] = fx->names[fx->n];
			fx->values[i] = fx->values[fx->n];
			return;
		}
	}
}

/* The ds_getvar_fn over the fixture's table (returns "" as stored, to test that it counts as unset). */
static char *table_getvar(void *ctx, const char *name)
{
	struct fixture *fx = ctx;
	int i;

	for (i = 0; i < fx->n; i++)
		if (strcmp(fx->names[i], name) == 0)
			return strdup(fx->values[i]);
	return NULL;
}

/* Return "<fixture dir>/<rel>" in a static buffer (one at a time). */
static const char *path_in(struct fixture *fx, const char *rel)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", fx->dir, rel);
	return path;
}

/* Create every directory leading to path (not path itself). */
static void make_parents(const char *path)
{
	char tmp[4096];
	char *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
				fail_msg("mkdir '%s': %s", tmp, strerror(errno));
			*p = '/';
		}
	}
}

/* Write text to <fixture dir>/<rel>, creating directories. */
static void write_file(struct fixture *fx, const char *rel, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fx->dir, rel);
	make_parents(path);
	f = fopen(path, "w");
	if (!f)
		fail_msg("cannot write '%s': %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

/* Write a context's meta.json as the CLI stores it. */
static void write_meta(struct fixture *fx, const char *name, const char *json)
{
	char hash[65], rel[256];

	ds_sha256_hex(name, strlen(name), hash);
	snprintf(rel, sizeof(rel), "contexts/meta/%s/meta.json", hash);
	write_file(fx, rel, json);
}

/* Write one of a context's TLS files (ca.pem, cert.pem, key.pem). */
static void write_tls(struct fixture *fx, const char *name, const char *file)
{
	char hash[65], rel[256];

	ds_sha256_hex(name, strlen(name), hash);
	snprintf(rel, sizeof(rel), "contexts/tls/%s/docker/%s", hash, file);
	write_file(fx, rel, "-----BEGIN X-----\n");
}

/* Return the expected path of a context's TLS file, in a static buffer. */
static const char *tls_path(struct fixture *fx, const char *name,
			    const char *file)
{
	static char path[4096];
	char hash[65];

	ds_sha256_hex(name, strlen(name), hash);
	snprintf(path, sizeof(path), "%s/contexts/tls/%s/docker/%s", fx->dir,
		 hash, file);
	return path;
}

/* Make a fresh config directory; DOCKER_CONFIG points at it. */
static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/ds-endpoint-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	set_var(fx, "DOCKER_CONFIG", fx->dir);
	*state = fx;
	return 0;
}

/* Remove one entry of the temporary tree (nftw callback). */
static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Remove the config directory and free the variables. */
static int teardown(void **state)
{
	struct fixture *fx = *state;
	int i;

	nftw(fx->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	for (i = 0; i < fx->n; i++)
		free(fx->values[i]);
	free(fx);
	return 0;
}

/* Resolve with the fixture's variables. */
static enum ds_code resolve(struct fixture *fx, struct ds_endpoint *ep,
			    struct ds_err *err)
{
	return ds_endpoint_resolve(ep, table_getvar, fx, err);
}

/* Fail unless ep is the default socket. */
static void assert_default_socket(const struct ds_endpoint *ep)
{
	assert_int_equal(ep->kind, DS_EP_UNIX);
	assert_string_equal(ep->url, "unix:///var/run/docker.sock");
	assert_string_equal(ep->unix_path, "/var/run/docker.sock");
	assert_null(ep->host);
	assert_int_equal(ep->tls, 0);
}

/* Fail unless nothing in ep is allocated or set. */
static void assert_empty(const struct ds_endpoint *ep)
{
	assert_null(ep->url);
	assert_null(ep->unix_path);
	assert_null(ep->host);
	assert_null(ep->ca_file);
	assert_null(ep->cert_file);
	assert_null(ep->key_file);
	assert_null(ep->source);
	assert_int_equal(ep->tls, 0);
}

/* Hash a C string to hex (a context's directory name). */
static const char *hash_of(const char *s)
{
	static char hex[65];

	ds_sha256_hex(s, strlen(s), hex);
	return hex;
}

/* Parse a host string as if from DOCKER_HOST. */
static enum ds_code parse(const char *host, struct ds_endpoint *ep,
			  struct ds_err *err)
{
	return ds_endpoint_parse_host(ep, host, "DOCKER_HOST", err);
}

/* One case of tests/data/endpoints.cases (see there). */
struct host_case {
	int line;
	char input[512];
	char *expect;   /* after " => ", in the file's text */
};

/* Undo the cases file's escapes (\s \t \n, "" for empty) into out. */
static void unescape(const char *in, size_t len, char *out, size_t n)
{
	size_t i, o = 0;

	if (len == 2 && in[0] == '"' && in[1] == '"')
		len = 0;
	for (i = 0; i < len && o + 1 < n; i++) {
		if (in[i] == '\\' && i + 1 < len) {
			char c = in[++i];

			out[o++] = c == 's' ? ' ' : c == 't' ? '\t' :
				   c == 'n' ? '\n' : c;
		} else {
			out[o++] = in[i];
		}
	}
	out[o] = '\0';
}

/* The endpoint's field called name ("path", "host", ...) as text. */
static const char *field_of(const struct ds_endpoint *ep, const char *name,
			    char *num, size_t n)
{
	if (strcmp(name, "path") == 0)
		return ep->unix_path;
	if (strcmp(name, "host") == 0)
		return ep->host;
	if (strcmp(name, "user") == 0)
		return ep->ssh_user;
	if (strcmp(name, "sshpath") == 0)
		return ep->ssh_path;
	if (strcmp(name, "port") == 0) {
		snprintf(num, n, "%d", ep->port);
		return num;
	}
	fail_msg("endpoints.cases: unknown field '%s'", name);
	return NULL;
}

/* Check a parsed endpoint against "KIND URL FIELD=VALUE..."; 0 if it
 * matches, else print why and return 1. */
static int check_parsed(const struct host_case *c,
			const struct ds_endpoint *ep)
{
	static const char *const kinds[] = { "unix", "tcp", "ssh" };
	char want[512], *tok, *save = NULL, num[16];
	int i = 0;

	snprintf(want, sizeof(want), "%s", c->expect);
	for (tok = strtok_r(want, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save), i++) {
		const char *got, *eq = strchr(tok, '=');

		if (i == 0)
			got = kinds[ep->kind];
		else if (i == 1)
			got = strcmp(tok, "*") == 0 ? "*" : ep->url;
		else if (!eq)
			fail_msg("endpoints.cases:%d: expected FIELD=VALUE, "
				 "got '%s'", c->line, tok);
		else {
			char name[16];

			snprintf(name, sizeof(name), "%.*s", (int)(eq - tok),
				 tok);
			got = field_of(ep, name, num, sizeof(num));
			tok = (char *)eq + 1;
		}
		if (strcmp(tok, "-") == 0 ? got != NULL
					  : !got || strcmp(got, tok) != 0) {
			print_error("endpoints.cases:%d: '%s': expected %s, "
				    "got %s\n", c->line, c->input, tok,
				    got ? got : "none");
			return 1;
		}
	}
	return 0;
}

/* Check a refusal against "! CODE TEXT"; 0 if it matches, else 1. */
static int check_refused(const struct host_case *c, enum ds_code code,
			 const struct ds_endpoint *ep,
			 const struct ds_err *err)
{
	const char *text = strchr(c->expect + 2, ' ');
	size_t len = text ? (size_t)(text - c->expect - 2) : 0;
	enum ds_code want = DS_OK;

	if (!text)
		fail_msg("endpoints.cases:%d: expected '! CODE TEXT'", c->line);
	if (len == 6 && strncmp(c->expect + 2, "config", 6) == 0)
		want = DS_E_CONFIG;
	else if (len == 11 && strncmp(c->expect + 2, "unsupported", 11) == 0)
		want = DS_E_UNSUPPORTED;
	else
		fail_msg("endpoints.cases:%d: unknown code '%.*s'", c->line,
			 (int)len, c->expect + 2);
	if (code != want || !strstr(err->msg, text + 1) || ep->url ||
	    ep->unix_path || ep->host || ep->source) {
		print_error("endpoints.cases:%d: '%s': expected %s, got code "
			    "%d, message '%s'%s\n", c->line, c->input,
			    c->expect, code, err->msg,
			    ep->url ? ", and an endpoint" : "");
		return 1;
	}
	return 0;
}

/* Every case of tests/data/endpoints.cases. */
static void parse_host_should_match_the_cases_file(void **state)
{
	char *text = ds_test_read("endpoints.cases", NULL), *p, *next;
	int line = 0, n = 0, failed = 0;

	(void)state;
	for (p = text; *p; p = next) {
		struct host_case c = { 0 };
		struct ds_endpoint ep;
		struct ds_err err = DS_ERR_INIT;
		enum ds_code code;
		char *arrow;

		next = strchr(p, '\n');
		next = next ? (*next = '\0', next + 1) : p + strlen(p);
		line++;
		if (*p == '#' || *p == '\0')
			continue;
		arrow = strstr(p, " => ");
		if (!arrow)
			fail_msg("endpoints.cases:%d: no ' => ' in '%s'", line,
				 p);
		c.line = line;
		unescape(p, (size_t)(arrow - p), c.input, sizeof(c.input));
		c.expect = arrow + 4;
		code = parse(c.input, &ep, &err);
		if (c.expect[0] == '!')
			failed += check_refused(&c, code, &ep, &err);
		else if (code != DS_OK) {
			print_error("endpoints.cases:%d: '%s' refused: %s\n",
				    line, c.input, err.msg);
			failed++;
		} else {
			failed += check_parsed(&c, &ep);
		}
		if (code == DS_OK)
			ds_endpoint_free(&ep);
		n++;
	}
	free(text);
	assert_true(n > 0);
	if (failed)
		fail_msg("%d of %d endpoint cases failed", failed, n);
}

/* No host string at all is the default socket (the CLI's ParseHost). */
static void parse_host_should_default_null_to_socket(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(ds_endpoint_parse_host(&ep, NULL, NULL, &err), DS_OK);
	assert_default_socket(&ep);
	ds_endpoint_free(&ep);
}

/* A password in an ssh:// address is refused (as the CLI) and never shown. */
static void parse_host_should_not_print_ssh_password(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse("ssh://admin:s3cret@host:2222", &ep, &err),
			 DS_E_CONFIG);
	assert_lacks(err.msg, "s3cret");
	assert_lacks(err.msg, "admin");
	assert_string_equal(err.msg, "invalid DOCKER_HOST 'ssh://***@host:2222': "
			    "a password in an ssh address is not supported, use a key");
	assert_empty(&ep);
}

/* Every error about an address with credentials shows them redacted. */
static void parse_host_should_redact_credentials_in_errors(void **state)
{
	static const struct { const char *host; const char *shown; } bad[] = {
		{ "tcp://user:s3cret@h:99999", "'tcp://***@h:99999'" },
		{ "tcp://user:s3cret@h:1/v1.41", "'tcp://***@h:1/v1.41'" },
		{ "user:s3cret@h:99999", "'***@h:99999'" },
		{ "tcp://u:s3'cret@h:0", "'tcp://***@h:0'" },
		{ "tcp://u:s3/cret@h:1", "'tcp://***@h:1'" },
		{ "tcp://h:1?token=s3cret", "'tcp://h:1?token=***'" },
		{ "npipe://u:s3cret@h/pipe", "'npipe://***@h/pipe'" },
		{ "fd://u:s3cret@h", "'fd://***@h'" },
		{ "http://u:s3cret@h:1", "'http://***@h:1'" },
	};
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ds_err_clear(&err);
		if (parse(bad[i].host, &ep, &err) == DS_OK)
			fail_msg("'%s' was accepted", bad[i].host);
		if (strstr(err.msg, "s3"))
			fail_msg("'%s': secret in '%s'", bad[i].host, err.msg);
		assert_has(err.msg, bad[i].shown);
	}
}

/* A socket path longer than curl's 107 bytes is refused; 107 is fine. */
static void parse_host_should_reject_unix_path_longer_than_107(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;
	char host[200];

	(void)state;
	strcpy(host, "unix:///");
	memset(host + 8, 'x', 106);
	host[8 + 106] = '\0';
	assert_int_equal(parse(host, &ep, &err), DS_OK);
	assert_int_equal(strlen(ep.unix_path), 107);
	ds_endpoint_free(&ep);
	strcat(host, "y");
	assert_int_equal(parse(host, &ep, &err), DS_E_CONFIG);
	assert_has(err.msg, "invalid DOCKER_HOST 'unix:///xxx");
	assert_has(err.msg, "longer than 107 bytes");
	assert_empty(&ep);
}

/* parse_host names its source as given and leaves TLS alone. */
static void parse_host_should_name_source_and_leave_tls_empty(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(ds_endpoint_parse_host(&ep, "tcp://h:x",
						"host of context 'c'", &err),
			 DS_E_CONFIG);
	assert_string_equal(err.msg,
			    "invalid host of context 'c' 'tcp://h:x': bad port");
	ds_err_clear(&err);
	assert_int_equal(ds_endpoint_parse_host(&ep, "tcp://h", NULL, &err),
			 DS_OK);
	assert_int_equal(ep.tls, 0);
	assert_int_equal(ep.tls_verify, 0);
	assert_null(ep.ca_file);
	assert_null(ep.source);
	ds_endpoint_free(&ep);
}

/* An error already recorded is kept; the code is still returned. */
static void parse_host_should_keep_first_error(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	ds_err_set(&err, DS_E_ARG, "earlier");
	assert_int_equal(parse("tcp://h:0", &ep, &err), DS_E_CONFIG);
	assert_int_equal(err.code, DS_E_ARG);
	assert_string_equal(err.msg, "earlier");
}

/* Freeing a zeroed or already freed endpoint is harmless. */
static void endpoint_free_should_accept_zeroed_struct(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	memset(&ep, 0, sizeof(ep));
	ds_endpoint_free(&ep);
	ds_endpoint_free(NULL);
	assert_int_equal(parse("tcp://h", &ep, &err), DS_OK);
	ds_endpoint_free(&ep);
	assert_empty(&ep);
	ds_endpoint_free(&ep);
}

/* Nothing set and no config.json: the default socket, source "default". */
static void resolve_should_default_to_docker_sock(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_default_socket(&ep);
	assert_string_equal(ep.source, "default");
	ds_endpoint_free(&ep);
}

/* DOCKER_HOST beats DOCKER_CONTEXT and currentContext. */
static void resolve_should_prefer_docker_host_over_context(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	write_meta(fx, "other", "{\"Name\":\"other\",\"Endpoints\":{\"docker\":"
		   "{\"Host\":\"tcp://other:2375\"}}}");
	write_file(fx, "config.json", "{\"currentContext\":\"other\"}");
	set_var(fx, "DOCKER_CONTEXT", "other");
	set_var(fx, "DOCKER_HOST", "unix:///run/x.sock");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_string_equal(ep.url, "unix:///run/x.sock");
	assert_string_equal(ep.source, "DOCKER_HOST");
	ds_endpoint_free(&ep);
}

/* With DOCKER_HOST set config.json is not read, so a broken one is harmless. */
static void resolve_should_ignore_config_json_when_docker_host_is_set(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	write_file(fx, "config.json", "{not json");
	set_var(fx, "DOCKER_HOST", "tcp://127.0.0.1:2375");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_string_equal(ep.url, "tcp://127.0.0.1:2375");
	assert_string_equal(ep.host, "127.0.0.1");
	assert_int_equal(ep.port, 2375);
	assert_int_equal(ep.tls, 0);
	ds_endpoint_free(&ep);
}

/* A bad DOCKER_HOST fails, naming the variable; out holds nothing. */
static void resolve_should_report_bad_docker_host(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	set_var(fx, "DOCKER_HOST", "tcp://h:99999");
	set_var(fx, "DOCKER_TLS_VERIFY", "1");
	write_file(fx, "ca.pem", "x");
	assert_int_equal(resolve(fx, &ep, &err), DS_E_CONFIG);
	assert_string_equal(err.msg,
			    "invalid DOCKER_HOST 'tcp://h:99999': bad port");
	assert_empty(&ep);
	ds_err_clear(&err);
	/* TLS settings do not apply to ssh; DOCKSPACE_SSH_OPTS does */
	set_var(fx, "DOCKER_HOST", "ssh://u@h");
	set_var(fx, "DOCKSPACE_SSH_OPTS", "-i /k -o Port=1");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_int_equal(ep.kind, DS_EP_SSH);
	assert_int_equal(ep.tls, 0);
	assert_null(ep.ca_file);
	assert_string_equal(ep.ssh_opts, "-i /k -o Port=1");
	assert_string_equal(ep.source, "DOCKER_HOST");
	ds_endpoint_free(&ep);
}

/* DOCKER_CONTEXT beats currentContext in config.json. */
static void resolve_should_prefer_docker_context_over_current_context(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	write_meta(fx, "env", "{\"Name\":\"env\",\"Endpoints\":{\"docker\":"
		   "{\"Host\":\"unix:///run/env.sock\",\"SkipTLSVerify\":false}}}");
	write_meta(fx, "file", "{\"Name\":\"file\",\"Endpoints\":{\"docker\":"
		   "{\"Host\":\"unix:///run/file.sock\"}}}");
	write_file(fx, "config.json", "{\"currentContext\":\"file\"}");
	set_var(fx, "DOCKER_CONTEXT", "env");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_string_equal(ep.url, "unix:///run/env.sock");
	assert_string_equal(ep.source, "context 'env'");
	ds_endpoint_free(&ep);
}

/* currentContext in config.json names the context; the reference's probe-ctx. */
static void resolve_should_use_current_context_from_config(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	write_file(fx, "contexts/meta/f966a42244554f95032b100cf495e377efa027c50bea1f6eaff8e453564f68b2/meta.json",
		   "{\"Name\":\"probe-ctx\",\"Metadata\":{\"Description\":\"probe\"},"
		   "\"Endpoints\":{\"docker\":{\"Host\":\"unix:///run/private-engine/docker.sock\","
		   "\"SkipTLSVerify\":true}}}");
	write_file(fx, "config.json",
		   "{\n\t\"auths\": {},\n\t\"currentContext\": \"probe-ctx\"\n}\n");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_int_equal(ep.kind, DS_EP_UNIX);
	assert_string_equal(ep.url, "unix:///run/private-engine/docker.sock");
	assert_string_equal(ep.unix_path, "/run/private-engine/docker.sock");
	assert_string_equal(ep.source, "context 'probe-ctx'");
	/* A socket takes no TLS even with SkipTLSVerify. */
	assert_int_equal(ep.tls, 0);
	assert_int_equal(ep.tls_verify, 0);
	ds_endpoint_free(&ep);
}

/* Without DOCKER_CONFIG the config directory is $HOME/.docker. */
static void resolve_should_find_config_under_home(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;
	char hash[65], rel[256];

	unset_var(fx, "DOCKER_CONFIG");
	set_var(fx, "HOME", path_in(fx, "home"));
	ds_sha256_hex("h", 1, hash);
	snprintf(rel, sizeof(rel), "home/.docker/contexts/meta/%s/meta.json",
		 hash);
	write_file(fx, rel, "{\"Name\":\"h\",\"Endpoints\":{\"docker\":"
		   "{\"Host\":\"tcp://home:1\"}}}");
	write_file(fx, "home/.docker/config.json", "{\"currentContext\":\"h\"}");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_string_equal(ep.url, "tcp://home:1");
	ds_endpoint_free(&ep);
}

/* The context named "default" is the default socket, from either place. */
static void resolve_should_treat_default_context_as_socket(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	set_var(fx, "DOCKER_CONTEXT", "default");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_default_socket(&ep);
	assert_string_equal(ep.source, "default");
	ds_endpoint_free(&ep);
	unset_var(fx, "DOCKER_CONTEXT");
	write_file(fx, "config.json", "{\"currentContext\":\"default\"}");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_default_socket(&ep);
	ds_endpoint_free(&ep);
}

/* config.json that is empty, null or lacks currentContext means the default. */
static void resolve_should_accept_config_without_current_context(void **state)
{
	static const char *texts[] = {
		"", "  \n", "null", "{}", "{\"currentContext\":\"\"}",
		"{\"currentContext\":null}", "{\"auths\":{}} trailing",
	};
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		write_file(fx, "config.json", texts[i]);
		if (resolve(fx, &ep, &err) != DS_OK)
			fail_msg("config.json '%s': %s", texts[i], err.msg);
		assert_default_socket(&ep);
		ds_endpoint_free(&ep);
	}
}

/* A malformed config.json is a config error naming the file and line. */
static void resolve_should_reject_malformed_config_json(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;
	char want[4200];

	write_file(fx, "config.json", "{\n\t\"currentContext\": oops\n}");
	assert_int_equal(resolve(fx, &ep, &err), DS_E_CONFIG);
	snprintf(want, sizeof(want), "malformed json in '%s' at line 2",
		 path_in(fx, "config.json"));
	assert_string_equal(err.msg, want);
	assert_empty(&ep);
}

/* A config.json of the wrong shape is a config error naming the file. */
static void resolve_should_reject_config_json_of_wrong_shape(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	write_file(fx, "config.json", "{\"currentContext\":42}");
	assert_int_equal(resolve(fx, &ep, &err), DS_E_CONFIG);
	assert_has(err.msg, "currentContext is not a string");
	assert_has(err.msg, path_in(fx, "config.json"));
	ds_err_clear(&err);
	write_file(fx, "config.json", "[1]");
	assert_int_equal(resolve(fx, &ep, &err), DS_E_CONFIG);
	assert_has(err.msg, "expected a json object");
	assert_empty(&ep);
}

/* A config.json that cannot be read (here a directory) is an i/o error. */
static void resolve_should_report_unreadable_config_json(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	assert_int_equal(mkdir(path_in(fx, "config.json"), 0700), 0);
	assert_int_equal(resolve(fx, &ep, &err), DS_E_IO);
	assert_has(err.msg, "cannot read '");
	assert_has(err.msg, "config.json");
	assert_empty(&ep);
}

/* A context without meta.json: not found, naming the store and the source of the name. */
static void resolve_should_report_missing_context(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;
	char want[4200];

	set_var(fx, "DOCKER_CONTEXT", "ghost");
	assert_int_equal(resolve(fx, &ep, &err), DS_E_CONFIG);
	snprintf(want, sizeof(want), "context 'ghost' not found in '%s'",
		 path_in(fx, "contexts/meta"));
	assert_has(err.msg, want);
	assert_has(err.msg, "(named by DOCKER_CONTEXT)");
	assert_empty(&ep);

	ds_err_clear(&err);
	unset_var(fx, "DOCKER_CONTEXT");
	write_file(fx, "config.json", "{\"currentContext\":\"gone\"}");
	assert_int_equal(resolve(fx, &ep, &err), DS_E_CONFIG);
	assert_has(err.msg, "context 'gone' not found in '");
	snprintf(want, sizeof(want), "(named by currentContext in '%s')",
		 path_in(fx, "config.json"));
	assert_has(err.msg, want);
	assert_empty(&ep);
}

/* A malformed meta.json (also with trailing text) is a config error naming it. */
static void resolve_should_reject_malformed_meta_json(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	set_var(fx, "DOCKER_CONTEXT", "broken");
	write_meta(fx, "broken", "{\"Name\":");
	assert_int_equal(resolve(fx, &ep, &err), DS_E_CONFIG);
	assert_has(err.msg, "malformed json in '");
	assert_has(err.msg, hash_of("broken"));
	assert_has(err.msg, "/meta.json' at line 1");
	assert_empty(&ep);
	ds_err_clear(&err);
	write_meta(fx, "broken", "{\"Endpoints\":{\"docker\":{}}} x");
	assert_int_equal(resolve(fx, &ep, &err), DS_E_CONFIG);
	assert_has(err.msg, "malformed json in '");
}

/* meta.json of the wrong shape is a config error. */
static void resolve_should_reject_meta_json_of_wrong_shape(void **state)
{
	static const char *texts[] = {
		"[]",
		"{\"Endpoints\":[]}",
		"{\"Endpoints\":{\"docker\":{\"Host\":5}}}",
		"{\"Endpoints\":{\"docker\":{\"SkipTLSVerify\":\"yes\"}}}",
	};
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;
	size_t i;

	set_var(fx, "DOCKER_CONTEXT", "odd");
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		ds_err_clear(&err);
		write_meta(fx, "odd", texts[i]);
		if (resolve(fx, &ep, &err) != DS_E_CONFIG)
			fail_msg("meta.json '%s' was accepted", texts[i]);
		assert_has(err.msg, "malformed '");
		assert_has(err.msg, "meta.json");
		assert_empty(&ep);
	}
}

/* A context without a docker endpoint is a config error. */
static void resolve_should_reject_context_without_docker_endpoint(void **state)
{
	static const char *texts[] = {
		"{\"Name\":\"k8s\"}",
		"{\"Name\":\"k8s\",\"Endpoints\":null}",
		"{\"Name\":\"k8s\",\"Endpoints\":{\"kubernetes\":{}}}",
		"{\"Name\":\"k8s\",\"Endpoints\":{\"Docker\":{}}}",
	};
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;
	size_t i;

	set_var(fx, "DOCKER_CONTEXT", "k8s");
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		ds_err_clear(&err);
		write_meta(fx, "k8s", texts[i]);
		assert_int_equal(resolve(fx, &ep, &err), DS_E_CONFIG);
		assert_has(err.msg, "context 'k8s' has no docker endpoint in '");
		assert_empty(&ep);
	}
}

/* Field names match without regard to case, as Go's encoding/json does. */
static void resolve_should_match_meta_fields_ignoring_case(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	set_var(fx, "DOCKER_CONTEXT", "lc");
	write_meta(fx, "lc", "{\"name\":\"lc\",\"endpoints\":{\"docker\":"
		   "{\"host\":\"tcp://lc:1\",\"skiptlsverify\":true}}}");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_string_equal(ep.url, "tcp://lc:1");
	assert_int_equal(ep.tls, 1);
	assert_int_equal(ep.tls_verify, 0);
	ds_endpoint_free(&ep);
}

/* A context with TLS files uses them and verifies; a missing port is 2375, as in the CLI. */
static void resolve_should_use_context_tls_files(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	set_var(fx, "DOCKER_CONTEXT", "probe-tls");
	write_meta(fx, "probe-tls", "{\"Name\":\"probe-tls\",\"Metadata\":{},"
		   "\"Endpoints\":{\"docker\":{\"Host\":\"tcp://127.0.0.1\","
		   "\"SkipTLSVerify\":false}}}");
	write_tls(fx, "probe-tls", "ca.pem");
	write_tls(fx, "probe-tls", "cert.pem");
	write_tls(fx, "probe-tls", "key.pem");
	/* The environment's TLS settings do not apply to a context. */
	set_var(fx, "DOCKER_TLS", "1");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_int_equal(ep.kind, DS_EP_TCP);
	assert_string_equal(ep.url, "tcp://127.0.0.1:2375");
	assert_int_equal(ep.tls, 1);
	assert_int_equal(ep.tls_verify, 1);
	assert_string_equal(ep.ca_file, tls_path(fx, "probe-tls", "ca.pem"));
	assert_string_equal(ep.cert_file, tls_path(fx, "probe-tls", "cert.pem"));
	assert_string_equal(ep.key_file, tls_path(fx, "probe-tls", "key.pem"));
	assert_string_equal(ep.source, "context 'probe-tls'");
	ds_endpoint_free(&ep);
}

/* Only the TLS files present are used; one is enough to turn TLS on. */
static void resolve_should_use_only_present_context_tls_files(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	set_var(fx, "DOCKER_CONTEXT", "ca-only");
	write_meta(fx, "ca-only", "{\"Endpoints\":{\"docker\":"
		   "{\"Host\":\"tcp://h:2376\",\"SkipTLSVerify\":false}}}");
	write_tls(fx, "ca-only", "ca.pem");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_int_equal(ep.tls, 1);
	assert_int_equal(ep.tls_verify, 1);
	assert_string_equal(ep.ca_file, tls_path(fx, "ca-only", "ca.pem"));
	assert_null(ep.cert_file);
	assert_null(ep.key_file);
	ds_endpoint_free(&ep);
}

/* SkipTLSVerify alone means TLS without verification (the CLI's tlsConfig()). */
static void resolve_should_skip_verify_for_context_when_asked(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	set_var(fx, "DOCKER_CONTEXT", "insecure");
	write_meta(fx, "insecure", "{\"Endpoints\":{\"docker\":"
		   "{\"Host\":\"tcp://h\",\"SkipTLSVerify\":true}}}");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_int_equal(ep.tls, 1);
	assert_int_equal(ep.tls_verify, 0);
	assert_int_equal(ep.port, 2375);
	assert_null(ep.ca_file);
	ds_endpoint_free(&ep);
}

/* A tcp context without TLS files or SkipTLSVerify is plain http, even with DOCKER_TLS_VERIFY. */
static void resolve_should_not_use_tls_for_plain_tcp_context(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	set_var(fx, "DOCKER_CONTEXT", "plain");
	set_var(fx, "DOCKER_TLS_VERIFY", "1");
	write_file(fx, "ca.pem", "x");
	write_meta(fx, "plain", "{\"Endpoints\":{\"docker\":"
		   "{\"Host\":\"tcp://h\",\"SkipTLSVerify\":false}}}");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_string_equal(ep.url, "tcp://h:2375");
	assert_int_equal(ep.tls, 0);
	assert_int_equal(ep.tls_verify, 0);
	assert_null(ep.ca_file);
	ds_endpoint_free(&ep);
}

/* A unix context ignores its TLS files. */
static void resolve_should_ignore_tls_files_for_unix_context(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	set_var(fx, "DOCKER_CONTEXT", "sock");
	write_meta(fx, "sock", "{\"Endpoints\":{\"docker\":"
		   "{\"Host\":\"unix:///run/s.sock\"}}}");
	write_tls(fx, "sock", "ca.pem");
	write_tls(fx, "sock", "key.pem");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_int_equal(ep.kind, DS_EP_UNIX);
	assert_int_equal(ep.tls, 0);
	assert_null(ep.ca_file);
	assert_null(ep.key_file);
	ds_endpoint_free(&ep);
}

/* A context with no Host talks to the default socket, as the client does. */
static void resolve_should_default_empty_context_host_to_socket(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	set_var(fx, "DOCKER_CONTEXT", "nohost");
	write_meta(fx, "nohost", "{\"Endpoints\":{\"docker\":{\"SkipTLSVerify\":true}}}");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_default_socket(&ep);
	assert_string_equal(ep.source, "context 'nohost'");
	ds_endpoint_free(&ep);
}

/* A context's bad or unsupported host is reported with the context's name; out holds nothing. */
static void resolve_should_report_bad_context_host(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	set_var(fx, "DOCKER_CONTEXT", "bad");
	write_meta(fx, "bad", "{\"Endpoints\":{\"docker\":"
		   "{\"Host\":\"tcp://h:99999\"}}}");
	write_tls(fx, "bad", "ca.pem");
	write_tls(fx, "bad", "cert.pem");
	write_tls(fx, "bad", "key.pem");
	assert_int_equal(resolve(fx, &ep, &err), DS_E_CONFIG);
	assert_string_equal(err.msg,
			    "invalid host of context 'bad' 'tcp://h:99999': bad port");
	assert_empty(&ep);
	ds_err_clear(&err);
	write_meta(fx, "bad", "{\"Endpoints\":{\"docker\":"
		   "{\"Host\":\"ssh://me@far\"}}}");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_int_equal(ep.kind, DS_EP_SSH);
	assert_string_equal(ep.url, "ssh://me@far");
	assert_string_equal(ep.source, "context 'bad'");
	/* a context's TLS files are for tcp:// only */
	assert_null(ep.ca_file);
	assert_null(ep.cert_dir);
	assert_int_equal(ep.tls, 0);
	ds_endpoint_free(&ep);
}

/* DOCKER_TLS_VERIFY with any non-empty value, even "0", means TLS with verification. */
static void resolve_should_verify_tls_when_docker_tls_verify_is_set(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	set_var(fx, "DOCKER_HOST", "tcp://secure.example");
	set_var(fx, "DOCKER_TLS_VERIFY", "0");
	set_var(fx, "DOCKER_CERT_PATH", path_in(fx, "certs"));
	write_file(fx, "certs/ca.pem", "x");
	write_file(fx, "certs/cert.pem", "x");
	write_file(fx, "certs/key.pem", "x");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_string_equal(ep.url, "tcp://secure.example:2375");
	assert_int_equal(ep.tls, 1);
	assert_int_equal(ep.tls_verify, 1);
	assert_string_equal(ep.ca_file, path_in(fx, "certs/ca.pem"));
	assert_string_equal(ep.cert_file, path_in(fx, "certs/cert.pem"));
	assert_string_equal(ep.key_file, path_in(fx, "certs/key.pem"));
	assert_string_equal(ep.source, "DOCKER_HOST");
	ds_endpoint_free(&ep);
}

/* DOCKER_TLS means TLS without verification; an explicit port stays. */
static void resolve_should_use_tls_without_verify_for_docker_tls(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	set_var(fx, "DOCKER_HOST", "tcp://h:2375");
	set_var(fx, "DOCKER_TLS", "yes");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_int_equal(ep.port, 2375);
	assert_int_equal(ep.tls, 1);
	assert_int_equal(ep.tls_verify, 0);
	assert_null(ep.ca_file);
	assert_null(ep.cert_file);
	assert_null(ep.key_file);
	ds_endpoint_free(&ep);
}

/* DOCKER_CERT_PATH defaults to the config directory; missing files are left out. */
static void resolve_should_default_cert_path_to_docker_config(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	set_var(fx, "DOCKER_HOST", "tcp://h");
	set_var(fx, "DOCKER_TLS_VERIFY", "1");
	write_file(fx, "ca.pem", "x");
	assert_int_equal(mkdir(path_in(fx, "key.pem"), 0700), 0);
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_int_equal(ep.tls, 1);
	assert_string_equal(ep.ca_file, path_in(fx, "ca.pem"));
	assert_null(ep.cert_file);
	assert_null(ep.key_file);
	ds_endpoint_free(&ep);
}

/* TLS variables do not apply to a unix socket. */
static void resolve_should_ignore_tls_variables_for_unix_socket(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	set_var(fx, "DOCKER_HOST", "unix:///run/d.sock");
	set_var(fx, "DOCKER_TLS_VERIFY", "1");
	write_file(fx, "ca.pem", "x");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_int_equal(ep.kind, DS_EP_UNIX);
	assert_int_equal(ep.tls, 0);
	assert_int_equal(ep.tls_verify, 0);
	assert_null(ep.ca_file);
	ds_endpoint_free(&ep);
}

/* TLS asked for with no host goes to tcp://localhost:2376, as the CLI does. */
static void resolve_should_use_localhost_2376_for_tls_without_host(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	set_var(fx, "DOCKER_TLS_VERIFY", "1");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_string_equal(ep.url, "tcp://localhost:2376");
	assert_int_equal(ep.tls, 1);
	assert_int_equal(ep.tls_verify, 1);
	assert_string_equal(ep.source, "default");
	ds_endpoint_free(&ep);
	set_var(fx, "DOCKER_HOST", " ");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_string_equal(ep.url, "tcp://localhost:2376");
	assert_string_equal(ep.source, "DOCKER_HOST");
	ds_endpoint_free(&ep);
}

/* Variables set to "" count as unset, even if the callback returns them. */
static void resolve_should_treat_empty_variables_as_unset(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	set_var(fx, "DOCKER_HOST", "");
	set_var(fx, "DOCKER_CONTEXT", "");
	set_var(fx, "DOCKER_TLS_VERIFY", "");
	set_var(fx, "DOCKER_TLS", "");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_default_socket(&ep);
	assert_string_equal(ep.source, "default");
	ds_endpoint_free(&ep);
}

/* DOCKER_HOST needs neither DOCKER_CONFIG nor HOME. */
static void resolve_should_work_without_config_directory_variables(void **state)
{
	struct fixture *fx = *state;
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	unset_var(fx, "DOCKER_CONFIG");
	set_var(fx, "DOCKER_HOST", "tcp://h:1");
	assert_int_equal(resolve(fx, &ep, &err), DS_OK);
	assert_string_equal(ep.url, "tcp://h:1");
	ds_endpoint_free(&ep);
}

/* The test table: every case gets a fresh config directory. */
int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_host_should_match_the_cases_file),
		cmocka_unit_test(parse_host_should_default_null_to_socket),
		cmocka_unit_test(parse_host_should_not_print_ssh_password),
		cmocka_unit_test(parse_host_should_redact_credentials_in_errors),
		cmocka_unit_test(parse_host_should_reject_unix_path_longer_than_107),
		cmocka_unit_test(parse_host_should_name_source_and_leave_tls_empty),
		cmocka_unit_test(parse_host_should_keep_first_error),
		cmocka_unit_test(endpoint_free_should_accept_zeroed_struct),
		T(resolve_should_default_to_docker_sock),
		T(resolve_should_prefer_docker_host_over_context),
		T(resolve_should_ignore_config_json_when_docker_host_is_set),
		T(resolve_should_report_bad_docker_host),
		T(resolve_should_prefer_docker_context_over_current_context),
		T(resolve_should_use_current_context_from_config),
		T(resolve_should_find_config_under_home),
		T(resolve_should_treat_default_context_as_socket),
		T(resolve_should_accept_config_without_current_context),
		T(resolve_should_reject_malformed_config_json),
		T(resolve_should_reject_config_json_of_wrong_shape),
		T(resolve_should_report_unreadable_config_json),
		T(resolve_should_report_missing_context),
		T(resolve_should_reject_malformed_meta_json),
		T(resolve_should_reject_meta_json_of_wrong_shape),
		T(resolve_should_reject_context_without_docker_endpoint),
		T(resolve_should_match_meta_fields_ignoring_case),
		T(resolve_should_use_context_tls_files),
		T(resolve_should_use_only_present_context_tls_files),
		T(resolve_should_skip_verify_for_context_when_asked),
		T(resolve_should_not_use_tls_for_plain_tcp_context),
		T(resolve_should_ignore_tls_files_for_unix_context),
		T(resolve_should_default_empty_context_host_to_socket),
		T(resolve_should_report_bad_context_host),
		T(resolve_should_verify_tls_when_docker_tls_verify_is_set),
		T(resolve_should_use_tls_without_verify_for_docker_tls),
		T(resolve_should_default_cert_path_to_docker_config),
		T(resolve_should_ignore_tls_variables_for_unix_socket),
		T(resolve_should_use_localhost_2376_for_tls_without_host),
		T(resolve_should_treat_empty_variables_as_unset),
		T(resolve_should_work_without_config_directory_variables),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
