# Unit tests (GoogleTest); store tests run on SQLite and on $AGORA_TEST_PG_URL.
set -euo pipefail
"$AGORA_BUILD/tests/unit_tests" --gtest_brief=1
