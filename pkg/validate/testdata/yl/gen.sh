#!/bin/sh
# Regenerates expected.tsv from yanglint: case, verdict, yanglint's first error line.
cd "$(dirname "$0")" || exit 1
: > expected.tsv
for f in cases/*.xml; do
	out=$(yanglint -t config -p . vx.yang "$f" 2>&1)
	rc=$?
	first=$(echo "$out" | grep -m1 "libyang err")
	v=invalid
	[ $rc = 0 ] && v=valid
	printf '%s\t%s\t%s\n' "$(basename "$f")" "$v" "$first" >> expected.tsv
done
