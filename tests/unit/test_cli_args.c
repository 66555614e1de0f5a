/* test_cli_args.c: the command line read into a make function's call. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "testutil.h"
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

/* Assert cli runs fn with exactly the arguments given (NULL-ended). */
static void assert_call(const struct ds_cli *cli, const char *fn, ...)
{
	unsigned int i = 0;
	const char *want;
	va_list ap;

	assert_non_null(cli->fn);
	assert_string_equal(cli->fn, fn);
	va_start(ap, fn);
	while ((want = va_arg(ap, const char *)) != NULL) {
		if (i >= cli->argc)
			fail_msg("argument %u missing: want '%s'", i, want);
		assert_string_equal(cli->argv[i], want);
		i++;
	}
	va_end(ap);
	assert_int_equal(cli->argc, i);
}

static void positionals_should_be_the_functions_arguments(void **state)
{
	struct ds_cli cli;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse(&cli, &err, "space", "G", "/tmp", NULL), DS_OK);
	assert_call(&cli, "docker-space", "G", "/tmp", NULL);
	ds_cli_free(&cli);
	assert_int_equal(parse(&cli, &err, "tier", "8G", "5G", "2G", NULL),
			 DS_OK);
	assert_call(&cli, "docker-tier", "8G", "5G", "2G", NULL);
	ds_cli_free(&cli);
	assert_int_equal(parse(&cli, &err, "engine", NULL), DS_OK);
	assert_call(&cli, "docker-engine", NULL);
	ds_cli_free(&cli);
}

static void ref_lists_should_be_one_argument(void **state)
{
	struct ds_cli cli;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse(&cli, &err, "pin", "a:1", "b:2", NULL), DS_OK);
	assert_call(&cli, "docker-pin", "a:1 b:2", NULL);
	ds_cli_free(&cli);
	assert_int_equal(parse(&cli, &err, "checkpoint", "after", "build",
			       NULL), DS_OK);
	assert_call(&cli, "docker-checkpoint", "after build", NULL);
	ds_cli_free(&cli);
}

static void prune_options_should_follow_what(void **state)
{
	struct ds_cli cli;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse(&cli, &err, "prune", "--keep", "2", "images",
			       "--until=24h", "--protect", "app:*",
			       "--protect", "db:*", "--dry-run", "--json",
			       NULL), DS_OK);
	assert_call(&cli, "docker-prune", "images", "keep=2", "until=24h",
		    "protect=app:*", "protect=db:*", "dry-run", "json", NULL);
	assert_null(ds_cli_var(&cli, "DOCKSPACE_QUIET"));
	ds_cli_free(&cli);
	assert_int_equal(parse(&cli, &err, "prune", "all", "--max-cache",
			       "1G", "--free", "5G", "--strict", "--quiet",
			       NULL), DS_OK);
	assert_call(&cli, "docker-prune", "all", "max-cache=1G", "free=5G",
		    "strict", NULL);
	assert_string_equal(ds_cli_var(&cli, "DOCKSPACE_QUIET"), "yes");
	ds_cli_free(&cli);
	/* options as make writes them, then long ones: all after WHAT */
	assert_int_equal(parse(&cli, &err, "prune", "--dry-run", "dangling "
			       "cache", "free=2G", "keep=1", NULL), DS_OK);
	assert_call(&cli, "docker-prune", "dangling cache", "free=2G",
		    "keep=1", "dry-run", NULL);
	ds_cli_free(&cli);
}

static void flags_should_fill_their_argument(void **state)
{
	struct ds_cli cli;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse(&cli, &err, "usage", "--json", NULL), DS_OK);
	assert_call(&cli, "docker-usage", "json", NULL);
	ds_cli_free(&cli);
	assert_int_equal(parse(&cli, &err, "layers", "app:1", "--json", NULL),
			 DS_OK);
	assert_call(&cli, "docker-layers", "app:1", "", "json", NULL);
	ds_cli_free(&cli);
}

static void global_options_should_set_variables(void **state)
{
	struct ds_cli cli;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse(&cli, &err, "-H", "unix:///x.sock",
			       "--budget", "5G", "fits", "3G",
			       "--state-dir=/s", "--budget", "6G", NULL),
			 DS_OK);
	assert_call(&cli, "docker-fits", "3G", NULL);
	assert_string_equal(ds_cli_var(&cli, "DOCKER_HOST"),
			    "unix:///x.sock");
	assert_string_equal(ds_cli_var(&cli, "DOCKSPACE_BUDGET"), "6G");
	assert_string_equal(ds_cli_var(&cli, "DOCKSPACE_STATE_DIR"), "/s");
	assert_null(ds_cli_var(&cli, "DOCKER_CONTEXT"));
	ds_cli_free(&cli);
}

static void config_output_should_be_no_environment_name(void **state)
{
	struct ds_cli cli;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse(&cli, &err, "config", "bc.json", "--output",
			       "out.mk", NULL), DS_OK);
	assert_call(&cli, "docker-config", "bc.json", NULL);
	assert_string_equal(ds_cli_var(&cli, DS_CLI_OUTPUT), "out.mk");
	assert_non_null(strchr(DS_CLI_OUTPUT, '.'));
	ds_cli_free(&cli);
}

static void usage_errors_should_say_what_is_wrong(void **state)
{
	struct ds_cli cli;
	struct ds_err err = DS_ERR_INIT;

	(void)state;
	assert_int_equal(parse(&cli, &err, "spaec", NULL), DS_E_ARG);
	assert_string_equal(err.msg, "unknown command 'spaec': see "
			    "dockspace --help");
	ds_err_clear(&err);
	assert_int_equal(parse(&cli, &err, "fits", "3G", "4G", NULL),
			 DS_E_ARG);
	assert_string_equal(err.msg, "too many arguments (2): use "
			    "dockspace fits SIZE");
	ds_err_clear(&err);
	assert_int_equal(parse(&cli, &err, "space", "--keep", "2", NULL),
			 DS_E_ARG);
	assert_string_equal(err.msg, "unknown option '--keep' for space");
	ds_err_clear(&err);
	assert_int_equal(parse(&cli, &err, "prune", "images", "--keep",
			       NULL), DS_E_ARG);
	assert_string_equal(err.msg, "option '--keep' needs a value");
	ds_err_clear(&err);
	assert_int_equal(parse(&cli, &err, "prune", "images", "--dry-run=1",
			       NULL), DS_E_ARG);
	assert_string_equal(err.msg, "option '--dry-run' takes no value");
}

static void help_should_name_the_subcommand(void **state)
{
	struct ds_cli cli;
	struct ds_err err = DS_ERR_INIT;
	struct ds_buf b = DS_BUF_INIT;

	(void)state;
	assert_int_equal(parse(&cli, &err, "fits", "--help", NULL), DS_OK);
	assert_true(cli.help);
	assert_int_equal(ds_cli_help(&b, &cli), DS_OK);
	assert_non_null(strstr(b.ptr, "usage: dockspace fits SIZE\n"));
	assert_non_null(strstr(b.ptr, "$(docker-fits ...)"));
	ds_buf_free(&b);
	ds_cli_free(&cli);
	assert_int_equal(parse(&cli, &err, "help", "prune", NULL), DS_OK);
	assert_true(cli.help);
	assert_int_equal(ds_cli_help(&b, &cli), DS_OK);
	assert_non_null(strstr(b.ptr, "--protect PATTERN"));
	ds_buf_free(&b);
	ds_cli_free(&cli);
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
	cmocka_unit_test(positionals_should_be_the_functions_arguments),
	cmocka_unit_test(ref_lists_should_be_one_argument),
	cmocka_unit_test(prune_options_should_follow_what),
	cmocka_unit_test(flags_should_fill_their_argument),
	cmocka_unit_test(global_options_should_set_variables),
	cmocka_unit_test(config_output_should_be_no_environment_name),
	cmocka_unit_test(usage_errors_should_say_what_is_wrong),
	cmocka_unit_test(help_should_name_the_subcommand),
	cmocka_unit_test(status_should_answer_a_shell_if))
