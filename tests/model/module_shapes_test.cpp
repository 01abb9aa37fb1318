// Networks whose outputs break the manifest's shapes are refused when the package loads. The
// faulty modules are written here with LibTorch's TorchScript compiler, so no Python is needed.
#include <gtest/gtest.h>
#include <torch/script.h>

#include <limits>

#include "model/package_fixture.h"
#include "tera/core/error.h"
#include "tera/generate/generator.h"
#include "tera/model/sha256.h"

namespace {

using tera::test::copy_package;

// Copies the test package into `dir`/name with `module` saved as `file`, its checksum updated in
// the manifest.
std::filesystem::path package_saving(const tera::test::TempDir& dir, const std::string& name,
                                     const torch::jit::Module& module, const std::string& file) {
  const auto package = copy_package(dir, name);
  module.save((package / file).string());
  auto manifest = nlohmann::json::parse(tera::read_file(package / "manifest.json"));
  manifest["sha256"][file] = tera::sha256_file(package / file);
  std::ofstream(package / "manifest.json") << manifest.dump(2);
  return package;
}

// Copies the test package into `dir`/name with module `file` replaced by TorchScript `source`
// (a class body: def forward(self, ...)), its checksum updated in the manifest.
std::filesystem::path package_with_module(const tera::test::TempDir& dir, const std::string& name,
                                          const std::string& file, const std::string& source) {
  torch::jit::Module module("Replacement");
  module.define(source);
  return package_saving(dir, name, module, file);
}

// Copies the test package into `dir`/name with a decoder that returns opaque maps of the package's
// shape [B, 25, 64, 64] and carries the given buffers (name -> tensor).
std::filesystem::path package_with_reach(
    const tera::test::TempDir& dir, const std::string& name,
    const std::vector<std::pair<std::string, at::Tensor>>& buffers) {
  torch::jit::Module module("ReachDecoder");
  for (const auto& [buffer, value] : buffers) module.register_buffer(buffer, value);
  module.define(R"(
def forward(self, z):
    return z.new_ones([z.shape[0], 25, 64, 64])
)");
  return package_saving(dir, name, module, "decoder.pt");
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

TEST(Manifest, DecoderWithHalfAReachIsRefusedAtLoad) {
  tera::test::TempDir dir("modules");
  const auto package = package_with_reach(dir, "half", {{"latent_low", torch::zeros({4, 16})}});
  const auto e = load_error(package);
  EXPECT_NE(e.find("decoder.pt (manifest field 'modules.decoder'): has one of latent_low and "
                   "latent_high, not both"),
            std::string::npos)
      << e;
}

TEST(Manifest, DecoderReachOfAnotherShapeIsRefusedAtLoad) {
  tera::test::TempDir dir("modules");
  const auto package = package_with_reach(
      dir, "narrow",
      {{"latent_low", torch::zeros({4, 15})}, {"latent_high", torch::zeros({4, 15})}});
  const auto e = load_error(package);
  EXPECT_NE(e.find("latent_low has shape [4, 15], not the manifest's latent.shape"),
            std::string::npos)
      << e;
}

TEST(Manifest, TheSamplerHoldsItsEstimatesWithinTheDecodersReach) {
  // A reach of [-0.25, 0.5] on every coordinate but the first (unbounded): the last sampler step
  // returns the held x0 estimate, so every sampled coordinate but the first lies within it (up to
  // the float32 rounding of the rewritten output and its x0 read back: 1e-6), at guidance 1 and 4;
  // the first coordinate, free, leaves it for some seed (the check can fail).
  tera::test::TempDir dir("modules");
  const float inf = std::numeric_limits<float>::infinity();
  constexpr float kRounding = 1e-6f;  // float32 rounding of a value near 0.5 is 3e-8; x0 is read
                                      // back through (a x - s v) with s up to 1
  auto low = torch::full({4, 16}, -0.25f, torch::kFloat16);
  auto high = torch::full({4, 16}, 0.5f, torch::kFloat16);
  low[0][0] = -inf;
  high[0][0] = inf;
  const auto package =
      package_with_reach(dir, "reach", {{"latent_low", low}, {"latent_high", high}});
  tera::GeneratorOptions o;
  o.model_dir = package;
  o.device = tera::Device::kCpu;
  tera::Generator g(o);
  tera::GenerateSettings settings = tera::GenerateSettings::resolve(g.manifest(), {});
  settings.steps = 4;
  bool first_left = false;
  for (const float guidance : {1.f, 4.f}) {
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      const auto avatars = g.generate({{g.tokenize("a person", "test"), seed, guidance}}, settings);
      const auto& z = avatars.at(0).latent;
      ASSERT_EQ(z.size(), 64u);
      for (std::size_t k = 1; k < z.size(); ++k) {
        EXPECT_GE(z[k], -0.25f - kRounding) << "seed " << seed << " k=" << k;
        EXPECT_LE(z[k], 0.5f + kRounding) << "seed " << seed << " k=" << k;
      }
      first_left = first_left || z[0] < -0.25f || z[0] > 0.5f;
    }
  }
  EXPECT_TRUE(first_left)
      << "the unbounded coordinate never left the reach: the check tests nothing";
}

}  // namespace
