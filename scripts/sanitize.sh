#!/usr/bin/env bash
# The sanitizer stage of the test suite (docs/reliability.md), in one clang build (build-asan) with
# AddressSanitizer + UndefinedBehaviorSanitizer on everything compiled:
#   1. the unit suite (ctest label unit): a memory error, a leak or undefined behaviour in the code a
#      test runs fails that test;
#   2. every fuzz target for a short run (scripts/fuzz.sh, SECONDS each, default 10), so a reader that
#      crashes on its seeds or on what the fuzzer finds quickly fails the stage.
# The same build serves both: its objects carry libFuzzer's coverage hooks, which the test programs
# (linked without libFuzzer) leave as the sanitizer runtime's empty defaults.
#   bash scripts/sanitize.sh        # both
#   bash scripts/sanitize.sh 0      # the unit suite only
# TERA_SANITIZE_BUILD: another build folder; TERA_SANITIZE_JOBS: build jobs (default: nproc).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${1:-10}
build=${TERA_SANITIZE_BUILD:-build-asan}
jobs=${TERA_SANITIZE_JOBS:-$(nproc)}
command -v clang++ >/dev/null || { echo "sanitize: clang++ is missing (Debian package clang; scripts/setup.sh installs it)" >&2; exit 1; }
# -O1: fast enough to run, quicker to compile; -g1: file and line in the reports. No benchmarks, no
# CUDA (the sanitizers do not see into device code).
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DTERA_SANITIZE=ON -DTERA_FUZZ=ON -DTERA_BUILD_BENCH=OFF -DTERA_CUDA=OFF >/dev/null
# Only what the unit label runs: its test programs and the binaries they start.
unit_targets=(tera_cli tera_io_dump test_core test_io test_pose test_view test_cli test_fuzz_regressions)
if grep -q '^TERA_BUILD_TOOLS:BOOL=ON' "$build/CMakeCache.txt"; then unit_targets+=(tera_synth_cli test_synth test_synth_captions); fi
cmake --build "$build" -j"$jobs" --target "${unit_targets[@]}" >&2

# abort_on_error/halt_on_error: the first report ends the test (and fails it) instead of scrolling past.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$build" --output-on-failure -j"$jobs" -L unit

if ((seconds > 0)); then
  TERA_FUZZ_BUILD="$build" TERA_FUZZ_JOBS="$jobs" bash scripts/fuzz.sh "$seconds"
fi
