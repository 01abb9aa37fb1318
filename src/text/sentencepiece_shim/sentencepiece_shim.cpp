// A C interface over sentencepiece, built as its own shared module and opened with
// dlopen(RTLD_LOCAL | RTLD_DEEPBIND) by src/text/tokenizer.cpp.
//
// Why: Debian's libsentencepiece embeds and exports its own copy of protobuf-lite, while LibTorch
// links the system libprotobuf. Linked into one program, the two copies' symbols interpose and the
// program crashes while libprotobuf initialises. Loaded locally with deep binding, sentencepiece
// keeps to its own copy and LibTorch to the system one. No C++ exception crosses this interface.
#include <sentencepiece_processor.h>

#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

namespace {
void copy_error(const std::string& message, char* error, std::size_t error_size) {
  if (error == nullptr || error_size == 0) return;
  std::strncpy(error, message.c_str(), error_size - 1);
  error[error_size - 1] = '\0';
}
}  // namespace

extern "C" {

// Returns a processor handle, or null with a message in `error`.
void* tera_spm_load(const char* path, char* error, std::size_t error_size) {
  try {
    auto* processor = new sentencepiece::SentencePieceProcessor();
    const auto status = processor->Load(path);
    if (!status.ok()) {
      copy_error(status.ToString(), error, error_size);
      delete processor;
      return nullptr;
    }
    return processor;
  } catch (const std::exception& e) {
    copy_error(e.what(), error, error_size);
    return nullptr;
  }
}

int tera_spm_piece_size(void* handle) { return static_cast<sentencepiece::SentencePieceProcessor*>(handle)->GetPieceSize(); }

// Encodes `text` into ids[0..capacity). Returns the number of ids (which may exceed capacity: then
// only the first `capacity` are stored), or -1 with a message in `error`.
int tera_spm_encode(void* handle, const char* text, std::size_t length, int* ids, int capacity, char* error,
                    std::size_t error_size) {
  try {
    std::vector<int> pieces;
    const auto status = static_cast<sentencepiece::SentencePieceProcessor*>(handle)->Encode(std::string(text, length), &pieces);
    if (!status.ok()) {
      copy_error(status.ToString(), error, error_size);
      return -1;
    }
    for (std::size_t i = 0; i < pieces.size() && static_cast<int>(i) < capacity; ++i) ids[i] = pieces[i];
    return static_cast<int>(pieces.size());
  } catch (const std::exception& e) {
    copy_error(e.what(), error, error_size);
    return -1;
  }
}

void tera_spm_free(void* handle) { delete static_cast<sentencepiece::SentencePieceProcessor*>(handle); }

}  // extern "C"
