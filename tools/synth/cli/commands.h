// Subcommand registration for tera-synth: one options struct and one run function per command.
#pragma once

#include <CLI/CLI.hpp>

namespace tera::synth::cli {

void register_commands(CLI::App& app);
// Runs whichever subcommand was parsed.
void run_selected(CLI::App& app);

}  // namespace tera::synth::cli
