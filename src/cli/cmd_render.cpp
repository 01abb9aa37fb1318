// `tera render IN`: turntable renders of any 3DGS file, plus a contact sheet.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <spdlog/spdlog.h>

#include "cli/common.h"
#include "tera/core/clock.h"
#include "tera/core/error.h"
#include "tera/core/staged_folder.h"
#include "tera/io/gaussian_io.h"
#include "tera/render/camera.h"
#include "tera/render/renderer.h"
#include "tera/render/turntable.h"

namespace tera::cli {
Command add_render_command(CLI::App& app) {
  struct Options {
    std::string in, out = "renders", size = "512", framing = "full", background = "white";
    std::string device = "auto", frame = "auto";
    int views = 8, threads = 0, columns = 0;
    float elevation = 10.f, fov = 30.f;
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand(
      "render", "Render turntable views of a Gaussian file to PNG frames and a contact sheet");
  sub->add_option("in", options->in, "Any standard 3DGS .ply, or .splat, .spz, .glb")->required();
  sub->add_option("--out,-o", options->out, "Output folder (created if missing)")
      ->capture_default_str();
  sub->add_option("--turntable,--views,-n", options->views,
                  "Number of views evenly spaced around the subject")
      ->capture_default_str()
      ->check(CLI::Range(1, kMaxViews));
  sub->add_option("--size", options->size, "Image size: 512 or WxH")->capture_default_str();
  sub->add_option("--framing", options->framing,
                  "full, upper (top 55%) or head (top 15%) of the subject")
      ->capture_default_str();
  sub->add_option("--elevation", options->elevation,
                  "Camera elevation above the horizontal, degrees")
      ->capture_default_str()
      ->check(finite_number())
      ->check(CLI::Range(-89.f, 89.f));
  sub->add_option("--fov", options->fov, "Vertical field of view, degrees")
      ->capture_default_str()
      ->check(finite_number())
      ->check(CLI::Range(1.f, 170.f));
  sub->add_option("--background", options->background, kBackgroundHelp)->capture_default_str();
  sub->add_option("--threads", options->threads, "CPU render threads (0 = all cores)")
      ->envname("TERA_THREADS")
      ->capture_default_str()
      ->check(CLI::Range(0, kMaxThreads));
  sub->add_option("--device", options->device, "auto, cpu or cuda")
      ->envname("TERA_DEVICE")
      ->capture_default_str();
  sub->add_option("--frame", options->frame,
                  "Frame the file stores: auto (its format's default: ydown for "
                  ".ply/.splat, yup for .spz/.glb), yup or ydown")
      ->capture_default_str();
  sub->add_option("--sheet-columns", options->columns,
                  "Columns of the contact sheet (0 = near-square)")
      ->capture_default_str()
      ->check(CLI::Range(0, kMaxViews));  // no more columns than views
  sub->add_flag("--json", options->json, "Print a JSON summary instead of the file list");
  sub->footer(
      "Writes OUT/view_000.png ... and OUT/contact_sheet.png. Example:\n"
      "  tera render scene.ply --turntable 36 --size 1024 --framing upper --out turntable");
  return {sub, [options] {
            const auto start = std::chrono::steady_clock::now();
            const auto size = parse_size(options->size, "--size");
            RenderOptions render;
            render.background = parse_colour(options->background, "--background");
            render.threads = options->threads;
            OrbitOptions orbit;
            orbit.views = options->views;
            orbit.width = size[0];
            orbit.height = size[1];
            orbit.fov_y_degrees = options->fov;
            orbit.elevation_degrees = options->elevation;
            orbit.framing = parse_framing(options->framing, "--framing");
            ReadOptions read;
            read.frame = parse_frame(options->frame, "--frame");
            auto renderer = make_renderer(parse_device(options->device));
            StagedFolder out(options->out, {{"view_[0-9]+\\.png", "contact_sheet\\.png"}}, "--out");

            const GaussianSet set = read_gaussians(options->in, read);
            if (set.empty()) throw InputError(options->in + ": holds no Gaussians to render");
            const std::vector<Camera> cameras = orbit_cameras(set, orbit);

            Progress progress("rendering", cameras.size());
            const TurntableFiles files =
                write_turntable(*renderer, set, cameras, render, out.path(), options->columns,
                                [&](std::size_t done) { progress.advance(done); });
            out.publish();
            const double seconds = seconds_since(start);
            spdlog::info("rendered {} Gaussians, {} views of {}x{} on {} in {:.2f} s", set.size(),
                         files.views.size(), size[0], size[1], device_name(renderer->device()),
                         seconds);
            if (options->json) {
              std::string list;
              for (const auto& path : files.views)
                list += (list.empty() ? "" : ", ") + json_string(out.published(path).string());
              std::printf(
                  "{\"input\": %s, \"gaussians\": %zu, \"device\": \"%s\", \"views\": [%s], "
                  "\"contact_sheet\": %s, \"seconds\": %.3f}\n",
                  json_string(options->in).c_str(), set.size(), device_name(renderer->device()),
                  list.c_str(), json_string(out.published(files.sheet).string()).c_str(), seconds);
            } else {
              for (const auto& path : files.views)
                std::cout << out.published(path).string() << "\n";
              std::cout << out.published(files.sheet).string() << "\n";
            }
          }};
}

}  // namespace tera::cli
