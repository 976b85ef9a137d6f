#include "edgarix/core/ids.h"

#include <cstdio>


namespace edgarix {
namespace {

std::string_view Strip(std::string_view s) {
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
  };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool ValidDate(int y, int m, int d) {
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1) return false;
  if (d > kDays[m - 1]) return false;
  if (m == 2 && d == 29) {
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (!leap) return false;
  }
  return true;
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

std::optional<std::string> NormalizeAccession(std::string_view text) {
  text = Strip(text);
  std::string digits;
  if (text.size() == 20 && text[10] == '-' && text[13] == '-') {
    digits.append(text.substr(0, 10));
    digits.append(text.substr(11, 2));
    digits.append(text.substr(14, 6));
  } else if (text.size() == 18) {
    digits.assign(text);
  } else {
    return std::nullopt;
  }
  if (!AllDigits(digits)) return std::nullopt;
  return digits.substr(0, 10) + "-" + digits.substr(10, 2) + "-" + digits.substr(12);
}

std::optional<std::string> NormalizeCik(std::string_view text) {
  text = Strip(text);
  if (text.size() > 10 || !AllDigits(text)) return std::nullopt;
  size_t i = 0;
  while (i + 1 < text.size() && text[i] == '0') ++i;
  if (text.substr(i) == "0") return std::nullopt;
  return std::string(text.substr(i));
}

std::optional<std::string> NormalizeDate(std::string_view text) {
  text = Strip(text);
  std::string d;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    d = std::string(text.substr(0, 4)) + std::string(text.substr(5, 2)) +
        std::string(text.substr(8, 2));
  } else if (text.size() == 8) {
    d.assign(text);
  } else {
    return std::nullopt;
  }
  if (!AllDigits(d)) return std::nullopt;
  const int y = ToInt(d.substr(0, 4)), m = ToInt(d.substr(4, 2)), day = ToInt(d.substr(6, 2));
  if (!ValidDate(y, m, day)) return std::nullopt;
  return d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2);
}

std::optional<std::string> NormalizeDateTime(std::string_view text) {
  text = Strip(text);
  if (text.size() != 14 || !AllDigits(text)) return std::nullopt;
  auto date = NormalizeDate(text.substr(0, 8));
  if (!date) return std::nullopt;
  const int hh = ToInt(text.substr(8, 2)), mm = ToInt(text.substr(10, 2)),
            ss = ToInt(text.substr(12, 2));
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  return *date + "T" + std::string(text.substr(8, 2)) + ":" +
         std::string(text.substr(10, 2)) + ":" + std::string(text.substr(12, 2));
}

std::string ContentHash(std::string_view bytes) {
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace edgarix
