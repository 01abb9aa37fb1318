#include "vocabulary.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "attributes.h"
#include "tera/core/error.h"

#ifndef TERA_SYNTH_DATA_DIR
#define TERA_SYNTH_DATA_DIR "tools/synth/data"  // relative to the source tree when not set
#endif

namespace tera::synth {
namespace {

// Tables the caption generator and parser use, with the canonical values each must define.
// An empty list means "any values" (the table still has to exist).
std::map<std::string, std::vector<std::string>> required_tables() {
  std::vector<std::string> glasses_kinds(glasses_values().begin() + 1, glasses_values().end());
  std::vector<std::string> beards(facial_hair_values().begin() + 1, facial_hair_values().end());
  return {
      {"person_noun", {"woman", "man"}},
      {"age_group", {"young", "middle-aged", "elderly"}},
      {"age_decade", {"10", "20", "30", "40", "50", "60", "70", "80"}},
      {"height_class", {"short", "tall"}},
      {"build", {"slim", "average", "heavyset", "muscular"}},
      {"skin_noun", {"skin"}},
      {"skin_word", {"light", "medium", "dark"}},
      {"skin_compound", {"light", "medium", "dark"}},
      {"hair_noun", {"hair"}},
      {"hair_length", {"short", "medium", "long"}},
      {"hair_length_compound", {}},
      {"bald", {"bald"}},
      {"hair_colour", hair_colour_values()},
      {"hair_colour_compound", {}},
      {"hair_style_noun", {"ponytail", "bob", "afro", "braid"}},
      {"hair_style_adjective", {"braid", "loose", "afro", "bob"}},
      {"eye_noun", {"eyes"}},
      {"eye_colour", eye_colour_values()},
      {"eye_colour_compound", {}},
      {"facial_hair_noun", beards},
      {"facial_hair_compound", {"none"}},
      {"glasses_noun", {"yes"}},
      {"glasses_kind", glasses_kinds},
      {"frames_noun", {"frames"}},
      {"glasses_compound", {"yes"}},
      {"hat_noun", {"yes"}},
      {"hat_compound", {"no"}},
      {"colour", colour_names()},
      {"pattern", pattern_values()},
      {"top_garment", {"t-shirt", "shirt", "sweatshirt", "jacket", "crop top"}},
      {"bottom_garment", {"jeans", "shorts", "skirt", "leggings", "overalls"}},
      {"whole_garment", {"suit"}},
      {"shoes_noun", {"sneakers", "leather shoes", "dress shoes"}},
      {"shoes_generic", {"shoes"}},
  };
}

// Word lists the generator needs, with how many entries each must have at least.
const std::map<std::string, std::size_t>& required_words() {
  static const std::map<std::string, std::size_t> words = {{"article", 3},
                                                           {"negation", 1},
                                                           {"with", 1},
                                                           {"wearing", 1},
                                                           {"has", 1},
                                                           {"wears", 1},
                                                           {"and", 1},
                                                           {"pair_of", 1},
                                                           {"decade_position", 3},
                                                           {"hair_in", 1},
                                                           {"no_article", 1},
                                                           {"prefix", 1},
                                                           {"age_years_before_noun", 1},
                                                           {"age_years_after_noun", 1},
                                                           {"age_decade_after_noun", 1}};
  return words;
}

[[noreturn]] void fail(const std::string& source, const std::string& field,
                       const std::string& what) {
  throw InputError(source + ": field '" + field + "': " + what);
}

std::string join_tokens(const std::vector<std::string>& tokens) {
  std::string joined;
  for (const auto& t : tokens) joined += (joined.empty() ? "" : " ") + t;
  return joined;
}

}  // namespace

std::vector<std::string> tokenize(const std::string& text) {
  std::vector<std::string> tokens;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) tokens.push_back(word);
    word.clear();
  };
  for (const char raw : text) {
    const auto c = static_cast<unsigned char>(raw);
    if (std::isalnum(c) || c == '-' || c == '\'' || c >= 0x80) {
      word += static_cast<char>(std::tolower(c));
    } else if (std::isspace(c)) {
      flush();
    } else {
      flush();
      tokens.emplace_back(1, static_cast<char>(c));  // punctuation stands alone
    }
  }
  flush();
  return tokens;
}

Vocabulary Vocabulary::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open the caption vocabulary file");
  nlohmann::json document;
  try {
    in >> document;
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(at_byte(path, e.byte, std::string("invalid JSON: ") + e.what()));
  }
  return from_json(document, path);
}

Vocabulary Vocabulary::from_json(const nlohmann::json& document, const std::string& source) {
  Vocabulary v;
  v.source_ = source;
  if (!document.is_object()) fail(source, "(root)", "expected a JSON object");
  if (document.value("format", "") != "tera-synth-vocabulary")
    fail(source, "format", "expected \"tera-synth-vocabulary\"");
  if (document.value("version", 0) != 1) fail(source, "version", "expected 1");

  const auto tables = document.find("tables");
  if (tables == document.end() || !tables->is_object())
    fail(source, "tables", "expected an object");
  for (const auto& [name, table] : tables->items()) {
    if (!table.is_object()) fail(source, "tables." + name, "expected an object");
    for (const auto& [canonical, list] : table.items()) {
      const std::string field = "tables." + name + "." + canonical;
      if (!list.is_array() || list.empty()) fail(source, field, "expected a non-empty array");
      std::vector<std::string>& synonyms = v.tables_[name][canonical];
      for (const auto& entry : list) {
        if (!entry.is_string()) fail(source, field, "expected strings, got " + entry.dump());
        const std::string phrase = entry.get<std::string>();
        // The parser matches token sequences, so a phrase must read back as itself.
        if (join_tokens(tokenize(phrase)) != phrase)
          fail(source, field, "phrase '" + phrase + "' must be lower case, single-spaced words");
        synonyms.push_back(phrase);
      }
    }
  }
  for (const auto& [name, canonicals] : required_tables()) {
    if (v.tables_.count(name) == 0) fail(source, "tables." + name, "missing table");
    for (const auto& canonical : canonicals)
      if (v.tables_[name].count(canonical) == 0)
        fail(source, "tables." + name + "." + canonical, "missing entry");
  }

  const auto words = document.find("words");
  if (words == document.end() || !words->is_object()) fail(source, "words", "expected an object");
  for (const auto& [name, list] : words->items()) {
    if (!list.is_array()) fail(source, "words." + name, "expected an array");
    for (const auto& entry : list) {
      if (!entry.is_string()) fail(source, "words." + name, "expected strings");
      v.words_[name].push_back(entry.get<std::string>());
    }
  }
  for (const auto& [name, minimum] : required_words())
    if (v.words_[name].size() < minimum)
      fail(source, "words." + name, "expected at least " + std::to_string(minimum) + " entries");

  const auto pronouns = document.find("pronouns");
  if (pronouns == document.end() || !pronouns->is_object())
    fail(source, "pronouns", "expected an object");
  for (const std::string gender : {"woman", "man"}) {
    for (const std::string form : {"subject", "possessive"}) {
      const auto entry = pronouns->find(gender);
      if (entry == pronouns->end() || !entry->is_object() || !entry->contains(form) ||
          !(*entry)[form].is_string())
        fail(source, "pronouns." + gender + "." + form, "expected a string");
      v.pronouns_[gender][form] = (*entry)[form].get<std::string>();
    }
  }
  return v;
}

const SynonymTable& Vocabulary::table(const std::string& name) const {
  const auto it = tables_.find(name);
  if (it == tables_.end()) throw Error(source_ + ": no vocabulary table '" + name + "'");
  return it->second;
}

const std::vector<std::string>& Vocabulary::synonyms(const std::string& name,
                                                     const std::string& canonical) const {
  const SynonymTable& t = table(name);
  const auto it = t.find(canonical);
  if (it == t.end())
    throw Error(source_ + ": vocabulary table '" + name + "' has no entry '" + canonical + "'");
  return it->second;
}

bool Vocabulary::has(const std::string& name, const std::string& canonical) const {
  const auto it = tables_.find(name);
  return it != tables_.end() && it->second.count(canonical) > 0;
}

const std::vector<std::string>& Vocabulary::words(const std::string& name) const {
  const auto it = words_.find(name);
  if (it == words_.end()) throw Error(source_ + ": no vocabulary word list '" + name + "'");
  return it->second;
}

const std::string& Vocabulary::pronoun(const std::string& gender_word,
                                       const std::string& form) const {
  return pronouns_.at(gender_word).at(form);
}

std::vector<std::string> Vocabulary::all_phrases() const {
  std::vector<std::string> phrases;
  for (const auto& [name, table] : tables_)
    for (const auto& [canonical, synonyms] : table)
      phrases.insert(phrases.end(), synonyms.begin(), synonyms.end());
  for (const auto& [name, list] : words_)
    for (const auto& phrase : list)
      if (phrase.find('{') == std::string::npos) phrases.push_back(phrase);
  for (const auto& [gender, forms] : pronouns_)
    for (const auto& [form, word] : forms) phrases.push_back(word);
  return phrases;
}

std::string default_vocabulary_path() {
  const char* override_dir = std::getenv("TERA_SYNTH_DATA_DIR");
  const std::string dir = override_dir && *override_dir ? override_dir : TERA_SYNTH_DATA_DIR;
  return dir + "/vocabulary.json";
}

const Vocabulary& default_vocabulary() {
  static const Vocabulary vocabulary = Vocabulary::load(default_vocabulary_path());
  return vocabulary;
}

bool Lexeme::has_table(const std::string& table) const { return role_in(table) != nullptr; }

const PhraseRole* Lexeme::role_in(const std::string& table) const {
  for (const auto& role : roles)
    if (role.table == table) return &role;
  return nullptr;
}

Lexicon::Lexicon(const Vocabulary& vocabulary) {
  auto add = [this](const std::string& phrase, PhraseRole role) {
    std::vector<std::string> tokens = tokenize(phrase);
    if (tokens.empty()) return;
    longest_ = std::max(longest_, tokens.size());
    phrases_[tokens].push_back(std::move(role));
  };
  for (const auto& [name, table] : vocabulary.tables())
    for (const auto& [canonical, synonyms] : table)
      for (const auto& phrase : synonyms) add(phrase, {name, canonical});
  for (const std::string list : {"article", "negation", "and"})
    for (const auto& phrase : vocabulary.words(list)) add(phrase, {"@" + list, phrase});
}

std::vector<Lexeme> Lexicon::split(const std::string& text) const {
  const std::vector<std::string> tokens = tokenize(text);
  std::vector<Lexeme> lexemes;
  std::size_t i = 0;
  while (i < tokens.size()) {
    std::size_t taken = 0;
    for (std::size_t n = std::min(longest_, tokens.size() - i); n >= 1 && taken == 0; --n) {
      const std::vector<std::string> candidate(tokens.begin() + static_cast<std::ptrdiff_t>(i),
                                               tokens.begin() + static_cast<std::ptrdiff_t>(i + n));
      const auto it = phrases_.find(candidate);
      if (it != phrases_.end()) {
        lexemes.push_back({join_tokens(candidate), it->second});
        taken = n;
      }
    }
    if (taken == 0) {
      lexemes.push_back({tokens[i], {}});
      taken = 1;
    }
    i += taken;
  }
  return lexemes;
}

}  // namespace tera::synth
