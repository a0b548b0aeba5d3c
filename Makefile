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

build: bootstrap $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)
	@if [ -f web/package.json ]; then (cd web && npm run --silent build); fi

run: build
	$(BUILD)/agora demo --if-empty --db $(DB)
	$(BUILD)/agora serve --db $(DB) --port $(PORT)

test: bootstrap
	./scripts/test

bench: build
	./bench/run $(if $(B),$(B),all) $(SCALE)

format:
	find src tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

lint: $(BUILD)/build.ninja
	find src -name '*.cc' | xargs clang-tidy -p $(BUILD) --quiet

clean:
	rm -rf $(BUILD) build-asan build-fuzz
