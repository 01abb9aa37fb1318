// BVH inputs that broke the reader (fuzz/bvh_fuzzer.cpp).
#include "tera/pose/bvh.h"
#include "fuzz/regression_util.h"

namespace tera {
namespace {

// A 100-joint hierarchy declaring 10^7 frames but holding one: the reader reserved room for every
// declared value (600 channels x 10^7 frames x 4 bytes = 24 GB) before reading any.
TEST(FuzzRegression, BvhDeclaringMoreFramesThanItHoldsAllocatesLittle) {
  std::string text =
      "HIERARCHY\nROOT j0\n{\nOFFSET 0 0 0\nCHANNELS 6 Xposition Yposition Zposition Xrotation "
      "Yrotation Zrotation\n";
  for (int j = 1; j < 100; ++j)
    text += "JOINT j" + std::to_string(j) +
            "\n{\nOFFSET 0 1 0\nCHANNELS 6 Xposition Yposition Zposition Xrotation Yrotation "
            "Zrotation\n";
  text += "End Site\n{\nOFFSET 0 1 0\n}\n";
  for (int j = 0; j < 100; ++j) text += "}\n";
  text += "MOTION\nFrames: 10000000\nFrame Time: 0.04\n";
  for (int c = 0; c < 600; ++c) text += "0 ";
  text += "\n";
  test::expect_refused<InputError>([&] { parse_bvh(text, "long.bvh"); },
                                   {"long.bvh", "frame 2 of 10000000 holds 0 values"});
}

}  // namespace
}  // namespace tera
