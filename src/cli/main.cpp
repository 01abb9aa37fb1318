// `tera`: the command-line front end of libtera. Thin: parses options, calls the library, and maps
// exceptions to the documented exit codes (docs/cli.md) in one place.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <spdlog/spdlog.h>
#include <vector>

#include "cli/common.h"
#include "tera/core/error.h"
#include "tera/core/interrupt_cleanup.h"
#include "tera/version.h"

int main(int argc, char** argv) {
  // A file-size limit (ulimit -f) would otherwise kill the process mid-write and leave a temporary
  // file behind; ignored, the write fails with EFBIG, which the writers report like a full disk.
  std::signal(SIGXFSZ, SIG_IGN);
  tera::install_interrupt_cleanup();  // Ctrl-C leaves no temporary file of a write behind
  CLI::App app{
      "tera: text-to-3D-avatar generation with Gaussian splats, and tools for splat files.\n"
      "Run 'tera <command> --help' for the options of a command."};
  app.set_version_flag("--version",
                       std::string("tera ") + TERA_VERSION + " (" + TERA_GIT_REVISION + ")");
  int verbosity = 0;
  bool quiet = false;
  std::string log_file;
  app.add_flag("-v,--verbose", verbosity, "More diagnostics on stderr (-v info, -vv debug)");
  app.add_flag("-q,--quiet", quiet, "Only errors on stderr; no progress bars");
  app.add_option("--log-file", log_file, "Also write every diagnostic (debug level) to this file");
  app.require_subcommand(1);
  app.fallthrough();  // global options (-v, -q, --log-file) may follow the subcommand
  app.footer(
      "Exit codes: 0 ok, 1 runtime error, 2 usage, 3 model package, 4 input file, "
      "5 batch finished with failures, 6 compare below its threshold.");

  const std::vector<tera::cli::Command> commands = {
      tera::cli::add_render_command(app),   tera::cli::add_compare_command(app),
      tera::cli::add_view_command(app),     tera::cli::add_info_command(app),
      tera::cli::add_convert_command(app),  tera::cli::add_scene_command(app),
      tera::cli::add_generate_command(app), tera::cli::add_batch_command(app),
      tera::cli::add_edit_command(app),     tera::cli::add_interpolate_command(app),
      tera::cli::add_animate_command(app),  tera::cli::add_poses_command(app)};

  tera::cli::decimal_integers_only(app);
  if (const std::string complaint = tera::cli::thread_variable_complaint(); !complaint.empty()) {
    std::cerr << "tera: error: " << complaint << "\n";
    return static_cast<int>(tera::ExitCode::kUsage);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help or --version
    // Usage errors read as every other error does ("tera: error: ..."), exit code 2.
    std::string message = error.what();
    const std::vector<std::string> left = app.remaining();  // what no command or option took
    if (app.get_subcommands().empty() && !left.empty() && left.front()[0] != '-') {
      message = "unknown command '" + left.front() + "'; the commands are";
      for (const CLI::App* sub : app.get_subcommands({})) message += " " + sub->get_name();
    }
    std::cerr << "tera: error: " << message
              << "\nRun 'tera --help', or 'tera COMMAND --help' for a command's options.\n";
    return static_cast<int>(tera::ExitCode::kUsage);
  }
  const tera::cli::Command* running = nullptr;
  try {
    tera::cli::configure_logging(verbosity, quiet, log_file);
    for (const auto& command : commands) {
      if (!command.parser->parsed()) continue;
      running = &command;
      command.run();
    }
  } catch (const tera::Error& error) {
    std::map<std::string, std::string> flags;
    if (running) flags = running->flags;
    if (tera::cli::device_from_environment(argc, argv)) flags["device"] = "TERA_DEVICE";
    spdlog::error("{}", tera::cli::error_message(error, flags));
    return static_cast<int>(error.code());
  } catch (const std::exception& error) {
    spdlog::error("{}", tera::cli::error_message(error, {}));
    return static_cast<int>(tera::ExitCode::kRuntime);
  }
  return static_cast<int>(tera::ExitCode::kOk);
}
