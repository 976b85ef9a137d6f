// Fuzzes the whole parse stage: Parser::Parse on a RawFiling.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "edgarix/core/filing.h"
#include "edgarix/parse/parser.h"
#include "fuzz_util.h"

namespace {

const edgarix::parse::Parser& TheParser() {
  static const edgarix::parse::Parser* parser = [] {
    auto created = edgarix::parse::Parser::Create(edgarix::parse::ParseOptions{});
    if (!created.ok()) std::abort();
    return created->release();
  }();
  return *parser;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > edgarix::fuzz::kMaxInput) return 0;
  edgarix::RawFiling raw;
  raw.source = "fuzz";
  raw.bytes.assign(reinterpret_cast<const char*>(data), size);
  (void)TheParser().Parse(raw);
  return 0;
}
