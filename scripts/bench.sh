#!/usr/bin/env bash
# Reproduces the figures in the README's Performance section.
# Installs hyperfine and time with apt-get when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== engine: next 10 airings over 1, 100, 10,000 shows; cost per airing beside robfig/cron"
go test -run '^$' -bench 'Next|PerAiring' -benchtime 2s ./scheduler

echo "== feeds: a feed of 10,000 episodes, beside eduncan911/podcast's own Encode (6 runs each)"
go test -run '^$' -bench Feed -benchtime 20x -count 6 ./feeds

echo "== publish: a station of 100, 300 and 1,000 shows of 520 episodes (one process each)"
for n in 100 300 1000; do
	ONAIR_SCALE_SHOWS=$n go test ./publish -run '^TestScale$' -count=1 -v | grep 'shows='
done

echo "== whole process: onair next on the example (and in-process, without start-up)"
go test -run '^$' -bench NextInProcess ./cli
need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
	apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi
tmp=$(mktemp -d)
go build -o "$tmp/onair" ./cmd/onair
# A Go "hello, world" beside it: the floor of any Go process on this machine, now.
mkdir "$tmp/hello"
printf 'module hello\ngo 1.26\n' > "$tmp/hello/go.mod"
printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n' > "$tmp/hello/main.go"
(cd "$tmp/hello" && go build -o "$tmp/hello-world" .)
# And onair --help, which reads no configuration: the start-up of the binary
# alone (its runtime and package initialisation, and their page faults).
hyperfine -N --warmup 10 --runs 200 "$tmp/onair next --config config.example.yaml --at 2026-11-27T12:00:00-06:00" "$tmp/onair --help" "$tmp/hello-world"
for cmd in "$tmp/onair next --config config.example.yaml --at 2026-11-27T12:00:00-06:00" "$tmp/onair --help" "$tmp/hello-world"; do
	/usr/bin/time -f "%R minor page faults: ${cmd#"$tmp/"}" $cmd >/dev/null
done

echo "== check: a year of a busy station (200 shows on the air every 15 minutes: 7 million airings), 3 runs"
scripts/busy-station.sh 200 > "$tmp/busy.yaml"
for i in 1 2 3; do
	/usr/bin/time -f "%e s, %M KB peak" "$tmp/onair" check -c "$tmp/busy.yaml" --at 2026-11-27T12:00:00Z
done
