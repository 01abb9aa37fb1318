#include "synth_fixture.h"

#include <filesystem>
#include <memory>

namespace tera::synth::test {

std::string shared_dir() { return TERA_SHARED_DIR; }

bool have_assets() {
  try {
    find_shared_paths(shared_dir());
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

const AssetPack& assets() {
  static const std::unique_ptr<AssetPack> pack = std::make_unique<AssetPack>(load_pack_from_shared(shared_dir()));
  return *pack;
}

}  // namespace tera::synth::test
