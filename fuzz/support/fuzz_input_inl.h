// Template part of fuzz_input.h.
#pragma once

#include "tera/core/error.h"

namespace tera::fuzz {

template <typename Read>
void refuse_or_read(Read&& read) {
  try {
    read();
  } catch (const tera::Error&) {
    // Refused with a message naming the file and field: the expected outcome for bad input.
  }
}

}  // namespace tera::fuzz
