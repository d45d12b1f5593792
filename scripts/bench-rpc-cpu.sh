#!/bin/bash
# bench-rpc-cpu: the server's CPU time, context switches and syscalls per get-config, for
# ncws builds side by side (issues 13 and 16: decide per-rpc work with measures that move less
# with a shared machine's load than rpc/s). For each build and transport (SSH, WebSocket) and
# mode (sequential, 8 outstanding), runs alternating, REPEAT times:
#   ncws serve (fresh datastore, example model, NACM on)  <-  ncload rpc -d DURATION [-pipeline 8]
# measured with `perf stat -e task-clock,context-switches -p <server>` (server CPU and switches
# per rpc) and /usr/bin/time on ncload (client CPU per rpc); then, once per build, `strace -c -f`
# of the server over a short run (syscalls per rpc; strace slows the run, the counts per rpc
# stand). Prints medians.
#
#   scripts/bench-rpc-cpu.sh [BIN[+FLAG...]...]     default: bin/ncws built from this tree
#   a BIN may carry serve flags after +, e.g. bin/ncws+--gomaxprocs=1 (a build measured twice)
#   e.g. git worktree add /tmp/old OLDCOMMIT && (cd /tmp/old && go build -o /tmp/ncws-old ./cmd/ncws)
#        scripts/bench-rpc-cpu.sh /tmp/ncws-old bin/ncws
# Env: REPEAT (3), DURATION (3 s), TRANSPORTS ("ssh ws"), STRACE (1; 0 skips it). Needs perf,
# strace and /usr/bin/time; run it under `flock /work/heavy.lock` on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SHARED=${NCWS_SHARED:-$ROOT/../shared}
REPEAT=${REPEAT:-3}
DURATION=${DURATION:-3}
TRANSPORTS=${TRANSPORTS:-ssh ws}
STRACE=${STRACE:-1}
OUT=$ROOT/bench-out/rpc-cpu
mkdir -p "$OUT" bin
rm -f "$OUT"/*.txt
if [ $# -eq 0 ]; then
	go build -o bin/ncws ./cmd/ncws
	set -- bin/ncws
fi
(cd "$SHARED/bench/ncload" && go build -o "$ROOT/bin/ncload" .)
NCLOAD=$ROOT/bin/ncload
for t in perf strace /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "bench-rpc-cpu: $t is missing" >&2; exit 1; }
done
TMP=$(mktemp -d)
SPID=
cleanup() {
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
echo "bench-rpc-cpu: $(date -u +%FT%TZ) on $(nproc) cores; load:$(uptime | sed 's/.*load average://')" | tee "$OUT/machine.txt"

# start BIN[+FLAG...] T: starts ncws serve (SPID) and sets TARGET for ncload.
start() {
	local bin=${1%%+*} t=$2 d
	d=$(mktemp -d -p "$TMP")
	printf 'pw\n' | "$bin" passwd "$d/users" u >/dev/null
	local extra=()
	[ "$t" = ssh ] && extra=(--ssh-listen 127.0.0.1:0)
	[ "$1" != "$bin" ] && IFS=+ read -r -a more <<<"${1#*+}" && extra+=("${more[@]}")
	"$bin" serve --listen 127.0.0.1:0 --datastore "$d/ds" --users "$d/users" --max-conns -1 \
		--max-conns-per-user -1 --max-conns-per-addr -1 --log-level warn "${extra[@]}" >"$d/out" 2>"$d/err" &
	SPID=$!
	local pat='serving NETCONF over WebSocket at \(ws://[^ ]*\) .*'
	[ "$t" = ssh ] && pat='serving NETCONF over SSH at \([^ ]*\) .*'
	local a=
	for _ in $(seq 100); do
		a=$(sed -n "s|^ncws: $pat|\1|p" "$d/out")
		[ -n "$a" ] && break
		sleep 0.1
	done
	[ -n "$a" ] || { echo "bench-rpc-cpu: $bin serve did not start" >&2; cat "$d/err" >&2; exit 1; }
	if [ "$t" = ssh ]; then TARGET=(-ssh "$a"); else TARGET=(-url "$a"); fi
	TARGET+=(-user u -pass pw)
	"$NCLOAD" rpc "${TARGET[@]}" -d 1 >/dev/null # warm-up; the first session pays bcrypt
}
stop() { kill -TERM "$SPID"; wait "$SPID" || true; SPID=; }

# one LABEL ARGS...: one measured ncload run; appends a key=value line to $OUT/LABEL.txt.
one() {
	local label=$1
	shift
	perf stat -x, -e task-clock,context-switches -p "$SPID" -o "$TMP/perf" 2>/dev/null &
	local pp=$!
	sleep 0.2
	/usr/bin/time -f '%U %S' -o "$TMP/time" "$NCLOAD" rpc "${TARGET[@]}" "$@" >"$TMP/nl"
	kill -INT $pp
	wait $pp || true
	local rpcs rps tc cs cu cs2
	rpcs=$(grep -o 'rpcs=[0-9]*' "$TMP/nl" | cut -d= -f2)
	rps=$(grep -o 'rps=[0-9.]*' "$TMP/nl" | cut -d= -f2)
	tc=$(grep task-clock "$TMP/perf" | cut -d, -f1)
	cs=$(grep context-switches "$TMP/perf" | cut -d, -f1)
	read -r cu cs2 <"$TMP/time"
	awk -v r="$rpcs" -v rps="$rps" -v tc="$tc" -v cs="$cs" -v cu="$cu" -v cs2="$cs2" \
		'BEGIN{printf "rps=%.0f srv_us=%.1f srv_cs=%.2f cli_us=%.1f\n", rps, tc*1000/r, cs/r, (cu+cs2)*1e6/r}' |
		tee -a "$OUT/$label.txt" | sed "s|^|$label |"
}

for _ in $(seq "$REPEAT"); do
	for t in $TRANSPORTS; do
		for bin in "$@"; do
			name=$(basename "$bin")
			start "$bin" "$t"
			one "$name-$t-seq" -d "$DURATION"
			one "$name-$t-p8" -d "$DURATION" -pipeline 8
			stop
		done
	done
done

if [ "$STRACE" = 1 ]; then
	for bin in "$@"; do
		name=$(basename "$bin")
		for t in $TRANSPORTS; do
			start "$bin" "$t"
			for mode in seq p8; do
				p=()
				[ $mode = p8 ] && p=(-pipeline 8)
				strace -c -f -p "$SPID" -o "$TMP/st" 2>/dev/null &
				sp=$!
				sleep 0.5
				"$NCLOAD" rpc "${TARGET[@]}" -d 2 "${p[@]}" >"$TMP/nl"
				kill -INT $sp
				wait $sp || true
				rpcs=$(grep -o 'rpcs=[0-9]*' "$TMP/nl" | cut -d= -f2)
				awk -v r="$rpcs" '$NF=="total"{printf "syscalls=%.2f", $4/r}
					NR>2 && $NF!="total" && $4 ~ /^[0-9]+$/ && $4/r >= 0.05 {s = s sprintf(" %s=%.2f", $NF, $4/r)}
					END{print s}' "$TMP/st" >"$OUT/$name-$t-$mode.strace"
			done
			stop
		done
	done
fi

# med FILE KEY: median of KEY over FILE's lines.
med() {
	sed -n "s/.*\b$2=\([0-9.]*\).*/\1/p" "$1" | sort -g |
		awk '{a[NR]=$1} END {if (NR == 0) print "-"; else print a[int((NR+1)/2)]}'
}
{
	echo
	echo "bench-rpc-cpu: medians of $REPEAT runs of ${DURATION} s (raw lines in bench-out/rpc-cpu/)"
	echo "| build | transport | mode | rpc/s | server CPU us/rpc | server context switches/rpc | client CPU us/rpc | server syscalls/rpc (strace) |"
	echo "|---|---|---|---|---|---|---|---|"
	for t in $TRANSPORTS; do
		for mode in seq p8; do
			for bin in "$@"; do
				n=$(basename "$bin")-$t-$mode
				f=$OUT/$n.txt
				sc=-
				[ -s "$OUT/$n.strace" ] && sc=$(cat "$OUT/$n.strace")
				echo "| $(basename "$bin") | $t | $mode | $(med "$f" rps) | $(med "$f" srv_us) | $(med "$f" srv_cs) | $(med "$f" cli_us) | $sc |"
			done
		done
	done
	echo "load after the run:$(uptime | sed 's/.*load average://')"
} | tee "$OUT/summary.txt"
