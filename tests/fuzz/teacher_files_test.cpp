// The teacher's files (tools/synth): dataset shards and the asset pack.
#include "fuzz/regression_util.h"

#ifdef TERA_HAVE_SYNTH
#include "dataset.h"

namespace tera {
namespace {

// A shard header whose texel count x avatar count x 72 bytes wraps to 0 in 64 bits: 2^31 texels,
// 2^30 avatars and no maps at all. The size check multiplied and passed, and reading slot 0 asked
// for 2^31 x 36 floats.
TEST(FuzzRegression, ShardHeaderWhoseSizeOverflowsIsRefused) {
  test::TempDir dir("fuzz_shard");
  const std::string header = std::string("TERASHRD") + test::le(2, 4) + test::le(1u << 30, 4) +
                             test::le(0, 8) + test::le(1u << 31, 4) + test::le(3, 2) +
                             test::le(12, 2);
  test::spit(dir / "shard.bin", header);
  test::expect_refused<InputError>(
      [&] { synth::read_shard_avatar((dir / "shard.bin").string(), 0); },
      {"shard.bin", "at byte 32", "shard size does not match its header", "found 0"});
}

}  // namespace
}  // namespace tera
#endif
