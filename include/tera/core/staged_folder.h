// An output folder written as a whole. A command writes into a staging folder beside its output
// folder DIR, and publish() puts it in DIR's place at the end: a run that fails or is killed
// leaves DIR as it was, and a rerun never leaves the previous run's files beside the new ones.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace tera {

class StagedFolder {
 public:
  // `dir`: the output folder, the value of `option`; `ours`: whole-name regular expressions of
  // the entries the command writes there ("view_[0-9]+\\.png"). Throws UsageError naming `option`
  // when DIR is empty, the current folder or one above it, exists but is not a folder, or holds an
  // entry `ours` does not match (the user's own files, which replacing the folder would delete),
  // and Error when the staging folder cannot be made (an unwritable place fails here, before any
  // work). Removes the staging folders of DIR that killed runs left.
  StagedFolder(const std::filesystem::path& dir, const std::vector<std::string>& ours,
               const std::string& option);
  // Removes the staging folder unless publish() succeeded.
  ~StagedFolder();
  StagedFolder(const StagedFolder&) = delete;
  StagedFolder& operator=(const StagedFolder&) = delete;

  // Where to write the files.
  const std::filesystem::path& path() const { return staging_; }
  // The path a file written at `written` (under path()) will have once published.
  std::filesystem::path published(const std::filesystem::path& written) const;
  // Puts the staging folder in DIR's place; DIR's previous entries are removed.
  void publish();

 private:
  std::filesystem::path given_;  // DIR as the user wrote it: what published() names
  std::filesystem::path dir_, staging_;
  bool published_ = false;
};

// Moves the complete folder `staged` to `final_dir`, replacing an existing folder there (renamed
// to `aside` first, then removed), so `final_dir` is always either the old folder or the new one.
void replace_folder(const std::filesystem::path& staged, const std::filesystem::path& final_dir,
                    const std::filesystem::path& aside);

}  // namespace tera
