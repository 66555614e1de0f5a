/* tier.c: the build tier chosen from free space (see tier.h). */
#include <stdio.h>

#include "tier.h"
#include "units.h"

/* Check the thresholds are descending. */
enum ds_code ds_tier_check(const struct ds_tier_limits *lim,
			   struct ds_err *err)
{
	char a[32], b[32];

	if (lim->full <= lim->medium)
		return ds_err_set(err, DS_E_ARG,
				  "thresholds must descend: full (%s) "
				  "is not above medium (%s)",
				  ds_size_exact(lim->full, a, sizeof(a)),
				  ds_size_exact(lim->medium, b, sizeof(b)));
	if (lim->medium <= lim->minimal)
		return ds_err_set(err, DS_E_ARG,
				  "thresholds must descend: medium (%s) "
				  "is not above minimal (%s)",
				  ds_size_exact(lim->medium, a, sizeof(a)),
				  ds_size_exact(lim->minimal, b, sizeof(b)));
	return DS_OK;
}

/* The tier for free bytes. */
enum ds_tier ds_tier_pick(uint64_t free_bytes,
			  const struct ds_tier_limits *lim)
{
	if (free_bytes >= lim->full)
		return DS_TIER_FULL;
	if (free_bytes >= lim->medium)
		return DS_TIER_MEDIUM;
	if (free_bytes >= lim->minimal)
		return DS_TIER_MINIMAL;
	return DS_TIER_CRITICAL;
}

/* "full", "medium", "minimal" or "critical". */
const char *ds_tier_name(enum ds_tier tier)
{
	switch (tier) {
	case DS_TIER_FULL: return "full";
	case DS_TIER_MEDIUM: return "medium";
	case DS_TIER_MINIMAL: return "minimal";
	case DS_TIER_CRITICAL: return "critical";
	}
	return "critical";
}
