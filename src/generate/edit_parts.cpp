// Edit parts: the keyword table of --part auto and the held mask; see
// include/tera/generate/edit_parts.h.
#include "tera/generate/edit_parts.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "tera/core/error.h"

namespace tera {
namespace {

struct PartWords {
  const char* part;
  std::vector<std::string> words;  // whole words; a plural (+s, +es) matches too
};

// The default package's tokens in token order, each with the words that name it. A garment word
// for a whole outfit (suit, dress, outfit, dungarees) names both the top and the bottom.
const std::vector<PartWords>& keyword_table() {
  static const std::vector<PartWords> table = {
      {"body", {"body",    "build",  "physique",   "muscular", "muscly", "athletic", "slim",
                "slender", "thin",   "skinny",     "fat",      "heavy",  "heavyset", "heavier",
                "chubby",  "stocky", "lanky",      "portly",   "wiry",   "beefy",    "hench",
                "plump",   "curvy",  "overweight", "tall",     "taller", "weight"}},
      {"face", {"face",       "beard",    "bearded",  "beardless", "moustache", "mustache",
                "moustached", "tache",    "stache",   "stubble",   "stubbly",   "goatee",
                "shaven",     "unshaven", "sideburn", "whisker",   "skin",      "complexion",
                "tanned",     "freckle",  "lipstick", "makeup"}},
      {"hair", {"hair",     "haired",     "hairstyle", "haircut", "hairdo", "bald",    "balding",
                "ponytail", "ponytailed", "bob",       "afro",    "braid",  "braided", "plait",
                "bun",      "mohawk",     "fringe",    "bang",    "curl",   "curly",   "pixie",
                "mane",     "lock",       "dreadlock", "buzzcut"}},
      {"hat",
       {"hat", "tophat", "hatless", "cap", "beanie", "fedora", "trilby", "bowler", "beret",
        "helmet", "headwear"}},
      {"glasses",
       {"glasses", "spectacles", "specs", "bespectacled", "spectacled", "sunglasses", "shades",
        "eyewear", "aviators", "monocle"}},
      {"top", {"top",   "shirt",  "tshirt",     "tee",      "blouse",     "jacket",   "blazer",
               "coat",  "hoodie", "sweatshirt", "jumper",   "sweater",    "cardigan", "vest",
               "polo",  "jersey", "tank",       "sleeve",   "sleeveless", "tuxedo",   "suit",
               "dress", "outfit", "dungarees",  "overalls", "clothes",    "clothing"}},
      {"bottom",
       {"bottom", "trousers", "pants", "jeans", "shorts", "skirt", "slacks", "leggings", "chinos",
        "joggers", "cutoffs", "tuxedo", "suit", "dress", "outfit", "dungarees", "overalls",
        "clothes", "clothing"}},
      {"shoes",
       {"shoe", "footwear", "trainer", "sneaker", "boot", "sandal", "heel", "brogue", "loafer",
        "kicks", "slipper", "flats", "pumps"}},
  };
  return table;
}

// Hair colours that name the hair only when nothing else is named ("make her blonde"; but "a
// ginger beard" is the face).
const std::vector<std::string>& hair_colour_words() {
  static const std::vector<std::string> words = {"blonde", "blond",    "brunette", "redhead",
                                                 "ginger", "platinum", "auburn"};
  return words;
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : text) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      words.push_back(word);
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(word);
  // "t-shirt" is one word (a lone "t" names nothing), and so is "top hat" (a hat, not a top).
  std::vector<std::string> joined;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string next = i + 1 < words.size() ? words[i + 1] : std::string();
    if ((words[i] == "t" && next == "shirt") || (words[i] == "top" && next == "hat")) {
      joined.push_back(words[i] + next);
      ++i;
    } else {
      joined.push_back(words[i]);
    }
  }
  return joined;
}

bool names(const std::string& word, const std::string& keyword) {
  return word == keyword || word == keyword + "s" || word == keyword + "es";
}

bool any_word_names(const std::vector<std::string>& words,
                    const std::vector<std::string>& keywords) {
  for (const auto& w : words) {
    for (const auto& k : keywords) {
      if (names(w, k)) return true;
    }
  }
  return false;
}

std::string token_list(const ModelManifest& manifest) {
  std::string list;
  for (const auto& t : manifest.latent_tokens) list += (list.empty() ? "" : ", ") + t.name;
  return list;
}

}  // namespace

std::vector<std::string> parts_named_in(const std::string& prompt) {
  const std::vector<std::string> words = words_of(prompt);
  std::vector<std::string> parts;
  for (const PartWords& entry : keyword_table()) {
    if (any_word_names(words, entry.words)) parts.push_back(entry.part);
  }
  if (parts.empty() && any_word_names(words, hair_colour_words())) parts.push_back("hair");
  return parts;
}

std::vector<std::string> resolve_edit_parts(const std::string& part, const std::string& prompt,
                                            const ModelManifest& manifest,
                                            const std::string& parameter) {
  if (manifest.latent_tokens.empty()) {
    throw ModelError(manifest.file("manifest.json").string() +
                     ": field 'latent.tokens' is missing: model '" + manifest.name +
                     "' does not say which part each latent token owns, so its avatars cannot be "
                     "edited part by part");
  }
  std::vector<std::string> parts;
  if (part == "auto") {
    parts = parts_named_in(prompt);
    if (parts.empty()) {
      throw UsageError(parameter, "auto recognised no part in the edit prompt '" + prompt +
                                      "' (it names no garment, hair, facial hair, glasses, hat or "
                                      "build word; see docs/editing.md); "
                                      "name the parts instead: " +
                                      token_list(manifest));
    }
  } else {
    std::stringstream in(part);
    std::string item;
    while (std::getline(in, item, ',')) {
      if (std::find(parts.begin(), parts.end(), item) == parts.end()) parts.push_back(item);
    }
  }
  for (const auto& p : parts) {
    const bool known = std::any_of(manifest.latent_tokens.begin(), manifest.latent_tokens.end(),
                                   [&](const LatentToken& t) { return t.name == p; });
    if (!known) {
      throw UsageError(parameter,
                       "model '" + manifest.name + "' has no part '" + p +
                           "' (its latent.tokens: " + token_list(manifest) +
                           (part == "auto" ? "; found by the keyword table in '" + prompt + "'"
                                           : std::string()) +
                           "; or auto)");
    }
  }
  if (parts.empty())
    throw UsageError(parameter, "name at least one part (" + token_list(manifest) + ") or auto");
  return parts;
}

std::vector<char> held_entries(const ModelManifest& manifest,
                               const std::vector<std::string>& parts) {
  const std::size_t n = manifest.latent_size();
  const std::size_t tokens = manifest.latent_tokens.size();
  if (tokens == 0 || manifest.latent_shape.empty() ||
      static_cast<std::size_t>(manifest.latent_shape[0]) != tokens) {
    throw ModelError(manifest.file("manifest.json").string() +
                     ": field 'latent.tokens' does not name one token per row of latent.shape");
  }
  const std::size_t per_token = n / tokens;
  std::vector<char> held(n, 1);
  for (std::size_t t = 0; t < tokens; ++t) {
    if (std::find(parts.begin(), parts.end(), manifest.latent_tokens[t].name) == parts.end())
      continue;
    std::fill(held.begin() + static_cast<std::ptrdiff_t>(t * per_token),
              held.begin() + static_cast<std::ptrdiff_t>((t + 1) * per_token), 0);
  }
  return held;
}

}  // namespace tera
