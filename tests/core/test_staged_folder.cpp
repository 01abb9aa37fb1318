// Output folders written as a whole: replaced only when complete, never over the user's files.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <unistd.h>

#include "support/test_support.h"
#include "tera/core/atomic_file.h"
#include "tera/core/error.h"
#include "tera/core/staged_folder.h"

namespace tera {
namespace {

namespace fs = std::filesystem;
const OutputLayout kOurs = {{"view_[0-9]+\\.png", "sheet\\.png"}, {"step_[0-9]+"}, {"a\\.txt"}};
const std::string kEnded = "3999999";  // a process id no process has (Linux's pid_max is lower)

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
  // Under a file the folder cannot be made: said before any work, as a usage error.
  try {
    StagedFolder staged(dir / "file" / "sub" / "deeper", kOurs, "--out");
    ADD_FAILURE() << "a folder under a file was accepted";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find((dir / "file").string() + " is not a folder"),
              std::string::npos)
        << error.what();
  }
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

TEST(StagedFolder, ARerunRemovesWhatAnEndedRunOfTheSameFolderLeftButNotALiveRuns) {
  test::TempDir dir("staged");
  fs::create_directories(dir / (".out.partial-" + kEnded));    // a killed run's
  fs::create_directories(dir / (".other.partial-" + kEnded));  // another folder's: left alone
  // Folder "out.partial-5"'s staging and moved-aside folders start like "out"'s: not "out"'s.
  const std::string longer = ".out.partial-5.partial-" + kEnded;
  const std::string longer_aside = ".out.partial-old-7.partial-old-" + kEnded;
  fs::create_directories(dir / longer);
  fs::create_directories(dir / longer_aside);
  // A run writing into the same folder at the same time (our parent process stands for it).
  const std::string live = ".out.partial-" + std::to_string(::getppid());
  {
    fs::create_directories(dir / live);
    StagedFolder staged(dir / "out", kOurs, "--out");
    staged.publish();
  }
  EXPECT_EQ(entries(dir.path()),
            (std::set<std::string>{"out", ".other.partial-" + kEnded, live, longer, longer_aside}));
}

TEST(StagedFolder, RefusesTheUsersFilesInsideItsSubfoldersAndFoldersWhereFilesBelong) {
  test::TempDir dir("staged");
  fs::create_directories(dir / "a" / "step_00");
  std::ofstream(dir / "a" / "step_00" / "a.txt") << "ours";
  EXPECT_NO_THROW(StagedFolder(dir / "a", kOurs, "--out"));
  std::ofstream(dir / "a" / "step_00" / "notes.txt") << "mine";
  fs::create_directories(dir / "b" / "view_007.png");  // a folder where a file belongs
  fs::create_directories(dir / "c");
  std::ofstream(dir / "c" / "step_01") << "a file where a folder belongs";
  for (const char* name : {"a", "b", "c"}) {
    EXPECT_THROW(StagedFolder(dir / name, kOurs, "--out"), UsageError) << name;
  }
  EXPECT_EQ(read_file(dir / "a" / "step_00" / "notes.txt"), "mine");
}

TEST(StagedFolder, PutsBackAFolderAKilledPublishMovedAsideAndRefusesALinkToNothing) {
  test::TempDir dir("staged");
  fs::create_directories(dir / (".out.partial-old-" + kEnded));
  std::ofstream(dir / (".out.partial-old-" + kEnded) / "sheet.png") << "last complete";
  fs::create_directories(dir / (".out.partial-" + kEnded));  // the new one, unfinished
  { StagedFolder staged(dir / "out", kOurs, "--out"); }
  EXPECT_EQ(read_file(dir / "out" / "sheet.png"), "last complete");
  EXPECT_EQ(entries(dir.path()), (std::set<std::string>{"out"}));
  fs::create_directory_symlink(dir / "nothing", dir / "dangling");
  EXPECT_THROW(StagedFolder(dir / "dangling", kOurs, "--out"), UsageError);
  const std::string long_name(250, 'n');  // a legal name; its staging folder must be one too
  {
    StagedFolder staged(dir / long_name, kOurs, "--out");
    staged.publish();
  }
  EXPECT_TRUE(fs::is_directory(dir / long_name));
}

TEST(StagedFolder, MessagesNameTheFilesAsTheyWillBePublished) {
  EXPECT_EQ(as_published("cannot write /x/.out.partial-123/avatar.ply: File too large"),
            "cannot write /x/out/avatar.ply: File too large");
  EXPECT_EQ(as_published("cannot rename: [/a/.b.partial-old-9] [/a/b]"),
            "cannot rename: [/a/b] [/a/b]");
  EXPECT_EQ(as_published("/x/.partial-item-12/a.ply and a.partial-3"),
            "/x/.partial-item-12/a.ply and a.partial-3")
      << "batch's item folders and other names are left as they are";
}

}  // namespace
}  // namespace tera
