/*
 * fuzz_units.c: sizes, units, durations and yes/no values (units.h),
 * the values of DOCKSPACE_BUDGET, docker-fits, until=, DRY_RUN...
 * The first byte picks the parser, the rest is the text.
 */
#include "fuzz.h"

#include "units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_err err = DS_ERR_INIT;
	uint64_t v = 0;
	int b = 0;
	char *text;
	char human[32];

	if (size < 1)
		return 0;
	text = fuzz_str(data + 1, size - 1);
	switch (data[0] % 4) {
	case 0:
		if (ds_size_parse(text, &v, &err) == DS_OK) {
			ds_size_human(v, human, sizeof(human));
			ds_size_exact(v, human, sizeof(human));
		}
		break;
	case 1:
		ds_unit_parse(text, &v, &err);
		break;
	case 2:
		ds_duration_parse(text, &v, &err);
		break;
	default:
		if (ds_bool_parse(text, &b, &err) == DS_OK && b != 0 && b != 1)
			abort();
	}
	if (err.code != DS_OK && !err.msg[0])
		abort(); /* every failure says why */
	free(text);
	return 0;
}
