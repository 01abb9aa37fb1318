// `tera view FILE --out page.html`: a self-contained web viewer page for any 3DGS file.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/common.h"
#include "tera/core/error.h"
#include "tera/io/gaussian_io.h"
#include "tera/view/viewer_page.h"

namespace tera::cli {

Command add_view_command(CLI::App& app) {
  struct Options {
    std::string in, out, frame = "auto", framing = "full", background = "white", prompt;
  };
  auto options = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand(
      "view", "Write a self-contained web page that shows a Gaussian file in the browser");
  sub->add_option("in", options->in, "Any standard 3DGS .ply, or .splat, .spz, .glb")->required();
  sub->add_option("--out,-o", options->out,
                  "The page to write (default: IN with the extension .html)");
  sub->add_option("--frame", options->frame,
                  "Frame the file stores: auto (its format's default: ydown for "
                  ".ply/.splat, yup for .spz/.glb), yup or ydown")
      ->capture_default_str();
  sub->add_option("--framing", options->framing,
                  "Starting view: full, upper (top 55%) or head (top 15%)")
      ->capture_default_str();
  sub->add_option("--background", options->background, kBackgroundHelp)->capture_default_str();
  sub->add_option("--prompt", options->prompt,
                  "Text shown above the view (default: the file's name)");
  sub->footer(
      "The page embeds the Gaussians (colour without view dependence) and needs no network; open "
      "it\n"
      "from disk. It starts at the camera of 'tera render' view 0. Example:\n"
      "  tera view avatar.spz --out avatar.html");
  return {sub, [options] {
            ReadOptions read;
            read.frame = parse_frame(options->frame, "--frame");
            const std::filesystem::path in(options->in);
            const std::filesystem::path out =
                options->out.empty() ? std::filesystem::path(in).replace_extension(".html")
                                     : std::filesystem::path(options->out);
            ViewerPageOptions page;
            page.title = in.filename().string();
            page.prompt = options->prompt;
            page.ply_name = in.stem().string() + ".ply";
            page.background = parse_colour(options->background, "--background");
            page.orbit.framing = parse_framing(options->framing, "--framing");
            refuse_folder_as_file(out, "--out");
            refuse_overwriting_input(out, in, "--out");
            const GaussianSet set = read_gaussians(in, read);
            if (set.empty()) throw InputError(options->in + ": holds no Gaussians to show");
            write_viewer_page(out, set, page);
            if (!logging_quiet()) std::cout << out.string() << "\n";
          }};
}

}  // namespace tera::cli
