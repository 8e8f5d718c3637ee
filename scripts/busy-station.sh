#!/usr/bin/env bash
# Writes a station of N shows (default 200) to stdout, each on the air every
# 15 minutes: a live airing at the top of every hour and three rebroadcasts
# in the hour, ten minutes each (96 airings a day a show; a year of 200 is
# seven million airings). Every show may overlap.
#   scripts/busy-station.sh 200 > /tmp/busy.yaml
#   /usr/bin/time -f '%e s, %M KB' onair check -c /tmp/busy.yaml --at 2026-11-27T12:00:00Z
set -euo pipefail
n=${1:-200}
printf 'station: {name: Busy Station, timezone: America/Chicago, image: https://radio.example.org/cover.png}\nshows:\n'
for ((i = 0; i < n; i++)); do
	m=$((i % 15))
	printf '  - id: s%d\n    title: Show %d\n    allow_overlap: true\n    slots:\n' "$i" "$i"
	printf '      - {kind: live, cron: "%d * * * *", duration: 10m}\n' "$m"
	printf '      - {kind: rebroadcast, cron: "%d,%d,%d * * * *", duration: 10m}\n' $((15 + m)) $((30 + m)) $((45 + m))
done
