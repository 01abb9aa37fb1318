// tera-synth: the avatar teacher's command line. Subcommands: pack, template, human, bake,
// generate, render. Each one is a thin wrapper over the tera_synth library.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "commands.h"
#include "tera/core/error.h"

int main(int argc, char** argv) {
  CLI::App app{"tera-synth: builds dressed MakeHuman avatars and bakes them into UV Gaussian maps"};
  app.require_subcommand(1);
  tera::synth::cli::register_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    tera::synth::cli::run_selected(app);
  } catch (const tera::Error& e) {
    spdlog::error("{}", e.what());
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return static_cast<int>(tera::ExitCode::kRuntime);
  }
  return 0;
}
