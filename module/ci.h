/*
 * ci.h: CI-native output.  GitHub Actions (GITHUB_ACTIONS=true):
 * workflow-command annotations on stdout, Markdown appended to the file
 * $GITHUB_STEP_SUMMARY names, name=value lines appended to $GITHUB_OUTPUT.
 * GitLab CI (GITLAB_CI=true): collapsible sections around long output.
 * Anywhere else: nothing extra.
 *
 * Formatting functions are pure and append to a caller's buffer; the
 * two file functions append to the named file (created when missing).
 */
#ifndef DS_CI_H
#define DS_CI_H

#include <stdint.h>

#include "buf.h"
#include "error.h"

enum ds_ci { DS_CI_NONE, DS_CI_GITHUB, DS_CI_GITLAB };

/* Which CI this is, from the values of GITHUB_ACTIONS and GITLAB_CI
 * (either may be NULL); "true" in each counts. */
enum ds_ci ds_ci_detect(const char *github_actions, const char *gitlab_ci);

/*
 * Append a GitHub annotation line: "::LEVEL title=TITLE::MSG\n", LEVEL
 * being error, warning or notice; title may be NULL.  Characters GitHub
 * reads specially (%, CR, LF; and ',' ':' in the title) are escaped.
 */
enum ds_code ds_ci_annotation(struct ds_buf *out, const char *level,
			      const char *title, const char *msg);

/*
 * Append a GitLab section start or end line.  id is made of [a-z0-9_.-]
 * (other characters become '_'); now is unix seconds.
 */
enum ds_code ds_ci_section_start(struct ds_buf *out, const char *id,
				 const char *header, int collapsed,
				 int64_t now);
enum ds_code ds_ci_section_end(struct ds_buf *out, const char *id,
			       int64_t now);

/* Append text to the file at path (GITHUB_STEP_SUMMARY). */
enum ds_code ds_ci_append_file(const char *path, const char *text,
			       size_t len, struct ds_err *err);

/*
 * Append "NAME=VALUE\n" to the file at path (GITHUB_OUTPUT); a value
 * with a newline is written in the file's NAME<<DELIMITER form.
 */
enum ds_code ds_ci_output(const char *path, const char *name,
			  const char *value, struct ds_err *err);

#endif
