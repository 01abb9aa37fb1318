// `tera convert IN OUT`: between .ply, .splat, .spz and .glb (by extension).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/common.h"
#include "tera/core/error.h"
#include "tera/io/gaussian_io.h"

namespace tera::cli {

Command add_convert_command(CLI::App& app) {
  struct Options {
    std::string in, out;
    int sh_degree = -1;
    std::string frame = "auto", in_frame = "auto";
  };
  auto options = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand(
      "convert", "Convert a Gaussian file to another format (chosen by extension)");
  sub->add_option("in", options->in, "Input .ply, .splat, .spz or .glb")->required();
  sub->add_option("out", options->out, "Output .ply, .splat, .spz or .glb")->required();
  sub->add_option("--sh-degree", options->sh_degree,
                  "SH degree to keep (0..3); default: the input's, "
                  "limited to what the output format holds (.splat holds 0)")
      ->check(CLI::Range(0, 3));
  sub->add_option("--frame", options->frame,
                  "Frame to store: auto (the output format's default: ydown for "
                  ".ply/.splat, yup for .spz/.glb), yup or ydown")
      ->capture_default_str();
  sub->add_option("--in-frame", options->in_frame,
                  "Frame the input stores: auto (its format's default), yup, ydown")
      ->capture_default_str();
  sub->footer("Example: tera convert avatar.ply avatar.glb --sh-degree 1");
  return {sub, [options] {
            ReadOptions read;
            read.frame = parse_frame(options->in_frame, "--in-frame");
            WriteOptions write;
            write.frame = parse_frame(options->frame, "--frame");
            write.sh_degree = options->sh_degree;
            refuse_folder_as_file(options->out, "output");
            format_from_path(options->out);  // reject an unknown output extension before reading
            const GaussianSet set = read_gaussians(options->in, read);
            if (set.empty()) throw InputError(options->in + ": holds no Gaussians to convert");
            write_gaussians(set, options->out, write);
            std::cout << options->out << "\n";
          }};
}

}  // namespace tera::cli
