// `tera edit` through the real binary with the test-only package (tokens body, head, top, bottom):
// locality in the latent, the record, bit-identical regeneration, chained edits and the errors.
#include <gtest/gtest.h>

#include <functional>

#include "model/package_fixture.h"
#include "tera/core/atomic_file.h"
#include "tera/generate/latent_io.h"

namespace {

namespace fs = std::filesystem;
using tera::test::quoted;
using tera::test::run_tera;
using tera::test::test_package;

const std::string kFast =
    " --size 32 --device cpu --threads 2 --steps 3 ";  // tiny renders, few steps
constexpr std::size_t kTokenSize = 16;                 // the test package's latent is [4, 16]

fs::path make_avatar(const tera::test::TempDir& dir, const std::string& name) {
  const auto out = dir / name;
  const auto r =
      run_tera("generate --model " + quoted(test_package()) +
               " --prompt 'a man in a red jacket' --seed 3 --views 0 --out " + quoted(out) + kFast);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return out;
}

tera::test::CommandResult edit(const fs::path& source, const fs::path& out,
                               const std::string& extra) {
  return run_tera("edit " + quoted(source) + " --model " + quoted(test_package()) + " --out " +
                  quoted(out) + kFast + extra);
}

std::vector<float> token(const fs::path& dir, std::size_t index) {
  const auto latent = tera::read_latent(dir / "avatar.latent");
  return {latent.values.begin() + static_cast<std::ptrdiff_t>(index * kTokenSize),
          latent.values.begin() + static_cast<std::ptrdiff_t>((index + 1) * kTokenSize)};
}

nlohmann::json meta(const fs::path& dir) {
  return nlohmann::json::parse(tera::read_file(dir / "avatar.json"));
}

TEST(EditCli, RegeneratesOnlyTheChosenTokenAndRecordsTheEdit) {
  tera::test::TempDir dir("edit");
  const auto source = make_avatar(dir, "a");
  const auto out = dir / "b";
  const auto r =
      edit(source, out,
           "--prompt 'a blue jacket' --part top --seed 5 --views 2 --format ply,spz --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"parts\": [\"top\"]"), std::string::npos) << r.output;
  for (const char* f : {"avatar.ply", "avatar.spz", "avatar.latent", "avatar.json", "view_000.png",
                        "view_001.png", "contact_sheet.png", "viewer.html"}) {
    EXPECT_TRUE(fs::is_regular_file(out / f)) << f;
  }
  for (const std::size_t held : {0u, 1u, 3u})
    EXPECT_EQ(token(out, held), token(source, held)) << "token " << held;
  EXPECT_NE(token(out, 2), token(source, 2));
  const auto m = meta(out);
  const auto s = meta(source);
  EXPECT_EQ(m["prompt"], "a man in a red jacket");  // the avatar the history starts from
  EXPECT_EQ(m["seed"], 3);
  ASSERT_EQ(m["edits"].size(), 1u);
  EXPECT_EQ(m["edits"][0]["prompt"], "a blue jacket");
  EXPECT_EQ(m["edits"][0]["parts"], nlohmann::json({"top"}));
  EXPECT_EQ(m["edits"][0]["seed"], 5);
  EXPECT_EQ(m["edits"][0]["steps"], 3);
  EXPECT_EQ(m["edits"][0]["sampler"], "dpm++2m");
  EXPECT_EQ(m["edits"][0]["source_latent_sha256"], s["latent_sha256"]);
  EXPECT_EQ(m["latent_sha256"], tera::latent_sha256(tera::read_latent(out / "avatar.latent")));
}

TEST(EditCli, TheSameEditOfTheSameSourceIsBitIdentical) {
  tera::test::TempDir dir("edit");
  const auto source = make_avatar(dir, "a");
  const std::string settings =
      "--prompt 'grey trousers' --part auto --seed 9 --views 1 --format ply,splat";
  ASSERT_EQ(edit(source, dir / "b1", settings).exit_code, 0);
  ASSERT_EQ(edit(source, dir / "b2", settings).exit_code, 0);
  for (const char* f : {"avatar.ply", "avatar.splat", "avatar.latent", "view_000.png"}) {
    EXPECT_EQ(tera::read_file(dir / "b1" / f), tera::read_file(dir / "b2" / f)) << f;
  }
  EXPECT_EQ(meta(dir / "b1")["edits"][0]["parts"], nlohmann::json({"bottom"}));  // auto: trousers
  ASSERT_EQ(edit(source, dir / "b3", "--prompt 'grey trousers' --part bottom --seed 10 --views 0")
                .exit_code,
            0);
  EXPECT_NE(token(dir / "b3", 3), token(dir / "b1", 3));  // another seed, another edit
}

TEST(EditCli, ChainedEditsKeepEveryTokenNeitherEditTouched) {
  tera::test::TempDir dir("edit");
  const auto source = make_avatar(dir, "a");
  ASSERT_EQ(
      edit(source, dir / "b", "--prompt 'a green shirt' --part top --seed 1 --views 0").exit_code,
      0);
  const auto r = edit(dir / "b", dir / "c", "--prompt 'muscular' --seed 2 --views 1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("edited body of"), std::string::npos) << r.output;
  EXPECT_EQ(token(dir / "c", 1), token(source, 1));
  EXPECT_EQ(token(dir / "c", 3), token(source, 3));
  EXPECT_EQ(token(dir / "c", 2),
            token(dir / "b", 2));  // the first edit's top survives the second edit
  EXPECT_NE(token(dir / "c", 0), token(source, 0));
  const auto m = meta(dir / "c");
  ASSERT_EQ(m["edits"].size(), 2u);
  EXPECT_EQ(m["edits"][0]["prompt"], "a green shirt");
  EXPECT_EQ(m["edits"][1]["parts"], nlohmann::json({"body"}));
  EXPECT_EQ(m["edits"][1]["source_latent_sha256"], meta(dir / "b")["latent_sha256"]);
}

TEST(EditCli, ErrorsNameTheFolderFieldPartOrPrompt) {
  tera::test::TempDir dir("edit");
  fs::create_directories(dir / "empty");
  auto r = edit(dir / "empty", dir / "o", "--prompt 'a hat' --part top");
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find((dir / "empty" / "avatar.json").string() +
                          ": missing (expected a folder written by 'tera generate'"),
            std::string::npos)
      << r.output;
  fs::create_symlink(dir / "loop", dir / "loop");  // a bad input (4), not a filesystem_error (1)
  for (const std::string& command :
       {"edit " + quoted(dir / "loop") + " --prompt 'a hat' --part top",
        "interpolate " + quoted(dir / "loop") + " 'a man' --views 0"}) {
    r = run_tera(command + " --model " + quoted(test_package()) + " --out " + quoted(dir / "o") +
                 kFast);
    EXPECT_EQ(r.exit_code, 4) << command << ": " << r.output;
    EXPECT_NE(r.output.find("loop: Too many levels of symbolic links"), std::string::npos)
        << r.output;
  }
  const auto source = make_avatar(dir, "a");
  auto json = meta(source);
  json.erase("seed");
  fs::copy(source, dir / "noseed", fs::copy_options::recursive);
  std::ofstream(dir / "noseed" / "avatar.json") << json.dump();
  r = edit(dir / "noseed", dir / "o", "--prompt 'a hat' --part top");
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("avatar.json: field 'seed' is missing or not a number"),
            std::string::npos)
      << r.output;
  // Fields a reader would copy into the new avatar's record unchecked, and the digest whose absence
  // would let another run's avatar.latent through.
  const std::pair<std::function<void(nlohmann::json&)>, std::string> damages[] = {
      {[](nlohmann::json& j) { j["sampler"] = "euler"; },
       "field 'sampler' is 'euler', not ddim or dpm++2m"},
      {[](nlohmann::json& j) { j["guidance"] = -4; }, "field 'guidance' is not a guidance scale"},
      {[](nlohmann::json& j) { j.erase("latent_sha256"); },
       "field 'latent_sha256' is missing or not a string"}};
  for (const auto& [damage, message] : damages) {
    json = meta(source);
    damage(json);
    fs::remove_all(dir / "damaged");
    fs::copy(source, dir / "damaged", fs::copy_options::recursive);
    std::ofstream(dir / "damaged" / "avatar.json") << json.dump();
    r = edit(dir / "damaged", dir / "o", "--prompt 'a hat' --part top");
    EXPECT_EQ(r.exit_code, 4) << r.output;
    EXPECT_NE(r.output.find("avatar.json: " + message), std::string::npos) << r.output;
  }
  std::ofstream(dir / "damaged" / "avatar.json")
      << "{\"seed\": 1, \"seed\": 2}";  // which seed made it?
  r = edit(dir / "damaged", dir / "o", "--prompt 'a hat' --part top");
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("avatar.json: the key 'seed' is given twice"), std::string::npos)
      << r.output;
  json = meta(source);
  json["edits"] = nlohmann::json::array({{{"prompt", "a hat"}, {"parts", "top"}}});
  fs::copy(source, dir / "badedits", fs::copy_options::recursive);
  std::ofstream(dir / "badedits" / "avatar.json") << json.dump();
  r = edit(dir / "badedits", dir / "o", "--prompt 'a hat' --part top");
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(
      r.output.find("avatar.json: field 'edits[0].parts' is missing or not a list of part names"),
      std::string::npos)
      << r.output;
  const auto other =
      tera::test::copy_package(dir, "other", [](nlohmann::json& m) { m["name"] = "other"; });
  r = run_tera("edit " + quoted(source) + " --model " + quoted(other) +
               " --prompt 'a red top' --out " + quoted(dir / "o") + kFast);
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find(
                "field 'model.manifest_sha256' says the avatar was made with model 'test-random'"),
            std::string::npos)
      << r.output;
  r = edit(source, dir / "o", "--prompt 'long hair' --part hair");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--part: model 'test-random' has no part 'hair' (its latent.tokens: "
                          "body, head, top, bottom"),
            std::string::npos)
      << r.output;
  r = edit(source, dir / "o", "--prompt 'make it nicer'");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--part: auto recognised no part in the edit prompt 'make it nicer'"),
            std::string::npos)
      << r.output;
  EXPECT_FALSE(fs::exists(dir / "o"));
}

// A folder whose avatar.latent is another run's (copied in, or left by an interrupted rewrite)
// would be edited under the wrong prompt and seed; and an edit written over its own source would
// lose the source.
TEST(EditCli, RefusesALatentOfAnotherRunAndAnOutputOverItsSource) {
  tera::test::TempDir dir("edit_pair");
  const auto source = make_avatar(dir, "a");
  const auto r0 =
      run_tera("generate --model " + quoted(test_package()) +
               " --prompt 'a woman' --seed 8 --views 0 --out " + quoted(dir / "b") + kFast);
  ASSERT_EQ(r0.exit_code, 0) << r0.output;
  fs::copy(source, dir / "mixed", fs::copy_options::recursive);
  fs::copy_file(dir / "b" / "avatar.latent", dir / "mixed" / "avatar.latent",
                fs::copy_options::overwrite_existing);
  auto r = edit(dir / "mixed", dir / "o", "--prompt 'a blue jacket' --part top");
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("field 'latent_sha256'"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "o"));

  const std::string before = tera::read_file(source / "avatar.latent");
  r = edit(source, source, "--prompt 'a blue jacket' --part top");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--out"), std::string::npos) << r.output;
  EXPECT_EQ(tera::read_file(source / "avatar.latent"), before);
  // Nor over the folder that holds it: a generate --num folder's variation_00, say.
  fs::create_directories(dir / "runs");
  fs::rename(source, dir / "runs" / "variation_00");
  r = edit(dir / "runs" / "variation_00", dir / "runs", "--prompt 'a blue jacket' --part top");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("holds"), std::string::npos) << r.output;
  EXPECT_EQ(tera::read_file(dir / "runs" / "variation_00" / "avatar.latent"), before);
  // Nor inside it: a folder of the edit's in the source's would block a rerun into the source.
  const auto inside = dir / "runs" / "variation_00" / "blue";
  r = edit(dir / "runs" / "variation_00", inside, "--prompt 'a blue jacket' --part top");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("lies inside"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(inside));
  r = run_tera("interpolate " + quoted(dir / "b") + " " + quoted(dir / "runs" / "variation_00") +
               " --model " + quoted(test_package()) + " --steps 2 --views 0 --out " +
               quoted(dir / "b" / "blend") + kFast);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_FALSE(fs::exists(dir / "b" / "blend"));
}

TEST(EditCli, EditAndInterpolateAreInTheHelp) {
  const auto r = run_tera("--help");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("edit"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("interpolate"), std::string::npos) << r.output;
  for (const char* command : {"edit", "interpolate"}) {
    const auto help = run_tera(std::string(command) + " --help");
    EXPECT_EQ(help.exit_code, 0) << help.output;
    for (const char* option : {"--format", "--views", "--size", "--device", "--json", "--model"}) {
      EXPECT_NE(help.output.find(option), std::string::npos) << command << " " << option;
    }
  }
}

}  // namespace
