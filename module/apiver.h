/*
 * apiver.h: Engine API version numbers ("1.41") and negotiation.
 * Pure functions.
 */
#ifndef DS_APIVER_H
#define DS_APIVER_H

#include "error.h"

/* "1.41" -> 1041; -1 when text is not MAJOR.MINOR. */
long ds_api_parse(const char *text);

/*
 * Choose the version to speak: pinned when given (it must be a valid
 * version not below min; one above max is spoken as max, the newest
 * whose request and reply shapes dockspace knows, which every engine
 * that speaks the pinned one accepts too), else the lower of server and
 * max.  The engine's own maximum (the Api-Version of /_ping) is always
 * a version it accepts, whatever its minimum (Docker 29.0-29.2 refuse
 * below 1.44), so the lower of the two is too.  A server below min, or
 * one that sent no version, is DS_E_UNSUPPORTED.  Writes "MAJOR.MINOR"
 * to out (16 bytes).  display names the engine.
 */
enum ds_code ds_api_negotiate(char out[16], const char *server,
			      const char *pinned, const char *min,
			      const char *max, const char *display,
			      struct ds_err *err);

/* 1 when version text api is at least version text v (both valid). */
int ds_api_at_least(const char *api, const char *v);

/*
 * The request shapes that depend on the negotiated version, chosen in
 * this one place (see README, "Engines and API versions"):
 * - /system/df: from 1.52 with verbose=1, so the lists come in the
 *   *Usage summaries' Items (the legacy top-level lists are marked for
 *   removal from 1.53; model.c reads both shapes); below, plain.
 * - /system/df for the build cache alone: type=build-cache from 1.42
 *   (Docker 20.10 ignores it and sends every section), verbose=1 too
 *   from 1.52.
 * Returns a static string.
 */
const char *ds_api_df_path(const char *api);
const char *ds_api_df_cache_path(const char *api);

/*
 * A hint to add to an engine's refusal of the version itself (Docker's
 * 400 "client version 1.41 is too old. Minimum supported API version is
 * 1.44"): "" when msg is not that refusal.  Static strings.
 */
const char *ds_api_refusal_hint(const char *msg);

#endif
