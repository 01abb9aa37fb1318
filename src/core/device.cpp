#include "tera/core/device.h"

#include "tera/core/error.h"

namespace tera {

Device parse_device(const std::string& text) {
  if (text == "auto") return Device::kAuto;
  if (text == "cpu") return Device::kCpu;
  if (text == "cuda") return Device::kCuda;
  throw UsageError("device", "expected auto, cpu or cuda, got '" + text + "'");
}

const char* device_name(Device device) {
  switch (device) {
    case Device::kAuto: return "auto";
    case Device::kCpu: return "cpu";
    case Device::kCuda: return "cuda";
  }
  return "?";
}

}  // namespace tera
