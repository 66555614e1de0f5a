# shellcheck shell=bash
# tests/lib/engines.sh: private, throw-away container engines for the
# integration tests (the TAP library, tests/lib/tap.sh, comes with it).
# Source it from a bash test:
#
#   . "$abs_top_srcdir/tests/lib/engines.sh"
#   ds_require_root docker          # or: ds_require_root docker podman registry make
#   ds_ok "dockerd" ds_start_docker t 256 || ds_bail "no dockerd"
#   ds_is "ping" "$(ds_curl "$DS_DOCKER_SOCK" /_ping)" OK
#   ds_done
#
# Engines (each exports its DS_* variables; see each function):
#   ds_require_root [docker] [podman] [registry] [make]
#                           TAP "1..0 # SKIP reason" + exit 0 unless root
#                           and everything needed is installed
#   ds_start_docker NAME SIZE_MB   dockerd, data root = ext4 loop fs, own bridge
#   ds_start_podman NAME [SIZE_MB] Podman API service (vfs), store on a loop
#                           fs when SIZE_MB is given
#   ds_start_registry [NAME]       docker-registry on 127.0.0.1:<free port>
#   ds_docker ARGS...       /usr/bin/docker on the private dockerd
#   ds_podman ARGS...       podman CLI on the private store
#   ds_curl SOCKET [CURL-ARGS...] PATH   an API request on a socket
#   ds_build_image TAG [EXTRA_BYTES] [LEGACY]   offline FROM scratch + busybox
#   ds_load_podman IMAGE...  docker save | POST /images/load on podman
#   ds_mkloop DIR SIZE_MB [MKFS-OPTION...]      another loop fs
#   ds_fill FS_DIR FREE_BYTES  fill to about FREE_BYTES free; prints exact
#   ds_avail PATH            df -B1 --output=avail
#   ds_make_bridge           a bridge with a free 172.30.N.0/24
#   ds_wait_for SECONDS CMD...
#   ds_cleanup               undo everything (also run on EXIT INT TERM HUP)
# TAP: see tests/lib/tap.sh.
#
# Everything it starts lives under one run directory ($DS_RUN, in
# ${TMPDIR:-/tmp}) and is recorded in $DS_RUN/state; ds_cleanup (run on
# EXIT, INT, TERM and HUP, and by a watchdog if the test is killed with
# SIGKILL) removes containers, stops every daemon it started, unmounts
# the loop filesystems, deletes the bridges and removes the directory.
# Engines are only ever addressed through the sockets they were started
# on: the caller's DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG and
# CONTAINER_HOST are dropped when this file is sourced, and DOCKER_CONFIG
# is set to an empty directory of the run.
#
# Bash note: a trap runs only when the foreground command ends; wait
# with short commands (sleep 0.2 loops), not one long sleep.
#
# Tunables (environment):
#   DS_START_TIMEOUT  seconds to wait for an engine to answer (30)
#   DS_STOP_TIMEOUT   seconds to wait for a daemon to exit after SIGTERM (20)
#   DS_NET_AVOID      third octets of 172.30.N.0/24 never to use ("9 21",
#                     taken by other users of the shared machines)
#   DS_KEEP           set to 1 to leave everything running (debugging)

# --- hermetic environment -------------------------------------------------

unset DOCKER_HOST DOCKER_CONTEXT DOCKER_CONFIG DOCKER_TLS_VERIFY \
	DOCKER_CERT_PATH DOCKER_TLS DOCKER_API_VERSION CONTAINER_HOST \
	CONTAINER_CONNECTION CONTAINERS_CONF CONTAINERS_STORAGE_CONF \
	CONTAINERS_REGISTRIES_CONF DOCKSPACE_BUDGET DOCKSPACE_ON_ERROR \
	DOCKSPACE_TIMEOUT DOCKSPACE_TIER_FULL DOCKSPACE_TIER_MEDIUM \
	DOCKSPACE_TIER_MINIMAL DOCKSPACE_CACHE DOCKSPACE_CACHE_DIR \
	DOCKSPACE_CACHE_TTL DOCKSPACE_PINS DOCKSPACE_QUIET

# dockerd, mkfs.ext4, losetup, ip live in sbin: make sure it is searched
case ":$PATH:" in
*:/usr/sbin:*) ;;
*) PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin ;;
esac

# Debian's client: BuildKit built in (the 28.x client on PATH has no buildx).
DS_DOCKER_CLI=${DS_DOCKER_CLI:-/usr/bin/docker}
DS_START_TIMEOUT=${DS_START_TIMEOUT:-30}
DS_STOP_TIMEOUT=${DS_STOP_TIMEOUT:-20}
DS_NET_AVOID=${DS_NET_AVOID:-9 21}
DS_KEEP=${DS_KEEP:-0}

DS_LIB=${BASH_SOURCE[0]}
case $DS_LIB in /*) ;; *) DS_LIB=$PWD/$DS_LIB ;; esac

# The TAP functions (ds_ok, ds_is, ...), in a file of their own.
. "${DS_LIB%/*}/tap.sh"

# --- prerequisites ----------------------------------------------------------

# ds_require_root [docker] [podman] [registry] [make]: skip the whole
# test (TAP "1..0 # SKIP reason") unless everything needed is here.
ds_require_root() {
	local what
	[ "$(id -u)" = 0 ] || ds__skip_all "not root: private engines need root"
	for what in losetup:mount mount:mount umount:mount setsid:util-linux \
		unshare:util-linux flock:util-linux mkfs.ext4:e2fsprogs ip:iproute2 \
		ss:iproute2 curl:curl jq:jq truncate:coreutils df:coreutils; do
		command -v "${what%%:*}" >/dev/null 2>&1 ||
			ds__skip_all "${what%%:*} not installed: apt-get install ${what#*:}"
	done
	command -v busybox >/dev/null 2>&1 ||
		ds__skip_all "busybox not installed: apt-get install busybox-static"
	if ! file -L "$(command -v busybox)" 2>/dev/null | grep -q 'statically linked'; then
		# `file` may be missing; ldd says "not a dynamic executable"
		ldd "$(command -v busybox)" >/dev/null 2>&1 &&
			ds__skip_all "busybox is not static: apt-get install busybox-static"
	fi
	ds__loop_check || ds__skip_all "cannot mount a loop filesystem here (mount -o loop failed: no loop devices in this container?)"
	for what in "$@"; do
		case $what in
		docker)
			command -v dockerd >/dev/null 2>&1 ||
				ds__skip_all "dockerd not installed: apt-get install docker.io"
			[ -x "$DS_DOCKER_CLI" ] ||
				ds__skip_all "$DS_DOCKER_CLI not installed: apt-get install docker.io"
			;;
		podman)
			command -v podman >/dev/null 2>&1 ||
				ds__skip_all "podman not installed: apt-get install podman"
			;;
		registry)
			command -v docker-registry >/dev/null 2>&1 ||
				ds__skip_all "docker-registry not installed: apt-get install docker-registry"
			;;
		make)
			make -p -f /dev/null 2>/dev/null | grep -q '^\.FEATURES.* load' ||
				ds__skip_all "make has no 'load' feature (GNU Make >= 4.0 built with load support needed)"
			;;
		esac
	done
	return 0
}

ds__loop_check() {
	local d=$DS_RUN/loopcheck rc=0
	mkdir -p "$d/mnt" || return 1
	truncate -s 8M "$d/img" && mkfs.ext4 -q -m 0 "$d/img" >/dev/null 2>&1 &&
		mount -o loop "$d/img" "$d/mnt" 2>/dev/null || rc=1
	if [ $rc = 0 ]; then
		umount "$d/mnt" || umount -l "$d/mnt"
	fi
	ds__detach_loops "$d/img"
	rm -rf "$d"
	return $rc
}

# --- state and cleanup --------------------------------------------------------

# The state file has one record a line, undone in reverse order:
#   daemon PID KIND DIR     a process we started (KIND: docker podman registry)
#   mount MOUNTPOINT IMAGE  a loop mount
#   bridge NAME             a bridge we created
#   watchdog PID            the watchdog (it writes this line itself)
ds__record() {
	printf '%s\n' "$*" >>"$DS_STATE"
}

ds__forget() { # remove one exact record
	local tmp=$DS_STATE.tmp
	grep -vxF -- "$*" "$DS_STATE" >"$tmp"
	mv "$tmp" "$DS_STATE"
}

ds__detach_loops() { # IMAGE: detach loop devices still backed by it
	local dev
	for dev in $(losetup -j "$1" -O NAME -n 2>/dev/null); do
		losetup -d "$dev" 2>/dev/null
	done
}

# Processes whose command line or cwd names our run directory (the
# daemons, containerd, containerd-shims): the only ones we ever kill.
ds__our_pids() {
	local p cmd
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$p" = "$$" ] || [ "$p" = "$BASHPID" ] && continue
		cmd=$({ tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null) || continue
		case $cmd in
		*"$DS_RUN/"*) echo "$p" ;;
		esac
	done
}

ds__stop_pid() { # PID: TERM, wait DS_STOP_TIMEOUT, KILL
	local pid=$1 i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < DS_STOP_TIMEOUT * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		# reap if it is our child, so kill -0 stops seeing a zombie
		if [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ]; then
			wait "$pid" 2>/dev/null
			return 0
		fi
		sleep 0.1
	done
	echo "# cleanup: pid $pid did not exit after SIGTERM in ${DS_STOP_TIMEOUT}s: SIGKILL" >&2
	kill -KILL "$pid" 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}

ds__rm_containers() { # SOCKET
	local ids
	[ -S "$1" ] || return 0
	ids=$(DOCKER_HOST=unix://$1 timeout 20 "$DS_DOCKER_CLI" ps -aq 2>/dev/null)
	[ -n "$ids" ] || return 0
	# shellcheck disable=SC2086
	DOCKER_HOST=unix://$1 timeout 30 "$DS_DOCKER_CLI" rm -f $ids >/dev/null 2>&1
}

# ds_cleanup: undo everything recorded in the state file.  Idempotent.
ds_cleanup() {
	local rec kind a b c lines=() i p mp
	[ -n "${DS_RUN:-}" ] && [ -d "$DS_RUN" ] || return 0
	trap '' INT TERM HUP
	if [ "$DS_KEEP" = 1 ]; then
		echo "# DS_KEEP=1: leaving $DS_RUN and its daemons running" >&2
		return 0
	fi
	[ -f "$DS_STATE" ] && mapfile -t lines <"$DS_STATE"
	# 1. containers first: a running container whose PID 1 ignores
	#    SIGTERM holds dockerd's shutdown for more than 10 s
	for rec in "${lines[@]}"; do
		read -r kind a b c <<<"$rec"
		if [ "$kind" = daemon ] && [ "$b" = docker ] && kill -0 "$a" 2>/dev/null; then
			ds__rm_containers "$c/d.sock"
		fi
	done
	# 2. daemons, newest first
	for ((i = ${#lines[@]} - 1; i >= 0; i--)); do
		read -r kind a b c <<<"${lines[i]}"
		case $kind in
		watchdog) [ "$a" != "$$" ] && [ "$a" != "${BASHPID:-}" ] && kill -KILL "$a" 2>/dev/null ;;
		daemon) ds__stop_pid "$a" ;;
		esac
	done
	# 3. anything else still running from our directory (containerd,
	#    shims of a SIGKILLed dockerd)
	for p in $(ds__our_pids); do
		kill -TERM "$p" 2>/dev/null
	done
	sleep 0.2
	for p in $(ds__our_pids); do
		kill -KILL "$p" 2>/dev/null
	done
	# 4. every mount under the run directory, deepest first (overlay and
	#    netns mounts a killed daemon left behind, then the loop mounts)
	while IFS= read -r mp; do
		umount "$mp" 2>/dev/null || umount -l "$mp" 2>/dev/null ||
			echo "# cleanup: cannot unmount $mp" >&2
	done < <(awk -v r="$DS_RUN/" 'index($5, r) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
	for rec in "${lines[@]}"; do
		read -r kind a b c <<<"$rec"
		[ "$kind" = mount ] && ds__detach_loops "$b"
	done
	# 5. bridges
	for rec in "${lines[@]}"; do
		read -r kind a b c <<<"$rec"
		[ "$kind" = bridge ] && ip link del "$a" 2>/dev/null
	done
	# 6. the directory (never crossing into a mount that would not go)
	rm -rf --one-file-system "$DS_RUN" 2>/dev/null ||
		echo "# cleanup: cannot remove $DS_RUN" >&2
	return 0
}

ds__on_signal() {
	ds_cleanup
	trap - EXIT
	echo "# interrupted by SIG$1" >&2
	case $1 in
	INT) exit 130 ;;
	TERM) exit 143 ;;
	*) exit 129 ;;
	esac
}


# The watchdog cleans up if the test dies without running its traps
# (SIGKILL, e.g. a CI timeout).  It runs in a session of its own, so a
# signal to the test's process group does not take it down as well; it
# sources this file again in "attach" mode (DS__ATTACH=run directory).
ds__start_watchdog() {
	[ -n "${ds__watchdog:-}" ] && return 0
	# The watchdog records its own pid: setsid forks when the caller is
	# a process-group leader, and then $! is not the watchdog.
	# shellcheck disable=SC2016
	DS__ATTACH=$DS_RUN DS__PARENT=$$ setsid bash -c '
		trap "" INT TERM HUP
		echo "watchdog $$" >>"$DS__ATTACH/state"
		while kill -0 "$DS__PARENT" 2>/dev/null; do sleep 1; done
		[ -d "$DS__ATTACH" ] || exit 0
		. "$0" && ds_cleanup' "$DS_LIB" </dev/null >/dev/null 2>&1 &
	ds__watchdog=$!
	disown "$ds__watchdog" 2>/dev/null
}

# --- building blocks ---------------------------------------------------------

# ds_wait_for SECONDS CMD...: retry CMD every 0.2 s until it succeeds.
ds_wait_for() {
	local secs=$1 i
	shift
	for ((i = 0; i < secs * 5; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

# ds_mkloop DIR SIZE_MB [MKFS-OPTION...]: an ext4 filesystem of SIZE_MB
# mounted on DIR (the image file, sparse, is DIR.img).  For a huge
# sparse filesystem that costs little real disk, pass e.g.
#   -N 4096 -O ^has_journal,^resize_inode
ds_mkloop() {
	local dir=$1 size=$2
	shift 2
	mkdir -p "$dir" || return 1
	truncate -s "${size}M" "$dir.img" || return 1
	mkfs.ext4 -q -m 0 -E nodiscard,lazy_itable_init=1 "$@" "$dir.img" || return 1
	ds__record "mount $dir $dir.img"
	mount -o loop "$dir.img" "$dir" || {
		echo "ds_mkloop: mount -o loop $dir.img $dir failed" >&2
		return 1
	}
}

# ds_avail PATH: bytes available to unprivileged users (df "Available",
# f_bavail * f_bsize).
ds_avail() {
	df -B1 --output=avail "$1" | tail -n 1 | tr -d ' '
}

# ds_fill FS_DIR FREE_BYTES: grow (or shrink) the file FS_DIR/ds-fill so
# that the filesystem has about FREE_BYTES available; prints the exact
# number of bytes then available.  Fails if FREE_BYTES is more than is
# free with an empty fill file.
ds_fill() {
	local dir=$1 want=$2 f=$1/ds-fill avail diff size i
	[ -e "$f" ] || : >"$f"
	for ((i = 0; i < 8; i++)); do
		sync -f "$dir" 2>/dev/null || sync
		avail=$(ds_avail "$dir")
		diff=$((avail - want))
		size=$(stat -c %s "$f")
		if [ $diff -ge 4096 ]; then
			# write whole blocks; the last one may need an indirect or
			# extent block, so leave a margin and iterate
			local add=$((diff / 4096 * 4096))
			[ $i -eq 0 ] && [ $add -gt 65536 ] && add=$((add - 65536))
			if [ $add -ge 1048576 ]; then
				dd if=/dev/zero bs=1M count=$((add / 1048576)) status=none \
					oflag=append conv=notrunc of="$f" || return 1
				add=$((add % 1048576))
			fi
			if [ $add -gt 0 ]; then
				dd if=/dev/zero bs=4096 count=$((add / 4096)) status=none \
					oflag=append conv=notrunc of="$f" || break
			fi
		elif [ $diff -lt 0 ]; then
			# too full: give back
			local back=$(((-diff + 4095) / 4096 * 4096))
			if [ "$back" -gt "$size" ]; then
				echo "ds_fill: cannot reach $want bytes free in $dir (at $avail with an empty fill file)" >&2
				truncate -s 0 "$f"
				return 1
			fi
			truncate -s $((size - back)) "$f"
		else
			break
		fi
	done
	sync -f "$dir" 2>/dev/null || sync
	ds_avail "$dir"
}

# ds_free_subnet: print a free third octet N for 172.30.N.0/24.
ds__subnet_used() {
	local n=$1 a
	for a in $DS_NET_AVOID; do
		[ "$a" = "$n" ] && return 0
	done
	ip -br addr 2>/dev/null | grep -q "172\.30\.$n\." && return 0
	ip route 2>/dev/null | grep -q "^172\.30\.$n\." && return 0
	return 1
}

# ds_make_bridge: create a bridge with a unique name and a free /24 in
# 172.30.0.0/16; sets DS_BRIDGE and DS_SUBNET.  Serialised with flock so
# that concurrent test runs never pick the same subnet.
ds_make_bridge() {
	local lock=/tmp/.dockspace-net.lock n start k name
	start=$((($$ % 200) + 30))
	exec {ds__lockfd}>>"$lock" || return 1
	flock -w 30 "$ds__lockfd" || {
		exec {ds__lockfd}>&-
		return 1
	}
	for ((k = 0; k < 250; k++)); do
		n=$(((start + k - 2) % 250 + 2)) # 2..251
		ds__subnet_used "$n" && continue
		name="dst$$n$n"
		name=${name:0:15}
		ip link show "$name" >/dev/null 2>&1 && continue
		ip link add name "$name" type bridge 2>/dev/null || continue
		ds__record "bridge $name"
		if ! ip addr add "172.30.$n.1/24" dev "$name" || ! ip link set "$name" up; then
			ip link del "$name" 2>/dev/null
			ds__forget "bridge $name"
			continue
		fi
		DS_BRIDGE=$name
		DS_SUBNET=172.30.$n.0/24
		flock -u "$ds__lockfd"
		exec {ds__lockfd}>&-
		return 0
	done
	flock -u "$ds__lockfd"
	exec {ds__lockfd}>&-
	echo "ds_make_bridge: no free /24 in 172.30.0.0/16" >&2
	return 1
}

# ds_curl SOCKET [CURL-ARGS...] PATH: a request to an engine over its socket
ds_curl() {
	local sock=$1
	shift
	curl -sS --max-time 60 --unix-socket "$sock" "${@:1:$#-1}" "http://d${*: -1}"
}

# ds__real_pid PID PATTERN KIND DIR: print the daemon's pid.  When setsid
# had to fork (the caller was a process-group leader), PID has exited and
# the daemon is the process whose command line contains PATTERN; the
# state record is updated.
ds__real_pid() {
	local pid=$1 pat=$2 kind=$3 dir=$4 p cmd
	if kill -0 "$pid" 2>/dev/null; then
		echo "$pid"
		return 0
	fi
	for p in /proc/[0-9]*; do
		cmd=$({ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null) || continue
		case $cmd in
		*"$pat"*)
			ds__forget "daemon $pid $kind $dir"
			ds__record "daemon ${p#/proc/} $kind $dir"
			echo "${p#/proc/}"
			return 0
			;;
		esac
	done
	echo "$pid"
}

ds__ping() { # SOCKET
	[ "$(curl -s --max-time 2 --unix-socket "$1" http://d/_ping)" = OK ]
}

ds__fail_start() { # WHAT LOG PID
	{
		echo "$1 did not come up; last lines of $2:"
		tail -n 30 "$2" 2>/dev/null
	} | sed 's/^/# /' >&2
	[ -n "${3:-}" ] && ds__stop_pid "$3"
	return 1
}

# ds_start_docker NAME SIZE_MB: a private dockerd whose data root is a
# fresh ext4 loop filesystem of SIZE_MB, on a bridge of its own.
# Exports DS_DOCKER_DIR, DS_DOCKER_SOCK, DS_DOCKER_HOST (unix://...),
# DS_DOCKER_ROOT (the mount point = DockerRootDir), DS_DOCKER_PID,
# DS_DOCKER_LOG, DS_BRIDGE, DS_SUBNET.
# Extra dockerd arguments may be given in DS_DOCKERD_ARGS (an array).
ds_start_docker() {
	local name=$1 size=$2 d pid
	ds__start_watchdog
	d=$DS_RUN/$name
	mkdir -p "$d/exec" || return 1
	ds_mkloop "$d/root" "$size" || return 1
	ds_make_bridge || return 1
	echo '{}' >"$d/daemon.json"
	local dargs=()
	if declare -p DS_DOCKERD_ARGS >/dev/null 2>&1; then
		dargs=("${DS_DOCKERD_ARGS[@]}")
	fi
	setsid dockerd --config-file "$d/daemon.json" \
		--data-root "$d/root" --exec-root "$d/exec" \
		-H "unix://$d/d.sock" --pidfile "$d/pid" \
		--iptables=false --ip6tables=false --ip-masq=false \
		--bridge="$DS_BRIDGE" "${dargs[@]}" \
		</dev/null >"$d/dockerd.log" 2>&1 &
	pid=$!
	ds__record "daemon $pid docker $d"
	if ! ds_wait_for "$DS_START_TIMEOUT" ds__ping "$d/d.sock"; then
		ds__fail_start "dockerd ($name)" "$d/dockerd.log" "$pid"
		return 1
	fi
	pid=$(ds__real_pid "$pid" "$d/d.sock" docker "$d")
	export DS_DOCKER_DIR=$d DS_DOCKER_SOCK=$d/d.sock \
		DS_DOCKER_HOST=unix://$d/d.sock DS_DOCKER_ROOT=$d/root \
		DS_DOCKER_PID=$pid DS_DOCKER_LOG=$d/dockerd.log DS_BRIDGE DS_SUBNET
}

# ds_docker ARGS...: Debian's docker client on the private dockerd only.
ds_docker() {
	DOCKER_HOST=$DS_DOCKER_HOST "$DS_DOCKER_CLI" "$@"
}

# ds_start_podman NAME [SIZE_MB]: a private Podman API service (vfs
# storage).  With SIZE_MB its store is on an ext4 loop filesystem of that
# size (so its free space is stable).  Nothing outside $DS_RUN is used:
# private containers.conf, storage.conf, registries.conf, tmp dir,
# runtime dir, network config and events log.
# Exports DS_PODMAN_DIR, DS_PODMAN_SOCK, DS_PODMAN_HOST, DS_PODMAN_ROOT
# (graph root), DS_PODMAN_MNT (the filesystem to check), DS_PODMAN_PID.
ds_start_podman() {
	local name=$1 size=${2:-} p pid mnt
	ds__start_watchdog
	p=$DS_RUN/$name
	mkdir -p "$p/run" "$p/tmp" "$p/xdg" "$p/net" "$p/cni" "$p/conf" || return 1
	chmod 700 "$p/xdg"
	if [ -n "$size" ]; then
		ds_mkloop "$p/mnt" "$size" || return 1
		mnt=$p/mnt
		mkdir -p "$mnt/root"
	else
		mnt=$p
		mkdir -p "$p/root"
	fi
	cat >"$p/conf/containers.conf" <<EOF
[containers]
[engine]
tmp_dir = "$p/tmp"
volume_path = "$mnt/root/volumes"
static_dir = "$mnt/root/libpod"
events_logger = "file"
events_logfile_path = "$p/events.log"
cgroup_manager = "cgroupfs"
[network]
network_config_dir = "$p/net"
cni_plugin_dirs = ["/usr/lib/cni"]
EOF
	cat >"$p/conf/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$mnt/root"
runroot = "$p/run"
EOF
	cat >"$p/conf/registries.conf" <<EOF
unqualified-search-registries = []
EOF
	DS__SETSID=1 ds__podman_ns "$p" "$mnt/root" \
		system service --time=0 "unix://$p/p.sock" \
		</dev/null >"$p/podman.log" 2>&1 &
	pid=$!
	ds__record "daemon $pid podman $p"
	if ! ds_wait_for "$DS_START_TIMEOUT" ds__ping "$p/p.sock"; then
		ds__fail_start "podman service ($name)" "$p/podman.log" "$pid"
		return 1
	fi
	pid=$(ds__real_pid "$pid" "unix://$p/p.sock" podman "$p")
	export DS_PODMAN_DIR=$p DS_PODMAN_SOCK=$p/p.sock \
		DS_PODMAN_HOST=unix://$p/p.sock DS_PODMAN_ROOT=$mnt/root \
		DS_PODMAN_MNT=$mnt DS_PODMAN_PID=$pid
}

# ds__podman_ns DIR GRAPHROOT PODMAN-ARGS...: run podman with the private
# configuration of DIR, in a mount namespace of its own where
# /var/lib/containers is DIR/varlib: Podman 4.3 running as root writes its
# blob-info cache to /var/lib/containers/cache whatever --root says.
ds__podman_ns() {
	local p=$1 root=$2 pre=()
	shift 2
	mkdir -p "$p/varlib"
	[ "${DS__SETSID:-}" = 1 ] && pre=(setsid)
	# shellcheck disable=SC2016
	CONTAINERS_CONF=$p/conf/containers.conf \
		CONTAINERS_STORAGE_CONF=$p/conf/storage.conf \
		CONTAINERS_REGISTRIES_CONF=$p/conf/registries.conf \
		XDG_RUNTIME_DIR=$p/xdg XDG_CONFIG_HOME=$p/conf HOME=$p TMPDIR=$p/tmp \
		"${pre[@]}" unshare -m --propagation private bash -c '
			p=$1; shift
			if [ -d /var/lib/containers ]; then
				mount --bind "$p/varlib" /var/lib/containers
			else
				# do not create it on the host: hide /var/lib instead
				mount -t tmpfs -o mode=755 tmpfs /var/lib &&
					mkdir /var/lib/containers &&
					mount --bind "$p/varlib" /var/lib/containers
			fi || { echo "cannot make /var/lib/containers private" >&2; exit 1; }
			exec "$@"' _ "$p" \
		podman --root "$root" --runroot "$p/run" \
		--storage-driver=vfs --tmpdir "$p/tmp" --cgroup-manager=cgroupfs \
		--events-backend=file "$@"
}

# ds_podman ARGS...: the podman CLI on the private store (no service
# needed; for checks only, e.g. `ds_podman images`).
ds_podman() {
	ds__podman_ns "$DS_PODMAN_DIR" "$DS_PODMAN_ROOT" "$@"
}

ds__free_port() { # print a TCP port nobody listens on
	local p k
	for ((k = 0; k < 2000; k++)); do
		p=$((20000 + ($$ * 7 + k * 13 + RANDOM) % 30000))
		if [ -z "$(ss -Hltn "sport = :$p" 2>/dev/null)" ]; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# ds_start_registry [NAME]: Debian's docker-registry (distribution 2.8)
# on 127.0.0.1:<free port>, storage in the run directory.
# Exports DS_REGISTRY (127.0.0.1:PORT), DS_REGISTRY_DIR, DS_REGISTRY_PID.
ds_start_registry() {
	local name=${1:-registry} r port pid try
	ds__start_watchdog
	r=$DS_RUN/$name
	mkdir -p "$r/data" || return 1
	for ((try = 0; try < 5; try++)); do
		port=$(ds__free_port) || return 1
		cat >"$r/config.yml" <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $r/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: dockspace-tests-only
EOF
		setsid docker-registry serve "$r/config.yml" </dev/null >"$r/registry.log" 2>&1 &
		pid=$!
		ds__record "daemon $pid registry $r"
		if ds_wait_for "$DS_START_TIMEOUT" curl -sf --max-time 2 "http://127.0.0.1:$port/v2/"; then
			pid=$(ds__real_pid "$pid" "$r/config.yml" registry "$r")
			# the answer must come from our process (port race)
			if kill -0 "$pid" 2>/dev/null; then
				export DS_REGISTRY=127.0.0.1:$port DS_REGISTRY_DIR=$r DS_REGISTRY_PID=$pid
				return 0
			fi
		fi
		ds__stop_pid "$pid"
	done
	ds__fail_start "docker-registry" "$r/registry.log" ""
	return 1
}

# --- images ------------------------------------------------------------------

# ds_build_image TAG [EXTRA_BYTES] [LEGACY]: build TAG on the private
# dockerd from scratch: /bin/busybox, /id (the tag) and, with
# EXTRA_BYTES, /blob of that many random bytes (a RUN step).  BuildKit
# (leaves build cache) unless LEGACY is 1.
ds_build_image() {
	local tag=$1 blob=${2:-0} legacy=${3:-0} ctx
	ctx=$DS_RUN/ctx/${tag//[^A-Za-z0-9_.-]/_}
	mkdir -p "$ctx" || return 1
	cp "$(command -v busybox)" "$ctx/busybox" || return 1
	{
		echo 'FROM scratch'
		echo 'COPY busybox /bin/busybox'
		printf 'RUN ["/bin/busybox", "sh", "-c", "echo %s > /id"]\n' "$tag"
		if [ "$blob" -gt 0 ]; then
			printf 'RUN ["/bin/busybox", "sh", "-c", "/bin/busybox head -c %s /dev/urandom > /blob"]\n' "$blob"
		fi
		echo 'CMD ["/bin/busybox", "sh"]'
	} >"$ctx/Dockerfile"
	if [ "$legacy" = 1 ]; then
		DOCKER_BUILDKIT=0 ds_docker build -q -t "$tag" "$ctx" >"$ctx/build.log" 2>&1
	else
		DOCKER_BUILDKIT=1 ds_docker build --progress=plain -t "$tag" "$ctx" >"$ctx/build.log" 2>&1
	fi || {
		echo "ds_build_image $tag failed:" >&2
		tail -n 20 "$ctx/build.log" >&2
		return 1
	}
}

# ds_load_podman IMAGE...: copy images from the private dockerd into the
# private Podman service (docker save | POST /images/load).
ds_load_podman() {
	local out
	out=$(ds_docker save "$@" | curl -sS --max-time 120 --unix-socket "$DS_PODMAN_SOCK" \
		-X POST -H 'Content-Type: application/x-tar' -H 'Expect:' \
		--data-binary @- "http://d/v1.41/images/load") || {
		echo "ds_load_podman: $out" >&2
		return 1
	}
	if printf '%s' "$out" | grep -q '"error'; then
		echo "ds_load_podman: $out" >&2
		return 1
	fi
	return 0
}

# --- initialisation -----------------------------------------------------------

if [ -n "${DS__ATTACH:-}" ]; then
	# the watchdog: work on an existing run directory, no traps
	DS_RUN=$DS__ATTACH
	DS_STATE=$DS_RUN/state
	unset DS__ATTACH DS__PARENT
else
	ds__tmpbase=${TMPDIR:-/tmp}
	# unix socket paths are limited to 108 bytes: keep the run directory short
	if [ ${#ds__tmpbase} -gt 40 ] || [ ! -d "$ds__tmpbase" ]; then
		ds__tmpbase=/tmp
	fi
	DS_RUN=$(mktemp -d "$ds__tmpbase/dsrun.XXXXXX") || {
		echo "Bail out! cannot make a temporary directory in $ds__tmpbase"
		exit 1
	}
	chmod 755 "$DS_RUN"
	DS_STATE=$DS_RUN/state
	: >"$DS_STATE"
	export DOCKER_CONFIG=$DS_RUN/docker-config
# Until a test names its own engine (export DOCKER_HOST=$DS_DOCKER_HOST),
# every client is pointed at a socket that cannot exist: a test that
# forgets fails with "cannot reach engine", and can never fall back to
# the system engine at /var/run/docker.sock.
export DOCKER_HOST=unix://$DS_RUN/no-engine-named-yet.sock
	mkdir -p "$DOCKER_CONFIG"
	export DS_RUN
	trap ds_cleanup EXIT
	trap 'ds__on_signal INT' INT
	trap 'ds__on_signal TERM' TERM
	trap 'ds__on_signal HUP' HUP
	# from now on the run directory goes away whatever happens to us
	ds__start_watchdog
fi
