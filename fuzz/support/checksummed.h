// Fuzz inputs for files whose payload is guarded by a length and a CRC-32 in the header (the UV
// template, the teacher's asset pack): a random mutation almost never keeps the CRC right, so the
// fuzzer would only ever test the checksum check. The first input byte chooses: even, the rest of
// the input is the file as it is; odd, the header's length and CRC fields are set to match the
// payload first, so the fuzzer reaches the payload parser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace tera::fuzz {

struct ChecksumFields {
  std::size_t header_bytes;  // the payload starts here
  std::size_t size_offset;   // where the payload length is stored
  std::size_t size_bytes;    // 4 or 8 (little-endian)
  std::size_t crc_offset;    // where the CRC-32 of the payload is stored (little-endian uint32)
};

// The file bytes for `data` (see above).
std::string checksummed_file(const std::uint8_t* data, std::size_t size,
                             const ChecksumFields& fields);

}  // namespace tera::fuzz
