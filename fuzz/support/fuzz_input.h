// What every fuzz target shares: the fuzz input written to a file that the real path reader opens
// (one implementation of each reader, the file system included), and the rule a reader is held to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace tera::fuzz {

// This process's folder for input files: /dev/shm/tera-fuzz-<pid> (memory, no disk), or under
// $TMPDIR when /dev/shm is missing. Made on first use, removed at exit.
const std::filesystem::path& input_folder();

// Writes `bytes` to input_folder()/name (replacing it) and returns the path.
std::filesystem::path write_input(const std::string& name, std::string_view bytes);

// Removes input_folder()/name if it exists (an input that lacks one of several files).
void remove_input(const std::string& name);

// Runs `read`. A tera::Error is the reader refusing the input, which is what it must do with
// anything bad; any other exception escapes, and libFuzzer reports it as a finding (crash).
template <typename Read>
void refuse_or_read(Read&& read);

// The input split at the first `separator`: `first` before it, `second` after it (`found` false and
// `second` empty without one). Targets that read several files take them from one input this way.
struct SplitInput {
  std::string_view first, second;
  bool found = false;
};
SplitInput split_input(const std::uint8_t* data, std::size_t size, std::string_view separator);

// Quiet logging: readers' warnings (e.g. dropped non-finite Gaussians) would flood the output.
void silence_logging();

}  // namespace tera::fuzz

#include "support/fuzz_input_inl.h"
