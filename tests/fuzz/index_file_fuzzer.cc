// Fuzzes the EDGAR index-file parser (ParseIndexFile).
#include <cstddef>
#include <cstdint>

#include "edgarix/fetch/index_files.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > edgarix::fuzz::kMaxInput) return 0;
  auto parsed = edgarix::fetch::ParseIndexFile(edgarix::fuzz::AsView(data, size), "fuzz");
  if (parsed.ok()) {
    for (const edgarix::fetch::IndexEntry& entry : parsed->entries) {
      (void)edgarix::fetch::EntryArchivePath(entry);
    }
  }
  return 0;
}
