// Spacing the avatars of an interpolation path; see include/tera/generate/path_spacing.h.
#include "tera/generate/path_spacing.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <utility>

#include <spdlog/spdlog.h>

#include "tera/core/error.h"
#include "tera/generate/latent_edits.h"

namespace tera {

namespace {

// Grid points per step when spacing evenly: the jump of a type switch lies in one grid interval,
// so it shares its step with 1/16 of a step's smooth motion at most.
constexpr int kSpacingGridPerStep = 16;
// Grid intervals at most: every grid avatar's positions are kept (about 1 MB each) and every pair
// of them compared, so paths of more than 65 steps (under kMinSpacingGridPerStep each) are linear.
constexpr int kSpacingGridMax = 256;
// Fewer grid points per step than this cannot place a jump at a step's edge: spacing is linear.
constexpr int kMinSpacingGridPerStep = 4;

// Latents decoded at once while spacing: 16 maps of 33 x 256 x 256 floats are about 140 MB.
constexpr int kSpacingDecodeBatch = 16;
// A step shorter than this share of the mean step counts as this long in the cost: keeps log()
// finite where a grid interval moves nothing, while still costing such a step heavily.
constexpr double kShortestStepShare = 1e-6;
// Rounds at most of choosing the steps against the previous choice's mean step; the rounds stop
// as soon as one repeats the previous choice.
constexpr int kSpacingRounds = 4;

// One avatar's Gaussian positions ordered by (layer, texel): what the displacement compares.
struct KeyedPositions {
  std::vector<std::uint64_t> keys;  // [N] layer << 32 | texel, increasing
  std::vector<float> xyz;           // [N, 3] in key order
};

KeyedPositions keyed_positions(const GaussianSet& set, const GaussianOrigins& origins) {
  if (origins.size() != set.size())
    throw Error("mean_shared_displacement: origins do not match their Gaussian sets");
  const auto key = [&](std::size_t i) {
    return (static_cast<std::uint64_t>(origins.layer[i]) << 32) | origins.texel[i];
  };
  std::vector<std::size_t> order(origins.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  // Assembly writes them in this order already; sorting keeps the measure right for any order.
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t i, std::size_t j) { return key(i) < key(j); });
  KeyedPositions out;
  for (const std::size_t i : order) {
    out.keys.push_back(key(i));
    out.xyz.insert(out.xyz.end(), &set.positions[3 * i], &set.positions[3 * i] + 3);
  }
  return out;
}

double mean_shared_displacement(const KeyedPositions& a, const KeyedPositions& b) {
  double sum = 0.0;
  std::size_t shared = 0, p = 0, q = 0;
  while (p < a.keys.size() && q < b.keys.size()) {
    if (a.keys[p] < b.keys[q]) {
      ++p;
    } else if (b.keys[q] < a.keys[p]) {
      ++q;
    } else {
      const float* x = &a.xyz[3 * p];
      const float* y = &b.xyz[3 * q];
      const double dx = x[0] - y[0], dy = x[1] - y[1], dz = x[2] - y[2];
      sum += std::sqrt(dx * dx + dy * dy + dz * dz);
      ++shared, ++p, ++q;
    }
  }
  return shared ? sum / static_cast<double>(shared) : 0.0;
}

// The grid points 0 = c_0 < ... < c_moves = grid (grid = lengths.size()) with the least sum of
// log(length(c_k, c_k+1) / mean)^2; lengths[i][j - i - 1] is from point i to j.
std::vector<std::size_t> least_cost_steps(const std::vector<std::vector<double>>& lengths,
                                          std::size_t moves, double mean) {
  const std::size_t grid = lengths.size();
  const auto cost = [&](std::size_t i, std::size_t j) {
    const double r = std::log(std::max(lengths[i][j - i - 1], kShortestStepShare * mean) / mean);
    return r * r;
  };
  // best[k][j]: least cost of k steps from point 0 to point j; from[k][j]: the point before j.
  constexpr double kNone = std::numeric_limits<double>::infinity();
  std::vector<std::vector<double>> best(moves + 1, std::vector<double>(grid + 1, kNone));
  std::vector<std::vector<std::size_t>> from(moves + 1, std::vector<std::size_t>(grid + 1, 0));
  best[0][0] = 0.0;
  for (std::size_t k = 1; k <= moves; ++k) {
    // Point j after k steps needs j >= k, and leaves room for the steps still to come.
    for (std::size_t j = k; j + (moves - k) <= grid; ++j) {
      for (std::size_t i = k - 1; i < j; ++i) {
        if (best[k - 1][i] == kNone) continue;
        const double c = best[k - 1][i] + cost(i, j);
        if (c < best[k][j]) best[k][j] = c, from[k][j] = i;
      }
    }
  }
  std::vector<std::size_t> chosen(moves + 1);
  chosen[moves] = grid;
  for (std::size_t k = moves; k > 0; --k) chosen[k - 1] = from[k][chosen[k]];
  return chosen;
}

// Grid intervals per step of a path of `steps` (at least 3) when spaced evenly.
int grid_per_step(int steps) {
  return std::min(kSpacingGridPerStep, kSpacingGridMax / (steps - 1));
}

}  // namespace

PathSpacing parse_path_spacing(const std::string& text, const std::string& option) {
  if (text == "even") return PathSpacing::kEven;
  if (text == "linear") return PathSpacing::kLinear;
  throw UsageError(option, "expected even or linear, got '" + text + "'");
}

const char* path_spacing_name(PathSpacing spacing) {
  return spacing == PathSpacing::kEven ? "even" : "linear";
}

double mean_shared_displacement(const GaussianSet& a, const GaussianOrigins& a_origins,
                                const GaussianSet& b, const GaussianOrigins& b_origins) {
  return mean_shared_displacement(keyed_positions(a, a_origins), keyed_positions(b, b_origins));
}

std::vector<std::size_t> even_grid_indices(
    const std::function<double(std::size_t, std::size_t)>& length, std::size_t grid, int steps) {
  if (steps < 2 || grid < static_cast<std::size_t>(steps - 1))
    throw Error("even_grid_indices: " + std::to_string(steps) + " steps on a grid of " +
                std::to_string(grid) + " intervals");
  const std::size_t moves = static_cast<std::size_t>(steps - 1);
  // lengths[i][j - i - 1]: from grid point i to j > i, each asked for once.
  std::vector<std::vector<double>> lengths(grid);
  for (std::size_t i = 0; i < grid; ++i) {
    for (std::size_t j = i + 1; j <= grid; ++j) {
      const double l = length(i, j);
      if (!(l >= 0.0) || !std::isfinite(l))
        throw Error("even_grid_indices: the length from grid point " + std::to_string(i) + " to " +
                    std::to_string(j) + " is " + std::to_string(l));
      lengths[i].push_back(l);
    }
  }
  std::vector<std::size_t> chosen(moves + 1);
  for (std::size_t k = 0; k <= moves; ++k) chosen[k] = k * grid / moves;  // the even grid
  // The mean step: at first the whole path's over the steps; then the chosen steps' own mean, as
  // steps on a bending path add up to more than its ends' distance.
  double mean = lengths[0][grid - 1] / static_cast<double>(moves);
  for (int round = 0; round < kSpacingRounds && mean > 0.0; ++round) {
    const std::vector<std::size_t> previous = chosen;
    chosen = least_cost_steps(lengths, moves, mean);
    double sum = 0.0;
    for (std::size_t k = 0; k < moves; ++k)
      sum += lengths[chosen[k]][chosen[k + 1] - chosen[k] - 1];
    mean = sum / static_cast<double>(moves);
    if (chosen == previous) break;
  }
  return chosen;
}

PathSpacing spacing_used(PathSpacing asked, int steps) {
  if (asked == PathSpacing::kLinear || steps < 3) return asked;  // two steps: the ends either way
  return grid_per_step(steps) < kMinSpacingGridPerStep ? PathSpacing::kLinear : asked;
}

std::vector<double> path_positions(Generator& generator, const std::vector<float>& a,
                                   const std::vector<float>& b, int steps, double amount,
                                   PathSpacing spacing, const AssemblyOptions& assembly) {
  std::vector<double> linear = interpolation_positions(steps, amount);
  if (steps < 3 || spacing_used(spacing, steps) == PathSpacing::kLinear) return linear;
  const int per_step = grid_per_step(steps);
  const int grid = per_step * (steps - 1);
  spdlog::info("spacing {} avatars evenly: decoding {} latents along the path", steps, grid + 1);
  // Grid point i at t = amount * i / grid, computed as interpolation_positions computes t.
  const std::vector<double> grid_t = interpolation_positions(grid + 1, amount);
  std::vector<KeyedPositions> decoded;  // [grid + 1]
  for (int first = 0; first <= grid; first += kSpacingDecodeBatch) {
    const int count = std::min(kSpacingDecodeBatch, grid + 1 - first);
    std::vector<float> latents;  // [count, ...latent.shape]
    for (int i = first; i < first + count; ++i) {
      const std::vector<float> z = interpolate_latent(a, b, grid_t[static_cast<std::size_t>(i)]);
      latents.insert(latents.end(), z.begin(), z.end());
    }
    std::vector<GaussianOrigins> origins;
    const std::vector<GaussianSet> sets =
        generator.decode_latents(latents, count, assembly, nullptr, &origins);
    for (std::size_t k = 0; k < sets.size(); ++k)
      decoded.push_back(keyed_positions(sets[k], origins[k]));
  }
  const auto length = [&](std::size_t i, std::size_t j) {
    return mean_shared_displacement(decoded[i], decoded[j]);
  };
  std::vector<double> positions;
  for (const std::size_t i : even_grid_indices(length, static_cast<std::size_t>(grid), steps))
    positions.push_back(grid_t[i]);
  return positions;
}

}  // namespace tera
