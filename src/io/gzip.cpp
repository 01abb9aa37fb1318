#include "io/gzip.h"

#include <algorithm>
#include <limits>
#include <vector>
#include <zlib.h>

#include "tera/core/error.h"

namespace tera {
namespace {

constexpr int kGzipWindowBits = 16 + MAX_WBITS;  // 16 + ...: zlib writes / expects a gzip wrapper
constexpr int kMemLevel = 9;             // zlib's maximum: a little faster, a little smaller
constexpr std::size_t kChunk = 1 << 16;  // output chunk; any size works
// zlib counts in uInt; feed it at most this much input at a time.
constexpr std::size_t kMaxFeed = std::numeric_limits<uInt>::max();

}  // namespace

std::string gzip_compress(const std::string& data, const std::string& source) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, kMemLevel,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    throw Error(source + ": cannot start gzip compression");
  }
  std::string out;
  std::vector<unsigned char> chunk(kChunk);
  std::size_t fed = 0;
  int result = Z_OK;
  while (result != Z_STREAM_END) {
    if (stream.avail_in == 0 && fed < data.size()) {
      const std::size_t feed = std::min(kMaxFeed, data.size() - fed);
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + fed));
      stream.avail_in = static_cast<uInt>(feed);
      fed += feed;
    }
    stream.next_out = chunk.data();
    stream.avail_out = static_cast<uInt>(chunk.size());
    result = deflate(&stream, fed == data.size() ? Z_FINISH : Z_NO_FLUSH);
    if (result != Z_OK && result != Z_STREAM_END && result != Z_BUF_ERROR) {
      deflateEnd(&stream);
      throw Error(source + ": gzip compression failed (zlib error " + std::to_string(result) + ")");
    }
    out.append(reinterpret_cast<const char*>(chunk.data()), chunk.size() - stream.avail_out);
  }
  deflateEnd(&stream);
  return out;
}

std::string gzip_decompress(const std::string& compressed, const std::string& source,
                            std::uint64_t max_output, bool check_whole_stream) {
  if (compressed.empty())
    throw InputError(at_byte(source, 0, "the file is empty; expected a gzip stream"));
  if (compressed.size() < 2 || static_cast<unsigned char>(compressed[0]) != 0x1f ||
      static_cast<unsigned char>(compressed[1]) != 0x8b) {
    throw InputError(at_byte(source, 0, "not a gzip stream: expected the bytes 1f 8b"));
  }
  z_stream stream{};
  if (inflateInit2(&stream, kGzipWindowBits) != Z_OK)
    throw Error(source + ": cannot start gzip decompression");
  std::string out;
  std::vector<unsigned char> chunk(kChunk);
  std::size_t fed = 0;
  int result = Z_OK;
  while (result != Z_STREAM_END) {
    if (stream.avail_in == 0 && fed < compressed.size()) {
      const std::size_t feed = std::min(kMaxFeed, compressed.size() - fed);
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data() + fed));
      stream.avail_in = static_cast<uInt>(feed);
      fed += feed;
    }
    stream.next_out = chunk.data();
    stream.avail_out = static_cast<uInt>(chunk.size());
    result = inflate(&stream, Z_NO_FLUSH);
    const std::uint64_t consumed = stream.total_in;
    if (result == Z_DATA_ERROR || result == Z_NEED_DICT || result == Z_MEM_ERROR ||
        result == Z_STREAM_ERROR) {
      const std::string message =
          stream.msg != nullptr ? stream.msg : "zlib error " + std::to_string(result);
      inflateEnd(&stream);
      throw InputError(at_byte(source, consumed, "bad gzip data: " + message));
    }
    const std::size_t produced = chunk.size() - stream.avail_out;
    if (out.size() < max_output) {
      out.append(
          reinterpret_cast<const char*>(chunk.data()),
          static_cast<std::size_t>(std::min<std::uint64_t>(produced, max_output - out.size())));
    }
    if (!check_whole_stream && out.size() >= max_output) break;
    if (result == Z_BUF_ERROR ||
        (result == Z_OK && produced == 0 && stream.avail_in == 0 && fed == compressed.size())) {
      inflateEnd(&stream);
      throw InputError(at_byte(source, compressed.size(),
                               "the gzip stream ends early (the file is truncated) after " +
                                   std::to_string(stream.total_out) + " decompressed bytes"));
    }
  }
  inflateEnd(&stream);
  return out;
}

}  // namespace tera
