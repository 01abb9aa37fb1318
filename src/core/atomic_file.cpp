#include "tera/core/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <signal.h>
#include <sstream>
#include <system_error>
#include <unistd.h>
#include <vector>

#include "tera/core/decimal.h"
#include "tera/core/error.h"
#include "tera/core/interrupt_cleanup.h"

namespace tera {
namespace {

std::string errno_text() { return std::strerror(errno); }

// A suffix that keeps concurrent writers of the same path (e.g. batch shards) apart.
std::string temp_suffix() {
  std::random_device device;
  std::ostringstream out;
  out << ".tmp-" << ::getpid() << "-" << std::hex << device();
  return out.str();
}

}  // namespace

std::filesystem::file_type input_file_type(const std::filesystem::path& path,
                                           const std::string& context) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (error && error != std::errc::no_such_file_or_directory)
    throw InputError(path.string() + ": " + error.message() + context);
  return status.type();
}

bool process_running(long long pid) {
  return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

void remove_temp_files_of_ended_runs(const std::filesystem::path& path, bool sole_writer) {
  namespace fs = std::filesystem;
  const std::string prefix = path.filename().string() + ".tmp-";  // then "<pid>-<hex>"
  const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code error;
  std::vector<fs::path> ended;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string rest = name.substr(prefix.size());
    const auto dash = rest.find('-');
    const auto pid = parse_decimal(rest.substr(0, dash));
    if (dash != std::string::npos && pid &&
        (sole_writer || !process_running(static_cast<long long>(*pid))))
      ended.push_back(entry.path());
  }
  for (const fs::path& temp : ended) fs::remove(temp, error);
}

AtomicFile::AtomicFile(const std::filesystem::path& path) : path_(path) {
  const std::filesystem::path parent = path.parent_path();
  std::error_code error;
  if (!parent.empty() && !std::filesystem::is_directory(parent, error)) {
    std::filesystem::create_directories(parent, error);
    if (error)
      throw Error("cannot create the folder " + parent.string() + " for " + path.string() + ": " +
                  error.message());
  }
  temp_path_ = path;
  temp_path_ += temp_suffix();
  file_ = std::fopen(temp_path_.c_str(), "wb");
  if (file_ == nullptr) {
    throw Error("cannot create " + temp_path_.string() + " (for " + path.string() +
                "): " + errno_text());
  }
  interrupt_ticket_ = remove_on_interrupt(temp_path_);
}

AtomicFile::~AtomicFile() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_) {
    std::error_code ignored;
    std::filesystem::remove(temp_path_, ignored);
  }
  forget_on_interrupt(interrupt_ticket_);
}

void AtomicFile::write(const void* data, std::size_t bytes) {
  if (file_ == nullptr) throw Error("write to " + path_.string() + " after commit");
  if (bytes > 0 && std::fwrite(data, 1, bytes, file_) != bytes) {
    throw Error("cannot write " + path_.string() + ": " + errno_text());
  }
}

void AtomicFile::commit() {
  if (file_ == nullptr) throw Error("commit of " + path_.string() + " twice");
  const bool flushed = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!flushed || !closed)
    throw Error("cannot finish writing " + path_.string() + ": " + errno_text());
  std::error_code error;
  std::filesystem::rename(temp_path_, path_, error);
  if (error)
    throw Error("cannot rename " + temp_path_.string() + " to " + path_.string() + ": " +
                error.message());
  committed_ = true;
}

void write_file_atomic(const std::filesystem::path& path, const void* data, std::size_t bytes) {
  AtomicFile file(path);
  file.write(data, bytes);
  file.commit();
}

std::string read_file(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw InputError(path.string() + ": is a directory, expected a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot open for reading: " + errno_text());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw InputError(path.string() + ": read error: " + errno_text());
  return buffer.str();
}

}  // namespace tera
