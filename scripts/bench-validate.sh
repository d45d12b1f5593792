#!/bin/bash
# bench-validate: ncws validate vs yanglint on the same 10k- and 100k-interface documents, in one run.
# Prints wall time and peak RSS (GNU time -v) of each, best of RUNS runs, and the least CPU time
# (user+sys: the figure that a loaded machine disturbs least).
set -euo pipefail
SHARED=${NCWS_SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/shared}
OUT=${BENCH_OUT:-bench-out}
RUNS=${RUNS:-3}
mkdir -p "$OUT"
command -v yanglint >/dev/null || { echo "bench-validate: yanglint missing (apt-get install libyang2-tools)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-validate: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
Y=$SHARED/yang/ietf
MODS="$Y/ietf-interfaces@2014-05-08.yang $Y/iana-if-type@2014-05-08.yang $Y/ietf-ip@2014-06-16.yang"
measure() { # label cmd... -> prints "label wall_s rss_mb cpu_s" (best wall, its RSS; least CPU user+sys)
	local label=$1; shift
	local best_wall="" best_rss="" best_cpu=""
	for _ in $(seq "$RUNS"); do
		/usr/bin/time -v "$@" >/dev/null 2>"$OUT/time.txt" || { cat "$OUT/time.txt" >&2; echo "$label failed" >&2; exit 1; }
		local wall rss cpu
		wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$OUT/time.txt")
		rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$OUT/time.txt")
		cpu=$(awk -F': ' '/(User|System) time \(seconds\)/{s+=$2} END{print s}' "$OUT/time.txt")
		if [ -z "$best_wall" ] || awk "BEGIN{exit !($wall < $best_wall)}"; then best_wall=$wall; best_rss=$rss; fi
		if [ -z "$best_cpu" ] || awk "BEGIN{exit !($cpu < $best_cpu)}"; then best_cpu=$cpu; fi
	done
	printf "%-34s %8.2f s %8s MB %8.2f s CPU\n" "$label" "$best_wall" "$best_rss" "$best_cpu"
}
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(go version | awk '{print $3}'), $(yanglint --version)"
for n in 10000 100000; do
	f=$OUT/if-$n.xml
	[ -s "$f" ] || /usr/bin/python3 "$SHARED/bench/gen-big-ietf-if.py" "$n" "$f"
	echo "== $n interfaces ($(du -m "$f" | cut -f1) MB), best of $RUNS"
	measure "yanglint -t config" yanglint -t config -p "$Y" $MODS "$f"
	measure "ncws validate -t config" bin/ncws validate -p "$Y" $MODS "$f"
done
# PAIRS=N: N more rounds on the 100k document, yanglint then ncws, each printed with the ratios
# (the issue's targets hold "in every run": best-of figures do not show that).
if [ "${PAIRS:-0}" -gt 0 ]; then
	f=$OUT/if-100000.xml
	echo "== 100k interfaces, $PAIRS interleaved rounds: wall s / CPU s / peak RSS MB, ncws vs yanglint"
	one() { # cmd... -> "wall cpu rss_mb"
		/usr/bin/time -v "$@" >/dev/null 2>"$OUT/time.txt" || { cat "$OUT/time.txt" >&2; exit 1; }
		awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; w=s}
			/(User|System) time \(seconds\)/{c+=$2} /Maximum resident set size/{r=$2/1024}
			END{printf "%.2f %.2f %.1f\n", w, c, r}' "$OUT/time.txt"
	}
	for i in $(seq "$PAIRS"); do
		read -r yw yc yr < <(one yanglint -t config -p "$Y" $MODS "$f")
		read -r nw nc nr < <(one bin/ncws validate -p "$Y" $MODS "$f")
		awk -v i="$i" -v yw="$yw" -v yc="$yc" -v yr="$yr" -v nw="$nw" -v nc="$nc" -v nr="$nr" 'BEGIN{
			printf "round %d: yanglint %.2f / %.2f / %.1f, ncws %.2f / %.2f / %.1f: wall %.2fx CPU %.2fx RSS %.2fx\n",
				i, yw, yc, yr, nw, nc, nr, nw/yw, (yc > 0 ? nc/yc : 0), nr/yr}'
	done
fi
