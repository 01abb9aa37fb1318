// Strict JSON text; see json_text.h.
#include "core/json_text.h"

#include <set>
#include <vector>

#include "tera/core/error.h"

namespace tera {
namespace {

// nlohmann's message without its "[json.exception.parse_error.101] parse error at " prefix.
std::string reason_of(const nlohmann::json::exception& error) {
  std::string text = error.what();
  const auto bracket = text.find("] ");
  if (text.rfind("[json.exception.", 0) == 0 && bracket != std::string::npos)
    text.erase(0, bracket + 2);
  const std::string parse_error = "parse error at ";
  if (text.rfind(parse_error, 0) == 0) text.erase(0, parse_error.size());
  return printable(text);
}

}  // namespace

std::string parse_json(const std::string& text, nlohmann::json& value) {
  const auto nul = text.find('\0');
  if (nul != std::string::npos) return "not valid JSON: a NUL byte at byte " + std::to_string(nul);
  std::vector<std::set<std::string>> keys;  // the keys of each object open at this point
  std::string repeated;
  const auto note_repeats = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) keys.emplace_back();
    if (event == Event::object_end && !keys.empty()) keys.pop_back();
    if (event == Event::key && !keys.empty() && repeated.empty() &&
        !keys.back().insert(parsed.get<std::string>()).second)
      repeated = parsed.get<std::string>();
    return true;
  };
  try {
    value = nlohmann::json::parse(text, note_repeats);
  } catch (const nlohmann::json::exception& error) {  // a syntax error, or 1e400 (out of range)
    return "not valid JSON: " + reason_of(error);
  }
  if (!repeated.empty())
    return "the key '" + printable(repeated) + "' is given twice in one object";
  return {};
}

}  // namespace tera
