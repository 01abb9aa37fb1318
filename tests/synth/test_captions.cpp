// Tests of the teacher's attribute schema, sampler, vocabulary, caption writer and caption parser.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "attributes.h"
#include "captions.h"
#include "tera/core/error.h"
#include "vocabulary.h"

namespace tera::synth {
namespace {

// The committed vocabulary, found through the source tree (independent of the working folder).
const Vocabulary& vocabulary() {
  static const Vocabulary v =
      Vocabulary::load(std::string(TERA_SOURCE_DIR) + "/tools/synth/data/vocabulary.json");
  return v;
}

const CaptionParser& parser() {
  static const CaptionParser p(vocabulary());
  return p;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Whether PHRASE occurs in TEXT as whole words (both lower case).
bool contains_words(const std::string& text, const std::string& phrase) {
  auto is_word_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '\'';
  };
  for (std::size_t at = text.find(phrase); at != std::string::npos;
       at = text.find(phrase, at + 1)) {
    const bool starts = at == 0 || !is_word_char(text[at - 1]);
    const std::size_t end = at + phrase.size();
    const bool ends = end == text.size() || !is_word_char(text[end]);
    if (starts && ends) return true;
  }
  return false;
}

TEST(SynthAttributes, SamplingIsDeterministicPerSeed) {
  for (std::uint64_t seed : {0ull, 1ull, 42ull, 123456789ull}) {
    EXPECT_EQ(to_json(sample_attributes(seed)).dump(), to_json(sample_attributes(seed)).dump());
  }
  EXPECT_NE(to_json(sample_attributes(1)).dump(), to_json(sample_attributes(2)).dump());
}

// Frozen values: the sampler must give these on every platform (own PRNG, no std
// distributions). Floats pass through std::pow, so they get a few ulps of slack.
TEST(SynthAttributes, SampleOfAKnownSeedIsFrozen) {
  const Attributes a = sample_attributes(2);
  EXPECT_EQ(a.hair_style, "short03");
  EXPECT_EQ(a.hair_colour, "white");
  EXPECT_EQ(a.outfit, "female_casualsuit01");
  EXPECT_EQ(a.top_colour, "purple");
  EXPECT_EQ(a.bottom_colour, "light blue");
  EXPECT_EQ(a.glasses, "round");
  EXPECT_EQ(a.shoes, "shoes01");
  EXPECT_NEAR(a.gender, 0.2247449f, 1e-6f);
  EXPECT_NEAR(a.age_years, 52.858437f, 1e-4f);
  EXPECT_NEAR(a.skin_rgb[0], 0.8149916f, 1e-6f);
}

TEST(SynthAttributes, SampledValuesAreCanonicalAndInRange) {
  for (std::uint64_t seed = 0; seed < 2000; ++seed) {
    const Attributes a = sample_attributes(seed);
    ASSERT_NO_THROW(validate(a)) << "seed " << seed;
    EXPECT_EQ(a.seed, seed);
    // The sampler keeps gender clear of the ambiguous middle of the slider.
    EXPECT_TRUE(a.gender <= 0.3f || a.gender >= 0.7f) << "seed " << seed;
    EXPECT_GE(a.age_years, 18.0f);
    EXPECT_LE(a.age_years, 90.0f);
    const float blend = a.skin_blend[0] + a.skin_blend[1] + a.skin_blend[2];
    EXPECT_NEAR(blend, 1.0f, 1e-5f);  // three float weights: rounding only
    if (outfit_info(a.outfit).top == "suit") {
      EXPECT_EQ(a.top_colour, a.bottom_colour);
    }
    if (!outfit_info(a.outfit).patternable) {
      EXPECT_EQ(a.top_pattern, "plain");
    }
  }
}

TEST(SynthAttributes, SampledCorrelationsArePlausible) {
  int women = 0, matching_outfits = 0, young = 0, young_grey = 0, old = 0, old_grey = 0;
  int natural = 0, dyed = 0, dark_mixed = 0, dark_caucasian = 0, african = 0, caucasian = 0;
  std::set<std::string> styles, hair_colours, outfits, builds;
  const int n = 4000;
  for (std::uint64_t seed = 0; seed < static_cast<std::uint64_t>(n); ++seed) {
    const Attributes a = sample_attributes(seed);
    const bool woman = gender_word(a) == "woman";
    women += woman;
    if (woman) {
      EXPECT_EQ(a.facial_hair, "none") << "seed " << seed;
    }
    matching_outfits += outfit_info(a.outfit).female == woman;
    const bool grey = a.hair_colour == "grey" || a.hair_colour == "white";
    if (a.age_years < 35.0f) young++, young_grey += grey;
    if (a.age_years >= 65.0f) old++, old_grey += grey;
    const bool is_dyed = a.hair_colour == "blue" || a.hair_colour == "pink" ||
                         a.hair_colour == "green" || a.hair_colour == "purple";
    dyed += is_dyed;
    natural += !is_dyed && !grey;
    if (a.skin_blend[0] > 0.6f) african++, dark_mixed += skin_tone(a) == "dark";
    if (a.skin_blend[2] > 0.6f) caucasian++, dark_caucasian += skin_tone(a) == "dark";
    styles.insert(a.hair_style);
    hair_colours.insert(a.hair_colour);
    outfits.insert(a.outfit);
    builds.insert(build_class(a));
  }
  // Binomial counts over 4000 draws have standard deviations below 0.01 of n; the bands are
  // several deviations wide around the sampler's design values (0.5 women, 0.85 matching).
  EXPECT_NEAR(static_cast<double>(women) / n, 0.5, 0.04);
  EXPECT_NEAR(static_cast<double>(matching_outfits) / n, 0.85, 0.04);
  ASSERT_GT(young, 100);
  ASSERT_GT(old, 100);
  EXPECT_EQ(young_grey, 0);  // greying starts at 35
  EXPECT_GT(static_cast<double>(old_grey) / old, 0.4);
  EXPECT_GT(natural, 5 * dyed);
  EXPECT_GT(dyed, 0);
  ASSERT_GT(african, 100);
  ASSERT_GT(caucasian, 100);
  EXPECT_GT(static_cast<double>(dark_mixed) / african,
            2.0 * static_cast<double>(dark_caucasian) / caucasian);
  EXPECT_EQ(styles.size(), hair_style_values().size());
  EXPECT_EQ(hair_colours.size(), hair_colour_values().size());
  EXPECT_EQ(outfits.size(), outfit_values().size());
  EXPECT_EQ(builds.size(), 4u);
}

TEST(SynthAttributes, JsonRoundTripIsExact) {
  for (std::uint64_t seed = 0; seed < 300; ++seed) {
    const Attributes a = sample_attributes(seed);
    const std::string text = to_json(a).dump();
    const Attributes back = attributes_from_json(nlohmann::json::parse(text));
    EXPECT_EQ(to_json(back).dump(), text) << "seed " << seed;
    EXPECT_EQ(back.age_years, a.age_years);  // floats print with round-trip precision
  }
}

TEST(SynthAttributes, JsonErrorsNameTheField) {
  const nlohmann::json good = to_json(sample_attributes(7));
  auto message_of = [](const nlohmann::json& j) {
    try {
      attributes_from_json(j);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  nlohmann::json missing = good;
  missing.erase("hair_colour");
  EXPECT_NE(message_of(missing).find("'hair_colour'"), std::string::npos) << message_of(missing);
  nlohmann::json wrong_type = good;
  wrong_type["age_years"] = "old";
  EXPECT_NE(message_of(wrong_type).find("'age_years'"), std::string::npos);
  nlohmann::json unknown = good;
  unknown["outfit"] = "toga01";
  EXPECT_NE(message_of(unknown).find("'outfit'"), std::string::npos);
  nlohmann::json out_of_range = good;
  out_of_range["age_years"] = 12.0;
  EXPECT_NE(message_of(out_of_range).find("'age_years'"), std::string::npos);
}

TEST(SynthAttributes, ColourTablesAreCompleteAndRejectUnknownNames) {
  EXPECT_GE(colour_names().size(), 16u);
  std::set<std::array<float, 3>> distinct;
  for (const auto& name : colour_names()) {
    const auto rgb = rgb_for_colour_name(name);
    for (float c : rgb) EXPECT_TRUE(c >= 0.0f && c <= 1.0f) << name;
    distinct.insert(rgb);
  }
  EXPECT_EQ(distinct.size(), colour_names().size());
  for (const auto& name : hair_colour_values()) EXPECT_NO_THROW(rgb_for_hair_colour(name));
  for (const auto& name : eye_colour_values()) EXPECT_NO_THROW(rgb_for_eye_colour(name));
  EXPECT_THROW(rgb_for_colour_name("chartreuse"), Error);
  EXPECT_THROW(rgb_for_colour_name(""), Error);
  EXPECT_THROW(rgb_for_hair_colour("navy"), Error);
  EXPECT_THROW(rgb_for_eye_colour("red"), Error);
  try {
    rgb_for_colour_name("chartreuse");
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("chartreuse"), std::string::npos);
  }
}

TEST(SynthAttributes, DerivedDescriptors) {
  Attributes a;
  a.gender = 0.1f;
  a.age_years = 64.9f;
  a.weight = 0.9f;
  a.muscle = 0.3f;
  a.height = 0.8f;
  a.hair_style = "none";
  EXPECT_EQ(gender_word(a), "woman");
  EXPECT_EQ(age_group(a), "middle-aged");
  EXPECT_EQ(age_decade(a), 60);
  EXPECT_EQ(age_whole_years(a), 64);
  EXPECT_EQ(build_class(a), "heavyset");
  EXPECT_EQ(height_class(a), "tall");
  EXPECT_EQ(hair_length(a), "bald");
  a.hair_style = "ponytail01";
  EXPECT_EQ(hair_length(a), "long");
  a.hair_style = "bob02";
  EXPECT_EQ(hair_length(a), "medium");
  a.muscle = 0.9f;
  EXPECT_EQ(build_class(a), "muscular");
  a.age_years = 90.0f;
  EXPECT_EQ(age_decade(a), 80);
}

// Every fact a caption states parses back to the sampled value, and nothing else is read.
TEST(SynthCaptions, AttributeCaptionAttributeRoundTrip) {
  int captions = 0, facts = 0;
  for (std::uint64_t seed = 0; seed < 1000; ++seed) {
    const Attributes a = sample_attributes(seed);
    const Facts truth = facts_of(a);
    for (const Caption& c : make_captions_with_facts(a, seed * 31 + 5, 5, vocabulary())) {
      ++captions;
      EXPECT_FALSE(c.stated.empty());
      for (const auto& [key, value] : c.stated) {
        ASSERT_EQ(truth.count(key), 1u) << key;
        EXPECT_EQ(truth.at(key), value) << "seed " << seed << " key " << key << ": " << c.text;
      }
      const Facts parsed = parser().parse(c.text);
      EXPECT_EQ(parsed, c.stated) << "seed " << seed << ": " << c.text;
      facts += static_cast<int>(parsed.size());
    }
  }
  EXPECT_EQ(captions, 5000);
  EXPECT_GT(facts, 5 * captions);  // captions say something beyond the gender
}

TEST(SynthCaptions, NegativesAndSynonymsParseToCanonicalValues) {
  const Facts f = parser().parse(
      "A heavy-set, gray-haired gentleman in his late sixties with a shaved head, no glasses and "
      "a silver beard, wearing a navy blue blazer, charcoal-grey trousers and trainers, without a "
      "hat");
  EXPECT_EQ(f.at("build"), "heavyset");
  EXPECT_EQ(f.at("gender"), "man");
  EXPECT_EQ(f.at("age_decade"), "60");
  EXPECT_EQ(f.at("hair_length"), "bald");
  EXPECT_EQ(f.at("wears_glasses"), "no");
  EXPECT_EQ(f.at("facial_hair"), "beard");
  EXPECT_EQ(f.at("hair_colour"), "grey");
  EXPECT_EQ(f.at("top_garment"), "jacket");
  EXPECT_EQ(f.at("top_colour"), "navy");
  EXPECT_EQ(f.at("shoes_kind"), "sneakers");
  EXPECT_EQ(f.at("hat"), "no");
  EXPECT_EQ(f.count("bottom_garment"), 0u);  // "trousers" is not a vocabulary garment

  EXPECT_EQ(parser().parse("a stocky man").at("build"), "heavyset");
  EXPECT_EQ(parser().parse("a short woman with short hair").at("height_class"), "short");
  EXPECT_EQ(parser().parse("a tall woman with short hair").at("hair_length"), "short");
  EXPECT_EQ(parser().parse("a clean-shaven man").at("facial_hair"), "none");
  EXPECT_EQ(parser().parse("a man not wearing any spectacles").at("wears_glasses"), "no");
  EXPECT_EQ(parser().parse("a man wearing spectacles").at("wears_glasses"), "yes");
  EXPECT_EQ(parser().parse("a bareheaded woman").at("hat"), "no");
  EXPECT_EQ(parser().parse("a 35-year-old woman").at("age_years"), "35");
  EXPECT_EQ(parser().parse("a man aged 71").at("age_years"), "71");
  const Facts suit = parser().parse("an elderly man in a grey business suit");
  EXPECT_EQ(suit.at("age_group"), "elderly");
  EXPECT_EQ(suit.at("top_garment"), "suit");
  EXPECT_EQ(suit.at("bottom_colour"), "grey");
  const Facts dress = parser().parse("She has silver hair and wears silver glasses.");
  EXPECT_EQ(dress.at("hair_colour"), "grey");
  EXPECT_EQ(dress.at("glasses_colour"), "silver");
  EXPECT_TRUE(parser().parse("a photo of something else entirely").empty());
}

TEST(SynthCaptions, CaptionsOfOneAvatarDifferAndAreDeterministic) {
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    const Attributes a = sample_attributes(seed);
    const auto captions = make_captions(a, seed, 6, vocabulary());
    ASSERT_EQ(captions.size(), 6u);
    EXPECT_EQ(std::set<std::string>(captions.begin(), captions.end()).size(), 6u);
    EXPECT_EQ(make_captions(a, seed, 6, vocabulary()), captions);
  }
  const Attributes a = sample_attributes(3);
  EXPECT_NE(make_captions(a, 1, 4, vocabulary()), make_captions(a, 2, 4, vocabulary()));
}

TEST(SynthCaptions, CaptionsRangeFromShortToLongAndUseNegatives) {
  std::size_t shortest = 1000, longest = 0;
  int negatives = 0, all = 0;
  for (std::uint64_t seed = 0; seed < 500; ++seed) {
    for (const auto& text : make_captions(sample_attributes(seed), seed, 4, vocabulary())) {
      const std::size_t words = tokenize(text).size();
      shortest = std::min(shortest, words);
      longest = std::max(longest, words);
      const std::string l = lower(text);
      negatives += contains_words(l, "no") || contains_words(l, "without") ||
                   contains_words(l, "clean-shaven") || contains_words(l, "not wearing");
      ++all;
    }
  }
  EXPECT_LE(shortest, 6u);  // e.g. "a bald man in a suit"
  EXPECT_GE(longest, 30u);  // a full description
  EXPECT_GT(negatives, all / 10);
}

// Every phrase of the vocabulary file is used by some caption, so none is dead weight and the
// parser meets every one of them in the round-trip test.
TEST(SynthCaptions, EveryVocabularyPhraseIsUsed) {
  std::set<std::string> unused;
  for (const auto& phrase : vocabulary().all_phrases()) unused.insert(lower(phrase));
  // Frames ("in {pos} {decade}") count as used when their fixed parts appear in order.
  std::map<std::string, std::vector<std::string>> unused_frames;
  for (const std::string list :
       {"age_years_before_noun", "age_years_after_noun", "age_decade_after_noun"})
    for (const auto& frame : vocabulary().words(list)) {
      std::vector<std::string>& parts = unused_frames[frame];
      std::string rest = frame;
      for (auto open = rest.find('{'); open != std::string::npos; open = rest.find('{')) {
        if (open > 0) parts.push_back(rest.substr(0, open));
        rest = rest.substr(rest.find('}', open) + 1);
      }
      if (!rest.empty()) parts.push_back(rest);
    }
  auto has_in_order = [](const std::string& text, const std::vector<std::string>& parts) {
    std::size_t at = 0;
    for (const auto& part : parts) {
      at = text.find(part, at);
      if (at == std::string::npos) return false;
      at += part.size();
    }
    return true;
  };
  for (std::uint64_t seed = 0; seed < 4000 && !(unused.empty() && unused_frames.empty()); ++seed) {
    for (const auto& text : make_captions(sample_attributes(seed), seed, 8, vocabulary())) {
      const std::string l = lower(text);
      for (auto it = unused.begin(); it != unused.end();)
        it = contains_words(l, *it) ? unused.erase(it) : std::next(it);
      for (auto it = unused_frames.begin(); it != unused_frames.end();)
        it = has_in_order(l, it->second) ? unused_frames.erase(it) : std::next(it);
    }
  }
  for (const auto& frame : unused_frames) unused.insert(frame.first);
  std::string list;
  for (const auto& phrase : unused) list += " '" + phrase + "'";
  EXPECT_TRUE(unused.empty()) << "never used:" << list;
}

TEST(SynthVocabulary, RejectsBrokenFilesNamingTheField) {
  nlohmann::json doc = nlohmann::json::parse(
      R"({"format": "tera-synth-vocabulary", "version": 1, "tables": {}, "words": {}})");
  try {
    Vocabulary::from_json(doc, "vocab.json");
    FAIL() << "an empty vocabulary was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("vocab.json: field 'tables."), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(Vocabulary::load("/nonexistent/vocabulary.json"), InputError);
  EXPECT_THROW(vocabulary().synonyms("colour", "chartreuse"), Error);
  EXPECT_THROW(vocabulary().table("no_such_table"), Error);
}

// The default vocabulary is found through the build's TERA_SYNTH_DATA_DIR definition.
TEST(SynthVocabulary, DefaultVocabularyIsTheCommittedFile) {
  EXPECT_EQ(default_vocabulary().all_phrases(), vocabulary().all_phrases());
  const Attributes a = sample_attributes(11);
  EXPECT_EQ(make_captions(a, 4, 3), make_captions(a, 4, 3, vocabulary()));
  EXPECT_EQ(parse_caption("a bald man").at("hair_length"), "bald");
}

TEST(SynthVocabulary, LexiconTakesTheLongestPhrase) {
  const Lexicon lexicon(vocabulary());
  const auto lexemes = lexicon.split("Light blue jeans, dark brown hair");
  ASSERT_EQ(lexemes.size(), 5u);
  EXPECT_EQ(lexemes[0].text, "light blue");
  EXPECT_EQ(lexemes[0].role_in("colour")->canonical, "light blue");
  EXPECT_EQ(lexemes[2].text, ",");
  EXPECT_TRUE(lexemes[2].roles.empty());
  EXPECT_EQ(lexemes[3].role_in("hair_colour")->canonical, "dark brown");
}

}  // namespace
}  // namespace tera::synth
