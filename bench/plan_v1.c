/* plan_v1.c: the planner before issue 8 (bench/prune_v1.c, module/prune.c
 * as of 70753e5), with names of its own (plan_v1.h), for bench/plan. */
#include "plan_v1.h"
#include "prune_v1.c"
