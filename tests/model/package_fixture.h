// Helpers for tests that use the test-only model package built by the ctest fixture
// (scripts/train/make_test_package.py into the build folder).
#pragma once

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "support/test_support.h"
#include "tera/core/atomic_file.h"

namespace tera::test {

inline std::filesystem::path test_package() { return TERA_TEST_PACKAGE_DIR; }

// Copies the test package into `dir`/name and lets `edit` change its manifest.
inline std::filesystem::path copy_package(const TempDir& dir, const std::string& name,
                                          const std::function<void(nlohmann::json&)>& edit = {}) {
  const auto target = dir / name;
  std::filesystem::copy(test_package(), target, std::filesystem::copy_options::recursive);
  if (edit) {
    auto manifest = nlohmann::json::parse(tera::read_file(target / "manifest.json"));
    edit(manifest);
    std::ofstream(target / "manifest.json") << manifest.dump(2);
  }
  return target;
}

inline std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

// Every regular file under `root`, as paths relative to it.
inline std::vector<std::string> files_under(const std::filesystem::path& root) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    files.push_back(std::filesystem::relative(e.path(), root).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace tera::test
