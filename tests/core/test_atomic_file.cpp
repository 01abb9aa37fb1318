#include <filesystem>
#include <gtest/gtest.h>

#include "support/test_support.h"
#include "tera/core/atomic_file.h"
#include "tera/core/error.h"

namespace tera {
namespace {

std::size_t files_in(const std::filesystem::path& dir) {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++count;
  return count;
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
