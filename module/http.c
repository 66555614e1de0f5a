/* http.c: HTTP to the engine with libcurl (see http.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "http.h"
#include "lines.h"
#include "os.h"
#include "ssh.h"

/* One connection libcurl opened through ssh. */
struct ssh_conn {
	struct ds_ssh_proc proc;
	struct ssh_conn *next;
};

/* How libcurl's connections to an ssh:// engine are made. */
struct ssh_dialer {
	char **argv;              /* the ssh command (ssh.h) */
	char *display;
	char *dir;                /* a private directory (mkdtemp) */
	char *via;                /* DIR/s: where each new ssh listens */
	struct ssh_conn *conns;   /* the live ones */
	struct ds_err start_err;  /* why the last ssh did not start */
	char said[2048];          /* stderr of the last ssh that ended */
	int status;               /* and its exit status */
	int ended;                /* said and status are set */
	struct ssh_dialer *next;  /* in the list of every live dialer */
};

/*
 * Every live dialer: ended at exit (make before 4.4.1 never unloads the
 * module, so no ssh would be closed and reaped otherwise).
 */
static struct ssh_dialer *dialers;
static int atexit_done;

struct ds_http {
	CURL *curl;
	char *display;
	char *base;      /* "http://localhost", "http://docker" (ssh) or
			    "https://host:port" */
	long timeout_ms; /* the target's, for streamed transfers' stalls */
	char errbuf[CURL_ERROR_SIZE];
	int tls;
	char *ca_file;   /* TLS files, each NULL when none, for messages */
	char *cert_file;
	char *cert_dir;
	struct ssh_dialer *ssh;      /* NULL unless over ssh */
};

/*
 * libcurl wants a socket: start an ssh that takes the connection libcurl
 * makes next to d->via (CURLOPT_UNIX_SOCKET_PATH) as its stdin/stdout.
 */
static curl_socket_t ssh_open(void *clientp, curlsocktype purpose,
			      struct curl_sockaddr *addr)
{
	struct ssh_dialer *d = clientp;
	struct ssh_conn *c;

	(void)purpose;
	(void)addr;
	ds_err_clear(&d->start_err);
	c = calloc(1, sizeof(*c));
	if (!c) {
		ds_err_set(&d->start_err, DS_E_NOMEM, "out of memory");
		return CURL_SOCKET_BAD;
	}
	if (ds_ssh_start(&c->proc, d->argv, d->via, d->display,
			 &d->start_err) != DS_OK) {
		free(c);
		return CURL_SOCKET_BAD;
	}
	c->next = d->conns;
	d->conns = c;
	return c->proc.fd;
}

/* Take the connection whose socket is fd off the list; NULL if none. */
static struct ssh_conn *ssh_unlink(struct ssh_dialer *d, curl_socket_t fd)
{
	struct ssh_conn **pp, *c;

	for (pp = &d->conns; *pp; pp = &(*pp)->next) {
		if ((*pp)->proc.fd == fd) {
			c = *pp;
			*pp = c->next;
			return c;
		}
	}
	return NULL;
}

/* libcurl closes a connection: end its ssh, and keep what it said. */
static int ssh_close(void *clientp, curl_socket_t fd)
{
	struct ssh_dialer *d = clientp;
	struct ssh_conn *c = ssh_unlink(d, fd);

	if (!c) /* its ssh was finished already (ssh_diagnose) */
		return close(fd);
	ds_ssh_finish(&c->proc, 1, 2000, d->said, sizeof(d->said),
		      &d->status);
	d->ended = 1;
	free(c);
	return 0;
}

/*
 * After a failed transfer: 1 when an ssh of d ended (now or when its
 * connection was closed) and said why, in d->said and d->status.
 */
static int ssh_diagnose(struct ssh_dialer *d)
{
	struct ssh_conn *c, *next;

	if (!d->ended) {
		for (c = d->conns; c && !d->ended; c = next) {
			next = c->next;
			if (!ds_ssh_exited(&c->proc, 1000, d->said,
					   sizeof(d->said), &d->status))
				continue;
			/* libcurl still holds the socket; ssh_close closes it */
			ssh_unlink(d, c->proc.fd);
			free(c);
			d->ended = 1;
		}
	}
	return d->ended && (d->status != 0 || d->said[0]);
}

/* End (and reap) every ssh of d. */
static void ssh_end_all(struct ssh_dialer *d)
{
	struct ssh_conn *c;
	char said[16];
	int status;

	while ((c = d->conns)) {
		d->conns = c->next;
		ds_ssh_finish(&c->proc, 1, 2000, said, sizeof(said), &status);
		free(c);
	}
}

/* At exit: end every ssh still running, remove their directories. */
static void ssh_at_exit(void)
{
	struct ssh_dialer *d;

	for (d = dialers; d; d = d->next) {
		ssh_end_all(d);
		if (d->via && d->via[0])
			unlink(d->via);
		if (d->dir && d->dir[0])
			rmdir(d->dir);
	}
}

/* End every ssh of d and free it. */
static void ssh_dialer_free(struct ssh_dialer *d)
{
	struct ssh_dialer **pp;

	if (!d)
		return;
	for (pp = &dialers; *pp; pp = &(*pp)->next) {
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	}
	ssh_end_all(d);
	if (d->via && d->via[0])
		unlink(d->via);
	if (d->dir && d->dir[0])
		rmdir(d->dir);
	free(d->via);
	free(d->dir);
	ds_ssh_argv_free(d->argv);
	free(d->display);
	free(d);
}

/* Copy an argv; NULL when out of memory. */
static char **argv_dup(char *const *argv)
{
	size_t n = 0, i;
	char **copy;

	while (argv[n])
		n++;
	copy = calloc(n + 1, sizeof(*copy));
	if (!copy)
		return NULL;
	for (i = 0; i < n; i++) {
		copy[i] = strdup(argv[i]);
		if (!copy[i]) {
			ds_ssh_argv_free(copy);
			return NULL;
		}
	}
	return copy;
}

/* Make h's connections through ssh (t->ssh_argv). */
static enum ds_code ssh_setup(struct ds_http *h,
			      const struct ds_http_target *t,
			      struct ds_err *err)
{
	const char *tmp = getenv("TMPDIR");
	char reason[128];
	size_t n;

	/* the socket path must fit sun_path (108 bytes) */
	if (!tmp || !*tmp || strlen(tmp) > 60)
		tmp = "/tmp";
	h->ssh = calloc(1, sizeof(*h->ssh));
	if (!h->ssh || !(h->ssh->argv = argv_dup(t->ssh_argv)) ||
	    !(h->ssh->display = strdup(t->display ? t->display : "ssh")))
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	n = strlen(tmp) + 32;
	/* zeroed: "" until made, and freed as such on failure */
	h->ssh->dir = calloc(1, n);
	h->ssh->via = calloc(1, n + 2);
	if (!h->ssh->dir || !h->ssh->via)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	snprintf(h->ssh->dir, n, "%s/dockspace-ssh.XXXXXX", tmp);
	if (!mkdtemp(h->ssh->dir)) {
		free(h->ssh->dir);
		h->ssh->dir = NULL;
		return ds_err_set(err, DS_E_IO, "cannot make a directory in "
				  "'%s' for the ssh of engine at '%s': %s", tmp,
				  h->ssh->display, ds_errno_text(errno, reason,
				  sizeof(reason)));
	}
	snprintf(h->ssh->via, n + 2, "%s/s", h->ssh->dir);
	h->ssh->next = dialers;
	dialers = h->ssh;
	if (!atexit_done && atexit(ssh_at_exit) == 0)
		atexit_done = 1;
	curl_easy_setopt(h->curl, CURLOPT_UNIX_SOCKET_PATH, h->ssh->via);
	curl_easy_setopt(h->curl, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(h->curl, CURLOPT_OPENSOCKETFUNCTION, ssh_open);
	curl_easy_setopt(h->curl, CURLOPT_OPENSOCKETDATA, h->ssh);
	curl_easy_setopt(h->curl, CURLOPT_CLOSESOCKETFUNCTION, ssh_close);
	curl_easy_setopt(h->curl, CURLOPT_CLOSESOCKETDATA, h->ssh);
	return DS_OK;
}

/* Copy s, or NULL when s is NULL; sets *failed on allocation failure. */
static char *dup_opt(const char *s, int *failed)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*failed = 1;
	return d;
}

static int global_done;

/* Initialise libcurl once per process, on first use. */
static enum ds_code global_init(struct ds_err *err)
{

	if (global_done)
		return DS_OK;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return ds_err_set(err, DS_E_NOMEM, "cannot initialise libcurl");
	global_done = 1;
	return DS_OK;
}

/* Release libcurl's global state (at module unload). */
void ds_http_global_cleanup(void)
{
	if (global_done)
		curl_global_cleanup();
	global_done = 0;
}

/* Prepare a connection to target; caller closes. */
enum ds_code ds_http_open(struct ds_http **out,
			  const struct ds_http_target *t,
			  struct ds_err *err)
{
	enum ds_code result;
	struct ds_http *h = NULL;
	struct ds_buf base = DS_BUF_INIT;
	int failed = 0;

	*out = NULL;
	result = global_init(err);
	if (result != DS_OK)
		goto done;
	h = calloc(1, sizeof(*h));
	if (!h || !(h->curl = curl_easy_init())) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	h->display = dup_opt(t->display, &failed);
	h->timeout_ms = t->timeout_ms;
	h->tls = t->tls;
	h->ca_file = dup_opt(t->ca_file, &failed);
	h->cert_file = dup_opt(t->cert_file, &failed);
	h->cert_dir = dup_opt(t->cert_dir, &failed);
	if (t->ssh_argv) {
		result = ssh_setup(h, t, err);
		if (result != DS_OK)
			goto done;
		result = ds_buf_puts(&base, "http://docker");
	} else if (t->unix_path) {
		result = ds_buf_puts(&base, "http://localhost");
		curl_easy_setopt(h->curl, CURLOPT_UNIX_SOCKET_PATH,
				 t->unix_path);
	} else if (strchr(t->host, ':')) { /* IPv6 literal */
		result = ds_buf_printf(&base, "%s://[%s]:%d",
				       t->tls ? "https" : "http", t->host,
				       t->port);
	} else {
		result = ds_buf_printf(&base, "%s://%s:%d",
				       t->tls ? "https" : "http", t->host,
				       t->port);
	}
	if (result != DS_OK || failed) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	h->base = ds_buf_detach(&base);
	if (t->tls) {
		curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYPEER,
				 t->tls_verify ? 1L : 0L);
		curl_easy_setopt(h->curl, CURLOPT_SSL_VERIFYHOST,
				 t->tls_verify ? 2L : 0L);
		if (t->ca_file)
			curl_easy_setopt(h->curl, CURLOPT_CAINFO, t->ca_file);
		if (t->cert_file)
			curl_easy_setopt(h->curl, CURLOPT_SSLCERT,
					 t->cert_file);
		if (t->key_file)
			curl_easy_setopt(h->curl, CURLOPT_SSLKEY, t->key_file);
	}
	curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS,
			 t->connect_timeout_ms);
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, t->timeout_ms);
	curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, h->errbuf);
	curl_easy_setopt(h->curl, CURLOPT_USERAGENT, "dockspace/" VERSION);
	/* never remove dot segments: the path is exactly what was built */
	curl_easy_setopt(h->curl, CURLOPT_PATH_AS_IS, 1L);
	*out = h;
	h = NULL;
done:
	ds_buf_free(&base);
	ds_http_close(h);
	return result;
}

/* Close the connection and free it. */
void ds_http_close(struct ds_http *h)
{
	if (!h)
		return;
	if (h->curl)
		curl_easy_cleanup(h->curl); /* closes (and ends) every ssh */
	ssh_dialer_free(h->ssh);
	free(h->display);
	free(h->ca_file);
	free(h->cert_file);
	free(h->cert_dir);
	free(h->base);
	free(h);
}

/* Append received body bytes; a full buffer aborts the transfer. */
static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
	struct ds_buf *b = userp;

	if (ds_buf_add(b, data, size * n) != DS_OK)
		return 0;
	return size * n;
}

/* Copy a header's value into dst when the line is "name: value". */
static void take_header(const char *line, size_t len, const char *name,
			char *dst, size_t dst_size)
{
	size_t nlen = strlen(name), i = 0;

	if (len <= nlen || strncasecmp(line, name, nlen) != 0 ||
	    line[nlen] != ':')
		return;
	line += nlen + 1;
	len -= nlen + 1;
	while (len && isspace((unsigned char)*line)) {
		line++;
		len--;
	}
	while (len && isspace((unsigned char)line[len - 1]))
		len--;
	for (i = 0; i < len && i + 1 < dst_size; i++)
		dst[i] = line[i];
	dst[i] = '\0';
}

/* Record the headers the engine layer reads. */
static size_t on_header(char *data, size_t size, size_t n, void *userp)
{
	struct ds_http_reply *r = userp;
	size_t len = size * n;

	take_header(data, len, "Content-Type", r->content_type,
		    sizeof(r->content_type));
	take_header(data, len, "Api-Version", r->api_version,
		    sizeof(r->api_version));
	take_header(data, len, "Libpod-Api-Version", r->libpod_api_version,
		    sizeof(r->libpod_api_version));
	return len;
}

/* Turn a failure of handle curl into a ds error naming display. */
static enum ds_code curl_failure(const char *display, CURL *curl,
				 const char *errbuf, CURLcode rc,
				 struct ds_err *err)
{
	char reason[CURL_ERROR_SIZE + 64];
	long oserr = 0;

	curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &oserr);
	if (oserr)
		ds_errno_text((int)oserr, reason, sizeof(reason));
	else if (errbuf[0])
		snprintf(reason, sizeof(reason), "%s", errbuf);
	else
		snprintf(reason, sizeof(reason), "%s", curl_easy_strerror(rc));
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return ds_err_set(err, DS_E_TIMEOUT,
				  "engine at '%s' did not answer in time "
				  "(set DOCKSPACE_TIMEOUT to wait longer)",
				  display);
	case CURLE_OUT_OF_MEMORY:
	case CURLE_WRITE_ERROR:
		return ds_err_set(err, DS_E_NOMEM,
				  "reply from engine at '%s' is too large",
				  display);
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CACERT_BADFILE:
		return ds_err_set(err, DS_E_CONNECT,
				  "cannot reach engine at '%s': %s",
				  display, reason);
	default:
		return ds_err_set(err, DS_E_CONNECT,
				  "lost the engine at '%s': %s", display,
				  reason);
	}
}

/*
 * curl's text for a failure: OpenSSL's detail after its last "::"
 * without ", errno 0", and a first word in capitals or capitalised
 * ("SSL certificate problem") in lower case.
 */
static void curl_reason(const char *errbuf, CURLcode rc, char *out, size_t n)
{
	const char *text = errbuf[0] ? errbuf : curl_easy_strerror(rc);
	const char *detail = strstr(text, "::");
	char *cut;
	size_t i, w, lower = 0, upper = 0;

	while (detail && strstr(detail + 2, "::"))
		detail = strstr(detail + 2, "::");
	snprintf(out, n, "%s", detail && detail[2] ? detail + 2 : text);
	cut = strstr(out, ", errno ");
	if (cut)
		*cut = '\0';
	w = strcspn(out, " :");
	for (i = 0; i < w; i++) {
		if (islower((unsigned char)out[i]))
			lower++;
		else if (isupper((unsigned char)out[i]))
			upper++;
	}
	if (!lower) /* "SSL" */
		for (i = 0; i < w; i++)
			out[i] = (char)tolower((unsigned char)out[i]);
	else if (upper == 1 && isupper((unsigned char)out[0])) /* "Failed" */
		out[0] = (char)tolower((unsigned char)out[0]);
}

/*
 * A TLS failure of h said as what failed and why (the certificate that
 * does not verify, the client certificate missing or unusable); DS_OK
 * when rc is not one of those.
 */
static enum ds_code tls_failure(struct ds_http *h, CURL *curl,
				const char *errbuf, CURLcode rc,
				struct ds_err *err)
{
	char reason[CURL_ERROR_SIZE + 64];

	if (!h->tls)
		return DS_OK;
	(void)curl;
	curl_reason(errbuf, rc, reason, sizeof(reason));
	switch (rc) {
	case CURLE_PEER_FAILED_VERIFICATION:
		if (h->ca_file)
			return ds_err_set(err, DS_E_CONNECT, "cannot reach "
					  "engine at '%s': its tls certificate "
					  "is not trusted by ca '%s': %s",
					  h->display, h->ca_file, reason);
		return ds_err_set(err, DS_E_CONNECT, "cannot reach engine at "
				  "'%s': its tls certificate is not trusted by "
				  "this host's certificate authorities (no "
				  "ca.pem in '%s'): %s", h->display,
				  h->cert_dir ? h->cert_dir : "", reason);
	case CURLE_SSL_CACERT_BADFILE:
		return ds_err_set(err, DS_E_CONNECT, "cannot reach engine at "
				  "'%s': cannot use ca '%s': %s", h->display,
				  h->ca_file ? h->ca_file : "", reason);
	case CURLE_SSL_CERTPROBLEM:
		return ds_err_set(err, DS_E_CONNECT, "cannot reach engine at "
				  "'%s': cannot use client certificate '%s': "
				  "%s", h->display,
				  h->cert_file ? h->cert_file : "", reason);
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
		if (h->cert_file)
			return DS_OK;
		return ds_err_set(err, DS_E_CONNECT, "cannot reach engine at "
				  "'%s': tls failed and no client certificate "
				  "was offered (no cert.pem and key.pem in "
				  "'%s'): %s", h->display,
				  h->cert_dir ? h->cert_dir : "", reason);
	default:
		return DS_OK;
	}
}

/*
 * Turn a failure of curl, a handle of h, into a ds error naming the
 * endpoint; over ssh, what ssh said when it ended says why.
 */
static enum ds_code http_failure(struct ds_http *h, CURL *curl,
				 const char *errbuf, CURLcode rc,
				 struct ds_err *err)
{
	enum ds_code result;

	if (h->ssh && h->ssh->start_err.code != DS_OK)
		return ds_err_set(err, h->ssh->start_err.code, "%s",
				  h->ssh->start_err.msg);
	if (h->ssh && rc != CURLE_OPERATION_TIMEDOUT && ssh_diagnose(h->ssh))
		return ds_ssh_failure(h->display, h->ssh->said,
				      h->ssh->status, err);
	result = tls_failure(h, curl, errbuf, rc, err);
	if (result != DS_OK)
		return result;
	return curl_failure(h->display, curl, errbuf, rc, err);
}

/* Forget what the last ssh said, before a transfer. */
static void ssh_forget(struct ds_http *h)
{
	if (!h->ssh)
		return;
	ds_err_clear(&h->ssh->start_err);
	h->ssh->said[0] = '\0';
	h->ssh->status = 0;
	h->ssh->ended = 0;
}

/* Turn a libcurl failure into a ds error naming the endpoint. */
static enum ds_code transfer_error(struct ds_http *h, CURLcode rc,
				   struct ds_err *err)
{
	return http_failure(h, h->curl, h->errbuf, rc, err);
}

/* Send one request and read the whole reply. */
enum ds_code ds_http_request(struct ds_http *h, const char *method,
			     const char *path, const char *body,
			     size_t body_len, const char *body_type,
			     struct ds_http_reply *reply, struct ds_err *err)
{
	enum ds_code result = DS_OK;
	struct curl_slist *headers = NULL, *tmp;
	struct ds_buf url = DS_BUF_INIT, ctype = DS_BUF_INIT;
	CURLcode rc;

	ds_http_reply_free(reply);
	/* callers check their names; this keeps any path from reaching curl */
	if (strlen(path) > DS_HTTP_PATH_MAX) {
		result = ds_err_set(err, DS_E_ARG, "request '%s %.40s...' is "
				    "%zu bytes long: at most %d", method, path,
				    strlen(path), DS_HTTP_PATH_MAX);
		goto done;
	}
	if (ds_buf_printf(&url, "%s%s", h->base, path) != DS_OK ||
	    ds_buf_printf(&ctype, "Content-Type: %s",
			  body_type ? body_type : "application/json")
	    != DS_OK) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	h->errbuf[0] = '\0';
	curl_easy_setopt(h->curl, CURLOPT_URL, url.ptr);
	curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(h->curl, CURLOPT_NOBODY, 0L);
	curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
	if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(h->curl, CURLOPT_NOBODY, 1L);
	} else if (body || strcmp(method, "POST") == 0) {
		curl_easy_setopt(h->curl, CURLOPT_POST, 1L);
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body ? body : "");
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)(body ? body_len : 0));
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST,
					 method);
	} else if (strcmp(method, "GET") != 0) {
		curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST, method);
	}
	tmp = curl_slist_append(headers, "Expect:");
	if (tmp)
		headers = tmp;
	tmp = curl_slist_append(headers, body ? ctype.ptr : "Accept: */*");
	if (!tmp) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	headers = tmp;
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, &reply->body);
	curl_easy_setopt(h->curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h->curl, CURLOPT_HEADERDATA, reply);
	ssh_forget(h);
	rc = curl_easy_perform(h->curl);
	if (rc != CURLE_OK) {
		result = transfer_error(h, rc, err);
		goto done;
	}
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &reply->status);
done:
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(headers);
	ds_buf_free(&url);
	ds_buf_free(&ctype);
	return result;
}

/* The longest line a streamed reply may send. */
#define STREAM_LINE_MAX ((size_t)1 << 20)

/* A streamed request in progress (see ds_http_stream). */
struct stream {
	const struct ds_http_stream_opts *opts;
	struct ds_http_reply *reply;
	CURL *curl;
	long long deadline;          /* monotonic ms; 0 = none */
	int opened;                  /* the headers are in */
	int lines;                   /* a 2xx body: hand over lines */
	int aborted;                 /* we stopped it on purpose */
	int too_long;                /* a line passed STREAM_LINE_MAX */
	enum ds_http_stream_end end;
	struct ds_lines split;       /* the body, into lines */
};

/* 1 (and why, in s->end) when the stream must stop now. */
static int stream_should_stop(struct stream *s)
{
	if (s->opts->stop && *s->opts->stop) {
		s->end = DS_STREAM_STOPPED;
		return 1;
	}
	if (s->deadline && ds_os_mono_ms() >= s->deadline) {
		s->end = DS_STREAM_DEADLINE;
		return 1;
	}
	return 0;
}

/* Record headers; at the blank line ending them, tell on_open. */
static size_t on_stream_header(char *data, size_t size, size_t n,
			       void *userp)
{
	struct stream *s = userp;
	size_t len = size * n;
	long status = 0;

	on_header(data, size, n, s->reply);
	if ((len == 2 && data[0] == '\r' && data[1] == '\n') ||
	    (len == 1 && data[0] == '\n')) {
		curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &status);
		if (status >= 200 && !s->opened) {
			s->opened = 1;
			s->lines = status < 300;
			s->reply->status = status;
			if (s->opts->on_open)
				s->opts->on_open(s->opts->ctx, status);
		}
	}
	return len;
}

/*
 * Hand one line to on_line (a ds_line_fn); 1 when it says stop or the
 * stream is due to stop.
 */
static int stream_line(void *ctx, const char *line, size_t len)
{
	struct stream *s = ctx;

	if (s->opts->on_line(s->opts->ctx, line, len)) {
		s->end = DS_STREAM_STOPPED;
		return 1;
	}
	return stream_should_stop(s);
}

/* Split received body bytes into lines (or keep an error body). */
static size_t on_stream_body(char *data, size_t size, size_t n, void *userp)
{
	struct stream *s = userp;
	size_t len = size * n;

	if (!s->lines)
		return on_body(data, size, n, &s->reply->body);
	switch (ds_lines_feed(&s->split, data, len, stream_line, s)) {
	case DS_LINES_MORE:
		return len;
	case DS_LINES_STOP:
		s->aborted = 1;
		return 0;
	default:
		s->too_long = 1;
		return 0;
	}
}

/* Called by libcurl about once a second at least: stop when due. */
static int on_stream_progress(void *userp, curl_off_t dltotal,
			      curl_off_t dlnow, curl_off_t ultotal,
			      curl_off_t ulnow)
{
	struct stream *s = userp;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	if (stream_should_stop(s)) {
		s->aborted = 1;
		return 1;
	}
	return 0;
}

/* GET path and hand each line of the reply to opts->on_line. */
enum ds_code ds_http_stream(struct ds_http *h, const char *path,
			    const struct ds_http_stream_opts *opts,
			    struct ds_http_reply *reply,
			    enum ds_http_stream_end *end,
			    struct ds_err *err)
{
	enum ds_code result = DS_OK;
	struct stream s;
	struct curl_slist *headers = NULL;
	struct ds_buf url = DS_BUF_INIT;
	char errbuf[CURL_ERROR_SIZE] = "";
	CURLcode rc;

	ds_http_reply_free(reply);
	memset(&s, 0, sizeof(s));
	s.opts = opts;
	s.reply = reply;
	s.split = (struct ds_lines)DS_LINES_INIT(STREAM_LINE_MAX);
	s.end = DS_STREAM_CLOSED;
	if (opts->duration_ms > 0)
		s.deadline = ds_os_mono_ms() + opts->duration_ms;
	s.curl = curl_easy_duphandle(h->curl);
	headers = curl_slist_append(NULL, "Accept: application/json");
	if (!s.curl || !headers ||
	    ds_buf_printf(&url, "%s%s", h->base, path) != DS_OK) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	curl_easy_setopt(s.curl, CURLOPT_URL, url.ptr);
	curl_easy_setopt(s.curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(s.curl, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(s.curl, CURLOPT_NOBODY, 0L);
	curl_easy_setopt(s.curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(s.curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(s.curl, CURLOPT_TIMEOUT_MS, 0L);
	curl_easy_setopt(s.curl, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(s.curl, CURLOPT_HEADERFUNCTION, on_stream_header);
	curl_easy_setopt(s.curl, CURLOPT_HEADERDATA, &s);
	curl_easy_setopt(s.curl, CURLOPT_WRITEFUNCTION, on_stream_body);
	curl_easy_setopt(s.curl, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(s.curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(s.curl, CURLOPT_XFERINFOFUNCTION, on_stream_progress);
	curl_easy_setopt(s.curl, CURLOPT_XFERINFODATA, &s);
	ssh_forget(h);
	rc = curl_easy_perform(s.curl);
	if (s.too_long) {
		result = ds_err_set(err, DS_E_PROTOCOL, "engine at '%s' sent "
				    "a line longer than %zu bytes on '%s'",
				    h->display, STREAM_LINE_MAX, path);
		goto done;
	}
	if (rc != CURLE_OK && !s.aborted) {
		result = http_failure(h, s.curl, errbuf, rc, err);
		goto done;
	}
	if (!reply->status)
		curl_easy_getinfo(s.curl, CURLINFO_RESPONSE_CODE,
				  &reply->status);
	if (rc == CURLE_OK && s.lines) /* a last line without its "\n" */
		ds_lines_finish(&s.split, opts->on_line, opts->ctx);
	if (rc == CURLE_OK)
		s.end = DS_STREAM_CLOSED;
done:
	*end = s.end;
	if (s.curl)
		curl_easy_cleanup(s.curl);
	curl_slist_free_all(headers);
	ds_lines_free(&s.split);
	ds_buf_free(&url);
	return result;
}

/* The most a relay's handle reads or sends at once (ring room to wait
 * for before a paused download goes on). */
#define RELAY_CHUNK ((size_t)256 << 10)

/* A download or relay in progress (ds_http_download, ds_http_relay). */
struct relay {
	struct ds_http_flow *flow;
	struct ds_http_reply *get_reply, *post_reply;
	CURL *get, *post;
	char *ring;                  /* relay: DS_HTTP_RELAY_RING bytes */
	size_t head, len;            /* relay: where to read, bytes held */
	int get_open;                /* the GET's headers are in */
	int get_ok;                  /* ... and it is 2xx: stream its body */
	int get_done, post_done;
	CURLcode get_rc, post_rc;
	int get_paused, post_paused;
	long long last_move;         /* monotonic ms of the last progress */
	ds_http_sink_fn sink;        /* download: where the body goes */
	void *sink_ctx;
	struct ds_err *sink_err;
	int sink_failed;
};

/* The GET's headers: at their end, whether its body is streamed. */
static size_t on_relay_get_header(char *data, size_t size, size_t n,
				  void *userp)
{
	struct relay *r = userp;
	size_t len = size * n;
	long status = 0;

	on_header(data, size, n, r->get_reply);
	if ((len == 2 && data[0] == '\r' && data[1] == '\n') ||
	    (len == 1 && data[0] == '\n')) {
		curl_easy_getinfo(r->get, CURLINFO_RESPONSE_CODE, &status);
		if (status >= 200 && !r->get_open) {
			r->get_open = 1;
			r->get_ok = status < 300;
			r->get_reply->status = status;
		}
	}
	return len;
}

/* Body of a download: to the sink (2xx) or the error reply. */
static size_t on_download_body(char *data, size_t size, size_t n,
			       void *userp)
{
	struct relay *r = userp;
	size_t len = size * n;

	if (!r->get_ok)
		return on_body(data, size, n, &r->get_reply->body);
	if (r->sink(r->sink_ctx, data, len, r->sink_err) != 0) {
		r->sink_failed = 1;
		return 0;
	}
	r->flow->bytes += len;
	if (len > r->flow->peak_buffered)
		r->flow->peak_buffered = len;
	return len;
}

/* Body of the relay's GET: into the ring, or pause while it is full. */
static size_t on_relay_get_body(char *data, size_t size, size_t n,
				void *userp)
{
	struct relay *r = userp;
	size_t len = size * n, tail, first;

	if (!r->get_ok)
		return on_body(data, size, n, &r->get_reply->body);
	if (DS_HTTP_RELAY_RING - r->len < len) {
		r->get_paused = 1;
		return CURL_WRITEFUNC_PAUSE;
	}
	tail = (r->head + r->len) % DS_HTTP_RELAY_RING;
	first = DS_HTTP_RELAY_RING - tail < len ? DS_HTTP_RELAY_RING - tail
						: len;
	memcpy(r->ring + tail, data, first);
	memcpy(r->ring, data + first, len - first);
	r->len += len;
	r->flow->bytes += len;
	if (r->len > r->flow->peak_buffered)
		r->flow->peak_buffered = r->len;
	r->last_move = ds_os_mono_ms();
	return len;
}

/* The relay's POST body: from the ring, pausing while it is empty. */
static size_t on_relay_post_read(char *buf, size_t size, size_t n,
				 void *userp)
{
	struct relay *r = userp;
	size_t want = size * n, take, first;

	if (!r->len) {
		if (r->get_done && r->get_rc == CURLE_OK)
			return 0;                     /* the whole body */
		if (r->get_done)
			return CURL_READFUNC_ABORT;   /* cut short: no end */
		r->post_paused = 1;
		return CURL_READFUNC_PAUSE;
	}
	take = want < r->len ? want : r->len;
	first = DS_HTTP_RELAY_RING - r->head < take
		? DS_HTTP_RELAY_RING - r->head : take;
	memcpy(buf, r->ring + r->head, first);
	memcpy(buf + first, r->ring, take - first);
	r->head = (r->head + take) % DS_HTTP_RELAY_RING;
	r->len -= take;
	r->last_move = ds_os_mono_ms();
	return take;
}

/* A handle of its own for a streamed request on h's settings. */
static CURL *stream_handle(struct ds_http *h, const char *path,
			   struct ds_buf *url, char *errbuf)
{
	CURL *c = curl_easy_duphandle(h->curl);

	if (!c || ds_buf_printf(url, "%s%s", h->base, path) != DS_OK) {
		if (c)
			curl_easy_cleanup(c);
		return NULL;
	}
	errbuf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, url->ptr);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(c, CURLOPT_NOBODY, 0L);
	curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 0L);
	curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	return c;
}

/* GET path and hand the body to sink as it arrives. */
enum ds_code ds_http_download(struct ds_http *h, const char *path,
			      ds_http_sink_fn sink, void *ctx,
			      struct ds_http_reply *get_reply,
			      struct ds_http_flow *flow, struct ds_err *err)
{
	enum ds_code result = DS_OK;
	struct relay r;
	struct ds_buf url = DS_BUF_INIT;
	char errbuf[CURL_ERROR_SIZE];
	CURLcode rc;

	ds_http_reply_free(get_reply);
	memset(flow, 0, sizeof(*flow));
	memset(&r, 0, sizeof(r));
	r.flow = flow;
	r.get_reply = get_reply;
	r.sink = sink;
	r.sink_ctx = ctx;
	r.sink_err = err;
	r.get = stream_handle(h, path, &url, errbuf);
	if (!r.get) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	curl_easy_setopt(r.get, CURLOPT_HEADERFUNCTION, on_relay_get_header);
	curl_easy_setopt(r.get, CURLOPT_HEADERDATA, &r);
	curl_easy_setopt(r.get, CURLOPT_WRITEFUNCTION, on_download_body);
	curl_easy_setopt(r.get, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(r.get, CURLOPT_BUFFERSIZE, (long)RELAY_CHUNK);
	if (h->timeout_ms > 0) {   /* stalled: nothing for the timeout */
		curl_easy_setopt(r.get, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(r.get, CURLOPT_LOW_SPEED_TIME,
				 (h->timeout_ms + 999) / 1000);
	}
	ssh_forget(h);
	rc = curl_easy_perform(r.get);
	if (r.sink_failed) {
		flow->failed_side = 2;
		result = ds_err_set(err, DS_E_IO, "cannot write the download "
				    "of '%s'", path);
	} else if (rc != CURLE_OK) {
		flow->failed_side = 1;
		result = http_failure(h, r.get, errbuf, rc, err);
	} else if (!get_reply->status) {
		curl_easy_getinfo(r.get, CURLINFO_RESPONSE_CODE,
				  &get_reply->status);
	}
done:
	if (r.get)
		curl_easy_cleanup(r.get);
	ds_buf_free(&url);
	return result;
}

/* Note a finished transfer of the relay's multi. */
static void relay_finished(struct relay *r, CURL *c, CURLcode rc)
{
	if (c == r->get) {
		r->get_done = 1;
		r->get_rc = rc;
	} else if (c == r->post) {
		r->post_done = 1;
		r->post_rc = rc;
	}
}

/* Start the relay's POST once the GET answered 2xx. */
static CURL *relay_post_handle(struct ds_http *dst, const char *path,
			       struct curl_slist *headers, struct relay *r,
			       struct ds_buf *url, char *errbuf)
{
	CURL *c = stream_handle(dst, path, url, errbuf);

	if (!c)
		return NULL;
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, NULL);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)-1);
	curl_easy_setopt(c, CURLOPT_UPLOAD_BUFFERSIZE, (long)RELAY_CHUNK);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, on_relay_post_read);
	curl_easy_setopt(c, CURLOPT_READDATA, r);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r->post_reply);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->post_reply->body);
	return c;
}

/* Stream GET src_path on src into POST dst_path on dst (see http.h). */
enum ds_code ds_http_relay(struct ds_http *src, const char *src_path,
			   struct ds_http *dst, const char *dst_path,
			   const char *content_type,
			   struct ds_http_reply *get_reply,
			   struct ds_http_reply *post_reply,
			   struct ds_http_flow *flow, struct ds_err *err)
{
	enum ds_code result = DS_OK;
	struct relay r;
	struct ds_buf get_url = DS_BUF_INIT, post_url = DS_BUF_INIT;
	struct ds_buf ctype = DS_BUF_INIT;
	struct curl_slist *headers = NULL, *tmp = NULL;
	char get_err[CURL_ERROR_SIZE], post_err[CURL_ERROR_SIZE];
	CURLM *multi = NULL;
	CURLMsg *msg;
	int running, left, woke;
	long stall = src->timeout_ms > dst->timeout_ms ? src->timeout_ms
						       : dst->timeout_ms;

	ds_http_reply_free(get_reply);
	ds_http_reply_free(post_reply);
	memset(flow, 0, sizeof(*flow));
	memset(&r, 0, sizeof(r));
	r.flow = flow;
	r.get_reply = get_reply;
	r.post_reply = post_reply;
	r.ring = malloc(DS_HTTP_RELAY_RING);
	r.get = stream_handle(src, src_path, &get_url, get_err);
	multi = curl_multi_init();
	if (ds_buf_printf(&ctype, "Content-Type: %s", content_type) == DS_OK &&
	    (tmp = curl_slist_append(NULL, "Expect:")) != NULL) {
		headers = tmp;
		tmp = curl_slist_append(headers, ctype.ptr);
		headers = tmp ? tmp : headers;
	}
	if (!r.ring || !r.get || !multi || !tmp) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	curl_easy_setopt(r.get, CURLOPT_HEADERFUNCTION, on_relay_get_header);
	curl_easy_setopt(r.get, CURLOPT_HEADERDATA, &r);
	curl_easy_setopt(r.get, CURLOPT_WRITEFUNCTION, on_relay_get_body);
	curl_easy_setopt(r.get, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(r.get, CURLOPT_BUFFERSIZE, (long)RELAY_CHUNK);
	curl_multi_add_handle(multi, r.get);
	ssh_forget(src);
	ssh_forget(dst);
	r.last_move = ds_os_mono_ms();
	for (;;) {
		if (r.get_ok && !r.post) {
			r.post = relay_post_handle(dst, dst_path, headers, &r,
						   &post_url, post_err);
			if (!r.post) {
				result = ds_err_set(err, DS_E_NOMEM,
						    "out of memory");
				goto done;
			}
			curl_multi_add_handle(multi, r.post);
		}
		curl_multi_perform(multi, &running);
		while ((msg = curl_multi_info_read(multi, &left)))
			if (msg->msg == CURLMSG_DONE)
				relay_finished(&r, msg->easy_handle,
					       msg->data.result);
		if (r.get_done && (!r.get_ok || r.post_done))
			break;
		if (r.post_done && !r.get_done)
			break;   /* the destination ended it early */
		woke = 0;
		if (r.get_paused && DS_HTTP_RELAY_RING - r.len >= RELAY_CHUNK) {
			r.get_paused = 0;
			woke = 1;
			curl_easy_pause(r.get, CURLPAUSE_CONT);
		}
		if (r.post_paused && (r.len || r.get_done)) {
			r.post_paused = 0;
			woke = 1;
			curl_easy_pause(r.post, CURLPAUSE_CONT);
		}
		if (stall > 0 && ds_os_mono_ms() - r.last_move > stall) {
			/* a download paused on a full ring waits for the
			 * destination: it is the one that stalled */
			int at_dst = r.get_done || r.get_paused;

			flow->failed_side = at_dst ? 2 : 1;
			result = ds_err_set(err, DS_E_TIMEOUT, "engine at '%s' "
					    "did not answer in time (set "
					    "DOCKSPACE_TIMEOUT to wait longer)",
					    at_dst ? dst->display
						   : src->display);
			goto done;
		}
		if (!woke)   /* a handle just unpaused has work: no wait */
			curl_multi_poll(multi, NULL, 0, 100, NULL);
	}
	if (r.get_done && r.get_rc != CURLE_OK) {
		flow->failed_side = 1;
		result = http_failure(src, r.get, get_err, r.get_rc, err);
	} else if (r.post_done && r.post_rc != CURLE_OK) {
		flow->failed_side = 2;
		result = http_failure(dst, r.post, post_err, r.post_rc,
				      err);
	} else if (r.post_done && !r.get_done) {
		/* a reply before the whole body: only an error can be that */
		flow->failed_side = 2;
		curl_easy_getinfo(r.post, CURLINFO_RESPONSE_CODE,
				  &post_reply->status);
		if (post_reply->status >= 200 && post_reply->status < 300)
			result = ds_err_set(err, DS_E_PROTOCOL, "engine at "
					    "'%s' answered before the whole "
					    "upload was sent", dst->display);
	}
	if (r.post && !post_reply->status)
		curl_easy_getinfo(r.post, CURLINFO_RESPONSE_CODE,
				  &post_reply->status);
done:
	if (r.get) {
		curl_multi_remove_handle(multi, r.get);
		curl_easy_cleanup(r.get);
	}
	if (r.post) {
		curl_multi_remove_handle(multi, r.post);
		curl_easy_cleanup(r.post);
	}
	if (multi)
		curl_multi_cleanup(multi);
	curl_slist_free_all(headers);
	free(r.ring);
	ds_buf_free(&get_url);
	ds_buf_free(&post_url);
	ds_buf_free(&ctype);
	return result;
}

/* Free what the reply owns. */
void ds_http_reply_free(struct ds_http_reply *reply)
{
	ds_buf_free(&reply->body);
	reply->status = 0;
	reply->content_type[0] = '\0';
	reply->api_version[0] = '\0';
	reply->libpod_api_version[0] = '\0';
}
