// Baking: shaped body -> skin layer; ray casts along each texel's normal find the garment and the
// hair/hat surfaces for the outer layers; face extras are painted or placed procedurally.
#include "bake.h"

#include <algorithm>
#include <cmath>

#include "appearance.h"
#include "face_features.h"
#include "human.h"
#include "mesh_geometry.h"
#include "ray_scene.h"
#include "surface_fill.h"
#include "vec3.h"

namespace tera::synth {
namespace {

float triangle_area(const float* positions, const std::uint32_t* tri) {
  const Vec3 a = row3(positions, tri[0]);
  return 0.5f * length(cross(row3(positions, tri[1]) - a, row3(positions, tri[2]) - a));
}

// How far (metres) the outer layers look for a surface along the normal, per region: garments
// hug the body except skirts; hair hangs far from the scalp and over the back and shoulders.
float garment_reach(int region) {
  static const float kReach[kRegionCount] = {0.03f, 0.03f, 0.08f, 0.05f, 0.2f, 0.05f};
  return kReach[region];
}
float hair_reach(int region) {
  static const float kReach[kRegionCount] = {0.3f,  0.03f, 0.3f,
                                             0.08f, 0.15f, 0.f};  // face: bangs only
  return kReach[region];
}

// Hair and hat meshes rely on alpha textures we do not have: their cards near the face would hide
// it. On the face, hair is kept only on the forehead (bangs), above the eyes.
bool hair_allowed(int region, const Vec3& rest, const FaceLandmarks& face) {
  if (region != static_cast<int>(Region::kFace)) return true;
  constexpr float kBangsAboveEyes = 0.015f;  // metres: bangs may reach the brows, not the eyes
  return rest[1] > 0.5f * (face.eye_left[1] + face.eye_right[1]) + kBangsAboveEyes;
}

// A hit surface's normal turned to face outward (along the body normal n): proxies are two-sided.
Vec3 facing(const Vec3& hit_normal, const Vec3& n) {
  return dot(hit_normal, n) < 0.f ? hit_normal * -1.f : hit_normal;
}

void set_gaussian(float* out, const float frame[9], const Vec3& anchor_rest, const Vec3& world,
                  const Vec3& colour, float opacity, float sigma_plane, float sigma_normal,
                  float angle, TeacherPart part) {
  const Vec3 d = world - anchor_rest;
  for (int k = 0; k < 3; ++k)
    out[kOffset + k] = dot(Vec3{frame[3 * k], frame[3 * k + 1], frame[3 * k + 2]}, d);
  for (int k = 0; k < 3; ++k) out[kColour + k] = colour[k];
  out[kOpacity] = opacity;
  out[kLogScale] = out[kLogScale + 1] = std::log(sigma_plane);
  out[kLogScale + 2] = std::log(sigma_normal);
  out[kAngle] = angle;
  out[kPart] = static_cast<float>(part);
}

TeacherPart teacher_part(GarmentPart part) {
  switch (part) {
    case GarmentPart::kTop: return TeacherPart::kTop;
    case GarmentPart::kBottom: return TeacherPart::kBottom;
    case GarmentPart::kShoes: return TeacherPart::kShoes;
    case GarmentPart::kHat: return TeacherPart::kHat;
  }
  return TeacherPart::kNone;
}

std::uint32_t seed32(std::uint64_t seed) { return static_cast<std::uint32_t>(seed ^ (seed >> 32)); }

bool in_region(int region, Region r) { return region == static_cast<int>(r); }

// One human's bake: its shaped body, face landmarks and worn meshes, and the maps being written.
// bake_texel fills the three layers of each texel from rays along its normal; fill_gaps then gives
// the outer surface no ray reached to free slots.
class HumanBake {
 public:
  HumanBake(const Attributes& a, const Human& human, const AssetPack& pack, const Template& t,
            const RayDevice& device, const std::vector<std::vector<std::uint8_t>>& quad_is_bottom);
  // `sigma_scale`: the texel's footprint per metre of shape scaling.
  void bake_texel(std::size_t i, float sigma_scale);
  // `rest_fitted`: per proxy, [P, 3] fitted to the rest body; `plan` / `record` as fill_uncovered.
  FillStats fill_gaps(const std::vector<std::vector<float>>& rest_fitted, const FillPlan* plan,
                      FillPlan* record);

  std::size_t outer_texels() const { return outer_; }
  const std::vector<float>& shaped() const { return shaped_; }  // [V, 3] shaped body
  const std::vector<char>& hidden() const { return hidden_; }   // [full vertices] under garments
  BakedMaps take_maps() { return std::move(maps_); }

 private:
  // Texel i on the shaped body: anchor p, normal n, rest anchor, region, rest frame, base sigma.
  struct Texel {
    std::size_t index = 0;
    Vec3 p, n, rest;
    int region = 0;
    float frame[9];
    float sigma = 0.f;
  };
  Vec3 skin_at(const Texel& x, float beard) const;        // layer 0's colour
  bool bake_garment(const Texel& x, const Vec3& origin);  // layer 1; true when covered
  bool bake_top_layer(const Texel& x, const Vec3& origin,
                      float beard);  // layer 2; true when covered
  GarmentPart garment_part_at(std::size_t mesh, std::int32_t quad_pair, int region) const;

  const Attributes& a_;
  const Human& human_;
  const AssetPack& pack_;
  const Template& t_;
  const std::size_t m_;
  const std::uint32_t seed_;
  const std::vector<float> shaped_, shaped_normals_;  // [V, 3] shaped body and its vertex normals
  const FaceLandmarks rest_face_, face_;
  // Outer surfaces: garments (outfit, shoes) and the top layer (hat first, then hair).
  RayScene garments_, hat_, hair_;
  std::vector<GarmentPart> garment_part_;  // per garment mesh
  std::vector<const std::vector<std::uint8_t>*>
      garment_bottom_;        // per garment mesh: bottom quads or null
  std::vector<char> hidden_;  // body vertices covered by worn garments
  const FittedProxy* eyebrows_ = nullptr;
  Vec3 brow_lo_{1e9f, 1e9f, 1e9f}, brow_hi_{-1e9f, -1e9f, -1e9f};
  Vec3 brow_colour_, iris_;
  BakedMaps maps_;
  std::size_t outer_ = 0;
  std::vector<float> anchors_;  // [M, 3] texel anchors on the shaped body
  std::vector<std::uint8_t>
      outer_allowed_;  // [3, M] layers 1, 2 and tops in layer 1 may use this texel
};

HumanBake::HumanBake(const Attributes& a, const Human& human, const AssetPack& pack,
                     const Template& t, const RayDevice& device,
                     const std::vector<std::vector<std::uint8_t>>& quad_is_bottom)
    : a_(a),
      human_(human),
      pack_(pack),
      t_(t),
      m_(t.texel_count()),
      seed_(seed32(a.seed)),
      shaped_(body_positions(pack.body, human.full)),
      shaped_normals_(vertex_normals(shaped_, t.triangles)),
      rest_face_(face_landmarks(pack.skeleton, pack.body.rest_full)),
      face_(face_landmarks(pack.skeleton, human.full)),
      garments_(device),
      hat_(device),
      hair_(device),
      hidden_(pack.body.full_count(), 0) {
  for (const auto& fitted : human.proxies) {
    const std::string& kind = fitted.proxy->kind;
    if (kind == "clothes" || kind == "shoes") {
      garments_.add_quads(fitted.positions, fitted.proxy->quads);
      garment_part_.push_back(kind == "shoes" ? GarmentPart::kShoes : GarmentPart::kTop);
      garment_bottom_.push_back(
          kind == "shoes" ? nullptr : &quad_is_bottom[fitted.proxy - pack.proxies.data()]);
      for (auto v : fitted.proxy->delete_verts) hidden_[v] = 1;
    } else if (kind == "hat") {
      hat_.add_quads(fitted.positions, fitted.proxy->quads);
    } else if (kind == "hair") {
      hair_.add_quads(fitted.positions, fitted.proxy->quads);
    } else if (kind == "eyebrows") {
      eyebrows_ = &fitted;
    }
  }
  garments_.commit();
  hat_.commit();
  hair_.commit();
  brow_colour_ = Vec3(rgb_for_hair_colour(a.hair_colour)) * 0.7f;
  // Box around the eyebrow mesh, grown by the 4 mm paint radius: texels outside skip the search.
  for (std::size_t v = 0; eyebrows_ && v < eyebrows_->positions.size() / 3; ++v) {
    for (int k = 0; k < 3; ++k) {
      brow_lo_[k] = std::min(brow_lo_[k], eyebrows_->positions[3 * v + k] - 0.004f);
      brow_hi_[k] = std::max(brow_hi_[k], eyebrows_->positions[3 * v + k] + 0.004f);
    }
  }
  iris_ = rgb_for_eye_colour(a.eye_colour);
  maps_.resolution = t.resolution;
  maps_.values.assign(static_cast<std::size_t>(kMapLayers) * m_ * kMapChannels, 0.f);
  anchors_.assign(3 * m_, 0.f);
  outer_allowed_.assign(3 * m_, 0);
}

void HumanBake::bake_texel(std::size_t i, float sigma_scale) {
  const std::uint32_t* tri = &t_.triangles[3 * t_.triangle[i]];
  const float* bary = &t_.barycentric[3 * i];
  Texel x;
  x.index = i;
  x.p = {0, 0, 0};
  x.n = {0, 0, 0};
  for (int c = 0; c < 3; ++c) {
    x.p = x.p + row3(shaped_.data(), tri[c]) * bary[c];
    x.n = x.n + row3(shaped_normals_.data(), tri[c]) * bary[c];
  }
  x.n = normalized(x.n, row3(t_.normal.data(), i));
  x.rest = row3(t_.position.data(), i);
  x.region = t_.region[i];
  std::copy(x.p.begin(), x.p.end(), &anchors_[3 * i]);
  t_.frame(i, x.frame);
  const float growth = std::sqrt(triangle_area(shaped_.data(), tri) /
                                 std::max(triangle_area(t_.vertices.data(), tri), 1e-12f));
  x.sigma = 0.6f * sigma_scale * growth;  // 0.6 texel: neighbours overlap without holes

  // Layer 0: skin, with lips, eyebrows and stubble painted in.
  const float beard = in_region(x.region, Region::kFace) || in_region(x.region, Region::kUpperBody)
                          ? facial_hair_weight(rest_face_, x.rest, a_.facial_hair)
                          : 0.f;
  set_gaussian(maps_.at(0, i, m_), x.frame, x.rest, x.p, shade(skin_at(x, beard), x.n), 1.f,
               x.sigma, 0.3f * x.sigma, 0.f, TeacherPart::kSkin);
  const Vec3 origin = x.p - x.n * 0.008f;  // start inside the skin: tight garments may dip below it
  const bool garment = bake_garment(x, origin);
  const bool top = bake_top_layer(x, origin, beard);
  if (garment || top) ++outer_;
  // Skin the garments hide stays out of the render when a garment covers this texel.
  bool under = maps_.at(1, i, m_)[kOpacity] > 0.f;
  for (int c = 0; c < 3 && under; ++c) under = hidden_[pack_.body.body_to_full[tri[c]]] != 0;
  if (under) maps_.at(0, i, m_)[kOpacity] = 0.f;
}

Vec3 HumanBake::skin_at(const Texel& x, float beard) const {
  const Vec3& p = x.p;
  Vec3 skin = skin_colour(a_, x.rest, x.region, lip_weight(rest_face_, x.rest), seed_);
  const bool near_brows = p[0] >= brow_lo_[0] && p[0] <= brow_hi_[0] && p[1] >= brow_lo_[1] &&
                          p[1] <= brow_hi_[1] && p[2] >= brow_lo_[2] && p[2] <= brow_hi_[2];
  if (eyebrows_ && near_brows &&
      (in_region(x.region, Region::kFace) || in_region(x.region, Region::kScalp))) {
    float best = 1e9f;
    for (std::size_t v = 0; v < eyebrows_->positions.size() / 3; ++v)
      best = std::min(best, length(row3(eyebrows_->positions.data(), v) - p));
    const float brow =
        std::clamp((0.004f - best) / 0.002f, 0.f, 1.f);  // 2-4 mm around the brow mesh
    skin = skin * (1.f - brow) + brow_colour_ * brow;
  }
  if (a_.facial_hair == "stubble" && beard > 0.f) {
    const float dots = value_noise(x.rest, 900.f, seed_ + 3u);  // ~1 mm speckle
    skin = skin * (1.f - 0.45f * dots) +
           Vec3(rgb_for_hair_colour(a_.hair_colour)) * (0.45f * dots * 0.8f);
  }
  Vec3 eye;
  if (eye_colour_at(rest_face_, x.rest, iris_, eye)) skin = eye;
  return skin;
}

// Bottom garments are bottoms; lower-body texels always take the bottom colour so that the top
// colour stays inside the upper-body and arm regions (region-local edits). `quad` indexes the
// mesh's quads.
GarmentPart HumanBake::garment_part_at(std::size_t mesh, std::int32_t quad, int region) const {
  const GarmentPart part = garment_part_[mesh];
  const bool lower = in_region(region, Region::kLowerBody) || in_region(region, Region::kFeet);
  if (part == GarmentPart::kTop && (lower || (*garment_bottom_[mesh])[quad]))
    return GarmentPart::kBottom;
  return part;
}

bool HumanBake::bake_garment(const Texel& x, const Vec3& origin) {
  const std::size_t i = x.index;
  const bool garment_allowed =
      !in_region(x.region, Region::kFace) ||
      x.rest[1] < rest_face_.mouth[1] - 0.03f;  // collars reach the chin, not the face
  outer_allowed_[i] = garment_allowed;
  outer_allowed_[m_ + i] = hair_allowed(x.region, x.rest, rest_face_);
  outer_allowed_[2 * m_ + i] = garment_allowed && (in_region(x.region, Region::kUpperBody) ||
                                                   in_region(x.region, Region::kArms));
  RayHit hit;
  if (!garment_allowed || !garments_.intersect(origin, x.n, garment_reach(x.region) + 0.008f, hit))
    return false;
  // A tight garment that dips below the skin is lifted just above it: the skin would show through.
  constexpr float kAboveSkin =
      0.001f;  // metres: in front of the skin Gaussians' 0.3-sigma thickness
  const Vec3 h = origin + x.n * std::max(hit.distance, 0.008f + kAboveSkin);
  const GarmentPart part =
      garment_part_at(hit.mesh, static_cast<std::int32_t>(hit.triangle / 2), x.region);
  const float grow = std::min(3.f, 1.f + hit.distance / 0.1f);  // footprints spread with distance
  set_gaussian(maps_.at(1, i, m_), x.frame, x.rest, h,
               shade(garment_colour(a_, part, h, seed_), facing(hit.normal, x.n)), 1.f,
               x.sigma * grow, 0.3f * x.sigma, 0.f, teacher_part(part));
  return true;
}

// Layer 2: glasses in front of everything, else the hat, else hair, else facial hair.
bool HumanBake::bake_top_layer(const Texel& x, const Vec3& origin, float beard) {
  const std::size_t i = x.index;
  float* out = maps_.at(2, i, m_);
  Vec3 frame_point;
  if (glasses_point(rest_face_, face_, x.rest, x.p, a_.glasses, frame_point)) {
    const Vec3 colour = Vec3(rgb_for_colour_name(a_.glasses_colour));
    set_gaussian(out, x.frame, x.rest, frame_point, colour, 1.f, 0.0012f, 0.0012f, 0.f,
                 TeacherPart::kGlasses);
    return true;
  }
  const bool hair_here = hair_allowed(x.region, x.rest, rest_face_);
  RayHit hit;
  if (hair_here && hat_.intersect(origin, x.n, hair_reach(x.region) + 0.008f, hit)) {
    const Vec3 h = origin + x.n * hit.distance;
    const float grow = std::min(3.f, 1.f + hit.distance / 0.1f);
    set_gaussian(out, x.frame, x.rest, h,
                 shade(garment_colour(a_, GarmentPart::kHat, h, seed_), facing(hit.normal, x.n)),
                 1.f, x.sigma * grow, 0.3f * x.sigma, 0.f, TeacherPart::kHat);
    return true;
  }
  if (hair_here && hair_.intersect(origin, x.n, hair_reach(x.region) + 0.008f, hit)) {
    const Vec3 h = origin + x.n * hit.distance;
    const float grow = std::min(3.f, 1.f + hit.distance / 0.1f);
    set_gaussian(out, x.frame, x.rest, h,
                 shade(hair_colour(a_, hit.triangle / 4, h, seed_), facing(hit.normal, x.n)), 1.f,
                 x.sigma * grow, 0.3f * x.sigma, 0.f, TeacherPart::kHair);
    return true;
  }
  if (beard > 0.f && a_.facial_hair != "stubble") {
    const float length_m =
        a_.facial_hair == "beard" ? 0.008f : 0.004f;  // beard 8 mm, moustache 4 mm thick
    const Vec3 h = x.p + x.n * length_m;
    const Vec3 colour = hair_colour(a_, static_cast<std::int32_t>(i), h, seed_) * 0.9f;
    set_gaussian(out, x.frame, x.rest, h, shade(colour, x.n), 0.95f, x.sigma * 1.2f,
                 length_m * 0.5f, 0.f, TeacherPart::kFacialHair);
    return true;
  }
  return false;
}

FillStats HumanBake::fill_gaps(const std::vector<std::vector<float>>& rest_fitted,
                               const FillPlan* plan, FillPlan* record) {
  std::vector<FillSurface> surfaces;
  std::vector<std::vector<std::uint8_t>> top_quads;  // per garment: quads that take the top colour
  top_quads.reserve(garment_part_.size());
  for (const auto& fitted : human_.proxies) {
    const std::string& kind = fitted.proxy->kind;
    if (kind != "clothes" && kind != "shoes") continue;
    const auto g = static_cast<std::int32_t>(surfaces.size());
    top_quads.emplace_back(fitted.proxy->quads.size() / 4, 0);
    for (std::size_t q = 0; garment_part_[g] == GarmentPart::kTop && q < top_quads.back().size();
         ++q)
      top_quads.back()[q] = !(*garment_bottom_[g])[q];
    surfaces.push_back({&fitted.positions, &rest_fitted[fitted.proxy - pack_.proxies.data()],
                        &fitted.proxy->quads, 1, g, &top_quads.back()});
  }
  constexpr std::int32_t kHatMesh = 0,
                         kHairMesh = 1;  // layer-2 surface ids; the hat goes over the hair
  for (const std::int32_t id : {kHatMesh, kHairMesh}) {
    for (const auto& fitted : human_.proxies) {
      if (fitted.proxy->kind == (id == kHatMesh ? "hat" : "hair")) {
        surfaces.push_back({&fitted.positions, &rest_fitted[fitted.proxy - pack_.proxies.data()],
                            &fitted.proxy->quads, 2, id, nullptr});
      }
    }
  }
  const auto fill_appearance = [&](const FillSurface& s, std::int32_t quad, const Vec3& h,
                                   std::size_t texel) {
    if (s.layer == 2) {
      if (s.mesh == kHatMesh)
        return FillAppearance{garment_colour(a_, GarmentPart::kHat, h, seed_), TeacherPart::kHat};
      return FillAppearance{hair_colour(a_, quad / 2, h, seed_), TeacherPart::kHair};
    }
    const GarmentPart part =
        garment_part_at(static_cast<std::size_t>(s.mesh), quad, t_.region[texel]);
    return FillAppearance{garment_colour(a_, part, h, seed_), teacher_part(part)};
  };
  constexpr float kFillRadius =
      0.0025f;  // metres: within the 3 mm measure, with room for samples in between
  constexpr float kMaxAnchorDistance =
      0.25f;  // metres: long hair hangs this far from the nearest body texel
  return fill_uncovered(t_, surfaces, {&anchors_, &outer_allowed_}, fill_appearance, kFillRadius,
                        kMaxAnchorDistance, maps_, plan, record);
}

}  // namespace

Baker::Baker(const AssetPack& pack, const Template& tmpl)
    : pack_(pack), template_(tmpl), device_(std::make_unique<RayDevice>()) {
  // Texel footprint on the rest mesh: sqrt(3D area per UV area) / R is the side of a texel in
  // metres.
  const auto tri_uvs = body_triangle_uvs(pack.body);
  texel_sigma_scale_.resize(tmpl.texel_count());
  for (std::size_t i = 0; i < tmpl.texel_count(); ++i) {
    const std::uint32_t t = tmpl.triangle[i];
    const float area3 = triangle_area(tmpl.vertices.data(), &tmpl.triangles[3 * t]);
    const float* a = &pack.body.uvs[2 * tri_uvs[3 * t]];
    const float* b = &pack.body.uvs[2 * tri_uvs[3 * t + 1]];
    const float* c = &pack.body.uvs[2 * tri_uvs[3 * t + 2]];
    const float area_uv =
        0.5f * std::fabs((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1]));
    texel_sigma_scale_[i] =
        std::sqrt(area3 / std::max(area_uv, 1e-12f)) / static_cast<float>(tmpl.resolution);
  }
  // Trousers and skirts start at the waist: the head of spine04 in MakeHuman's rig.
  std::vector<float> heads, tails;
  joint_positions(pack.skeleton, pack.body.rest_full, heads, tails);
  const int spine = pack.skeleton.find("spine04");
  const float waist_y = spine >= 0 ? heads[3 * spine + 1] : 0.12f;  // 0.12 m: spine04's rest height
  quad_is_bottom_.resize(pack.proxies.size());
  rest_fitted_.resize(pack.proxies.size());
  for (std::size_t p = 0; p < pack.proxies.size(); ++p) {
    const std::string& kind = pack.proxies[p].kind;
    if (kind != "clothes" && kind != "shoes" && kind != "hat" && kind != "hair") continue;
    rest_fitted_[p] = fit_proxy(pack.proxies[p], pack.body.rest_full);
    if (kind == "clothes")
      quad_is_bottom_[p] = garment_bottom_quads(pack.proxies[p].quads, rest_fitted_[p], waist_y);
  }
}

Baker::~Baker() = default;

std::vector<std::uint8_t> garment_bottom_quads(const std::vector<std::int32_t>& quads,
                                               const std::vector<float>& positions, float waist_y) {
  const std::size_t vertex_count = positions.size() / 3, quad_count = quads.size() / 4;
  std::vector<std::int32_t> parent(vertex_count);
  for (std::size_t v = 0; v < vertex_count; ++v) parent[v] = static_cast<std::int32_t>(v);
  const auto find = [&](std::int32_t v) {
    while (parent[v] != v) v = parent[v] = parent[parent[v]];
    return v;
  };
  for (std::size_t q = 0; q < quad_count; ++q) {
    for (int c = 1; c < 4; ++c) parent[find(quads[4 * q + c])] = find(quads[4 * q]);
  }
  std::vector<char> below(quad_count);
  std::vector<std::size_t> total(vertex_count, 0), low(vertex_count, 0);
  for (std::size_t q = 0; q < quad_count; ++q) {
    float y = 0.f;
    for (int c = 0; c < 4; ++c) y += 0.25f * positions[3 * quads[4 * q + c] + 1];
    below[q] = y < waist_y;
    const auto root = find(quads[4 * q]);
    ++total[root];
    low[root] += below[q];
  }
  constexpr double kMajority = 0.7;  // a shirt hanging over the hips stays a top
  std::vector<std::uint8_t> out(quad_count);
  for (std::size_t q = 0; q < quad_count; ++q) {
    const auto root = find(quads[4 * q]);
    const double share = static_cast<double>(low[root]) / static_cast<double>(total[root]);
    out[q] = share >= kMajority ? 1 : share <= 1.0 - kMajority ? 0 : below[q];
  }
  return out;
}

BakedMaps Baker::bake(const Attributes& a, BakeReport* report) const {
  const HumanSpec spec = human_spec(pack_, a);
  const FillPlan& plan = fill_plan(a, spec);
  return bake_human(a, build_human(pack_, spec), &plan, nullptr, report);
}

const FillPlan& Baker::fill_plan(const Attributes& a, const HumanSpec& spec) const {
  // The plan depends on the meshes worn (which fill each other's gaps), not on the body or colours.
  std::string key;
  for (const auto& name : spec.proxies) key += name + "|";
  const auto found = plans_.find(key);
  if (found != plans_.end()) return found->second;
  HumanSpec canonical = spec;
  canonical.macro = MacroParams{};  // MakeHuman's default body, no detail modifiers
  canonical.details.clear();
  FillPlan plan;
  bake_human(a, build_human(pack_, canonical), nullptr, &plan, nullptr);
  return plans_.emplace(key, std::move(plan)).first->second;
}

BakedMaps Baker::bake_human(const Attributes& a, const Human& human, const FillPlan* plan,
                            FillPlan* record, BakeReport* report) const {
  HumanBake bake(a, human, pack_, template_, *device_, quad_is_bottom_);
  for (std::size_t i = 0; i < template_.texel_count(); ++i)
    bake.bake_texel(i, texel_sigma_scale_[i]);
  const FillStats filled = bake.fill_gaps(rest_fitted_, plan, record);
  if (report) {
    report->outer_texels = bake.outer_texels();
    report->filled_gaussians = filled.filled;
    report->dressed_points =
        sample_dressed_surface(pack_, human, bake.shaped(), bake.hidden(), report->point_part);
  }
  return bake.take_maps();
}

}  // namespace tera::synth
