# The agora binary end to end on a scratch SQLite file: demo (and its refusal
# of a loaded database), import members (a good file, then a bad one whose
# every bad line must be named), verify and backup, and the ledger's export
# and check (on a copy holding hand-written ledger rows, then broken).
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
"$agora" verify --db "$db" >"$dir/verify.out" || fail "agora verify failed"
grep -q "^ledger ok" "$dir/verify.out" || { cat "$dir/verify.out"; fail "verify did not check the ledger"; }

# The ledger, on a copy: two accounts in a currency the demo does not use
# (JPY) and one transfer of 500 between them on 2001-01-01 (no demo row is
# that old), its memo needing CSV quotes.
cp "$dir/backup.db" "$dir/ledger.db"
ldb="sqlite:$dir/ledger.db"
t0=978350400000000  # 2001-01-01T12:00:00Z in microseconds
sqlite3 "$dir/ledger.db" <<SQL || fail "could not write the ledger rows"
INSERT INTO ledger_accounts (org_id, currency, holder, kind, name, debits_posted, created_at)
  VALUES ($org, 'JPY', 'external', 'bank', 'Bench bank', 500, $t0);
INSERT INTO ledger_accounts (org_id, currency, holder, kind, name, credits_posted, created_at)
  VALUES ($org, 'JPY', 'org', 'operating', 'Operating', 500, $t0);
INSERT INTO ledger_transfers (idem_key, body_hash, created_by, action, pending, debit_account_id,
    credit_account_id, amount, currency, code, memo, debit_balance, credit_balance, created_at)
  VALUES ('cli-test-1', 'x', 0, 'create', 0,
    (SELECT id FROM ledger_accounts WHERE currency = 'JPY' AND kind = 'bank'),
    (SELECT id FROM ledger_accounts WHERE currency = 'JPY' AND kind = 'operating'),
    500, 'JPY', 'transfer', 'rent, "March"', -500, 500, $t0);
SQL
bank=$(sqlite3 "$dir/ledger.db" "SELECT id FROM ledger_accounts WHERE currency = 'JPY' AND kind = 'bank'")
oper=$(sqlite3 "$dir/ledger.db" "SELECT id FROM ledger_accounts WHERE currency = 'JPY' AND kind = 'operating'")
tid=$(sqlite3 "$dir/ledger.db" "SELECT id FROM ledger_transfers WHERE idem_key = 'cli-test-1'")
all=$(sqlite3 "$dir/ledger.db" "SELECT COUNT(*) FROM ledger_transfers")

"$agora" ledger check --db "$ldb" >"$dir/check.json" || { cat "$dir/check.json"; fail "ledger check failed on a consistent ledger"; }
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["ok"] is True and d["problems"] == [], d' \
  "$dir/check.json" || fail "ledger check did not answer ok"

# Every transfer, the contract's header, one record per transfer.
"$agora" ledger export --db "$ldb" --out "$dir/all.csv" 2>/dev/null || fail "ledger export failed"
python3 - "$dir/all.csv" "$all" <<'PY' || fail "ledger export (all) is wrong"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
header = ("id,key,created_at,action,pending,state,debit_account_id,credit_account_id,amount,"
          "currency,code,memo,pending_id,reverses_id,batch_id,debit_balance,credit_balance")
assert ",".join(rows[0]) == header, rows[0]
assert len(rows) - 1 == int(sys.argv[2]), (len(rows) - 1, sys.argv[2])
PY
# One day: only the hand-written transfer, the memo quoted and read back whole.
"$agora" ledger export --db "$ldb" --from 2001-01-01 --to 2001-01-01 >"$dir/day.csv" || fail "ledger export --from/--to failed"
python3 - "$dir/day.csv" "$tid" "$bank" "$oper" <<'PY' || { cat "$dir/day.csv"; fail "ledger export of one day is wrong"; }
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 1, rows
r = rows[0]
want = {"id": sys.argv[2], "key": "cli-test-1", "action": "create", "debit_account_id": sys.argv[3],
        "credit_account_id": sys.argv[4], "amount": "500", "currency": "JPY", "memo": 'rent, "March"',
        "debit_balance": "-500", "credit_balance": "500", "pending_id": "", "reverses_id": ""}
for k, v in want.items():
    assert r[k] == v, (k, r[k], v)
assert r["created_at"].startswith("2001-01-01T12:00:00"), r["created_at"]
PY
"$agora" ledger export --db "$ldb" --from 2001-01-02 --to 2001-01-02 >"$dir/none.csv" || fail "ledger export of an empty day failed"
[ "$(wc -l <"$dir/none.csv")" = 1 ] || { cat "$dir/none.csv"; fail "an empty day should give the header only"; }
# Statements: signed amounts and the balance after, from each side.
"$agora" ledger export --db "$ldb" --account "$oper" >"$dir/oper.csv" || fail "statement export failed"
"$agora" ledger export --db "$ldb" --account "$bank" >"$dir/bank.csv" || fail "statement export failed"
python3 - "$dir/oper.csv" "$dir/bank.csv" "$tid" "$bank" "$oper" <<'PY' || fail "statements are wrong"
import csv, sys
oper = list(csv.reader(open(sys.argv[1], newline="")))
bank = list(csv.reader(open(sys.argv[2], newline="")))
head = ["id", "created_at", "code", "memo", "counterparty_account_id", "amount", "balance"]
assert oper[0] == head and bank[0] == head, (oper[0], bank[0])
tid, b, o = sys.argv[3], sys.argv[4], sys.argv[5]
assert len(oper) == 2 and len(bank) == 2, (oper, bank)
assert [oper[1][i] for i in (0, 2, 3, 4, 5, 6)] == [tid, "transfer", 'rent, "March"', b, "500", "500"], oper[1]
assert [bank[1][i] for i in (0, 4, 5, 6)] == [tid, o, "-500", "-500"], bank[1]
PY
# Refusals name the flag and exit 1.
if "$agora" ledger export --db "$ldb" --from 2001-13-40 >/dev/null 2>"$dir/bad_day.err"; then fail "a bad date was accepted"; fi
grep -q -- "--from.*invalid_value" "$dir/bad_day.err" || { cat "$dir/bad_day.err"; fail "no clear refusal of a bad date"; }
if "$agora" ledger export --db "$ldb" --account 999999999 >/dev/null 2>"$dir/no_account.err"; then fail "an unknown account was exported"; fi
grep -q "not_found" "$dir/no_account.err" || { cat "$dir/no_account.err"; fail "no not_found for an unknown account"; }

# A total that no longer matches its transfers: check exits 1 naming it, verify exits 4.
sqlite3 "$dir/ledger.db" "UPDATE ledger_accounts SET credits_posted = 400 WHERE id = $oper"
rc=0; "$agora" ledger check --db "$ldb" >"$dir/broken.json" || rc=$?
[ "$rc" = 1 ] || { cat "$dir/broken.json"; fail "ledger check exited $rc on a broken ledger, expected 1"; }
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["ok"] is False and d["problems"], d' \
  "$dir/broken.json" || fail "ledger check did not report the problem"
rc=0; "$agora" verify --db "$ldb" >"$dir/broken_verify.out" || rc=$?
[ "$rc" = 4 ] || { cat "$dir/broken_verify.out"; fail "verify exited $rc on a broken ledger, expected 4"; }
grep -q "^ledger INCONSISTENT: " "$dir/broken_verify.out" || { cat "$dir/broken_verify.out"; fail "verify did not name the problem"; }
echo "40-cli: ok"
