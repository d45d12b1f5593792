#!/bin/bash
# bench-edit-steady: one-entry edit at 100k entries vs 1k over a real socket, as issue 16 measures
# it: two `ncws serve` processes (fresh datastores, the flat list of pkg/datastore/testdata/
# dstest.yang), one loaded with 1k entries and one with 100k loaded over WebSocket in chunks of 10k
# (ncload edit, candidate + commit), then ROUNDS rounds that each time one-entry edit + commit
# (ncload edit -n 1 -candidate, a new session each) on the 1k server and then the 100k server,
# interleaved so that both see the same machine load. Prints p50/p90/mean of each and the ratios.
# Run it on a quiet machine and again under load (e.g. `stress-ng --cpu 2` or a build beside it).
# Needs ../shared/bench/ncload (built here).
set -euo pipefail
SHARED=${NCWS_SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/shared}
ROUNDS=${ROUNDS:-100}
BIN=${BIN:-bin}
OUT=${BENCH_OUT:-bench-out}/steady
mkdir -p "$OUT"
TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
(cd "$SHARED/bench/ncload" && go build -o "$TMP/ncload" .)
MOD=$(cd "$(dirname "$0")/.." && pwd)/pkg/datastore/testdata/dstest.yang
PASS=bench-steady-password
printf '%s\n' "$PASS" | "$BIN/ncws" passwd --cost 4 "$TMP/users" bench >/dev/null
NS='urn:ncws:test:dstest'
# chunk C of 10k: ids C*10000 .. C*10000+9999 ({{i}} counts from 0; the ids are made of a prefix).
for c in 0 1 2 3 4 5 6 7 8 9; do
	printf '<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><store xmlns="%s">\n{{begin}}<entry><id>%s{{i}}</id><value>v{{i}}</value></entry>\n{{end}}</store></config>\n' \
		"$NS" "$((c + 1))" >"$TMP/chunk$c.xml"
done
printf '<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><store xmlns="%s">{{begin}}<entry><id>7</id><value>one {{i}}</value></entry>{{end}}</store></config>\n' "$NS" >"$TMP/one.xml"
printf '<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"><store xmlns="%s">{{begin}}<entry nc:operation="delete"><id>7</id></entry>{{end}}</store></config>\n' "$NS" >"$TMP/one-del.xml"
start() { # name: sets url (not in a subshell, so that PIDS keeps the server for cleanup)
	"$BIN/ncws" serve --listen 127.0.0.1:0 --datastore "$TMP/ds-$1" --users "$TMP/users" --no-page \
		--log-level warn "$MOD" >"$TMP/serve-$1.out" 2>"$OUT/serve-$1.err" &
	PIDS+=($!)
	for _ in $(seq 200); do
		url=$(sed -n 's|^ncws: serving NETCONF over WebSocket at \(ws://[^ ]*\) .*|\1|p' "$TMP/serve-$1.out")
		[ -n "$url" ] && return
		sleep 0.1
	done
	echo "bench-edit-steady: ncws serve did not start" >&2; cat "$OUT/serve-$1.err" >&2; exit 1
}
nc() { "$TMP/ncload" edit -url "$1" -user bench -pass "$PASS" -timeout 120s "${@:2}"; }
field() { tr ' ' '\n' | sed -n "s/^$1=//p"; }
start small; u1=$url
start large; u2=$url
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(go version | awk '{print $3}'), $ROUNDS rounds"
# 1k: ids 1..1000 (chunk 0's first 1000 entries).
nc "$u1" -n 1000 -template "$TMP/chunk0.xml" -candidate >/dev/null
chunks=""
for c in 0 1 2 3 4 5 6 7 8 9; do
	chunks="$chunks $(nc "$u2" -n 10000 -template "$TMP/chunk$c.xml" -candidate | grep ^mode= | field edit_ms)"
done
echo "100k loaded in chunks of 10k, edit+commit ms each:$chunks"
: >"$TMP/small"; : >"$TMP/large"
for _ in $(seq "$ROUNDS"); do
	for s in small large; do
		u=$u1; [ $s = large ] && u=$u2
		nc "$u" -n 1 -template "$TMP/one.xml" -delete "$TMP/one-del.xml" -candidate | grep ^mode= | field edit_ms >>"$TMP/$s"
	done
done
stats() { sort -n "$1" | awk '{a[NR]=$1; s+=$1} END{printf "p50=%.3f p90=%.3f mean=%.3f max=%.3f", a[int((NR+1)/2)], a[int(NR*0.9)], s/NR, a[NR]}'; }
s1=$(stats "$TMP/small"); s2=$(stats "$TMP/large")
echo "1k entries:   $s1 ms" | tee -a "$OUT/runs.txt"
echo "100k entries: $s2 ms" | tee -a "$OUT/runs.txt"
p() { echo "$1" | field "$2"; }
awk -v a="$(p "$s1" p50)" -v b="$(p "$s2" p50)" -v c="$(p "$s1" mean)" -v d="$(p "$s2" mean)" -v e="$(p "$s1" p90)" -v f="$(p "$s2" p90)" \
	'BEGIN{printf "100k/1k: p50 %.2fx, p90 %.2fx, mean %.2fx\n", b/a, f/e, d/c}' | tee -a "$OUT/runs.txt"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
