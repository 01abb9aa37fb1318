#include "attributes.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include <nlohmann/json.hpp>

#include "tera/core/error.h"
#include "tera/core/rng.h"

namespace tera::synth {
namespace {

using Rgb = std::array<float, 3>;  // [3] sRGB 0 … 1
using ColourTable = std::vector<std::pair<std::string, Rgb>>;

// Clothing and accessory palette. Values are typical dyed-fabric sRGB colours.
const ColourTable& palette() {
  static const ColourTable table = {
      {"black", {0.05f, 0.05f, 0.06f}},      {"white", {0.95f, 0.95f, 0.93f}},
      {"grey", {0.50f, 0.50f, 0.50f}},       {"charcoal", {0.21f, 0.22f, 0.24f}},
      {"navy", {0.10f, 0.13f, 0.30f}},       {"blue", {0.15f, 0.35f, 0.75f}},
      {"light blue", {0.60f, 0.75f, 0.90f}}, {"teal", {0.05f, 0.50f, 0.50f}},
      {"green", {0.15f, 0.55f, 0.25f}},      {"olive", {0.40f, 0.42f, 0.18f}},
      {"khaki", {0.76f, 0.69f, 0.50f}},      {"beige", {0.89f, 0.82f, 0.68f}},
      {"cream", {0.96f, 0.93f, 0.82f}},      {"brown", {0.42f, 0.26f, 0.15f}},
      {"burgundy", {0.45f, 0.08f, 0.15f}},   {"red", {0.80f, 0.10f, 0.12f}},
      {"orange", {0.95f, 0.50f, 0.10f}},     {"yellow", {0.96f, 0.85f, 0.20f}},
      {"pink", {0.95f, 0.60f, 0.72f}},       {"purple", {0.45f, 0.20f, 0.60f}},
      {"gold", {0.83f, 0.69f, 0.22f}},       {"silver", {0.75f, 0.75f, 0.78f}},
  };
  return table;
}

// Hair colours: natural shades first, then greys, then dyed colours.
const ColourTable& hair_palette() {
  static const ColourTable table = {
      {"black", {0.04f, 0.03f, 0.03f}},    {"dark brown", {0.17f, 0.10f, 0.06f}},
      {"brown", {0.36f, 0.22f, 0.12f}},    {"auburn", {0.50f, 0.20f, 0.10f}},
      {"red", {0.72f, 0.30f, 0.12f}},      {"blonde", {0.85f, 0.70f, 0.42f}},
      {"platinum", {0.93f, 0.89f, 0.80f}}, {"grey", {0.60f, 0.60f, 0.60f}},
      {"white", {0.92f, 0.92f, 0.92f}},    {"blue", {0.15f, 0.30f, 0.80f}},
      {"pink", {0.95f, 0.45f, 0.65f}},     {"green", {0.20f, 0.65f, 0.30f}},
      {"purple", {0.50f, 0.20f, 0.70f}},
  };
  return table;
}

const ColourTable& eye_palette() {
  static const ColourTable table = {
      {"brown", {0.35f, 0.20f, 0.09f}}, {"blue", {0.30f, 0.50f, 0.75f}},
      {"green", {0.30f, 0.55f, 0.30f}}, {"grey", {0.55f, 0.60f, 0.62f}},
      {"hazel", {0.55f, 0.42f, 0.20f}},
  };
  return table;
}

std::vector<std::string> names_of(const ColourTable& table) {
  std::vector<std::string> names;
  for (const auto& entry : table) names.push_back(entry.first);
  return names;
}

Rgb lookup(const ColourTable& table, const std::string& name, const char* what) {
  for (const auto& entry : table)
    if (entry.first == name) return entry.second;
  throw Error(std::string("unknown ") + what + " colour name '" + name + "'");
}

// The 12 outfit assets as they look in their previews.
const std::vector<OutfitInfo>& outfit_table() {
  static const std::vector<OutfitInfo> table = {
      {"female_casualsuit01", true, "casual", "t-shirt", "jeans", true},
      {"female_casualsuit02", true, "casual", "t-shirt", "shorts", true},
      {"female_elegantsuit01", true, "elegant", "jacket", "skirt", true},
      {"female_sportsuit01", true, "sport", "crop top", "leggings", false},
      {"male_casualsuit01", false, "casual", "shirt", "jeans", true},
      {"male_casualsuit02", false, "casual", "sweatshirt", "jeans", true},
      {"male_casualsuit03", false, "casual", "shirt", "jeans", true},
      {"male_casualsuit04", false, "casual", "t-shirt", "jeans", true},
      {"male_casualsuit05", false, "casual", "jacket", "jeans", false},
      {"male_casualsuit06", false, "casual", "t-shirt", "jeans", true},
      {"male_elegantsuit01", false, "elegant", "suit", "suit", false},
      {"male_worksuit01", false, "work", "t-shirt", "overalls", false},
  };
  return table;
}

// Plausible colours per garment (palette names).
const std::vector<std::string>& garment_colours(const std::string& garment) {
  static const std::map<std::string, std::vector<std::string>> table = {
      {"t-shirt",
       {"black", "white", "grey", "navy", "blue", "light blue", "teal", "green", "olive", "red",
        "orange", "yellow", "pink", "purple", "burgundy", "cream"}},
      {"sweatshirt",
       {"black", "white", "grey", "charcoal", "navy", "blue", "green", "burgundy", "red", "yellow",
        "purple", "beige"}},
      {"crop top", {"black", "white", "grey", "blue", "teal", "pink", "purple", "red", "yellow"}},
      {"shirt",
       {"white", "light blue", "blue", "pink", "grey", "black", "navy", "burgundy", "green",
        "cream"}},
      {"jacket",
       {"black", "charcoal", "navy", "brown", "grey", "olive", "khaki", "beige", "burgundy",
        "green"}},
      {"suit", {"black", "charcoal", "navy", "grey", "brown", "beige"}},
      {"jeans", {"blue", "light blue", "navy", "black", "grey"}},
      {"shorts", {"blue", "light blue", "black", "khaki", "beige", "white"}},
      {"skirt", {"black", "charcoal", "navy", "grey", "burgundy", "beige", "red"}},
      {"leggings", {"black", "charcoal", "navy", "grey", "purple", "teal"}},
      {"overalls", {"blue", "navy", "khaki", "olive", "orange", "grey"}},
  };
  return table.at(garment);
}

// A value drawn with relative weights (all ≥ 0, not all 0).
template <typename T>
const T& pick(Rng& rng, const std::vector<std::pair<T, float>>& weighted) {
  float total = 0.0f;
  for (const auto& entry : weighted) total += entry.second;
  float u = rng.uniform() * total;
  for (const auto& entry : weighted) {
    if (u < entry.second) return entry.first;
    u -= entry.second;
  }
  for (auto it = weighted.rbegin(); it != weighted.rend(); ++it)
    if (it->second > 0.0f) return it->first;  // rounding fell past the end
  return weighted.back().first;
}

const std::string& pick_uniform(Rng& rng, const std::vector<std::string>& values) {
  return values[rng.below(values.size())];
}

// Triangular on [0, 1], peak at 0.5: most people are near the average, few at the extremes.
float centred(Rng& rng) { return 0.5f * (rng.uniform() + rng.uniform()); }

float clamp01(float v) { return std::min(1.0f, std::max(0.0f, v)); }

// Skin families (african, asian, caucasian): the lightest and darkest sRGB skin of each; a
// person's colour blends the families by skin_blend at one shared lightness.
constexpr std::array<Rgb, 3> kSkinLight = {
    {{0.55f, 0.38f, 0.28f}, {0.93f, 0.80f, 0.68f}, {0.96f, 0.82f, 0.74f}}};
constexpr std::array<Rgb, 3> kSkinDark = {
    {{0.24f, 0.15f, 0.11f}, {0.70f, 0.52f, 0.38f}, {0.78f, 0.60f, 0.48f}}};

void sample_skin(Rng& rng, Attributes& a) {
  const std::size_t dominant = rng.below(3);
  const float dominant_weight = rng.uniform(0.5f, 1.0f);  // mixed ancestry is common
  const float split = rng.uniform();
  const std::size_t other1 = (dominant + 1) % 3, other2 = (dominant + 2) % 3;
  a.skin_blend[dominant] = dominant_weight;
  a.skin_blend[other1] = (1.0f - dominant_weight) * split;
  a.skin_blend[other2] = (1.0f - dominant_weight) * (1.0f - split);
  const float darkness = rng.uniform();
  for (int c = 0; c < 3; ++c) {
    float v = 0.0f;
    for (int f = 0; f < 3; ++f)
      v += a.skin_blend[f] * (kSkinLight[f][c] + darkness * (kSkinDark[f][c] - kSkinLight[f][c]));
    a.skin_rgb[c] = v;
  }
}

void sample_hair(Rng& rng, Attributes& a, bool male) {
  const float african = a.skin_blend[0], caucasian = a.skin_blend[2];
  const float ageing = clamp01((a.age_years - 35.0f) / 45.0f);  // 0 at 35, 1 at 80
  // Style weights: short cuts for men, longer styles for women; baldness grows with age.
  std::vector<std::pair<std::string, float>> styles;
  if (male) {
    styles = {{"short01", 3},
              {"short02", 3},
              {"short03", 3},
              {"short04", 3},
              {"afro01", 0.5f + 3.0f * african},
              {"none", 1.0f + 5.0f * ageing},
              {"long01", 0.5f},
              {"ponytail01", 0.5f},
              {"bob01", 0.2f},
              {"bob02", 0.2f},
              {"braid01", 0.2f}};
  } else {
    styles = {{"long01", 3},     {"ponytail01", 2}, {"bob01", 2},
              {"bob02", 2},      {"braid01", 2},    {"afro01", 0.5f + 3.0f * african},
              {"short01", 0.5f}, {"short02", 0.5f}, {"short03", 0.5f},
              {"short04", 0.5f}, {"none", 0.2f}};
  }
  a.hair_style = pick(rng, styles);

  const float greying = 0.85f * std::pow(ageing, 1.5f);  // grey or white: 0.35 at 60, 0.85 at 80
  const float dyed = a.age_years < 35.0f ? 0.10f : 0.04f;
  const float u = rng.uniform();
  if (u < greying) {
    a.hair_colour = rng.uniform() < 0.25f + 0.5f * ageing ? "white" : "grey";  // whiter with age
  } else if (u < greying + dyed) {
    a.hair_colour = pick_uniform(rng, {"blue", "pink", "green", "purple"});
  } else {
    const float dark = 1.0f - caucasian;  // african and asian hair is mostly black
    a.hair_colour = pick<std::string>(rng, {{"black", 2.0f + 6.0f * dark},
                                            {"dark brown", 3.0f + 1.0f * dark},
                                            {"brown", 3.0f * caucasian + 0.3f},
                                            {"auburn", 1.0f * caucasian},
                                            {"red", 1.0f * caucasian},
                                            {"blonde", 2.5f * caucasian},
                                            {"platinum", 0.5f * caucasian}});
  }

  a.eye_colour = pick<std::string>(rng, {{"brown", 3.0f + 6.0f * (1.0f - caucasian)},
                                         {"blue", 3.0f * caucasian},
                                         {"green", 1.5f * caucasian},
                                         {"grey", 1.0f * caucasian},
                                         {"hazel", 1.5f}});
  a.facial_hair = male ? pick<std::string>(
                             rng, {{"none", 45}, {"stubble", 20}, {"moustache", 10}, {"beard", 25}})
                       : "none";
  a.eyebrows = pick_uniform(rng, eyebrow_values());
}

void sample_clothes(Rng& rng, Attributes& a, bool male) {
  const bool matching = rng.uniform() < 0.85f;  // some people wear the other gender's cut
  const bool want_female_cut = matching ? !male : male;
  std::vector<std::pair<std::string, float>> outfits;
  for (const auto& info : outfit_table())
    if (info.female == want_female_cut)
      outfits.emplace_back(info.name, info.name == "male_elegantsuit01" ? 1.5f : 1.0f);
  a.outfit = pick(rng, outfits);
  const OutfitInfo& info = outfit_info(a.outfit);

  a.top_colour = pick_uniform(rng, garment_colours(info.top));
  a.bottom_colour =
      info.bottom == "suit" ? a.top_colour : pick_uniform(rng, garment_colours(info.bottom));
  a.top_pattern =
      info.patternable
          ? pick<std::string>(rng, {{"plain", 70}, {"stripes", 12}, {"checks", 10}, {"dots", 8}})
          : "plain";

  // Shoes follow the outfit's style.
  std::string kind;
  if (info.style == "elegant")
    kind = rng.uniform() < 0.7f ? "dress" : "leather";
  else if (info.style == "sport")
    kind = "sneakers";
  else if (info.style == "work")
    kind = rng.uniform() < 0.6f ? "leather" : "sneakers";
  else
    kind = rng.uniform() < 0.55f ? "sneakers" : "leather";
  if (kind == "sneakers") {
    a.shoes = pick_uniform(rng, {"shoes02", "shoes05", "shoes06"});
    a.shoes_colour = pick_uniform(rng, {"white", "black", "grey", "blue", "red", "navy"});
  } else if (kind == "leather") {
    a.shoes = pick_uniform(rng, {"shoes01", "shoes04"});
    a.shoes_colour = pick_uniform(rng, {"brown", "black", "burgundy"});
  } else {
    a.shoes = "shoes03";
    a.shoes_colour = pick_uniform(rng, {"black", "brown", "burgundy"});
  }

  a.hat = rng.uniform() < (info.style == "elegant" ? 0.25f : 0.10f);
  a.hat_colour = pick_uniform(rng, {"black", "charcoal", "grey", "brown", "beige", "navy"});

  const float glasses_chance = 0.15f + 0.35f * clamp01((a.age_years - 30.0f) / 40.0f);
  a.glasses = rng.uniform() < glasses_chance
                  ? pick_uniform(rng, {"round", "rectangular", "aviator"})
                  : std::string("none");
  a.glasses_colour = pick<std::string>(
      rng, {{"black", 4}, {"brown", 2}, {"gold", 2}, {"silver", 2}, {"red", 0.5f}, {"navy", 0.5f}});
}

void require_one_of(const std::string& field, const std::string& value,
                    const std::vector<std::string>& allowed) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
  std::string list;
  for (const auto& v : allowed) list += (list.empty() ? "" : ", ") + v;
  throw Error("attributes: field '" + field + "': expected one of [" + list + "], got '" + value +
              "'");
}

void require_range(const std::string& field, float value, float lo, float hi) {
  if (std::isfinite(value) && value >= lo && value <= hi) return;
  throw Error("attributes: field '" + field + "': expected a number in [" + std::to_string(lo) +
              ", " + std::to_string(hi) + "], got " + std::to_string(value));
}

}  // namespace

const std::vector<std::string>& hair_style_values() {
  static const std::vector<std::string> v = {"none",    "afro01",  "bob01",      "bob02",
                                             "braid01", "long01",  "ponytail01", "short01",
                                             "short02", "short03", "short04"};
  return v;
}
const std::vector<std::string>& hair_colour_values() {
  static const std::vector<std::string> v = names_of(hair_palette());
  return v;
}
const std::vector<std::string>& eye_colour_values() {
  static const std::vector<std::string> v = names_of(eye_palette());
  return v;
}
const std::vector<std::string>& facial_hair_values() {
  static const std::vector<std::string> v = {"none", "stubble", "moustache", "beard"};
  return v;
}
const std::vector<std::string>& glasses_values() {
  static const std::vector<std::string> v = {"none", "round", "rectangular", "aviator"};
  return v;
}
const std::vector<std::string>& outfit_values() {
  static const std::vector<std::string> v = [] {
    std::vector<std::string> names;
    for (const auto& info : outfit_table()) names.push_back(info.name);
    return names;
  }();
  return v;
}
const std::vector<std::string>& pattern_values() {
  static const std::vector<std::string> v = {"plain", "stripes", "checks", "dots"};
  return v;
}
const std::vector<std::string>& shoes_values() {
  static const std::vector<std::string> v = {"shoes01", "shoes02", "shoes03",
                                             "shoes04", "shoes05", "shoes06"};
  return v;
}
const std::vector<std::string>& eyebrow_values() {
  static const std::vector<std::string> v = [] {
    std::vector<std::string> names;
    for (int i = 1; i <= 12; ++i)
      names.push_back(std::string("eyebrow0") + (i < 10 ? "0" : "") + std::to_string(i));
    return names;
  }();
  return v;
}
const std::vector<std::string>& colour_names() {
  static const std::vector<std::string> v = names_of(palette());
  return v;
}

std::array<float, 3> rgb_for_colour_name(const std::string& name) {
  return lookup(palette(), name, "clothing");
}
std::array<float, 3> rgb_for_hair_colour(const std::string& name) {
  return lookup(hair_palette(), name, "hair");
}
std::array<float, 3> rgb_for_eye_colour(const std::string& name) {
  return lookup(eye_palette(), name, "eye");
}

const OutfitInfo& outfit_info(const std::string& outfit) {
  for (const auto& info : outfit_table())
    if (info.name == outfit) return info;
  throw Error("unknown outfit asset '" + outfit + "'");
}

std::string gender_word(const Attributes& a) { return a.gender < 0.5f ? "woman" : "man"; }

std::string age_group(const Attributes& a) {
  if (a.age_years < 30.0f) return "young";
  if (a.age_years < 45.0f) return "adult";
  if (a.age_years < 65.0f) return "middle-aged";
  return "elderly";
}

int age_decade(const Attributes& a) { return std::min(80, age_whole_years(a) / 10 * 10); }
int age_whole_years(const Attributes& a) { return static_cast<int>(std::floor(a.age_years)); }

std::string build_class(const Attributes& a) {
  // Thresholds cut the triangular slider distribution into roughly 20 % tails.
  if (a.muscle > 0.7f && a.weight >= 0.32f) return "muscular";
  if (a.weight > 0.68f) return "heavyset";
  if (a.weight < 0.32f) return "slim";
  return "average";
}

std::string height_class(const Attributes& a) {
  if (a.height < 0.3f) return "short";  // about the lowest 18 % of the triangular sampler
  if (a.height > 0.7f) return "tall";   // about the highest 18 %
  return "average";
}

std::string hair_style_kind(const Attributes& a) {
  const std::string& s = a.hair_style;
  if (s == "none") return "none";
  if (s.rfind("short", 0) == 0) return "short";
  if (s.rfind("bob", 0) == 0) return "bob";
  if (s == "afro01") return "afro";
  if (s == "braid01") return "braid";
  if (s == "ponytail01") return "ponytail";
  if (s == "long01") return "loose";  // long hair worn down
  throw Error("attributes: field 'hair_style': unknown hair style '" + s + "'");
}

std::string hair_length(const Attributes& a) {
  const std::string kind = hair_style_kind(a);
  if (kind == "none") return "bald";
  if (kind == "short") return "short";
  if (kind == "bob" || kind == "afro") return "medium";  // chin length / a rounded crown
  return "long";                                         // loose, braid, ponytail
}

std::string skin_tone(const Attributes& a) {
  // Rec. 709 luma of the sRGB values; the thresholds split the sampled families' range.
  const float luma = 0.2126f * a.skin_rgb[0] + 0.7152f * a.skin_rgb[1] + 0.0722f * a.skin_rgb[2];
  if (luma >= 0.68f) return "light";
  if (luma < 0.45f) return "dark";
  return "medium";
}

std::string shoes_kind(const Attributes& a) {
  if (a.shoes == "shoes01" || a.shoes == "shoes04") return "leather shoes";
  if (a.shoes == "shoes03") return "dress shoes";
  if (a.shoes == "shoes02" || a.shoes == "shoes05" || a.shoes == "shoes06") return "sneakers";
  throw Error("attributes: field 'shoes': unknown shoes asset '" + a.shoes + "'");
}

Attributes sample_attributes(std::uint64_t seed) {
  Rng rng(seed);
  Attributes a;
  a.seed = seed;
  const bool male = rng.uniform() < 0.5f;
  a.gender = male ? rng.uniform(0.7f, 1.0f) : rng.uniform(0.0f, 0.3f);  // clear of the middle
  // Skewed towards younger adults (median about 45) like the population of image captions.
  a.age_years = 18.0f + 72.0f * std::pow(rng.uniform(), 1.4f);
  a.muscle = centred(rng);
  // People put on weight with age: up to +0.1 on the weight slider at 90.
  a.weight = clamp01(centred(rng) + 0.1f * (a.age_years - 18.0f) / 72.0f);
  a.height = centred(rng);
  a.proportions = rng.uniform(0.3f, 1.0f);
  sample_skin(rng, a);
  sample_hair(rng, a, male);
  sample_clothes(rng, a, male);
  return a;
}

nlohmann::json derived_labels(const Attributes& a) {
  const OutfitInfo& outfit = outfit_info(a.outfit);
  return nlohmann::json{{"gender", gender_word(a)},      {"age_group", age_group(a)},
                        {"build", build_class(a)},       {"height", height_class(a)},
                        {"hair_length", hair_length(a)}, {"hair_style", hair_style_kind(a)},
                        {"skin_tone", skin_tone(a)},     {"shoes", shoes_kind(a)},
                        {"top_garment", outfit.top},     {"bottom_garment", outfit.bottom}};
}

void validate(const Attributes& a) {
  require_range("gender", a.gender, 0.0f, 1.0f);
  require_range("age_years", a.age_years, 18.0f, 90.0f);
  require_range("muscle", a.muscle, 0.0f, 1.0f);
  require_range("weight", a.weight, 0.0f, 1.0f);
  require_range("height", a.height, 0.0f, 1.0f);
  require_range("proportions", a.proportions, 0.0f, 1.0f);
  float blend_sum = 0.0f;
  for (int i = 0; i < 3; ++i) {
    require_range("skin_blend[" + std::to_string(i) + "]", a.skin_blend[i], 0.0f, 1.0f);
    require_range("skin_rgb[" + std::to_string(i) + "]", a.skin_rgb[i], 0.0f, 1.0f);
    blend_sum += a.skin_blend[i];
  }
  if (std::fabs(blend_sum - 1.0f) > 1e-3f)  // float rounding of three weights
    throw Error("attributes: field 'skin_blend': expected weights summing to 1, got " +
                std::to_string(blend_sum));
  require_one_of("hair_style", a.hair_style, hair_style_values());
  require_one_of("hair_colour", a.hair_colour, hair_colour_values());
  require_one_of("eye_colour", a.eye_colour, eye_colour_values());
  require_one_of("facial_hair", a.facial_hair, facial_hair_values());
  require_one_of("eyebrows", a.eyebrows, eyebrow_values());
  require_one_of("glasses", a.glasses, glasses_values());
  require_one_of("glasses_colour", a.glasses_colour, colour_names());
  require_one_of("outfit", a.outfit, outfit_values());
  require_one_of("top_colour", a.top_colour, colour_names());
  require_one_of("bottom_colour", a.bottom_colour, colour_names());
  require_one_of("top_pattern", a.top_pattern, pattern_values());
  require_one_of("shoes", a.shoes, shoes_values());
  require_one_of("shoes_colour", a.shoes_colour, colour_names());
  require_one_of("hat_colour", a.hat_colour, colour_names());
}

nlohmann::json to_json(const Attributes& a) {
  return nlohmann::json{{"seed", a.seed},
                        {"gender", a.gender},
                        {"age_years", a.age_years},
                        {"muscle", a.muscle},
                        {"weight", a.weight},
                        {"height", a.height},
                        {"proportions", a.proportions},
                        {"skin_blend", a.skin_blend},
                        {"skin_rgb", a.skin_rgb},
                        {"hair_style", a.hair_style},
                        {"hair_colour", a.hair_colour},
                        {"eye_colour", a.eye_colour},
                        {"facial_hair", a.facial_hair},
                        {"eyebrows", a.eyebrows},
                        {"glasses", a.glasses},
                        {"glasses_colour", a.glasses_colour},
                        {"outfit", a.outfit},
                        {"top_colour", a.top_colour},
                        {"bottom_colour", a.bottom_colour},
                        {"top_pattern", a.top_pattern},
                        {"shoes", a.shoes},
                        {"shoes_colour", a.shoes_colour},
                        {"hat", a.hat},
                        {"hat_colour", a.hat_colour}};
}

Attributes attributes_from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw Error("attributes JSON: expected an object, got " + j.dump());
  // Reads field NAME into OUT, naming the field when it is missing or of the wrong type.
  auto read = [&j](const char* name, auto& out) {
    const auto it = j.find(name);
    if (it == j.end()) throw Error(std::string("attributes JSON: missing field '") + name + "'");
    try {
      it->get_to(out);
    } catch (const nlohmann::json::exception&) {
      throw Error(std::string("attributes JSON: field '") + name +
                  "' has the wrong type: " + it->dump());
    }
  };
  Attributes a;
  read("seed", a.seed);
  read("gender", a.gender);
  read("age_years", a.age_years);
  read("muscle", a.muscle);
  read("weight", a.weight);
  read("height", a.height);
  read("proportions", a.proportions);
  read("skin_blend", a.skin_blend);
  read("skin_rgb", a.skin_rgb);
  read("hair_style", a.hair_style);
  read("hair_colour", a.hair_colour);
  read("eye_colour", a.eye_colour);
  read("facial_hair", a.facial_hair);
  read("eyebrows", a.eyebrows);
  read("glasses", a.glasses);
  read("glasses_colour", a.glasses_colour);
  read("outfit", a.outfit);
  read("top_colour", a.top_colour);
  read("bottom_colour", a.bottom_colour);
  read("top_pattern", a.top_pattern);
  read("shoes", a.shoes);
  read("shoes_colour", a.shoes_colour);
  read("hat", a.hat);
  read("hat_colour", a.hat_colour);
  validate(a);
  return a;
}

}  // namespace tera::synth
