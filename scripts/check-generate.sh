#!/usr/bin/env bash
# check-generate: regenerate generated/ from the //go:generate lines of generated/*.go into a
# temporary copy and fail, printing the diff, when it differs from what is in the tree (a changed,
# missing or stale file). Run by `make check-generate` (and so by `make test`).
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$GO" build -o "$tmp/ncws" ./cmd/ncws
# The copy sits beside a link to yang/, so the relative paths of the go:generate lines hold.
mkdir "$tmp/generated"
cp -R generated/. "$tmp/generated/"
ln -s "$PWD/yang" "$tmp/yang"

prefix='//go:generate go run github.com/ncws/ncws/cmd/ncws '
n=0
for f in generated/*.go; do
	while IFS= read -r line; do
		case $line in
		"$prefix"*) ;;
		//go:generate*) echo "check-generate: $f: unexpected go:generate line: $line" >&2; exit 1 ;;
		*) continue ;;
		esac
		# Word splitting as go generate does for these lines (no quotes are used in them).
		read -r -a words <<<"${line#"$prefix"}"
		(cd "$tmp/generated" && "$tmp/ncws" "${words[@]}" >/dev/null)
		n=$((n + 1))
	done <"$f"
done
if [ "$n" -eq 0 ]; then
	echo "check-generate: no go:generate lines in generated/*.go" >&2
	exit 1
fi
if ! diff -ru generated "$tmp/generated"; then
	echo "check-generate: generated/ is out of date; run: go generate ./generated" >&2
	exit 1
fi
echo "check-generate: generated/ is up to date ($n packages)"
