/*
 * model_engine.c: the engine's own replies turned into structs (see
 * model.h): /info, /version, error bodies whatever their shape, /events
 * lines and the reply of POST /build/prune.  Reads through json.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "model.h"
#include "model_read.h"
#include "ref.h"

/*
 * The "driver-type" pair of /info's DriverStatus ([["key","value"],...];
 * [] on Podman, null on some engines): a new string, "" when absent.
 * Pairs of another shape are skipped, not an error.
 */
static enum ds_code driver_type(const struct ds_json_ctx *p, const cJSON *root,
				char **out)
{
	enum ds_code result;
	const cJSON *list, *pair, *k, *v;
	const char *found = "";

	result = ds_json_list(p, root, NULL, "DriverStatus", &list);
	if (result != DS_OK)
		return result;
	cJSON_ArrayForEach(pair, list) {
		k = cJSON_IsArray(pair) ? cJSON_GetArrayItem(pair, 0) : NULL;
		v = cJSON_IsArray(pair) ? cJSON_GetArrayItem(pair, 1) : NULL;
		if (cJSON_IsString(k) && cJSON_IsString(v) &&
		    strcmp(k->valuestring, "driver-type") == 0) {
			found = v->valuestring;
			break;
		}
	}
	*out = strdup(found);
	return *out ? DS_OK : ds_json_nomem(p);
}

/* Parse /info: DockerRootDir, Driver, ServerVersion, DriverStatus's
 * driver-type and Containerd.Address ("" when absent). */
enum ds_code ds_model_parse_info(struct ds_info *out, const char *json,
				 size_t len, struct ds_err *err)
{
	struct ds_json_ctx p = { "/info", err };
	enum ds_code result;
	struct ds_info info;
	const cJSON *containerd = NULL;
	cJSON *root = NULL;

	memset(&info, 0, sizeof(info));
	result = ds_json_parse(&p, json, len, cJSON_Object, &root);
	if (result == DS_OK)
		result = ds_json_str(&p, root, NULL, "DockerRootDir", 0,
				 &info.root_dir);
	if (result == DS_OK)
		result = ds_json_str(&p, root, NULL, "Driver", 0, &info.driver);
	if (result == DS_OK)
		result = ds_json_str(&p, root, NULL, "ServerVersion", 0,
				 &info.server_version);
	if (result == DS_OK)
		result = driver_type(&p, root, &info.driver_type);
	if (result == DS_OK)
		result = ds_json_obj(&p, root, NULL, "Containerd", &containerd);
	if (result == DS_OK)
		result = ds_json_str(&p, containerd, "Containerd", "Address", 0,
				 &info.containerd_address);
	cJSON_Delete(root);
	if (result != DS_OK)
		ds_model_info_free(&info);
	*out = info;
	return result;
}

/* Release a parsed /info; the struct is zeroed. */
void ds_model_info_free(struct ds_info *info)
{
	if (!info)
		return;
	free(info->root_dir);
	free(info->driver);
	free(info->server_version);
	free(info->driver_type);
	free(info->containerd_address);
	memset(info, 0, sizeof(*info));
}

/* Whether /version's Components has one named "Podman Engine". */
static enum ds_code find_podman(const struct ds_json_ctx *p, const cJSON *root,
				int *is_podman)
{
	enum ds_code result;
	const cJSON *list, *it, *name;

	*is_podman = 0;
	result = ds_json_list(p, root, NULL, "Components", &list);
	if (result != DS_OK || !list)
		return result;
	cJSON_ArrayForEach(it, list) {
		name = cJSON_IsObject(it) ?
		       cJSON_GetObjectItemCaseSensitive(it, "Name") : NULL;
		if (cJSON_IsString(name) &&
		    strcmp(name->valuestring, "Podman Engine") == 0)
			*is_podman = 1;
	}
	return DS_OK;
}

/* Parse /version: Version, ApiVersion, MinAPIVersion, Podman or not. */
enum ds_code ds_model_parse_version(struct ds_version *out,
				    const char *json, size_t len,
				    struct ds_err *err)
{
	struct ds_json_ctx p = { "/version", err };
	enum ds_code result;
	struct ds_version v;
	cJSON *root = NULL;

	memset(&v, 0, sizeof(v));
	result = ds_json_parse(&p, json, len, cJSON_Object, &root);
	if (result == DS_OK)
		result = ds_json_str(&p, root, NULL, "Version", 0, &v.version);
	if (result == DS_OK)
		result = ds_json_str(&p, root, NULL, "ApiVersion", 0,
				 &v.api_version);
	if (result == DS_OK)
		result = ds_json_str(&p, root, NULL, "MinAPIVersion", 0,
				 &v.min_api_version);
	if (result == DS_OK)
		result = find_podman(&p, root, &v.is_podman);
	cJSON_Delete(root);
	if (result != DS_OK)
		ds_model_version_free(&v);
	*out = v;
	return result;
}

/* Release a parsed /version; the struct is zeroed. */
void ds_model_version_free(struct ds_version *v)
{
	if (!v)
		return;
	free(v->version);
	free(v->api_version);
	free(v->min_api_version);
	memset(v, 0, sizeof(*v));
}

/* The non-empty string member key of obj, or NULL. */
static const char *message_member(const cJSON *obj, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(it) && *it->valuestring ? it->valuestring :
	       NULL;
}

/*
 * The message of one JSON error object: errorDetail.message (in-band
 * stream error), else message (Docker; Podman, whose cause repeats part
 * of it), else error; "" when it has such a key but it is empty; NULL
 * when it is not an error object at all.
 */
static const char *object_message(const cJSON *obj)
{
	const cJSON *detail;
	const char *m = NULL;

	if (!cJSON_IsObject(obj))
		return NULL;
	detail = cJSON_GetObjectItemCaseSensitive(obj, "errorDetail");
	if (cJSON_IsObject(detail))
		m = message_member(detail, "message");
	if (!m)
		m = message_member(obj, "message");
	if (!m)
		m = message_member(obj, "error");
	if (!m && (detail || cJSON_GetObjectItemCaseSensitive(obj, "message") ||
		   cJSON_GetObjectItemCaseSensitive(obj, "error")))
		m = "";
	return m;
}

/*
 * Find the error in a JSON body: the whole body as one object, else
 * (a stream of one object a line) the last line that is an error
 * object.  *keep receives the tree the message points into.
 */
static const char *json_message(const char *body, size_t len, cJSON **keep)
{
	const char *line, *nl, *m = NULL, *lm;
	cJSON *obj;

	*keep = NULL;
	obj = ds_json_parse_text(body, len, 1, NULL);
	if (obj) {
		*keep = obj;
		return object_message(obj);
	}
	for (line = body; line < body + len; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(body + len - line));
		if (!nl)
			nl = body + len;
		obj = ds_json_parse_text(line, (size_t)(nl - line), 0, NULL);
		lm = obj ? object_message(obj) : NULL;
		if (lm) {
			cJSON_Delete(*keep);
			*keep = obj;
			m = lm;
		} else {
			cJSON_Delete(obj);
		}
	}
	return m;
}

/* Whether the reply is JSON by its Content-Type or its first byte. */
static int looks_like_json(const char *content_type, const char *body,
			   size_t len)
{
	const char *s;
	size_t i;

	for (s = content_type; s && *s; s++)
		if ((s[0] == 'j' || s[0] == 'J') &&
		    (s[1] == 's' || s[1] == 'S') &&
		    (s[2] == 'o' || s[2] == 'O') &&
		    (s[3] == 'n' || s[3] == 'N'))
			return 1;
	for (i = 0; i < len && ds_json_is_space(body[i]); i++)
		;
	return i < len && body[i] == '{';
}

/*
 * Copy text into out as one line: runs of white space or control bytes
 * that hold anything but plain spaces become one space, both ends are
 * trimmed, and a cut at n-1 bytes backs off to a UTF-8 boundary.
 */
static void fold_line(char *out, size_t n, const char *text, size_t len)
{
	size_t i = 0, o = 0, j;
	int odd;
	unsigned char c;

	while (i < len && (unsigned char)text[i] <= ' ')
		i++;
	while (i < len && o + 1 < n) {
		c = (unsigned char)text[i];
		if (c > ' ' && c != 0x7f) {
			out[o++] = (char)c;
			i++;
			continue;
		}
		odd = 0;
		for (j = i; j < len && ((unsigned char)text[j] <= ' ' ||
					(unsigned char)text[j] == 0x7f); j++)
			odd |= text[j] != ' ';
		if (j == len)
			break;
		if (odd) {
			out[o++] = ' ';
		} else {
			while (i < j && o + 1 < n)
				out[o++] = text[i++];
		}
		i = j;
	}
	if (i < len && o > 0 && ((unsigned char)text[i] & 0xc0) == 0x80) {
		/* Cut inside a character: drop its leading bytes too. */
		while (o > 0 && ((unsigned char)out[o - 1] & 0xc0) == 0x80)
			o--;
		if (o > 0 && ((unsigned char)out[o - 1] & 0xc0) == 0xc0)
			o--;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

/* The one-line message of an error reply, whatever its shape. */
void ds_model_error_message(char *out, size_t n, const char *content_type,
			    const char *body, size_t len)
{
	const char *m = NULL;
	cJSON *keep = NULL;

	if (!out || n == 0)
		return;
	out[0] = '\0';
	if (!body || len == 0)
		return;
	if (looks_like_json(content_type, body, len))
		m = json_message(body, len, &keep);
	if (m)
		fold_line(out, n, m, strlen(m));
	else
		fold_line(out, n, body, len);
	cJSON_Delete(keep);
}

/* Podman's event names for what Docker calls otherwise. */
static const char *event_action(const char *type, const char *action)
{
	static const char *const map[][3] = {
		{ "container", "remove", "destroy" },
		{ "image", "loadfromarchive", "load" },
		{ "image", "remove", "delete" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(type, map[i][0]) == 0 &&
		    strcmp(action, map[i][1]) == 0)
			return map[i][2];
	return action;
}

/*
 * Fill ev's id and name from the Actor's ID and "name" attribute, as
 * model.h describes: for an image, an ID that is a reference (Docker's
 * pull and push) is the name, a name that is an ID only fills a missing
 * ID, and IDs carry "sha256:".
 */
static enum ds_code event_names(struct ds_event *ev, const char *id,
				const char *raw)
{
	const char *ref = raw;
	char *s = NULL;

	if (strcmp(ev->type, "image") != 0) {
		ev->id = strdup(id);
		ev->name = strdup(raw);
		return ev->id && ev->name ? DS_OK : DS_E_NOMEM;
	}
	if (*id && !ds_ref_is_image_id(id)) {
		ref = id;
		id = "";
	} else if (!*id && ds_ref_is_image_id(raw)) {
		id = raw;
	}
	ev->id = ds_model_prefix_id(id);
	if (!ev->id)
		return DS_E_NOMEM;
	if (ds_ref_is_image_id(ref))
		ref = "";
	if (ds_model_ref_dup(ref, &s) != DS_OK)
		return DS_E_NOMEM;
	ev->name = s ? s : strdup("");
	return ev->name ? DS_OK : DS_E_NOMEM;
}

/* Parse one /events line (see model.h). */
enum ds_code ds_model_parse_event(struct ds_event *out, const char *json,
				  size_t len, struct ds_err *err)
{
	struct ds_json_ctx p = { "/events", err };
	enum ds_code result;
	struct ds_event ev;
	const cJSON *actor = NULL, *attrs = NULL;
	cJSON *root = NULL;
	char *raw_name = NULL, *action = NULL, *id = NULL;
	const char *mapped;

	memset(&ev, 0, sizeof(ev));
	result = ds_json_parse(&p, json, len, cJSON_Object, &root);
	if (result == DS_OK)
		result = ds_json_str(&p, root, NULL, "Type", 0, &ev.type);
	if (result == DS_OK)
		result = ds_json_str(&p, root, NULL, "Action", 0, &action);
	if (result == DS_OK && !*action) { /* before API 1.22: "status" */
		free(action);
		result = ds_json_str(&p, root, NULL, "status", 0, &action);
	}
	if (result == DS_OK)
		result = ds_json_obj(&p, root, NULL, "Actor", &actor);
	if (result == DS_OK && actor)
		result = ds_json_str(&p, actor, "Actor", "ID", 0, &id);
	if (result == DS_OK && (!id || !*id)) {
		free(id);
		result = ds_json_str(&p, root, NULL, "id", 0, &id);
	}
	if (result == DS_OK && actor)
		result = ds_json_obj(&p, actor, "Actor", "Attributes", &attrs);
	if (result == DS_OK)
		result = ds_json_str(&p, attrs, "Actor.Attributes", "name", 0,
				 &raw_name);
	if (result == DS_OK)
		result = ds_json_i64(&p, root, NULL, "time", 0, &ev.time);
	if (result == DS_OK) {
		mapped = event_action(ev.type, action);
		ev.action = strdup(mapped);
		if (!ev.action || event_names(&ev, id, raw_name) != DS_OK)
			result = ds_json_nomem(&p);
	}
	cJSON_Delete(root);
	free(raw_name);
	free(action);
	free(id);
	if (result != DS_OK)
		ds_model_event_free(&ev);
	*out = ev;
	return result;
}

/* Release a parsed event; the struct is zeroed. */
void ds_model_event_free(struct ds_event *ev)
{
	if (!ev)
		return;
	free(ev->type);
	free(ev->action);
	free(ev->id);
	free(ev->name);
	memset(ev, 0, sizeof(*ev));
}

/* The reply of POST /build/prune: does CachesDeleted name id? */
enum ds_code ds_model_build_prune_deleted(int *deleted, const char *id,
					  const char *json, size_t len,
					  struct ds_err *err)
{
	struct ds_json_ctx p = { "/build/prune", err };
	enum ds_code result;
	const cJSON *list = NULL, *it;
	cJSON *root = NULL;

	*deleted = 0;
	result = ds_json_parse(&p, json, len, cJSON_Object, &root);
	if (result == DS_OK)
		result = ds_json_list(&p, root, "", "CachesDeleted", &list);
	if (result == DS_OK)
		cJSON_ArrayForEach(it, list)
			if (cJSON_IsString(it) &&
			    strcmp(it->valuestring, id) == 0)
				*deleted = 1;
	cJSON_Delete(root);
	return result;
}

