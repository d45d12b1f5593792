#!/bin/bash
# bench-junos-validate: issue 17's validation-memory target on the Junos QFX conf set: the peak
# RSS of `ncws validate` with the 31 modules of $SHARED/yang/vendor/junos/junos-qfx/conf/models
# (all but class-of-service and dynamic-profiles) and a small configuration (system/host-name),
# next to yanglint's on the same files, interleaved in each round (target: ncws <= yanglint).
# Both must accept the configuration (exit status 0). Prints each run (wall s, user+sys CPU s,
# peak RSS in MB as docs/PERFORMANCE.md gives them: GNU time's %M in thousands of KiB) and the
# medians. Env: REPEAT (3), NCWS (bin/ncws), YANGLINT
# (yanglint), BENCH_OUT (bench-out). Run it alone (under `flock /work/heavy.lock` on shared
# machines): yanglint takes 35-40 s of CPU a run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SHARED=${NCWS_SHARED:-$ROOT/../shared}
REPEAT=${REPEAT:-3}
NCWS=$(cd "$(dirname "${NCWS:-bin/ncws}")" && pwd)/$(basename "${NCWS:-bin/ncws}")
YANGLINT=${YANGLINT:-yanglint}
OUT=$(mkdir -p "${BENCH_OUT:-bench-out}/junos-validate" && cd "${BENCH_OUT:-bench-out}/junos-validate" && pwd)
J=$SHARED/yang/vendor/junos
[ -d "$J/junos-qfx/conf/models" ] || { echo "bench-junos-validate: $J/junos-qfx/conf/models missing" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-junos-validate: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
[ -x "$NCWS" ] || { echo "bench-junos-validate: $NCWS missing (make build)" >&2; exit 1; }
command -v "$YANGLINT" >/dev/null || { echo "bench-junos-validate: $YANGLINT missing" >&2; exit 1; }
cd "$J"
mapfile -t MODS < <(ls junos-qfx/conf/models/*.yang | grep -v -e class-of-service -e dynamic-profiles)
[ "${#MODS[@]}" = 31 ] || { echo "bench-junos-validate: want 31 modules, found ${#MODS[@]}" >&2; exit 1; }
DOC=$OUT/junos.xml
cat >"$DOC" <<'XML'
<configuration xmlns="http://yang.juniper.net/junos-qfx/conf/root">
  <system xmlns="http://yang.juniper.net/junos-qfx/conf/system">
    <host-name>bench-qfx</host-name>
  </system>
</configuration>
XML

# run NAME cmd...: one run under GNU time; appends "wall cpu rss_mb" to $OUT/NAME.
run() {
	local name=$1; shift
	local status=0
	/usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" "$@" >"$OUT/out.txt" 2>&1 || status=$?
	if [ "$status" != 0 ]; then
		echo "bench-junos-validate: $name exited $status:" >&2
		head -20 "$OUT/out.txt" >&2
		exit 1
	fi
	read -r wall user sys kib <"$OUT/time.txt"
	local cpu rss
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
	rss=$(awk -v k="$kib" 'BEGIN { printf "%.0f", k / 1000 }')
	printf '  %-14s %6.1f s wall %6s s CPU %5s MB\n' "$name" "$wall" "$cpu" "$rss"
	echo "$wall $cpu $rss" >>"$OUT/$name"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

rm -f "$OUT/ncws" "$OUT/yanglint"
echo "Junos QFX conf, ${#MODS[@]} modules, $REPEAT rounds (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
for r in $(seq "$REPEAT"); do
	echo "round $r"
	run ncws "$NCWS" validate -p common -p junos-qfx/conf "${MODS[@]}" "$DOC"
	run yanglint "$YANGLINT" -p common -p junos-qfx/conf "${MODS[@]}" "$DOC"
done
n=$(cut -d' ' -f3 "$OUT/ncws" | median)
y=$(cut -d' ' -f3 "$OUT/yanglint" | median)
nc=$(cut -d' ' -f2 "$OUT/ncws" | median)
yc=$(cut -d' ' -f2 "$OUT/yanglint" | median)
echo "median peak RSS: ncws $n MB, yanglint $y MB: $(awk -v a="$n" -v b="$y" 'BEGIN { printf "%.2fx", a / b }') (target <= 1x)"
echo "median CPU: ncws $nc s, yanglint $yc s: $(awk -v a="$nc" -v b="$yc" 'BEGIN { printf "%.2fx", a / b }')"
echo "worst ncws run: $(cut -d' ' -f3 "$OUT/ncws" | sort -n | tail -1) MB; best yanglint run: $(cut -d' ' -f3 "$OUT/yanglint" | sort -n | head -1) MB"
