#include <csignal>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

#include "support/test_support.h"
#include "tera/core/atomic_file.h"
#include "tera/core/error.h"
#include "tera/core/interrupt_cleanup.h"

namespace tera {
namespace {

std::size_t files_in(const std::filesystem::path& dir) {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++count;
  return count;
}

// A process interrupted mid-write (Ctrl-C, kill) ends by the signal as before, and with the
// handler installed leaves no temporary file; without it the file stays (what the handler is for).
void write_until_interrupted(const std::filesystem::path& path, bool handler) {
  if (handler) install_interrupt_cleanup();
  AtomicFile file(path);
  file.write("half of a file");
  std::raise(SIGTERM);
}

TEST(AtomicFileDeathTest, AnInterruptRemovesTheTemporaryFile) {
  GTEST_FLAG_SET(death_test_style, "fast");  // the child writes into this test's folder
  test::TempDir dir("atomic");
  EXPECT_EXIT(write_until_interrupted(dir / "out.bin", false), ::testing::KilledBySignal(SIGTERM),
              "");
  EXPECT_EQ(files_in(dir.path()), 1u) << "without the handler the temporary file stays";
  std::filesystem::remove_all(dir.path());
  std::filesystem::create_directories(dir.path());
  EXPECT_EXIT(write_until_interrupted(dir / "out.bin", true), ::testing::KilledBySignal(SIGTERM),
              "");
  EXPECT_EQ(files_in(dir.path()), 0u) << "the handler removed it, and no file appeared";
}

TEST(AtomicFile, CommitPutsTheWholeFileInPlace) {
  test::TempDir dir("atomic");
  const auto path = dir / "out.bin";
  {
    AtomicFile file(path);
    file.write("hello ");
    EXPECT_FALSE(std::filesystem::exists(path)) << "the target must not appear before commit";
    file.write("world");
    file.commit();
  }
  EXPECT_EQ(read_file(path), "hello world");
  EXPECT_EQ(files_in(dir.path()), 1u) << "no temporary file may remain";
}

TEST(AtomicFile, AbandonedWriteLeavesTheOldFileAndNoTemporary) {
  test::TempDir dir("atomic");
  const auto path = dir / "out.bin";
  write_file_atomic(path, "old", 3);
  try {
    AtomicFile file(path);
    file.write("new and half");
    throw Error("simulated failure while writing");
  } catch (const Error&) {
  }
  EXPECT_EQ(read_file(path), "old");
  EXPECT_EQ(files_in(dir.path()), 1u);
}

// A SIGKILL between writing and renaming leaves a temporary file no handler removes: the next
// writer of the same path removes those of ended processes, and only those.
TEST(AtomicFile, TemporaryFilesOfEndedRunsAreRemovedAndOthersKept) {
  test::TempDir dir("atomic_stale");
  const auto touch = [&](const std::string& name) { std::ofstream(dir / name) << "x"; };
  const std::string ended = "r.json.tmp-2147483646-1a2b";  // beyond any pid_max: never running
  const std::string mine = "r.json.tmp-" + std::to_string(::getpid()) + "-3c4d";
  for (const std::string& name :
       {ended, mine, std::string("r.json.tmp-notes"), std::string("other.json.tmp-2147483646-5e")})
    touch(name);
  remove_temp_files_of_ended_runs(dir / "r.json");
  EXPECT_FALSE(std::filesystem::exists(dir / ended));
  EXPECT_TRUE(std::filesystem::exists(dir / mine)) << "a running writer's";
  EXPECT_TRUE(std::filesystem::exists(dir / "r.json.tmp-notes")) << "not a temporary name";
  EXPECT_TRUE(std::filesystem::exists(dir / "other.json.tmp-2147483646-5e")) << "another path's";
  remove_temp_files_of_ended_runs(dir / "r.json", true);  // the sole writer of r.json
  EXPECT_FALSE(std::filesystem::exists(dir / mine)) << "a pid another process now has";
  EXPECT_TRUE(std::filesystem::exists(dir / "r.json.tmp-notes"));
}

TEST(AtomicFile, CreatesMissingParentFolders) {
  test::TempDir dir("atomic");
  const auto path = dir / "a" / "b" / "out.bin";
  write_file_atomic(path, "x", 1);
  EXPECT_EQ(read_file(path), "x");
}

TEST(AtomicFile, ErrorsNameThePath) {
  try {
    AtomicFile file("/proc/nonexistent-folder-tera/x.ply");  // a folder that cannot be created
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("/proc/nonexistent-folder-tera/x.ply"),
              std::string::npos);
  }
  EXPECT_THROW(read_file("/nonexistent-folder-tera/x.ply"), InputError);
}

}  // namespace
}  // namespace tera
