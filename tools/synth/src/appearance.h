// Procedural appearance: which assets an attribute set wears, and the colours of skin, hair and
// garments at a point (the asset textures are not available, so everything is procedural).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "attributes.h"
#include "human.h"
#include "vec3.h"

namespace tera::synth {

// The pack's proxies an avatar wears (hair unless bald, outfit, shoes, hat, eyebrows).
HumanSpec human_spec(const AssetPack& pack, const Attributes& a);

// Deterministic value noise in [0, 1] at a point (scale = features per metre).
float value_noise(const Vec3& p, float scale, std::uint32_t seed);

// Skin colour at a rest-pose texel position with its region; `seed` varies blotches per avatar.
// lip in [0, 1] blends towards a lip tint.
Vec3 skin_colour(const Attributes& a, const Vec3& rest_position, int region, float lip,
                 std::uint32_t seed);

// Hair colour on a hair strand: `strand` identifies the card/strand, p the point.
Vec3 hair_colour(const Attributes& a, std::int32_t strand, const Vec3& p, std::uint32_t seed);

// Garment colour: top or bottom colour by region, pattern on the top, shoes and hat colours,
// simple fold shading.
enum class GarmentPart { kTop, kBottom, kShoes, kHat };
Vec3 garment_colour(const Attributes& a, GarmentPart part, const Vec3& p, std::uint32_t seed);

}  // namespace tera::synth
