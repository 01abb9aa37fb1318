// The model package loader, the tokenizer and the generator, through the library.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "model/package_fixture.h"
#include "tera/core/error.h"
#include "tera/generate/generator.h"
#include "tera/model/manifest.h"
#include "tera/text/tokenizer.h"

namespace {

using tera::test::copy_package;
using tera::test::test_package;

std::string model_error(const std::filesystem::path& dir, bool load_networks) {
  try {
    if (load_networks) {
      tera::GeneratorOptions o;
      o.model_dir = dir;
      o.device = tera::Device::kCpu;
      tera::Generator g(o);
    } else {
      tera::read_manifest(dir);
    }
  } catch (const tera::ModelError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Manifest, TestPackageIsValidAndLabelledTestOnly) {
  const auto m = tera::read_manifest(test_package());
  EXPECT_EQ(m.name, "test-random");
  EXPECT_TRUE(m.test_only);
  EXPECT_NE(m.provenance_json.find("random weights, test only, never a default"),
            std::string::npos);
  ASSERT_EQ(m.layers.size(), 2u);
  EXPECT_FALSE(m.layers[0].rotation_is_quaternion);
  EXPECT_TRUE(m.layers[1].rotation_is_quaternion);
  EXPECT_EQ(m.latent_shape, (std::vector<int>{4, 16}));
  EXPECT_EQ(m.latent_size(), 4u * 16u);
  ASSERT_EQ(m.latent_tokens.size(), 4u);
  EXPECT_EQ(m.latent_tokens[0].name, "body");
  EXPECT_EQ(m.latent_tokens[3].name, "bottom");
  EXPECT_FALSE(m.latent_tokens[2].owns.empty());
  EXPECT_EQ(m.manifest_sha256.size(), 64u);
}

TEST(Manifest, BrokenPackagesNameTheFileAndField) {
  tera::test::TempDir dir("manifest");
  auto missing = copy_package(dir, "missing");
  std::filesystem::remove(missing / "denoiser.pt");
  auto e = model_error(missing, false);
  EXPECT_NE(e.find("modules.denoiser"), std::string::npos) << e;
  EXPECT_NE(e.find("denoiser.pt"), std::string::npos) << e;

  auto corrupt = copy_package(dir, "corrupt");
  std::ofstream(corrupt / "decoder.pt", std::ios::app) << "x";
  e = model_error(corrupt, false);
  EXPECT_NE(e.find("sha256.decoder.pt"), std::string::npos) << e;
  EXPECT_NE(e.find("checksum mismatch"), std::string::npos) << e;

  e = model_error(
      copy_package(dir, "field", [](auto& j) { j["schedule"]["prediction"] = "noise"; }), false);
  EXPECT_NE(e.find("manifest.json: field 'schedule.prediction'"), std::string::npos) << e;
  e = model_error(copy_package(dir, "missing_field", [](auto& j) { j["latent"].erase("shape"); }),
                  false);
  EXPECT_NE(e.find("field 'latent.shape': missing"), std::string::npos) << e;
  e = model_error(
      copy_package(dir, "overlap", [](auto& j) { j["maps"]["layers"][1]["color"] = 4; }), false);
  EXPECT_NE(e.find("maps.layers[1].color"), std::string::npos) << e;
  e = model_error(copy_package(dir, "version", [](auto& j) { j["format_version"] = 2; }), false);
  EXPECT_NE(e.find("format_version"), std::string::npos) << e;
  auto bad_json = copy_package(dir, "json");
  std::ofstream(bad_json / "manifest.json") << "{\"format_version\": 1,";
  e = model_error(bad_json, false);
  EXPECT_NE(e.find("manifest.json: not valid JSON"), std::string::npos) << e;
  EXPECT_NE(model_error(dir / "nowhere", false).find("manifest.json: missing"), std::string::npos);
}

TEST(Manifest, WrongShapesFoundByTheDryRun) {
  tera::test::TempDir dir("shapes");
  auto e =
      model_error(copy_package(dir, "ctx", [](auto& j) { j["text"]["context_dim"] = 16; }), true);
  EXPECT_NE(e.find("text_encoder.pt (manifest field 'text.context_dim')"), std::string::npos) << e;
  EXPECT_NE(e.find("[2, 32, 32]"), std::string::npos) << e;
  e = model_error(copy_package(dir, "maps", [](auto& j) { j["maps"]["channels"] = 26; }), true);
  EXPECT_NE(e.find("decoder.pt (manifest field 'maps')"), std::string::npos) << e;
  // The test denoiser's weights fit [T, C] = [4, 16]: another shape fails in its forward.
  e = model_error(copy_package(dir, "latent",
                               [](auto& j) {
                                 j["latent"]["shape"] = {4, 17};
                               }),
                  true);
  EXPECT_NE(e.find("denoiser.pt (manifest field 'modules.denoiser')"), std::string::npos) << e;
  e = model_error(copy_package(dir, "rank",
                               [](auto& j) {
                                 j["latent"]["shape"] = {4, 4, 4};
                               }),
                  true);
  EXPECT_NE(e.find("denoiser.pt (manifest field 'modules.denoiser')"), std::string::npos) << e;
  e = model_error(copy_package(dir, "res", [](auto& j) { j["maps"]["resolution"] = 32; }), true);
  EXPECT_NE(e.find("template"), std::string::npos) << e;
}

TEST(Manifest, LatentShapeAndTokensAreValidated) {
  tera::test::TempDir dir("latent_spec");
  const auto latent_error = [&](const std::string& name,
                                const std::function<void(nlohmann::json&)>& edit) {
    return model_error(copy_package(dir, name, [&](auto& j) { edit(j["latent"]); }), false);
  };
  struct Case {
    std::string name;
    std::function<void(nlohmann::json&)> edit;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"rank0", [](auto& l) { l["shape"] = nlohmann::json::array(); },
       "field 'latent.shape': expected an array of 1..4 dimensions"},
      {"rank5",
       [](auto& l) {
         l["shape"] = {4, 2, 2, 2, 2};
       },
       "field 'latent.shape': expected an array of 1..4 dimensions"},
      {"scalar", [](auto& l) { l["shape"] = 64; }, "field 'latent.shape': expected an array"},
      {"zero",
       [](auto& l) {
         l["shape"] = {4, 0};
       },
       "field 'latent.shape[1]': expected 1..65536, got 0"},
      {"wide",
       [](auto& l) {
         l["shape"] = {4, 65537};
       },
       "field 'latent.shape[1]': expected 1..65536, got 65537"},
      {"real",
       [](auto& l) {
         l["shape"] = {4, 16.5};
       },
       "field 'latent.shape[1]': expected an integer"},
      {"huge",
       [](auto& l) {
         l["shape"] = {4, 1024, 1025};
       },
       "field 'latent.shape': more than 4194304 numbers per avatar"},
      {"count", [](auto& l) { l["tokens"].erase(0); },
       "field 'latent.tokens': expected an array of 4 tokens, one per index of latent.shape[0], "
       "got 3"},
      {"tokens_object",
       [](auto& l) {
         l["tokens"] = {{"body", "x"}};
       },
       "field 'latent.tokens': expected an array of 4 tokens"},
      {"duplicate", [](auto& l) { l["tokens"][2]["name"] = "head"; },
       "field 'latent.tokens[2].name': 'head' is used by an earlier token"},
      {"empty_name", [](auto& l) { l["tokens"][1]["name"] = ""; },
       "field 'latent.tokens[1].name': must not be empty"},
      {"no_owns", [](auto& l) { l["tokens"][3].erase("owns"); },
       "field 'latent.tokens[3].owns': missing"},
      {"old_form",
       [](auto& l) {
         l = {{"channels", 4}, {"height", 4}, {"width", 4}};
       },
       "field 'latent.shape': missing: the {channels, height, width} form is no longer read"},
  };
  for (const auto& c : cases) {
    const auto e = latent_error(c.name, c.edit);
    EXPECT_NE(e.find("manifest.json: " + c.expected), std::string::npos) << c.name << ": " << e;
  }
  // tokens are optional, and any rank 1..4 with every dimension in range loads.
  const auto plain =
      tera::read_manifest(copy_package(dir, "plain", [](auto& j) { j["latent"].erase("tokens"); }));
  EXPECT_TRUE(plain.latent_tokens.empty());
  EXPECT_EQ(plain.latent_shape, (std::vector<int>{4, 16}));
  const auto volume = tera::read_manifest(copy_package(dir, "volume", [](auto& j) {
    j["latent"] = {{"shape", {2, 3, 4, 5}}};
  }));
  EXPECT_EQ(volume.latent_size(), 120u);
  const auto flat = tera::read_manifest(copy_package(dir, "flat", [](auto& j) {
    j["latent"] = {{"shape", {65536}}};
  }));
  EXPECT_EQ(flat.latent_size(), 65536u);
}

TEST(Manifest, UnguidedCoordinatesAreValidated) {
  tera::test::TempDir dir("unguided");
  const auto with = [&](const std::string& name, const nlohmann::json& unguided) {
    return copy_package(dir, name, [&](auto& j) { j["sampling"]["unguided"] = unguided; });
  };
  const std::vector<std::pair<nlohmann::json, std::string>> cases = {
      {7, "field 'sampling.unguided': expected an array of latent coordinates"},
      {{{1, 2, 3}}, "field 'sampling.unguided[0]': expected 2 indices, one per dimension"},
      {{{0, 1}, {4, 0}}, "field 'sampling.unguided[1]': index 0 must be an integer in 0..3"},
      {{{0, 16}}, "field 'sampling.unguided[0]': index 1 must be an integer in 0..15"},
      {{{0, -1}}, "field 'sampling.unguided[0]': index 1 must be an integer in 0..15"},
      {{{0, 1.5}}, "field 'sampling.unguided[0]': index 1 must be an integer in 0..15"},
      {{{2, 3}, {2, 3}}, "field 'sampling.unguided[1]': names a coordinate an earlier entry names"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto e = model_error(with("case" + std::to_string(i), cases[i].first), false);
    EXPECT_NE(e.find("manifest.json: " + cases[i].second), std::string::npos) << i << ": " << e;
  }
  // Stored flat (token * 16 + channel), sorted; absent: guidance everywhere.
  const auto m = tera::read_manifest(with("good", {{3, 15}, {0, 2}, {1, 0}}));
  EXPECT_EQ(m.unguided, (std::vector<std::size_t>{2, 16, 63}));
  EXPECT_TRUE(tera::read_manifest(test_package()).unguided.empty());
}

TEST(Generator, UnguidedCoordinatesTakeThePromptsPredictionAlone) {
  tera::test::TempDir dir("unguided_generate");
  nlohmann::json all = nlohmann::json::array();
  for (int token = 0; token < 4; ++token)
    for (int channel = 0; channel < 16; ++channel) all.push_back({token, channel});
  const auto latent = [&](const std::filesystem::path& package, float guidance) {
    tera::GeneratorOptions o;
    o.model_dir = package;
    o.device = tera::Device::kCpu;
    tera::Generator g(o);
    tera::GenerateSettings s;
    s.steps = 4;
    return g.generate({{g.tokenize("a red jacket", "--prompt"), 7, guidance}}, s)[0].latent;
  };
  const auto plain = latent(test_package(), 1.f);
  const auto guided = latent(test_package(), 3.f);
  const auto none =
      latent(copy_package(dir, "all", [&](auto& j) { j["sampling"]["unguided"] = all; }), 3.f);
  // Every coordinate unguided at guidance 3 is guidance 1, up to the batch of 2 that guidance runs
  // (1e-3 absolute on latents of magnitude ~1, the bound the same-seed generator test uses).
  double most_from_plain = 0.0, most_from_guided = 0.0;
  for (std::size_t k = 0; k < plain.size(); ++k) {
    most_from_plain = std::max(most_from_plain, std::abs(double(none[k]) - plain[k]));
    most_from_guided = std::max(most_from_guided, std::abs(double(none[k]) - guided[k]));
  }
  EXPECT_LT(most_from_plain, 1e-3);
  EXPECT_GT(most_from_guided, 1e-2)
      << "guidance 3 and 1 give the same latent: the test shows nothing";
}

TEST(Tokenizer, LowerCasesPadsAndMarksTheMask) {
  const auto m = tera::read_manifest(test_package());
  tera::Tokenizer tok(m.dir, m.tokenizer);
  const auto a = tok.encode("A Tall WOMAN with a Red Jacket", "--prompt");
  const auto b = tok.encode("a tall woman with a red jacket", "--prompt");
  EXPECT_EQ(a.tokens, b.tokens);
  ASSERT_EQ(a.tokens.size(), 32u);
  EXPECT_EQ(a.tokens[0], 1);  // BOS
  std::size_t real = 0;
  for (auto v : a.mask) real += static_cast<std::size_t>(v);
  EXPECT_GT(real, 3u);
  EXPECT_EQ(a.tokens[real - 1], 2);  // EOS closes the real tokens
  EXPECT_EQ(a.tokens[real], 0);      // then padding
  EXPECT_FALSE(a.truncated);
  const auto empty = tok.empty_prompt();
  EXPECT_EQ(empty.tokens[0], 1);
  EXPECT_EQ(empty.tokens[1], 2);
  EXPECT_EQ(empty.mask[2], 0);
}

TEST(Tokenizer, RejectsEmptyAndNonUtf8AndTruncatesLongPrompts) {
  const auto m = tera::read_manifest(test_package());
  tera::Tokenizer tok(m.dir, m.tokenizer);
  try {
    tok.encode("   ", "prompts.txt line 4");
    FAIL();
  } catch (const tera::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("prompts.txt line 4"), std::string::npos);
  }
  EXPECT_THROW(tok.encode("bad \xc3\x28 utf8", "--prompt"), tera::UsageError);
  EXPECT_THROW(tok.encode("overlong \xc0\xaf", "--prompt"), tera::UsageError);
  std::string long_prompt;
  for (int i = 0; i < 60; ++i) long_prompt += "tall woman ";
  const auto t = tok.encode(long_prompt, "--prompt");
  EXPECT_TRUE(t.truncated);
  EXPECT_EQ(t.tokens.size(), 32u);
  EXPECT_EQ(t.tokens.back(), 2);  // EOS kept in the last slot
  EXPECT_EQ(t.mask.back(), 1);
}

TEST(Utf8, ValidatorFollowsTheStandard) {
  EXPECT_TRUE(tera::is_valid_utf8("plain"));
  EXPECT_TRUE(tera::is_valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(tera::is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(tera::is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(tera::is_valid_utf8("\xe2\x82"));          // truncated
  EXPECT_EQ(tera::lowercase_ascii("ABC \xc3\x89"), "abc \xc3\x89");
}

TEST(Generator, SameSeedSameAvatarDifferentSeedDifferentAvatar) {
  tera::GeneratorOptions o;
  o.model_dir = test_package();
  o.device = tera::Device::kCpu;
  tera::Generator g(o);
  tera::GenerateSettings s;
  s.steps = 4;
  const auto p = g.tokenize("a red jacket", "--prompt");
  const auto first = g.generate({{p, 7, 3.f}, {p, 8, 3.f}}, s);
  const auto again = g.generate({{p, 7, 3.f}, {p, 8, 3.f}}, s);
  const auto alone = g.generate({{p, 7, 3.f}}, s);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].latent, again[0].latent);  // same batch, same seed: bit-identical
  EXPECT_EQ(first[0].gaussians.positions, again[0].gaussians.positions);
  // Batch size may change LibTorch's kernels (and the last bits), not the avatar: 1e-3 absolute on
  // latents of magnitude ~1 allows float reassociation over 4 steps.
  for (std::size_t k = 0; k < alone[0].latent.size(); ++k)
    EXPECT_NEAR(alone[0].latent[k], first[0].latent[k], 1e-3);
  EXPECT_NE(first[0].latent, first[1].latent);
  EXPECT_EQ(first[0].latent.size(), 64u);  // [4, 16]
  // The figure is 1.7 m tall around the origin; offsets are millimetres.
  const auto b = first[0].gaussians.bounds();
  EXPECT_GT(first[0].gaussians.size(), 1000u);
  EXPECT_GT(b.min[1], -0.05f);
  EXPECT_LT(b.max[1], 1.75f);
  EXPECT_EQ(tera::initial_noise(7, 256), tera::initial_noise(7, 256));
  // The initial noise is the seed's normals in row-major order, whatever the latent's shape.
  const auto longer = tera::initial_noise(7, 256);
  EXPECT_EQ(tera::initial_noise(7, 64), std::vector<float>(longer.begin(), longer.begin() + 64));
}

}  // namespace
