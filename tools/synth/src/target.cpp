#include "target.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <map>
#include <sstream>

#include "binary_io.h"
#include "obj_mesh.h"
#include "tera/core/error.h"

namespace tera::synth {

Target read_target(const std::string& path, const std::string& name, std::size_t vertex_count) {
  const std::string text = read_file_text(path);
  Target target;
  target.name = name;
  std::istringstream lines(text);
  std::string line;
  std::size_t line_no = 0;
  std::vector<std::pair<std::uint32_t, std::array<float, 3>>> rows;
  while (std::getline(lines, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream in(line);
    long index;
    float d[3];
    if (!(in >> index >> d[0] >> d[1] >> d[2])) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      throw InputError(at_line(path, line_no, "expected 'vertex_index dx dy dz'"));
    }
    if (index < 0 || static_cast<std::size_t>(index) >= vertex_count) {
      throw InputError(at_line(path, line_no,
                               "vertex index " + std::to_string(index) +
                                   " outside the base mesh (" + std::to_string(vertex_count) +
                                   " vertices)"));
    }
    rows.push_back(
        {static_cast<std::uint32_t>(index),
         {d[0] * kDecimetresToMetres, d[1] * kDecimetresToMetres, d[2] * kDecimetresToMetres}});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [index, d] : rows) {
    if (!target.indices.empty() &&
        target.indices.back() == index) {  // repeated index: last one wins
      for (int k = 0; k < 3; ++k) target.offsets[target.offsets.size() - 3 + k] = d[k];
      continue;
    }
    target.indices.push_back(index);
    target.offsets.insert(target.offsets.end(), d.begin(), d.end());
  }
  return target;
}

void apply_target(const Target& target, float weight, std::vector<float>& positions) {
  if (weight == 0.f) return;
  for (std::size_t i = 0; i < target.indices.size(); ++i) {
    float* p = &positions[3 * static_cast<std::size_t>(target.indices[i])];
    p[0] += weight * target.offsets[3 * i];
    p[1] += weight * target.offsets[3 * i + 1];
    p[2] += weight * target.offsets[3 * i + 2];
  }
}

float makehuman_age_value(float years) {
  // MakeHuman's anchors: 1 year at slider 0, 25 years at 0.5, 90 years at 1.
  constexpr float kMinAge = 1.f, kMidAge = 25.f, kMaxAge = 90.f;
  years = std::clamp(years, kMinAge, kMaxAge);
  if (years < kMidAge) return 0.5f * (years - kMinAge) / (kMidAge - kMinAge);
  return 0.5f + 0.5f * (years - kMidAge) / (kMaxAge - kMidAge);
}

namespace {

// Linear weights of a three-anchor slider value v in [0, 1]: (min, average, max).
void three_way(float v, float& lo, float& mid, float& hi) {
  hi = std::max(0.f, v * 2.f - 1.f);
  lo = std::max(0.f, 1.f - v * 2.f);
  mid = 1.f - hi - lo;
}

std::map<std::string, float> factor_weights(const MacroParams& p) {
  std::map<std::string, float> w;
  w["universal"] = 1.f;
  w["female"] = 1.f - p.gender;
  w["male"] = p.gender;
  // Age anchors baby (slider 0), child (0.1875), young (0.5), old (1), as in MakeHuman.
  const float age = makehuman_age_value(p.age_years);
  if (age < 0.5f) {
    w["old"] = 0.f;
    w["baby"] = std::max(0.f, 1.f - age * 5.333f);       // 5.333 = 1 / 0.1875
    w["young"] = std::max(0.f, (age - 0.1875f) * 3.2f);  // 3.2 = 1 / (0.5 - 0.1875)
    w["child"] = std::max(0.f, std::min(1.f, 5.333f * age) - w["young"]);
  } else {
    w["baby"] = w["child"] = 0.f;
    w["old"] = std::max(0.f, age * 2.f - 1.f);
    w["young"] = 1.f - w["old"];
  }
  three_way(p.muscle, w["minmuscle"], w["averagemuscle"], w["maxmuscle"]);
  three_way(p.weight, w["minweight"], w["averageweight"], w["maxweight"]);
  float unused = 0.f;
  three_way(p.height, w["minheight"], unused, w["maxheight"]);
  three_way(p.proportions, w["uncommonproportions"], unused, w["idealproportions"]);
  const float race_sum = std::max(1e-6f, p.african + p.asian + p.caucasian);  // avoids 0/0
  w["african"] = p.african / race_sum;
  w["asian"] = p.asian / race_sum;
  w["caucasian"] = p.caucasian / race_sum;
  return w;
}

}  // namespace

float macro_target_weight(const std::string& basename, const MacroParams& params) {
  const auto weights = factor_weights(params);
  float product = 1.f;
  std::size_t start = 0;
  while (start <= basename.size()) {
    std::size_t end = basename.find('-', start);
    if (end == std::string::npos) end = basename.size();
    const auto it = weights.find(basename.substr(start, end - start));
    if (it == weights.end()) return 0.f;
    product *= it->second;
    start = end + 1;
  }
  return product;
}

}  // namespace tera::synth
