#!/usr/bin/env bash
# Runs the whole test suite on a fresh or prepared Debian 12 machine: sets up and builds (see
# setup.sh, which also makes the project venv .deps/venv with the Python readers the tests use),
# unpacks the vendored third-party JavaScript checkers into .deps/npm, then runs ctest, then the
# sanitizer stage (scripts/sanitize.sh).
#   bash scripts/test.sh            # everything (labels unit, render, model, train, gpu; sanitizers)
#   bash scripts/test.sh -L render  # extra arguments go to ctest
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh

# The JavaScript checkers come ready as a node_modules tree (no npm registry is reachable):
# splat-transform 2.7.1 (the newest that runs on Node 18/20), gltf-validator 2.0.0-dev.3.10 (the
# newest release), three, Spark and playwright-core; see ../shared/vendor/README.md. The tarball must
# have the pinned sha256; it is unpacked again only when .deps/npm was unpacked from another one.
npm_tarball=../shared/vendor/npm-tools.tar.xz
npm_tarball_sha256=b3efa7052149c66ada8c737e828c956ec2785bc88098fe6471e366e93987fd19
if [ ! -f "$npm_tarball" ]; then
  echo "test: $(realpath -m "$npm_tarball") is missing: it holds the third-party checkers the tests need" \
    "(gltf-validator, splat-transform); see ../shared/vendor/README.md" >&2
  exit 1
fi
found_sha256=$(sha256sum "$npm_tarball" | cut -d" " -f1)
if [ "$found_sha256" != "$npm_tarball_sha256" ]; then
  echo "test: $(realpath -m "$npm_tarball"): sha256 is $found_sha256, expected $npm_tarball_sha256" \
    "(pinned in scripts/test.sh)" >&2
  exit 1
fi
if [ "$(cat .deps/npm/tarball.sha256 2>/dev/null)" != "$npm_tarball_sha256" ]; then
  echo "test: unpacking $npm_tarball into .deps/npm" >&2
  rm -rf .deps/npm
  mkdir -p .deps/npm
  tar -xJf "$npm_tarball" -C .deps/npm --no-same-owner
  echo "$npm_tarball_sha256" >.deps/npm/tarball.sha256
fi
# The third-party checks fail (rather than skip) if the tools are missing: the JavaScript ones
# (tests/io/third_party_test.cpp) and the Python readers in .deps/venv (tests/io/python_readers_test.py).
export TERA_REQUIRE_NPM_TOOLS=1
export TERA_REQUIRE_PYTHON_TOOLS=1

ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"

# The whole suite also runs the sanitizer stage (docs/reliability.md): the unit suite built with
# ASan + UBSan, then every fuzz target for 10 s. Not when ctest arguments pick a part of the suite.
if (($# == 0)); then
  bash scripts/sanitize.sh 10
fi
