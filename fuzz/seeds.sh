#!/bin/sh
# fuzz/seeds.sh DATA OUT: write the seed corpus of every target to
# OUT/<target>/, from the recorded engine replies in DATA (tests/data)
# and a few values of each kind.  Replies get their parser's selector
# byte first (see fuzz_replies.c).
set -eu
data=$1
out=$2
mkdir -p "$out"
for t in units prune_args endpoint docker_config build_config replies logs lines handoff; do
	mkdir -p "$out/$t"
done

# seed TARGET NAME SELECTOR-BYTE-AS-OCTAL TEXT
seed() {
	printf "\\$3%s" "$4" >"$out/$1/$2"
}
i=0
for v in 10GB 1.5G 3gb '2 TB' 1KiB 1024 0.5 '' G; do
	i=$((i + 1)); seed units size$i 000 "$v"
done
for v in MB GiB K; do i=$((i + 1)); seed units unit$i 001 "$v"; done
for v in 30s 24h 1h30m 7d 90 2w; do i=$((i + 1)); seed units dur$i 002 "$v"; done
for v in yes off 1 FALSE; do i=$((i + 1)); seed units bool$i 003 "$v"; done

printf '\ndangling,keep=2,dry-run' >"$out/prune_args/1"
printf 'app:1 web:2\nimages,protect=postgres:* lib/*,free=2G,strict,json' >"$out/prune_args/2"
printf '\ncache,max-cache=10GB' >"$out/prune_args/3"
printf '\ncontainers volumes,until=24h' >"$out/prune_args/4"
printf '\nall,keep=0,free=1.5GiB' >"$out/prune_args/5"

i=0
for v in unix:///var/run/docker.sock tcp://127.0.0.1:2375 \
	'tcp://user:pass@h:2376/?token=x&sig=y' ssh://me@build.lan:2222 \
	'[::1]:2375' 'tcp://[fe80::1%eth0]:2376' npipe:////./pipe/docker_engine \
	fd:// h:1 ./d.sock "see 'tcp://u:p@h:1' and https://t@x/?a=b#c"; do
	i=$((i + 1)); printf '%s' "$v" >"$out/endpoint/$i"
done

printf '{"currentContext":"f"}\000{"Name":"f","Endpoints":{"docker":{"Host":"tcp://h:2376","SkipTLSVerify":true}}}' >"$out/docker_config/1"
printf '{"currentContext":"f"}\000{"Name":"f","Endpoints":{"docker":{"Host":"unix:///run/d.sock"}}}' >"$out/docker_config/2"
printf '{"auths":{},"currentContext":"default"}' >"$out/docker_config/3"

i=0
for f in "$data"/../../examples/pipeline/build-config.json; do
	[ -f "$f" ] && i=$((i + 1)) && cp "$f" "$out/build_config/$i"
done
printf '{"registry":"r:5000","image_prefix":"t/","tag":"v1","testing_image":"t:1","testing_context":"t/","platforms":["linux/amd64"],"services":{"api":{"context":"api/","dockerfile":"api/D","target":"p","build_args":{"A":"b"},"essential":true,"size_limit":"1G"}},"cache":{"max_cache":"10GB","keep_images":2},"environments":{"blue":{"build_args":{"C":"b"}}},"tiers":{"full":"8G","medium":"5G","minimal":"2G"}}' >"$out/build_config/x"

# replies: the selector from the file's name
for f in "$data"/*; do
	b=$(basename "$f")
	case $b in
	*system-df*.json) s=000 ;;
	*images.json) s=001 ;;
	*containers.json) s=002 ;;
	*image-inspect.json) s=003 ;;
	*history*.json) s=004 ;;
	*info.json) s=005 ;;
	*version.json) s=006 ;;
	*error*.json) s=010 ;;
	*error*.txt) s=011 ;;
	*events.jsonl)
		n=0
		while IFS= read -r line; do
			n=$((n + 1))
			printf '\007%s' "$line" >"$out/replies/$b.$n"
		done <"$f"
		continue ;;
	*) continue ;;
	esac
	{ printf "\\$s"; cat "$f"; } >"$out/replies/$b"
done
printf '\012{"CachesDeleted":["sha256:abc"],"SpaceReclaimed":1}' >"$out/replies/prune"
printf '\013["pip","install","torch"]' >"$out/replies/argv"

printf '\000# dockspace image sizes: service, image id, size, previous size, unix time\napi\tsha256:ab\t1000\t-\t1700000000\nweb\tsha256:cd\t2000\t1500\t1700000100\n' >"$out/logs/sizes"
printf '\001# dockspace checkpoints: unix time, label, free bytes, used bytes (tab-separated)\n1700000000\tjob start\t5000000000\t100\n1700000060\tafter build\t4000000000\t1000000100\n' >"$out/logs/checkpoints"

# the events stream: the recorded streams, their piece sizes from byte 0
for f in "$data"/*events.jsonl; do
	{ printf '\007'; cat "$f"; } >"$out/lines/$(basename "$f")"
done
printf '\003a\r\nb\n\nc' >"$out/lines/crlf"

# hand-offs: a ledger, TO arguments, a save manifest, a load stream
A=sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
printf '\000100\tdocker.io/library/api:1\t%s\tunix:///a.sock\tunix:///b.sock\tcopied\n101\tdocker.io/library/api:1\t%s\tunix:///a.sock\tcontainerd:///c.sock?namespace=k8s.io\tremoved\n' "$A" "$A" >"$out/handoff/ledger"
i=0
for v in unix:///run/b.sock tcp://h:2375 context:kind file:out/a.tar \
	'containerd:///run/containerd/containerd.sock?namespace=k8s.io' \
	containerd:///c.sock ssh://me@h 'containerd://x?ns=1'; do
	i=$((i + 1)); printf '\001%s' "$v" >"$out/handoff/to$i"
done
printf '\002[{"Config":"aaaa.json","RepoTags":["api:1","api:latest"],"Layers":["l/layer.tar"]}]' >"$out/handoff/manifest"
printf '\002{"schemaVersion":2,"config":{"digest":"%s"}}' "$A" >"$out/handoff/config"
printf '\003{"stream":"Loaded image: api:1\\n"}\r\n{"errorDetail":{"message":"no space"},"error":"no space"}\n' >"$out/handoff/load"
