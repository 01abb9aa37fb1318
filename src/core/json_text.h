// Reading JSON text strictly: one parser for the manifest, avatar.json, pose libraries and JSONL
// prompt files, so that each refuses the same things with the same words.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace tera {

// Parses `text` as one JSON value into `value` and returns "", or returns why it is not one that
// tera reads: the parser's reason without its internal code ("line 3, column 7: syntax error
// while parsing object ..."), a NUL byte (where the parser would stop reading and take what came
// before), or an object that gives a key twice (JSON leaves open which one counts; the reason
// names the object by its path, "poses[3].rotations"). The reason
// is printable (control bytes as \xNN); callers prefix the file or line.
std::string parse_json(const std::string& text, nlohmann::json& value);

}  // namespace tera
