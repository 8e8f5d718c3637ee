#!/usr/bin/env bash
# Load test: onair serve beside nginx serving `onair publish` output of the
# same configuration, on loopback, with wrk at 64 connections.
#   scripts/load.sh [seconds per run, default 10]
# Installs wrk and nginx with apt-get when they are missing. Prints requests
# per second and p99 latency for /feeds/prn.xml as a plain 200, a gzip 200
# and a 304, for both servers, and onair's ratio to nginx; and, as the
# floor of Go's net/http on this machine, the same for a bare net/http
# handler that answers with the same bytes and does nothing else. Then a
# recording, whole and as a Range, at 64 and 1,000 connections, from both.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
	apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi

tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; nginx -p "$tmp" -c "$tmp/nginx.conf" -s stop 2>/dev/null; rm -rf "$tmp"' EXIT
go build -o "$tmp/onair" ./cmd/onair
at=2026-11-29T13:30:00-06:00
"$tmp/onair" publish --config config.example.yaml --out "$tmp/public" --at "$at" --no-cache >/dev/null
"$tmp/onair" serve --config config.example.yaml --listen 127.0.0.1:18081 --at "$at" --no-cache --state "$tmp/state-example" 2>"$tmp/onair.log" &

# The floor: net/http with a handler that only picks the body (gzip or
# not, 304 or not) from memory and writes it.
mkdir "$tmp/bare"
printf 'module bare\ngo 1.26\n' > "$tmp/bare/go.mod"
cat > "$tmp/bare/main.go" <<'GO'
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"strconv"
	"strings"
)

func main() {
	body, _ := os.ReadFile(os.Args[1])
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(body)
	zw.Close()
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	srv := &http.Server{Addr: os.Args[2], Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/rss+xml; charset=utf-8")
		h.Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		b := body
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			b = gz.Bytes()
			h.Set("Content-Encoding", "gzip")
		}
		h.Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b)
	})}
	srv.ListenAndServe()
}
GO
(cd "$tmp/bare" && go build -o "$tmp/bare-nethttp" .)
"$tmp/bare-nethttp" "$tmp/public/feeds/prn.xml" 127.0.0.1:18084 &

cat > "$tmp/nginx.conf" <<NGINX
worker_processes 2;
error_log $tmp/nginx-error.log;
pid $tmp/nginx.pid;
events { worker_connections 1024; }
http {
	access_log off;
	types { application/rss+xml xml; audio/mpeg mp3; }
	gzip on; gzip_types application/rss+xml; gzip_min_length 256;
	etag on;
	client_body_temp_path $tmp/body; proxy_temp_path $tmp/proxy; fastcgi_temp_path $tmp/fcgi; uwsgi_temp_path $tmp/uwsgi; scgi_temp_path $tmp/scgi;
	server { listen 127.0.0.1:18082; root $tmp/public; }
}
NGINX
# A directory publish links no media (the service serves them from the
# archive); nginx gets a copy of the one recording asked for.
mkdir -p "$tmp/public/media/prn"
cp testdata/archive/prn/prn-2026-11-22.mp3 "$tmp/public/media/prn/"
chmod -R a+rX "$tmp" # nginx's workers are not root
nginx -p "$tmp" -c "$tmp/nginx.conf"

for port in 18081 18082 18084; do
	for i in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/feeds/prn.xml" && break; sleep 0.1; done
done

etag() { curl -sI ${2:+-H "Accept-Encoding: gzip"} "http://127.0.0.1:$1/feeds/prn.xml" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}'; }
run() { # port, extra header, case
	wrk -t2 -c64 -d"${secs}s" --latency ${2:+-H "$2"} "http://127.0.0.1:$1/feeds/prn.xml" > "$tmp/wrk.txt"
	rps=$(awk '/Requests\/sec/{print $2}' "$tmp/wrk.txt")
	p99=$(awk '$1=="99%"{print $2}' "$tmp/wrk.txt")
	# A 304 run expects 3xx; any other non-2xx, or a socket error, is an error.
	errs=$(awk -v c="$3" '/Socket errors/ || (/Non-2xx/ && c != "304") {print}' "$tmp/wrk.txt" | tr '\n' ' ')
	echo "$rps $p99 ${errs:-none}"
}

printf '%-10s %-8s %12s %10s  %s\n' case server req/s p99 errors
for c in plain gzip 304; do
	declare -A r=()
	for s in onair:18081 nginx:18082 net/http:18084; do
		name=${s%%:*}; port=${s##*:}
		case $c in
			plain) hdr="" ;;
			gzip) hdr="Accept-Encoding: gzip" ;;
			304) hdr="If-None-Match: $(etag "$port")" ;;
		esac
		read -r rps p99 errs < <(run "$port" "$hdr" "$c")
		r[$name]=$rps
		printf '%-10s %-8s %12s %10s  %s\n' "$c" "$name" "$rps" "$p99" "$errs"
	done
	awk -v a="${r[onair]}" -v b="${r[nginx]}" -v f="${r[net/http]}" -v c="$c" 'BEGIN { printf "%-10s onair/nginx = %.2f   bare net/http/nginx = %.2f\n", c, a/b, f/b }'
done

echo "== media: a recording (16 KB), whole and a range of it, onair and nginx, 64 and 1,000 connections"
media=/media/prn/prn-2026-11-22.mp3
for port in 18081 18082; do curl -sf -o /dev/null "http://127.0.0.1:$port$media"; done
ulimit -n 65536 2>/dev/null || true
printf '%-6s %-12s %-8s %12s %10s  %s\n' conns case server req/s p99 errors
for conns in 64 1000; do
	for c in whole range; do
		declare -A r=()
		for s in onair:18081 nginx:18082; do
			name=${s%%:*}; port=${s##*:}
			hdr=""
			[ "$c" = range ] && hdr="Range: bytes=100-9999"
			wrk -t2 -c"$conns" -d"${secs}s" --latency ${hdr:+-H "$hdr"} "http://127.0.0.1:$port$media" > "$tmp/wrk.txt"
			rps=$(awk '/Requests\/sec/{print $2}' "$tmp/wrk.txt")
			p99=$(awk '$1=="99%"{print $2}' "$tmp/wrk.txt")
			errs=$(awk '/Socket errors/ || /Non-2xx/ {print}' "$tmp/wrk.txt" | tr '\n' ' ')
			r[$name]=$rps
			printf '%-6s %-12s %-8s %12s %10s  %s\n' "$conns" "$c" "$name" "$rps" "$p99" "${errs:-none}"
		done
		awk -v a="${r[onair]}" -v b="${r[nginx]}" -v c="$c" -v n="$conns" 'BEGIN { printf "%-6s %-12s onair/nginx = %.2f\n", n, c, a/b }'
	done
done

echo "== memory: onair serve on a station of 1,000 shows (scripts/big-station.sh), under load"
bash scripts/big-station.sh 1000 > "$tmp/big.yaml"
"$tmp/onair" serve --config "$tmp/big.yaml" --listen 127.0.0.1:18083 --no-cache --state "$tmp/state-big" 2>"$tmp/big.log" &
pid=$!
for i in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:18083/healthz && break; sleep 0.1; done
echo "started:      $(awk '/VmRSS/{print $2, $3}' /proc/$pid/status)"
wrk -t2 -c64 -d10s http://127.0.0.1:18083/feeds/show-0500.xml | awk '/Requests\/sec/{print "feed:         " $2 " req/s"}'
wrk -t2 -c64 -d5s -H "Accept-Encoding: gzip" http://127.0.0.1:18083/calendar.ics | awk '/Requests\/sec/{print "calendar.ics: " $2 " req/s"}'
echo "peak RSS:     $(awk '/VmHWM/{print $2, $3}' /proc/$pid/status)"
kill $pid
