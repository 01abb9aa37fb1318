// Encoders and decoders of each Gaussian file format, between a GaussianSet in the *file's*
// frame and the file's bytes. gaussian_io.cpp does the file access, frame conversion, SH-degree
// clamping and validation around them.
#pragma once

#include <string>

#include "tera/core/gaussian_set.h"

namespace tera {

// `source` is the file name used in error messages.
std::string encode_ply(const GaussianSet& set);
GaussianSet decode_ply(const std::string& bytes, const std::string& source);

std::string encode_splat(const GaussianSet& set);
GaussianSet decode_splat(const std::string& bytes, const std::string& source);

std::string encode_spz(const GaussianSet& set, const std::string& source);
GaussianSet decode_spz(const std::string& bytes, const std::string& source);

std::string encode_glb(const GaussianSet& set, const std::string& source);
GaussianSet decode_glb(const std::string& bytes, const std::string& source);

}  // namespace tera
