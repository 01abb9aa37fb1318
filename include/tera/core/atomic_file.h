// Writes a file through a temporary file in the same folder and an atomic rename, so readers never
// see a half-written file and an existing file is replaced only by a complete one.
#pragma once

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <string>

namespace tera {

class AtomicFile {
 public:
  // Creates missing parent folders, then opens "<path>.tmp-<random>" for binary writing; throws
  // tera::Error naming the path on failure. An interrupt removes the temporary file
  // (interrupt_cleanup.h) where the program installed the handler.
  explicit AtomicFile(const std::filesystem::path& path);
  // Removes the temporary file unless commit() succeeded.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, std::size_t bytes);
  void write(const std::string& text) { write(text.data(), text.size()); }
  // Flushes, fsyncs, closes and renames the temporary file onto the target path.
  void commit();

  const std::filesystem::path& path() const { return path_; }
  const std::filesystem::path& temp_path() const { return temp_path_; }

 private:
  std::filesystem::path path_;
  std::filesystem::path temp_path_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
  int interrupt_ticket_ = -1;  // the temporary file's registration with interrupt_cleanup.h
};

// Writes `bytes` to `path` atomically (AtomicFile in one call).
void write_file_atomic(const std::filesystem::path& path, const void* data, std::size_t bytes);

// Removes the temporary files of `path` that processes no longer running left (a SIGKILL between
// writing and renaming leaves one, which no handler can remove). Those of running processes stay,
// unless `sole_writer`: a caller holding a lock that makes it the only writer of `path` (a batch
// shard's report) removes them all, whatever process now has the pid they name (a container's 1).
void remove_temp_files_of_ended_runs(const std::filesystem::path& path, bool sole_writer = false);

// Whether process `pid` runs on this machine (a process of another user counts).
bool process_running(long long pid);

// The type of input `path` (file_type::not_found when it is missing), read without a
// filesystem_error: a symlink loop or a folder without permission throws InputError naming the
// path and the reason in words, followed by `context`.
std::filesystem::file_type input_file_type(const std::filesystem::path& path,
                                           const std::string& context = "");

// Reads a whole file; throws InputError naming the file when it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace tera
