// Fuzzes InputReader (plain, gzip, tar, tar.gz by content) on the input
// bytes written to a temporary file. Limits are lowered so a bomb stays
// cheap.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "edgarix/fetch/input_reader.h"
#include "fuzz_util.h"

namespace {

const std::string& TempPath() {
  static const std::string* path = [] {
    const char* dir = std::getenv("TMPDIR");
    std::string templ = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") +
                        "/edgarix_fuzz_input_XXXXXX";
    int fd = mkstemp(templ.data());
    if (fd < 0) std::abort();
    close(fd);
    return new std::string(templ);
  }();
  return *path;
}

struct RemoveAtExit {
  ~RemoveAtExit() { std::remove(TempPath().c_str()); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > edgarix::fuzz::kMaxInput) return 0;
  static RemoveAtExit cleanup;
  const std::string& path = TempPath();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);

  edgarix::fetch::InputOptions options;
  options.max_filing_bytes = 16u << 20;
  options.bomb_check_bytes = 1u << 20;
  options.max_inflate_ratio = 200;
  auto reader = edgarix::fetch::InputReader::Open({path}, options);
  if (!reader.ok()) return 0;
  int count = 0;
  while (std::optional<edgarix::RawFiling> raw = (*reader)->Next()) {
    if (raw->bytes.size() > options.max_filing_bytes) __builtin_trap();
    if (++count > 100000) break;
  }
  return 0;
}
