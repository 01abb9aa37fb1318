#!/usr/bin/env bash
# Sets up a Debian 12 machine for tera and builds it (Release) into ./build.
# Idempotent: installs only missing packages (after an apt-get update), then builds incrementally,
# so a second run takes seconds.
#   bash scripts/setup.sh              # install + configure + build
#   TERA_CMAKE_ARGS="-DTERA_CUDA=OFF" bash scripts/setup.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Build tools, libraries (headers + runtime), and the runtimes the test suite uses.
# libopenblas0-pthread: LibTorch's matrix products are ~15x slower without an optimised BLAS.
# python3-numpy, python3-pil, wordnet-base: training (scripts/train: WordNet synonyms widen the
# captions' vocabulary) and evaluation (scripts/eval: contact sheets).
packages=(
  build-essential cmake git pkg-config ca-certificates
  libtorch-dev python3-torch libopenblas0-pthread
  libcli11-dev libspdlog-dev libtinygltf-dev nlohmann-json3-dev libstb-dev
  libsentencepiece-dev sentencepiece python3-sentencepiece libembree-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-numpy python3-pil wordnet-base
)
# Node.js runs the third-party format checks of the test suite (gltf-validator, splat-transform,
# unpacked by scripts/test.sh from a vendored tarball: no npm registry is needed); a machine that
# already has node from elsewhere keeps it.
command -v node >/dev/null 2>&1 || packages+=(nodejs)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

jobs=$(nproc)
# shellcheck disable=SC2086  # TERA_CMAKE_ARGS is a list of arguments
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release ${TERA_CMAKE_ARGS:-} >&2
cmake --build build -j"$jobs" >&2
echo "setup: built $(pwd)/build/tera" >&2
