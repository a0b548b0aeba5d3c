# libFuzzer targets (tests/fuzz/), built with clang-14 + ASan/UBSan in their own
# build dir and run briefly on their seed corpora; any crash, leak, sanitizer
# report or timeout fails the stage. Crashing inputs land in $AGORA_ARTIFACTS.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${AGORA_FUZZ_BUILD:-$(dirname "${AGORA_BUILD:-$root/build}")/build-fuzz}
seconds=${AGORA_FUZZ_SECONDS:-15}
targets=(json_request_fuzz csv_import_fuzz blt_fuzz constitution_fuzz)

if [ ! -f "$build/build.ninja" ]; then
  mkdir -p "$build"
  CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAGORA_FUZZ=ON -DAGORA_WERROR=OFF >"$build/configure.log" 2>&1 ||
    { cat "$build/configure.log"; exit 1; }
fi
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

artifacts=${AGORA_ARTIFACTS:-$build}/fuzz
mkdir -p "$artifacts"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# One fuzzer per core at a time; each still gets its full $seconds.
fuzz_one() {
  local t=$1 seeds=$root/tests/fuzz/corpus/${1%_fuzz} work extra=()
  # The constitution fuzzer also starts from the shipped examples, so its
  # seeds never fall behind them.
  [ "$t" = constitution_fuzz ] && extra=("$root/examples/constitutions")
  # New inputs go to a scratch corpus so the seed corpus in git stays small.
  work=$(mktemp -d "${AGORA_TMP:-/tmp}/$t.XXXXXX")
  echo "fuzz: $t for ${seconds}s on $(find "$seeds" "${extra[@]}" -type f | wc -l) seeds" >"$artifacts/$t.head"
  local rc=0
  "$build/tests/fuzz/$t" -max_total_time="$seconds" -max_len=16384 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/$t-" \
    "$work" "$seeds" "${extra[@]}" >"$artifacts/$t.log" 2>&1 || rc=$?
  rm -rf "$work"
  echo "$rc" >"$artifacts/$t.rc"
}
jobs_max=$(nproc)
for t in "${targets[@]}"; do
  rm -f "$artifacts/$t.rc"
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n || true; done
  fuzz_one "$t" &
done
wait
failed=()
for t in "${targets[@]}"; do
  [ "$(cat "$artifacts/$t.rc" 2>/dev/null)" = 0 ] || failed+=("$t")
  cat "$artifacts/$t.head"
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' "$artifacts/$t.log" || true
done
for t in "${failed[@]}"; do
  tail -n 60 "$artifacts/$t.log"
  echo "fuzz: $t failed; crashing input in $artifacts/"
done
[ ${#failed[@]} -eq 0 ]
