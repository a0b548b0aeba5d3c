# `agora init` and `agora backup` on both stores: init migrates and is
# idempotent, backup writes a usable copy (SQLite) or a plain-SQL dump (pg_dump),
# and backing up a missing SQLite file fails without creating it.
set -euo pipefail
agora="$AGORA_BUILD/agora"
dir=$(mktemp -d "${AGORA_TMP:-/tmp}/store-cli.XXXXXX")
trap 'rm -rf "$dir"' EXIT

out=$("$agora" init --db "sqlite:$dir/a.db")
echo "$out" | grep -Eq '^sqlite database ready, schema version [1-9][0-9]*$' || { echo "init said: $out"; exit 1; }
again=$("$agora" init --db "sqlite:$dir/a.db")
[ "$out" = "$again" ] || { echo "second init differs: $again"; exit 1; }

"$agora" backup --db "sqlite:$dir/a.db" --out "$dir/copy.db" >/dev/null
copy=$("$agora" init --db "sqlite:$dir/copy.db")
[ "${copy}" = "$out" ] || { echo "backup copy is not at the same version: $copy"; exit 1; }

if "$agora" backup --db "sqlite:$dir/missing.db" --out "$dir/x.db" 2>/dev/null; then
  echo "backup of a missing database succeeded"; exit 1
fi
[ ! -e "$dir/missing.db" ] || { echo "backup created the missing database"; exit 1; }

if [ -n "${AGORA_TEST_PG_URL:-}" ]; then
  schema="agora_cli_$$"
  psql -q "$AGORA_TEST_PG_URL" -c "CREATE SCHEMA $schema" >/dev/null
  url="$AGORA_TEST_PG_URL?options=-c%20search_path%3D$schema"
  pgout=$("$agora" init --db "$url")
  echo "$pgout" | grep -Eq '^postgres database ready, schema version [1-9][0-9]*$' || { echo "pg init said: $pgout"; exit 1; }
  "$agora" backup --db "$url" --out "$dir/dump.sql" >/dev/null
  grep -q "CREATE TABLE $schema.schema_migrations" "$dir/dump.sql" || { echo "dump lacks schema_migrations"; exit 1; }
  psql -q "$AGORA_TEST_PG_URL" -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1
fi
echo "store cli: ok"
