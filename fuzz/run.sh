#!/bin/sh
# fuzz/run.sh SRCDIR BUILDDIR SECONDS: run every libFuzzer target for
# SECONDS on its corpus (BUILDDIR/fuzz/corpus/TARGET, seeded from
# tests/data; it grows from run to run), and print one line a target:
# executions, crashes and leaks.  Crash and leak inputs are kept in
# BUILDDIR/fuzz/artifacts/.  Exit status 1 when any target failed.
set -u
src=$1
build=$2
time=$3
targets="units prune_args endpoint docker_config build_config replies logs lines handoff"
seeds=$build/fuzz/seeds
rm -rf "$seeds"
"$src/fuzz/seeds.sh" "$src/tests/data" "$seeds" || exit 1
mkdir -p "$build/fuzz/artifacts"
status=0
for t in $targets; do
	corpus=$build/fuzz/corpus/$t
	mkdir -p "$corpus"
	log=$build/fuzz/fuzz_$t.log
	"$build/fuzz/fuzz_$t" -max_total_time="$time" -print_final_stats=1 \
		-artifact_prefix="$build/fuzz/artifacts/$t-" "$corpus" \
		"$seeds/$t" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	crashes=$(ls "$build/fuzz/artifacts/$t-crash-"* 2>/dev/null | wc -l)
	leaks=$(ls "$build/fuzz/artifacts/$t-leak-"* 2>/dev/null | wc -l)
	echo "fuzz_$t: ${execs:-0} executions in ${time}s, exit $rc, $crashes crash and $leaks leak inputs kept"
	[ "$rc" -eq 0 ] || status=1
done
exit $status
