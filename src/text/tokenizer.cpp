// Tokenizer over sentencepiece; see include/tera/text/tokenizer.h. sentencepiece is reached through
// the shim module in src/text/sentencepiece_shim (why: see that file), opened once per process.
#include "tera/text/tokenizer.h"

#include <cstdlib>
#include <dlfcn.h>
#include <mutex>
#include <spdlog/spdlog.h>

#include "tera/core/error.h"

namespace tera {
namespace {

constexpr std::size_t kErrorBytes = 512;  // room for a sentencepiece status message
const char* const kShimName = "libtera_sentencepiece.so";

struct ShimApi {
  void* (*load)(const char*, char*, std::size_t) = nullptr;
  int (*piece_size)(void*) = nullptr;
  int (*encode)(void*, const char*, std::size_t, int*, int, char*, std::size_t) = nullptr;
  void (*free)(void*) = nullptr;
};

// Candidates: $TERA_SENTENCEPIECE_SHIM, next to the binary, ../lib next to it, the build tree.
const ShimApi& shim() {
  static ShimApi api;
  static std::string failure;
  static std::once_flag once;
  std::call_once(once, [] {
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("TERA_SENTENCEPIECE_SHIM"); env != nullptr && *env != '\0')
      candidates.emplace_back(env);
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
      candidates.push_back((exe.parent_path() / kShimName).string());
      candidates.push_back((exe.parent_path() / ".." / "lib" / kShimName).string());
    }
    candidates.emplace_back(TERA_SENTENCEPIECE_SHIM);
    void* handle = nullptr;
    for (const auto& path : candidates) {
      if (!std::filesystem::exists(path)) continue;
      handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
      if (handle != nullptr) break;
      failure += path + ": " + ::dlerror() + "; ";
    }
    if (handle == nullptr) {
      failure = "cannot load " + std::string(kShimName) + " (" +
                (failure.empty() ? "not found next to the binary" : failure) +
                "); set TERA_SENTENCEPIECE_SHIM to its path";
      return;
    }
    api.load = reinterpret_cast<decltype(api.load)>(::dlsym(handle, "tera_spm_load"));
    api.piece_size =
        reinterpret_cast<decltype(api.piece_size)>(::dlsym(handle, "tera_spm_piece_size"));
    api.encode = reinterpret_cast<decltype(api.encode)>(::dlsym(handle, "tera_spm_encode"));
    api.free = reinterpret_cast<decltype(api.free)>(::dlsym(handle, "tera_spm_free"));
    if (!api.load || !api.piece_size || !api.encode || !api.free) {
      api = ShimApi{};
      failure = std::string(kShimName) + " lacks the tera_spm_* functions";
    }
  });
  if (api.load == nullptr) throw Error(failure);
  return api;
}

}  // namespace

struct Tokenizer::Impl {
  void* processor = nullptr;
  ~Impl() {
    if (processor != nullptr) shim().free(processor);
  }
};

Tokenizer::Tokenizer(const std::filesystem::path& package_dir, const TokenizerSpec& spec)
    : impl_(std::make_unique<Impl>()), spec_(spec) {
  const auto path = package_dir / spec.file;
  char error[kErrorBytes] = {0};
  impl_->processor = shim().load(path.c_str(), error, sizeof error);
  if (impl_->processor == nullptr) {
    throw ModelError(path.string() +
                     " (field 'tokenizer.file'): cannot load the sentencepiece model: " + error);
  }
  const int vocab = shim().piece_size(impl_->processor);
  const std::pair<const char*, int> ids[] = {{"tokenizer.bos_id", spec.bos_id},
                                             {"tokenizer.eos_id", spec.eos_id},
                                             {"tokenizer.pad_id", spec.pad_id}};
  for (const auto& [field, id] : ids) {
    if (id < 0 || id >= vocab) {
      throw ModelError((package_dir / "manifest.json").string() + ": field '" + field + "': id " +
                       std::to_string(id) + " is outside the tokenizer's vocabulary of " +
                       std::to_string(vocab));
    }
  }
}

Tokenizer::~Tokenizer() = default;

TokenizedPrompt Tokenizer::encode(const std::string& prompt, const std::string& label) const {
  // Far past what any encoder reads (its max_length tokens): a longer text is a file pasted by
  // mistake, and would cost memory in proportion before the end is cut off anyway.
  constexpr std::size_t kMaxPromptBytes = 4096;
  if (prompt.size() > kMaxPromptBytes) {
    throw UsageError(label + ": the prompt is " + std::to_string(prompt.size()) +
                     " bytes, more than the " + std::to_string(kMaxPromptBytes) +
                     " a prompt may have (the model reads its first " +
                     std::to_string(spec_.max_length - 2) + " tokens)");
  }
  if (!is_valid_utf8(prompt)) throw UsageError(label + ": the prompt is not valid UTF-8");
  if (prompt.find_first_not_of(" \t\r\n\f\v") == std::string::npos)
    throw UsageError(label + ": the prompt is empty");
  const std::string text = spec_.lowercase ? lowercase_ascii(prompt) : prompt;
  std::vector<int> pieces(text.size() +
                          16);  // about one id per byte at most; asked again if more come back
  char error[kErrorBytes] = {0};
  int count = 0;
  for (int attempt = 0; attempt < 2; ++attempt) {  // the second time with room for every id
    count = shim().encode(impl_->processor, text.data(), text.size(), pieces.data(),
                          static_cast<int>(pieces.size()), error, sizeof error);
    if (count < 0) throw UsageError(label + ": cannot tokenise the prompt: " + error);
    if (static_cast<std::size_t>(count) <= pieces.size()) break;
    pieces.resize(static_cast<std::size_t>(count));
  }
  pieces.resize(std::min(pieces.size(), static_cast<std::size_t>(count)));
  const std::size_t room =
      static_cast<std::size_t>(spec_.max_length) - 2;  // BOS and EOS take two slots
  TokenizedPrompt out;
  if (pieces.size() > room) {
    spdlog::warn("{}: the prompt has {} tokens; truncated to the model's {} (the end is ignored)",
                 label, pieces.size() + 2, spec_.max_length);
    pieces.resize(room);
    out.truncated = true;
  }
  out.tokens.assign(static_cast<std::size_t>(spec_.max_length), spec_.pad_id);
  out.mask.assign(static_cast<std::size_t>(spec_.max_length), 0);
  out.tokens[0] = spec_.bos_id;
  for (std::size_t i = 0; i < pieces.size(); ++i) out.tokens[i + 1] = pieces[i];
  out.tokens[pieces.size() + 1] = spec_.eos_id;
  for (std::size_t i = 0; i < pieces.size() + 2; ++i) out.mask[i] = 1;
  return out;
}

TokenizedPrompt Tokenizer::empty_prompt() const {
  TokenizedPrompt out;
  out.tokens.assign(static_cast<std::size_t>(spec_.max_length), spec_.pad_id);
  out.mask.assign(static_cast<std::size_t>(spec_.max_length), 0);
  out.tokens[0] = spec_.bos_id;
  out.tokens[1] = spec_.eos_id;
  out.mask[0] = out.mask[1] = 1;
  return out;
}

bool is_valid_utf8(const std::string& text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    int extra = 0;
    std::uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      extra = 1;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      code = c & 0x07;
    } else
      return false;
    if (i + static_cast<std::size_t>(extra) >= n) return false;  // sequence runs past the end
    for (int k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if ((cc & 0xC0) != 0x80) return false;
      code = (code << 6) | (cc & 0x3F);
    }
    const std::uint32_t min_code[] = {
        0, 0x80, 0x800, 0x10000};  // smallest code point per length (no overlong forms)
    if (code < min_code[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
      return false;
    i += static_cast<std::size_t>(extra) + 1;
  }
  return true;
}

std::string lowercase_ascii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

}  // namespace tera
