#include "tera/core/frame.h"

#include "tera/core/error.h"

namespace tera {

Frame parse_frame(const std::string& text, const std::string& option) {
  if (text == "auto") return Frame::kAuto;
  if (text == "yup") return Frame::kYUp;
  if (text == "ydown") return Frame::kYDown;
  throw UsageError(option + ": expected auto, yup or ydown, got '" + text + "'");
}

const char* frame_name(Frame frame) {
  switch (frame) {
    case Frame::kAuto: return "auto";
    case Frame::kYUp: return "yup";
    case Frame::kYDown: return "ydown";
  }
  return "?";
}

void rotate_180_about_z(GaussianSet& set) {
  set.check_consistent();
  const std::size_t n = set.size();
  const int k = set.sh_coeffs();
  // Sign of each SH coefficient under a 180-degree turn about Z: (-1)^|m| in the 3DGS ordering
  // (band l holds m = -l..l).
  std::vector<float> sign(k);
  for (int l = 0, index = 0; l <= set.sh_degree; ++l) {
    for (int m = -l; m <= l; ++m, ++index) sign[index] = (m % 2 == 0) ? 1.f : -1.f;
  }
  for (std::size_t i = 0; i < n; ++i) {
    float* p = &set.positions[i * 3];
    p[0] = -p[0];
    p[1] = -p[1];
    // (0,0,0,1) * (w,x,y,z) = (-z, -y, x, w)
    float* q = &set.rotations[i * 4];
    const float w = q[0], x = q[1], y = q[2], z = q[3];
    q[0] = -z;
    q[1] = -y;
    q[2] = x;
    q[3] = w;
    float* c = &set.sh[i * k * 3];
    for (int j = 1; j < k; ++j) {
      for (int ch = 0; ch < 3; ++ch) c[j * 3 + ch] *= sign[j];
    }
  }
}

void convert_frame(GaussianSet& set, Frame from, Frame to) {
  if (from == Frame::kAuto || to == Frame::kAuto) {
    throw Error("convert_frame: both frames must be explicit");
  }
  if (from != to) rotate_180_about_z(set);
}

}  // namespace tera
