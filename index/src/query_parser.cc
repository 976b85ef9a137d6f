// The query language of DESIGN.md §3.2: a hand-written recursive-descent
// parser over a one-token-lookahead lexer. Grammar, loosest first:
//
//   query   := or EOF
//   or      := and ( "OR" and )*
//   and     := unary ( ["AND"] unary )*          (implicit AND)
//   unary   := ( "NOT" | "-" ) unary | near
//   near    := primary ( "NEAR" ["/" n] primary )*
//   primary := "(" or ")" | "\"phrase\"" | field ":" value | word
//
// Recursion is bounded by kMaxDepth (parentheses, NOT and NEAR chains all
// count), so the parser and every walker of its AST stay far from the stack
// limit whatever the input.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "edgarix/core/ids.h"
#include "edgarix/core/tokenizer.h"
#include "query_ast.h"

namespace edgarix::index {
namespace {

constexpr size_t kMaxQueryBytes = size_t{1} << 20;
constexpr int kMaxDepth = 256;
// Nodes plus phrase words; bounds the AST's memory for a 1 MiB query.
constexpr size_t kMaxClauses = 65536;
constexpr int kDefaultNearDistance = 10;
constexpr int kMaxNearDistance = 1000;

constexpr std::string_view kFields[] = {"form",  "rootform", "cik", "company", "event", "item",
                                        "filed", "year",     "sic", "state",   "in",    "doc"};

using NodePtr = std::unique_ptr<QueryNode>;
using Kind = QueryNode::Kind;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
// Ends a bare word (and an unquoted field value).
bool IsWordEnd(char c) { return IsSpace(c) || c == '(' || c == ')' || c == '"'; }

std::string ToUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}
std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}
bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

absl::Status ErrorAt(size_t position, std::string_view reason) {
  return absl::InvalidArgumentError("at position " + std::to_string(position) + ": " +
                                    std::string(reason));
}

enum class Tok { kEnd, kLParen, kRParen, kQuoted, kWord, kField, kMinus, kOr, kAnd, kNot, kNear };

struct Token {
  Tok kind = Tok::kEnd;
  size_t pos = 0;          // first byte of the token
  std::string_view text;   // word, phrase content, or field name
  size_t text_pos = 0;     // first byte of `text`
  std::string_view value;  // field value (quotes removed)
  size_t value_pos = 0;    // first byte of `value`
  int distance = 0;        // NEAR distance
};

class Parser {
 public:
  explicit Parser(std::string_view query) : q_(query) {}

  absl::StatusOr<NodePtr> Parse() {
    if (q_.size() > kMaxQueryBytes) {
      return ErrorAt(kMaxQueryBytes,
                     "query longer than 1 MiB (" + std::to_string(q_.size()) + " bytes)");
    }
    if (auto s = Advance(); !s.ok()) return s;
    bool any = false;
    auto node = ParseOr(&any);
    if (!node.ok()) return node.status();
    if (cur_.kind == Tok::kRParen) return ErrorAt(cur_.pos, "unmatched ')'");
    if (!any) return ErrorAt(0, "empty query");
    if (*node == nullptr) {
      return ErrorAt(0, "the query has no searchable words (only punctuation)");
    }
    return std::move(*node);
  }

 private:
  // ---- Lexer -------------------------------------------------------------

  // Reads the next token into cur_.
  absl::Status Advance() {
    size_t i = pos_;
    while (i < q_.size() && IsSpace(q_[i])) ++i;
    cur_ = Token{};
    cur_.pos = i;
    if (i >= q_.size()) {
      pos_ = i;
      cur_.kind = Tok::kEnd;
      return absl::OkStatus();
    }
    const char c = q_[i];
    if (c == '(' || c == ')') {
      cur_.kind = c == '(' ? Tok::kLParen : Tok::kRParen;
      pos_ = i + 1;
      return absl::OkStatus();
    }
    if (c == '"') {
      const size_t close = q_.find('"', i + 1);
      if (close == std::string_view::npos) return ErrorAt(i, "unclosed quote");
      cur_.kind = Tok::kQuoted;
      cur_.text = q_.substr(i + 1, close - i - 1);
      cur_.text_pos = i + 1;
      pos_ = close + 1;
      return absl::OkStatus();
    }
    // A '-' that starts a token and is glued to what follows negates it.
    if (c == '-' && i + 1 < q_.size() && !IsSpace(q_[i + 1]) && q_[i + 1] != ')') {
      cur_.kind = Tok::kMinus;
      pos_ = i + 1;
      return absl::OkStatus();
    }
    // field:value, where the field name is ASCII letters.
    size_t j = i;
    while (j < q_.size() && IsAlpha(q_[j])) ++j;
    if (j > i && j < q_.size() && q_[j] == ':') {
      const std::string_view name = q_.substr(i, j - i);
      const size_t v = j + 1;
      if (v < q_.size() && q_[v] == '"') {
        const size_t close = q_.find('"', v + 1);
        if (close == std::string_view::npos) return ErrorAt(v, "unclosed quote");
        cur_.kind = Tok::kField;
        cur_.text = name;
        cur_.text_pos = i;
        cur_.value = q_.substr(v + 1, close - v - 1);
        cur_.value_pos = v + 1;
        pos_ = close + 1;
        return absl::OkStatus();
      }
      size_t e = v;
      while (e < q_.size() && !IsWordEnd(q_[e])) ++e;
      cur_.kind = Tok::kField;
      cur_.text = name;
      cur_.text_pos = i;
      cur_.value = q_.substr(v, e - v);
      cur_.value_pos = v;
      pos_ = e;
      return absl::OkStatus();
    }
    size_t e = i;
    while (e < q_.size() && !IsWordEnd(q_[e])) ++e;
    const std::string_view word = q_.substr(i, e - i);
    pos_ = e;
    cur_.text = word;
    cur_.text_pos = i;
    if (word == "OR") {
      cur_.kind = Tok::kOr;
    } else if (word == "AND") {
      cur_.kind = Tok::kAnd;
    } else if (word == "NOT") {
      cur_.kind = Tok::kNot;
    } else if (word == "NEAR") {
      cur_.kind = Tok::kNear;
      cur_.distance = kDefaultNearDistance;
    } else if (word.substr(0, 5) == "NEAR/") {
      const std::string_view digits = word.substr(5);
      if (!AllDigits(digits)) {
        return ErrorAt(i + 5, "NEAR/ needs a number of words, as in NEAR/10");
      }
      int distance = 0;
      for (char d : digits) {
        distance = distance * 10 + (d - '0');
        if (distance > kMaxNearDistance) break;
      }
      if (distance < 1 || distance > kMaxNearDistance) {
        return ErrorAt(i + 5,
                       "NEAR distance must be between 1 and " + std::to_string(kMaxNearDistance));
      }
      cur_.kind = Tok::kNear;
      cur_.distance = distance;
    } else {
      cur_.kind = Tok::kWord;
    }
    return absl::OkStatus();
  }

  // ---- Grammar -----------------------------------------------------------

  // Every parse function returns nullptr for a clause that was dropped
  // because it has no searchable words (punctuation only).

  // or := and ( OR and )*. Sets *any when it consumed at least one clause
  // (even a dropped one).
  absl::StatusOr<NodePtr> ParseOr(bool* any) {
    bool first_any = false;
    auto first = ParseAnd(&first_any);
    if (!first.ok()) return first.status();
    if (!first_any && cur_.kind == Tok::kOr) {
      return ErrorAt(cur_.pos, "OR needs a clause before it");
    }
    *any = first_any;
    if (cur_.kind != Tok::kOr) return std::move(*first);
    std::vector<NodePtr> children;
    if (*first) children.push_back(std::move(*first));
    while (cur_.kind == Tok::kOr) {
      const size_t op = cur_.pos;
      if (auto s = Advance(); !s.ok()) return s;
      bool rhs_any = false;
      auto rhs = ParseAnd(&rhs_any);
      if (!rhs.ok()) return rhs.status();
      if (!rhs_any) return ErrorAt(op, "OR needs a clause after it");
      if (*rhs) children.push_back(std::move(*rhs));
    }
    return Group(Kind::kOr, std::move(children));
  }

  // and := unary ( [AND] unary )*
  absl::StatusOr<NodePtr> ParseAnd(bool* any) {
    *any = false;
    std::vector<NodePtr> children;
    while (true) {
      const Tok k = cur_.kind;
      if (k == Tok::kEnd || k == Tok::kRParen || k == Tok::kOr) break;
      if (k == Tok::kAnd) {
        const size_t op = cur_.pos;
        if (!*any) return ErrorAt(op, "AND needs a clause before it");
        if (auto s = Advance(); !s.ok()) return s;
        const Tok n = cur_.kind;
        if (n == Tok::kEnd || n == Tok::kRParen || n == Tok::kOr || n == Tok::kAnd) {
          return ErrorAt(op, "AND needs a clause after it");
        }
        continue;
      }
      if (k == Tok::kNear) return ErrorAt(cur_.pos, "NEAR needs a clause before it");
      auto clause = ParseUnary();
      if (!clause.ok()) return clause.status();
      *any = true;
      if (*clause) children.push_back(std::move(*clause));
    }
    return Group(Kind::kAnd, std::move(children));
  }

  // Builds an AND/OR node; one child stands for itself, none is dropped.
  absl::StatusOr<NodePtr> Group(Kind kind, std::vector<NodePtr> children) {
    if (children.empty()) return NodePtr();
    if (children.size() == 1) return std::move(children[0]);
    auto node = std::make_unique<QueryNode>();
    node->kind = kind;
    node->position = children[0]->position;
    node->children = std::move(children);
    if (auto s = Count(node->position, 1); !s.ok()) return s;
    return node;
  }

  // unary := (NOT | -) unary | near
  absl::StatusOr<NodePtr> ParseUnary() {
    if (cur_.kind != Tok::kNot && cur_.kind != Tok::kMinus) return ParseNear();
    const size_t op = cur_.pos;
    const std::string_view name = cur_.kind == Tok::kNot ? "NOT" : "-";
    if (auto s = Advance(); !s.ok()) return s;
    const Tok n = cur_.kind;
    if (n == Tok::kEnd || n == Tok::kRParen || n == Tok::kOr || n == Tok::kAnd || n == Tok::kNear) {
      return ErrorAt(op, std::string(name) + " needs a clause after it");
    }
    if (++depth_ > kMaxDepth) return DepthError(op);
    auto child = ParseUnary();
    --depth_;
    if (!child.ok()) return child.status();
    if (*child == nullptr) return NodePtr();
    auto node = std::make_unique<QueryNode>();
    node->kind = Kind::kNot;
    node->position = op;
    node->children.push_back(std::move(*child));
    if (auto s = Count(op, 1); !s.ok()) return s;
    return node;
  }

  // near := primary ( NEAR[/n] primary )*
  absl::StatusOr<NodePtr> ParseNear() {
    auto left = ParsePrimary();
    if (!left.ok()) return left.status();
    NodePtr node = std::move(*left);
    int chain = 0;
    while (cur_.kind == Tok::kNear) {
      const size_t op = cur_.pos;
      const int distance = cur_.distance;
      if (node == nullptr) return ErrorAt(op, "NEAR needs a word or phrase before it");
      if (auto s = Advance(); !s.ok()) return s;
      const Tok n = cur_.kind;
      if (n != Tok::kWord && n != Tok::kQuoted && n != Tok::kLParen && n != Tok::kField) {
        return ErrorAt(op, "NEAR needs a word or phrase after it");
      }
      if (++chain + depth_ > kMaxDepth) return DepthError(op);
      auto right = ParsePrimary();
      if (!right.ok()) return right.status();
      if (*right == nullptr) return ErrorAt(op, "NEAR needs a word or phrase after it");
      if (!Nearable(*node)) return NearOperandError(*node);
      if (!Nearable(**right)) return NearOperandError(**right);
      auto near = std::make_unique<QueryNode>();
      near->kind = Kind::kNear;
      near->distance = distance;
      near->position = node->position;
      near->children.push_back(std::move(node));
      near->children.push_back(std::move(*right));
      if (auto s = Count(op, 1); !s.ok()) return s;
      node = std::move(near);
    }
    return node;
  }

  // NEAR works on positions: words, prefixes, phrases, other NEARs, and
  // parenthesised ORs of those.
  static bool Nearable(const QueryNode& n) {
    switch (n.kind) {
      case Kind::kTerm:
      case Kind::kPrefix:
      case Kind::kPhrase:
      case Kind::kNear:
        return true;
      case Kind::kOr:
        for (const auto& c : n.children) {
          if (!Nearable(*c)) return false;
        }
        return true;
      default:
        return false;
    }
  }
  static absl::Status NearOperandError(const QueryNode& n) {
    return ErrorAt(n.position,
                   "NEAR works on words, prefixes, phrases and (... OR ...) "
                   "groups of them, not on fields, NOT or AND groups");
  }

  absl::StatusOr<NodePtr> ParsePrimary() {
    switch (cur_.kind) {
      case Tok::kLParen: {
        const size_t open = cur_.pos;
        if (++depth_ > kMaxDepth) return DepthError(open);
        if (auto s = Advance(); !s.ok()) return s;
        bool any = false;
        auto inner = ParseOr(&any);
        if (!inner.ok()) return inner.status();
        if (cur_.kind != Tok::kRParen) return ErrorAt(open, "unclosed parenthesis");
        if (!any) return ErrorAt(open, "empty parentheses");
        --depth_;
        if (auto s = Advance(); !s.ok()) return s;
        return std::move(*inner);
      }
      case Tok::kQuoted: {
        const Token t = cur_;
        if (auto s = Advance(); !s.ok()) return s;
        return TextNode(t.text, t.pos);
      }
      case Tok::kWord: {
        const Token t = cur_;
        if (auto s = Advance(); !s.ok()) return s;
        return TextNode(t.text, t.pos);
      }
      case Tok::kField: {
        const Token t = cur_;
        if (auto s = Advance(); !s.ok()) return s;
        return FieldNode(t);
      }
      default:
        // Callers only get here on a clause-starting token.
        return ErrorAt(cur_.pos, "expected a word, phrase, field or '('");
    }
  }

  // A bare word or phrase content: its tokens make a term, a prefix or a
  // phrase; none drops it. A trailing '*' marks a prefix.
  absl::StatusOr<NodePtr> TextNode(std::string_view text, size_t pos) {
    size_t end = text.size();
    while (end > 0 && IsSpace(text[end - 1])) --end;
    const bool prefix = end > 0 && text[end - 1] == '*';
    std::vector<std::string> terms;
    bool over = false;
    Tokenize(text, [&](std::string_view term, uint32_t, uint32_t) {
      if (clauses_ + terms.size() >= kMaxClauses) {
        over = true;
        return;
      }
      terms.emplace_back(term);
    });
    if (over) return TooManyClauses(pos);
    if (terms.empty()) return NodePtr();
    auto node = std::make_unique<QueryNode>();
    node->position = pos;
    if (terms.size() == 1) {
      node->kind = prefix ? Kind::kPrefix : Kind::kTerm;
      node->text = std::move(terms[0]);
    } else {
      node->kind = Kind::kPhrase;
      node->last_is_prefix = prefix;
      node->terms = std::move(terms);
    }
    if (auto s = Count(pos, 1 + node->terms.size()); !s.ok()) return s;
    return node;
  }

  absl::StatusOr<NodePtr> FieldNode(const Token& t) {
    const std::string name = ToLower(t.text);
    bool known = false;
    for (std::string_view f : kFields) known = known || f == name;
    if (!known) {
      if (t.value.empty()) {
        // "Note:" followed by a space: the colon is punctuation, not a field.
        return TextNode(t.text, t.text_pos);
      }
      return ErrorAt(t.text_pos, "unknown field '" + std::string(t.text) +
                                     ":' (fields: form, rootform, cik, company, event, "
                                     "item, filed, year, sic, state, in, doc; quote the "
                                     "text to search for it)");
    }
    std::string_view raw = t.value;
    size_t vpos = t.value_pos;
    // Quoted values may carry spaces at their ends.
    while (!raw.empty() && IsSpace(raw.front())) {
      raw.remove_prefix(1);
      ++vpos;
    }
    while (!raw.empty() && IsSpace(raw.back())) raw.remove_suffix(1);
    if (raw.empty()) return ErrorAt(t.value_pos, "missing value after '" + name + ":'");
    auto value = FieldValue(name, raw, vpos);
    if (!value.ok()) return value.status();
    auto node = std::make_unique<QueryNode>();
    node->kind = Kind::kField;
    node->field = name;
    node->value = std::move(*value);
    node->position = t.text_pos;
    if (auto s = Count(t.text_pos, 1); !s.ok()) return s;
    return node;
  }

  // Validates and normalises a field value; errors point at `pos`.
  static absl::StatusOr<std::string> FieldValue(const std::string& name, std::string_view v,
                                                size_t pos) {
    if (name == "form" || name == "rootform" || name == "doc" || name == "in") {
      return ToUpper(v);
    }
    if (name == "company") return std::string(v);
    if (name == "state") {
      if (v.size() != 2 || !IsAlnum(v[0]) || !IsAlnum(v[1])) {
        return ErrorAt(pos, "state must be a two-character code such as CA");
      }
      return ToUpper(v);
    }
    if (name == "cik") {
      auto cik = NormalizeCik(v);
      if (!cik) return ErrorAt(pos, "cik must be 1 to 10 digits, as in cik:803164");
      return *cik;
    }
    if (name == "sic") {
      if (!AllDigits(v) || v.size() > 4) {
        return ErrorAt(pos, "sic must be 1 to 4 digits, as in sic:6022");
      }
      return std::string(v);
    }
    if (name == "year") {
      if (!AllDigits(v) || v.size() != 4 || !NormalizeDate(std::string(v) + "0101")) {
        return ErrorAt(pos, "year must be a year between 1900 and 2199, as in year:2004");
      }
      return std::string(v);
    }
    if (name == "event" || name == "item") {
      // "2.02" (today's numbering); items may also be old ones ("12").
      const bool dotted =
          v.size() == 4 && IsDigit(v[0]) && v[1] == '.' && IsDigit(v[2]) && IsDigit(v[3]);
      const bool old = name == "item" && AllDigits(v) && v.size() <= 2;
      if (!dotted && !old) {
        return ErrorAt(pos, name == "event" ? "event must look like 2.02"
                                            : "item must look like 2.02, or 12 for an old item");
      }
      return std::string(v);
    }
    // filed: a date, a year or a month, or a range of them with "..".
    std::string_view lo = v, hi = v;
    size_t hi_pos = pos;
    const size_t dots = v.find("..");
    if (dots != std::string_view::npos) {
      lo = v.substr(0, dots);
      hi = v.substr(dots + 2);
      hi_pos = pos + dots + 2;
      while (!lo.empty() && IsSpace(lo.back())) lo.remove_suffix(1);
      while (!hi.empty() && IsSpace(hi.front())) {
        hi.remove_prefix(1);
        ++hi_pos;
      }
      if (lo.empty() && hi.empty()) {
        return ErrorAt(pos, "filed range needs a date on at least one side of '..'");
      }
    }
    std::string from, to;
    if (!lo.empty()) {
      auto d = DateBound(lo, /*upper=*/false);
      if (!d) return ErrorAt(pos, DateError());
      from = *d;
    }
    if (!hi.empty()) {
      auto d = DateBound(hi, /*upper=*/true);
      if (!d) return ErrorAt(hi_pos, DateError());
      to = *d;
    }
    if (!from.empty() && !to.empty() && to < from) {
      return ErrorAt(pos, "filed range ends before it starts");
    }
    return from + ".." + to;
  }

  static std::string DateError() {
    return "filed needs a date YYYY-MM-DD (or YYYY, YYYY-MM), or a range "
           "such as 2004-01-01..2004-12-31";
  }

  // YYYY-MM-DD / YYYYMMDD as is; YYYY and YYYY-MM widen to their first
  // (or, for an upper bound, last) day.
  static std::optional<std::string> DateBound(std::string_view s, bool upper) {
    if (s.size() == 4 && AllDigits(s)) {
      return NormalizeDate(std::string(s) + (upper ? "1231" : "0101"));
    }
    if (s.size() == 7 && s[4] == '-' && AllDigits(s.substr(0, 4)) && AllDigits(s.substr(5, 2))) {
      const std::string ym = std::string(s.substr(0, 4)) + std::string(s.substr(5, 2));
      if (!upper) return NormalizeDate(ym + "01");
      for (const char* last : {"31", "30", "29", "28"}) {
        if (auto d = NormalizeDate(ym + last)) return d;
      }
      return std::nullopt;
    }
    return NormalizeDate(s);
  }

  absl::Status Count(size_t pos, size_t n) {
    clauses_ += n;
    if (clauses_ > kMaxClauses) return TooManyClauses(pos);
    return absl::OkStatus();
  }
  static absl::Status TooManyClauses(size_t pos) {
    return ErrorAt(pos,
                   "query has more than " + std::to_string(kMaxClauses) + " words and operators");
  }
  static absl::Status DepthError(size_t pos) {
    return ErrorAt(pos, "nesting deeper than " + std::to_string(kMaxDepth));
  }

  std::string_view q_;
  size_t pos_ = 0;  // where the lexer reads next
  Token cur_;
  int depth_ = 0;
  size_t clauses_ = 0;
};

// ---- ToString --------------------------------------------------------------

bool NeedsQuotes(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v) {
    if (IsWordEnd(c)) return true;
  }
  return false;
}

void Render(const QueryNode& n, std::string* out);

void RenderChild(const QueryNode& c, bool parens, std::string* out) {
  if (parens) out->push_back('(');
  Render(c, out);
  if (parens) out->push_back(')');
}

void Render(const QueryNode& n, std::string* out) {
  switch (n.kind) {
    case Kind::kTerm:
      out->append(n.text);
      return;
    case Kind::kPrefix:
      out->append(n.text);
      out->push_back('*');
      return;
    case Kind::kPhrase:
      out->push_back('"');
      for (size_t i = 0; i < n.terms.size(); ++i) {
        if (i > 0) out->push_back(' ');
        out->append(n.terms[i]);
      }
      if (n.last_is_prefix) out->push_back('*');
      out->push_back('"');
      return;
    case Kind::kNear:
      if (n.children.size() != 2) return;
      RenderChild(*n.children[0],
                  n.children[0]->kind != Kind::kNear && n.children[0]->kind != Kind::kTerm &&
                      n.children[0]->kind != Kind::kPrefix &&
                      n.children[0]->kind != Kind::kPhrase && n.children[0]->kind != Kind::kField,
                  out);
      out->append(" NEAR/");
      out->append(std::to_string(n.distance));
      out->push_back(' ');
      RenderChild(*n.children[1],
                  n.children[1]->kind != Kind::kTerm && n.children[1]->kind != Kind::kPrefix &&
                      n.children[1]->kind != Kind::kPhrase && n.children[1]->kind != Kind::kField,
                  out);
      return;
    case Kind::kAnd:
      for (size_t i = 0; i < n.children.size(); ++i) {
        if (i > 0) out->push_back(' ');
        const Kind k = n.children[i]->kind;
        // A nested AND came from parentheses, which bound the scope of in:
        // and doc:, so keep them.
        RenderChild(*n.children[i], k == Kind::kOr || k == Kind::kAnd, out);
      }
      return;
    case Kind::kOr:
      for (size_t i = 0; i < n.children.size(); ++i) {
        if (i > 0) out->append(" OR ");
        RenderChild(*n.children[i], n.children[i]->kind == Kind::kOr, out);
      }
      return;
    case Kind::kNot: {
      if (n.children.empty()) return;
      const Kind k = n.children[0]->kind;
      out->push_back('-');
      RenderChild(*n.children[0], k == Kind::kAnd || k == Kind::kOr, out);
      return;
    }
    case Kind::kField:
      out->append(n.field);
      out->push_back(':');
      if (NeedsQuotes(n.value)) {
        out->push_back('"');
        out->append(n.value);
        out->push_back('"');
      } else {
        out->append(n.value);
      }
      return;
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<QueryNode>> ParseQuery(std::string_view query) {
  return Parser(query).Parse();
}

std::string ToString(const QueryNode& node) {
  std::string out;
  Render(node, &out);
  return out;
}

}  // namespace edgarix::index
