#!/usr/bin/env bash
# Runs every benchmark program built in BUILD_DIR/tests/bench, one after the
# other (they measure single-core rates; running them together would skew
# each other). Usage: tools/run-benchmarks.sh [BUILD_DIR]
set -euo pipefail
build_dir=${1:-build}
bench_dir=$build_dir/tests/bench
if [ ! -d "$bench_dir" ]; then
  echo "run-benchmarks: $bench_dir does not exist; build the 'benchmarks' target first" >&2
  exit 2
fi
shopt -s nullglob
programs=("$bench_dir"/bench_*)
ran=0
failed=0
for program in "${programs[@]}"; do
  [ -f "$program" ] && [ -x "$program" ] || continue
  echo "== $(basename "$program")"
  if ! "$program"; then
    echo "run-benchmarks: $(basename "$program") failed" >&2
    failed=$((failed + 1))
  fi
  ran=$((ran + 1))
done
if [ "$ran" -eq 0 ]; then
  echo "run-benchmarks: no bench_* programs in $bench_dir" >&2
  exit 2
fi
echo "run-benchmarks: $ran programs, $failed failed"
[ "$failed" -eq 0 ]
