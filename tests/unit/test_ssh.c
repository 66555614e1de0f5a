/*
 * test_ssh.c: the ssh command of an ssh:// engine, its one-line
 * failures, the process runner (on local commands), and reading df.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "space.h"
#include "ssh.h"
#include "testutil.h"

/* argv as one line, words separated by '|'. */
static void joined(char **argv, char *out, size_t n)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; argv[i]; i++) {
		if (i)
			strncat(out, "|", n - strlen(out) - 1);
		strncat(out, argv[i], n - strlen(out) - 1);
	}
}

/* The engine connection is the CLI's, plus BatchMode and a timeout. */
static void dial_argv_should_be_the_clis_command(void **state)
{
	static const struct {
		const char *host, *opts;
		long timeout_ms;
		const char *want;
	} cases[] = {
		{ "ssh://me@h.lan:2222", " -i /k  -o UserKnownHostsFile=/kh ",
		  10000, "ssh|-o|BatchMode=yes|-o|ConnectTimeout=10|"
		  "-i|/k|-o|UserKnownHostsFile=/kh|-T|-l|me|-p|2222|"
		  "--|h.lan|docker|system|dial-stdio" },
		{ "ssh://h/run/d.sock", NULL, 1,
		  "ssh|-o|BatchMode=yes|-o|ConnectTimeout=1|"
		  "-T|--|h|docker|--host|unix:///run/d.sock|system|"
		  "dial-stdio" },
	};
	struct ds_endpoint ep;
	struct ds_err err = DS_ERR_INIT;
	char **argv = NULL, line[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(ds_endpoint_parse_host(&ep, cases[i].host,
							"DOCKER_HOST", &err),
				 DS_OK);
		if (cases[i].opts)
			ep.ssh_opts = strdup(cases[i].opts);
		assert_int_equal(ds_ssh_dial_argv(&argv, &ep,
						  cases[i].timeout_ms, &err),
				 DS_OK);
		joined(argv, line, sizeof(line));
		assert_string_equal(line, cases[i].want);
		ds_ssh_argv_free(argv);
		ds_endpoint_free(&ep);
	}
}

/* A path for the remote shell is one word whatever it holds. */
static void quote_should_make_one_shell_word(void **state)
{
	char *q;

	(void)state;
	q = ds_ssh_quote("/var/lib/docker");
	assert_string_equal(q, "'/var/lib/docker'");
	free(q);
	q = ds_ssh_quote("/a b/it's $(x)");
	assert_string_equal(q, "'/a b/it'\\''s $(x)'");
	free(q);
}

/*
 * What ssh says becomes one line saying what failed and why: the whole
 * message where `exact` is set, else one that holds `has`.
 */
static void failure_should_say_what_failed_in_one_line(void **state)
{
	static const struct {
		const char *said;
		int status;
		const char *exact, *has;
	} cases[] = {
		{ "root@127.0.0.1: Permission denied (publickey).\r\n", 255,
		  "cannot reach engine at 'ssh://***@h:22': ssh could not log "
		  "in: root@127.0.0.1: Permission denied (publickey)", NULL },
		{ "No ED25519 host key is known for [h]:22 and you have "
		  "requested strict checking.\nHost key verification failed.\n",
		  255, NULL, "ssh does not trust the host's key" },
		{ "No ED25519 host key is known for [h]:22 and you have "
		  "requested strict checking.\nHost key verification failed.\n",
		  255, NULL, ": Host key verification failed" },
		{ "Warning: Permanently added 'h' to the list of known hosts.\n"
		  "bash: line 1: docker: command not found\n", 127,
		  "cannot reach engine at 'ssh://***@h:22': no docker command "
		  "on the remote host: bash: line 1: docker: command not found",
		  NULL },
		{ "ssh: connect to host h port 22: Connection refused\n", 255,
		  NULL, "ssh cannot connect: ssh: connect to host" },
		{ "failed to open the raw stream connection: dial unix "
		  "/x.sock: connect: no such file or directory\n", 1,
		  "cannot reach engine at 'ssh://***@h:22': docker on the "
		  "remote host cannot reach its engine: failed to open the raw "
		  "stream connection: dial unix /x.sock: connect: no such file "
		  "or directory", NULL },
		{ "", 255, "cannot reach engine at 'ssh://***@h:22': ssh ended "
		  "(status 255) without a word", NULL },
		{ "cannot run 'ssh': No such file or directory\n", 127,
		  NULL, "ssh cannot be started: cannot run 'ssh'" },
		{ "x\x1b[31my\n", 1, NULL,
		  "the remote command failed: x?[31my" },
	};
	struct ds_err err = DS_ERR_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ds_ssh_failure("ssh://u@h:22", cases[i].said, cases[i].status,
			       &err);
		if (cases[i].exact)
			assert_string_equal(err.msg, cases[i].exact);
		else
			assert_has(err.msg, cases[i].has);
		assert_lacks(err.msg, "\n");
		assert_int_equal(err.code, DS_E_CONNECT);
		ds_err_clear(&err);
	}
}

/*
 * The runner reads stdout, turns a failure into one line (the whole
 * message where exact is set, else one that holds msg), stops a command
 * that does not end in time, and reaps every child.
 */
static void run_should_read_stdout_and_reap(void **state)
{
	static const struct {
		const char *argv[4];
		long timeout_ms;
		enum ds_code code;
		const char *out, *msg;
		int exact;
	} cases[] = {
		/* stdin is empty: cat ends at once */
		{ { "sh", "-c", "cat; echo hello; echo noise >&2", NULL },
		  10000, DS_OK, "hello\n", NULL, 0 },
		{ { "sh", "-c", "echo 'sh: 1: docker: not found' >&2; exit 127",
		    NULL }, 10000, DS_E_CONNECT, NULL,
		  "cannot reach engine at 'ssh://h': no docker command on the "
		  "remote host: sh: 1: docker: not found", 1 },
		{ { "/nonexistent/ssh", NULL }, 10000, DS_E_CONNECT, NULL,
		  "cannot reach engine at 'ssh://h': ssh cannot be started: "
		  "cannot run '/nonexistent/ssh': No such file or directory", 1 },
		{ { "sleep", "30", NULL }, 200, DS_E_TIMEOUT, NULL,
		  "engine at 'ssh://h' did not answer in time", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ds_err err = DS_ERR_INIT;
		struct ds_buf out = DS_BUF_INIT;

		assert_int_equal(ds_ssh_run((char *const *)cases[i].argv, "ssh://h",
					    cases[i].timeout_ms, &out, &err),
				 cases[i].code);
		if (cases[i].out)
			assert_string_equal(out.ptr, cases[i].out);
		if (cases[i].msg && cases[i].exact)
			assert_string_equal(err.msg, cases[i].msg);
		else if (cases[i].msg)
			assert_has(err.msg, cases[i].msg);
		/* nothing left */
		assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
		assert_int_equal(errno, ECHILD);
		ds_buf_free(&out);
	}
}

/* POSIX df -P -k output, as GNU, busybox and BSD print it. */
static void parse_df_should_read_posix_output(void **state)
{
	uint64_t avail = 0, total = 0;

	(void)state;
	assert_int_equal(ds_space_parse_df(
		"Filesystem     1024-blocks    Used Available Capacity Mounted on\n"
		"/dev/loop3          235431    8407    227024       4% /tmp/x/root\n",
		&avail, &total), 0);
	assert_int_equal(avail, 227024ULL * 1024);
	assert_int_equal(total, 235431ULL * 1024);
	/* a device name with a space, a mount point with one */
	assert_int_equal(ds_space_parse_df(
		"Filesystem 1024-blocks Used Available Capacity Mounted on\n"
		"my disk 1000 10 990 1% /mnt/a b\n", &avail, &total), 0);
	assert_int_equal(avail, 990ULL * 1024);
	assert_int_equal(total, 1000ULL * 1024);
	assert_int_equal(ds_space_parse_df("", &avail, &total), -1);
	assert_int_equal(ds_space_parse_df("df: /x: No such file or directory\n",
					   &avail, &total), -1);
	assert_int_equal(ds_space_parse_df("Filesystem\n/dev/x 1 2 x 3%\n",
					   &avail, &total), -1);
}

DS_TEST_MAIN(
	cmocka_unit_test(dial_argv_should_be_the_clis_command),
	cmocka_unit_test(quote_should_make_one_shell_word),
	cmocka_unit_test(failure_should_say_what_failed_in_one_line),
	cmocka_unit_test(run_should_read_stdout_and_reap),
	cmocka_unit_test(parse_df_should_read_posix_output))
