# Entry points. `make run` and `make test` set up everything they need.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CONFIG ?= implementations/bigbrotr

# Let ccache share results between checkouts and build directories.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all deps test-deps build run test sanitize bench clean

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

# The whole suite again under AddressSanitizer (leaks included) and
# UndefinedBehaviorSanitizer, in its own build directory. Slow to build.
SANITIZE_DIR ?= build-asan
sanitize: test-deps
	cmake -S . -B $(SANITIZE_DIR) -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_CXX_FLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined" \
	  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined"
	cmake --build $(SANITIZE_DIR) -j $(JOBS) --target brotr brotr-dump brotr_unit_tests brotr_integration_tests brotr_pg_tests
	cd $(SANITIZE_DIR) && ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/support/lsan.supp ctest --output-on-failure -j $(JOBS) --timeout 600

bench: test-deps build
	cmake --build $(BUILD_DIR) -j $(JOBS) --target benchmarks
	tools/run-benchmarks.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
