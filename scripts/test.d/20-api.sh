# API tests: golden files (tests/api/cases/*.test) and the server's own tests,
# each against a live server on port 0, on SQLite and on $AGORA_TEST_PG_URL.
# One shard per core (scripts/test-shards); each server is on its own port 0.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/scripts/test-shards" "$AGORA_BUILD/tests/api_tests" --gtest_brief=1
