// A C interface over sentencepiece, built as its own shared module and opened with
// dlopen(RTLD_LOCAL | RTLD_DEEPBIND) by src/text/tokenizer.cpp.
//
// Why: Debian's libsentencepiece embeds and exports its own copy of protobuf-lite, while LibTorch
// links the system libprotobuf. Linked into one program, the two copies' symbols interpose and the
// program crashes while libprotobuf initialises. Loaded locally with deep binding, sentencepiece
// keeps to its own copy and LibTorch to the system one. No C++ exception crosses this interface.
//
// WordPiece models: a model whose normaliser is named "wordpiece..." (converted from a BERT
// vocab.txt by scripts/train/avatar_train/wordpiece_spm.py) is segmented as BERT's WordPiece does.
// Sentencepiece normalises and splits the words (its pieces spell out the normalised text, each
// word starting with U+2581); then each word gets WordPiece's greedy longest-match-first pass: the
// longest
// "\u2581"-prefixed piece that starts the word, then the longest plain piece of the rest, and so
// on; a word with no such cover or over 100 characters is one unknown id. A unigram model cannot
// express "longest first" by piece scores (docs/text-encoder.md), hence this pass, which
// WordPiece.encode in that script mirrors.
#include <sentencepiece_processor.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view kWordMark = "\xE2\x96\x81";  // U+2581, sentencepiece's word-start mark
constexpr std::string_view kWordPieceNormalizer = "wordpiece";
constexpr std::size_t kMaxWordChars = 100;  // BERT's max_input_chars_per_word

struct Handle {
  sentencepiece::SentencePieceProcessor processor;
  bool wordpiece = false;
  int unk_id = 0;
};

void copy_error(const std::string& message, char* error, std::size_t error_size) {
  if (error == nullptr || error_size == 0) return;
  std::strncpy(error, message.c_str(), error_size - 1);
  error[error_size - 1] = '\0';
}

// Protobuf wire format, just enough to read ModelProto.normalizer_spec (field 3).name (field 1).
bool read_varint(std::string_view data, std::size_t& at, std::uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64 && at < data.size(); shift += 7) {
    const auto byte = static_cast<unsigned char>(data[at++]);
    value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// The bytes of the first length-delimited field `number` of a message, or an empty view.
std::string_view find_field(std::string_view message, std::uint64_t number) {
  std::size_t at = 0;
  std::uint64_t key = 0, value = 0;
  while (at < message.size() && read_varint(message, at, key)) {
    switch (key & 7) {
      case 0:
        if (!read_varint(message, at, value)) return {};
        break;
      case 1: at += 8; break;
      case 5: at += 4; break;
      case 2:
        if (!read_varint(message, at, value) ||
            value > message.size() - std::min(at, message.size()))
          return {};
        if ((key >> 3) == number) return message.substr(at, value);
        at += value;
        break;
      default: return {};
    }
  }
  return {};
}

bool is_wordpiece_model(const sentencepiece::SentencePieceProcessor& processor) {
  const std::string proto = processor.serialized_model_proto();
  const std::string_view name = find_field(find_field(proto, 3), 1);
  return name.substr(0, kWordPieceNormalizer.size()) == kWordPieceNormalizer;
}

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Appends WordPiece's ids for one normalised word (without its word mark).
void append_word(const Handle& h, std::string_view word, std::vector<int>& ids) {
  std::size_t chars = 0;
  for (char c : word) chars += is_continuation_byte(c) ? 0 : 1;
  if (chars > kMaxWordChars) {
    ids.push_back(h.unk_id);
    return;
  }
  const std::size_t first = ids.size();
  std::string candidate;
  std::size_t start = 0;
  while (start < word.size()) {
    int found = -1;
    for (std::size_t end = word.size(); end > start;) {
      candidate.assign(start == 0 ? kWordMark : std::string_view());
      candidate.append(word.substr(start, end - start));
      const int id = h.processor.PieceToId(candidate);
      if (!h.processor.IsUnknown(id) && !h.processor.IsControl(id) && !h.processor.IsUnused(id)) {
        found = id;
        start = end;
        break;
      }
      do --end;
      while (end > start && is_continuation_byte(word[end]));  // one character shorter
    }
    if (found < 0) {  // no piece covers the rest: the whole word is unknown
      ids.resize(first);
      ids.push_back(h.unk_id);
      return;
    }
    ids.push_back(found);
  }
}

std::vector<int> wordpiece_ids(const Handle& h, const std::vector<std::string>& pieces) {
  std::string normalized;
  for (const auto& piece : pieces) normalized += piece;
  std::vector<int> ids;
  std::size_t at = normalized.find(kWordMark);
  while (at != std::string::npos) {
    const std::size_t begin = at + kWordMark.size();
    at = normalized.find(kWordMark, begin);
    const std::size_t end = at == std::string::npos ? normalized.size() : at;
    append_word(h, std::string_view(normalized).substr(begin, end - begin), ids);
  }
  return ids;
}

}  // namespace

extern "C" {

// Returns a processor handle, or null with a message in `error`.
void* tera_spm_load(const char* path, char* error, std::size_t error_size) {
  try {
    auto* handle = new Handle();
    const auto status = handle->processor.Load(path);
    if (!status.ok()) {
      copy_error(status.ToString(), error, error_size);
      delete handle;
      return nullptr;
    }
    handle->wordpiece = is_wordpiece_model(handle->processor);
    handle->unk_id = handle->processor.unk_id();
    return handle;
  } catch (const std::exception& e) {
    copy_error(e.what(), error, error_size);
    return nullptr;
  }
}

int tera_spm_piece_size(void* handle) {
  return static_cast<Handle*>(handle)->processor.GetPieceSize();
}

// Encodes `text` into ids[0..capacity). Returns the number of ids (which may exceed capacity: then
// only the first `capacity` are stored), or -1 with a message in `error`.
int tera_spm_encode(void* handle, const char* text, std::size_t length, int* ids, int capacity,
                    char* error, std::size_t error_size) {
  try {
    const auto& h = *static_cast<Handle*>(handle);
    std::vector<int> pieces;
    if (h.wordpiece) {
      std::vector<std::string> normalized_pieces;
      const auto status = h.processor.Encode(std::string_view(text, length), &normalized_pieces);
      if (!status.ok()) {
        copy_error(status.ToString(), error, error_size);
        return -1;
      }
      pieces = wordpiece_ids(h, normalized_pieces);
    } else {
      const auto status = h.processor.Encode(std::string_view(text, length), &pieces);
      if (!status.ok()) {
        copy_error(status.ToString(), error, error_size);
        return -1;
      }
    }
    for (std::size_t i = 0; i < pieces.size() && static_cast<int>(i) < capacity; ++i)
      ids[i] = pieces[i];
    return static_cast<int>(pieces.size());
  } catch (const std::exception& e) {
    copy_error(e.what(), error, error_size);
    return -1;
  }
}

void tera_spm_free(void* handle) { delete static_cast<Handle*>(handle); }

}  // extern "C"
