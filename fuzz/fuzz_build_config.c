/*
 * fuzz_build_config.c: build-config.json (config.h).  Whatever the
 * file, the assignments it yields are make-safe: no '$', '#', '\' or
 * newline in a value, one "NAME ?= VALUE" a line.
 */
#include "fuzz.h"

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_err err = DS_ERR_INIT;
	struct ds_buf out = DS_BUF_INIT;
	const char *line, *end;

	if (ds_config_to_make(&out, (const char *)data, size,
			      "build-config.json", &err) == DS_OK) {
		for (line = out.ptr ? out.ptr : ""; *line; line = end + 1) {
			const char *eq = strstr(line, " ?= ");

			end = strchr(line, '\n');
			if (!end || !eq || eq > end)
				abort();
			for (eq += 4; eq < end; eq++)
				if (*eq == '$' || *eq == '#' || *eq == '\\' ||
				    (unsigned char)*eq < 0x20)
					abort();
		}
	} else if (!err.msg[0]) {
		abort();
	}
	ds_buf_free(&out);
	return 0;
}
