// SHA-256 against the FIPS 180-4 example vectors (NIST CSRC "SHA256.pdf" and the long-message
// vectors): exact digests, so any error in the implementation shows.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "support/test_support.h"
#include "tera/core/error.h"
#include "tera/model/sha256.h"

namespace {

TEST(Sha256, EmptyMessage) {
  EXPECT_EQ(tera::sha256_hex("", 0),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, OneBlockAbc) {
  EXPECT_EQ(tera::sha256_hex("abc", 3),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, TwoBlock448BitMessage) {
  const std::string m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  EXPECT_EQ(tera::sha256_hex(m.data(), m.size()),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, TwoBlock896BitMessage) {
  const std::string m =
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmno"
      "pqrsmnopqrstnopqrstu";
  EXPECT_EQ(tera::sha256_hex(m.data(), m.size()),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256, MillionAsFedInUnevenPieces) {
  // Pieces of 1..97 bytes cross the 64-byte block boundary at every offset.
  tera::Sha256 hash;
  const std::string chunk(97, 'a');
  std::size_t left = 1000000, piece = 1;
  while (left > 0) {
    const std::size_t n = std::min(left, piece);
    hash.update(chunk.data(), n);
    left -= n;
    piece = piece % 97 + 1;
  }
  const auto d = hash.digest();
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (auto b : d) hex += std::string{kDigits[b >> 4], kDigits[b & 15]};
  EXPECT_EQ(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, FileDigestMatchesMemoryDigestAndMissingFileThrows) {
  tera::test::TempDir dir("sha256");
  const std::string text(200000, 'x');  // several 64 KiB read chunks
  std::ofstream(dir / "f.bin", std::ios::binary) << text;
  EXPECT_EQ(tera::sha256_file(dir / "f.bin"), tera::sha256_hex(text.data(), text.size()));
  EXPECT_THROW(tera::sha256_file(dir / "missing.bin"), tera::InputError);
}

}  // namespace
