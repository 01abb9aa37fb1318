// Helpers shared by the test suites.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "tera/core/gaussian_set.h"

namespace tera::test {

// A fresh empty folder under the system temp dir, removed when the object goes away.
class TempDir {
 public:
  explicit TempDir(const std::string& tag);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Result of running a command through the shell.
struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `command` with /bin/sh, capturing stdout and stderr together.
CommandResult run_command(const std::string& command);
// Runs the real `tera` binary with the given argument string.
CommandResult run_tera(const std::string& arguments);

// A random but valid GaussianSet with `n` Gaussians of SH degree `degree` (fixed seed).
GaussianSet random_gaussians(std::size_t n, int degree, unsigned seed);

// Rotation matrix (row-major [9], double) of a (w, x, y, z) quaternion [4], normalised first:
// q and -q give the same matrix, so rotations can be compared this way.
std::array<double, 9> rotation_matrix(const float* q);

// Path of a JavaScript tool unpacked by scripts/test.sh (.deps/npm), or empty when absent.
std::filesystem::path npm_tool(const std::string& name);
// True when scripts/test.sh asked for third-party tools to be present (TERA_REQUIRE_NPM_TOOLS=1):
// then a missing tool fails the test instead of skipping it.
bool npm_tools_required();

}  // namespace tera::test
