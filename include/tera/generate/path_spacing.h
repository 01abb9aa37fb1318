// Where the avatars of `tera interpolate` sit along the straight path between two latents
// (docs/editing.md, "Even steps"): evenly in t, or so that every step moves the avatar's Gaussians
// by about the same mean distance. A part whose type switches (a t-shirt becoming a jacket) jumps
// at one t; even spacing gives that jump a step of its own and spreads the rest of the motion
// evenly over the other steps, so that no step moves much more than its neighbours.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "tera/decode/assembly.h"
#include "tera/generate/generator.h"

namespace tera {

enum class PathSpacing { kEven, kLinear };

// "even" or "linear"; throws UsageError naming `option` otherwise.
PathSpacing parse_path_spacing(const std::string& text, const std::string& option);
const char* path_spacing_name(PathSpacing spacing);
// The spacing path_positions gives `steps` avatars when `asked` for one: even spacing falls back to
// linear beyond 65 steps (too few grid points per step to place a jump at a step's edge).
PathSpacing spacing_used(PathSpacing asked, int steps);

// Mean distance (metres) between the positions of the Gaussians both sets show, matched by texel
// and layer (assembly's origins); 0 when they share none.
double mean_shared_displacement(const GaussianSet& a, const GaussianOrigins& a_origins,
                                const GaussianSet& b, const GaussianOrigins& b_origins);

// Chooses `steps` of the grid points 0..grid (the first and last included) whose steps are as even
// as can be: the sum over steps of log(length / mean length)^2 is least, where length(i, j) >= 0
// is how far the avatar moves from grid point i to grid point j > i (not necessarily the sum of the
// intervals between: a jump can undo part of the smooth motion) and the mean length is
// length(0, grid) / (steps - 1). Needs steps >= 2 and grid >= steps - 1; where nothing moves the
// even grid is kept.
std::vector<std::size_t> even_grid_indices(
    const std::function<double(std::size_t, std::size_t)>& length, std::size_t grid, int steps);

// The positions (0 = a, amount = b's end of the path) of `steps` avatars along (1 - t) a + t b:
// `spacing` linear: evenly in t; even: decodes a grid of latents along the path (16 per step) and
// picks grid points by even_grid_indices, the length between two being their mean shared
// displacement (paths of more than 64 steps are linear). Both ends are exact (0 and amount); one
// step is `amount` itself. a, b [latent_size].
std::vector<double> path_positions(Generator& generator, const std::vector<float>& a,
                                   const std::vector<float>& b, int steps, double amount,
                                   PathSpacing spacing, const AssemblyOptions& assembly);

}  // namespace tera
