// A test helper for tests/io/python_readers_test.py: writes a known GaussianSet with tera's
// writers, or reads a file with tera's reader, and prints the set as JSON, so that an independent
// Python reader's values can be compared with what tera wrote and with what tera reads.
//   tera_io_dump write N DEGREE SEED FILE...  writes test::random_gaussians(N, DEGREE, SEED) to
//   every
//                                             FILE (format by extension, the format's default
//                                             frame) and prints the in-memory set (y-up)
//   tera_io_dump read FILE [FRAME]            prints what read_gaussians finds in FILE; FRAME is
//                                             auto (default), yup or ydown; yup reads the values
//                                             exactly as stored, whatever the format's frame
// Floats are printed with enough digits to read back the same float32.
#include <cstdio>
#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "support/test_support.h"
#include "tera/core/frame.h"
#include "tera/io/gaussian_io.h"

namespace {

nlohmann::json to_json(const tera::GaussianSet& set) {
  return {{"count", set.size()},
          {"sh_degree", set.sh_degree},
          {"positions", set.positions},
          {"log_scales", set.log_scales},
          {"rotations", set.rotations},
          {"opacity_logits", set.opacity_logits},
          {"sh", set.sh}};
}

int usage() {
  std::fprintf(stderr,
               "usage: tera_io_dump write N DEGREE SEED FILE...\n"
               "       tera_io_dump read FILE [auto|yup|ydown]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "write" && argc >= 6) {
      const tera::GaussianSet set = tera::test::random_gaussians(
          std::stoul(argv[2]), std::stoi(argv[3]), static_cast<unsigned>(std::stoul(argv[4])));
      for (int i = 5; i < argc; ++i) tera::write_gaussians(set, argv[i]);
      std::cout << to_json(set).dump() << "\n";
      return 0;
    }
    if (mode == "read" && (argc == 3 || argc == 4)) {
      tera::ReadOptions options;
      options.frame = tera::parse_frame(argc == 4 ? argv[3] : "auto", "FRAME");
      std::cout << to_json(tera::read_gaussians(argv[2], options)).dump() << "\n";
      return 0;
    }
    return usage();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "tera_io_dump: %s\n", error.what());
    return 1;
  }
}
