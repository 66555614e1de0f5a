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

/* Hash a C string to hex. */
static const char *hash_of(const char *s)
{
	static char hex[65];

	ds_sha256_hex(s, strlen(s), hex);
	return hex;
}

/* FIPS 180-4 example: the empty message. */
static void sha256_should_hash_empty_message(void **state)
{
	(void)state;
	assert_string_equal(hash_of(""),
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* FIPS 180-4 example: "abc", one block. */
static void sha256_should_hash_abc(void **state)
{
	(void)state;
	assert_string_equal(hash_of("abc"),
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* FIPS 180-4 example: the 448-bit message, which pads into two blocks. */
static void sha256_should_hash_448_bit_message(void **state)
{
	(void)state;
	assert_string_equal(
		hash_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* The context directory the CLI made for "probe-ctx" (printf probe-ctx | sha256sum). */
static void sha256_should_name_probe_context_directory(void **state)
{
	const char *hex;

	(void)state;
	hex = hash_of("probe-ctx");
	assert_int_equal(strncmp(hex, "f966a422", 8), 0);
	assert_string_equal(hex,
		"f966a42244554f95032b100cf495e377efa027c50bea1f6eaff8e453564f68b2");
}

/* Lengths around the padding and block boundaries, and a million 'a's. */
static void sha256_should_hash_block_boundaries(void **state)
{
	static const struct { size_t len; const char *hex; } cases[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
		{ 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
		{ 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
		{ 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
		{ 128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e" },
		{ 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
	};
	char hex[65];
	char *a = malloc(1000000);
	size_t i;

	(void)state;
	assert_non_null(a);
	memset(a, 'a', 1000000);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ds_sha256_hex(a, cases[i].len, hex);
		assert_string_equal(hex, cases[i].hex);
	}
	free(a);
}

/* Parse a host string as if from DOCKER_HOST. */
static enum ds_code parse(const char *host, struct ds_endpoint *ep,
			  struct ds_err *err)
{
	return ds_endpoint_parse_host(ep, host, "DOCKER_HOST", err);
}

/* unix://PATH gives the socket path and a normalised url. */
static void parse_host_should_accept_unix_socket(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse("unix:///run/user/1000/docker.sock", &ep, &err),
			 DS_OK);
	assert_int_equal(ep.kind, DS_EP_UNIX);
	assert_string_equal(ep.unix_path, "/run/user/1000/docker.sock");
	assert_string_equal(ep.url, "unix:///run/user/1000/docker.sock");
	assert_null(ep.host);
	assert_null(ep.source);
	ds_endpoint_free(&ep);
}

/* "unix://" alone is the default socket. */
static void parse_host_should_default_bare_unix_scheme(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse("unix://", &ep, &err), DS_OK);
	assert_default_socket(&ep);
	ds_endpoint_free(&ep);
}

/* An empty or blank host string is the default socket (the CLI's ParseHost). */
static void parse_host_should_default_empty_string_to_socket(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse("  ", &ep, &err), DS_OK);
	assert_default_socket(&ep);
	ds_endpoint_free(&ep);
	assert_int_equal(ds_endpoint_parse_host(&ep, NULL, NULL, &err), DS_OK);
	assert_default_socket(&ep);
	ds_endpoint_free(&ep);
}

/* tcp://HOST:PORT keeps both. */
static void parse_host_should_accept_tcp_host_and_port(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse("tcp://docker.example.com:12375", &ep, &err),
			 DS_OK);
	assert_int_equal(ep.kind, DS_EP_TCP);
	assert_string_equal(ep.host, "docker.example.com");
	assert_int_equal(ep.port, 12375);
	assert_string_equal(ep.url, "tcp://docker.example.com:12375");
	assert_null(ep.unix_path);
	ds_endpoint_free(&ep);
}

/* tcp:// without a port gets 2375, and "HOST:" does too. */
static void parse_host_should_default_tcp_port_to_2375(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse("tcp://10.0.0.5", &ep, &err), DS_OK);
	assert_string_equal(ep.url, "tcp://10.0.0.5:2375");
	assert_int_equal(ep.port, 2375);
	ds_endpoint_free(&ep);
	assert_int_equal(parse("tcp://10.0.0.5:", &ep, &err), DS_OK);
	assert_string_equal(ep.url, "tcp://10.0.0.5:2375");
	ds_endpoint_free(&ep);
}

/* A bare HOST:PORT means tcp. */
static void parse_host_should_treat_bare_host_port_as_tcp(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse("localhost:5555", &ep, &err), DS_OK);
	assert_int_equal(ep.kind, DS_EP_TCP);
	assert_string_equal(ep.host, "localhost");
	assert_int_equal(ep.port, 5555);
	assert_string_equal(ep.url, "tcp://localhost:5555");
	ds_endpoint_free(&ep);
}

/* A missing host is localhost, as in the CLI (tcp://:PORT, tcp://). */
static void parse_host_should_default_missing_tcp_host_to_localhost(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse("tcp://:7777", &ep, &err), DS_OK);
	assert_string_equal(ep.url, "tcp://localhost:7777");
	ds_endpoint_free(&ep);
	assert_int_equal(parse("tcp://", &ep, &err), DS_OK);
	assert_string_equal(ep.url, "tcp://localhost:2375");
	ds_endpoint_free(&ep);
}

/* [IPV6]:PORT, with and without the scheme and the port. */
static void parse_host_should_accept_bracketed_ipv6(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse("[::1]:2375", &ep, &err), DS_OK);
	assert_int_equal(ep.kind, DS_EP_TCP);
	assert_string_equal(ep.host, "::1");
	assert_int_equal(ep.port, 2375);
	assert_string_equal(ep.url, "tcp://[::1]:2375");
	ds_endpoint_free(&ep);
	assert_int_equal(parse("tcp://[fe80::1%eth0]", &ep, &err), DS_OK);
	assert_string_equal(ep.host, "fe80::1%eth0");
	assert_string_equal(ep.url, "tcp://[fe80::1%eth0]:2375");
	ds_endpoint_free(&ep);
	assert_int_equal(parse("[::1]:", &ep, &err), DS_OK);
	assert_int_equal(ep.port, 2375);
	ds_endpoint_free(&ep);
}

/* Surrounding white space and a lone trailing slash are dropped. */
static void parse_host_should_trim_space_and_trailing_slash(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse(" \ttcp://h:2376/ \n", &ep, &err), DS_OK);
	assert_string_equal(ep.url, "tcp://h:2376");
	ds_endpoint_free(&ep);
}

/* A bare absolute or ./ path is a socket, as in the current CLI. */
static void parse_host_should_treat_bare_path_as_unix(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse("/run/podman/podman.sock", &ep, &err), DS_OK);
	assert_int_equal(ep.kind, DS_EP_UNIX);
	assert_string_equal(ep.url, "unix:///run/podman/podman.sock");
	ds_endpoint_free(&ep);
	assert_int_equal(parse("./d.sock", &ep, &err), DS_OK);
	assert_int_equal(ep.kind, DS_EP_UNIX);
	assert_string_equal(ep.unix_path, "./d.sock");
	ds_endpoint_free(&ep);
}

/* Ports out of range or not numeric are a config error naming the source. */
static void parse_host_should_reject_bad_port(void **state)
{
	static const char *bad[] = {
		"tcp://h:0", "tcp://h:65536", "tcp://h:http", "tcp://h:-1",
		"tcp://h:1234567890", "h:12a", "[::1]:99999",
	};
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;
	size_t i;

	(void)state;
	assert_int_equal(parse("tcp://h:99999", &ep, &err), DS_E_CONFIG);
	assert_string_equal(err.msg,
			    "invalid DOCKER_HOST 'tcp://h:99999': bad port");
	assert_empty(&ep);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ds_err_clear(&err);
		assert_int_equal(parse(bad[i], &ep, &err), DS_E_CONFIG);
		assert_has(err.msg, "bad port");
		assert_has(err.msg, bad[i]);
	}
	ds_err_clear(&err);
	assert_int_equal(parse("tcp://h:65535", &ep, &err), DS_OK);
	assert_int_equal(ep.port, 65535);
	ds_endpoint_free(&ep);
}

/* An unknown scheme is a config error that names it. */
static void parse_host_should_reject_unknown_scheme(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse("http://x", &ep, &err), DS_E_CONFIG);
	assert_has(err.msg, "invalid DOCKER_HOST 'http://x'");
	assert_has(err.msg, "unknown scheme 'http'");
	assert_empty(&ep);
	ds_err_clear(&err);
	assert_int_equal(parse("://", &ep, &err), DS_E_CONFIG);
	ds_err_clear(&err);
	assert_int_equal(parse("TCP://h:1", &ep, &err), DS_E_CONFIG);
	assert_has(err.msg, "unknown scheme 'TCP'");
}

/* ssh:// is parsed as the CLI's ssh.ParseURL: user, host, port, socket path. */
static void parse_host_should_parse_ssh_addresses(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse("ssh://u@h", &ep, &err), DS_OK);
	assert_int_equal(ep.kind, DS_EP_SSH);
	assert_string_equal(ep.url, "ssh://u@h");
	assert_string_equal(ep.ssh_user, "u");
	assert_string_equal(ep.host, "h");
	assert_int_equal(ep.port, 0); /* ssh's own default */
	assert_null(ep.ssh_path);
	assert_null(ep.unix_path);
	ds_endpoint_free(&ep);
	assert_int_equal(parse("ssh://me@build.lan:2222/", &ep, &err), DS_OK);
	assert_string_equal(ep.url, "ssh://me@build.lan:2222");
	assert_int_equal(ep.port, 2222);
	assert_null(ep.ssh_path);
	ds_endpoint_free(&ep);
	assert_int_equal(parse("ssh://build.lan/run/user/1000/docker.sock",
			       &ep, &err), DS_OK);
	assert_null(ep.ssh_user);
	assert_string_equal(ep.host, "build.lan");
	assert_string_equal(ep.ssh_path, "/run/user/1000/docker.sock");
	assert_string_equal(ep.url, "ssh://build.lan/run/user/1000/docker.sock");
	ds_endpoint_free(&ep);
	assert_int_equal(parse("ssh://root@[::1]:22", &ep, &err), DS_OK);
	assert_string_equal(ep.host, "::1");
	assert_string_equal(ep.url, "ssh://root@[::1]:22");
	ds_endpoint_free(&ep);
}

/* A bad ssh:// address is one line saying what is wrong with it. */
static void parse_host_should_reject_bad_ssh_addresses(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse("ssh://", &ep, &err), DS_E_CONFIG);
	assert_string_equal(err.msg, "invalid DOCKER_HOST 'ssh://': no host in the ssh address");
	assert_empty(&ep);
	ds_err_clear(&err);
	assert_int_equal(parse("ssh://u@:22", &ep, &err), DS_E_CONFIG);
	assert_has(err.msg, "no host in the ssh address");
	ds_err_clear(&err);
	assert_int_equal(parse("ssh://h:99999", &ep, &err), DS_E_CONFIG);
	assert_has(err.msg, "bad port");
	ds_err_clear(&err);
	assert_int_equal(parse("ssh://h?x=1", &ep, &err), DS_E_CONFIG);
	assert_has(err.msg, "a query or fragment in an ssh address is not supported");
	ds_err_clear(&err);
	assert_int_equal(parse("ssh://h/x;rm -rf", &ep, &err), DS_E_CONFIG);
	assert_has(err.msg, "bad socket path");
	ds_err_clear(&err);
	assert_int_equal(parse("ssh://h/x\nreboot", &ep, &err), DS_E_CONFIG);
	assert_has(err.msg, "bad socket path");
	ds_err_clear(&err);
	assert_int_equal(parse("ssh://h/run/*.sock", &ep, &err), DS_E_CONFIG);
	assert_has(err.msg, "bad socket path");
	ds_err_clear(&err);
	assert_int_equal(parse("ssh://-oProxyCommand=x@h", &ep, &err),
			 DS_E_CONFIG);
	assert_has(err.msg, "bad user name");
	assert_empty(&ep);
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

/* tcp:// credentials are dropped, as the CLI does, and kept nowhere. */
static void parse_host_should_drop_tcp_credentials(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse("tcp://user:pa:ss@h:2376", &ep, &err), DS_OK);
	assert_string_equal(ep.url, "tcp://h:2376");
	assert_string_equal(ep.host, "h");
	assert_int_equal(ep.port, 2376);
	ds_endpoint_free(&ep);
	assert_int_equal(parse("u@h:1", &ep, &err), DS_OK);
	assert_string_equal(ep.url, "tcp://h:1");
	ds_endpoint_free(&ep);
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

/* npipe:// and fd:// are unsupported with a reason. */
static void parse_host_should_reject_npipe_and_fd(void **state)
{
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse("npipe:////./pipe/docker_engine", &ep, &err),
			 DS_E_UNSUPPORTED);
	assert_has(err.msg, "npipe endpoint 'npipe:////./pipe/docker_engine'");
	assert_has(err.msg, "only on windows");
	assert_empty(&ep);
	ds_err_clear(&err);
	assert_int_equal(parse("fd://3", &ep, &err), DS_E_UNSUPPORTED);
	assert_has(err.msg, "fd endpoint 'fd://3' (DOCKER_HOST) is not supported");
	assert_has(err.msg, "unix:// or tcp://");
	assert_empty(&ep);
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

/* Other malformed tcp addresses are config errors. */
static void parse_host_should_reject_malformed_tcp_address(void **state)
{
	static const struct { const char *host; const char *why; } bad[] = {
		{ "tcp://::1:2375", "brackets" },
		{ "tcp://h:2375/v1.41", "path" },
		{ "tcp://unix:///run/docker.sock", "expected tcp://HOST:PORT" },
		{ "unix://tcp://h", "expected unix://PATH" },
		{ "tcp://a b:1", "bad host name" },
		{ "tcp://[::1", "bad ipv6 address" },
		{ "tcp://[]:1", "bad ipv6 address" },
		{ "tcp://[::1]x", "expected [ADDRESS]:PORT" },
		{ "tcp://[::1]]:1", "expected [ADDRESS]:PORT" },
		{ "tcp://[a b]:1", "bad ipv6 address" },
	};
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ds_err_clear(&err);
		if (parse(bad[i].host, &ep, &err) != DS_E_CONFIG)
			fail_msg("'%s' was accepted", bad[i].host);
		assert_has(err.msg, bad[i].why);
		assert_has(err.msg, "invalid DOCKER_HOST '");
		assert_empty(&ep);
	}
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
		cmocka_unit_test(sha256_should_hash_empty_message),
		cmocka_unit_test(sha256_should_hash_abc),
		cmocka_unit_test(sha256_should_hash_448_bit_message),
		cmocka_unit_test(sha256_should_name_probe_context_directory),
		cmocka_unit_test(sha256_should_hash_block_boundaries),
		cmocka_unit_test(parse_host_should_accept_unix_socket),
		cmocka_unit_test(parse_host_should_default_bare_unix_scheme),
		cmocka_unit_test(parse_host_should_default_empty_string_to_socket),
		cmocka_unit_test(parse_host_should_accept_tcp_host_and_port),
		cmocka_unit_test(parse_host_should_default_tcp_port_to_2375),
		cmocka_unit_test(parse_host_should_treat_bare_host_port_as_tcp),
		cmocka_unit_test(parse_host_should_default_missing_tcp_host_to_localhost),
		cmocka_unit_test(parse_host_should_accept_bracketed_ipv6),
		cmocka_unit_test(parse_host_should_trim_space_and_trailing_slash),
		cmocka_unit_test(parse_host_should_treat_bare_path_as_unix),
		cmocka_unit_test(parse_host_should_reject_bad_port),
		cmocka_unit_test(parse_host_should_reject_unknown_scheme),
		cmocka_unit_test(parse_host_should_parse_ssh_addresses),
		cmocka_unit_test(parse_host_should_reject_bad_ssh_addresses),
		cmocka_unit_test(parse_host_should_not_print_ssh_password),
		cmocka_unit_test(parse_host_should_drop_tcp_credentials),
		cmocka_unit_test(parse_host_should_redact_credentials_in_errors),
		cmocka_unit_test(parse_host_should_reject_npipe_and_fd),
		cmocka_unit_test(parse_host_should_reject_unix_path_longer_than_107),
		cmocka_unit_test(parse_host_should_reject_malformed_tcp_address),
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
