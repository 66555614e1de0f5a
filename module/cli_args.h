/*
 * cli_args.h: the dockspace command's arguments, read into the make
 * function they stand for.  `dockspace X ARG...` runs $(docker-X
 * ARG,...): each positional is one of the function's arguments (or,
 * for functions taking REF..., all of them joined by blanks into the
 * one), and each option sets an argument or a variable the function
 * reads (e.g. prune's --keep 2 is its keep=2, --budget 5G is
 * DOCKSPACE_BUDGET).  Pure: no I/O.
 *
 * Everything in struct ds_cli is malloc'd and owned by it;
 * ds_cli_free() frees it.
 */
#ifndef DS_CLI_ARGS_H
#define DS_CLI_ARGS_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

/* The pseudo-variable config's --output sets (no environment name has a
 * dot). */
#define DS_CLI_OUTPUT "dockspace.output"

/* How the exit status reads a function's text (see ds_cli_status). */
enum ds_cli_status { DS_CLI_PLAIN, DS_CLI_FITS, DS_CLI_TIER };

/* A subcommand: its name, the make function, what it takes. */
struct ds_cli_cmd;

/* One variable the options set, for the function to read. */
struct ds_cli_var {
	char *name;
	char *value;
};

struct ds_cli {
	const struct ds_cli_cmd *cmd; /* NULL: no subcommand (help only) */
	const char *fn;               /* the make function, e.g. docker-fits */
	unsigned int argc;            /* its arguments, as make splits them */
	char **argv;
	struct ds_cli_var *vars;      /* the variables the options set */
	size_t n_vars;
	int help;                     /* --help: print help, run nothing */
	int version;                  /* --version */
	int for_make;                 /* --make: dockspace.mk's protocol
				       * (cli.c) */
};

/*
 * Read the command line (argv[0] is the program) into out.  A usage
 * error (unknown subcommand or option, a missing option value, too
 * many arguments) is DS_E_ARG with a message naming what is wrong.
 */
enum ds_code ds_cli_parse(struct ds_cli *out, int argc, char *const *argv,
			  struct ds_err *err);

/* Free what ds_cli_parse allocated. */
void ds_cli_free(struct ds_cli *cli);

/* The value the options gave variable name, or NULL. */
const char *ds_cli_var(const struct ds_cli *cli, const char *name);

/* How cli's subcommand turns its text into an exit status. */
enum ds_cli_status ds_cli_status_kind(const struct ds_cli *cli);

/*
 * The exit status of a subcommand that succeeded with text out: 0, but
 * for fits (3 when out is not "yes") and tier (3 when "critical").
 */
int ds_cli_status(const struct ds_cli *cli, const char *out);

/* Append the help of cli's subcommand (or the overall help when it has
 * none) to out. */
enum ds_code ds_cli_help(struct ds_buf *out, const struct ds_cli *cli);

#endif
