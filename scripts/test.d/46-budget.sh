# `agora budget` end to end on the Pabulib files of tests/data/pabulib/: the
# Warsaw instance by Equal Shares (with and without Add1) and greedy, the
# points file, standard input, and malformed files that must exit non-zero
# naming the file and line with nothing on standard output.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
agora="$AGORA_BUILD/agora"
data="$root/tests/data/pabulib"
dir=$(mktemp -d "${AGORA_TMP:-/tmp}/budget.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail() { echo "46-budget: $*" >&2; exit 1; }

# selected EXPECTED ARGS...: runs agora budget and checks the selected ids and the total.
selected() {
  local want=$1 total=$2; shift 2
  "$agora" budget "$@" >"$dir/out.json" 2>"$dir/err" || { cat "$dir/err"; fail "agora budget $* failed"; }
  python3 - "$dir/out.json" "$want" "$total" <<'PY' || fail "agora budget $*: wrong selection"
import json, sys
r = json.load(open(sys.argv[1]))
got = ",".join(p["id"] for p in r["selected"])
assert got == sys.argv[2], (got, sys.argv[2])
assert r["total_cost"] == int(sys.argv[3]), r["total_cost"]
assert r["total_cost"] <= r["budget"] and r["left"] == r["budget"] - r["total_cost"]
PY
}

w="$data/warszawa_2017_wesola.pb"
selected 427,915,2567,1623 44720 "$w"
python3 - "$dir/out.json" <<'PY' || fail "the default run is not equal-shares, cost, add1"
import json, sys
r = json.load(open(sys.argv[1]))
assert (r["method"], r["utility"], r["completion"]) == ("equal-shares", "cost", "add1"), r
assert r["budget"] == 51195 and r["voter_money"] == "3380", r
PY
selected 427,915,1623 24720 --completion none "$w"
python3 - "$dir/out.json" <<'PY' || fail "the losing project's reason is missing"
import json, sys
r = json.load(open(sys.argv[1]))
lost = {p["id"]: p for p in r["unselected"]}
assert lost["2567"]["reason"].startswith("supporters' money ran out: they had "), lost
PY
selected 915,1623,427 24720 --utility approval --completion none "$w"
selected 427,915,2567,1623 44720 --method greedy "$w"
selected 427,915,2567,1623 44720 - <"$w"
selected 6,10,20,14,7,1,30,2,25,23,5,3,8 488000 --completion none "$data/toulouse_2019_excerpt.pb"

# Points ballots are not counted with cost utilities.
if "$agora" budget --utility cost "$data/toulouse_2019_excerpt.pb" >/dev/null 2>"$dir/err"; then
  fail "cost utilities on a points file were accepted"
fi
grep -q "points" "$dir/err" || { cat "$dir/err"; fail "no clear refusal of cost utilities on points"; }

# Malformed files: non-zero exit, "agora budget: FILE:LINE: reason", nothing on stdout.
check_bad() {
  local name=$1 line=$2 text=$3
  printf '%b' "$text" >"$dir/$name"
  if "$agora" budget "$dir/$name" >"$dir/bad.out" 2>"$dir/bad.err"; then
    fail "malformed $name was accepted"
  fi
  grep -q "^agora budget: .*$name:$line: " "$dir/bad.err" || { cat "$dir/bad.err"; fail "$name: line $line not named"; }
  [ ! -s "$dir/bad.out" ] || fail "$name: a result was printed for a malformed file"
}
meta='META\nkey;value\nbudget;100\nvote_type;approval\n'
check_bad fraction.pb 7 "${meta}PROJECTS\nproject_id;cost\n1;12.5\n"
check_bad unknown.pb 11 "${meta}PROJECTS\nproject_id;cost\n1;50\n2;60\nVOTES\nvoter_id;vote\nv1;3\n"
check_bad ordinal.pb 4 'META\nkey;value\nbudget;100\nvote_type;ordinal\n'
echo "46-budget: ok"
