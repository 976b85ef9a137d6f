// fts5_peer: the SQLite FTS5 engine of the issue-5 benchmark (bench/peers/README.md).
//
//   fts5_peer index  --db DIR --input FILE.docs [--store-text]
//   fts5_peer search --db DIR --queries FILE.tsv [--repeat R] [--top K]
//
// Index: DIR/fts5.db holds a regular table meta(id INTEGER PRIMARY KEY, key,
// form, cik, filed) and an FTS5 table fts(text) with tokenize='ascii' (a
// token is a run of ASCII letters/digits and non-ASCII bytes, ASCII case
// folded: edgarix's own tokenization), contentless (content='') unless
// --store-text. fts.rowid = meta.id. One transaction, journal_mode=OFF,
// synchronous=OFF, cache_size 256 MB; no 'optimize' merge at the end.
//
// Search: the fts5 column of the query set is an FTS5 MATCH expression,
// optionally followed by filters "|form=8-K" (also cik=, filed=) that become
// `AND meta.<field> = '<value>'` on the joined regular table (exact match,
// like edgarix's form:). Hits = SELECT count(*); top K by bm25 (ORDER BY rank).

#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "peer_common.h"

namespace edgarix::peers {
namespace {

constexpr char kEngine[] = "fts5";

// Owns a sqlite3 handle.
class Db {
 public:
  Db() = default;
  ~Db() {
    if (db_ != nullptr) sqlite3_close(db_);
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  bool Open(const std::string& path, int flags, std::string* error) {
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      *error = path + ": " + (db_ != nullptr ? sqlite3_errmsg(db_) : "cannot open");
      return false;
    }
    return true;
  }
  bool Exec(const std::string& sql, std::string* error) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
      *error = sql + ": " + (msg != nullptr ? msg : "error");
      sqlite3_free(msg);
      return false;
    }
    return true;
  }
  sqlite3* get() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// Owns a prepared statement.
class Stmt {
 public:
  Stmt() = default;
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool Prepare(sqlite3* db, const std::string& sql, std::string* error) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
      *error = sql + ": " + sqlite3_errmsg(db);
      return false;
    }
    return true;
  }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

bool BindText(sqlite3_stmt* stmt, int i, const std::string& s) {
  return sqlite3_bind_text64(stmt, i, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8) == SQLITE_OK;
}

int Index(const PeerArgs& args) {
  DocsReader reader;
  std::string error;
  if (!reader.Open(args.input, &error)) {
    std::fprintf(stderr, "fts5_peer index: %s\n", error.c_str());
    return 1;
  }
  const double start = NowMicros();
  std::error_code ec;
  std::filesystem::create_directories(args.db, ec);
  if (ec) {
    std::fprintf(stderr, "fts5_peer index: %s: %s\n", args.db.c_str(), ec.message().c_str());
    return 1;
  }
  const std::string path = args.db + "/fts5.db";
  std::filesystem::remove(path, ec);
  Db db;
  if (!db.Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &error) ||
      !db.Exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;",
               &error) ||
      !db.Exec("CREATE TABLE meta(id INTEGER PRIMARY KEY, key TEXT, form TEXT, cik TEXT, "
               "filed TEXT)",
               &error) ||
      !db.Exec(std::string("CREATE VIRTUAL TABLE fts USING fts5(text, tokenize='ascii'") +
                   (args.store_text ? "" : ", content=''") + ")",
               &error) ||
      !db.Exec("BEGIN", &error)) {
    std::fprintf(stderr, "fts5_peer index: %s\n", error.c_str());
    return 1;
  }
  Stmt meta;
  Stmt text;
  if (!meta.Prepare(db.get(), "INSERT INTO meta(id, key, form, cik, filed) VALUES(?, ?, ?, ?, ?)",
                    &error) ||
      !text.Prepare(db.get(), "INSERT INTO fts(rowid, text) VALUES(?, ?)", &error)) {
    std::fprintf(stderr, "fts5_peer index: %s\n", error.c_str());
    return 1;
  }
  DocRecord rec;
  uint64_t docs = 0;
  uint64_t bytes = 0;
  while (reader.Next(&rec, &error)) {
    const sqlite3_int64 id = static_cast<sqlite3_int64>(docs) + 1;
    sqlite3_bind_int64(meta.get(), 1, id);
    sqlite3_bind_int64(text.get(), 1, id);
    if (!BindText(meta.get(), 2, rec.key) || !BindText(meta.get(), 3, rec.form) ||
        !BindText(meta.get(), 4, rec.cik) || !BindText(meta.get(), 5, rec.filed) ||
        !BindText(text.get(), 2, rec.text) || sqlite3_step(meta.get()) != SQLITE_DONE ||
        sqlite3_step(text.get()) != SQLITE_DONE) {
      std::fprintf(stderr, "fts5_peer index: %s: document %s: %s\n", args.input.c_str(),
                   rec.key.c_str(), sqlite3_errmsg(db.get()));
      return 1;
    }
    sqlite3_reset(meta.get());
    sqlite3_reset(text.get());
    ++docs;
    bytes += rec.text.size();
  }
  if (!error.empty()) {
    std::fprintf(stderr, "fts5_peer index: %s\n", error.c_str());
    return 1;
  }
  if (!db.Exec("COMMIT", &error)) {
    std::fprintf(stderr, "fts5_peer index: %s\n", error.c_str());
    return 1;
  }
  const double seconds = (NowMicros() - start) / 1e6;
  PrintIndexResult(kEngine, docs, bytes, seconds, DirectoryBytes(args.db),
                   std::string(",\"store_text\":") + (args.store_text ? "true" : "false"));
  return 0;
}

// A query of the fts5 column: the MATCH expression and the meta filters.
struct Fts5Query {
  std::string match;
  std::vector<std::pair<std::string, std::string>> filters;  // field, value
};

bool SplitQuery(const std::string& q, Fts5Query* out, std::string* error) {
  std::vector<std::string> parts;
  std::string cur;
  bool quoted = false;
  for (char c : q) {
    if (c == '"') quoted = !quoted;
    if (c == '|' && !quoted) {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  parts.push_back(cur);
  auto trim = [](std::string s) {
    const size_t b = s.find_first_not_of(' ');
    const size_t e = s.find_last_not_of(' ');
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  };
  out->match = trim(parts[0]);
  if (out->match.empty()) {
    *error = "empty MATCH expression";
    return false;
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::string f = trim(parts[i]);
    const size_t eq = f.find('=');
    const std::string field = eq == std::string::npos ? f : f.substr(0, eq);
    if (eq == std::string::npos || (field != "form" && field != "cik" && field != "filed")) {
      *error = "bad filter '" + f + "' (want form=, cik= or filed=)";
      return false;
    }
    out->filters.emplace_back(field, f.substr(eq + 1));
  }
  return true;
}

int Search(const PeerArgs& args) {
  std::vector<QueryRow> rows;
  std::string error;
  if (!ReadQueries(args.queries, QueryColumn::kFts5, &rows, &error)) {
    std::fprintf(stderr, "fts5_peer search: %s\n", error.c_str());
    return 1;
  }
  Db db;
  if (!db.Open(args.db + "/fts5.db", SQLITE_OPEN_READONLY, &error)) {
    std::fprintf(stderr, "fts5_peer search: %s\n", error.c_str());
    return 1;
  }
  for (const QueryRow& row : rows) {
    Fts5Query q;
    if (!SplitQuery(row.query, &q, &error)) {
      std::fprintf(stderr, "fts5_peer search: %s: query %s: %s\n", args.queries.c_str(),
                   row.name.c_str(), error.c_str());
      return 1;
    }
    std::string where = " WHERE fts MATCH ?1";
    for (size_t i = 0; i < q.filters.size(); ++i) {
      where += " AND meta." + q.filters[i].first + " = ?" + std::to_string(i + 2);
    }
    const std::string count_sql =
        q.filters.empty() ? "SELECT count(*) FROM fts WHERE fts MATCH ?1"
                          : "SELECT count(*) FROM fts JOIN meta ON meta.id = fts.rowid" + where;
    const std::string top_sql = "SELECT meta.key FROM fts JOIN meta ON meta.id = fts.rowid" +
                                where + " ORDER BY fts.rank LIMIT " + std::to_string(args.top);
    uint64_t hits = 0;
    std::vector<std::string> keys;
    std::vector<double> micros;
    for (int run = 0; run < args.repeat + 2; ++run) {
      const double t0 = NowMicros();
      Stmt count;
      Stmt top;
      if (!count.Prepare(db.get(), count_sql, &error) || !top.Prepare(db.get(), top_sql, &error)) {
        std::fprintf(stderr, "fts5_peer search: query %s: %s\n", row.name.c_str(), error.c_str());
        return 1;
      }
      for (sqlite3_stmt* s : {count.get(), top.get()}) {
        BindText(s, 1, q.match);
        for (size_t i = 0; i < q.filters.size(); ++i) {
          BindText(s, static_cast<int>(i) + 2, q.filters[i].second);
        }
      }
      int rc = sqlite3_step(count.get());
      if (rc != SQLITE_ROW) {
        std::fprintf(stderr, "fts5_peer search: query %s (%s): %s\n", row.name.c_str(),
                     q.match.c_str(), sqlite3_errmsg(db.get()));
        return 1;
      }
      const uint64_t run_hits = static_cast<uint64_t>(sqlite3_column_int64(count.get(), 0));
      std::vector<std::string> run_keys;
      while ((rc = sqlite3_step(top.get())) == SQLITE_ROW) {
        const unsigned char* k = sqlite3_column_text(top.get(), 0);
        run_keys.emplace_back(k != nullptr ? reinterpret_cast<const char*>(k) : "");
      }
      if (rc != SQLITE_DONE) {
        std::fprintf(stderr, "fts5_peer search: query %s (%s): %s\n", row.name.c_str(),
                     q.match.c_str(), sqlite3_errmsg(db.get()));
        return 1;
      }
      const double t1 = NowMicros();
      hits = run_hits;
      keys = std::move(run_keys);
      if (run >= 2) micros.push_back(t1 - t0);
    }
    PrintSearchResult(kEngine, row, hits, micros, keys);
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
    std::fprintf(stderr, "fts5_peer: %s\n%s", error.c_str(), Usage("fts5_peer").c_str());
    return 2;
  }
  return args.verb == "index" ? Index(args) : Search(args);
}
