// Third-party readers agree with our files: Khronos' gltf-validator accepts our .glb, and
// PlayCanvas splat-transform (which reads .spz through Niantic's own decoder) reads our .ply,
// .splat and .spz with the same count, bounds and per-Gaussian values. scripts/test.sh unpacks
// the tools from ../shared/vendor/npm-tools.tar.xz into .deps/npm; without them these tests skip
// (or fail when TERA_REQUIRE_NPM_TOOLS=1).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "io/io_test_util.h"
#include "support/require_tool.h"
#include "support/test_support.h"
#include "tera/core/frame.h"
#include "tera/io/gaussian_io.h"

namespace tera {
namespace {

std::string node_path() {
  const test::CommandResult found = test::run_command("command -v node");
  std::string path = found.output;
  while (!path.empty() && (path.back() == '\n' || path.back() == '\r')) path.pop_back();
  return found.exit_code == 0 ? path : std::string();
}

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

TEST(ThirdParty, GltfValidatorReportsOnlyTheUnknownExtensionAndItsAttributes) {
  const std::filesystem::path module =
      std::filesystem::path(TERA_NPM_BIN_DIR).parent_path() / "gltf-validator";
  const std::string node = node_path();
  TERA_REQUIRE_TOOL(!node.empty(), "node is not on PATH");
  TERA_REQUIRE_TOOL(std::filesystem::exists(module / "package.json"),
                    "gltf-validator is not installed in " + module.string());
  for (int degree : {0, 3}) {
    SCOPED_TRACE("SH degree " + std::to_string(degree));
    test::TempDir dir("validator");
    write_gaussians(test::random_gaussians(200, degree, 31), dir / "a.glb");
    const test::CommandResult result =
        test::run_command("'" + node + "' " + quoted(TERA_VALIDATE_GLTF_SCRIPT) + " " +
                          quoted(module) + " " + quoted(dir / "a.glb"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    const nlohmann::json report = nlohmann::json::parse(result.output);
    const auto& messages = report["issues"]["messages"];
    int attribute_messages = 0;
    for (const auto& message : messages) {
      const std::string code = message["code"];
      const std::string pointer = message.value("pointer", "");
      if (code == "UNSUPPORTED_EXTENSION") continue;
      if (code == "MESH_PRIMITIVE_INVALID_ATTRIBUTE" &&
          pointer.find("KHR_gaussian_splatting:") != std::string::npos) {
        ++attribute_messages;
        continue;
      }
      ADD_FAILURE() << "unexpected validator message: " << message.dump();
    }
    std::printf(
        "gltf-validator: %d errors, %d warnings, %d infos, %d hints; %d about the extension's "
        "attributes\n",
        report["issues"]["numErrors"].get<int>(), report["issues"]["numWarnings"].get<int>(),
        report["issues"]["numInfos"].get<int>(), report["issues"]["numHints"].get<int>(),
        attribute_messages);
  }
}

// A CSV written by splat-transform: column name -> values.
std::map<std::string, std::vector<double>> read_csv(const std::filesystem::path& path) {
  std::map<std::string, std::vector<double>> columns;
  std::istringstream in(test::slurp(path));
  std::string line;
  std::getline(in, line);
  std::vector<std::string> names;
  std::istringstream header(line);
  for (std::string name; std::getline(header, name, ',');) names.push_back(name);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream row(line);
    std::string cell;
    for (const auto& name : names) {
      std::getline(row, cell, ',');
      columns[name].push_back(std::stod(cell));
    }
  }
  return columns;
}

struct Axes {
  float sign[3];  // splat-transform's coordinate = sign * the file's stored coordinate
};

// Reads our `file` through splat-transform into CSV and compares it, row by row and in bounds,
// with our own reading of the same file in its stored frame (`stored_to_theirs` maps the axes).
void compare_with_splat_transform(const std::filesystem::path& tool,
                                  const std::filesystem::path& file, const Axes& stored_to_theirs,
                                  const Bounds& original, float quantisation,
                                  float position_tolerance, float alpha_tolerance,
                                  float rotation_tolerance) {
  const std::filesystem::path csv = file.parent_path() / (file.filename().string() + ".csv");
  const test::CommandResult result =
      test::run_command(quoted(tool) + " -w " + quoted(file) + " " + quoted(csv));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const auto columns = read_csv(csv);
  ReadOptions raw;
  raw.frame = Frame::kYUp;  // in-memory frame = file frame: the coordinates exactly as stored
  const GaussianSet stored = read_gaussians(file, raw);
  ASSERT_EQ(columns.at("x").size(), stored.size()) << "count";

  const Bounds bounds = stored.bounds();
  const char* axis_names[3] = {"x", "y", "z"};
  for (int a = 0; a < 3; ++a) {
    // What the file stores is the written set within the format's position quantisation.
    EXPECT_NEAR(bounds.min[a], original.min[a], quantisation) << "stored min " << axis_names[a];
    EXPECT_NEAR(bounds.max[a], original.max[a], quantisation) << "stored max " << axis_names[a];
    const auto& values = columns.at(axis_names[a]);
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    const float s = stored_to_theirs.sign[a];
    const float want_lo = s > 0 ? bounds.min[a] : -bounds.max[a];
    const float want_hi = s > 0 ? bounds.max[a] : -bounds.min[a];
    EXPECT_NEAR(*lo, want_lo, position_tolerance) << "min " << axis_names[a];
    EXPECT_NEAR(*hi, want_hi, position_tolerance) << "max " << axis_names[a];
    std::printf("%s %s: splat-transform [%.6f, %.6f], stored [%.6f, %.6f]\n",
                file.filename().c_str(), axis_names[a], *lo, *hi, bounds.min[a], bounds.max[a]);
  }
  const int k = stored.sh_coeffs();
  for (std::size_t i = 0; i < stored.size(); ++i) {
    SCOPED_TRACE("Gaussian " + std::to_string(i));
    for (int a = 0; a < 3; ++a) {
      ASSERT_NEAR(columns.at(axis_names[a])[i],
                  stored_to_theirs.sign[a] * stored.positions[i * 3 + a], position_tolerance);
      ASSERT_NEAR(columns.at("scale_" + std::to_string(a))[i], stored.log_scales[i * 3 + a], 1e-5);
      ASSERT_NEAR(columns.at("f_dc_" + std::to_string(a))[i], stored.sh[i * k * 3 + a], 1e-5);
    }
    ASSERT_NEAR(test::sigmoid_ref(static_cast<float>(columns.at("opacity")[i])),
                test::sigmoid_ref(stored.opacity_logits[i]), alpha_tolerance);
    // Rotations: a turn of the axes by diag(s) maps the quaternion's vector part the same way
    // when det = +1 (180 degrees about x for RUB -> RDF), and leaves w alone.
    const auto q = test::unit_quaternion(stored, i);
    double theirs[4];
    for (int a = 0; a < 4; ++a) theirs[a] = columns.at("rot_" + std::to_string(a))[i];
    const double norm = std::sqrt(theirs[0] * theirs[0] + theirs[1] * theirs[1] +
                                  theirs[2] * theirs[2] + theirs[3] * theirs[3]);
    const double sign = theirs[0] < 0 ? -1.0 : 1.0;
    ASSERT_NEAR(sign * theirs[0] / norm, q[0], rotation_tolerance);
    for (int a = 0; a < 3; ++a) {
      ASSERT_NEAR(sign * theirs[a + 1] / norm, stored_to_theirs.sign[a] * q[a + 1],
                  rotation_tolerance);
    }
  }
}

TEST(ThirdParty, SplatTransformReadsOurPlySplatAndSpz) {
  const std::filesystem::path tool = test::npm_tool("splat-transform");
  TERA_REQUIRE_TOOL(!tool.empty(), "splat-transform is not installed in " TERA_NPM_BIN_DIR);
  TERA_REQUIRE_TOOL(!node_path().empty(), "node is not on PATH");
  test::TempDir dir("splat-transform");
  const GaussianSet set = test::random_gaussians(500, 1, 41);
  for (const char* file : {"a.ply", "a.splat", "a.spz"}) write_gaussians(set, dir / file);
  GaussianSet y_down = set;
  rotate_180_about_x(y_down);
  const Bounds y_down_bounds = y_down.bounds();  // what .ply and .splat store by default
  const Bounds y_up_bounds = set.bounds();       // what .spz stores by default
  // .ply and .splat are read as stored (no axis change): positions match exactly.
  {
    SCOPED_TRACE("ply");
    // .ply stores float32 positions: no quantisation.
    compare_with_splat_transform(tool, dir / "a.ply", Axes{{1, 1, 1}}, y_down_bounds, 0.f, 1e-6f,
                                 1e-6f, 1e-6f);
  }
  {
    SCOPED_TRACE("splat");
    // Alpha bytes 0 and 255: splat-transform clamps to 1e-6, we clamp half a step: 0.5/255.
    // Rotation bytes: the writer's convention (antimatter15's) is b = q*128 + 128, decoded as
    // (b - 128) / 128; splat-transform decodes b / 127.5 - 1, which differs by b * 3.1e-5 <= 0.0078
    // per component before normalisation, so allow the same 0.012 as the .splat round trip.
    compare_with_splat_transform(tool, dir / "a.splat", Axes{{1, 1, 1}}, y_down_bounds, 0.f, 1e-6f,
                                 0.5f / 255 + 1e-6f, 0.012f);
  }
  {
    SCOPED_TRACE("spz");
    // splat-transform decodes .spz (stored RUB) into the y-down PLY frame (RDF): (x, -y, -z).
    // Both decoders turn the same fixed-point integers into floats: 1e-6 covers rounding.
    // Niantic's decoder unpacks the same smallest-three bits: rotations agree to float rounding.
    // Stored positions are within half a step (1/8192 m) of the written set.
    compare_with_splat_transform(tool, dir / "a.spz", Axes{{1, -1, -1}}, y_up_bounds,
                                 0.5f / 4096 + 1e-6f, 1e-6f, 0.5f / 255 + 1e-6f, 1e-5f);
  }
  {
    SCOPED_TRACE("a .ply written by splat-transform from our .spz");
    // A third-party writer: our reader takes its .ply (float properties in its own order), and
    // finds the .spz positions in splat-transform's RDF axes: (x, -y, -z).
    const test::CommandResult result = test::run_command(
        quoted(tool) + " -w " + quoted(dir / "a.spz") + " " + quoted(dir / "from_spz.ply"));
    ASSERT_EQ(result.exit_code, 0) << result.output;
    ReadOptions raw;
    raw.frame = Frame::kYUp;
    const GaussianSet spz = read_gaussians(dir / "a.spz", raw);
    const GaussianSet ply = read_gaussians(dir / "from_spz.ply", raw);
    ASSERT_EQ(ply.size(), spz.size());
    EXPECT_EQ(ply.sh_degree, 1);
    const float sign[3] = {1.f, -1.f, -1.f};
    for (std::size_t i = 0; i < spz.size(); ++i) {
      for (int a = 0; a < 3; ++a) {
        ASSERT_NEAR(ply.positions[i * 3 + a], sign[a] * spz.positions[i * 3 + a], 1e-6f)
            << "Gaussian " << i;
        ASSERT_NEAR(ply.log_scales[i * 3 + a], spz.log_scales[i * 3 + a], 1e-5f)
            << "Gaussian " << i;
      }
    }
    // RDF is tera's y-down frame: read with each format's default frame, splat-transform's .ply
    // and our own .ply hold the same avatar, the same way round (within .spz's position step).
    const GaussianSet theirs = read_gaussians(dir / "from_spz.ply");
    const GaussianSet ours = read_gaussians(dir / "a.ply");
    ASSERT_EQ(theirs.size(), ours.size());
    for (std::size_t i = 0; i < ours.positions.size(); ++i) {
      ASSERT_NEAR(theirs.positions[i], ours.positions[i], 0.5f / 4096 + 1e-6f)
          << "coordinate " << i;
    }
  }
}

}  // namespace
}  // namespace tera
