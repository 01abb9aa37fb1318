// Compute devices. The choice is resolved once (resolve_device) and passed down.
#pragma once

#include <string>

namespace tera {

enum class Device { kAuto, kCpu, kCuda };

// Parses "auto", "cpu", "cuda"; throws UsageError naming `option` otherwise.
Device parse_device(const std::string& text, const std::string& option);
const char* device_name(Device device);
// True when this build has the CUDA backend and a CUDA device is present at run time.
bool cuda_available();
// kAuto -> kCuda when cuda_available(), else kCpu. Asking for kCuda without CUDA throws UsageError.
Device resolve_device(Device requested);

}  // namespace tera
