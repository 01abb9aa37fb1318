#include "tera/render/image.h"

#include <algorithm>
#include <cmath>
#include <stb_image.h>
#include <stb_image_write.h>

#include "tera/core/atomic_file.h"
#include "tera/core/error.h"

namespace tera {
namespace {

void append_bytes(void* context, void* data, int size) {
  auto* out = static_cast<std::string*>(context);
  out->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

}  // namespace

void write_png(const std::filesystem::path& path, const Image& image) {
  if (image.width <= 0 || image.height <= 0) {
    throw Error("cannot write " + path.string() + ": the image is empty");
  }
  const std::size_t pixels = image.rgba.size() / 4;
  std::vector<unsigned char> bytes(pixels * 3);
  for (std::size_t i = 0; i < pixels; ++i) {
    for (std::size_t c = 0; c < 3; ++c) {
      const float value = std::clamp(image.rgba[i * 4 + c], 0.f, 1.f);
      bytes[i * 3 + c] = static_cast<unsigned char>(std::lround(value * 255.f));
    }
  }
  std::string encoded;
  if (stbi_write_png_to_func(append_bytes, &encoded, image.width, image.height, 3, bytes.data(),
                             image.width * 3) == 0) {
    throw Error("cannot encode PNG for " + path.string());
  }
  write_file_atomic(path, encoded.data(), encoded.size());
}

Image read_png(const std::filesystem::path& path) {
  const std::string data = read_file(path);
  int width = 0, height = 0, channels = 0;
  unsigned char* pixels =
      stbi_load_from_memory(reinterpret_cast<const unsigned char*>(data.data()),
                            static_cast<int>(data.size()), &width, &height, &channels, 4);
  if (pixels == nullptr) {
    throw InputError(path.string() + ": not a readable PNG image (" + stbi_failure_reason() + ")");
  }
  Image image(width, height);
  for (std::size_t i = 0; i < image.rgba.size(); ++i) image.rgba[i] = pixels[i] / 255.f;
  stbi_image_free(pixels);
  return image;
}

Image contact_sheet(const std::vector<Image>& images, int columns, int gap,
                    const float background[4]) {
  if (images.empty()) throw Error("contact sheet of no images");
  const int w = images[0].width, h = images[0].height;
  for (const Image& image : images) {
    if (image.width != w || image.height != h)
      throw Error("contact sheet of images of different sizes");
  }
  const int count = static_cast<int>(images.size());
  if (columns <= 0) columns = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(count))));
  columns = std::min(columns, count);
  const int rows = (count + columns - 1) / columns;
  Image sheet(columns * w + (columns + 1) * gap, rows * h + (rows + 1) * gap);
  for (std::size_t i = 0; i < sheet.rgba.size(); ++i) sheet.rgba[i] = background[i % 4];
  for (int index = 0; index < count; ++index) {
    const int x0 = gap + (index % columns) * (w + gap);
    const int y0 = gap + (index / columns) * (h + gap);
    for (int y = 0; y < h; ++y) {
      std::copy_n(images[index].pixel(0, y), w * 4, sheet.pixel(x0, y0 + y));
    }
  }
  return sheet;
}

}  // namespace tera
