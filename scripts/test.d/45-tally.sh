# `agora tally` end to end on the ballot files in tests/data/ballots/: a BLT
# board election (with a withdrawn candidate) by every ranked method, an
# approval JSON file by its own method, standard input, and malformed files
# that must exit non-zero naming the file and line.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
agora="$AGORA_BUILD/agora"
data="$root/tests/data/ballots"
dir=$(mktemp -d "${AGORA_TMP:-/tmp}/tally.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail() { echo "45-tally: $*" >&2; exit 1; }

# elected FILE: the "elected" names of a result, one JSON array on one line.
elected() { python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["elected"]))' "$1"; }

# tally EXPECTED ARGS...: runs agora tally and checks the elected names.
tally() {
  local want=$1; shift
  "$agora" tally "$@" >"$dir/out.json" 2>"$dir/err" || { cat "$dir/err"; fail "agora tally $* failed"; }
  local got; got=$(elected "$dir/out.json")
  [ "$got" = "$want" ] || { fail "agora tally $*: elected $got, expected $want"; }
}

# Approval: the JSON file names its method and two seats.
tally '["Garden", "Solar roof"]' "$data/projects.json"
python3 - "$dir/out.json" <<'EOF' || fail "approval counts are wrong"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["method"] == "approval", r["method"]
assert r["counts"] == [53, 26, 60, 21], r["counts"]
assert r["ballots"] == 101 and r["blank"] == 3 and r["invalid"] == 0, r
EOF

# Ranked methods on the BLT file: Ann wins a single seat; STV fills the file's 2 seats.
tally '["Ann Ferreira"]' --method irv --seats 1 "$data/board.blt"
tally '["Ann Ferreira"]' --method schulze --seats 1 "$data/board.blt"
tally '["Ann Ferreira"]' --method ranked_pairs --seats 1 "$data/board.blt"
for m in scottish_stv meek_stv; do
  "$agora" tally --method "$m" "$data/board.blt" >"$dir/stv.json" || fail "$m failed"
  python3 - "$dir/stv.json" "$m" <<'EOF' || fail "$m elected the wrong candidates"
import json, sys
r = json.load(open(sys.argv[1]))
assert sorted(r["elected"]) == ["Ann Ferreira", "Cy Okafor"], r["elected"]
assert r["seats"] == 2 and r["ballots"] == 105, (r["seats"], r["ballots"])
# Eli withdrew: not an option, and Eli's ballots count for Ann.
assert "Eli Navarro" not in r["options"] and len(r["options"]) == 4, r["options"]
EOF
done

# Standard input needs --format; --method overrides nothing it should not.
tally '["Ann Ferreira"]' --method irv --seats 1 --format blt - <"$data/board.blt"
if "$agora" tally --method irv --seats 1 - <"$data/board.blt" >/dev/null 2>"$dir/err"; then
  fail "stdin without --format was accepted"
fi

# A method of another ballot kind than the file holds is refused.
if "$agora" tally --method approval "$data/board.blt" >/dev/null 2>"$dir/err"; then
  fail "approval on a BLT file was accepted"
fi
grep -q "ranking ballots" "$dir/err" || { cat "$dir/err"; fail "no clear refusal of approval on BLT"; }

# Malformed files: non-zero exit, "agora tally: FILE:LINE: reason" on stderr, nothing on stdout.
check_bad() {
  local file=$1 line=$2; shift 2
  if "$agora" tally "$@" "$data/$file" >"$dir/bad.out" 2>"$dir/bad.err"; then
    fail "malformed $file was accepted"
  fi
  grep -q "^agora tally: .*$file:$line: " "$dir/bad.err" || { cat "$dir/bad.err"; fail "$file: line $line not named"; }
  [ ! -s "$dir/bad.out" ] || fail "$file: a result was printed for a malformed file"
}
check_bad bad_missing_zero.blt 3 --method irv --seats 1
check_bad bad_repeat.json 6
grep -q "/ballots/1/ranking/2" "$dir/bad.err" || { cat "$dir/bad.err"; fail "no JSON pointer for the repeat"; }
echo "45-tally: ok"
