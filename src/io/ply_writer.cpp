// Writes the INRIA 3DGS .ply layout: binary little-endian, every property float, values before
// activation, f_rest channel-major, quaternion (w, x, y, z), zero normals.
#include <string>

#include "io/byte_io.h"
#include "io/formats.h"

namespace tera {

std::string encode_ply(const GaussianSet& set) {
  const std::size_t n = set.size();
  const int k = set.sh_coeffs();
  const int rest = 3 * (k - 1);  // f_rest count: 0, 9, 24, 45

  std::string header =
      "ply\nformat binary_little_endian 1.0\nelement vertex " + std::to_string(n) + "\n";
  for (const char* name : {"x", "y", "z", "nx", "ny", "nz", "f_dc_0", "f_dc_1", "f_dc_2"}) {
    header += std::string("property float ") + name + "\n";
  }
  for (int r = 0; r < rest; ++r) header += "property float f_rest_" + std::to_string(r) + "\n";
  for (const char* name :
       {"opacity", "scale_0", "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3"}) {
    header += std::string("property float ") + name + "\n";
  }
  header += "end_header\n";

  const std::size_t floats_per_vertex = 3 + 3 + 3 + rest + 1 + 3 + 4;
  std::string out = header;
  out.resize(header.size() + n * floats_per_vertex * 4);
  auto* p = reinterpret_cast<unsigned char*>(&out[header.size()]);
  auto put = [&p](float value) {
    store_f32(p, value);
    p += 4;
  };
  for (std::size_t i = 0; i < n; ++i) {
    for (int a = 0; a < 3; ++a) put(set.positions[i * 3 + a]);
    for (int a = 0; a < 3; ++a) put(0.f);  // normals: unused by 3DGS, written as zeros
    const float* sh = &set.sh[i * k * 3];  // [K, 3]
    for (int c = 0; c < 3; ++c) put(sh[c]);
    for (int c = 0; c < 3; ++c) {  // channel-major: all red coefficients, then green, then blue
      for (int j = 1; j < k; ++j) put(sh[j * 3 + c]);
    }
    put(set.opacity_logits[i]);
    for (int a = 0; a < 3; ++a) put(set.log_scales[i * 3 + a]);
    for (int a = 0; a < 4; ++a) put(set.rotations[i * 4 + a]);
  }
  return out;
}

}  // namespace tera
