# Browser tests: type-checks and builds web/dist, then each test file starts
# `agora demo` + `agora serve` on a fresh SQLite file and drives Debian's
# Chromium on a phone-sized screen: flow.test.mjs through the member → apply
# → coordinator admits story, governance.test.mjs through a secret ballot,
# its receipt, a ranked election and past results, ledger.test.mjs through
# balances, a statement, the treasury and a year-end closing, market.test.mjs
# through a member ordering and a coordinator settling a short delivery, and
# every other *.test.mjs in tests/e2e. One file at a time, so two demo
# databases are not built at once on a small machine.
# Screenshots and server logs go to $AGORA_ARTIFACTS/e2e/ (governance: e2e/governance/).
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
(cd web && npm run --silent typecheck && npm run --silent build >/dev/null)
[ -f web/dist/index.html ] || { echo "e2e: web/dist/index.html was not built" >&2; exit 1; }

rm -rf "$AGORA_ARTIFACTS/e2e"
mkdir -p "$AGORA_ARTIFACTS/e2e"
cd tests/e2e
node --test --test-concurrency=1 --test-reporter=spec *.test.mjs
