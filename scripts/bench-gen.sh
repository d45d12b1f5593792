#!/bin/bash
# bench-gen: `ncws gen` next to ygot's own generator on the whole OpenConfig release, in one run:
#   1. generation: wall time and peak RSS (GNU time -v) of bin/ncws gen and of ygot's generator
#      binary (github.com/openconfig/ygot/generator at the version go.mod requires, installed
#      with `go install` first, so that the figure is generation only, not compiling the tool);
#   2. build: `go build` of each output as the only package of a fresh module, wall and peak RSS.
#      Each side has its own fresh GOCACHE, warmed by a first build of the package (which compiles
#      the dependencies: the ncws runtime for ours; ygot, goyang, gnmi, protobuf, grpc for ygot's);
#      every timed build then changes a one-line file of the package so that exactly the generated
#      package is compiled again, dependencies coming from the cache. That is what a user pays after
#      regenerating; the dependencies are a one-off either way.
# Both generators get every module under release/models (submodules are reached through their
# modules) with ../third_party/ietf for imports, one Go package, a fake root named device (ygot;
# ncws has a root by construction), compress paths off and on. ygot's options are those
# OpenConfig consumers use: -generate_fakeroot -fakeroot_name=device -exclude_modules=ietf-interfaces
# -shorten_enum_leaf_names -typedef_enum_with_defmod -enum_suffix_for_simple_union_enums
# -generate_simple_unions -ignore_unsupported, schema included (ygot's default), no getters or other
# helper methods, one output file (-output_file: ygot's -output_dir split leaves unused imports in
# most files, which do not compile without a goimports pass).
# Each measurement is repeated $REPEAT times (default 3); the table shows medians.
# Env: REPEAT (3), COMPRESS ("off on"), SKIP (modules left out, space-separated:
# openconfig-module-catalog), BENCH_OUT (bench-out).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SHARED=${NCWS_SHARED:-$ROOT/../shared}
REPEAT=${REPEAT:-3}
COMPRESS=${COMPRESS:-off on}
SKIP=${SKIP:-openconfig-module-catalog}
OUT=$(mkdir -p "${BENCH_OUT:-bench-out}/gen" && cd "${BENCH_OUT:-bench-out}/gen" && pwd)
MODELS=$SHARED/yang/openconfig/release/models
IETF=$SHARED/yang/openconfig/third_party/ietf
[ -d "$MODELS" ] || { echo "bench-gen: $MODELS missing" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-gen: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
[ -x bin/ncws ] || { echo "bench-gen: bin/ncws missing (make build)" >&2; exit 1; }

# The generated package is built against a snapshot of the working tree, taken now, so that edits
# made while the benchmark runs do not reach it.
SRC=$OUT/src
rm -rf "$SRC"
mkdir -p "$SRC"
cp -a go.mod go.sum cmd gen internal pkg yang "$SRC/"

YGOT_VERSION=$(go list -m -f '{{.Version}}' github.com/openconfig/ygot)
YGOT_DIR=$(go env GOMODCACHE)/github.com/openconfig/ygot@$YGOT_VERSION
mkdir -p "$OUT/bin"
GOBIN=$OUT/bin go install "github.com/openconfig/ygot/generator@$YGOT_VERSION"
YGOT=$OUT/bin/generator

# The modules: every .yang file under release/models that is not a submodule, less $SKIP
# (openconfig-module-catalog: ygot refuses it, "key name had a leafref key ... that did not exist",
# so neither side gets it).
mapfile -t MODS < <(grep -L -E '^[[:space:]]*belongs-to[[:space:]]' $(find "$MODELS" -name '*.yang') | sort |
	grep -v -E "/(${SKIP// /|})\.yang$")

# measure OUTFILE cmd... : runs cmd under GNU time, appends "wall_s rss_mb cpu_s" to OUTFILE (cpu:
# user+sys of the command and its children, the figure a loaded machine changes least).
measure() {
	local res=$1; shift
	if ! /usr/bin/time -v "$@" >"$OUT/cmd.log" 2>"$OUT/time.txt"; then
		head -c 4000 "$OUT/cmd.log" >&2
		grep -E 'Command|Exit status' "$OUT/time.txt" >&2
		echo "bench-gen: failed: $1 ..." >&2
		exit 1
	fi
	awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; w=s}
		/Maximum resident set size/{r=$2/1024} /User time \(seconds\)|System time \(seconds\)/{c+=$2}
		END{printf "%.2f %.0f %.2f\n", w, r, c}' "$OUT/time.txt" >>"$res"
}

# median FILE COL : the median of column COL (1 wall, 2 RSS, 3 CPU) of FILE.
median() {
	sort -g -k"$2,$2" "$1" | awk -v c="$2" '{v[NR]=$c} END{print v[int((NR+1)/2)]}'
}

# gomod DIR REQUIRES_FROM [REPLACE]: writes DIR/go.mod requiring what the go.mod REQUIRES_FROM
# requires (so no resolution is needed beyond the module cache) plus REPLACE.
gomod() {
	local dir=$1 from=$2 extra=$3
	{
		printf 'module example.com/benchgen\n\ngo 1.26\n\nrequire (\n%s\n' "$extra"
		awk '/^require \($/{r=1; next} r && /^\)$/{r=0; next} r && NF{print "\t" $1 " " $2} /^require [^(]/{print "\t" $2 " " $3}' "$from"
		printf ')\n'
	} >"$dir/go.mod"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(go version | awk '{print $3}'), $(bin/ncws version 2>/dev/null | head -1), ygot $YGOT_VERSION"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "modules: ${#MODS[@]} under release/models (+ third_party/ietf for imports; left out: $SKIP), median of $REPEAT"
rows=()
for c in $COMPRESS; do
	cflag=false
	[ "$c" = on ] && cflag=true
	for side in ncws ygot; do
		rm -f "$OUT/$side-$c.gen" "$OUT/$side-$c.build"
	done
	nout=$OUT/ncws-$c/oc
	yout=$OUT/ygot-$c/oc
	for _ in $(seq "$REPEAT"); do
		rm -rf "$nout" "$yout"
		mkdir -p "$nout" "$yout"
		measure "$OUT/ncws-$c.gen" bin/ncws gen -p "$MODELS" -p "$IETF" -o "$nout" --package oc \
			--compress-paths="$cflag" "${MODS[@]}"
		measure "$OUT/ygot-$c.gen" "$YGOT" -path="$MODELS,$IETF" -output_file="$yout/oc.go" -package_name=oc -generate_fakeroot -fakeroot_name=device \
			-compress_paths="$cflag" -exclude_modules=ietf-interfaces -shorten_enum_leaf_names \
			-typedef_enum_with_defmod -enum_suffix_for_simple_union_enums -generate_simple_unions \
			-ignore_unsupported "${MODS[@]}"
	done
	gomod "$OUT/ncws-$c" "$ROOT/go.mod" "	github.com/ncws/ncws v0.0.0"
	printf '\nreplace github.com/ncws/ncws => %s\n' "$SRC" >>"$OUT/ncws-$c/go.mod"
	cp "$ROOT/go.sum" "$OUT/ncws-$c/go.sum"
	gomod "$OUT/ygot-$c" "$YGOT_DIR/go.mod" "	github.com/openconfig/ygot $YGOT_VERSION"
	cp "$YGOT_DIR/go.sum" "$OUT/ygot-$c/go.sum"
	for side in ncws ygot; do
		dir=$OUT/$side-$c
		cache=$OUT/gocache-$side
		rm -rf "$cache"
		size=$(du -sm "$dir/oc" | cut -f1)
		files=$(find "$dir/oc" -name '*.go' | wc -l)
		echo "$side compress=$c: $files files, $size MB of Go"
		(cd "$dir" && echo 'package oc // warm' >oc/zz_bench_nonce.go &&
			GOCACHE=$cache GOFLAGS=-mod=mod GOPROXY=off GOWORK=off go build ./oc)
		for r in $(seq "$REPEAT"); do
			echo "package oc // run $r $RANDOM" >"$dir/oc/zz_bench_nonce.go"
			(cd "$dir" && measure "$OUT/$side-$c.build" env GOCACHE="$cache" GOFLAGS=-mod=mod GOPROXY=off GOWORK=off go build ./oc)
		done
		rm -f "$dir/oc/zz_bench_nonce.go"
	done
	for side in ncws ygot; do
		rows+=("$(printf '| %-4s | %-3s | %6.2f s | %5s MB | %6.2f s | %6.2f s | %5s MB |' "$side" "$c" \
			"$(median "$OUT/$side-$c.gen" 1)" "$(median "$OUT/$side-$c.gen" 2)" \
			"$(median "$OUT/$side-$c.build" 1)" "$(median "$OUT/$side-$c.build" 3)" "$(median "$OUT/$side-$c.build" 2)")")
	done
done
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| side | compress | generate wall | generate RSS | go build wall | go build CPU | go build RSS |"
echo "|------|----------|---------------|--------------|---------------|--------------|--------------|"
printf '%s\n' "${rows[@]}"
rm -rf "$OUT"/gocache-*
