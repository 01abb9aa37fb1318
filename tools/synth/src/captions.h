// Captions: varied English descriptions of one avatar built from the vocabulary file, and the
// partial parser that reads the stated attributes back out of a caption (for the round-trip test
// and for checking any caption against ground truth).
#pragma once

#include <cstdint>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "attributes.h"
#include "vocabulary.h"

namespace tera::synth {

// Fact key → canonical value. Keys (docs/captions.md lists them with their values):
//   gender age_group age_decade age_years height_class build skin_tone
//   hair_length hair_colour hair_style eye_colour facial_hair
//   wears_glasses glasses glasses_colour hat hat_colour
//   top_garment top_colour top_pattern bottom_garment bottom_colour shoes_kind shoes_colour
using Facts = std::map<std::string, std::string>;

// Everything a caption could truthfully state about A (glasses/hat details only when worn).
Facts facts_of(const Attributes& a);

// One caption and the facts it states.
struct Caption {
  std::string text;
  Facts stated;
};

// COUNT distinct captions (fewer only if the avatar cannot be described in that many ways),
// deterministic in (A, SEED): short and long, different orders and synonyms, with and without
// details, some with negatives ("no glasses", "clean-shaven", "without a hat").
std::vector<Caption> make_captions_with_facts(const Attributes& a, std::uint64_t seed, int count,
                                              const Vocabulary& vocabulary);
std::vector<Caption> make_captions_with_facts(const Attributes& a, std::uint64_t seed, int count);
std::vector<std::string> make_captions(const Attributes& a, std::uint64_t seed, int count,
                                       const Vocabulary& vocabulary);
std::vector<std::string> make_captions(const Attributes& a, std::uint64_t seed, int count);

// Reads the facts a caption states. Phrases are found by longest match in the vocabulary; each
// noun ("hair", "t-shirt", "glasses", "woman" …) takes the adjectives right before it; a
// negation before a noun ("no glasses", "without a hat") states its absence. Words it does not
// know are skipped, so it reads free text too, partially.
class CaptionParser {
 public:
  explicit CaptionParser(const Vocabulary& vocabulary);
  Facts parse(const std::string& caption) const;

 private:
  // Whether PHRASE is an age in years ("35-year-old"), which may stand among adjectives.
  bool states_age_years(const std::string& phrase) const;

  const Vocabulary& vocabulary_;
  Lexicon lexicon_;
  std::vector<std::regex> age_frames_;  // one per age-in-years frame, number in group 2
};

// parse() with the default vocabulary.
Facts parse_caption(const std::string& caption);

}  // namespace tera::synth
