/*
 * state.c: a service's sizes in the state directory (see state.h).
 */
#include <inttypes.h>
#include <stdio.h>

#include "os.h"
#include "state.h"

#define PATH_MAX_LEN 4200

/* Read DIR/SVC.EXT as one decimal number (see state.h). */
int ds_state_read_size(const char *dir, const char *service,
		       const char *ext, uint64_t *out)
{
	char path[PATH_MAX_LEN], text[64];
	FILE *f;
	size_t n, i;
	uint64_t v = 0;

	if (snprintf(path, sizeof(path), "%s/%s.%s", dir, service, ext) >=
	    (int)sizeof(path))
		return 0;
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
	if (n == 0 || n > 19)
		return 0;
	for (i = 0; i < n; i++) {
		if (text[i] < '0' || text[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(text[i] - '0');
	}
	*out = v;
	return 1;
}

/* Write DIR/SVC.EXT (see state.h). */
enum ds_code ds_state_write_size(const char *dir, const char *service,
				 const char *ext, uint64_t bytes,
				 struct ds_err *err)
{
	char path[PATH_MAX_LEN], text[24];
	int n;

	if (snprintf(path, sizeof(path), "%s/%s.%s", dir, service, ext) >=
	    (int)sizeof(path))
		return ds_err_set(err, DS_E_ARG, "state path too long: "
				  "'%.200s/%.200s.%s'", dir, service, ext);
	n = snprintf(text, sizeof(text), "%" PRIu64 "\n", bytes);
	if (ds_os_mkdirs(dir, err) != DS_OK)
		return err->code;
	return ds_os_write_file(path, text, (size_t)n, err);
}
