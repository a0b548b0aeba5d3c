# Unit tests (GoogleTest); store tests run on SQLite and on $AGORA_TEST_PG_URL.
# From $AGORA_TEST_BUILD: under `make test` the AddressSanitizer + UBSan build
# (scripts/build-sanitized, leak checking on); run by hand, $AGORA_BUILD's.
# One shard per core (scripts/test-shards): each test has its own database.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
"$root/scripts/test-shards" "${AGORA_TEST_BUILD:-$AGORA_BUILD}/tests/unit_tests" --gtest_brief=1
