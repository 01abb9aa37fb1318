#!/usr/bin/env bash
# Downloads the Debian 12 packages that a GPU machine without a package archive needs to build tera
# into .deps/debs (git-ignored, about 4 MB). Run it on a machine that reaches the Debian archive;
# then copy the tree (with .deps/debs) to the GPU machine and run scripts/gpu/build.sh there.
#
# The GPU machine brings its own compiler, CMake, CUDA toolkit and (optionally) PyTorch; these
# packages add the libraries tera's CMake looks for (cmake/TeraDependencies.cmake). The shared
# libraries in them need glibc >= 2.34 and libstdc++ from GCC >= 12 (GLIBCXX_3.4.30), as on Debian 12
# or Ubuntu 22.04 and later.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dest="$root/.deps/debs"

# Each entry: a -dev package and the runtime library its .so symlinks point to.
packages=(
  libspdlog-dev libspdlog1.10   # logging (compiled library, external fmt)
  libfmt-dev libfmt9            # formatting, required by spdlog
  libcli11-dev                  # command-line parsing (header-only)
  nlohmann-json3-dev            # JSON (header-only)
  libtinygltf-dev               # glTF writer (header-only use; its implementation is compiled in src/io)
  libstb-dev libstb0            # PNG reading and writing
  zlib1g-dev zlib1g             # gzip for .spz (the runtime too, so the -dev symlink resolves)
  libsentencepiece-dev libsentencepiece0  # the prompt tokenizer
  libgtest-dev                  # GoogleTest (static libraries)
  libbenchmark-dev libbenchmark1debian  # Google Benchmark
)

command -v apt-get >/dev/null || { echo "fetch-debs.sh: apt-get not found; run this on Debian 12" >&2; exit 1; }
mkdir -p "$dest"
rm -f "$dest"/*.deb "$dest"/SHA256SUMS
cd "$dest"
# As root, apt would try to drop privileges to _apt, which cannot write here.
sandbox=()
[ "$(id -u)" = 0 ] && sandbox=(-o APT::Sandbox::User=root)
apt-get -q "${sandbox[@]}" download "${packages[@]}"
sha256sum ./*.deb > SHA256SUMS
echo "fetch-debs.sh: $(ls ./*.deb | wc -l) packages, $(du -sh . | cut -f1) in $dest"
