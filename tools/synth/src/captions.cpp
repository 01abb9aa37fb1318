// Caption writing and reading. The writer draws every word from the vocabulary and records the
// fact each phrase states; the parser recovers those facts with the rules documented in
// docs/captions.md (nouns take the adjectives right before them).
#include "captions.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "tera/core/error.h"
#include "tera/core/rng.h"

namespace tera::synth {
namespace {

// How one kind of noun is read: the fact(s) the noun states, and which adjective tables may
// stand before it (table → fact key). A negated noun ("no glasses") states NEGATIVE instead.
struct NounRule {
  std::string table;              // vocabulary table of the noun
  std::vector<std::string> keys;  // facts set to the noun's canonical value
  std::vector<std::pair<std::string, std::string>> modifiers;  // adjective table → fact key
  std::pair<std::string, std::string> negative;  // fact stated when negated (key empty: none)
};

const std::vector<NounRule>& noun_rules() {
  static const std::vector<NounRule> rules = {
      {"person_noun",
       {"gender"},
       {{"age_group", "age_group"}, {"height_class", "height_class"}, {"build", "build"}},
       {}},
      {"skin_noun", {}, {{"skin_word", "skin_tone"}}, {}},
      {"hair_noun",
       {},
       {{"hair_length", "hair_length"},
        {"hair_colour", "hair_colour"},
        {"hair_style_adjective", "hair_style"}},
       {}},
      {"hair_style_noun",
       {"hair_style"},
       {{"hair_length", "hair_length"}, {"hair_colour", "hair_colour"}},
       {}},
      {"eye_noun", {}, {{"eye_colour", "eye_colour"}}, {}},
      {"facial_hair_noun", {"facial_hair"}, {{"hair_colour", "hair_colour"}}, {}},
      {"glasses_noun",
       {"wears_glasses"},
       {{"glasses_kind", "glasses"}, {"colour", "glasses_colour"}},
       {"wears_glasses", "no"}},
      {"frames_noun", {}, {{"colour", "glasses_colour"}}, {}},
      {"hat_noun", {"hat"}, {{"colour", "hat_colour"}}, {"hat", "no"}},
      {"top_garment", {"top_garment"}, {{"colour", "top_colour"}, {"pattern", "top_pattern"}}, {}},
      {"bottom_garment", {"bottom_garment"}, {{"colour", "bottom_colour"}}, {}},
      {"whole_garment",
       {"top_garment", "bottom_garment"},
       {{"colour", "top_colour"}, {"colour", "bottom_colour"}},
       {}},
      {"shoes_noun", {"shoes_kind"}, {{"colour", "shoes_colour"}}, {}},
      {"shoes_generic", {}, {{"colour", "shoes_colour"}}, {}},
  };
  return rules;
}

// Phrases that state a fact wherever they stand ("bald", "clean-shaven", "sixties").
const std::vector<std::pair<std::string, std::string>>& standalone_tables() {
  static const std::vector<std::pair<std::string, std::string>> tables = {
      {"skin_compound", "skin_tone"},
      {"hair_length_compound", "hair_length"},
      {"bald", "hair_length"},
      {"hair_colour_compound", "hair_colour"},
      {"eye_colour_compound", "eye_colour"},
      {"facial_hair_compound", "facial_hair"},
      {"glasses_compound", "wears_glasses"},
      {"hat_compound", "hat"},
      {"age_decade", "age_decade"},
  };
  return tables;
}

const NounRule* noun_rule_of(const Lexeme& lexeme) {
  for (const auto& rule : noun_rules())
    if (lexeme.has_table(rule.table)) return &rule;
  return nullptr;
}

bool is_standalone(const Lexeme& lexeme) {
  for (const auto& entry : standalone_tables())
    if (lexeme.has_table(entry.first)) return true;
  return false;
}

// Whether LEXEME can be an adjective of RULE's noun (and is not itself a noun).
bool modifies(const Lexeme& lexeme, const NounRule& rule) {
  if (noun_rule_of(lexeme) != nullptr) return false;
  for (const auto& modifier : rule.modifiers)
    if (lexeme.has_table(modifier.first)) return true;
  return false;
}

// Builds a regular expression from a frame such as "{n}-year-old" or "aged {n}": the number
// becomes the one capture group; the frame's words must stand as whole words.
std::regex age_years_regex(const std::string& frame) {
  std::string pattern;
  for (const char c : frame) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '{' || c == '}')
      pattern += c;
    else
      pattern += std::string("\\") + c;
  }
  const auto at = pattern.find("{n}");
  if (at == std::string::npos) throw Error("age frame '" + frame + "' lacks {n}");
  pattern.replace(at, 3, "([0-9]{1,3})");
  return std::regex("(^| )" + pattern + "($| )");
}

// ---- Writing -----------------------------------------------------------------------------------

// Writes one caption of an avatar from the vocabulary, recording each fact a phrase states.
class CaptionWriter {
 public:
  CaptionWriter(const Attributes& a, const Vocabulary& v, Rng& rng) : a_(a), v_(v), rng_(rng) {}
  Caption write();

 private:
  bool chance(float p) { return rng_.uniform() < p; }
  const std::string& any(const std::vector<std::string>& list) {
    return list[rng_.below(list.size())];
  }
  std::string word(const std::string& list) { return any(v_.words(list)); }
  // A synonym of CANONICAL from TABLE; records KEY = CANONICAL unless KEY is empty.
  std::string say(const std::string& table, const std::string& canonical, const std::string& key) {
    if (!key.empty()) stated_[key] = canonical;
    return any(v_.synonyms(table, canonical));
  }
  // "a"/"an" before PHRASE, or nothing when its NOUN is plural or uncountable.
  std::string article(const std::string& phrase, const std::string& noun) const {
    const auto& none = v_.words("no_article");
    if (std::find(none.begin(), none.end(), noun) != none.end()) return phrase;
    const auto& articles = v_.words("article");  // "a", "an", …
    const char c = phrase.empty() ? 'x' : phrase[0];
    const bool vowel_sound = std::string("aeiou8").find(c) != std::string::npos ||
                             phrase.rfind("11", 0) == 0 || phrase.rfind("18", 0) == 0;
    return (vowel_sound ? articles[1] : articles[0]) + " " + phrase;
  }
  std::string join(std::vector<std::string> items) {
    if (items.size() <= 1) return items.empty() ? "" : items[0];
    std::string last = items.back();
    items.pop_back();
    std::string head;
    for (const auto& item : items) head += (head.empty() ? "" : ", ") + item;
    return head + (items.size() >= 2 && chance(0.3f) ? ", " : " ") + word("and") + " " + last;
  }
  static std::string fill(std::string frame, const std::string& name, const std::string& value) {
    const auto at = frame.find("{" + name + "}");
    return at == std::string::npos ? frame : frame.replace(at, name.size() + 2, value);
  }
  static std::string words_of(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts)
      if (!p.empty()) out += (out.empty() ? "" : " ") + p;
    return out;
  }
  void describe_age();
  void describe_hair();
  void describe_face();
  void describe_glasses_and_hat();
  void describe_clothes();
  std::string assemble();

  const Attributes& a_;
  const Vocabulary& v_;
  Rng& rng_;
  float detail_ = 0.5f;  // chance that an optional facet is mentioned
  Facts stated_;
  std::vector<std::string> adjectives_, after_noun_, with_, wear_, without_;
};

void CaptionWriter::describe_age() {
  const std::string group = age_group(a_);
  const int years = age_whole_years(a_);
  switch (rng_.below(4)) {
    case 0:
      if (group != "adult") adjectives_.push_back(say("age_group", group, "age_group"));
      break;
    case 1:
      stated_["age_years"] = std::to_string(years);
      adjectives_.push_back(fill(word("age_years_before_noun"), "n", std::to_string(years)));
      break;
    case 2:
      stated_["age_years"] = std::to_string(years);
      after_noun_.push_back(fill(word("age_years_after_noun"), "n", std::to_string(years)));
      break;
    default: {
      if (years >= 90) break;  // the decades table ends with the eighties
      std::string frame = word("age_decade_after_noun");
      const int unit = years % 10;  // early 0–3, mid 4–6, late 7–9
      const auto& positions = v_.words("decade_position");
      frame = fill(frame, "position", positions[unit <= 3 ? 0 : unit <= 6 ? 1 : 2]);
      frame = fill(frame, "pos", v_.pronoun(gender_word(a_), "possessive"));
      after_noun_.push_back(
          fill(frame, "decade", say("age_decade", std::to_string(age_decade(a_)), "age_decade")));
    }
  }
}

void CaptionWriter::describe_hair() {
  const std::string kind = hair_style_kind(a_), length = hair_length(a_);
  if (kind == "none") {
    const std::string phrase = say("bald", "bald", "hair_length");
    if (tokenize(phrase).size() == 1)
      adjectives_.push_back(phrase);  // "bald"
    else
      with_.push_back(article(phrase, phrase));  // "a shaved head"
    return;
  }
  if (adjectives_.size() < 3 && chance(0.25f)) {  // "red-haired", "long-haired"
    if (v_.has("hair_colour_compound", a_.hair_colour) && chance(0.6f))
      return adjectives_.push_back(say("hair_colour_compound", a_.hair_colour, "hair_colour"));
    if (v_.has("hair_length_compound", length))
      return adjectives_.push_back(say("hair_length_compound", length, "hair_length"));
  }
  const bool colour = chance(0.8f), with_length = chance(0.5f);
  const std::string colour_word = colour ? say("hair_colour", a_.hair_colour, "hair_colour") : "";
  const std::string length_word = with_length ? say("hair_length", length, "hair_length") : "";
  const bool has_noun = v_.has("hair_style_noun", kind);
  const bool has_adjective = v_.has("hair_style_adjective", kind);
  const std::string hair = say("hair_noun", "hair", "");
  const int form = static_cast<int>(rng_.below(3));
  if (has_noun && form == 0) {  // "a blonde ponytail"
    const std::string noun = say("hair_style_noun", kind, "hair_style");
    with_.push_back(article(words_of({colour_word, noun}), noun));
    if (with_length) stated_.erase("hair_length");
  } else if (has_noun && form == 1) {  // "long brown hair in a braid"
    const std::string noun = say("hair_style_noun", kind, "hair_style");
    const bool tied = kind == "ponytail" || kind == "braid";  // "tied back in" fits only these
    const std::string in = tied ? word("hair_in") : v_.words("hair_in")[0];
    with_.push_back(words_of({length_word, colour_word, hair, in, article(noun, noun)}));
  } else if (has_adjective && chance(0.7f)) {  // "long straight brown hair"
    const std::string adjective = say("hair_style_adjective", kind, "hair_style");
    with_.push_back(words_of({length_word, adjective, colour_word, hair}));
  } else if (colour || with_length) {  // "short grey hair"
    with_.push_back(words_of({length_word, colour_word, hair}));
  }
}

void CaptionWriter::describe_face() {
  if (chance(detail_)) {  // eyes
    if (adjectives_.size() < 3 && chance(0.25f))
      adjectives_.push_back(say("eye_colour_compound", a_.eye_colour, "eye_colour"));
    else
      with_.push_back(
          words_of({say("eye_colour", a_.eye_colour, "eye_colour"), say("eye_noun", "eyes", "")}));
  }
  if (chance(detail_ * 0.7f)) {  // skin
    const std::string tone = skin_tone(a_);
    if (adjectives_.size() < 3 && chance(0.4f)) {
      adjectives_.push_back(say("skin_compound", tone, "skin_tone"));
    } else {
      const std::string noun = say("skin_noun", "skin", "");
      with_.push_back(article(words_of({say("skin_word", tone, "skin_tone"), noun}), noun));
    }
  }
  if (gender_word(a_) != "man" || !chance(detail_ + 0.1f)) return;  // facial hair
  const std::string& beard = a_.facial_hair;
  if (beard == "none" || (adjectives_.size() < 3 && chance(0.3f))) {
    if (adjectives_.size() < 3)
      adjectives_.push_back(say("facial_hair_compound", beard, "facial_hair"));
    return;
  }
  const std::string noun = say("facial_hair_noun", beard, "facial_hair");
  const bool colour = beard != "stubble" && tokenize(noun).size() == 1 && chance(0.5f);
  with_.push_back(article(
      words_of({colour ? say("hair_colour", a_.hair_colour, "hair_colour") : "", noun}), noun));
}

void CaptionWriter::describe_glasses_and_hat() {
  if (chance(detail_)) {
    if (a_.glasses == "none") {
      const std::string negation = word("negation"), noun = say("glasses_noun", "yes", "");
      stated_["wears_glasses"] = "no";
      if (negation == v_.words("negation")[0])
        with_.push_back(negation + " " + noun);  // "no …"
      else
        without_.push_back(negation + (chance(0.5f) ? " " + v_.words("article")[2] : "") + " " +
                           noun);
    } else if (adjectives_.size() < 3 && chance(0.15f)) {
      adjectives_.push_back(say("glasses_compound", "yes", "wears_glasses"));
    } else {
      const std::string kind = chance(0.7f) ? say("glasses_kind", a_.glasses, "glasses") : "";
      const bool colour = chance(0.5f);
      const std::string noun = say("glasses_noun", "yes", "wears_glasses");
      if (colour && chance(0.4f)) {  // "round glasses with gold frames"
        const std::string c = say("colour", a_.glasses_colour, "glasses_colour");
        wear_.push_back(
            words_of({kind, noun, v_.words("with")[0], c, say("frames_noun", "frames", "")}));
      } else {
        const std::string colour_word =
            colour ? say("colour", a_.glasses_colour, "glasses_colour") : "";
        const std::string phrase = words_of({colour_word, kind, noun});
        wear_.push_back(chance(0.2f) ? word("pair_of") + " " + phrase : phrase);
      }
    }
  }
  if (!chance(a_.hat ? detail_ + 0.2f : detail_ * 0.5f)) return;
  if (a_.hat) {
    const bool colour = chance(0.6f);
    const std::string colour_word = colour ? say("colour", a_.hat_colour, "hat_colour") : "";
    const std::string noun = say("hat_noun", "yes", "hat");
    wear_.push_back(article(words_of({colour_word, noun}), noun));
  } else if (adjectives_.size() < 3 && chance(0.2f)) {
    adjectives_.push_back(say("hat_compound", "no", "hat"));
  } else {
    const std::string negation = word("negation");
    const std::string noun = say("hat_noun", "yes", "");
    stated_["hat"] = "no";  // ", no hat" / ", without a hat" (never "she has no hat")
    const bool bare = negation == v_.words("negation")[0];
    without_.push_back(negation + " " + (bare ? noun : article(noun, noun)));
  }
}

void CaptionWriter::describe_clothes() {
  const OutfitInfo& outfit = outfit_info(a_.outfit);
  auto colour = [&](const std::string& name, const std::string& key) {
    return chance(0.75f) ? say("colour", name, key) : std::string();
  };
  if (outfit.top == "suit") {
    const std::string c = colour(a_.top_colour, "top_colour");
    if (!c.empty()) stated_["bottom_colour"] = a_.bottom_colour;
    stated_["bottom_garment"] = "suit";
    const std::string noun = say("whole_garment", "suit", "top_garment");
    wear_.push_back(article(words_of({c, noun}), noun));
  } else {
    const bool top = chance(0.85f), bottom = !top || chance(detail_ + 0.1f);
    if (top) {
      const bool pattern = a_.top_pattern != "plain" ? chance(0.6f) : chance(0.15f);
      const std::string p = pattern ? say("pattern", a_.top_pattern, "top_pattern") : "";
      const std::string c = colour(a_.top_colour, "top_colour");
      const std::string noun = say("top_garment", outfit.top, "top_garment");
      wear_.push_back(article(words_of({p, c, noun}), noun));
    }
    if (bottom) {
      const std::string c = colour(a_.bottom_colour, "bottom_colour");
      const std::string noun = say("bottom_garment", outfit.bottom, "bottom_garment");
      wear_.push_back(article(words_of({c, noun}), noun));
    }
  }
  if (chance(detail_)) {
    const bool kind = chance(0.7f);
    const std::string c = kind ? colour(a_.shoes_colour, "shoes_colour")
                               : say("colour", a_.shoes_colour, "shoes_colour");
    const std::string noun =
        kind ? say("shoes_noun", shoes_kind(a_), "shoes_kind") : say("shoes_generic", "shoes", "");
    const std::string phrase = words_of({c, noun});
    wear_.push_back(chance(0.15f) ? word("pair_of") + " " + phrase : phrase);
  }
}

std::string CaptionWriter::assemble() {
  const std::string gender = gender_word(a_);
  const std::string noun = say("person_noun", gender, "gender");
  std::string adjectives;
  for (std::size_t i = 0; i < adjectives_.size(); ++i)
    adjectives += (i == 0 ? "" : (i == 1 && chance(0.3f) ? ", " : " ")) + adjectives_[i];
  std::string subject = article(words_of({adjectives, noun}), noun);
  for (const auto& phrase : after_noun_) subject += " " + phrase;
  if (chance(0.15f)) subject = word("prefix") + " " + subject;
  for (std::size_t i = with_.size(); i > 1; --i) std::swap(with_[i - 1], with_[rng_.below(i)]);
  if (chance(0.25f)) std::reverse(wear_.begin(), wear_.end());

  std::string text;
  const std::string withs = join(with_), wears = join(wear_);
  const std::string negatives = without_.empty() ? "" : ", " + join(without_);
  const int layout = static_cast<int>(rng_.below(3));
  if (layout == 2 && (!with_.empty() || !wear_.empty())) {  // "A woman. She has … She wears …"
    std::string pronoun = v_.pronoun(gender, "subject");
    pronoun[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(pronoun[0])));
    text = subject + ".";
    if (!with_.empty()) text += " " + pronoun + " " + word("has") + " " + withs + ".";
    if (!wear_.empty()) text += " " + pronoun + " " + word("wears") + " " + wears + ".";
    if (!negatives.empty()) text.back() = ',', text += negatives.substr(1) + ".";
  } else {
    const std::string with_part = withs.empty() ? "" : word("with") + " " + withs;
    const std::string wear_part = wears.empty() ? "" : word("wearing") + " " + wears;
    text = subject;
    bool first = true;
    for (const auto& part : layout == 0 ? std::vector<std::string>{with_part, wear_part}
                                        : std::vector<std::string>{wear_part, with_part}) {
      if (part.empty()) continue;
      text += (first ? " " : ", ") + part;
      first = false;
    }
    text += negatives;
    if (chance(0.4f)) text += ".";
  }
  if (chance(0.5f)) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

Caption CaptionWriter::write() {
  const int level = static_cast<int>(rng_.below(3));  // short, medium, long captions
  detail_ = level == 0 ? 0.25f : level == 1 ? 0.55f : 0.85f;
  if (height_class(a_) != "average" && chance(detail_))
    adjectives_.push_back(say("height_class", height_class(a_), "height_class"));
  if (chance(detail_)) adjectives_.push_back(say("build", build_class(a_), "build"));
  if (chance(detail_)) describe_age();
  if (chance(detail_ + 0.15f)) describe_hair();
  describe_face();
  describe_glasses_and_hat();
  if (level > 0 || chance(0.75f)) describe_clothes();  // "a bald man with a beard" says none
  Caption caption;
  caption.text = assemble();
  caption.stated = stated_;
  return caption;
}

}  // namespace

Facts facts_of(const Attributes& a) {
  const OutfitInfo& outfit = outfit_info(a.outfit);
  Facts f = {
      {"gender", gender_word(a)},
      {"age_group", age_group(a)},
      {"age_decade", std::to_string(age_decade(a))},
      {"age_years", std::to_string(age_whole_years(a))},
      {"height_class", height_class(a)},
      {"build", build_class(a)},
      {"skin_tone", skin_tone(a)},
      {"hair_length", hair_length(a)},
      {"hair_colour", a.hair_colour},
      {"hair_style", hair_style_kind(a)},
      {"eye_colour", a.eye_colour},
      {"facial_hair", a.facial_hair},
      {"wears_glasses", a.glasses == "none" ? "no" : "yes"},
      {"hat", a.hat ? "yes" : "no"},
      {"top_garment", outfit.top},
      {"top_colour", a.top_colour},
      {"top_pattern", a.top_pattern},
      {"bottom_garment", outfit.bottom},
      {"bottom_colour", a.bottom_colour},
      {"shoes_kind", shoes_kind(a)},
      {"shoes_colour", a.shoes_colour},
  };
  if (a.glasses != "none") {
    f["glasses"] = a.glasses;
    f["glasses_colour"] = a.glasses_colour;
  }
  if (a.hat) f["hat_colour"] = a.hat_colour;
  return f;
}

CaptionParser::CaptionParser(const Vocabulary& vocabulary)
    : vocabulary_(vocabulary), lexicon_(vocabulary) {
  for (const std::string list : {"age_years_before_noun", "age_years_after_noun"})
    for (const auto& frame : vocabulary.words(list)) age_frames_.push_back(age_years_regex(frame));
  // An adjective that meant two facts before the same noun could not be read back.
  for (const auto& rule : noun_rules()) {
    std::map<std::string, std::string> seen;  // phrase → fact key
    for (const auto& [table, key] : rule.modifiers)
      for (const auto& [canonical, phrases] : vocabulary.table(table))
        for (const auto& phrase : phrases) {
          const auto [it, added] = seen.emplace(phrase, key);
          if (!added && it->second != key && !(rule.table == "whole_garment"))
            throw InputError(vocabulary.source() + ": phrase '" + phrase + "' before a " +
                             rule.table + " noun would mean both " + it->second + " and " + key);
        }
  }
}

Facts CaptionParser::parse(const std::string& caption) const {
  const std::vector<Lexeme> lexemes = lexicon_.split(caption);
  Facts facts;
  for (std::size_t i = 0; i < lexemes.size(); ++i) {
    const Lexeme& lexeme = lexemes[i];
    for (const auto& [table, key] : standalone_tables())
      if (const PhraseRole* role = lexeme.role_in(table)) facts[key] = role->canonical;

    const NounRule* rule = noun_rule_of(lexeme);
    if (rule == nullptr) continue;
    Facts local;
    const std::string& canonical = lexeme.role_in(rule->table)->canonical;
    for (const auto& key : rule->keys) local[key] = canonical;
    // Walk back over the adjectives; commas and "and" may separate them.
    std::size_t j = i;
    while (j > 0) {
      const Lexeme& before = lexemes[j - 1];
      if (modifies(before, *rule)) {
        for (const auto& [table, key] : rule->modifiers)
          if (const PhraseRole* role = before.role_in(table)) local.emplace(key, role->canonical);
        --j;
      } else if (is_standalone(before) || states_age_years(before.text)) {
        --j;
      } else if ((before.text == "," || before.has_table("@and")) && j >= 2 &&
                 modifies(lexemes[j - 2], *rule)) {
        --j;
      } else {
        break;
      }
    }
    while (j > 0 && lexemes[j - 1].has_table("@article")) --j;
    const bool negated = j > 0 && lexemes[j - 1].has_table("@negation");
    if (negated) {
      if (!rule->negative.first.empty()) facts[rule->negative.first] = rule->negative.second;
      continue;
    }
    for (const auto& [key, value] : local) facts[key] = value;
  }

  // Ages in years: "a 35-year-old", "aged 35".
  std::string normalized;
  for (const auto& token : tokenize(caption)) normalized += (normalized.empty() ? "" : " ") + token;
  for (const auto& frame : age_frames_) {
    std::smatch match;
    if (std::regex_search(normalized, match, frame)) facts["age_years"] = match[2];
  }
  return facts;
}

bool CaptionParser::states_age_years(const std::string& phrase) const {
  for (const auto& frame : age_frames_)
    if (std::regex_search(phrase, frame)) return true;
  return false;
}

Facts parse_caption(const std::string& caption) {
  static const CaptionParser parser(default_vocabulary());
  return parser.parse(caption);
}

std::vector<Caption> make_captions_with_facts(const Attributes& a, std::uint64_t seed, int count,
                                              const Vocabulary& vocabulary) {
  validate(a);
  Rng rng(seed);
  std::vector<Caption> captions;
  std::set<std::string> seen;
  // Redraw duplicates; an avatar has far more than COUNT phrasings for any COUNT used, the cap
  // only bounds the work.
  const int max_attempts = 20 * std::max(count, 1);
  for (int attempt = 0; attempt < max_attempts && static_cast<int>(captions.size()) < count;
       ++attempt) {
    Caption caption = CaptionWriter(a, vocabulary, rng).write();
    if (seen.insert(caption.text).second) captions.push_back(std::move(caption));
  }
  return captions;
}

std::vector<Caption> make_captions_with_facts(const Attributes& a, std::uint64_t seed, int count) {
  return make_captions_with_facts(a, seed, count, default_vocabulary());
}

std::vector<std::string> make_captions(const Attributes& a, std::uint64_t seed, int count,
                                       const Vocabulary& vocabulary) {
  std::vector<std::string> texts;
  for (auto& caption : make_captions_with_facts(a, seed, count, vocabulary))
    texts.push_back(std::move(caption.text));
  return texts;
}

std::vector<std::string> make_captions(const Attributes& a, std::uint64_t seed, int count) {
  return make_captions(a, seed, count, default_vocabulary());
}

}  // namespace tera::synth
