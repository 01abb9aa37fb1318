// avatar.latent reader and writer; layout in include/tera/generate/latent_io.h.
#include "tera/generate/latent_io.h"

#include <cstdint>
#include <cstring>

#include "tera/core/atomic_file.h"
#include "tera/core/error.h"

namespace tera {
namespace {
constexpr char kMagic[8] = {'T', 'E', 'R', 'A', 'L', 'A', 'T', 'N'};  // identifies the file type
constexpr std::uint32_t kRank = 3;                                     // C, h, w
constexpr std::size_t kHeaderBytes = 8 + 4 + 4 + 4 * kRank;            // magic, version, rank, dims
constexpr std::uint32_t kMaxDim = 1u << 16;                            // larger is a corrupt header

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
std::uint32_t get_u32(const std::string& in, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[at + static_cast<std::size_t>(i)])) << (8 * i);
  return v;
}
}  // namespace

void write_latent(const std::filesystem::path& path, const Latent& latent) {
  const std::size_t count = static_cast<std::size_t>(latent.channels) * latent.height * latent.width;
  if (latent.values.size() != count) throw Error(path.string() + ": latent holds " + std::to_string(latent.values.size()) + " values, its shape says " + std::to_string(count));
  std::string out(kMagic, 8);
  put_u32(out, kLatentFileVersion);
  put_u32(out, kRank);
  put_u32(out, static_cast<std::uint32_t>(latent.channels));
  put_u32(out, static_cast<std::uint32_t>(latent.height));
  put_u32(out, static_cast<std::uint32_t>(latent.width));
  for (const float v : latent.values) {
    std::uint32_t bits;
    std::memcpy(&bits, &v, 4);
    put_u32(out, bits);
  }
  write_file_atomic(path, out.data(), out.size());
}

Latent read_latent(const std::filesystem::path& path) {
  const std::string in = read_file(path);
  const std::string file = path.string();
  if (in.size() < kHeaderBytes || std::memcmp(in.data(), kMagic, 8) != 0) throw InputError(at_byte(file, 0, "not a tera latent (magic 'TERALATN' expected)"));
  if (get_u32(in, 8) != kLatentFileVersion) throw InputError(at_byte(file, 8, "latent version " + std::to_string(get_u32(in, 8)) + ", expected 1"));
  if (get_u32(in, 12) != kRank) throw InputError(at_byte(file, 12, "rank " + std::to_string(get_u32(in, 12)) + ", expected 3"));
  Latent latent;
  const std::uint32_t dims[3] = {get_u32(in, 16), get_u32(in, 20), get_u32(in, 24)};
  for (int i = 0; i < 3; ++i) {
    if (dims[i] == 0 || dims[i] > kMaxDim) throw InputError(at_byte(file, 16 + 4 * static_cast<std::uint64_t>(i), "dimension " + std::to_string(dims[i]) + " is out of range 1..65536"));
  }
  latent.channels = static_cast<int>(dims[0]);
  latent.height = static_cast<int>(dims[1]);
  latent.width = static_cast<int>(dims[2]);
  const std::size_t count = static_cast<std::size_t>(dims[0]) * dims[1] * dims[2];
  if (in.size() != kHeaderBytes + 4 * count) {
    throw InputError(at_byte(file, kHeaderBytes, "expected " + std::to_string(4 * count) + " bytes of float32 values, found " + std::to_string(in.size() - kHeaderBytes)));
  }
  latent.values.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint32_t bits = get_u32(in, kHeaderBytes + 4 * i);
    std::memcpy(&latent.values[i], &bits, 4);
  }
  return latent;
}

}  // namespace tera
