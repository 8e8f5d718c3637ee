#!/usr/bin/env bash
# A SIGTERM during a publish of a large station: how long onair publish
# takes to exit after it, and whether the site before it is left whole
# (every file's bytes the same). The station is scripts/busy-station.sh N
# (default 200, whose build takes seconds); one whole publish first (its
# time and peak resident memory, by GNU time), the same again with nothing
# changed beside a cp -r of its output, then one signalled publish per
# delay. Usage: scripts/sigterm.sh [N] [delays…]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
shift || true
delays=${*:-0.5 2 4 6 8 10 12 13 14 15}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/onair" ./cmd/onair
scripts/busy-station.sh "$n" >"$tmp/busy.yaml"
publish() { exec "$tmp/onair" publish -c "$tmp/busy.yaml" --out "$tmp/public" --no-cache --at "$1"; }
sum() { (cd "$tmp/public" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum); }
/usr/bin/time -f "busy $n: a whole publish %e s, %M kB peak resident" "$tmp/onair" publish -c "$tmp/busy.yaml" --out "$tmp/public" --no-cache --at 2026-11-27T12:00:00Z >/dev/null
# The same publish again, nothing changed (each document is written, read
# back beside the old one, and linked), and cp -r of its output.
/usr/bin/time -f "busy $n: the same publish again %e s, %M kB peak resident" "$tmp/onair" publish -c "$tmp/busy.yaml" --out "$tmp/public" --no-cache --at 2026-11-27T12:00:00Z >/dev/null
/usr/bin/time -f "busy $n: cp -r of its output ($(du -sm "$tmp/public" | cut -f1) MB) %e s" cp -r "$tmp/public" "$tmp/copy"
rm -rf "$tmp/copy"
before=$(sum)
for d in $delays; do
	(publish 2026-11-27T12:15:00Z >/dev/null 2>"$tmp/err") &
	pid=$!
	sleep "$d"
	t0=$(date +%s.%N)
	kill -TERM "$pid" 2>/dev/null || true
	rc=0
	wait "$pid" || rc=$?
	t1=$(date +%s.%N)
	whole=yes
	[ "$(sum)" = "$before" ] || whole=no
	if [ "$rc" = 0 ]; then # it had ended: its site is the one to keep
		whole="(it had finished)"
		before=$(sum)
	fi
	left=$(find "$tmp" -maxdepth 1 -name '.public.new-*' | wc -l)
	printf 'SIGTERM %4s s in: exit %d %.3f s after it; site before whole: %s; left beside it: %d; %s\n' \
		"$d" "$rc" "$(echo "$t1 - $t0" | bc)" "$whole" "$left" "$(tail -1 "$tmp/err")"
done
