// `tera compare A B`: PSNR and SSIM between two images or two folders of renders, for regression
// tests; exits 6 when any image is below the thresholds or missing on one side.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <set>

#include "cli/common.h"
#include "tera/core/error.h"
#include "tera/core/file_text.h"
#include "tera/render/metrics.h"

namespace tera::cli {
namespace fs = std::filesystem;
namespace {

std::set<std::string> png_names(const fs::path& folder) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file() && lower_extension(entry.path()) == ".png")
      names.insert(entry.path().filename().string());
  }
  return names;
}

std::string ssim_text(double ssim) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", ssim);
  return buffer;
}

std::string psnr_text(double psnr) {
  if (std::isinf(psnr)) return "inf";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", psnr);
  return buffer;
}

struct CompareOptions {
  std::string a, b, diff = "compare-diff";
  double min_psnr = 0.0, min_ssim = -1.0;
  float gain = 4.f;
  bool json = false;
};

// Compares A and B as the options ask, writes the difference images and prints the figures.
void compare(const CompareOptions& o) {
  const fs::path a(o.a), b(o.b);
  for (const fs::path& p : {a, b}) {
    if (!fs::exists(p)) throw InputError(p.string() + ": no such file or folder");
  }
  std::vector<std::string> names;
  std::vector<std::pair<std::string, fs::path>> missing;  // an image and the folder that lacks it
  const bool folders = fs::is_directory(a);
  if (folders != fs::is_directory(b))
    throw UsageError("compare: give two images or two folders, not one of each");
  if (folders) {
    const auto in_a = png_names(a), in_b = png_names(b);
    for (const auto& name : in_a) {
      if (in_b.count(name)) {
        names.push_back(name);
      } else {
        missing.emplace_back(name, b);
      }
    }
    for (const auto& name : in_b) {
      if (!in_a.count(name)) missing.emplace_back(name, a);
    }
    if (names.empty() && missing.empty()) throw InputError(a.string() + ": holds no .png images");
  } else {
    names.push_back("");
  }
  // Before anything is written: the difference images never go where an input image lies, nor
  // into whatever folder the shell stands in.
  if (o.diff.empty()) throw UsageError("--diff: expected a folder, got ''");
  for (const fs::path& input : {a, b}) {
    const fs::path folder = folders ? input : input.has_parent_path() ? input.parent_path() : ".";
    std::error_code error;
    if (fs::equivalent(o.diff, folder, error)) {
      throw UsageError("--diff " + o.diff + " is " + (folders ? "" : "the folder of ") +
                       input.string() +
                       ", which this command compares; its images would be "
                       "replaced (choose another folder)");
    }
  }
  int failures = static_cast<int>(missing.size());
  std::string json_items;
  for (const auto& name : names) {
    const fs::path pa = name.empty() ? a : a / name, pb = name.empty() ? b : b / name;
    const Image ia = read_png(pa), ib = read_png(pb);
    const std::string label = name.empty() ? pa.string() : name;
    if (ia.width != ib.width || ia.height != ib.height) {  // a regression, not a bad file
      const std::string sizes = std::to_string(ia.width) + "x" + std::to_string(ia.height) +
                                " against " + std::to_string(ib.width) + "x" +
                                std::to_string(ib.height);
      ++failures;
      if (o.json) {
        json_items +=
            std::string(json_items.empty() ? "" : ", ") + "{\"name\": " + json_string(label) +
            ", \"psnr\": null, \"ssim\": null, \"ok\": false, \"sizes\": " + json_string(sizes) +
            "}";
      } else {
        std::printf("%-32s sizes differ: %s\n", label.c_str(), sizes.c_str());
      }
      continue;
    }
    const ImageComparison c = compare_images(ia, ib);
    const bool ok = c.psnr >= o.min_psnr && c.ssim >= o.min_ssim;
    failures += ok ? 0 : 1;
    const fs::path diff_path = fs::path(o.diff) / (name.empty() ? a.filename().string() : name);
    write_png(diff_path, difference_image(ia, ib, o.gain));
    if (o.json) {
      json_items +=
          std::string(json_items.empty() ? "" : ", ") + "{\"name\": " + json_string(label) +
          ", \"psnr\": " + (std::isinf(c.psnr) ? "null" : psnr_text(c.psnr)) +
          ", \"ssim\": " + std::to_string(c.ssim) + ", \"ok\": " + (ok ? "true" : "false") +
          ", \"diff\": " + json_string(diff_path.string()) + "}";
    } else {
      std::printf("%-32s PSNR %7s dB  SSIM %.5f  %s\n", label.c_str(), psnr_text(c.psnr).c_str(),
                  c.ssim, ok ? "ok" : "BELOW THRESHOLD");
    }
  }
  for (const auto& [name, lacking] : missing) {
    if (!o.json) std::printf("%-32s missing in %s\n", name.c_str(), lacking.string().c_str());
  }
  if (o.json) {
    std::string missing_json;
    for (const auto& [name, lacking] : missing)
      missing_json += (missing_json.empty() ? "" : ", ") + json_string(name);
    std::printf("{\"images\": [%s], \"missing\": [%s], \"failures\": %d}\n", json_items.c_str(),
                missing_json.c_str(), failures);
  }
  if (failures > 0) {
    throw Error(std::to_string(failures) + " of " + std::to_string(names.size() + missing.size()) +
                    " image(s) below the thresholds (--min-psnr " + psnr_text(o.min_psnr) +
                    ", --min-ssim " + ssim_text(o.min_ssim) + "), of another size, or missing",
                ExitCode::kBelowThreshold);
  }
}

}  // namespace

Command add_compare_command(CLI::App& app) {
  auto options = std::make_shared<CompareOptions>();
  CLI::App* sub = app.add_subcommand(
      "compare", "Compare two images, or two folders of PNG renders (by file name)");
  sub->add_option("a", options->a, "Image or folder (e.g. the new renders)")->required();
  sub->add_option("b", options->b, "Image or folder (e.g. the golden renders)")->required();
  sub->add_option("--min-psnr", options->min_psnr,
                  "Fail (exit 6) when any image's PSNR in dB is below this (inf: identical)")
      ->capture_default_str()
      ->check(number_not_nan())
      ->check(CLI::Range(0.0, std::numeric_limits<double>::infinity()));  // PSNR is never below 0
  sub->add_option("--min-ssim", options->min_ssim,
                  "Fail (exit 6) when any image's SSIM is below this")
      ->capture_default_str()
      ->check(finite_number())
      ->check(CLI::Range(-1.f, 1.f));  // SSIM's own range
  sub->add_option("--diff", options->diff, "Folder for the difference images (|A-B| x gain)")
      ->capture_default_str();
  sub->add_option("--gain", options->gain, "Brightening factor of the difference images")
      ->capture_default_str()
      ->check(finite_number())
      ->check(CLI::Range(1e-3f, 1e3f));  // beyond, every difference shows black, or white
  sub->add_flag("--json", options->json, "Print one JSON object instead of text");
  sub->footer(
      "PSNR and SSIM are computed over RGB (renders are already composited on their background).\n"
      "Example: tera compare renders/ golden/ --min-psnr 40");
  return {sub, [options] { compare(*options); }};
}

}  // namespace tera::cli
