// Output folders written as a whole; see include/tera/core/staged_folder.h.
#include "tera/core/staged_folder.h"

#include <algorithm>
#include <cerrno>
#include <regex>
#include <set>
#include <signal.h>
#include <unistd.h>

#include "tera/core/atomic_file.h"
#include "tera/core/decimal.h"
#include "tera/core/error.h"

namespace tera {
namespace {

namespace fs = std::filesystem;

// Bytes of DIR's name kept in its staging folders' names: with the ".partial-" part and a process
// id they stay within the 255 bytes a file name may have.
constexpr std::size_t kNameKept = 200;

// ".NAME.partial-PID" (the new folder) and ".NAME.partial-old-PID" (DIR moved aside): hidden
// beside DIR, named after it so that a later run finds what a killed run of the same DIR left.
// The pattern of such a name, NAME captured.
const std::string kStagingName = R"(\.([^/]+)\.partial-(old-)?[0-9]+)";
std::string staging_prefix(const fs::path& dir) {
  return "." + dir.filename().string().substr(0, kNameKept) + ".partial-";
}

fs::path normalised(const fs::path& dir) {
  if (dir.empty()) return dir;  // refused by the constructor, with the option's name
  // Through symbolic links: "out" linking to a folder on another disk is replaced there, and the
  // link stays a link.
  // A path that cannot be resolved (a symlink loop) is compared as written; reading or writing it
  // later names the loop.
  std::error_code error;
  fs::path out = fs::weakly_canonical(fs::absolute(dir), error);
  if (error) out = fs::absolute(dir);
  out = out.lexically_normal();
  if (out.filename().empty()) out = out.parent_path();  // "out/avatar/" names "out/avatar"
  return out;
}

bool matches(const std::string& name, const std::vector<std::regex>& patterns) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::regex& pattern) { return std::regex_match(name, pattern); });
}

std::vector<std::regex> compiled(const std::vector<std::string>& patterns) {
  return {patterns.begin(), patterns.end()};
}

// The first entry under `dir` that `layout` does not name ("" when none), as a path inside it.
std::string foreign_entry(const fs::path& dir, const OutputLayout& layout) {
  const auto files = compiled(layout.files), folders = compiled(layout.folders),
             folder_files = compiled(layout.folder_files);
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (matches(name, files) && entry.is_regular_file()) continue;
    if (!matches(name, folders) || entry.is_symlink() || !entry.is_directory()) return name;
    for (const auto& inner : fs::directory_iterator(entry.path())) {
      const std::string inner_name = inner.path().filename().string();
      if (!matches(inner_name, folder_files) || !inner.is_regular_file())
        return name + "/" + inner_name;
    }
  }
  return {};
}

// The process id of `name` when it is one of DIR's staging folders (`prefix` then the id, or
// "old-" then the id), else 0. Exact: ".a.partial-5.partial-9" is item "a.partial-5"'s, not "a"'s.
pid_t owner_of(const std::string& name, const std::string& prefix) {
  if (name.rfind(prefix, 0) != 0) return 0;
  std::string rest = name.substr(prefix.size());
  if (rest.rfind("old-", 0) == 0) rest = rest.substr(4);
  const auto pid = parse_decimal(rest);
  return pid && *pid > 0 ? static_cast<pid_t>(*pid) : 0;
}

}  // namespace

void clean_up_after_ended_runs(const fs::path& dir) {
  std::error_code error;
  const std::string prefix = staging_prefix(dir);
  if (!fs::is_directory(dir.parent_path(), error)) return;
  std::vector<fs::path> ended;
  for (const auto& entry : fs::directory_iterator(dir.parent_path(), error)) {
    const pid_t owner = owner_of(entry.path().filename().string(), prefix);
    if (owner > 0 && !process_running(owner)) ended.push_back(entry.path());
  }
  for (const fs::path& path : ended) {
    const bool aside = path.filename().string().rfind(prefix + "old-", 0) == 0;
    if (aside && !fs::exists(dir, error)) {
      fs::rename(path, dir, error);
      if (!error) continue;
    }
    fs::remove_all(path, error);
  }
}

std::set<std::string> folders_with_staging(const fs::path& parent) {
  static const std::regex staging(kStagingName);
  std::set<std::string> names;
  std::error_code error;
  std::smatch match;
  for (const auto& entry : fs::directory_iterator(parent, error)) {
    const std::string name = entry.path().filename().string();
    if (std::regex_match(name, match, staging)) names.insert(match[1]);
  }
  return names;
}

void check_folder_can_be_made(const fs::path& dir, const std::string& option) {
  if (dir.empty()) throw UsageError(option + ": expected a folder, got ''");
  std::error_code error;
  for (fs::path at = fs::absolute(dir).parent_path(); !at.empty(); at = at.parent_path()) {
    if (!fs::exists(at, error)) continue;
    if (!fs::is_directory(at, error))
      throw UsageError(option + " " + dir.string() + ": " + at.string() + " is not a folder");
    return;  // the nearest existing folder above: the rest can be made
  }
}

void check_replaceable(const fs::path& dir, const OutputLayout& layout, const std::string& option) {
  if (dir.empty()) throw UsageError(option + ": expected a folder, got ''");
  const fs::path target = normalised(dir);
  // Replacing the folder a shell stands in (".", or one above it) would leave the shell in a
  // deleted folder; the file system's root cannot be replaced at all.
  if (lies_within(fs::current_path(), target)) {
    throw UsageError(option + " " + dir.string() +
                     ": the current folder or one above it; give a folder of its own, such as " +
                     (fs::path(dir) / "out").string());
  }
  std::error_code error;
  if (fs::is_symlink(target, error) && !fs::exists(target, error)) {
    throw UsageError(option + " " + dir.string() + ": a link to " +
                     fs::read_symlink(target).string() + ", which does not exist");
  }
  check_folder_can_be_made(dir, option);
  if (fs::exists(target, error)) {
    if (!fs::is_directory(target)) {
      throw UsageError(option + " " + dir.string() + ": exists and is not a folder");
    }
    const std::string foreign = foreign_entry(target, layout);
    if (!foreign.empty()) {
      throw UsageError(option + " " + dir.string() + " holds '" + foreign +
                       "', which this command does not write; the folder is replaced as a "
                       "whole, so choose an empty or new folder");
    }
  }
}

StagedFolder::StagedFolder(const fs::path& dir, const OutputLayout& layout,
                           const std::string& option, bool clean_up_ended_runs)
    : given_(dir), dir_(normalised(dir)) {
  check_replaceable(dir, layout, option);
  if (clean_up_ended_runs)
    clean_up_after_ended_runs(dir_);  // may put back a DIR a kill moved aside: tera's own files
  staging_ = dir_.parent_path() / (staging_prefix(dir_) + std::to_string(::getpid()));
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

bool lies_within(const fs::path& path, const fs::path& folder) {
  const fs::path outer = normalised(folder), inner = normalised(path);
  if (outer.empty() || inner.empty()) return false;
  return std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end()).first == outer.end();
}

std::string as_published(const std::string& message) {
  // Staging folders are absolute paths ("/x/.out.partial-123"), inside a message or in brackets.
  static const std::regex staging("/" + kStagingName + R"((/|\]|\s|$))");
  return std::regex_replace(message, staging, "/$1$3");
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
