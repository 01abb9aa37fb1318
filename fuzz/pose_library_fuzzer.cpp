// read_pose_library (data/poses/*.json, or $TERA_POSES).
#include "support/fuzz_input.h"
#include "tera/pose/pose_library.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path =
      tera::fuzz::write_input("poses.json", {reinterpret_cast<const char*>(data), size});
  tera::fuzz::refuse_or_read([&] {
    const tera::PoseLibrary library = tera::read_pose_library(path);
    library.names();
  });
  return 0;
}
