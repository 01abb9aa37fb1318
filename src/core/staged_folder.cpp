// Output folders written as a whole; see include/tera/core/staged_folder.h.
#include "tera/core/staged_folder.h"

#include <algorithm>
#include <regex>
#include <unistd.h>

#include "tera/core/error.h"

namespace tera {
namespace {

namespace fs = std::filesystem;

// ".NAME.partial-PID": hidden beside DIR, named after it so that a rerun finds what a killed run
// of the same DIR left.
std::string staging_prefix(const fs::path& dir) {
  return "." + dir.filename().string() + ".partial-";
}

fs::path normalised(const fs::path& dir) {
  if (dir.empty()) return dir;  // refused by the constructor, with the option's name
  // Through symbolic links: "out" linking to a folder on another disk is replaced there, and the
  // link stays a link.
  fs::path out = fs::weakly_canonical(fs::absolute(dir)).lexically_normal();
  if (out.filename().empty()) out = out.parent_path();  // "out/avatar/" names "out/avatar"
  return out;
}

}  // namespace

StagedFolder::StagedFolder(const fs::path& dir, const std::vector<std::string>& ours,
                           const std::string& option)
    : given_(dir), dir_(normalised(dir)) {
  if (dir.empty()) throw UsageError(option + ": expected a folder, got ''");
  // Replacing the folder a shell stands in (".", or one above it) would leave the shell in a
  // deleted folder; the file system's root cannot be replaced at all.
  const fs::path here = fs::current_path().lexically_normal();
  const auto [mismatch, rest] = std::mismatch(dir_.begin(), dir_.end(), here.begin(), here.end());
  if (mismatch == dir_.end() || dir_ == dir_.root_path()) {
    throw UsageError(option + " " + dir.string() +
                     ": the current folder or one above it; give a folder of its own, such as " +
                     (fs::path(dir) / "out").string());
  }
  std::error_code error;
  if (fs::exists(dir_, error)) {
    if (!fs::is_directory(dir_)) {
      throw UsageError(option + " " + dir.string() + ": exists and is not a folder");
    }
    std::vector<std::regex> patterns;
    for (const auto& pattern : ours) patterns.emplace_back(pattern);
    for (const auto& entry : fs::directory_iterator(dir_)) {
      const std::string name = entry.path().filename().string();
      bool mine = false;
      for (const auto& pattern : patterns) mine = mine || std::regex_match(name, pattern);
      if (!mine) {
        throw UsageError(option + " " + dir.string() + " holds '" + name +
                         "', which this command does not write; the folder is replaced as a "
                         "whole, so choose an empty or new folder");
      }
    }
  }
  const fs::path parent = dir_.parent_path();
  const std::string prefix = staging_prefix(dir_);
  if (fs::is_directory(parent, error)) {
    for (const auto& entry : fs::directory_iterator(parent, error)) {
      if (entry.path().filename().string().rfind(prefix, 0) == 0)
        fs::remove_all(entry.path(), error);
    }
  }
  staging_ = parent / (prefix + std::to_string(::getpid()));
  try {
    fs::create_directories(staging_);
  } catch (const fs::filesystem_error& e) {
    throw Error(option + " " + dir.string() + ": cannot create a folder there (" +
                e.code().message() + ")");
  }
}

StagedFolder::~StagedFolder() {
  if (published_) return;
  std::error_code ignored;
  fs::remove_all(staging_, ignored);
}

fs::path StagedFolder::published(const fs::path& written) const {
  const fs::path inside = written.lexically_relative(staging_);
  return inside == "." ? given_ : given_ / inside;
}

void StagedFolder::publish() {
  replace_folder(staging_, dir_,
                 dir_.parent_path() / (staging_prefix(dir_) + "old-" + std::to_string(::getpid())));
  published_ = true;
}

void replace_folder(const fs::path& staged, const fs::path& final_dir, const fs::path& aside) {
  if (!fs::exists(final_dir)) {
    fs::rename(staged, final_dir);
    return;
  }
  fs::rename(final_dir, aside);
  fs::rename(staged, final_dir);
  fs::remove_all(aside);
}

}  // namespace tera
