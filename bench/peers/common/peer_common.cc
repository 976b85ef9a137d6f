#include "peer_common.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace edgarix::peers {
namespace {

constexpr size_t kMaxHeaderBytes = 64 * 1024;

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    if (tab == std::string::npos) {
      out.push_back(line.substr(start));
      return out;
    }
    out.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}

bool ParseUint(const std::string& s, uint64_t* out) {
  if (s.empty() || s.size() > 19) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

DocsReader::~DocsReader() {
  if (file_ != nullptr) std::fclose(file_);
}

bool DocsReader::Open(const std::string& path, std::string* error) {
  path_ = path;
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr) {
    *error = path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  return true;
}

bool DocsReader::Next(DocRecord* doc, std::string* error) {
  error->clear();
  if (file_ == nullptr) {
    *error = path_ + ": not open";
    return false;
  }
  std::string header;
  const uint64_t header_offset = offset_;
  while (true) {
    const int c = std::fgetc(file_);
    if (c == EOF) {
      if (std::ferror(file_)) {
        *error = path_ + ": read error at byte " + std::to_string(offset_);
      } else if (!header.empty()) {
        *error = path_ + ": truncated header at byte " + std::to_string(header_offset);
      }
      return false;
    }
    ++offset_;
    if (c == '\n') break;
    header.push_back(static_cast<char>(c));
    if (header.size() > kMaxHeaderBytes) {
      *error = path_ + ": header longer than 64 KiB at byte " + std::to_string(header_offset);
      return false;
    }
  }
  const std::vector<std::string> f = SplitTabs(header);
  if (f.size() != 6 || f[0] != "#DOC") {
    *error = path_ + ": malformed header at byte " + std::to_string(header_offset) +
             " (want #DOC<TAB>key<TAB>form<TAB>cik<TAB>filed<TAB>N)";
    return false;
  }
  uint64_t n = 0;
  if (!ParseUint(f[5], &n)) {
    *error = path_ + ": bad length '" + f[5] + "' at byte " + std::to_string(header_offset);
    return false;
  }
  if (n > kMaxRecordBytes) {
    *error = path_ + ": record of " + std::to_string(n) + " bytes at byte " +
             std::to_string(header_offset) + " exceeds the 1 GiB limit";
    return false;
  }
  doc->key = f[1];
  doc->form = f[2];
  doc->cik = f[3];
  doc->filed = f[4];
  doc->text.resize(n);
  if (n > 0 && std::fread(doc->text.data(), 1, n, file_) != n) {
    *error = path_ + ": truncated text of '" + doc->key + "' (header at byte " +
             std::to_string(header_offset) + ")";
    return false;
  }
  offset_ += n;
  const int nl = std::fgetc(file_);
  if (nl != '\n') {
    *error = path_ + ": missing newline after the text of '" + doc->key + "' at byte " +
             std::to_string(offset_);
    return false;
  }
  ++offset_;
  return true;
}

bool ReadQueries(const std::string& path, QueryColumn column, std::vector<QueryRow>* rows,
                 std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  static const char* const kClasses[] = {"term", "and", "or", "phrase", "near", "filtered"};
  std::string line;
  int lineno = 0;
  rows->clear();
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> f = SplitTabs(line);
    if (f.size() < 6) {
      *error = path + ":" + std::to_string(lineno) + ": want 6 tab-separated columns, got " +
               std::to_string(f.size());
      return false;
    }
    if (std::find_if(std::begin(kClasses), std::end(kClasses),
                     [&](const char* c) { return f[0] == c; }) == std::end(kClasses)) {
      *error = path + ":" + std::to_string(lineno) + ": unknown class '" + f[0] + "'";
      return false;
    }
    const std::string& q = f[static_cast<size_t>(column)];
    if (q.empty()) {
      *error = path + ":" + std::to_string(lineno) + ": empty query";
      return false;
    }
    rows->push_back(QueryRow{f[0], f[1], q});
  }
  if (rows->empty()) {
    *error = path + ": no queries";
    return false;
  }
  return true;
}

std::string Usage(const std::string& engine) {
  return "usage: " + engine + " index --db DIR --input FILE.docs [--store-text]\n" + "       " +
         engine + " search --db DIR --queries FILE.tsv [--repeat R] [--top K]\n";
}

bool ParseArgs(int argc, char** argv, PeerArgs* args, std::string* error) {
  if (argc < 2) {
    *error = "missing verb";
    return false;
  }
  args->verb = argv[1];
  if (args->verb != "index" && args->verb != "search") {
    *error = "unknown verb '" + args->verb + "'";
    return false;
  }
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) {
        *error = a + " needs a value";
        return false;
      }
      *out = argv[++i];
      return true;
    };
    auto int_value = [&](int* out, int lo) {
      std::string v;
      if (!value(&v)) return false;
      uint64_t n = 0;
      if (!ParseUint(v, &n) || n < static_cast<uint64_t>(lo) || n > 1000000) {
        *error = a + ": bad value '" + v + "'";
        return false;
      }
      *out = static_cast<int>(n);
      return true;
    };
    if (a == "--db") {
      if (!value(&args->db)) return false;
    } else if (a == "--input" && args->verb == "index") {
      if (!value(&args->input)) return false;
    } else if (a == "--store-text" && args->verb == "index") {
      args->store_text = true;
    } else if (a == "--queries" && args->verb == "search") {
      if (!value(&args->queries)) return false;
    } else if (a == "--repeat" && args->verb == "search") {
      if (!int_value(&args->repeat, 1)) return false;
    } else if (a == "--top" && args->verb == "search") {
      if (!int_value(&args->top, 1)) return false;
    } else {
      *error = "unknown option '" + a + "' for " + args->verb;
      return false;
    }
  }
  if (args->db.empty()) {
    *error = "--db is required";
    return false;
  }
  if (args->verb == "index" && args->input.empty()) {
    *error = "--input is required";
    return false;
  }
  if (args->verb == "search" && args->queries.empty()) {
    *error = "--queries is required";
    return false;
  }
  return true;
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out += '"';
  return out;
}

double NowMicros() {
  return std::chrono::duration<double, std::micro>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double Percentile(std::vector<double> samples, double pct) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  size_t rank = static_cast<size_t>(std::ceil(pct / 100.0 * static_cast<double>(samples.size())));
  if (rank == 0) rank = 1;
  return samples[std::min(rank, samples.size()) - 1];
}

uint64_t DirectoryBytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code fec;
    if (it->is_regular_file(fec)) {
      const auto size = it->file_size(fec);
      if (!fec) total += size;
    }
  }
  return total;
}

void PrintIndexResult(const std::string& engine, uint64_t docs, uint64_t bytes, double seconds,
                      uint64_t index_bytes, const std::string& extra_json) {
  std::printf("{\"engine\":%s,\"docs\":%llu,\"bytes\":%llu,\"seconds\":%.6f,\"index_bytes\":%llu%s}\n",
              JsonString(engine).c_str(), static_cast<unsigned long long>(docs),
              static_cast<unsigned long long>(bytes), seconds,
              static_cast<unsigned long long>(index_bytes), extra_json.c_str());
  std::fflush(stdout);
}

void PrintSearchResult(const std::string& engine, const QueryRow& row, uint64_t hits,
                       const std::vector<double>& micros, const std::vector<std::string>& top_keys) {
  std::string top = "[";
  for (size_t i = 0; i < top_keys.size(); ++i) {
    if (i > 0) top += ',';
    top += JsonString(top_keys[i]);
  }
  top += ']';
  std::printf("{\"engine\":%s,\"class\":%s,\"name\":%s,\"hits\":%llu,\"p50_us\":%.1f,\"p99_us\":%.1f,"
              "\"top\":%s}\n",
              JsonString(engine).c_str(), JsonString(row.cls).c_str(), JsonString(row.name).c_str(),
              static_cast<unsigned long long>(hits), Percentile(micros, 50), Percentile(micros, 99),
              top.c_str());
  std::fflush(stdout);
}

}  // namespace edgarix::peers
