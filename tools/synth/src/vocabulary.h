// The caption vocabulary: every word a caption may use, loaded from one JSON file
// (tools/synth/data/vocabulary.json, described in docs/captions.md), and the phrase lexicon that
// splits a caption into known phrases for the parser.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace tera::synth {

// Canonical value → its synonyms, first one the plainest.
using SynonymTable = std::map<std::string, std::vector<std::string>>;

class Vocabulary {
 public:
  // Reads and checks the vocabulary file; throws tera::InputError naming the file and the field.
  static Vocabulary load(const std::string& path);
  // Checks an already parsed document; SOURCE names it in error messages.
  static Vocabulary from_json(const nlohmann::json& document, const std::string& source);

  // The table NAME (e.g. "hair_colour"); throws tera::Error when absent.
  const SynonymTable& table(const std::string& name) const;
  // Synonyms of CANONICAL in table NAME; throws tera::Error naming both when absent.
  const std::vector<std::string>& synonyms(const std::string& name,
                                           const std::string& canonical) const;
  bool has(const std::string& name, const std::string& canonical) const;
  const std::map<std::string, SynonymTable>& tables() const { return tables_; }

  // A word list from "words" (connectors, articles, negations, frames with {n}/{pos}/...).
  const std::vector<std::string>& words(const std::string& name) const;
  // "subject" ("she") or "possessive" ("her") pronoun of a gender word ("woman", "man").
  const std::string& pronoun(const std::string& gender_word, const std::string& form) const;

  // Every phrase of every table, word list and pronoun, except frames (entries with a {…}
  // placeholder), for coverage checks.
  std::vector<std::string> all_phrases() const;
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  std::map<std::string, SynonymTable> tables_;
  std::map<std::string, std::vector<std::string>> words_;
  std::map<std::string, std::map<std::string, std::string>> pronouns_;
};

// Where the vocabulary is found by default: TERA_SYNTH_DATA_DIR (a compile definition the build
// sets to the source tree's tools/synth/data) + "/vocabulary.json", unless the environment
// variable TERA_SYNTH_DATA_DIR names another folder at run time.
std::string default_vocabulary_path();
// The default vocabulary, loaded once (thread-safe); throws like Vocabulary::load.
const Vocabulary& default_vocabulary();

// Lower-cases TEXT and splits it into words (letters, digits, '-', '\'') and single punctuation
// marks (",", "." …), dropping white space.
std::vector<std::string> tokenize(const std::string& text);

// One meaning of a phrase: canonical value CANONICAL of table TABLE. Word lists appear with the
// table name "@" + list name (e.g. "@negation") and the phrase itself as canonical value.
struct PhraseRole {
  std::string table;
  std::string canonical;
};

// A run of tokens recognised as one phrase (longest match first), or a single unknown token
// (roles empty).
struct Lexeme {
  std::string text;               // the tokens joined by single spaces
  std::vector<PhraseRole> roles;  // every meaning the phrase has; empty when unknown
  bool has_table(const std::string& table) const;
  const PhraseRole* role_in(const std::string& table) const;  // nullptr when none
};

// All phrases of a vocabulary's tables and of the word lists without placeholders.
class Lexicon {
 public:
  explicit Lexicon(const Vocabulary& vocabulary);
  // Splits TEXT into lexemes, always taking the longest known phrase at each position.
  std::vector<Lexeme> split(const std::string& text) const;

 private:
  std::map<std::vector<std::string>, std::vector<PhraseRole>> phrases_;
  std::size_t longest_ = 1;  // tokens in the longest phrase
};

}  // namespace tera::synth
