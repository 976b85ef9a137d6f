#include "search_engine.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <system_error>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "codec.h"
#include "edgarix/core/ids.h"
#include "edgarix/core/status_macros.h"
#include "edgarix/core/tokenizer.h"
#include "rocksdb/iterator.h"
#include "schema.h"
#include "store.h"

namespace edgarix::index {

namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
// Prefix expansions used to highlight matches in snippets.
constexpr size_t kMaxHighlightExpansions = 1000;
// Tie groups larger than this are ordered by precomputed key ranks rather
// than by reading each filing's record.
constexpr size_t kRankTieThreshold = 64;

using Kind = QueryNode::Kind;

absl::Status ErrorAt(size_t position, const std::string& reason) {
  return absl::InvalidArgumentError("at position " + std::to_string(position) + ": " +
                                    reason);
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool StartsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
}

// Inclusive token-position span of a match.
struct Span {
  uint32_t begin;
  uint32_t end;
  bool operator<(const Span& o) const {
    return begin != o.begin ? begin < o.begin : end < o.end;
  }
  bool operator==(const Span& o) const { return begin == o.begin && end == o.end; }
};
struct DocSpans {
  uint32_t doc;
  std::vector<Span> spans;  // sorted, unique
};
using SpanList = std::vector<DocSpans>;  // sorted by doc

Roaring DocsOf(const SpanList& list) {
  Roaring r;
  for (const auto& ds : list) r.add(ds.doc);
  return r;
}

// in:/doc: constraints: a match must lie inside a section with this id (and,
// when `form` is set, in a filing of that form) or inside a document of this
// type (exact, or prefix when `prefix`).
struct ScopeTerm {
  bool section = false;
  std::string form;
  std::string id;
  bool prefix = false;
};
using Scope = std::vector<ScopeTerm>;

ScopeTerm MakeScopeTerm(const QueryNode& n) {
  ScopeTerm t;
  t.section = n.field == "in";
  std::string v = Upper(n.value);
  if (!v.empty() && v.back() == '*') {
    t.prefix = true;
    v.pop_back();
  }
  if (t.section) {
    const size_t slash = v.rfind('/');
    if (slash != std::string::npos && slash + 1 < v.size()) {
      t.form = v.substr(0, slash);
      v = v.substr(slash + 1);
    }
  }
  t.id = std::move(v);
  return t;
}

bool IsScopeField(const QueryNode& n) {
  return n.kind == Kind::kField && (n.field == "in" || n.field == "doc");
}

}  // namespace

// One open database and what Search needs of it at hand.
struct SearchEngine::Db {
  std::unique_ptr<Store> store;
  Roaring live;  // doc ids in use and not replaced
  uint64_t next_doc = 0;
  uint64_t total_tokens = 0;
  uint64_t postings = 0;
  uint64_t failures = 0;
  std::vector<uint32_t> norms;  // doc id -> token count
};

namespace {

struct TermData {
  struct Chunk {
    bool loaded = false;
    std::vector<uint32_t> offsets, positions;
  };
  struct Segment {
    std::string key;
    size_t begin = 0, end = 0;  // indices into block.docs
    std::vector<Chunk> chunks;  // kPositionsChunkDocs docs each, loaded lazily
  };
  DocBlock block;
  std::vector<Segment> segments;
  std::optional<Roaring> bitmap;
};

// Per-search, per-database evaluation state (caches).
class DbSearch {
 public:
  explicit DbSearch(const SearchEngine::Db& db) : db_(db) {}

  const SearchEngine::Db& db() const { return db_; }

  absl::StatusOr<TermData*> Term(const std::string& term) {
    auto it = terms_.find(term);
    if (it != terms_.end()) return it->second.get();
    auto data = std::make_unique<TermData>();
    std::string prefix = term;
    prefix.push_back('\0');
    std::unique_ptr<rocksdb::Iterator> iter(
        db_.store->db->NewIterator(rocksdb::ReadOptions(), db_.store->cf(kCfPostings)));
    for (iter->Seek(prefix); iter->Valid() && iter->key().starts_with(prefix); iter->Next()) {
      if (iter->key().size() != prefix.size() + 4) continue;
      EDGARIX_RETURN_IF_ERROR(AppendBlock(*data, iter->key().ToString(), iter->value()));
    }
    EDGARIX_RETURN_IF_ERROR(ToStatus(iter->status(), "reading postings"));
    TermData* raw = data.get();
    terms_.emplace(term, std::move(data));
    return raw;
  }

  absl::Status AppendBlock(TermData& data, std::string key, const rocksdb::Slice& value) {
    TermData::Segment seg;
    seg.key = std::move(key);
    seg.begin = data.block.docs.size();
    if (!DecodeDocBlock(std::string_view(value.data(), value.size()), data.block)) {
      return absl::DataLossError("corrupt posting block in " + db_.store->path);
    }
    seg.end = data.block.docs.size();
    if (seg.begin > 0 && seg.end > seg.begin &&
        data.block.docs[seg.begin] <= data.block.docs[seg.begin - 1]) {
      return absl::DataLossError("posting segments out of order in " + db_.store->path);
    }
    data.segments.push_back(std::move(seg));
    return absl::OkStatus();
  }

  // Terms starting with `prefix` (text terms or, with kCompanyTermPrefix,
  // name terms), loaded into the cache.
  absl::StatusOr<std::vector<std::string>> Expand(const std::string& prefix, size_t position) {
    auto cached = expansions_.find(prefix);
    if (cached != expansions_.end()) return cached->second;
    std::vector<std::string> out;
    std::unique_ptr<rocksdb::Iterator> iter(
        db_.store->db->NewIterator(rocksdb::ReadOptions(), db_.store->cf(kCfPostings)));
    std::string current;
    std::unique_ptr<TermData> data;
    auto flush = [&]() {
      if (data) {
        out.push_back(current);
        if (!terms_.count(current)) terms_.emplace(current, std::move(data));
        data.reset();
      }
    };
    for (iter->Seek(prefix); iter->Valid() && iter->key().starts_with(prefix); iter->Next()) {
      const rocksdb::Slice key = iter->key();
      if (key.size() < 5 || key[key.size() - 5] != '\0') continue;
      std::string term(key.data(), key.size() - 5);
      if (prefix.empty() || prefix[0] != kCompanyTermPrefix) {
        if (!term.empty() && term[0] == kCompanyTermPrefix) continue;
      }
      if (!data || term != current) {
        flush();
        if (out.size() >= SearchEngine::kMaxPrefixTerms) {
          return ErrorAt(position, "prefix '" + prefix + "*' matches more than " +
                                       std::to_string(SearchEngine::kMaxPrefixTerms) +
                                       " terms; make it longer");
        }
        current = term;
        data = std::make_unique<TermData>();
      }
      EDGARIX_RETURN_IF_ERROR(AppendBlock(*data, key.ToString(), iter->value()));
    }
    flush();
    EDGARIX_RETURN_IF_ERROR(ToStatus(iter->status(), "reading postings"));
    expansions_[prefix] = out;
    return out;
  }

  const Roaring& TermBitmap(TermData& t) {
    if (!t.bitmap) {
      t.bitmap.emplace();
      if (!t.block.docs.empty()) {
        t.bitmap->addMany(t.block.docs.size(), t.block.docs.data());
      }
    }
    return *t.bitmap;
  }

  // Positions of block entry `i` (ascending), valid while this DbSearch lives.
  absl::StatusOr<std::pair<const uint32_t*, const uint32_t*>> Positions(TermData& t, size_t i) {
    auto seg_it = std::upper_bound(
        t.segments.begin(), t.segments.end(), i,
        [](size_t v, const TermData::Segment& s) { return v < s.begin; });
    if (seg_it == t.segments.begin()) return absl::InternalError("position index");
    TermData::Segment& seg = *(seg_it - 1);
    const size_t k = i - seg.begin;
    const size_t c = k / kPositionsChunkDocs;
    if (seg.chunks.empty()) {
      seg.chunks.resize((seg.end - seg.begin + kPositionsChunkDocs - 1) / kPositionsChunkDocs);
    }
    TermData::Chunk& chunk = seg.chunks[c];
    if (!chunk.loaded) {
      std::string key = seg.key;
      PutBigEndian32(key, static_cast<uint32_t>(c));
      std::string value;
      rocksdb::Status s =
          db_.store->db->Get(rocksdb::ReadOptions(), db_.store->cf(kCfPositions), key, &value);
      if (!s.ok()) return ToStatus(s, "reading positions");
      const size_t first = seg.begin + c * kPositionsChunkDocs;
      const size_t n = std::min(seg.end, first + kPositionsChunkDocs) - first;
      if (!DecodePositions(value, t.block.freqs.data() + first, n, chunk.offsets,
                           chunk.positions)) {
        return absl::DataLossError("corrupt positions in " + db_.store->path);
      }
      chunk.loaded = true;
    }
    const size_t j = k % kPositionsChunkDocs;
    const uint32_t* base = chunk.positions.data();
    return std::make_pair(base + chunk.offsets[j], base + chunk.offsets[j + 1]);
  }

  // Index of `doc` in the term's block, or -1.
  static ptrdiff_t Find(const TermData& t, uint32_t doc) {
    auto it = std::lower_bound(t.block.docs.begin(), t.block.docs.end(), doc);
    if (it == t.block.docs.end() || *it != doc) return -1;
    return it - t.block.docs.begin();
  }

  // Union of the facet bitmaps whose key starts with field '\0' value_prefix
  // (exact value when `exact`).
  absl::StatusOr<Roaring> Facet(std::string_view field, std::string_view value, bool exact) {
    std::string prefix = FacetPrefix(field, value);
    if (!exact) prefix.pop_back();  // drop the '\0' after the value: a value prefix
    std::string cache_key = prefix + (exact ? "=" : "*");
    auto it = facets_.find(cache_key);
    if (it != facets_.end()) return it->second;
    Roaring out;
    std::unique_ptr<rocksdb::Iterator> iter(
        db_.store->db->NewIterator(rocksdb::ReadOptions(), db_.store->cf(kCfFacets)));
    for (iter->Seek(prefix); iter->Valid() && iter->key().starts_with(prefix); iter->Next()) {
      EDGARIX_ASSIGN_OR_RETURN(
          Roaring b, DecodeBitmap(std::string_view(iter->value().data(), iter->value().size())));
      out |= b;
    }
    EDGARIX_RETURN_IF_ERROR(ToStatus(iter->status(), "reading facets"));
    facets_.emplace(cache_key, out);
    return out;
  }

  // Facet bitmaps of `field` with values in [lo, hi] (inclusive; an empty
  // bound is open).
  absl::StatusOr<Roaring> FacetRange(std::string_view field, const std::string& lo,
                                     const std::string& hi) {
    const std::string base = std::string(field) + std::string(1, '\0');
    Roaring out;
    std::unique_ptr<rocksdb::Iterator> iter(
        db_.store->db->NewIterator(rocksdb::ReadOptions(), db_.store->cf(kCfFacets)));
    for (iter->Seek(base + lo); iter->Valid() && iter->key().starts_with(base); iter->Next()) {
      const rocksdb::Slice key = iter->key();
      if (key.size() < base.size() + 5) continue;
      std::string_view value(key.data() + base.size(), key.size() - base.size() - 5);
      if (!hi.empty() && value > hi) break;
      EDGARIX_ASSIGN_OR_RETURN(
          Roaring b, DecodeBitmap(std::string_view(iter->value().data(), iter->value().size())));
      out |= b;
    }
    EDGARIX_RETURN_IF_ERROR(ToStatus(iter->status(), "reading facets"));
    return out;
  }

  // Every (value, bitmap) of a facet field, values ascending.
  absl::Status ForEachFacetValue(std::string_view field,
                                 const std::function<void(const std::string&, const Roaring&)>& fn) {
    const std::string base = std::string(field) + std::string(1, '\0');
    std::unique_ptr<rocksdb::Iterator> iter(
        db_.store->db->NewIterator(rocksdb::ReadOptions(), db_.store->cf(kCfFacets)));
    std::string current;
    Roaring acc;
    bool have = false;
    for (iter->Seek(base); iter->Valid() && iter->key().starts_with(base); iter->Next()) {
      const rocksdb::Slice key = iter->key();
      if (key.size() < base.size() + 5) continue;
      std::string value(key.data() + base.size(), key.size() - base.size() - 5);
      if (have && value != current) {
        fn(current, acc);
        acc = Roaring();
      }
      current = std::move(value);
      have = true;
      EDGARIX_ASSIGN_OR_RETURN(
          Roaring b, DecodeBitmap(std::string_view(iter->value().data(), iter->value().size())));
      acc |= b;
    }
    if (have) fn(current, acc);
    return ToStatus(iter->status(), "reading facets");
  }

  absl::StatusOr<const DocRecord*> Record(uint32_t doc) {
    auto it = records_.find(doc);
    if (it != records_.end()) return it->second.get();
    std::string value;
    rocksdb::Status s =
        db_.store->db->Get(rocksdb::ReadOptions(), db_.store->cf(kCfDocs), DocKey(doc), &value);
    if (!s.ok()) return ToStatus(s, "reading doc record " + std::to_string(doc));
    auto rec = std::make_unique<DocRecord>();
    if (!DecodeDocRecord(value, *rec)) {
      return absl::DataLossError("corrupt doc record " + std::to_string(doc) + " in " +
                                 db_.store->path);
    }
    const DocRecord* raw = rec.get();
    records_.emplace(doc, std::move(rec));
    return raw;
  }

  // --- evaluation -------------------------------------------------------------

  absl::StatusOr<Roaring> ScopeDocs(const ScopeTerm& t) {
    if (!t.section) return Facet("doc", t.id, !t.prefix);
    EDGARIX_ASSIGN_OR_RETURN(Roaring docs, Facet("sec", t.id, !t.prefix));
    if (!t.form.empty()) {
      EDGARIX_ASSIGN_OR_RETURN(Roaring forms, Facet("form", t.form, true));
      EDGARIX_ASSIGN_OR_RETURN(Roaring roots, Facet("rootform", t.form, true));
      forms |= roots;
      docs &= forms;
    }
    return docs;
  }

  absl::StatusOr<Roaring> ScopeDocs(const Scope& scope) {
    std::optional<Roaring> out;
    for (const auto& t : scope) {
      EDGARIX_ASSIGN_OR_RETURN(Roaring d, ScopeDocs(t));
      if (out) {
        *out &= d;
      } else {
        out = std::move(d);
      }
    }
    return out ? *out : db_.live;
  }

  // The position ranges [begin, end) of `rec` that scope term `t` admits:
  // its matching sections (none when the form differs) or documents.
  static std::vector<Span> ScopeRanges(const ScopeTerm& t, const DocRecord& rec) {
    std::vector<Span> r;
    if (t.section) {
      const bool form_ok =
          t.form.empty() || Upper(rec.form) == t.form || Upper(rec.root_form) == t.form;
      if (!form_ok) return r;
      for (const auto& s : rec.sections) {
        const std::string id = Upper(s.id);
        if (t.prefix ? StartsWith(id, t.id) : id == t.id) {
          if (s.pos_end > s.pos_begin) r.push_back(Span{s.pos_begin, s.pos_end});
        }
      }
    } else {
      for (const auto& d : rec.documents) {
        const std::string type = Upper(d.type);
        if (t.prefix ? StartsWith(type, t.id) : type == t.id) {
          if (d.pos_end > d.pos_begin) r.push_back(Span{d.pos_begin, d.pos_end});
        }
      }
    }
    return r;
  }

  // Keeps the spans lying wholly inside the scope.
  absl::Status FilterSpans(SpanList& list, const Scope& scope) {
    if (scope.empty()) return absl::OkStatus();
    EDGARIX_ASSIGN_OR_RETURN(Roaring candidates, ScopeDocs(scope));
    SpanList out;
    for (auto& ds : list) {
      if (!candidates.contains(ds.doc)) continue;
      EDGARIX_ASSIGN_OR_RETURN(const DocRecord* rec, Record(ds.doc));
      std::vector<std::vector<Span>> ranges;  // per scope term
      for (const auto& t : scope) ranges.push_back(ScopeRanges(t, *rec));
      std::vector<Span> kept;
      for (const Span& sp : ds.spans) {
        bool ok = true;
        for (const auto& r : ranges) {
          bool in = false;
          for (const Span& range : r) {  // range is [begin, end)
            if (sp.begin >= range.begin && sp.end < range.end) {
              in = true;
              break;
            }
          }
          if (!in) {
            ok = false;
            break;
          }
        }
        if (ok) kept.push_back(sp);
      }
      if (!kept.empty()) out.push_back(DocSpans{ds.doc, std::move(kept)});
    }
    list = std::move(out);
    return absl::OkStatus();
  }

  absl::StatusOr<SpanList> TermSpans(TermData& t, const Roaring* candidates) {
    SpanList out;
    if (candidates && candidates->cardinality() * 16 < t.block.docs.size()) {
      // Few candidates (one filing when building a hit): look each up.
      for (uint32_t doc : *candidates) {
        const ptrdiff_t i = Find(t, doc);
        if (i < 0 || !db_.live.contains(doc)) continue;
        EDGARIX_ASSIGN_OR_RETURN(auto pos, Positions(t, static_cast<size_t>(i)));
        DocSpans ds{doc, {}};
        for (const uint32_t* p = pos.first; p != pos.second; ++p) ds.spans.push_back(Span{*p, *p});
        if (!ds.spans.empty()) out.push_back(std::move(ds));
      }
      return out;
    }
    for (size_t i = 0; i < t.block.docs.size(); ++i) {
      const uint32_t doc = t.block.docs[i];
      if (candidates && !candidates->contains(doc)) continue;
      if (!db_.live.contains(doc)) continue;
      EDGARIX_ASSIGN_OR_RETURN(auto pos, Positions(t, i));
      DocSpans ds{doc, {}};
      ds.spans.reserve(static_cast<size_t>(pos.second - pos.first));
      for (const uint32_t* p = pos.first; p != pos.second; ++p) ds.spans.push_back(Span{*p, *p});
      if (!ds.spans.empty()) out.push_back(std::move(ds));
    }
    return out;
  }

  static SpanList UnionSpans(std::vector<SpanList> lists) {
    std::map<uint32_t, std::vector<Span>> merged;
    for (auto& l : lists) {
      for (auto& ds : l) {
        auto& v = merged[ds.doc];
        v.insert(v.end(), ds.spans.begin(), ds.spans.end());
      }
    }
    SpanList out;
    out.reserve(merged.size());
    for (auto& [doc, spans] : merged) {
      std::sort(spans.begin(), spans.end());
      spans.erase(std::unique(spans.begin(), spans.end()), spans.end());
      out.push_back(DocSpans{doc, std::move(spans)});
    }
    return out;
  }

  // Positions (as spans) of the terms of `prefix` (text or company).
  absl::StatusOr<SpanList> PrefixSpans(const std::string& prefix, size_t position,
                                       const Roaring* candidates) {
    EDGARIX_ASSIGN_OR_RETURN(auto terms, Expand(prefix, position));
    std::vector<SpanList> lists;
    for (const auto& term : terms) {
      EDGARIX_ASSIGN_OR_RETURN(TermData * t, Term(term));
      EDGARIX_ASSIGN_OR_RETURN(SpanList l, TermSpans(*t, candidates));
      lists.push_back(std::move(l));
    }
    return UnionSpans(std::move(lists));
  }

  // Phrase of `terms` (already prefixed for company); spans cover the whole
  // phrase.
  absl::StatusOr<SpanList> PhraseSpans(const std::vector<std::string>& terms, bool last_prefix,
                                       size_t position, const Roaring* candidates) {
    if (terms.empty()) return SpanList();
    std::vector<TermData*> data;
    std::optional<Roaring> docs;
    if (candidates) docs = *candidates;
    for (size_t i = 0; i < terms.size(); ++i) {
      Roaring d;
      if (last_prefix && i + 1 == terms.size()) {
        EDGARIX_ASSIGN_OR_RETURN(auto exp, Expand(terms[i], position));
        for (const auto& e : exp) {
          EDGARIX_ASSIGN_OR_RETURN(TermData * t, Term(e));
          d |= TermBitmap(*t);
        }
      } else {
        EDGARIX_ASSIGN_OR_RETURN(TermData * t, Term(terms[i]));
        data.push_back(t);
        d = TermBitmap(*t);
      }
      if (docs) {
        *docs &= d;
      } else {
        docs = std::move(d);
      }
      if (docs->isEmpty()) return SpanList();
    }
    *docs &= db_.live;
    // Last-term prefix: its positions per candidate doc.
    SpanList last;
    if (last_prefix) {
      EDGARIX_ASSIGN_OR_RETURN(last, PrefixSpans(terms.back(), position, &*docs));
    }
    SpanList out;
    size_t li = 0;
    const uint32_t n = static_cast<uint32_t>(terms.size());
    for (uint32_t doc : *docs) {
      std::vector<std::pair<const uint32_t*, const uint32_t*>> pos;
      for (TermData* t : data) {
        const ptrdiff_t i = Find(*t, doc);
        if (i < 0) return absl::InternalError("phrase candidate without posting");
        EDGARIX_ASSIGN_OR_RETURN(auto p, Positions(*t, static_cast<size_t>(i)));
        pos.push_back(p);
      }
      const std::vector<Span>* last_spans = nullptr;
      if (last_prefix) {
        while (li < last.size() && last[li].doc < doc) ++li;
        if (li == last.size() || last[li].doc != doc) continue;
        last_spans = &last[li].spans;
      }
      DocSpans ds{doc, {}};
      for (const uint32_t* p = pos[0].first; p != pos[0].second; ++p) {
        bool ok = true;
        for (uint32_t k = 1; k < n && ok; ++k) {
          const uint32_t want = *p + k;
          if (last_prefix && k + 1 == n) {
            ok = std::binary_search(last_spans->begin(), last_spans->end(), Span{want, want});
          } else {
            ok = std::binary_search(pos[k].first, pos[k].second, want);
          }
        }
        if (ok) ds.spans.push_back(Span{*p, *p + n - 1});
      }
      if (n == 1 && last_prefix) ds.spans = *last_spans;
      if (!ds.spans.empty()) out.push_back(std::move(ds));
    }
    return out;
  }

  static void Near(const std::vector<Span>& a, const std::vector<Span>& b, uint32_t distance,
                   std::vector<Span>& out) {
    uint32_t max_len = 0;
    for (const Span& s : b) max_len = std::max(max_len, s.end - s.begin);
    for (const Span& sa : a) {
      const uint32_t lo = sa.begin > distance + max_len ? sa.begin - distance - max_len : 0;
      auto it = std::lower_bound(b.begin(), b.end(), Span{lo, 0});
      for (; it != b.end() && it->begin <= static_cast<uint64_t>(sa.end) + distance; ++it) {
        uint32_t gap;
        if (it->begin > sa.end) {
          gap = it->begin - sa.end;
        } else if (sa.begin > it->end) {
          gap = sa.begin - it->end;
        } else {
          gap = 0;
        }
        if (gap <= distance) {
          out.push_back(Span{std::min(sa.begin, it->begin), std::max(sa.end, it->end)});
        }
      }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }

  // Match spans of a positional node (term, prefix, phrase, NEAR, OR of
  // them), before scope filtering.
  absl::StatusOr<SpanList> Spans(const QueryNode& n, const Roaring* candidates, int depth) {
    if (depth > 300) return ErrorAt(n.position, "query nested too deeply");
    switch (n.kind) {
      case Kind::kTerm: {
        EDGARIX_ASSIGN_OR_RETURN(TermData * t, Term(n.text));
        return TermSpans(*t, candidates);
      }
      case Kind::kPrefix:
        return PrefixSpans(n.text, n.position, candidates);
      case Kind::kPhrase:
        return PhraseSpans(n.terms, n.last_is_prefix, n.position, candidates);
      case Kind::kNear: {
        if (n.children.size() != 2) return ErrorAt(n.position, "NEAR needs two clauses");
        EDGARIX_ASSIGN_OR_RETURN(SpanList a, Spans(*n.children[0], candidates, depth + 1));
        if (a.empty()) return SpanList();
        Roaring docs = DocsOf(a);
        EDGARIX_ASSIGN_OR_RETURN(SpanList b, Spans(*n.children[1], &docs, depth + 1));
        SpanList out;
        size_t j = 0;
        const uint32_t distance = static_cast<uint32_t>(std::max(0, n.distance));
        for (const auto& da : a) {
          while (j < b.size() && b[j].doc < da.doc) ++j;
          if (j == b.size()) break;
          if (b[j].doc != da.doc) continue;
          DocSpans ds{da.doc, {}};
          Near(da.spans, b[j].spans, distance, ds.spans);
          if (!ds.spans.empty()) out.push_back(std::move(ds));
        }
        return out;
      }
      case Kind::kOr: {
        std::vector<SpanList> lists;
        for (const auto& c : n.children) {
          EDGARIX_ASSIGN_OR_RETURN(SpanList l, Spans(*c, candidates, depth + 1));
          lists.push_back(std::move(l));
        }
        return UnionSpans(std::move(lists));
      }
      case Kind::kAnd:
        if (n.children.size() == 1) return Spans(*n.children[0], candidates, depth + 1);
        [[fallthrough]];
      default:
        return ErrorAt(n.position,
                       "NEAR and in:/doc: scopes work on words, phrases and prefixes "
                       "(or an OR of them)");
    }
  }

  absl::StatusOr<Roaring> FieldDocs(const QueryNode& n) {
    const std::string& f = n.field;
    if (f == "form" || f == "rootform") {
      std::string v = Upper(n.value);
      if (f == "rootform" && v.size() > 2 && v.compare(v.size() - 2, 2, "/A") == 0) {
        v.resize(v.size() - 2);
      }
      return Facet(f, v, true);
    }
    if (f == "cik") {
      auto cik = NormalizeCik(n.value);
      return Facet("cik", cik ? *cik : n.value, true);
    }
    if (f == "event" || f == "item" || f == "sic") return Facet(f, n.value, true);
    if (f == "state") return Facet("state", Upper(n.value), true);
    if (f == "year" || f == "filed") {
      const std::string facet = f == "year" ? "year" : "filed";
      const size_t dots = n.value.find("..");
      if (dots == std::string::npos) return Facet(facet, n.value, f == "year");
      return FacetRange(facet, n.value.substr(0, dots), n.value.substr(dots + 2));
    }
    if (f == "company") {
      std::vector<std::string> terms;
      const bool prefix = !n.value.empty() && n.value.back() == '*';
      Tokenize(n.value, [&](std::string_view term, uint32_t, uint32_t) {
        terms.push_back(std::string(1, kCompanyTermPrefix) + std::string(term));
      });
      if (terms.empty()) return Roaring();
      Roaring out;
      if (terms.size() == 1 && !prefix) {
        EDGARIX_ASSIGN_OR_RETURN(TermData * t, Term(terms[0]));
        out = TermBitmap(*t);
      } else {
        EDGARIX_ASSIGN_OR_RETURN(SpanList l, PhraseSpans(terms, prefix, n.position, nullptr));
        out = DocsOf(l);
      }
      // Filings of registrants known under that name at any time (a filing
      // made under an old name is found by the new one, and back).
      EDGARIX_ASSIGN_OR_RETURN(auto ciks, RegistrantsNamed(terms, prefix));
      for (const auto& cik : ciks) {
        EDGARIX_ASSIGN_OR_RETURN(Roaring b, Facet("cik", cik, true));
        out |= b;
      }
      return out;
    }
    if (IsScopeField(n)) return ScopeDocs(MakeScopeTerm(n));
    return ErrorAt(n.position, "unknown field '" + f + "'");
  }

  // FieldDocs(n), computed once per search (hits re-test field clauses).
  absl::StatusOr<const Roaring*> CachedFieldDocs(const QueryNode& n) {
    auto it = field_docs_.find(&n);
    if (it != field_docs_.end()) return &it->second;
    EDGARIX_ASSIGN_OR_RETURN(Roaring docs, FieldDocs(n));
    return &field_docs_.emplace(&n, std::move(docs)).first->second;
  }

  // CIKs of the registrants one of whose names (registrants family)
  // contains `terms` (company-prefixed tokens) as consecutive words.
  absl::StatusOr<std::vector<std::string>> RegistrantsNamed(const std::vector<std::string>& terms,
                                                           bool last_prefix) {
    std::vector<std::string> out;
    std::unique_ptr<rocksdb::Iterator> it(
        db_.store->db->NewIterator(rocksdb::ReadOptions(), db_.store->cf(kCfRegistrants)));
    std::vector<std::string> words;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const std::string_view names(it->value().data(), it->value().size());
      size_t start = 0;
      bool match = false;
      while (!match && start <= names.size()) {
        size_t end = names.find('\n', start);
        if (end == std::string_view::npos) end = names.size();
        words.clear();
        Tokenize(names.substr(start, end - start), [&](std::string_view w, uint32_t, uint32_t) {
          words.push_back(std::string(1, kCompanyTermPrefix) + std::string(w));
        });
        for (size_t i = 0; !match && i + terms.size() <= words.size(); ++i) {
          bool all = true;
          for (size_t k = 0; all && k < terms.size(); ++k) {
            const bool last = k + 1 == terms.size();
            all = last && last_prefix ? StartsWith(words[i + k], terms[k])
                                      : words[i + k] == terms[k];
          }
          match = all;
        }
        start = end + 1;
      }
      if (match) out.push_back(it->key().ToString());
    }
    EDGARIX_RETURN_IF_ERROR(ToStatus(it->status(), "reading registrants"));
    return out;
  }

  static bool IsText(const QueryNode& n) {
    return n.kind == Kind::kTerm || n.kind == Kind::kPrefix || n.kind == Kind::kPhrase ||
           n.kind == Kind::kNear;
  }

  // Filings matching `n` (not yet restricted to live docs for OR/field
  // children; the caller intersects with live at the top).
  absl::StatusOr<Roaring> Eval(const QueryNode& n, const Scope& scope, int depth) {
    if (depth > 300) return ErrorAt(n.position, "query nested too deeply");
    if (IsText(n)) {
      if (scope.empty() && n.kind == Kind::kTerm) {
        EDGARIX_ASSIGN_OR_RETURN(TermData * t, Term(n.text));
        return TermBitmap(*t);
      }
      if (scope.empty() && n.kind == Kind::kPrefix) {
        EDGARIX_ASSIGN_OR_RETURN(auto terms, Expand(n.text, n.position));
        Roaring out;
        for (const auto& term : terms) {
          EDGARIX_ASSIGN_OR_RETURN(TermData * t, Term(term));
          out |= TermBitmap(*t);
        }
        return out;
      }
      std::optional<Roaring> candidates;
      if (!scope.empty()) {
        EDGARIX_ASSIGN_OR_RETURN(candidates, ScopeDocs(scope));
      }
      EDGARIX_ASSIGN_OR_RETURN(SpanList l,
                               Spans(n, candidates ? &*candidates : nullptr, depth + 1));
      EDGARIX_RETURN_IF_ERROR(FilterSpans(l, scope));
      return DocsOf(l);
    }
    switch (n.kind) {
      case Kind::kField:
        return FieldDocs(n);
      case Kind::kNot: {
        if (n.children.empty()) return ErrorAt(n.position, "NOT needs a clause");
        EDGARIX_ASSIGN_OR_RETURN(Roaring r, Eval(*n.children[0], scope, depth + 1));
        Roaring out = db_.live;
        out -= r;
        return out;
      }
      case Kind::kOr: {
        Roaring out;
        for (const auto& c : n.children) {
          EDGARIX_ASSIGN_OR_RETURN(Roaring r, Eval(*c, scope, depth + 1));
          out |= r;
        }
        return out;
      }
      case Kind::kAnd: {
        Scope inner = scope;
        for (const auto& c : n.children) {
          if (IsScopeField(*c)) inner.push_back(MakeScopeTerm(*c));
        }
        std::optional<Roaring> out;
        // Facet clauses first: cheap, and they narrow the text clauses.
        std::vector<const QueryNode*> order;
        for (const auto& c : n.children) {
          if (c->kind == Kind::kField) order.push_back(c.get());
        }
        for (const auto& c : n.children) {
          if (c->kind != Kind::kField && c->kind != Kind::kNot) order.push_back(c.get());
        }
        for (const QueryNode* c : order) {
          if (out && out->isEmpty()) break;
          EDGARIX_ASSIGN_OR_RETURN(Roaring r, Eval(*c, inner, depth + 1));
          if (out) {
            *out &= r;
          } else {
            out = std::move(r);
          }
        }
        if (!out) out = db_.live;
        for (const auto& c : n.children) {
          if (c->kind != Kind::kNot || out->isEmpty()) continue;
          if (c->children.empty()) return ErrorAt(c->position, "NOT needs a clause");
          EDGARIX_ASSIGN_OR_RETURN(Roaring r, Eval(*c->children[0], inner, depth + 1));
          *out -= r;
        }
        return *out;
      }
      default:
        return ErrorAt(n.position, "unsupported clause");
    }
  }

 private:
  const SearchEngine::Db& db_;
  absl::flat_hash_map<std::string, std::unique_ptr<TermData>> terms_;
  absl::flat_hash_map<std::string, std::vector<std::string>> expansions_;
  absl::flat_hash_map<std::string, Roaring> facets_;
  absl::flat_hash_map<uint32_t, std::unique_ptr<DocRecord>> records_;
  absl::flat_hash_map<const QueryNode*, Roaring> field_docs_;
};

// Evaluates a query on one filing the way DbSearch::Eval does, keeping the
// spans of the text clauses that make it match, optionally with every text
// match restricted to a position range (one document).
class FilingMatcher {
 public:
  FilingMatcher(DbSearch& ds, uint32_t doc) : ds_(ds), doc_(doc) { one_.add(doc); }

  // Whether `n` (under `scope`) matches the filing; with `range`, text
  // clauses count only matches lying wholly inside [range.begin, range.end)
  // and an in:/doc: clause only sections/documents overlapping it (field
  // filters stay filing-wide). Appends to `spans` the match spans of the
  // satisfied, non-negated text clauses.
  absl::StatusOr<bool> Match(const QueryNode& n, const Scope& scope,
                             const std::optional<Span>& range, std::vector<Span>& spans,
                             int depth) {
    if (depth > 300) return ErrorAt(n.position, "query nested too deeply");
    if (DbSearch::IsText(n)) {
      EDGARIX_ASSIGN_OR_RETURN(const std::vector<Span>* all, TextSpans(n, scope, depth));
      bool any = false;
      for (const Span& sp : *all) {
        if (range && (sp.begin < range->begin || sp.end >= range->end)) continue;
        spans.push_back(sp);
        any = true;
      }
      return any;
    }
    switch (n.kind) {
      case Kind::kField: {
        if (range && IsScopeField(n)) {
          EDGARIX_ASSIGN_OR_RETURN(const DocRecord* rec, ds_.Record(doc_));
          for (const Span& r : DbSearch::ScopeRanges(MakeScopeTerm(n), *rec)) {
            if (r.begin < range->end && r.end > range->begin) return true;
          }
          return false;
        }
        EDGARIX_ASSIGN_OR_RETURN(const Roaring* docs, ds_.CachedFieldDocs(n));
        return docs->contains(doc_);
      }
      case Kind::kNot: {
        if (n.children.empty()) return ErrorAt(n.position, "NOT needs a clause");
        std::vector<Span> ignored;
        EDGARIX_ASSIGN_OR_RETURN(bool m, Match(*n.children[0], scope, range, ignored, depth + 1));
        return !m;
      }
      case Kind::kOr: {
        bool any = false;
        for (const auto& c : n.children) {
          EDGARIX_ASSIGN_OR_RETURN(bool m, Match(*c, scope, range, spans, depth + 1));
          any = any || m;
        }
        return any;
      }
      case Kind::kAnd: {
        Scope inner = scope;
        for (const auto& c : n.children) {
          if (IsScopeField(*c)) inner.push_back(MakeScopeTerm(*c));
        }
        std::vector<Span> mine;
        for (const auto& c : n.children) {
          EDGARIX_ASSIGN_OR_RETURN(bool m, Match(*c, inner, range, mine, depth + 1));
          if (!m) return false;
        }
        spans.insert(spans.end(), mine.begin(), mine.end());
        return true;
      }
      default:
        return ErrorAt(n.position, "unsupported clause");
    }
  }

  // The positions of `positions` (sorted) lying inside one of `spans`.
  static std::vector<uint32_t> Inside(const std::vector<uint32_t>& positions,
                                      std::vector<Span> spans) {
    std::sort(spans.begin(), spans.end());
    std::vector<uint32_t> out;
    size_t j = 0;
    uint32_t reach = 0;  // furthest end among spans[0, j)
    bool open = false;
    for (uint32_t p : positions) {
      while (j < spans.size() && spans[j].begin <= p) {
        if (!open || spans[j].end > reach) reach = spans[j].end;
        open = true;
        ++j;
      }
      if (open && p <= reach) out.push_back(p);
    }
    return out;
  }

 private:
  // Scope-filtered spans of text clause `n` in this filing (cached: a node
  // has one scope, the one of its path from the root).
  absl::StatusOr<const std::vector<Span>*> TextSpans(const QueryNode& n, const Scope& scope,
                                                     int depth) {
    auto it = cache_.find(&n);
    if (it != cache_.end()) return &it->second;
    EDGARIX_ASSIGN_OR_RETURN(SpanList l, ds_.Spans(n, &one_, depth + 1));
    EDGARIX_RETURN_IF_ERROR(ds_.FilterSpans(l, scope));
    std::vector<Span> spans;
    for (auto& d : l) {
      if (d.doc == doc_) spans = std::move(d.spans);
    }
    return &cache_.emplace(&n, std::move(spans)).first->second;
  }

  DbSearch& ds_;
  const uint32_t doc_;
  Roaring one_;
  std::map<const QueryNode*, std::vector<Span>> cache_;
};

// The text terms of a query that score (not under NOT), and whether it
// has prefixes (constant score).
struct ScoringTerms {
  std::vector<std::string> terms;       // deduplicated
  std::vector<std::string> prefixes;    // text prefixes
  std::vector<std::string> highlights;  // phrase-last prefixes too
};

void CollectTerms(const QueryNode& n, ScoringTerms& out, int depth) {
  if (depth > 300) return;
  auto add = [&](const std::string& t) {
    if (std::find(out.terms.begin(), out.terms.end(), t) == out.terms.end()) {
      out.terms.push_back(t);
    }
  };
  switch (n.kind) {
    case Kind::kTerm:
      add(n.text);
      break;
    case Kind::kPrefix:
      out.prefixes.push_back(n.text);
      break;
    case Kind::kPhrase:
      for (size_t i = 0; i < n.terms.size(); ++i) {
        if (n.last_is_prefix && i + 1 == n.terms.size()) {
          out.highlights.push_back(n.terms[i]);
        } else {
          add(n.terms[i]);
        }
      }
      break;
    case Kind::kNot:
    case Kind::kField:
      break;
    default:
      for (const auto& c : n.children) CollectTerms(*c, out, depth + 1);
  }
}

struct Candidate {
  double score = 0;
  uint32_t db = 0;
  uint32_t doc = 0;
  uint32_t date = 0;  // YYYYMMDD, 0 when unknown
};

uint32_t DateCode(std::string_view iso) {
  if (iso.size() < 10) return 0;
  uint32_t v = 0;
  for (char c : iso.substr(0, 10)) {
    if (c == '-') continue;
    if (c < '0' || c > '9') return 0;
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  return v;
}

}  // namespace

SearchEngine::SearchEngine(std::vector<std::unique_ptr<Db>> dbs) : dbs_(std::move(dbs)) {}

const std::vector<std::vector<uint64_t>>& SearchEngine::KeyRanks() const {
  std::call_once(ranks_once_, [this] {
    // k-way merge of the (sorted) accessions families: rank = position of
    // the filing key among all keys of all databases.
    struct Cursor {
      std::unique_ptr<rocksdb::Iterator> it;
      uint32_t db;
    };
    std::vector<Cursor> cursors;
    ranks_.assign(dbs_.size(), {});
    for (uint32_t d = 0; d < dbs_.size(); ++d) {
      const Store& s = *dbs_[d]->store;
      ranks_[d].assign(dbs_[d]->next_doc, UINT64_MAX);
      Cursor c{std::unique_ptr<rocksdb::Iterator>(
                   s.db->NewIterator(rocksdb::ReadOptions(), s.cf(kCfAccessions))),
               d};
      c.it->SeekToFirst();
      cursors.push_back(std::move(c));
    }
    uint64_t rank = 0;
    for (;;) {
      Cursor* best = nullptr;
      for (auto& c : cursors) {
        if (!c.it->Valid()) continue;
        if (best == nullptr || c.it->key().compare(best->it->key()) < 0) best = &c;
      }
      if (best == nullptr) break;
      const rocksdb::Slice v = best->it->value();
      if (v.size() == 4) {
        const uint32_t doc = DecodeBigEndian32(v.data());
        if (doc < ranks_[best->db].size()) ranks_[best->db][doc] = rank;
      }
      ++rank;
      best->it->Next();
    }
  });
  return ranks_;
}
absl::StatusOr<const std::vector<Roaring>*> SearchEngine::Shadowed() const {
  std::call_once(shadowed_once_, [this] {
    shadowed_.assign(dbs_.size(), Roaring());
    if (dbs_.size() < 2) return;
    // k-way merge of the accessions families: a filing key held (live) by
    // several databases is kept only in the one with the newest record
    // (filed, then accepted; ties go to the later database).
    std::vector<std::unique_ptr<rocksdb::Iterator>> its;
    std::vector<std::unique_ptr<DbSearch>> readers;
    for (const auto& db : dbs_) {
      its.emplace_back(db->store->db->NewIterator(rocksdb::ReadOptions(),
                                                  db->store->cf(kCfAccessions)));
      its.back()->SeekToFirst();
      readers.push_back(std::make_unique<DbSearch>(*db));
    }
    std::vector<std::pair<uint32_t, uint32_t>> group;  // (database, doc id)
    for (;;) {
      std::optional<std::string> key;
      for (const auto& it : its) {
        if (it->Valid() && (!key || it->key().compare(rocksdb::Slice(*key)) < 0)) {
          key = it->key().ToString();
        }
      }
      if (!key) break;
      group.clear();
      for (uint32_t d = 0; d < its.size(); ++d) {
        auto& it = its[d];
        if (!it->Valid() || it->key() != rocksdb::Slice(*key)) continue;
        const rocksdb::Slice v = it->value();
        if (v.size() == 4) {
          const uint32_t doc = DecodeBigEndian32(v.data());
          if (dbs_[d]->live.contains(doc)) group.emplace_back(d, doc);
        }
        it->Next();
      }
      if (group.size() < 2) continue;
      size_t best = 0;
      std::pair<std::string, std::string> best_date;
      for (size_t g = 0; g < group.size(); ++g) {
        auto rec = readers[group[g].first]->Record(group[g].second);
        if (!rec.ok()) {
          shadowed_status_ = rec.status();
          return;
        }
        std::pair<std::string, std::string> date{(*rec)->filed, (*rec)->accepted};
        if (g == 0 || date >= best_date) {  // later database wins ties
          best = g;
          best_date = std::move(date);
        }
      }
      for (size_t g = 0; g < group.size(); ++g) {
        if (g != best) shadowed_[group[g].first].add(group[g].second);
      }
    }
    for (size_t d = 0; d < its.size(); ++d) {
      absl::Status s = ToStatus(its[d]->status(), "reading accessions of " + dbs_[d]->store->path);
      if (!s.ok()) {
        shadowed_status_ = s;
        return;
      }
    }
  });
  if (!shadowed_status_.ok()) return shadowed_status_;
  return &shadowed_;
}

SearchEngine::~SearchEngine() = default;

absl::StatusOr<std::unique_ptr<SearchEngine>> SearchEngine::Open(
    const std::vector<std::string>& db_paths) {
  if (db_paths.empty()) return absl::InvalidArgumentError("no index given (--db)");
  std::vector<std::unique_ptr<Db>> dbs;
  for (const auto& path : db_paths) {
    auto db = std::make_unique<Db>();
    EDGARIX_ASSIGN_OR_RETURN(db->store, OpenStore(path, /*read_only=*/true));
    const Store& s = *db->store;
    EDGARIX_ASSIGN_OR_RETURN(db->next_doc, ReadCounter(s, kMetaNextDoc));
    EDGARIX_ASSIGN_OR_RETURN(db->total_tokens, ReadCounter(s, kMetaTotalTokens));
    EDGARIX_ASSIGN_OR_RETURN(db->postings, ReadCounter(s, kMetaPostings));
    EDGARIX_ASSIGN_OR_RETURN(db->failures, ReadCounter(s, kMetaNextFailure));
    if (db->next_doc > 0) db->live.addRange(0, db->next_doc);
    DbSearch ds(*db);
    EDGARIX_ASSIGN_OR_RETURN(Roaring deleted, ds.Facet(kDeletedField, "", true));
    db->live -= deleted;
    db->live.runOptimize();
    // BM25 lengths.
    db->norms.assign(db->next_doc, 0);
    std::unique_ptr<rocksdb::Iterator> iter(
        s.db->NewIterator(rocksdb::ReadOptions(), s.cf(kCfMeta)));
    const std::string prefix(kMetaNormsPrefix);
    for (iter->Seek(prefix); iter->Valid() && iter->key().starts_with(prefix); iter->Next()) {
      if (iter->key().size() != prefix.size() + 4) continue;
      uint32_t doc = DecodeBigEndian32(iter->key().data() + prefix.size());
      Decoder d(std::string_view(iter->value().data(), iter->value().size()));
      uint32_t n;
      while (!d.done() && d.GetVarint32(n)) {
        if (doc < db->norms.size()) db->norms[doc] = n;
        ++doc;
      }
    }
    EDGARIX_RETURN_IF_ERROR(ToStatus(iter->status(), "reading norms of " + path));
    dbs.push_back(std::move(db));
  }
  return std::unique_ptr<SearchEngine>(new SearchEngine(std::move(dbs)));
}

namespace {

// Builds the Hit of filing `doc`: record fields, best document and
// section, snippets.
class HitBuilder {
 public:
  HitBuilder(DbSearch& ds, const ScoringTerms& st, const SearchOptions& options)
      : ds_(ds), st_(st), options_(options) {}

  // Matched positions of the query's text terms in `doc`, sorted.
  absl::StatusOr<std::vector<uint32_t>> MatchPositions(uint32_t doc) {
    std::vector<uint32_t> out;
    std::vector<std::string> terms = st_.terms;
    for (const auto* list : {&st_.prefixes, &st_.highlights}) {
      for (const auto& p : *list) {
        EDGARIX_ASSIGN_OR_RETURN(auto exp, ds_.Expand(p, 0));
        for (size_t i = 0; i < exp.size() && i < kMaxHighlightExpansions; ++i) {
          terms.push_back(exp[i]);
        }
      }
    }
    for (const auto& term : terms) {
      EDGARIX_ASSIGN_OR_RETURN(TermData * t, ds_.Term(term));
      const ptrdiff_t i = DbSearch::Find(*t, doc);
      if (i < 0) continue;
      EDGARIX_ASSIGN_OR_RETURN(auto pos, ds_.Positions(*t, static_cast<size_t>(i)));
      out.insert(out.end(), pos.first, pos.second);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  static size_t CountIn(const std::vector<uint32_t>& pos, uint32_t begin, uint32_t end) {
    return static_cast<size_t>(std::lower_bound(pos.begin(), pos.end(), end) -
                               std::lower_bound(pos.begin(), pos.end(), begin));
  }

  // Fills `hit` for document index `doc_index` of the record (or the best
  // one when -1).
  absl::Status Build(uint32_t doc, double score, int doc_index,
                     const std::vector<uint32_t>& matches, Hit& hit) {
    EDGARIX_ASSIGN_OR_RETURN(const DocRecord* rec, ds_.Record(doc));
    hit.source = rec->source;
    hit.accession = rec->accession;
    hit.form = rec->form;
    hit.filed = rec->filed;
    hit.events = rec->events;
    hit.score = score;
    const PartyRecord* party = nullptr;
    for (const auto& p : rec->parties) {
      if (p.role == "filer") {
        party = &p;
        break;
      }
    }
    if (party == nullptr && !rec->parties.empty()) party = &rec->parties[0];
    if (party) {
      hit.cik = party->cik;
      hit.company = party->name;
    }
    if (rec->documents.empty()) return absl::OkStatus();
    if (doc_index < 0) {
      doc_index = 0;
      size_t best = 0;
      for (size_t i = 0; i < rec->documents.size(); ++i) {
        const auto& d = rec->documents[i];
        const size_t c = CountIn(matches, d.pos_begin, d.pos_end);
        if (c > best) {
          best = c;
          doc_index = static_cast<int>(i);
        }
      }
    }
    const DocumentRecord& d = rec->documents[static_cast<size_t>(doc_index)];
    hit.document = static_cast<int>(d.sequence);
    hit.document_type = d.type;
    size_t best_section = 0;
    for (const auto& s : rec->sections) {
      if (s.document != d.sequence) continue;
      const size_t c = CountIn(matches, s.pos_begin, s.pos_end);
      if (c > best_section) {
        best_section = c;
        hit.section = s.id;
      }
    }
    if (options_.snippets > 0 && !d.binary) {
      EDGARIX_RETURN_IF_ERROR(Snippets(doc, static_cast<uint32_t>(doc_index), d, matches, hit));
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Snippets(uint32_t doc, uint32_t doc_index, const DocumentRecord& d,
                        const std::vector<uint32_t>& all_matches, Hit& hit) {
    std::vector<uint32_t> matches;
    for (uint32_t p : all_matches) {
      if (p >= d.pos_begin && p < d.pos_end) matches.push_back(p);
    }
    const uint32_t w = static_cast<uint32_t>(std::max(0, options_.snippet_words));
    // Windows in position space, merged when they touch.
    struct Window {
      uint32_t begin, end;  // inclusive
      size_t matches;
    };
    std::vector<Window> windows;
    for (uint32_t p : matches) {
      const uint32_t b = std::max(d.pos_begin, p > w ? p - w : 0);
      const uint32_t e = p + w;
      if (!windows.empty() && b <= windows.back().end + 1) {
        windows.back().end = std::max(windows.back().end, e);
        ++windows.back().matches;
      } else {
        windows.push_back(Window{b, e, 1});
      }
    }
    if (windows.empty()) windows.push_back(Window{d.pos_begin, d.pos_begin + 2 * w, 0});
    // The N windows with the most matches, in text order.
    std::vector<size_t> order(windows.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return windows[a].matches > windows[b].matches;
    });
    order.resize(std::min(order.size(), static_cast<size_t>(options_.snippets)));
    std::sort(order.begin(), order.end());

    std::string text;
    rocksdb::Status s = ds_.db().store->db->Get(rocksdb::ReadOptions(),
                                                ds_.db().store->cf(kCfText),
                                                TextKey(doc, doc_index), &text);
    if (s.IsNotFound()) return absl::OkStatus();
    if (!s.ok()) return ToStatus(s, "reading text");
    // Byte ranges of the tokens at window edges and at matches.
    struct TokenRef {
      uint32_t offset, length;
    };
    std::vector<std::pair<TokenRef, TokenRef>> bounds(order.size(),
                                                      {TokenRef{0, 0}, TokenRef{0, 0}});
    std::vector<bool> seen_begin(order.size(), false);
    std::vector<std::vector<Highlight>> highlights(order.size());
    // Tokenize only the stretches of text around the windows, starting at
    // checkpoints (token starts) recorded at index time.
    const auto& cps = d.checkpoints;
    for (size_t wi = 0; wi < order.size(); ++wi) {
      const Window& win = windows[order[wi]];
      size_t c0 = 0, c1 = cps.size();
      if (!cps.empty()) {
        c0 = std::min<size_t>((win.begin - d.pos_begin) / kCheckpointTokens, cps.size() - 1);
        c1 = (win.end - d.pos_begin) / kCheckpointTokens + 1;
      }
      const uint32_t byte_begin = cps.empty() ? 0 : cps[c0];
      const uint32_t byte_end = c1 < cps.size() ? cps[c1] : static_cast<uint32_t>(text.size());
      if (byte_begin >= text.size() || byte_end <= byte_begin) continue;
      const std::string_view slice(text.data() + byte_begin, byte_end - byte_begin);
      Tokenize(
          slice,
          [&](std::string_view term, uint32_t pos, uint32_t rel) {
            if (pos < win.begin || pos > win.end) return;
            const uint32_t offset = rel + byte_begin;
            const TokenRef t{offset, static_cast<uint32_t>(term.size())};
            if (!seen_begin[wi]) {
              bounds[wi].first = t;
              seen_begin[wi] = true;
            }
            bounds[wi].second = t;
            if (std::binary_search(matches.begin(), matches.end(), pos)) {
              highlights[wi].push_back(Highlight{offset, offset + t.length});
            }
          },
          d.pos_begin + static_cast<uint32_t>(c0 * kCheckpointTokens));
    }
    for (size_t i = 0; i < order.size(); ++i) {
      if (!seen_begin[i]) continue;
      const uint32_t b = bounds[i].first.offset;
      uint32_t e = bounds[i].second.offset + bounds[i].second.length;
      // Extend the last token to the end of its word (it may have been cut).
      while (e < text.size() && internal::kByteClass.word[static_cast<unsigned char>(text[e])]) ++e;
      Snippet snip;
      snip.text = text.substr(b, e - b);
      for (char& c : snip.text) {
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
      }
      for (const Highlight& h : highlights[i]) {
        snip.highlights.push_back(Highlight{h.begin - b, std::min(h.end, e) - b});
      }
      hit.snippets.push_back(std::move(snip));
    }
    return absl::OkStatus();
  }

  DbSearch& ds_;
  const ScoringTerms& st_;
  const SearchOptions& options_;
};

}  // namespace

absl::StatusOr<SearchResult> SearchEngine::Search(
    const QueryNode& query, const SearchOptions& options,
    const std::function<void(const Hit&)>& on_hit) const {
  // Filings a newer copy in another database hides (multi-DB only).
  EDGARIX_ASSIGN_OR_RETURN(const std::vector<Roaring>* shadowed, Shadowed());
  std::vector<Roaring> live;  // per database: live and not hidden
  for (size_t d = 0; d < dbs_.size(); ++d) {
    live.push_back(dbs_[d]->live);
    if (d < shadowed->size()) live.back() -= (*shadowed)[d];
  }
  std::vector<std::unique_ptr<DbSearch>> searches;
  std::vector<Roaring> matches;
  for (size_t d = 0; d < dbs_.size(); ++d) {
    const auto& db = dbs_[d];
    auto ds = std::make_unique<DbSearch>(*db);
    Roaring r;
    if (query.kind == Kind::kNot) {
      if (query.children.empty()) return ErrorAt(query.position, "NOT needs a clause");
      EDGARIX_ASSIGN_OR_RETURN(Roaring neg, ds->Eval(*query.children[0], {}, 0));
      r = db->live;
      r -= neg;
    } else {
      EDGARIX_ASSIGN_OR_RETURN(r, ds->Eval(query, {}, 0));
    }
    r &= live[d];
    matches.push_back(std::move(r));
    searches.push_back(std::move(ds));
  }

  // Global BM25 statistics over all databases.
  ScoringTerms st;
  CollectTerms(query, st, 0);
  uint64_t n_docs = 0, n_tokens = 0;
  for (size_t d = 0; d < dbs_.size(); ++d) {
    n_docs += live[d].cardinality();
    n_tokens += dbs_[d]->total_tokens;
    if (d < shadowed->size()) {
      for (uint32_t doc : (*shadowed)[d]) {
        const auto& norms = dbs_[d]->norms;
        const uint64_t len = doc < norms.size() ? norms[doc] : 0;
        n_tokens -= std::min(n_tokens, len);
      }
    }
  }
  const double avgdl = n_docs ? static_cast<double>(n_tokens) / static_cast<double>(n_docs) : 1;
  std::vector<double> idf(st.terms.size(), 0);
  for (size_t t = 0; t < st.terms.size(); ++t) {
    uint64_t df = 0;
    for (size_t d = 0; d < dbs_.size(); ++d) {
      EDGARIX_ASSIGN_OR_RETURN(TermData * td, searches[d]->Term(st.terms[t]));
      for (uint32_t doc : td->block.docs) df += live[d].contains(doc) ? 1 : 0;
    }
    const double N = static_cast<double>(n_docs), DF = static_cast<double>(df);
    idf[t] = std::log(1.0 + (N - DF + 0.5) / (DF + 0.5));
  }

  std::vector<Candidate> cands;
  uint64_t total = 0;
  for (size_t d = 0; d < dbs_.size(); ++d) total += matches[d].cardinality();
  cands.reserve(total);
  for (size_t d = 0; d < dbs_.size(); ++d) {
    const size_t first = cands.size();
    for (uint32_t doc : matches[d]) {
      cands.push_back(Candidate{0, static_cast<uint32_t>(d), doc, 0});
    }
    // Scores: BM25 term by term, in query order (the same sum whatever the
    // database layout, so multi-DB scores equal single-DB ones).
    const auto& norms = dbs_[d]->norms;
    for (size_t t = 0; t < st.terms.size(); ++t) {
      EDGARIX_ASSIGN_OR_RETURN(TermData * td, searches[d]->Term(st.terms[t]));
      const auto& docs = td->block.docs;
      size_t j = 0;
      for (size_t i = first; i < cands.size(); ++i) {
        const uint32_t doc = cands[i].doc;
        while (j < docs.size() && docs[j] < doc) ++j;
        if (j == docs.size()) break;
        if (docs[j] != doc) continue;
        const double tf = td->block.freqs[j];
        const double dl = doc < norms.size() ? norms[doc] : avgdl;
        cands[i].score += idf[t] * tf * (kK1 + 1) / (tf + kK1 * (1 - kB + kB * dl / avgdl));
      }
    }
    if (!st.prefixes.empty()) {
      for (const auto& p : st.prefixes) {
        EDGARIX_ASSIGN_OR_RETURN(auto exp, searches[d]->Expand(p, 0));
        Roaring any;
        for (const auto& e : exp) {
          EDGARIX_ASSIGN_OR_RETURN(TermData * td, searches[d]->Term(e));
          any |= searches[d]->TermBitmap(*td);
        }
        for (size_t i = first; i < cands.size(); ++i) {
          if (any.contains(cands[i].doc)) cands[i].score += 1.0;
        }
      }
    }
    if (options.sort == SortOrder::kDate) {
      EDGARIX_RETURN_IF_ERROR(searches[d]->ForEachFacetValue(
          "filed", [&](const std::string& value, const Roaring& b) {
            const uint32_t code = DateCode(value);
            Roaring hits = b & matches[d];
            for (uint32_t doc : hits) {
              auto it = std::lower_bound(
                  cands.begin() + static_cast<ptrdiff_t>(first), cands.end(), doc,
                  [](const Candidate& c, uint32_t v) { return c.doc < v; });
              if (it != cands.end() && it->doc == doc) it->date = code;
            }
          }));
    }
  }

  // Order: primary key, then (accession, source) within ties, resolved only
  // for the tie groups that reach the requested window.
  auto primary_less = [&](const Candidate& a, const Candidate& b) {
    if (options.sort == SortOrder::kDate) {
      if (a.date != b.date) return a.date > b.date;
    } else if (a.score != b.score) {
      return a.score > b.score;
    }
    return false;
  };
  auto primary_equal = [&](const Candidate& a, const Candidate& b) {
    return !primary_less(a, b) && !primary_less(b, a);
  };
  std::stable_sort(cands.begin(), cands.end(), primary_less);
  const size_t begin = std::min(cands.size(), options.offset);
  const size_t end = options.limit == 0 || options.limit > cands.size() - begin
                         ? cands.size()
                         : begin + options.limit;
  for (size_t g = 0; g < cands.size() && g < end;) {
    size_t h = g + 1;
    while (h < cands.size() && primary_equal(cands[g], cands[h])) ++h;
    if (h > begin && h - g > 1) {
      if (h - g > kRankTieThreshold) {
        // Large tie groups: the precomputed key ranks (same order).
        const auto& ranks = KeyRanks();
        std::sort(cands.begin() + static_cast<ptrdiff_t>(g), cands.begin() + static_cast<ptrdiff_t>(h),
                  [&](const Candidate& a, const Candidate& b) {
                    const auto& ra = ranks[a.db];
                    const auto& rb = ranks[b.db];
                    const uint64_t ka = a.doc < ra.size() ? ra[a.doc] : UINT64_MAX;
                    const uint64_t kb = b.doc < rb.size() ? rb[b.doc] : UINT64_MAX;
                    return std::tie(ka, a.db, a.doc) < std::tie(kb, b.db, b.doc);
                  });
      } else {
        using Key = std::tuple<std::string, uint32_t, uint32_t>;
        std::vector<std::pair<Key, Candidate>> keyed;
        keyed.reserve(h - g);
        for (size_t i = g; i < h; ++i) {
          EDGARIX_ASSIGN_OR_RETURN(const DocRecord* rec,
                                   searches[cands[i].db]->Record(cands[i].doc));
          keyed.emplace_back(Key{rec->key, cands[i].db, cands[i].doc}, cands[i]);
        }
        std::sort(keyed.begin(), keyed.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        for (size_t i = g; i < h; ++i) cands[i] = keyed[i - g].second;
      }
    }
    g = h;
  }

  SearchResult result;
  // Facets over all matching filings.
  for (const auto& field : options.facets) {
    std::map<std::string, uint64_t> counts;
    std::string f = field;
    if (f == "doc" || f == "form" || f == "rootform" || f == "year" || f == "event" ||
        f == "item" || f == "cik" || f == "sic" || f == "state" || f == "filed") {
      for (size_t d = 0; d < dbs_.size(); ++d) {
        EDGARIX_RETURN_IF_ERROR(searches[d]->ForEachFacetValue(
            f, [&](const std::string& value, const Roaring& b) {
              const uint64_t c = b.and_cardinality(matches[d]);
              if (c > 0) counts[value] += c;
            }));
      }
    } else {
      return absl::InvalidArgumentError(
          "unknown facet '" + field +
          "' (facets: form, rootform, year, event, item, cik, sic, state, doc, filed)");
    }
    std::vector<FacetCount> fc;
    for (const auto& [v, c] : counts) fc.push_back(FacetCount{v, c});
    std::stable_sort(fc.begin(), fc.end(),
                     [](const FacetCount& a, const FacetCount& b) { return a.count > b.count; });
    result.facets.emplace_back(field, std::move(fc));
  }

  std::vector<std::unique_ptr<HitBuilder>> builders;
  for (auto& ds : searches) builders.push_back(std::make_unique<HitBuilder>(*ds, st, options));

  // Whether candidate `c` matches within `range` (the whole filing when
  // unset) and the positions of its query terms inside the spans of the
  // clauses that match there (so in:/doc: scopes pick the best document,
  // section and snippet).
  auto match_in = [&](FilingMatcher& fm, const Candidate& c, const std::optional<Span>& range,
                      std::vector<uint32_t>* positions) -> absl::StatusOr<bool> {
    std::vector<Span> spans;
    EDGARIX_ASSIGN_OR_RETURN(bool m, fm.Match(query, {}, range, spans, 0));
    if (m && positions) {
      EDGARIX_ASSIGN_OR_RETURN(auto all, builders[c.db]->MatchPositions(c.doc));
      *positions = FilingMatcher::Inside(all, std::move(spans));
    }
    return m;
  };

  if (options.group_by == GroupBy::kFiling) {
    result.total_hits = cands.size();
    for (size_t i = begin; i < end; ++i) {
      const Candidate& c = cands[i];
      std::vector<uint32_t> pos;
      FilingMatcher fm(*searches[c.db], c.doc);
      EDGARIX_ASSIGN_OR_RETURN(bool m, match_in(fm, c, std::nullopt, &pos));
      (void)m;  // a candidate matches by construction
      Hit hit;
      EDGARIX_RETURN_IF_ERROR(builders[c.db]->Build(c.doc, c.score, -1, pos, hit));
      if (on_hit) on_hit(hit);
    }
    return result;
  }

  // One hit per matching document: a document of a matching filing whose
  // own text satisfies the query (text clauses and in:/doc: scopes evaluated
  // inside that document; field filters on the filing).
  struct DocHit {
    size_t cand;
    int doc_index;
  };
  std::vector<DocHit> doc_hits;
  for (size_t i = 0; i < cands.size(); ++i) {
    const Candidate& c = cands[i];
    EDGARIX_ASSIGN_OR_RETURN(const DocRecord* rec, searches[c.db]->Record(c.doc));
    FilingMatcher fm(*searches[c.db], c.doc);
    for (size_t k = 0; k < rec->documents.size(); ++k) {
      const auto& d = rec->documents[k];
      EDGARIX_ASSIGN_OR_RETURN(bool m, match_in(fm, c, Span{d.pos_begin, d.pos_end}, nullptr));
      if (m) doc_hits.push_back(DocHit{i, static_cast<int>(k)});
    }
  }
  result.total_hits = doc_hits.size();
  const size_t dbegin = std::min(doc_hits.size(), options.offset);
  const size_t dend = options.limit == 0 || options.limit > doc_hits.size() - dbegin
                          ? doc_hits.size()
                          : dbegin + options.limit;
  for (size_t i = dbegin; i < dend; ++i) {
    const Candidate& c = cands[doc_hits[i].cand];
    EDGARIX_ASSIGN_OR_RETURN(const DocRecord* rec, searches[c.db]->Record(c.doc));
    const auto& d = rec->documents[static_cast<size_t>(doc_hits[i].doc_index)];
    std::vector<uint32_t> pos;
    FilingMatcher fm(*searches[c.db], c.doc);
    EDGARIX_ASSIGN_OR_RETURN(bool m, match_in(fm, c, Span{d.pos_begin, d.pos_end}, &pos));
    (void)m;
    Hit hit;
    EDGARIX_RETURN_IF_ERROR(builders[c.db]->Build(c.doc, c.score, doc_hits[i].doc_index, pos, hit));
    if (on_hit) on_hit(hit);
  }
  return result;
}

absl::StatusOr<IndexStats> SearchEngine::Stats() const {
  IndexStats stats;
  std::map<std::string, uint64_t> forms, years, events;
  std::set<std::string> ciks;
  std::vector<std::pair<uint64_t, std::pair<std::string, std::string>>> failures;
  for (const auto& db : dbs_) {
    DbSearch ds(*db);
    stats.filings += db->live.cardinality();
    stats.postings += db->postings;
    stats.failures += db->failures;
    auto count = [&](const char* field, std::map<std::string, uint64_t>& out) {
      return ds.ForEachFacetValue(field, [&](const std::string& v, const Roaring& b) {
        const uint64_t c = b.and_cardinality(db->live);
        if (c > 0) out[v] += c;
      });
    };
    EDGARIX_RETURN_IF_ERROR(count("form", forms));
    EDGARIX_RETURN_IF_ERROR(count("year", years));
    EDGARIX_RETURN_IF_ERROR(count("event", events));
    EDGARIX_RETURN_IF_ERROR(ds.ForEachFacetValue("cik", [&](const std::string& v, const Roaring& b) {
      if (b.intersect(db->live)) ciks.insert(v);
    }));
    // Distinct terms: exact count of term keys when the postings family is
    // small, else RocksDB's estimate of its keys (term x segment, an upper
    // bound).
    const Store& s = *db->store;
    uint64_t keys = 0;
    s.db->GetIntProperty(s.cf(kCfPostings), "rocksdb.estimate-num-keys", &keys);
    if (keys <= 2000000) {
      std::unique_ptr<rocksdb::Iterator> it(
          s.db->NewIterator(rocksdb::ReadOptions(), s.cf(kCfPostings)));
      std::string last;
      uint64_t n = 0;
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        const rocksdb::Slice k = it->key();
        if (k.size() < 5 || k[0] == kCompanyTermPrefix) continue;
        std::string_view term(k.data(), k.size() - 5);
        if (term != last) {
          ++n;
          last.assign(term.data(), term.size());
        }
      }
      EDGARIX_RETURN_IF_ERROR(ToStatus(it->status(), "counting terms"));
      stats.terms += n;
    } else {
      stats.terms += keys;
    }
    std::error_code ec;
    for (const auto& e : std::filesystem::recursive_directory_iterator(s.path, ec)) {
      std::error_code fec;
      if (e.is_regular_file(fec)) stats.bytes_on_disk += e.file_size(fec);
    }
    std::unique_ptr<rocksdb::Iterator> it(
        s.db->NewIterator(rocksdb::ReadOptions(), s.cf(kCfFailures)));
    int taken = 0;
    for (it->SeekToLast(); it->Valid() && taken < 20; it->Prev(), ++taken) {
      if (it->key().size() != 8) continue;
      Decoder d(std::string_view(it->value().data(), it->value().size()));
      std::string source, reason;
      if (!d.GetLengthPrefixed(source) || !d.GetLengthPrefixed(reason)) continue;
      failures.emplace_back(DecodeBigEndian64(it->key().data()),
                            std::make_pair(std::move(source), std::move(reason)));
    }
    EDGARIX_RETURN_IF_ERROR(ToStatus(it->status(), "reading failures"));
  }
  stats.parties = ciks.size();
  auto to_list = [](const std::map<std::string, uint64_t>& m) {
    std::vector<FacetCount> out;
    for (const auto& [v, c] : m) out.push_back(FacetCount{v, c});
    return out;
  };
  stats.by_form = to_list(forms);
  std::stable_sort(stats.by_form.begin(), stats.by_form.end(),
                   [](const FacetCount& a, const FacetCount& b) { return a.count > b.count; });
  stats.by_year = to_list(years);
  stats.by_event = to_list(events);
  std::stable_sort(failures.begin(), failures.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = 0; i < failures.size() && i < 20; ++i) {
    stats.recent_failures.push_back(failures[i].second);
  }
  return stats;
}

}  // namespace edgarix::index
