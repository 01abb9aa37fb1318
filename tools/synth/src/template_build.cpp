// Building the UV template: rasterise the body's UV triangles, interpolate frames, regions and
// skin weights per texel.
#include <algorithm>
#include <cmath>
#include <map>

#include "asset_pack.h"
#include "mesh_geometry.h"
#include "template.h"
#include "tera/core/error.h"
#include "vec3.h"

namespace tera::synth {

namespace {

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// Body part a bone moves; head bones are split into face and scalp later.
Region bone_region(const std::string& name) {
  for (const char* p : {"foot", "toe"})
    if (starts_with(name, p)) return Region::kFeet;
  for (const char* p : {"pelvis", "upperleg", "lowerleg", "root"})
    if (starts_with(name, p)) return Region::kLowerBody;
  for (const char* p : {"shoulder", "upperarm", "lowerarm", "wrist", "metacarpal", "finger"})
    if (starts_with(name, p)) return Region::kArms;
  for (const char* p : {"spine", "clavicle", "breast", "neck"})
    if (starts_with(name, p)) return Region::kUpperBody;
  return Region::kFace;
}

}  // namespace

std::vector<std::uint8_t> body_vertex_regions(const AssetPack& pack) {
  const BodyMesh& body = pack.body;
  std::vector<Region> bone_regions;
  for (const auto& bone : pack.skeleton.bones) bone_regions.push_back(bone_region(bone.name));
  // The eyes' joints split the head: the face lies in front of and below the hairline.
  std::vector<float> heads, tails;
  joint_positions(pack.skeleton, body.rest_full, heads, tails);
  const int eye = pack.skeleton.find("eye.L");
  if (eye < 0) throw InputError("asset pack: the skeleton has no bone 'eye.L'");
  const Vec3 eye_pos = row3(heads.data(), eye);
  constexpr float kHairlineAboveEyes = 0.045f;  // metres: forehead height above the eye centres
  constexpr float kFaceBehindEyes = 0.045f;     // metres: the face ends in front of the ears
  std::vector<std::uint8_t> out(body.body_count());
  for (std::size_t v = 0; v < body.body_count(); ++v) {
    const auto full = body.body_to_full[v];
    float score[kRegionCount] = {0.f};
    for (int k = 0; k < kSkinInfluences; ++k) {
      score[static_cast<int>(bone_regions[pack.weights.bones[full * kSkinInfluences + k]])] +=
          pack.weights.weights[full * kSkinInfluences + k];
    }
    const int best = static_cast<int>(std::max_element(score, score + kRegionCount) - score);
    Region region = static_cast<Region>(best);
    if (region == Region::kFace) {
      const Vec3 p = row3(body.rest_full.data(), full);
      const bool face =
          p[1] < eye_pos[1] + kHairlineAboveEyes && p[2] > eye_pos[2] - kFaceBehindEyes;
      region = face ? Region::kFace : Region::kScalp;
    }
    out[v] = static_cast<std::uint8_t>(region);
  }
  return out;
}

namespace {

// Which body triangle owns each texel of the R x R UV map (-1: none) and where in it the texel
// centre lies: the most inside triangle wins, texels exactly on shared edges are kept.
struct TexelOwners {
  std::vector<std::int64_t> triangle;             // [R * R]
  std::vector<std::array<float, 3>> barycentric;  // [R * R] clamped to >= 0, not normalised
};
TexelOwners rasterise_uv(const BodyMesh& body, const std::vector<std::uint32_t>& triangles,
                         const std::vector<std::uint32_t>& tri_uvs, int resolution) {
  const std::size_t cells = static_cast<std::size_t>(resolution) * resolution;
  TexelOwners owners{std::vector<std::int64_t>(cells, -1),
                     std::vector<std::array<float, 3>>(cells)};
  std::vector<float> owner_score(cells, -1e9f);
  const float r = static_cast<float>(resolution);
  for (std::size_t tri = 0; tri < triangles.size() / 3; ++tri) {
    float px[3], py[3];
    for (int c = 0; c < 3; ++c) {
      px[c] = body.uvs[2 * tri_uvs[3 * tri + c]] * r;
      py[c] = (1.f - body.uvs[2 * tri_uvs[3 * tri + c] + 1]) * r;
    }
    const float det = (py[1] - py[2]) * (px[0] - px[2]) + (px[2] - px[1]) * (py[0] - py[2]);
    if (std::fabs(det) < 1e-12f) continue;  // degenerate in UV space
    const int x0 =
        std::max(0, static_cast<int>(std::floor(std::min({px[0], px[1], px[2]}) - 0.5f)));
    const int x1 = std::min(resolution - 1,
                            static_cast<int>(std::ceil(std::max({px[0], px[1], px[2]}) - 0.5f)));
    const int y0 =
        std::max(0, static_cast<int>(std::floor(std::min({py[0], py[1], py[2]}) - 0.5f)));
    const int y1 = std::min(resolution - 1,
                            static_cast<int>(std::ceil(std::max({py[0], py[1], py[2]}) - 0.5f)));
    for (int y = y0; y <= y1; ++y) {
      for (int x = x0; x <= x1; ++x) {
        const float cx = x + 0.5f, cy = y + 0.5f;  // texel centre
        const float b0 = ((py[1] - py[2]) * (cx - px[2]) + (px[2] - px[1]) * (cy - py[2])) / det;
        const float b1 = ((py[2] - py[0]) * (cx - px[2]) + (px[0] - px[2]) * (cy - py[2])) / det;
        const float b2 = 1.f - b0 - b1;
        const float score = std::min({b0, b1, b2});  // > 0 inside; the most inside triangle wins
        constexpr float kInsideTolerance = -1e-5f;   // keeps texels exactly on shared edges
        const std::size_t cell = static_cast<std::size_t>(y) * resolution + x;
        if (score >= kInsideTolerance && score > owner_score[cell]) {
          owner_score[cell] = score;
          owners.triangle[cell] = static_cast<std::int64_t>(tri);
          owners.barycentric[cell] = {std::max(0.f, b0), std::max(0.f, b1), std::max(0.f, b2)};
        }
      }
    }
  }
  return owners;
}

// Tangent along +u from triangle `tri`'s UV parameterisation, made orthogonal to the unit normal n.
Vec3 uv_tangent(const BodyMesh& body, const std::vector<float>& vertices, const std::uint32_t* idx,
                const std::uint32_t* uv_idx, const Vec3& n) {
  const Vec3 e1 = row3(vertices.data(), idx[1]) - row3(vertices.data(), idx[0]);
  const Vec3 e2 = row3(vertices.data(), idx[2]) - row3(vertices.data(), idx[0]);
  const float* uv0 = &body.uvs[2 * uv_idx[0]];
  const float* uv1 = &body.uvs[2 * uv_idx[1]];
  const float* uv2 = &body.uvs[2 * uv_idx[2]];
  const float du1 = uv1[0] - uv0[0], dv1 = uv1[1] - uv0[1], du2 = uv2[0] - uv0[0],
              dv2 = uv2[1] - uv0[1];
  Vec3 tangent = e1 * dv2 - e2 * dv1;
  if (du1 * dv2 - du2 * dv1 < 0.f) tangent = tangent * -1.f;
  Vec3 fallback = std::fabs(n[0]) < 0.9f ? Vec3{1.f, 0.f, 0.f} : Vec3{0.f, 1.f, 0.f};
  tangent = tangent - n * dot(n, tangent);
  fallback = normalized(fallback - n * dot(n, fallback));
  return normalized(tangent, fallback);
}

// Skin weights of a texel: the corners' influences blended by `bary`, the top kTemplateInfluences
// kept and normalised; appended to `bones` and `weights` (zeros pad).
void append_influences(const AssetPack& pack, const std::uint32_t* idx,
                       const std::array<float, 3>& bary, std::vector<std::uint16_t>& bones,
                       std::vector<float>& weights) {
  std::map<std::uint16_t, float> influence;
  for (int c = 0; c < 3; ++c) {
    const auto full = pack.body.body_to_full[idx[c]];
    for (int k = 0; k < kSkinInfluences; ++k) {
      const float w = pack.weights.weights[full * kSkinInfluences + k] * bary[c];
      if (w > 0.f) influence[pack.weights.bones[full * kSkinInfluences + k]] += w;
    }
  }
  std::vector<std::pair<float, std::uint16_t>> sorted;
  for (const auto& [bone, w] : influence) sorted.push_back({w, bone});
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  sorted.resize(std::min<std::size_t>(sorted.size(), kTemplateInfluences));
  float wsum = 0.f;
  for (const auto& s : sorted) wsum += s.first;
  for (int k = 0; k < kTemplateInfluences; ++k) {
    const bool has = k < static_cast<int>(sorted.size()) && wsum > 0.f;
    bones.push_back(has ? sorted[k].second : 0);
    weights.push_back(has ? sorted[k].first / wsum : 0.f);
  }
}

}  // namespace

Template build_template(const AssetPack& pack, int resolution) {
  if (resolution < 16)
    throw UsageError("template resolution must be at least 16, got " + std::to_string(resolution));
  const BodyMesh& body = pack.body;
  Template t;
  t.resolution = resolution;
  t.vertices = body_positions(body, body.rest_full);
  t.triangles = body_triangles(body);
  const auto tri_uvs = body_triangle_uvs(body);
  const auto normals = vertex_normals(t.vertices, t.triangles);
  const auto regions = body_vertex_regions(pack);
  const TexelOwners owners = rasterise_uv(body, t.triangles, tri_uvs, resolution);
  for (std::size_t cell = 0; cell < owners.triangle.size(); ++cell) {
    if (owners.triangle[cell] < 0) continue;
    const auto tri = static_cast<std::size_t>(owners.triangle[cell]);
    auto bary = owners.barycentric[cell];
    const float sum = bary[0] + bary[1] + bary[2];
    for (auto& b : bary) b /= sum;
    const std::uint32_t* idx = &t.triangles[3 * tri];
    Vec3 p{0, 0, 0}, n{0, 0, 0};
    for (int c = 0; c < 3; ++c) {
      p = p + row3(t.vertices.data(), idx[c]) * bary[c];
      n = n + row3(normals.data(), idx[c]) * bary[c];
    }
    const Vec3 e1 = row3(t.vertices.data(), idx[1]) - row3(t.vertices.data(), idx[0]);
    const Vec3 e2 = row3(t.vertices.data(), idx[2]) - row3(t.vertices.data(), idx[0]);
    n = normalized(n, normalized(cross(e1, e2)));
    const Vec3 tangent = uv_tangent(body, t.vertices, idx, &tri_uvs[3 * tri], n);
    const Vec3 bitangent = cross(n, tangent);
    // Region: the corner with the largest weight decides.
    const int corner = static_cast<int>(std::max_element(bary.begin(), bary.end()) - bary.begin());
    t.texel.push_back(static_cast<std::uint32_t>(cell));
    t.triangle.push_back(static_cast<std::uint32_t>(tri));
    t.barycentric.insert(t.barycentric.end(), bary.begin(), bary.end());
    t.position.insert(t.position.end(), p.begin(), p.end());
    t.normal.insert(t.normal.end(), n.begin(), n.end());
    t.tangent.insert(t.tangent.end(), tangent.begin(), tangent.end());
    t.bitangent.insert(t.bitangent.end(), bitangent.begin(), bitangent.end());
    t.region.push_back(regions[idx[corner]]);
    append_influences(pack, idx, bary, t.bones, t.weights);
  }
  std::vector<float> heads, tails;
  joint_positions(pack.skeleton, body.rest_full, heads, tails);
  for (const auto& bone : pack.skeleton.bones) {
    t.bone_names.push_back(bone.name);
    t.bone_parents.push_back(bone.parent);
  }
  t.bone_heads = heads;
  t.bone_tails = tails;
  return t;
}

}  // namespace tera::synth
