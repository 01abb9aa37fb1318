# LibTorch (runs the three networks of a model package) and sentencepiece (the tokenizer).
# Debian's LibTorch 1.13 (CPU) is found in /usr/lib/x86_64-linux-gnu/cmake/Torch; on GPU machines
# pass the CUDA LibTorch of a PyTorch 2.x install through CMAKE_PREFIX_PATH
# (python3 -c 'import torch; print(torch.utils.cmake_prefix_path)').
# A CUDA LibTorch's config (Caffe2/public/cuda.cmake) sets CMAKE_CUDA_ARCHITECTURES to OFF and adds its
# own -gencode flags (TORCH_CUDA_ARCH_LIST) instead; keep tera's architectures for tera's own kernels.
set(TERA_CUDA_ARCHITECTURES_BEFORE_TORCH "${CMAKE_CUDA_ARCHITECTURES}")
find_package(Torch REQUIRED)
if(TERA_HAVE_CUDA AND NOT "${CMAKE_CUDA_ARCHITECTURES}" STREQUAL "${TERA_CUDA_ARCHITECTURES_BEFORE_TORCH}")
  set(CMAKE_CUDA_ARCHITECTURES "${TERA_CUDA_ARCHITECTURES_BEFORE_TORCH}")
  message(STATUS "tera: LibTorch's config changed CMAKE_CUDA_ARCHITECTURES; tera's kernels keep "
                 "${CMAKE_CUDA_ARCHITECTURES} (set TORCH_CUDA_ARCH_LIST to match, e.g. 9.0 for sm_90)")
endif()

# sentencepiece: Debian's libsentencepiece-dev ships a pkg-config file; fall back to a plain search.
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(SENTENCEPIECE QUIET IMPORTED_TARGET sentencepiece)
endif()
add_library(tera_sentencepiece INTERFACE)
if(SENTENCEPIECE_FOUND)
  target_link_libraries(tera_sentencepiece INTERFACE PkgConfig::SENTENCEPIECE)
else()
  find_path(SENTENCEPIECE_INCLUDE_DIR sentencepiece_processor.h REQUIRED)
  find_library(SENTENCEPIECE_LIBRARY sentencepiece REQUIRED)
  target_include_directories(tera_sentencepiece SYSTEM INTERFACE "${SENTENCEPIECE_INCLUDE_DIR}")
  target_link_libraries(tera_sentencepiece INTERFACE "${SENTENCEPIECE_LIBRARY}")
endif()

# The Python that builds the test-only model package at test time (needs torch and sentencepiece;
# Debian's python3-torch 1.13 exports TorchScript that every supported LibTorch loads).
set(TERA_TORCH_PYTHON "/usr/bin/python3" CACHE FILEPATH "Python with torch and sentencepiece for scripts/train")
# The project venv that scripts/setup.sh makes (Debian's python3 with --system-site-packages, so
# torch, numpy and sentencepiece stay visible, plus the pinned PyPI packages of
# scripts/requirements.txt). Tests that need those packages run with it.
set(TERA_VENV_PYTHON "${CMAKE_SOURCE_DIR}/.deps/venv/bin/python3" CACHE FILEPATH
  "Python of the project venv (.deps/venv, made by scripts/setup.sh) with the pinned PyPI packages")

# sentencepiece is used through a small shared module opened with dlopen(RTLD_LOCAL | RTLD_DEEPBIND)
# (src/text/sentencepiece_shim): Debian's libsentencepiece exports its own embedded protobuf-lite,
# which clashes with the libprotobuf that LibTorch links when both sit in one program.
add_library(tera_sentencepiece_shim MODULE "${CMAKE_SOURCE_DIR}/src/text/sentencepiece_shim/sentencepiece_shim.cpp")
target_link_libraries(tera_sentencepiece_shim PRIVATE tera_sentencepiece)
set_target_properties(tera_sentencepiece_shim PROPERTIES OUTPUT_NAME tera_sentencepiece PREFIX "lib"
  LIBRARY_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}")
