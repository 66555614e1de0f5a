/* engine.c: the Docker Engine API client (see engine.h). */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apiver.h"
#include "cache.h"
#include "engine.h"
#include "jsonw.h"
#include "names.h"
#include "os.h"
#include "peer.h"
#include "ssh.h"

/* How much of a request path a message shows (names can be 4096 long). */
#define PATH_SHOWN 160

struct ds_engine {
	struct ds_http *http;
	char *url;
	int remote;
	int podman;
	struct ds_endpoint ssh;    /* an ssh:// engine's address, else zero */
	long ssh_connect_ms;
	char api[16];
	struct ds_version version;
	int have_version;
	struct ds_info info;
	int have_info;
	long timeout_ms;
	int cache_on;              /* a private cache file is in use */
	char cache_path[4096];
	long cache_ttl;
	struct ds_cache_entry entry;
};

/* Write the cache entry back (a failure only costs speed). */
static void cache_save(struct ds_engine *e)
{
	if (e->cache_on)
		ds_cache_store(&e->entry, e->cache_path);
}

/*
 * Open the cache for a unix endpoint: identify the daemon and take what
 * was kept for it.  Only "nothing listens" is an error; anything else
 * just leaves the cache off.
 */
static enum ds_code cache_open(struct ds_engine *e,
			       const struct ds_endpoint *ep,
			       const struct ds_engine_opts *opts,
			       struct ds_err *err)
{
	struct ds_err local = DS_ERR_INIT;
	char id[sizeof(e->entry.id)];
	enum ds_code result;

	if (ep->kind != DS_EP_UNIX || !opts->cache_dir ||
	    ds_cache_path(e->cache_path, sizeof(e->cache_path),
			  opts->cache_dir, ep->url) != 0)
		return DS_OK;
	result = ds_peer_identify(ep->unix_path, id, sizeof(id), &local);
	if (result == DS_E_CONNECT)
		return ds_err_set(err, result, "%s", local.msg);
	if (result != DS_OK)
		return DS_OK;
	e->cache_on = 1;
	e->cache_ttl = opts->cache_ttl;
	if (ds_cache_load(&e->entry, e->cache_path) != 0 ||
	    strcmp(e->entry.id, id) != 0) {
		ds_cache_entry_free(&e->entry);
		snprintf(e->entry.id, sizeof(e->entry.id), "%s", id);
	}
	return DS_OK;
}

/*
 * Keep what an ssh:// engine's later commands need (ds_engine_ssh_run)
 * and build the argv of its engine connection in *argv.
 */
static enum ds_code ssh_keep(struct ds_engine *e,
			     const struct ds_endpoint *ep,
			     long connect_timeout_ms, char ***argv,
			     struct ds_err *err)
{
	e->ssh.kind = DS_EP_SSH;
	e->ssh.port = ep->port;
	if (!(e->ssh.host = strdup(ep->host)) ||
	    (ep->ssh_user && !(e->ssh.ssh_user = strdup(ep->ssh_user))) ||
	    (ep->ssh_opts && !(e->ssh.ssh_opts = strdup(ep->ssh_opts))))
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	e->ssh_connect_ms = connect_timeout_ms;
	return ds_ssh_dial_argv(argv, ep, connect_timeout_ms, err);
}

/* Connect to ep and negotiate; the caller closes. */
enum ds_code ds_engine_connect(struct ds_engine **out,
			       const struct ds_endpoint *ep,
			       const struct ds_engine_opts *opts,
			       struct ds_err *err)
{
	enum ds_code result;
	struct ds_engine *e;
	struct ds_http_target t = { 0 };
	struct ds_http_reply ping = DS_HTTP_REPLY_INIT;
	char msg[256], **ssh_argv = NULL;

	*out = NULL;
	e = calloc(1, sizeof(*e));
	if (!e || !(e->url = strdup(ep->url))) {
		free(e);
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	}
	e->remote = ep->kind == DS_EP_TCP || ep->kind == DS_EP_SSH;
	e->timeout_ms = opts->timeout_ms;
	e->entry = (struct ds_cache_entry)DS_CACHE_ENTRY_INIT;
	t.display = ep->url;
	t.unix_path = ep->kind == DS_EP_UNIX ? ep->unix_path : NULL;
	t.host = ep->host;
	t.port = ep->port;
	t.tls = ep->tls;
	t.tls_verify = ep->tls_verify;
	t.ca_file = ep->ca_file;
	t.cert_file = ep->cert_file;
	t.key_file = ep->key_file;
	t.cert_dir = ep->cert_dir;
	t.timeout_ms = opts->timeout_ms;
	t.connect_timeout_ms = opts->timeout_ms < 10000 ? opts->timeout_ms
							: 10000;
	if (ep->kind == DS_EP_SSH) {
		result = ssh_keep(e, ep, t.connect_timeout_ms, &ssh_argv, err);
		if (result != DS_OK)
			goto done;
		t.ssh_argv = ssh_argv;
	}
	result = ds_http_open(&e->http, &t, err);
	if (result == DS_OK)
		result = cache_open(e, ep, opts, err);
	if (result != DS_OK)
		goto done;
	if (e->cache_on && e->entry.server_api[0]) {
		/* the same daemon process: no need to ping it again */
		e->podman = e->entry.podman;
		result = ds_api_negotiate(e->api, e->entry.server_api,
					  opts->pinned_api, DS_API_MIN,
					  DS_API_MAX, ep->url, err);
		if (result != DS_OK)
			goto done;
		*out = e;
		e = NULL;
		goto done;
	}
	result = ds_http_request(e->http, "GET", "/_ping", NULL, 0, NULL,
				 &ping, err);
	if (result != DS_OK)
		goto done;
	if (ping.status != 200) {
		ds_model_error_message(msg, sizeof(msg), ping.content_type,
				       ping.body.ptr,
				       ping.body.len);
		result = ds_err_set(err, DS_E_PROTOCOL,
				    "'%s' is not a docker engine: /_ping "
				    "answered %ld%s%s", ep->url, ping.status,
				    msg[0] ? ": " : "", msg);
		goto done;
	}
	e->podman = ping.libpod_api_version[0] != '\0';
	result = ds_api_negotiate(e->api, ping.api_version, opts->pinned_api,
				  DS_API_MIN, DS_API_MAX, ep->url, err);
	if (result != DS_OK)
		goto done;
	if (e->cache_on) {
		snprintf(e->entry.server_api, sizeof(e->entry.server_api),
			 "%s", ping.api_version);
		e->entry.podman = e->podman;
		cache_save(e);
	}
	*out = e;
	e = NULL;
done:
	ds_http_reply_free(&ping);
	ds_ssh_argv_free(ssh_argv);
	ds_engine_close(e);
	return result;
}

/* Close the connection and free everything. */
void ds_engine_close(struct ds_engine *e)
{
	if (!e)
		return;
	ds_http_close(e->http);
	ds_model_version_free(&e->version);
	ds_model_info_free(&e->info);
	ds_cache_entry_free(&e->entry);
	ds_endpoint_free(&e->ssh);
	free(e->url);
	free(e);
}

/* The negotiated API version. */
const char *ds_engine_api(const struct ds_engine *e)
{
	return e->api;
}

/* 1 when the engine is Podman. */
int ds_engine_is_podman(const struct ds_engine *e)
{
	return e->podman;
}

/* The endpoint URL. */
const char *ds_engine_url(const struct ds_engine *e)
{
	return e->url;
}

/* 1 for a tcp:// or ssh:// engine. */
int ds_engine_is_remote(const struct ds_engine *e)
{
	return e->remote;
}

/* 1 for an ssh:// engine. */
int ds_engine_is_ssh(const struct ds_engine *e)
{
	return e->ssh.kind == DS_EP_SSH;
}

/* Run words on an ssh:// engine's host through ssh; stdout into out. */
enum ds_code ds_engine_ssh_run(struct ds_engine *e, const char *const *words,
			       struct ds_buf *out, struct ds_err *err)
{
	enum ds_code result;
	char **argv = NULL;

	if (e->ssh.kind != DS_EP_SSH)
		return ds_err_set(err, DS_E_UNSUPPORTED, "engine at '%s' is "
				  "not reached through ssh", e->url);
	result = ds_ssh_argv(&argv, &e->ssh, words, e->ssh_connect_ms, err);
	if (result == DS_OK)
		result = ds_ssh_run(argv, e->url, e->timeout_ms, out, err);
	ds_ssh_argv_free(argv);
	return result;
}

/* One versioned request; non-2xx replies become errors. */
enum ds_code ds_engine_call(struct ds_engine *e, const char *method,
			    const char *path, const char *body,
			    size_t body_len, struct ds_http_reply *reply,
			    struct ds_err *err)
{
	enum ds_code result;
	struct ds_buf full = DS_BUF_INIT;
	char msg[400];

	if (ds_buf_printf(&full, "/v%s%s", e->api, path) != DS_OK) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	result = ds_http_request(e->http, method, full.ptr, body, body_len,
				 NULL, reply, err);
	if (result != DS_OK)
		goto done;
	if (reply->status >= 200 && reply->status < 300)
		goto done;
	ds_model_error_message(msg, sizeof(msg), reply->content_type,
			       reply->body.ptr,
			       reply->body.len);
	result = ds_err_set(err, reply->status == 404 ? DS_E_NOTFOUND
						      : DS_E_HTTP,
			    "engine at '%s' refused %s %.*s%s (%ld): %s%s",
			    e->url, method, PATH_SHOWN, path,
			    strlen(path) > PATH_SHOWN ? "..." : "",
			    reply->status, msg[0] ? msg : "no message",
			    ds_api_refusal_hint(msg));
	if (err)
		err->status = reply->status;
done:
	ds_buf_free(&full);
	return result;
}

/* /version, asked once. */
enum ds_code ds_engine_version(struct ds_engine *e,
			       const struct ds_version **out,
			       struct ds_err *err)
{
	enum ds_code result = DS_OK;
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;

	if (!e->have_version) {
		result = ds_engine_call(e, "GET", "/version", NULL, 0, &reply,
					err);
		if (result == DS_OK)
			result = ds_model_parse_version(&e->version,
							reply.body.ptr,
							reply.body.len, err);
		if (result != DS_OK)
			goto done;
		e->have_version = 1;
		e->podman = e->podman || e->version.is_podman;
	}
	*out = &e->version;
done:
	ds_http_reply_free(&reply);
	return result;
}

/* /info, asked once. */
enum ds_code ds_engine_info(struct ds_engine *e, const struct ds_info **out,
			    struct ds_err *err)
{
	enum ds_code result = DS_OK;
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;

	if (!e->have_info && e->cache_on && e->entry.info.len) {
		/* /info of this daemon process, kept from an earlier run */
		result = ds_model_parse_info(&e->info, e->entry.info.ptr,
					     e->entry.info.len, err);
		if (result != DS_OK)
			goto done;
		e->have_info = 1;
	}
	if (!e->have_info) {
		result = ds_engine_call(e, "GET", "/info", NULL, 0, &reply,
					err);
		if (result == DS_OK)
			result = ds_model_parse_info(&e->info, reply.body.ptr,
						     reply.body.len, err);
		if (result != DS_OK)
			goto done;
		e->have_info = 1;
		if (e->cache_on) {
			ds_buf_reset(&e->entry.info);
			if (ds_buf_add(&e->entry.info, reply.body.ptr,
				       reply.body.len) == DS_OK)
				cache_save(e);
		}
	}
	*out = &e->info;
done:
	ds_http_reply_free(&reply);
	return result;
}

/* Sleep for ms milliseconds. */
static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Podman's /system/df lists one image row per tag holding only the tag
 * ("latest"): take the image list from /images/json instead, which has
 * the full names and a real count of containers.  The usage summary,
 * already computed from the df rows, stays.
 */
static enum ds_code podman_image_names(struct ds_engine *e, struct ds_df *df,
				       struct ds_err *err)
{
	enum ds_code result;
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	struct ds_image *list = NULL;
	size_t n = 0;

	result = ds_engine_call(e, "GET", "/images/json", NULL, 0, &reply,
				err);
	if (result == DS_OK)
		result = ds_model_parse_images(&list, &n, reply.body.ptr,
					       reply.body.len, err);
	if (result == DS_OK) {
		ds_model_images_free(df->image_list, df->n_images);
		df->image_list = list;
		df->n_images = n;
	}
	ds_http_reply_free(&reply);
	return result;
}

/* 1 when a container in the snapshot may be writing (its size moving). */
static int any_running(const struct ds_df *df)
{
	size_t i;

	for (i = 0; i < df->n_containers; i++) {
		const char *s = df->container_list[i].state;

		if (!s || (strcmp(s, "exited") != 0 &&
			   strcmp(s, "created") != 0 && strcmp(s, "dead") != 0))
			return 1;
	}
	return 0;
}

/* The BuildKit stamp of this daemon's data root, or -1. */
static int64_t buildkit_stamp(struct ds_engine *e)
{
	const struct ds_info *info;
	struct ds_err ignored = DS_ERR_INIT;

	if (ds_engine_info(e, &info, &ignored) != DS_OK)
		return -1;
	return ds_cache_buildkit_stamp(info->root_dir);
}

/* Nanoseconds on the real-time clock (the daemon's, on this host). */
static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * 1 when the daemon's event log has nothing from since (nanoseconds) up
 * to this very moment.  Both ends carry nanoseconds: whole seconds would
 * hide an event from earlier in the current second, or count one from
 * before the snapshot.
 */
static int no_events_since(struct ds_engine *e, int64_t since)
{
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	struct ds_err ignored = DS_ERR_INIT;
	int64_t until = now_ns();
	char path[128];
	int none = 0;
	size_t i;

	snprintf(path, sizeof(path), "/events?since=%" PRId64 ".%09" PRId64
		 "&until=%" PRId64 ".%09" PRId64, since / 1000000000,
		 since % 1000000000, until / 1000000000, until % 1000000000);
	if (ds_engine_call(e, "GET", path, NULL, 0, &reply, &ignored) ==
	    DS_OK) {
		none = 1;
		for (i = 0; i < reply.body.len; i++)
			if (!isspace((unsigned char)reply.body.ptr[i]))
				none = 0;
	}
	ds_http_reply_free(&reply);
	return none;
}

/* 1 when the kept /system/df still describes the engine (engine.h). */
static int df_reusable(struct ds_engine *e)
{
	int64_t now = now_ns();
	const struct ds_cache_entry *c = &e->entry;

	return e->cache_on && !e->podman && c->df.len && !c->df_running &&
	       c->buildkit >= 0 && now >= c->df_time &&
	       (now - c->df_time) / 1000000000 < e->cache_ttl &&
	       buildkit_stamp(e) == c->buildkit &&
	       no_events_since(e, c->df_time);
}

/*
 * 1 when a failed /system/df is worth asking again: any 5xx reply (one
 * already running on Docker 20.10, "layer ... not found" while an image
 * is being deleted, a daemon busy or restarting its API).  4xx replies
 * and transport failures are final.
 */
static int df_transient(enum ds_code result, const struct ds_err *attempt)
{
	return result == DS_E_HTTP && attempt->status >= 500 &&
	       attempt->status <= 599;
}

/* /system/df, retried with backoff on transient errors (see engine.h). */
enum ds_code ds_engine_df(struct ds_engine *e, struct ds_df *out,
			  int may_reuse, struct ds_err *err)
{
	enum ds_code result;
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	long long deadline = ds_os_mono_ms() + (e->timeout_ms ? e->timeout_ms
						       : 120000);
	long pause = 20;
	struct ds_err attempt = DS_ERR_INIT;
	int64_t asked = now_ns();

	if (may_reuse && df_reusable(e))
		return ds_model_parse_df(out, e->entry.df.ptr, e->entry.df.len,
					 err);
	for (;;) {
		ds_err_clear(&attempt);
		result = ds_engine_call(e, "GET", ds_api_df_path(e->api),
					NULL, 0, &reply, &attempt);
		if (!df_transient(result, &attempt) ||
		    ds_os_mono_ms() + pause > deadline)
			break;
		sleep_ms(pause);
		if (pause < 500)
			pause *= 2;
	}
	if (result != DS_OK) {
		ds_err_set(err, result, "%s", attempt.msg);
		if (err)
			err->status = attempt.status;
		goto done;
	}
	result = ds_model_parse_df(out, reply.body.ptr, reply.body.len, err);
	if (result == DS_OK && e->podman)
		result = podman_image_names(e, out, err);
	if (result != DS_OK) {
		ds_model_df_free(out);
		goto done;
	}
	if (e->cache_on && !e->podman) {
		ds_buf_reset(&e->entry.df);
		if (ds_buf_add(&e->entry.df, reply.body.ptr, reply.body.len)
		    == DS_OK) {
			e->entry.df_time = asked;
			e->entry.df_running = any_running(out);
			e->entry.buildkit = buildkit_stamp(e);
			cache_save(e);
		}
	}
done:
	ds_http_reply_free(&reply);
	return result;
}

/* An event stream being followed (see ds_engine_stream_events). */
struct event_stream {
	const struct ds_engine_events_opts *opts;
	struct ds_err *err;
	enum ds_code failed;       /* a line was not an event */
};

/* The engine took the request: tell the caller. */
static void on_events_open(void *ctx, long status)
{
	struct event_stream *s = ctx;

	if (status >= 200 && status < 300 && s->opts->on_open)
		s->opts->on_open(s->opts->ctx);
}

/* Parse one line of /events and hand the event over; 1 to stop. */
static int on_event_line(void *ctx, const char *line, size_t len)
{
	struct event_stream *s = ctx;
	struct ds_event ev;
	size_t i;
	int stop;

	for (i = 0; i < len && isspace((unsigned char)line[i]); i++)
		;
	if (i == len)
		return 0; /* a keep-alive blank line */
	s->failed = ds_model_parse_event(&ev, line, len, s->err);
	if (s->failed != DS_OK)
		return 1;
	stop = s->opts->on_event(s->opts->ctx, &ev);
	ds_model_event_free(&ev);
	return stop;
}

/* Follow /events until told to stop (see engine.h). */
enum ds_code ds_engine_stream_events(struct ds_engine *e,
				     const struct ds_engine_events_opts *opts,
				     enum ds_http_stream_end *end,
				     struct ds_err *err)
{
	enum ds_code result = DS_OK;
	struct ds_buf path = DS_BUF_INIT, filter = DS_BUF_INIT;
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	struct ds_http_stream_opts so = { 0 };
	struct event_stream s = { opts, err, DS_OK };
	size_t i;
	char msg[400];

	*end = DS_STREAM_CLOSED;
	if (ds_buf_printf(&path, "/v%s/events", e->api) != DS_OK)
		result = DS_E_NOMEM;
	if (result == DS_OK && opts->types && opts->types[0]) {
		struct ds_jsonw w;

		ds_jsonw_init(&w, &filter);
		ds_jsonw_object(&w);
		ds_jsonw_key(&w, "type");
		ds_jsonw_array(&w);
		for (i = 0; opts->types[i]; i++)
			ds_jsonw_string(&w, opts->types[i]);
		ds_jsonw_end(&w);
		ds_jsonw_end(&w);
		result = ds_jsonw_finish(&w);
	}
	if (result == DS_OK && filter.len &&
	    (result = ds_buf_puts(&path, "?filters=")) == DS_OK)
		result = ds_buf_url_escape(&path, filter.ptr, 1);
	if (result != DS_OK) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	so.duration_ms = opts->duration_ms;
	so.stop = opts->stop;
	so.on_open = on_events_open;
	so.on_line = on_event_line;
	so.ctx = &s;
	result = ds_http_stream(e->http, path.ptr, &so, &reply, end, err);
	if (result == DS_OK && s.failed != DS_OK)
		result = s.failed;
	if (result != DS_OK || (reply.status >= 200 && reply.status < 300))
		goto done;
	ds_model_error_message(msg, sizeof(msg), reply.content_type,
			       reply.body.ptr,
			       reply.body.len);
	result = ds_err_set(err, reply.status == 404 ? DS_E_NOTFOUND
						     : DS_E_HTTP,
			    "engine at '%s' refused GET /events (%ld): %s",
			    e->url, reply.status, msg[0] ? msg : "no message");
	if (err)
		err->status = reply.status;
done:
	ds_buf_free(&path);
	ds_buf_free(&filter);
	ds_http_reply_free(&reply);
	return result;
}

/* "/KIND/" and name, URL-escaped, and tail (or "") into path. */
static enum ds_code object_path(struct ds_buf *path, const char *kind,
				const char *name, const char *tail,
				struct ds_err *err)
{
	if (ds_buf_printf(path, "/%s/", kind) != DS_OK ||
	    ds_buf_url_escape(path, name, 0) != DS_OK ||
	    ds_buf_puts(path, tail) != DS_OK)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	return DS_OK;
}

/*
 * One request on an object (/KIND/NAME[TAIL]) into reply (the caller
 * frees it in every case; NULL: the reply is dropped); the refusal as
 * ds_engine_call says it.
 */
static enum ds_code object_call(struct ds_engine *e, const char *method,
				const char *kind, const char *name,
				const char *tail, struct ds_http_reply *reply,
				struct ds_err *err)
{
	struct ds_http_reply dropped = DS_HTTP_REPLY_INIT;
	struct ds_buf path = DS_BUF_INIT;
	enum ds_code result;

	result = object_path(&path, kind, name, tail, err);
	if (result == DS_OK)
		result = ds_engine_call(e, method, path.ptr, NULL, 0,
					reply ? reply : &dropped, err);
	ds_http_reply_free(&dropped);
	ds_buf_free(&path);
	return result;
}

/*
 * GET /images/{ref}/{what} ("/json", "/history") into reply (the caller
 * frees it in every case).  ref's length is checked; an image the
 * engine does not have is DS_E_NOTFOUND, "no image 'REF' in the engine
 * at 'URL'".
 */
static enum ds_code image_get(struct ds_engine *e, const char *ref,
			      const char *what, struct ds_http_reply *reply,
			      struct ds_err *err)
{
	enum ds_code result;
	struct ds_buf path = DS_BUF_INIT;
	struct ds_err local = DS_ERR_INIT;

	if (ds_check_length("image reference", ref, strlen(ref), DS_REF_MAX,
			    err) != DS_OK)
		return err->code;
	result = object_path(&path, "images", ref, what, err);
	if (result != DS_OK) {
		ds_buf_free(&path);
		return result;
	}
	result = ds_engine_call(e, "GET", path.ptr, NULL, 0, reply, &local);
	if (result == DS_E_NOTFOUND) {
		ds_err_set(err, result, "no image '%s' in the engine at '%s'",
			   ref, ds_engine_url(e));
	} else if (result != DS_OK) {
		ds_err_set(err, result, "%s", local.msg);
		if (err && err->code == result)
			err->status = local.status;
	}
	ds_buf_free(&path);
	return result;
}

/* GET /images/{ref}/json, parsed. */
enum ds_code ds_engine_image_inspect(struct ds_engine *e, const char *ref,
				     struct ds_image *img,
				     struct ds_err *err)
{
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	enum ds_code result;

	memset(img, 0, sizeof(*img));
	result = image_get(e, ref, "/json", &reply, err);
	if (result == DS_OK)
		result = ds_model_parse_image_inspect(img, reply.body.ptr,
						      reply.body.len, err);
	ds_http_reply_free(&reply);
	return result;
}

/* GET /images/{ref}/history, parsed. */
enum ds_code ds_engine_image_history(struct ds_engine *e, const char *ref,
				     struct ds_history **out, size_t *n,
				     struct ds_err *err)
{
	enum ds_code result;
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;

	*out = NULL;
	*n = 0;
	result = image_get(e, ref, "/history", &reply, err);
	if (result == DS_OK)
		result = ds_model_parse_history(out, n, reply.body.ptr,
						reply.body.len, err);
	ds_http_reply_free(&reply);
	return result;
}

/* "/vX/images/get?names=A&names=B" into path. */
static enum ds_code images_get_path(struct ds_engine *e, struct ds_buf *path,
				    const char *const *refs, size_t n,
				    struct ds_err *err)
{
	size_t i;

	if (ds_buf_printf(path, "/v%s/images/get", e->api) != DS_OK)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		if (ds_check_length("image reference", refs[i],
				    strlen(refs[i]), DS_REF_MAX, err) != DS_OK)
			return err->code;
		if (ds_buf_puts(path, i ? "&names=" : "?names=") != DS_OK ||
		    ds_buf_url_escape(path, refs[i], 1) != DS_OK)
			return ds_err_set(err, DS_E_NOMEM, "out of memory");
	}
	return DS_OK;
}

/* A reply that is not 2xx as the engine's error (see ds_engine_call). */
static enum ds_code refused(struct ds_engine *e, const char *what,
			    const struct ds_http_reply *reply,
			    struct ds_err *err)
{
	char msg[400];

	ds_model_error_message(msg, sizeof(msg), reply->content_type,
			       reply->body.ptr,
			       reply->body.len);
	ds_err_set(err, reply->status == 404 ? DS_E_NOTFOUND : DS_E_HTTP,
		   "engine at '%s' refused %s (%ld): %s", e->url, what,
		   reply->status, msg[0] ? msg : "no message");
	if (err)
		err->status = reply->status;
	return reply->status == 404 ? DS_E_NOTFOUND : DS_E_HTTP;
}

/* GET /images/get into a sink. */
enum ds_code ds_engine_export(struct ds_engine *e, const char *const *refs,
			      size_t n, ds_http_sink_fn sink, void *ctx,
			      struct ds_http_flow *flow, struct ds_err *err)
{
	enum ds_code result;
	struct ds_buf path = DS_BUF_INIT;
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;

	memset(flow, 0, sizeof(*flow));
	result = images_get_path(e, &path, refs, n, err);
	if (result == DS_OK)
		result = ds_http_download(e->http, path.ptr, sink, ctx, &reply,
					  flow, err);
	if (result == DS_OK && (reply.status < 200 || reply.status >= 300)) {
		flow->failed_side = 1;
		result = refused(e, "GET /images/get", &reply, err);
	}
	ds_buf_free(&path);
	ds_http_reply_free(&reply);
	return result;
}

/* DELETE /images/{ref}, never forced. */
enum ds_code ds_engine_image_delete(struct ds_engine *e, const char *ref,
				    struct ds_err *err)
{
	return object_call(e, "DELETE", "images", ref, "", NULL, err);
}

/* GET /containers/{id}/json for its State.Status. */
enum ds_code ds_engine_container_state(struct ds_engine *e, const char *id,
				       char **state, struct ds_err *err)
{
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	enum ds_code result;

	*state = NULL;
	result = object_call(e, "GET", "containers", id, "/json", &reply,
			     err);
	if (result == DS_OK)
		result = ds_model_parse_container_state(state, reply.body.ptr,
							reply.body.len, err);
	ds_http_reply_free(&reply);
	return result;
}

/* GET /images/get on src into POST /images/load on dst. */
enum ds_code ds_engine_relay_images(struct ds_engine *src,
				    struct ds_engine *dst,
				    const char *const *refs, size_t n,
				    struct ds_http_flow *flow,
				    struct ds_err *err)
{
	enum ds_code result;
	struct ds_buf get = DS_BUF_INIT, post = DS_BUF_INIT;
	struct ds_http_reply got = DS_HTTP_REPLY_INIT;
	struct ds_http_reply loaded = DS_HTTP_REPLY_INIT;
	char msg[400];

	memset(flow, 0, sizeof(*flow));
	result = images_get_path(src, &get, refs, n, err);
	if (result == DS_OK &&
	    ds_buf_printf(&post, "/v%s/images/load?quiet=1", dst->api) != DS_OK)
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
	if (result == DS_OK)
		result = ds_http_relay(src->http, get.ptr, dst->http, post.ptr,
				       "application/x-tar", &got, &loaded,
				       flow, err);
	if (result != DS_OK)
		goto done;
	if (got.status < 200 || got.status >= 300) {
		flow->failed_side = 1;
		result = refused(src, "GET /images/get", &got, err);
	} else if (loaded.status < 200 || loaded.status >= 300) {
		flow->failed_side = 2;
		result = refused(dst, "POST /images/load", &loaded, err);
	} else if (ds_model_load_error(msg, sizeof(msg),
				       loaded.body.ptr,
				       loaded.body.len)) {
		flow->failed_side = 2;
		result = ds_err_set(err, DS_E_HTTP, "engine at '%s' did not "
				    "load the images: %s", dst->url, msg);
	}
done:
	ds_buf_free(&get);
	ds_buf_free(&post);
	ds_http_reply_free(&got);
	ds_http_reply_free(&loaded);
	return result;
}
/* DELETE /containers/{id}, never forced. */
enum ds_code ds_engine_container_delete(struct ds_engine *e,
					const char *id, struct ds_err *err)
{
	return object_call(e, "DELETE", "containers", id, "", NULL, err);
}

/* GET /volumes/{name}, parsed. */
enum ds_code ds_engine_volume_inspect(struct ds_engine *e, const char *name,
				      struct ds_volume *v,
				      struct ds_err *err)
{
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	enum ds_code result;

	memset(v, 0, sizeof(*v));
	result = object_call(e, "GET", "volumes", name, "", &reply, err);
	if (result == DS_OK)
		result = ds_model_parse_volume(v, reply.body.ptr,
					       reply.body.len, err);
	ds_http_reply_free(&reply);
	return result;
}

/* DELETE /volumes/{name}, never forced. */
enum ds_code ds_engine_volume_delete(struct ds_engine *e, const char *name,
				     struct ds_err *err)
{
	return object_call(e, "DELETE", "volumes", name, "", NULL, err);
}

/* GET the build-cache /system/df, parsed, one request. */
enum ds_code ds_engine_cache_list(struct ds_engine *e, struct ds_df *out,
				  struct ds_err *err)
{
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	enum ds_code result;

	memset(out, 0, sizeof(*out));
	result = ds_engine_call(e, "GET", ds_api_df_cache_path(e->api), NULL,
				0, &reply, err);
	if (result == DS_OK)
		result = ds_model_parse_df(out, reply.body.ptr,
					   reply.body.len, err);
	ds_http_reply_free(&reply);
	return result;
}

/* POST /build/prune?filters={"id":[id]}: was the record deleted? */
enum ds_code ds_engine_cache_delete(struct ds_engine *e, const char *id,
				    int *deleted, struct ds_err *err)
{
	struct ds_buf path = DS_BUF_INIT, filter = DS_BUF_INIT;
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	enum ds_code result;
	struct ds_jsonw w;

	*deleted = 0;
	ds_jsonw_init(&w, &filter);
	ds_jsonw_object(&w);
	ds_jsonw_key(&w, "id");
	ds_jsonw_array(&w);
	ds_jsonw_string(&w, id);
	ds_jsonw_end(&w);
	ds_jsonw_end(&w);
	if (ds_jsonw_finish(&w) != DS_OK ||
	    ds_buf_puts(&path, "/build/prune?filters=") != DS_OK ||
	    ds_buf_url_escape(&path, filter.ptr, 1) != DS_OK) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	result = ds_engine_call(e, "POST", path.ptr, NULL, 0, &reply, err);
	if (result == DS_OK)
		result = ds_model_build_prune_deleted(deleted, id,
						      reply.body.ptr,
						      reply.body.len, err);
done:
	ds_http_reply_free(&reply);
	ds_buf_free(&path);
	ds_buf_free(&filter);
	return result;
}
