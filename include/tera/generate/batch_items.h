// Prompt files for `tera batch`: one prompt per line (text), or one JSON object per line (.jsonl)
// with prompt, seed, name, steps, guidance, sampler, views. Bad lines become failed items, so one
// bad line never stops the rest. Also: shard selection and item-name sanitising.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tera {

struct BatchItem {
  std::size_t index =
      0;  // 0-based over every item line of the file (blank lines, # comments skipped)
  std::size_t line = 0;  // 1-based line number in the file
  std::string name;      // folder name under --out, sanitised (never leaves --out)
  std::string prompt;
  std::optional<std::uint64_t> seed;
  std::optional<int> steps;
  std::optional<float> guidance;
  std::optional<int> views;
  std::optional<std::string> sampler;
  std::string error;  // non-empty: the line is bad and the item fails with this message
  std::string note;   // e.g. "name '../x' rewritten to 'x'"
};

// Reads a prompt file; JSONL when the extension is .jsonl (any case), text otherwise; a leading
// UTF-8 byte order mark is skipped. Throws InputError when the file cannot be read, is a .json
// file, or holds no prompt line at all; per-line problems go into item.error.
std::vector<BatchItem> read_prompt_file(const std::filesystem::path& path);

// "--shard i/N": items index % N == i. Throws UsageError naming `option` unless 0 <= i < N.
struct Shard {
  std::size_t index = 0;
  std::size_t count = 1;
  bool contains(std::size_t item_index) const { return item_index % count == index; }
};
Shard parse_shard(const std::string& text, const std::string& option);

// A safe folder name: path separators, "." and ".." components and leading and trailing dots are
// removed, characters other than letters, digits, '-', '_' and '.' become '_' (NUL and control
// bytes included), at most 100 bytes; Windows device names get a '_' after the stem
// ("con.txt" -> "con_.txt").
// Returns an empty string when nothing usable is left.
std::string sanitize_item_name(const std::string& raw);

}  // namespace tera
