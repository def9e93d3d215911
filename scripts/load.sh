#!/usr/bin/env bash
# Load test of `deon serve` on loopback with wrk (Debian's `wrk`): requests/s
# and latency percentiles for /v1/decide and /v1/evaluate at 1, 16 and 256
# connections, then a soak on /v1/decide watching the server's memory.
#
#   scripts/load.sh                     # 10 s per run, 60 s soak
#   DURATION=20 SOAK=300 scripts/load.sh
#
# Bounded: every run stops after DURATION seconds, the soak after SOAK
# seconds, and the script stops the server it started. Traffic goes to
# 127.0.0.1 only. Run it under `nice` on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
SOAK=${SOAK:-60}
CASE=${CASE:-provider_late_filing}   # an example of examples/cases, by name
THREADS=${THREADS:-2}
OUT=${OUT:-target/load}
mkdir -p "$OUT"

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 2; }
[ "$DURATION" -le 120 ] && [ "$SOAK" -le 600 ] && [ "$SOAK" -ge 10 ] || { echo "DURATION <= 120 and SOAK <= 600, please"; exit 2; }

# BIN=target/debug/deon times another build (figures not comparable).
if [ -z "${BIN:-}" ]; then
  cargo build --release --bin deon >/dev/null
  BIN=target/release/deon
fi

"$BIN" serve policies --examples examples/cases --addr 127.0.0.1:0 --no-watch 2> "$OUT/server.log" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q "listening on http://[^ ]* " "$OUT/server.log" && break
  sleep 0.1
done
ADDR=$(sed -n 's/.*listening on http:\/\/\([^ ]*\).*/\1/p' "$OUT/server.log")
[ -n "$ADDR" ] || { cat "$OUT/server.log"; exit 1; }

# The example case as JSON, from the server itself; quoted again for Lua.
BODY=$(curl -s "http://$ADDR/v1/examples" | python3 -c '
import json, sys
examples = {e["name"]: e["case"] for e in json.load(sys.stdin)["examples"]}
print(json.dumps(json.dumps(examples[sys.argv[1]])))' "$CASE")

cat > "$OUT/post.lua" <<EOF
wrk.method = "POST"
wrk.body = $BODY
wrk.headers["Content-Type"] = "application/json"
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d non2xx=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
EOF

# Check the body is a case the server accepts before timing it.
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary "$(BODY="$BODY" python3 -c 'import json, os; print(json.loads(os.environ["BODY"]))')" "http://$ADDR/v1/decide")
[ "$STATUS" = 200 ] || { echo "the case was refused ($STATUS)"; exit 1; }

rss() { awk '/VmRSS/ {print $2}' "/proc/$SERVER/status"; }

echo "server $ADDR, case $CASE, $DURATION s per run, wrk threads $THREADS"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-14s %6s %10s %10s %10s %8s %8s\n' endpoint conns requests req/s p50_ms p99_ms errors
for endpoint in decide evaluate; do
  for conns in 1 16 256; do
    threads=$(( conns < THREADS ? conns : THREADS ))
    line=$(wrk -t"$threads" -c"$conns" -d"${DURATION}s" --timeout 10s -s "$OUT/post.lua" \
      "http://$ADDR/v1/$endpoint" | grep '^RESULT')
    eval "$(echo "$line" | sed 's/^RESULT //')"
    printf '%-14s %6s %10s %10s %10s %8s %8s\n' "/v1/$endpoint" "$conns" "$requests" "$rps" "$p50_ms" "$p99_ms" "$((errors + non2xx))"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Soak: /v1/decide at 16 connections, memory sampled every 10 s.
echo "soak: /v1/decide, 16 connections, $SOAK s; server RSS (KiB) every 10 s:"
wrk -t"$THREADS" -c16 -d"${SOAK}s" --timeout 10s -s "$OUT/post.lua" "http://$ADDR/v1/decide" > "$OUT/soak.txt" &
WRK=$!
samples=""
for _ in $(seq $(( SOAK / 10 ))); do
  sleep 10
  samples="$samples $(rss)"
done
wait "$WRK"
echo " $samples"
grep '^RESULT' "$OUT/soak.txt" | sed 's/^RESULT /soak: /'
curl -s "http://$ADDR/metrics" | grep -E '^deon_http_(requests_total|errors_total)' || true
