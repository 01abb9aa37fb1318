// The UV template: the body's UV layout rasterised into an R x R grid. Every covered texel is an
// anchor on the rest-pose body with a tangent frame, a region and skin weights. The data type and
// its file format (docs/template-format.md) are libtera's (tera/decode/avatar_template.h), so the
// teacher writes exactly what the runtime reads; the teacher adds how a template is built.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tera/decode/avatar_template.h"

namespace tera::synth {

using Template = tera::AvatarTemplate;
using Region = tera::TemplateRegion;
constexpr int kRegionCount = tera::kTemplateRegionCount;
using tera::kTemplateInfluences;

inline const char* region_name(Region region) { return tera::template_region_name(region); }

struct AssetPack;
// Rasterises the body's UV layout at resolution R (>= 16) and fills every field.
Template build_template(const AssetPack& pack, int resolution);

// Per body vertex region (used by the template and by colouring).
std::vector<std::uint8_t> body_vertex_regions(const AssetPack& pack);

inline void write_template(const Template& t, const std::string& path) {
  tera::write_avatar_template(t, path);
}
inline Template read_template(const std::string& path) { return tera::read_avatar_template(path); }

}  // namespace tera::synth
