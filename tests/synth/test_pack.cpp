// The asset pack: round trip, size, and clear errors on corrupt files.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "binary_io.h"
#include "support/test_support.h"
#include "synth_fixture.h"
#include "tera/core/error.h"

namespace tera::synth {
namespace {

class SynthPack : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!test::have_assets()) return;
    dir_ = new tera::test::TempDir("synth_pack");
    path_ = (*dir_ / "assets.pack").string();
    write_pack(test::assets_from_files(), path_);
  }
  static void TearDownTestSuite() { delete dir_; }
  static tera::test::TempDir* dir_;
  static std::string path_;
};
tera::test::TempDir* SynthPack::dir_ = nullptr;
std::string SynthPack::path_;

TEST_F(SynthPack, RoundTripKeepsEverythingWithinHalfPrecision) {
  SYNTH_REQUIRE_ASSETS();
  const AssetPack& a = test::assets_from_files();
  const AssetPack b = read_pack(path_);
  EXPECT_LE(std::filesystem::file_size(path_), 40u * 1024u * 1024u);  // the documented budget
  EXPECT_EQ(a.body.rest_full, b.body.rest_full);
  EXPECT_EQ(a.body.quads, b.body.quads);
  EXPECT_EQ(a.body.full_to_body, b.body.full_to_body);
  ASSERT_EQ(a.targets.size(), b.targets.size());
  for (std::size_t t = 0; t < a.targets.size(); ++t) {
    ASSERT_EQ(a.targets[t].name, b.targets[t].name);
    ASSERT_EQ(a.targets[t].indices, b.targets[t].indices);
    for (std::size_t i = 0; i < a.targets[t].offsets.size(); ++i) {
      const float x = a.targets[t].offsets[i];
      // float16: relative error 2^-11 for normal values, absolute 2^-25 in the subnormal range.
      ASSERT_NEAR(b.targets[t].offsets[i], x, std::fabs(x) / 2048.f + 3e-8f) << a.targets[t].name;
    }
  }
  ASSERT_EQ(a.proxies.size(), b.proxies.size());
  for (std::size_t p = 0; p < a.proxies.size(); ++p) {
    EXPECT_EQ(a.proxies[p].name, b.proxies[p].name);
    EXPECT_EQ(a.proxies[p].ref, b.proxies[p].ref);
    EXPECT_EQ(a.proxies[p].offsets, b.proxies[p].offsets);
    EXPECT_EQ(a.proxies[p].quads, b.proxies[p].quads);
  }
  EXPECT_EQ(a.weights.bones, b.weights.bones);
  EXPECT_EQ(a.skeleton.bones.size(), b.skeleton.bones.size());
  EXPECT_EQ(a.modifiers.size(), b.modifiers.size());
}

TEST_F(SynthPack, CorruptOrTruncatedPackGivesInputErrorWithOffset) {
  SYNTH_REQUIRE_ASSETS();
  auto bytes = read_file_bytes(path_);
  const auto corrupt = (*dir_ / "corrupt.pack").string();
  const auto write = [&](const std::vector<std::uint8_t>& data) {
    std::ofstream out(corrupt, std::ios::binary);
    out.write(reinterpret_cast<const char*>(data.data()),
              static_cast<std::streamsize>(data.size()));
  };
  auto flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x40;
  write(flipped);
  try {
    read_pack(corrupt);
    FAIL() << "a flipped bit must be detected";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("CRC"), std::string::npos) << e.what();
  }
  write(std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + bytes.size() / 3));
  EXPECT_THROW(read_pack(corrupt), InputError);
  auto bad_magic = bytes;
  bad_magic[0] = 'X';
  write(bad_magic);
  EXPECT_THROW(read_pack(corrupt), InputError);
  auto bad_version = bytes;
  bad_version[8] = 99;
  write(bad_version);
  try {
    read_pack(corrupt);
    FAIL() << "a wrong version must be reported";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("version"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tera::synth
