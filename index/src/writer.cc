#include "edgarix/index/writer.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <system_error>

#include "absl/container/flat_hash_map.h"
#include "codec.h"
#include "edgarix/core/ids.h"
#include "edgarix/core/status_macros.h"
#include "edgarix/core/text.h"
#include "edgarix/core/tokenizer.h"
#include "rocksdb/sst_file_writer.h"
#include "rocksdb/write_batch.h"
#include "schema.h"
#include "store.h"

namespace edgarix::index {

struct AnalyzedFiling {
  std::string key;
  DocRecord record;
  // Parties with their former names (registrants CF, CIK fill-in).
  std::vector<Party> parties;
  // Terms with their ascending positions; company-name terms are prefixed
  // with kCompanyTermPrefix.
  std::vector<std::pair<std::string, std::vector<uint32_t>>> terms;
  // Document index (into record.documents) -> extracted text.
  std::vector<std::pair<uint32_t, std::string>> texts;
  // (field, value) facet memberships known without the index (not cik).
  std::vector<std::pair<std::string, std::string>> facets;
  uint64_t bytes = 0;
};

void AnalyzedFilingDeleter::operator()(AnalyzedFiling* p) const { delete p; }

uint64_t AnalyzedBytes(const AnalyzedFiling& filing) { return filing.bytes; }

namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// Strips bytes that would break '\0'-separated keys.
std::string KeyPart(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != '\0') out.push_back(c);
  }
  return out;
}

// Name as used for the name -> CIK lookup: upper case, whitespace collapsed.
std::string NameKey(std::string_view name) { return Upper(CollapseWhitespace(name)); }

void AddUnique(std::vector<std::pair<std::string, std::string>>& facets, std::string field,
               std::string value) {
  if (value.empty()) return;
  std::pair<std::string, std::string> f(std::move(field), KeyPart(value));
  if (std::find(facets.begin(), facets.end(), f) == facets.end()) {
    facets.push_back(std::move(f));
  }
}

struct Boundary {
  uint32_t byte;
  uint32_t* target;
};

}  // namespace

AnalyzedFilingPtr Analyze(ParsedFiling filing) {
  AnalyzedFilingPtr out(new AnalyzedFiling);
  DocRecord& r = out->record;
  r.source = std::move(filing.source);
  r.accession = std::move(filing.accession);
  r.form = std::move(filing.form);
  r.root_form = std::move(filing.root_form);
  if (r.root_form.empty() && !r.form.empty()) {
    r.root_form = r.form;
    if (r.root_form.size() > 2 && Upper(r.root_form.substr(r.root_form.size() - 2)) == "/A") {
      r.root_form.resize(r.root_form.size() - 2);
    }
  }
  r.filed = std::move(filing.filed);
  r.period = std::move(filing.period);
  r.accepted = std::move(filing.accepted);
  r.amendment = filing.amendment;
  r.raw_bytes = filing.raw_bytes;
  r.items = std::move(filing.items);
  r.events = std::move(filing.events);
  for (const Party& p : filing.parties) {
    r.parties.push_back(PartyRecord{p.role, p.cik, p.name, p.irs, p.sic, p.state_of_inc,
                                    p.business_state});
  }

  // Filing key: accession, else a hash of form and text.
  if (!r.accession.empty()) {
    out->key = r.accession;
  } else {
    std::string hashes = r.form;
    for (const Document& d : filing.documents) {
      hashes.push_back('\0');
      hashes += d.type;
      hashes.push_back('\0');
      hashes += ContentHash(d.text);
    }
    out->key = "sha:" + ContentHash(hashes);
  }
  r.key = out->key;

  // Text terms: documents concatenated in order with kDocGap between them.
  absl::flat_hash_map<std::string, std::vector<uint32_t>> terms;
  uint32_t position = 0;
  uint64_t text_bytes = 0;
  r.sections.reserve(filing.sections.size());
  for (const Section& s : filing.sections) {
    r.sections.push_back(SectionRecord{s.id, s.title, static_cast<uint32_t>(s.document), 0, 0,
                                       s.begin, s.end});
  }
  std::vector<Boundary> boundaries;
  for (size_t di = 0; di < filing.documents.size(); ++di) {
    Document& d = filing.documents[di];
    DocumentRecord dr;
    dr.sequence = static_cast<uint32_t>(d.sequence);
    dr.type = std::move(d.type);
    dr.filename = std::move(d.filename);
    dr.description = std::move(d.description);
    dr.binary = d.binary;
    dr.text_bytes = static_cast<uint32_t>(std::min<size_t>(d.text.size(), UINT32_MAX));
    if (di > 0) position += kDocGap;
    dr.pos_begin = position;
    boundaries.clear();
    for (SectionRecord& s : r.sections) {
      if (s.document != dr.sequence) continue;
      boundaries.push_back(Boundary{s.byte_begin, &s.pos_begin});
      boundaries.push_back(Boundary{s.byte_end, &s.pos_end});
    }
    std::sort(boundaries.begin(), boundaries.end(),
              [](const Boundary& a, const Boundary& b) { return a.byte < b.byte; });
    size_t next_boundary = 0;
    if (!d.binary && !d.text.empty()) {
      position = Tokenize(
          d.text,
          [&](std::string_view term, uint32_t pos, uint32_t offset) {
            while (next_boundary < boundaries.size() &&
                   boundaries[next_boundary].byte <= offset) {
              *boundaries[next_boundary++].target = pos;
            }
            terms[absl::string_view(term.data(), term.size())].push_back(pos);
          },
          position);
      text_bytes += d.text.size();
      out->texts.emplace_back(static_cast<uint32_t>(di), std::move(d.text));
    }
    while (next_boundary < boundaries.size()) *boundaries[next_boundary++].target = position;
    dr.pos_end = position;
    r.documents.push_back(std::move(dr));
  }
  // Sections naming a document that does not exist get an empty range.
  for (SectionRecord& s : r.sections) {
    if (s.pos_end < s.pos_begin) s.pos_end = s.pos_begin;
  }
  uint64_t total = 0;
  for (const auto& [term, positions] : terms) total += positions.size();
  r.total_tokens = static_cast<uint32_t>(std::min<uint64_t>(total, UINT32_MAX));

  // Party names (and former names) as company terms.
  uint32_t name_pos = 0;
  std::vector<std::string> names_seen;
  for (const Party& p : filing.parties) {
    std::vector<const std::string*> names = {&p.name};
    for (const auto& f : p.former_names) names.push_back(&f);
    for (const std::string* name : names) {
      std::string key = NameKey(*name);
      if (key.empty() ||
          std::find(names_seen.begin(), names_seen.end(), key) != names_seen.end()) {
        continue;
      }
      names_seen.push_back(std::move(key));
      std::string prefixed(1, kCompanyTermPrefix);
      name_pos = Tokenize(
                     *name,
                     [&](std::string_view term, uint32_t pos, uint32_t) {
                       prefixed.resize(1);
                       prefixed.append(term.data(), term.size());
                       terms[prefixed].push_back(pos);
                     },
                     name_pos) +
                 kDocGap;
    }
  }

  out->terms.reserve(terms.size());
  uint64_t bytes = sizeof(AnalyzedFiling) + text_bytes;
  for (auto& [term, positions] : terms) {
    bytes += term.size() + positions.size() * 4 + 64;
    out->terms.emplace_back(term, std::move(positions));
  }
  r.distinct_terms = static_cast<uint32_t>(out->terms.size());

  auto& f = out->facets;
  AddUnique(f, "form", Upper(r.form));
  AddUnique(f, "rootform", Upper(r.root_form));
  for (const auto& e : r.events) AddUnique(f, "event", e);
  for (const auto& i : r.items) AddUnique(f, "item", i);
  if (r.filed.size() >= 4) AddUnique(f, "year", r.filed.substr(0, 4));
  AddUnique(f, "filed", r.filed);
  for (const auto& p : r.parties) {
    AddUnique(f, "sic", p.sic);
    AddUnique(f, "state", Upper(p.business_state));
  }
  for (const auto& d : r.documents) AddUnique(f, "doc", Upper(d.type));
  for (const auto& s : r.sections) AddUnique(f, "sec", Upper(s.id));
  for (const auto& [field, value] : f) bytes += field.size() + value.size() + 32;
  out->parties = std::move(filing.parties);
  out->bytes = bytes;
  return out;
}

struct IndexWriter::Rep {
  WriterOptions options;
  std::unique_ptr<Store> store;
  absl::Status sticky;  // a failed commit leaves the writer unusable

  // Persistent counters (as of the last commit plus the current batch).
  uint64_t next_doc = 0, next_segment = 0, next_failure = 0;
  uint64_t live = 0, total_tokens = 0, postings = 0;
  uint64_t filings_added = 0, failures_added = 0;

  // The current batch.
  struct BatchDoc {
    uint32_t doc;
    uint32_t total_tokens;
    uint32_t distinct_terms;
  };
  absl::flat_hash_map<std::string, PostingBuilder> terms;
  absl::flat_hash_map<std::string, Roaring> facets;  // field '\0' value '\0'
  Roaring deleted;
  std::map<std::string, BatchDoc> accessions;
  std::vector<std::pair<std::string, std::string>> docs;   // doc key, record
  std::vector<std::pair<std::string, std::string>> texts;  // text key, text
  std::map<std::string, std::vector<std::string>> registrants;  // cik -> names
  std::map<std::string, std::string> lookup;                    // irs/name -> cik
  std::vector<std::pair<std::string, std::string>> failures;    // source, reason
  size_t batch_filings = 0;
  uint64_t batch_bytes = 0;
  uint32_t batch_first_doc = 0;
  std::vector<uint32_t> norms;  // total_tokens of batch_first_doc + i

  absl::StatusOr<std::optional<std::string>> Get(int cf, std::string_view key) const {
    std::string value;
    rocksdb::Status s = store->db->Get(rocksdb::ReadOptions(), store->cf(cf),
                                       rocksdb::Slice(key.data(), key.size()), &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return ToStatus(s, "reading index " + store->path);
    return std::optional<std::string>(std::move(value));
  }

  absl::StatusOr<std::string> LookupCik(const std::string& key) {
    auto it = lookup.find(key);
    if (it != lookup.end()) return it->second;
    EDGARIX_ASSIGN_OR_RETURN(auto v, Get(kCfLookup, key));
    return v.value_or("");
  }

  absl::Status AddRegistrantNames(const std::string& cik, const Party& p) {
    auto it = registrants.find(cik);
    if (it == registrants.end()) {
      EDGARIX_ASSIGN_OR_RETURN(auto stored, Get(kCfRegistrants, cik));
      std::vector<std::string> names;
      if (stored) {
        size_t start = 0;
        while (start <= stored->size()) {
          size_t end = stored->find('\n', start);
          if (end == std::string::npos) end = stored->size();
          if (end > start) names.push_back(stored->substr(start, end - start));
          start = end + 1;
        }
      }
      it = registrants.emplace(cik, std::move(names)).first;
    }
    auto add = [&](const std::string& raw) {
      std::string name = CollapseWhitespace(raw);
      for (char& c : name) {
        if (c == '\n' || c == '\0') c = ' ';
      }
      if (name.empty()) return;
      if (std::find(it->second.begin(), it->second.end(), name) == it->second.end()) {
        it->second.push_back(std::move(name));
      }
    };
    add(p.name);
    for (const auto& f : p.former_names) add(f);
    return absl::OkStatus();
  }

  void AddFacet(std::string_view field, std::string_view value, uint32_t doc) {
    facets[FacetPrefix(field, value)].add(doc);
  }

  absl::Status Commit(const std::vector<std::pair<std::string, std::string>>& meta);
  absl::Status WriteSorted(std::vector<std::vector<std::pair<std::string, std::string>>>& cfs,
                           bool use_sst);
};

IndexWriter::IndexWriter(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
IndexWriter::~IndexWriter() = default;

absl::StatusOr<std::unique_ptr<IndexWriter>> IndexWriter::Open(const std::string& db_path,
                                                               const WriterOptions& options) {
  auto rep = std::make_unique<Rep>();
  rep->options = options;
  EDGARIX_ASSIGN_OR_RETURN(rep->store, OpenStore(db_path, /*read_only=*/false));
  // SST files of a batch that was never ingested (a crash) are garbage.
  std::error_code ec;
  std::filesystem::remove_all(std::filesystem::path(db_path) / "edgarix-ingest", ec);
  const Store& s = *rep->store;
  EDGARIX_ASSIGN_OR_RETURN(rep->next_doc, ReadCounter(s, kMetaNextDoc));
  EDGARIX_ASSIGN_OR_RETURN(rep->next_segment, ReadCounter(s, kMetaNextSegment));
  EDGARIX_ASSIGN_OR_RETURN(rep->next_failure, ReadCounter(s, kMetaNextFailure));
  EDGARIX_ASSIGN_OR_RETURN(rep->live, ReadCounter(s, kMetaLiveFilings));
  EDGARIX_ASSIGN_OR_RETURN(rep->total_tokens, ReadCounter(s, kMetaTotalTokens));
  EDGARIX_ASSIGN_OR_RETURN(rep->postings, ReadCounter(s, kMetaPostings));
  return std::unique_ptr<IndexWriter>(new IndexWriter(std::move(rep)));
}

absl::Status IndexWriter::Add(AnalyzedFilingPtr filing) {
  Rep& r = *rep_;
  EDGARIX_RETURN_IF_ERROR(r.sticky);
  if (filing == nullptr) return absl::InvalidArgumentError("IndexWriter::Add: null filing");
  if (r.next_doc >= UINT32_MAX - 1) {
    return absl::ResourceExhaustedError("index " + r.store->path + " is full (2^32 doc ids)");
  }
  AnalyzedFiling& f = *filing;
  const auto doc = static_cast<uint32_t>(r.next_doc++);
  if (r.norms.empty()) r.batch_first_doc = doc;
  r.norms.push_back(f.record.total_tokens);

  // Replacement: the old doc id (in this batch or in the index) is deleted.
  auto in_batch = r.accessions.find(f.key);
  if (in_batch != r.accessions.end()) {
    r.deleted.add(in_batch->second.doc);
    r.total_tokens -= in_batch->second.total_tokens;
    r.postings -= in_batch->second.distinct_terms;
  } else {
    EDGARIX_ASSIGN_OR_RETURN(auto old, r.Get(kCfAccessions, f.key));
    if (old && old->size() == 4) {
      const uint32_t old_doc = DecodeBigEndian32(old->data());
      r.deleted.add(old_doc);
      EDGARIX_ASSIGN_OR_RETURN(auto rec, r.Get(kCfDocs, DocKey(old_doc)));
      DocRecord old_record;
      if (rec && DecodeDocRecord(*rec, old_record)) {
        r.total_tokens -= std::min<uint64_t>(r.total_tokens, old_record.total_tokens);
        r.postings -= std::min<uint64_t>(r.postings, old_record.distinct_terms);
      }
    } else {
      ++r.live;
    }
  }
  r.accessions[f.key] =
      Rep::BatchDoc{doc, f.record.total_tokens, f.record.distinct_terms};
  r.total_tokens += f.record.total_tokens;
  r.postings += f.record.distinct_terms;

  // A party without a CIK takes the one of a known registrant with the same
  // IRS number, else the same exact name.
  for (size_t i = 0; i < f.parties.size(); ++i) {
    Party& p = f.parties[i];
    if (!p.cik.empty()) continue;
    std::string cik;
    if (!p.irs.empty()) {
      EDGARIX_ASSIGN_OR_RETURN(cik, r.LookupCik(std::string("irs\0", 4) + p.irs));
    }
    if (cik.empty() && !p.name.empty()) {
      EDGARIX_ASSIGN_OR_RETURN(cik, r.LookupCik(std::string("name\0", 5) + NameKey(p.name)));
    }
    if (!cik.empty()) {
      p.cik = cik;
      f.record.parties[i].cik = cik;
    }
  }
  for (const Party& p : f.parties) {
    if (p.cik.empty()) continue;
    r.AddFacet("cik", p.cik, doc);
    EDGARIX_RETURN_IF_ERROR(r.AddRegistrantNames(p.cik, p));
    if (!p.irs.empty()) r.lookup[std::string("irs\0", 4) + p.irs] = p.cik;
    if (!p.name.empty()) r.lookup[std::string("name\0", 5) + NameKey(p.name)] = p.cik;
  }
  for (const auto& [field, value] : f.facets) r.AddFacet(field, value, doc);

  for (auto& [term, positions] : f.terms) {
    r.terms[term].Add(doc, positions.data(), positions.size());
  }
  for (auto& [index, text] : f.texts) {
    r.texts.emplace_back(TextKey(doc, index), std::move(text));
  }
  r.docs.emplace_back(DocKey(doc), EncodeDocRecord(f.record));

  ++r.filings_added;
  ++r.batch_filings;
  r.batch_bytes += f.bytes;
  filing.reset();
  if (r.batch_filings >= r.options.batch_max_filings ||
      r.batch_bytes >= r.options.batch_max_bytes) {
    return Commit();
  }
  return absl::OkStatus();
}

absl::Status IndexWriter::AddFailure(std::string_view source, std::string_view reason) {
  EDGARIX_RETURN_IF_ERROR(rep_->sticky);
  rep_->failures.emplace_back(std::string(source), std::string(reason));
  ++rep_->failures_added;
  return absl::OkStatus();
}

absl::Status IndexWriter::Commit(const std::vector<std::pair<std::string, std::string>>& meta) {
  EDGARIX_RETURN_IF_ERROR(rep_->sticky);
  absl::Status s = rep_->Commit(meta);
  if (!s.ok()) rep_->sticky = s;
  return s;
}

absl::Status IndexWriter::Rep::Commit(
    const std::vector<std::pair<std::string, std::string>>& meta) {
  if (batch_filings == 0 && failures.empty() && meta.empty() && deleted.isEmpty()) {
    return absl::OkStatus();
  }
  const auto segment = static_cast<uint32_t>(next_segment++);
  std::vector<std::vector<std::pair<std::string, std::string>>> cfs(kCfCount);

  // meta: counters and user values, sorted.
  {
    std::map<std::string, std::string> m;
    for (const auto& [k, v] : meta) m[std::string(kMetaUserPrefix) + k] = v;
    m[std::string(kMetaSchema)] = std::to_string(kSchemaVersion);
    m[std::string(kMetaNextDoc)] = EncodeCounter(next_doc);
    m[std::string(kMetaNextSegment)] = EncodeCounter(next_segment);
    m[std::string(kMetaNextFailure)] = EncodeCounter(next_failure + failures.size());
    m[std::string(kMetaLiveFilings)] = EncodeCounter(live);
    m[std::string(kMetaTotalTokens)] = EncodeCounter(total_tokens);
    m[std::string(kMetaPostings)] = EncodeCounter(postings);
    if (!norms.empty()) {
      std::string key(kMetaNormsPrefix), value;
      PutBigEndian32(key, batch_first_doc);
      for (uint32_t n : norms) PutVarint32(value, n);
      m[key] = std::move(value);
    }
    for (auto& kv : m) cfs[kCfMeta].emplace_back(kv.first, std::move(kv.second));
  }
  for (const auto& [key, bd] : accessions) {
    std::string v;
    PutBigEndian32(v, bd.doc);
    cfs[kCfAccessions].emplace_back(key, std::move(v));
  }
  cfs[kCfDocs] = std::move(docs);
  {
    std::vector<std::pair<const std::string*, const PostingBuilder*>> sorted;
    sorted.reserve(terms.size());
    for (const auto& [term, builder] : terms) sorted.emplace_back(&term, &builder);
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return *a.first < *b.first; });
    cfs[kCfPostings].reserve(sorted.size());
    cfs[kCfPositions].reserve(sorted.size());
    for (const auto& [term, builder] : sorted) {
      std::string key = PostingKey(*term, segment);
      cfs[kCfPostings].emplace_back(key, builder->FinishDocs());
      cfs[kCfPositions].emplace_back(std::move(key), builder->positions());
    }
  }
  {
    if (!deleted.isEmpty()) facets[FacetPrefix(kDeletedField, "")] |= deleted;
    std::vector<std::pair<std::string, std::string>>& out = cfs[kCfFacets];
    for (auto& [prefix, bitmap] : facets) {
      std::string key = prefix;
      PutBigEndian32(key, segment);
      out.emplace_back(std::move(key), EncodeBitmap(bitmap));
    }
    std::sort(out.begin(), out.end());
  }
  cfs[kCfText] = std::move(texts);
  for (auto& [cik, names] : registrants) {
    std::string v;
    for (const auto& n : names) {
      if (!v.empty()) v.push_back('\n');
      v += n;
    }
    cfs[kCfRegistrants].emplace_back(cik, std::move(v));
  }
  for (auto& [k, v] : lookup) cfs[kCfLookup].emplace_back(k, v);
  for (size_t i = 0; i < failures.size(); ++i) {
    std::string key, value;
    PutBigEndian64(key, next_failure + i);
    PutLengthPrefixed(value, failures[i].first);
    PutLengthPrefixed(value, failures[i].second);
    cfs[kCfFailures].emplace_back(std::move(key), std::move(value));
  }

  const bool use_sst = options.ingest_sst;
  EDGARIX_RETURN_IF_ERROR(WriteSorted(cfs, use_sst));

  next_failure += failures.size();
  terms.clear();
  facets.clear();
  deleted = Roaring();
  accessions.clear();
  docs.clear();
  texts.clear();
  registrants.clear();
  lookup.clear();
  failures.clear();
  batch_filings = 0;
  batch_bytes = 0;
  norms.clear();
  return absl::OkStatus();
}

absl::Status IndexWriter::Rep::WriteSorted(
    std::vector<std::vector<std::pair<std::string, std::string>>>& cfs, bool use_sst) {
  if (!use_sst) {
    rocksdb::WriteBatch batch;
    for (int cf = 0; cf < kCfCount; ++cf) {
      for (const auto& [k, v] : cfs[static_cast<size_t>(cf)]) {
        rocksdb::Status s = batch.Put(store->cf(cf), k, v);
        if (!s.ok()) return ToStatus(s, "building write batch");
      }
    }
    rocksdb::WriteOptions wo;
    wo.sync = true;
    return ToStatus(store->db->Write(wo, &batch), "writing batch to " + store->path);
  }
  const std::filesystem::path dir = std::filesystem::path(store->path) / "edgarix-ingest";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::UnavailableError("cannot create " + dir.string() + ": " + ec.message());
  std::vector<rocksdb::IngestExternalFileArg> args;
  rocksdb::DBOptions db_options = store->db->GetDBOptions();
  for (int cf = 0; cf < kCfCount; ++cf) {
    auto& kvs = cfs[static_cast<size_t>(cf)];
    if (kvs.empty()) continue;
    rocksdb::Options o(db_options, CfOptions(cf));
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), o, store->cf(cf));
    const std::string file = (dir / (std::string(kCfNames[cf]) + ".sst")).string();
    rocksdb::Status s = writer.Open(file);
    for (size_t i = 0; s.ok() && i < kvs.size(); ++i) {
      s = writer.Put(kvs[i].first, kvs[i].second);
    }
    if (s.ok()) s = writer.Finish();
    if (!s.ok()) return ToStatus(s, "writing " + file);
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = store->cf(cf);
    arg.external_files.push_back(file);
    arg.options.move_files = true;
    arg.options.snapshot_consistency = true;
    arg.options.allow_global_seqno = true;
    arg.options.allow_blocking_flush = true;
    args.push_back(std::move(arg));
  }
  rocksdb::Status s = store->db->IngestExternalFiles(args);
  std::filesystem::remove_all(dir, ec);
  return ToStatus(s, "ingesting batch into " + store->path);
}

absl::StatusOr<std::optional<std::string>> IndexWriter::GetMeta(std::string_view key) const {
  return rep_->Get(kCfMeta, std::string(kMetaUserPrefix) + std::string(key));
}

uint64_t IndexWriter::filings_added() const { return rep_->filings_added; }
uint64_t IndexWriter::failures_added() const { return rep_->failures_added; }

}  // namespace edgarix::index
