// `tera interpolate` through the real binary with the test-only package: the path's latents, the
// ends made from prompts, the blend toward a text edit, the strip and the errors.
#include <gtest/gtest.h>

#include <cmath>

#include "model/package_fixture.h"
#include "tera/core/atomic_file.h"
#include "tera/generate/latent_io.h"
#include "tera/render/image.h"

namespace {

namespace fs = std::filesystem;
using tera::test::quoted;
using tera::test::run_tera;
using tera::test::test_package;

const std::string kFast = " --size 32 --device cpu --threads 2 ";  // tiny renders

fs::path make_avatar(const tera::test::TempDir& dir, const std::string& name,
                     const std::string& prompt, int seed) {
  const auto out = dir / name;
  const auto r =
      run_tera("generate --model " + quoted(test_package()) + " --prompt '" + prompt + "' --seed " +
               std::to_string(seed) + " --steps 3 --views 0 --out " + quoted(out) + kFast);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return out;
}

std::vector<float> latent(const fs::path& dir) {
  return tera::read_latent(dir / "avatar.latent").values;
}
nlohmann::json meta(const fs::path& dir) {
  return nlohmann::json::parse(tera::read_file(dir / "avatar.json"));
}

tera::test::CommandResult interpolate(const std::string& arguments) {
  return run_tera("interpolate " + arguments + " --model " + quoted(test_package()) + kFast);
}

TEST(InterpolateCli, StepsLieOnTheLineBetweenTheTwoLatents) {
  tera::test::TempDir dir("interp");
  const auto a = make_avatar(dir, "a", "a man in a red jacket", 1);
  const auto b = make_avatar(dir, "b", "a woman in a blue dress", 2);
  const auto out = dir / "path";
  const auto r = interpolate(
      quoted(a) + " " + quoted(b) +
      " --steps 4 --spacing linear --views 1 --format ply,glb --json --out " + quoted(out));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(latent(out / "step_00"), latent(a));  // the ends exactly
  EXPECT_EQ(latent(out / "step_03"), latent(b));
  const auto la = latent(a), lb = latent(b), middle = latent(out / "step_01");
  for (std::size_t k = 0; k < la.size(); ++k) {
    // Computed in double and rounded once to float: 1e-6 covers that rounding for |values| < 10.
    EXPECT_NEAR(middle[k], (2.0 * la[k] + lb[k]) / 3.0, 1e-6) << k;
  }
  for (const char* f : {"avatar.ply", "avatar.glb", "avatar.latent", "avatar.json", "view_000.png",
                        "viewer.html"}) {
    EXPECT_TRUE(fs::is_regular_file(out / "step_02" / f)) << f;
  }
  EXPECT_EQ(tera::read_png(out / "interpolation_strip.png").width,
            4 * 32 + 5 * 4);  // four frames, 4 px gaps and border
  const auto m = meta(out / "step_01");
  EXPECT_EQ(m["interpolation"]["path"], "linear");
  EXPECT_EQ(m["interpolation"]["spacing"], "linear");
  EXPECT_NEAR(m["interpolation"]["t"].get<double>(), 1.0 / 3.0, 1e-12);
  EXPECT_EQ(m["interpolation"]["a"]["folder"], a.string());
  EXPECT_EQ(m["interpolation"]["a"]["latent_sha256"], meta(a)["latent_sha256"]);
  EXPECT_EQ(m["interpolation"]["b"]["latent_sha256"], meta(b)["latent_sha256"]);
  EXPECT_EQ(m["prompt"], "a man in a red jacket");
}

TEST(InterpolateCli, EvenStepsLieOnTheLineAtTheirRecordedT) {
  tera::test::TempDir dir("interp");
  const auto a = make_avatar(dir, "a", "a man in a red jacket", 1);
  const auto b = make_avatar(dir, "b", "a woman in a blue dress", 2);
  const auto out = dir / "path";
  const auto r =
      interpolate(quoted(a) + " " + quoted(b) + " --steps 5 --views 0 --json --out " + quoted(out));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"spacing\": \"even\""), std::string::npos) << r.output;
  const auto la = latent(a), lb = latent(b);
  EXPECT_EQ(latent(out / "step_00"), la);
  EXPECT_EQ(latent(out / "step_04"), lb);
  double previous = 0.0;
  for (const char* step : {"step_01", "step_02", "step_03"}) {
    const auto m = meta(out / step);
    EXPECT_EQ(m["interpolation"]["spacing"], "even");
    const double t = m["interpolation"]["t"].get<double>();
    // On the grid of 16 points per step (64 intervals), strictly inside and increasing.
    EXPECT_GT(t, previous) << step;
    EXPECT_LT(t, 1.0) << step;
    EXPECT_NEAR(t * 64, std::round(t * 64), 1e-9) << step;
    previous = t;
    const auto z = latent(out / step);
    for (std::size_t k = 0; k < la.size(); ++k)
      EXPECT_NEAR(z[k], (1.0 - t) * la[k] + t * lb[k], 1e-6) << step << " " << k;  // as above
  }
  // The same command writes the same steps (the spacing decodes deterministically).
  const auto again = dir / "again";
  ASSERT_EQ(interpolate(quoted(a) + " " + quoted(b) + " --steps 5 --views 0 --out " + quoted(again))
                .exit_code,
            0);
  for (const char* step : {"step_01", "step_02", "step_03"})
    EXPECT_EQ(latent(again / step), latent(out / step)) << step;
}

TEST(InterpolateCli, PromptEndsAreTheAvatarsGenerateMakes) {
  tera::test::TempDir dir("interp");
  const auto a = make_avatar(dir, "a", "a man in a red jacket", 1);
  const auto out = dir / "path";
  const auto r = interpolate(
      "'a man in a red jacket' 'a woman in a blue dress' --seed-a 1 --seed-b 2 --sampler-steps 3 "
      "--steps 2 --views 0 --out " +
      quoted(out));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(latent(out / "step_00"), latent(a));
  EXPECT_EQ(latent(out / "step_01"), latent(make_avatar(dir, "b", "a woman in a blue dress", 2)));
  EXPECT_FALSE(fs::exists(out / "interpolation_strip.png"));  // --views 0: no renders
  EXPECT_EQ(meta(out / "step_01")["interpolation"]["b"]["seed"], 2);
}

TEST(InterpolateCli, AttributeBlendsTowardTheTextEdit) {
  tera::test::TempDir dir("interp");
  const auto a = make_avatar(dir, "a", "a man in a red jacket", 1);
  const auto edited = dir / "edited";
  ASSERT_EQ(run_tera("edit " + quoted(a) + " --model " + quoted(test_package()) +
                     " --prompt 'a green shirt' --seed 4 --steps 3 --views 0 --out " +
                     quoted(edited) + kFast)
                .exit_code,
            0);
  const auto out = dir / "blend";
  const auto r = interpolate(quoted(a) +
                             " --attribute 'a green shirt' --amount 0.5 --steps 2 --seed 4 "
                             "--sampler-steps 3 --views 0 --out " +
                             quoted(out));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto la = latent(a), le = latent(edited), half = latent(out / "step_01");
  EXPECT_EQ(latent(out / "step_00"), la);
  for (std::size_t k = 0; k < la.size(); ++k)
    EXPECT_NEAR(half[k], 0.5 * (la[k] + le[k]), 1e-6) << k;  // float rounding, as above
  const auto m = meta(out / "step_01");
  EXPECT_EQ(m["interpolation"]["attribute"], "a green shirt");
  EXPECT_EQ(m["interpolation"]["b"]["latent_sha256"], meta(edited)["latent_sha256"]);
}

TEST(InterpolateCli, UsageErrorsNameTheOption) {
  tera::test::TempDir dir("interp");
  const auto a = make_avatar(dir, "a", "a man", 1);
  auto r = interpolate(quoted(a) + " 'a woman' --attribute 'a hat' --out " + quoted(dir / "o"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("give the other end B, or --attribute TEXT, not both"), std::string::npos)
      << r.output;
  r = interpolate(quoted(a) + " " + quoted(a) + " --amount 0.5 --out " + quoted(dir / "o"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--amount: only with --attribute"), std::string::npos) << r.output;
  r = interpolate(quoted(a) + " " + quoted(a) + " --spacing spherical --out " + quoted(dir / "o"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--spacing: expected even or linear, got 'spherical'"), std::string::npos)
      << r.output;
  fs::create_directories(dir / "empty");
  r = interpolate(quoted(a) + " " + quoted(dir / "empty") + " --out " + quoted(dir / "o"));
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("avatar.json: missing"), std::string::npos) << r.output;
  // A file, or a mistyped folder that reads as a path, is not generated as a prompt.
  r = interpolate(quoted(a) + " " + quoted(a / "avatar.json") + " --out " + quoted(dir / "o"));
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("a file, not an avatar folder"), std::string::npos) << r.output;
  r = interpolate(quoted(a) + " " + quoted(dir / "no_such") + " --out " + quoted(dir / "o"));
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("no such avatar folder"), std::string::npos) << r.output;
  // Ends of two packages: no one package loads both, so the message does not advise loading B's.
  const auto other =
      tera::test::copy_package(dir, "other", [](nlohmann::json& m) { m["name"] = "other"; });
  r = run_tera("generate --model " + quoted(other) + " --prompt 'a man' --seed 2 --steps 3 " +
               "--views 0 --out " + quoted(dir / "b_other") + kFast);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = interpolate(quoted(a) + " " + quoted(dir / "b_other") + " --out " + quoted(dir / "o"));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("the two ends of an interpolation come from one package"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("load the package it was made with"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "o"));
  r = interpolate(quoted(a) + " " + quoted(a) + " --out " + quoted(dir.path()));  // holds A
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("holds " + a.string()), std::string::npos) << r.output;
  EXPECT_TRUE(fs::is_regular_file(a / "avatar.latent"));
  r = interpolate(quoted(a) + " woman --steps 2 --views 0 --out " + quoted(dir / "word"));
  EXPECT_EQ(r.exit_code, 0) << r.output;  // a one-word prompt still works, with a warning
  EXPECT_NE(r.output.find("'woman' is not a folder"), std::string::npos) << r.output;
}

}  // namespace
