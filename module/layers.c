/* layers.c: where an image's bytes are (see layers.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "layers.h"
#include "table.h"
#include "units.h"

/* Dockerfile instructions, as BuildKit writes them at the start. */
static const char *const keywords[] = {
	"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM",
	"HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL",
	"STOPSIGNAL", "USER", "VOLUME", "WORKDIR", NULL
};

/* Shells whose "-c" introduces the command. */
static const char *const shells[] = {
	"sh", "bash", "ash", "dash", "zsh", "ksh", NULL
};

/* Whether s starts with prefix. */
static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Whether c is white space or a control byte. */
static int is_blank_byte(char c)
{
	return (unsigned char)c <= ' ' || c == 0x7f;
}

/* Append s with runs of white space as one space, both ends trimmed. */
static enum ds_code fold(struct ds_buf *out, const char *s, size_t len)
{
	enum ds_code result = DS_OK;
	size_t i = 0, start = out->len;
	int space = 0;

	for (; i < len && result == DS_OK; i++) {
		if (is_blank_byte(s[i])) {
			space = 1;
			continue;
		}
		if (space && out->len > start)
			result = ds_buf_add(out, " ", 1);
		space = 0;
		if (result == DS_OK)
			result = ds_buf_add(out, s + i, 1);
	}
	return result;
}

/* Skip the blanks at s. */
static const char *skip_spaces(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

/* The length of the word at s. */
static size_t word_len(const char *s)
{
	return strcspn(s, " ");
}

/*
 * After the build arguments a builder puts before a RUN command,
 * "|2 A=1 B=2 ", or s itself when there are none.
 */
static const char *skip_build_args(const char *s)
{
	const char *p = s;
	long n = 0;

	if (*p != '|' || p[1] < '0' || p[1] > '9')
		return s;
	for (p++; *p >= '0' && *p <= '9' && n < 100000; p++)
		n = n * 10 + (*p - '0');
	if (*p != ' ')
		return s;
	p = skip_spaces(p);
	for (; n > 0 && *p; n--)
		p = skip_spaces(p + word_len(p));
	return p;
}

/* Whether the n bytes at w are a shell's path (its base name). */
static int is_shell(const char *w, size_t n)
{
	const char *base = w;
	size_t i;

	for (i = 0; i < n; i++)
		if (w[i] == '/')
			base = w + i + 1;
	n -= (size_t)(base - w);
	for (i = 0; shells[i]; i++)
		if (strlen(shells[i]) == n && strncmp(base, shells[i], n) == 0)
			return 1;
	return 0;
}

/* Whether the word (n bytes) is -c or a cluster ending in it (-ec). */
static int is_dash_c(const char *w, size_t n)
{
	size_t i;

	if (n < 2 || w[0] != '-' || w[1] == '-' || w[n - 1] != 'c')
		return 0;
	for (i = 1; i < n; i++)
		if (!((w[i] >= 'a' && w[i] <= 'z') ||
		      (w[i] >= 'A' && w[i] <= 'Z')))
			return 0;
	return 1;
}

/*
 * After a shell invocation ("/bin/sh -c ", "/bin/bash -o pipefail -c ",
 * "/bin/busybox sh -c "), or NULL when s does not start with one.
 */
static const char *skip_shell(const char *s)
{
	size_t n = word_len(s);
	const char *p;
	int i, option_value = 0;

	/* "busybox sh -c", as a FROM scratch image may run it */
	if (n >= 7 && strncmp(s + n - 7, "busybox", 7) == 0 &&
	    (n == 7 || s[n - 8] == '/')) {
		s = skip_spaces(s + n);
		n = word_len(s);
	}
	if (!is_shell(s, n))
		return NULL;
	p = skip_spaces(s + n);
	for (i = 0; i < 6 && *p; i++) {
		n = word_len(p);
		if (is_dash_c(p, n))
			return skip_spaces(p + n);
		/* options, and the value of -o (-o pipefail) */
		if (*p != '-' && !option_value)
			return NULL;
		option_value = n == 2 && strncmp(p, "-o", 2) == 0;
		p = skip_spaces(p + n);
	}
	return NULL;
}

/* The keyword s starts with (followed by a blank or the end), or NULL. */
static const char *keyword_of(const char *s)
{
	size_t n = word_len(s), i;

	for (i = 0; keywords[i]; i++)
		if (strlen(keywords[i]) == n && strncmp(s, keywords[i], n) == 0)
			return keywords[i];
	return NULL;
}

/*
 * Append the command of a RUN step, cleaned: build arguments and the
 * shell invocation dropped, an exec-form JSON array joined by blanks.
 */
static enum ds_code run_command(struct ds_buf *out, const char *body)
{
	enum ds_code result = DS_OK;
	const char *s = skip_build_args(body), *after;
	char **argv = NULL;
	size_t argc = 0, i, from = 0;
	struct ds_buf joined = DS_BUF_INIT;

	after = skip_shell(s);
	if (after)
		s = after;
	if (*s != '[' || ds_model_parse_argv(&argv, &argc, s, strlen(s)) !=
			 DS_OK)
		return ds_buf_puts(out, s);
	/* ["/bin/sh", "-c", "cmd"]: the command only */
	if (argc >= 3 && is_shell(argv[0], strlen(argv[0])))
		for (i = 1; i < argc && i < 6 && !from; i++)
			if (is_dash_c(argv[i], strlen(argv[i])))
				from = i + 1;
	for (i = from; i < argc && result == DS_OK; i++)
		result = ds_buf_printf(&joined, "%s%s", i > from ? " " : "",
				       argv[i]);
	if (result == DS_OK)
		result = fold(out, joined.ptr, joined.len);
	ds_model_argv_free(argv, argc);
	ds_buf_free(&joined);
	return result;
}

/* The cleaned instruction of a CreatedBy. */
char *ds_layer_instruction(const char *created_by)
{
	static const char buildkit[] = "# buildkit";
	struct ds_buf text = DS_BUF_INIT, out = DS_BUF_INIT;
	enum ds_code result;
	const char *s, *after;
	size_t n;

	result = fold(&text, created_by, strlen(created_by));
	if (result != DS_OK) {
		ds_buf_free(&text);
		return NULL;
	}
	/* BuildKit marks the steps it ran */
	n = strlen(buildkit);
	if (text.len >= n && strcmp(text.ptr + text.len - n, buildkit) == 0) {
		text.len -= n;
		while (text.len && text.ptr[text.len - 1] == ' ')
			text.len--;
		text.ptr[text.len] = '\0';
	}
	s = text.ptr;
	after = skip_shell(skip_build_args(s));
	if (after && starts_with(after, "#(nop)")) {
		/* the legacy builder's and Buildah's metadata steps */
		result = ds_buf_puts(&out, skip_spaces(after + 6));
	} else if (!after && keyword_of(s)) {
		/* BuildKit: the instruction as written */
		if (strcmp(keyword_of(s), "RUN") == 0) {
			result = ds_buf_puts(&out, "RUN ");
			if (result == DS_OK)
				result = run_command(&out, skip_spaces(s + 3));
		} else {
			result = ds_buf_puts(&out, s);
		}
	} else if (*s) {
		/* the legacy builder's and Buildah's RUN */
		result = ds_buf_puts(&out, "RUN ");
		if (result == DS_OK)
			result = run_command(&out, s);
	}
	ds_buf_free(&text);
	if (result != DS_OK) {
		ds_buf_free(&out);
		return NULL;
	}
	/* a metadata step may end in blanks ("... in /app ") */
	while (out.len && out.ptr[out.len - 1] == ' ')
		out.ptr[--out.len] = '\0';
	return ds_buf_detach(&out);
}

/* Order layers largest first, equal sizes newest (lowest index) first. */
static int by_size(const void *a, const void *b)
{
	const struct ds_layer *x = a, *y = b;

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Release what one layer owns. */
static void layer_clear(struct ds_layer *l)
{
	free(l->id);
	free(l->created_by);
	free(l->instruction);
	memset(l, 0, sizeof(*l));
}

/* The top largest layers with their hints. */
enum ds_code ds_layers_top(struct ds_layer **out, size_t *n,
			   const struct ds_history *history, size_t n_history,
			   size_t top, uint64_t context_size,
			   struct ds_err *err)
{
	enum ds_code result = DS_OK;
	struct ds_layer *all = NULL;
	size_t count = 0, i;

	*out = NULL;
	*n = 0;
	if (n_history) {
		all = calloc(n_history, sizeof(*all));
		if (!all)
			return ds_err_set(err, DS_E_NOMEM, "out of memory");
	}
	/* first order by size only, then fill in the few kept */
	for (i = 0; i < n_history; i++) {
		if (history[i].size <= 0)
			continue;
		all[count].index = i;
		all[count].size = history[i].size;
		count++;
	}
	if (count)
		qsort(all, count, sizeof(*all), by_size);
	if (count > top)
		count = top;
	for (i = 0; i < count && result == DS_OK; i++) {
		const struct ds_history *h = &history[all[i].index];
		struct ds_layer *l = &all[i];

		l->created = h->created;
		l->id = strdup(h->id ? h->id : "");
		l->created_by = strdup(h->created_by ? h->created_by : "");
		l->instruction = ds_layer_instruction(l->created_by ?
						      l->created_by : "");
		if (!l->id || !l->created_by || !l->instruction)
			result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		else
			l->n_hints = ds_hints_for(l->instruction, l->size,
						  context_size, l->hints,
						  DS_LAYER_MAX_HINTS);
	}
	if (result != DS_OK) {
		ds_layers_free(all, count);
		return result;
	}
	if (!count) {
		free(all);
		all = NULL;
	}
	*out = all;
	*n = count;
	return DS_OK;
}

/* Release a list from ds_layers_top. */
void ds_layers_free(struct ds_layer *list, size_t n)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < n; i++)
		layer_clear(&list[i]);
	free(list);
}

/* Append at most max characters of s (UTF-8 aware), "..." when cut. */
static enum ds_code put_cut(struct ds_buf *out, const char *s, size_t max)
{
	size_t i = 0, chars = 0;

	while (s[i] && chars < max) {
		i++;
		while (((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		chars++;
	}
	if (!s[i])
		return ds_buf_puts(out, s);
	if (ds_buf_add(out, s, i) != DS_OK)
		return DS_E_NOMEM;
	return ds_buf_puts(out, "...");
}

/* Append a layer's instruction (cut) and its hints. */
static enum ds_code put_what(struct ds_buf *out, const struct ds_layer *l)
{
	enum ds_code result;
	size_t i;

	result = put_cut(out, *l->instruction ? l->instruction
			 : "(no instruction recorded)", DS_LAYERS_TEXT_WIDTH);
	for (i = 0; i < l->n_hints && result == DS_OK; i++)
		result = ds_buf_printf(out, "%s%s", i ? "; " : "   hint: ",
				       l->hints[i]->text);
	return result;
}

/*
 * Append n layers' lines, "
" between them: indented by 2, the sizes
 * right-aligned (at least min wide), 2 spaces, what the layer did.
 */
static enum ds_code layer_lines(struct ds_buf *out,
				const struct ds_layer *list, size_t n,
				size_t min)
{
	const struct ds_table_col cols[] = {
		{ NULL, DS_TABLE_RIGHT, min, 2, DS_TABLE_LEFT, 0 },
		{ NULL, DS_TABLE_LEFT, 0, 0, DS_TABLE_LEFT, 0 },
	};
	struct ds_buf what = DS_BUF_INIT;
	enum ds_code result = DS_OK;
	struct ds_table t;
	char size[32];
	size_t i;

	ds_table_init(&t, cols, 2);
	t.indent = 2;
	for (i = 0; i < n && result == DS_OK; i++) {
		ds_buf_reset(&what);
		ds_table_add(&t, ds_size_human((uint64_t)list[i].size, size,
					       sizeof(size)));
		result = put_what(&what, &list[i]);
		if (result == DS_OK)
			result = ds_table_add(&t, what.ptr);
	}
	if (result == DS_OK)
		result = ds_table_text(out, &t, 0);
	ds_table_free(&t);
	ds_buf_free(&what);
	return result;
}

/* Append one layer's line. */
enum ds_code ds_layers_line(struct ds_buf *out, const struct ds_layer *l,
			    int width)
{
	return layer_lines(out, l, 1, width > 0 ? (size_t)width : 0);
}

/* Append the text form. */
enum ds_code ds_layers_text(struct ds_buf *out, const struct ds_layer *list,
			    size_t n)
{
	return layer_lines(out, list, n, 0);
}

/* Write one hint as a JSON object. */
static void json_hint(struct ds_jsonw *w, const struct ds_hint *h)
{
	ds_jsonw_object(w);
	ds_jsonw_kstring(w, "id", h->id);
	ds_jsonw_kstring(w, "text", h->text);
	ds_jsonw_end(w);
}

/* Append the JSON form. */
enum ds_code ds_layers_json(struct ds_buf *out, const struct ds_layer *list,
			    size_t n)
{
	struct ds_jsonw w;
	char size[32];
	size_t i, k;

	ds_jsonw_init(&w, out);
	ds_jsonw_array(&w);
	for (i = 0; i < n; i++) {
		const struct ds_layer *l = &list[i];

		ds_jsonw_object(&w);
		ds_jsonw_kint(&w, "size", l->size);
		ds_jsonw_kstring(&w, "size_human", ds_size_human(
			(uint64_t)l->size, size, sizeof(size)));
		ds_jsonw_kstring(&w, "instruction", l->instruction);
		ds_jsonw_kstring(&w, "created_by", l->created_by);
		ds_jsonw_kint(&w, "created", l->created);
		ds_jsonw_kstring(&w, "id", l->id);
		ds_jsonw_key(&w, "hints");
		ds_jsonw_array(&w);
		for (k = 0; k < l->n_hints; k++)
			json_hint(&w, l->hints[k]);
		ds_jsonw_end(&w);
		ds_jsonw_end(&w);
	}
	ds_jsonw_end(&w);
	return ds_jsonw_finish(&w);
}
