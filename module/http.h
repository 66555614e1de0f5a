/*
 * http.h: HTTP/1.1 to the engine over a unix socket, TCP (optionally
 * TLS), or the stdin/stdout of an ssh running `docker system dial-stdio`
 * on the engine's host (ssh.h).  The only file set that calls libcurl.
 *
 * With ssh, every connection libcurl opens is one ssh process (libcurl
 * keeps the connection, so a make run has one, plus one while a stream,
 * download or relay runs): libcurl connects to a unix socket in a private directory made
 * under $TMPDIR (else /tmp) where the new ssh takes that one connection
 * as its stdin and stdout.  Closing the connection ends and reaps that
 * ssh; at exit every ssh left is ended and the directory removed (make
 * before 4.4.1 never unloads the module).  A failure in which ssh exited
 * is told from what ssh said (ds_ssh_failure).
 *
 * A TLS failure says what failed: the engine's certificate is not
 * trusted by the CA (named), no client certificate was offered (naming
 * where cert.pem and key.pem were looked for), or a CA or client
 * certificate file cannot be used (named).
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
	char *const *ssh_argv;   /* ssh command (ssh.h), or NULL; copied */
	const char *host;        /* TCP host (unix_path NULL) */
	int port;
	int tls;
	int tls_verify;
	const char *ca_file;     /* each NULL when absent */
	const char *cert_file;
	const char *key_file;
	const char *cert_dir;    /* where they were looked for, or NULL */
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

/*
 * Where a streamed transfer stands (ds_http_relay, ds_http_download):
 * bytes moved, and which side failed when one did.
 */
struct ds_http_flow {
	unsigned long long bytes;   /* body bytes taken from the source */
	size_t peak_buffered;       /* most bytes held in memory at once */
	int failed_side;            /* 0 none, 1 the GET, 2 the POST or sink */
};

/*
 * Called with each piece of a downloaded body; returns 0 to go on, or
 * non-zero to stop the transfer (then the call is DS_E_IO with the
 * message the sink left in err).
 */
typedef int (*ds_http_sink_fn)(void *ctx, const char *data, size_t len,
			       struct ds_err *err);

/*
 * GET path on a connection of its own (h's settings, no overall
 * timeout: the transfer stops only when nothing moves for h's timeout)
 * and hand the body to sink piece by piece, as it arrives, never more
 * than one piece in memory.  A reply that is not 2xx is not handed to
 * the sink: its body is read into get_reply->body (the caller frees
 * get_reply in every case) and the call is DS_OK with its status.
 */
enum ds_code ds_http_download(struct ds_http *h, const char *path,
			      ds_http_sink_fn sink, void *ctx,
			      struct ds_http_reply *get_reply,
			      struct ds_http_flow *flow, struct ds_err *err);

/* The bytes the relay holds in memory at most (its ring buffer). */
#define DS_HTTP_RELAY_RING ((size_t)4 << 20)

/*
 * Stream GET src_path on src into POST dst_path on dst (body of type
 * content_type, chunked), through a ring buffer of DS_HTTP_RELAY_RING
 * bytes: the download pauses while the ring is full, the upload while
 * it is empty, so neither the body nor a file of it ever exists here.
 * Both run on connections of their own in one curl multi, and stop when
 * nothing moves for the larger of the two handles' timeouts.
 * The POST starts only once the GET answered 2xx; a GET that is not 2xx
 * leaves its body in get_reply and sends nothing.  The POST's reply
 * (status and body, read whole) goes to post_reply.  Both replies are
 * the caller's to free in every case.  A transport failure of either
 * side is DS_E_CONNECT or DS_E_TIMEOUT naming that side's endpoint,
 * and stops both (an upload cut short is an incomplete chunked body:
 * the destination loads nothing of it); flow->failed_side says which.
 */
enum ds_code ds_http_relay(struct ds_http *src, const char *src_path,
			   struct ds_http *dst, const char *dst_path,
			   const char *content_type,
			   struct ds_http_reply *get_reply,
			   struct ds_http_reply *post_reply,
			   struct ds_http_flow *flow, struct ds_err *err);

/* Release libcurl's global state (at module unload). */
void ds_http_global_cleanup(void);

/* Free what the reply owns; it is DS_HTTP_REPLY_INIT again. */
void ds_http_reply_free(struct ds_http_reply *reply);

#endif
