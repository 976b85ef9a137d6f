// xapian_peer: the Xapian engine of the issue-5 benchmark (bench/peers/README.md).
//
//   xapian_peer index  --db DIR --input FILE.docs [--store-text]
//   xapian_peer search --db DIR --queries FILE.tsv [--repeat R] [--top K]
//
// Index: one WritableDatabase (glass), one thread. The text, with every byte
// that is not an edgarix word byte turned into a space (so words split as in
// edgarix, see SeparatorsToSpaces), goes through a TermGenerator with
// positions and no stemming; form, cik and filed are
// boolean terms with the prefixes XFORM, XCIK, XFILED (a ':' after the prefix
// when the value starts with an upper-case letter, as Xapian's QueryParser
// expects); the key is value slot 0 and the document data (the text instead
// with --store-text). Xapian's default flush threshold (10000 documents or
// XAPIAN_FLUSH_THRESHOLD) applies; one commit at the end, no compaction.
//
// Search: Xapian::QueryParser (default op AND, FLAG_PHRASE|FLAG_BOOLEAN|
// FLAG_LOVEHATE, boolean prefixes form:/cik:/filed:), BM25 (the default
// weight), get_mset(0, K, doccount) so that the match count is exact.

#include <xapian.h>

#include <cstdio>
#include <string>
#include <vector>

#include "peer_common.h"

namespace edgarix::peers {
namespace {

constexpr char kEngine[] = "xapian";
constexpr Xapian::valueno kKeySlot = 0;

std::string BooleanTerm(const std::string& prefix, const std::string& value) {
  std::string term = prefix;
  if (!value.empty() && ((value[0] >= 'A' && value[0] <= 'Z') || value[0] == ':')) term += ':';
  term += value;
  return term;
}

// Copies `text` to *out with every byte that edgarix does not count as a word
// byte (ASCII letters and digits, bytes >= 0x80) replaced by a space, so that
// the TermGenerator splits words where edgarix does: without this it keeps
// "company's", "1,000.50", "foo_bar" and "c++" whole and folds "U.S." to "us".
void SeparatorsToSpaces(const std::string& text, std::string* out) {
  out->resize(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const bool word = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      c >= 0x80;
    (*out)[i] = word ? static_cast<char>(c) : ' ';
  }
}

int Index(const PeerArgs& args) {
  DocsReader reader;
  std::string error;
  if (!reader.Open(args.input, &error)) {
    std::fprintf(stderr, "xapian_peer index: %s\n", error.c_str());
    return 1;
  }
  try {
    const double start = NowMicros();
    Xapian::WritableDatabase db(args.db, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator tg;
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
    DocRecord rec;
    std::string words;
    uint64_t docs = 0;
    uint64_t bytes = 0;
    while (reader.Next(&rec, &error)) {
      Xapian::Document doc;
      tg.set_document(doc);
      SeparatorsToSpaces(rec.text, &words);
      tg.index_text(words);
      if (!rec.form.empty()) doc.add_boolean_term(BooleanTerm("XFORM", rec.form));
      if (!rec.cik.empty()) doc.add_boolean_term(BooleanTerm("XCIK", rec.cik));
      if (!rec.filed.empty()) doc.add_boolean_term(BooleanTerm("XFILED", rec.filed));
      doc.add_value(kKeySlot, rec.key);
      doc.set_data(args.store_text ? rec.text : rec.key);
      db.add_document(doc);
      ++docs;
      bytes += rec.text.size();
    }
    if (!error.empty()) {
      std::fprintf(stderr, "xapian_peer index: %s\n", error.c_str());
      return 1;
    }
    db.commit();
    db.close();
    const double seconds = (NowMicros() - start) / 1e6;
    PrintIndexResult(kEngine, docs, bytes, seconds, DirectoryBytes(args.db),
                     std::string(",\"store_text\":") + (args.store_text ? "true" : "false"));
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "xapian_peer index: %s: %s\n", args.db.c_str(),
                 e.get_description().c_str());
    return 1;
  }
  return 0;
}

int Search(const PeerArgs& args) {
  std::vector<QueryRow> rows;
  std::string error;
  if (!ReadQueries(args.queries, QueryColumn::kXapian, &rows, &error)) {
    std::fprintf(stderr, "xapian_peer search: %s\n", error.c_str());
    return 1;
  }
  try {
    Xapian::Database db(args.db);
    const Xapian::doccount doccount = db.get_doccount();
    Xapian::QueryParser qp;
    qp.set_default_op(Xapian::Query::OP_AND);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
    qp.add_boolean_prefix("form", "XFORM");
    qp.add_boolean_prefix("cik", "XCIK");
    qp.add_boolean_prefix("filed", "XFILED");
    const unsigned flags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                           Xapian::QueryParser::FLAG_LOVEHATE;
    Xapian::Enquire enquire(db);
    for (const QueryRow& row : rows) {
      uint64_t hits = 0;
      std::vector<std::string> keys;
      std::vector<double> micros;
      for (int run = 0; run < args.repeat + 2; ++run) {
        const double t0 = NowMicros();
        Xapian::Query query;
        try {
          query = qp.parse_query(row.query, flags);
        } catch (const Xapian::QueryParserError& e) {
          std::fprintf(stderr, "xapian_peer search: %s: query %s: %s\n", args.queries.c_str(),
                       row.name.c_str(), e.get_description().c_str());
          return 1;
        }
        enquire.set_query(query);
        Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(args.top),
                                             doccount);
        std::vector<std::string> run_keys;
        for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
          run_keys.push_back(it.get_document().get_value(kKeySlot));
        }
        const double t1 = NowMicros();
        if (mset.get_matches_lower_bound() != mset.get_matches_upper_bound()) {
          std::fprintf(stderr, "xapian_peer search: query %s: match count not exact (%u..%u)\n",
                       row.name.c_str(), mset.get_matches_lower_bound(),
                       mset.get_matches_upper_bound());
          return 1;
        }
        hits = mset.get_matches_estimated();
        keys = std::move(run_keys);
        if (run >= 2) micros.push_back(t1 - t0);
      }
      PrintSearchResult(kEngine, row, hits, micros, keys);
    }
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "xapian_peer search: %s: %s\n", args.db.c_str(),
                 e.get_description().c_str());
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace edgarix::peers

int main(int argc, char** argv) {
  using namespace edgarix::peers;
  PeerArgs args;
  std::string error;
  if (!ParseArgs(argc, argv, &args, &error)) {
    std::fprintf(stderr, "xapian_peer: %s\n%s", error.c_str(), Usage("xapian_peer").c_str());
    return 2;
  }
  return args.verb == "index" ? Index(args) : Search(args);
}
