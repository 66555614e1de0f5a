/*
 * fn_pipeline.c: make functions (see fns.h) that dockspace.mk's pipeline
 * (build-optimized, build-clean, build-service) is made of, so that what
 * it prints and keeps has one owner, here:
 *
 *   $(docker-pipeline-summary MODE,TAG,ROW...)   print the closing table
 *       (and, in GitHub Actions, append it to the step summary); a ROW
 *       is SVC:TIER:ACTION:FREE:ROOM, FREE the free bytes after the
 *       service, ROOM its WHEN=BYTES words joined by '+'
 *   $(docker-pipeline-record SVC,BYTES[,placeholder])   keep a build's
 *       (or a placeholder's) size in the state directory
 *   $(docker-ci-section start,ID,TEXT) / $(docker-ci-section end,ID)
 *       GitLab CI's collapsible-section marker, empty elsewhere
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ci.h"
#include "fns.h"
#include "state.h"
#include "summary.h"
#include "units.h"
#include "words.h"

#define ROWS_MAX 1000

/* One parsed row word and the strings its fields point to. */
struct row_word {
	char *text;   /* the word, split in place */
	struct ds_summary_row row;
	char *digest;
};

/* Split "SVC:TIER:ACTION:FREE:ROOM" (a copy in w->text) into w->row. */
static enum ds_code parse_row(const char *word, size_t len,
			      struct row_word *w, struct ds_err *err)
{
	char *field[5], *p, *end;
	int i;

	w->text = strndup(word, len);
	if (!w->text)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	p = w->text;
	for (i = 0; i < 5; i++) {
		field[i] = p;
		p = i < 4 ? strchr(p, ':') : NULL;
		if (i < 4 && !p)
			return ds_err_set(err, DS_E_ARG, "invalid summary "
					  "row '%.*s': expected "
					  "SVC:TIER:ACTION:FREE:ROOM",
					  (int)len, word);
		if (p)
			*p++ = '\0';
	}
	if (!*field[0])
		return ds_err_set(err, DS_E_ARG, "invalid summary row "
				  "'%.*s': no service", (int)len, word);
	w->row.service = field[0];
	w->row.tier = field[1];
	w->row.action = field[2];
	w->row.free_after = -1;
	if (*field[3]) {
		unsigned long long v = strtoull(field[3], &end, 10);

		if (*end || field[3][0] < '0' || field[3][0] > '9')
			return ds_err_set(err, DS_E_ARG, "invalid free bytes "
					  "'%s' in summary row of '%s'",
					  field[3], field[0]);
		w->row.free_after = (int64_t)v;
	}
	for (p = field[4]; *p; p++) {
		if (*p == '+')
			*p = ' ';
		else if (*p == '=')
			*p = ':';
	}
	w->row.room = field[4];
	return DS_OK;
}

/* Read the first line of DIR/SVC.digest (malloc'd), or NULL. */
static char *read_digest(const char *dir, const char *service)
{
	struct ds_buf path = DS_BUF_INIT, text = DS_BUF_INIT;
	struct ds_err ignored = DS_ERR_INIT;
	char *digest = NULL;

	if (ds_buf_printf(&path, "%s/%s.digest", dir, service) == DS_OK &&
	    ds_buf_read_file(&text, path.ptr, &ignored) == DS_OK &&
	    text.len)
		digest = strndup(text.ptr, strcspn(text.ptr, "\r\n"));
	ds_err_clear(&ignored);
	ds_buf_free(&path);
	ds_buf_free(&text);
	return digest;
}

/* Fill in what the state directory keeps: size and pushed digest. */
static void read_state(const char *dir, struct row_word *w)
{
	uint64_t size;
	int placeholder = strcmp(w->row.action, "placeholder") == 0;

	w->row.size = -1;
	if (ds_state_read_size(dir, w->row.service,
			       placeholder ? "placeholder-size" : "size",
			       &size))
		w->row.size = (int64_t)size;
	w->digest = read_digest(dir, w->row.service);
	w->row.digest = w->digest;
}

/* $(docker-pipeline-summary MODE,TAG,ROW...): print the closing table. */
static enum ds_code fn_summary(const struct ds_call *call,
			       unsigned int argc, char **argv,
			       struct ds_buf *out, struct ds_err *err)
{
	char *mode = ds_arg(argc, argv, 0), *tag = ds_arg(argc, argv, 1);
	char *rows_text = ds_arg(argc, argv, 2), *dir = NULL;
	char *summary = NULL;
	struct row_word *w = NULL;
	struct ds_summary_row *rows = NULL;
	struct ds_buf text = DS_BUF_INIT, md = DS_BUF_INIT;
	const char *cursor, *p;
	size_t n = 0, len, i;

	(void)out;
	w = calloc(ROWS_MAX, sizeof(*w));
	rows = calloc(ROWS_MAX, sizeof(*rows));
	dir = ds_call_state_dir(call);
	if (!w || !rows || !dir) {
		ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	for (cursor = rows_text ? rows_text : "";
	     (p = ds_word_next(&cursor, &len)) != NULL; n++) {
		if (n == ROWS_MAX) {
			ds_err_set(err, DS_E_ARG, "more than %d services in "
				   "one summary", ROWS_MAX);
			goto done;
		}
		if (parse_row(p, len, &w[n], err) != DS_OK)
			goto done;
		read_state(dir, &w[n]);
		rows[n] = w[n].row;
	}
	if (ds_buf_puts(&text, "\n") != DS_OK) {
		ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	if (ds_summary_text(&text, rows, n, err) != DS_OK)
		goto done;
	ds_call_print(text.ptr, text.len);
	if (ds_call_ci(call) == DS_CI_GITHUB &&
	    (summary = call->getvar("GITHUB_STEP_SUMMARY")) != NULL &&
	    ds_summary_markdown(&md, mode, tag, rows, n, err) == DS_OK)
		ds_ci_append_file(summary, md.ptr, md.len, err);
done:
	for (i = 0; i < n && w; i++) {
		free(w[i].text);
		free(w[i].digest);
	}
	free(w);
	free(rows);
	free(dir);
	free(summary);
	free(mode);
	free(tag);
	free(rows_text);
	ds_buf_free(&text);
	ds_buf_free(&md);
	return err->code;
}

/* $(docker-pipeline-record SVC,BYTES[,placeholder]): keep a size. */
static enum ds_code fn_record(const struct ds_call *call,
			      unsigned int argc, char **argv,
			      struct ds_buf *out, struct ds_err *err)
{
	char *svc = ds_arg(argc, argv, 0), *bytes = ds_arg(argc, argv, 1);
	char *kind = ds_arg(argc, argv, 2), *dir = NULL, *end;
	unsigned long long v = 0;

	(void)out;
	if (!svc || !bytes)
		ds_err_set(err, DS_E_ARG, "give the service and its bytes, "
			   "e.g. $(docker-pipeline-record api,14300000)");
	else if (kind && strcmp(kind, "placeholder") != 0)
		ds_err_set(err, DS_E_ARG, "invalid kind '%s': expected "
			   "'placeholder' or nothing", kind);
	else if (bytes[0] < '0' || bytes[0] > '9' ||
		 (v = strtoull(bytes, &end, 10), *end))
		ds_err_set(err, DS_E_ARG, "invalid size '%s' for '%s': "
			   "expected bytes", bytes, svc);
	else if (!(dir = ds_call_state_dir(call)))
		ds_err_set(err, DS_E_NOMEM, "out of memory");
	else
		ds_state_write_size(dir, svc, kind ? "placeholder-size" :
				    "size", v, err);
	free(svc);
	free(bytes);
	free(kind);
	free(dir);
	return err->code;
}

/* $(docker-ci-section start,ID,TEXT | end,ID): GitLab's marker. */
static enum ds_code fn_section(const struct ds_call *call,
			       unsigned int argc, char **argv,
			       struct ds_buf *out, struct ds_err *err)
{
	char *what = ds_arg(argc, argv, 0), *id = ds_arg(argc, argv, 1);
	char *header = ds_arg(argc, argv, 2);
	int start = what && strcmp(what, "start") == 0;
	enum ds_code result = DS_OK;

	if (!what || (!start && strcmp(what, "end") != 0) || !id)
		ds_err_set(err, DS_E_ARG, "give start,ID,TEXT or end,ID, e.g. "
			   "$(docker-ci-section start,build_api,building "
			   "api)");
	else if (ds_call_ci(call) == DS_CI_GITLAB)
		result = start ? ds_ci_section_start(out, id, header ? header
						     : "", 1, time(NULL))
			       : ds_ci_section_end(out, id, time(NULL));
	if (result != DS_OK)
		ds_err_set(err, result, "out of memory");
	else if (out->len && out->ptr[out->len - 1] == '\n')
		out->ptr[--out->len] = '\0';   /* make adds its own */
	free(what);
	free(id);
	free(header);
	return err->code;
}

/* The functions this file adds to make. */
const struct ds_fn ds_fns_pipeline[] = {
	{ "docker-pipeline-summary", fn_summary, 3, "MODE,TAG,ROW..." },
	{ "docker-pipeline-record", fn_record, 3,
	  "SVC,BYTES[,placeholder]" },
	{ "docker-ci-section", fn_section, 3, "start,ID,TEXT|end,ID" },
	{ NULL, NULL, 0, NULL }
};
