#!/usr/bin/env bash
# The binary's size, and what `onair next` costs to start: the price of the
# object-storage drivers (gocloud.dev's S3, GCS and Azure) and PostgreSQL's,
# which every command loads. Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/onair
go build -o "$bin" ./cmd/onair
printf 'binary: %s bytes\n' "$(stat -c %s "$bin")"
for i in 1 2 3 4 5; do
	/usr/bin/time -f 'onair next: %e s, peak RSS %M KB' "$bin" next -c config.example.yaml -n 1 >/dev/null
done
rm -rf "$(dirname "$bin")"
