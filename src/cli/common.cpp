#include "cli/common.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sstream>
#include <string_view>
#include <unistd.h>
#include <vector>

#include "tera/core/clock.h"
#include "tera/core/decimal.h"
#include "tera/core/error.h"
#include "tera/core/staged_folder.h"

namespace tera::cli {
namespace {
bool g_quiet = false;
}

namespace {
// "" when `text` is a decimal number (finite, or infinite where `infinity_ok`), else the complaint.
// strtod alone would also take hexadecimal ("0x4") and leading spaces.
std::string number_complaint(const std::string& text, bool infinity_ok) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  const std::size_t sign = !text.empty() && (text[0] == '+' || text[0] == '-') ? 1 : 0;
  std::string word = text.substr(sign);  // "inf" of "-inf"
  for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const bool decimal = text.find_first_not_of("+-.0123456789eE") == std::string::npos ||
                       word == "inf" || word == "infinity";
  const bool number = decimal && end != text.c_str() && *end == '\0' && !std::isnan(value);
  if (number && (infinity_ok || std::isfinite(value))) return {};
  return std::string(infinity_ok ? "expected a number" : "expected a finite number") + ", got '" +
         text + "'";
}
}  // namespace

std::string thread_variable_complaint() {
  const char* value = std::getenv("TERA_THREADS");
  if (value == nullptr) return {};
  const std::optional<std::uint64_t> threads = parse_decimal(value);
  if (threads && *threads <= static_cast<std::uint64_t>(kMaxThreads)) return {};
  return std::string("TERA_THREADS: expected a thread count from 0 to ") +
         std::to_string(kMaxThreads) + ", got '" + value + "' (fix or unset the variable)";
}

const CLI::Validator& finite_number() {
  static const CLI::Validator check([](std::string& text) { return number_complaint(text, false); },
                                    "", "FINITE");
  return check;
}

const CLI::Validator& seed_text() {
  static const CLI::Validator check(
      [](std::string& text) -> std::string {
        if (parse_decimal(text)) return {};
        return "expected an integer from 0 to 18446744073709551615, got '" + text + "'";
      },
      "", "SEED");
  return check;
}

void decimal_integers_only(CLI::App& app) {
  static const CLI::Validator digits(
      [](std::string& text) -> std::string {
        const std::size_t sign = !text.empty() && text[0] == '-' ? 1 : 0;  // no '+', as seeds
        if (text.size() == sign || text.find_first_not_of("0123456789", sign) != std::string::npos)
          return "expected a whole number in decimal digits, got '" + text + "'";
        const std::size_t first = std::min(text.find_first_not_of('0', sign), text.size() - 1);
        text = text.substr(0, sign) + text.substr(first);  // no octal: "010" is 10
        return {};
      },
      "", "DECIMAL");
  for (CLI::App* command : app.get_subcommands({})) {
    for (CLI::Option* option : command->get_options()) {
      const std::string full = option->get_type_name();  // "INT:INT in [1 - 3600]"
      const std::string type = full.substr(0, full.find(':'));
      if (option->get_expected_min() > 0 && (type == "INT" || type == "UINT"))
        option->transform(digits);
    }
  }
}

const CLI::Validator& number_not_nan() {
  static const CLI::Validator check([](std::string& text) { return number_complaint(text, true); },
                                    "", "NOT_NAN");
  return check;
}

void refuse_replacing_input(const std::filesystem::path& out, const std::filesystem::path& input,
                            const std::string& option) {
  if (lies_within(input, out)) {
    throw UsageError(option + " " + out.string() + " holds " + input.string() +
                     ", which this command reads; the folder is replaced as a whole, so choose "
                     "another");
  }
  std::error_code error;  // an input that is no folder (or is missing) holds nothing
  if (lies_within(out, input) && std::filesystem::is_directory(input, error)) {
    throw UsageError(option + " " + out.string() + " lies inside " + input.string() +
                     ", the avatar folder this command reads; choose a folder beside it");
  }
}

void refuse_folder_as_file(const std::filesystem::path& out, const std::string& option) {
  if (out.empty()) throw UsageError(option + ": an empty path; give a file's name");
  std::error_code error;
  if (std::filesystem::is_directory(out, error)) {
    throw UsageError(option + " " + out.string() + " is a folder; give a file's name");
  }
}

void refuse_overwriting_input(const std::filesystem::path& out, const std::filesystem::path& input,
                              const std::string& option) {
  std::error_code error;  // either path missing: nothing to overwrite
  if (std::filesystem::equivalent(out, input, error)) {
    throw UsageError(option + " " + out.string() + " is " + input.string() +
                     ", which this command reads; writing there would replace it (choose "
                     "another path)");
  }
}

std::array<int, 2> parse_size(const std::string& text, const std::string& option) {
  const std::string message = option + ": expected a size like 512 or 640x480, got '" + text + "'";
  const auto x = text.find('x');
  const std::optional<std::uint64_t> w = parse_decimal(text.substr(0, x));  // digits only
  const std::optional<std::uint64_t> h =
      x == std::string::npos ? w : parse_decimal(text.substr(x + 1));
  if (!w || !h) throw UsageError(message);
  constexpr std::uint64_t kMaxSide = 16384;  // larger images are a typo, not a request
  if (*w == 0 || *h == 0 || *w > kMaxSide || *h > kMaxSide)
    throw UsageError(message + " (each side 1.." + std::to_string(kMaxSide) + ")");
  return {static_cast<int>(*w), static_cast<int>(*h)};
}

std::array<float, 3> parse_colour(const std::string& text, const std::string& option) {
  if (text == "white") return {1.f, 1.f, 1.f};
  if (text == "black") return {0.f, 0.f, 0.f};
  if (text == "grey" || text == "gray") return {0.5f, 0.5f, 0.5f};
  unsigned r = 0, g = 0, b = 0;
  char extra = 0;
  if (text.size() == 7 && std::sscanf(text.c_str(), "#%2x%2x%2x%c", &r, &g, &b, &extra) == 3) {
    return {r / 255.f, g / 255.f, b / 255.f};
  }
  float c[3];
  if (std::sscanf(text.c_str(), "%f,%f,%f%c", &c[0], &c[1], &c[2], &extra) == 3 && c[0] >= 0 &&
      c[0] <= 1 && c[1] >= 0 && c[1] <= 1 && c[2] >= 0 && c[2] <= 1) {
    return {c[0], c[1], c[2]};
  }
  throw UsageError(option + ": expected white, black, grey, #rrggbb or r,g,b in 0..1, got '" +
                   text + "'");
}

std::string json_string(const std::string& text) {
  std::ostringstream out;
  out << '"';
  for (const unsigned char c : text) {
    switch (c) {
      case '"': out << "\\\""; break;
      case '\\': out << "\\\\"; break;
      case '\n': out << "\\n"; break;
      case '\t': out << "\\t"; break;
      case '\r': out << "\\r"; break;
      default:
        if (c < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
          out << buffer;
        } else {
          out << c;
        }
    }
  }
  out << '"';
  return out.str();
}

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

Progress::Progress(std::string label, std::size_t total)
    : label_(std::move(label)),
      total_(total),
      enabled_(!g_quiet && total > 1),
      terminal_(stderr_is_terminal()),
      start_(std::chrono::steady_clock::now()) {
  advance(0);
}

Progress::~Progress() {
  if (enabled_ && terminal_) std::fprintf(stderr, "\r\033[K");
}

namespace {

// Seconds as a person reads them: "42s", "7m05s", "3h12m".
std::string duration_text(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char text[32];
  if (s < 60)
    std::snprintf(text, sizeof text, "%lds", s);
  else if (s < 3600)
    std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, s % 3600 / 60);
  return text;
}

}  // namespace

void Progress::advance(std::size_t done) {
  if (!enabled_) return;
  const double fraction =
      total_ == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total_);
  const double elapsed = seconds_since(start_);
  const std::string eta = done > 0 ? duration_text(elapsed / fraction - elapsed) : "--";
  if (!terminal_) {
    const std::size_t tenths = total_ == 0 ? 10 : done * 10 / total_;
    if (tenths <= tenths_logged_) return;
    tenths_logged_ = tenths;
    std::fprintf(stderr, "%s: %zu/%zu done (%d %%) in %s, ETA %s\n", label_.c_str(), done, total_,
                 static_cast<int>(fraction * 100.0), duration_text(elapsed).c_str(), eta.c_str());
    std::fflush(stderr);
    return;
  }
  constexpr int kBarWidth = 30;  // characters of the bar itself
  const int filled = static_cast<int>(fraction * kBarWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kBarWidth, ' ');
  std::fprintf(stderr, "\r\033[K%s [%s] %zu/%zu ETA %s", label_.c_str(), bar.c_str(), done, total_,
               eta.c_str());
  std::fflush(stderr);
}

void configure_logging(int verbosity, bool quiet, const std::string& log_file) {
  g_quiet = quiet;
  std::vector<spdlog::sink_ptr> sinks;
  auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  spdlog::level::level_enum console_level = spdlog::level::warn;
  if (quiet)
    console_level = spdlog::level::err;
  else if (verbosity == 1)
    console_level = spdlog::level::info;
  else if (verbosity >= 2)
    console_level = spdlog::level::debug;
  console->set_level(console_level);
  console->set_pattern("tera: %^%l%$: %v");
  sinks.push_back(console);
  if (!log_file.empty()) {
    try {
      auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(log_file, false);
      file->set_level(spdlog::level::debug);
      file->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%l] %v");
      sinks.push_back(file);
    } catch (const spdlog::spdlog_ex& error) {
      throw UsageError("--log-file " + log_file + ": cannot open for writing (" + error.what() +
                       ")");
    }
  }
  auto logger = std::make_shared<spdlog::logger>("tera", sinks.begin(), sinks.end());
  logger->set_level(spdlog::level::debug);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

bool logging_quiet() { return g_quiet; }

bool device_from_environment(int argc, char** argv) {
  if (std::getenv("TERA_DEVICE") == nullptr) return false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;  // what follows is positional
    if (arg == "--device" || arg.rfind("--device=", 0) == 0) return false;
  }
  return true;
}

std::string error_message(const std::exception& error,
                          const std::map<std::string, std::string>& flags) {
  // Library parameters and the options that set them in every command (a command may differ).
  static const std::map<std::string, std::string> kShared = {
      {"steps", "--steps"},    {"sampler", "--sampler"}, {"guidance", "--guidance"},
      {"device", "--device"},  {"part", "--part"},       {"prompt", "--prompt"},
      {"threads", "--threads"}};
  const auto* usage = dynamic_cast<const UsageError*>(&error);
  if (usage == nullptr || usage->parameter().empty()) return as_published(error.what());
  for (const auto* table : {&flags, &kShared}) {
    if (const auto it = table->find(usage->parameter()); it != table->end())
      return it->second + ": " + usage->detail();
  }
  return as_published(error.what());
}

}  // namespace tera::cli
