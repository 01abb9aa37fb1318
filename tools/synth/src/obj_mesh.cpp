#include "obj_mesh.h"

#include <cstdlib>
#include <sstream>

#include "binary_io.h"
#include "tera/core/error.h"

namespace tera::synth {
namespace {

// Parses "v", "v/t" or "v/t/n" into 0-based vertex and uv indices.
void parse_corner(const std::string& token, std::int32_t& v, std::int32_t& t) {
  const char* s = token.c_str();
  char* end = nullptr;
  v = static_cast<std::int32_t>(std::strtol(s, &end, 10)) - 1;
  t = -1;
  if (*end == '/' && end[1] != '/')
    t = static_cast<std::int32_t>(std::strtol(end + 1, &end, 10)) - 1;
}

}  // namespace

ObjMesh read_obj(const std::string& path) {
  const std::string text = read_file_text(path);
  ObjMesh mesh;
  std::int32_t group = -1;
  std::istringstream lines(text);
  std::string line;
  std::size_t line_no = 0;
  while (std::getline(lines, line)) {
    ++line_no;
    if (line.size() < 2 || line[0] == '#') continue;
    std::istringstream in(line);
    std::string key;
    in >> key;
    if (key == "v") {
      float x, y, z;
      if (!(in >> x >> y >> z))
        throw InputError(at_line(path, line_no, "expected three vertex coordinates"));
      mesh.positions.insert(mesh.positions.end(), {x * kDecimetresToMetres, y * kDecimetresToMetres,
                                                   z * kDecimetresToMetres});
    } else if (key == "vt") {
      float u, v;
      if (!(in >> u >> v))
        throw InputError(at_line(path, line_no, "expected two texture coordinates"));
      mesh.uvs.insert(mesh.uvs.end(), {u, v});
    } else if (key == "g") {
      std::string name;
      in >> name;
      mesh.group_names.push_back(name);
      group = static_cast<std::int32_t>(mesh.group_names.size()) - 1;
    } else if (key == "f") {
      std::int32_t v[4], t[4];
      int n = 0;
      std::string token;
      while (in >> token) {
        if (n == 4)
          throw InputError(
              at_line(path, line_no, "faces with more than 4 corners are not supported"));
        parse_corner(token, v[n], t[n]);
        ++n;
      }
      if (n < 3) throw InputError(at_line(path, line_no, "a face needs at least 3 corners"));
      if (n == 3) {
        v[3] = v[2];
        t[3] = t[2];
      }
      for (int i = 0; i < 4; ++i) {
        if (v[i] < 0 || static_cast<std::size_t>(v[i]) >= mesh.vertex_count() + 1000000u) {
          throw InputError(
              at_line(path, line_no, "face references vertex " + std::to_string(v[i] + 1)));
        }
        mesh.face_verts.push_back(v[i]);
        mesh.face_uvs.push_back(t[i]);
      }
      if (group < 0) {
        mesh.group_names.push_back("default");
        group = static_cast<std::int32_t>(mesh.group_names.size()) - 1;
      }
      mesh.face_group.push_back(group);
    }
  }
  for (std::int32_t v : mesh.face_verts) {
    if (static_cast<std::size_t>(v) >= mesh.vertex_count()) {
      throw InputError(path + ": a face references vertex " + std::to_string(v + 1) +
                       " but the file has " + std::to_string(mesh.vertex_count()) + " vertices");
    }
  }
  for (std::int32_t t : mesh.face_uvs) {
    if (t >= 0 && static_cast<std::size_t>(t) >= mesh.uvs.size() / 2) {
      throw InputError(path + ": a face references texture coordinate " + std::to_string(t + 1) +
                       " but the file has " + std::to_string(mesh.uvs.size() / 2));
    }
  }
  return mesh;
}

BodyMesh extract_body(const ObjMesh& base, const std::string& source) {
  std::int32_t body_group = -1;
  for (std::size_t g = 0; g < base.group_names.size(); ++g) {
    if (base.group_names[g] == "body") body_group = static_cast<std::int32_t>(g);
  }
  if (body_group < 0) throw InputError(source + ": group 'body' not found in the base mesh");
  BodyMesh body;
  body.rest_full = base.positions;
  body.uvs = base.uvs;
  body.full_to_body.assign(base.vertex_count(), -1);
  for (std::size_t f = 0; f < base.face_count(); ++f) {
    if (base.face_group[f] != body_group) continue;
    for (int c = 0; c < 4; ++c) {
      const std::int32_t v = base.face_verts[4 * f + c];
      if (body.full_to_body[v] < 0) {
        body.full_to_body[v] = static_cast<std::int32_t>(body.body_to_full.size());
        body.body_to_full.push_back(v);
      }
      body.quads.push_back(body.full_to_body[v]);
      const std::int32_t t = base.face_uvs[4 * f + c];
      if (t < 0)
        throw InputError(source + ": body face " + std::to_string(f) +
                         " has no texture coordinates");
      body.quad_uvs.push_back(t);
    }
  }
  return body;
}

std::vector<float> body_positions(const BodyMesh& body, const std::vector<float>& full) {
  std::vector<float> out(body.body_count() * 3);
  for (std::size_t i = 0; i < body.body_count(); ++i) {
    for (int k = 0; k < 3; ++k) out[3 * i + k] = full[3 * body.body_to_full[i] + k];
  }
  return out;
}

}  // namespace tera::synth
