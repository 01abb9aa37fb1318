// Compute devices. The choice is resolved once (resolve_device, at the render dispatch point:
// tera/render/renderer.h) and passed down.
#pragma once

#include <string>

namespace tera {

enum class Device { kAuto, kCpu, kCuda };

// Parses "auto", "cpu", "cuda"; throws UsageError of the parameter "device" otherwise.
Device parse_device(const std::string& text);
const char* device_name(Device device);

}  // namespace tera
