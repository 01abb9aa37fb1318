// .ply inputs that broke the reader under the fuzz targets (fuzz/gaussians_fuzzer.cpp).
#include "fuzz/regression_util.h"
#include "tera/io/gaussian_io.h"

namespace tera {
namespace {

// The 14 properties every 3DGS vertex has, as float.
std::string gaussian_properties() {
  std::string out;
  for (const char* name : {"x", "y", "z", "f_dc_0", "f_dc_1", "f_dc_2", "opacity", "scale_0",
                           "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3"}) {
    out += std::string("property float ") + name + "\n";
  }
  return out;
}

const std::string kOneAsciiVertex = "0 0 0 0 0 0 0 0 0 0 1 0 0 0";

// Found: "element vertex 0" placed the properties at offsets from the empty arrays' null data()
// (undefined behaviour). A file without Gaussians reads as an empty set.
TEST(FuzzRegression, PlyWithoutVerticesReadsEmpty) {
  test::TempDir dir("fuzz_ply");
  for (const char* format : {"ascii", "binary_little_endian"}) {
    test::spit(dir / "empty.ply", std::string("ply\nformat ") + format +
                                      " 1.0\nelement vertex 0\n" + gaussian_properties() +
                                      "end_header\n");
    EXPECT_EQ(read_gaussians(dir / "empty.ply").size(), 0u) << format;
  }
}

// An ascii list length of 1e300 converted to an integer (undefined behaviour); any length that is
// negative, fractional or longer than the file is refused.
TEST(FuzzRegression, PlyAsciiListLengthOutOfRangeIsRefused) {
  test::TempDir dir("fuzz_ply");
  const std::string header = "ply\nformat ascii 1.0\nelement vertex 1\n" + gaussian_properties() +
                             "property list uchar int extra\nend_header\n";
  for (const char* length : {"1e300", "-1", "2.5", "nan"}) {
    test::spit(dir / "list.ply", header + kOneAsciiVertex + " " + length + " 7\n");
    test::expect_refused<InputError>(
        [&] { read_gaussians(dir / "list.ply"); },
        {"list.ply", "header line 18", "list 'extra' of vertex 0 has a bad length"});
  }
}

// Found: a binary list length of -1 (a char) converted to an unsigned integer while skipping an
// element before the vertices (undefined behaviour). Any length that is negative or longer than the
// file is refused, as in ascii files (the header allows only integer length types).
TEST(FuzzRegression, PlyBinaryListLengthOutOfRangeIsRefused) {
  test::TempDir dir("fuzz_ply");
  const std::string vertex(14 * 4, '\0');  // one vertex of 14 zero floats
  struct Case {
    const char* type;
    std::string length;  // the list length's bytes, little-endian
  };
  for (const Case& c :
       {Case{"char", std::string(1, '\xff')}, Case{"short", test::le(0xfed4, 2)},
        Case{"int", test::le(0xffffffffu, 4)}, Case{"uint", test::le(0xffffffffu, 4)}}) {
    test::spit(dir / "list.ply", std::string("ply\nformat binary_little_endian 1.0\n") +
                                     "element extra 1\nproperty list " + c.type +
                                     " int values\nelement vertex 1\n" + gaussian_properties() +
                                     "end_header\n" + c.length + test::le(7, 4) + vertex);
    test::expect_refused<InputError>([&] { read_gaussians(dir / "list.ply"); },
                                     {"list.ply", "a list of element 'extra' has a bad length"});
  }
}

// An element without properties but with 10^18 items before the vertices: the ascii reader looped
// over every item (a hang). It holds no values, so it is skipped at once.
TEST(FuzzRegression, PlyEmptyElementWithHugeCountIsSkipped) {
  test::TempDir dir("fuzz_ply");
  test::spit(dir / "huge.ply",
             "ply\nformat ascii 1.0\nelement nothing 1000000000000000000\nelement vertex 1\n" +
                 gaussian_properties() + "end_header\n" + kOneAsciiVertex + "\n");
  EXPECT_EQ(read_gaussians(dir / "huge.ply").size(), 1u);
}

}  // namespace
}  // namespace tera
