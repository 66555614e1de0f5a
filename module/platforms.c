/* platforms.c: target platforms and emulation (see platforms.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "platforms.h"

/* 1 when the blank-separated list has the word w (n bytes). */
static int has(const char *list, const char *w, size_t n)
{
	const char *p = list;

	while (p && *p) {
		size_t len;

		while (isspace((unsigned char)*p))
			p++;
		len = strcspn(p, " \t\n");
		if (len == n && strncmp(p, w, n) == 0)
			return 1;
		p += len;
	}
	return 0;
}

/* Append word w (n bytes) unless the buffer has it already. */
static enum ds_code add_once(struct ds_buf *out, const char *w, size_t n)
{
	if (has(out->ptr, w, n))
		return DS_OK;
	return ds_buf_printf(out, "%s%.*s", out->len ? " " : "", (int)n, w);
}

/* Pick the platforms. */
enum ds_code ds_platforms_pick(struct ds_buf *out, const char *requested,
			       int release, struct ds_err *err)
{
	const char *p = requested && *requested ? requested : "linux/amd64";
	enum ds_code result = DS_OK;

	while (*p && result == DS_OK) {
		size_t len;
		const char *slash;

		while (isspace((unsigned char)*p))
			p++;
		len = strcspn(p, " \t\n");
		if (!len)
			break;
		slash = memchr(p, '/', len);
		if (!slash || slash == p || slash == p + len - 1)
			return ds_err_set(err, DS_E_ARG,
					  "invalid platform '%.*s': use os/arch "
					  "such as linux/amd64", (int)len, p);
		result = add_once(out, p, len);
		p += len;
	}
	if (result == DS_OK && release)
		result = add_once(out, "linux/arm64", 11);
	if (result != DS_OK)
		return ds_err_set(err, result, "out of memory");
	return DS_OK;
}

/* Docker's name for a uname -m architecture. */
static const char *docker_arch(const char *machine)
{
	static const struct { const char *uname, *docker; } map[] = {
		{ "x86_64", "amd64" }, { "aarch64", "arm64" },
		{ "armv7l", "arm" }, { "armv6l", "arm" }, { "i686", "386" },
		{ "i386", "386" }, { "ppc64le", "ppc64le" },
		{ "s390x", "s390x" }, { "riscv64", "riscv64" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].uname, machine) == 0)
			return map[i].docker;
	return machine;
}

/* The platforms of list that this host would have to emulate. */
enum ds_code ds_platforms_emulated(struct ds_buf *out, const char *list,
				   const char *host_arch)
{
	const char *native = docker_arch(host_arch);
	const char *p = list;
	enum ds_code result = DS_OK;

	while (p && *p && result == DS_OK) {
		size_t len, alen;
		const char *arch;

		while (isspace((unsigned char)*p))
			p++;
		len = strcspn(p, " \t\n");
		if (!len)
			break;
		arch = memchr(p, '/', len);
		arch = arch ? arch + 1 : p + len;
		alen = strcspn(arch, "/ \t\n"); /* linux/arm64/v8 -> arm64 */
		if (alen != strlen(native) || strncmp(arch, native, alen) != 0)
			result = add_once(out, p, len);
		p += len;
	}
	return result;
}

/* The host's architecture as uname -m says it. */
const char *ds_platforms_host_arch(void)
{
	static struct utsname u;

	if (!u.machine[0] && uname(&u) != 0)
		return "unknown";
	return u.machine;
}

/* 1 when the checked-out git commit is tagged. */
int ds_platforms_head_is_tagged(void)
{
	FILE *f = popen("git describe --exact-match --tags HEAD "
			">/dev/null 2>&1 && echo tagged", "r");
	char line[16] = "";

	if (!f)
		return 0;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	pclose(f);
	return strncmp(line, "tagged", 6) == 0;
}
