# Unit tests (GoogleTest); store tests run on SQLite and on $AGORA_TEST_PG_URL.
# One shard per core (scripts/test-shards): each test has its own database.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/scripts/test-shards" "$AGORA_BUILD/tests/unit_tests" --gtest_brief=1
