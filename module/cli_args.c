/*
 * cli_args.c: the dockspace command's arguments (cli_args.h).  The
 * table below is the command's whole surface: each subcommand, the
 * make function it runs, its positionals and its options.
 */
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "words.h"

/* What an option does. */
enum opt_kind {
	OPT_ARG,    /* sets argument `arg` to `to` (or to its value) */
	OPT_APPEND, /* appends an argument: `to`, or `to`=VALUE */
	OPT_VAR     /* sets variable `to` to its value (a flag: "yes") */
};

/* One option: --name [VALUE]. */
struct opt {
	const char *name;
	int takes_value;
	enum opt_kind kind;
	const char *to;
	unsigned int arg;
	const char *help;
};

#define MAX_OPTS 10

struct ds_cli_cmd {
	const char *name;
	const char *fn;          /* the make function */
	unsigned int max_pos;    /* positionals taken at most */
	int join;                /* all positionals are one argument */
	enum ds_cli_status status;
	const char *synopsis;    /* after "dockspace NAME" */
	const char *help;        /* one paragraph */
	struct opt opts[MAX_OPTS];
};

/* Options every subcommand takes: the engine and the state. */
static const struct opt global_opts[] = {
	{ "host", 1, OPT_VAR, "DOCKER_HOST", 0,
	  "-H, --host URL       the engine (DOCKER_HOST)" },
	{ "context", 1, OPT_VAR, "DOCKER_CONTEXT", 0,
	  "--context NAME       a docker context (DOCKER_CONTEXT)" },
	{ "budget", 1, OPT_VAR, "DOCKSPACE_BUDGET", 0,
	  "--budget SIZE        the space the engine may use "
	  "(DOCKSPACE_BUDGET)" },
	{ "timeout", 1, OPT_VAR, "DOCKSPACE_TIMEOUT", 0,
	  "--timeout SECONDS    per engine request (DOCKSPACE_TIMEOUT)" },
	{ "state-dir", 1, OPT_VAR, "DOCKSPACE_STATE_DIR", 0,
	  "--state-dir DIR      checkpoints, pins, image sizes "
	  "(DOCKSPACE_STATE_DIR, .dockspace)" },
	{ NULL, 0, OPT_ARG, NULL, 0, NULL }
};

/* Every subcommand. */
static const struct ds_cli_cmd commands[] = {
	{ "space", "docker-space", 2, 0, DS_CLI_PLAIN, "[UNIT] [PATH]",
	  "Print the free space for the engine (or for PATH) in bytes, or "
	  "in whole UNITs (K, M, G, T, KB, MB, GB...).", { { NULL } } },
	{ "tier", "docker-tier", 3, 0, DS_CLI_TIER, "[FULL MEDIUM MINIMAL]",
	  "Print full, medium, minimal or critical: the build the free "
	  "space allows, against three thresholds (or DOCKSPACE_TIER_FULL, "
	  "_MEDIUM, _MINIMAL; 8G, 5G, 2G).  Exit status 0, but 3 when "
	  "critical.", { { NULL } } },
	{ "threshold", "docker-threshold", 2, 0, DS_CLI_PLAIN,
	  "full|medium|minimal [UNIT]",
	  "Print a tier threshold (DOCKSPACE_TIER_FULL, _MEDIUM, _MINIMAL, "
	  "else the default) in bytes, or in whole UNITs.", { { NULL } } },
	{ "fits", "docker-fits", 1, 0, DS_CLI_FITS, "SIZE",
	  "Print yes and exit 0 when at least SIZE is free; exit 3 (and "
	  "print nothing) when not: `if dockspace fits 3G; then ...`.",
	  { { NULL } } },
	{ "usage", "docker-usage", 1, 0, DS_CLI_PLAIN, "[--json]",
	  "Print what the engine holds (`docker system df`) and the free "
	  "space.",
	  { { "json", 0, OPT_ARG, "json", 0, "--json               as JSON" },
	    { NULL } } },
	{ "engine", "docker-engine", 0, 0, DS_CLI_PLAIN, "",
	  "Print the engine: KIND VERSION api API ENDPOINT.", { { NULL } } },
	{ "prune", "docker-prune", 16, 0, DS_CLI_PLAIN,
	  "WHAT [--keep N] [--until D] [--max-cache S] [--free S] "
	  "[--protect P]... [--strict] [--dry-run] [--json] [OPTION...]",
	  "Delete what the plan says: WHAT is images, dangling, containers, "
	  "cache, volumes or several of them (blank-separated, one "
	  "argument).  OPTIONs after WHAT are the make function's own "
	  "(keep=2, dry-run...).  The log goes to stderr; stdout gets the "
	  "bytes reclaimed (or the JSON).",
	  { { "keep", 1, OPT_APPEND, "keep", 0,
	      "--keep N             keep the N newest of each repository" },
	    { "until", 1, OPT_APPEND, "until", 0,
	      "--until DURATION     only what is older (e.g. 24h)" },
	    { "max-cache", 1, OPT_APPEND, "max-cache", 0,
	      "--max-cache SIZE     trim the build cache down to SIZE" },
	    { "free", 1, OPT_APPEND, "free", 0,
	      "--free SIZE          stop once SIZE is free" },
	    { "protect", 1, OPT_APPEND, "protect", 0,
	      "--protect PATTERN    never delete matching images "
	      "(repeatable)" },
	    { "strict", 0, OPT_APPEND, "strict", 0,
	      "--strict             fail when --free is not reached" },
	    { "dry-run", 0, OPT_APPEND, "dry-run", 0,
	      "--dry-run            print the plan, delete nothing" },
	    { "json", 0, OPT_APPEND, "json", 0,
	      "--json               the log as JSON on stdout" },
	    { "quiet", 0, OPT_VAR, "DOCKSPACE_QUIET", 0,
	      "--quiet              no log (DOCKSPACE_QUIET)" },
	    { NULL } } },
	{ "pin", "docker-pin", 0, 1, DS_CLI_PLAIN, "REF...",
	  "Keep images out of every prune until unpinned: the pins are "
	  "kept in DIR/pins (DOCKSPACE_STATE_DIR, .dockspace).",
	  { { NULL } } },
	{ "unpin", "docker-unpin", 0, 1, DS_CLI_PLAIN, "REF...",
	  "Release pinned images.", { { NULL } } },
	{ "layers", "docker-layers", 3, 0, DS_CLI_PLAIN,
	  "REF [N] [--json | json]",
	  "Print the N largest layers of image REF and what to do about "
	  "them.",
	  { { "json", 0, OPT_ARG, "json", 2, "--json               as JSON" },
	    { NULL } } },
	{ "image-size", "docker-image-size", 1, 0, DS_CLI_PLAIN, "REF",
	  "Print the size of image REF in bytes.", { { NULL } } },
	{ "untag", "docker-untag", 0, 1, DS_CLI_PLAIN, "REF...",
	  "Remove image references (never an image's content).",
	  { { NULL } } },
	{ "sizes-report", "docker-sizes-report", 0, 1, DS_CLI_PLAIN,
	  "SERVICE[=IMAGE[|IMAGE...]]...",
	  "Print each service's image size against SERVICE_SIZE_LIMIT; "
	  "stdout's last line names the services over their limit.",
	  { { NULL } } },
	{ "checkpoint", "docker-checkpoint", 0, 1, DS_CLI_PLAIN, "LABEL",
	  "Measure the free space, append it to the run log "
	  "(DIR/checkpoints.tsv or DOCKSPACE_LOG) and print it.",
	  { { NULL } } },
	{ "report", "docker-report", 0, 0, DS_CLI_PLAIN, "",
	  "Print the run log's report (and, in CI, the step summary and "
	  "outputs).", { { NULL } } },
	{ "report-text", "docker-report-text", 1, 0, DS_CLI_PLAIN,
	  "[text|markdown]", "Print the run log's report as text or "
	  "Markdown, nothing else.", { { NULL } } },
	{ "monitor", "docker-monitor", 1, 0, DS_CLI_PLAIN, "[DURATION]",
	  "Print engine events as they come, for DURATION or until "
	  "interrupted.", { { NULL } } },
	{ "config", "docker-config", 1, 0, DS_CLI_PLAIN, "FILE [--output F]",
	  "Print the make variable definitions build-config FILE stands "
	  "for (or write them to F, replacing it).",
	  { { "output", 1, OPT_VAR, DS_CLI_OUTPUT, 0,
	      "--output F           write the definitions to file F" },
	    { NULL } } },
	{ "platforms", "docker-platforms", 1, 0, DS_CLI_PLAIN, "[native]",
	  "Print the platforms to build for: PLATFORMS (linux/amd64), plus "
	  "linux/arm64 for a release; with native, this host's platform.",
	  { { "release", 0, OPT_VAR, "RELEASE", 0,
	      "--release            this is a release (RELEASE)" },
	    { "platforms", 1, OPT_VAR, "PLATFORMS", 0,
	      "--platforms LIST     the platforms (PLATFORMS)" },
	    { NULL } } },
	{ "handoff", "docker-handoff", 3, 0, DS_CLI_PLAIN,
	  "'REF...' TO [--prune-source]",
	  "Stream the images (one argument) to TO (another engine, a "
	  "containerd namespace, an archive), verify them there and record "
	  "where they went; print the references handed off.  See "
	  "dockspace(7).",
	  { { "prune-source", 0, OPT_ARG, "prune-source", 2,
	      "--prune-source       then remove the verified images here, "
	      "and the build cache only they held" },
	    { NULL } } },
	{ "where", "docker-where", 1, 0, DS_CLI_PLAIN, "REF",
	  "Print where image REF is: here, the engine it was handed to, or "
	  "nothing.", { { NULL } } },
	{ "pipeline-summary", "docker-pipeline-summary", 3, 0, DS_CLI_PLAIN,
	  "MODE TAG ROW...", "Print the pipeline's closing table (and in "
	  "GitHub Actions append it to the step summary); a ROW is "
	  "SVC:TIER:ACTION:FREE:ROOM.  For dockspace.mk's pipeline.",
	  { { NULL } } },
	{ "pipeline-record", "docker-pipeline-record", 3, 0, DS_CLI_PLAIN,
	  "SVC BYTES [placeholder]", "Keep a build's (or a placeholder's) "
	  "size in the state directory.  For dockspace.mk's pipeline.",
	  { { NULL } } },
	{ "ci-section", "docker-ci-section", 3, 0, DS_CLI_PLAIN,
	  "start ID TEXT | end ID", "Print GitLab CI's collapsible-section "
	  "marker (nothing elsewhere).  For dockspace.mk's pipeline.",
	  { { NULL } } },
	{ "yes", "docker-yes", 1, 0, DS_CLI_PLAIN, "VAR",
	  "Print 1 when environment variable VAR says yes, nothing when it "
	  "says no or is unset; fail for anything else.", { { NULL } } },
	{ NULL, NULL, 0, 0, DS_CLI_PLAIN, NULL, NULL, { { NULL } } }
};

/* Find a subcommand by name. */
static const struct ds_cli_cmd *find_cmd(const char *name)
{
	const struct ds_cli_cmd *c;

	for (c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* Find option name (len bytes) among cmd's and the global ones. */
static const struct opt *find_opt(const struct ds_cli_cmd *cmd,
				  const char *name, size_t len)
{
	const struct opt *o;

	for (o = cmd ? cmd->opts : NULL; o && o->name; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	for (o = global_opts; o->name; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

/* Set variable name to value in cli (a later option wins). */
static enum ds_code set_var(struct ds_cli *cli, const char *name,
			    const char *value, struct ds_err *err)
{
	struct ds_cli_var *grown;
	char *n = strdup(name), *v = strdup(value);

	grown = realloc(cli->vars, (cli->n_vars + 1) * sizeof(*grown));
	if (!n || !v || !grown) {
		free(n);
		free(v);
		if (grown)
			cli->vars = grown;
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	}
	cli->vars = grown;
	cli->vars[cli->n_vars].name = n;
	cli->vars[cli->n_vars++].value = v;
	return DS_OK;
}

/* Set argument i to text (a copy), growing argv with empty ones. */
static enum ds_code set_arg(struct ds_cli *cli, unsigned int i,
			    const char *text, struct ds_err *err)
{
	char *copy;

	while (cli->argc <= i) {
		char **grown = realloc(cli->argv,
				       (cli->argc + 2) * sizeof(*grown));
		char *empty = strdup("");

		if (!grown || !empty) {
			free(empty);
			if (grown)
				cli->argv = grown;
			return ds_err_set(err, DS_E_NOMEM, "out of memory");
		}
		cli->argv = grown;
		cli->argv[cli->argc++] = empty;
		cli->argv[cli->argc] = NULL;
	}
	copy = strdup(text);
	if (!copy)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	free(cli->argv[i]);
	cli->argv[i] = copy;
	return DS_OK;
}

/* Append " text" to argument i (the joined positionals). */
static enum ds_code join_arg(struct ds_cli *cli, unsigned int i,
			     const char *text, struct ds_err *err)
{
	struct ds_buf b = DS_BUF_INIT;
	enum ds_code result;

	if (i < cli->argc && cli->argv[i][0])
		result = ds_buf_printf(&b, "%s %s", cli->argv[i], text);
	else
		result = ds_buf_puts(&b, text);
	if (result != DS_OK)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	result = set_arg(cli, i, b.ptr, err);
	ds_buf_free(&b);
	return result;
}

/*
 * Apply option o, with its value (NULL for a flag), to cli; the
 * arguments it appends go to *appends (placed after the positionals).
 */
static enum ds_code apply_opt(struct ds_cli *cli, const struct opt *o,
			      const char *value, struct ds_buf *appends,
			      unsigned int *n_append, struct ds_err *err)
{
	enum ds_code result;

	switch (o->kind) {
	case OPT_VAR:
		return set_var(cli, o->to, value ? value : "yes", err);
	case OPT_ARG:
		return set_arg(cli, o->arg, value ? value : o->to, err);
	case OPT_APPEND:
		break;
	}
	/* one NUL-terminated argument after another */
	result = value ? ds_buf_printf(appends, "%s=%s", o->to, value)
		       : ds_buf_puts(appends, o->to);
	if (result == DS_OK)
		result = ds_buf_add(appends, "", 1);
	if (result != DS_OK)
		return ds_err_set(err, DS_E_NOMEM, "out of memory");
	(*n_append)++;
	return DS_OK;
}

/* Read the command line into out (see cli_args.h). */
enum ds_code ds_cli_parse(struct ds_cli *out, int argc, char *const *argv,
			  struct ds_err *err)
{
	enum ds_code result = DS_OK;
	unsigned int n_pos = 0, n_append = 0;
	struct ds_buf appends = DS_BUF_INIT;
	const char *pos[64];
	int i, only_pos = 0;

	memset(out, 0, sizeof(*out));
	for (i = 1; result == DS_OK && i < argc; i++) {
		const char *a = argv[i], *name, *eq, *value = NULL;
		const struct opt *o;
		size_t len;

		if (only_pos || a[0] != '-' || !a[1]) {
			if (!out->cmd && !out->help &&
			    strcmp(a, "help") == 0 && !only_pos) {
				out->help = 1;
				continue;
			}
			if (!out->cmd) {
				out->cmd = find_cmd(a);
				if (!out->cmd)
					result = ds_err_set(err, DS_E_ARG,
						"unknown command '%s': see "
						"dockspace --help", a);
				continue;
			}
			if (n_pos == sizeof(pos) / sizeof(pos[0])) {
				result = ds_err_set(err, DS_E_ARG,
						    "too many arguments");
				break;
			}
			pos[n_pos++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			out->help = 1;
			continue;
		}
		if (strcmp(a, "--version") == 0) {
			out->version = 1;
			continue;
		}
		if (strcmp(a, "--make") == 0) {
			out->for_make = 1;
			continue;
		}
		if (strcmp(a, "-H") == 0) {
			name = "host";
			len = 4;
		} else if (a[1] == '-') {
			name = a + 2;
			eq = strchr(name, '=');
			len = eq ? (size_t)(eq - name) : strlen(name);
			value = eq ? eq + 1 : NULL;
		} else {
			result = ds_err_set(err, DS_E_ARG, "unknown option "
					    "'%s'", a);
			break;
		}
		o = find_opt(out->cmd, name, len);
		if (!o) {
			result = ds_err_set(err, DS_E_ARG, "unknown option "
					    "'--%.*s'%s%s", (int)len, name,
					    out->cmd ? " for " : "",
					    out->cmd ? out->cmd->name : "");
			break;
		}
		if (o->takes_value && !value) {
			if (i + 1 >= argc) {
				result = ds_err_set(err, DS_E_ARG, "option "
						    "'--%s' needs a value",
						    o->name);
				break;
			}
			value = argv[++i];
		} else if (!o->takes_value && value) {
			result = ds_err_set(err, DS_E_ARG, "option '--%s' "
					    "takes no value", o->name);
			break;
		}
		result = apply_opt(out, o, value, &appends, &n_append, err);
	}
	if (result == DS_OK && out->cmd) {
		const struct ds_cli_cmd *c = out->cmd;
		unsigned int k;

		out->fn = c->fn;
		if (!c->join && n_pos > c->max_pos && !out->help)
			result = ds_err_set(err, DS_E_ARG, "too many arguments "
					    "(%u): use dockspace %s %s", n_pos,
					    c->name, c->synopsis);
		for (k = 0; result == DS_OK && k < n_pos; k++)
			result = c->join ? join_arg(out, 0, pos[k], err)
					 : set_arg(out, k, pos[k], err);
		/* prune: WHAT first, the options after what was given */
		if (result == DS_OK && n_append) {
			const char *p = appends.ptr;
			unsigned int at = out->argc ? out->argc : 1;

			for (k = 0; result == DS_OK && k < n_append; k++) {
				result = set_arg(out, at + k, p, err);
				p += strlen(p) + 1;
			}
		}
	}
	ds_buf_free(&appends);
	if (result != DS_OK)
		ds_cli_free(out);
	return result;
}

/* Free what ds_cli_parse allocated. */
void ds_cli_free(struct ds_cli *cli)
{
	unsigned int i;
	size_t k;

	for (i = 0; i < cli->argc; i++)
		free(cli->argv[i]);
	free(cli->argv);
	for (k = 0; k < cli->n_vars; k++) {
		free(cli->vars[k].name);
		free(cli->vars[k].value);
	}
	free(cli->vars);
	cli->argv = NULL;
	cli->vars = NULL;
	cli->argc = 0;
	cli->n_vars = 0;
}

/* The value the options gave variable name, or NULL (the last wins). */
const char *ds_cli_var(const struct ds_cli *cli, const char *name)
{
	size_t k;

	for (k = cli->n_vars; k-- > 0;)
		if (strcmp(cli->vars[k].name, name) == 0)
			return cli->vars[k].value;
	return NULL;
}

/* How cli's subcommand turns its text into an exit status. */
enum ds_cli_status ds_cli_status_kind(const struct ds_cli *cli)
{
	return cli->cmd ? cli->cmd->status : DS_CLI_PLAIN;
}

/* The exit status of a subcommand that succeeded (see cli_args.h). */
int ds_cli_status(const struct ds_cli *cli, const char *out)
{
	switch (ds_cli_status_kind(cli)) {
	case DS_CLI_FITS:
		return out && strcmp(out, "yes") == 0 ? 0 : 3;
	case DS_CLI_TIER:
		return out && strcmp(out, "critical") == 0 ? 3 : 0;
	case DS_CLI_PLAIN:
		break;
	}
	return 0;
}

/* Append text wrapped at 72 columns (words never cut). */
static void wrap(struct ds_buf *out, const char *text)
{
	size_t col = 0, len;
	const char *p = text, *w;

	while ((w = ds_word_next(&p, &len)) != NULL) {
		if (col && col + 1 + len > 72) {
			ds_buf_puts(out, "\n");
			col = 0;
		}
		ds_buf_printf(out, "%s%.*s", col ? " " : "", (int)len, w);
		col += (col ? 1 : 0) + len;
	}
	ds_buf_puts(out, "\n");
}

/* Append the lines of the options in opts. */
static void help_opts(struct ds_buf *out, const struct opt *opts)
{
	const struct opt *o;

	for (o = opts; o->name; o++)
		ds_buf_printf(out, "  %s\n", o->help);
}

/* Append the help (see cli_args.h). */
enum ds_code ds_cli_help(struct ds_buf *out, const struct ds_cli *cli)
{
	const struct ds_cli_cmd *c = cli->cmd;

	if (c) {
		ds_buf_printf(out, "usage: dockspace %s%s%s\n\n", c->name,
			      *c->synopsis ? " " : "", c->synopsis);
		wrap(out, c->help);
		ds_buf_printf(out, "\nThe same as $(%s ...) in a makefile.\n",
			      c->fn);
		if (c->opts[0].name) {
			ds_buf_puts(out, "\noptions:\n");
			help_opts(out, c->opts);
		}
	} else {
		ds_buf_puts(out, "usage: dockspace [OPTION...] COMMAND "
			    "[ARG...]\n\nThe functions of dockspace.mk as a "
			    "command:\ndockspace X ARG... runs $(docker-X "
			    "ARG,...).\n\ncommands:\n");
		for (c = commands; c->name; c++)
			ds_buf_printf(out, "  %s%s%s\n", c->name,
				      *c->synopsis ? " " : "",
				      strcmp(c->name, "prune") == 0
				      ? "WHAT [OPTION...]" : c->synopsis);
		ds_buf_puts(out, "\nexit status: 0 done, 1 failed, 2 usage "
			    "error, 3 fits: no room, tier: critical.\n"
			    "dockspace COMMAND --help says more; man "
			    "dockspace.\n");
	}
	ds_buf_puts(out, "\ncommon options:\n");
	help_opts(out, global_opts);
	return ds_buf_error(out);
}
