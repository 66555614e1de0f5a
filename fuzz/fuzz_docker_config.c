/*
 * fuzz_docker_config.c: the docker CLI's files dockspace reads to find
 * the engine (endpoint.h): $DOCKER_CONFIG/config.json (currentContext)
 * and the context store's meta.json.  The input up to its first NUL
 * byte is config.json, the rest the meta.json of the context named "f"
 * (the seeds name it).  The files live in one private directory.
 */
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>

#include "fuzz.h"

#include "endpoint.h"
#include "sha256.h"

static char dir[64], config[128], meta[256], meta_dir[200];

/* DOCKER_CONFIG is the directory; nothing else is set. */
static char *getvar(void *ctx, const char *name)
{
	(void)ctx;
	return strcmp(name, "DOCKER_CONFIG") == 0 ? strdup(dir) : NULL;
}

/* Write n bytes to path, or abort. */
static void put(const char *path, const uint8_t *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0)
		abort();
}

/* Remove the private directory when the run ends. */
static void cleanup(void)
{
	char path[200];

	unlink(config);
	unlink(meta);
	rmdir(meta_dir);
	snprintf(path, sizeof(path), "%s/contexts/meta", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/contexts", dir);
	rmdir(path);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_err err = DS_ERR_INIT;
	struct ds_endpoint ep;
	const uint8_t *nul = memchr(data, 0, size);
	size_t n = nul ? (size_t)(nul - data) : size;

	if (!dir[0]) {
		char hash[65], path[200];

		snprintf(dir, sizeof(dir), "/tmp/ds-fuzz-cfg.XXXXXX");
		if (!mkdtemp(dir))
			abort();
		ds_sha256_hex("f", 1, hash);
		snprintf(path, sizeof(path), "%s/contexts", dir);
		mkdir(path, 0700);
		snprintf(path, sizeof(path), "%s/contexts/meta", dir);
		mkdir(path, 0700);
		snprintf(meta_dir, sizeof(meta_dir), "%s/contexts/meta/%s",
			 dir, hash);
		mkdir(meta_dir, 0700);
		snprintf(config, sizeof(config), "%s/config.json", dir);
		snprintf(meta, sizeof(meta), "%s/meta.json", meta_dir);
		atexit(cleanup);
	}
	put(config, data, n);
	put(meta, nul ? nul + 1 : data, nul ? size - n - 1 : 0);
	if (ds_endpoint_resolve(&ep, getvar, NULL, &err) == DS_OK)
		ds_endpoint_free(&ep);
	else if (!err.msg[0])
		abort();
	return 0;
}
