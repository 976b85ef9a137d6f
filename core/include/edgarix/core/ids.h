#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edgarix {

// Normalizes an accession number to its dashed form "0000950123-10-078896".
// Accepts the dashed form and the 18-digit form without dashes, with
// surrounding whitespace. Returns nullopt for anything else.
std::optional<std::string> NormalizeAccession(std::string_view text);

// Normalizes a CIK: digits only, leading zeros removed ("0000803164" ->
// "803164"). Returns nullopt when `text` is empty, longer than 10 digits or
// not all digits (surrounding whitespace is ignored).
std::optional<std::string> NormalizeCik(std::string_view text);

// Converts an EDGAR date "YYYYMMDD" (also "YYYY-MM-DD") to ISO "YYYY-MM-DD".
// Returns nullopt for anything that is not a plausible calendar date.
std::optional<std::string> NormalizeDate(std::string_view text);

// Converts an EDGAR acceptance time "YYYYMMDDhhmmss" (Eastern time) to
// "YYYY-MM-DDThh:mm:ss". Returns nullopt when malformed.
std::optional<std::string> NormalizeDateTime(std::string_view text);

// 64-bit FNV-1a of `bytes`, as 16 lower-case hex digits. Used to name a filing
// that carries no accession number ("sha:" + this).
std::string ContentHash(std::string_view bytes);

}  // namespace edgarix
