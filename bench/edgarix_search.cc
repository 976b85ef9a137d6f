// edgarix_search: the `search` verb of the bench/run engine interface for
// edgarix, through edgarix::index::Searcher.
//
//   edgarix_search search --db DIR [--db DIR...] --queries bench/queries.tsv
//                  [--repeat R] [--top N]
//
// queries.tsv: tab-separated "class name edgarix lucene xapian fts5", '#'
// lines ignored; the edgarix column is the query. Each query runs twice to
// warm up, then R times (default 20); one JSON line per query:
//   {"engine":"edgarix","class":..,"name":..,"hits":N,"p50_us":..,"p99_us":..}
// hits = SearchResult::total_hits (all matching filings). Top N hits are
// produced (default 10), without snippets, as the peers produce ids only.
// Exit 1 when a query fails (the error names the query).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "edgarix/index/searcher.h"

namespace {

struct Query {
  std::string klass, name, text;
};

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return out;
}

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Nearest-rank percentile of sorted `v`.
double Percentile(const std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  rank = std::clamp<size_t>(rank, 1, v.size());
  return v[rank - 1];
}

int Usage() {
  std::fprintf(stderr,
               "usage: edgarix_search search --db DIR [--db DIR...] --queries FILE "
               "[--repeat R] [--top N]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "search") != 0) {
    if (argc >= 2 && std::strcmp(argv[1], "index") == 0) {
      std::fprintf(stderr, "edgarix_search: edgarix indexes with `edgarix index`\n");
    }
    return Usage();
  }
  std::vector<std::string> dbs;
  std::string queries_path;
  int repeat = 20;
  size_t top = 10;
  for (int i = 2; i < argc; ++i) {
    const bool has_value = i + 1 < argc;
    if (std::strcmp(argv[i], "--db") == 0 && has_value) {
      dbs.emplace_back(argv[++i]);
    } else if (std::strcmp(argv[i], "--queries") == 0 && has_value) {
      queries_path = argv[++i];
    } else if (std::strcmp(argv[i], "--repeat") == 0 && has_value) {
      repeat = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--top") == 0 && has_value) {
      top = static_cast<size_t>(std::atoi(argv[++i]));
    } else {
      return Usage();
    }
  }
  if (dbs.empty() || queries_path.empty() || repeat < 1) return Usage();

  std::ifstream in(queries_path);
  if (!in) {
    std::fprintf(stderr, "edgarix_search: cannot read %s\n", queries_path.c_str());
    return 1;
  }
  std::vector<Query> queries;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols = SplitTabs(line);
    if (cols.size() < 3 || cols[0] == "class") continue;
    queries.push_back(Query{cols[0], cols[1], cols[2]});
  }

  auto searcher = edgarix::index::Searcher::Open(dbs);
  if (!searcher.ok()) {
    std::fprintf(stderr, "edgarix_search: %s\n",
                 std::string(searcher.status().message()).c_str());
    return 1;
  }
  edgarix::index::SearchOptions options;
  options.limit = top;
  options.snippets = 0;
  size_t sink = 0;
  auto on_hit = [&sink](const edgarix::index::Hit& hit) { sink += hit.source.size(); };

  for (const Query& q : queries) {
    uint64_t hits = 0;
    std::vector<double> micros;
    micros.reserve(static_cast<size_t>(repeat));
    for (int run = 0; run < repeat + 2; ++run) {
      const auto start = std::chrono::steady_clock::now();
      auto result = (*searcher)->Search(q.text, options, on_hit);
      const double us = std::chrono::duration<double, std::micro>(
                            std::chrono::steady_clock::now() - start)
                            .count();
      if (!result.ok()) {
        std::fprintf(stderr, "edgarix_search: query %s (%s): %s\n", q.name.c_str(),
                     q.text.c_str(), std::string(result.status().message()).c_str());
        return 1;
      }
      hits = result->total_hits;
      if (run >= 2) micros.push_back(us);
    }
    std::sort(micros.begin(), micros.end());
    std::printf(
        "{\"engine\":\"edgarix\",\"class\":\"%s\",\"name\":\"%s\",\"hits\":%llu,"
        "\"p50_us\":%.1f,\"p99_us\":%.1f}\n",
        JsonEscape(q.klass).c_str(), JsonEscape(q.name).c_str(),
        static_cast<unsigned long long>(hits), Percentile(micros, 50), Percentile(micros, 99));
    std::fflush(stdout);
  }
  return sink == static_cast<size_t>(-1) ? 1 : 0;
}
