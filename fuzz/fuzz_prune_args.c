/*
 * fuzz_prune_args.c: the arguments of $(docker-prune WHAT[,OPTION...])
 * and DOCKSPACE_PINS (prune.h's ds_prune_parse_args).  The input's first
 * line is the pins; the rest is split at commas into the arguments, as
 * make splits them (at most 16, as the function is registered).
 */
#include "fuzz.h"

#include "prune.h"

#define MAX_ARGS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_err err = DS_ERR_INIT;
	struct ds_prune_args a;
	char *text = fuzz_str(data, size), *nl, *args, *p;
	char *argv[MAX_ARGS];
	unsigned int argc = 0;

	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	args = nl ? nl + 1 : text + strlen(text);
	for (p = args; argc < MAX_ARGS; ) {
		char *comma = strchr(p, ',');

		argv[argc++] = p;
		if (!comma)
			break;
		*comma = '\0';
		p = comma + 1;
	}
	if (ds_prune_parse_args(&a, argc, argv, nl ? text : NULL, &err)
	    == DS_OK)
		ds_prune_args_free(&a);
	else if (!err.msg[0])
		abort();
	free(text);
	return 0;
}
