// `tera info FILE`: what a Gaussian file holds.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <vector>

#include "cli/common.h"
#include "tera/io/gaussian_io.h"

namespace tera::cli {
namespace {

double median(std::vector<float> values) {
  if (values.empty()) return 0.0;
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

std::string vec3(const std::array<float, 3>& v) {
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%.6g, %.6g, %.6g", v[0], v[1], v[2]);
  return buffer;
}

}  // namespace

Command add_info_command(CLI::App& app) {
  struct Options {
    std::string file;
    std::string frame = "auto";
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand(
      "info", "Print what a Gaussian file holds: format, count, SH degree, bounds");
  sub->add_option("file", options->file, "A .ply, .splat, .spz or .glb file")->required();
  sub->add_option("--frame", options->frame,
                  "Frame the file stores: auto (the format's default), yup, ydown")
      ->capture_default_str();
  sub->add_flag("--json", options->json, "Print one JSON object instead of text");
  sub->footer(
      "Bounds are given in tera's frame (metres, +Y up), after converting from the file's frame.\n"
      "Examples:\n  tera info avatar/avatar.ply\n  tera info scan.splat --frame yup --json");
  return {
      sub, [options] {
        ReadOptions read;
        read.frame = parse_frame(options->frame, "--frame");
        const GaussianFormat format = format_from_path(options->file);
        const GaussianSet set = read_gaussians(options->file, read);
        const Bounds bounds = set.bounds();
        std::vector<float> alpha(set.size()), sigma(set.size());
        double alpha_sum = 0.0;
        for (std::size_t i = 0; i < set.size(); ++i) {
          alpha[i] = 1.f / (1.f + std::exp(-set.opacity_logits[i]));
          alpha_sum += alpha[i];
          const float* s = &set.log_scales[i * 3];
          sigma[i] = std::exp(std::max({s[0], s[1], s[2]}));
        }
        const double mean_alpha = set.empty() ? 0.0 : alpha_sum / static_cast<double>(set.size());
        const auto bytes = std::filesystem::file_size(options->file);
        if (options->json) {
          std::printf(
              "{\"file\": %s, \"format\": \"%s\", \"bytes\": %ju, \"count\": %zu, \"sh_degree\": "
              "%d, "
              "\"bounds\": {\"min\": [%s], \"max\": [%s]}, \"mean_alpha\": %.6g, "
              "\"median_max_sigma\": %.6g}\n",
              json_string(options->file).c_str(), format_name(format),
              static_cast<std::uintmax_t>(bytes), set.size(), set.sh_degree,
              vec3(bounds.min).c_str(), vec3(bounds.max).c_str(), mean_alpha, median(sigma));
          return;
        }
        std::printf("file:       %s\nformat:     %s (%ju bytes)\nGaussians:  %zu\nSH degree:  %d\n",
                    options->file.c_str(), format_name(format), static_cast<std::uintmax_t>(bytes),
                    set.size(), set.sh_degree);
        std::printf("bounds min: %s\nbounds max: %s\nextent:     %s\n", vec3(bounds.min).c_str(),
                    vec3(bounds.max).c_str(), vec3(bounds.extent()).c_str());
        std::printf("mean alpha: %.4f\nmedian largest sigma: %.4g\n", mean_alpha, median(sigma));
      }};
}

}  // namespace tera::cli
