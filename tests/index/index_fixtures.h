#pragma once

// Shared helpers for the index tests: temp dirs and hand-built filings.

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "edgarix/core/filing.h"
#include "edgarix/index/searcher.h"
#include "edgarix/index/writer.h"
#include "gtest/gtest.h"
#include "status_matchers.h"

namespace edgarix::index::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "edgarix-index-XXXXXX").string();
    char* p = mkdtemp(tmpl.data());
    path_ = p ? p : "";
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string Sub(const std::string& name) const { return (std::filesystem::path(path_) / name).string(); }

 private:
  std::string path_;
};

struct DocSpec {
  std::string type;
  std::string text;
};

inline ParsedFiling MakeFiling(const std::string& accession, const std::string& form,
                               const std::string& filed, const std::string& cik,
                               const std::string& name, std::vector<DocSpec> docs) {
  ParsedFiling f;
  f.source = "test/" + (accession.empty() ? name : accession) + ".txt";
  f.accession = accession;
  f.form = form;
  f.root_form = form.size() > 2 && form.substr(form.size() - 2) == "/A"
                    ? form.substr(0, form.size() - 2)
                    : form;
  f.amendment = f.root_form != form;
  f.filed = filed;
  Party p;
  p.role = "filer";
  p.cik = cik;
  p.name = name;
  f.parties.push_back(p);
  int seq = 1;
  for (auto& d : docs) {
    Document doc;
    doc.sequence = seq++;
    doc.type = d.type;
    doc.text = d.text;
    f.raw_bytes += d.text.size();
    f.documents.push_back(std::move(doc));
  }
  return f;
}

// Adds a section of document `doc` spanning the text from `from` (a
// substring) to the end or to `to` (exclusive).
inline void AddSection(ParsedFiling& f, const std::string& id, int doc, const std::string& from,
                       const std::string& to = "") {
  const std::string& text = f.documents[static_cast<size_t>(doc - 1)].text;
  Section s;
  s.id = id;
  s.document = doc;
  s.begin = static_cast<uint32_t>(text.find(from));
  s.end = to.empty() ? static_cast<uint32_t>(text.size()) : static_cast<uint32_t>(text.find(to));
  f.sections.push_back(s);
}

inline absl::Status WriteAll(const std::string& db, std::vector<ParsedFiling> filings,
                             WriterOptions options = {}) {
  auto w = IndexWriter::Open(db, options);
  if (!w.ok()) return w.status();
  for (auto& f : filings) {
    absl::Status s = (*w)->Add(Analyze(std::move(f)));
    if (!s.ok()) return s;
  }
  return (*w)->Commit();
}

// Runs `query` returning the hits (all when limit is 0).
inline std::vector<Hit> Query(const Searcher& s, const std::string& query,
                              SearchOptions options = {}, SearchResult* result = nullptr) {
  std::vector<Hit> hits;
  auto r = s.Search(query, options, [&](const Hit& h) { hits.push_back(h); });
  EXPECT_TRUE(r.ok()) << query << ": " << r.status();
  if (r.ok() && result) *result = *r;
  return hits;
}

// Sorted accessions (or sources for filings without one) of all hits.
inline std::vector<std::string> Keys(const Searcher& s, const std::string& query) {
  SearchOptions o;
  o.limit = 0;
  o.snippets = 0;
  std::vector<std::string> out;
  for (const Hit& h : Query(s, query, o)) out.push_back(h.accession.empty() ? h.source : h.accession);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace edgarix::index::testing
