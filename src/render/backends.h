// Backend constructors, visible only to the dispatch point (src/render/dispatch.cpp).
#pragma once

#include <memory>

#include "tera/render/renderer.h"

namespace tera {

std::unique_ptr<Renderer> make_cpu_renderer();
#ifdef TERA_HAVE_CUDA
std::unique_ptr<Renderer> make_cuda_renderer();
#endif

}  // namespace tera
