// Fuzzes the SGML container and header reader (parse/src/sgml.h).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "sgml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > edgarix::fuzz::kMaxInput) return 0;
  std::string_view input = edgarix::fuzz::AsView(data, size);
  edgarix::parse::SgmlFiling filing = edgarix::parse::ReadSgml(input);
  for (const edgarix::parse::SgmlDocument& doc : filing.documents) {
    // Contract: every body range lies inside bytes().
    if (doc.body_begin > doc.body_end || doc.body_end > filing.bytes().size()) {
      __builtin_trap();
    }
    std::string_view body = edgarix::parse::BodyOf(filing, doc);
    (void)edgarix::parse::LooksBinary(body);
  }
  (void)edgarix::parse::ReadSgml(std::string(input));
  (void)edgarix::parse::XmlToText(input);
  (void)edgarix::parse::PlainText(input);
  return 0;
}
