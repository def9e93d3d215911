#!/usr/bin/env bash
# Hostile input under a hard memory limit: each input is generated here (none
# is committed), and `deon` runs inside a memory cgroup of 512 MiB, so a run
# that needed more is killed and fails the check instead of passing on a big
# machine. Checks each run's exit code, that it was not killed, and prints the
# cgroup's peak usage. Needs to create a cgroup (root, cgroup v1 or v2);
# otherwise it says so and skips.
#
# Usage: scripts/memory-limit.sh [LIMIT_MIB]   (DEON_BIN picks the binary)
set -euo pipefail
cd "$(dirname "$0")/.."
LIMIT_MIB=${1:-512}
BIN=${DEON_BIN:-target/debug/deon}
[ -x "$BIN" ] || cargo build --bin deon
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

# Where this process's memory cgroup is, v1 or v2.
v1=$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
v2=$(awk -F: '$1 == "0" { print $3 }' /proc/self/cgroup)
if [ -n "$v1" ] && [ -d "/sys/fs/cgroup/memory$v1" ]; then
  parent="/sys/fs/cgroup/memory$v1"
  limit_file=memory.limit_in_bytes
  peak_file=memory.max_usage_in_bytes
  events() { grep -E '^oom_kill ' "$1/memory.oom_control" | awk '{ print $2 }'; }
elif [ -f /sys/fs/cgroup/cgroup.controllers ] && [ -d "/sys/fs/cgroup$v2" ]; then
  parent="/sys/fs/cgroup$v2"
  limit_file=memory.max
  peak_file=memory.peak
  events() { grep -E '^oom_kill ' "$1/memory.events" | awk '{ print $2 }'; }
else
  echo "skipped: hostile input under a memory limit (no memory cgroup found)"
  exit 0
fi
# One group per run, beside this process's own (cgroup v2 wants the memory
# controller handed down to the parent's children first).
[ -f "$parent/cgroup.subtree_control" ] && echo +memory > "$parent/cgroup.subtree_control" 2>/dev/null || true
probe="$parent/deon-memory-limit-$$-probe"
if ! mkdir "$probe" 2>/dev/null || ! echo $((LIMIT_MIB * 1024 * 1024)) > "$probe/$limit_file" 2>/dev/null; then
  rmdir "$probe" 2>/dev/null || true
  echo "skipped: hostile input under a memory limit (cannot create a memory cgroup here; needs root)"
  exit 0
fi
rmdir "$probe"
if ! command -v python3 >/dev/null 2>&1; then
  echo "skipped: hostile input under a memory limit (python3, which writes the inputs, is not installed)"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failures=0
# run NAME EXPECTED_EXIT TIMEOUT OUTPUT ARGS...: deon's standard output goes
# to OUTPUT, its standard error to $work/NAME.err.
run() {
  local name=$1 expected=$2 seconds=$3 output=$4
  shift 4
  local sub="$parent/deon-memory-limit-$$-$name"
  mkdir "$sub"
  echo $((LIMIT_MIB * 1024 * 1024)) > "$sub/$limit_file"
  local status=0
  timeout "$seconds" sh -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$sub" "$BIN" "$@" \
    > "$output" 2> "$work/$name.err" || status=$?
  local peak killed
  peak=$(( $(cat "$sub/$peak_file") / 1024 / 1024 ))
  killed=$(events "$sub")
  rmdir "$sub" 2>/dev/null || true
  if [ "$status" = "$expected" ] && [ "${killed:-0}" = 0 ]; then
    printf 'ok    %-28s exit %s, peak %4d MiB\n' "$name" "$status" "$peak"
  else
    printf 'FAIL  %-28s exit %s (wanted %s), OOM kills %s, peak %d MiB\n' \
      "$name" "$status" "$expected" "${killed:-?}" "$peak"
    head -c 2000 "$work/$name.err"
    failures=$((failures + 1))
  fi
}

base='regulation ex { title "Ex" status in force effective from 2021-09-01 }
facts { r "R." { a: date? "A." b: bool "B." n: int "N." } }
'
policies=policies

# A diagnostic label past column 65,535 of one line.
python3 -c "import sys; sys.stdout.write('{' + ' ' * 70000 + '\"zz\": 1}')" > "$work/wide.json"
run wide-case 2 60 /dev/null eval "$policies" "$work/wide.json"
# Operator chains far past the limit, and a 6.5 MB policy of padded operands.
python3 -c "import sys; sys.stdout.write(sys.argv[1] + 'define d as r.b' + ' and r.b' * 5000 + '\n')" "$base" > "$work/chain.deon"
run long-chain 2 60 /dev/null check "$work/chain.deon"
python3 -c "import sys; sys.stdout.write(sys.argv[1] + 'define d as r.b' + (' // ' + 'x' * 2500 + '\n and r.b') * 2600 + '\n')" "$base" > "$work/padded.deon"
run padded-chain 2 120 /dev/null check "$work/padded.deon"
# Special files: an endless device and a FIFO nobody writes to.
run dev-zero-case 2 30 /dev/null eval "$policies" /dev/zero
run dev-zero-policy 2 30 /dev/null check /dev/zero
mkfifo "$work/fifo.json"
run fifo-case 2 30 /dev/null eval "$policies" "$work/fifo.json"
# 2,000 errors on one line: shown capped, output bounded.
python3 -c "import sys; sys.stdout.write(sys.argv[1] + ''.join(f'define d{i} as zz ' for i in range(2000)) + '\n')" "$base" > "$work/errors.deon"
run many-errors 2 120 /dev/null check "$work/errors.deon"
size=$(wc -c < "$work/many-errors.err")
if [ "$size" -gt 1000000 ]; then
  echo "FAIL  many-errors wrote $size bytes of diagnostics"
  failures=$((failures + 1))
fi
# A batch of 40 lines of 8 MB on 16 threads, and 6 lines of 60 MB on 2.
python3 -c "
import sys
for i in range(40): sys.stdout.write('{\"party\":{\"roles\":[\"' + 'x' * 8000000 + '\"]}}\n')" > "$work/wide8.jsonl"
run batch-8mb-lines 0 600 "$work/out8.jsonl" eval "$policies" --batch "$work/wide8.jsonl" --threads 16
records=$(grep -c '^{"line"' "$work/out8.jsonl" || true)
[ "$records" = 40 ] || { echo "FAIL  batch-8mb-lines wrote $records records, not 40"; failures=$((failures + 1)); }
rm -f "$work/wide8.jsonl" "$work/out8.jsonl"
python3 -c "
import sys
for i in range(6): sys.stdout.write('{\"party\":{\"roles\":[\"' + 'x' * 60000000 + '\"]}}\n')" > "$work/wide60.jsonl"
run batch-60mb-lines 0 600 /dev/null eval "$policies" --batch "$work/wide60.jsonl" --threads 2
rm -f "$work/wide60.jsonl"

if [ "$failures" -gt 0 ]; then
  echo "$failures hostile inputs failed under a ${LIMIT_MIB} MiB memory limit"
  exit 1
fi
echo "every hostile input ran under a ${LIMIT_MIB} MiB memory limit"
