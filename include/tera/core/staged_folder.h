// An output folder written as a whole. A command writes into a staging folder beside its output
// folder DIR, and publish() puts it in DIR's place at the end: a run that fails or is killed
// leaves DIR as it was, and a rerun never leaves the previous run's files beside the new ones.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace tera {

// What a command writes into its output folder, as whole-name regular expressions: the files at
// its top ("view_[0-9]+\\.png"), and its subfolders ("variation_[0-9]+") with the files in them.
struct OutputLayout {
  std::vector<std::string> files;
  std::vector<std::string> folders = {};
  std::vector<std::string> folder_files = {};
};

class StagedFolder {
 public:
  // `dir`: the output folder, the value of `option`. Throws UsageError naming `option` when DIR is
  // empty, the current folder or one above it, a link to nothing, exists but is not a folder, or
  // holds anything `layout` does not name (the user's own files, which replacing the folder would
  // delete: a file at the top or in a subfolder, a folder where a file belongs), and Error when
  // the staging folder cannot be made (an unwritable place fails here, before any work). Removes
  // the staging folders of DIR whose runs have ended, and puts back a DIR that a run killed
  // between publish()'s two renames had moved aside, unless `clean_up_ended_runs` is false: a
  // batch does that for all its items from one listing of the output folder (each item's own
  // would list the whole folder, N x N entries over a run).
  StagedFolder(const std::filesystem::path& dir, const OutputLayout& layout,
               const std::string& option, bool clean_up_ended_runs = true);
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

// Throws UsageError naming `option` when `dir` is empty, or a file stands where a folder above it
// would be, so that the folder could not be made.
void check_folder_can_be_made(const std::filesystem::path& dir, const std::string& option);

// The checks StagedFolder makes before it writes anything: throws UsageError naming `option` when
// `dir` is empty, the current folder or one above it, a link to nothing, exists but is not a
// folder, lies under a file, or holds anything `layout` does not name. A caller that replaces many
// folders (a batch's items) asks before its work, and fails the one folder alone.
void check_replaceable(const std::filesystem::path& dir, const OutputLayout& layout,
                       const std::string& option);

// Removes the staging folders of `dir` that ended runs left (a run still writing one keeps it),
// and puts back a DIR that a run killed between publish()'s renames moved aside when DIR is
// missing: it is the last complete DIR. StagedFolder does this for its DIR; a batch does it for
// the items it skips as finished, whose folders it never writes again.
void clean_up_after_ended_runs(const std::filesystem::path& dir);

// The names of the folders in `parent` that have staging folders beside them, of any run (as the
// staging folders carry them: the first 200 bytes). One listing of `parent` tells a caller with
// many folders there (a batch's items) which of them clean_up_after_ended_runs need visit.
std::set<std::string> folders_with_staging(const std::filesystem::path& parent);

// Whether `path` is `folder` or lies inside it, both taken through links: replacing `folder`
// as a whole would take `path` with it.
bool lies_within(const std::filesystem::path& path, const std::filesystem::path& folder);

// `message` with every path into a staging folder named as it will be once published
// ("/x/.out.partial-123/avatar.ply" -> "/x/out/avatar.ply"): an error about a file a command was
// writing names the file the user asked for, not a hidden folder that is gone by then.
std::string as_published(const std::string& message);

// Moves the complete folder `staged` to `final_dir`, replacing an existing folder there (renamed
// to `aside` first, then removed), so `final_dir` is always either the old folder or the new one.
void replace_folder(const std::filesystem::path& staged, const std::filesystem::path& final_dir,
                    const std::filesystem::path& aside);

}  // namespace tera
