#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace edgarix {

// The one tokenizer of edgarix, shared by indexing and querying so that both
// see the same terms.
//
// A token is a maximal run of word bytes: ASCII letters and digits, and every
// byte >= 0x80 (so UTF-8 letters stay inside words). Everything else
// separates tokens, so "8-K" is "8" "k" and "2.02" is "2" "02". Tokens are
// lower-cased (ASCII). Tokens longer than kMaxTokenBytes are cut to that
// length (the rest of the run is skipped and does not become a token), so a
// hostile input cannot make a term of unbounded size.
//
// Pure function of its input; safe to call from any thread.
inline constexpr size_t kMaxTokenBytes = 64;

namespace internal {
struct ByteClass {
  bool word[256];
  unsigned char lower[256];
  constexpr ByteClass() : word(), lower() {
    for (int c = 0; c < 256; ++c) {
      word[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                (c >= 'A' && c <= 'Z') || c >= 0x80;
      lower[c] = static_cast<unsigned char>(
          (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c);
    }
  }
};
inline constexpr ByteClass kByteClass{};
}  // namespace internal

// Calls fn(std::string_view term, uint32_t position, uint32_t offset) for each
// token of `text` in order. `term` is lower-cased and valid only during the
// call; `position` counts tokens from `first_position`; `offset` is the byte
// offset of the token's first byte in `text`. Returns the next position (the
// number of tokens seen plus `first_position`).
template <typename Fn>
uint32_t Tokenize(std::string_view text, Fn&& fn, uint32_t first_position = 0) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  char buf[kMaxTokenBytes];
  uint32_t position = first_position;
  size_t i = 0;
  while (i < n) {
    while (i < n && !internal::kByteClass.word[p[i]]) ++i;
    if (i >= n) break;
    const size_t start = i;
    size_t len = 0;
    while (i < n && internal::kByteClass.word[p[i]]) {
      if (len < kMaxTokenBytes) buf[len++] = internal::kByteClass.lower[p[i]];
      ++i;
    }
    // Do not end a cut token in the middle of a UTF-8 sequence.
    if (i - start > kMaxTokenBytes) {
      while (len > 0 && (static_cast<unsigned char>(buf[len - 1]) & 0xC0) == 0x80) --len;
      if (len > 0 && static_cast<unsigned char>(buf[len - 1]) >= 0xC0) --len;
      if (len == 0) continue;
    }
    fn(std::string_view(buf, len), position++, static_cast<uint32_t>(start));
  }
  return position;
}

// Returns the terms of `text` lower-cased, joined by single spaces; for
// normalising query words the same way as indexed text.
std::string NormalizeTerms(std::string_view text);

}  // namespace edgarix
