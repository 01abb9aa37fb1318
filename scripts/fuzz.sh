#!/usr/bin/env bash
# Builds the fuzz targets (fuzz/, libFuzzer + ASan + UBSan, clang) into build-fuzz and runs each for
# SECONDS (default 20) from its committed seeds (fuzz/corpus/<target>) and the corpus grown by earlier
# runs (build-fuzz/corpus/<target>, kept outside the repository). Fails on the first target that
# finds a crash, a sanitizer report, a timeout over 1 s or an allocation over 1 GiB; the input is
# left in build-fuzz/artifacts/<target>/. docs/reliability.md explains the targets and the figures.
#   bash scripts/fuzz.sh              # every target, 20 s each
#   bash scripts/fuzz.sh 600 ply glb  # some targets, 10 minutes each
# TERA_FUZZ_BUILD: another build folder (one configured with -DTERA_FUZZ=ON is used as it is);
# TERA_FUZZ_JOBS: build jobs (default: nproc).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${1:-20}
shift $(($# > 0 ? 1 : 0))
all_targets=(ply splat spz glb template manifest avatar_folder latent prompt_file bvh pose_library asset_pack shard)
targets=("$@")
((${#targets[@]})) || targets=("${all_targets[@]}")
build=${TERA_FUZZ_BUILD:-build-fuzz}

command -v clang++ >/dev/null || { echo "fuzz: clang++ is missing (Debian package clang; scripts/setup.sh installs it)" >&2; exit 1; }
# A folder configured before (e.g. build-asan by scripts/sanitize.sh) is used as it is.
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DTERA_FUZZ=ON -DTERA_BUILD_TESTS=OFF -DTERA_BUILD_BENCH=OFF -DTERA_CUDA=OFF >/dev/null
elif ! grep -q '^TERA_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
  echo "fuzz: $build is not configured with -DTERA_FUZZ=ON; set TERA_FUZZ_BUILD to another folder" >&2
  exit 1
fi
fuzzers=()
for target in "${targets[@]}"; do fuzzers+=("fuzz_$target"); done
cmake --build "$build" -j"${TERA_FUZZ_JOBS:-$(nproc)}" --target "${fuzzers[@]}" >&2

# The dictionary of each target: the words its format is made of (fuzz/dict).
dictionary() {
  case $1 in
    ply) echo ply ;;
    glb) echo glb ;;
    bvh) echo bvh ;;
    manifest | avatar_folder | pose_library | prompt_file) echo json ;;
    *) echo binary ;;
  esac
}

# Limits (docs/reliability.md): a reader may take 1 s on one input and 1 GiB in one allocation;
# 2 GiB of resident memory in all is a leak or a runaway.
limits=(-timeout=1 -malloc_limit_mb=1024 -rss_limit_mb=2048)
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target/"
  mkdir -p "$corpus" "$artifacts"
  log="$build/fuzz-$target.log"
  echo "fuzz: $target for ${seconds}s" >&2
  if ! "$build/fuzz/fuzz_$target" "${limits[@]}" -max_total_time="$seconds" -print_final_stats=1 \
      -dict="fuzz/dict/$(dictionary "$target").dict" -artifact_prefix="$artifacts" \
      "$corpus" "fuzz/corpus/$target" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "fuzz: $target FAILED; the input is in $artifacts, the log in $log" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  coverage=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1 || true)
  echo "fuzz: $target ok: $runs inputs, $coverage" >&2
done
