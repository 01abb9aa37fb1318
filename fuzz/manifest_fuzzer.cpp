// read_manifest (a model package's manifest.json). The files a manifest names are made once, one
// byte each, under the names the seed corpus uses, so the fuzzer can get past their checksums.
#include "support/fuzz_input.h"
#include "tera/model/manifest.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  for (const char* name :
       {"text_encoder.pt", "denoiser.pt", "decoder.pt", "template.bin", "tokenizer.model"}) {
    tera::fuzz::write_input(name, "x");
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tera::fuzz::write_input("manifest.json", {reinterpret_cast<const char*>(data), size});
  tera::fuzz::refuse_or_read([&] { tera::read_manifest(tera::fuzz::input_folder()); });
  return 0;
}
