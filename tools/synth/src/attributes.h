// The teacher's attribute schema: the sampled ground truth of one avatar (body shape, skin, hair,
// face, clothes, accessories), the descriptors derived from it that captions talk about, the
// seeded sampler, the named colour tables and the JSON form written next to every baked avatar.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace tera::synth {

// One avatar's ground truth. Every string field holds a canonical value from the lists below
// (the *_values() functions); every float is a MakeHuman macro slider value unless named
// otherwise.
struct Attributes {
  std::uint64_t seed = 0;  // the seed sample_attributes() drew it from (0 when built by hand)

  // Body shape (MakeHuman macro sliders).
  float gender = 1.0f;  // 0 = female … 1 = male
  float age_years =
      30.0f;            // 18 … 90; makehuman_age_value() (target.h) gives the macro slider value
  float muscle = 0.5f;  // 0 … 1
  float weight = 0.5f;  // 0 … 1
  float height = 0.5f;  // 0 … 1, relative to the gender's mean height
  float proportions = 0.5f;  // 0 … 1 (MakeHuman "body proportions": 1 = idealised)

  // Skin. skin_blend: [3] weights of the african, asian, caucasian skin macro targets, sum 1.
  // skin_rgb: [3] sRGB 0 … 1 diffuse skin colour, consistent with skin_blend.
  std::array<float, 3> skin_blend{0.0f, 0.0f, 1.0f};
  std::array<float, 3> skin_rgb{0.87f, 0.72f, 0.62f};

  // Head. hair_colour also colours the eyebrows and any facial hair.
  std::string hair_style = "short01";    // "none" (bald) or a hair asset name
  std::string hair_colour = "brown";     // hair_colour_values()
  std::string eye_colour = "brown";      // eye_colour_values()
  std::string facial_hair = "none";      // none, stubble, moustache, beard (none for women)
  std::string eyebrows = "eyebrow001";   // eyebrow asset name
  std::string glasses = "none";          // none, round, rectangular, aviator
  std::string glasses_colour = "black";  // frame colour, a palette name ("black" when none)

  // Clothes. The outfit asset decides the garments (outfit_info()); top_colour colours its top
  // garment (or the whole suit), bottom_colour its bottom garment (trousers, skirt, overalls).
  std::string outfit = "male_casualsuit04";
  std::string top_colour = "white";    // palette name
  std::string bottom_colour = "blue";  // palette name
  std::string top_pattern = "plain";   // plain, stripes, checks, dots
  std::string shoes = "shoes05";       // shoes01 … shoes06
  std::string shoes_colour = "white";  // palette name
  bool hat = false;                    // the fedora01 asset when true
  std::string hat_colour = "black";    // palette name (kept even when hat is false)
};

// ---- Allowed values (canonical spellings) --------------------------------------------------
const std::vector<std::string>& hair_style_values();   // "none" + the 10 hair assets
const std::vector<std::string>& hair_colour_values();  // black … purple (13)
const std::vector<std::string>& eye_colour_values();   // brown blue green grey hazel
const std::vector<std::string>& facial_hair_values();  // none stubble moustache beard
const std::vector<std::string>& glasses_values();      // none round rectangular aviator
const std::vector<std::string>& outfit_values();       // the 12 outfit assets
const std::vector<std::string>& pattern_values();      // plain stripes checks dots
const std::vector<std::string>& shoes_values();        // shoes01 … shoes06
const std::vector<std::string>& eyebrow_values();      // eyebrow001 … eyebrow012
const std::vector<std::string>& colour_names();        // the clothing/accessory palette (≥ 16)

// ---- Colour tables (sRGB, each channel 0 … 1) ----------------------------------------------
// Each throws tera::Error naming the table and the unknown name.
std::array<float, 3> rgb_for_colour_name(const std::string& name);  // clothing palette
std::array<float, 3> rgb_for_hair_colour(const std::string& name);  // hair, brows, beard
std::array<float, 3> rgb_for_eye_colour(const std::string& name);   // iris

// ---- Outfits ---------------------------------------------------------------------------------
// What an outfit asset looks like, as captions name it. Garment words are canonical keys of the
// vocabulary's "garment" table: t-shirt, shirt, sweatshirt, jacket, crop top, suit, jeans, shorts,
// skirt, leggings, overalls.
struct OutfitInfo {
  std::string name;    // asset name, e.g. "male_casualsuit05"
  bool female;         // tagged Female by MakeHuman (drawn mostly for gender < 0.5)
  std::string style;   // casual, elegant, sport, work
  std::string top;     // top garment coloured by top_colour ("suit" for a whole suit)
  std::string bottom;  // bottom garment coloured by bottom_colour ("suit" for a whole suit)
  bool patternable;    // whether top_pattern may be other than plain (woven shirts, tees)
};
const OutfitInfo& outfit_info(const std::string& outfit);  // throws tera::Error when unknown

// ---- Derived descriptors (what captions talk about) ------------------------------------------
std::string gender_word(const Attributes& a);      // "woman" (gender < 0.5) or "man"
std::string age_group(const Attributes& a);        // young (< 30), adult (30–44),
                                                   // middle-aged (45–64), elderly (≥ 65)
int age_decade(const Attributes& a);               // 10, 20, … 80 (ages 90 count as 80s)
int age_whole_years(const Attributes& a);          // floor(age_years)
std::string build_class(const Attributes& a);      // slim, average, heavyset, muscular
std::string height_class(const Attributes& a);     // short, average, tall
std::string hair_length(const Attributes& a);      // bald, short, medium, long
std::string hair_style_kind(const Attributes& a);  // none, short, bob, afro, braid, ponytail, loose
std::string skin_tone(const Attributes& a);        // light, medium, dark (from skin_rgb)
std::string shoes_kind(const Attributes& a);       // sneakers, leather shoes, dress shoes
// Every derived label above that training and evaluation read, as the "labels" object of a
// captions.jsonl record: gender, age_group, build, height, hair_length, hair_style, skin_tone,
// shoes, and the outfit's top_garment and bottom_garment words (docs/captions.md).
nlohmann::json derived_labels(const Attributes& a);

// ---- Sampling and JSON -----------------------------------------------------------------------
// Deterministic: the same seed gives the same avatar on every platform (own PRNG, no standard
// distributions). Correlations: facial hair only for men, grey/white hair likelier with age,
// natural hair colours likelier than dyed ones, outfits mostly of the matching gender, skin
// colour interpolated continuously between the three skin families.
Attributes sample_attributes(std::uint64_t seed);

// Throws tera::Error when a value is not canonical or a number out of range; the message names
// the field.
void validate(const Attributes& a);

nlohmann::json to_json(const Attributes& a);
// Throws tera::Error naming the missing or malformed field.
Attributes attributes_from_json(const nlohmann::json& j);

}  // namespace tera::synth
