// Includes tinygltf configured the same way in every file: no images (Gaussian splats have none),
// so neither stb_image nor stb_image_write is pulled in.
#pragma once

#ifndef TINYGLTF_NO_STB_IMAGE
#define TINYGLTF_NO_STB_IMAGE
#endif
#ifndef TINYGLTF_NO_STB_IMAGE_WRITE
#define TINYGLTF_NO_STB_IMAGE_WRITE
#endif
#ifndef TINYGLTF_NO_EXTERNAL_IMAGE
#define TINYGLTF_NO_EXTERNAL_IMAGE
#endif
#include <tiny_gltf.h>

namespace tera {

// Name of the glTF extension and the prefix of its attributes.
inline constexpr const char* kGaussianExtension = "KHR_gaussian_splatting";

// "KHR_gaussian_splatting:SH_DEGREE_<l>_COEF_<n>": the VEC3 accessor of SH coefficient l^2 + n.
inline std::string sh_attribute(int degree, int n) {
  return std::string(kGaussianExtension) + ":SH_DEGREE_" + std::to_string(degree) + "_COEF_" +
         std::to_string(n);
}

}  // namespace tera
