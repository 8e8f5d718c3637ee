#!/usr/bin/env bash
# Writes a station of N shows (default 1000) to stdout: each the model case,
# live weekly with two rebroadcasts, at staggered times, every show allowed
# to overlap (a thousand shows cannot share one stream).
#   scripts/big-station.sh 1000 > /tmp/big.yaml
set -euo pipefail
n=${1:-1000}
cat <<YAML
station:
  name: Big Station
  timezone: America/Chicago
  base_url: http://localhost:8080
  image: http://localhost:8080/media/show-0000/cover.png
shows:
YAML
for ((i = 0; i < n; i++)); do
	printf '  - id: show-%04d\n    title: "Show %d"\n    description: "Show %d of the big station: news, music and talk."\n    allow_overlap: true\n    category: News\n    slots:\n' "$i" "$i" "$i"
	printf '      - {kind: live, cron: "%d %d * * SUN", duration: 1h}\n' $((i % 60)) $((i % 24))
	printf '      - {kind: rebroadcast, cron: "%d %d * * TUE", duration: 1h}\n' $((i % 60)) $((i % 24))
	printf '      - {kind: rebroadcast, cron: "%d %d * * THU", duration: 1h}\n' $((i % 60)) $((i % 24))
done
