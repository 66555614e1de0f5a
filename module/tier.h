/*
 * tier.h: the build tier chosen from free space.  Pure policy.
 *
 * full if free >= full, medium if >= medium, minimal if >= minimal,
 * else critical.  Thresholds must be strictly descending.
 */
#ifndef DS_TIER_H
#define DS_TIER_H

#include <stdint.h>

#include "error.h"

enum ds_tier { DS_TIER_CRITICAL, DS_TIER_MINIMAL, DS_TIER_MEDIUM,
	       DS_TIER_FULL };

struct ds_tier_limits {
	uint64_t full;
	uint64_t medium;
	uint64_t minimal;
};

#define DS_TIER_DEFAULT_FULL    (8ULL << 30)
#define DS_TIER_DEFAULT_MEDIUM  (5ULL << 30)
#define DS_TIER_DEFAULT_MINIMAL (2ULL << 30)

/* Check the thresholds are descending; DS_E_ARG with a message if not. */
enum ds_code ds_tier_check(const struct ds_tier_limits *lim,
			   struct ds_err *err);

/* The tier for free bytes (limits must have passed ds_tier_check). */
enum ds_tier ds_tier_pick(uint64_t free_bytes,
			  const struct ds_tier_limits *lim);

/* "full", "medium", "minimal" or "critical". */
const char *ds_tier_name(enum ds_tier tier);

#endif
