# API tests: golden files (tests/api/cases/*.test) and the server's own tests,
# each against a live server on port 0, on SQLite and on $AGORA_TEST_PG_URL.
# From $AGORA_TEST_BUILD, as 10-unit.sh says.
# One shard per core (scripts/test-shards); each server is on its own port 0.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
"$root/scripts/test-shards" "${AGORA_TEST_BUILD:-$AGORA_BUILD}/tests/api_tests" --gtest_brief=1
