// The teacher's files (tools/synth): dataset shards and the asset pack.
#include "fuzz/regression_util.h"

#ifdef TERA_HAVE_SYNTH
#include "asset_pack.h"
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

// Found: a pack of 31 bytes, one short of its header, whose payload-size field is 2^64 - 1. The
// file's size less the header wrapped around to the same value, the size check passed, and the
// checksum read far past the file (SEGV). A file shorter than the header is refused first.
TEST(FuzzRegression, AssetPackShorterThanItsHeaderIsRefused) {
  test::TempDir dir("fuzz_pack");
  const std::string pack = std::string("TERAPACK") + test::le(1, 4) + test::le(0, 4) +
                           test::le(~0ull, 8) + std::string("M\x02\x00t\x00\x07\x00", 7);
  ASSERT_EQ(pack.size(), 31u);
  test::spit(dir / "assets.pack", pack);
  test::expect_refused<InputError>([&] { synth::read_pack((dir / "assets.pack").string()); },
                                   {"assets.pack", "ends inside the 32-byte header", "31 bytes"});
}

}  // namespace
}  // namespace tera
#endif
