// Shared access to the MakeHuman assets for the teacher's tests: loaded once per test binary.
#pragma once

#include <string>

#include "asset_pack.h"

namespace tera::synth::test {

// The shared folder the build was configured with.
std::string shared_dir();
// True when the MakeHuman assets are present.
bool have_assets();
// The assets as the teacher uses them: through an asset pack cached beside the test binary.
const AssetPack& assets();
// The assets read straight from the MakeHuman files (slow; for the pack round-trip test).
const AssetPack& assets_from_files();

}  // namespace tera::synth::test

// Skips the current test when the assets are missing.
#define SYNTH_REQUIRE_ASSETS()                                                               \
  do {                                                                                       \
    if (!::tera::synth::test::have_assets())                                                 \
      GTEST_SKIP() << "MakeHuman assets not found at " << ::tera::synth::test::shared_dir(); \
  } while (0)
