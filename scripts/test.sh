#!/usr/bin/env bash
# Runs the whole test suite on a fresh or prepared Debian 12 machine: sets up and builds (see
# setup.sh), installs the pinned third-party checkers from npm into .deps/npm, then runs ctest.
#   bash scripts/test.sh            # everything (labels unit, render, model, gpu)
#   bash scripts/test.sh -L render  # extra arguments go to ctest
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh

# Pinned: splat-transform 2.7.1 is the newest that runs on Node 18/20; gltf-validator 2.0.0-dev.3.10
# is the newest release.
npm_tools=("@playcanvas/splat-transform@2.7.1" "gltf-validator@2.0.0-dev.3.10")
if [ ! -x .deps/npm/node_modules/.bin/splat-transform ] || [ ! -d .deps/npm/node_modules/gltf-validator ]; then
  mkdir -p .deps/npm
  npm install --prefix .deps/npm --no-audit --no-fund --loglevel=error "${npm_tools[@]}" >&2
fi
# The third-party checks fail (rather than skip) if the tools are missing.
export TERA_REQUIRE_NPM_TOOLS=1

ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
