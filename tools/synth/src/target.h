// MakeHuman morph targets (.target: lines "vertex_index dx dy dz" relative to the base mesh) and
// the modifiers that combine them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tera::synth {

// A sparse morph target over the full base mesh.
struct Target {
  std::string name;  // path below targets/ without extension, e.g. "head/head-age-incr"
  std::vector<std::uint32_t> indices;  // [n] full base-mesh vertex indices, increasing
  std::vector<float> offsets;          // [n, 3] metres
};

// Parses a .target file (decimetres in the file, metres in memory); throws InputError naming the
// file and line on malformed input or an index >= vertex_count.
Target read_target(const std::string& path, const std::string& name, std::size_t vertex_count);

// Adds weight * target to full-mesh positions [N, 3].
void apply_target(const Target& target, float weight, std::vector<float>& positions);

// A detail slider: value in [-1, 1] drives the min side (value < 0) or the max side (value > 0);
// one-sided modifiers have no min target and take values in [0, 1].
// Paired left/right modifiers drive both sides' targets with the same value.
struct DetailModifier {
  std::string name;                       // e.g. "head/head-age"
  std::vector<std::int32_t> min_targets;  // indices into the pack's target list (empty: one-sided)
  std::vector<std::int32_t> max_targets;
};

// Body-shape parameters of MakeHuman's macro sliders, each 0..1 except age in years.
struct MacroParams {
  float gender = 0.5f;     // 0 female, 1 male
  float age_years = 25.f;  // 1..90
  float muscle = 0.5f;
  float weight = 0.5f;
  float height = 0.5f;
  float proportions = 0.5f;  // 0 uncommon, 1 ideal
  float african = 1.f / 3.f;
  float asian = 1.f / 3.f;
  float caucasian = 1.f / 3.f;
};

// MakeHuman's age slider value (0..1) for an age in years: 1 y -> 0, 25 y -> 0.5, 90 y -> 1.
float makehuman_age_value(float years);

// Weight of a macro target from the tokens of its file name (e.g.
// "universal-female-young-averagemuscle-maxweight"): the product of each token's linear weight
// between neighbouring anchor values. Unknown tokens give weight 0.
float macro_target_weight(const std::string& basename, const MacroParams& params);

}  // namespace tera::synth
