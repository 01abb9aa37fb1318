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
  static const float kReach[kRegionCount] = {0.3f, 0.03f, 0.3f, 0.08f, 0.15f, 0.f};  // face: bangs only
  return kReach[region];
}

// Hair and hat meshes rely on alpha textures we do not have: their cards near the face would hide it.
// On the face, hair is kept only on the forehead (bangs), above the eyes.
bool hair_allowed(int region, const Vec3& rest, const FaceLandmarks& face) {
  if (region != static_cast<int>(Region::kFace)) return true;
  constexpr float kBangsAboveEyes = 0.015f;  // metres: bangs may reach the brows, not the eyes
  return rest[1] > 0.5f * (face.eye_left[1] + face.eye_right[1]) + kBangsAboveEyes;
}

// A hit surface's normal turned to face outward (along the body normal n): proxies are two-sided.
Vec3 facing(const Vec3& hit_normal, const Vec3& n) { return dot(hit_normal, n) < 0.f ? hit_normal * -1.f : hit_normal; }

void set_gaussian(float* out, const float frame[9], const Vec3& anchor_rest, const Vec3& world, const Vec3& colour,
                  float opacity, float sigma_plane, float sigma_normal, float angle, TeacherPart part) {
  const Vec3 d = world - anchor_rest;
  for (int k = 0; k < 3; ++k) out[kOffset + k] = dot(Vec3{frame[3 * k], frame[3 * k + 1], frame[3 * k + 2]}, d);
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

}  // namespace

Baker::Baker(const AssetPack& pack, const Template& tmpl) : pack_(pack), template_(tmpl), device_(std::make_unique<RayDevice>()) {
  // Texel footprint on the rest mesh: sqrt(3D area per UV area) / R is the side of a texel in metres.
  const auto tri_uvs = body_triangle_uvs(pack.body);
  texel_sigma_scale_.resize(tmpl.texel_count());
  for (std::size_t i = 0; i < tmpl.texel_count(); ++i) {
    const std::uint32_t t = tmpl.triangle[i];
    const float area3 = triangle_area(tmpl.vertices.data(), &tmpl.triangles[3 * t]);
    const float* a = &pack.body.uvs[2 * tri_uvs[3 * t]];
    const float* b = &pack.body.uvs[2 * tri_uvs[3 * t + 1]];
    const float* c = &pack.body.uvs[2 * tri_uvs[3 * t + 2]];
    const float area_uv = 0.5f * std::fabs((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1]));
    texel_sigma_scale_[i] = std::sqrt(area3 / std::max(area_uv, 1e-12f)) / static_cast<float>(tmpl.resolution);
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
    if (kind == "clothes") quad_is_bottom_[p] = garment_bottom_quads(pack.proxies[p].quads, rest_fitted_[p], waist_y);
  }
}

Baker::~Baker() = default;

std::vector<std::uint8_t> garment_bottom_quads(const std::vector<std::int32_t>& quads, const std::vector<float>& positions,
                                               float waist_y) {
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

BakedMaps Baker::bake_human(const Attributes& a, const Human& human, const FillPlan* plan, FillPlan* record,
                            BakeReport* report) const {
  const Template& t = template_;
  const std::size_t m = t.texel_count();
  const auto shaped = body_positions(pack_.body, human.full);
  const auto shaped_normals = vertex_normals(shaped, t.triangles);
  const FaceLandmarks rest_face = face_landmarks(pack_.skeleton, pack_.body.rest_full);
  const FaceLandmarks face = face_landmarks(pack_.skeleton, human.full);
  const std::uint32_t seed = seed32(a.seed);

  // Outer surfaces: garments (outfit, shoes) and the top layer (hat first, then hair).
  RayScene garments(*device_), hat(*device_), hair(*device_);
  std::vector<GarmentPart> garment_part;
  std::vector<const std::vector<std::uint8_t>*> garment_bottom;  // per garment mesh: bottom quads or null
  std::vector<char> hidden(pack_.body.full_count(), 0);  // body vertices covered by worn garments
  const FittedProxy* eyebrows = nullptr;
  for (const auto& fitted : human.proxies) {
    const std::string& kind = fitted.proxy->kind;
    if (kind == "clothes" || kind == "shoes") {
      garments.add_quads(fitted.positions, fitted.proxy->quads);
      garment_part.push_back(kind == "shoes" ? GarmentPart::kShoes : GarmentPart::kTop);
      garment_bottom.push_back(kind == "shoes" ? nullptr : &quad_is_bottom_[fitted.proxy - pack_.proxies.data()]);
      for (auto v : fitted.proxy->delete_verts) hidden[v] = 1;
    } else if (kind == "hat") {
      hat.add_quads(fitted.positions, fitted.proxy->quads);
    } else if (kind == "hair") {
      hair.add_quads(fitted.positions, fitted.proxy->quads);
    } else if (kind == "eyebrows") {
      eyebrows = &fitted;
    }
  }
  garments.commit();
  hat.commit();
  hair.commit();
  const Vec3 brow_colour = Vec3(rgb_for_hair_colour(a.hair_colour)) * 0.7f;

  // Box around the eyebrow mesh, grown by the 4 mm paint radius: texels outside skip the search.
  Vec3 brow_lo{1e9f, 1e9f, 1e9f}, brow_hi{-1e9f, -1e9f, -1e9f};
  for (std::size_t v = 0; eyebrows && v < eyebrows->positions.size() / 3; ++v) {
    for (int k = 0; k < 3; ++k) {
      brow_lo[k] = std::min(brow_lo[k], eyebrows->positions[3 * v + k] - 0.004f);
      brow_hi[k] = std::max(brow_hi[k], eyebrows->positions[3 * v + k] + 0.004f);
    }
  }
  const Vec3 iris = rgb_for_eye_colour(a.eye_colour);
  BakedMaps maps;
  maps.resolution = t.resolution;
  maps.values.assign(static_cast<std::size_t>(kMapLayers) * m * kMapChannels, 0.f);
  std::size_t outer = 0;
  std::vector<float> anchors(3 * m);                 // [M, 3] texel anchors on the shaped body
  std::vector<std::uint8_t> outer_allowed(3 * m, 0);  // [3, M] layers 1, 2 and tops in layer 1 may use this texel
  for (std::size_t i = 0; i < m; ++i) {
    const std::uint32_t* tri = &t.triangles[3 * t.triangle[i]];
    const float* bary = &t.barycentric[3 * i];
    Vec3 p{0, 0, 0}, n{0, 0, 0};
    for (int c = 0; c < 3; ++c) {
      p = p + row3(shaped.data(), tri[c]) * bary[c];
      n = n + row3(shaped_normals.data(), tri[c]) * bary[c];
    }
    n = normalized(n, row3(t.normal.data(), i));
    const Vec3 rest = row3(t.position.data(), i);
    const int region = t.region[i];
    std::copy(p.begin(), p.end(), &anchors[3 * i]);
    float frame[9];
    t.frame(i, frame);
    const float growth = std::sqrt(triangle_area(shaped.data(), tri) / std::max(triangle_area(t.vertices.data(), tri), 1e-12f));
    const float sigma = 0.6f * texel_sigma_scale_[i] * growth;  // 0.6 texel: neighbours overlap without holes

    // Layer 0: skin, with lips, eyebrows and stubble painted in.
    Vec3 skin = skin_colour(a, rest, region, lip_weight(rest_face, rest), seed);
    const bool near_brows = p[0] >= brow_lo[0] && p[0] <= brow_hi[0] && p[1] >= brow_lo[1] && p[1] <= brow_hi[1] &&
                            p[2] >= brow_lo[2] && p[2] <= brow_hi[2];
    if (eyebrows && near_brows && (region == static_cast<int>(Region::kFace) || region == static_cast<int>(Region::kScalp))) {
      float best = 1e9f;
      for (std::size_t v = 0; v < eyebrows->positions.size() / 3; ++v) best = std::min(best, length(row3(eyebrows->positions.data(), v) - p));
      const float brow = std::clamp((0.004f - best) / 0.002f, 0.f, 1.f);  // 2-4 mm around the brow mesh
      skin = skin * (1.f - brow) + brow_colour * brow;
    }
    const float beard = region == static_cast<int>(Region::kFace) || region == static_cast<int>(Region::kUpperBody)
                            ? facial_hair_weight(rest_face, rest, a.facial_hair) : 0.f;
    if (a.facial_hair == "stubble" && beard > 0.f) {
      const float dots = value_noise(rest, 900.f, seed + 3u);  // ~1 mm speckle
      skin = skin * (1.f - 0.45f * dots) + Vec3(rgb_for_hair_colour(a.hair_colour)) * (0.45f * dots * 0.8f);
    }
    Vec3 eye;
    if (eye_colour_at(rest_face, rest, iris, eye)) skin = eye;
    set_gaussian(maps.at(0, i, m), frame, rest, p, shade(skin, n), 1.f, sigma, 0.3f * sigma, 0.f, TeacherPart::kSkin);

    // Layer 1: garments and shoes.
    RayHit hit;
    const Vec3 origin = p - n * 0.008f;  // start inside the skin: tight garments may dip below it
    bool covered = false;
    const bool garment_allowed = region != static_cast<int>(Region::kFace) || rest[1] < rest_face.mouth[1] - 0.03f;  // collars reach the chin, not the face
    outer_allowed[i] = garment_allowed;
    outer_allowed[m + i] = hair_allowed(region, rest, rest_face);
    outer_allowed[2 * m + i] = garment_allowed && (region == static_cast<int>(Region::kUpperBody) || region == static_cast<int>(Region::kArms));
    if (garment_allowed && garments.intersect(origin, n, garment_reach(region) + 0.008f, hit)) {
      // A tight garment that dips below the skin is lifted just above it: the skin would show through.
      constexpr float kAboveSkin = 0.001f;  // metres: in front of the skin Gaussians' 0.3-sigma thickness
      const Vec3 h = origin + n * std::max(hit.distance, 0.008f + kAboveSkin);
      GarmentPart part = garment_part[hit.mesh];
      // Bottom garments are bottoms; lower-body texels always take the bottom colour so that the
      // top colour stays inside the upper-body and arm regions (region-local edits).
      const bool lower = region == static_cast<int>(Region::kLowerBody) || region == static_cast<int>(Region::kFeet);
      if (part == GarmentPart::kTop && (lower || (*garment_bottom[hit.mesh])[hit.triangle / 2])) part = GarmentPart::kBottom;
      const float grow = std::min(3.f, 1.f + hit.distance / 0.1f);  // footprints spread with distance
      set_gaussian(maps.at(1, i, m), frame, rest, h, shade(garment_colour(a, part, h, seed), facing(hit.normal, n)), 1.f, sigma * grow, 0.3f * sigma, 0.f,
                   teacher_part(part));
      covered = true;
    }
    // Layer 2: hat, else hair, else facial hair, and glasses in front of everything.
    Vec3 frame_point;
    if (glasses_point(rest_face, face, rest, p, a.glasses, frame_point)) {
      const Vec3 colour = Vec3(rgb_for_colour_name(a.glasses_colour));
      set_gaussian(maps.at(2, i, m), frame, rest, frame_point, colour, 1.f, 0.0012f, 0.0012f, 0.f, TeacherPart::kGlasses);
      covered = true;
    } else if (hair_allowed(region, rest, rest_face) && hat.intersect(origin, n, hair_reach(region) + 0.008f, hit)) {
      const Vec3 h = origin + n * hit.distance;
      const float grow = std::min(3.f, 1.f + hit.distance / 0.1f);
      set_gaussian(maps.at(2, i, m), frame, rest, h, shade(garment_colour(a, GarmentPart::kHat, h, seed), facing(hit.normal, n)), 1.f, sigma * grow, 0.3f * sigma, 0.f,
                   TeacherPart::kHat);
      covered = true;
    } else if (hair_allowed(region, rest, rest_face) && hair.intersect(origin, n, hair_reach(region) + 0.008f, hit)) {
      const Vec3 h = origin + n * hit.distance;
      const float grow = std::min(3.f, 1.f + hit.distance / 0.1f);
      // Hair Gaussians are stretched along the strand direction (down the head: the bitangent-ish
      // axis) to read as strands.
      set_gaussian(maps.at(2, i, m), frame, rest, h, shade(hair_colour(a, hit.triangle / 4, h, seed), facing(hit.normal, n)), 1.f, sigma * grow, 0.3f * sigma, 0.f,
                   TeacherPart::kHair);
      covered = true;
    } else if (beard > 0.f && a.facial_hair != "stubble") {
      const float length_m = a.facial_hair == "beard" ? 0.008f : 0.004f;  // beard 8 mm, moustache 4 mm thick
      const Vec3 h = p + n * length_m;
      const Vec3 colour = hair_colour(a, static_cast<std::int32_t>(i), h, seed) * 0.9f;
      set_gaussian(maps.at(2, i, m), frame, rest, h, shade(colour, n), 0.95f, sigma * 1.2f, length_m * 0.5f, 0.f, TeacherPart::kFacialHair);
      covered = true;
    }
    if (covered) ++outer;
    // Skin the garments hide stays out of the render when a garment covers this texel.
    bool under = maps.at(1, i, m)[kOpacity] > 0.f;
    for (int c = 0; c < 3 && under; ++c) under = hidden[pack_.body.body_to_full[tri[c]]] != 0;
    if (under) maps.at(0, i, m)[kOpacity] = 0.f;
  }
  // Outer surface no ray reached goes to the nearest free slot of its layer.
  std::vector<FillSurface> surfaces;
  std::vector<std::vector<std::uint8_t>> top_quads;  // per garment: quads that take the top colour
  top_quads.reserve(garment_part.size());
  for (const auto& fitted : human.proxies) {
    const std::string& kind = fitted.proxy->kind;
    if (kind != "clothes" && kind != "shoes") continue;
    const auto g = static_cast<std::int32_t>(surfaces.size());
    top_quads.emplace_back(fitted.proxy->quads.size() / 4, 0);
    for (std::size_t q = 0; garment_part[g] == GarmentPart::kTop && q < top_quads.back().size(); ++q) top_quads.back()[q] = !(*garment_bottom[g])[q];
    surfaces.push_back({&fitted.positions, &rest_fitted_[fitted.proxy - pack_.proxies.data()], &fitted.proxy->quads, 1, g,
                        &top_quads.back()});
  }
  constexpr std::int32_t kHatMesh = 0, kHairMesh = 1;  // layer-2 surface ids; the hat goes over the hair
  for (const std::int32_t id : {kHatMesh, kHairMesh}) {
    for (const auto& fitted : human.proxies) {
      if (fitted.proxy->kind == (id == kHatMesh ? "hat" : "hair")) {
        surfaces.push_back({&fitted.positions, &rest_fitted_[fitted.proxy - pack_.proxies.data()], &fitted.proxy->quads, 2, id, nullptr});
      }
    }
  }
  const auto fill_appearance = [&](const FillSurface& s, std::int32_t quad, const Vec3& h, std::size_t texel) {
    if (s.layer == 2) {
      if (s.mesh == kHatMesh) return FillAppearance{garment_colour(a, GarmentPart::kHat, h, seed), TeacherPart::kHat};
      return FillAppearance{hair_colour(a, quad / 2, h, seed), TeacherPart::kHair};
    }
    GarmentPart part = garment_part[s.mesh];
    const int region = t.region[texel];
    const bool lower = region == static_cast<int>(Region::kLowerBody) || region == static_cast<int>(Region::kFeet);
    if (part == GarmentPart::kTop && (lower || (*garment_bottom[s.mesh])[quad])) part = GarmentPart::kBottom;
    return FillAppearance{garment_colour(a, part, h, seed), teacher_part(part)};
  };
  constexpr float kFillRadius = 0.0025f;        // metres: within the 3 mm measure, with room for samples in between
  constexpr float kMaxAnchorDistance = 0.25f;   // metres: long hair hangs this far from the nearest body texel
  const FillStats filled = fill_uncovered(t, surfaces, {&anchors, &outer_allowed}, fill_appearance, kFillRadius, kMaxAnchorDistance,
                                          maps, plan, record);
  if (report) {
    report->outer_texels = outer;
    report->filled_gaussians = filled.filled;
    report->dressed_points = sample_dressed_surface(pack_, human, shaped, hidden, report->point_part);
  }
  return maps;
}

}  // namespace tera::synth
