#include <cmath>
#include <gtest/gtest.h>

#include "support/test_support.h"
#include "tera/core/atomic_file.h"
#include "tera/core/error.h"
#include "tera/core/rng.h"
#include "tera/render/image.h"
#include "tera/render/metrics.h"

namespace tera {
namespace {

Image gradient(int w, int h) {
  Image image(w, h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      float* p = image.pixel(x, y);
      p[0] = static_cast<float>(x) / (w - 1);
      p[1] = static_cast<float>(y) / (h - 1);
      p[2] = 0.5f;
      p[3] = 1.f;
    }
  }
  return image;
}

TEST(Png, RoundTripIsExactAt8Bits) {
  test::TempDir dir("png");
  const Image image = gradient(37, 21);
  write_png(dir / "a.png", image);
  const Image back = read_png(dir / "a.png");
  ASSERT_EQ(back.width, 37);
  ASSERT_EQ(back.height, 21);
  for (std::size_t i = 0; i < image.rgba.size(); ++i) {
    EXPECT_NEAR(back.rgba[i], image.rgba[i], 0.5f / 255.f + 1e-6f);  // 8-bit rounding
  }
}

// A render's colour is composited over its background already: the file shows that colour
// opaque, whatever the coverage alpha (a transparent pixel would show a viewer's own backdrop
// instead of the asked background, and edges would be blended twice).
TEST(Png, ColourIsWrittenOpaqueWhateverTheAlpha) {
  test::TempDir dir("png");
  Image image = gradient(5, 4);
  for (std::size_t i = 3; i < image.rgba.size(); i += 4) image.rgba[i] = (i % 8 == 3) ? 0.f : 0.4f;
  write_png(dir / "a.png", image);
  const Image back = read_png(dir / "a.png");
  for (std::size_t i = 0; i < image.rgba.size(); ++i) {
    const float want = i % 4 == 3 ? 1.f : image.rgba[i];
    EXPECT_NEAR(back.rgba[i], want, 0.5f / 255.f + 1e-6f) << "value " << i;
  }
}

TEST(Png, CorruptFileIsAnInputErrorNamingTheFile) {
  test::TempDir dir("png");
  write_file_atomic(dir / "bad.png", "not a png", 9);
  try {
    read_png(dir / "bad.png");
    FAIL() << "expected an InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("bad.png"), std::string::npos);
  }
}

TEST(ContactSheet, PlacesImagesInAGridWithGaps) {
  std::vector<Image> images;
  for (int i = 0; i < 5; ++i) {
    Image image(4, 3);
    for (std::size_t j = 0; j < image.rgba.size(); ++j)
      image.rgba[j] = static_cast<float>(i) / 10.f;
    images.push_back(image);
  }
  const float background[4] = {1, 1, 1, 1};
  const Image sheet = contact_sheet(images, 0, 2, background);  // 5 images -> 3 columns, 2 rows
  EXPECT_EQ(sheet.width, 3 * 4 + 4 * 2);
  EXPECT_EQ(sheet.height, 2 * 3 + 3 * 2);
  EXPECT_FLOAT_EQ(sheet.pixel(0, 0)[0], 1.f);                   // gap
  EXPECT_FLOAT_EQ(sheet.pixel(2, 2)[0], 0.f);                   // image 0
  EXPECT_FLOAT_EQ(sheet.pixel(2 + 4 + 2, 2)[0], 0.1f);          // image 1
  EXPECT_FLOAT_EQ(sheet.pixel(2 + 6 + 1, 2 + 3 + 2)[0], 0.4f);  // image 4, second row
}

TEST(Metrics, PsnrMatchesTheClosedFormAndSsimIsOneForIdenticalImages) {
  const Image a = gradient(64, 64);
  Image b = a;
  for (std::size_t i = 0; i < b.rgba.size(); i += 4) b.rgba[i + 2] += 0.1f;  // blue off by 0.1
  const ImageComparison same = compare_images(a, a);
  EXPECT_TRUE(std::isinf(same.psnr));
  EXPECT_DOUBLE_EQ(same.ssim, 1.0);
  const ImageComparison c = compare_images(a, b);
  // MSE over 3 channels = 0.01 / 3, PSNR = 10 log10(300) = 24.77 dB.
  EXPECT_NEAR(c.psnr, 10.0 * std::log10(300.0), 1e-4);
  EXPECT_NEAR(c.max_abs, 0.1, 1e-6);
  EXPECT_LT(c.ssim, 1.0);
}

TEST(Metrics, SsimDropsWithNoise) {
  const Image a = gradient(64, 64);
  Image light = a, heavy = a;
  Rng rng(3);
  for (std::size_t i = 0; i < a.rgba.size(); ++i) {
    const float n = rng.normal();
    light.rgba[i] += 0.01f * n;
    heavy.rgba[i] += 0.1f * n;
  }
  const double s_light = compare_images(a, light).ssim, s_heavy = compare_images(a, heavy).ssim;
  EXPECT_GT(s_light, s_heavy);
  EXPECT_GT(s_light, 0.5);
  EXPECT_LT(s_heavy, 0.5);
  EXPECT_THROW(compare_images(a, gradient(32, 64)), InputError);
}

}  // namespace
}  // namespace tera
