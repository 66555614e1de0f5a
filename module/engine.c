/* engine.c: the Docker Engine API client (see engine.h). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apiver.h"
#include "engine.h"

struct ds_engine {
	struct ds_http *http;
	char *url;
	int remote;
	int podman;
	char api[16];
	struct ds_version version;
	int have_version;
	struct ds_info info;
	int have_info;
	long timeout_ms;
};

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
	char msg[256];

	*out = NULL;
	e = calloc(1, sizeof(*e));
	if (!e || !(e->url = strdup(ep->url))) {
		free(e);
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	}
	e->remote = ep->kind == DS_EP_TCP;
	e->timeout_ms = opts->timeout_ms;
	t.display = ep->url;
	t.unix_path = ep->kind == DS_EP_UNIX ? ep->unix_path : NULL;
	t.host = ep->host;
	t.port = ep->port;
	t.tls = ep->tls;
	t.tls_verify = ep->tls_verify;
	t.ca_file = ep->ca_file;
	t.cert_file = ep->cert_file;
	t.key_file = ep->key_file;
	t.timeout_ms = opts->timeout_ms;
	t.connect_timeout_ms = opts->timeout_ms < 10000 ? opts->timeout_ms
							: 10000;
	result = ds_http_open(&e->http, &t, err);
	if (result != DS_OK)
		goto done;
	result = ds_http_request(e->http, "GET", "/_ping", NULL, 0, NULL,
				 &ping, err);
	if (result != DS_OK)
		goto done;
	if (ping.status != 200) {
		ds_model_error_message(msg, sizeof(msg), ping.content_type,
				       ping.body.ptr ? ping.body.ptr : "",
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
	*out = e;
	e = NULL;
done:
	ds_http_reply_free(&ping);
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

/* 1 for a tcp:// engine. */
int ds_engine_is_remote(const struct ds_engine *e)
{
	return e->remote;
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
			       reply->body.ptr ? reply->body.ptr : "",
			       reply->body.len);
	result = ds_err_set(err, reply->status == 404 ? DS_E_NOTFOUND
						      : DS_E_HTTP,
			    "engine at '%s' refused %s %s (%ld): %s", e->url,
			    method, path, reply->status,
			    msg[0] ? msg : "no message");
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

	if (!e->have_info) {
		result = ds_engine_call(e, "GET", "/info", NULL, 0, &reply,
					err);
		if (result == DS_OK)
			result = ds_model_parse_info(&e->info, reply.body.ptr,
						     reply.body.len, err);
		if (result != DS_OK)
			goto done;
		e->have_info = 1;
	}
	*out = &e->info;
done:
	ds_http_reply_free(&reply);
	return result;
}

/* Milliseconds on the monotonic clock. */
static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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

/* /system/df, retried while another one is running (Docker 20.10). */
enum ds_code ds_engine_df(struct ds_engine *e, struct ds_df *out,
			  struct ds_err *err)
{
	enum ds_code result;
	struct ds_http_reply reply = DS_HTTP_REPLY_INIT;
	long long deadline = now_ms() + (e->timeout_ms ? e->timeout_ms
						       : 120000);
	long pause = 20;
	struct ds_err attempt = DS_ERR_INIT;

	for (;;) {
		ds_err_clear(&attempt);
		result = ds_engine_call(e, "GET", "/system/df", NULL, 0,
					&reply, &attempt);
		if (result != DS_E_HTTP || attempt.status != 500 ||
		    !strstr(attempt.msg, "already running") ||
		    now_ms() + pause > deadline)
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
	if (result != DS_OK)
		ds_model_df_free(out);
done:
	ds_http_reply_free(&reply);
	return result;
}
