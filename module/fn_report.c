/*
 * fn_report.c: make functions (see fns.h) for checkpoints, reports and
 * monitoring.  The file I/O and the printing live here; the run log's
 * format and every rendering are in report.c.
 *
 *   $(docker-checkpoint LABEL)          measure, append to the run log,
 *                                       print "[LABEL] free X (Δ ...)"
 *   $(docker-report-text [text|markdown]) the run log rendered
 *   $(docker-report)                    print the report (and CI output)
 *   $(docker-monitor [DURATION])        print engine events as they come
 *
 * Each expands to empty but docker-report-text.  What is printed goes to
 * stdout and is flushed at once, so that it reaches the terminal (or the
 * CI log) as it happens.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ci.h"
#include "fns.h"
#include "os.h"
#include "report.h"
#include "units.h"
#include "words.h"

/*
 * The run log's path into path: DOCKSPACE_LOG, else
 * $(DOCKSPACE_STATE_DIR)/checkpoints.tsv, DOCKSPACE_STATE_DIR being
 * .dockspace when unset.
 */
static enum ds_code log_path(const struct ds_call *call, struct ds_buf *path,
			     struct ds_err *err)
{
	char *log = call->getvar("DOCKSPACE_LOG");
	char *dir = log ? NULL : call->getvar("DOCKSPACE_STATE_DIR");
	enum ds_code result;

	if (log)
		result = ds_buf_puts(path, log);
	else
		result = ds_buf_printf(path, "%s/checkpoints.tsv",
				       dir ? dir : ".dockspace");
	free(log);
	free(dir);
	if (result != DS_OK)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	return DS_OK;
}

/* Record a failed system call on path as DS_E_IO. */
static enum ds_code io_error(struct ds_err *err, const char *what,
			     const char *path)
{
	char reason[128];

	return ds_err_set(err, DS_E_IO, "cannot %s '%s': %s", what, path,
			  ds_errno_text(errno, reason, sizeof(reason)));
}

/* Read what the open file fd holds, from its start, into b. */
static enum ds_code read_fd(int fd, struct ds_buf *b, const char *path,
			    struct ds_err *err)
{
	char chunk[8192];
	off_t at = 0;
	ssize_t n;

	for (;;) {
		n = pread(fd, chunk, sizeof(chunk), at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return io_error(err, "read", path);
		if (n == 0)
			return DS_OK;
		if (ds_buf_add(b, chunk, (size_t)n) != DS_OK)
			return ds_err_set(err, DS_E_NOMEM, "run log '%s' is "
					  "too large", path);
		at += n;
	}
}

/* Write all of text to fd. */
static enum ds_code write_all(int fd, const char *text, size_t len,
			      const char *path, struct ds_err *err)
{
	ssize_t n;

	while (len) {
		n = write(fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return io_error(err, "write", path);
		text += n;
		len -= (size_t)n;
	}
	return DS_OK;
}

/*
 * Append cp to the run log at path, creating it (and its directory)
 * when missing, under an exclusive lock so that parallel checkpoints
 * (make -j) each see the one before.  The newest checkpoint already in
 * the log is copied to *prev (its label malloc'd) and *have_prev set.
 */
static enum ds_code append_checkpoint(const char *path,
				      const struct ds_checkpoint *cp,
				      struct ds_checkpoint *prev,
				      int *have_prev, struct ds_err *err)
{
	enum ds_code result;
	struct ds_buf text = DS_BUF_INIT, line = DS_BUF_INIT;
	struct ds_checkpoint_log log = { 0 };
	const struct ds_checkpoint *last;
	int fd = -1;

	*have_prev = 0;
	result = ds_os_mkdir_parents(path, err);
	if (result != DS_OK)
		goto done;
	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		result = io_error(err, "open run log", path);
		goto done;
	}
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			result = io_error(err, "lock run log", path);
			goto done;
		}
	}
	result = read_fd(fd, &text, path, err);
	if (result == DS_OK)
		result = ds_report_parse_log(&log, text.ptr,
					     text.len, err);
	if (result != DS_OK)
		goto done;
	last = ds_report_last(&log);
	if (last) {
		*prev = *last;
		prev->label = strdup(last->label);
		*have_prev = prev->label != NULL;
	}
	/* one write: a new file's header, the end of a line cut short */
	if ((text.len == 0 &&
	     ds_buf_puts(&line, DS_REPORT_LOG_HEADER) != DS_OK) ||
	    (log.unterminated && ds_buf_puts(&line, "\n") != DS_OK) ||
	    ds_report_log_line(&line, cp) != DS_OK) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	result = write_all(fd, line.ptr, line.len, path, err);
done:
	if (fd >= 0 && close(fd) != 0 && result == DS_OK)
		result = io_error(err, "write", path);
	ds_report_log_free(&log);
	ds_buf_free(&text);
	ds_buf_free(&line);
	return result;
}

/* $(docker-checkpoint LABEL): measure, log, print; expands to empty. */
static enum ds_code fn_checkpoint(const struct ds_call *call,
				  unsigned int argc, char **argv,
				  struct ds_buf *out, struct ds_err *err)
{
	struct ds_buf label = DS_BUF_INIT, path = DS_BUF_INIT;
	struct ds_buf line = DS_BUF_INIT;
	struct ds_checkpoint cp = { 0 }, prev = { 0 };
	struct ds_space space;
	struct ds_df df = { 0 };
	struct ds_engine *e = NULL;
	int have_prev = 0;

	(void)out;
	if (ds_report_label(&label, argc ? argv[0] : "", err) != DS_OK ||
	    log_path(call, &path, err) != DS_OK ||
	    ds_call_measure(call, NULL, &space, err) != DS_OK ||
	    call->engine(&e, err) != DS_OK ||
	    ds_engine_df(e, &df, 1, err) != DS_OK)
		goto done;
	cp.time = (int64_t)time(NULL);
	cp.label = label.ptr;
	cp.free = space.free;
	cp.used = ds_space_engine_used(&df);
	if (append_checkpoint(path.ptr, &cp, &prev, &have_prev, err) != DS_OK)
		goto done;
	if (ds_report_checkpoint_line(&line, &cp, have_prev ? &prev : NULL)
	    != DS_OK) {
		ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	ds_call_print(line.ptr, line.len);
	if (ds_call_ci(call) == DS_CI_GITHUB) {
		ds_call_output_number(call, "free_bytes", (int64_t)cp.free);
		ds_call_output_number(call, "used_bytes", (int64_t)cp.used);
	}
done:
	ds_model_df_free(&df);
	free(prev.label);
	ds_buf_free(&label);
	ds_buf_free(&path);
	ds_buf_free(&line);
	return err->code;
}

/*
 * Read and parse the run log (a missing one is empty); damaged lines
 * are a warning naming the first.
 */
static enum ds_code load_log(const struct ds_call *call, const char *path,
			     struct ds_checkpoint_log *log,
			     struct ds_err *err)
{
	enum ds_code result;
	struct ds_buf text = DS_BUF_INIT;
	struct ds_err local = DS_ERR_INIT;
	char msg[600];

	memset(log, 0, sizeof(*log));
	result = ds_buf_read_file(&text, path, &local);
	if (result == DS_E_NOTFOUND)
		result = DS_OK;
	else if (result != DS_OK)
		result = ds_err_set(err, result, "%s", local.msg);
	if (result == DS_OK)
		result = ds_report_parse_log(log, text.ptr,
					     text.len, err);
	if (result == DS_OK && log->damaged) {
		snprintf(msg, sizeof(msg), "run log '%s': skipped %zu damaged "
			 "line%s (the first is line %zu)", path, log->damaged,
			 log->damaged == 1 ? "" : "s", log->first_damaged);
		call->warn(msg);
	}
	ds_buf_free(&text);
	return result;
}

/* $(docker-report-text [text|markdown]): the run log rendered. */
static enum ds_code fn_report_text(const struct ds_call *call,
				   unsigned int argc, char **argv,
				   struct ds_buf *out, struct ds_err *err)
{
	struct ds_buf path = DS_BUF_INIT;
	struct ds_checkpoint_log log = { 0 };
	char *format = ds_arg(argc, argv, 0);
	int markdown = format && strcmp(format, "markdown") == 0;

	if (format && !markdown && strcmp(format, "text") != 0)
		ds_err_set(err, DS_E_ARG, "unknown format '%s': use 'text' "
			   "or 'markdown'", format);
	else if (log_path(call, &path, err) == DS_OK &&
		 load_log(call, path.ptr, &log, err) == DS_OK &&
		 (markdown ? ds_report_markdown(out, &log)
			   : ds_report_text(out, &log)) != DS_OK)
		ds_err_set(err, DS_E_NOMEM, "out of memory");
	/* like $(shell): no line feeds at the end */
	while (err->code == DS_OK && out->len && out->ptr[out->len - 1] == '\n')
		out->ptr[--out->len] = '\0';
	ds_report_log_free(&log);
	ds_buf_free(&path);
	free(format);
	return err->code;
}

/*
 * In GitHub Actions: the Markdown report appended to the step summary
 * and the key figures written to the step's outputs (each only when its
 * variable names a file).  Failures to write are warnings.
 */
static void report_to_github(const struct ds_call *call,
			     const struct ds_checkpoint_log *log)
{
	struct ds_buf md = DS_BUF_INIT;
	struct ds_err err = DS_ERR_INIT;
	char *summary = call->getvar("GITHUB_STEP_SUMMARY");
	const struct ds_checkpoint *first, *last, *low;
	size_t i;

	if (summary && ds_report_markdown(&md, log) == DS_OK &&
	    ds_ci_append_file(summary, md.ptr, md.len, &err) != DS_OK)
		call->warn(err.msg);
	free(summary);
	ds_buf_free(&md);
	if (!log->n)
		return;
	first = &log->items[0];
	last = ds_report_last(log);
	low = first;
	for (i = 1; i < log->n; i++)
		if (log->items[i].free < low->free)
			low = &log->items[i];
	ds_call_output_number(call, "checkpoints", (int64_t)log->n);
	ds_call_output_number(call, "free_bytes", (int64_t)last->free);
	ds_call_output_number(call, "used_bytes", (int64_t)last->used);
	ds_call_output_number(call, "free_delta_bytes",
			      ds_report_diff(last->free, first->free));
	ds_call_output_number(call, "min_free_bytes", (int64_t)low->free);
}

/* $(docker-report): print the report; CI output too; expands to empty. */
static enum ds_code fn_report(const struct ds_call *call, unsigned int argc,
			      char **argv, struct ds_buf *out,
			      struct ds_err *err)
{
	struct ds_buf path = DS_BUF_INIT, text = DS_BUF_INIT;
	struct ds_checkpoint_log log = { 0 };
	enum ds_ci ci = ds_call_ci(call);
	enum ds_code result;

	(void)argc;
	(void)argv;
	(void)out;
	if (log_path(call, &path, err) != DS_OK ||
	    load_log(call, path.ptr, &log, err) != DS_OK)
		goto done;
	result = ci == DS_CI_GITLAB
		 ? ds_ci_section_start(&text, "dockspace_report",
				       "dockspace: free space by checkpoint",
				       0, (int64_t)time(NULL))
		 : DS_OK;
	if (result == DS_OK && !log.n)
		result = ds_buf_printf(&text, "dockspace: no checkpoints in "
				       "'%s' yet: add $(docker-checkpoint "
				       "LABEL) to recipes\n", path.ptr);
	else if (result == DS_OK)
		result = ds_report_text(&text, &log);
	if (result == DS_OK && ci == DS_CI_GITLAB)
		result = ds_ci_section_end(&text, "dockspace_report",
					   (int64_t)time(NULL));
	if (result != DS_OK) {
		ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	ds_call_print(text.ptr, text.len);
	if (ci == DS_CI_GITHUB)
		report_to_github(call, &log);
done:
	ds_report_log_free(&log);
	ds_buf_free(&path);
	ds_buf_free(&text);
	return err->code;
}

/* The signal that interrupted docker-monitor, or 0. */
static volatile sig_atomic_t interrupted;

/* Note the signal; the stream stops at its next check. */
static void on_interrupt(int sig)
{
	interrupted = sig;
}

/* The signals docker-monitor stops at. */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define N_STOP_SIGNALS (sizeof(stop_signals) / sizeof(stop_signals[0]))

/* Catch the stop signals (those not ignored), keeping the old actions. */
static void catch_signals(struct sigaction *old)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt;
	sa.sa_flags = SA_RESTART; /* poll() still wakes libcurl up */
	sigemptyset(&sa.sa_mask);
	interrupted = 0;
	for (i = 0; i < N_STOP_SIGNALS; i++) {
		sigaction(stop_signals[i], NULL, &old[i]);
		if (old[i].sa_handler != SIG_IGN)
			sigaction(stop_signals[i], &sa, NULL);
	}
}

/* Put the old actions back. */
static void restore_signals(const struct sigaction *old)
{
	size_t i;

	for (i = 0; i < N_STOP_SIGNALS; i++)
		sigaction(stop_signals[i], &old[i], NULL);
}

/* docker-monitor's state while it follows the events. */
struct monitor {
	const struct ds_call *call;
	const char *url;
	const char *duration;     /* as given, or NULL */
	uint64_t first_free;      /* at the start */
	uint64_t free;            /* after the last event shown */
	size_t shown;             /* events printed */
	struct ds_err *err;
	enum ds_code failed;      /* measuring failed */
};

/* The engine took the request: say what is followed, from when. */
static void monitor_open(void *ctx)
{
	struct monitor *m = ctx;
	struct ds_buf b = DS_BUF_INIT;
	char size[32];

	ds_buf_printf(&b, "dockspace: docker-monitor: following image and "
		      "container events of '%s' %s%s; free %s\n", m->url,
		      m->duration ? "for " : "until interrupted",
		      m->duration ? m->duration : "",
		      ds_size_human(m->free, size, sizeof(size)));
	if (ds_buf_error(&b) == DS_OK)
		ds_call_print(b.ptr, b.len);
	ds_buf_free(&b);
}

/* Print one event with the free space after it; 1 to stop. */
static int monitor_event(void *ctx, const struct ds_event *ev)
{
	struct monitor *m = ctx;
	struct ds_space space;
	struct ds_buf line = DS_BUF_INIT;
	int64_t delta;

	if (!ds_report_event_shown(ev))
		return 0;
	m->failed = ds_call_measure(m->call, NULL, &space, m->err);
	if (m->failed != DS_OK)
		return 1;
	delta = ds_report_diff(space.free, m->free);
	m->free = space.free;
	if (ds_report_event_line(&line, ev, space.free, delta) != DS_OK) {
		m->failed = ds_err_set(m->err, DS_E_NOMEM, "out of memory");
		ds_buf_free(&line);
		return 1;
	}
	ds_call_print(line.ptr, line.len);
	ds_buf_free(&line);
	m->shown++;
	return 0;
}

/* Print the closing line: how many events, how long, free before/after. */
static void monitor_close(const struct monitor *m, double seconds,
			  const char *why)
{
	struct ds_buf b = DS_BUF_INIT;
	char before[32], after[32], delta[40];

	ds_buf_printf(&b, "dockspace: docker-monitor: %zu event%s in %.0fs; "
		      "free %s -> %s (\u0394 %s); %s\n", m->shown,
		      m->shown == 1 ? "" : "s", seconds,
		      ds_size_human(m->first_free, before, sizeof(before)),
		      ds_size_human(m->free, after, sizeof(after)),
		      ds_report_delta_human(ds_report_diff(m->free,
							   m->first_free),
					    delta, sizeof(delta)), why);
	if (ds_buf_error(&b) == DS_OK)
		ds_call_print(b.ptr, b.len);
	ds_buf_free(&b);
}

/* $(docker-monitor [DURATION]): print events until DURATION or a signal. */
static enum ds_code fn_monitor(const struct ds_call *call,
			       unsigned int argc, char **argv,
			       struct ds_buf *out, struct ds_err *err)
{
	static const char *const types[] = { "image", "container", NULL };
	struct ds_engine_events_opts opts = { 0 };
	struct monitor m = { 0 };
	struct sigaction old[N_STOP_SIGNALS];
	struct ds_space space;
	struct ds_engine *e = NULL;
	struct ds_buf mark = DS_BUF_INIT;
	enum ds_http_stream_end end = DS_STREAM_CLOSED;
	enum ds_ci ci = ds_call_ci(call);
	char *duration = ds_arg(argc, argv, 0);
	uint64_t secs = 0;
	double start;
	int sig;

	(void)out;
	if (duration && (ds_duration_parse(duration, &secs, err) != DS_OK ||
			 secs == 0)) {
		ds_err_set(err, DS_E_ARG, "a duration above 0 is needed, "
			   "e.g. 30s, 10m or 1h30m");
		goto done;
	}
	if (call->engine(&e, err) != DS_OK ||
	    ds_call_measure(call, NULL, &space, err) != DS_OK)
		goto done;
	m.call = call;
	m.url = ds_engine_url(e);
	m.duration = duration;
	m.first_free = m.free = space.free;
	m.err = err;
	opts.types = types;
	opts.duration_ms = secs > (uint64_t)(LONG_MAX / 1000)
			   ? LONG_MAX / 1000 * 1000 : (long)secs * 1000;
	opts.stop = &interrupted;
	opts.on_open = monitor_open;
	opts.on_event = monitor_event;
	opts.ctx = &m;
	if (ci == DS_CI_GITLAB &&
	    ds_ci_section_start(&mark, "dockspace_monitor",
				"dockspace: docker-monitor", 1,
				(int64_t)time(NULL)) == DS_OK)
		ds_call_print(mark.ptr, mark.len);
	start = (double)ds_os_mono_ms() / 1e3;
	catch_signals(old);
	if (ds_engine_stream_events(e, &opts, &end, err) == DS_OK &&
	    m.failed == DS_OK)
		monitor_close(&m, (double)ds_os_mono_ms() / 1e3 - start,
			      interrupted ? "interrupted"
			      : end == DS_STREAM_DEADLINE ? "time is up"
			      : "the engine ended the event stream");
	restore_signals(old);
	ds_buf_reset(&mark);
	if (ci == DS_CI_GITLAB &&
	    ds_ci_section_end(&mark, "dockspace_monitor",
			      (int64_t)time(NULL)) == DS_OK)
		ds_call_print(mark.ptr, mark.len);
	sig = interrupted;
	interrupted = 0;
	if (sig)
		raise(sig); /* now make's own handling of the signal */
done:
	ds_buf_free(&mark);
	free(duration);
	return err->code;
}

/* The functions this file adds to make. */
const struct ds_fn ds_fns_report[] = {
	{ "docker-checkpoint", fn_checkpoint, 1, "LABEL" },
	{ "docker-report-text", fn_report_text, 1, "[text|markdown]" },
	{ "docker-report", fn_report, 0, NULL },
	{ "docker-monitor", fn_monitor, 1, "[DURATION]" },
	{ NULL, NULL, 0, NULL }
};
