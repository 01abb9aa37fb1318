// Reads .glb files written with KHR_gaussian_splatting back into a GaussianSet.
#include "io/tinygltf_config.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "io/activation.h"
#include "io/byte_io.h"
#include "io/formats.h"
#include "tera/core/error.h"

namespace tera {
namespace {

constexpr std::uint32_t kGlbMagic = 0x46546c67;  // "glTF" little-endian
constexpr std::size_t kGlbHeaderBytes = 12;      // magic, version, length
// The largest alpha below 1 in float (1 - 2^-24): keeps the logit of a stored 1.0 finite (16.6).
constexpr double kMaxAlpha = 1.0 - 1.0 / 16777216.0;
// The smallest alpha and sigma kept: zero stays finite as a very negative logit / log-scale.
constexpr double kMinAlpha = 1e-30;
constexpr float kMinSigma = 1e-30f;

constexpr std::uint32_t kJsonChunk = 0x4E4F534A;  // "JSON" little-endian: the first chunk's type
constexpr std::size_t kChunkHeaderBytes = 8;      // a chunk's length and type

// glTF's name of an accessor type constant (TINYGLTF_TYPE_*).
std::string type_name(int type) {
  switch (type) {
    case TINYGLTF_TYPE_SCALAR: return "SCALAR";
    case TINYGLTF_TYPE_VEC2: return "VEC2";
    case TINYGLTF_TYPE_VEC3: return "VEC3";
    case TINYGLTF_TYPE_VEC4: return "VEC4";
    case TINYGLTF_TYPE_MAT2: return "MAT2";
    case TINYGLTF_TYPE_MAT3: return "MAT3";
    case TINYGLTF_TYPE_MAT4: return "MAT4";
    default: return "type " + std::to_string(type);
  }
}

// The binary container around the JSON: version 2, a length that is the file's, and chunks that
// end within it, the first of them JSON. Checked here so that a truncated or mislabelled file is
// named with the byte where it goes wrong (tinygltf says only "Invalid glTF binary").
void check_container(const std::string& bytes, const std::string& source) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  if (const std::uint32_t version = get_u32(data + 4); version != 2)
    throw InputError(
        at_byte(source, 4, ".glb version " + std::to_string(version) + "; expected 2"));
  if (const std::uint32_t length = get_u32(data + 8); length != bytes.size()) {
    throw InputError(at_byte(source, 8,
                             "the header gives the file's length as " + std::to_string(length) +
                                 " bytes, but it holds " + std::to_string(bytes.size()) +
                                 (length > bytes.size() ? " (cut short?)" : "")));
  }
  for (std::size_t at = kGlbHeaderBytes; at < bytes.size();) {
    if (bytes.size() - at < kChunkHeaderBytes)
      throw InputError(at_byte(source, at, "a chunk header needs 8 bytes; the file ends first"));
    const std::uint32_t length = get_u32(data + at);
    if (at == kGlbHeaderBytes && get_u32(data + at + 4) != kJsonChunk)
      throw InputError(at_byte(source, at + 4, "the first chunk is not of type JSON"));
    if (length > bytes.size() - at - kChunkHeaderBytes) {
      throw InputError(at_byte(source, at,
                               "a chunk of " + std::to_string(length) +
                                   " bytes runs past the end "
                                   "of the file (" +
                                   std::to_string(bytes.size()) + " bytes)"));
    }
    at += kChunkHeaderBytes + length;
  }
}

// Reads accessor `index` as [count, components] floats. Float components are copied; normalised
// integer components (e.g. COLOR_0 as ubyte) are mapped to [0, 1] or [-1, 1].
std::vector<float> read_accessor(const tinygltf::Model& model, int index, int type,
                                 const std::string& name, const std::string& source) {
  const std::string where = source + ": attribute " + name;
  if (index < 0 || static_cast<std::size_t>(index) >= model.accessors.size()) {
    throw InputError(where + ": accessor " + std::to_string(index) + " does not exist");
  }
  const tinygltf::Accessor& accessor = model.accessors[index];
  if (accessor.type != type) {
    throw InputError(where + ": accessor " + std::to_string(index) + " is " +
                     type_name(accessor.type) + ", expected " + type_name(type));
  }
  if (accessor.sparse.isSparse) throw InputError(where + ": sparse accessors are not supported");
  if (accessor.bufferView < 0 ||
      static_cast<std::size_t>(accessor.bufferView) >= model.bufferViews.size()) {
    throw InputError(where + ": accessor has no valid bufferView");
  }
  const tinygltf::BufferView& view = model.bufferViews[accessor.bufferView];
  if (view.buffer < 0 || static_cast<std::size_t>(view.buffer) >= model.buffers.size()) {
    throw InputError(where + ": bufferView has no valid buffer");
  }
  const auto& data = model.buffers[view.buffer].data;
  const int components = tinygltf::GetNumComponentsInType(type);
  const int component_size = tinygltf::GetComponentSizeInBytes(accessor.componentType);
  const bool is_float = accessor.componentType == TINYGLTF_COMPONENT_TYPE_FLOAT;
  if (component_size <= 0 || (!is_float && !accessor.normalized)) {
    throw InputError(where + ": component type " + std::to_string(accessor.componentType) +
                     " is not supported; expected FLOAT or a normalised integer type");
  }
  const std::size_t element = static_cast<std::size_t>(components) * component_size;
  const std::size_t stride = view.byteStride != 0 ? view.byteStride : element;
  const std::size_t count = accessor.count;
  const std::uint64_t start = static_cast<std::uint64_t>(view.byteOffset) + accessor.byteOffset;
  // Checked by subtraction and division only: counts, offsets and strides come from the file's JSON
  // and can be anything up to 2^64, where sums and products would wrap around and pass.
  if (view.byteOffset > data.size() || view.byteLength > data.size() - view.byteOffset) {
    throw InputError(where + ": bufferView " + std::to_string(accessor.bufferView) + " (" +
                     std::to_string(view.byteLength) + " bytes from " +
                     std::to_string(view.byteOffset) + ") runs past its buffer (" +
                     std::to_string(data.size()) + " bytes)");
  }
  const auto fits = [&] {
    if (stride < element) return false;
    if (accessor.byteOffset > view.byteLength) return false;
    const std::uint64_t room =
        view.byteLength - accessor.byteOffset;  // the view's bytes from the accessor's start
    return count == 0 || (room >= element && count - 1 <= (room - element) / stride);
  };
  if (!fits()) {
    throw InputError(where + ": accessor of " + std::to_string(count) +
                     " elements does not fit its buffer view (" + std::to_string(view.byteLength) +
                     " bytes from " + std::to_string(view.byteOffset) + ")");
  }
  std::vector<float> out(count * components);
  for (std::size_t i = 0; i < count; ++i) {
    const unsigned char* p = data.data() + start + i * stride;
    for (int c = 0; c < components; ++c) {
      const unsigned char* v = p + c * component_size;
      float value = 0.f;
      switch (accessor.componentType) {
        case TINYGLTF_COMPONENT_TYPE_FLOAT: value = get_f32(v); break;
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE: value = v[0] / 255.f; break;
        case TINYGLTF_COMPONENT_TYPE_BYTE:
          value = std::max(static_cast<signed char>(v[0]) / 127.f, -1.f);
          break;
        case TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT: value = (v[0] | (v[1] << 8)) / 65535.f; break;
        case TINYGLTF_COMPONENT_TYPE_SHORT:
          value = std::max(static_cast<std::int16_t>(v[0] | (v[1] << 8)) / 32767.f, -1.f);
          break;
        default:
          throw InputError(where + ": component type " + std::to_string(accessor.componentType) +
                           " is not supported");
      }
      out[i * components + c] = value;
    }
  }
  return out;
}

const tinygltf::Primitive* find_gaussian_primitive(const tinygltf::Model& model) {
  for (const auto& mesh : model.meshes) {
    for (const auto& primitive : mesh.primitives) {
      if (primitive.attributes.count(std::string(kGaussianExtension) + ":SCALE")) return &primitive;
    }
  }
  return nullptr;
}

}  // namespace

GaussianSet decode_glb(const std::string& bytes, const std::string& source) {
  if (bytes.empty())
    throw InputError(at_byte(source, 0, "the file is empty; expected a .glb header"));
  if (bytes.size() < kGlbHeaderBytes ||
      get_u32(reinterpret_cast<const unsigned char*>(bytes.data())) != kGlbMagic) {
    throw InputError(at_byte(source, 0, "expected the .glb magic 'glTF'"));
  }
  if (bytes.size() > std::numeric_limits<unsigned int>::max()) {
    throw InputError(at_byte(source, 0, "a .glb file cannot be larger than 4 GiB"));
  }
  check_container(bytes, source);
  tinygltf::Model model;
  tinygltf::TinyGLTF loader;
  std::string error;
  std::string warning;
  if (!loader.LoadBinaryFromMemory(&model, &error, &warning,
                                   reinterpret_cast<const unsigned char*>(bytes.data()),
                                   static_cast<unsigned int>(bytes.size()), "")) {
    throw InputError(source + ": not a valid .glb: " + error);
  }
  GaussianSet set;
  const tinygltf::Primitive* primitive = find_gaussian_primitive(model);
  if (primitive == nullptr) {
    if (model.meshes.empty()) return set;  // an empty scene: what we write for zero Gaussians
    throw InputError(source + ": no mesh primitive has the attribute " + kGaussianExtension +
                     ":SCALE; expected a KHR_gaussian_splatting point primitive");
  }
  const std::string prefix = std::string(kGaussianExtension) + ":";
  auto attribute = [&](const std::string& name, int type) {
    const auto found = primitive->attributes.find(name);
    if (found == primitive->attributes.end()) {
      throw InputError(source + ": the Gaussian primitive has no attribute " + name);
    }
    return read_accessor(model, found->second, type, name, source);
  };
  const std::vector<float> positions = attribute("POSITION", TINYGLTF_TYPE_VEC3);
  const std::size_t n = positions.size() / 3;
  int degree = 0;
  while (degree < kMaxShDegree && primitive->attributes.count(sh_attribute(degree + 1, 0)))
    ++degree;
  set.resize(n, degree);
  set.positions = positions;
  auto check_count = [&](const std::vector<float>& values, std::size_t per,
                         const std::string& name) {
    if (values.size() != n * per) {
      throw InputError(source + ": attribute " + name + " holds " +
                       std::to_string(values.size() / per) + " elements, POSITION holds " +
                       std::to_string(n));
    }
  };
  const std::vector<float> rotations = attribute(prefix + "ROTATION", TINYGLTF_TYPE_VEC4);
  check_count(rotations, 4, prefix + "ROTATION");
  const std::vector<float> scales = attribute(prefix + "SCALE", TINYGLTF_TYPE_VEC3);
  check_count(scales, 3, prefix + "SCALE");
  const std::vector<float> opacities = attribute(prefix + "OPACITY", TINYGLTF_TYPE_SCALAR);
  check_count(opacities, 1, prefix + "OPACITY");
  for (std::size_t i = 0; i < n; ++i) {
    set.rotations[i * 4 + 0] = rotations[i * 4 + 3];  // x, y, z, w -> w, x, y, z
    set.rotations[i * 4 + 1] = rotations[i * 4 + 0];
    set.rotations[i * 4 + 2] = rotations[i * 4 + 1];
    set.rotations[i * 4 + 3] = rotations[i * 4 + 2];
    set.opacity_logits[i] = logit_clamped(opacities[i], kMinAlpha, kMaxAlpha);
  }
  for (std::size_t i = 0; i < n * 3; ++i)
    set.log_scales[i] = std::log(std::max(std::fabs(scales[i]), kMinSigma));
  const int k = set.sh_coeffs();
  for (int l = 0; l <= degree; ++l) {
    for (int m = 0; m <= 2 * l; ++m) {
      const std::string name = sh_attribute(l, m);
      const std::vector<float> values = attribute(name, TINYGLTF_TYPE_VEC3);
      check_count(values, 3, name);
      const int j = l * l + m;
      for (std::size_t i = 0; i < n; ++i) {
        for (int c = 0; c < 3; ++c) set.sh[(i * k + j) * 3 + c] = values[i * 3 + c];
      }
    }
  }
  return set;
}

}  // namespace tera
