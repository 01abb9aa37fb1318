// glTF 2.0 binary (.glb) with KHR_gaussian_splatting: a POINTS primitive whose attributes hold
// activated values, plus COLOR_0 so viewers without the extension show coloured points.
// This file also compiles the tinygltf implementation, once for the library.
#define TINYGLTF_IMPLEMENTATION
#include "io/tinygltf_config.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "io/activation.h"
#include "io/formats.h"
#include "tera/core/error.h"

namespace tera {
namespace {

constexpr int kArrayBuffer = 34962;  // glTF bufferView target for vertex attributes

// Appends `values` ([count, components] floats) to the buffer as a new bufferView and accessor;
// returns the accessor index.
int add_float_accessor(tinygltf::Model& model, const std::vector<float>& values, std::size_t count,
                       int type, bool with_bounds) {
  auto& data = model.buffers[0].data;
  const std::size_t offset = data.size();  // always a multiple of 4: every view holds floats
  data.resize(offset + values.size() * sizeof(float));
  std::memcpy(data.data() + offset, values.data(), values.size() * sizeof(float));

  tinygltf::BufferView view;
  view.buffer = 0;
  view.byteOffset = offset;
  view.byteLength = values.size() * sizeof(float);
  view.target = kArrayBuffer;
  model.bufferViews.push_back(view);

  tinygltf::Accessor accessor;
  accessor.bufferView = static_cast<int>(model.bufferViews.size() - 1);
  accessor.componentType = TINYGLTF_COMPONENT_TYPE_FLOAT;
  accessor.count = count;
  accessor.type = type;
  if (with_bounds) {
    const int components = tinygltf::GetNumComponentsInType(type);
    accessor.minValues.assign(components, std::numeric_limits<double>::infinity());
    accessor.maxValues.assign(components, -std::numeric_limits<double>::infinity());
    for (std::size_t i = 0; i < count; ++i) {
      for (int c = 0; c < components; ++c) {
        const double v = values[i * components + c];
        accessor.minValues[c] = std::min(accessor.minValues[c], v);
        accessor.maxValues[c] = std::max(accessor.maxValues[c], v);
      }
    }
  }
  model.accessors.push_back(accessor);
  return static_cast<int>(model.accessors.size() - 1);
}

tinygltf::Primitive make_primitive(tinygltf::Model& model, const GaussianSet& set) {
  const std::size_t n = set.size();
  const int k = set.sh_coeffs();
  tinygltf::Primitive primitive;
  primitive.mode = TINYGLTF_MODE_POINTS;
  const std::string prefix = std::string(kGaussianExtension) + ":";

  primitive.attributes["POSITION"] =
      add_float_accessor(model, set.positions, n, TINYGLTF_TYPE_VEC3, true);

  std::vector<float> values(n * 4);  // [N, 4] unit quaternion x, y, z, w
  for (std::size_t i = 0; i < n; ++i) {
    const float* q = &set.rotations[i * 4];
    const float norm = std::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
    values[i * 4 + 0] = q[1] / norm;
    values[i * 4 + 1] = q[2] / norm;
    values[i * 4 + 2] = q[3] / norm;
    values[i * 4 + 3] = q[0] / norm;
  }
  primitive.attributes[prefix + "ROTATION"] =
      add_float_accessor(model, values, n, TINYGLTF_TYPE_VEC4, false);

  values.resize(n * 3);  // [N, 3] linear sigma
  for (std::size_t i = 0; i < n * 3; ++i) values[i] = std::exp(set.log_scales[i]);
  primitive.attributes[prefix + "SCALE"] =
      add_float_accessor(model, values, n, TINYGLTF_TYPE_VEC3, false);

  values.resize(n);  // [N] alpha
  for (std::size_t i = 0; i < n; ++i) values[i] = sigmoid(set.opacity_logits[i]);
  primitive.attributes[prefix + "OPACITY"] =
      add_float_accessor(model, values, n, TINYGLTF_TYPE_SCALAR, false);

  for (int degree = 0; degree <= set.sh_degree; ++degree) {
    for (int m = 0; m <= 2 * degree; ++m) {
      const int j = degree * degree + m;  // coefficient index in the 3DGS ordering
      values.resize(n * 3);               // [N, 3] RGB of coefficient j
      for (std::size_t i = 0; i < n; ++i) {
        for (int c = 0; c < 3; ++c) values[i * 3 + c] = set.sh[(i * k + j) * 3 + c];
      }
      primitive.attributes[sh_attribute(degree, m)] =
          add_float_accessor(model, values, n, TINYGLTF_TYPE_VEC3, false);
    }
  }

  values.resize(n * 4);  // [N, 4] display colour and alpha for viewers without the extension
  for (std::size_t i = 0; i < n; ++i) {
    for (int c = 0; c < 3; ++c)
      values[i * 4 + c] = std::clamp(0.5f + kShC0 * set.sh[i * k * 3 + c], 0.f, 1.f);
    values[i * 4 + 3] = sigmoid(set.opacity_logits[i]);
  }
  primitive.attributes["COLOR_0"] = add_float_accessor(model, values, n, TINYGLTF_TYPE_VEC4, false);

  tinygltf::Value::Object extension;
  extension["kernel"] = tinygltf::Value(std::string("ellipse"));
  extension["colorSpace"] = tinygltf::Value(std::string("srgb_rec709_display"));
  primitive.extensions[kGaussianExtension] = tinygltf::Value(extension);
  return primitive;
}

}  // namespace

std::string encode_glb(const GaussianSet& set, const std::string& source) {
  tinygltf::Model model;
  model.asset.version = "2.0";
  model.asset.generator = "tera";
  model.extensionsUsed.push_back(kGaussianExtension);
  // glTF accessors need count >= 1: an empty set is written as an asset without scenes or meshes.
  if (!set.empty()) {
    tinygltf::Scene scene;
    model.buffers.emplace_back();
    tinygltf::Mesh mesh;
    mesh.name = "gaussians";
    mesh.primitives.push_back(make_primitive(model, set));
    model.meshes.push_back(mesh);
    tinygltf::Node node;
    node.mesh = 0;
    model.nodes.push_back(node);
    scene.nodes.push_back(0);
    // A .glb stores chunk lengths as uint32; leave room for the JSON chunk and headers.
    if (model.buffers[0].data.size() > std::numeric_limits<std::uint32_t>::max() - (1u << 24)) {
      throw Error(source + ": " + std::to_string(set.size()) +
                  " Gaussians are too many for one .glb file (4 GiB)");
    }
    model.scenes.push_back(scene);
    model.defaultScene = 0;
  } else {
    model.extensionsUsed.clear();
  }

  std::ostringstream out;
  tinygltf::TinyGLTF writer;
  if (!writer.WriteGltfSceneToStream(&model, out, /*prettyPrint=*/false, /*writeBinary=*/true)) {
    throw Error(source + ": cannot serialise the glTF model");
  }
  return out.str();
}

}  // namespace tera
