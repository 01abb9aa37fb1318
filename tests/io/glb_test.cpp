// Conformance of the .glb writer: the JSON and binary chunks are parsed here with nlohmann::json
// and raw offsets, independently of tinygltf and of our reader.
#include <cstring>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "io/io_test_util.h"
#include "support/test_support.h"
#include "tera/core/error.h"
#include "tera/core/frame.h"
#include "tera/io/gaussian_io.h"

namespace tera {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

struct Glb {
  Json json;
  std::string bin;
};

Glb parse_glb(const std::string& bytes) {
  Glb glb;
  EXPECT_EQ(bytes.substr(0, 4), "glTF");
  EXPECT_EQ(test::u32_at(bytes, 4), 2u);
  EXPECT_EQ(test::u32_at(bytes, 8), bytes.size());
  const std::uint32_t json_length = test::u32_at(bytes, 12);
  EXPECT_EQ(test::u32_at(bytes, 16), 0x4e4f534au);  // "JSON"
  glb.json = Json::parse(bytes.substr(20, json_length));
  const std::size_t bin_at = 20 + json_length;
  if (bin_at < bytes.size()) {
    EXPECT_EQ(test::u32_at(bytes, bin_at + 4), 0x004e4942u);  // "BIN\0"
    glb.bin = bytes.substr(bin_at + 8, test::u32_at(bytes, bin_at));
  }
  return glb;
}

// Float element `i`, component `c` of the accessor of attribute `name`.
float attribute_value(const Glb& glb, const std::string& name, std::size_t i, int c) {
  const Json& primitive = glb.json["meshes"][0]["primitives"][0];
  const int index = primitive["attributes"][name].get<int>();
  const Json& accessor = glb.json["accessors"][index];
  EXPECT_EQ(accessor["componentType"].get<int>(), 5126) << name << " is float";
  const Json& view = glb.json["bufferViews"][accessor["bufferView"].get<int>()];
  const std::map<std::string, int> components = {{"SCALAR", 1}, {"VEC3", 3}, {"VEC4", 4}};
  const int width = components.at(accessor["type"].get<std::string>());
  const std::size_t stride = view.value("byteStride", 4 * width);
  const std::size_t offset =
      view.value("byteOffset", 0) + accessor.value("byteOffset", 0) + i * stride + 4 * c;
  return test::f32_at(glb.bin, offset);
}

GaussianSet sample_set() {
  GaussianSet set = test::random_gaussians(4, 2, 21);
  const float q[4] = {0.6f, 0.f, 0.8f, 0.f};  // (w, x, y, z), unit length
  std::copy_n(q, 4, set.rotations.begin());
  return set;
}

TEST(GlbWriter, JsonDeclaresTheExtensionPointsAndAttributes) {
  test::TempDir dir("glb");
  write_gaussians(sample_set(), dir / "a.glb");
  const Glb glb = parse_glb(test::slurp(dir / "a.glb"));
  EXPECT_EQ(glb.json["asset"]["version"], "2.0");
  EXPECT_EQ(glb.json["extensionsUsed"], Json::array({"KHR_gaussian_splatting"}));
  EXPECT_FALSE(glb.json.contains("extensionsRequired"))
      << "viewers without the extension still load it";
  const Json& primitive = glb.json["meshes"][0]["primitives"][0];
  EXPECT_EQ(primitive.value("mode", 4), 0) << "POINTS";
  EXPECT_EQ(primitive["extensions"]["KHR_gaussian_splatting"]["kernel"], "ellipse");
  EXPECT_EQ(primitive["extensions"]["KHR_gaussian_splatting"]["colorSpace"], "srgb_rec709_display");
  std::vector<std::string> names;
  for (const auto& item : primitive["attributes"].items()) names.push_back(item.key());
  std::vector<std::string> want = {"COLOR_0", "POSITION", "KHR_gaussian_splatting:OPACITY",
                                   "KHR_gaussian_splatting:ROTATION",
                                   "KHR_gaussian_splatting:SCALE"};
  for (int l = 0; l <= 2; ++l) {
    for (int n = 0; n <= 2 * l; ++n) {
      want.push_back("KHR_gaussian_splatting:SH_DEGREE_" + std::to_string(l) + "_COEF_" +
                     std::to_string(n));
    }
  }
  std::sort(names.begin(), names.end());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(names, want);
  const Json& position = glb.json["accessors"][primitive["attributes"]["POSITION"].get<int>()];
  EXPECT_EQ(position["type"], "VEC3");
  EXPECT_TRUE(position.contains("min") && position.contains("max")) << "POSITION needs bounds";
  EXPECT_EQ(glb.json["nodes"][0]["mesh"], 0);
  EXPECT_EQ(glb.json["scenes"][0]["nodes"], Json::array({0}));
}

TEST(GlbWriter, AttributesHoldActivatedValuesWithXyzwQuaternions) {
  test::TempDir dir("glb");
  const GaussianSet set = sample_set();
  write_gaussians(set, dir / "a.glb");
  const Glb glb = parse_glb(test::slurp(dir / "a.glb"));
  const std::string ext = "KHR_gaussian_splatting:";
  // Rotation (w, x, y, z) = (0.6, 0, 0.8, 0) is stored x, y, z, w.
  EXPECT_FLOAT_EQ(attribute_value(glb, ext + "ROTATION", 0, 0), 0.f);
  EXPECT_FLOAT_EQ(attribute_value(glb, ext + "ROTATION", 0, 1), 0.8f);
  EXPECT_FLOAT_EQ(attribute_value(glb, ext + "ROTATION", 0, 2), 0.f);
  EXPECT_FLOAT_EQ(attribute_value(glb, ext + "ROTATION", 0, 3), 0.6f);
  const int k = set.sh_coeffs();
  for (std::size_t i = 0; i < set.size(); ++i) {
    for (int a = 0; a < 3; ++a) {
      EXPECT_EQ(attribute_value(glb, "POSITION", i, a), set.positions[i * 3 + a])
          << "y-up, unchanged";
      EXPECT_FLOAT_EQ(attribute_value(glb, ext + "SCALE", i, a),
                      std::exp(set.log_scales[i * 3 + a]))
          << "linear";
    }
    const float alpha = test::sigmoid_ref(set.opacity_logits[i]);
    EXPECT_FLOAT_EQ(attribute_value(glb, ext + "OPACITY", i, 0), alpha);
    for (int c = 0; c < 3; ++c) {
      EXPECT_EQ(attribute_value(glb, ext + "SH_DEGREE_0_COEF_0", i, c), set.sh[i * k * 3 + c])
          << "raw DC";
      // Coefficient l^2 + n, RGB interleaved: SH_DEGREE_2_COEF_3 is coefficient 7.
      EXPECT_EQ(attribute_value(glb, ext + "SH_DEGREE_1_COEF_2", i, c),
                set.sh[(i * k + 3) * 3 + c]);
      EXPECT_EQ(attribute_value(glb, ext + "SH_DEGREE_2_COEF_3", i, c),
                set.sh[(i * k + 7) * 3 + c]);
      const float colour = std::clamp(0.5f + kShC0 * set.sh[i * k * 3 + c], 0.f, 1.f);
      EXPECT_FLOAT_EQ(attribute_value(glb, "COLOR_0", i, c), colour);
    }
    EXPECT_FLOAT_EQ(attribute_value(glb, "COLOR_0", i, 3), alpha);
  }
}

TEST(GlbWriter, FrameSwitchTurnsTheSet180DegreesAboutX) {
  test::TempDir dir("glb");
  const GaussianSet set = sample_set();
  WriteOptions options;
  options.frame = Frame::kYDown;
  write_gaussians(set, dir / "a.glb", options);
  const Glb glb = parse_glb(test::slurp(dir / "a.glb"));
  GaussianSet turned = set;
  rotate_180_about_x(turned);
  EXPECT_EQ(attribute_value(glb, "POSITION", 1, 0), set.positions[3]);
  EXPECT_EQ(attribute_value(glb, "POSITION", 1, 1), -set.positions[4]);
  EXPECT_EQ(attribute_value(glb, "POSITION", 1, 2), -set.positions[5]);
  // (w, x, y, z) = (0.6, 0, 0.8, 0) turned: (0,1,0,0) * q = (-x, w, -z, y) = (0, 0.6, 0, 0.8),
  // stored x, y, z, w.
  const float want[4] = {0.6f, 0.f, 0.8f, 0.f};
  for (int c = 0; c < 4; ++c) {
    EXPECT_FLOAT_EQ(attribute_value(glb, "KHR_gaussian_splatting:ROTATION", 0, c), want[c]) << c;
    EXPECT_FLOAT_EQ(turned.rotations[(c + 1) % 4], want[c]) << "x, y, z, w of the turned set";
  }
  // Read back as y-down, the in-memory set is the original again.
  ReadOptions read;
  read.frame = Frame::kYDown;
  const GaussianSet back = read_gaussians(dir / "a.glb", read);
  for (std::size_t i = 0; i < set.positions.size(); ++i)
    EXPECT_EQ(back.positions[i], set.positions[i]);
}

TEST(GlbReader, RejectsFilesThatAreNotGaussianGlb) {
  test::TempDir dir("glb");
  auto expect_error = [&](const std::string& bytes, const std::string& part) {
    test::spit(dir / "bad.glb", bytes);
    try {
      read_gaussians(dir / "bad.glb");
      ADD_FAILURE() << "no error for " << part;
    } catch (const InputError& error) {
      EXPECT_THAT(error.what(), HasSubstr("bad.glb"));
      EXPECT_THAT(error.what(), HasSubstr(part));
    }
  };
  expect_error("", "empty");
  expect_error("PK\x03\x04 not a glb file", "magic 'glTF'");
  write_gaussians(sample_set(), dir / "a.glb");
  const std::string bytes = test::slurp(dir / "a.glb");
  // The container's faults are named with their byte (tinygltf only says "Invalid glTF binary").
  const std::string total = std::to_string(bytes.size());
  expect_error(bytes.substr(0, bytes.size() / 2),
               "at byte 8: the header gives the file's length as " + total +
                   " bytes, but it holds " + std::to_string(bytes.size() / 2) + " (cut short?)");
  std::string version = bytes;
  version[4] = 1;
  expect_error(version, "at byte 4: .glb version 1; expected 2");
  std::string long_chunk = bytes;  // the JSON chunk's length (at byte 12) made too large
  const std::uint32_t json_length = static_cast<std::uint32_t>(bytes.size());
  std::memcpy(&long_chunk[12], &json_length, 4);
  expect_error(long_chunk, "at byte 12: a chunk of " + total + " bytes runs past the end");
  std::string not_json = bytes;
  not_json[16] = 'B';
  expect_error(not_json, "at byte 16: the first chunk is not of type JSON");
  std::string bad_json = bytes;
  bad_json[20] = '}';  // the JSON's first bytes, '{"', made '{}'
  expect_error(bad_json, "not a valid .glb");
}

}  // namespace
}  // namespace tera
