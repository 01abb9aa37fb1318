// The library's batch engine and settings resolution, without the command line: what `tera
// batch` and `tera generate` share (the CLI tests drive the same code through the binary).
#include <gtest/gtest.h>

#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "model/package_fixture.h"
#include "tera/core/error.h"
#include "tera/generate/batch_runner.h"

namespace {

using tera::test::test_package;

tera::Generator cpu_generator() {
  tera::GeneratorOptions o;
  o.model_dir = test_package();
  o.device = tera::Device::kCpu;
  o.threads = 1;
  return tera::Generator(o);
}

TEST(Settings, DefaultsComeFromThePackageAndOverridesWinInLayers) {
  const tera::ModelManifest m = tera::read_manifest(test_package());
  const tera::GenerateSettings defaults = tera::GenerateSettings::resolve(m, {});
  EXPECT_EQ(defaults.steps, m.default_steps);
  EXPECT_STREQ(tera::sampler_name(defaults.sampler), m.default_sampler.c_str());
  EXPECT_FLOAT_EQ(tera::resolve_guidance(m, {}), m.default_guidance);

  tera::SettingOverrides run;
  run.steps = 3;
  run.guidance = 2.f;
  run.min_opacity = 0.25f;
  tera::SettingOverrides item;
  item.sampler = "ddim";
  item.guidance = 5.f;
  const tera::SettingOverrides merged =
      item.over(run);  // the item's own fields win, the run's fill in
  const tera::GenerateSettings s = tera::GenerateSettings::resolve(m, merged);
  EXPECT_EQ(s.steps, 3);
  EXPECT_EQ(s.sampler, tera::SamplerKind::kDdim);
  EXPECT_FLOAT_EQ(s.assembly.min_opacity, 0.25f);
  EXPECT_FLOAT_EQ(tera::resolve_guidance(m, merged), 5.f);
}

TEST(Settings, BadValuesNameTheParameterNotAFlag) {
  const tera::ModelManifest m = tera::read_manifest(test_package());
  tera::SettingOverrides bad_steps;
  bad_steps.steps = m.schedule.num_train_steps + 1;
  try {
    tera::GenerateSettings::resolve(m, bad_steps);
    FAIL() << "steps beyond the training steps resolved";
  } catch (const tera::UsageError& e) {
    EXPECT_EQ(e.parameter(), "steps");
    EXPECT_EQ(std::string(e.what()).find("--"), std::string::npos) << e.what();
  }
  tera::SettingOverrides bad_sampler;
  bad_sampler.sampler = "euler";
  try {
    tera::GenerateSettings::resolve(m, bad_sampler);
    FAIL() << "an unknown sampler resolved";
  } catch (const tera::UsageError& e) {
    EXPECT_EQ(e.parameter(), "sampler");
    EXPECT_EQ(e.detail(), "expected ddim or dpm++2m, got 'euler'");
  }
}

TEST(BatchRunner, RunsItsShardIsolatesFailuresReportsAndResumes) {
  tera::test::TempDir dir("batch_runner");
  std::ofstream(dir / "p.jsonl", std::ios::binary)
      << "{\"prompt\": \"a woman in a blue coat\", \"seed\": 3, \"name\": \"coat\"}\n"  // index 0:
                                                                                        // shard 0
      << "{\"prompt\": \"a man\", \"name\": \"other_shard\"}\n"  // index 1: shard 1
      << "{\"prompt\": \"a child\", \"steps\": 100000, \"name\": \"too_many_steps\"}\n"  // index 2:
                                                                                         // shard 0,
                                                                                         // fails
      << "{\"prompt\": \"missing brace\"\n"  // index 3: shard 1
      << "{\"prompt\": \"an old man\", \"sampler\": \"ddim\", \"name\": \"old\"}\n";  // index 4:
                                                                                      // shard 0
  const std::vector<tera::BatchItem> items = tera::read_prompt_file(dir / "p.jsonl");
  ASSERT_EQ(items.size(), 5u);
  tera::Generator generator = cpu_generator();
  tera::BatchOptions options;
  options.out = dir / "out";
  options.source = "p.jsonl";
  options.shard = tera::Shard{0, 2};
  options.batch_size = 2;
  options.overrides.steps = 2;
  options.output.views = 0;
  options.output.viewer = false;
  // Staging folders a killed run left (process 99999 has ended): this shard's item's is removed
  // when the item is written, another shard's item's is left alone.
  std::filesystem::create_directories(options.out / ".coat.partial-99999");
  std::filesystem::create_directories(options.out / ".other_shard.partial-99999");
  std::vector<std::size_t> progress;
  const tera::BatchReport report =
      tera::run_batch(generator, items, options, nullptr,
                      [&](std::size_t done, std::size_t) { progress.push_back(done); });
  EXPECT_EQ(report.items, 3u);
  EXPECT_EQ(report.done, 2u);
  EXPECT_EQ(report.failed, 1u);
  EXPECT_EQ(report.file, options.out / "batch_report-shard-0-of-2.json");
  EXPECT_EQ(tera::read_file(report.file), report.json);
  EXPECT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), 2u);  // the failed item never reached the sampler
  const auto json = nlohmann::json::parse(report.json);
  ASSERT_EQ(json["failures"].size(), 1u);
  EXPECT_EQ(json["failures"][0]["name"], "too_many_steps");
  EXPECT_NE(json["failures"][0]["error"].get<std::string>().find("steps: expected 1.."),
            std::string::npos)
      << json.dump();
  EXPECT_TRUE(std::filesystem::is_regular_file(options.out / "coat" / "avatar.json"));
  EXPECT_EQ(nlohmann::json::parse(tera::read_file(options.out / "old" / "avatar.json"))["sampler"],
            "ddim");
  EXPECT_EQ(nlohmann::json::parse(tera::read_file(options.out / "coat" / "avatar.json"))["seed"],
            3);
  EXPECT_FALSE(std::filesystem::exists(options.out / ".coat.partial-99999"));
  EXPECT_TRUE(std::filesystem::exists(options.out / ".other_shard.partial-99999"));
  EXPECT_FALSE(std::filesystem::exists(options.out / "other_shard"));

  options.resume = true;  // finished folders are skipped, the failed item is tried again
  // A run killed while rewriting a finished item left its staging folder: removed though the
  // item is skipped (only a run writing the item used to remove it).
  std::filesystem::create_directories(options.out / ".coat.partial-99999");
  const tera::BatchReport again = tera::run_batch(generator, items, options, nullptr);
  EXPECT_FALSE(std::filesystem::exists(options.out / ".coat.partial-99999"));
  EXPECT_EQ(again.skipped, 2u);
  EXPECT_EQ(again.failed, 1u);
  EXPECT_EQ(again.done, 0u);

  // A folder is finished only with every file this run writes: asked for .spz too, both finished
  // items are made again; "old" lost its avatar.ply, and is made again on the next resume.
  options.output.formats = {tera::GaussianFormat::kPly, tera::GaussianFormat::kSpz};
  const tera::BatchReport more_formats = tera::run_batch(generator, items, options, nullptr);
  EXPECT_EQ(more_formats.done, 2u);
  EXPECT_TRUE(std::filesystem::is_regular_file(options.out / "coat" / "avatar.spz"));
  std::filesystem::remove(options.out / "old" / "avatar.ply");
  const tera::BatchReport repaired = tera::run_batch(generator, items, options, nullptr);
  EXPECT_EQ(repaired.skipped, 1u);
  EXPECT_EQ(repaired.done, 1u);
  EXPECT_TRUE(std::filesystem::is_regular_file(options.out / "old" / "avatar.ply"));
}

// An item's folder is replaced whole, so one holding the user's files, or a file where the folder
// goes, fails that item alone, and nothing of the user's is deleted. Derived seeds never wrap, and
// a JSONL guidance is held to the command line's range.
TEST(BatchRunner, ItemsNeverDeleteTheUsersFilesNorWrapTheirSeeds) {
  tera::test::TempDir dir("batch_runner");
  std::ofstream(dir / "p.jsonl", std::ios::binary)
      << "{\"prompt\": \"a man\", \"name\": \"notes\"}\n"
      << "{\"prompt\": \"a man\", \"name\": \"plain\"}\n"
      << "{\"prompt\": \"a man\", \"name\": \"wraps\"}\n"
      << "{\"prompt\": \"a man\", \"name\": \"loud\", \"seed\": 1, \"guidance\": 1e5}\n";
  const std::vector<tera::BatchItem> items = tera::read_prompt_file(dir / "p.jsonl");
  tera::Generator generator = cpu_generator();
  tera::BatchOptions options;
  options.out = dir / "out";
  options.source = "p.jsonl";
  options.base_seed = std::numeric_limits<std::uint64_t>::max() - 1;  // item 2 would be 2^64
  options.overrides.steps = 2;
  options.output.views = 0;
  options.output.viewer = false;
  std::filesystem::create_directories(options.out / "notes");
  std::ofstream(options.out / "notes" / "mine.txt") << "the user's";
  std::ofstream(options.out / "plain") << "a file";
  const tera::BatchReport report = tera::run_batch(generator, items, options, nullptr);
  EXPECT_EQ(report.failed, 4u);
  EXPECT_EQ(tera::read_file(options.out / "notes" / "mine.txt"), "the user's");
  EXPECT_EQ(tera::read_file(options.out / "plain"), "a file");
  const auto json = nlohmann::json::parse(report.json);
  std::map<std::string, std::string> errors;
  for (const auto& failure : json["failures"]) errors[failure["name"]] = failure["error"];
  EXPECT_NE(errors["notes"].find("holds 'mine.txt'"), std::string::npos) << errors["notes"];
  EXPECT_NE(errors["plain"].find("exists and is not a folder"), std::string::npos)
      << errors["plain"];
  EXPECT_NE(errors["wraps"].find("passes 18446744073709551615"), std::string::npos)
      << errors["wraps"];
  EXPECT_NE(errors["loud"].find("guidance: expected 0..100"), std::string::npos) << errors["loud"];
}

}  // namespace
