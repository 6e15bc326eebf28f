# Entry points. `make run` and `make test` set up everything they need.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CONFIG ?= implementations/bigbrotr

# Let ccache share results between checkouts and build directories.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all deps test-deps build run test bench clean

all: build

deps:
	@tools/setup.sh

test-deps:
	@tools/setup.sh --test

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Run every enabled service of the chosen implementation (the initializer
# creates the store and seeds relays first).
run: build
	$(BUILD_DIR)/brotr run --config $(CONFIG)

test: test-deps build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

bench: test-deps build
	cmake --build $(BUILD_DIR) -j $(JOBS) --target benchmarks
	tools/run-benchmarks.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
