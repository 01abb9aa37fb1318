// A failed write leaves no file (and no temporary file) behind and never clobbers an existing file.
#include <gtest/gtest.h>

#include "io/io_test_util.h"
#include "support/test_support.h"
#include "tera/core/error.h"
#include "tera/io/gaussian_io.h"

namespace tera {
namespace {

std::size_t entries(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

TEST(WriteFailure, InvalidSetLeavesTheExistingFileIntact) {
  for (const char* file : {"a.ply", "a.splat", "a.spz", "a.glb"}) {
    SCOPED_TRACE(file);
    test::TempDir dir("writefail");
    write_gaussians(test::random_gaussians(8, 1, 4), dir / file);
    const std::string before = test::slurp(dir / file);
    GaussianSet broken = test::random_gaussians(8, 1, 5);
    broken.positions
        .pop_back();  // inconsistent arrays: the writer must refuse before touching the file
    EXPECT_THROW(write_gaussians(broken, dir / file), Error);
    EXPECT_EQ(test::slurp(dir / file), before);
    EXPECT_EQ(entries(dir.path()), 1u) << "no temporary file left";
  }
}

TEST(WriteFailure, FailedRenameRemovesTheTemporaryFile) {
  // The target is a non-empty directory: everything is written to the temporary file, then the
  // atomic rename fails. The temporary file must go, and the directory must be left alone.
  for (const char* file : {"a.ply", "a.splat", "a.spz", "a.glb"}) {
    SCOPED_TRACE(file);
    test::TempDir dir("writefail");
    std::filesystem::create_directory(dir / file);
    test::spit(dir / file / "keep.txt", "keep");
    EXPECT_THROW(write_gaussians(test::random_gaussians(8, 1, 4), dir / file), Error);
    EXPECT_EQ(entries(dir.path()), 1u) << "no temporary file left";
    EXPECT_EQ(test::slurp(dir / file / "keep.txt"), "keep");
  }
}

TEST(WriteFailure, UncreatableFolderCreatesNothing) {
  // Missing folders are created, but not through a regular file standing where a folder must go.
  test::TempDir dir("writefail");
  test::spit(dir / "plain", "not a folder");
  EXPECT_THROW(write_gaussians(test::random_gaussians(3, 0, 1), dir / "plain" / "sub" / "a.ply"),
               Error);
  EXPECT_EQ(entries(dir.path()), 1u);
  EXPECT_EQ(test::slurp(dir / "plain"), "not a folder");
}

TEST(WriteFailure, UnknownExtensionAndBadShDegreeAreUsageErrors) {
  test::TempDir dir("writefail");
  EXPECT_THROW(write_gaussians(test::random_gaussians(3, 0, 1), dir / "a.obj"), UsageError);
  WriteOptions options;
  options.sh_degree = 4;
  EXPECT_THROW(write_gaussians(test::random_gaussians(3, 0, 1), dir / "a.ply", options),
               UsageError);
  EXPECT_EQ(entries(dir.path()), 0u);
}

}  // namespace
}  // namespace tera
