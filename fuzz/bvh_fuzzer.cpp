// parse_bvh (tera animate --bvh, --pose FILE.bvh): the text parser, then every query the posing
// code makes of a parsed motion, so inconsistent results show up as sanitizer reports.
#include "support/fuzz_input.h"
#include "tera/pose/bvh.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  tera::fuzz::refuse_or_read([&] {
    const tera::BvhMotion motion = tera::parse_bvh(text, "input.bvh");
    motion.rest_positions();
    for (int frame = 0; frame < std::min(motion.frames, 2);
         ++frame) {  // two frames reach every channel layout
      for (int joint = 0; joint < static_cast<int>(motion.joints.size()); ++joint) {
        motion.local_rotation(joint, frame);
        motion.position_channels(joint, frame);
      }
    }
  });
  return 0;
}
