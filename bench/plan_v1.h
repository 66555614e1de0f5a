/*
 * plan_v1.h: included before bench/plan_v1.c (module/prune.c as of
 * 70753e5, the planner before issue 8) so that its public functions get
 * names of their own and bench/plan_bench can run it beside today's.
 */
#define ds_prune_parse_kinds ds_prune_parse_kinds_v1
#define ds_prune_kind_name ds_prune_kind_name_v1
#define ds_prune_item_name ds_prune_item_name_v1
#define ds_prune_ref_matches ds_prune_ref_matches_v1
#define ds_prune_plan ds_prune_plan_v1
#define ds_prune_plan_free ds_prune_plan_free_v1
#define ds_prune_parse_args ds_prune_parse_args_v1
#define ds_prune_args_free ds_prune_args_free_v1
