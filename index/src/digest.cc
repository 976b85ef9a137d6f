#include "edgarix/index/digest.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "codec.h"
#include "edgarix/core/status_macros.h"
#include "rocksdb/db.h"
#include "roaring/roaring.hh"
#include "schema.h"
#include "store.h"

namespace edgarix::index {
namespace {

// --- hashing ----------------------------------------------------------------

uint64_t Mix64(uint64_t x) {  // splitmix64 finalizer: a bijection
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

// A sequence hash: every Add mixes the state with the value.
class Hasher {
 public:
  explicit Hasher(uint64_t domain) : h_(Mix64(domain ^ 0x6a09e667f3bcc909ull)) {}
  void Add(uint64_t v) { h_ = Mix64(h_ ^ (v * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull)); }
  void Add(std::string_view s) {
    Add(uint64_t{s.size()});
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      Add(w);
    }
    if (i < s.size()) {
      uint64_t w = 0;
      std::memcpy(&w, s.data() + i, s.size() - i);
      Add(w);
    }
  }
  uint64_t Finish() const { return Mix64(h_ + 0x510e527fade682d1ull); }

 private:
  uint64_t h_;
};

// Domains keep the hashes of different kinds of things apart.
enum Domain : uint64_t {
  kDomKey = 1,
  kDomRecord,
  kDomText,
  kDomPosting,
  kDomTerm,
  kDomFacetMember,
  kDomFacet,
  kDomAll,
};

uint64_t KeyHash(std::string_view key) {
  Hasher h(kDomKey);
  h.Add(key);
  return h.Finish() | 1;  // never 0: 0 marks a doc id that is not live
}

// --- per-database state -------------------------------------------------------

struct Db {
  std::unique_ptr<Store> store;
  // Filing-key hash of each live (and chosen) doc id, 0 for the others.
  std::vector<uint64_t> live;

  uint64_t Live(uint32_t doc) const { return doc < live.size() ? live[doc] : 0; }
};

rocksdb::ReadOptions ScanOptions() {
  rocksdb::ReadOptions ro;
  ro.fill_cache = false;
  ro.readahead_size = 2 << 20;
  return ro;
}

std::string_view View(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

// Walks a column family of every database at once, in key order, by groups:
// `group(key)` gives the part of a key that names its group (a term, a facet
// value, a filing key); groups equal across databases are visited together.
// `visit(db index, key, value)` sees every entry of the group, database by
// database; `done(group)` follows the group's last entry.
template <typename GroupFn, typename VisitFn, typename DoneFn>
absl::Status MergeGroups(std::vector<Db>& dbs, int cf, GroupFn group, VisitFn visit,
                         DoneFn done) {
  std::vector<std::unique_ptr<rocksdb::Iterator>> its;
  for (Db& db : dbs) {
    its.emplace_back(db.store->db->NewIterator(ScanOptions(), db.store->cf(cf)));
    its.back()->SeekToFirst();
  }
  std::string current;
  while (true) {
    bool any = false;
    for (auto& it : its) {
      if (!it->Valid()) continue;
      std::string_view g = group(View(it->key()));
      if (!any || g < std::string_view(current)) current.assign(g.data(), g.size());
      any = true;
    }
    if (!any) break;
    for (size_t i = 0; i < its.size(); ++i) {
      auto& it = its[i];
      while (it->Valid() && group(View(it->key())) == std::string_view(current)) {
        EDGARIX_RETURN_IF_ERROR(visit(i, View(it->key()), View(it->value())));
        it->Next();
      }
    }
    EDGARIX_RETURN_IF_ERROR(done(std::string_view(current)));
  }
  for (size_t i = 0; i < its.size(); ++i) {
    EDGARIX_RETURN_IF_ERROR(
        ToStatus(its[i]->status(), std::string("reading ") + kCfNames[cf] + " of " +
                                       dbs[i].store->path));
  }
  return absl::OkStatus();
}

absl::StatusOr<Roaring> DeletedDocs(const Store& store) {
  Roaring deleted;
  const std::string prefix = FacetPrefix(kDeletedField, "");
  std::unique_ptr<rocksdb::Iterator> it(store.db->NewIterator(ScanOptions(), store.cf(kCfFacets)));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    auto bitmap = DecodeBitmap(View(it->value()));
    if (!bitmap.ok()) {
      return absl::DataLossError("deleted-filings bitmap of " + store.path + ": " +
                                 std::string(bitmap.status().message()));
    }
    deleted |= *bitmap;
  }
  EDGARIX_RETURN_IF_ERROR(ToStatus(it->status(), "reading facets of " + store.path));
  return deleted;
}

// Fills every Db::live: accessions entries not deleted; a key live in
// several databases goes to the copy with the newest (filed, accepted),
// ties to the later database.
absl::Status FindLiveFilings(std::vector<Db>& dbs, IndexDigest& out) {
  std::vector<Roaring> deleted;
  for (Db& db : dbs) {
    EDGARIX_ASSIGN_OR_RETURN(Roaring d, DeletedDocs(*db.store));
    deleted.push_back(std::move(d));
    EDGARIX_ASSIGN_OR_RETURN(uint64_t next_doc, ReadCounter(*db.store, kMetaNextDoc));
    db.live.assign(std::min<uint64_t>(next_doc, uint64_t{1} << 32), 0);
  }
  std::vector<std::pair<size_t, uint32_t>> copies;  // of the current key
  auto visit = [&](size_t i, std::string_view /*key*/, std::string_view value) -> absl::Status {
    if (value.size() != 4) {
      return absl::DataLossError("corrupt accessions entry in " + dbs[i].store->path);
    }
    const uint32_t doc = DecodeBigEndian32(value.data());
    if (!deleted[i].contains(doc)) copies.emplace_back(i, doc);
    return absl::OkStatus();
  };
  auto done = [&](std::string_view key) -> absl::Status {
    if (copies.empty()) return absl::OkStatus();
    size_t best = 0;
    if (copies.size() > 1) {
      std::pair<std::string, std::string> best_date;
      for (size_t c = 0; c < copies.size(); ++c) {
        const auto [i, doc] = copies[c];
        std::string value;
        rocksdb::Status s = dbs[i].store->db->Get(rocksdb::ReadOptions(),
                                                  dbs[i].store->cf(kCfDocs), DocKey(doc), &value);
        DocRecord rec;
        if (!s.ok() || !DecodeDocRecord(value, rec)) {
          return absl::DataLossError("no readable record for " + std::string(key) + " in " +
                                     dbs[i].store->path);
        }
        std::pair<std::string, std::string> date{rec.filed, rec.accepted};
        if (c == 0 || date >= best_date) {
          best = c;
          best_date = std::move(date);
        }
      }
    }
    const auto [i, doc] = copies[best];
    if (doc >= dbs[i].live.size()) dbs[i].live.resize(uint64_t{doc} + 1, 0);
    dbs[i].live[doc] = KeyHash(key);
    ++out.filings;
    copies.clear();
    return absl::OkStatus();
  };
  return MergeGroups(
      dbs, kCfAccessions, [](std::string_view k) { return k; }, visit, done);
}

absl::Status HashRecordsAndText(std::vector<Db>& dbs, IndexDigest& out) {
  for (Db& db : dbs) {
    uint64_t records = 0, live = 0;
    for (uint64_t h : db.live) live += h != 0;
    std::unique_ptr<rocksdb::Iterator> it(
        db.store->db->NewIterator(ScanOptions(), db.store->cf(kCfDocs)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (it->key().size() != 4) return absl::DataLossError("corrupt docs key in " + db.store->path);
      const uint64_t key = db.Live(DecodeBigEndian32(it->key().data()));
      if (key == 0) continue;
      Hasher h(kDomRecord);
      h.Add(key);
      h.Add(View(it->value()));
      out.records_checksum += h.Finish();
      ++records;
    }
    EDGARIX_RETURN_IF_ERROR(ToStatus(it->status(), "reading docs of " + db.store->path));
    if (records != live) {
      return absl::DataLossError(db.store->path + ": " + std::to_string(live - records) +
                                 " live filings have no record");
    }
    it.reset(db.store->db->NewIterator(ScanOptions(), db.store->cf(kCfText)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (it->key().size() != 8) return absl::DataLossError("corrupt text key in " + db.store->path);
      const uint64_t key = db.Live(DecodeBigEndian32(it->key().data()));
      if (key == 0) continue;
      Hasher h(kDomText);
      h.Add(key);
      h.Add(uint64_t{DecodeBigEndian32(it->key().data() + 4)});
      h.Add(View(it->value()));
      out.text_checksum += h.Finish();
      ++out.documents;
    }
    EDGARIX_RETURN_IF_ERROR(ToStatus(it->status(), "reading text of " + db.store->path));
  }
  return absl::OkStatus();
}

absl::Status HashPostings(std::vector<Db>& dbs, const DigestOptions& options,
                          IndexDigest& out) {
  // One positions iterator per database, moved forward in step with postings.
  std::vector<std::unique_ptr<rocksdb::Iterator>> positions;
  for (Db& db : dbs) {
    positions.emplace_back(db.store->db->NewIterator(ScanOptions(), db.store->cf(kCfPositions)));
  }
  uint64_t term_sum = 0, term_count = 0;
  DocBlock block;
  std::vector<uint32_t> offsets, pos;
  auto group = [](std::string_view k) {
    return k.size() >= 5 ? k.substr(0, k.size() - 5) : k;  // term; drop '\0' + segment
  };
  auto visit = [&](size_t i, std::string_view key, std::string_view value) -> absl::Status {
    const Db& db = dbs[i];
    if (key.size() < 5 || key[key.size() - 5] != '\0') {
      return absl::DataLossError("corrupt postings key in " + db.store->path);
    }
    block.docs.clear();
    block.freqs.clear();
    if (!DecodeDocBlock(value, block)) {
      return absl::DataLossError("corrupt posting block of a term in " + db.store->path);
    }
    bool any_live = false;
    for (uint32_t d : block.docs) any_live = any_live || db.Live(d) != 0;
    if (!any_live) return absl::OkStatus();
    auto& pit = positions[i];
    const rocksdb::Slice prefix(key.data(), key.size());
    // Postings and positions keys sort alike: usually the iterator is there.
    if (!pit->Valid() || !pit->key().starts_with(prefix)) pit->Seek(prefix);
    for (size_t chunk = 0; chunk * kPositionsChunkDocs < block.docs.size(); ++chunk) {
      const size_t begin = chunk * kPositionsChunkDocs;
      const size_t n = std::min(kPositionsChunkDocs, block.docs.size() - begin);
      if (!pit->Valid() || !pit->key().starts_with(prefix) ||
          pit->key().size() != key.size() + 4 ||
          DecodeBigEndian32(pit->key().data() + key.size()) != chunk) {
        EDGARIX_RETURN_IF_ERROR(ToStatus(pit->status(), "reading positions of " + db.store->path));
        return absl::DataLossError("missing positions chunk of a term in " + db.store->path);
      }
      if (!DecodePositions(View(pit->value()), block.freqs.data() + begin, n, offsets, pos)) {
        return absl::DataLossError("corrupt positions of a term in " + db.store->path);
      }
      for (size_t j = 0; j < n; ++j) {
        const uint64_t filing = db.Live(block.docs[begin + j]);
        if (filing == 0) continue;
        Hasher h(kDomPosting);
        h.Add(filing);
        h.Add(uint64_t{block.freqs[begin + j]});
        for (uint32_t p = offsets[j]; p < offsets[j + 1]; ++p) h.Add(uint64_t{pos[p]});
        term_sum += h.Finish();
        ++term_count;
      }
      pit->Next();
    }
    return absl::OkStatus();
  };
  auto done = [&](std::string_view term) -> absl::Status {
    if (term_count > 0) {
      Hasher t(kDomTerm);
      t.Add(term_sum);
      t.Add(term_count);
      const uint64_t checksum = t.Finish();
      Hasher h(kDomTerm);
      h.Add(term);
      h.Add(checksum);
      out.postings_checksum += h.Finish();
      ++out.terms;
      out.postings += term_count;
      if (options.on_term) options.on_term(term, checksum);
    }
    term_sum = 0;
    term_count = 0;
    return absl::OkStatus();
  };
  return MergeGroups(dbs, kCfPostings, group, visit, done);
}

absl::Status HashFacets(std::vector<Db>& dbs, const DigestOptions& options,
                        IndexDigest& out) {
  std::vector<Roaring> members(dbs.size());
  auto group = [](std::string_view k) {  // field '\0' value '\0'
    return k.size() >= 4 ? k.substr(0, k.size() - 4) : k;
  };
  auto visit = [&](size_t i, std::string_view key, std::string_view value) -> absl::Status {
    if (key.size() < 6 || key[key.size() - 5] != '\0') {
      return absl::DataLossError("corrupt facets key in " + dbs[i].store->path);
    }
    if (key.substr(0, kDeletedField.size() + 1) == std::string(kDeletedField) + '\0') {
      return absl::OkStatus();
    }
    auto bitmap = DecodeBitmap(value);
    if (!bitmap.ok()) {
      return absl::DataLossError("facet bitmap in " + dbs[i].store->path + ": " +
                                 std::string(bitmap.status().message()));
    }
    members[i] |= *bitmap;
    return absl::OkStatus();
  };
  auto done = [&](std::string_view g) -> absl::Status {
    uint64_t sum = 0, count = 0;
    for (size_t i = 0; i < dbs.size(); ++i) {
      for (uint32_t doc : members[i]) {
        const uint64_t filing = dbs[i].Live(doc);
        if (filing == 0) continue;
        Hasher h(kDomFacetMember);
        h.Add(filing);
        sum += h.Finish();
        ++count;
      }
      members[i] = Roaring();
    }
    if (count == 0) return absl::OkStatus();
    Hasher c(kDomFacet);
    c.Add(sum);
    c.Add(count);
    const uint64_t checksum = c.Finish();
    Hasher h(kDomFacet);
    h.Add(g);
    h.Add(checksum);
    out.facets_checksum += h.Finish();
    ++out.facet_values;
    if (options.on_facet) {
      const std::string_view fv = g.substr(0, g.size() - 1);  // drop the last '\0'
      const size_t sep = fv.find('\0');
      options.on_facet(fv.substr(0, sep), sep == fv.npos ? "" : fv.substr(sep + 1), checksum);
    }
    return absl::OkStatus();
  };
  return MergeGroups(dbs, kCfFacets, group, visit, done);
}

}  // namespace

std::string IndexDigest::Hex(uint64_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) s[static_cast<size_t>(i)] = kHex[v & 0xF];
  return s;
}

absl::StatusOr<IndexDigest> ComputeDigest(const std::vector<std::string>& paths,
                                          const DigestOptions& options) {
  if (paths.empty()) return absl::InvalidArgumentError("no index given");
  std::vector<Db> dbs;
  for (const std::string& path : paths) {
    EDGARIX_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(path, /*read_only=*/true));
    dbs.push_back(Db{std::move(store), {}});
  }
  IndexDigest out;
  EDGARIX_RETURN_IF_ERROR(FindLiveFilings(dbs, out));
  EDGARIX_RETURN_IF_ERROR(HashRecordsAndText(dbs, out));
  EDGARIX_RETURN_IF_ERROR(HashPostings(dbs, options, out));
  EDGARIX_RETURN_IF_ERROR(HashFacets(dbs, options, out));
  Hasher all(kDomAll);
  for (uint64_t v : {out.filings, out.terms, out.postings, out.facet_values, out.documents,
                     out.records_checksum, out.text_checksum, out.postings_checksum,
                     out.facets_checksum}) {
    all.Add(v);
  }
  out.digest = all.Finish();
  return out;
}

}  // namespace edgarix::index
