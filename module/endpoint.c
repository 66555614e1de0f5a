/*
 * endpoint.c: find the engine the way the docker CLI does (see
 * endpoint.h).  Reads the CLI's config.json and a context's meta.json
 * with json.h's reader; nothing else in the module reads those files.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "endpoint.h"
#include "json.h"
#include "redact.h"
#include "sha256.h"

#define DEFAULT_SOCKET "/var/run/docker.sock"
#define DEFAULT_TCP_HOST "localhost"
#define DEFAULT_PORT 2375
#define DEFAULT_TLS_PORT 2376
/*
 * What a remote socket path in an ssh:// address may hold: it reaches the
 * remote shell unquoted (as the CLI passes it), so nothing the shell reads.
 */
#define SSH_PATH_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
		       "0123456789/._-+:@%,="
/* curl refuses a unix socket path that does not fit sun_path with its NUL. */
#define UNIX_PATH_LIMIT 107

/* Return a malloc'd printf-formatted string, or NULL when out of memory. */
__attribute__((format(printf, 1, 2)))
static char *fmt_str(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = malloc((size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* Read a variable through the callback, treating "" like unset. */
static char *get_var(ds_getvar_fn getvar, void *ctx, const char *name)
{
	char *v = getvar(ctx, name);

	if (v && !*v) {
		free(v);
		v = NULL;
	}
	return v;
}

/* True when path names an existing file that is not a directory. */
static int file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* Release what the endpoint points to; safe on a zeroed struct. */
void ds_endpoint_free(struct ds_endpoint *ep)
{
	if (!ep)
		return;
	free(ep->url);
	free(ep->unix_path);
	free(ep->host);
	free(ep->ca_file);
	free(ep->cert_file);
	free(ep->key_file);
	free(ep->source);
	free(ep->cert_dir);
	free(ep->ssh_user);
	free(ep->ssh_path);
	free(ep->ssh_opts);
	memset(ep, 0, sizeof(*ep));
}

/* Fill ep as the unix socket at path; from and value name it in messages. */
static enum ds_code set_unix(struct ds_endpoint *ep, const char *path,
			     const char *from, const char *value,
			     struct ds_err *err)
{
	if (strlen(path) > UNIX_PATH_LIMIT)
		return ds_err_set(err, DS_E_CONFIG,
				  "invalid %s '%s': socket path is longer than %d bytes",
				  from, value, UNIX_PATH_LIMIT);
	ep->kind = DS_EP_UNIX;
	ep->unix_path = strdup(path);
	ep->url = fmt_str("unix://%s", path);
	if (!ep->unix_path || !ep->url)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	return DS_OK;
}

/* True when c may appear in a host name or an IPv4 address. */
static int host_char(int c)
{
	return isalnum(c) || c == '.' || c == '-' || c == '_';
}

/* True when c may appear inside the brackets of an IPv6 address. */
static int ipv6_char(int c)
{
	return isalnum(c) || c == ':' || c == '.' || c == '%' || c == '-' ||
	       c == '_';
}

/*
 * Fill ep from addr, the part of a tcp address after "tcp://" (HOST,
 * HOST:PORT, :PORT, [IPV6]:PORT, optionally followed by "/");
 * default_port applies when none is given.
 */
static enum ds_code set_tcp(struct ds_endpoint *ep, const char *addr,
			    int default_port, const char *from,
			    const char *value, struct ds_err *err)
{
	enum ds_code result = DS_OK;
	const char *slash, *port_str = NULL, *h, *close;
	char *hostport = NULL, *host = NULL;
	size_t n, i;
	long port = default_port;

	if (strstr(addr, "://")) {
		result = ds_err_set(err, DS_E_CONFIG,
				    "invalid %s '%s': expected tcp://HOST:PORT",
				    from, value);
		goto done;
	}
	/*
	 * USER:PASSWORD@ before the host: the CLI's url.Parse drops it (the
	 * engine API takes no credentials), and so do we; it is never kept.
	 */
	slash = strchr(addr, '/');
	n = slash ? (size_t)(slash - addr) : strlen(addr);
	for (i = n; i > 0; i--) {
		if (addr[i - 1] == '@') {
			addr += i;
			break;
		}
	}
	slash = strchr(addr, '/');
	if (slash && strcmp(slash, "/") != 0) {
		result = ds_err_set(err, DS_E_CONFIG,
				    "invalid %s '%s': a path after the port is not supported",
				    from, value);
		goto done;
	}
	n = slash ? (size_t)(slash - addr) : strlen(addr);
	hostport = malloc(n + 1);
	if (!hostport) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	memcpy(hostport, addr, n);
	hostport[n] = '\0';

	if (hostport[0] == '[') {
		close = strchr(hostport, ']');
		if (!close || close == hostport + 1) {
			result = ds_err_set(err, DS_E_CONFIG,
					    "invalid %s '%s': bad ipv6 address",
					    from, value);
			goto done;
		}
		for (h = hostport + 1; h < close; h++) {
			if (!ipv6_char((unsigned char)*h)) {
				result = ds_err_set(err, DS_E_CONFIG,
						    "invalid %s '%s': bad ipv6 address",
						    from, value);
				goto done;
			}
		}
		host = malloc((size_t)(close - hostport));
		if (!host) {
			result = ds_err_set(err, DS_E_NOMEM, "out of memory");
			goto done;
		}
		memcpy(host, hostport + 1, (size_t)(close - hostport - 1));
		host[close - hostport - 1] = '\0';
		if (close[1] == ':') {
			port_str = close + 2;
		} else if (close[1] != '\0') {
			result = ds_err_set(err, DS_E_CONFIG,
					    "invalid %s '%s': expected [ADDRESS]:PORT",
					    from, value);
			goto done;
		}
	} else {
		char *colon = strchr(hostport, ':');

		if (colon && strchr(colon + 1, ':')) {
			result = ds_err_set(err, DS_E_CONFIG,
					    "invalid %s '%s': put an ipv6 address in brackets, as in tcp://[::1]:2375",
					    from, value);
			goto done;
		}
		if (colon) {
			*colon = '\0';
			port_str = colon + 1;
		}
		for (h = hostport; *h; h++) {
			if (!host_char((unsigned char)*h)) {
				result = ds_err_set(err, DS_E_CONFIG,
						    "invalid %s '%s': bad host name",
						    from, value);
				goto done;
			}
		}
		host = strdup(hostport[0] ? hostport : DEFAULT_TCP_HOST);
		if (!host) {
			result = ds_err_set(err, DS_E_NOMEM, "out of memory");
			goto done;
		}
	}

	if (port_str && *port_str) {
		n = strlen(port_str);
		port = 0;
		for (i = 0; i < n && i < 6; i++) {
			if (!isdigit((unsigned char)port_str[i]))
				break;
			port = port * 10 + (port_str[i] - '0');
		}
		if (i != n || port < 1 || port > 65535) {
			result = ds_err_set(err, DS_E_CONFIG,
					    "invalid %s '%s': bad port",
					    from, value);
			goto done;
		}
	}

	ep->kind = DS_EP_TCP;
	ep->port = (int)port;
	ep->url = strchr(host, ':') ? fmt_str("tcp://[%s]:%ld", host, port)
				    : fmt_str("tcp://%s:%ld", host, port);
	ep->host = host;
	host = NULL;
	if (!ep->url)
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
done:
	free(hostport);
	free(host);
	return result;
}

/*
 * Fill ep from rest, the part of an ssh address after "ssh://"
 * ([USER@]HOST[:PORT][/SOCKET-PATH]), as the CLI's ssh.ParseURL: a
 * password, a query or a fragment is refused; the path, when given, is
 * the engine's socket on the remote host.
 */
static enum ds_code set_ssh(struct ds_endpoint *ep, const char *rest,
			    const char *from, const char *value,
			    struct ds_err *err)
{
	enum ds_code result = DS_OK;
	size_t n = strcspn(rest, "/?#");
	const char *path = rest + n, *at = NULL, *p;
	char *auth = NULL, *user = NULL, port[16];
	struct ds_endpoint hp = { 0 };
	int v6;

	for (p = rest; p < rest + n; p++)
		if (*p == '@')
			at = p;
	if (strpbrk(path, "?#")) {
		result = ds_err_set(err, DS_E_CONFIG,
				    "invalid %s '%s': a query or fragment in an ssh address is not supported",
				    from, value);
		goto done;
	}
	if (at && memchr(rest, ':', (size_t)(at - rest))) {
		result = ds_err_set(err, DS_E_CONFIG,
				    "invalid %s '%s': a password in an ssh address is not supported, use a key",
				    from, value);
		goto done;
	}
	if (at) {
		user = strndup(rest, (size_t)(at - rest));
		if (!user) {
			result = ds_err_set(err, DS_E_NOMEM, "out of memory");
			goto done;
		}
		rest = at + 1;
		n = strcspn(rest, "/");
	}
	if (n == 0 || rest[0] == ':') {
		result = ds_err_set(err, DS_E_CONFIG,
				    "invalid %s '%s': no host in the ssh address",
				    from, value);
		goto done;
	}
	if (user && (!user[0] || user[0] == '-' || strpbrk(user, " \t'\"\\"))) {
		result = ds_err_set(err, DS_E_CONFIG,
				    "invalid %s '%s': bad user name",
				    from, value);
		goto done;
	}
	auth = strndup(rest, n);
	if (!auth) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	/* HOST[:PORT] and [IPV6]:PORT as for tcp; no port means ssh's own */
	result = set_tcp(&hp, auth, 0, from, value, err);
	if (result != DS_OK)
		goto done;
	path = rest + n;
	if (strcmp(path, "/") == 0)
		path = "";
	if (*path && strspn(path, SSH_PATH_CHARS) != strlen(path)) {
		result = ds_err_set(err, DS_E_CONFIG,
				    "invalid %s '%s': bad socket path",
				    from, value);
		goto done;
	}
	ep->kind = DS_EP_SSH;
	ep->host = hp.host;
	hp.host = NULL;
	ep->port = hp.port;
	ep->ssh_user = user;
	user = NULL;
	if (*path && !(ep->ssh_path = strdup(path))) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	port[0] = '\0';
	if (ep->port)
		snprintf(port, sizeof(port), ":%d", ep->port);
	v6 = strchr(ep->host, ':') != NULL;
	ep->url = fmt_str("ssh://%s%s%s%s%s%s%s",
			  ep->ssh_user ? ep->ssh_user : "",
			  ep->ssh_user ? "@" : "", v6 ? "[" : "", ep->host,
			  v6 ? "]" : "", port, path);
	if (!ep->url)
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
done:
	ds_endpoint_free(&hp);
	free(auth);
	free(user);
	return result;
}

/*
 * Parse one host string into ep (zeroed by the caller); an empty string
 * is the default socket; default_port applies to tcp without a port.
 */
static enum ds_code parse_host(struct ds_endpoint *ep, const char *value,
			       const char *from, int default_port,
			       struct ds_err *err)
{
	enum ds_code result = DS_OK;
	const char *start = value ? value : "", *sep, *rest;
	char *s = NULL, *scheme = NULL, *shown = NULL;
	size_t n;

	/* The CLI trims DOCKER_HOST before parsing it. */
	while (isspace((unsigned char)*start))
		start++;
	n = strlen(start);
	while (n && isspace((unsigned char)start[n - 1]))
		n--;
	s = malloc(n + 1);
	if (!s) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	memcpy(s, start, n);
	s[n] = '\0';
	/* messages show the value without its credentials */
	shown = ds_redact_addr_dup(s);
	if (!shown) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}

	if (!*s) {
		result = set_unix(ep, DEFAULT_SOCKET, from, shown, err);
		goto done;
	}
	sep = strstr(s, "://");
	if (!sep) {
		/* Like the CLI: a path is a socket, anything else is HOST:PORT. */
		if (s[0] == '/' || strncmp(s, "./", 2) == 0)
			result = set_unix(ep, s, from, shown, err);
		else
			result = set_tcp(ep, s, default_port, from, shown,
					 err);
		goto done;
	}
	rest = sep + 3;
	scheme = malloc((size_t)(sep - s) + 1);
	if (!scheme) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	memcpy(scheme, s, (size_t)(sep - s));
	scheme[sep - s] = '\0';

	if (strcmp(scheme, "unix") == 0) {
		if (strstr(rest, "://"))
			result = ds_err_set(err, DS_E_CONFIG,
					    "invalid %s '%s': expected unix://PATH",
					    from, shown);
		else
			result = set_unix(ep, *rest ? rest : DEFAULT_SOCKET,
					  from, shown, err);
	} else if (strcmp(scheme, "tcp") == 0) {
		result = set_tcp(ep, rest, default_port, from, shown, err);
	} else if (strcmp(scheme, "ssh") == 0) {
		result = set_ssh(ep, rest, from, shown, err);
	} else if (strcmp(scheme, "npipe") == 0) {
		result = ds_err_set(err, DS_E_UNSUPPORTED,
				    "npipe endpoint '%s' (%s) is not supported: named pipes exist only on windows; use a unix:// or tcp:// endpoint",
				    shown, from);
	} else if (strcmp(scheme, "fd") == 0) {
		result = ds_err_set(err, DS_E_UNSUPPORTED,
				    "fd endpoint '%s' (%s) is not supported: it names a socket the daemon inherits, which a client cannot open; use a unix:// or tcp:// endpoint",
				    shown, from);
	} else {
		result = ds_err_set(err, DS_E_CONFIG,
				    "invalid %s '%s': unknown scheme '%s', expected unix://, tcp:// or ssh://",
				    from, shown, scheme);
	}
done:
	free(s);
	free(shown);
	free(scheme);
	return result;
}

/* Parse one host string as found in DOCKER_HOST or a context. */
enum ds_code ds_endpoint_parse_host(struct ds_endpoint *out,
				    const char *host, const char *from,
				    struct ds_err *err)
{
	enum ds_code result;

	memset(out, 0, sizeof(*out));
	result = parse_host(out, host, from ? from : "host", DEFAULT_PORT,
			    err);
	if (result != DS_OK)
		ds_endpoint_free(out);
	return result;
}

/*
 * Read a whole file into *text; a file that does not exist leaves
 * *text NULL and is not an error.
 */
static enum ds_code read_text(const char *path, char **text,
			      struct ds_err *err)
{
	enum ds_code result;
	struct ds_buf b = DS_BUF_INIT;
	struct ds_err local = DS_ERR_INIT;

	*text = NULL;
	result = ds_buf_read_file(&b, path, &local);
	if (result == DS_E_NOTFOUND) {
		result = DS_OK;
	} else if (result != DS_OK) {
		ds_err_set(err, result, "%s", local.msg);
	} else {
		*text = ds_buf_detach(&b);
		if (!*text)
			result = ds_err_set(err, DS_E_NOMEM, "out of memory");
	}
	ds_buf_free(&b);
	return result;
}

/* Parse JSON text from path; strict rejects trailing text (Go's json.Unmarshal). */
static enum ds_code parse_json(const char *text, const char *path,
			       int strict, cJSON **json, struct ds_err *err)
{
	const char *end = NULL;
	size_t len = strlen(text);

	*json = ds_json_parse_text(text, len, strict, &end);
	if (*json)
		return DS_OK;
	return ds_err_set(err, DS_E_CONFIG, "malformed json in '%s' at line %zu",
			  path, ds_json_line(text, len, end ? end : text));
}

/* True when text holds nothing but white space. */
static int blank(const char *text)
{
	while (isspace((unsigned char)*text))
		text++;
	return !*text;
}

/*
 * Set *name to "currentContext" from dir/config.json, or NULL when the
 * file or the field is missing or empty; *path gets the file's name.
 */
static enum ds_code read_current_context(const char *dir, char **name,
					 char **path, struct ds_err *err)
{
	enum ds_code result = DS_OK;
	char *text = NULL;
	cJSON *json = NULL;
	const cJSON *cur;

	*name = NULL;
	*path = fmt_str("%s/config.json", dir);
	if (!*path) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	result = read_text(*path, &text, err);
	/* The CLI accepts an empty config.json (io.EOF). */
	if (result != DS_OK || !text || blank(text))
		goto done;
	result = parse_json(text, *path, 0, &json, err);
	if (result != DS_OK || cJSON_IsNull(json))
		goto done;
	if (!cJSON_IsObject(json)) {
		result = ds_err_set(err, DS_E_CONFIG,
				    "malformed '%s': expected a json object",
				    *path);
		goto done;
	}
	/* Go matches struct fields without regard to case. */
	cur = ds_json_member_nocase(json, "currentContext");
	if (!cur)
		goto done;
	if (!cJSON_IsString(cur)) {
		result = ds_err_set(err, DS_E_CONFIG,
				    "malformed '%s': currentContext is not a string",
				    *path);
		goto done;
	}
	if (cur->valuestring[0]) {
		*name = strdup(cur->valuestring);
		if (!*name)
			result = ds_err_set(err, DS_E_NOMEM, "out of memory");
	}
done:
	cJSON_Delete(json);
	free(text);
	return result;
}

/* Set *file to dir/name when that file exists, else leave it NULL. */
static enum ds_code find_pem(const char *dir, const char *name, char **file,
			     struct ds_err *err)
{
	char *path = fmt_str("%s/%s", dir, name);

	*file = NULL;
	if (!path)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	if (file_exists(path))
		*file = path;
	else
		free(path);
	return DS_OK;
}

/* Fill ca_file, cert_file and key_file of ep from the pem files in dir. */
static enum ds_code find_pems(struct ds_endpoint *ep, const char *dir,
			      struct ds_err *err)
{
	enum ds_code result;

	free(ep->cert_dir);
	ep->cert_dir = strdup(dir);
	if (!ep->cert_dir)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	result = find_pem(dir, "ca.pem", &ep->ca_file, err);
	if (result == DS_OK)
		result = find_pem(dir, "cert.pem", &ep->cert_file, err);
	if (result == DS_OK)
		result = find_pem(dir, "key.pem", &ep->key_file, err);
	return result;
}

/*
 * Resolve the default context: host is DOCKER_HOST (or NULL), with TLS
 * from DOCKER_TLS_VERIFY, DOCKER_TLS and DOCKER_CERT_PATH.
 */
static enum ds_code resolve_default(struct ds_endpoint *ep, const char *host,
				    const char *source, const char *config_dir,
				    ds_getvar_fn getvar, void *ctx,
				    struct ds_err *err)
{
	enum ds_code result = DS_OK;
	char *verify = get_var(getvar, ctx, "DOCKER_TLS_VERIFY");
	char *tls = get_var(getvar, ctx, "DOCKER_TLS");
	char *cert_path = get_var(getvar, ctx, "DOCKER_CERT_PATH");
	const char *cert_dir = cert_path ? cert_path : config_dir;
	int use_tls = verify || tls;

	/*
	 * With TLS asked for and no host, the CLI goes to
	 * tcp://localhost:2376; a host without a port gets 2375 even with
	 * TLS (opts.ParseTCPAddr always fills in 2375).
	 */
	if ((!host || blank(host)) && use_tls)
		result = parse_host(ep, "tcp://", source, DEFAULT_TLS_PORT,
				    err);
	else
		result = parse_host(ep, host, source, DEFAULT_PORT, err);
	if (result != DS_OK)
		goto done;
	if (ep->kind == DS_EP_TCP && use_tls) {
		ep->tls = 1;
		ep->tls_verify = verify != NULL;
		if (cert_dir)
			result = find_pems(ep, cert_dir, err);
		if (result != DS_OK)
			goto done;
	}
	ep->source = strdup(source);
	if (!ep->source)
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
done:
	free(verify);
	free(tls);
	free(cert_path);
	return result;
}

/*
 * Resolve the named context from the store under config_dir; named_by
 * says where the name came from, for messages.
 */
static enum ds_code resolve_context(struct ds_endpoint *ep, const char *name,
				    const char *named_by,
				    const char *config_dir,
				    struct ds_err *err)
{
	enum ds_code result = DS_OK;
	char hash[65];
	char *meta_dir = NULL, *meta_path = NULL, *tls_dir = NULL;
	char *from = NULL, *text = NULL;
	cJSON *json = NULL;
	const cJSON *eps, *docker, *host, *skip;
	const char *host_str = "";
	int skip_verify = 0, use_tls;

	if (!config_dir) {
		result = ds_err_set(err, DS_E_CONFIG,
				    "context '%s' (named by %s) cannot be found: neither DOCKER_CONFIG nor HOME is set",
				    name, named_by);
		goto done;
	}
	ds_sha256_hex(name, strlen(name), hash);
	meta_dir = fmt_str("%s/contexts/meta", config_dir);
	meta_path = fmt_str("%s/contexts/meta/%s/meta.json", config_dir, hash);
	tls_dir = fmt_str("%s/contexts/tls/%s/docker", config_dir, hash);
	from = fmt_str("host of context '%s'", name);
	if (!meta_dir || !meta_path || !tls_dir || !from) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	result = read_text(meta_path, &text, err);
	if (result != DS_OK)
		goto done;
	if (!text) {
		result = ds_err_set(err, DS_E_CONFIG,
				    "context '%s' not found in '%s' (named by %s)",
				    name, meta_dir, named_by);
		goto done;
	}
	result = parse_json(text, meta_path, 1, &json, err);
	if (result != DS_OK)
		goto done;
	eps = ds_json_member_nocase(json, "Endpoints");
	if (!cJSON_IsObject(json) || (eps && !cJSON_IsObject(eps))) {
		result = ds_err_set(err, DS_E_CONFIG,
				    "malformed '%s': expected a json object with Endpoints",
				    meta_path);
		goto done;
	}
	/* Endpoints is a map in Go, so its keys match case-sensitively. */
	docker = ds_json_member(eps, "docker");
	if (!cJSON_IsObject(docker)) {
		result = ds_err_set(err, DS_E_CONFIG,
				    "context '%s' has no docker endpoint in '%s'",
				    name, meta_path);
		goto done;
	}
	host = ds_json_member_nocase(docker, "Host");
	skip = ds_json_member_nocase(docker, "SkipTLSVerify");
	if ((host && !cJSON_IsString(host)) ||
	    (skip && !cJSON_IsBool(skip))) {
		result = ds_err_set(err, DS_E_CONFIG,
				    "malformed '%s': Host must be a string and SkipTLSVerify a boolean",
				    meta_path);
		goto done;
	}
	if (cJSON_IsString(host))
		host_str = host->valuestring;
	skip_verify = cJSON_IsTrue(skip);

	/* The CLI's tlsConfig(): TLS when there is TLS data or SkipTLSVerify. */
	result = find_pems(ep, tls_dir, err);
	if (result != DS_OK)
		goto done;
	use_tls = ep->ca_file || ep->cert_file || ep->key_file || skip_verify;
	result = parse_host(ep, host_str, from, DEFAULT_PORT, err);
	if (result != DS_OK)
		goto done;
	if (ep->kind == DS_EP_TCP && use_tls) {
		ep->tls = 1;
		ep->tls_verify = !skip_verify;
	} else {
		/* Sockets take no TLS (the CLI's isSocket()). */
		free(ep->ca_file);
		free(ep->cert_file);
		free(ep->key_file);
		free(ep->cert_dir);
		ep->ca_file = ep->cert_file = ep->key_file = NULL;
		ep->cert_dir = NULL;
	}
	ep->source = fmt_str("context '%s'", name);
	if (!ep->source)
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
done:
	cJSON_Delete(json);
	free(text);
	free(meta_dir);
	free(meta_path);
	free(tls_dir);
	free(from);
	return result;
}

/* Return the CLI's config directory: DOCKER_CONFIG, else HOME/.docker, else the passwd entry's home; NULL if none. */
static char *config_dir_of(ds_getvar_fn getvar, void *ctx)
{
	char *dir = get_var(getvar, ctx, "DOCKER_CONFIG");
	char *home;
	struct passwd pw, *found = NULL;
	char pwbuf[4096];

	if (dir)
		return dir;
	home = get_var(getvar, ctx, "HOME");
	if (home) {
		dir = fmt_str("%s/.docker", home);
		free(home);
		return dir;
	}
	/* Go's homedir.Get() falls back to the user database. */
	if (getpwuid_r(getuid(), &pw, pwbuf, sizeof(pwbuf), &found) == 0 &&
	    found && found->pw_dir && found->pw_dir[0])
		return fmt_str("%s/.docker", found->pw_dir);
	return NULL;
}

/* Resolve the endpoint; out is filled and owned by the caller. */
enum ds_code ds_endpoint_resolve(struct ds_endpoint *out,
				 ds_getvar_fn getvar, void *ctx,
				 struct ds_err *err)
{
	enum ds_code result = DS_OK;
	char *docker_host = NULL, *name = NULL, *config_dir = NULL;
	char *config_path = NULL, *named_by = NULL;

	memset(out, 0, sizeof(*out));
	docker_host = get_var(getvar, ctx, "DOCKER_HOST");
	config_dir = config_dir_of(getvar, ctx);
	if (docker_host) {
		result = resolve_default(out, docker_host, "DOCKER_HOST",
					 config_dir, getvar, ctx, err);
		goto done;
	}
	name = get_var(getvar, ctx, "DOCKER_CONTEXT");
	if (name) {
		named_by = strdup("DOCKER_CONTEXT");
	} else if (config_dir) {
		result = read_current_context(config_dir, &name, &config_path,
					      err);
		if (result != DS_OK)
			goto done;
		if (name)
			named_by = fmt_str("currentContext in '%s'",
					   config_path);
	}
	if (!name || strcmp(name, "default") == 0) {
		result = resolve_default(out, NULL, "default", config_dir,
					 getvar, ctx, err);
		goto done;
	}
	if (!named_by) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	result = resolve_context(out, name, named_by, config_dir, err);
done:
	if (result == DS_OK && out->kind == DS_EP_SSH)
		out->ssh_opts = get_var(getvar, ctx, "DOCKSPACE_SSH_OPTS");
	if (result != DS_OK)
		ds_endpoint_free(out);
	free(docker_host);
	free(name);
	free(config_dir);
	free(config_path);
	free(named_by);
	return result;
}
