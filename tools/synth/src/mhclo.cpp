#include "mhclo.h"

#include <cmath>
#include <filesystem>
#include <sstream>

#include "binary_io.h"
#include "tera/core/error.h"

namespace tera::synth {
namespace {

bool is_number_line(const std::string& line) {
  const auto p = line.find_first_not_of(" \t");
  return p != std::string::npos &&
         (std::isdigit(static_cast<unsigned char>(line[p])) || line[p] == '-');
}

// delete_verts lines hold indices and ranges "a - b".
void parse_delete_line(const std::string& line, std::vector<std::int32_t>& out) {
  std::istringstream in(line);
  std::string token;
  bool range = false;
  while (in >> token) {
    if (token == "-") {
      range = true;
      continue;
    }
    const long v = std::stol(token);
    if (range && !out.empty()) {
      for (long i = out.back() + 1; i <= v; ++i) out.push_back(static_cast<std::int32_t>(i));
    } else {
      out.push_back(static_cast<std::int32_t>(v));
    }
    range = false;
  }
}

}  // namespace

Proxy read_proxy(const std::string& mhclo_path, const std::string& kind,
                 std::size_t base_vertex_count) {
  const std::string text = read_file_text(mhclo_path);
  Proxy proxy;
  proxy.kind = kind;
  std::string obj_file;
  enum class Section { kHeader, kVerts, kDelete } section = Section::kHeader;
  std::istringstream lines(text);
  std::string line;
  std::size_t line_no = 0;
  const auto check_index = [&](long v) {
    if (v < 0 || static_cast<std::size_t>(v) >= base_vertex_count) {
      throw InputError(at_line(mhclo_path, line_no,
                               "base vertex " + std::to_string(v) + " outside the base mesh"));
    }
  };
  while (std::getline(lines, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (section == Section::kDelete && is_number_line(line)) {
      parse_delete_line(line, proxy.delete_verts);
      continue;
    }
    if (section == Section::kVerts && is_number_line(line)) {
      std::istringstream in(line);
      std::vector<double> values;
      double x;
      while (in >> x) values.push_back(x);
      if (values.size() == 1) {
        check_index(static_cast<long>(values[0]));
        const auto v = static_cast<std::int32_t>(values[0]);
        proxy.ref.insert(proxy.ref.end(), {v, v, v});
        proxy.weights.insert(proxy.weights.end(), {1.f, 0.f, 0.f});
        proxy.offsets.insert(proxy.offsets.end(), {0.f, 0.f, 0.f});
      } else if (values.size() >= 9) {
        for (int k = 0; k < 3; ++k) check_index(static_cast<long>(values[k]));
        for (int k = 0; k < 3; ++k) proxy.ref.push_back(static_cast<std::int32_t>(values[k]));
        for (int k = 3; k < 6; ++k) proxy.weights.push_back(static_cast<float>(values[k]));
        for (int k = 6; k < 9; ++k) proxy.offsets.push_back(static_cast<float>(values[k]));
      } else {
        throw InputError(at_line(mhclo_path, line_no,
                                 "expected 'v1 v2 v3 w1 w2 w3 dx dy dz' or one vertex index"));
      }
      continue;
    }
    std::istringstream in(line);
    std::string key;
    in >> key;
    if (key == "name")
      in >> proxy.name;
    else if (key == "obj_file")
      in >> obj_file;
    else if (key == "verts")
      section = Section::kVerts;
    else if (key == "delete_verts")
      section = Section::kDelete;
    else if (key == "x_scale" || key == "y_scale" || key == "z_scale") {
      const int axis = key[0] - 'x';
      long a, b;
      float s;
      if (!(in >> a >> b >> s) || s <= 0.f)
        throw InputError(at_line(mhclo_path, line_no, "expected '" + key + " a b distance'"));
      check_index(a);
      check_index(b);
      proxy.scale_refs[2 * axis] = static_cast<std::int32_t>(a);
      proxy.scale_refs[2 * axis + 1] = static_cast<std::int32_t>(b);
      proxy.scale_div[axis] = s;
    } else if (section == Section::kDelete) {
      section = Section::kHeader;
    }
  }
  if (proxy.ref.empty()) throw InputError(mhclo_path + ": no proxy vertices after 'verts 0'");
  if (obj_file.empty()) throw InputError(mhclo_path + ": missing 'obj_file'");
  const auto obj_path = (std::filesystem::path(mhclo_path).parent_path() / obj_file).string();
  const ObjMesh obj = read_obj(obj_path);
  if (obj.vertex_count() != proxy.vertex_count()) {
    throw InputError(obj_path + ": has " + std::to_string(obj.vertex_count()) + " vertices but " +
                     mhclo_path + " fits " + std::to_string(proxy.vertex_count()));
  }
  proxy.quads = obj.face_verts;
  proxy.uvs.assign(proxy.vertex_count() * 2, 0.f);
  for (std::size_t i = 0; i < obj.face_verts.size(); ++i) {
    const auto t = obj.face_uvs[i];
    if (t < 0) continue;
    proxy.uvs[2 * obj.face_verts[i]] = obj.uvs[2 * t];
    proxy.uvs[2 * obj.face_verts[i] + 1] = obj.uvs[2 * t + 1];
  }
  return proxy;
}

std::vector<float> fit_proxy(const Proxy& proxy, const std::vector<float>& full) {
  float scale[3];
  for (int axis = 0; axis < 3; ++axis) {
    const float a = full[3 * proxy.scale_refs[2 * axis] + axis];
    const float b = full[3 * proxy.scale_refs[2 * axis + 1] + axis];
    // The file's distance is in decimetres; dividing metres by it also converts the offsets.
    scale[axis] = std::fabs(a - b) / proxy.scale_div[axis];
  }
  const std::size_t n = proxy.vertex_count();
  std::vector<float> out(n * 3);
  for (std::size_t i = 0; i < n; ++i) {
    for (int k = 0; k < 3; ++k) {
      float v = 0.f;
      for (int j = 0; j < 3; ++j)
        v += proxy.weights[3 * i + j] * full[3 * proxy.ref[3 * i + j] + k];
      out[3 * i + k] = v + proxy.offsets[3 * i + k] * scale[k];
    }
  }
  return out;
}

}  // namespace tera::synth
