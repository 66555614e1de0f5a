# shellcheck shell=bash
# bench/populate.sh: fill a private dockerd with about N distinct images,
# offline and fast, so that /system/df has realistic content.  Sourced by
# bench/run after tests/lib/engines.sh; talks to $DS_DOCKER_SOCK only.
#
#   bench_populate N [JOBS]
#
# What it creates (N = distinct image IDs, about):
#   1      base image: FROM scratch + /bin/busybox (about 2 MB, one layer)
#   N/10   legacy builds "FROM base + LABEL n=i": distinct IDs that share
#          the base layer (SharedSize > 0); one in five is left untagged
#          (dangling, so reclaimable)
#   3      BuildKit builds with a RUN step and a small blob (build cache)
#   rest   `docker import` of a tiny distinct root filesystem each (one
#          file /n and 0-48 KiB of random bytes), tagged like ten
#          services' builds (bench/svcK:bI), one in ten with a second tag
#   plus   12 created and 4 exited containers (4 with a few KiB written),
#          3 volumes (one holding 64 KiB).
# Requests go straight to the socket with curl, JOBS (default 4) at a
# time: about 30-60 s for 1,000 images on 2 cores.

bench__api() { # [CURL-ARGS...] PATH: one API request, body on stdout
	curl -sS --max-time 120 --unix-socket "$DS_DOCKER_SOCK" "${@:1:$#-1}" \
		"http://d/v1.41${*: -1}"
}

# bench__post_tar DIR PATH: POST a tar of DIR's contents; fail on an
# in-band error.
bench__post_tar() {
	local out
	out=$(tar -C "$1" -c . | bench__api -X POST -H 'Content-Type: application/x-tar' \
		-H 'Expect:' --data-binary @- "$2") || return 1
	case $out in
	*'"error'*)
		echo "bench: POST $2: $out" >&2
		return 1
		;;
	esac
}

# bench__import I DIR: a distinct single-layer image from a tiny rootfs.
bench__import() {
	local i=$1 d=$2/imp$1 svc tag
	mkdir -p "$d" || return 1
	echo "$i" >"$d/n"
	head -c $(((i * 7919) % 49152)) /dev/urandom >"$d/blob"
	svc=svc$((i % 10))
	tag=b$i
	bench__post_tar "$d" "/images/create?fromSrc=-&repo=bench/$svc&tag=$tag" || return 1
	if [ $((i % 10)) = 3 ]; then
		bench__api -X POST "/images/bench/$svc:$tag/tag?repo=bench/$svc&tag=sha-$(printf '%07x' "$i")" >/dev/null ||
			return 1
	fi
	rm -rf "$d"
}

# bench__label I DIR: a legacy build FROM base + LABEL (no new layer data).
bench__label() {
	local i=$1 d=$2/lab$1 q=
	mkdir -p "$d" || return 1
	printf 'FROM bench/base:1\nLABEL bench.n="%s"\n' "$i" >"$d/Dockerfile"
	# one in five untagged: a dangling image
	[ $((i % 5)) = 0 ] || q="&t=bench/labelled:l$i"
	bench__post_tar "$d" "/build?q=1&rm=1&forcerm=1$q" || return 1
	rm -rf "$d"
}

# bench__worker K JOBS TASK FROM TO DIR: every JOBS-th item from FROM.
bench__worker() {
	local k=$1 jobs=$2 task=$3 from=$4 to=$5 dir=$6 i
	for ((i = from + k; i <= to; i += jobs)); do
		"$task" "$i" "$dir" || {
			echo "bench: $task $i failed" >&2
			return 1
		}
	done
}

# bench__parallel JOBS TASK FROM TO DIR
bench__parallel() {
	local jobs=$1 task=$2 from=$3 to=$4 dir=$5 k pids=() rc=0
	for ((k = 0; k < jobs; k++)); do
		bench__worker "$k" "$jobs" "$task" "$from" "$to" "$dir" &
		pids+=($!)
	done
	for k in "${pids[@]}"; do
		wait "$k" || rc=1
	done
	return $rc
}

bench_populate() {
	local n=$1 jobs=${2:-4} w n_label n_bk=3 n_imp i cid
	w=$DS_RUN/populate
	mkdir -p "$w/base" || return 1
	n_label=$((n / 10))
	n_imp=$((n - n_label - n_bk - 1))
	[ "$n_imp" -ge 0 ] || n_imp=0
	# base
	cp "$(command -v busybox)" "$w/base/busybox" || return 1
	printf 'FROM scratch\nCOPY busybox /bin/busybox\nCMD ["/bin/busybox", "sh"]\n' \
		>"$w/base/Dockerfile"
	bench__post_tar "$w/base" "/build?q=1&rm=1&t=bench/base:1" || return 1
	# BuildKit builds (build cache records)
	for ((i = 1; i <= n_bk; i++)); do
		ds_build_image "bench/buildkit:$i" $((i * 100000)) || return 1
	done
	# imports and label builds, in parallel
	bench__parallel "$jobs" bench__import 1 "$n_imp" "$w" || return 1
	bench__parallel "$jobs" bench__label 1 "$n_label" "$w" || return 1
	# containers: 12 created, 4 exited (with data in their RW layer)
	for ((i = 1; i <= 3; i++)); do
		bench__api -X POST -H 'Content-Type: application/json' \
			-d "{\"Name\":\"bench-vol$i\"}" /volumes/create >/dev/null || return 1
	done
	for ((i = 1; i <= 12; i++)); do
		bench__api -X POST -H 'Content-Type: application/json' \
			-d '{"Image":"bench/base:1","Cmd":["/bin/busybox","true"]}' \
			"/containers/create?name=bench-created$i" >/dev/null || return 1
	done
	for ((i = 1; i <= 4; i++)); do
		local vol=
		[ "$i" = 1 ] && vol='-v bench-vol1:/data'
		# shellcheck disable=SC2086
		cid=$(ds_docker run -d --network none $vol --name "bench-exited$i" bench/base:1 \
			/bin/busybox sh -c "/bin/busybox head -c $((i * 4096)) /dev/urandom >/f; [ -d /data ] && /bin/busybox head -c 65536 /dev/urandom >/data/f; true") ||
			return 1
		ds_docker wait "$cid" >/dev/null || return 1
	done
	rm -rf "$w"
}
