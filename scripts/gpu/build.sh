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
# after building (no tests, no benchmark; scripts/gpu/check.sh runs those itself), TERA_GPU_CMAKE_ARGS (more
# configure arguments, space-separated). A failed configure is retried with the remedies below.
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
read -r -a extra_args <<< "${TERA_GPU_CMAKE_ARGS:-}"
configure_args=(-DCMAKE_BUILD_TYPE=Release -DTERA_BUILD_TOOLS=OFF -DTERA_DEPS_PREFIX="$prefix" -DTERA_CUDA=ON
  -DCMAKE_CUDA_ARCHITECTURES="$archs" ${cmake_prefix[@]+"${cmake_prefix[@]}"} ${extra_args[@]+"${extra_args[@]}"})
# configure [fresh] ARGS...: one CMake configure (with "fresh", from an empty cache); on failure, the end
# of CMake's own log, where a failed check says why.
configure() {
  if [ "$1" = fresh ]; then rm -rf "$build/CMakeCache.txt" "$build/CMakeFiles"; fi
  shift
  cmake -S "$root" -B "$build" "${configure_args[@]}" "$@" && return 0
  echo "build.sh: configure failed" >&2
  for log in "$build/CMakeFiles/CMakeConfigureLog.yaml" "$build/CMakeFiles/CMakeError.log"; do
    [ -f "$log" ] && { echo "build.sh: the last 40 lines of $log:" >&2; tail -n 40 "$log" >&2; }
  done
  return 1
}
# A CUDA LibTorch's config can fail where the default search finds the wrong pieces, so after a failed
# configure two known remedies are tried, each from an empty cache:
#  1. one toolkit for everything: nvcc from PATH (else /usr/local/cuda) names CMAKE_CUDA_COMPILER,
#     CUDAToolkit_ROOT and CUDA_TOOLKIT_ROOT_DIR ("Found two conflicting CUDA versions", "Your installed
#     Caffe2 version uses CUDA but I cannot find the CUDA libraries"); USE_SYSTEM_NVTX=ON takes nvtx3 from
#     that toolkit (CUDA 12.9 and later have no libnvToolsExt: "Failed to find nvToolsExt"); and cuDNN is
#     named where pip put it (site-packages/nvidia/cudnn, whose library is only libcudnn.so.9);
#  2. the same without cuDNN (USE_CUDNN/CAFFE2_USE_CUDNN=OFF): tera calls no cuDNN itself, LibTorch's
#     own libraries still load theirs.
fallback_args() {
  local nvcc cuda_root site cudnn_h cudnn_lib
  nvcc="$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)"
  [ -x "$nvcc" ] || return 0
  cuda_root="$(dirname "$(dirname "$(readlink -f "$nvcc")")")"
  echo "-DCMAKE_CUDA_COMPILER=$nvcc -DCUDAToolkit_ROOT=$cuda_root -DCUDA_TOOLKIT_ROOT_DIR=$cuda_root -DUSE_SYSTEM_NVTX=ON"
  [ -n "${torch_dir:-}" ] || return 0
  site="$(dirname "$(dirname "$(dirname "$torch_dir")")")"  # .../site-packages/torch/share/cmake -> site-packages
  cudnn_h="$(find "$site/nvidia" -maxdepth 4 -name cudnn.h -path '*include*' 2>/dev/null | head -n 1)"
  cudnn_lib="$(find "$site/nvidia" -maxdepth 4 -name 'libcudnn.so*' 2>/dev/null | sort | head -n 1)"
  if [ -n "$cudnn_h" ] && [ -n "$cudnn_lib" ]; then
    echo "-DCUDNN_ROOT=$(dirname "$(dirname "$cudnn_h")") -DCUDNN_INCLUDE_DIR=$(dirname "$cudnn_h")" \
      "-DCUDNN_INCLUDE_PATH=$(dirname "$cudnn_h") -DCUDNN_LIBRARY=$cudnn_lib -DCUDNN_LIBRARY_PATH=$cudnn_lib"
  fi
}
if ! configure keep; then
  read -r -a remedy <<< "$(fallback_args | tr '\n' ' ')"
  echo "build.sh: configuring again with one toolkit, nvtx3 and cuDNN named: ${remedy[*]}" >&2
  if ! configure fresh ${remedy[@]+"${remedy[@]}"}; then
    echo "build.sh: configuring again without cuDNN" >&2
    configure fresh ${remedy[@]+"${remedy[@]}"} -DUSE_CUDNN=OFF -DCAFFE2_USE_CUDNN=OFF ||
      fail "configure failed three times (as is, one toolkit named, without cuDNN); CMake's messages are above"
  fi
fi
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
