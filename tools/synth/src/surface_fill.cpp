// Nearest-anchor filling of the outer layers: ray casts along texel normals miss surface that no
// ray from the body reaches (inner hair cards, insides of cuffs and collars, hair hanging beside
// the shoulders). Such surface is sampled densely and each uncovered sample becomes a Gaussian
// anchored at the nearest texel whose slot in the sample's layer is still free.
#include "surface_fill.h"

#include <algorithm>
#include <cmath>

#include "face_features.h"
#include "tera/core/rng.h"

namespace tera::synth {
namespace {

constexpr float kFlatRatio = 0.3f;  // thickness / width of a surface Gaussian, as baked texels
constexpr float kGarmentOwnReach =
    0.05f;  // metres: garment slots further than this give way to the fallback layer
constexpr std::uint64_t kFillStreamSeed =
    0xF111A5C0DEull;  // fixed, and not the coverage measure's samples

// A uniform grid of linked lists over a box; points outside fall into the border cells, so
// lookups stay correct (only slower) there. Items may be added while searching.
class CellGrid {
 public:
  CellGrid(const Vec3& lo, const Vec3& hi, float cell) : lo_(lo), cell_(cell) {
    for (int k = 0; k < 3; ++k)
      dims_[k] = std::max(1, static_cast<int>((hi[k] - lo[k]) / cell) + 1);
    head_.assign(static_cast<std::size_t>(dims_[0]) * dims_[1] * dims_[2], -1);
  }
  int coord(float x, int k) const {
    return std::clamp(static_cast<int>(std::floor((x - lo_[k]) / cell_)), 0, dims_[k] - 1);
  }
  int dim(int k) const { return dims_[k]; }
  float cell() const { return cell_; }
  std::size_t index(int x, int y, int z) const {
    return (static_cast<std::size_t>(z) * dims_[1] + y) * dims_[0] + x;
  }
  void add(std::size_t cell, std::uint32_t item) {
    nodes_.push_back({item, head_[cell]});
    head_[cell] = static_cast<std::int32_t>(nodes_.size() - 1);
  }
  // Adds `item` to every cell the cube of half-side r around c touches.
  void add_cube(const Vec3& c, float r, std::uint32_t item) {
    int lo[3], hi[3];
    for (int k = 0; k < 3; ++k) {
      lo[k] = coord(c[k] - r, k);
      hi[k] = coord(c[k] + r, k);
    }
    for (int z = lo[2]; z <= hi[2]; ++z)
      for (int y = lo[1]; y <= hi[1]; ++y)
        for (int x = lo[0]; x <= hi[0]; ++x) add(index(x, y, z), item);
  }
  template <class Visit>  // Visit(item) -> true to stop
  bool visit(std::size_t cell, Visit&& visit_item) const {
    for (std::int32_t n = head_[cell]; n >= 0; n = nodes_[n].next)
      if (visit_item(nodes_[n].item)) return true;
    return false;
  }

 private:
  struct Node {
    std::uint32_t item;
    std::int32_t next;
  };
  Vec3 lo_;
  float cell_;
  int dims_[3];
  std::vector<std::int32_t> head_;  // [cells] first node or -1
  std::vector<Node> nodes_;
};

float sq(float x) { return x * x; }

// An axis-aligned box grown around point lists [P, 3].
struct Box {
  Vec3 lo{1e9f, 1e9f, 1e9f}, hi{-1e9f, -1e9f, -1e9f};
  void grow(const std::vector<float>& points) {
    for (std::size_t i = 0; i < points.size(); ++i) {
      lo[i % 3] = std::min(lo[i % 3], points[i]);
      hi[i % 3] = std::max(hi[i % 3], points[i]);
    }
  }
};

// One half of a quad of a fill surface, fitted to the body being baked.
struct Triangle {
  Vec3 a, b, d;
  Vec3 normal;  // unnormalised: its length is twice the area
};
Triangle fill_triangle(const FillSurface& s, std::size_t q, int half) {
  const auto& pos = *s.positions;
  const std::int32_t* c = &(*s.quads)[4 * q];
  Triangle tri{row3(pos.data(), c[0]),
               row3(pos.data(), c[half ? 2 : 1]),
               row3(pos.data(), c[half ? 3 : 2]),
               {}};
  tri.normal = cross(tri.b - tri.a, tri.d - tri.a);
  return tri;
}

// Each triangle draws from its own stream, so its k-th sample is the same point of the mesh (the
// same barycentric coordinates) on every body it is fitted to. A stream shared by all triangles
// would shift whenever one triangle's sample count changes with the body's shape.
Rng triangle_stream(int layer, std::size_t q, int half) {
  return Rng(kFillStreamSeed ^ (static_cast<std::uint64_t>(layer) << 40) ^
             (static_cast<std::uint64_t>(q) << 1) ^ static_cast<std::uint64_t>(half));
}
// Samples on a triangle: one per kSampleSpacing square of its area, the fraction rounded at
// random (the stream's first draw).
int sample_count(Rng& rng, const Vec3& normal) {
  const float expected = 0.5f * length(normal) / (kSampleSpacing * kSampleSpacing);
  int count = static_cast<int>(expected);
  if (rng.uniform() < expected - static_cast<float>(count)) ++count;
  return count;
}
// The stream's next sample as barycentric coordinates (u, v) (weights of corners b and d).
void next_sample(Rng& rng, float& u, float& v) {
  u = rng.uniform();
  v = rng.uniform();
  if (u + v > 1.f) {
    u = 1.f - u;
    v = 1.f - v;
  }
}
// The k-th sample of a triangle's stream.
void triangle_sample(int layer, std::size_t q, int half, int k, float& u, float& v) {
  Rng rng = triangle_stream(layer, q, half);
  rng.uniform();  // the draw that rounded the sample count
  for (int j = 0; j <= k; ++j) next_sample(rng, u, v);
}

// Whether the texel nearest to p within a cell of p's cell may hold its layer (a point further
// from the body than that is not in front of the face).
template <class Allowed>
bool nearest_allowed(const CellGrid& grid, const std::vector<float>& position, const Vec3& p,
                     const Allowed& allowed) {
  float best = 1e30f;
  std::int64_t nearest = -1;
  const int c[3] = {grid.coord(p[0], 0), grid.coord(p[1], 1), grid.coord(p[2], 2)};
  for (int z = std::max(c[2] - 1, 0); z <= std::min(c[2] + 1, grid.dim(2) - 1); ++z)
    for (int y = std::max(c[1] - 1, 0); y <= std::min(c[1] + 1, grid.dim(1) - 1); ++y)
      for (int x = std::max(c[0] - 1, 0); x <= std::min(c[0] + 1, grid.dim(0) - 1); ++x)
        grid.visit(grid.index(x, y, z), [&](std::uint32_t i) {
          const float d2 = sq(position[3 * i] - p[0]) + sq(position[3 * i + 1] - p[1]) +
                           sq(position[3 * i + 2] - p[2]);
          if (d2 < best) {
            best = d2;
            nearest = i;
          }
          return false;
        });
  return nearest < 0 || allowed(static_cast<std::uint32_t>(nearest));
}

// Nearest texel with a usable slot in the sample's own layer within `own_max`, and else nearest
// with a usable slot in the fallback layer within `max`. `spent_own` / `spent_fallback` [cells]
// mark cells with no usable slot left in the own or the fallback layer; slots are only ever
// taken, so a spent cell stays spent.
struct Anchor {
  std::int64_t own = -1, fallback = -1;
};
template <class Own, class Fallback>
Anchor find_anchor(const CellGrid& grid, const std::vector<float>& position, const Vec3& p,
                   float own_max, float max, const Own& own_usable, const Fallback& fallback_usable,
                   std::uint8_t* spent_own, std::uint8_t* spent_fallback) {
  Anchor a;
  float best_own = sq(own_max), best_fallback = sq(max);
  const int c[3] = {grid.coord(p[0], 0), grid.coord(p[1], 1), grid.coord(p[2], 2)};
  const int rings = static_cast<int>(std::ceil(std::max(own_max, max) / grid.cell())) + 1;
  for (int k = 0; k <= rings; ++k) {
    for (int z = std::max(c[2] - k, 0); z <= std::min(c[2] + k, grid.dim(2) - 1); ++z)
      for (int y = std::max(c[1] - k, 0); y <= std::min(c[1] + k, grid.dim(1) - 1); ++y) {
        const auto visit_cell = [&](int x) {
          if (x < 0 || x >= grid.dim(0)) return;
          const std::size_t cell = grid.index(x, y, z);
          const bool own = !spent_own[cell], fallback = !spent_fallback[cell];
          if (!own && !fallback) return;
          bool any_own = false, any_fallback = false;
          grid.visit(cell, [&](std::uint32_t i) {
            const float d2 = sq(position[3 * i] - p[0]) + sq(position[3 * i + 1] - p[1]) +
                             sq(position[3 * i + 2] - p[2]);
            if (own && own_usable(i)) {
              any_own = true;
              if (d2 < best_own) {
                best_own = d2;
                a.own = i;
              }
            }
            if (fallback && fallback_usable(i)) {
              any_fallback = true;
              if (d2 < best_fallback) {
                best_fallback = d2;
                a.fallback = i;
              }
            }
            return false;
          });
          spent_own[cell] = !any_own;
          spent_fallback[cell] = !any_fallback;
        };
        if (k == 0 || std::abs(z - c[2]) == k ||
            std::abs(y - c[1]) == k) {  // a whole row of ring k's shell
          for (int x = c[0] - k; x <= c[0] + k; ++x) visit_cell(x);
        } else {  // only the shell's two ends
          visit_cell(c[0] - k);
          visit_cell(c[0] + k);
        }
      }
    // Cells of ring k + 1 lie at least k cells away from p.
    const float searched = static_cast<float>(k) * grid.cell();
    if (a.own >= 0 && std::sqrt(best_own) <= searched) break;
    if (searched >= own_max && a.fallback >= 0 && std::sqrt(best_fallback) <= searched) break;
  }
  return a;
}

// Every Gaussian placed so far (any layer), filed under each cell its reach touches: a point is
// covered when it lies within `radius` of some Gaussian's extent (capped as the coverage measure
// caps it).
class CoverIndex {
 public:
  CoverIndex(const Box& box, float radius) : grid_(box.lo, box.hi, kCoverCell), radius_(radius) {}
  void add(const Vec3& c, float extent) {
    const auto g = static_cast<std::uint32_t>(reach_.size());
    centre_.insert(centre_.end(), c.begin(), c.end());
    reach_.push_back(radius_ + std::min(extent, kCoverageExtentCap));
    grid_.add_cube(c, reach_.back(), g);
  }
  bool covers(const Vec3& p) const {
    return grid_.visit(
        grid_.index(grid_.coord(p[0], 0), grid_.coord(p[1], 1), grid_.coord(p[2], 2)),
        [&](std::uint32_t g) {
          return sq(centre_[3 * g] - p[0]) + sq(centre_[3 * g + 1] - p[1]) +
                     sq(centre_[3 * g + 2] - p[2]) <=
                 sq(reach_[g]);
        });
  }

 private:
  static constexpr float kCoverCell = 0.015f;  // metres: about one reach (3 mm + a texel's sigma)
  CellGrid grid_;
  float radius_;
  std::vector<float> centre_, reach_;  // [G, 3], [G]
};

// Writes a fill Gaussian for surface point p (triangle normal `normal`, unnormalised) into texel
// i's slot `g` [C]: flat across the surface normal, within what an anchor frame can express (a
// rotation about the anchor normal): flat along the normal, or along the rotated tangent.
void write_fill_gaussian(const Template& t, const Vec3& anchor, std::size_t i, const Vec3& normal,
                         const Vec3& p, const FillAppearance& look, float* g) {
  const Vec3 tangent = row3(t.tangent.data(), i), bitangent = row3(t.bitangent.data(), i),
             n = row3(t.normal.data(), i);
  Vec3 nu = normalized(normal, n);
  const Vec3 out = p - anchor;
  if (dot(nu, out) < 0.f) nu = nu * -1.f;  // face away from the body
  const float along_normal = std::fabs(dot(nu, n));
  const float along_plane = std::sqrt(std::max(0.f, 1.f - along_normal * along_normal));
  const Vec3 rel = p - row3(t.position.data(), i);
  g[kOffset] = dot(rel, tangent);
  g[kOffset + 1] = dot(rel, bitangent);
  g[kOffset + 2] = dot(rel, n);
  const Vec3 rgb = shade(look.colour, nu);
  for (int ch = 0; ch < 3; ++ch) g[kColour + ch] = rgb[ch];
  g[kPart] = static_cast<float>(look.part);
  g[kOpacity] = 1.f;
  const float thin = std::log(kFlatRatio * kFillSigma), wide = std::log(kFillSigma);
  if (along_normal >= along_plane) {
    g[kLogScale] = g[kLogScale + 1] = wide;
    g[kLogScale + 2] = thin;
    g[kAngle] = 0.f;
  } else {
    g[kLogScale] = thin;
    g[kLogScale + 1] = g[kLogScale + 2] = wide;
    g[kAngle] =
        std::atan2(dot(nu, bitangent), dot(nu, tangent));  // thin axis along the surface normal
  }
}

// Box around the given point lists [P, 3] (the anchors, then each surface's fitted or rest points).
Box surfaces_box(const std::vector<float>& anchors, const std::vector<FillSurface>& surfaces,
                 bool rest) {
  Box box;
  box.grow(anchors);
  for (const auto& s : surfaces) box.grow(rest ? *s.rest_positions : *s.positions);
  return box;
}

// One fill_uncovered call: the coverage so far, the rest texels' grid with its spent cells, and
// the placements.
class SurfaceFiller {
 public:
  SurfaceFiller(const Template& t, const std::vector<FillSurface>& surfaces,
                const FillTexels& texels, const FillAppearanceFn& appearance, float radius,
                float max_anchor_distance, BakedMaps& maps);
  // Places a plan's samples, each into its slot when the slot is still free.
  void replay(const FillPlan& plan);
  // Samples surface si densely and places each uncovered sample at its anchor.
  void fill_surface(std::size_t si, FillPlan* record);
  const FillStats& stats() const { return stats_; }

 private:
  void place(const FillSurface& s, std::size_t q, const Vec3& normal, const Vec3& p, int layer,
             std::size_t i);

  const Template& t_;
  const std::vector<FillSurface>& surfaces_;
  const std::vector<float>& anchor_;          // [M, 3] on the shaped body
  const std::vector<std::uint8_t>& allowed_;  // [3, M] as FillTexels::allowed
  const FillAppearanceFn& appearance_;
  const float max_anchor_distance_;
  BakedMaps& maps_;
  const std::size_t m_;
  CoverIndex cover_;
  // Anchors are chosen on the rest body: the template's rest anchors and each sample's point on
  // its mesh fitted to the rest body. Distances on the shaped body would change which of two
  // nearly equidistant texels a sample takes from one body to the next.
  CellGrid texel_grid_;
  std::size_t cells_ = 0;
  // [5, cells]: no usable slot left for garments in layer 1 (row 0) or 2 (row 1), for hair and
  // hats in layer 2 (row 2), for confined garment quads in layer 1 (row 4); row 3 stands for
  // "no fallback" and is spent everywhere.
  std::vector<std::uint8_t> spent_;
  FillStats stats_;
};

constexpr float kTexelCell = 0.02f;  // metres: a few texels per cell

SurfaceFiller::SurfaceFiller(const Template& t, const std::vector<FillSurface>& surfaces,
                             const FillTexels& texels, const FillAppearanceFn& appearance,
                             float radius, float max_anchor_distance, BakedMaps& maps)
    : t_(t),
      surfaces_(surfaces),
      anchor_(*texels.position),
      allowed_(*texels.allowed),
      appearance_(appearance),
      max_anchor_distance_(max_anchor_distance),
      maps_(maps),
      m_(t.texel_count()),
      cover_(surfaces_box(anchor_, surfaces, false), radius),
      texel_grid_([&] {
        const Box rest_box = surfaces_box(t.position, surfaces, true);
        return CellGrid(rest_box.lo, rest_box.hi, kTexelCell);
      }()) {
  const GaussianSet baked = assemble_gaussians(t, maps);  // what the maps show so far
  for (std::size_t g = 0; g < baked.size(); ++g) {
    const float* s = &baked.log_scales[3 * g];
    cover_.add(row3(baked.positions.data(), g), std::exp(std::max({s[0], s[1], s[2]})));
  }
  const std::vector<float>& rest_anchor = t.position;
  for (std::size_t i = 0; i < m_; ++i) {
    texel_grid_.add(texel_grid_.index(texel_grid_.coord(rest_anchor[3 * i], 0),
                                      texel_grid_.coord(rest_anchor[3 * i + 1], 1),
                                      texel_grid_.coord(rest_anchor[3 * i + 2], 2)),
                    static_cast<std::uint32_t>(i));
  }
  cells_ = static_cast<std::size_t>(texel_grid_.dim(0)) * texel_grid_.dim(1) * texel_grid_.dim(2);
  spent_.assign(5 * cells_, 0);
  std::fill(spent_.begin() + static_cast<std::ptrdiff_t>(3 * cells_),
            spent_.begin() + static_cast<std::ptrdiff_t>(4 * cells_), 1);
}

// Puts sample p of quad q of surface s (triangle normal `normal`) into slot (layer, i).
void SurfaceFiller::place(const FillSurface& s, std::size_t q, const Vec3& normal, const Vec3& p,
                          int layer, std::size_t i) {
  const FillAppearance look = appearance_(s, static_cast<std::int32_t>(q), p, i);
  write_fill_gaussian(t_, row3(anchor_.data(), i), i, normal, p, look,
                      maps_.at(static_cast<std::size_t>(layer), i, m_));
  cover_.add(p, kFillSigma);
  ++stats_.filled;
}

void SurfaceFiller::replay(const FillPlan& plan) {
  for (const FillPlacement& e : plan) {
    if (e.surface < 0 || static_cast<std::size_t>(e.surface) >= surfaces_.size()) continue;
    const FillSurface& s = surfaces_[static_cast<std::size_t>(e.surface)];
    const auto q = static_cast<std::size_t>(e.quad);
    if (q >= s.quads->size() / 4 || e.texel >= m_ ||
        maps_.at(static_cast<std::size_t>(e.layer), e.texel, m_)[kOpacity] != 0.f)
      continue;
    const Triangle tri = fill_triangle(s, q, e.half);
    float u = 0.f, v = 0.f;
    triangle_sample(s.layer, q, e.half, e.sample, u, v);
    place(s, q, tri.normal, tri.a + (tri.b - tri.a) * u + (tri.d - tri.a) * v, e.layer, e.texel);
    ++stats_.planned;
  }
}

void SurfaceFiller::fill_surface(std::size_t si, FillPlan* record) {
  const FillSurface& s = surfaces_[si];
  const std::vector<float>& rest_anchor = t_.position;
  const auto& rest = *s.rest_positions;
  const std::size_t row = static_cast<std::size_t>(s.layer - 1) * m_;  // where the face check looks
  for (std::size_t q = 0; q < s.quads->size() / 4; ++q) {
    const std::int32_t* c = &(*s.quads)[4 * q];
    const bool confined = s.confined && (*s.confined)[q];
    const std::size_t own_allowed = confined ? 2 * m_ : row;
    const auto usable = [&](std::uint32_t i) {
      return allowed_[own_allowed + i] && maps_.at(s.layer, i, m_)[kOpacity] == 0.f;
    };
    // Garment surface hidden under another garment (a shoe inside a trouser leg) finds no free
    // garment slot near it: it takes the free top-layer slot of a garment texel instead.
    // Confined quads keep to their own layer and regions.
    const bool fallback = s.layer == 1 && !confined;
    const auto fallback_usable = [&](std::uint32_t i) {
      return fallback && allowed_[i] && maps_.at(2, i, m_)[kOpacity] == 0.f;
    };
    const float own_max = s.layer == 1 ? kGarmentOwnReach : max_anchor_distance_;
    const std::size_t own_row = s.layer == 2 ? 2
                                : confined   ? 4
                                             : 0,
                      fallback_row = fallback ? 1 : 3;
    for (int half = 0; half < 2; ++half) {
      const Triangle tri = fill_triangle(s, q, half);
      const Vec3 ra = row3(rest.data(), c[0]), rb = row3(rest.data(), c[half ? 2 : 1]),
                 rd = row3(rest.data(), c[half ? 3 : 2]);
      Rng rng = triangle_stream(s.layer, q, half);
      const int count = sample_count(rng, tri.normal);
      for (int k = 0; k < count; ++k) {
        float u = 0.f, v = 0.f;
        next_sample(rng, u, v);
        const Vec3 p = tri.a + (tri.b - tri.a) * u + (tri.d - tri.a) * v;
        ++stats_.samples;
        if (cover_.covers(p)) continue;
        ++stats_.uncovered;
        const Vec3 p_rest = ra + (rb - ra) * u + (rd - ra) * v;
        if (!nearest_allowed(texel_grid_, rest_anchor, p_rest,
                             [&](std::uint32_t i) { return allowed_[row + i] != 0; }))
          continue;
        const Anchor found = find_anchor(
            texel_grid_, rest_anchor, p_rest, own_max, fallback ? max_anchor_distance_ : 0.f,
            usable, fallback_usable, &spent_[own_row * cells_], &spent_[fallback_row * cells_]);
        if (found.own < 0 && found.fallback < 0) continue;
        const int layer = found.own >= 0 ? s.layer : 2;
        const auto i = static_cast<std::size_t>(found.own >= 0 ? found.own : found.fallback);
        place(s, q, tri.normal, p, layer, i);
        if (record) {
          record->push_back({static_cast<std::int32_t>(si), static_cast<std::int32_t>(q), half, k,
                             layer, static_cast<std::uint32_t>(i)});
        }
      }
    }
  }
}

}  // namespace

FillStats fill_uncovered(const Template& t, const std::vector<FillSurface>& surfaces,
                         const FillTexels& texels, const FillAppearanceFn& appearance, float radius,
                         float max_anchor_distance, BakedMaps& maps, const FillPlan* plan,
                         FillPlan* record) {
  SurfaceFiller filler(t, surfaces, texels, appearance, radius, max_anchor_distance, maps);
  if (plan) filler.replay(*plan);
  for (std::size_t si = 0; si < surfaces.size(); ++si) filler.fill_surface(si, record);
  return filler.stats();
}

}  // namespace tera::synth
