/* ci.c: CI-native output (see ci.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ci.h"

/* Which CI this is. */
enum ds_ci ds_ci_detect(const char *github_actions, const char *gitlab_ci)
{
	if (github_actions && strcmp(github_actions, "true") == 0)
		return DS_CI_GITHUB;
	if (gitlab_ci && strcmp(gitlab_ci, "true") == 0)
		return DS_CI_GITLAB;
	return DS_CI_NONE;
}

/* Append s escaped for a workflow command (property values too). */
static enum ds_code escape(struct ds_buf *out, const char *s, int property)
{
	enum ds_code result = DS_OK;

	for (; *s && result == DS_OK; s++) {
		switch (*s) {
		case '%': result = ds_buf_puts(out, "%25"); break;
		case '\r': result = ds_buf_puts(out, "%0D"); break;
		case '\n': result = ds_buf_puts(out, "%0A"); break;
		case ':':
			result = property ? ds_buf_puts(out, "%3A")
					  : ds_buf_add(out, s, 1);
			break;
		case ',':
			result = property ? ds_buf_puts(out, "%2C")
					  : ds_buf_add(out, s, 1);
			break;
		default: result = ds_buf_add(out, s, 1);
		}
	}
	return result;
}

/* Append a GitHub annotation line. */
enum ds_code ds_ci_annotation(struct ds_buf *out, const char *level,
			      const char *title, const char *msg)
{
	enum ds_code result = ds_buf_printf(out, "::%s", level);

	if (result == DS_OK && title) {
		result = ds_buf_puts(out, " title=");
		if (result == DS_OK)
			result = escape(out, title, 1);
	}
	if (result == DS_OK)
		result = ds_buf_puts(out, "::");
	if (result == DS_OK)
		result = escape(out, msg, 0);
	if (result == DS_OK)
		result = ds_buf_puts(out, "\n");
	return result;
}

/* Append id with characters GitLab does not take replaced by '_'. */
static enum ds_code section_id(struct ds_buf *out, const char *id)
{
	enum ds_code result = DS_OK;

	for (; *id && result == DS_OK; id++) {
		char c = *id;

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			c = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a')
						   : '_';
		result = ds_buf_add(out, &c, 1);
	}
	return result;
}

/* Append a GitLab section marker: "section_start" (with its header) or
 * "section_end", at unix time now. */
static enum ds_code section(struct ds_buf *out, const char *what,
			    const char *id, const char *options,
			    const char *header, int64_t now)
{
	enum ds_code result = ds_buf_printf(out, "\033[0K%s:%lld:", what,
					    (long long)now);

	if (result == DS_OK)
		result = section_id(out, id);
	if (result == DS_OK)
		result = ds_buf_printf(out, "%s\r\033[0K%s\n", options,
				       header);
	return result;
}

/* Append a GitLab section start line. */
enum ds_code ds_ci_section_start(struct ds_buf *out, const char *id,
				 const char *header, int collapsed,
				 int64_t now)
{
	return section(out, "section_start", id,
		       collapsed ? "[collapsed=true]" : "", header, now);
}

/* Append a GitLab section end line. */
enum ds_code ds_ci_section_end(struct ds_buf *out, const char *id,
			       int64_t now)
{
	return section(out, "section_end", id, "", "", now);
}

/* Append text to the file at path. */
enum ds_code ds_ci_append_file(const char *path, const char *text,
			       size_t len, struct ds_err *err)
{
	char reason[128];
	FILE *f = fopen(path, "a");
	int ok;

	if (!f)
		return ds_err_set(err, DS_E_IO, "cannot write '%s': %s", path,
				  ds_errno_text(errno, reason, sizeof(reason)));
	ok = fwrite(text, 1, len, f) == len;
	ok = fclose(f) == 0 && ok;
	if (!ok)
		return ds_err_set(err, DS_E_IO, "cannot write '%s': %s", path,
				  ds_errno_text(errno, reason, sizeof(reason)));
	return DS_OK;
}

/* Append "NAME=VALUE" (or the multi-line form) to the file at path. */
enum ds_code ds_ci_output(const char *path, const char *name,
			  const char *value, struct ds_err *err)
{
	struct ds_buf b = DS_BUF_INIT;
	enum ds_code result;

	if (strchr(value, '\n'))
		result = ds_buf_printf(&b, "%s<<DOCKSPACE_EOF\n%s\n"
				       "DOCKSPACE_EOF\n", name, value);
	else
		result = ds_buf_printf(&b, "%s=%s\n", name, value);
	if (result != DS_OK)
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
	else
		result = ds_ci_append_file(path, b.ptr, b.len, err);
	ds_buf_free(&b);
	return result;
}
