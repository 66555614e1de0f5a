# shellcheck shell=bash
# shellcheck disable=SC2034 # (variables set here are read by the tests)
# tests/lib/prune.sh: helpers for the docker-prune integration tests.
# Source it after engines.sh:
#
#   . "$abs_top_srcdir/tests/lib/engines.sh"
#   . "$abs_top_srcdir/tests/lib/prune.sh"
#
# Images are crafted offline (docker-save archives written here, loaded
# with POST /images/load) so that their creation times, sizes and labels
# are exactly what a test says: "created 30 days ago" cannot be had from
# a build.  Every crafted image has two layers: a shared base layer
# (/bin/busybox, so containers can run) and a layer of its own (/id and
# /blob of BYTES random bytes).  Loading an archive again is cheap: the
# layers that exist are not read.
#
# Engine access goes through DSP_SOCK (the engine's socket) and DSP_HOST
# (its unix:// URL, given to make as DOCKER_HOST); set both first.

DSP_SOCK=${DSP_SOCK:-}
DSP_HOST=${DSP_HOST:-}

# --- crafted images ---------------------------------------------------------

# dsp_pool_init DIR: start a pool of crafted images in DIR.
dsp_pool_init() {
	DSP_POOL=$1
	declare -gA DSP_ID=()
	mkdir -p "$DSP_POOL/base-root/bin" "$DSP_POOL/img" || return 1
	cp "$(command -v busybox)" "$DSP_POOL/base-root/bin/busybox" || return 1
	tar --mtime=@0 --owner=0 --group=0 --numeric-owner --sort=name \
		-C "$DSP_POOL/base-root" -cf "$DSP_POOL/base.tar" bin || return 1
	DSP_BASE_DIFF=$(sha256sum "$DSP_POOL/base.tar" | cut -d' ' -f1)
	mkdir -p "$DSP_POOL/base/$DSP_BASE_DIFF"
	mv "$DSP_POOL/base.tar" "$DSP_POOL/base/$DSP_BASE_DIFF/layer.tar"
}

# dsp__config NAME DIR UDIFF CREATED LABELS_JSON: write pool image NAME's
# config (the base layer, then layer UDIFF), its docker-save manifest
# entry, udiff and id files in DIR.  Sets DSP_ID[NAME].
dsp__config() {
	local name=$1 d=$2 udiff=$3 created=$4 labels=$5 iso cdig
	iso=$(date -u -d "@$created" +%Y-%m-%dT%H:%M:%SZ)
	jq -cn --arg c "$iso" --argjson l "$labels" \
		--arg b "sha256:$DSP_BASE_DIFF" --arg u "sha256:$udiff" \
		'{architecture: "amd64", os: "linux", created: $c,
		  config: {Cmd: ["/bin/busybox", "sh"], Labels: $l},
		  rootfs: {type: "layers", diff_ids: [$b, $u]},
		  history: [{created: $c}, {created: $c}]}' >"$d/config.json" ||
		return 1
	cdig=$(sha256sum "$d/config.json" | cut -d' ' -f1)
	mv "$d/config.json" "$d/$cdig.json"
	jq -cn --arg c "$cdig.json" --arg b "$DSP_BASE_DIFF/layer.tar" \
		--arg u "$udiff/layer.tar" \
		'{Config: $c, RepoTags: null, Layers: [$b, $u]}' >"$d/entry.json"
	printf '%s\n' "$udiff" >"$d/udiff"
	printf 'sha256:%s\n' "$cdig" >"$d/id"
	DSP_ID[$name]=sha256:$cdig
}

# dsp_craft NAME CREATED BYTES [LABELS_JSON]: add image NAME to the pool,
# created at unix time CREATED, its own layer holding BYTES random bytes,
# with these labels ({} by default).  Sets DSP_ID[NAME] ("sha256:...").
dsp_craft() {
	local name=$1 created=$2 bytes=$3 labels=${4:-'{}'} d u udiff
	d=$DSP_POOL/img/$name
	u=$DSP_POOL/tmp-$name
	rm -rf "$d" "$u"
	mkdir -p "$d" "$u" || return 1
	printf '%s\n' "$name" >"$u/id"
	if [ "$bytes" -gt 0 ]; then
		head -c "$bytes" /dev/urandom >"$u/blob" || return 1
	fi
	tar --mtime=@0 --owner=0 --group=0 --numeric-owner --sort=name \
		-C "$u" -cf "$d/layer.tar" . || return 1
	rm -rf "$u"
	udiff=$(sha256sum "$d/layer.tar" | cut -d' ' -f1)
	mkdir -p "$d/$udiff"
	mv "$d/layer.tar" "$d/$udiff/layer.tar"
	dsp__config "$name" "$d" "$udiff" "$created" "$labels"
}

# dsp_craft_like NAME OF CREATED [LABELS_JSON]: add image NAME with the
# very layers of pool image OF (so it shares them all) but a config of
# its own (creation time, labels).  Sets DSP_ID[NAME].
dsp_craft_like() {
	local name=$1 of=$2 created=$3 labels=${4:-'{}'} d o udiff
	d=$DSP_POOL/img/$name
	o=$DSP_POOL/img/$of
	rm -rf "$d"
	udiff=$(cat "$o/udiff")
	mkdir -p "$d/$udiff" || return 1
	ln "$o/$udiff/layer.tar" "$d/$udiff/layer.tar" 2>/dev/null ||
		cp "$o/$udiff/layer.tar" "$d/$udiff/layer.tar" || return 1
	dsp__config "$name" "$d" "$udiff" "$created" "$labels"
}

# dsp_pool_tar OUT [NAME...]: a docker-save archive of those pool images
# (all of them when no NAME is given), untagged.
dsp_pool_tar() {
	local out=$1 n d args=() names
	shift
	if [ $# -gt 0 ]; then
		names=("$@")
	else
		names=()
		for d in "$DSP_POOL"/img/*/; do
			d=${d%/}
			names+=("${d##*/}")
		done
	fi
	local m=$DSP_POOL/manifest.$$
	mkdir -p "$m" || return 1
	local u
	declare -A seen=()
	for n in "${names[@]}"; do
		d=$DSP_POOL/img/$n
		u=$(cat "$d/udiff")
		args+=(-C "$d" "$(sed 's/^sha256://' "$d/id").json")
		# a layer shared by several images goes in once
		[ -n "${seen[$u]:-}" ] || args+=("$u")
		seen[$u]=1
	done
	for n in "${names[@]}"; do
		cat "$DSP_POOL/img/$n/entry.json"
	done | jq -cs . >"$m/manifest.json" || return 1
	tar -cf "$out" -C "$DSP_POOL/base" "$DSP_BASE_DIFF" "${args[@]}" \
		-C "$m" manifest.json || return 1
	rm -rf "$m"
}

# dsp_pool_tar_lean OUT "WITH-LAYERS" NAME...: like dsp_pool_tar, but
# with the layer of only the images in WITH-LAYERS and without the base
# layer: for loading images whose other layers the engine has (docker
# load does not open the file of a layer it has).
dsp_pool_tar_lean() {
	local out=$1 with=" $2 " n d u args=() m=$DSP_POOL/manifest.$$
	shift 2
	declare -A seen=()
	mkdir -p "$m" || return 1
	for n in "$@"; do
		d=$DSP_POOL/img/$n
		u=$(cat "$d/udiff")
		args+=(-C "$d" "$(sed 's/^sha256://' "$d/id").json")
		case $with in *" $n "*)
			[ -n "${seen[$u]:-}" ] || args+=("$u")
			seen[$u]=1
			;;
		esac
	done
	for n in "$@"; do
		cat "$DSP_POOL/img/$n/entry.json"
	done | jq -cs . >"$m/manifest.json" || return 1
	tar -cf "$out" "${args[@]}" -C "$m" manifest.json || return 1
	rm -rf "$m"
}

# dsp_load TAR: load a docker-save archive into the engine at DSP_SOCK.
dsp_load() {
	local out
	out=$(curl -sS --max-time 120 --unix-socket "$DSP_SOCK" -X POST \
		-H 'Content-Type: application/x-tar' -H 'Expect:' \
		--data-binary @"$1" "http://d/images/load?quiet=1") || {
		echo "dsp_load: $out" >&2
		return 1
	}
	case $out in
	*'"error'*)
		echo "dsp_load: $out" >&2
		return 1
		;;
	esac
	return 0
}

# dsp_api METHOD PATH [CURL-ARGS...]: one API call; fails on HTTP >= 400
# (the body goes to stderr then).
dsp_api() {
	local method=$1 path=$2 body code
	shift 2
	body=$(curl -sS --max-time 60 --unix-socket "$DSP_SOCK" -X "$method" \
		-w '\n%{http_code}' "$@" "http://d$path") || return 1
	code=${body##*$'\n'}
	body=${body%$'\n'*}
	if [ "$code" -ge 400 ]; then
		printf '%s %s: HTTP %s: %s\n' "$method" "$path" "$code" "$body" >&2
		return 1
	fi
	[ -n "$body" ] && printf '%s\n' "$body"
	return 0
}

# dsp_tag ID REPO:TAG...: tag an image (API, no CLI start-up cost).
dsp_tag() {
	local id=$1 ref repo tag
	shift
	for ref in "$@"; do
		repo=${ref%:*}
		tag=${ref##*:}
		dsp_api POST "/images/$id/tag?repo=$(dsp_urlenc "$repo")&tag=$tag" >/dev/null ||
			return 1
	done
}

dsp_urlenc() {
	local s=$1 out='' c i
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[A-Za-z0-9._~-]) out+=$c ;;
		*) out+=$(printf '%%%02X' "'$c") ;;
		esac
	done
	printf '%s' "$out"
}

# --- engine state -------------------------------------------------------------

# dsp_df FILE: the engine's /system/df into FILE.
dsp_df() {
	curl -sS --max-time 60 --unix-socket "$DSP_SOCK" -o "$1" http://d/system/df &&
		jq -e 'type == "object"' "$1" >/dev/null
}

# jq: the bytes the engine accounts for, as ds_space_engine_used does:
# images (LayersSize; when 0, Size summed over distinct image IDs, as on
# Podman) + containers (SizeRw) + volumes (UsageData.Size, -1 skipped) +
# build cache (records not Shared).
DSP_JQ_USED='
  ((.LayersSize // 0) as $l
   | if $l > 0 then $l
     else ([(.Images // []) | unique_by(.Id)[] | .Size // 0 | select(. > 0)] | add // 0) end)
  + ([(.Containers // [])[] | .SizeRw // 0] | add // 0)
  + ([(.Volumes // [])[] | .UsageData.Size // -1 | select(. != -1)] | add // 0)
  + ([(.BuildCache // [])[] | select(.Shared | not) | .Size // 0] | add // 0)'

# dsp_used DFFILE: print those bytes.
dsp_used() {
	jq "$DSP_JQ_USED" "$1"
}

# jq: the objects of a /system/df reply, one "KIND ID EXTRA" line each.
DSP_JQ_STATE='
  def bare: sub("^sha256:"; "");
  ((.Images // []) | unique_by(.Id)[] | "image \(.Id | bare) \([(.RepoTags // [])[] | select(. != "<none>:<none>")] | sort | join(","))"),
  ((.Containers // [])[] | "container \(.Id) \(.State) \(.ImageID // "" | bare)"),
  ((.Volumes // [])[] | "volume \(.Name)"),
  ((.BuildCache // [])[] | "cache \(.ID)")'

# dsp_state DFFILE: the objects, sorted (compare two with diff).
dsp_state() {
	jq -r "$DSP_JQ_STATE" "$1" | sort
}

# --- running docker-prune -------------------------------------------------------

# dsp_make DIR MAKEFILE-TEXT [MAKE-ARGS...]: run make on that text in DIR
# (created) with DOCKER_HOST=$DSP_HOST.  Sets DSP_OUT, DSP_ERR, DSP_RC.
dsp_make() {
	local dir=$1 text=$2
	shift 2
	mkdir -p "$dir" || return 1
	printf '%s\n' "$text" >"$dir/Makefile"
	(cd "$dir" && DOCKER_HOST=$DSP_HOST make --no-print-directory -f Makefile "$@" \
		>"$dir/out" 2>"$dir/err")
	DSP_RC=$?
	DSP_OUT=$(cat "$dir/out")
	DSP_ERR=$(cat "$dir/err")
	return 0
}

# dsp_prune DIR WHAT OPTS [MAKE-ARGS...]: X := $(docker-prune WHAT,OPTS)
# in a fresh makefile (OPTS as written in the makefile: commas allowed).
# Sets DSP_OUT, DSP_ERR, DSP_RC, DSP_JSON (the line starting with "{"),
# DSP_RESULT (what the function expanded to).
dsp_prune() {
	local dir=$1 what=$2 opts=$3 call
	shift 3
	if [ -n "$opts" ]; then
		call="\$(docker-prune $what,$opts)"
	else
		call="\$(docker-prune $what)"
	fi
	dsp_make "$dir" "load \$(DOCKSPACE_MODULE)
dsp-result := $call
\$(info DSP-RESULT=\$(dsp-result))
all: ; @:" "$@"
	DSP_JSON=$(printf '%s\n' "$DSP_OUT" | grep '^{' | tail -n 1)
	DSP_RESULT=$(printf '%s\n' "$DSP_OUT" | sed -n 's/^DSP-RESULT=//p' | tail -n 1)
}

# dsp_items JSON [STATUS]: "KIND ID" of the JSON's items (with that status),
# in order; image IDs without "sha256:".
dsp_items() {
	printf '%s\n' "$1" | jq -r --arg s "${2:-}" \
		'.items[] | select($s == "" or .status == $s)
		 | "\(.kind) \(.id | sub("^sha256:"; ""))"'
}

# --- invariants -------------------------------------------------------------------

# dsp_glob_re GLOB: the glob (fnmatch, no flags) as an anchored ERE for jq.
dsp_glob_re() {
	local g=$1 re='^' c i
	for ((i = 0; i < ${#g}; i++)); do
		c=${g:i:1}
		case $c in
		'*') re+='.*' ;;
		'?') re+='.' ;;
		'[')
			local j=$((i + 1)) cls='['
			[ "${g:j:1}" = '!' ] && { cls+='^'; j=$((j + 1)); }
			[ "${g:j:1}" = ']' ] && { cls+='\]'; j=$((j + 1)); }
			while [ $j -lt ${#g} ] && [ "${g:j:1}" != ']' ]; do
				cls+=${g:j:1}
				j=$((j + 1))
			done
			if [ $j -lt ${#g} ]; then
				re+="$cls]"
				i=$j
			else
				re+='\['
			fi
			;;
		'\')
			i=$((i + 1))
			c=${g:i:1}
			re+="\\$c"
			;;
		[.+\(\)\{\}\|^\$]) re+="\\$c" ;;
		*) re+=$c ;;
		esac
	done
	printf '%s$' "$re"
}

# dsp_patterns_json "PATTERN...": [{glob, re, nre, id, repo}] for
# dsp_violations; repo is true when the pattern names no tag (no ':' after
# the last '/'), so that it also matches a repository alone (protect=app
# keeps app:*); nre is the pattern in the familiar form (docker.io/library/,
# docker.io/ and localhost/ dropped, as the module normalises); id the hex
# digits of a short ID (12+, "sha256:" or not), "" when it is none.
dsp_patterns_json() {
	local p
	for p in $1; do
		local last=${p##*/} repo=false n=$p id=${p#sha256:}
		case $last in *:*) ;; *) repo=true ;; esac
		n=${n#index.docker.io/}
		n=${n#docker.io/}
		n=${n#library/}
		n=${n#localhost/}
		[[ $id =~ ^[0-9a-fA-F]{12,}$ ]] || id=
		jq -cn --arg g "$p" --arg re "$(dsp_glob_re "$p")" \
			--arg nre "$(dsp_glob_re "$n")" --arg id "${id,,}" --argjson r $repo \
			'{glob: $g, re: $re, nre: $nre, id: $id, repo: $r}'
	done | jq -cs .
}

# jq (with $before, $after: /system/df replies; $real: docker-prune's
# JSON; $pre: dsp_patterns_json; $pins: [refs]): one line per object
# deleted that must not have been.
DSP_JQ_VIOLATIONS='
  def bare: sub("^sha256:"; "");
  def norm: sub("^localhost/"; "") | sub("^docker\\.io/library/"; "");
  def repo: if test(":[^/]*$") then sub(":[^/]*$"; "") else . end;
  def notag: (split("/") | last | test(":") | not);
  ([($after.Containers // [])[] | .Id]) as $alive
  | ($real.items | map(select(.status == "deleted")))[] as $it
  | if $it.kind == "image" then
      [($before.Images // [])[] | select((.Id | bare) == ($it.id | bare))] as $rows
      | ([$rows[] | (.RepoTags // [])[] | select(. != "<none>:<none>")] | unique) as $raw
      | ($raw | map(norm)) as $tags
      | (if ($rows | length) == 0 then "image \($it.name): not in the snapshot before" else empty end),
        (if ([$rows[] | (.Labels // {}) | has("dockspace.keep")] | any)
         then "image \($it.name): labelled dockspace.keep" else empty end),
        (($before.Containers // [])[]
         | select((.ImageID // "" | bare) == ($it.id | bare))
         | select(.Id as $c | $alive | index($c))
         | "image \($it.name): used by container \(.Names[0] // .Id) that stays"),
        ($pre[] as $p
         | select((([($it.id), ($it.id | bare)] + $raw + $tags
                   + (if $p.repo then (($raw + $tags) | map(repo)) else [] end))
                  | any(test($p.re)))
                  or ((if $p.repo then ($tags | map(repo)) else [] end) + $tags
                      | any(test($p.nre)))
                  or ($p.id != "" and ($it.id | bare | startswith($p.id))))
         | "image \($it.name): matches protect=\($p.glob)"),
        ($pins[] as $q
         | select((($q | bare | test("^[0-9a-f]{12,}$")) and ($it.id | bare | startswith($q | bare)))
                  or ($tags | any(. == ($q | norm) or (($q | notag) and . == (($q | norm) + ":latest")))))
         | "image \($it.name): pinned by \($q)")
    elif $it.kind == "container" then
      (($before.Containers // [])[] | select(.Id == $it.id)
       | select(.State == "running" or .State == "paused" or .State == "restarting")
       | "container \($it.name): was \(.State)")
    elif $it.kind == "volume" then
      (($before.Volumes // [])[] | select(.Name == $it.id)
       | select((.UsageData.RefCount // -1) != 0)
       | "volume \($it.name): RefCount \(.UsageData.RefCount // "unknown")"),
      ($pre[] as $p | select($it.id | test($p.re))
       | "volume \($it.name): matches protect=\($p.glob)")
    elif $it.kind == "cache" then
      (($before.BuildCache // [])[] | select(.ID == $it.id)
       | select(.InUse or (.Shared and $it.reason != "held by a deleted image"))
       | "cache \($it.id): in use or shared")
    else "unknown kind \($it.kind)" end'

# dsp_violations BEFORE_DF AFTER_DF REAL_JSON "PROTECT..." "PIN...":
# print what was deleted though in use, running, labelled, protected or
# pinned (nothing when all is well).
dsp_violations() {
	local pre pins
	pre=$(dsp_patterns_json "$4")
	pins=$(printf '%s\n' $5 | jq -R . | jq -cs 'map(select(length > 0))')
	printf '%s\n' "$3" | jq -r --slurpfile b "$1" --slurpfile a "$2" \
		--argjson pre "$pre" --argjson pins "$pins" \
		'. as $real | $b[0] as $before | $a[0] as $after | '"$DSP_JQ_VIOLATIONS"
}

# dsp_keep_violations BEFORE_DF AFTER_DF N: the images among the N newest
# of a repository (created, then ID, newest first) that are gone.
dsp_keep_violations() {
	jq -rn --slurpfile b "$1" --slurpfile a "$2" --argjson n "$3" '
	  def bare: sub("^sha256:"; "");
	  def norm: sub("^localhost/"; "") | sub("^docker\\.io/library/"; "");
	  def repo: if test(":[^/]*$") then sub(":[^/]*$"; "") else . end;
	  ([($a[0].Images // [])[] | .Id | bare]) as $left
	  | [($b[0].Images // [])[] | {id: (.Id | bare), created: .Created,
	       repo: ((.RepoTags // [])[] | select(. != "<none>:<none>") | norm | repo)}]
	  | unique | group_by(.repo)[]
	  | unique_by(.id) | sort_by(.created, .id) | reverse | .[0:$n][]
	  | select(.id as $i | $left | index($i) | not)
	  | "keep=\($n): \(.repo) lost \(.id[0:12]) (created \(.created))"'
}

# dsp_gone BEFORE_DF AFTER_DF: "KIND ID" of the objects gone, sorted.
dsp_gone() {
	comm -23 <(dsp_state "$1" | cut -d' ' -f1,2 | sort -u) \
		<(dsp_state "$2" | cut -d' ' -f1,2 | sort -u)
}

# dsp_new BEFORE_DF AFTER_DF: "KIND ID" of the objects that appeared.
dsp_new() {
	comm -13 <(dsp_state "$1" | cut -d' ' -f1,2 | sort -u) \
		<(dsp_state "$2" | cut -d' ' -f1,2 | sort -u)
}
