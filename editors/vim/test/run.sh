#!/usr/bin/env bash
# Runs the Vim syntax and indent test over the shipped policies and the
# highlighting samples. Needs vim; the keywords come from grammar/deon.pest.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The quoted words of the grammar, outside // comments (as deon::analysis::keywords reads them).
sed 's|//.*$||' "$root/grammar/deon.pest" | grep -o '"[A-Za-z][A-Za-z]*"' | tr -d '"' \
  | awk 'length($0) >= 2 && $0 != "CNY"' | sort -u > "$work/keywords"
mapfile -t files < <(find "$root/policies" "$root/editors/vscode/tests" "$root/editors/test" -name '*.deon' | sort)
vim -Nu NONE -i NONE -es -S "$here/syntax.vim" -- "$work/keywords" "$work/out" "${files[@]}" || true
if [[ ! -s "$work/out" ]]; then
  echo "vim: the test wrote nothing" >&2
  exit 1
fi
cat "$work/out"
tail -n 1 "$work/out" | grep -q ', 0 failures$'
