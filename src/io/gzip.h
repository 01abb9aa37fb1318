// gzip compression of whole byte strings through zlib.
#pragma once

#include <cstdint>
#include <string>

namespace tera {

// Compresses `data` into one gzip stream (gzip header and CRC trailer).
std::string gzip_compress(const std::string& data, const std::string& source);

// Decompresses one gzip stream. Keeps at most `max_output` bytes so a hostile file cannot exhaust
// memory; with `check_whole_stream` the rest is still inflated (and discarded) to verify the
// stream to its CRC, otherwise decompression stops at the limit. Throws InputError naming the
// offset in `compressed` where the stream is broken or ends early.
std::string gzip_decompress(const std::string& compressed, const std::string& source,
                            std::uint64_t max_output, bool check_whole_stream = true);

}  // namespace tera
