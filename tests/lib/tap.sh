# shellcheck shell=bash
# tests/lib/tap.sh: a small TAP library for the integration tests
# (sourced by tests/lib/engines.sh; tap-driver.sh does the counting):
#
#   ds_plan N, ds_ok NAME CMD..., ds_not NAME CMD..., ds_is NAME GOT EXP,
#   ds_like NAME GOT ERE, ds_skip NAME REASON, ds_note TEXT, ds_diag <TEXT,
#   ds_bail REASON, ds_done (plan if none yet, summary, exit 0),
#   ds__skip_all REASON (the whole test: "1..0 # SKIP REASON", exit 0)

ds__n=0
ds__pass=0
ds__fail=0
ds__skip=0
ds__plan=
ds__failed_names=()

# ds_plan N: print the plan up front (else ds_done prints it at the end).
ds_plan() {
	ds__plan=$1
	echo "1..$1"
}

# print stdin as TAP diagnostics
ds_diag() {
	local line
	while IFS= read -r line || [ -n "$line" ]; do
		printf '# %s\n' "$line"
	done
}

# ds_note TEXT...: one diagnostic line
ds_note() {
	printf '# %s\n' "$*"
}

ds__result() { # ok|not_ok name
	ds__n=$((ds__n + 1))
	if [ "$1" = ok ]; then
		ds__pass=$((ds__pass + 1))
		printf 'ok %d - %s\n' "$ds__n" "$2"
	else
		ds__fail=$((ds__fail + 1))
		ds__failed_names+=("$ds__n - $2")
		printf 'not ok %d - %s\n' "$ds__n" "$2"
	fi
}

# ds__expect zero|nonzero NAME CMD [ARG...]: run CMD in the current
# shell, its output (stdout and stderr) kept aside; pass when its exit
# status is zero (or non-zero), else print the command and the output as
# diagnostics.  Returns CMD's status for zero; 0 or 1 (passed or not) for
# nonzero.
ds__expect() {
	local want=$1 name=$2 rc out=$DS_RUN/.ds_ok.out passed
	shift 2
	"$@" >"$out" 2>&1
	rc=$?
	if [ "$want" = zero ]; then passed=$((rc == 0)); else passed=$((rc != 0)); fi
	if [ $passed = 1 ]; then
		ds__result ok "$name"
	else
		ds__result not_ok "$name"
		if [ "$want" = zero ]; then
			printf '%s\n' "command (exit $rc): $*" | ds_diag
		else
			printf '%s\n' "command unexpectedly succeeded: $*" | ds_diag
		fi
		tail -n 40 "$out" | ds_diag
	fi
	rm -f "$out"
	if [ "$want" = zero ]; then return $rc; fi
	return $((1 - passed))
}

# ds_ok NAME CMD [ARG...]: pass when CMD exits 0; otherwise print its
# output (stdout and stderr) as diagnostics.
# CMD runs in the current shell (so ds_ok "start" ds_start_docker ...
# keeps the variables it exports).
ds_ok() {
	ds__expect zero "$@"
}

# ds_not NAME CMD [ARG...]: pass when CMD exits non-zero.
ds_not() {
	ds__expect nonzero "$@"
}

# ds_is NAME GOT EXPECTED: pass when the strings are equal.
ds_is() {
	if [ "$2" = "$3" ]; then
		ds__result ok "$1"
		return 0
	fi
	ds__result not_ok "$1"
	{
		printf '     got: %s\n' "$2"
		printf 'expected: %s\n' "$3"
	} | ds_diag
	return 1
}

# ds_like NAME GOT ERE: pass when GOT matches the extended regex ERE.
ds_like() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		ds__result ok "$1"
		return 0
	fi
	ds__result not_ok "$1"
	{
		printf '%s\n' "got:"
		printf '%s\n' "$2"
		printf "expected to match: %s\n" "$3"
	} | ds_diag
	return 1
}

# ds_skip NAME REASON
ds_skip() {
	ds__n=$((ds__n + 1))
	ds__skip=$((ds__skip + 1))
	printf 'ok %d - %s # SKIP %s\n' "$ds__n" "$1" "$2"
}

# ds_bail REASON: abort the whole test (tap-driver reports an error).
ds_bail() {
	echo "Bail out! $*"
	exit 1
}

# ds_done: trailing plan (if none was given) and a summary; exits 0 so
# that tap-driver.sh does the counting.
ds_done() {
	[ -z "$ds__plan" ] && echo "1..$ds__n"
	if [ -n "$ds__plan" ] && [ "$ds__plan" != "$ds__n" ]; then
		ds_note "planned $ds__plan tests but ran $ds__n"
	fi
	ds_note "$ds__n tests: $ds__pass passed, $ds__fail failed, $ds__skip skipped"
	local f
	for f in "${ds__failed_names[@]}"; do
		ds_note "FAILED: $f"
	done
	exit 0
}

ds__skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}
