#include "tera/gaussians/test_scene.h"

#include <array>
#include <cmath>

#include "tera/core/error.h"
#include "tera/core/parameterisation.h"
#include "tera/core/rng.h"

namespace tera {
namespace {

using Vec3 = std::array<float, 3>;

Vec3 add(const Vec3& a, const Vec3& b) { return {a[0] + b[0], a[1] + b[1], a[2] + b[2]}; }
Vec3 sub(const Vec3& a, const Vec3& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
Vec3 scale(const Vec3& a, float s) { return {a[0] * s, a[1] * s, a[2] * s}; }
float dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
Vec3 normalize(const Vec3& a) { return scale(a, 1.f / std::sqrt(dot(a, a))); }

// Any unit vector perpendicular to n.
Vec3 perpendicular(const Vec3& n) {
  const Vec3 helper = std::fabs(n[1]) < 0.9f ? Vec3{0.f, 1.f, 0.f} : Vec3{1.f, 0.f, 0.f};
  return normalize(cross(helper, n));
}

// Quaternion (w, x, y, z) of the rotation whose matrix has columns (t, b, n).
std::array<float, 4> quaternion_from_frame(const Vec3& t, const Vec3& b, const Vec3& n) {
  const float m[9] = {t[0], b[0], n[0], t[1], b[1], n[1], t[2], b[2], n[2]};
  std::array<float, 4> q{};
  quaternion_from_matrix(m, q.data());
  return q;
}

// Appends surface Gaussians: flat discs lying in the surface, thin along the normal.
class SurfaceBuilder {
 public:
  SurfaceBuilder(GaussianSet& set, Rng& rng) : set_(set), rng_(rng) {}

  // One disc at p with surface normal n, disc radius `radius` (sigma), colour rgb in [0,1].
  void disc(const Vec3& p, const Vec3& n, float radius, const Vec3& rgb, float sheen = 0.f) {
    constexpr float kThickness = 0.002f;  // 2 mm: thin enough to read as a surface
    constexpr float kOpacityLogit = 3.f;  // alpha 0.95: solid but not a hard 0.99 clamp
    const Vec3 t = perpendicular(n);
    const Vec3 b = cross(n, t);
    const std::size_t i = set_.size();
    const int k = set_.sh_coeffs();
    set_.positions.insert(set_.positions.end(), p.begin(), p.end());
    set_.log_scales.insert(set_.log_scales.end(),
                           {std::log(radius), std::log(radius), std::log(kThickness)});
    const auto q = quaternion_from_frame(t, b, n);
    set_.rotations.insert(set_.rotations.end(), q.begin(), q.end());
    set_.opacity_logits.push_back(kOpacityLogit);
    set_.sh.resize((i + 1) * k * 3, 0.f);
    float* c = &set_.sh[i * k * 3];
    for (int ch = 0; ch < 3; ++ch) c[ch] = (rgb[ch] - 0.5f) / kShC0;
    // A view-dependent sheen: brighter when seen from above-front (degree 1) and a faint
    // higher-order ripple, so SH evaluation of every degree is visible in renders.
    for (int j = 1; j < k; ++j) {
      const float weight = (j < 4 ? 1.f : 0.3f) * sheen * ((j % 3 == 1) ? 1.f : -0.5f);
      for (int ch = 0; ch < 3; ++ch) c[j * 3 + ch] = weight;
    }
  }

  // An ellipsoid with centre c and radii r; `keep` filters directions (unit vectors).
  template <typename Keep>
  void ellipsoid(const Vec3& c, const Vec3& r, int count, const Vec3& rgb, Keep keep,
                 float sheen = 0.f) {
    const float area =
        4.f * 3.14159265f * std::pow((r[0] * r[1] + r[0] * r[2] + r[1] * r[2]) / 3.f, 1.f);
    const float radius = 0.8f * std::sqrt(area / static_cast<float>(count));
    for (int i = 0; i < count; ++i) {
      const Vec3 d = normalize({rng_.normal(), rng_.normal(), rng_.normal()});
      if (!keep(d)) continue;
      const Vec3 p = add(c, {d[0] * r[0], d[1] * r[1], d[2] * r[2]});
      const Vec3 n = normalize({d[0] / r[0], d[1] / r[1], d[2] / r[2]});
      disc(p, n, radius, rgb, sheen);
    }
  }
  void ellipsoid(const Vec3& c, const Vec3& r, int count, const Vec3& rgb, float sheen = 0.f) {
    ellipsoid(
        c, r, count, rgb, [](const Vec3&) { return true; }, sheen);
  }

  // A capsule-like tube from a to b with radius r (open ends are closed by the limbs it joins).
  void tube(const Vec3& a, const Vec3& b, float r, int count, const Vec3& rgb) {
    const Vec3 axis = sub(b, a);
    const float length = std::sqrt(dot(axis, axis));
    const Vec3 w = scale(axis, 1.f / length);
    const Vec3 u = perpendicular(w);
    const Vec3 v = cross(w, u);
    const float radius =
        0.8f * std::sqrt(2.f * 3.14159265f * r * length / static_cast<float>(count));
    for (int i = 0; i < count; ++i) {
      const float t = rng_.uniform();
      const float angle = rng_.uniform(0.f, 6.2831853f);
      const Vec3 n = add(scale(u, std::cos(angle)), scale(v, std::sin(angle)));
      disc(add(add(a, scale(axis, t)), scale(n, r)), n, radius, rgb);
    }
  }

  // A flat checked disc on the ground plane y = 0.
  void ground(float radius, int count) {
    const float spacing =
        0.8f * std::sqrt(3.14159265f * radius * radius / static_cast<float>(count));
    for (int i = 0; i < count; ++i) {
      const float rr = radius * std::sqrt(rng_.uniform());
      const float angle = rng_.uniform(0.f, 6.2831853f);
      const Vec3 p{rr * std::cos(angle), 0.f, rr * std::sin(angle)};
      const bool dark = (static_cast<int>(std::floor(p[0] / 0.15f)) +
                         static_cast<int>(std::floor(p[2] / 0.15f))) %
                            2 !=
                        0;
      disc(p, {0.f, 1.f, 0.f}, spacing,
           dark ? Vec3{0.35f, 0.35f, 0.38f} : Vec3{0.85f, 0.85f, 0.8f});
    }
  }

 private:
  GaussianSet& set_;
  Rng& rng_;
};

GaussianSet make_figure(int sh_degree, std::uint64_t seed) {
  GaussianSet set;
  set.resize(0, sh_degree);
  Rng rng(seed);
  SurfaceBuilder b(set, rng);
  const Vec3 skin{0.87f, 0.68f, 0.56f}, shirt{0.2f, 0.55f, 0.3f}, trousers{0.2f, 0.3f, 0.6f};
  const Vec3 red{0.85f, 0.15f, 0.12f}, hair{0.3f, 0.18f, 0.1f}, dark{0.08f, 0.08f, 0.1f};
  b.ground(0.7f, 6000);
  // Legs and shoes (the subject faces +Z; its left side is +X).
  for (float x : {-0.1f, 0.1f}) {
    b.tube({x, 0.08f, 0.f}, {x, 0.9f, 0.f}, 0.07f, 3000, trousers);
    b.ellipsoid({x, 0.05f, 0.04f}, {0.06f, 0.05f, 0.12f}, 700, dark);
  }
  b.ellipsoid({0.f, 1.18f, 0.f}, {0.2f, 0.34f, 0.13f}, 6000, shirt, 0.15f);
  // Arms in an A-pose: the left arm (+X) is red so a mirrored render is obvious.
  b.tube({0.2f, 1.42f, 0.f}, {0.36f, 0.85f, 0.f}, 0.05f, 2000, red);
  b.tube({-0.2f, 1.42f, 0.f}, {-0.36f, 0.85f, 0.f}, 0.05f, 2000, shirt);
  for (float x : {-0.37f, 0.37f}) b.ellipsoid({x, 0.8f, 0.f}, {0.045f, 0.06f, 0.04f}, 300, skin);
  b.ellipsoid({0.f, 1.55f, 0.f}, {0.05f, 0.06f, 0.05f}, 300, skin);  // neck
  b.ellipsoid({0.f, 1.68f, 0.f}, {0.1f, 0.12f, 0.11f}, 3000, skin,
              [](const Vec3& d) { return d[1] < 0.2f || d[2] > 0.5f; });
  b.ellipsoid({0.f, 1.69f, -0.005f}, {0.108f, 0.125f, 0.118f}, 2500, hair,
              [](const Vec3& d) { return d[1] > 0.1f && !(d[2] > 0.55f && d[1] < 0.7f); });
  for (float x : {-0.035f, 0.035f}) b.ellipsoid({x, 1.7f, 0.1f}, {0.014f, 0.01f, 0.008f}, 80, dark);
  b.ellipsoid({0.f, 1.66f, 0.115f}, {0.014f, 0.02f, 0.02f}, 80, {0.8f, 0.58f, 0.48f});  // nose
  b.ellipsoid({0.f, 1.62f, 0.1f}, {0.03f, 0.008f, 0.008f}, 80, red);                    // mouth
  return set;
}

GaussianSet make_cloud(std::size_t count, int sh_degree, std::uint64_t seed) {
  GaussianSet set;
  set.resize(count, sh_degree);
  Rng rng(seed);
  const int k = set.sh_coeffs();
  for (std::size_t i = 0; i < count; ++i) {
    Vec3 d{1.f, 1.f, 1.f};
    while (dot(d, d) > 1.f)
      d = {rng.uniform(-1.f, 1.f), rng.uniform(-1.f, 1.f), rng.uniform(-1.f, 1.f)};
    for (int a = 0; a < 3; ++a) {
      set.positions[i * 3 + a] = 0.75f * d[a];  // a ball 1.5 m across
      set.log_scales[i * 3 + a] = rng.uniform(std::log(0.003f), std::log(0.03f));  // 3 mm .. 3 cm
    }
    for (int a = 0; a < 4; ++a) set.rotations[i * 4 + a] = rng.normal();
    set.opacity_logits[i] = rng.uniform(-1.f, 4.f);
    for (int j = 0; j < k * 3; ++j)
      set.sh[i * k * 3 + j] = j < 3 ? rng.uniform(-1.7f, 1.7f) : 0.2f * rng.normal();
  }
  return set;
}

}  // namespace

TestSceneKind parse_test_scene_kind(const std::string& text, const std::string& option) {
  if (text == "figure") return TestSceneKind::kFigure;
  if (text == "cloud") return TestSceneKind::kCloud;
  throw UsageError(option + ": expected figure or cloud, got '" + text + "'");
}

GaussianSet make_test_scene(const TestSceneOptions& options) {
  if (options.sh_degree < 0 || options.sh_degree > kMaxShDegree) {
    throw UsageError("SH degree " + std::to_string(options.sh_degree) + " is outside 0..3");
  }
  return options.kind == TestSceneKind::kFigure
             ? make_figure(options.sh_degree, options.seed)
             : make_cloud(options.count, options.sh_degree, options.seed);
}

}  // namespace tera
