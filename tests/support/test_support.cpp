#include "test_support.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <sys/wait.h>

namespace tera::test {

TempDir::TempDir(const std::string& tag) {
  std::random_device device;
  path_ = std::filesystem::temp_directory_path() /
          ("tera-test-" + tag + "-" + std::to_string(device()) + std::to_string(device()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

CommandResult run_command(const std::string& command) {
  CommandResult result;
  const std::string full = command + " 2>&1";
  std::FILE* pipe = ::popen(full.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  std::size_t got = 0;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.output.append(buffer.data(), got);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

CommandResult run_tera(const std::string& arguments) {
  return run_command(std::string("'") + TERA_CLI_PATH + "' " + arguments);
}

GaussianSet random_gaussians(std::size_t n, int degree, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> unit(-1.f, 1.f);
  GaussianSet set;
  set.resize(n, degree);
  for (std::size_t i = 0; i < n; ++i) {
    for (int a = 0; a < 3; ++a) {
      set.positions[i * 3 + a] = unit(rng);
      set.log_scales[i * 3 + a] = -4.f + unit(rng);
    }
    for (int a = 0; a < 4; ++a) set.rotations[i * 4 + a] = unit(rng);
    set.rotations[i * 4] += 2.f;  // keeps the quaternion away from zero
    set.opacity_logits[i] = 3.f * unit(rng);
    for (int k = 0; k < set.sh_coeffs() * 3; ++k) {
      set.sh[i * set.sh_coeffs() * 3 + k] = (k < 3 ? 1.5f : 0.3f) * unit(rng);
    }
  }
  return set;
}

std::array<double, 9> rotation_matrix(const float* q) {
  const double n = std::sqrt(double(q[0]) * q[0] + double(q[1]) * q[1] + double(q[2]) * q[2] +
                             double(q[3]) * q[3]);
  const double w = q[0] / n, x = q[1] / n, y = q[2] / n, z = q[3] / n;
  return {1 - 2 * (y * y + z * z), 2 * (x * y - w * z),     2 * (x * z + w * y),
          2 * (x * y + w * z),     1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
          2 * (x * z - w * y),     2 * (y * z + w * x),     1 - 2 * (x * x + y * y)};
}

std::filesystem::path npm_tool(const std::string& name) {
  const std::filesystem::path path = std::filesystem::path(TERA_NPM_BIN_DIR) / name;
  return std::filesystem::exists(path) ? path : std::filesystem::path();
}

bool npm_tools_required() {
  const char* value = std::getenv("TERA_REQUIRE_NPM_TOOLS");
  return value != nullptr && std::string(value) == "1";
}

}  // namespace tera::test
