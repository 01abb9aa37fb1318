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

namespace {

// Reading the MakeHuman files takes seconds and ctest runs every test in its own process, so the
// first process writes a pack next to the test binary and later ones read it (0.2 s). A pack
// older than the test binary is rebuilt, so a changed loader never meets a stale pack.
AssetPack load_cached() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return load_pack_from_shared(shared_dir());
  const fs::path cache = exe.parent_path() / "synth_test_assets.pack";
  if (fs::exists(cache) && fs::last_write_time(cache) > fs::last_write_time(exe)) {
    try {
      return read_pack(cache.string());
    } catch (const std::exception&) {
      // fall through and rebuild a damaged cache
    }
  }
  AssetPack pack = load_pack_from_shared(shared_dir());
  write_pack(pack, cache.string());
  return read_pack(cache.string());  // every process sees the same (float16) targets
}

}  // namespace

const AssetPack& assets() {
  static const std::unique_ptr<AssetPack> pack = std::make_unique<AssetPack>(load_cached());
  return *pack;
}

const AssetPack& assets_from_files() {
  static const std::unique_ptr<AssetPack> pack =
      std::make_unique<AssetPack>(load_pack_from_shared(shared_dir()));
  return *pack;
}

}  // namespace tera::synth::test
