#!/usr/bin/env bash
# The `deon serve` page in headless Chromium (tests/browser/): Debian's
# chromium, driven by Playwright (npm playwright-core). Installs what it
# needs, or says why it skips.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "skipped: browser tests (node and npm are not installed)"
  exit 0
fi
CHROMIUM=${CHROMIUM:-$(command -v chromium || true)}
if [ -z "$CHROMIUM" ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1 || true
  CHROMIUM=$(command -v chromium || true)
fi
if [ -z "$CHROMIUM" ]; then
  echo "skipped: browser tests (Debian's chromium is not installed and could not be installed)"
  exit 0
fi
if ! (cd tests/browser && npm ci --no-audit --no-fund --silent); then
  echo "skipped: browser tests (npm could not install playwright-core)"
  exit 0
fi
[ -x target/debug/deon ] || cargo build --bin deon
cd tests/browser
CHROMIUM="$CHROMIUM" DEON_BIN="$(cd ../.. && pwd)/target/debug/deon" node --test page.test.mjs
echo "screenshots: tests/browser/artifacts/"
