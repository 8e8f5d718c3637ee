#!/usr/bin/env bash
# onair serve on a busy station: how long each publish takes (the log's
# "took": at start, then at each air time, one a minute) and the service's
# peak resident memory (VmHWM). The station is scripts/busy-station.sh N
# (default 200); the service's clock starts 50 s before an air time, and
# it runs for SECONDS (default 200). GOMEMLIMIT, when set, is passed on
# (GOMEMLIMIT=160MiB is the fixed limit the service set before).
# Usage: scripts/serve-busy.sh [N] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
secs=${2:-200}
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/onair" ./cmd/onair
scripts/busy-station.sh "$n" >"$tmp/busy.yaml"
"$tmp/onair" serve -c "$tmp/busy.yaml" --listen 127.0.0.1:0 --no-cache --state "$tmp/state" \
	--at 2026-11-27T11:58:10Z >"$tmp/log" 2>&1 &
pid=$!
peak=0
for ((i = 0; i < secs; i++)); do
	sleep 1
	kb=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
	[ -n "$kb" ] && [ "$kb" -gt "$peak" ] && peak=$kb
done
kill -TERM "$pid"
t0=$(date +%s.%N)
wait "$pid" || true
echo "busy $n: serve stopped $(echo "$(date +%s.%N) - $t0" | bc) s after SIGTERM"
grep -o 'msg=published reason=[^ ]*\( time"\)\? at=[^ ]* feeds_rebuilt=[0-9]* took=[^ ]*' "$tmp/log" || true
echo "peak resident: $peak kB"
