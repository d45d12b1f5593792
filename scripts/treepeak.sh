# treepeak PID FILE (sourced by the bench scripts): samples the summed RSS (MB) of PID and its
# descendants every 0.2 s while PID lives, and writes the largest sum to FILE.
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
