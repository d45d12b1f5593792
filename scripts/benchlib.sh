# benchlib.sh: helpers sourced by the bench scripts (bench-gen-vendor, bench-gen-prune,
# bench-vendor-extra). They write their scratch files into $OUT.

# treepeak PID FILE: samples the summed RSS (MB) of PID and its descendants every 0.2 s while PID
# lives, and writes the largest sum to FILE.
treepeak() {
	local root=$1 file=$2 peak=0 cur
	while kill -0 "$root" 2>/dev/null; do
		cur=$(ps -e -o pid=,ppid=,rss= | awk -v r="$root" '{p[$1]=$2; m[$1]=$3}
			END{for (i in p) {x=i; while (x != "" && x != 0 && x != r) x=p[x]; if (x == r) s+=m[i]} printf "%d", s/1024}')
		[ "$cur" -gt "$peak" ] && peak=$cur
		sleep 0.2
	done
	echo "$peak" >"$file"
}

# timed cmd...: runs cmd under GNU time -v (its report in $OUT/time.txt, cmd's output in
# $OUT/cmd.log) with treepeak sampling the process tree (the sum in $OUT/tree.txt); returns cmd's
# exit status.
timed() {
	local status=0
	/usr/bin/time -v "$@" >"$OUT/cmd.log" 2>"$OUT/time.txt" &
	local pid=$!
	treepeak "$pid" "$OUT/tree.txt" &
	local sampler=$!
	wait "$pid" || status=$?
	wait "$sampler" || true
	return "$status"
}

# timedfields STATUS: "wall_s rss_mb cpu_s STATUS tree_mb" of the last timed run (rss_mb: the
# largest process, GNU time's figure; cpu_s: user+sys; tree_mb: the sampled sum over the tree).
timedfields() {
	awk -F': ' -v st="$1" -v t="$(cat "$OUT/tree.txt")" '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; w=s}
		/Maximum resident set size/{r=$2/1024} /User time/{u=$2} /System time/{y=$2}
		END{printf "%.2f %.0f %.2f %s %s\n", w, r, u+y, st, t}' "$OUT/time.txt"
}

# measure OUTFILE cmd...: a timed run of cmd; appends its timedfields line to OUTFILE, prints the
# end of cmd's output when it failed, and returns its exit status.
measure() {
	local res=$1 status=0
	shift
	timed "$@" || status=$?
	if [ "$status" != 0 ]; then
		tail -c 3000 "$OUT/cmd.log" >&2
		grep -v -E '^\s' "$OUT/time.txt" | tail -c 3000 >&2
	fi
	timedfields "$status" >>"$res"
	return "$status"
}

# median FILE COL: the median of column COL of FILE's lines.
median() {
	sort -g -k"$2,$2" "$1" | awk -v c="$2" '{v[NR]=$c} END{print v[int((NR+1)/2)]}'
}

# gomod DIR MODULE SRC: DIR/go.mod of module MODULE requiring ncws (replaced by the tree at SRC)
# and the versions of $ROOT/go.mod's requirements; DIR/go.sum from $ROOT.
gomod() {
	local dir=$1 module=$2 src=$3
	{
		printf 'module %s\n\ngo 1.26\n\nrequire (\n\tgithub.com/ncws/ncws v0.0.0\n' "$module"
		awk '/^require \($/{r=1; next} r && /^\)$/{r=0; next} r && NF{print "\t" $1 " " $2} /^require [^(]/{print "\t" $2 " " $3}' "$ROOT/go.mod"
		printf ')\n\nreplace github.com/ncws/ncws => %s\n' "$src"
	} >"$dir/go.mod"
	cp "$ROOT/go.sum" "$dir/go.sum"
}

# fmtbytes: the byte count on stdin written exactly, grouped by thousands, with MiB (2^20 bytes)
# beside it: "151,191,766 bytes (144.2 MiB)".
fmtbytes() {
	awk '{n=$1; s=""; while (length(n) > 3) {s="," substr(n, length(n)-2) s; n=substr(n, 1, length(n)-3)} printf "%s%s bytes (%.1f MiB)\n", n, s, $1/1048576}'
}
