/*
 * engine.h: the Docker Engine API client (Docker and Podman).
 *
 * ds_engine_connect() pings the engine once, negotiates the API version
 * (the lower of the engine's and DS_API_MAX, or the pinned one, at most
 * DS_API_MAX; see apiver.h) and
 * tells Docker from Podman.  Later calls reuse the connection.  Every
 * reply with an error status becomes DS_E_HTTP (DS_E_NOTFOUND for 404)
 * with the engine's own message, whatever shape the engine sent it in.
 * /version and /info are asked once and cached; /system/df is asked
 * every time (free space changes during a run).
 *
 * Between make runs (opts->cache_dir, unix sockets only, see cache.h):
 * the same daemon process (peer.h) is not pinged again and its /info is
 * not asked again; and a /system/df asked with may_reuse is answered from
 * the last one when nothing can have changed since: Docker (not
 * Podman), no container was running, BuildKit's database is untouched,
 * the daemon's event log has no event since, and it is at most
 * cache_ttl seconds old.
 *
 * Memory: the engine owns what ds_engine_version/ds_engine_info return
 * (valid until ds_engine_close); a struct ds_df filled by ds_engine_df
 * belongs to the caller (ds_model_df_free).
 */
#ifndef DS_ENGINE_H
#define DS_ENGINE_H

#include "endpoint.h"
#include "error.h"
#include "http.h"
#include "model.h"

#define DS_API_MIN "1.41"
#define DS_API_MAX "1.54"

struct ds_engine;

struct ds_engine_opts {
	const char *pinned_api;   /* DOCKER_API_VERSION, or NULL */
	long timeout_ms;          /* per request */
	const char *cache_dir;    /* keep replies between runs here, or NULL */
	long cache_ttl;           /* seconds a /system/df may be reused */
};

/* Connect to ep (copied) and negotiate; the caller closes. */
enum ds_code ds_engine_connect(struct ds_engine **out,
			       const struct ds_endpoint *ep,
			       const struct ds_engine_opts *opts,
			       struct ds_err *err);

/* Close the connection and free everything; NULL is fine. */
void ds_engine_close(struct ds_engine *e);

/* The negotiated API version, e.g. "1.41". */
const char *ds_engine_api(const struct ds_engine *e);

/* 1 when the engine is Podman (its compatible API). */
int ds_engine_is_podman(const struct ds_engine *e);

/* "unix:///path", "tcp://host:port" or "ssh://user@host:port". */
const char *ds_engine_url(const struct ds_engine *e);

/* 1 for a tcp:// or ssh:// engine (its disk is not this host's). */
int ds_engine_is_remote(const struct ds_engine *e);

/* 1 for an ssh:// engine (ds_engine_ssh_run works). */
int ds_engine_is_ssh(const struct ds_engine *e);

/*
 * Run a command (words, NULL-terminated, each quoted for the remote
 * shell by the caller) on an ssh:// engine's host through ssh with the
 * engine's ssh options, and append its stdout to out (the caller's).
 * A failure is one line naming the engine (ssh.h).
 */
enum ds_code ds_engine_ssh_run(struct ds_engine *e, const char *const *words,
			       struct ds_buf *out, struct ds_err *err);

/* /version, asked once. */
enum ds_code ds_engine_version(struct ds_engine *e,
			       const struct ds_version **out,
			       struct ds_err *err);

/* /info, asked once. */
enum ds_code ds_engine_info(struct ds_engine *e, const struct ds_info **out,
			    struct ds_err *err);

/*
 * /system/df, retried with a growing pause (20 ms up to 640 ms) while
 * the engine answers 5xx (Docker 20.10's "already running", a "layer ...
 * not found" while images are being deleted, a busy daemon), for at most
 * the request timeout (DOCKSPACE_TIMEOUT, 120 s when 0) in all; then the
 * last error is returned.
 * On Podman the image list comes from /images/json (full names).  With
 * may_reuse, the last one may answer (see above): only for showing
 * figures, never for deciding what to delete.
 */
enum ds_code ds_engine_df(struct ds_engine *e, struct ds_df *out,
			  int may_reuse, struct ds_err *err);

/*
 * GET /images/{ref}/{what} ("json", "history") into reply (the caller
 * frees it in every case).  ref is URL-escaped and its length checked;
 * an image the engine does not have is DS_E_NOTFOUND, "no image 'REF'
 * in the engine at 'URL'".
 */
enum ds_code ds_engine_image_get(struct ds_engine *e, const char *ref,
				 const char *what,
				 struct ds_http_reply *reply,
				 struct ds_err *err);

/*
 * An image's history (by ID or reference), newest step first; the list
 * is the caller's to free with ds_model_history_free().  An image the
 * engine does not have is DS_E_NOTFOUND.
 */
enum ds_code ds_engine_history(struct ds_engine *e, const char *id,
			       struct ds_history **out, size_t *n,
			       struct ds_err *err);

/*
 * One versioned request: METHOD /vX.Y<path>.  A 2xx reply is DS_OK;
 * anything else is an error carrying the engine's message.  The reply
 * is the caller's to free (ds_http_reply_free) in every case.
 */
enum ds_code ds_engine_call(struct ds_engine *e, const char *method,
			    const char *path, const char *body,
			    size_t body_len, struct ds_http_reply *reply,
			    struct ds_err *err);

/* How to follow the engine's events (see ds_engine_stream_events). */
struct ds_engine_events_opts {
	const char *const *types;  /* e.g. {"image", "container", NULL}; or
				    * NULL for every type */
	long duration_ms;          /* stop after this; 0 = never */
	const volatile sig_atomic_t *stop; /* stop when non-zero; or NULL */
	void (*on_open)(void *ctx);         /* the engine took the request */
	/* Each event as it arrives (the event is freed after the call); a
	 * non-zero return stops following. */
	int (*on_event)(void *ctx, const struct ds_event *ev);
	void *ctx;
};

/*
 * Follow GET /events (ds_http_stream) until duration_ms passes, *stop
 * becomes non-zero, on_event returns non-zero or the engine ends the
 * stream; *end says which.  It runs on a connection of its own, so the
 * callbacks may use e (ds_engine_df, ds_space_measure...).  A refused
 * request is the engine's error as ds_engine_call reports it; a line
 * that is not an event is DS_E_PROTOCOL.
 */
enum ds_code ds_engine_stream_events(struct ds_engine *e,
				     const struct ds_engine_events_opts *opts,
				     enum ds_http_stream_end *end,
				     struct ds_err *err);

/*
 * GET /images/get?names=REF... (a `docker save` archive of the images)
 * handed to sink piece by piece as it arrives (ds_http_download): never
 * whole in memory.  A refusal is the engine's error as ds_engine_call
 * reports it; flow says how far it went and which side failed.
 */
enum ds_code ds_engine_export(struct ds_engine *e, const char *const *refs,
			      size_t n, ds_http_sink_fn sink, void *ctx,
			      struct ds_http_flow *flow, struct ds_err *err);

/*
 * Stream the images refs (n) from src into dst: GET /images/get into
 * POST /images/load?quiet=1 (ds_http_relay: a bounded ring, no file).
 * A refusal of either is that engine's error; an error inside dst's
 * 200 JSON stream (a full disk, a broken archive) is DS_E_HTTP with its
 * text.  flow->failed_side: 1 the source, 2 the destination.
 */
enum ds_code ds_engine_relay_images(struct ds_engine *src,
				    struct ds_engine *dst,
				    const char *const *refs, size_t n,
				    struct ds_http_flow *flow,
				    struct ds_err *err);

#endif
