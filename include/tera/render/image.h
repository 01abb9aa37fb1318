// RGBA float images and PNG input/output.
#pragma once

#include <filesystem>
#include <vector>

namespace tera {

// Row-major, top row first, straight (non-premultiplied) RGBA in [0, 1] unless stated otherwise.
struct Image {
  int width = 0;
  int height = 0;
  std::vector<float> rgba;  // [height, width, 4]

  Image() = default;
  Image(int w, int h) : width(w), height(h), rgba(static_cast<std::size_t>(w) * h * 4, 0.f) {}
  float* pixel(int x, int y) { return &rgba[(static_cast<std::size_t>(y) * width + x) * 4]; }
  const float* pixel(int x, int y) const {
    return &rgba[(static_cast<std::size_t>(y) * width + x) * 4];
  }
};

// Writes an 8-bit RGB PNG (values clamped to [0, 1], rounded) atomically. Alpha is not stored:
// every image tera writes is composited over its background already (a render's alpha is its
// coverage), so the colour is the picture, and a viewer must not blend it over its own backdrop.
void write_png(const std::filesystem::path& path, const Image& image);
// Reads a PNG (any channel count; grey and RGB get alpha 1); throws InputError naming the file.
Image read_png(const std::filesystem::path& path);

constexpr int kSheetGap = 4;  // pixels between the frames of a contact sheet or strip

// Tiles images (all the same size) into a grid with `columns` columns (0 = near-square),
// separated by `gap` pixels of `background` colour.
Image contact_sheet(const std::vector<Image>& images, int columns, int gap,
                    const float background[4]);

}  // namespace tera
