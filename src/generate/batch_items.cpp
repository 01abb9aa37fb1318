// Prompt-file parsing, shards and name sanitising for `tera batch`.
#include "tera/generate/batch_items.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/json_text.h"
#include "tera/core/atomic_file.h"
#include "tera/core/decimal.h"
#include "tera/core/error.h"
#include "tera/core/file_text.h"
#include "tera/render/camera.h"
#include "tera/text/tokenizer.h"

namespace tera {
namespace {

// CON, PRN, AUX, NUL, COM1-9 and LPT1-9, in any case, alone or before an extension ("nul.txt").
bool is_windows_device_name(const std::string& name) {
  std::string stem = name.substr(0, name.find('.'));
  for (char& c : stem) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (stem == "CON" || stem == "PRN" || stem == "AUX" || stem == "NUL") return true;
  return stem.size() == 4 && (stem.rfind("COM", 0) == 0 || stem.rfind("LPT", 0) == 0) &&
         stem[3] >= '1' && stem[3] <= '9';
}

constexpr std::size_t kMaxNameBytes = 100;  // well under every file system's 255-byte name limit

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

void parse_json_line(const std::string& text, BatchItem& item) {
  nlohmann::json j;
  item.error = parse_json(text, j);
  if (!item.error.empty()) return;
  if (!j.is_object()) {
    item.error = "expected a JSON object";
    return;
  }
  for (const auto& [key, value] : j.items()) {
    if (key == "prompt") {
      if (!value.is_string()) {
        item.error = "field 'prompt': expected a string";
        return;
      }
      item.prompt = value.get<std::string>();
    } else if (key == "name") {
      if (!value.is_string()) {
        item.error = "field 'name': expected a string";
        return;
      }
      item.name = value.get<std::string>();
    } else if (key == "seed") {
      if (!value.is_number_unsigned()) {
        item.error = "field 'seed': expected a non-negative integer";
        return;
      }
      item.seed = value.get<std::uint64_t>();
    } else if (key == "steps") {
      if (!value.is_number_integer() || value.get<long long>() < 1) {
        item.error = "field 'steps': expected a positive integer";
        return;
      }
      item.steps = value.get<int>();
    } else if (key == "guidance") {
      if (!value.is_number() || value.get<double>() < 0) {
        item.error = "field 'guidance': expected a non-negative number";
        return;
      }
      item.guidance = value.get<float>();
    } else if (key == "views") {
      if (!value.is_number_integer() || value.get<long long>() < 0 ||
          value.get<long long>() > kMaxViews) {
        item.error = "field 'views': expected 0.." + std::to_string(kMaxViews);
        return;
      }
      item.views = value.get<int>();
    } else if (key == "sampler") {
      if (!value.is_string() || (value != "ddim" && value != "dpm++2m")) {
        item.error = "field 'sampler': expected \"ddim\" or \"dpm++2m\"";
        return;
      }
      item.sampler = value.get<std::string>();
    } else {
      item.error = "unknown field '" + key +
                   "' (expected prompt, name, seed, steps, guidance, views, sampler)";
      return;
    }
  }
  if (item.prompt.empty()) item.error = "field 'prompt': missing or empty";
}

}  // namespace

std::vector<BatchItem> read_prompt_file(const std::filesystem::path& path) {
  const std::string extension = lower_extension(path);
  if (extension == ".json") {
    throw InputError(path.string() +
                     ": a .json file; prompt files are text (one prompt per line) or JSON Lines "
                     "(.jsonl, one object per line): rename it .jsonl if it holds one object per "
                     "line");
  }
  const bool jsonl = extension == ".jsonl";
  const std::string text(without_byte_order_mark(read_file(path)));
  std::vector<BatchItem> items;
  std::map<std::string, std::size_t> name_lines;  // sanitised name -> line that took it
  std::istringstream in(text);
  std::string raw;
  std::size_t line = 0;
  while (std::getline(in, raw)) {
    ++line;
    const std::string content = trim(raw);
    if (content.empty() || content[0] == '#') continue;
    BatchItem item;
    item.index = items.size();
    item.line = line;
    if (!is_valid_utf8(content)) {
      item.error = "the line is not valid UTF-8";
    } else if (jsonl) {
      parse_json_line(content, item);
    } else {
      item.prompt = content;
    }
    char fallback[32];
    std::snprintf(fallback, sizeof fallback, "item_%06zu", item.index);
    if (item.name.empty()) {
      item.name = fallback;
    } else {
      const std::string clean = sanitize_item_name(item.name);
      if (clean.empty()) {
        if (item.error.empty())
          item.error = "field 'name': '" + printable(item.name) + "' leaves no usable folder name";
        item.name = fallback;
      } else if (clean != item.name) {
        item.note = "name '" + printable(item.name) + "' rewritten to '" + clean +
                    "' (names stay inside the output folder)";
        item.name = clean;
      }
    }
    if (item.name.rfind("batch_report", 0) == 0 && item.error.empty()) {
      item.error = "name '" + item.name + "' is reserved for the run reports";
    }
    const auto [it, fresh] = name_lines.emplace(item.name, line);
    if (!fresh && item.error.empty())
      item.error = "name '" + item.name + "' is already used by line " + std::to_string(it->second);
    items.push_back(std::move(item));
  }
  if (items.empty()) {
    throw InputError(path.string() + ": holds no prompts (every line is empty or a # comment)");
  }
  return items;
}

Shard parse_shard(const std::string& text, const std::string& option) {
  const std::string message =
      option + ": expected i/N with 0 <= i < N (e.g. 0/4), got '" + text + "'";
  const auto slash = text.find('/');
  if (slash == std::string::npos) throw UsageError(message);
  const auto i = parse_decimal(text.substr(0, slash)), n = parse_decimal(text.substr(slash + 1));
  constexpr std::uint64_t kMaxShards = 1'000'000;  // more processes than any cluster runs: a typo
  if (!i || !n || *n == 0 || *i >= *n) throw UsageError(message);
  if (*n > kMaxShards)
    throw UsageError(message + " (N at most " + std::to_string(kMaxShards) + ")");
  return Shard{static_cast<std::size_t>(*i), static_cast<std::size_t>(*n)};
}

std::string sanitize_item_name(const std::string& raw) {
  std::vector<std::string> parts;
  std::string part;
  for (const char c : raw + "/") {
    if (c == '/' || c == '\\') {
      if (!part.empty() && part != "." && part != "..") parts.push_back(part);
      part.clear();
    } else {
      part += c;
    }
  }
  std::string name;
  for (const auto& p : parts) name += (name.empty() ? "" : "_") + p;
  for (char& c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) c = '_';
  }
  const auto first = name.find_first_not_of('.');
  name = first == std::string::npos ? "" : name.substr(first);
  if (name.size() > kMaxNameBytes) name.resize(kMaxNameBytes);
  // Output folders travel to Windows shares and archives: a name ending in '.' or a device name
  // (CON, NUL, COM1 ..., with or without an extension) cannot be created there.
  while (!name.empty() && name.back() == '.') name.pop_back();
  if (is_windows_device_name(name)) name.insert(std::min(name.find('.'), name.size()), "_");
  return name;
}

}  // namespace tera
