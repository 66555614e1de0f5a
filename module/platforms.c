/* platforms.c: target platforms and emulation (see platforms.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "platforms.h"
#include "words.h"

/* Append word w (n bytes) unless the buffer has it already. */
static enum ds_code add_once(struct ds_buf *out, const char *w, size_t n)
{
	if (ds_words_has(out->ptr, w, n))
		return DS_OK;
	return ds_buf_printf(out, "%s%.*s", out->len ? " " : "", (int)n, w);
}

/* Pick the platforms. */
enum ds_code ds_platforms_pick(struct ds_buf *out, const char *requested,
			       int release, struct ds_err *err)
{
	const char *p = requested && *requested ? requested : "linux/amd64";
	const char *w, *slash;
	enum ds_code result = DS_OK;
	size_t len;

	while (result == DS_OK && (w = ds_word_next(&p, &len))) {
		slash = memchr(w, '/', len);
		if (!slash || slash == w || slash == w + len - 1)
			return ds_err_set(err, DS_E_ARG,
					  "invalid platform '%.*s': use os/arch "
					  "such as linux/amd64", (int)len, w);
		result = add_once(out, w, len);
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
	const char *p = list, *w, *arch;
	enum ds_code result = DS_OK;
	size_t len, alen;

	while (result == DS_OK && (w = ds_word_next(&p, &len))) {
		arch = memchr(w, '/', len);
		arch = arch ? arch + 1 : w + len;
		alen = strcspn(arch, "/ \t\n"); /* linux/arm64/v8 -> arm64 */
		if (alen != strlen(native) || strncmp(arch, native, alen) != 0)
			result = add_once(out, w, len);
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

/* The host's platform as docker names it ("linux/amd64"). */
enum ds_code ds_platforms_native(struct ds_buf *out)
{
	return ds_buf_printf(out, "linux/%s",
			     docker_arch(ds_platforms_host_arch()));
}
