#!/bin/bash
# bench-edit-rss: the server's memory for a big configuration, next to the validator's for the same
# data, in one run. Starts `ncws serve` with ietf-interfaces + iana-if-type + ietf-ip (fresh
# datastore, --read-limit 256MiB), loads the N-interface document (../shared/bench/gen-big-ietf-if.py)
# over WebSocket with `ncws client --script` as one edit-config of candidate + commit, and reads the
# server's /proc/PID/status: VmHWM (peak during the load) and VmRSS at rest (5 s after the commit's
# reply). The anchor is `ncws validate` of the same document (its peak RSS under GNU time: the tree
# of that data plus the decoder's transient), then yanglint's. REPEAT runs, medians.
set -euo pipefail
SHARED=${NCWS_SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/shared}
OUT=${BENCH_OUT:-bench-out}/rss
N=${N:-100000}
REPEAT=${REPEAT:-3}
BIN=${BIN:-bin}
mkdir -p "$OUT"
Y=$SHARED/yang/ietf
MODS=("$Y/ietf-interfaces@2014-05-08.yang" "$Y/iana-if-type@2014-05-08.yang" "$Y/ietf-ip@2014-06-16.yang")
doc=$OUT/if-$N.xml
[ -s "$doc" ] || /usr/bin/python3 "$SHARED/bench/gen-big-ietf-if.py" "$N" "$doc"
script=$OUT/load-$N.xml
{ echo '<edit-config><target><candidate/></target><config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">'
  cat "$doc"; echo '</config></edit-config><commit/>'; } >"$script"
TMP=$(mktemp -d)
SERVE_PID=
cleanup() { [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
PASS=bench-rss-password
printf '%s\n' "$PASS" | "$BIN/ncws" passwd "$TMP/users" bench >/dev/null
kb() { awk -v k="$1:" '$1==k{print $2}' "/proc/$2/status"; }
peak() { # cmd... -> peak RSS in MB (GNU time)
	/usr/bin/time -f '%M' -o "$TMP/time" "$@" >/dev/null 2>"$TMP/err" || { cat "$TMP/err" >&2; return 1; }
	awk '{printf "%.0f", $1/1024}' "$TMP/time"
}
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(go version | awk '{print $3}'); $N interfaces ($(du -m "$doc" | cut -f1) MB), $REPEAT runs"
for r in $(seq "$REPEAT"); do
	v=$(peak "$BIN/ncws" validate -p "$Y" "${MODS[@]}" "$doc")
	yl=$(peak yanglint -t config -p "$Y" "${MODS[@]}" "$doc")
	rm -rf "$TMP/ds"
	"$BIN/ncws" serve --listen 127.0.0.1:0 --datastore "$TMP/ds" --users "$TMP/users" --read-limit 256MiB \
		--log-level warn -p "$Y" "${MODS[@]}" >"$TMP/serve.out" 2>"$OUT/serve.err" &
	SERVE_PID=$!
	url=
	for _ in $(seq 200); do
		url=$(sed -n 's|^ncws: serving NETCONF over WebSocket at \(ws://[^ ]*\) .*|\1|p' "$TMP/serve.out")
		[ -n "$url" ] && break
		sleep 0.1
	done
	[ -n "$url" ] || { echo "bench-edit-rss: ncws serve did not start" >&2; cat "$OUT/serve.err" >&2; exit 1; }
	start=$(kb VmRSS "$SERVE_PID")
	t0=$(date +%s.%N)
	NCWS_PASSWORD=$PASS "$BIN/ncws" client "$url" --user bench --script "$script" >"$TMP/reply" ||
		{ echo "bench-edit-rss: the load failed" >&2; cat "$TMP/reply" >&2; exit 1; }
	t1=$(date +%s.%N)
	[ "$(grep -c '<ok/>' "$TMP/reply")" = 2 ] || { echo "bench-edit-rss: no <ok/> for both rpcs" >&2; exit 1; }
	sleep 5
	rest=$(kb VmRSS "$SERVE_PID"); hwm=$(kb VmHWM "$SERVE_PID")
	kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true; SERVE_PID=
	awk -v r="$r" -v s="$start" -v h="$hwm" -v z="$rest" -v v="$v" -v y="$yl" -v t="$(echo "$t1 - $t0" | bc)" 'BEGIN{
		printf "run=%d load_s=%.1f serve_start_mb=%.0f serve_peak_mb=%.0f serve_rest_mb=%.0f validate_peak_mb=%d yanglint_peak_mb=%d peak/validate=%.2f rest/validate=%.2f\n",
			r, t, s/1024, h/1024, z/1024, v, y, h/1024/v, z/1024/v}' | tee -a "$OUT/runs.txt"
done | tee "$TMP/runs"
med() { grep -o "$1=[0-9.]*" "$TMP/runs" | cut -d= -f2 | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
echo "median: load $(med load_s) s, serve peak $(med serve_peak_mb) MB, at rest $(med serve_rest_mb) MB; ncws validate peak $(med validate_peak_mb) MB, yanglint $(med yanglint_peak_mb) MB; peak/validate $(med peak/validate)x, rest/validate $(med rest/validate)x"
