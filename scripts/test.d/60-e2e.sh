# Browser test: builds web/dist, then tests/e2e/flow.test.mjs starts `agora demo`
# + `agora serve` on a fresh SQLite file and drives Debian's Chromium through the
# member → apply → coordinator admits story on a phone-sized screen.
# Screenshots and server logs go to $AGORA_ARTIFACTS/e2e/.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
export AGORA_BUILD=${AGORA_BUILD:-$root/build}
export AGORA_ARTIFACTS=${AGORA_ARTIFACTS:-$root/build/test-artifacts}

if [ ! -x "$AGORA_BUILD/agora" ]; then
  echo "e2e: no agora binary at $AGORA_BUILD/agora" >&2
  exit 1
fi
for dir in web tests/e2e; do
  if [ ! -d "$dir/node_modules" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
(cd web && npm run --silent build >/dev/null)
[ -f web/dist/index.html ] || { echo "e2e: web/dist/index.html was not built" >&2; exit 1; }

rm -rf "$AGORA_ARTIFACTS/e2e"
mkdir -p "$AGORA_ARTIFACTS/e2e"
cd tests/e2e
node --test --test-reporter=spec flow.test.mjs
