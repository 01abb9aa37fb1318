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
  // The objects and arrays open at this point, outermost first: where a repeated key lies.
  struct Open {
    bool object = true;
    std::set<std::string> keys;  // an object's keys so far
    std::string key;             // an object's current key
    std::size_t index = 0;       // an array's current element
  };
  std::vector<Open> open;
  std::string repeated, where;
  const auto place = [&] {  // "poses[3].rotations" for the innermost object
    std::string path;
    for (std::size_t i = 0; i + 1 < open.size(); ++i)
      path += open[i].object ? (path.empty() ? "" : ".") + open[i].key
                             : "[" + std::to_string(open[i].index) + "]";
    return path.empty() ? std::string("the top-level object") : printable(path);
  };
  const auto note_repeats = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    const bool element_done =
        event == Event::value || event == Event::object_end || event == Event::array_end;
    if (event == Event::object_end || event == Event::array_end) open.pop_back();
    if (element_done && !open.empty() && !open.back().object) ++open.back().index;
    if (event == Event::object_start) open.push_back(Open{});
    if (event == Event::array_start) open.push_back(Open{false, {}, {}, 0});
    if (event == Event::key) {
      Open& object = open.back();
      object.key = parsed.get<std::string>();
      if (repeated.empty() && !object.keys.insert(object.key).second) {
        repeated = object.key;
        where = place();
      }
    }
    return true;
  };
  try {
    value = nlohmann::json::parse(text, note_repeats);
  } catch (const nlohmann::json::exception& error) {  // a syntax error, or 1e400 (out of range)
    return "not valid JSON: " + reason_of(error);
  }
  if (!repeated.empty())
    return "the key '" + printable(repeated) + "' is given twice in one object (" + where + ")";
  return {};
}

}  // namespace tera
