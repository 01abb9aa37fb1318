#include "appearance.h"

#include <algorithm>
#include <cmath>

#include "template.h"

namespace tera::synth {

HumanSpec human_spec(const AssetPack& pack, const Attributes& a) {
  HumanSpec spec;
  spec.macro.gender = a.gender;
  spec.macro.age_years = a.age_years;
  spec.macro.muscle = a.muscle;
  spec.macro.weight = a.weight;
  spec.macro.height = a.height;
  spec.macro.proportions = a.proportions;
  spec.macro.african = a.skin_blend[0];
  spec.macro.asian = a.skin_blend[1];
  spec.macro.caucasian = a.skin_blend[2];
  Rng rng(a.seed ^ 0xD1B54A32D192ED03ull);  // own stream for details, independent of the sampler's
  spec.details = sample_details(pack, rng);
  if (a.hair_style != "none") spec.proxies.push_back(a.hair_style);
  spec.proxies.push_back(a.outfit);
  spec.proxies.push_back(a.shoes);
  if (a.hat) spec.proxies.push_back("fedora01");
  spec.proxies.push_back(a.eyebrows);
  return spec;
}

namespace {

std::uint32_t hash3(std::int32_t x, std::int32_t y, std::int32_t z, std::uint32_t seed) {
  std::uint32_t h = seed * 0x9E3779B1u;  // golden-ratio multiplier spreads the seed
  for (std::int32_t v : {x, y, z}) {
    h ^= static_cast<std::uint32_t>(v) + 0x7F4A7C15u + (h << 6) + (h >> 2);
    h *= 0x85EBCA6Bu;  // murmur3 finaliser constant
    h ^= h >> 13;
  }
  return h;
}

float lerp(float a, float b, float t) { return a + (b - a) * t; }
Vec3 mix(const Vec3& a, const Vec3& b, float t) { return a * (1.f - t) + b * t; }
Vec3 clamp01(const Vec3& c) {
  return {std::clamp(c[0], 0.f, 1.f), std::clamp(c[1], 0.f, 1.f), std::clamp(c[2], 0.f, 1.f)};
}
Vec3 to_vec(const std::array<float, 3>& c) { return {c[0], c[1], c[2]}; }

}  // namespace

float value_noise(const Vec3& p, float scale, std::uint32_t seed) {
  const float x = p[0] * scale, y = p[1] * scale, z = p[2] * scale;
  const auto xi = static_cast<std::int32_t>(std::floor(x)),
             yi = static_cast<std::int32_t>(std::floor(y)),
             zi = static_cast<std::int32_t>(std::floor(z));
  const float fx = x - xi, fy = y - yi, fz = z - zi;
  const auto smooth = [](float t) { return t * t * (3.f - 2.f * t); };
  const float sx = smooth(fx), sy = smooth(fy), sz = smooth(fz);
  float corner[8];
  for (int c = 0; c < 8; ++c) {
    corner[c] =
        static_cast<float>(hash3(xi + (c & 1), yi + ((c >> 1) & 1), zi + (c >> 2), seed) >> 8) /
        16777216.f;
  }
  const float x00 = lerp(corner[0], corner[1], sx), x10 = lerp(corner[2], corner[3], sx);
  const float x01 = lerp(corner[4], corner[5], sx), x11 = lerp(corner[6], corner[7], sx);
  return lerp(lerp(x00, x10, sy), lerp(x01, x11, sy), sz);
}

Vec3 skin_colour(const Attributes& a, const Vec3& p, int region, float lip, std::uint32_t seed) {
  Vec3 c = to_vec(a.skin_rgb);
  // Blotchy low-frequency variation (about 5 cm features) of +-6% brightness and slight redness.
  const float blotch = value_noise(p, 20.f, seed) - 0.5f;
  const float fine = value_noise(p, 150.f, seed + 1u) - 0.5f;  // pores / fine mottling, ~7 mm
  c = c * (1.f + 0.12f * blotch + 0.04f * fine);
  const Vec3 flush{c[0] * 1.06f, c[1] * 0.94f, c[2] * 0.94f};  // reddened skin
  if (region == static_cast<int>(Region::kFace)) c = mix(c, flush, 0.35f);
  if (region == static_cast<int>(Region::kArms) || region == static_cast<int>(Region::kFeet))
    c = mix(c, flush, 0.15f);
  const Vec3 lips{c[0] * 0.92f, c[1] * 0.62f, c[2] * 0.66f};
  c = mix(c, lips, std::clamp(lip, 0.f, 1.f));
  // Older skin is a little paler and blotchier.
  const float age = std::clamp((a.age_years - 40.f) / 50.f, 0.f, 1.f);
  c = mix(c, Vec3{0.9f, 0.85f, 0.82f}, 0.08f * age);
  return clamp01(c);
}

Vec3 hair_colour(const Attributes& a, std::int32_t strand, const Vec3& p, std::uint32_t seed) {
  const Vec3 base = to_vec(rgb_for_hair_colour(a.hair_colour));
  const float strand_shade =
      static_cast<float>(hash3(strand, 0, 0, seed) >> 8) / 16777216.f;  // per card
  const float streak =
      value_noise(Vec3{p[0] * 8.f, p[1], p[2] * 8.f}, 60.f, seed + 7u);  // long vertical streaks
  const float shade = 0.72f + 0.3f * strand_shade + 0.25f * (streak - 0.5f);
  Vec3 c = base * shade;
  if (a.hair_colour == "grey" || a.hair_colour == "white")
    c = mix(c, Vec3{0.35f, 0.33f, 0.3f}, 0.25f * streak);
  return clamp01(c);
}

Vec3 garment_colour(const Attributes& a, GarmentPart part, const Vec3& p, std::uint32_t seed) {
  const OutfitInfo& info = outfit_info(a.outfit);
  Vec3 c;
  switch (part) {
    case GarmentPart::kTop: c = to_vec(rgb_for_colour_name(a.top_colour)); break;
    case GarmentPart::kBottom:
      c = to_vec(rgb_for_colour_name(
          info.bottom == "suit" || info.top == "suit" ? a.top_colour : a.bottom_colour));
      break;
    case GarmentPart::kShoes: c = to_vec(rgb_for_colour_name(a.shoes_colour)); break;
    case GarmentPart::kHat: c = to_vec(rgb_for_colour_name(a.hat_colour)); break;
  }
  if (part == GarmentPart::kTop && a.top_pattern != "plain") {
    // Patterns in a horizontal plane coordinate around the body and the height.
    const float around = std::atan2(p[0], p[2]) * 0.15f;  // ~0.15 m of circumference per radian
    const float h = p[1];
    const Vec3 second =
        (c[0] + c[1] + c[2]) > 1.5f ? c * 0.45f : mix(c, Vec3{1.f, 1.f, 1.f}, 0.75f);
    bool mark = false;
    if (a.top_pattern == "stripes") {
      mark = std::fmod(h + 10.f, 0.04f) < 0.016f;  // 4 cm period, 1.6 cm stripes
    } else if (a.top_pattern == "checks") {
      const bool bx = std::fmod(around + 10.f, 0.05f) < 0.025f,
                 by = std::fmod(h + 10.f, 0.05f) < 0.025f;
      mark = bx != by;  // 2.5 cm checks
    } else if (a.top_pattern == "dots") {
      const float gx = std::fmod(around + 10.f, 0.035f) - 0.0175f,
                  gy = std::fmod(h + 10.f, 0.035f) - 0.0175f;
      mark = gx * gx + gy * gy < 0.006f * 0.006f;  // 6 mm dots on a 3.5 cm grid
    }
    if (mark) c = second;
  }
  // Fold shading: soft darker bands, stronger on loose garments near joints is not modelled.
  const float fold = value_noise(Vec3{p[0], p[1] * 0.4f, p[2]}, 25.f, seed + 11u);
  c = c * (0.82f + 0.22f * fold);
  return clamp01(c);
}

}  // namespace tera::synth
