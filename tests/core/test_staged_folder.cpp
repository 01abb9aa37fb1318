// Output folders written as a whole: replaced only when complete, never over the user's files.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "support/test_support.h"
#include "tera/core/atomic_file.h"
#include "tera/core/error.h"
#include "tera/core/staged_folder.h"

namespace tera {
namespace {

namespace fs = std::filesystem;
const std::vector<std::string> kOurs = {"view_[0-9]+\\.png", "sheet\\.png"};

std::set<std::string> entries(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

TEST(StagedFolder, PublishReplacesTheOldRunsFilesWithTheNewOnesOnly) {
  test::TempDir dir("staged");
  const fs::path out = dir / "out";
  fs::create_directories(out);
  for (const char* old : {"view_000.png", "view_001.png", "view_002.png", "sheet.png"})
    std::ofstream(out / old) << "old";
  {
    StagedFolder staged(out, kOurs, "--out");
    EXPECT_EQ(entries(out).size(), 4u) << "nothing changes before publish";
    std::ofstream(staged.path() / "view_000.png") << "new";
    EXPECT_EQ(staged.published(staged.path() / "view_000.png"), out / "view_000.png");
    EXPECT_EQ(staged.published(staged.path()), out);
    staged.publish();
  }
  EXPECT_EQ(entries(out), (std::set<std::string>{"view_000.png"}));
  EXPECT_EQ(read_file(out / "view_000.png"), "new");
  EXPECT_EQ(entries(dir.path()), (std::set<std::string>{"out"})) << "no staging folder left";
}

TEST(StagedFolder, AnUnpublishedRunLeavesTheFolderAsItWas) {
  test::TempDir dir("staged");
  const fs::path out = dir / "out";
  fs::create_directories(out);
  std::ofstream(out / "sheet.png") << "old";
  {
    StagedFolder staged(out, kOurs, "--out");
    std::ofstream(staged.path() / "sheet.png") << "half";
  }  // a failure: no publish
  EXPECT_EQ(read_file(out / "sheet.png"), "old");
  EXPECT_EQ(entries(dir.path()), (std::set<std::string>{"out"}));
  { StagedFolder fresh(dir / "new", kOurs, "--out"); }
  EXPECT_FALSE(fs::exists(dir / "new")) << "a folder that did not exist is not made";
}

TEST(StagedFolder, RefusesAFolderWithTheUsersFilesAndAFileInItsPlace) {
  test::TempDir dir("staged");
  fs::create_directories(dir / "mine");
  std::ofstream(dir / "mine" / "notes.txt") << "keep me";
  try {
    StagedFolder staged(dir / "mine", kOurs, "--out");
    ADD_FAILURE() << "a folder holding notes.txt was accepted";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("--out"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("notes.txt"), std::string::npos) << error.what();
  }
  EXPECT_EQ(read_file(dir / "mine" / "notes.txt"), "keep me");
  std::ofstream(dir / "file") << "x";
  EXPECT_THROW(StagedFolder(dir / "file", kOurs, "--out"), UsageError);
  EXPECT_THROW(StagedFolder("/proc/no/such", kOurs, "--out"), Error);  // cannot be made
  for (const fs::path& here : {fs::path(""), fs::path("."), fs::path(".."), fs::path("/")})
    EXPECT_THROW(StagedFolder(here, kOurs, "--out"), UsageError) << here;
}

TEST(StagedFolder, AnOutputFolderThatIsALinkStaysALinkAndItsTargetIsReplaced) {
  test::TempDir dir("staged");
  fs::create_directories(dir / "disk" / "target");
  std::ofstream(dir / "disk" / "target" / "view_007.png") << "old";
  fs::create_directory_symlink(dir / "disk" / "target", dir / "link");
  {
    StagedFolder staged(dir / "link", kOurs, "--out");
    std::ofstream(staged.path() / "view_000.png") << "new";
    staged.publish();
  }
  EXPECT_TRUE(fs::is_symlink(dir / "link"));
  EXPECT_EQ(entries(dir / "disk" / "target"), (std::set<std::string>{"view_000.png"}));
  EXPECT_EQ(entries(dir / "disk"), (std::set<std::string>{"target"})) << "no staging left";
}

TEST(StagedFolder, ARerunRemovesWhatAKilledRunOfTheSameFolderLeft) {
  test::TempDir dir("staged");
  fs::create_directories(dir / ".out.partial-99999");    // a killed run's
  fs::create_directories(dir / ".other.partial-99999");  // another folder's: left alone
  {
    StagedFolder staged(dir / "out", kOurs, "--out");
    staged.publish();
  }
  EXPECT_EQ(entries(dir.path()), (std::set<std::string>{"out", ".other.partial-99999"}));
}

}  // namespace
}  // namespace tera
