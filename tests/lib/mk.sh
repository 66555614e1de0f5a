# shellcheck shell=bash
# RC OUT ERR AVAIL are for the caller; make syntax is meant literally
# shellcheck disable=SC2034,SC2016
# tests/lib/mk.sh: running small makefiles that load the dockspace module.
# Source after engines.sh.
#
#   ds_mk_setup                 find the module and dockspace.mk (or skip)
#   mkfile NAME <<'EOF' ...     write $W/NAME.mk
#   mkrun NAME [VAR=VAL | -u VAR]... [TARGET]...
#                               run make -f NAME.mk in $W; sets RC OUT ERR
#   stable FS NAME [ARGS...]    mkrun with df avail of FS equal just before
#                               and just after (retried); sets AVAIL
#   ere STRING                  STRING quoted for grep -E

# ds_mk_setup: DOCKSPACE_MODULE (a private copy of the built module, so a
# rebuild in the tree during the run cannot hand make a half-written
# file), DS_MKFILE (the include file) and W (where makefiles go).
ds_mk_setup() {
	local src=${DOCKSPACE_MODULE:-${abs_top_builddir:-$abs_top_srcdir}/.libs/dockspace.so}
	if [ ! -f "$src" ]; then
		echo "1..0 # SKIP module not built: $src (run make, or set DOCKSPACE_MODULE)"
		exit 0
	fi
	W=$DS_RUN/mk
	mkdir -p "$W"
	cp -L "$src" "$W/dockspace.so" || ds_bail "cannot copy $src"
	ds_note "module $src"
	export DOCKSPACE_MODULE=$W/dockspace.so
	# what the module keeps between make runs stays in this run's dir
	export DOCKSPACE_CACHE_DIR=$DS_RUN/dockspace-cache
	DS_MKFILE=${abs_top_builddir:-$abs_top_srcdir}/mk/dockspace.mk
	[ -f "$DS_MKFILE" ] || DS_MKFILE=$abs_top_srcdir/mk/dockspace.mk
	ds_note "include file $DS_MKFILE"
	# the tests run under `make check`: nothing of that make may leak in
	unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS MAKEFILES
}

mkfile() {
	cat >"$W/$1.mk"
}

mkrun() {
	local name=$1 envs=() targets=()
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		-u)
			envs+=(-u "$2")
			shift
			;;
		*=*) envs+=("$1") ;;
		*) targets+=("$1") ;;
		esac
		shift
	done
	(cd "$W" && env "${envs[@]}" make -s --no-print-directory -f "$name.mk" "${targets[@]}") \
		>"$W/$name.out" 2>"$W/$name.err"
	RC=$?
	OUT=$(cat "$W/$name.out")
	ERR=$(cat "$W/$name.err")
}

stable() {
	local fs=$1 try a b
	shift
	for ((try = 0; try < 5; try++)); do
		sync -f "$fs" 2>/dev/null
		a=$(ds_avail "$fs")
		mkrun "$@"
		b=$(ds_avail "$fs")
		if [ "$a" = "$b" ]; then
			AVAIL=$a
			return 0
		fi
		ds_note "free space of $fs moved during make ($a -> $b): again"
		sleep 0.5
	done
	AVAIL=$b
	return 1
}

ere() {
	printf '%s' "$1" | sed 's/[][\.|$(){}?+*^]/\\&/g'
}
