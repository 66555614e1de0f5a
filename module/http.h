/*
 * http.h: HTTP/1.1 to the engine over a unix socket or TCP (optionally
 * TLS).  The only file set that calls libcurl.
 *
 * One struct ds_http keeps one connection open for the whole make run.
 * Statuses are not judged here: any complete reply is DS_OK and the
 * caller reads reply->status.  Transport failures are DS_E_CONNECT or
 * DS_E_TIMEOUT with a message naming target->display.
 */
#ifndef DS_HTTP_H
#define DS_HTTP_H

#include <signal.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"

struct ds_http_target {
	const char *display;     /* endpoint as users wrote it, for messages */
	const char *unix_path;   /* socket path, or NULL for TCP */
	const char *host;        /* TCP host (unix_path NULL) */
	int port;
	int tls;
	int tls_verify;
	const char *ca_file;     /* each NULL when absent */
	const char *cert_file;
	const char *key_file;
	long connect_timeout_ms;
	long timeout_ms;         /* whole request; 0 = none */
};

struct ds_http_reply {
	long status;
	char content_type[128];
	char api_version[32];        /* Api-Version header, "" if none */
	char libpod_api_version[32]; /* Libpod-Api-Version, "" if none */
	struct ds_buf body;          /* owned; see ds_http_reply_free */
};

#define DS_HTTP_REPLY_INIT { 0, "", "", "", DS_BUF_INIT }

struct ds_http;

/* Prepare a connection to target (strings are copied); caller closes. */
enum ds_code ds_http_open(struct ds_http **out,
			  const struct ds_http_target *target,
			  struct ds_err *err);

/* Close the connection and free it; NULL is fine. */
void ds_http_close(struct ds_http *h);

/* The longest request path sent (a reference is at most 4096). */
#define DS_HTTP_PATH_MAX 16384

/*
 * Send METHOD path (path starts with "/", query included) with an
 * optional body (application/json when body_type is NULL) and read the
 * whole reply into *reply, which the caller frees with
 * ds_http_reply_free() whatever the result.  A path longer than
 * DS_HTTP_PATH_MAX is DS_E_ARG, and nothing is sent.
 */
enum ds_code ds_http_request(struct ds_http *h, const char *method,
			     const char *path, const char *body,
			     size_t body_len, const char *body_type,
			     struct ds_http_reply *reply, struct ds_err *err);

/* How a streamed reply ended (see ds_http_stream). */
enum ds_http_stream_end {
	DS_STREAM_CLOSED,    /* the engine ended the reply */
	DS_STREAM_DEADLINE,  /* duration_ms passed */
	DS_STREAM_STOPPED    /* *stop was set, or on_line asked to stop */
};

/* How to follow a streamed reply (see ds_http_stream). */
struct ds_http_stream_opts {
	long duration_ms;                   /* stop after this; 0 = never */
	const volatile sig_atomic_t *stop;  /* stop when non-zero; or NULL */
	/* Called once the reply's headers are in, with its status. */
	void (*on_open)(void *ctx, long status);
	/* Called with each line of a 2xx body as it arrives (without its
	 * line feed); a non-zero return stops the stream. */
	int (*on_line)(void *ctx, const char *line, size_t len);
	void *ctx;
};

/*
 * GET path and hand each line of the reply's body to opts->on_line as
 * soon as it arrives, until the engine ends the reply, duration_ms
 * passes, *stop becomes non-zero or on_line returns non-zero (*end says
 * which; all of them are DS_OK).  The request runs on a connection of
 * its own (a copy of h's settings without the overall timeout), so h
 * may be used from the callbacks.  Time limits are checked about once a
 * second, and at every line.  A reply that is not 2xx is not streamed:
 * its body is read into reply->body; reply (status and headers either
 * way) is the caller's to free with ds_http_reply_free().  A line
 * longer than 1 MiB is DS_E_PROTOCOL.
 */
enum ds_code ds_http_stream(struct ds_http *h, const char *path,
			    const struct ds_http_stream_opts *opts,
			    struct ds_http_reply *reply,
			    enum ds_http_stream_end *end,
			    struct ds_err *err);

/* Release libcurl's global state (at module unload). */
void ds_http_global_cleanup(void);

/* Free what the reply owns; it is DS_HTTP_REPLY_INIT again. */
void ds_http_reply_free(struct ds_http_reply *reply);

#endif
