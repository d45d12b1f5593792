#!/bin/bash
# bench-ws: ncws serve over WebSocket next to the anchor, yuma123 netconfd over SSH, measured in one
# run through the same client, ../shared/bench/ncload (see its README):
#   rpc -d 10 (sequential get-config of running), rpc -d 10 -pipeline 8, setup -k 50  (both servers)
#   idle -s 10000 -c 64 -d 20 -pid <ncws pid>  (ncws: server RSS per held session)
#   setup -k 1 on a fresh ncws: the one session that pays the bcrypt password check
# Each rpc/setup run is repeated $REPEAT times (default 3), the two servers' runs alternating; the
# summary shows medians. Raw ncload lines go to bench-out/ws/*.txt. The anchor needs the Debian
# packages netconfd, libyuma-base, netconfd-module-ietf-interfaces, openssh-server and sshpass:
# installed here when missing and root, otherwise the anchor is skipped with a message.
# Env: REPEAT (3), DURATION (10, seconds per rpc run), IDLE_SESSIONS (10000), PEER_PORT (8830).
# TRANSPORT=ssh (make bench-ssh) measures ncws over SSH (--ssh-listen, RFC 6242) instead of
# WebSocket, through the same ncload -ssh code that measures netconfd; no idle run then.
# SERVE_FLAGS: more flags for ncws serve (e.g. SERVE_FLAGS=--gomaxprocs=1), named in the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SHARED=${NCWS_SHARED:-$ROOT/../shared}
REPEAT=${REPEAT:-3}
DURATION=${DURATION:-10}
IDLE_SESSIONS=${IDLE_SESSIONS:-10000}
export PEER_PORT=${PEER_PORT:-8830}
TRANSPORT=${TRANSPORT:-ws}
OUT=$ROOT/bench-out/$TRANSPORT
NAME=bench-$TRANSPORT
BIN=$ROOT/bin
USER_NAME=bench
PASS=bench-ws-password
mkdir -p "$OUT" "$BIN"
rm -f "$OUT"/*.txt
TMP=$(mktemp -d)
chmod 711 "$TMP" # the anchor's netconf-subsystem runs as its own user and reaches into $TMP/peer
NCWS_PID=
PEER_STARTED=
cleanup() {
	if [ -n "$NCWS_PID" ] && kill -0 "$NCWS_PID" 2>/dev/null; then
		kill -TERM "$NCWS_PID"
		wait "$NCWS_PID" || echo "bench-ws: ncws serve exited with status $?" >&2
	fi
	if [ -n "$PEER_STARTED" ]; then
		PEER_DIR=$TMP/peer bash "$SHARED/bench/peer-netconfd.sh" stop >/dev/null || true
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT

echo "bench-ws: $(date -u +%FT%TZ) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')); load:$(uptime | sed 's/.*load average://')" | tee "$OUT/machine.txt"

echo "bench-ws: building bin/ncws and bin/ncload"
go build -o "$BIN/ncws" ./cmd/ncws
(cd "$SHARED/bench/ncload" && go build -o "$BIN/ncload" .)

# 10,000 server connections in ncws and as many client connections in ncload.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((IDLE_SESSIONS + 512)) ]; then
	echo "bench-ws: open files limit $(ulimit -n) is below $((IDLE_SESSIONS + 512)): the idle run will fail" >&2
fi

# run LABEL NAME ncload-args...: one ncload run, its key=value line appended to $OUT/LABEL-NAME.txt.
run() {
	local label=$1 name=$2
	shift 2
	if ! "$BIN/ncload" "$@" -label "$label" >>"$OUT/$label-$name.txt" 2>>"$OUT/$label-$name.err"; then
		echo "bench-ws: ncload $1 ($label $name) failed; see $OUT/$label-$name.err" >&2
		return 0
	fi
	tail -1 "$OUT/$label-$name.txt"
}


# --- the anchor: netconfd behind sshd ---
peer_pkgs=(netconfd libyuma-base netconfd-module-ietf-interfaces openssh-server sshpass)
missing=()
for p in "${peer_pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
anchor=yes
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "bench-ws: installing ${missing[*]} for the anchor"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
			{ echo "bench-ws: installing ${missing[*]} failed: anchor skipped" >&2; anchor=; }
	else
		echo "bench-ws: anchor skipped: missing Debian packages ${missing[*]} (run as root to install them)" >&2
		anchor=
	fi
fi
if [ -n "$anchor" ]; then
	if PEER_DIR=$TMP/peer bash "$SHARED/bench/peer-netconfd.sh" start; then
		PEER_STARTED=yes
	else
		echo "bench-ws: anchor skipped: peer-netconfd.sh start failed" >&2
	fi
fi


# --- ncws ---
printf '%s\n' "$PASS" | "$BIN/ncws" passwd "$TMP/users.htpasswd" "$USER_NAME" >/dev/null
extra=()
[ "$TRANSPORT" = ssh ] && extra=(--ssh-listen 127.0.0.1:0)
read -r -a more <<<"${SERVE_FLAGS:-}"
extra+=("${more[@]}")
"$BIN/ncws" serve --listen 127.0.0.1:0 --datastore "$TMP/datastore" --users "$TMP/users.htpasswd" \
	--max-conns -1 --max-conns-per-user -1 --max-conns-per-addr -1 --log-level warn "${extra[@]}" \
	>"$TMP/serve.out" 2>"$OUT/ncws-serve.err" &
NCWS_PID=$!
URL=
for _ in $(seq 100); do
	URL=$(sed -n 's|^ncws: serving NETCONF over WebSocket at \(ws://[^ ]*\) .*|\1|p' "$TMP/serve.out")
	[ -n "$URL" ] && break
	kill -0 "$NCWS_PID" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$URL" ]; then
	echo "bench-ws: ncws serve did not start:" >&2
	cat "$TMP/serve.out" "$OUT/ncws-serve.err" >&2
	exit 1
fi
TARGET=(-url "$URL")
if [ "$TRANSPORT" = ssh ]; then
	SSHADDR=$(sed -n 's|^ncws: serving NETCONF over SSH at \([^ ]*\) .*|\1|p' "$TMP/serve.out")
	TARGET=(-ssh "$SSHADDR")
	URL=ssh://$SSHADDR
fi
echo "bench-ws: ncws serve pid $NCWS_PID at $URL"
# The first session pays the bcrypt check of the password; the server then remembers the match
# for 5 minutes (pkg/auth), so the setup runs below measure the rest of the session setup.
run ncws setup-first setup "${TARGET[@]}" -user "$USER_NAME" -pass "$PASS" -k 1
# The two servers' runs alternate (ncws, netconfd, ncws, ...), so that both see the same
# load on this shared machine.
NCWS_ARGS=("${TARGET[@]}" -user "$USER_NAME" -pass "$PASS")
PEER_ARGS=(-ssh "127.0.0.1:$PEER_PORT" -user ncuser -pass ncpass)
for _ in $(seq "$REPEAT"); do
	for what in "rpc rpc -d $DURATION" "rpc8 rpc -d $DURATION -pipeline 8" "setup setup -k 50"; do
		read -r -a w <<<"$what"
		run ncws "${w[0]}" "${w[1]}" "${NCWS_ARGS[@]}" "${w[@]:2}"
		if [ -n "$PEER_STARTED" ]; then
			run netconfd "${w[0]}" "${w[1]}" "${PEER_ARGS[@]}" "${w[@]:2}"
		fi
	done
done
if [ "$TRANSPORT" = ws ]; then
	run ncws idle idle -url "$URL" -user "$USER_NAME" -pass "$PASS" -s "$IDLE_SESSIONS" -c 64 -d 20 -pid "$NCWS_PID"
fi
kill -TERM "$NCWS_PID"
wait "$NCWS_PID" || echo "bench-ws: ncws serve exited with status $?" >&2
NCWS_PID=
if [ -n "$PEER_STARTED" ]; then
	PEER_DIR=$TMP/peer bash "$SHARED/bench/peer-netconfd.sh" stop
	PEER_STARTED=
fi

# --- summary: medians over the repeats ---
# val FILE KEY: the median of KEY over the key=value lines of FILE ("-" when none).
val() {
	[ -s "$1" ] || { echo -; return; }
	grep '^mode=' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | sort -g |
		awk '{a[NR]=$1} END {if (NR == 0) print "-"; else print a[int((NR+1)/2)]}'
}
row() { # row TITLE NAME KEY [KEY2]: one table row, ncws next to netconfd
	local t=$1 n=$2 k=$3 k2=${4:-}
	local a b
	a=$(val "$OUT/ncws-$n.txt" "$k")
	b=$(val "$OUT/netconfd-$n.txt" "$k")
	if [ -n "$k2" ]; then
		a="$a / $(val "$OUT/ncws-$n.txt" "$k2")"
		b="$b / $(val "$OUT/netconfd-$n.txt" "$k2")"
	fi
	printf '| %s | %s | %s |\n' "$t" "$a" "$b"
}
{
	echo
	echo "$NAME summary (medians of $REPEAT runs; raw lines in bench-out/$TRANSPORT/)${SERVE_FLAGS:+; ncws serve $SERVE_FLAGS}"
	if [ "$TRANSPORT" = ssh ]; then
		echo "| metric | ncws over SSH | netconfd over SSH |"
	else
		echo "| metric | ncws over WebSocket | netconfd over SSH |"
	fi
	echo "|---|---|---|"
	row "get-config/s, 1 session, sequential, ${DURATION} s" rpc rps
	row "  latency p50 / p99 ms" rpc p50_ms p99_ms
	row "get-config/s, 1 session, -pipeline 8" rpc8 rps
	row "  latency p50 / p99 ms" rpc8 p50_ms p99_ms
	row "session setup, 50 sequential: median / p95 ms" setup setup_p50_ms setup_p95_ms
	echo "| first session of a fresh ncws (bcrypt check, not yet cached) ms | $(val "$OUT/ncws-setup-first.txt" setup_p50_ms) | - |"
	[ "$TRANSPORT" = ws ] && echo "| idle sessions held (${IDLE_SESSIONS}) | $(val "$OUT/ncws-idle.txt" stayed_open) stayed open, opened in $(val "$OUT/ncws-idle.txt" open_s) s | - |"
	[ "$TRANSPORT" = ws ] && echo "| server RSS per idle session, KiB | $(val "$OUT/ncws-idle.txt" rss_per_session_kb) (RSS $(val "$OUT/ncws-idle.txt" rss_before_kb) -> $(val "$OUT/ncws-idle.txt" rss_hold_kb) kB) | - |"
	echo "load after the run:$(uptime | sed 's/.*load average://')"
} | tee "$OUT/summary.txt"
