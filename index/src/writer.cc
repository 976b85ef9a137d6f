#include "edgarix/index/writer.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
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
  // Terms with their positions, already encoded (varint deltas) in
  // `positions`; company-name terms are prefixed with kCompanyTermPrefix.
  struct TermEntry {
    uint32_t term_begin, term_size;  // bytes of `term_bytes`
    uint32_t freq;
    uint32_t begin, end;  // bytes of `positions`
  };
  std::vector<TermEntry> terms;
  std::string term_bytes;
  std::string positions;
  std::string_view term(const TermEntry& e) const {
    return std::string_view(term_bytes.data() + e.term_begin, e.term_size);
  }
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

// Collects a facet value; duplicates are dropped by SortUnique() once all are
// in (a filing may list 10^5 parties: no linear search per value).
void AddUnique(std::vector<std::pair<std::string, std::string>>& facets, std::string field,
               std::string value) {
  if (value.empty()) return;
  facets.emplace_back(std::move(field), KeyPart(value));
}

void SortUnique(std::vector<std::pair<std::string, std::string>>& facets) {
  std::sort(facets.begin(), facets.end());
  facets.erase(std::unique(facets.begin(), facets.end()), facets.end());
}

struct Boundary {
  uint32_t byte;
  uint32_t* target;
};

// Stable storage for the distinct terms of one filing, so that the term
// dictionary can key on views instead of allocating a string per term.
class TermArena {
 public:
  std::string_view Copy(std::string_view s) {
    if (s.size() > left_) {
      const size_t size = std::max(kBlockBytes, s.size());
      blocks_.emplace_back(new char[size]);  // not zeroed
      next_ = blocks_.back().get();
      left_ = size;
    }
    std::memcpy(next_, s.data(), s.size());
    const std::string_view out(next_, s.size());
    next_ += s.size();
    left_ -= s.size();
    return out;
  }

 private:
  static constexpr size_t kBlockBytes = 64 << 10;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;
  size_t left_ = 0;
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
  // Each token becomes (term id, position); grouped by term afterwards.
  // Keys point into `arena`; one hash per token (lazy_emplace).
  TermArena arena;
  absl::flat_hash_map<absl::string_view, uint32_t> dict;
  uint32_t next_id = 0;
  std::vector<uint32_t> tok_id, tok_pos;
  auto add_token = [&](std::string_view term, uint32_t pos) {
    const absl::string_view key(term.data(), term.size());
    auto it = dict.lazy_emplace(key, [&](const auto& construct) {
      const std::string_view stored = arena.Copy(term);
      construct(absl::string_view(stored.data(), stored.size()), next_id++);
    });
    tok_id.push_back(it->second);
    tok_pos.push_back(pos);
  };
  {
    size_t chars = 0;
    for (const Document& d : filing.documents) chars += d.binary ? 0 : d.text.size();
    tok_id.reserve(chars / 6);
    tok_pos.reserve(chars / 6);
    dict.reserve(std::min<size_t>(chars / 30 + 64, 1 << 20));
  }
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
            if ((pos - dr.pos_begin) % kCheckpointTokens == 0) dr.checkpoints.push_back(offset);
            add_token(term, pos);
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
  r.total_tokens = static_cast<uint32_t>(std::min<uint64_t>(tok_id.size(), UINT32_MAX));

  // Party names (and former names) as company terms.
  uint32_t name_pos = 0;
  absl::flat_hash_set<std::string> names_seen;  // hashed: 10^5 parties stay linear
  for (const Party& p : filing.parties) {
    std::vector<const std::string*> names = {&p.name};
    for (const auto& f : p.former_names) names.push_back(&f);
    for (const std::string* name : names) {
      std::string key = NameKey(*name);
      if (key.empty() || !names_seen.insert(std::move(key)).second) continue;
      std::string prefixed(1, kCompanyTermPrefix);
      name_pos = Tokenize(
                     *name,
                     [&](std::string_view term, uint32_t pos, uint32_t) {
                       prefixed.resize(1);
                       prefixed.append(term.data(), term.size());
                       add_token(prefixed, pos);
                     },
                     name_pos) +
                 kDocGap;
    }
  }

  // Group positions by term (a counting sort keeps them ascending) and
  // encode them once here, on the caller's thread.
  const size_t n_terms = dict.size();
  std::vector<uint32_t> start(n_terms + 1, 0);
  for (uint32_t id : tok_id) ++start[id + 1];
  for (size_t i = 0; i < n_terms; ++i) start[i + 1] += start[i];
  std::vector<uint32_t> grouped(tok_id.size());
  {
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (size_t k = 0; k < tok_id.size(); ++k) grouped[fill[tok_id[k]]++] = tok_pos[k];
  }
  tok_pos = std::vector<uint32_t>();
  auto& entries = out->terms;
  entries.resize(n_terms);
  {
    size_t term_bytes = 0;
    for (const auto& [term, id] : dict) term_bytes += term.size();
    out->term_bytes.reserve(term_bytes);
  }
  for (const auto& [term, id] : dict) {
    entries[id].term_begin = static_cast<uint32_t>(out->term_bytes.size());
    entries[id].term_size = static_cast<uint32_t>(term.size());
    out->term_bytes.append(term.data(), term.size());
  }
  std::string& enc = out->positions;
  enc.reserve(grouped.size() * 2);
  for (size_t id = 0; id < n_terms; ++id) {
    auto& e = entries[id];
    e.freq = start[id + 1] - start[id];
    e.begin = static_cast<uint32_t>(enc.size());
    uint32_t last = 0;
    for (uint32_t k = start[id]; k < start[id + 1]; ++k) {
      PutVarint32(enc, grouped[k] - last);
      last = grouped[k];
    }
    e.end = static_cast<uint32_t>(enc.size());
  }
  uint64_t bytes = sizeof(AnalyzedFiling) + text_bytes + enc.size() + n_terms * 48;
  r.distinct_terms = static_cast<uint32_t>(n_terms);

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
  SortUnique(f);
  for (const auto& [field, value] : f) bytes += field.size() + value.size() + 32;
  out->parties = std::move(filing.parties);
  out->bytes = bytes;
  return out;
}

namespace {

// Where a batch goes: one RocksDB WriteBatch, or one SST file per column
// family ingested together. Keys of one column family arrive sorted.
// SstSink allows Put() for different column families from different
// threads (one thread per family); WriteBatchSink does not.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual absl::Status Put(int cf, std::string_view key, std::string_view value) = 0;
  // Makes everything put visible atomically.
  virtual absl::Status Finish() = 0;
};

class WriteBatchSink : public Sink {
 public:
  explicit WriteBatchSink(Store& store) : store_(store) {}
  absl::Status Put(int cf, std::string_view key, std::string_view value) override {
    return ToStatus(batch_.Put(store_.cf(cf), rocksdb::Slice(key.data(), key.size()),
                               rocksdb::Slice(value.data(), value.size())),
                    "building write batch");
  }
  absl::Status Finish() override {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    return ToStatus(store_.db->Write(wo, &batch_), "writing batch to " + store_.path);
  }

 private:
  Store& store_;
  rocksdb::WriteBatch batch_;
};

class SstSink : public Sink {
 public:
  explicit SstSink(Store& store)
      : store_(store),
        dir_(std::filesystem::path(store.path) / "edgarix-ingest"),
        db_options_(store.db->GetDBOptions()),
        writers_(kCfCount) {}
  ~SstSink() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  absl::Status Put(int cf, std::string_view key, std::string_view value) override {
    auto& w = writers_[static_cast<size_t>(cf)];
    if (!w) {
      std::error_code ec;
      {
        std::lock_guard<std::mutex> lock(dir_mutex_);
        std::filesystem::create_directories(dir_, ec);
      }
      if (ec) return absl::UnavailableError("cannot create " + dir_.string() + ": " + ec.message());
      rocksdb::Options o(db_options_, CfOptions(cf));
      w = std::make_unique<rocksdb::SstFileWriter>(rocksdb::EnvOptions(), o, store_.cf(cf));
      EDGARIX_RETURN_IF_ERROR(ToStatus(w->Open(File(cf)), "writing " + File(cf)));
    }
    // The error context is built only on failure: Put runs once per key.
    const rocksdb::Status s =
        w->Put(rocksdb::Slice(key.data(), key.size()), rocksdb::Slice(value.data(), value.size()));
    if (!s.ok()) return ToStatus(s, "writing " + File(cf));
    return absl::OkStatus();
  }
  absl::Status Finish() override {
    std::vector<rocksdb::IngestExternalFileArg> args;
    for (int cf = 0; cf < kCfCount; ++cf) {
      auto& w = writers_[static_cast<size_t>(cf)];
      if (!w) continue;
      EDGARIX_RETURN_IF_ERROR(ToStatus(w->Finish(), "writing " + File(cf)));
      rocksdb::IngestExternalFileArg arg;
      arg.column_family = store_.cf(cf);
      arg.external_files.push_back(File(cf));
      arg.options.move_files = true;
      arg.options.snapshot_consistency = true;
      arg.options.allow_global_seqno = true;
      arg.options.allow_blocking_flush = true;
      args.push_back(std::move(arg));
    }
    if (args.empty()) return absl::OkStatus();
    // One call for all column families: RocksDB ingests them atomically.
    return ToStatus(store_.db->IngestExternalFiles(args), "ingesting batch into " + store_.path);
  }

 private:
  std::string File(int cf) const { return (dir_ / (std::string(kCfNames[cf]) + ".sst")).string(); }
  Store& store_;
  std::filesystem::path dir_;
  rocksdb::DBOptions db_options_;
  std::mutex dir_mutex_;
  std::vector<std::unique_ptr<rocksdb::SstFileWriter>> writers_;
};

// Puts (key, value) pairs into one column family of a sink on a helper
// thread, in the order pushed, so that the text family (the bulk of the
// bytes, ZSTD-compressed) is written while the pipeline still parses. Only
// for SstSink, whose column families have independent files.
class BackgroundWriter {
 public:
  BackgroundWriter(Sink& sink, int cf) : sink_(sink), cf_(cf), thread_([this] { Run(); }) {}
  // Abandons what is still queued.
  ~BackgroundWriter() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      cancelled_ = true;
      done_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
  }
  BackgroundWriter(const BackgroundWriter&) = delete;
  BackgroundWriter& operator=(const BackgroundWriter&) = delete;

  void Push(std::string key, std::string value) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.emplace_back(std::move(key), std::move(value));
    }
    cv_.notify_one();
  }
  // Waits until everything pushed is written; returns the first error.
  absl::Status Finish() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
    return status_;
  }

 private:
  void Run() {
    std::deque<std::pair<std::string, std::string>> work;
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return done_ || !queue_.empty(); });
      if (cancelled_ || queue_.empty()) return;
      work.swap(queue_);
      lock.unlock();
      for (const auto& [k, v] : work) {
        if (!status_.ok()) break;
        status_ = sink_.Put(cf_, k, v);
      }
      work.clear();  // frees the texts off the caller's thread
      lock.lock();
    }
  }

  Sink& sink_;
  const int cf_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<std::string, std::string>> queue_;
  bool done_ = false, cancelled_ = false;
  absl::Status status_;  // written by the helper thread until joined
  std::thread thread_;   // last: starts once the members above exist
};

// positions key: the postings key + chunk number (big-endian); `key` is
// scratch space.
absl::Status PutPositions(Sink& sink, const std::string& posting_key, uint32_t chunk,
                          const std::string& value, std::string& key) {
  key.assign(posting_key);
  PutBigEndian32(key, chunk);
  return sink.Put(kCfPositions, key, value);
}

}  // namespace

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
  // Batch term dictionary: strings in a deque (stable), ids by string.
  std::deque<std::string> term_strings;
  absl::flat_hash_map<absl::string_view, uint32_t> term_ids;
  // One entry per (term, filing): where its positions are.
  struct Entry {
    uint32_t term;
    uint32_t doc;
    uint32_t filing;  // index into `filings`
    uint32_t index;   // index into that filing's terms
  };
  std::vector<Entry> entries;
  std::vector<AnalyzedFilingPtr> filings;
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
  // With ingest_sst: the batch's sink, whose text family a helper thread
  // fills as filings are added (declared in this order: the writer stops
  // before the sink goes).
  std::unique_ptr<Sink> batch_sink;
  std::unique_ptr<BackgroundWriter> text_writer;

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

  const auto filing_index = static_cast<uint32_t>(r.filings.size());
  for (size_t i = 0; i < f.terms.size(); ++i) {
    const std::string_view term = f.term(f.terms[i]);
    const absl::string_view key(term.data(), term.size());
    auto it = r.term_ids.find(key);
    uint32_t id;
    if (it == r.term_ids.end()) {
      id = static_cast<uint32_t>(r.term_strings.size());
      r.term_strings.emplace_back(term);
      const std::string& stored = r.term_strings.back();
      r.term_ids.emplace(absl::string_view(stored.data(), stored.size()), id);
    } else {
      id = it->second;
    }
    r.entries.push_back(Rep::Entry{id, doc, filing_index, static_cast<uint32_t>(i)});
  }
  if (r.options.ingest_sst && !f.texts.empty() && !r.text_writer) {
    r.batch_sink = std::make_unique<SstSink>(*r.store);
    r.text_writer = std::make_unique<BackgroundWriter>(*r.batch_sink, kCfText);
  }
  for (auto& [index, text] : f.texts) {
    if (r.text_writer) {
      r.text_writer->Push(TextKey(doc, index), std::move(text));
    } else {
      r.texts.emplace_back(TextKey(doc, index), std::move(text));
    }
  }
  f.texts.clear();
  f.texts.shrink_to_fit();
  r.docs.emplace_back(DocKey(doc), EncodeDocRecord(f.record));
  f.record = DocRecord();
  f.parties.clear();
  f.facets.clear();

  ++r.filings_added;
  ++r.batch_filings;
  r.batch_bytes += f.bytes;
  r.filings.push_back(std::move(filing));
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
  std::unique_ptr<Sink> sink = std::move(batch_sink);
  if (sink) {
    // Created by Add() for the texts.
  } else if (options.ingest_sst) {
    sink = std::make_unique<SstSink>(*store);
  } else {
    sink = std::make_unique<WriteBatchSink>(*store);
  }
  // With ingest_sst the texts went to the batch's sink on a helper thread as
  // they were added (declared after `sink`: joined before the sink goes);
  // it keeps writing while this thread encodes the postings, and is waited
  // for before Finish. Otherwise they are in `texts`.
  std::unique_ptr<BackgroundWriter> text_writer = std::move(this->text_writer);
  for (const auto& [k, v] : texts) EDGARIX_RETURN_IF_ERROR(sink->Put(kCfText, k, v));

  // meta: counters, norms and user values, sorted.
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
    for (const auto& [k, v] : m) EDGARIX_RETURN_IF_ERROR(sink->Put(kCfMeta, k, v));
  }
  for (const auto& [key, bd] : accessions) {
    std::string v;
    PutBigEndian32(v, bd.doc);
    EDGARIX_RETURN_IF_ERROR(sink->Put(kCfAccessions, key, v));
  }
  for (const auto& [k, v] : docs) EDGARIX_RETURN_IF_ERROR(sink->Put(kCfDocs, k, v));

  // Postings: group the entries by term (counting sort; docs stay
  // ascending), then write terms in byte order.
  {
    const size_t n_terms = term_strings.size();
    std::vector<uint32_t> start(n_terms + 1, 0);
    for (const Entry& e : entries) ++start[e.term + 1];
    for (size_t i = 0; i < n_terms; ++i) start[i + 1] += start[i];
    std::vector<uint32_t> order(entries.size());
    {
      std::vector<uint32_t> fill(start.begin(), start.end() - 1);
      for (size_t k = 0; k < entries.size(); ++k) order[fill[entries[k].term]++] = static_cast<uint32_t>(k);
    }
    // (term, id) pairs sorted by term bytes: contiguous views, no deque
    // lookups inside the comparisons.
    std::vector<std::pair<std::string_view, uint32_t>> sorted_terms(n_terms);
    for (size_t i = 0; i < n_terms; ++i) {
      sorted_terms[i] = {term_strings[i], static_cast<uint32_t>(i)};
    }
    std::sort(sorted_terms.begin(), sorted_terms.end());
    std::string docs_value, positions_value, doc_bytes, freq_bytes, key, chunk_key;
    // Postings and positions share keys; each family's SST writer sees
    // them in sorted order.
    for (const auto& [term, t] : sorted_terms) {
      doc_bytes.clear();
      freq_bytes.clear();
      positions_value.clear();
      uint32_t last = 0;
      const uint32_t count = start[t + 1] - start[t];
      key.assign(term.data(), term.size());
      key.push_back('\0');
      PutBigEndian32(key, segment);  // PostingKey(term, segment)
      uint32_t chunk = 0;
      for (uint32_t k = start[t]; k < start[t + 1]; ++k) {
        if (k > start[t] && (k - start[t]) % kPositionsChunkDocs == 0) {
          EDGARIX_RETURN_IF_ERROR(
              PutPositions(*sink, key, chunk++, positions_value, chunk_key));
          positions_value.clear();
        }
        const Entry& e = entries[order[k]];
        const AnalyzedFiling& f = *filings[e.filing];
        const auto& te = f.terms[e.index];
        PutVarint32(doc_bytes, k == start[t] ? e.doc : e.doc - last);
        last = e.doc;
        PutVarint32(freq_bytes, te.freq);
        positions_value.append(f.positions, te.begin, te.end - te.begin);
      }
      docs_value.clear();
      PutVarint32(docs_value, count);
      PutVarint32(docs_value, static_cast<uint32_t>(doc_bytes.size()));
      docs_value += doc_bytes;
      docs_value += freq_bytes;
      EDGARIX_RETURN_IF_ERROR(PutPositions(*sink, key, chunk, positions_value, chunk_key));
      EDGARIX_RETURN_IF_ERROR(sink->Put(kCfPostings, key, docs_value));
    }
  }
  {
    if (!deleted.isEmpty()) facets[FacetPrefix(kDeletedField, "")] |= deleted;
    std::vector<std::pair<std::string, std::string>> out;
    for (auto& [prefix, bitmap] : facets) {
      std::string key = prefix;
      PutBigEndian32(key, segment);
      out.emplace_back(std::move(key), EncodeBitmap(bitmap));
    }
    std::sort(out.begin(), out.end());
    for (const auto& [k, v] : out) EDGARIX_RETURN_IF_ERROR(sink->Put(kCfFacets, k, v));
  }
  for (const auto& [cik, names] : registrants) {
    std::string v;
    for (const auto& n : names) {
      if (!v.empty()) v.push_back('\n');
      v += n;
    }
    EDGARIX_RETURN_IF_ERROR(sink->Put(kCfRegistrants, cik, v));
  }
  for (const auto& [k, v] : lookup) EDGARIX_RETURN_IF_ERROR(sink->Put(kCfLookup, k, v));
  for (size_t i = 0; i < failures.size(); ++i) {
    std::string key, value;
    PutBigEndian64(key, next_failure + i);
    PutLengthPrefixed(value, failures[i].first);
    PutLengthPrefixed(value, failures[i].second);
    EDGARIX_RETURN_IF_ERROR(sink->Put(kCfFailures, key, value));
  }
  if (text_writer) EDGARIX_RETURN_IF_ERROR(text_writer->Finish());
  EDGARIX_RETURN_IF_ERROR(sink->Finish());

  next_failure += failures.size();
  term_strings.clear();
  term_ids.clear();
  entries.clear();
  filings.clear();
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

absl::StatusOr<std::optional<std::string>> IndexWriter::GetMeta(std::string_view key) const {
  return rep_->Get(kCfMeta, std::string(kMetaUserPrefix) + std::string(key));
}

uint64_t IndexWriter::filings_added() const { return rep_->filings_added; }
uint64_t IndexWriter::failures_added() const { return rep_->failures_added; }

}  // namespace edgarix::index
