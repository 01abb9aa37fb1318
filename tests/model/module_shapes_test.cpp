// Networks whose outputs break the manifest's shapes are refused when the package loads. The
// faulty modules are written here with LibTorch's TorchScript compiler, so no Python is needed.
#include <gtest/gtest.h>
#include <torch/script.h>

#include "model/package_fixture.h"
#include "tera/core/error.h"
#include "tera/generate/generator.h"
#include "tera/model/sha256.h"

namespace {

using tera::test::copy_package;

// Copies the test package into `dir`/name with module `file` replaced by TorchScript `source`
// (a class body: def forward(self, ...)), its checksum updated in the manifest.
std::filesystem::path package_with_module(const tera::test::TempDir& dir, const std::string& name,
                                          const std::string& file, const std::string& source) {
  const auto package = copy_package(dir, name);
  torch::jit::Module module("Replacement");
  module.define(source);
  module.save((package / file).string());
  auto manifest = nlohmann::json::parse(tera::read_file(package / "manifest.json"));
  manifest["sha256"][file] = tera::sha256_file(package / file);
  std::ofstream(package / "manifest.json") << manifest.dump(2);
  return package;
}

std::string load_error(const std::filesystem::path& package) {
  try {
    tera::GeneratorOptions o;
    o.model_dir = package;
    o.device = tera::Device::kCpu;
    tera::Generator g(o);
  } catch (const tera::ModelError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Manifest, DenoiserReturningAnotherShapeIsRefusedAtLoad) {
  tera::test::TempDir dir("modules");
  // x [B, 4, 16] -> [B, 4, 15]: it runs, but the sampler needs the latent's own shape back.
  const auto package = package_with_module(dir, "short", "denoiser.pt", R"(
def forward(self, x, t, ctx, mask):
    return x[:, :, 1:]
)");
  const auto e = load_error(package);
  EXPECT_NE(e.find((package / "denoiser.pt").string() + " (manifest field 'latent.shape')"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("output has shape [2, 4, 15], the manifest implies [2, 4, 16]"),
            std::string::npos)
      << e;
}

TEST(Manifest, DenoiserIgnoringItsInputShapeIsRefusedAtLoad) {
  tera::test::TempDir dir("modules");
  // Returns the old grid latent [B, 4, 8, 8] whatever it is given.
  const auto package = package_with_module(dir, "grid", "denoiser.pt", R"(
def forward(self, x, t, ctx, mask):
    return x.new_zeros([x.shape[0], 4, 8, 8])
)");
  const auto e = load_error(package);
  EXPECT_NE(e.find("denoiser.pt (manifest field 'latent.shape')"), std::string::npos) << e;
  EXPECT_NE(e.find("[2, 4, 8, 8]"), std::string::npos) << e;
}

TEST(Manifest, DecoderGivenTheLatentShapeMustReturnMaps) {
  tera::test::TempDir dir("modules");
  // Echoes z [B, T, C] instead of maps [B, K, R, R].
  const auto package = package_with_module(dir, "echo", "decoder.pt", R"(
def forward(self, z):
    return z
)");
  const auto e = load_error(package);
  EXPECT_NE(e.find("decoder.pt (manifest field 'maps')"), std::string::npos) << e;
  EXPECT_NE(e.find("output has shape [2, 4, 16], the manifest implies [2, 25, 64, 64]"),
            std::string::npos)
      << e;
}

}  // namespace
