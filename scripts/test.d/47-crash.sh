# The ledger's crash test (tests/crash/crash.mjs): 16 clients write transfers,
# linked batches and pending holds with their posts while `agora serve` is
# killed with SIGKILL six times at random moments and restarted on the same
# database; every acknowledged transfer must survive exactly, every request
# cut short must be applied whole or not at all, balances must equal their
# transfers, and `agora ledger check` and `agora verify` must pass while the
# server is down. On a SQLite file and, at the same time, on a fresh schema
# of $AGORA_TEST_PG_URL. AGORA_CRASH_SEED replays a run's choices (its timing
# differs). Server logs and the request record go to $AGORA_ARTIFACTS/crash/.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
agora="${AGORA_BUILD:-$root/build}/agora"
art="${AGORA_ARTIFACTS:-$root/build/test-artifacts}/crash"
[ -x "$agora" ] || { echo "47-crash: no agora binary at $agora" >&2; exit 1; }
command -v node >/dev/null || { echo "47-crash: node is missing (scripts/bootstrap installs nodejs)" >&2; exit 1; }

dir=$(mktemp -d "${AGORA_TMP:-/tmp}/crash.XXXXXX")
schema=""
cleanup() {
  # A run still going (this script stopped early) must not outlive it.
  local j
  for j in $(jobs -p); do kill "$j" 2>/dev/null || true; done
  if [ -n "$schema" ]; then
    psql -q "$AGORA_TEST_PG_URL" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $schema CASCADE" \
      >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
rm -rf "$art"
mkdir -p "$art"

# Both engines at once: each run spends much of its time waiting (kills at
# random moments, restarts, the checks with the server down), so together
# they take little longer than the slower one. Each prints its own lines.
node "$root/tests/crash/crash.mjs" --engine sqlite --db "sqlite:$dir/crash.db" \
  --agora "$agora" --artifacts "$art/sqlite" >"$dir/sqlite.out" 2>&1 &
sqlite_pid=$!
pg_pid=""
if [ -n "${AGORA_TEST_PG_URL:-}" ]; then
  schema="agora_crash_$$"
  psql -q "$AGORA_TEST_PG_URL" -c "CREATE SCHEMA $schema" >/dev/null
  sep='?'
  case "$AGORA_TEST_PG_URL" in *\?*) sep='&' ;; esac
  url="$AGORA_TEST_PG_URL${sep}options=-c%20search_path%3D$schema"
  node "$root/tests/crash/crash.mjs" --engine postgres --db "$url" \
    --agora "$agora" --artifacts "$art/postgres" >"$dir/postgres.out" 2>&1 &
  pg_pid=$!
fi
rc=0
wait "$sqlite_pid" || rc=1
cat "$dir/sqlite.out"
if [ -n "$pg_pid" ]; then
  wait "$pg_pid" || rc=1
  cat "$dir/postgres.out"
else
  echo "47-crash: AGORA_TEST_PG_URL is not set; PostgreSQL not tested"
fi
exit "$rc"
