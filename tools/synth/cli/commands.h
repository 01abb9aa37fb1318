// Subcommand registration for tera-synth: one options struct and one run function per command.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <string>

namespace tera::synth::cli {

void register_commands(CLI::App& app);
// bake, render and generate (avatar_commands.cpp).
void register_avatar_commands(CLI::App& app, std::map<std::string, std::function<void()>>& actions);
// Runs whichever subcommand was parsed.
void run_selected(CLI::App& app);

}  // namespace tera::synth::cli
