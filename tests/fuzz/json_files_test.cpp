// JSON inputs that broke readers (fuzz/manifest_fuzzer.cpp, avatar_folder_fuzzer.cpp,
// prompt_file_fuzzer.cpp, pose_library_fuzzer.cpp). All four: a number beyond double's range
// (1e309) makes nlohmann::json::parse throw out_of_range, not parse_error; the readers caught only
// parse_error, so the exception escaped as a crash with no file named.
#include "fuzz/regression_util.h"
#include "tera/generate/avatar_folder.h"
#include "tera/generate/batch_items.h"
#include "tera/model/manifest.h"
#include "tera/pose/pose_library.h"

namespace tera {
namespace {

TEST(FuzzRegression, ManifestWithNumberOverflowIsRefused) {
  test::TempDir dir("fuzz_manifest");
  test::spit(dir / "manifest.json", R"({"format_version": -1e309})");
  test::expect_refused<ModelError>([&] { read_manifest(dir.path()); },
                                   {"manifest.json", "not valid JSON", "number overflow"});
}

TEST(FuzzRegression, AvatarJsonWithNumberOverflowIsRefused) {
  test::TempDir dir("fuzz_avatar");
  test::spit(dir / "avatar.json", R"({"min_opacity": 1e309})");
  ModelManifest manifest;
  manifest.latent_shape = {4, 8};
  test::expect_refused<InputError>([&] { read_avatar_folder(dir.path(), manifest); },
                                   {"avatar.json", "not valid JSON", "number overflow"});
}

TEST(FuzzRegression, PoseLibraryWithNumberOverflowIsRefused) {
  test::TempDir dir("fuzz_poses");
  test::spit(
      dir / "poses.json",
      R"({"format": "tera-poses", "version": 1, "poses": [{"root_translation": [-1e309, 0, 0]}]})");
  test::expect_refused<InputError>([&] { read_pose_library(dir / "poses.json"); },
                                   {"poses.json", "not valid JSON", "number overflow"});
}

// In a prompt file the bad line fails alone; the others stay.
TEST(FuzzRegression, JsonlPromptWithNumberOverflowFailsItsLineOnly) {
  test::TempDir dir("fuzz_prompts");
  test::spit(dir / "prompts.jsonl",
             "{\"prompt\": \"a\", \"guidance\": -1e309}\n{\"prompt\": \"b\"}\n");
  const std::vector<BatchItem> items = read_prompt_file(dir / "prompts.jsonl");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_NE(items[0].error.find("number overflow"), std::string::npos) << items[0].error;
  EXPECT_EQ(items[1].error, "");
}

}  // namespace
}  // namespace tera

namespace tera {
namespace {

// avatar.json holding a number, not an object: j.value("model", ...) threw nlohmann's type_error.
TEST(FuzzRegression, AvatarJsonThatIsNotAnObjectIsRefused) {
  test::TempDir dir("fuzz_avatar");
  test::spit(dir / "avatar.json", "7");
  ModelManifest manifest;
  manifest.latent_shape = {4, 8};
  test::expect_refused<InputError>([&] { read_avatar_folder(dir.path(), manifest); },
                                   {"avatar.json", "expected a JSON object"});
}

}  // namespace
}  // namespace tera
