#!/usr/bin/env bash
# Sets up a Debian 12 machine for tera and builds it (Release) into ./build.
# Idempotent: installs only missing packages (after an apt-get update), makes the project venv
# .deps/venv once per version of scripts/requirements.txt, then builds incrementally, so a second
# run takes seconds.
#   bash scripts/setup.sh              # install + configure + build
#   TERA_CMAKE_ARGS="-DTERA_CUDA=OFF" bash scripts/setup.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Build tools, libraries (headers + runtime), and the runtimes the test suite uses.
# libopenblas0-pthread: LibTorch's matrix products are ~15x slower without an optimised BLAS.
# python3-numpy, python3-pil: training (scripts/train) and evaluation (scripts/eval: contact sheets).
# python3-venv: the project venv; python3-dataclasses-json, python3-deprecated: what pygltflib (in
# the venv, for the tests) imports, taken from Debian rather than PyPI.
packages=(
  build-essential cmake git pkg-config ca-certificates
  libtorch-dev python3-torch libopenblas0-pthread
  libcli11-dev libspdlog-dev libtinygltf-dev nlohmann-json3-dev libstb-dev
  libsentencepiece-dev sentencepiece python3-sentencepiece libembree-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-numpy python3-pil
  python3-venv python3-dataclasses-json python3-deprecated
)
# Node.js runs the third-party format checks of the test suite (gltf-validator, splat-transform,
# unpacked by scripts/test.sh from a vendored tarball: no npm registry is needed); a machine that
# already has node from elsewhere keeps it.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
# clang and libclang-rt-14-dev (libFuzzer, the sanitizer runtimes): the fuzz targets (scripts/fuzz.sh) that
# scripts/test.sh runs briefly; docs/reliability.md.
packages+=(clang libclang-rt-14-dev)
# chromium: the browser tests (tests/view) show our viewer page and our files in Spark in headless
# chromium (WebGL2 on SwiftShader), driven by the vendored playwright-core.
packages+=(chromium)

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

# The project venv: Debian's python3 with Debian's packages visible (torch, numpy, sentencepiece),
# plus the pinned, hash-checked PyPI packages of scripts/requirements.txt (see its comments). Made
# again from scratch only when that file's requirement lines change: their sha256 is kept in
# .deps/venv/requirements.sha256.
venv=.deps/venv
requirements=scripts/requirements.txt
requirements_sha256=$(grep -v '^#' "$requirements" | sha256sum | cut -d" " -f1)
if [ ! -x "$venv/bin/python3" ] || [ "$(cat "$venv/requirements.sha256" 2>/dev/null)" != "$requirements_sha256" ]; then
  echo "setup: making $venv from $requirements" >&2
  rm -rf "$venv"
  /usr/bin/python3 -m venv --system-site-packages "$venv"
  "$venv/bin/python3" -m pip install --quiet --no-input --disable-pip-version-check \
    --no-deps --require-hashes --only-binary=:all: -r "$requirements" >&2
  echo "$requirements_sha256" >"$venv/requirements.sha256"
fi

jobs=$(nproc)
# shellcheck disable=SC2086  # TERA_CMAKE_ARGS is a list of arguments
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release ${TERA_CMAKE_ARGS:-} >&2
cmake --build build -j"$jobs" >&2
echo "setup: built $(pwd)/build/tera" >&2
