// libtera's template file I/O (src/decode) and the teacher's (tools/synth) read and write the same
// bytes: a template written by either is read by the other with every field intact.
#include <gtest/gtest.h>

#include "support/test_support.h"
#include "tera/core/atomic_file.h"
#include "tera/decode/avatar_template.h"
#include "template.h"

namespace {

// A small template with every field filled with distinct values (3 texels, 2 bones).
tera::synth::Template teacher_template() {
  tera::synth::Template t;
  t.resolution = 4;
  t.texel = {1, 6, 15};
  t.triangle = {0, 1, 1};
  for (int i = 0; i < 9; ++i) {
    t.barycentric.push_back(0.1f * static_cast<float>(i));
    t.position.push_back(0.5f + static_cast<float>(i));
    t.normal.push_back(-0.25f * static_cast<float>(i));
    t.tangent.push_back(1.5f * static_cast<float>(i));
    t.bitangent.push_back(2.5f - static_cast<float>(i));
  }
  t.region = {0, 3, 5};
  t.bones = {0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0};
  t.weights = {0.5f, 0.5f, 0, 0, 1, 0, 0, 0, 0.25f, 0.75f, 0, 0};
  t.vertices = {0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0};
  t.triangles = {0, 1, 2, 1, 3, 2};
  t.bone_names = {"root", "spine_01"};
  t.bone_parents = {-1, 0};
  t.bone_heads = {0, 0, 0, 0, 1, 0};
  t.bone_tails = {0, 1, 0, 0, 1.5f, 0};
  return t;
}

TEST(TemplateCompat, TeacherFileReadsInLibteraAndBack) {
  tera::test::TempDir dir("template_compat");
  const auto t = teacher_template();
  tera::synth::write_template(t, (dir / "teacher.bin").string());
  const tera::AvatarTemplate r = tera::read_avatar_template(dir / "teacher.bin");
  EXPECT_EQ(r.resolution, t.resolution);
  EXPECT_EQ(r.texel, t.texel);
  EXPECT_EQ(r.triangle, t.triangle);
  EXPECT_EQ(r.barycentric, t.barycentric);
  EXPECT_EQ(r.position, t.position);
  EXPECT_EQ(r.normal, t.normal);
  EXPECT_EQ(r.tangent, t.tangent);
  EXPECT_EQ(r.bitangent, t.bitangent);
  EXPECT_EQ(r.region, t.region);
  EXPECT_EQ(r.bones, t.bones);
  EXPECT_EQ(r.weights, t.weights);
  EXPECT_EQ(r.vertices, t.vertices);
  EXPECT_EQ(r.triangles, t.triangles);
  EXPECT_EQ(r.bone_names, t.bone_names);
  EXPECT_EQ(r.bone_parents, t.bone_parents);
  EXPECT_EQ(r.bone_heads, t.bone_heads);
  EXPECT_EQ(r.bone_tails, t.bone_tails);

  // libtera writes the identical file, which the teacher reads.
  tera::write_avatar_template(r, dir / "libtera.bin");
  EXPECT_EQ(tera::read_file(dir / "libtera.bin"), tera::read_file(dir / "teacher.bin"));
  const auto back = tera::synth::read_template((dir / "libtera.bin").string());
  EXPECT_EQ(back.bone_names, t.bone_names);
  EXPECT_EQ(back.weights, t.weights);
}

}  // namespace
