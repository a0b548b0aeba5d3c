# API tests: golden files (tests/api/cases/*.test) and the server's own tests,
# each against a live server on port 0, on SQLite and on $AGORA_TEST_PG_URL.
set -euo pipefail
"$AGORA_BUILD/tests/api_tests" --gtest_brief=1
