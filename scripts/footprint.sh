#!/usr/bin/env bash
# What onair costs to start, in each build: the binary's size, and the
# median wall time of `onair next` on the example and of `onair --help`
# (scripts/startcost), beside a Go "hello, world" built here the same
# way, and their peak RSS (GNU time, /usr/bin/time, the largest of 5 runs).
# The default build leaves out the object-storage drivers (gocloud.dev's
# S3, GCS and Azure, with the gRPC and OpenTelemetry they bring); the cloud
# build (go build -tags cloud) has them. Usage: scripts/footprint.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/hello"
cat >"$tmp/hello/main.go" <<'GO'
package main

import "fmt"

func main() { fmt.Println("hello, world") }
GO
printf 'module hello\n\ngo 1.26\n' >"$tmp/hello/go.mod"
(cd "$tmp/hello" && go build -o "$tmp/hello.bin" .)
go build -o "$tmp/startcost" ./scripts/startcost
go build -o "$tmp/onair" ./cmd/onair
go build -tags cloud -o "$tmp/onair-cloud" ./cmd/onair
for b in onair onair-cloud; do
	awk -v b="$b" -v s="$(stat -c %s "$tmp/$b")" 'BEGIN { printf "%-12s binary %5.1f MB\n", b, s / 1e6 }'
done
"$tmp/startcost" -n "$runs" "hello, world" -- "$tmp/hello.bin"
for b in onair onair-cloud; do
	"$tmp/startcost" -n "$runs" "$b next" -- "$tmp/$b" next -c config.example.yaml -n 1
	"$tmp/startcost" -n "$runs" "$b --help" -- "$tmp/$b" --help
done
rss() { # the largest peak RSS of 5 runs, in MiB
	for _ in 1 2 3 4 5; do /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; done |
		sort -n | tail -1 | awk '{ printf "%.1f MiB", $1 / 1024 }'
}
if [ -x /usr/bin/time ]; then
	echo "peak RSS: hello, world $(rss "$tmp/hello.bin"); onair next $(rss "$tmp/onair" next -c config.example.yaml -n 1); onair-cloud next $(rss "$tmp/onair-cloud" next -c config.example.yaml -n 1)"
else
	echo "peak RSS: needs GNU time (/usr/bin/time)"
fi
