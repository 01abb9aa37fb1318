#include "face_features.h"

#include <algorithm>
#include <cmath>

namespace tera::synth {

FaceLandmarks face_landmarks(const Skeleton& skeleton, const std::vector<float>& full) {
  std::vector<float> heads, tails;
  joint_positions(skeleton, full, heads, tails);
  FaceLandmarks f;
  int oris = 0;
  for (std::size_t b = 0; b < skeleton.bones.size(); ++b) {
    const auto& name = skeleton.bones[b].name;
    if (name.rfind("oris", 0) == 0) {
      f.mouth = f.mouth + row3(heads.data(), b);
      ++oris;
    }
    if (name == "eye.L") f.eye_left = row3(heads.data(), b);
    if (name == "eye.R") f.eye_right = row3(heads.data(), b);
  }
  if (oris) f.mouth = f.mouth * (1.f / static_cast<float>(oris));
  return f;
}

float lip_weight(const FaceLandmarks& rest, const Vec3& p) {
  if (p[2] < rest.mouth[2] - 0.01f) return 0.f;  // only the front of the face
  // Lips: an ellipse about 5 cm wide and 1.8 cm tall around the mouth centre.
  const float dx = (p[0] - rest.mouth[0]) / 0.025f, dy = (p[1] - rest.mouth[1]) / 0.009f;
  const float d = std::sqrt(dx * dx + dy * dy);
  return std::clamp((1.3f - d) / 0.3f, 0.f, 1.f);
}

float facial_hair_weight(const FaceLandmarks& rest, const Vec3& p, const std::string& style) {
  if (style == "none") return 0.f;
  const float dx = std::fabs(p[0] - rest.mouth[0]);
  const float dy = p[1] - rest.mouth[1];
  if (lip_weight(rest, p) > 0.2f) return 0.f;  // keep the lips bare
  const float eye_y = 0.5f * (rest.eye_left[1] + rest.eye_right[1]);
  // Moustache: above the upper lip, below the nose, about as wide as the mouth.
  const bool moustache = dy > 0.004f && dy < 0.02f && dx < 0.03f && p[2] > rest.mouth[2] - 0.01f;
  if (style == "moustache") return moustache ? 1.f : 0.f;
  // Beard and stubble: jaw, chin and cheeks below a line from the nose wings to the ears, and
  // the front of the neck just under the chin.
  const float cheek_line = rest.mouth[1] + 0.02f - 0.35f * dx;  // slopes down toward the ears
  const bool below_cheeks = p[1] < std::min(cheek_line, eye_y - 0.045f);
  const bool not_neck_back = p[2] > rest.mouth[2] - 0.11f;
  const bool not_too_low = dy > -0.095f;  // the beard ends a few cm under the chin
  const bool jaw = below_cheeks && not_neck_back && not_too_low;
  return (jaw || moustache) ? 1.f : 0.f;
}

bool glasses_point(const FaceLandmarks& rest, const FaceLandmarks& shaped, const Vec3& p_rest,
                   const Vec3& p_shaped, const std::string& shape, Vec3& frame_point) {
  if (shape == "none") return false;
  constexpr float kLensAhead = 0.022f;  // lens plane in front of the eyeball centres (metres)
  constexpr float kRim = 0.0025f;       // frame rim thickness
  const float eye_y = 0.5f * (rest.eye_left[1] + rest.eye_right[1]);
  const float eye_z = 0.5f * (rest.eye_left[2] + rest.eye_right[2]);
  const float half_gap = 0.5f * std::fabs(rest.eye_left[0] - rest.eye_right[0]);
  const float mid_x = 0.5f * (rest.eye_left[0] + rest.eye_right[0]);
  const float shaped_lens_z = 0.5f * (shaped.eye_left[2] + shaped.eye_right[2]) + kLensAhead;
  const float shift_y = 0.5f * (shaped.eye_left[1] + shaped.eye_right[1]) - eye_y;
  const float lx = std::fabs(p_rest[0] - mid_x) - half_gap;  // relative to the nearer eye
  const float ly = p_rest[1] - eye_y;
  if (p_rest[2] > eye_z - 0.005f) {
    // Lens rims in front of the face.
    float d;  // signed distance-like measure to the rim outline
    if (shape == "round") {
      d = std::sqrt(lx * lx + ly * ly) - 0.021f;
    } else if (shape == "rectangular") {
      d = std::max(std::fabs(lx) - 0.025f, std::fabs(ly) - 0.015f);
    } else {  // aviator: wider at the bottom
      const float sy = ly < 0.f ? 0.024f : 0.016f;
      d = std::sqrt(lx * lx / (0.025f * 0.025f) + ly * ly / (sy * sy)) * 0.02f - 0.02f;
    }
    const bool bridge =
        std::fabs(p_rest[0] - mid_x) < half_gap - 0.015f && std::fabs(ly - 0.006f) < kRim * 0.6f;
    if (std::fabs(d) < kRim * 0.5f || bridge) {
      frame_point = {p_shaped[0], p_rest[1] + shift_y, shaped_lens_z};
      return true;
    }
    return false;
  }
  // Temples: a bar at eye height from the lens plane back to the ears, just off the skin.
  if (std::fabs(ly - 0.004f) < kRim * 0.6f && std::fabs(p_rest[0] - mid_x) > half_gap + 0.02f &&
      p_rest[2] > eye_z - 0.1f) {
    frame_point = {p_shaped[0] + (p_shaped[0] > mid_x ? 0.004f : -0.004f), p_shaped[1],
                   p_shaped[2]};
    return true;
  }
  return false;
}

}  // namespace tera::synth

namespace tera::synth {

bool eye_colour_at(const FaceLandmarks& rest, const Vec3& p, const Vec3& iris, Vec3& colour) {
  for (const Vec3& eye : {rest.eye_left, rest.eye_right}) {
    if (p[2] < eye[2]) continue;  // only the front of the eye
    // The opening between the lids: an ellipse 2.6 cm wide and 1.1 cm tall around the eyeball.
    const float dx = p[0] - eye[0], dy = p[1] - eye[1];
    const float e = (dx * dx) / (0.013f * 0.013f) + (dy * dy) / (0.0055f * 0.0055f);
    if (e > 1.f) continue;
    const float r = std::sqrt(dx * dx + dy * dy);
    if (dy > 0.0035f && e > 0.55f)
      colour = {0.08f, 0.06f, 0.05f};  // lash line on the upper lid
    else if (r < 0.0022f)
      colour = {0.03f, 0.03f, 0.03f};  // pupil
    else if (r < 0.0058f)
      colour = iris;  // iris
    else
      colour = {0.92f, 0.9f, 0.87f};  // sclera
    return true;
  }
  return false;
}

Vec3 shade(const Vec3& colour, const Vec3& n) {
  static const Vec3 kLight =
      normalized({0.35f, 0.6f, 0.72f});  // key light from the upper front right
  constexpr float kAmbient = 0.72f;      // keeps backs and undersides readable
  const float light = kAmbient + (1.f - kAmbient) * std::max(0.f, dot(n, kLight)) * 1.25f;
  return {std::min(1.f, colour[0] * light), std::min(1.f, colour[1] * light),
          std::min(1.f, colour[2] * light)};
}

}  // namespace tera::synth
