// Fuzzes HtmlToText (parse/src/html_to_text.h).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "html_to_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > edgarix::fuzz::kMaxInput) return 0;
  std::string_view input = edgarix::fuzz::AsView(data, size);
  (void)edgarix::parse::LooksLikeHtml(input);
  std::string text = edgarix::parse::HtmlToText(input);
  (void)text;
  return 0;
}
