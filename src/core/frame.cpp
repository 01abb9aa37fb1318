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

float sh_sign_180_about_x(int l, int m) {
  // Y_lm is cos(m phi) (m >= 0) or sin(|m| phi) (m < 0) times a polynomial in z of parity l - |m|.
  // (y, z) -> (-y, -z) maps phi -> -phi (sin flips, cos keeps) and z -> -z ((-1)^(l-|m|)).
  const int parity = (l + (m < 0 ? -m : m) + (m < 0 ? 1 : 0)) % 2;
  return parity == 0 ? 1.f : -1.f;
}

void rotate_180_about_x(GaussianSet& set) {
  set.check_consistent();
  const std::size_t n = set.size();
  const int k = set.sh_coeffs();
  std::vector<float> sign(k);  // [K] in the 3DGS ordering: band l holds m = -l..l
  for (int l = 0, index = 0; l <= set.sh_degree; ++l) {
    for (int m = -l; m <= l; ++m, ++index) sign[index] = sh_sign_180_about_x(l, m);
  }
  for (std::size_t i = 0; i < n; ++i) {
    float* p = &set.positions[i * 3];
    p[1] = -p[1];
    p[2] = -p[2];
    // (0,1,0,0) * (w,x,y,z) = (-x, w, -z, y)
    float* q = &set.rotations[i * 4];
    const float w = q[0], x = q[1], y = q[2], z = q[3];
    q[0] = -x;
    q[1] = w;
    q[2] = -z;
    q[3] = y;
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
  if (from == to) return;
  rotate_180_about_x(set);
  // (0,1,0,0) squared is -1, so turning back by it again would negate every quaternion: the turn
  // to y-up uses (0,-1,0,0), the same rotation, so that a file read and written again in its own
  // frame keeps its rot_* bit for bit (and what is written is rotate_180_about_x's).
  if (to == Frame::kYUp) {
    for (float& component : set.rotations) component = -component;
  }
}

}  // namespace tera
