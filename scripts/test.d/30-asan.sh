# The unit and API tests again, built with AddressSanitizer + UBSan (leak
# checking on) in their own build dir next to $AGORA_BUILD. The unit tests run
# on SQLite only here (the plain stage runs them on both stores; under the
# sanitizers the PostgreSQL half doubled this stage's run for no code of its
# own); the API tests run on SQLite and, when AGORA_TEST_PG_URL is set,
# PostgreSQL, so the PostgreSQL engine is sanitized too. -Og -g1 keeps compile
# time lean (a third less than -O1 under UBSan, which is most of this stage)
# while stack traces keep file:line; precompiled headers (AGORA_PCH, see
# CMakeLists.txt) save the parsing of the standard library, nlohmann/json and
# GoogleTest in every file; the tests run one shard per core.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${AGORA_ASAN_BUILD:-$(dirname "${AGORA_BUILD:-$root/build}")/build-asan}

if [ ! -f "$build/build.ninja" ]; then
  mkdir -p "$build"
  # Warnings stay errors in the main build; with -fsanitize g++ 12 reports
  # false positives inside Asio's coroutine frames (-Wmismatched-new-delete).
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DAGORA_SANITIZE=ON -DAGORA_WERROR=OFF \
    -DAGORA_PCH=ON -DCMAKE_CXX_FLAGS_DEBUG="-Og -g1" -DCMAKE_C_FLAGS_DEBUG="-Og -g1" >"$build/configure.log" 2>&1 ||
    { cat "$build/configure.log"; exit 1; }
fi
targets=(unit_tests)
if cmake --build "$build" --target help | grep -q '^api_tests:'; then targets+=(api_tests); fi
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
for t in "${targets[@]}"; do
  t0=$(date +%s)
  if [ "$t" = unit_tests ]; then
    env -u AGORA_TEST_PG_URL "$root/scripts/test-shards" "$build/tests/$t" --gtest_brief=1
  else
    "$root/scripts/test-shards" "$build/tests/$t" --gtest_brief=1
  fi
  echo "asan: $t passed in $(( $(date +%s) - t0 ))s"
done
