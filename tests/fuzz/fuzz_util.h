#pragma once

// Shared by the fuzz targets: inputs larger than this are ignored so one
// iteration stays bounded (libFuzzer runs with -max_len=1048576 as well).

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace edgarix::fuzz {

inline constexpr size_t kMaxInput = 1 << 20;

inline std::string_view AsView(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace edgarix::fuzz
