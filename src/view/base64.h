// Base64 (RFC 4648, standard alphabet, '=' padding) for embedding bytes in a web page.
#pragma once

#include <string>

namespace tera {

std::string base64_encode(const std::string& bytes);

}  // namespace tera
