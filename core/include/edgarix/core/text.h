#pragma once

#include <string>
#include <string_view>

namespace edgarix {

// Returns true when `bytes` is entirely valid UTF-8.
bool IsValidUtf8(std::string_view bytes);

// Returns `bytes` as UTF-8. Valid UTF-8 is returned unchanged; otherwise each
// byte that is not part of a valid UTF-8 sequence is read as Windows-1252
// (which agrees with Latin-1 except in 0x80-0x9F; undefined cp1252 bytes map
// to U+FFFD). Never fails; output is at most 3x the input size.
std::string ToUtf8(std::string_view bytes);

// Lower-cases ASCII letters in place; other bytes are left alone.
void AsciiLowerInPlace(std::string& s);

// Collapses runs of whitespace (space, tab, CR, LF, FF, VT, NBSP as UTF-8)
// to one space and trims both ends.
std::string CollapseWhitespace(std::string_view text);

}  // namespace edgarix
