// avatar.latent reader and writer; layout in include/tera/generate/latent_io.h.
#include "tera/generate/latent_io.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "tera/core/atomic_file.h"
#include "tera/core/byte_order.h"
#include "tera/core/error.h"
#include "tera/model/manifest.h"
#include "tera/model/sha256.h"

namespace tera {
namespace {
constexpr char kMagic[8] = {'T', 'E', 'R', 'A', 'L', 'A', 'T', 'N'};  // identifies the file type
constexpr std::size_t kFixedHeaderBytes = 8 + 4 + 4;  // magic, version, rank; dims follow
constexpr std::uint32_t kMaxDim = 1u << 16;           // larger is a corrupt header

// The largest file a latent of a model package can be: its header at the highest rank and
// kMaxLatentSize float32 values (model/manifest.h). A larger file is refused before it is read.
constexpr std::uintmax_t kMaxFileBytes =
    kFixedHeaderBytes + 4 * kMaxLatentFileRank + 4 * static_cast<std::uintmax_t>(kMaxLatentSize);

std::uint32_t get_u32(const std::string& in, std::size_t at) {
  return load_le<std::uint32_t>(reinterpret_cast<const unsigned char*>(in.data()) + at);
}

// Refuses what is not a regular file of a latent's size before any byte is read: a FIFO or a
// device would block or never end, a file of gigabytes would be read whole first.
void check_latent_file(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  const fs::file_type type = input_file_type(path);
  if (type == fs::file_type::not_found) throw InputError(path.string() + ": missing");
  if (type != fs::file_type::regular) throw InputError(path.string() + ": not a regular file");
  std::error_code error;
  const std::uintmax_t size = fs::file_size(path, error);
  if (error) throw InputError(path.string() + ": " + error.message());
  if (size == 0) throw InputError(path.string() + ": empty (0 bytes)");
  if (size > kMaxFileBytes) {
    throw InputError(path.string() + ": " + std::to_string(size) +
                     " bytes, more than any model package's latent (at most " +
                     std::to_string(kMaxFileBytes) + ")");
  }
}
}  // namespace

std::string shape_text(const std::vector<int>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string latent_file_bytes(const Latent& latent, const std::filesystem::path& path) {
  if (latent.shape.empty() || latent.shape.size() > kMaxLatentFileRank) {
    throw Error(path.string() + ": latent rank " + std::to_string(latent.shape.size()) +
                ", expected 1.." + std::to_string(kMaxLatentFileRank));
  }
  std::size_t count = 1;
  for (const int d : latent.shape) {
    if (d < 1 || static_cast<std::uint32_t>(d) > kMaxDim)
      throw Error(path.string() + ": latent shape " + shape_text(latent.shape) +
                  " has a dimension outside 1..65536");
    count *= static_cast<std::size_t>(d);
  }
  if (latent.values.size() != count)
    throw Error(path.string() + ": latent holds " + std::to_string(latent.values.size()) +
                " values, its shape says " + std::to_string(count));
  std::string out(kMagic, 8);
  append_le(out, static_cast<std::uint32_t>(kLatentFileVersion));
  append_le(out, static_cast<std::uint32_t>(latent.shape.size()));
  for (const int d : latent.shape) append_le(out, static_cast<std::uint32_t>(d));
  append_le(out, latent.values.data(), latent.values.size());
  return out;
}

std::string latent_sha256(const Latent& latent) {
  const std::string bytes = latent_file_bytes(latent, "avatar.latent");
  return sha256_hex(bytes.data(), bytes.size());
}

void write_latent(const std::filesystem::path& path, const Latent& latent) {
  const std::string out = latent_file_bytes(latent, path);
  write_file_atomic(path, out.data(), out.size());
}

Latent read_latent(const std::filesystem::path& path) {
  check_latent_file(path);
  const std::string in = read_file(path);
  const std::string file = path.string();
  if (in.size() < 8 || std::memcmp(in.data(), kMagic, 8) != 0)
    throw InputError(at_byte(file, 0, "not a tera latent (magic 'TERALATN' expected)"));
  if (in.size() < kFixedHeaderBytes) {
    throw InputError(at_byte(file, in.size(),
                             "the header is cut short: " + std::to_string(in.size()) + " of its " +
                                 std::to_string(kFixedHeaderBytes) + " fixed bytes"));
  }
  if (get_u32(in, 8) != kLatentFileVersion)
    throw InputError(
        at_byte(file, 8, "latent version " + std::to_string(get_u32(in, 8)) + ", expected 1"));
  const std::uint32_t rank = get_u32(in, 12);
  if (rank == 0 || rank > kMaxLatentFileRank)
    throw InputError(at_byte(
        file, 12,
        "rank " + std::to_string(rank) + ", expected 1.." + std::to_string(kMaxLatentFileRank)));
  const std::size_t header = kFixedHeaderBytes + 4 * static_cast<std::size_t>(rank);
  if (in.size() < header)
    throw InputError(at_byte(file, kFixedHeaderBytes,
                             "the file ends inside the " + std::to_string(rank) + " dimensions"));
  Latent latent;
  const std::size_t available = (in.size() - header) / 4;  // float32 values the file holds
  std::size_t count = 1;
  bool too_many = false;  // stop multiplying once past `available`: 65536^4 would overflow
  for (std::uint32_t i = 0; i < rank; ++i) {
    const std::size_t at = kFixedHeaderBytes + 4 * static_cast<std::size_t>(i);
    const std::uint32_t d = get_u32(in, at);
    if (d == 0 || d > kMaxDim)
      throw InputError(
          at_byte(file, at, "dimension " + std::to_string(d) + " is out of range 1..65536"));
    latent.shape.push_back(static_cast<int>(d));
    if (!too_many) {
      count *= d;
      too_many = count > available;
    }
  }
  if (too_many || count != available || (in.size() - header) % 4 != 0) {
    throw InputError(
        at_byte(file, header,
                "shape " + shape_text(latent.shape) + " needs " +
                    (too_many ? "more float32 values than the file holds"
                              : std::to_string(4 * count) + " bytes of float32 values") +
                    ", found " + std::to_string(in.size() - header) + " bytes"));
  }
  latent.values.resize(count);
  load_le(latent.values.data(), reinterpret_cast<const unsigned char*>(in.data()) + header, count);
  for (std::size_t i = 0; i < count; ++i) {
    if (!std::isfinite(latent.values[i])) {  // a sampler never writes one: a damaged file
      throw InputError(
          at_byte(file, header + 4 * i, "value " + std::to_string(i) + " is not a finite number"));
    }
  }
  return latent;
}

Latent read_latent(const std::filesystem::path& path, const std::vector<int>& expected,
                   const std::string& model) {
  Latent latent = read_latent(path);
  if (latent.shape != expected) {
    throw InputError(path.string() + ": latent shape " + shape_text(latent.shape) +
                     " does not match model '" + model + "' (latent.shape " + shape_text(expected) +
                     "): it was made with another model package");
  }
  return latent;
}

}  // namespace tera
