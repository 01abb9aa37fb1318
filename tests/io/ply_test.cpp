// Conformance of the .ply writer (bytes parsed here, independently of the reader) and the
// reader's handling of ascii, big-endian, other property types, any SH degree and bad files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "io/io_test_util.h"
#include "support/test_support.h"
#include "tera/core/error.h"
#include "tera/core/frame.h"
#include "tera/io/gaussian_io.h"

namespace tera {
namespace {

using test::f32_at;
using ::testing::HasSubstr;

// Splits a .ply file into header lines and the offset of the body.
std::vector<std::string> header_lines(const std::string& bytes, std::size_t& body) {
  const std::size_t end = bytes.find("end_header\n");
  EXPECT_NE(end, std::string::npos);
  body = end + 11;
  std::vector<std::string> lines;
  std::istringstream in(bytes.substr(0, end + 10));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Two Gaussians of SH degree 3 in which every value is distinct and encodes where it belongs.
GaussianSet distinct_set() {
  GaussianSet set;
  set.resize(2, 3);
  for (std::size_t i = 0; i < 2; ++i) {
    for (int a = 0; a < 3; ++a) {
      set.positions[i * 3 + a] = 1.f + i * 10.f + a;
      set.log_scales[i * 3 + a] = -2.f - 0.1f * a - i;
    }
    const float q[4] = {0.9f, 0.1f + i, 0.2f, 0.3f};  // w, x, y, z
    for (int a = 0; a < 4; ++a) set.rotations[i * 4 + a] = q[a];
    set.opacity_logits[i] = 0.25f + i;
    for (int j = 0; j < 16; ++j) {
      for (int c = 0; c < 3; ++c)
        set.sh[(i * 16 + j) * 3 + c] = 1000.f * i + 10.f * j + c;  // i, coeff j, channel c
    }
  }
  return set;
}

TEST(PlyWriter, HeaderOrderIsTheInriaLayout) {
  test::TempDir dir("ply");
  write_gaussians(distinct_set(), dir / "a.ply");
  const std::string bytes = test::slurp(dir / "a.ply");
  std::size_t body = 0;
  const auto lines = header_lines(bytes, body);
  std::vector<std::string> want = {"ply", "format binary_little_endian 1.0", "element vertex 2"};
  for (const char* name : {"x", "y", "z", "nx", "ny", "nz", "f_dc_0", "f_dc_1", "f_dc_2"}) {
    want.push_back(std::string("property float ") + name);
  }
  for (int r = 0; r < 45; ++r) want.push_back("property float f_rest_" + std::to_string(r));
  for (const char* name :
       {"opacity", "scale_0", "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3"}) {
    want.push_back(std::string("property float ") + name);
  }
  want.push_back("end_header");
  EXPECT_EQ(lines, want);
  EXPECT_EQ(bytes.size(), body + 2 * 62 * 4);  // 62 floats per vertex for degree 3
}

TEST(PlyWriter, RestIsChannelMajorAndQuaternionWFirstBeforeActivation) {
  test::TempDir dir("ply");
  const GaussianSet set = distinct_set();
  WriteOptions options;
  options.frame = Frame::kYUp;  // store the in-memory values unchanged, to compare them directly
  write_gaussians(set, dir / "a.ply", options);
  const std::string bytes = test::slurp(dir / "a.ply");
  std::size_t body = 0;
  header_lines(bytes, body);
  for (std::size_t i = 0; i < 2; ++i) {
    const std::size_t row = body + i * 62 * 4;
    auto at = [&](int index) { return f32_at(bytes, row + 4 * index); };
    for (int a = 0; a < 3; ++a) EXPECT_EQ(at(a), set.positions[i * 3 + a]);
    for (int a = 3; a < 6; ++a) EXPECT_EQ(at(a), 0.f) << "normals are zero";
    for (int c = 0; c < 3; ++c) EXPECT_EQ(at(6 + c), 1000.f * i + c) << "f_dc_" << c;
    for (int r = 0; r < 45; ++r) {
      // f_rest_r holds channel r / 15, coefficient 1 + r % 15.
      EXPECT_EQ(at(9 + r), 1000.f * i + 10.f * (1 + r % 15) + r / 15) << "f_rest_" << r;
    }
    EXPECT_EQ(at(54), set.opacity_logits[i]) << "opacity is the logit";
    for (int a = 0; a < 3; ++a)
      EXPECT_EQ(at(55 + a), set.log_scales[i * 3 + a]) << "scales are logs";
    EXPECT_EQ(at(58), 0.9f) << "rot_0 is w";
    EXPECT_EQ(at(59), 0.1f + i);
    EXPECT_EQ(at(60), 0.2f);
    EXPECT_EQ(at(61), 0.3f);
  }
}

TEST(PlyWriter, DefaultFrameIsYDown) {
  test::TempDir dir("ply");
  const GaussianSet set = distinct_set();
  write_gaussians(set, dir / "a.ply");
  const std::string bytes = test::slurp(dir / "a.ply");
  std::size_t body = 0;
  header_lines(bytes, body);
  // 180 degrees about X: (x, y, z) -> (x, -y, -z).
  EXPECT_EQ(f32_at(bytes, body + 0), set.positions[0]) << "x unchanged";
  EXPECT_EQ(f32_at(bytes, body + 4), -set.positions[1]) << "y -> -y";
  EXPECT_EQ(f32_at(bytes, body + 8), -set.positions[2]) << "z -> -z";
  // (0,1,0,0) * (w, x, y, z) = (-x, w, -z, y).
  const float* q = &set.rotations[0];
  const float want_q[4] = {-q[1], q[0], -q[3], q[2]};
  for (int a = 0; a < 4; ++a)
    EXPECT_EQ(f32_at(bytes, body + 4 * (58 + a)), want_q[a]) << "rot_" << a;
  // f_rest_j is red coefficient j + 1 (set.sh[(j + 1) * 3]). Band 1 is (y, z, x): y and z flip.
  EXPECT_EQ(f32_at(bytes, body + 4 * 9), -set.sh[3]) << "l = 1, m = -1 (y)";
  EXPECT_EQ(f32_at(bytes, body + 4 * 10), -set.sh[6]) << "l = 1, m = 0 (z)";
  EXPECT_EQ(f32_at(bytes, body + 4 * 11), set.sh[9]) << "l = 1, m = 1 (x)";
  // Band 2 is (xy, yz, 3z^2 - 1, xz, x^2 - y^2): xy and xz flip.
  EXPECT_EQ(f32_at(bytes, body + 4 * 12), -set.sh[12]) << "l = 2, m = -2 (xy)";
  EXPECT_EQ(f32_at(bytes, body + 4 * 13), set.sh[15]) << "l = 2, m = -1 (yz)";
  EXPECT_EQ(f32_at(bytes, body + 4 * 14), set.sh[18]) << "l = 2, m = 0";
  EXPECT_EQ(f32_at(bytes, body + 4 * 15), -set.sh[21]) << "l = 2, m = 1 (xz)";
}

const char* kAsciiDegree1 =
    "ply\r\n"
    "format ascii 1.0\n"
    "comment made by hand\n"
    "element camera 1\n"
    "property float fov\n"
    "element vertex 2\n"
    "property double x\nproperty float y\nproperty int z\n"
    "property uchar red\n"
    "property float f_dc_0\nproperty float f_dc_1\nproperty float f_dc_2\n"
    "property float f_rest_8\nproperty float f_rest_7\nproperty float f_rest_6\nproperty float "
    "f_rest_5\n"
    "property float f_rest_4\nproperty float f_rest_3\nproperty float f_rest_2\nproperty float "
    "f_rest_1\n"
    "property float f_rest_0\n"
    "property float opacity\nproperty float scale_0\nproperty float scale_1\nproperty float "
    "scale_2\n"
    "property float rot_0\nproperty float rot_1\nproperty float rot_2\nproperty float rot_3\n"
    "element face 1\n"
    "property list uchar int vertex_indices\n"
    "end_header\n"
    "60.0\n"
    "1.5 -2 3 255 0.1 0.2 0.3 8 7 6 5 4 3 2 1 0 -1 -3 -3.5 -4 1 0 0 0\n"
    "4e-1 5 -6 0 1 2 3 18 17 16 15 14 13 12 11 10 2.5 -1 -1 -1 0 1 0 0\n"
    "3 0 1 1\n";

TEST(PlyReader, ReadsAsciiWithAnyTypeShuffledRestAndExtraElements) {
  test::TempDir dir("ply");
  test::spit(dir / "a.ply", kAsciiDegree1);
  ReadOptions options;
  options.frame = Frame::kYUp;  // no frame change: compare with the file's numbers
  const GaussianSet set = read_gaussians(dir / "a.ply", options);
  ASSERT_EQ(set.size(), 2u);
  EXPECT_EQ(set.sh_degree, 1);
  EXPECT_EQ(set.positions, (std::vector<float>{1.5f, -2.f, 3.f, 0.4f, 5.f, -6.f}));
  EXPECT_EQ(set.opacity_logits, (std::vector<float>{-1.f, 2.5f}));
  EXPECT_EQ(set.log_scales[1], -3.5f);
  EXPECT_EQ(set.rotations[0], 1.f);
  EXPECT_EQ(set.rotations[5], 1.f);  // vertex 1: (w, x, y, z) = (0, 1, 0, 0)
  // f_rest_r (ordered by suffix, not header position) = channel r / 3, coefficient 1 + r % 3;
  // in vertex 0 the value of f_rest_r is r.
  for (int r = 0; r < 9; ++r) {
    EXPECT_EQ(set.sh[(0 * 4 + 1 + r % 3) * 3 + r / 3], static_cast<float>(r)) << "f_rest_" << r;
    EXPECT_EQ(set.sh[(1 * 4 + 1 + r % 3) * 3 + r / 3], 10.f + r) << "f_rest_" << r;
  }
  EXPECT_EQ(set.sh[0], 0.1f);
  EXPECT_EQ(set.sh[4 * 3 + 2], 3.f);
}

// Builds a binary .ply (little- or big-endian) with mixed property types and an extra property.
std::string mixed_binary_ply(bool big_endian) {
  std::string out =
      std::string("ply\nformat ") + (big_endian ? "binary_big_endian" : "binary_little_endian") +
      " 1.0\nelement vertex 1\nproperty double x\nproperty short y\nproperty uchar z\n"
      "property float extra\nproperty float f_dc_0\nproperty float f_dc_1\nproperty float f_dc_2\n"
      "property float opacity\nproperty float scale_0\nproperty float scale_1\nproperty float "
      "scale_2\n"
      "property float rot_0\nproperty float rot_1\nproperty float rot_2\nproperty float rot_3\n"
      "end_header\n";
  auto put = [&](const void* data, std::size_t size) {
    const auto* p = static_cast<const char*>(data);
    for (std::size_t b = 0; b < size; ++b)
      out.push_back(p[big_endian ? size - 1 - b : b]);  // host is little-endian
  };
  const double x = -0.125;
  const std::int16_t y = -300;
  const std::uint8_t z = 200;
  put(&x, 8);
  put(&y, 2);
  put(&z, 1);
  for (float v : {42.f, 0.5f, 0.25f, -0.5f, 1.f, -1.f, -2.f, -3.f, 1.f, 0.f, 0.f, 0.f}) put(&v, 4);
  return out;
}

TEST(PlyReader, ReadsBinaryOfEitherEndiannessAndAnyNumericType) {
  for (bool big_endian : {false, true}) {
    SCOPED_TRACE(big_endian ? "big-endian" : "little-endian");
    test::TempDir dir("ply");
    test::spit(dir / "a.ply", mixed_binary_ply(big_endian));
    ReadOptions options;
    options.frame = Frame::kYUp;
    const GaussianSet set = read_gaussians(dir / "a.ply", options);
    ASSERT_EQ(set.size(), 1u);
    EXPECT_EQ(set.positions, (std::vector<float>{-0.125f, -300.f, 200.f}));
    EXPECT_EQ(set.sh, (std::vector<float>{0.5f, 0.25f, -0.5f}));
    EXPECT_EQ(set.opacity_logits[0], 1.f);
    EXPECT_EQ(set.log_scales, (std::vector<float>{-1.f, -2.f, -3.f}));
  }
}

TEST(PlyReader, ReadsEverySupportedShDegree) {
  for (int degree = 0; degree <= 3; ++degree) {
    test::TempDir dir("ply");
    const GaussianSet set = test::random_gaussians(20, degree, 7);
    write_gaussians(set, dir / "a.ply");
    const GaussianSet back = read_gaussians(dir / "a.ply");
    EXPECT_EQ(back.sh_degree, degree);
    EXPECT_EQ(back.sh, set.sh) << "degree " << degree;
  }
}

// Expects reading `bytes` as a .ply to throw InputError whose message contains each of `parts`.
void expect_read_error(const std::string& bytes, const std::vector<std::string>& parts) {
  test::TempDir dir("ply");
  test::spit(dir / "bad.ply", bytes);
  try {
    read_gaussians(dir / "bad.ply");
    ADD_FAILURE() << "no error for a bad file";
  } catch (const InputError& error) {
    EXPECT_THAT(error.what(), HasSubstr("bad.ply"));
    for (const auto& part : parts) EXPECT_THAT(error.what(), HasSubstr(part));
  }
}

std::string valid_ply(std::size_t n = 3) {
  test::TempDir dir("ply");
  write_gaussians(test::random_gaussians(n, 1, 3), dir / "a.ply");
  return test::slurp(dir / "a.ply");
}

TEST(PlyReader, RejectsEmptyFileWrongMagicAndMissingHeaderEnd) {
  expect_read_error("", {"at byte 0", "empty"});
  expect_read_error("PLY\nformat ascii 1.0\n", {"header line 1", "magic 'ply'"});
  expect_read_error(std::string("\x89PNG\r\n\x1a\n", 8), {"header line 1", "magic"});
  expect_read_error("ply\nformat ascii 1.0\nelement vertex 0\nproperty float x\n",
                    {"header line 5", "end_header"});
  std::string garbled = valid_ply();
  garbled.replace(garbled.find("end_header"), 10, "end_hedder");
  expect_read_error(garbled, {"end_hedder"});
}

TEST(PlyReader, RejectsMissingPropertyAndInconsistentRestCount) {
  std::string bytes = valid_ply();
  bytes.replace(bytes.find("property float opacity"), 22, "property float opacite");
  expect_read_error(bytes, {"no property 'opacity'"});
  bytes = valid_ply();
  bytes.replace(bytes.find("property float f_rest_8\n"), 24, "");  // 8 f_rest left
  expect_read_error(bytes, {"8 f_rest", "expected 0, 9, 24 or 45"});
  bytes = valid_ply();
  bytes.replace(bytes.find("property float f_rest_8\n"), 24, "property float f_rest_9\n");
  expect_read_error(bytes, {"f_rest_9", "out of range"});
}

TEST(PlyReader, RejectsTruncatedBodyNamingOffsetAndExpectedBytes) {
  const std::string bytes = valid_ply(3);
  const std::size_t body = bytes.find("end_header\n") + 11;
  const std::size_t stride = (3 + 3 + 3 + 9 + 1 + 3 + 4) * 4;  // 26 floats for degree 1
  ASSERT_EQ(bytes.size(), body + 3 * stride);
  const std::string cut = bytes.substr(0, bytes.size() - 5);
  expect_read_error(
      cut, {"at byte " + std::to_string(cut.size()), std::to_string(3 * stride) + " bytes expected",
            "from byte " + std::to_string(body)});
}

TEST(PlyReader, RejectsVertexCountsTheFileCannotHold) {
  std::string bytes = valid_ply(3);
  bytes.replace(bytes.find("element vertex 3"), 16, "element vertex 18446744073709551615");
  expect_read_error(bytes, {"18446744073709551615"});
  bytes = valid_ply(3);
  bytes.replace(bytes.find("element vertex 3"), 16, "element vertex 1000000000000");
  expect_read_error(bytes, {"1000000000000", "bytes expected"});
  expect_read_error(
      "ply\nformat ascii 1.0\nelement vertex 99999999999\nproperty float x\nend_header\n1\n",
      {"no property"});
  std::string ascii = kAsciiDegree1;
  ascii.replace(ascii.find("element vertex 2"), 16, "element vertex 4000000000");
  expect_read_error(ascii, {"4000000000", "follow the header"});
  ascii = kAsciiDegree1;
  ascii.replace(ascii.find("element vertex 2"), 16, "element vertex 3");
  expect_read_error(ascii, {"the file ends", "of vertex 2 of 3"});
  ascii = kAsciiDegree1;
  ascii.replace(ascii.find("4e-1"), 4, "four");
  expect_read_error(ascii, {"got 'four'"});
}

}  // namespace
}  // namespace tera
