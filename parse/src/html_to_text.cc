#include "html_to_text.h"

#include <cctype>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "edgarix/core/text.h"
#include "html_entities.h"

namespace edgarix::parse {
namespace {

inline char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}
inline bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Case-insensitive search for `needle` (lower case ASCII) in s[from, end).
// Returns s.size() when absent.
size_t FindNoCase(std::string_view s, size_t from, std::string_view needle) {
  const size_t n = s.size();
  const size_t m = needle.size();
  if (m == 0 || from >= n || n - from < m) return n;
  const char first_lower = needle[0];
  const char first_upper = (first_lower >= 'a' && first_lower <= 'z')
                               ? static_cast<char>(first_lower - 32)
                               : first_lower;
  size_t i = from;
  const size_t last = n - m;
  while (i <= last) {
    // Jump to the next byte that can start a match.
    const void* a = std::memchr(s.data() + i, first_lower, last - i + 1);
    const void* b =
        first_upper != first_lower ? std::memchr(s.data() + i, first_upper, last - i + 1) : nullptr;
    size_t pa = a ? static_cast<size_t>(static_cast<const char*>(a) - s.data()) : n;
    size_t pb = b ? static_cast<size_t>(static_cast<const char*>(b) - s.data()) : n;
    size_t p = pa < pb ? pa : pb;
    if (p > last) return n;
    size_t k = 1;
    while (k < m && Lower(s[p + k]) == needle[k]) ++k;
    if (k == m) return p;
    i = p + 1;
  }
  return n;
}

enum class TagKind : uint8_t {
  kInline,      // removed, nothing emitted
  kBlock,       // line break before and after
  kBreak,       // <br>: one line break
  kCell,        // <td>, <th>: kept apart from the previous cell
  kRawSkip,     // <script>, <style>, <title>: content dropped up to the close tag
  kHead,        // <head>: dropped up to </head> or <body>
  kHiddenTree,  // <ix:header>: content dropped up to the matching close tag
  kPre,         // <pre>: whitespace kept
};

TagKind Classify(std::string_view name) {
  switch (name.size()) {
    case 1:
      if (name[0] == 'p') return TagKind::kBlock;
      break;
    case 2:
      if (name == "br") return TagKind::kBreak;
      if (name == "td" || name == "th") return TagKind::kCell;
      if (name == "tr" || name == "li" || name == "ul" || name == "ol" || name == "dl" ||
          name == "dt" || name == "dd" || name == "hr") {
        return TagKind::kBlock;
      }
      if (name[0] == 'h' && name[1] >= '1' && name[1] <= '6') return TagKind::kBlock;
      break;
    case 3:
      if (name == "div" || name == "nav") return TagKind::kBlock;
      if (name == "pre" || name == "xmp") return TagKind::kPre;
      break;
    case 4:
      if (name == "head") return TagKind::kHead;
      if (name == "body" || name == "form" || name == "html" || name == "page") {
        return TagKind::kBlock;
      }
      break;
    case 5:
      if (name == "table" || name == "thead" || name == "tbody" || name == "tfoot") {
        return TagKind::kBlock;
      }
      if (name == "style" || name == "title") return TagKind::kRawSkip;
      break;
    case 6:
      if (name == "center" || name == "header" || name == "footer" || name == "figure" ||
          name == "aside") {
        return TagKind::kBlock;
      }
      if (name == "script") return TagKind::kRawSkip;
      break;
    case 7:
      if (name == "section" || name == "article" || name == "address" || name == "caption" ||
          name == "details") {
        return TagKind::kBlock;
      }
      if (name == "listing") return TagKind::kPre;
      break;
    case 8:
      if (name == "noscript") return TagKind::kRawSkip;
      if (name == "fieldset" || name == "colgroup") return TagKind::kBlock;
      break;
    case 9:
      if (name == "ix:header") return TagKind::kHiddenTree;
      break;
    case 10:
      if (name == "blockquote" || name == "figcaption") return TagKind::kBlock;
      break;
    default:
      break;
  }
  return TagKind::kInline;
}

bool IsVoidElement(std::string_view name) {
  return name == "br" || name == "hr" || name == "img" || name == "meta" || name == "link" ||
         name == "input" || name == "col" || name == "area" || name == "base" || name == "wbr" ||
         name == "param" || name == "source" || name == "embed";
}

// Elements whose end tag may be omitted: they end at the next block.
bool HasOptionalEndTag(std::string_view name) {
  return name == "p" || name == "li" || name == "dt" || name == "dd" || name == "tr" ||
         name == "td" || name == "th" || name == "option";
}

// True when a style attribute value hides its element (display:none).
bool StyleHides(std::string_view style) {
  // Compare with spaces removed: "display : none" and "DISPLAY:NONE" count.
  static constexpr std::string_view kNeedle = "display:none";
  size_t k = 0;
  for (char c : style) {
    if (IsSpace(c)) continue;
    char l = Lower(c);
    if (l == kNeedle[k]) {
      if (++k == kNeedle.size()) return true;
    } else {
      k = (l == kNeedle[0]) ? 1 : 0;
    }
  }
  return false;
}

// Cheap pre-check for StyleHides: the value says "none" somewhere.
bool MayHide(std::string_view style) {
  return style.find("none") != std::string_view::npos ||
         style.find("NONE") != std::string_view::npos ||
         style.find("None") != std::string_view::npos;
}

// Bytes that plain text runs are made of: not whitespace, '<', '&', and not
// 0xC2 (which may start a no-break space).
struct TextClass {
  bool plain[256];
  constexpr TextClass() : plain() {
    for (int c = 0; c < 256; ++c) {
      plain[c] = !(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
                   c == '<' || c == '&' || c == 0xC2);
    }
  }
};
constexpr TextClass kTextClass{};

class Converter {
 public:
  explicit Converter(std::string_view in) : in_(in) { out_.reserve(in.size() / 2 + 16); }

  std::string Run() {
    const size_t n = in_.size();
    size_t i = 0;
    while (i < n) {
      const char c = in_[i];
      if (c == '<') {
        i = Tag(i);
      } else if (c == '&') {
        i = Entity(i);
      } else if (!Emitting()) {
        // Hidden content: jump to the next tag.
        const void* lt = std::memchr(in_.data() + i, '<', n - i);
        i = lt ? static_cast<size_t>(static_cast<const char*>(lt) - in_.data()) : n;
      } else if (pre_depth_ == 0 && kTextClass.plain[static_cast<unsigned char>(c)]) {
        // A run of word bytes, appended at once.
        size_t j = i + 1;
        while (j < n && kTextClass.plain[static_cast<unsigned char>(in_[j])]) ++j;
        Word(in_.substr(i, j - i));
        i = j;
      } else if (pre_depth_ == 0 && c != static_cast<char>(0xC2)) {
        pending_space_ = true;
        ++i;
      } else {
        // <pre> text, or a 0xC2 byte (no-break space or a letter).
        size_t j = i + 1;
        while (j < n && in_[j] != '<' && in_[j] != '&') ++j;
        Text(in_.substr(i, j - i));
        i = j;
      }
    }
    // Trim trailing whitespace.
    while (!out_.empty() && IsSpace(out_.back())) out_.pop_back();
    return std::move(out_);
  }

 private:
  bool Emitting() const { return hidden_depth_ == 0; }

  // Appends text, collapsing whitespace as HTML does (outside <pre>).
  void Text(std::string_view t) {
    if (!Emitting()) return;
    if (pre_depth_ > 0) {
      for (char c : t) {
        if (c == '\r') continue;
        if (c == '\n') {
          Newline(false);
        } else {
          out_.push_back(c);
          newlines_ = 0;
        }
      }
      return;
    }
    const size_t n = t.size();
    size_t i = 0;
    while (i < n) {
      const unsigned char c = static_cast<unsigned char>(t[i]);
      if (IsSpace(static_cast<char>(c))) {
        pending_space_ = true;
        ++i;
        continue;
      }
      if (c == 0xC2 && i + 1 < n && static_cast<unsigned char>(t[i + 1]) == 0xA0) {
        // A raw no-break space is a space.
        pending_space_ = true;
        i += 2;
        continue;
      }
      size_t j = i;
      while (j < n && !IsSpace(t[j]) &&
             !(static_cast<unsigned char>(t[j]) == 0xC2 && j + 1 < n &&
               static_cast<unsigned char>(t[j + 1]) == 0xA0)) {
        ++j;
      }
      Word(t.substr(i, j - i));
      i = j;
    }
  }

  // Appends non-space bytes, preceded by a single space when one is pending.
  void Word(std::string_view w) {
    if (w.empty()) return;
    if (pending_space_ && !AtLineStart() && out_.back() != '\t' && out_.back() != ' ') {
      out_.push_back(' ');
    }
    pending_space_ = false;
    out_.append(w.data(), w.size());
    newlines_ = 0;
  }

  bool AtLineStart() const { return out_.empty() || out_.back() == '\n'; }

  // Ends the current line. `paragraph` allows one blank line after it; more
  // than one blank line is never emitted.
  void Newline(bool soft) {
    if (!Emitting()) return;
    pending_space_ = false;
    while (!out_.empty() && (out_.back() == ' ' || out_.back() == '\t')) out_.pop_back();
    if (out_.empty()) return;
    if (soft) {
      if (out_.back() != '\n') {
        out_.push_back('\n');
        newlines_ = 1;
      }
      return;
    }
    if (newlines_ < 2) {
      out_.push_back('\n');
      ++newlines_;
    }
  }

  void CellBreak() {
    if (!Emitting()) return;
    pending_space_ = false;
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    if (AtLineStart() || out_.back() == '\t') return;
    out_.push_back('\t');
    newlines_ = 0;
  }

  void AppendCodepoint(uint32_t cp) {
    if (!Emitting()) return;
    if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
        cp == 0x3000) {
      if (pre_depth_ > 0) {
        out_.push_back(' ');
      } else {
        pending_space_ = true;
      }
      return;
    }
    if (cp == 0x200B || cp == 0xFEFF || cp == 0xAD || cp == 0x200C || cp == 0x200D) return;
    if (cp == '\n' || cp == '\r' || cp == '\t' || cp == ' ') {
      if (pre_depth_ > 0) {
        if (cp == '\n')
          Newline(false);
        else if (cp != '\r')
          out_.push_back(static_cast<char>(cp));
      } else {
        pending_space_ = true;
      }
      return;
    }
    char buf[4];
    size_t len = EncodeUtf8(cp, buf);
    Word(std::string_view(buf, len));
  }

  // Decodes the entity at in_[i] == '&'. Returns the index after it.
  size_t Entity(size_t i) {
    const size_t n = in_.size();
    size_t j = i + 1;
    if (j < n && in_[j] == '#') {
      ++j;
      bool hex = false;
      if (j < n && (in_[j] == 'x' || in_[j] == 'X')) {
        hex = true;
        ++j;
      }
      const size_t digits_start = j;
      uint32_t cp = 0;
      bool overflow = false;
      while (j < n &&
             (hex ? std::isxdigit(static_cast<unsigned char>(in_[j])) != 0 : IsDigit(in_[j]))) {
        const char d = in_[j];
        uint32_t v = IsDigit(d) ? static_cast<uint32_t>(d - '0')
                                : static_cast<uint32_t>(Lower(d) - 'a' + 10);
        if (cp > 0x10FFFF) {
          overflow = true;
        } else {
          cp = cp * (hex ? 16 : 10) + v;
        }
        ++j;
      }
      if (j == digits_start) {
        Text(in_.substr(i, 1));
        return i + 1;
      }
      if (j < n && in_[j] == ';') ++j;
      if (overflow || cp > 0x10FFFF || cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
        cp = 0xFFFD;
      } else if (cp >= 0x80 && cp <= 0x9F) {
        // Sloppy HTML writes Windows-1252 code units as numeric references.
        cp = Cp1252ToUnicode(static_cast<unsigned char>(cp));
      } else if (cp < 0x20 && cp != '\n' && cp != '\t' && cp != '\r') {
        cp = ' ';
      }
      AppendCodepoint(cp);
      return j;
    }
    // Named entity: up to 32 alphanumerics.
    size_t k = j;
    while (k < n && k - j < 32 && IsAlnum(in_[k])) ++k;
    if (k == j) {
      Text(in_.substr(i, 1));
      return i + 1;
    }
    std::string_view name = in_.substr(j, k - j);
    const bool semicolon = k < n && in_[k] == ';';
    EntityValue v;
    if (LookupEntity(name, &v)) {
      AppendEntityValue(v);
      return semicolon ? k + 1 : k;
    }
    if (!semicolon) {
      // Legacy references without ';' may be glued to following letters
      // ("&ampfoo"); try the longest known prefix.
      for (size_t len = name.size() - 1; len >= 2; --len) {
        if (LookupEntity(name.substr(0, len), &v) && v.legacy) {
          AppendEntityValue(v);
          return j + len;
        }
      }
    }
    Text(in_.substr(i, 1));
    return i + 1;
  }

  void AppendEntityValue(const EntityValue& v) {
    AppendCodepoint(v.cp1);
    if (v.cp2 != 0) AppendCodepoint(v.cp2);
  }

  // Handles the markup starting at in_[i] == '<'. Returns the index after it.
  size_t Tag(size_t i) {
    const size_t n = in_.size();
    size_t j = i + 1;
    if (j >= n) {
      Text(in_.substr(i, 1));
      return n;
    }
    const char c = in_[j];
    if (c == '!') {
      if (in_.substr(j, 3) == "!--") {
        size_t end = in_.find("-->", j + 3);
        return end == std::string_view::npos ? n : end + 3;
      }
      if (in_.substr(j, 8) == "![CDATA[") {
        size_t end = in_.find("]]>", j + 8);
        size_t stop = end == std::string_view::npos ? n : end;
        Text(in_.substr(j + 8, stop - (j + 8)));
        return end == std::string_view::npos ? n : end + 3;
      }
      size_t end = in_.find('>', j);
      return end == std::string_view::npos ? n : end + 1;
    }
    if (c == '?') {
      size_t end = in_.find('>', j);
      return end == std::string_view::npos ? n : end + 1;
    }
    bool closing = false;
    if (c == '/') {
      closing = true;
      ++j;
    }
    if (j >= n || !IsAlpha(in_[j])) {
      // Not a tag: a literal '<' as in "a < b".
      Text(in_.substr(i, 1));
      return i + 1;
    }
    // Tag name, lower-cased into a small buffer (longer names are cut; they
    // are never names we act on).
    char name_buf[16];
    size_t name_len = 0;
    while (j < n &&
           (IsAlnum(in_[j]) || in_[j] == ':' || in_[j] == '-' || in_[j] == '_' || in_[j] == '.')) {
      if (name_len < sizeof(name_buf)) name_buf[name_len] = Lower(in_[j]);
      ++name_len;
      ++j;
    }
    if (name_len > sizeof(name_buf)) name_len = sizeof(name_buf) - 1;  // never matches
    std::string_view name(name_buf, name_len);
    // Attributes up to '>'; only style matters.
    bool hides = false;
    bool self_closing = false;
    size_t end = ScanAttributes(j, &hides, &self_closing);
    const TagKind kind = Classify(name);

    if (hidden_depth_ > 0 && hidden_implicit_end_ &&
        (kind == TagKind::kBlock || kind == TagKind::kCell || kind == TagKind::kPre)) {
      // A hidden <p> (or <li>, <td>, ...) whose end tag is optional ends at
      // the next block boundary, as in a browser.
      const bool own_close = closing && name == hidden_name_;
      hidden_depth_ = 0;
      hidden_name_.clear();
      hidden_implicit_end_ = false;
      if (own_close) {
        Newline(true);
        return end;
      }
    }
    if (closing) {
      CloseTag(name, kind);
      return end;
    }
    if (hidden_depth_ > 0) {
      // Inside a hidden element: only track nesting of the element's name.
      if (!self_closing && name == hidden_name_) ++hidden_depth_;
      if (kind == TagKind::kRawSkip) return SkipRaw(end, name);
      return end;
    }
    switch (kind) {
      case TagKind::kRawSkip:
        return SkipRaw(end, name);
      case TagKind::kHead: {
        // Dropped up to </head> or <body>; a head that never closes is kept.
        // Each search ends where the conversion resumes (or is never
        // repeated), so repeated <head> tags stay linear.
        if (no_head_end_) break;
        const size_t close = head_close_absent_ ? n : FindNoCase(in_, end, "</head");
        if (close >= n) head_close_absent_ = true;
        const size_t body = FindNoCase(in_.substr(0, close), end, "<body");
        const size_t stop = close < body ? close : body;
        if (stop >= n) {
          no_head_end_ = true;
          break;
        }
        return stop;
      }
      default:
        break;
    }
    if (hides || kind == TagKind::kHiddenTree) {
      if (!self_closing && !IsVoidElement(name)) {
        hidden_name_.assign(name.data(), name.size());
        hidden_depth_ = 1;
        hidden_implicit_end_ = HasOptionalEndTag(name);
        if (kind == TagKind::kBlock) Newline(true);
      }
      return end;
    }
    switch (kind) {
      case TagKind::kBlock:
        Newline(true);
        if (name == "p" || name == "table") Newline(false);
        break;
      case TagKind::kBreak:
        Newline(false);
        break;
      case TagKind::kCell:
        CellBreak();
        break;
      case TagKind::kPre:
        Newline(true);
        if (!self_closing) ++pre_depth_;
        break;
      default:
        break;
    }
    return end;
  }

  void CloseTag(std::string_view name, TagKind kind) {
    if (hidden_depth_ > 0) {
      if (name == hidden_name_ && --hidden_depth_ == 0) {
        hidden_name_.clear();
        if (kind == TagKind::kBlock) Newline(true);
      }
      return;
    }
    switch (kind) {
      case TagKind::kBlock:
        Newline(true);
        break;
      case TagKind::kBreak:
        Newline(false);
        break;
      case TagKind::kCell:
        CellBreak();
        break;
      case TagKind::kPre:
        if (pre_depth_ > 0) --pre_depth_;
        Newline(true);
        break;
      default:
        break;
    }
  }

  // Skips the raw content of <script>/<style>/<title> up to its close tag
  // (to the end when it never closes).
  size_t SkipRaw(size_t from, std::string_view name) {
    char close[20] = "</";
    size_t len = 2;
    for (char ch : name) {
      if (len + 1 >= sizeof(close)) break;
      close[len++] = ch;
    }
    const bool title = name == "title";
    if (title && title_close_absent_) return from;
    size_t at = FindNoCase(in_, from, std::string_view(close, len));
    if (at >= in_.size()) {
      // An unclosed <title> in sloppy HTML would swallow the document: keep
      // it (and do not search again for a close tag that is not there).
      if (title) {
        title_close_absent_ = true;
        return from;
      }
      return in_.size();
    }
    size_t gt = in_.find('>', at);
    return gt == std::string_view::npos ? in_.size() : gt + 1;
  }

  // Scans attributes from in_[j] to the end of the tag. Sets *hides when a
  // style attribute says display:none. Returns the index after '>'.
  size_t ScanAttributes(size_t j, bool* hides, bool* self_closing) {
    const size_t n = in_.size();
    while (j < n) {
      const char c = in_[j];
      if (c == '>') {
        *self_closing = j > 0 && in_[j - 1] == '/';
        return j + 1;
      }
      if (c == '<') {
        // Unclosed tag ("<p<b>"): end it here so the next tag is seen.
        return j;
      }
      if (IsAlpha(c)) {
        size_t a = j;
        while (j < n && !IsSpace(in_[j]) && in_[j] != '=' && in_[j] != '>' && in_[j] != '<') ++j;
        std::string_view attr = in_.substr(a, j - a);
        while (j < n && IsSpace(in_[j])) ++j;
        if (j < n && in_[j] == '=') {
          ++j;
          while (j < n && IsSpace(in_[j])) ++j;
          size_t vstart = j;
          size_t vend = j;
          if (j < n && (in_[j] == '"' || in_[j] == '\'')) {
            const char q = in_[j];
            // A quote that does not close within a sane distance (or before
            // the next '<') was sloppy: treat the value as unquoted.
            // Only the bytes up to the next '<' are searched, so that
            // repeated sloppy quotes stay linear.
            size_t limit = j + 1 + 65536 < n ? j + 1 + 65536 : n;
            if (const void* lt = std::memchr(in_.data() + j + 1, '<', limit - (j + 1))) {
              limit = static_cast<size_t>(static_cast<const char*>(lt) - in_.data());
            }
            const void* qp = std::memchr(in_.data() + j + 1, q, limit - (j + 1));
            const size_t k =
                qp ? static_cast<size_t>(static_cast<const char*>(qp) - in_.data()) : limit;
            if (k < limit) {
              vstart = j + 1;
              vend = k;
              j = k + 1;
            } else {
              ++j;
              vstart = j;
              while (j < n && !IsSpace(in_[j]) && in_[j] != '>' && in_[j] != '<') ++j;
              vend = j;
            }
          } else {
            while (j < n && !IsSpace(in_[j]) && in_[j] != '>' && in_[j] != '<') ++j;
            vend = j;
          }
          if (attr.size() == 5 && Lower(attr[0]) == 's' && Lower(attr[1]) == 't' &&
              Lower(attr[2]) == 'y' && Lower(attr[3]) == 'l' && Lower(attr[4]) == 'e' &&
              MayHide(in_.substr(vstart, vend - vstart)) &&
              StyleHides(in_.substr(vstart, vend - vstart))) {
            *hides = true;
          }
        }
        continue;
      }
      ++j;
    }
    return n;
  }

  std::string_view in_;
  std::string out_;
  int newlines_ = 0;  // consecutive '\n' at the end of out_
  bool pending_space_ = false;
  int pre_depth_ = 0;
  int64_t hidden_depth_ = 0;  // > 0 inside display:none or <ix:header>
  std::string hidden_name_;
  bool hidden_implicit_end_ = false;  // the hidden element's end tag is optional
  bool no_head_end_ = false;          // neither </head> nor <body> follows
  bool head_close_absent_ = false;    // no </head> follows
  bool title_close_absent_ = false;   // no </title> follows
};

// Length of the valid UTF-8 sequence at s[i] (s[i] >= 0x80), 0 if invalid.
size_t Utf8Length(std::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  size_t len;
  uint32_t cp;
  uint32_t min;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
    min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
    min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const unsigned char b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// True when `s` is valid UTF-8. EDGAR HTML is mostly ASCII (non-ASCII
// characters come as entities), so ASCII is skipped eight bytes at a time.
bool IsUtf8(std::string_view s) {
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t len = Utf8Length(s, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

}  // namespace

bool LooksLikeHtml(std::string_view body) {
  const std::string_view window = body.substr(0, 64 * 1024);
  static constexpr std::string_view kStrong[] = {"<html", "<body", "<div", "<font",
                                                 "<td",   "<tr",   "<br",  "<!doctype html",
                                                 "<span", "<ix:",  "<xbrl"};
  for (std::string_view tag : kStrong) {
    size_t at = FindNoCase(window, 0, tag);
    if (at >= window.size()) continue;
    size_t after = at + tag.size();
    if (tag.back() == ':' || tag == "<!doctype html") return true;
    if (after >= window.size()) continue;
    const char c = window[after];
    if (c == '>' || c == '/' || IsSpace(c)) return true;
  }
  // <p> alone (not EDGAR's <PAGE>).
  size_t at = 0;
  while ((at = FindNoCase(window, at, "<p")) < window.size()) {
    size_t after = at + 2;
    if (after < window.size() && (window[after] == '>' || IsSpace(window[after]))) return true;
    at = after;
  }
  return false;
}

std::string HtmlToText(std::string_view html) {
  if (IsUtf8(html)) return Converter(html).Run();
  const std::string utf8 = ToUtf8(html);
  return Converter(utf8).Run();
}

}  // namespace edgarix::parse
