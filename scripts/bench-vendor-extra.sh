#!/bin/bash
# bench-vendor-extra: issue 17's claims on vendor sets that are not in ../shared/yang (they are
# fetched by hand as LOCAL test inputs; nothing from them or generated from them is committed).
# Each part runs when its directory is given and says what is missing otherwise:
#   SROS_DIR   an SR OS release directory of nokia/7x50_YangModels (e.g. latest_sros_26.3, with
#              nokia-submodule/nokia-conf.yang):
#              1. ncws gen of nokia-conf (wall, CPU, peak RSS) and go build of its output, one
#                 package and --split module (which splits nokia-conf below the module, by
#                 subtree: --split-structs; SROS_SPLIT_FLAGS adds gen flags to that run, e.g.
#                 --split-structs -1 for one package per module) (peak RSS of the largest process
#                 and summed over the build's processes; target <= 1.5 GB);
#              4. ncws validate vs yanglint peak RSS on a small configuration (target <= yanglint).
#              If nokia-submodule/nokia-conf-groups.yang is absent (some repository snapshots leave
#              out this largest file) a copy of the release gets a LOCAL stand-in holding only
#              /configure/groups/group/name (what the apply-groups leafrefs need); said in the output.
#   SRL_A, SRL_B  two SR Linux releases (nokia/srlinux-yang-models checkouts, each holding
#              srlinux-yang-models/srl_nokia/models): 2. gen A and B with the same flags and count
#              container and list paths in both whose Go name differs (target 0): a path's name is
#              its struct's (the doc comment names the path) or, with SRL_FLAGS=--share-groupings,
#              the name it has without the flag when the output declares it (the alias of a
#              shared type: gen A and B also without the flags to know those names);
#              also A plus one small unrelated module (written here, nodes named like common SR Linux
#              nodes) and count renames of A's types.
#   SONIC_DIR  sonic-net/sonic-buildimage's src/sonic-yang-models: 3. every valid test document of
#              tests/yang_model_tests (tests/*.json entries without eStr/eStrKey, data from
#              tests_config) validated by ncws validate and by yanglint (-t config) against all of
#              yang-models/ (templates in yang-templates/ rendered for the "py" model type):
#              verdict agreement, and both tools' peak RSS.
# Env: SROS_DIR, SROS_SPLIT_FLAGS, SROS_PARTS ("1 4"; "4" measures validation memory only, in
# seconds), REPEAT (part 4's alternating runs, 1), SRL_A, SRL_B, SRL_FLAGS (gen flags for part 2,
# e.g. --share-groupings), SONIC_DIR, BUILD_TIMEOUT (900 s), BENCH_OUT (bench-out).
# Heavy (an SR OS build takes GBs): run under `flock /work/heavy.lock nice -n 10` on shared machines.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD_TIMEOUT=${BUILD_TIMEOUT:-900}
OUT=$(mkdir -p "${BENCH_OUT:-bench-out}/vendor-extra" && cd "${BENCH_OUT:-bench-out}/vendor-extra" && pwd)
[ -x /usr/bin/time ] || { echo "bench-vendor-extra: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
[ -x bin/ncws ] || { echo "bench-vendor-extra: bin/ncws missing (make build)" >&2; exit 1; }
NCWS=$ROOT/bin/ncws

# shellcheck source=scripts/benchlib.sh
. "$ROOT/scripts/benchlib.sh"

# measure LABEL cmd...: a timed run of cmd; prints "| LABEL | wall | CPU | RSS | sum RSS | exit |".
measure() {
	local label=$1 status=0
	shift
	timed "$@" || status=$?
	timedfields "$status" | awk -v l="$label" '{printf "| %s | %.1f s | %.1f s | %.0f MiB | %s MiB | %s |\n", l, $1, $3, $2, $5, $4}'
}
# Peak RSS in MiB: GNU time's KiB / 1024 (largest process), the sampled sum likewise.
hdr() { echo "| step | wall | CPU (user+sys) | peak RSS, MiB (largest process) | peak RSS, MiB (sum of processes) | exit |"; echo "|---|---|---|---|---|---|"; }


# structs DIR: "SCHEMAPATH GONAME" of every generated struct whose doc comment names its path.
structs() {
	cat $(find "$1" -name '*.go') | awk '
		/^\/\/ / { if (!inblk) { para=""; inblk=1; open=1 } if (open) para = para " " substr($0, 4); next }
		/^\/\/$/ { open=0; next }
		/^type [A-Za-z0-9_]+ struct \{/ { n=split(para, w, " ")
			if (w[1] == $2) for (i=2; i<=n; i++) if (w[i] ~ /^\/[^ ]*:/) { p=w[i]; sub(/[.,]$/, "", p); print p, $2; break } }
		{ inblk=0; open=0; para="" }' | sort -u
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(go version | awk '{print $3}'), ncws $(git rev-parse --short HEAD 2>/dev/null), $(yanglint --version 2>/dev/null || echo 'yanglint missing')"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
missing=()

# ---- 1 and 4: SR OS ----
if [ -n "${SROS_DIR:-}" ] && [ -f "$SROS_DIR/nokia-submodule/nokia-conf.yang" ]; then
	S=$SROS_DIR
	if [ ! -f "$S/nokia-submodule/nokia-conf-groups.yang" ] && grep -q 'include nokia-conf-groups' "$S/nokia-submodule/nokia-conf.yang"; then
		rm -rf "$OUT/sros-copy"; cp -a "$S" "$OUT/sros-copy"; S=$OUT/sros-copy
		cat >"$S/nokia-submodule/nokia-conf-groups.yang" <<'YANG'
submodule nokia-conf-groups {
    yang-version "1.1";
    belongs-to nokia-conf { prefix "conf"; }
    description "Local stand-in (bench-vendor-extra): the release's submodule is absent; only
        the group list that the apply-groups leafrefs point at.";
    grouping conf-groups {
        container groups {
            list group {
                key "name";
                leaf name { type string { length "1..64"; } }
            }
        }
    }
}
YANG
		echo
		echo "SR OS: NOTE nokia-conf-groups.yang is absent from $SROS_DIR; measured with a LOCAL stand-in (only /configure/groups/group/name): the real /configure/groups tree is left out."
	fi
	echo
	echo "### SR OS nokia-conf ($SROS_DIR)"
	rm -rf "$OUT/src"; mkdir -p "$OUT/src"; cp -a go.mod go.sum cmd gen internal pkg yang "$OUT/src/"
	hdr
	sros_parts=" ${SROS_PARTS:-1 4} "
	for mode in one module; do
		[[ $sros_parts == *" 1 "* ]] || break
		M=$OUT/sros-$mode; rm -rf "$M"; mkdir -p "$M/sros"
		flags=""; [ "$mode" = module ] && flags="--split module --import-path example.com/benchvendor/sros ${SROS_SPLIT_FLAGS:-}"
		# shellcheck disable=SC2086
		measure "gen ($mode package$([ "$mode" = module ] && echo 's'))" "$NCWS" gen $flags -p "$S" -o "$M/sros" --package sros "$S/nokia-submodule/nokia-conf.yang"
		echo "|  output: $(find "$M/sros" -name '*.go' | wc -l) files, $(find "$M/sros" -name '*.go' -exec cat {} + | wc -c | fmtbytes) of Go, $(find "$M/sros" -name '*.go' -exec cat {} + | grep -c '^type .* struct {') struct types, $(find "$M/sros" -name '*.go' -exec dirname {} + | sort -u | wc -l) packages | | | | | |"
		if [ "$mode" = module ]; then
			# The largest packages (nokia-conf is split below the module: --split-structs).
			echo "|  largest packages: $(for d in $(find "$M/sros" -name '*.go' -exec dirname {} + | sort -u); do
				printf '%s %s %s\n' "$(cat "$d"/*.go | wc -c)" "$(cat "$d"/*.go | grep -c '^type .* struct {' || true)" "${d##*/}"
			done | sort -n -r | head -5 | awk '{printf "%s%s %d bytes (%.1f MiB) %d structs", (NR > 1 ? ", " : ""), $3, $1, $1/1048576, $2}') | | | | | |"
		fi
		gomod "$M" example.com/benchvendor "$OUT/src"
		export GOCACHE=$OUT/gocache GOFLAGS=-mod=mod GOPROXY=off GOWORK=off
		rm -rf "$GOCACHE"
		(cd "$M" && go build github.com/ncws/ncws/pkg/genimpl github.com/ncws/ncws/pkg/data github.com/ncws/ncws/pkg/schema)
		(cd "$M" && measure "go build ($mode)" timeout "$BUILD_TIMEOUT" go build ./sros/...)
		rm -rf "$GOCACHE"
		unset GOCACHE GOFLAGS GOPROXY GOWORK
	done
	# 4: validation memory, same modules, a small configuration.
	printf '{"nokia-conf:configure": {"system": {"name": "r1"}}}\n' >"$OUT/sros-config.json"
	echo
	echo "validate (nokia-conf, $OUT/sros-config.json), target ncws <= yanglint:"
	hdr
	# Alternating, REPEAT times (RSS varies with the collector's timing: take the median).
	for _ in $(seq "${REPEAT:-1}"); do
		[[ $sros_parts == *" 4 "* ]] || break
		measure "ncws validate" "$NCWS" validate -p "$S" "$S/nokia-submodule/nokia-conf.yang" "$OUT/sros-config.json"
		[ "$(tail -c 2000 "$OUT/cmd.log")" = "" ] || tail -5 "$OUT/cmd.log"
		measure "yanglint" yanglint -t config -p "$S" "$S/nokia-submodule/nokia-conf.yang" "$OUT/sros-config.json"
		grep -v 'libyang warn' "$OUT/time.txt" | grep -v -E '^\s' | head -5 || true
	done
else
	missing+=("SROS_DIR (an SR OS release directory of nokia/7x50_YangModels with nokia-submodule/nokia-conf.yang): parts 1 and 4 skipped")
fi

# ---- 2: SR Linux names across releases ----
srlgen1() { # srlgen1 OUTDIR REPO FLAGS [extra.yang]
	local o=$1 r=$2/srlinux-yang-models flags=$3; shift 3
	rm -rf "$o"; mkdir -p "$o"
	# shellcheck disable=SC2086
	"$NCWS" gen $flags -p "$r" -o "$o" --package srl $(find "$r/srl_nokia/models" -name '*.yang' | sort) "$@" >/dev/null
}
# srlgen OUTDIR REPO [extra.yang]: gen with SRL_FLAGS into OUTDIR and, when SRL_FLAGS is set,
# with default flags into OUTDIR.plain (where each path has its path-named struct).
srlgen() {
	local o=$1 r=$2; shift 2
	srlgen1 "$o" "$r" "${SRL_FLAGS:-}" "$@"
	rm -rf "$o.plain"
	if [ -n "${SRL_FLAGS:-}" ]; then srlgen1 "$o.plain" "$r" "" "$@"; fi
}
# pathnames OUTDIR: "SCHEMAPATH GONAME" of every container and list: the struct whose doc
# comment names the path or, with SRL_FLAGS (--share-groupings), the path's name without the
# flags (OUTDIR.plain) when OUTDIR declares it (as an alias of a shared type or as a struct),
# else the type OUTDIR's docs give the path (a shared type's names its first instance).
pathnames() {
	local o=$1
	if [ ! -d "$o.plain" ]; then structs "$o"; return; fi
	structs "$o.plain" >"$o.plain.names"
	structs "$o" >"$o.own.names"
	cat $(find "$o" -name '*.go') | awk '/^type [A-Za-z0-9_]+ /{print $2}' | sort -u >"$o.declared"
	awk 'FNR==1{f++} f==1{d[$1]=1; next} f==2{own[$1]=$2; next} { if ($2 in d) print $1, $2; else if ($1 in own) print $1, own[$1] }' \
		"$o.declared" "$o.own.names" "$o.plain.names" | sort -u
}
if [ -n "${SRL_A:-}" ] && [ -d "$SRL_A/srlinux-yang-models/srl_nokia/models" ] && [ -n "${SRL_B:-}" ] && [ -d "$SRL_B/srlinux-yang-models/srl_nokia/models" ]; then
	echo
	echo "### SR Linux names: A=$SRL_A B=$SRL_B (ncws gen ${SRL_FLAGS:-(default flags)}, all of srl_nokia/models)"
	srlgen "$OUT/srlA" "$SRL_A"; srlgen "$OUT/srlB" "$SRL_B"
	pathnames "$OUT/srlA" >"$OUT/srlA.names"; pathnames "$OUT/srlB" >"$OUT/srlB.names"
	common=$(join "$OUT/srlA.names" "$OUT/srlB.names" | wc -l)
	join "$OUT/srlA.names" "$OUT/srlB.names" | awk '$2 != $3' >"$OUT/srl-renamed.txt"
	echo "paths with a struct or alias: A $(wc -l <"$OUT/srlA.names"), B $(wc -l <"$OUT/srlB.names"); schema paths in both: $common; renamed A->B: $(wc -l <"$OUT/srl-renamed.txt") (target 0)"
	if [ -n "${SRL_FLAGS:-}" ]; then
		echo "with ${SRL_FLAGS}: common paths whose name without the flags is declared in both A and B (struct or alias): $(join "$OUT/srlA.plain.names" "$OUT/srlB.plain.names" | awk '$2 == $3 {print $2}' | sort | join - "$OUT/srlA.declared" | join - "$OUT/srlB.declared" | wc -l) of $(join "$OUT/srlA.plain.names" "$OUT/srlB.plain.names" | wc -l); aliases: A $(cat $(find "$OUT/srlA" -name '*.go') | grep -c '^type [A-Za-z0-9_]* = '), B $(cat $(find "$OUT/srlB" -name '*.go') | grep -c '^type [A-Za-z0-9_]* = '); shared struct types: A $(cat $(find "$OUT/srlA" -name '*.go') | grep -c 'identical instances'), B $(cat $(find "$OUT/srlB" -name '*.go') | grep -c 'identical instances')"
	fi
	head -5 "$OUT/srl-renamed.txt"
	cat >"$OUT/bench-unrelated.yang" <<'YANG'
module bench-unrelated {
  yang-version 1.1;
  namespace "urn:example:bench-unrelated";
  prefix bu;
  container network-instance {
    list interface { key name; leaf name { type string; }
      container statistics { leaf in-packets { type uint64; } }
      container preference { leaf value { type uint8; } } }
    container bgp { container preference { leaf ebgp { type uint8; } } }
  }
  container system { container state { leaf up { type boolean; } } }
}
YANG
	srlgen "$OUT/srlA+" "$SRL_A" "$OUT/bench-unrelated.yang"
	pathnames "$OUT/srlA+" >"$OUT/srlA+.names"
	join "$OUT/srlA.names" "$OUT/srlA+.names" | awk '$2 != $3' >"$OUT/srl-renamed-extra.txt"
	echo "A + bench-unrelated (nodes named network-instance, interface, statistics, preference, bgp, system, state): renamed A types: $(wc -l <"$OUT/srl-renamed-extra.txt") of $(wc -l <"$OUT/srlA.names") (target 0)"
	head -5 "$OUT/srl-renamed-extra.txt"
else
	missing+=("SRL_A and SRL_B (two nokia/srlinux-yang-models checkouts, e.g. v24.10.3 and v25.3.1): part 2 skipped")
fi

# ---- 3: SONiC ----
if [ -n "${SONIC_DIR:-}" ] && [ -d "$SONIC_DIR/yang-models" ] && [ -d "$SONIC_DIR/tests/yang_model_tests/tests_config" ]; then
	echo
	echo "### SONiC ($SONIC_DIR): valid test documents, ncws validate vs yanglint -t config"
	Y=$OUT/sonic-yang; D=$OUT/sonic-docs
	rm -rf "$Y" "$D"; mkdir -p "$Y" "$D"; cp "$SONIC_DIR"/yang-models/*.yang "$Y/"
	python3 - "$SONIC_DIR" "$Y" "$D" <<'PY'
import glob, json, os, sys
src, ydir, ddir = sys.argv[1:]
# render the templates for the "py" model type (what setup.py installs in yang-models/)
for p in glob.glob(os.path.join(src, 'yang-templates', '*.yang.j2')):
    out, skip = [], False
    for line in open(p):
        s = line.strip()
        if s.startswith('{% if yang_model_type == "cvl" %}'): skip = True; continue
        if s.startswith('{% else %}') or s.startswith('{% endif %}'): skip = False; continue
        if not skip: out.append(line)
    open(os.path.join(ydir, os.path.basename(p)[:-3]), 'w').write(''.join(out))
n = 0
for f in sorted(glob.glob(os.path.join(src, 'tests/yang_model_tests/tests/*.json'))):
    cf = os.path.join(src, 'tests/yang_model_tests/tests_config', os.path.basename(f))
    if not os.path.exists(cf): continue
    tests, conf = json.load(open(f)), json.load(open(cf))
    for k, t in tests.items():
        if 'eStr' in t or 'eStrKey' in t or k not in conf: continue
        json.dump(conf[k], open(os.path.join(ddir, k + '.json'), 'w'), indent=1); n += 1

PY
	# The same documents as XML: the JSON uses strings for numbers (SONiC's harness parses with
	# libyang's JSON_STRING_DATATYPES), which RFC 7951 and both tools refuse; XML has no such
	# encoding question, so it shows the verdicts on the data itself.
	python3 - "$Y" "$D" <<'PY'
import glob, json, os, re, sys
from xml.sax.saxutils import escape
ydir, ddir = sys.argv[1:]
ns, keys = {}, {}  # keys: list name -> its keys (SONiC's list names are unique); XML wants them first
for p in glob.glob(os.path.join(ydir, '*.yang')):
    t = open(p).read()
    m, n = re.search(r'^\s*module\s+([\w.-]+)', t, re.M), re.search(r'namespace\s+"([^"]+)"', t)
    if m and n: ns[m.group(1)] = n.group(1)
    for l, k in re.findall(r'\blist\s+([\w.-]+)\s*\{[^{}]*?\bkey\s+"([^"]+)"', t): keys[l] = k.split()
def emit(name, v, mod, out):
    if ':' in name: m, name = name.split(':', 1)
    else: m = mod
    attr = ' xmlns="%s"' % ns[m] if m != mod else ''
    if isinstance(v, list):
        for e in v: emit(name if m == mod else m + ':' + name, e, mod, out)
        return
    if isinstance(v, dict):
        out.append('<%s%s>' % (name, attr))
        ks = keys.get(name, [])
        for k, e in sorted(v.items(), key=lambda i: ks.index(i[0].split(':')[-1]) if i[0].split(':')[-1] in ks else len(ks)): emit(k, e, m, out)
        out.append('</%s>' % name)
    elif v is None or v == [None]: out.append('<%s%s/>' % (name, attr))
    else: out.append('<%s%s>%s</%s>' % (name, attr, escape(str(v).lower() if isinstance(v, bool) else str(v)), name))
for p in glob.glob(os.path.join(ddir, '*.json')):
    out = []  # bare top-level elements: yanglint refuses a <config> wrapper
    for k, v in json.load(open(p)).items(): emit(k, v, None, out)
    open(p[:-5] + '.xml', 'w').write('\n'.join(out) + '\n')
PY
	total=$(ls "$D"/*.json | wc -l)
	echo "valid test documents (distinct names): $total, each as JSON (as written) and as XML (converted here)"
	for fmt in json xml; do
		echo
		echo "$fmt:"
		hdr
		measure "ncws validate (all $fmt documents, one process)" "$NCWS" validate -p "$Y" "$Y"/*.yang "$D"/*."$fmt"
		cp "$OUT/cmd.log" "$OUT/sonic-ncws-$fmt.txt"
		{ grep -o "^[^:]*\.$fmt" "$OUT/sonic-ncws-$fmt.txt" || true; } | sort -u | xargs -r -n1 basename >"$OUT/sonic-ncws-bad-$fmt.txt"
		: >"$OUT/sonic-yl-bad-$fmt.txt"; : >"$OUT/sonic-yl-$fmt.txt"; ylpeak=0
		for d in "$D"/*."$fmt"; do
			st=0
			/usr/bin/time -f '%M' -o "$OUT/yl-rss.txt" yanglint -t config -p "$Y" "$Y"/*.yang "$d" >/dev/null 2>"$OUT/yl-err.txt" || st=$?
			r=$(tail -1 "$OUT/yl-rss.txt" | tr -dc 0-9)
			if [ "${r:-0}" -gt "$ylpeak" ]; then ylpeak=$r; fi
			if [ "$st" != 0 ]; then
				basename "$d" >>"$OUT/sonic-yl-bad-$fmt.txt"
				{ echo "== $(basename "$d")"; grep -E '^(libyang err|YANGLINT\[E\])' "$OUT/yl-err.txt" | head -3 || true; } >>"$OUT/sonic-yl-$fmt.txt"
			fi
		done
		echo "| yanglint (one process per document, largest) | | | $((ylpeak / 1024)) MiB | | |"
		nb=$(wc -l <"$OUT/sonic-ncws-bad-$fmt.txt"); yb=$(wc -l <"$OUT/sonic-yl-bad-$fmt.txt")
		dis=$(sort "$OUT/sonic-ncws-bad-$fmt.txt" "$OUT/sonic-yl-bad-$fmt.txt" | uniq -u | wc -l)
		echo "$fmt documents: $total; refused by ncws: $nb; refused by yanglint: $yb; same verdict: $((total - dis)) of $total"
		echo "refused by ncws only ($(comm -23 <(sort "$OUT/sonic-ncws-bad-$fmt.txt") <(sort "$OUT/sonic-yl-bad-$fmt.txt") | wc -l)):"
		comm -23 <(sort "$OUT/sonic-ncws-bad-$fmt.txt") <(sort "$OUT/sonic-yl-bad-$fmt.txt") | head -10 | sed 's/^/  /'
		echo "refused by yanglint only ($(comm -13 <(sort "$OUT/sonic-ncws-bad-$fmt.txt") <(sort "$OUT/sonic-yl-bad-$fmt.txt") | wc -l)):"
		comm -13 <(sort "$OUT/sonic-ncws-bad-$fmt.txt") <(sort "$OUT/sonic-yl-bad-$fmt.txt") | head -10 | sed 's/^/  /'
		echo "(ncws errors: $OUT/sonic-ncws-$fmt.txt; yanglint errors: $OUT/sonic-yl-$fmt.txt)"
	done
else
	missing+=("SONIC_DIR (sonic-net/sonic-buildimage src/sonic-yang-models, with yang-models/ and tests/yang_model_tests/): part 3 skipped")
fi

echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${#missing[@]}" -gt 0 ]; then
	echo "NOT MEASURED (directory not given or not found):"
	printf '  %s\n' "${missing[@]}"
fi
