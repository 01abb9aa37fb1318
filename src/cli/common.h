// Helpers shared by the subcommands of the `tera` front end.
#pragma once

#include <array>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

namespace CLI {
class App;
class Validator;
}  // namespace CLI

namespace tera::cli {

// "512" or "640x480" -> {width, height}; throws UsageError naming `option`.
std::array<int, 2> parse_size(const std::string& text, const std::string& option);
// "white", "black", "grey", "#rrggbb" or "r,g,b" (0..1) -> RGB; throws UsageError naming `option`.
std::array<float, 3> parse_colour(const std::string& text, const std::string& option);
// --background's help, the same for every command that renders.
constexpr const char* kBackgroundHelp = "white, black, grey, #rrggbb or r,g,b (each 0..1)";
// The most CPU threads --threads (and TERA_THREADS) may ask for: more is a typo, not a machine.
constexpr int kMaxThreads = 1024;
// "" when TERA_THREADS is unset or a thread count (0..kMaxThreads), else the complaint naming it.
// CLI11 reads the variable for every command's --threads, used or not, and would blame --threads.
std::string thread_variable_complaint();

// A CLI11 check that the value is a finite number: CLI::Range lets "nan" through (every comparison
// with NaN is false), and a NaN guidance or threshold would silently mean something else.
const CLI::Validator& finite_number();
// A CLI11 check that a seed given on the command line is digits only, 0 to 2^64 - 1: an empty
// --seed "" (a script's unset variable) must not silently mean "a random seed".
const CLI::Validator& seed_text();
// Makes every whole-number option of `app`'s commands read decimal digits only: CLI11 alone reads
// "0x10" as 16, "010" as 8 and " 2" as 2. Leading zeros are decimal ("010" is 10, as a seed's).
void decimal_integers_only(CLI::App& app);
// The same, but letting infinity through: `compare --min-psnr inf` asks for identical images.
const CLI::Validator& number_not_nan();
// Throws UsageError when the output file `out` (the value of `option`) is empty or an existing
// folder, before any work: the final rename would fail only after it.
void refuse_folder_as_file(const std::filesystem::path& out, const std::string& option);
// Throws UsageError when writing `out` (the value of `option`) would replace `input`, a file the
// command reads: `tera view a.ply --out a.ply`.
void refuse_overwriting_input(const std::filesystem::path& out, const std::filesystem::path& input,
                              const std::string& option);
// Throws UsageError when the output folder `out`, replaced as a whole, is `input` or holds it
// (`tera edit runs/variation_00 --out runs`), or lies inside the input folder, whose own files a
// folder of another command's would then be mixed into (`tera edit av --out av/blue`).
void refuse_replacing_input(const std::filesystem::path& out, const std::filesystem::path& input,
                            const std::string& option);
// Escapes a string for JSON output.
std::string json_string(const std::string& text);
// True when stderr is a terminal (progress bars are drawn only then).
bool stderr_is_terminal();

// Progress with ETA on stderr, unless quiet: a one-line bar on a terminal; elsewhere (a cluster
// job's log) a plain line each time another tenth of the work is done, so a log shows at most ten.
class Progress {
 public:
  Progress(std::string label, std::size_t total);
  ~Progress();
  void advance(std::size_t done);

 private:
  std::string label_;
  std::size_t total_;
  bool enabled_;   // anything is shown: not quiet, more than one unit of work
  bool terminal_;  // a redrawn bar; otherwise log lines
  std::size_t tenths_logged_ = 0;
  std::chrono::steady_clock::time_point start_;
};

// Sets up spdlog: stderr at warn (quiet: error; -v: info; -vv: debug), plus a log file at debug.
void configure_logging(int verbosity, bool quiet, const std::string& log_file);
bool logging_quiet();

// A registered subcommand: its parser and the work to run once parsing succeeded (may throw).
struct Command {
  CLI::App* parser = nullptr;
  std::function<void()> run;
  // The option that sets each library parameter a UsageError may name, where this command's
  // differs from the shared table of error_message (interpolate's sampler steps are
  // --sampler-steps).
  std::map<std::string, std::string> flags = {};
};

// Whether the device comes from TERA_DEVICE: set, and no --device on the command line (CLI11 reads
// the variable into --device, so the option alone cannot tell), so an error names the variable.
bool device_from_environment(int argc, char** argv);

// An error's message for the command line: a UsageError about a library parameter ("steps",
// "device", "part" ...) names the option that sets it, from `flags` or else the shared table, and
// a path into an output folder's staging folder is named as published (as_published).
std::string error_message(const std::exception& error,
                          const std::map<std::string, std::string>& flags);

// Registration of the subcommands; each adds its options to `app`.
Command add_render_command(CLI::App& app);
Command add_compare_command(CLI::App& app);
Command add_info_command(CLI::App& app);
Command add_convert_command(CLI::App& app);
Command add_scene_command(CLI::App& app);
Command add_generate_command(CLI::App& app);
Command add_batch_command(CLI::App& app);
Command add_view_command(CLI::App& app);
Command add_animate_command(CLI::App& app);
Command add_poses_command(CLI::App& app);
Command add_edit_command(CLI::App& app);
Command add_interpolate_command(CLI::App& app);

}  // namespace tera::cli
