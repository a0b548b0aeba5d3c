# The two commands: `make run` and `make test`. Both install what is missing.
SHELL := /bin/bash
BUILD ?= build
JOBS ?= $(shell nproc)
DB ?= sqlite:agora.db
PORT ?= 8080
B ?=
SCALE ?= full

.PHONY: all bootstrap build web run test unit bench format lint clean

all: build

bootstrap:
	@./scripts/bootstrap

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

# TARGETS: only these CMake targets (default: all but the benchmarks).
TARGETS ?=

build: bootstrap $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) $(if $(TARGETS),--target $(TARGETS))
	@if [ -f web/package.json ]; then (cd web && npm run --silent build); fi

# `make run` needs only the server (and the web interface): test files are
# compiled by `make test`'s sanitized build, never on the way to running.
run: TARGETS = agora
run: build
	$(BUILD)/agora demo --if-empty --db $(DB)
	$(BUILD)/agora serve --db $(DB) --port $(PORT)

test: bootstrap
	./scripts/test

bench: build
	AGORA_BUILD=$(abspath $(BUILD)) ./bench/run $(if $(B),$(B),all) $(SCALE)

# C++ sources under src/, tests/ and bench/ (never node_modules), styled by .clang-format.
CXX_SOURCES = find src tests bench -name node_modules -prune -o \( -name '*.h' -o -name '*.cc' \) -print

format:
	$(CXX_SOURCES) | xargs -r clang-format -i

# .clang-tidy's checks over src/, with the build's compile_commands.json;
# findings are printed once each, a file that does not compile for clang fails
# the target. Boost 1.74 detects co_await only on g++, so tell it clang has it.
lint: $(BUILD)/build.ninja
	@set -o pipefail; run-clang-tidy -quiet -p $(BUILD) -j $(JOBS) -extra-arg=-Wno-error \
	    -extra-arg=-DBOOST_ASIO_HAS_CO_AWAIT=1 -extra-arg=-DBOOST_ASIO_HAS_STD_COROUTINE=1 \
	    '$(CURDIR)/src/.*\.cc$$' 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' | awk ' \
	  /^Error while processing/ { print; next } \
	  /: (warning|error): / && !seen[$$0]++ { print; n++; \
	    if (match($$0, /\[[a-z0-9.,-]+\]$$/)) count[substr($$0, RSTART, RLENGTH)]++ } \
	  END { print "lint: " n + 0 " distinct findings"; for (k in count) printf "  %4d %s\n", count[k], k }'

clean:
	rm -rf $(BUILD) build-asan build-fuzz
