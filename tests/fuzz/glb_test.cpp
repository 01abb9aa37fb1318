// .glb inputs that broke the reader (fuzz/gaussians_fuzzer.cpp as fuzz_glb).
#include "fuzz/regression_util.h"
#include "tera/io/gaussian_io.h"

namespace tera {
namespace {

// A .glb of the given JSON chunk and a 16-byte binary chunk.
std::string glb_with_json(std::string json) {
  json.append((4 - json.size() % 4) % 4,
              ' ');  // chunks are 4-byte aligned, JSON padded with spaces
  const std::string bin(16, '\0');
  const std::string body = test::le(json.size(), 4) + "JSON" + json + test::le(bin.size(), 4) +
                           std::string("BIN\0", 4) + bin;
  return "glTF" + test::le(2, 4) + test::le(12 + body.size(), 4) + body;
}

// An accessor of 2^62 + 1 VEC3 floats in a 16-byte view: (count - 1) x 12 wrapped around to a
// small number, passed the bounds check, and the reader asked for a vector of 3 x 2^62 floats
// (std::length_error, not a tera::Error).
TEST(FuzzRegression, GlbAccessorCountThatWrapsAroundIsRefused) {
  test::TempDir dir("fuzz_glb");
  const std::string json =
      R"({"asset":{"version":"2.0"},"buffers":[{"byteLength":16}],"bufferViews":[{"buffer":0,"byteLength":16}],)"
      R"("accessors":[{"bufferView":0,"componentType":5126,"count":4611686018427387905,"type":"VEC3"}],)"
      R"("meshes":[{"primitives":[{"attributes":{"POSITION":0,"KHR_gaussian_splatting:SCALE":0},"mode":0}]}]})";
  test::spit(dir / "huge.glb", glb_with_json(json));
  test::expect_refused<InputError>(
      [&] { read_gaussians(dir / "huge.glb"); },
      {"huge.glb", "attribute POSITION",
       "accessor of 4611686018427387905 elements does not fit its buffer view"});
}

}  // namespace
}  // namespace tera
