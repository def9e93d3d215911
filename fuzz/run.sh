#!/bin/sh
# Runs one fuzz target for SECONDS (default 1800) at the lowest priority,
# starting from the committed seeds; crashes land in artifacts/<target>/.
# Usage: fuzz/run.sh <target> [seconds]
set -eu
cd "$(dirname "$0")"
target=$1
seconds=${2:-1800}
mkdir -p "corpus/$target" "artifacts/$target"
exec nice -n 19 cargo +nightly fuzz run -O -a -s none "$target" "corpus/$target" "seeds/$target" -- \
  -rss_limit_mb=2048 -timeout=10 -max_total_time="$seconds" -max_len=1048576 \
  -artifact_prefix="artifacts/$target/" -print_final_stats=1
