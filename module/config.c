/* config.c: build-config.json to make assignments (see config.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "config.h"
#include "names.h"
#include "units.h"

/* What a parse needs to report errors and write assignments. */
struct ctx {
	struct ds_buf *out;
	const char *file;
	struct ds_err *err;
};

/* Report a problem at a key path. */
static enum ds_code bad(struct ctx *c, const char *path, const char *what)
{
	return ds_err_set(c->err, DS_E_CONFIG, "%s: '%s' %s", c->file, path,
			  what);
}

/* 1 when v is a whole number from 0 to max. */
static int whole(double v, double max)
{
	return v >= 0 && v <= max && v == (double)(long long)v;
}

/*
 * 1 when s is a non-empty make-safe name that is no option: letters,
 * digits, '_', '.', '-', starting with a letter, a digit or '_', at
 * most DS_SERVICE_NAME_MAX long.
 */
static int safe_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > DS_SERVICE_NAME_MAX ||
	    !(isalnum((unsigned char)*s) || *s == '_'))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return 0;
	return 1;
}

/*
 * What a string that reaches a command line must look like: letters,
 * digits and the extra characters (first: first_extra), none of them
 * special to the shell or to make; never starting with '-' (it would be
 * an option); at most max bytes.  Paths may also hold non-ASCII bytes.
 */
struct kind {
	const char *extra;
	const char *first_extra;
	int empty_ok;
	int utf8;
	size_t max;
	const char *what;     /* "must be ..." */
};

static const struct kind k_path = { "._/+-@,=:%~", "._/+@,=:%~", 0, 1,
	4096, "a path: letters, digits and ._/+-@,=:%~, not starting with "
	"'-'" };
static const struct kind k_ref = { "._/:@-", "_", 0, 0, DS_REF_MAX,
	"an image reference such as \"team/app:1\": letters, digits and "
	"._/:@-, starting with a letter or a digit" };
static const struct kind k_tag = { "._-", "_", 0, 0, 128,
	"a tag such as \"v1.2\": letters, digits and ._-, at most 128, "
	"starting with a letter, a digit or '_'" };
static const struct kind k_registry = { "._:/[]-", "[", 0, 0, 255,
	"a registry such as \"registry.example:5000\": letters, digits "
	"and ._:/[]-" };
static const struct kind k_prefix = { "._/-", "_", 1, 0, 255,
	"a name prefix such as \"team/\": letters, digits and ._/-" };
static const struct kind k_platform = { "._/-", "", 0, 0, 255,
	"os/arch such as \"linux/arm64\"" };
static const struct kind k_target = { "._-", "_", 0, 0, 255,
	"a build stage name: letters, digits and ._-, starting with a "
	"letter, a digit or '_'" };

/* 1 when s is a value of the kind k. */
static int of_kind(const char *s, const struct kind *k)
{
	const char *p;

	if (!*s)
		return k->empty_ok;
	if (strlen(s) > k->max)
		return 0;
	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		const char *allowed = p == s ? k->first_extra : k->extra;

		if (!isalnum(c) && !(k->utf8 && c >= 0x80) &&
		    !strchr(allowed, c))
			return 0;
	}
	return 1;
}

/* 1 when s can stand in a make variable's value as one word. */
static int safe_value(const char *s)
{
	for (; *s; s++)
		if (isspace((unsigned char)*s) || iscntrl((unsigned char)*s) ||
		    *s == '$' || *s == '#' || *s == '\\')
			return 0;
	return 1;
}

/* Write "NAME ?= VALUE". */
static enum ds_code assign(struct ctx *c, const char *name,
			   const char *value)
{
	if (ds_buf_printf(c->out, "%s ?= %s\n", name, value) != DS_OK)
		return ds_err_set(c->err, DS_E_NOMEM, "out of memory");
	return DS_OK;
}

/* A string member as one make word, written to NAME. */
static enum ds_code string_var(struct ctx *c, const cJSON *item,
			       const char *path, const char *name)
{
	if (!cJSON_IsString(item))
		return bad(c, path, "must be a string");
	if (!safe_value(item->valuestring))
		return bad(c, path, "must not contain blanks, '$', '#' or "
			   "'\\'");
	return assign(c, name, item->valuestring);
}

/*
 * A string member that reaches a command line (a path, a reference, a
 * tag...): checked against its kind, written to NAME.
 */
static enum ds_code kind_var(struct ctx *c, const cJSON *item,
			     const char *path, const char *name,
			     const struct kind *k)
{
	char what[300];

	if (!cJSON_IsString(item))
		return bad(c, path, "must be a string");
	if (!safe_value(item->valuestring))
		return bad(c, path, "must not contain blanks, '$', '#' or "
			   "'\\'");
	if (!of_kind(item->valuestring, k)) {
		snprintf(what, sizeof(what), "must be %s", k->what);
		return bad(c, path, what);
	}
	return assign(c, name, item->valuestring);
}

/* A size member ("10GB" or a number of bytes), checked, written as is. */
static enum ds_code size_var(struct ctx *c, const cJSON *item,
			     const char *path, const char *name)
{
	struct ds_err local = DS_ERR_INIT;
	char num[32];
	uint64_t v;

	if (cJSON_IsNumber(item)) {
		if (!whole(item->valuedouble, 9.2e18))
			return bad(c, path, "must be a whole number of bytes "
				   "or a size such as \"10GB\"");
		snprintf(num, sizeof(num), "%.0f", item->valuedouble);
		return assign(c, name, num);
	}
	if (!cJSON_IsString(item))
		return bad(c, path, "must be a size such as \"10GB\"");
	if (ds_size_parse(item->valuestring, &v, &local) != DS_OK)
		return ds_err_set(c->err, DS_E_CONFIG, "%s: '%s': %s",
				  c->file, path, local.msg);
	return string_var(c, item, path, name);
}

/* Check that every key of obj is one of the allowed names. */
static enum ds_code only_keys(struct ctx *c, const cJSON *obj,
			      const char *path, const char *const *allowed)
{
	const cJSON *m;
	char full[512];

	if (!cJSON_IsObject(obj))
		return bad(c, path, "must be an object");
	cJSON_ArrayForEach(m, obj) {
		size_t i;

		for (i = 0; allowed[i]; i++)
			if (strcmp(m->string, allowed[i]) == 0)
				break;
		if (!allowed[i]) {
			snprintf(full, sizeof(full), "%s%s%s", path,
				 *path ? "." : "", m->string);
			return ds_err_set(c->err, DS_E_CONFIG,
					  "%s: unknown key '%s'", c->file,
					  full);
		}
	}
	return DS_OK;
}

/* build_args {NAME: VALUE} as NAME=VALUE words, written to NAME. */
static enum ds_code build_args(struct ctx *c, const cJSON *obj,
			       const char *path, const char *name)
{
	struct ds_buf words = DS_BUF_INIT;
	const cJSON *m;
	char full[512];
	enum ds_code result = DS_OK;

	if (!cJSON_IsObject(obj))
		return bad(c, path, "must be an object of NAME: VALUE");
	cJSON_ArrayForEach(m, obj) {
		snprintf(full, sizeof(full), "%s.%s", path, m->string);
		if (!safe_name(m->string) || !cJSON_IsString(m) ||
		    !safe_value(m->valuestring)) {
			result = bad(c, full, "must be a string without "
				     "blanks, '$', '#' or '\\', under a plain "
				     "name");
			break;
		}
		ds_buf_printf(&words, "%s%s=%s", words.len ? " " : "",
			      m->string, m->valuestring);
	}
	if (result == DS_OK)
		result = assign(c, name, words.ptr);
	ds_buf_free(&words);
	return result;
}

/* One service: its variables <svc>_CONTEXT and so on. */
static enum ds_code service(struct ctx *c, const cJSON *svc,
			    struct ds_buf *essential)
{
	static const char *const keys[] = { "context", "dockerfile",
		"target", "build_args", "essential", "size_limit", NULL };
	static const struct {
		const char *key, *suffix;
		const struct kind *kind;
	} strings[] = {
		{ "context", "_CONTEXT", &k_path },
		{ "dockerfile", "_DOCKERFILE", &k_path },
		{ "target", "_TARGET", &k_target },
	};
	enum ds_code result;
	char path[512], name[512];
	const cJSON *m;
	size_t i;

	snprintf(path, sizeof(path), "services.%s", svc->string);
	if (!safe_name(svc->string))
		return bad(c, path, "is not a usable service name (letters, "
			   "digits, '_', '.', '-', starting with a letter, a "
			   "digit or '_', at most 255)");
	result = only_keys(c, svc, path, keys);
	for (i = 0; result == DS_OK && i < 3; i++) {
		m = cJSON_GetObjectItemCaseSensitive(svc, strings[i].key);
		if (!m)
			continue;
		snprintf(path, sizeof(path), "services.%s.%s", svc->string,
			 strings[i].key);
		snprintf(name, sizeof(name), "%s%s", svc->string,
			 strings[i].suffix);
		result = kind_var(c, m, path, name, strings[i].kind);
	}
	m = cJSON_GetObjectItemCaseSensitive(svc, "build_args");
	if (result == DS_OK && m) {
		snprintf(path, sizeof(path), "services.%s.build_args",
			 svc->string);
		snprintf(name, sizeof(name), "%s_BUILD_ARGS", svc->string);
		result = build_args(c, m, path, name);
	}
	m = cJSON_GetObjectItemCaseSensitive(svc, "size_limit");
	if (result == DS_OK && m) {
		snprintf(path, sizeof(path), "services.%s.size_limit",
			 svc->string);
		snprintf(name, sizeof(name), "%s_SIZE_LIMIT", svc->string);
		result = size_var(c, m, path, name);
	}
	m = cJSON_GetObjectItemCaseSensitive(svc, "essential");
	if (result == DS_OK && m) {
		snprintf(path, sizeof(path), "services.%s.essential",
			 svc->string);
		if (!cJSON_IsBool(m))
			result = bad(c, path, "must be true or false");
		else if (cJSON_IsTrue(m))
			ds_buf_printf(essential, "%s%s", essential->len ? " "
					: "", svc->string);
	}
	return result;
}

/* "services": order, essentials and per-service variables. */
static enum ds_code services(struct ctx *c, const cJSON *obj)
{
	struct ds_buf names = DS_BUF_INIT, essential = DS_BUF_INIT;
	enum ds_code result = DS_OK;
	const cJSON *svc;

	if (!cJSON_IsObject(obj))
		return bad(c, "services", "must be an object of services");
	cJSON_ArrayForEach(svc, obj) {
		result = service(c, svc, &essential);
		if (result != DS_OK)
			break;
		ds_buf_printf(&names, "%s%s", names.len ? " " : "",
			      svc->string);
	}
	if (result == DS_OK)
		result = assign(c, "SERVICES", names.ptr);
	if (result == DS_OK && essential.len)
		result = assign(c, "ESSENTIAL_SERVICES", essential.ptr);
	ds_buf_free(&names);
	ds_buf_free(&essential);
	return result;
}

/* "environments": names and per-environment build args. */
static enum ds_code environments(struct ctx *c, const cJSON *obj)
{
	static const char *const keys[] = { "build_args", NULL };
	struct ds_buf names = DS_BUF_INIT;
	enum ds_code result = DS_OK;
	char path[512], name[512];
	const cJSON *env, *m;

	if (!cJSON_IsObject(obj))
		return bad(c, "environments", "must be an object of "
			   "environments");
	cJSON_ArrayForEach(env, obj) {
		snprintf(path, sizeof(path), "environments.%s", env->string);
		if (!safe_name(env->string)) {
			result = bad(c, path, "is not a usable name");
			break;
		}
		result = only_keys(c, env, path, keys);
		m = cJSON_GetObjectItemCaseSensitive(env, "build_args");
		if (result == DS_OK && m) {
			snprintf(path, sizeof(path),
				 "environments.%s.build_args", env->string);
			snprintf(name, sizeof(name), "%s_BUILD_ARGS",
				 env->string);
			result = build_args(c, m, path, name);
		}
		if (result != DS_OK)
			break;
		ds_buf_printf(&names, "%s%s", names.len ? " " : "",
			      env->string);
	}
	if (result == DS_OK)
		result = assign(c, "DOCKSPACE_ENVIRONMENTS",
				names.ptr);
	ds_buf_free(&names);
	return result;
}

/* "platforms": a list of os/arch strings. */
static enum ds_code platforms(struct ctx *c, const cJSON *arr)
{
	struct ds_buf words = DS_BUF_INIT;
	enum ds_code result = DS_OK;
	const cJSON *p;

	if (!cJSON_IsArray(arr))
		return bad(c, "platforms", "must be a list such as "
			   "[\"linux/amd64\"]");
	cJSON_ArrayForEach(p, arr) {
		if (!cJSON_IsString(p) || !safe_value(p->valuestring) ||
		    !of_kind(p->valuestring, &k_platform) ||
		    !strchr(p->valuestring, '/')) {
			result = bad(c, "platforms", "must hold os/arch "
				     "strings such as \"linux/arm64\"");
			break;
		}
		ds_buf_printf(&words, "%s%s", words.len ? " " : "",
			      p->valuestring);
	}
	if (result == DS_OK && words.len)
		result = assign(c, "PLATFORMS", words.ptr);
	ds_buf_free(&words);
	return result;
}

/* "cache" and "tiers": sizes and counts for the clean-up and tiers. */
static enum ds_code cache_and_tiers(struct ctx *c, const cJSON *root)
{
	static const char *const cache_keys[] = { "max_cache", "keep_images",
						  NULL };
	static const char *const tier_keys[] = { "full", "medium", "minimal",
						 NULL };
	static const char *const tier_vars[] = { "DOCKSPACE_TIER_FULL",
		"DOCKSPACE_TIER_MEDIUM", "DOCKSPACE_TIER_MINIMAL" };
	const cJSON *cache = cJSON_GetObjectItemCaseSensitive(root, "cache");
	const cJSON *tiers = cJSON_GetObjectItemCaseSensitive(root, "tiers");
	enum ds_code result = DS_OK;
	const cJSON *m;
	char path[64], num[32];
	size_t i;

	if (cache) {
		result = only_keys(c, cache, "cache", cache_keys);
		m = cJSON_GetObjectItemCaseSensitive(cache, "max_cache");
		if (result == DS_OK && m)
			result = size_var(c, m, "cache.max_cache",
					  "DOCKSPACE_MAX_CACHE");
		m = cJSON_GetObjectItemCaseSensitive(cache, "keep_images");
		if (result == DS_OK && m) {
			if (!cJSON_IsNumber(m) || !whole(m->valuedouble, 100000))
				return bad(c, "cache.keep_images", "must be a "
					   "whole number such as 2");
			snprintf(num, sizeof(num), "%.0f", m->valuedouble);
			result = assign(c, "DOCKSPACE_KEEP_IMAGES", num);
		}
	}
	if (result == DS_OK && tiers)
		result = only_keys(c, tiers, "tiers", tier_keys);
	for (i = 0; result == DS_OK && tiers && i < 3; i++) {
		m = cJSON_GetObjectItemCaseSensitive(tiers, tier_keys[i]);
		snprintf(path, sizeof(path), "tiers.%s", tier_keys[i]);
		if (m)
			result = size_var(c, m, path, tier_vars[i]);
	}
	return result;
}

/* Line number of byte offset pos in text, for parse errors. */
static size_t line_of(const char *text, size_t len, size_t pos)
{
	size_t line = 1, i;

	for (i = 0; i < pos && i < len; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

/* Check the file's JSON and append the make assignments. */
enum ds_code ds_config_to_make(struct ds_buf *out, const char *json,
			       size_t len, const char *file,
			       struct ds_err *err)
{
	static const char *const top[] = { "registry", "image_prefix", "tag",
		"testing_image", "testing_context", "platforms", "services",
		"cache", "environments", "tiers", NULL };
	static const struct {
		const char *key, *var;
		const struct kind *kind;
	} strings[] = {
		{ "registry", "REGISTRY", &k_registry },
		{ "image_prefix", "IMAGE_PREFIX", &k_prefix },
		{ "tag", "TAG", &k_tag },
		{ "testing_image", "TESTING_IMAGE", &k_ref },
		{ "testing_context", "TESTING_CONTEXT", &k_path },
	};
	struct ctx c = { out, file, err };
	const char *end = NULL;
	enum ds_code result;
	cJSON *root;
	const cJSON *m;
	size_t i;

	root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
	if (!root)
		return ds_err_set(err, DS_E_CONFIG,
				  "%s: malformed JSON near line %zu", file,
				  line_of(json, len, end ? (size_t)(end - json)
							 : len));
	result = only_keys(&c, root, "", top);
	for (i = 0; result == DS_OK && i < 5; i++) {
		m = cJSON_GetObjectItemCaseSensitive(root, strings[i].key);
		if (m)
			result = kind_var(&c, m, strings[i].key,
					  strings[i].var, strings[i].kind);
	}
	m = cJSON_GetObjectItemCaseSensitive(root, "platforms");
	if (result == DS_OK && m)
		result = platforms(&c, m);
	m = cJSON_GetObjectItemCaseSensitive(root, "services");
	if (result == DS_OK && m)
		result = services(&c, m);
	m = cJSON_GetObjectItemCaseSensitive(root, "environments");
	if (result == DS_OK && m)
		result = environments(&c, m);
	if (result == DS_OK)
		result = cache_and_tiers(&c, root);
	cJSON_Delete(root);
	return result;
}
