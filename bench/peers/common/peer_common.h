#pragma once

// Shared plumbing of the C++ peer engines (bench/peers/xapian, bench/peers/fts5):
// the `.docs` stream reader, the query-set reader, the command line of the
// two verbs and the JSON lines they print. The formats are those of the
// issue-5 benchmark interface (bench/peers/README.md):
//
//   #DOC\t<key>\t<form>\t<cik>\t<filed>\t<N>\n<exactly N bytes>\n
//
//   queries.tsv: class name edgarix lucene xapian fts5 [extra columns ignored]
//
// Errors are reported as a message naming the source and the reason; nothing
// here throws or aborts on bad input.

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace edgarix::peers {

// One filing of a `.docs` stream.
struct DocRecord {
  std::string key;
  std::string form;
  std::string cik;
  std::string filed;
  std::string text;
};

// Reads a `.docs` stream record by record; memory is bounded by the largest
// record (at most kMaxRecordBytes).
class DocsReader {
 public:
  static constexpr uint64_t kMaxRecordBytes = uint64_t{1} << 30;  // 1 GiB

  DocsReader() = default;
  ~DocsReader();
  DocsReader(const DocsReader&) = delete;
  DocsReader& operator=(const DocsReader&) = delete;

  // Opens `path`; false with *error set when it cannot be opened.
  bool Open(const std::string& path, std::string* error);

  // Reads the next record into *doc. Returns true on a record, false at the
  // end of the stream (*error empty) or on malformed input (*error names the
  // file, the byte offset and the reason).
  bool Next(DocRecord* doc, std::string* error);

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  uint64_t offset_ = 0;
};

// One row of a query set, in the syntax of one engine.
struct QueryRow {
  std::string cls;    // term, and, or, phrase, near, filtered
  std::string name;
  std::string query;  // the column of the engine asked for
};

// Engine columns of queries.tsv.
enum class QueryColumn { kEdgarix = 2, kLucene = 3, kXapian = 4, kFts5 = 5 };

// Reads a query set (tab-separated, '#' lines and blank lines skipped).
// False with *error (file:line: reason) on a short row or an unknown class.
bool ReadQueries(const std::string& path, QueryColumn column, std::vector<QueryRow>* rows,
                 std::string* error);

// Parsed command line of `<engine> index|search ...`.
struct PeerArgs {
  std::string verb;  // "index" or "search"
  std::string db;
  std::string input;    // index
  bool store_text = false;
  std::string queries;  // search
  int repeat = 10;
  int top = 10;
};

// Parses argv; false with *error (including usage) on a bad command line.
bool ParseArgs(int argc, char** argv, PeerArgs* args, std::string* error);
std::string Usage(const std::string& engine);

// JSON string literal (quoted, escaped) of `s`.
std::string JsonString(const std::string& s);

// Monotonic clock in microseconds.
double NowMicros();

// Percentile (0..100) of `samples` by nearest rank; 0 for none.
double Percentile(std::vector<double> samples, double pct);

// Total size in bytes of the regular files under `dir` (recursively).
uint64_t DirectoryBytes(const std::string& dir);

// Prints the index JSON line.
void PrintIndexResult(const std::string& engine, uint64_t docs, uint64_t bytes, double seconds,
                      uint64_t index_bytes, const std::string& extra_json);

// Prints one search JSON line.
void PrintSearchResult(const std::string& engine, const QueryRow& row, uint64_t hits,
                       const std::vector<double>& micros, const std::vector<std::string>& top_keys);

}  // namespace edgarix::peers
