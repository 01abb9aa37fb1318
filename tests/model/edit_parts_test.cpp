// --part auto's keyword table on edit phrasings, and how parts become the held mask.
#include <gtest/gtest.h>

#include "tera/core/error.h"
#include "tera/generate/edit_parts.h"

namespace {

using Parts = std::vector<std::string>;

TEST(EditParts, AutoFindsThePartsOfTwentyFourEditPhrasings) {
  const std::vector<std::pair<std::string, Parts>> cases = {
      {"give her a blue jacket", {"top"}},
      {"make the T-shirt red", {"top"}},
      {"a grey hoodie", {"top"}},
      {"change his trousers to black jeans", {"bottom"}},
      {"put him in shorts", {"bottom"}},
      {"a pleated skirt instead", {"bottom"}},
      {"red trainers", {"shoes"}},
      {"give her knee-high boots", {"shoes"}},
      {"make the hair long and blonde", {"hair"}},
      {"Ginger curls", {"hair"}},
      {"shave him bald", {"hair"}},
      {"make her blonde", {"hair"}},
      {"add a bushy beard", {"face"}},
      {"clean-shaven", {"face"}},
      {"a ginger moustache", {"face"}},
      {"give him glasses", {"glasses"}},
      {"bespectacled", {"glasses"}},
      {"aviator sunglasses", {"glasses"}},
      {"add a beanie", {"hat"}},
      {"wearing a top hat", {"hat"}},
      {"make him muscular", {"body"}},
      {"a navy hoodie and grey trousers", {"top", "bottom"}},
      {"blonde hair and round specs", {"hair", "glasses"}},
      {"in a charcoal suit", {"top", "bottom"}},
  };
  for (const auto& [prompt, parts] : cases)
    EXPECT_EQ(tera::parts_named_in(prompt), parts) << prompt;
}

TEST(EditParts, PromptsWithoutAPartWordFindNone) {
  EXPECT_TRUE(tera::parts_named_in("make it nicer").empty());
  EXPECT_TRUE(tera::parts_named_in("more red").empty());
  EXPECT_TRUE(tera::parts_named_in("").empty());
}

tera::ModelManifest manifest_with(const Parts& tokens) {
  tera::ModelManifest m;
  m.name = "m";
  m.dir = "/models/m";
  for (const auto& t : tokens) m.latent_tokens.push_back({t, "what " + t + " owns"});
  m.latent_shape = {static_cast<int>(tokens.size()), 3};
  return m;
}

TEST(EditParts, ResolveChecksNamesAgainstTheModelsTokens) {
  const auto m = manifest_with({"body", "head", "top", "bottom"});
  EXPECT_EQ(tera::resolve_edit_parts("top,bottom,top", "x", m, "part"), (Parts{"top", "bottom"}));
  EXPECT_EQ(tera::resolve_edit_parts("auto", "a red jacket", m, "part"), (Parts{"top"}));
  try {
    tera::resolve_edit_parts("hair", "x", m, "part");
    FAIL() << "hair is not a token of m";
  } catch (const tera::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "part: model 'm' has no part 'hair' (its latent.tokens: body, head, top, bottom"),
              std::string::npos)
        << e.what();
  }
  try {
    tera::resolve_edit_parts("auto", "make it nicer", m, "part");
    FAIL() << "no part word";
  } catch (const tera::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "part: auto recognised no part in the edit prompt 'make it nicer'"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(tera::resolve_edit_parts("auto", "long hair", m, "part"),
               tera::UsageError);  // hair: not a token of m
  EXPECT_THROW(tera::resolve_edit_parts("top", "x", manifest_with({}), "part"), tera::ModelError);
}

TEST(EditParts, HeldEntriesAreEveryTokenNotEdited) {
  const auto m = manifest_with({"body", "head", "top", "bottom"});
  EXPECT_EQ(tera::held_entries(m, {"head", "bottom"}),
            (std::vector<char>{1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0}));
}

}  // namespace
