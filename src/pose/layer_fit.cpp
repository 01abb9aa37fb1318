// Layer fit measures on a uniform grid; see include/tera/pose/layer_fit.h.
#include "tera/pose/layer_fit.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "tera/core/error.h"

namespace tera {
namespace {

// Points bucketed in cubic cells of side `cell`, sorted by cell key for range lookups.
class Grid {
 public:
  Grid(const std::vector<std::array<float, 3>>& points, float cell) : points_(points), cell_(cell) {
    entries_.reserve(points.size());
    for (std::uint32_t i = 0; i < points.size(); ++i)
      entries_.push_back({key(cell_of(points[i])), i});
    std::sort(entries_.begin(), entries_.end());
  }

  std::array<std::int64_t, 3> cell_of(const std::array<float, 3>& p) const {
    return {static_cast<std::int64_t>(std::floor(p[0] / cell_)),
            static_cast<std::int64_t>(std::floor(p[1] / cell_)),
            static_cast<std::int64_t>(std::floor(p[2] / cell_))};
  }

  // Calls visit(index) for every point in cell c.
  template <typename F>
  void each_in(const std::array<std::int64_t, 3>& c, F&& visit) const {
    const std::uint64_t k = key(c);
    auto it = std::lower_bound(entries_.begin(), entries_.end(),
                               std::pair<std::uint64_t, std::uint32_t>{k, 0});
    for (; it != entries_.end() && it->first == k; ++it) visit(it->second);
  }

  float cell() const { return cell_; }
  const std::vector<std::array<float, 3>>& points() const { return points_; }

 private:
  static std::uint64_t key(const std::array<std::int64_t, 3>& c) {
    constexpr std::int64_t kBias = 1
                                   << 20;  // cells of 1 mm or more cover +-1 km in 21 bits per axis
    constexpr std::uint64_t kMask = (1u << 21) - 1;
    return ((static_cast<std::uint64_t>(c[0] + kBias) & kMask) << 42) |
           ((static_cast<std::uint64_t>(c[1] + kBias) & kMask) << 21) |
           (static_cast<std::uint64_t>(c[2] + kBias) & kMask);
  }
  const std::vector<std::array<float, 3>>& points_;
  float cell_;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> entries_;
};

double distance(const std::array<float, 3>& a, const std::array<float, 3>& b) {
  const double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
  return std::sqrt(dx * dx + dy * dy + dz * dz);
}

// Distance from point `self` of the grid to its nearest other point, searching outwards shell by
// shell until no farther shell can hold a nearer point (or kMaxGapSearch is passed).
double nearest_other(const Grid& grid, std::uint32_t self) {
  const auto& p = grid.points()[self];
  const auto c = grid.cell_of(p);
  double best = kMaxGapSearch;
  const int max_shell = static_cast<int>(std::ceil(kMaxGapSearch / grid.cell()));
  for (int r = 0; r <= max_shell; ++r) {
    for (int dx = -r; dx <= r; ++dx) {
      for (int dy = -r; dy <= r; ++dy) {
        for (int dz = -r; dz <= r; ++dz) {
          if (std::max({std::abs(dx), std::abs(dy), std::abs(dz)}) != r)
            continue;  // only the shell
          grid.each_in({c[0] + dx, c[1] + dy, c[2] + dz}, [&](std::uint32_t j) {
            if (j != self) best = std::min(best, distance(p, grid.points()[j]));
          });
        }
      }
    }
    if (best <= r * grid.cell()) break;  // points beyond shell r are at least r cells away
  }
  return best;
}

}  // namespace

LayerFit measure_layer_fit(const GaussianSet& set, const GaussianOrigins& origins, float far) {
  return measure_layer_fit(set, origins, set, origins, far);
}

LayerFit measure_layer_fit(const GaussianSet& body, const GaussianOrigins& body_origins,
                           const GaussianSet& set, const GaussianOrigins& origins, float far) {
  if (origins.layer.size() != set.size() || body_origins.layer.size() != body.size()) {
    throw Error("measure_layer_fit: " + std::to_string(origins.layer.size()) + " origins for " +
                std::to_string(set.size()) + " Gaussians");
  }
  const auto point = [](const GaussianSet& s, std::size_t g) {
    return std::array<float, 3>{s.positions[3 * g], s.positions[3 * g + 1], s.positions[3 * g + 2]};
  };
  std::vector<std::array<float, 3>> skin, outer;
  for (std::size_t g = 0; g < body.size(); ++g) {
    if (body_origins.layer[g] == 0) skin.push_back(point(body, g));
  }
  for (std::size_t g = 0; g < set.size(); ++g) {
    if (origins.layer[g] != 0) outer.push_back(point(set, g));
  }
  LayerFit fit;
  fit.skin = skin.size();
  fit.outer = outer.size();
  if (skin.empty()) return fit;
  const Grid grid(skin, far);
  std::size_t far_count = 0;
  for (const auto& p : outer) {
    const auto c = grid.cell_of(p);
    bool near = false;
    for (int dx = -1; dx <= 1 && !near; ++dx) {
      for (int dy = -1; dy <= 1 && !near; ++dy) {
        for (int dz = -1; dz <= 1 && !near; ++dz) {
          grid.each_in({c[0] + dx, c[1] + dy, c[2] + dz},
                       [&](std::uint32_t j) { near = near || distance(p, skin[j]) <= far; });
        }
      }
    }
    far_count += near ? 0 : 1;
  }
  fit.outer_far_share =
      outer.empty() ? 0.0 : static_cast<double>(far_count) / static_cast<double>(outer.size());
  std::vector<double> gaps(skin.size());
  for (std::uint32_t i = 0; i < skin.size(); ++i) gaps[i] = nearest_other(grid, i);
  std::sort(gaps.begin(), gaps.end());
  constexpr double kGapQuantile = 0.999;  // ignores the 0.1 % most isolated (stray Gaussians)
  fit.skin_gap_max = gaps.back();
  fit.skin_gap_p999 =
      gaps[static_cast<std::size_t>(kGapQuantile * static_cast<double>(gaps.size() - 1))];
  return fit;
}

}  // namespace tera
