// The one strict JSON reader of the manifest, avatar.json, pose libraries and JSONL prompt files.
#include <gtest/gtest.h>

#include "core/json_text.h"

namespace {

std::string problem(const std::string& text) {
  nlohmann::json value;
  return tera::parse_json(text, value);
}

TEST(JsonText, ReadsJsonAndRefusesAKeyGivenTwiceInOneObject) {
  nlohmann::json value;
  EXPECT_EQ(tera::parse_json(R"({"a": {"k": 1}, "b": [{"k": 2}, {"k": 3}]})", value), "");
  EXPECT_EQ(value["b"][1]["k"], 3) << "the same key in separate objects is no repeat";
  EXPECT_EQ(problem(R"({"seed": 1, "seed": 2})"),
            "the key 'seed' is given twice in one object (the top-level object)");
  EXPECT_EQ(problem(R"({"a": {"x": 1, "y": {}, "x": 2}})"),
            "the key 'x' is given twice in one object (a)")
      << "an inner object's keys count apart from the nested ones between them";
  // The object is named by its path, arrays by the element's index (scalars and containers alike).
  EXPECT_EQ(problem(R"({"poses": [{"r": {"k": 1}}, {"r": {"k": 1, "k": 2}}]})"),
            "the key 'k' is given twice in one object (poses[1].r)");
  EXPECT_EQ(problem(R"({"p": [1, [2], {"q": 1, "q": 2}]})"),
            "the key 'q' is given twice in one object (p[2])");
  EXPECT_EQ(problem(R"({"a": {"x": 1}, "x": 2})"), "") << "x once at each level";
}

TEST(JsonText, SaysWhereTheTextBreaksWithoutTheParsersInternalCode) {
  const std::string syntax = problem("{\n  \"a\": 1,\n  hat\n}");
  EXPECT_EQ(syntax.rfind("not valid JSON: line 3, column 3: syntax error", 0), 0u) << syntax;
  EXPECT_EQ(syntax.find("json.exception"), std::string::npos) << syntax;
  EXPECT_EQ(problem(R"({"a": 1e400})").rfind("not valid JSON: number overflow", 0), 0u);
  // The parser stops at a NUL and would take what came before it as the whole file.
  EXPECT_EQ(problem(std::string("{}\0{{{", 6)), "not valid JSON: a NUL byte at byte 2");
  // A raw control byte in a string is invalid JSON; the reason names it without printing it.
  const std::string control = problem("{\"a\": \"\x1b[2J\"}");
  EXPECT_EQ(control.rfind("not valid JSON: ", 0), 0u) << control;
  EXPECT_EQ(control.find('\x1b'), std::string::npos) << control;
}

}  // namespace
