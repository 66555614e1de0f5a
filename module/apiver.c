/* apiver.c: API version numbers and negotiation (see apiver.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "apiver.h"

/* "1.41" -> 1041; -1 when text is not MAJOR.MINOR. */
long ds_api_parse(const char *text)
{
	long major = 0, minor = 0;
	int digits = 0;

	if (!text)
		return -1;
	for (; isdigit((unsigned char)*text) && digits < 4; text++, digits++)
		major = major * 10 + (*text - '0');
	if (!digits || *text++ != '.')
		return -1;
	for (digits = 0; isdigit((unsigned char)*text) && digits < 3;
	     text++, digits++)
		minor = minor * 10 + (*text - '0');
	if (!digits || *text)
		return -1;
	return major * 1000 + minor;
}

/* Write a parsed version (at most 4 + 3 digits) back as text. */
static void format(char out[16], long v)
{
	snprintf(out, 16, "%d.%d", (int)(v / 1000 % 10000),
		 (int)(v % 1000));
}

/* Choose the version to speak. */
enum ds_code ds_api_negotiate(char out[16], const char *server,
			      const char *pinned, const char *min,
			      const char *max, const char *display,
			      struct ds_err *err)
{
	long lo = ds_api_parse(min), hi = ds_api_parse(max), v;

	if (pinned && *pinned) {
		v = ds_api_parse(pinned);
		if (v < 0)
			return ds_err_set(err, DS_E_CONFIG,
					  "invalid DOCKER_API_VERSION '%s': "
					  "expected a version such as 1.41",
					  pinned);
		if (v < lo)
			return ds_err_set(err, DS_E_UNSUPPORTED,
					  "DOCKER_API_VERSION '%s' is too old: "
					  "dockspace needs API %s or newer",
					  pinned, min);
		format(out, v < hi ? v : hi);
		return DS_OK;
	}
	v = ds_api_parse(server);
	if (!server || !*server)
		return ds_err_set(err, DS_E_UNSUPPORTED,
				  "engine at '%s' sent no API version: "
				  "dockspace needs API %s or newer (Docker "
				  "20.10, Podman 4)", display, min);
	if (v < 0)
		return ds_err_set(err, DS_E_PROTOCOL,
				  "engine at '%s' sent an invalid API "
				  "version '%s'", display, server);
	if (v < lo)
		return ds_err_set(err, DS_E_UNSUPPORTED,
				  "engine at '%s' speaks API %s: dockspace "
				  "needs %s or newer (Docker 20.10, Podman 4)",
				  display, server, min);
	format(out, v < hi ? v : hi);
	return DS_OK;
}

/* 1 when version text api is at least version text v. */
int ds_api_at_least(const char *api, const char *v)
{
	return ds_api_parse(api) >= ds_api_parse(v);
}

/* The /system/df request for the negotiated version. */
const char *ds_api_df_path(const char *api)
{
	return ds_api_at_least(api, "1.52") ? "/system/df?verbose=1"
					    : "/system/df";
}

/* The /system/df request for the build cache alone. */
const char *ds_api_df_cache_path(const char *api)
{
	if (ds_api_at_least(api, "1.52"))
		return "/system/df?type=build-cache&verbose=1";
	if (ds_api_at_least(api, "1.42"))
		return "/system/df?type=build-cache";
	return "/system/df";
}

/* A hint for an engine's refusal of the version itself. */
const char *ds_api_refusal_hint(const char *msg)
{
	if (!msg || !strstr(msg, "client version") ||
	    (!strstr(msg, "is too old") && !strstr(msg, "is too new")))
		return "";
	return " (the engine refuses this API version: unset "
	       "DOCKER_API_VERSION to negotiate, or set one the engine "
	       "accepts)";
}
