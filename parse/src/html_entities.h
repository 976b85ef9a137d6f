#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

// HTML character references (a practical subset of the HTML5 list: every
// Latin-1 name, typography, Greek, arrows and maths symbols seen in EDGAR
// filings) and the small UTF-8 helpers html_to_text.cc needs.

namespace edgarix::parse {

struct EntityValue {
  uint32_t cp1;
  uint32_t cp2;  // 0 when the reference is one code point
  // Recognised without the trailing ';' (HTML's legacy references).
  bool legacy;
};

namespace internal {
struct NamedEntity {
  std::string_view name;
  uint32_t cp;
  bool legacy;
};

// Sorted by name (byte order) for binary search.
inline constexpr NamedEntity kNamedEntities[] = {
    {"AElig", 0xC6, true},     {"AMP", 0x26, true},       {"Aacute", 0xC1, true},
    {"Acirc", 0xC2, true},     {"Agrave", 0xC0, true},    {"Alpha", 0x391, false},
    {"Aring", 0xC5, true},     {"Atilde", 0xC3, true},    {"Auml", 0xC4, true},
    {"Beta", 0x392, false},    {"COPY", 0xA9, true},      {"Ccedil", 0xC7, true},
    {"Chi", 0x3A7, false},     {"Dagger", 0x2021, false}, {"Delta", 0x394, false},
    {"ETH", 0xD0, true},       {"Eacute", 0xC9, true},    {"Ecirc", 0xCA, true},
    {"Egrave", 0xC8, true},    {"Epsilon", 0x395, false}, {"Eta", 0x397, false},
    {"Euml", 0xCB, true},      {"GT", 0x3E, true},        {"Gamma", 0x393, false},
    {"Iacute", 0xCD, true},    {"Icirc", 0xCE, true},     {"Igrave", 0xCC, true},
    {"Iota", 0x399, false},    {"Iuml", 0xCF, true},      {"Kappa", 0x39A, false},
    {"LT", 0x3C, true},        {"Lambda", 0x39B, false},  {"Mu", 0x39C, false},
    {"NewLine", 0xA, false},   {"Ntilde", 0xD1, true},    {"Nu", 0x39D, false},
    {"OElig", 0x152, false},   {"Oacute", 0xD3, true},    {"Ocirc", 0xD4, true},
    {"Ograve", 0xD2, true},    {"Omega", 0x3A9, false},   {"Omicron", 0x39F, false},
    {"Oslash", 0xD8, true},    {"Otilde", 0xD5, true},    {"Ouml", 0xD6, true},
    {"Phi", 0x3A6, false},     {"Pi", 0x3A0, false},      {"Prime", 0x2033, false},
    {"Psi", 0x3A8, false},     {"QUOT", 0x22, true},      {"REG", 0xAE, true},
    {"Rho", 0x3A1, false},     {"Scaron", 0x160, false},  {"Sigma", 0x3A3, false},
    {"THORN", 0xDE, true},     {"TRADE", 0x2122, false},  {"Tab", 0x9, false},
    {"Tau", 0x3A4, false},     {"Theta", 0x398, false},   {"Uacute", 0xDA, true},
    {"Ucirc", 0xDB, true},     {"Ugrave", 0xD9, true},    {"Upsilon", 0x3A5, false},
    {"Uuml", 0xDC, true},      {"Xi", 0x39E, false},      {"Yacute", 0xDD, true},
    {"Yuml", 0x178, false},    {"Zeta", 0x396, false},    {"aacute", 0xE1, true},
    {"acirc", 0xE2, true},     {"acute", 0xB4, true},     {"aelig", 0xE6, true},
    {"agrave", 0xE0, true},    {"alpha", 0x3B1, false},   {"amp", 0x26, true},
    {"apos", 0x27, false},     {"aring", 0xE5, true},     {"ast", 0x2A, false},
    {"asymp", 0x2248, false},  {"atilde", 0xE3, true},    {"auml", 0xE4, true},
    {"bdquo", 0x201E, false},  {"beta", 0x3B2, false},    {"brvbar", 0xA6, true},
    {"bsol", 0x5C, false},     {"bull", 0x2022, false},   {"ccedil", 0xE7, true},
    {"cedil", 0xB8, true},     {"cent", 0xA2, true},      {"centerdot", 0xB7, false},
    {"check", 0x2713, false},  {"chi", 0x3C7, false},     {"circ", 0x2C6, false},
    {"clubs", 0x2663, false},  {"colon", 0x3A, false},    {"comma", 0x2C, false},
    {"commat", 0x40, false},   {"copy", 0xA9, true},      {"cross", 0x2717, false},
    {"curren", 0xA4, true},    {"dagger", 0x2020, false}, {"darr", 0x2193, false},
    {"dash", 0x2010, false},   {"deg", 0xB0, true},       {"delta", 0x3B4, false},
    {"diams", 0x2666, false},  {"divide", 0xF7, true},    {"dollar", 0x24, false},
    {"eacute", 0xE9, true},    {"ecirc", 0xEA, true},     {"egrave", 0xE8, true},
    {"emsp", 0x2003, false},   {"ensp", 0x2002, false},   {"epsilon", 0x3B5, false},
    {"equals", 0x3D, false},   {"eta", 0x3B7, false},     {"eth", 0xF0, true},
    {"euml", 0xEB, true},      {"euro", 0x20AC, false},   {"excl", 0x21, false},
    {"fnof", 0x192, false},    {"frac12", 0xBD, true},    {"frac14", 0xBC, true},
    {"frac34", 0xBE, true},    {"frasl", 0x2044, false},  {"gamma", 0x3B3, false},
    {"ge", 0x2265, false},     {"gt", 0x3E, true},        {"hairsp", 0x200A, false},
    {"half", 0xBD, false},     {"harr", 0x2194, false},   {"hearts", 0x2665, false},
    {"hellip", 0x2026, false}, {"horbar", 0x2015, false}, {"hyphen", 0x2010, false},
    {"iacute", 0xED, true},    {"icirc", 0xEE, true},     {"iexcl", 0xA1, true},
    {"igrave", 0xEC, true},    {"infin", 0x221E, false},  {"iota", 0x3B9, false},
    {"iquest", 0xBF, true},    {"iuml", 0xEF, true},      {"kappa", 0x3BA, false},
    {"lambda", 0x3BB, false},  {"laquo", 0xAB, true},     {"larr", 0x2190, false},
    {"lcub", 0x7B, false},     {"ldquo", 0x201C, false},  {"ldquor", 0x201E, false},
    {"le", 0x2264, false},     {"lowast", 0x2217, false}, {"lowbar", 0x5F, false},
    {"loz", 0x25CA, false},    {"lpar", 0x28, false},     {"lrm", 0x200E, false},
    {"lsaquo", 0x2039, false}, {"lsqb", 0x5B, false},     {"lsquo", 0x2018, false},
    {"lsquor", 0x201A, false}, {"lt", 0x3C, true},        {"macr", 0xAF, true},
    {"mdash", 0x2014, false},  {"micro", 0xB5, true},     {"middot", 0xB7, true},
    {"minus", 0x2212, false},  {"mu", 0x3BC, false},      {"nbsp", 0xA0, true},
    {"ndash", 0x2013, false},  {"ne", 0x2260, false},     {"not", 0xAC, true},
    {"ntilde", 0xF1, true},    {"nu", 0x3BD, false},      {"num", 0x23, false},
    {"numsp", 0x2007, false},  {"oacute", 0xF3, true},    {"ocirc", 0xF4, true},
    {"oelig", 0x153, false},   {"ograve", 0xF2, true},    {"oline", 0x203E, false},
    {"omega", 0x3C9, false},   {"omicron", 0x3BF, false}, {"ordf", 0xAA, true},
    {"ordm", 0xBA, true},      {"oslash", 0xF8, true},    {"otilde", 0xF5, true},
    {"ouml", 0xF6, true},      {"para", 0xB6, true},      {"percnt", 0x25, false},
    {"period", 0x2E, false},   {"permil", 0x2030, false}, {"phi", 0x3C6, false},
    {"pi", 0x3C0, false},      {"plus", 0x2B, false},     {"plusmn", 0xB1, true},
    {"pound", 0xA3, true},     {"prime", 0x2032, false},  {"prod", 0x220F, false},
    {"psi", 0x3C8, false},     {"puncsp", 0x2008, false}, {"quest", 0x3F, false},
    {"quot", 0x22, true},      {"radic", 0x221A, false},  {"raquo", 0xBB, true},
    {"rarr", 0x2192, false},   {"rcub", 0x7D, false},     {"rdquo", 0x201D, false},
    {"rdquor", 0x201D, false}, {"reg", 0xAE, true},       {"rho", 0x3C1, false},
    {"rlm", 0x200F, false},    {"rpar", 0x29, false},     {"rsaquo", 0x203A, false},
    {"rsqb", 0x5D, false},     {"rsquo", 0x2019, false},  {"rsquor", 0x2019, false},
    {"sbquo", 0x201A, false},  {"scaron", 0x161, false},  {"sect", 0xA7, true},
    {"semi", 0x3B, false},     {"shy", 0xAD, true},       {"sigma", 0x3C3, false},
    {"sigmaf", 0x3C2, false},  {"sol", 0x2F, false},      {"spades", 0x2660, false},
    {"squ", 0x25A1, false},    {"square", 0x25A1, false}, {"sum", 0x2211, false},
    {"sup1", 0xB9, true},      {"sup2", 0xB2, true},      {"sup3", 0xB3, true},
    {"szlig", 0xDF, true},     {"tau", 0x3C4, false},     {"theta", 0x3B8, false},
    {"thinsp", 0x2009, false}, {"thorn", 0xFE, true},     {"tilde", 0x2DC, false},
    {"times", 0xD7, true},     {"trade", 0x2122, false},  {"uacute", 0xFA, true},
    {"uarr", 0x2191, false},   {"ucirc", 0xFB, true},     {"ugrave", 0xF9, true},
    {"uml", 0xA8, true},       {"upsilon", 0x3C5, false}, {"uuml", 0xFC, true},
    {"verbar", 0x7C, false},   {"xi", 0x3BE, false},      {"yacute", 0xFD, true},
    {"yen", 0xA5, true},       {"yuml", 0xFF, true},      {"zeta", 0x3B6, false},
    {"zwj", 0x200D, false},    {"zwnj", 0x200C, false}};
}  // namespace internal

// Sets *value to the named reference `name` (without '&' and ';') and
// returns true, or returns false when unknown. Exact match first, then a
// lower-cased retry for sloppy upper-case names.
inline bool LookupEntity(std::string_view name, EntityValue* value) {
  auto find = [](std::string_view key) -> const internal::NamedEntity* {
    const auto* begin = std::begin(internal::kNamedEntities);
    const auto* end = std::end(internal::kNamedEntities);
    const auto* it = std::lower_bound(
        begin, end, key,
        [](const internal::NamedEntity& e, std::string_view k) { return e.name < k; });
    return (it != end && it->name == key) ? it : nullptr;
  };
  const internal::NamedEntity* e = find(name);
  if (e == nullptr && name.size() <= 8) {
    char buf[8];
    bool changed = false;
    for (size_t i = 0; i < name.size(); ++i) {
      char c = name[i];
      if (c >= 'A' && c <= 'Z') {
        c = static_cast<char>(c + 32);
        changed = true;
      }
      buf[i] = c;
    }
    if (changed) e = find(std::string_view(buf, name.size()));
  }
  if (e == nullptr) return false;
  *value = EntityValue{e->cp, 0, e->legacy};
  return true;
}

// Windows-1252 meaning of a byte 0x80..0x9F (U+FFFD for the undefined ones).
inline uint32_t Cp1252ToUnicode(unsigned char b) {
  static constexpr uint16_t kHigh[32] = {
      0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
  if (b >= 0x80 && b <= 0x9F) return kHigh[b - 0x80];
  return b;
}

// Writes `cp` (a valid scalar value) as UTF-8 into buf; returns the length.
inline size_t EncodeUtf8(uint32_t cp, char* buf) {
  if (cp < 0x80) {
    buf[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    buf[0] = static_cast<char>(0xC0 | (cp >> 6));
    buf[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    buf[0] = static_cast<char>(0xE0 | (cp >> 12));
    buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  buf[0] = static_cast<char>(0xF0 | (cp >> 18));
  buf[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  buf[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  buf[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

}  // namespace edgarix::parse
