// Exceptions thrown by libtera. The library never exits; the CLI maps each kind to an exit code.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace tera {

// Documented exit codes of the `tera` binary (docs/cli.md).
enum class ExitCode : int {
  kOk = 0,
  kRuntime = 1,        // anything unexpected
  kUsage = 2,          // bad command line: unknown option, bad value
  kModelPackage = 3,   // a broken model package
  kInputFile = 4,      // a corrupt, truncated or unreadable input file
  kBatchFailures = 5,  // a batch finished, but some items failed
  kBelowThreshold = 6  // compare: an image below --min-psnr/--min-ssim, or missing on one side
};

// Base class of every error libtera throws; what() is a complete sentence for the user.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, ExitCode code = ExitCode::kRuntime)
      : std::runtime_error(message), code_(code) {}
  ExitCode code() const noexcept { return code_; }

 private:
  ExitCode code_;
};

// A bad option or option value.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(message, ExitCode::kUsage) {}
  // A bad value of the library parameter `parameter` ("steps", "device", "part", ...): what() is
  // "PARAMETER: DETAIL". A front end names its own option for the parameter instead (the CLI's
  // --steps, --device ...), so the library never names command-line flags.
  UsageError(const std::string& parameter, const std::string& detail)
      : Error(parameter + ": " + detail, ExitCode::kUsage),
        parameter_(parameter),
        detail_(detail) {}
  const std::string& parameter() const noexcept { return parameter_; }  // empty for a plain message
  const std::string& detail() const noexcept { return detail_; }

 private:
  std::string parameter_, detail_;
};

// A broken model package: missing file, bad checksum, wrong shapes.
class ModelError : public Error {
 public:
  explicit ModelError(const std::string& message) : Error(message, ExitCode::kModelPackage) {}
};

// A corrupt, truncated or unreadable input file. The message names the file, where in the file
// (byte offset or header line) and what was expected there.
class InputError : public Error {
 public:
  explicit InputError(const std::string& message) : Error(message, ExitCode::kInputFile) {}
};

// `text` (a file's bytes, a user's name) made safe to print in a message: control bytes shown as
// \xNN, so that what a file holds cannot move the terminal's cursor or hide the rest of the line.
std::string printable(const std::string& text);

// Builds "FILE: at byte OFFSET: WHAT" messages for InputError.
std::string at_byte(const std::string& file, std::uint64_t offset, const std::string& what);
// Builds "FILE: header line LINE: WHAT" messages for InputError.
std::string at_line(const std::string& file, std::size_t line, const std::string& what);

}  // namespace tera
