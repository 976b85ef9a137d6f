// Fuzzes the query parser: ParseQuery must not crash, and the canonical
// ToString of any accepted query must parse again to the same string.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "fuzz_util.h"
#include "query_ast.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > edgarix::fuzz::kMaxInput) return 0;
  auto parsed = edgarix::index::ParseQuery(edgarix::fuzz::AsView(data, size));
  if (!parsed.ok()) return 0;
  std::string canonical = edgarix::index::ToString(**parsed);
  auto again = edgarix::index::ParseQuery(canonical);
  if (!again.ok()) {
    std::fprintf(stderr, "canonical form does not re-parse: [%s]: %s\n",
                 canonical.c_str(), std::string(again.status().message()).c_str());
    __builtin_trap();
  }
  std::string twice = edgarix::index::ToString(**again);
  if (twice != canonical) {
    std::fprintf(stderr, "ToString not stable: [%s] -> [%s]\n", canonical.c_str(),
                 twice.c_str());
    __builtin_trap();
  }
  return 0;
}
