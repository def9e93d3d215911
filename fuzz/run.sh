#!/bin/sh
# Runs one fuzz target for SECONDS (default 1800) at the lowest priority,
# starting from the committed seeds; crashes land in artifacts/<target>/.
# Usage: fuzz/run.sh <target> [seconds]
set -eu
cd "$(dirname "$0")"
target=$1
seconds=${2:-1800}
mkdir -p "corpus/$target" "artifacts/$target"
# The targets that generate their input (eval_cases, expressions) have no seeds.
seeds=""
[ -d "seeds/$target" ] && seeds="seeds/$target"
# shellcheck disable=SC2086 # an empty $seeds must vanish, not pass ""
exec nice -n 19 cargo +nightly fuzz run -O -a -s none "$target" "corpus/$target" $seeds -- \
  -rss_limit_mb=2048 -timeout=10 -max_total_time="$seconds" -max_len=1048576 -len_control=0 \
  -artifact_prefix="artifacts/$target/" -print_final_stats=1
