// `tera generate` through the real binary with the test-only package.
#include <gtest/gtest.h>

#include <fstream>

#include "model/package_fixture.h"
#include "tera/core/atomic_file.h"
#include "tera/core/error.h"
#include "tera/generate/generator.h"
#include "tera/generate/latent_io.h"
#include "tera/io/gaussian_io.h"
#include "tera/model/manifest.h"

namespace {

using tera::test::copy_package;
using tera::test::quoted;
using tera::test::run_tera;
using tera::test::test_package;

// Small renders keep each run well under a second of rendering on two cores.
const std::string kFast = " --size 48 --device cpu --threads 2 ";

// `extra` must name --views (each option once: CLI11 rejects repeats).
std::string generate(const std::filesystem::path& out, const std::string& extra,
                     const std::filesystem::path& model = test_package()) {
  return "generate --model " + quoted(model) + " --prompt 'a tall woman in a red jacket' --out " +
         quoted(out) + kFast + extra;
}

TEST(GenerateCli, WritesEveryFileAndMetadata) {
  tera::test::TempDir dir("gen");
  const auto out = dir / "a";
  const auto r =
      run_tera(generate(out, "--seed 11 --steps 3 --views 2 --format ply,splat,spz,glb"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("seed 11"), std::string::npos) << r.output;
  for (const char* f :
       {"avatar.ply", "avatar.splat", "avatar.spz", "avatar.glb", "avatar.latent", "avatar.json",
        "view_000.png", "view_001.png", "contact_sheet.png", "viewer.html"}) {
    EXPECT_TRUE(std::filesystem::is_regular_file(out / f)) << f;
  }
  // The viewer page shows the prompt and the seed (tests/view checks the page itself).
  const std::string page = tera::read_file(out / "viewer.html");
  EXPECT_NE(page.find("\"prompt\":\"a tall woman in a red jacket\""), std::string::npos);
  EXPECT_NE(page.find("\"seed\":11"), std::string::npos);
  const auto meta = nlohmann::json::parse(tera::read_file(out / "avatar.json"));
  EXPECT_EQ(meta["prompt"], "a tall woman in a red jacket");
  EXPECT_EQ(meta["seed"], 11);
  EXPECT_EQ(meta["steps"], 3);
  EXPECT_EQ(meta["sampler"], "dpm++2m");
  EXPECT_EQ(meta["guidance"], 3.0);
  EXPECT_EQ(meta["model"]["name"], "test-random");
  EXPECT_EQ(meta["model"]["manifest_sha256"].get<std::string>().size(), 64u);
  for (const char* stage : {"load", "text", "sampling", "decode", "assembly", "write", "render"}) {
    EXPECT_GE(meta["timings_seconds"][stage].get<double>(), 0.0) << stage;
  }
  EXPECT_EQ(meta["latent_shape"], nlohmann::json({4, 16}));
  const auto latent = tera::read_latent(out / "avatar.latent");
  EXPECT_EQ(latent.shape, (std::vector<int>{4, 16}));
  EXPECT_EQ(latent.values.size(), 64u);
  const auto set = tera::read_gaussians(out / "avatar.ply");
  EXPECT_EQ(set.size(), meta["gaussians"].get<std::size_t>());
  EXPECT_EQ(tera::read_gaussians(out / "avatar.spz").size(), set.size());
  for (const auto& f : tera::test::files_under(out))
    EXPECT_EQ(f.find(".tmp-"), std::string::npos) << f;
}

TEST(GenerateCli, LatentFileRoundTripsWithTheManifestShape) {
  tera::test::TempDir dir("gen");
  ASSERT_EQ(run_tera(generate(dir / "a", "--seed 9 --steps 3 --views 0")).exit_code, 0);
  const auto path = dir / "a" / "avatar.latent";
  const auto m = tera::read_manifest(test_package());
  const auto latent = tera::read_latent(path, m.latent_shape, m.name);
  EXPECT_EQ(latent.shape, m.latent_shape);
  ASSERT_EQ(latent.values.size(), m.latent_size());
  // Header: magic, version, rank 2, T, C; then the values.
  EXPECT_EQ(std::filesystem::file_size(path), 8u + 4u + 4u + 2u * 4u + 4u * m.latent_size());
  tera::write_latent(dir / "again.latent", latent);
  EXPECT_EQ(tera::read_file(dir / "again.latent"), tera::read_file(path));
  // A model with another latent shape refuses the file, naming it and both shapes.
  try {
    tera::read_latent(path, {4, 8, 8}, "grid-model");
    FAIL() << "shape mismatch not detected";
  } catch (const tera::InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(
        what.find(
            path.string() +
            ": latent shape [4, 16] does not match model 'grid-model' (latent.shape [4, 8, 8])"),
        std::string::npos)
        << what;
  }
  // The latent names the avatar: decoding it again gives the Gaussians in avatar.ply.
  tera::GeneratorOptions o;
  o.model_dir = test_package();
  o.device = tera::Device::kCpu;
  o.threads = 2;
  tera::Generator g(o);
  const auto sets = g.decode_latents(latent.values, 1, tera::AssemblyOptions{});
  ASSERT_EQ(sets.size(), 1u);
  const auto written = tera::read_gaussians(dir / "a" / "avatar.ply");
  ASSERT_EQ(sets[0].size(), written.size());
  // 1e-5 m: the decoder's float sums may split differently in this process; far below a texel.
  for (std::size_t i = 0; i < written.positions.size(); ++i)
    EXPECT_NEAR(sets[0].positions[i], written.positions[i], 1e-5f);
}

TEST(GenerateCli, SameSeedGivesIdenticalBytesOnCpu) {
  tera::test::TempDir dir("gen");
  ASSERT_EQ(run_tera(generate(dir / "a", "--views 2 --seed 5")).exit_code, 0);
  ASSERT_EQ(run_tera(generate(dir / "b", "--views 2 --seed 5")).exit_code, 0);
  ASSERT_EQ(run_tera(generate(dir / "c", "--views 2 --seed 6")).exit_code, 0);
  // avatar.json differs only in its timings; every other file is named by the seed.
  for (const char* f : {"avatar.ply", "avatar.latent", "view_000.png", "view_001.png",
                        "contact_sheet.png", "viewer.html"}) {
    EXPECT_EQ(tera::read_file(dir / "a" / f), tera::read_file(dir / "b" / f)) << f;
  }
  EXPECT_NE(tera::read_file(dir / "a" / "avatar.latent"),
            tera::read_file(dir / "c" / "avatar.latent"));
}

TEST(GenerateCli, NoViewerLeavesThePageOut) {
  tera::test::TempDir dir("gen");
  ASSERT_EQ(run_tera(generate(dir / "a", "--seed 4 --steps 2 --views 0")).exit_code, 0);
  EXPECT_TRUE(std::filesystem::is_regular_file(dir / "a" / "viewer.html"))
      << "written without renders too";
  ASSERT_EQ(run_tera(generate(dir / "b", "--seed 4 --steps 2 --views 0 --no-viewer")).exit_code, 0);
  EXPECT_TRUE(std::filesystem::is_regular_file(dir / "b" / "avatar.ply"));
  EXPECT_FALSE(std::filesystem::exists(dir / "b" / "viewer.html"));
}

TEST(GenerateCli, NumMakesVariationsWithConsecutiveSeedsAndJsonSummary) {
  tera::test::TempDir dir("gen");
  const auto r = run_tera(generate(dir / "v", "--seed 40 --num 2 --views 0 --json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto summary = nlohmann::json::parse(r.output.substr(r.output.find('{')));
  ASSERT_EQ(summary["avatars"].size(), 2u);
  EXPECT_EQ(summary["avatars"][1]["seed"], 41);
  EXPECT_EQ(
      nlohmann::json::parse(tera::read_file(dir / "v" / "variation_01" / "avatar.json"))["seed"],
      41);
  EXPECT_FALSE(std::filesystem::exists(dir / "v" / "variation_00" / "view_000.png"));  // --views 0
}

TEST(GenerateCli, RandomSeedIsPrinted) {
  tera::test::TempDir dir("gen");
  const auto r = run_tera(generate(dir / "r", "--views 0"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto meta = nlohmann::json::parse(tera::read_file(dir / "r" / "avatar.json"));
  EXPECT_NE(r.output.find("seed " + std::to_string(meta["seed"].get<std::uint64_t>())),
            std::string::npos)
      << r.output;
}

TEST(GenerateCli, BadPromptsAndOptionsAreUsageErrors) {
  tera::test::TempDir dir("gen");
  auto r = run_tera("generate --model " + quoted(test_package()) +
                    " --prompt '  ' --views 0 --out " + quoted(dir / "x") + kFast);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--prompt: the prompt is empty"), std::string::npos) << r.output;
  r = run_tera("generate --model " + quoted(test_package()) +
               " --prompt \"$(printf 'bad \\377')\" --views 0 --out " + quoted(dir / "x") + kFast);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("UTF-8"), std::string::npos) << r.output;
  r = run_tera("generate --model " + quoted(test_package()) + " --prompt \"$(head -c 4097 " +
               "/dev/zero | tr '\\0' a)\" --views 0 --out " + quoted(dir / "x") + kFast);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(
      r.output.find("--prompt: the prompt is 4097 bytes, more than the 4096 a prompt may have"),
      std::string::npos)
      << r.output;
  EXPECT_EQ(run_tera(generate(dir / "x", "--views 0 --sampler euler")).exit_code, 2);
  EXPECT_EQ(run_tera(generate(dir / "x", "--views 0 --format ply,obj")).exit_code, 2);
  EXPECT_EQ(run_tera(generate(dir / "x", "--views 0 --seed -3")).exit_code, 2);
  EXPECT_EQ(run_tera(generate(dir / "x", "--views 0 --steps 5000")).exit_code, 2);
  // NaN passes every range comparison; a seed past 2^64 - 1 must not clamp onto that seed.
  for (const char* bad : {"--guidance nan", "--min-opacity nan", "--seed 18446744073709551616",
                          "--seed ' 7'", "--seed +3", "--seed ''"}) {
    r = run_tera(generate(dir / "x", std::string("--views 0 ") + bad));
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.output;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "x"));
}

// --out is written as a whole: a rerun leaves none of the last run's files beside the new ones,
// and a folder holding the user's own files is refused rather than replaced.
TEST(GenerateCli, ARerunReplacesTheFolderAndTheUsersFilesAreNeverReplaced) {
  tera::test::TempDir dir("gen_again");
  const auto out = dir / "g";
  auto r = run_tera(generate(out, "--views 2"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(std::filesystem::exists(out / "view_001.png"));
  r = run_tera(generate(out, "--views 0 --seed 4"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_FALSE(std::filesystem::exists(out / "view_001.png")) << "a stale render was left";
  EXPECT_FALSE(std::filesystem::exists(out / "contact_sheet.png"));
  EXPECT_EQ(nlohmann::json::parse(tera::read_file(out / "avatar.json"))["seed"], 4);
  std::ofstream(out / "notes.txt") << "mine";
  r = run_tera(generate(out, "--views 0 --seed 5"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("notes.txt"), std::string::npos) << r.output;
  EXPECT_EQ(tera::read_file(out / "notes.txt"), "mine");
  EXPECT_EQ(nlohmann::json::parse(tera::read_file(out / "avatar.json"))["seed"], 4);
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    EXPECT_EQ(entry.path().filename().string().find(".partial-"), std::string::npos)
        << entry.path();
}

TEST(GenerateCli, BrokenPackagesExitThreeNamingFileAndField) {
  tera::test::TempDir dir("gen");
  struct Case {
    std::filesystem::path package;
    std::vector<std::string> expected;
  };
  std::vector<Case> cases;
  auto missing = copy_package(dir, "missing");
  std::filesystem::remove(missing / "text_encoder.pt");
  cases.push_back({missing, {"text_encoder.pt", "modules.text_encoder"}});
  auto corrupt = copy_package(dir, "corrupt");
  std::ofstream(corrupt / "template.bin", std::ios::app) << "x";
  cases.push_back({corrupt, {"template.bin", "sha256.template.bin", "checksum mismatch"}});
  cases.push_back({copy_package(dir, "shape", [](auto& j) { j["text"]["context_dim"] = 8; }),
                   {"text_encoder.pt", "text.context_dim"}});
  cases.push_back(
      {copy_package(dir, "field", [](auto& j) { j["sampling"]["default_sampler"] = 3; }),
       {"manifest.json", "sampling.default_sampler"}});
  for (const auto& c : cases) {
    const auto r = run_tera(generate(dir / "out", "--views 0", c.package));
    EXPECT_EQ(r.exit_code, 3) << r.output;
    for (const auto& e : c.expected)
      EXPECT_NE(r.output.find(e), std::string::npos) << e << " in: " << r.output;
  }
}

TEST(GenerateCli, FolderWithoutPackageSaysSo) {
  tera::test::TempDir dir("gen");
  std::filesystem::create_directories(dir / "empty");
  const auto r = tera::test::run_command("env -u TERA_MODEL '" + std::string(TERA_CLI_PATH) +
                                         "' generate --model " + quoted(dir / "empty") +
                                         " --prompt x --out " + quoted(dir / "x"));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("manifest.json: missing"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "x"))
      << "nothing is written when the package is missing";
}

// Needs the trained default package: prompts with clear attributes must produce them.
TEST(GenerateCli, TrainedDefaultModelFollowsColourPrompts) {
  const auto model = std::filesystem::path(TERA_SOURCE_DIR) / "models" / "default";
  if (!std::filesystem::exists(model / "manifest.json")) {
    GTEST_SKIP() << "models/default is absent: no trained model package exists yet";
  }
  tera::test::TempDir dir("gen");
  const auto mean_torso_rgb = [&](const std::string& prompt, const std::string& name) {
    const auto r = run_tera("generate --model " + quoted(model) + " --prompt '" + prompt +
                            "' --seed 3 --views 0 --device cpu --out " + quoted(dir / name));
    EXPECT_EQ(r.exit_code, 0) << r.output;
    const auto set = tera::read_gaussians(dir / name / "avatar.ply");
    const auto b = set.bounds();
    double rgb[3] = {0, 0, 0};
    std::size_t n = 0;
    for (std::size_t i = 0; i < set.size(); ++i) {
      const float h = (set.positions[3 * i + 1] - b.min[1]) / (b.max[1] - b.min[1]);
      if (h < 0.55f || h > 0.75f) continue;  // the chest band of a standing figure
      for (int k = 0; k < 3; ++k)
        rgb[k] += 0.5 + tera::kShC0 * set.sh[3 * i + static_cast<std::size_t>(k)];
      ++n;
    }
    return std::array<double, 3>{rgb[0] / n, rgb[1] / n, rgb[2] / n};
  };
  const auto red = mean_torso_rgb("a man wearing a bright red jacket", "red");
  const auto blue = mean_torso_rgb("a man wearing a bright blue jacket", "blue");
  EXPECT_GT(red[0] - red[2], blue[0] - blue[2]);  // redder torso for the red prompt
}

}  // namespace
