/*
 * test_endpoint.c: DOCKER_HOST parsing (tests/data/endpoints.cases) and
 * endpoint resolution (DOCKER_HOST, DOCKER_CONTEXT, config.json, the
 * context store, TLS variables; tests/data/resolve.cases).
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

/* Append s to out (size n) at *o, cutting what does not fit. */
static void append(char *out, size_t n, size_t *o, const char *s)
{
	int k = snprintf(out + *o, n - *o, "%s", s);

	*o += (size_t)k < n - *o ? (size_t)k : n - *o - 1;
}

/* Expand {dir}, {hash:NAME} and {tls:NAME} of resolve.cases into out. */
static void expand(struct fixture *fx, const char *in, char *out, size_t n)
{
	size_t o = 0;

	out[0] = '\0';
	while (*in && o + 1 < n) {
		const char *end = strchr(in, '}');
		int hash = strncmp(in, "{hash:", 6) == 0;
		int tls = strncmp(in, "{tls:", 5) == 0;
		char name[256], dir[4200];

		if (strncmp(in, "{dir}", 5) == 0) {
			append(out, n, &o, fx->dir);
			in += 5;
		} else if ((hash || tls) && end) {
			snprintf(name, sizeof(name), "%.*s",
				 (int)(end - in) - (hash ? 6 : 5),
				 in + (hash ? 6 : 5));
			snprintf(dir, sizeof(dir), "%s/contexts/tls/%s/docker",
				 fx->dir, hash_of(name));
			append(out, n, &o, hash ? hash_of(name) : dir);
			in = end + 1;
		} else {
			out[o++] = *in++;
			out[o] = '\0';
		}
	}
}

/* The resolved endpoint's field called name (see resolve.cases) as text. */
static const char *resolved_field(const struct ds_endpoint *ep,
				  const char *name, char *num, size_t n,
				  int line)
{
	static const char *const kinds[] = { "unix", "tcp", "ssh" };
	static const char *const names[] = {
		"url", "unix_path", "host", "ca", "cert", "key", "cert_dir",
		"source", "ssh_opts",
	};
	const char *const texts[] = {
		ep->url, ep->unix_path, ep->host, ep->ca_file, ep->cert_file,
		ep->key_file, ep->cert_dir, ep->source, ep->ssh_opts,
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return texts[i];
	if (strcmp(name, "kind") == 0)
		return kinds[ep->kind];
	if (strcmp(name, "port") == 0)
		snprintf(num, n, "%d", ep->port);
	else if (strcmp(name, "tls") == 0)
		snprintf(num, n, "%d", ep->tls);
	else if (strcmp(name, "verify") == 0)
		snprintf(num, n, "%d", ep->tls_verify);
	else
		fail_msg("resolve.cases:%d: unknown line '%s'", line, name);
	return num;
}

/* Fail unless the field called name reads want ("-": none). */
static void check_field(const struct ds_endpoint *ep, const char *name,
			const char *want, int line)
{
	char num[16];
	const char *got = resolved_field(ep, name, num, sizeof(num), line);

	if (strcmp(want, "-") == 0 ? got != NULL
				   : !got || strcmp(got, want) != 0)
		fail_msg("resolve.cases:%d: %s is '%s', want '%s'", line, name,
			 got ? got : "-", want);
}

/* The checks behind "empty" and "default" (see resolve.cases). */
static const char *const empty_fields[][2] = {
	{ "url", "-" }, { "unix_path", "-" }, { "host", "-" }, { "ca", "-" },
	{ "cert", "-" }, { "key", "-" }, { "source", "-" }, { "tls", "0" },
};
static const char *const default_fields[][2] = {
	{ "kind", "unix" }, { "url", "unix:///var/run/docker.sock" },
	{ "unix_path", "/var/run/docker.sock" }, { "host", "-" },
	{ "tls", "0" },
};

/* The state of one case of resolve.cases while its lines run. */
struct resolve_run {
	struct fixture *fx;
	struct ds_endpoint ep;
	struct ds_err err;
	enum ds_code code;
	int resolved;   /* a resolve ran; ep is to be freed if code is DS_OK */
	int checks;     /* checks since the last resolve */
	int line;       /* where that resolve stands */
};

/* Free what the last resolve gave; fail if nothing checked it. */
static void finish_resolve(struct resolve_run *r)
{
	if (!r->resolved)
		return;
	if (!r->checks)
		fail_msg("resolve.cases:%d: nothing checks this resolve",
			 r->line);
	if (r->code == DS_OK)
		ds_endpoint_free(&r->ep);
	ds_err_clear(&r->err);
	r->resolved = 0;
}

/* Run a resolve line: resolve, and want the code it names. */
static void run_resolve(struct resolve_run *r, const char *want, int line)
{
	static const struct { const char *name; enum ds_code code; } codes[] = {
		{ "ok", DS_OK }, { "config", DS_E_CONFIG }, { "io", DS_E_IO },
	};
	size_t i;

	finish_resolve(r);
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(want, codes[i].name) == 0)
			break;
	if (i == sizeof(codes) / sizeof(codes[0]))
		fail_msg("resolve.cases:%d: unknown code '%s'", line, want);
	r->code = resolve(r->fx, &r->ep, &r->err);
	r->resolved = 1;
	r->checks = 0;
	r->line = line;
	if (r->code != codes[i].code)
		fail_msg("resolve.cases:%d: code %d, want %s: %s", line,
			 (int)r->code, want, r->err.msg);
}

/* Run one line of a case: a step, or a check of the last resolve. */
static void run_line(struct resolve_run *r, char *p, int line)
{
	char *arg = strchr(p, ' '), *arg2 = NULL, text[8192], val[8192];
	char name[64];
	size_t i;

	if (arg) {
		*arg++ = '\0';
		arg2 = strchr(arg, ' ');
	}
	if (arg2 && (strcmp(p, "set") == 0 || strcmp(p, "file") == 0 ||
		     strcmp(p, "meta") == 0 || strcmp(p, "tls") == 0))
		*arg2++ = '\0';
	else
		arg2 = NULL;
	unescape(arg2 ? arg2 : arg ? arg : "", strlen(arg2 ? arg2 :
						      arg ? arg : ""),
		 text, sizeof(text));
	expand(r->fx, text, val, sizeof(val));
	if (strcmp(p, "set") == 0 && arg2) {
		set_var(r->fx, arg, val);
	} else if (strcmp(p, "unset") == 0 && arg) {
		unset_var(r->fx, arg);
	} else if (strcmp(p, "file") == 0 && arg2) {
		expand(r->fx, arg, text, sizeof(text));
		write_file(r->fx, text, val);
	} else if (strcmp(p, "mkdir") == 0 && arg) {
		assert_true(strlen(val) < sizeof(name));
		memcpy(name, val, strlen(val) + 1);
		assert_int_equal(mkdir(path_in(r->fx, name), 0700), 0);
	} else if (strcmp(p, "meta") == 0 && arg2) {
		write_meta(r->fx, arg, val);
	} else if (strcmp(p, "tls") == 0 && arg2) {
		assert_true(strlen(val) < sizeof(name));
		memcpy(name, val, strlen(val) + 1);
		write_tls(r->fx, arg, name);
	} else if (strcmp(p, "resolve") == 0 && arg) {
		run_resolve(r, val, line);
	} else if (!r->resolved) {
		fail_msg("resolve.cases:%d: '%s' before any resolve", line, p);
	} else {
		r->checks++;
		if (strcmp(p, "error") == 0) {
			if (strcmp(r->err.msg, val) != 0)
				fail_msg("resolve.cases:%d: message '%s', "
					 "want '%s'", line, r->err.msg, val);
		} else if (strcmp(p, "has") == 0) {
			if (!strstr(r->err.msg, val))
				fail_msg("resolve.cases:%d: message '%s' "
					 "lacks '%s'", line, r->err.msg, val);
		} else if (strcmp(p, "empty") == 0) {
			for (i = 0; i < sizeof(empty_fields) /
					sizeof(empty_fields[0]); i++)
				check_field(&r->ep, empty_fields[i][0],
					    empty_fields[i][1], line);
		} else if (strcmp(p, "default") == 0) {
			for (i = 0; i < sizeof(default_fields) /
					sizeof(default_fields[0]); i++)
				check_field(&r->ep, default_fields[i][0],
					    default_fields[i][1], line);
		} else if (arg) {
			check_field(&r->ep, p, val, line);
		} else {
			fail_msg("resolve.cases:%d: unknown line '%s'", line,
				 p);
		}
	}
}

/* Empty the config directory and the variables, for the next case. */
static void reset(struct fixture *fx)
{
	int i;

	nftw(fx->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	assert_int_equal(mkdir(fx->dir, 0700), 0);
	for (i = 0; i < fx->n; i++)
		free(fx->values[i]);
	fx->n = 0;
	set_var(fx, "DOCKER_CONFIG", fx->dir);
}

/*
 * Every case of tests/data/resolve.cases, each in a fresh config
 * directory (the variables, config.json, the context store, TLS files).
 */
static void resolve_should_match_the_cases_file(void **state)
{
	char *text = ds_test_read("resolve.cases", NULL), *p, *next;
	struct resolve_run r = { 0 };
	int line = 0, cases = 0, open = 0;

	for (p = text; p; p = next) {
		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		line++;
		if (*p == '#')
			continue;
		if (*p && !open) {
			if (cases)
				reset(*state);
			r = (struct resolve_run){ .fx = *state,
						  .err = DS_ERR_INIT };
			open = 1;
			cases++;
		}
		if (*p)
			run_line(&r, p, line);
		if (open && (!*p || !next)) {
			finish_resolve(&r);
			open = 0;
		}
	}
	free(text);
	assert_int_equal(cases, 31);
}

DS_TEST_MAIN(
	cmocka_unit_test(parse_host_should_match_the_cases_file),
	cmocka_unit_test(parse_host_should_default_null_to_socket),
	cmocka_unit_test(parse_host_should_not_print_ssh_password),
	cmocka_unit_test(parse_host_should_redact_credentials_in_errors),
	cmocka_unit_test(parse_host_should_reject_unix_path_longer_than_107),
	cmocka_unit_test(parse_host_should_name_source_and_leave_tls_empty),
	cmocka_unit_test(parse_host_should_keep_first_error),
	cmocka_unit_test(endpoint_free_should_accept_zeroed_struct),
	cmocka_unit_test_setup_teardown(resolve_should_match_the_cases_file,
					setup, teardown))
