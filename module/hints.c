/* hints.c: the known causes of large image layers (see hints.h). */
#include <string.h>
#include <strings.h>

#include "hints.h"

/* The table: one line of data per cause. */
const struct ds_hint ds_hints[] = {
	{ "cuda-wheels", "RUN",
	  "pip install|pip3 install|conda install|mamba install|"
	  "micromamba install",
	  "torch|tensorflow|nvidia|cuda|jax",
	  "cpu", 0,
	  "use the CPU wheel index (pip install --index-url "
	  "https://download.pytorch.org/whl/cpu torch) when no GPU is "
	  "needed" },
	{ "pip-cache", "RUN",
	  "pip install|pip3 install", NULL,
	  "--no-cache-dir|--no-cache|PIP_NO_CACHE_DIR|pip cache purge", 0,
	  "add --no-cache-dir to pip install: its download cache stays in "
	  "the layer" },
	{ "apt-lists", "RUN",
	  "apt-get install|apt install|aptitude install", NULL,
	  "rm -rf /var/lib/apt/lists|rm -fr /var/lib/apt/lists|"
	  "rm -r /var/lib/apt/lists", 0,
	  "add && rm -rf /var/lib/apt/lists/* to the RUN that runs apt-get "
	  "install" },
	{ "npm-cache", "RUN",
	  "npm install|npm ci|npm i |npm i$", NULL,
	  "npm cache clean", 0,
	  "add && npm cache clean --force to the RUN that runs npm install" },
	{ "yarn-cache", "RUN",
	  "yarn install|yarn add|yarn --|yarn &&|yarn;|yarn$", NULL,
	  "yarn cache clean", 0,
	  "add && yarn cache clean to the RUN that runs yarn" },
	{ "apk-cache", "RUN",
	  "apk add", NULL,
	  "--no-cache|rm -rf /var/cache/apk|rm -fr /var/cache/apk", 0,
	  "use apk add --no-cache: the package index stays in the layer" },
	{ "yum-cache", "RUN",
	  "yum install|yum -y install|dnf install|dnf -y install|"
	  "microdnf install", NULL,
	  "clean all|rm -rf /var/cache/yum|rm -rf /var/cache/dnf", 0,
	  "add && yum clean all (dnf clean all) to the RUN that installs "
	  "the packages" },
	{ "whole-context", "COPY ADD", NULL, NULL, NULL, 1,
	  "the whole build context is copied: use a .dockerignore to leave "
	  "out what the image does not need (.git, data, build output)" },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL }
};

/* The hint named id, or NULL. */
const struct ds_hint *ds_hint_find(const char *id)
{
	const struct ds_hint *h;

	for (h = ds_hints; h->id; h++)
		if (strcmp(h->id, id) == 0)
			return h;
	return NULL;
}

/* 1 when the n bytes at s appear in text (any case); at_end: end it. */
static int contains(const char *text, const char *s, size_t n, int at_end)
{
	size_t len = strlen(text), i;

	if (n == 0 || n > len)
		return n == 0;
	if (at_end)
		return strncasecmp(text + len - n, s, n) == 0;
	for (i = 0; i + n <= len; i++)
		if (strncasecmp(text + i, s, n) == 0)
			return 1;
	return 0;
}

/* 1 when one of the '|'-separated alternatives appears in text. */
static int any_of(const char *text, const char *alternatives)
{
	const char *p = alternatives;

	while (*p) {
		size_t n = strcspn(p, "|");
		int at_end = n > 0 && p[n - 1] == '$';

		if (contains(text, p, at_end ? n - 1 : n, at_end))
			return 1;
		p += n;
		if (*p == '|')
			p++;
	}
	return 0;
}

/* 1 when the instruction's first word is one of the blank-separated kinds. */
static int kind_is(const char *instruction, const char *kinds)
{
	size_t n = strcspn(instruction, " ");
	const char *p = kinds;

	while (*p) {
		size_t k = strcspn(p, " ");

		if (k == n && strncmp(p, instruction, n) == 0)
			return 1;
		p += k;
		while (*p == ' ')
			p++;
	}
	return 0;
}

/* 1 when the word (n bytes, JSON-form quotes and commas allowed) names
 * the whole build context. */
static int is_context_word(const char *w, size_t n)
{
	while (n && strchr("[\"", *w)) {
		w++;
		n--;
	}
	while (n && strchr("]\",", w[n - 1]))
		n--;
	return (n == 1 && w[0] == '.') || (n == 2 && strncmp(w, "./", 2) == 0)
	       || (n > 4 && strncmp(w, "dir:", 4) == 0);
}

/*
 * 1 when a COPY or ADD instruction copies the whole build context: not
 * --from another stage or image, and a source (any word but the last)
 * is the context.
 */
static int copies_context(const char *instruction)
{
	const char *p = instruction + strcspn(instruction, " ");
	const char *last = NULL;
	size_t last_n = 0;
	int found = 0;

	while (*p) {
		size_t n;

		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (!n)
			break;
		if (strncmp(p, "--from", 6) == 0)
			return 0;
		if (strncmp(p, "--", 2) != 0) {
			/* the previous word was a source */
			if (last && is_context_word(last, last_n))
				found = 1;
			last = p;
			last_n = n;
		}
		p += n;
	}
	return found;
}

/* 1 when hint h applies to the layer. */
int ds_hint_matches(const struct ds_hint *h, const char *instruction,
		    int64_t size, uint64_t context_size)
{
	if (!instruction || !kind_is(instruction, h->kinds))
		return 0;
	if (h->whole_context)
		return size >= 0 && (uint64_t)size >= context_size &&
		       copies_context(instruction);
	if (h->when && !any_of(instruction, h->when))
		return 0;
	if (h->also && !any_of(instruction, h->also))
		return 0;
	return !(h->unless && any_of(instruction, h->unless));
}

/* The hints that apply, in table order. */
size_t ds_hints_for(const char *instruction, int64_t size,
		    uint64_t context_size, const struct ds_hint **out,
		    size_t max)
{
	const struct ds_hint *h;
	size_t n = 0;

	for (h = ds_hints; h->id && n < max; h++)
		if (ds_hint_matches(h, instruction, size, context_size))
			out[n++] = h;
	return n;
}
