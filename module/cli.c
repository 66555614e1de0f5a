/*
 * cli.c: the dockspace command, the other glue beside glue.c.  It runs
 * the same make functions (fns.h) with its own services (call.h):
 * variables from the options and the environment, warnings and errors
 * on stderr as "dockspace: ...", and the state make keeps in variables
 * during a run (the pins) in a file of the state directory, so that it
 * lasts from one command to the next:
 *
 *   $DOCKSPACE_STATE_DIR/pins (.dockspace/pins)  DOCKSPACE_PINS
 *
 * Exit status: 0 done, 1 failed, 2 usage error (the errors make reports
 * naming the function), 3 for fits without room and a critical tier.
 *
 * With --make (dockspace.mk's command mode, where $(shell) takes stdout
 * as the function's value): stdout gets one line, "STATUS TEXT", TEXT
 * being the function's value or, when STATUS is 1 or 2, its error
 * message for make's $(error); whatever else would go to stdout goes to
 * stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "call.h"
#include "cli_args.h"
#include "fns.h"
#include "http.h"
#include "os.h"
#include "words.h"

/* This glue's services (call.h), set up below. */
static const struct ds_call call;

/* The command line, read once. */
static struct ds_cli cli;

/* The engine connection, opened on first use. */
static struct ds_engine *engine;

/* With --make: the real stdout, for the "STATUS TEXT" line. */
static FILE *answer;

/* A variable: the options' value, else the environment's; trimmed,
 * malloc'd, NULL when unset or empty (call.h's getvar). */
static char *env_or_option(const char *name)
{
	const char *v = ds_cli_var(&cli, name);
	char *val;

	if (!v)
		v = getenv(name);
	val = v ? ds_trim_copy(v) : NULL;
	if (val && !*val) {
		free(val);
		val = NULL;
	}
	return val;
}

/* The file a variable kept across commands lives in, or NULL when
 * name is not one of them (malloc'd). */
static char *state_file(const char *name)
{
	struct ds_buf b = DS_BUF_INIT;
	char *dir;

	if (strcmp(name, "DOCKSPACE_PINS") != 0 ||
	    !(dir = ds_call_state_dir(&call)))
		return NULL;
	ds_buf_printf(&b, "%s/pins", dir);
	free(dir);
	if (ds_buf_error(&b) != DS_OK) {
		ds_buf_free(&b);
		return NULL;
	}
	return ds_buf_detach(&b);
}

/* Print "dockspace: MSG" on stderr (defined below). */
static void warn(const char *msg);

/*
 * getvar for the functions: the pins from the state file when it
 * exists (else from the environment); any other variable from the
 * options, else the environment.
 */
static char *getvar(const char *name)
{
	char *path = state_file(name), *val = NULL;
	struct ds_buf b = DS_BUF_INIT;
	struct ds_err err = DS_ERR_INIT;

	if (path && access(path, F_OK) == 0) {
		if (ds_buf_read_file(&b, path, &err) == DS_OK)
			val = ds_trim_copy(b.ptr);
		else if (err.code != DS_OK)
			warn(err.msg);
		ds_buf_free(&b);
		free(path);
		if (val && !*val) {
			free(val);
			val = NULL;
		}
		return val;
	}
	free(path);
	return env_or_option(name);
}

/* What the functions get from this glue (call.h); defined below. */
static enum ds_code get_engine(struct ds_engine **out, struct ds_err *err);
static enum ds_code setvar(const char *name, const char *value,
			   struct ds_err *err);
static enum ds_code define(const char *text, struct ds_err *err);

static const struct ds_call call = { getvar, get_engine, warn, setvar,
				     define };

/* Connect to the engine on first use; later calls reuse it. */
static enum ds_code get_engine(struct ds_engine **out, struct ds_err *err)
{
	return ds_call_engine_once(&call, &engine, out, err);
}

/* Print "dockspace: MSG" on stderr (and as a GitHub annotation). */
static void warn(const char *msg)
{
	struct ds_buf b = DS_BUF_INIT;

	ds_buf_printf(&b, "dockspace: %s", msg);
	if (ds_buf_error(&b) == DS_OK) {
		ds_call_annotate(&call, "warning", b.ptr);
		fprintf(stderr, "%s\n", b.ptr);
	}
	ds_buf_free(&b);
}

/* Keep a variable for later commands (see the top of this file). */
static enum ds_code setvar(const char *name, const char *value,
			   struct ds_err *err)
{
	enum ds_code result;
	char *path = state_file(name), *dir = ds_call_state_dir(&call);
	struct ds_buf text = DS_BUF_INIT;

	if (!path || !dir) {
		result = ds_err_set(err, DS_E_UNSUPPORTED, "cannot keep '%s' "
				    "between commands", name);
		goto done;
	}
	if (ds_buf_printf(&text, "%s\n", value) != DS_OK) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	result = ds_os_mkdirs(dir, err);
	if (result == DS_OK)
		result = ds_os_write_file(path, text.ptr, text.len, err);
done:
	ds_buf_free(&text);
	free(path);
	free(dir);
	return result;
}

/*
 * For pin and unpin (read the pins, write them back): hold an exclusive
 * lock on DIR/pins.lock until the command exits, so that commands run
 * at once (make -j) each see the one before.  The lock goes with the
 * process; its file stays.
 */
static enum ds_code lock_pins(struct ds_err *err)
{
	enum ds_code result;
	char *dir = ds_call_state_dir(&call), reason[128];
	struct ds_buf path = DS_BUF_INIT;
	int fd, locked;

	if (!dir || ds_buf_printf(&path, "%s/pins.lock", dir) != DS_OK) {
		result = ds_err_set(err, DS_E_NOMEM, "out of memory");
		goto done;
	}
	result = ds_os_mkdirs(dir, err);
	if (result != DS_OK)
		goto done;
	fd = open(path.ptr, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		result = ds_err_set(err, DS_E_IO, "cannot open '%s': %s",
				    path.ptr, ds_errno_text(errno, reason,
				    sizeof(reason)));
		goto done;
	}
	while ((locked = flock(fd, LOCK_EX)) != 0 && errno == EINTR)
		;
	if (locked != 0) {
		result = ds_err_set(err, DS_E_IO, "cannot lock '%s': %s",
				    path.ptr, ds_errno_text(errno, reason,
				    sizeof(reason)));
		close(fd);
	}
done:
	ds_buf_free(&path);
	free(dir);
	return result;
}

/* Print make definitions on stdout, or write them to config's --output
 * file (docker-config). */
static enum ds_code define(const char *text, struct ds_err *err)
{
	const char *to = ds_cli_var(&cli, DS_CLI_OUTPUT);

	if (to)
		return ds_os_write_file(to, text, strlen(text), err);
	fputs(text, answer ? answer : stdout);
	return DS_OK;
}

/*
 * Report a failure of function name on stderr (with --make: in the
 * answer line), as make would word it: "dockspace: [FUNCTION: ]MESSAGE"
 * (the function named for argument errors), on one line; also a GitHub
 * annotation.  Returns the status.
 */
static int fail(const char *name, const struct ds_err *err)
{
	struct ds_buf b = DS_BUF_INIT;
	const char *p;
	int status;

	ds_buf_puts(&b, "dockspace: ");
	if (err->code == DS_E_ARG && name)
		ds_buf_printf(&b, "%s: ", name);
	for (p = err->msg; *p; p++)
		ds_buf_add(&b, *p == '\n' ? " " : p, 1);
	status = err->code == DS_E_ARG ? 2 : 1;
	if (ds_buf_error(&b) == DS_OK) {
		ds_call_annotate(&call, "error", b.ptr);
		if (answer)
			fprintf(answer, "%d %s\n", status, b.ptr);
		else
			fprintf(stderr, "%s\n", b.ptr);
	} else {
		/* no memory for the line: say the message as it is */
		if (answer)
			fprintf(answer, "%d dockspace: %s\n", status, err->msg);
		else
			fprintf(stderr, "dockspace: %s\n", err->msg);
	}
	ds_buf_free(&b);
	return status;
}

/* Print the help of cli's subcommand (or the overall help). */
static int help(FILE *to, int status)
{
	struct ds_buf b = DS_BUF_INIT;

	if (ds_cli_help(&b, &cli) == DS_OK)
		fputs(b.ptr, to);
	ds_buf_free(&b);
	return status;
}

/*
 * For --make: keep the real stdout as the answer's, and send what else
 * would be printed there to stderr.  0 on success.
 */
static int answer_apart(void)
{
	int fd = dup(STDOUT_FILENO);

	if (fd < 0 || !(answer = fdopen(fd, "w")) ||
	    dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		fprintf(stderr, "dockspace: cannot set stdout aside: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

/* Print the function's text: the line of --make, or the text as is. */
static void print_text(const struct ds_buf *out, int status)
{
	size_t i;

	if (answer) {
		fprintf(answer, "%d ", status);
		for (i = 0; i < out->len; i++)
			fputc(out->ptr[i] == '\n' ? ' ' : out->ptr[i], answer);
		fputc('\n', answer);
		return;
	}
	if (out->len) {
		fwrite(out->ptr, 1, out->len, stdout);
		if (out->ptr[out->len - 1] != '\n')
			fputc('\n', stdout);
	}
}

/* Run the subcommand: dockspace X ARG... is $(docker-X ARG,...). */
int main(int argc, char **argv)
{
	struct ds_buf out = DS_BUF_INIT;
	struct ds_err err = DS_ERR_INIT;
	int status;

	if (ds_cli_parse(&cli, argc, argv, &err) != DS_OK) {
		fprintf(stderr, "dockspace: %s\n", err.msg);
		return 2;
	}
	if (cli.for_make && answer_apart() != 0)
		return 1;
	if (cli.version) {
		printf("dockspace %s\n", VERSION);
		status = 0;
	} else if (cli.help) {
		status = help(stdout, 0);
	} else if (!cli.cmd) {
		fprintf(stderr, "dockspace: give a command, e.g. dockspace "
			"space G: see dockspace --help\n");
		status = 2;
	} else if (((strcmp(cli.fn, "docker-pin") == 0 ||
		     strcmp(cli.fn, "docker-unpin") == 0) &&
		    lock_pins(&err) != DS_OK) ||
		   ds_fn_run(&call, cli.fn, cli.argc, cli.argv, &out, &err)
		   != DS_OK) {
		status = fail(cli.fn, &err);
	} else {
		status = ds_cli_status(&cli, out.ptr);
		print_text(&out, status);
	}
	if (answer && fclose(answer) != 0 && status == 0)
		status = 1;
	if (fflush(stdout) != 0 && status == 0) {
		fprintf(stderr, "dockspace: cannot write the output: %s\n",
			strerror(errno));
		status = 1;
	}
	ds_buf_free(&out);
	ds_cli_free(&cli);
	ds_engine_close(engine);
	ds_http_global_cleanup();
	return status;
}
