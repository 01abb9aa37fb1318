#!/usr/bin/env bash
# Builds tera with the CUDA renderer on a GPU machine that has a compiler, CMake and the CUDA toolkit
# but no package archive, then runs the GPU tests and the CUDA renderer benchmark.
#
#   scripts/gpu/fetch-debs.sh      # first, on a machine with the Debian archive
#   scripts/gpu/build.sh           # then, on the GPU machine, from a copy of the tree with .deps/debs
#
# Environment: TERA_GPU_BUILD_DIR (default build-gpu), CUDA_ARCHS (default 90: H100/H200),
# TERA_GPU_JOBS (default: all cores), TERA_GPU_BENCH=0 to skip the benchmark,
# TERA_GPU_BENCH_FILTER (a --benchmark_filter regex), TERA_GPU_CTEST_LABEL (default gpu),
# TERA_GPU_CONFIGURE_ONLY=1 to stop after configuring (checks the recipe on any machine),
# TERA_GPU_TARGETS (space-separated targets to build instead of everything), TERA_GPU_BUILD_ONLY=1 to stop
# after building (no tests, no benchmark; scripts/gpu/check.sh runs those itself).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
debs="$root/.deps/debs"
prefix="$root/.deps/prefix"
build="${TERA_GPU_BUILD_DIR:-$root/build-gpu}"
archs="${CUDA_ARCHS:-90}"
jobs="${TERA_GPU_JOBS:-$(nproc)}"
label="${TERA_GPU_CTEST_LABEL:-gpu}"
read -r -a targets <<< "${TERA_GPU_TARGETS:-}"

fail() { echo "build.sh: $*" >&2; exit 1; }

compgen -G "$debs/*.deb" >/dev/null || fail "no packages in $debs; run scripts/gpu/fetch-debs.sh first"
if [ -f "$debs/SHA256SUMS" ]; then
  (cd "$debs" && sha256sum --quiet -c SHA256SUMS) || fail "a package in $debs does not match SHA256SUMS"
fi

# Unpack every package into the prefix (dpkg -x; ar + tar where dpkg is missing).
rm -rf "$prefix"
mkdir -p "$prefix"
for deb in "$debs"/*.deb; do
  if command -v dpkg >/dev/null; then
    dpkg -x "$deb" "$prefix"
  else
    work="$(mktemp -d)"
    (cd "$work" && ar x "$deb" && tar -xf data.tar.* -C "$prefix")
    rm -rf "$work"
  fi
done
# pkg-config files name their install prefix; point them at the unpacked copy.
find "$prefix" -name '*.pc' -exec sed -i "s|^prefix=/usr\$|prefix=$prefix/usr|" {} +
echo "build.sh: unpacked $(ls "$debs"/*.deb | wc -l) packages into $prefix"

# LibTorch from the local PyTorch install, when there is one (for the model-running parts).
cmake_prefix=()
if torch_dir="$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null)"; then
  cmake_prefix=(-DCMAKE_PREFIX_PATH="$torch_dir")
  # The Debian libraries use the C++11 string ABI; a LibTorch built with the old ABI cannot link
  # with them (PyTorch wheels use the new ABI from 2.7 on).
  abi="$(python3 -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))' 2>/dev/null || echo '?')"
  echo "build.sh: LibTorch from $torch_dir (C++11 ABI: $abi)"
  [ "$abi" = 0 ] && echo "build.sh: warning: this LibTorch uses the pre-C++11 ABI; linking tera may fail" >&2
fi

# A CUDA LibTorch's config adds -gencode flags for TORCH_CUDA_ARCH_LIST to every CUDA file (and, with no GPU
# to detect, for a dozen architectures); name the ones asked for ("90;80" -> "9.0;8.0").
if [ -z "${TORCH_CUDA_ARCH_LIST:-}" ]; then
  TORCH_CUDA_ARCH_LIST="$(echo "$archs" | sed -E 's/([0-9])([0-9a-z]*)/\1.\2/g')"
  export TORCH_CUDA_ARCH_LIST
fi

# No tools: the teacher (tera-synth) needs Embree, which a GPU machine does not need and rarely has.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTERA_BUILD_TOOLS=OFF \
  -DTERA_DEPS_PREFIX="$prefix" -DTERA_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES="$archs" ${cmake_prefix[@]+"${cmake_prefix[@]}"}
[ "${TERA_GPU_CONFIGURE_ONLY:-0}" = 1 ] && exit 0
target_args=()
for target in ${targets[@]+"${targets[@]}"}; do target_args+=(--target "$target"); done
cmake --build "$build" -j"$jobs" ${target_args[@]+"${target_args[@]}"}
[ "${TERA_GPU_BUILD_ONLY:-0}" = 1 ] && exit 0

# The unpacked shared libraries are not on the system's search path (binaries also carry an RPATH).
export LD_LIBRARY_PATH="$prefix/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
(cd "$build" && ctest -L "$label" --output-on-failure)

if [ "${TERA_GPU_BENCH:-1}" != 0 ]; then
  filter=()
  [ -n "${TERA_GPU_BENCH_FILTER:-}" ] && filter=(--benchmark_filter="$TERA_GPU_BENCH_FILTER")
  "$build/bench/bench_render_cuda" ${filter[@]+"${filter[@]}"} --benchmark_counters_tabular=true \
    --benchmark_out="$build/bench_render_cuda.json" --benchmark_out_format=json
  echo "build.sh: benchmark results in $build/bench_render_cuda.json"
fi
