#!/bin/bash
# bench-gen-prune: what ncws gen --prune-schema saves on the Junos QFX conf set
# ($SHARED/yang/vendor/junos: -p common -p junos-qfx/conf, the 33 modules of junos-qfx/conf/models)
# generated with --path $PRUNE_PATH (default /junos-qfx-conf-root:configuration/interfaces),
# without (whole: the embedded schema is the whole set) and with --prune-schema (pruned),
# interleaved in each of $REPEAT rounds (default 3; medians shown):
#   1. bin/ncws gen $GEN_FLAGS --path ...: wall, CPU (user+sys), peak RSS (GNU time -v); output
#      size (all Go, the descriptor's files, the module texts' files);
#   2. go build of the package alone in a fresh module and GOCACHE (warmed with the ncws runtime
#      packages; a nonce file forces the package to compile each round): wall, CPU, peak RSS of
#      the largest process and of the process tree;
#   3. a program calling the package's Schema() once (decoding the embedded descriptor and
#      module texts): its CPU time and peak RSS (GNU time -v), and the time and live heap it
#      prints itself (after a GC), with the schema's node count.
# Run it alone (under `flock /work/heavy.lock` on shared machines): each build takes ~1-2 GB.
# Env: REPEAT (3), GEN_FLAGS (none), PRUNE_PATH, BENCH_OUT (bench-out).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SHARED=${NCWS_SHARED:-$ROOT/../shared}
REPEAT=${REPEAT:-3}
GEN_FLAGS=${GEN_FLAGS:-}
PRUNE_PATH=${PRUNE_PATH:-/junos-qfx-conf-root:configuration/interfaces}
OUT=$(mkdir -p "${BENCH_OUT:-bench-out}/gen-prune" && cd "${BENCH_OUT:-bench-out}/gen-prune" && pwd)
J=$SHARED/yang/vendor/junos
[ -d "$J/junos-qfx/conf/models" ] || { echo "bench-gen-prune: $J/junos-qfx/conf/models missing" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-gen-prune: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
[ -x bin/ncws ] || { echo "bench-gen-prune: bin/ncws missing (make build)" >&2; exit 1; }
mapfile -t MODS < <(ls "$J"/junos-qfx/conf/models/*.yang)
[ "${#MODS[@]}" = 33 ] || { echo "bench-gen-prune: want 33 modules, found ${#MODS[@]}" >&2; exit 1; }

SRC=$OUT/src
rm -rf "$SRC"
mkdir -p "$SRC"
cp -a go.mod go.sum cmd gen internal pkg yang "$SRC/"

# shellcheck source=scripts/benchlib.sh
. "$ROOT/scripts/benchlib.sh"

schemaMain='package main

import (
	"fmt"
	"runtime"
	"time"

	"example.com/benchprune/junos"
)

func main() {
	start := time.Now()
	s := junos.Schema()
	took := time.Since(start)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	impl := 0
	for _, m := range s.Modules {
		if m.Implemented {
			impl++
		}
	}
	fmt.Printf("%.1f %.1f %d %d %d\n", took.Seconds()*1000, float64(ms.HeapAlloc)/(1<<20), s.NodeCount(), len(s.Modules), impl)
	runtime.KeepAlive(s)
}
'

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(go version | awk '{print $3}'), $(git rev-parse --short HEAD 2>/dev/null)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "set: Junos QFX conf, ${#MODS[@]} modules; --path $PRUNE_PATH; gen flags: ${GEN_FLAGS:-(none)}; median of $REPEAT, whole and pruned interleaved"
VARIANTS="whole pruned"
for v in $VARIANTS; do
	rm -f "$OUT/gen.$v" "$OUT/build.$v" "$OUT/schema.$v" "$OUT/schemaself.$v"
done
flags() { [ "$1" = pruned ] && echo "--prune-schema" || true; }
for _ in $(seq "$REPEAT"); do
	for v in $VARIANTS; do
		rm -rf "$OUT/$v"
		mkdir -p "$OUT/$v/junos"
		# shellcheck disable=SC2046,SC2086
		measure "$OUT/gen.$v" bin/ncws gen $GEN_FLAGS $(flags "$v") --path "$PRUNE_PATH" -p "$J/common" -p "$J/junos-qfx/conf" \
			-o "$OUT/$v/junos" --package junos "${MODS[@]}" || { echo "bench-gen-prune: gen ($v) failed" >&2; exit 1; }
	done
done
mb() { find "$1" -name "$2" -exec cat {} + 2>/dev/null | wc -c | awk '{printf "%.2f", $1/1048576}'; }
declare -A SIZE
for v in $VARIANTS; do
	SIZE[$v]="$(find "$OUT/$v/junos" -name '*.go' | wc -l) files, $(mb "$OUT/$v/junos" '*.go') MB of Go (descriptor $(mb "$OUT/$v/junos" 'schema_descriptor*.go') MB, module texts $(mb "$OUT/$v/junos" '*_yang*.go') MB in $(find "$OUT/$v/junos" -name '*_yang.go' | wc -l) modules)"
	gomod "$OUT/$v" example.com/benchprune "$SRC"
	mkdir -p "$OUT/$v/schemarun"
	printf '%s' "$schemaMain" >"$OUT/$v/schemarun/main.go"
done
cache=$OUT/gocache
rm -rf "$cache"
export GOCACHE=$cache GOFLAGS=-mod=mod GOPROXY=off GOWORK=off
(cd "$OUT/whole" && go build github.com/ncws/ncws/pkg/genimpl github.com/ncws/ncws/pkg/data github.com/ncws/ncws/pkg/schema)
for r in $(seq "$REPEAT"); do
	for v in $VARIANTS; do
		echo "package junos // run $r $RANDOM" >"$OUT/$v/junos/zz_bench_nonce.go"
		(cd "$OUT/$v" && measure "$OUT/build.$v" go build ./junos) || { echo "bench-gen-prune: build ($v) failed" >&2; exit 1; }
	done
done
for v in $VARIANTS; do
	(cd "$OUT/$v" && go build -o "$OUT/$v/schemarun.bin" ./schemarun)
	rm -f "$OUT/$v/junos/zz_bench_nonce.go"
done
unset GOCACHE GOFLAGS GOPROXY GOWORK
rm -rf "$cache"
for _ in $(seq "$REPEAT"); do
	for v in $VARIANTS; do
		measure "$OUT/schema.$v" "$OUT/$v/schemarun.bin"
		cat "$OUT/cmd.log" >>"$OUT/schemaself.$v"
	done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
for v in $VARIANTS; do
	echo "output ($v): ${SIZE[$v]}"
done
echo
echo "| step | variant | wall | CPU (user+sys) | peak RSS (largest process) | peak RSS (sum of processes) |"
echo "|------|---------|------|----------------|----------|----------|"
for step in gen build schema; do
	for v in $VARIANTS; do
		printf '| %s | %s | %s s | %s s | %s MB | %s MB |\n' "$step" "$v" "$(median "$OUT/$step.$v" 1)" "$(median "$OUT/$step.$v" 3)" \
			"$(median "$OUT/$step.$v" 2)" "$(median "$OUT/$step.$v" 5)"
	done
done
echo
echo "Schema() itself (median): time to first return, live heap after GC, schema nodes, modules (implemented)"
for v in $VARIANTS; do
	printf '  %-6s %s ms, %s MB, %s nodes, %s modules (%s implemented)\n' "$v" "$(median "$OUT/schemaself.$v" 1)" "$(median "$OUT/schemaself.$v" 2)" \
		"$(head -1 "$OUT/schemaself.$v" | cut -d' ' -f3)" "$(head -1 "$OUT/schemaself.$v" | cut -d' ' -f4)" "$(head -1 "$OUT/schemaself.$v" | cut -d' ' -f5)"
done
