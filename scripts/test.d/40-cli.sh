# The agora binary end to end on a scratch SQLite file: demo (and its refusal
# of a loaded database), import members (a good file, then a bad one whose
# every bad line must be named), verify and backup.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
agora="$AGORA_BUILD/agora"
dir=$(mktemp -d "${AGORA_TMP:-/tmp}/cli.XXXXXX")
trap 'rm -rf "$dir"' EXIT
db="sqlite:$dir/demo.db"
fail() { echo "40-cli: $*" >&2; exit 1; }

start=$(date +%s.%N)
"$agora" demo --db "$db" >"$dir/demo.out" 2>"$dir/demo.err" || { cat "$dir/demo.err"; fail "agora demo failed"; }
echo "agora demo: $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-s}')s"
grep -q "admin@demo.agora.coop" "$dir/demo.out" || fail "demo did not print the admin login"
grep -q "coordinator@demo.agora.coop" "$dir/demo.out" || fail "demo did not print the coordinator login"
grep -q "member@demo.agora.coop" "$dir/demo.out" || fail "demo did not print the member login"
[ ! -s "$dir/demo.err" ] || { cat "$dir/demo.err"; fail "demo wrote to stderr when it is not a terminal"; }

# A loaded database: refused without --if-empty, left alone with it.
if "$agora" demo --db "$db" >/dev/null 2>"$dir/again.err"; then fail "demo loaded twice"; fi
grep -q "empty database" "$dir/again.err" || { cat "$dir/again.err"; fail "no clear refusal"; }
"$agora" demo --if-empty --db "$db" >/dev/null 2>&1 || fail "demo --if-empty failed on a loaded database"

# Import into a consumer co-op of the demo (org ids are deterministic, but
# look it up by slug to stay independent of the load order).
org=$(sqlite3 "$dir/demo.db" "SELECT id FROM orgs WHERE slug = 'a-cesta-santiago'")
[ -n "$org" ] || fail "no a-cesta-santiago in the demo"
before=$(sqlite3 "$dir/demo.db" "SELECT COUNT(*) FROM memberships WHERE org_id = $org")

if "$agora" import members --db "$db" --org "$org" "$root/tests/data/members_bad.csv" \
    >"$dir/bad.out" 2>"$dir/bad.err"; then
  fail "import of a bad file succeeded"
fi
for line in 3 4 5 6 7 8 9; do
  grep -q "members_bad.csv:$line:" "$dir/bad.err" || { cat "$dir/bad.err"; fail "bad line $line not reported"; }
done
if grep -q "members_bad.csv:2:" "$dir/bad.err"; then fail "good line 2 reported as bad"; fi
grep -q "nothing was imported" "$dir/bad.err" || fail "no summary for the bad file"
after_bad=$(sqlite3 "$dir/demo.db" "SELECT COUNT(*) FROM memberships WHERE org_id = $org")
[ "$after_bad" = "$before" ] || fail "a bad file changed the members ($before -> $after_bad)"

"$agora" import members --db "$db" --org "$org" "$root/tests/data/members_good.csv" \
  >"$dir/good.out" 2>"$dir/good.err" || { cat "$dir/good.err"; fail "import of a good file failed"; }
grep -q "Imported 4 members" "$dir/good.out" || { cat "$dir/good.out"; fail "no import summary"; }
after_good=$(sqlite3 "$dir/demo.db" "SELECT COUNT(*) FROM memberships WHERE org_id = $org")
[ "$after_good" = "$((before + 4))" ] || fail "expected 4 new members ($before -> $after_good)"

# The journal holds the demo and the import; the chain must be intact.
"$agora" verify --db "$db" || fail "agora verify failed after demo and import"
"$agora" backup --db "$db" --out "$dir/backup.db" >/dev/null || fail "agora backup failed"
n=$(sqlite3 "$dir/backup.db" "SELECT COUNT(*) FROM memberships WHERE org_id = $org")
[ "$n" = "$after_good" ] || fail "backup holds $n members of org $org, expected $after_good"
echo "40-cli: ok"
