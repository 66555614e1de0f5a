/* test_cli_args.c: the command line read into a make function's call,
 * driven by tests/data/cli.cases (jq.test style), and the exit status. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "testutil.h"
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"

/* Parse a NULL-terminated list of words (after the program name). */
static enum ds_code parse(struct ds_cli *cli, struct ds_err *err, ...)
{
	char *words[32];
	int n = 0;
	va_list ap;

	words[n++] = "dockspace";
	va_start(ap, err);
	while (n < 31 && (words[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	return ds_cli_parse(cli, n, words, err);
}

/* Split s in place at each '|' into at most max words; returns the count. */
static int split(char *s, char **words, int max)
{
	int n = 0;

	words[n++] = s;
	while (n < max && (s = strchr(s, '|')) != NULL) {
		*s++ = '\0';
		words[n++] = s;
	}
	return n;
}

/* Turn each "\n" of s into a line feed, in place. */
static void unescape(char *s)
{
	char *to = s;

	for (; *s; s++)
		if (s[0] == '\\' && s[1] == 'n') {
			*to++ = '\n';
			s++;
		} else {
			*to++ = *s;
		}
	*to = '\0';
}

/* One check of a case: KEY: VALUE (see tests/data/cli.cases). */
static void check_line(struct ds_cli *cli, enum ds_code code,
		       const struct ds_err *err, struct ds_buf *help,
		       char *key, char *value, int line)
{
	char *words[32], *eq;
	int n, i;

	if (strcmp(key, "error") == 0) {
		if (code != DS_E_ARG || strcmp(err->msg, value) != 0)
			fail_msg("cli.cases:%d: code %d, '%s', want '%s'", line,
				 (int)code, err->msg, value);
		return;
	}
	if (code != DS_OK)
		fail_msg("cli.cases:%d: refused: %s", line, err->msg);
	if (strcmp(key, "call") == 0) {
		n = split(value, words, 32);
		if (!cli->fn || strcmp(cli->fn, words[0]) != 0)
			fail_msg("cli.cases:%d: runs '%s', want '%s'", line,
				 cli->fn ? cli->fn : "(none)", words[0]);
		if (cli->argc != (unsigned int)n - 1)
			fail_msg("cli.cases:%d: %u arguments, want %d", line,
				 cli->argc, n - 1);
		for (i = 1; i < n; i++)
			if (strcmp(cli->argv[i - 1], words[i]) != 0)
				fail_msg("cli.cases:%d: argument %d is '%s', "
					 "want '%s'", line, i - 1,
					 cli->argv[i - 1], words[i]);
	} else if (strcmp(key, "var") == 0) {
		const char *got;

		eq = strchr(value, '=');
		if (eq)
			*eq++ = '\0';
		got = ds_cli_var(cli, value);
		if (eq ? !got || strcmp(got, eq) != 0 : got != NULL)
			fail_msg("cli.cases:%d: %s is '%s', want '%s'", line,
				 value, got ? got : "(unset)",
				 eq ? eq : "(unset)");
	} else if (strcmp(key, "help") == 0) {
		assert_true(cli->help);
		if (help->len == 0)
			assert_int_equal(ds_cli_help(help, cli), DS_OK);
		unescape(value);
		assert_has(help->ptr, value);
	} else {
		fail_msg("cli.cases:%d: unknown key '%s'", line, key);
	}
}

/* One case: parse its args line, then check each line that follows. */
static void check_case(char **lines, int n, int line)
{
	struct ds_cli cli;
	struct ds_err err = DS_ERR_INIT;
	struct ds_buf help = DS_BUF_INIT;
	char *words[32];
	enum ds_code code;
	int i, nw;

	if (n < 2 || strncmp(lines[0], "args: ", 6) != 0)
		fail_msg("cli.cases:%d: want 'args:' and a check", line);
	words[0] = "dockspace";
	nw = 1 + split(lines[0] + 6, words + 1, 31);
	code = ds_cli_parse(&cli, nw, words, &err);
	for (i = 1; i < n; i++) {
		char *colon = strstr(lines[i], ": ");

		if (!colon)
			fail_msg("cli.cases:%d: want KEY: VALUE", line + i);
		*colon = '\0';
		check_line(&cli, code, &err, &help, lines[i], colon + 2,
			   line + i);
	}
	ds_buf_free(&help);
	if (code == DS_OK)
		ds_cli_free(&cli);
	ds_err_clear(&err);
}

/* Every case of tests/data/cli.cases parses as it says. */
static void cli_should_parse_its_cases(void **state)
{
	char *text = ds_test_read("cli.cases", NULL), *p = text, *next;
	char *lines[16];
	int n = 0, line = 0, first = 0, cases = 0;

	(void)state;
	for (; p; p = next) {
		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		line++;
		if (*p == '#')
			continue;
		if (*p) {
			if (!n)
				first = line;
			assert_true(n < 16);
			lines[n++] = p;
			if (next)
				continue;
		}
		if (n) {
			check_case(lines, n, first);
			cases++;
		}
		n = 0;
	}
	free(text);
	assert_int_equal(cases, 19);
	/* the output's name can be no environment variable's */
	assert_non_null(strchr(DS_CLI_OUTPUT, '.'));
}

static void status_should_answer_a_shell_if(void **state)
{
	struct ds_cli cli;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse(&cli, &err, "fits", "3G", NULL), DS_OK);
	assert_int_equal(ds_cli_status(&cli, "yes"), 0);
	assert_int_equal(ds_cli_status(&cli, ""), 3);
	assert_int_equal(ds_cli_status(&cli, NULL), 3);
	ds_cli_free(&cli);
	assert_int_equal(parse(&cli, &err, "tier", NULL), DS_OK);
	assert_int_equal(ds_cli_status(&cli, "full"), 0);
	assert_int_equal(ds_cli_status(&cli, "minimal"), 0);
	assert_int_equal(ds_cli_status(&cli, "critical"), 3);
	ds_cli_free(&cli);
	assert_int_equal(parse(&cli, &err, "space", NULL), DS_OK);
	assert_int_equal(ds_cli_status(&cli, ""), 0);
	ds_cli_free(&cli);
}

DS_TEST_MAIN(
	cmocka_unit_test(cli_should_parse_its_cases),
	cmocka_unit_test(status_should_answer_a_shell_if))
