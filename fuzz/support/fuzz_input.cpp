#include "support/fuzz_input.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <spdlog/spdlog.h>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <unistd.h>

namespace tera::fuzz {
namespace {

namespace fs = std::filesystem;

// Removes the input folders of fuzzing processes that have ended: libFuzzer leaves through _Exit
// (at -max_total_time, on a crash), which skips the atexit removal below.
void remove_ended_folders(const fs::path& base) {
  constexpr std::string_view kPrefix = "tera-fuzz-";
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(base, error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(kPrefix, 0) != 0) continue;
    const std::string digits = name.substr(kPrefix.size());
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::strtol(digits.c_str(), nullptr, 10);
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // alive, or not ours
    std::error_code ignored;
    fs::remove_all(entry.path(), ignored);
  }
}

std::filesystem::path make_input_folder() {
  const fs::path base =
      fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
  remove_ended_folders(base);
  fs::path folder = base / ("tera-fuzz-" + std::to_string(::getpid()));
  fs::create_directories(folder);
  std::atexit([] {
    std::error_code ignored;
    fs::remove_all(input_folder(), ignored);
  });
  return folder;
}

}  // namespace

const std::filesystem::path& input_folder() {
  static const std::filesystem::path folder = make_input_folder();
  return folder;
}

std::filesystem::path write_input(const std::string& name, std::string_view bytes) {
  const std::filesystem::path path = input_folder() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out)
    throw std::runtime_error("fuzz harness: cannot write " +
                             path.string());  // not the reader's fault: stop loudly
  return path;
}

void remove_input(const std::string& name) {
  std::error_code ignored;
  std::filesystem::remove(input_folder() / name, ignored);
}

SplitInput split_input(const std::uint8_t* data, std::size_t size, std::string_view separator) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const std::size_t at = all.find(separator);
  if (at == std::string_view::npos) return {all, {}, false};
  return {all.substr(0, at), all.substr(at + separator.size()), true};
}

void silence_logging() { spdlog::set_level(spdlog::level::off); }

}  // namespace tera::fuzz
