// Fuzzes SectionSplitter::Split under every scheme and ExtractCoverPage
// (parse/src/sections.h). Every section range must lie inside the text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_util.h"
#include "sections.h"

namespace {

const edgarix::parse::SectionSplitter& TheSplitter() {
  static const edgarix::parse::SectionSplitter* splitter = [] {
    auto created = edgarix::parse::SectionSplitter::Create();
    if (!created.ok()) std::abort();
    return created->release();
  }();
  return *splitter;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > edgarix::fuzz::kMaxInput) return 0;
  using edgarix::parse::SectionScheme;
  std::string_view text = edgarix::fuzz::AsView(data, size);
  for (SectionScheme scheme :
       {SectionScheme::kNone, SectionScheme::k8K, SectionScheme::k8KOld,
        SectionScheme::k10K, SectionScheme::k10Q, SectionScheme::kRegistration}) {
    for (const edgarix::Section& s : TheSplitter().Split(text, scheme, 1)) {
      if (s.begin > s.end || s.end > text.size()) __builtin_trap();
    }
  }
  (void)edgarix::parse::ExtractCoverPage(text);
  return 0;
}
