// scan_stage: times edgarix's scan stage on one thread -- inflate -> tar ->
// SGML -> HTML to text -> sections, i.e. fetch::InputReader + parse::Parser,
// no indexing -- so bench/run can compare it with `igzip -d` on the same
// archives.
//
//   scan_stage [--read-only] PATH...
//
// --read-only stops after the InputReader (inflate + tar) to split the cost.
// Prints one JSON line: filings, failures, raw_bytes (uncompressed filing
// bytes), input_bytes (bytes read from disk), text_bytes, seconds.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "edgarix/core/filing.h"
#include "edgarix/fetch/input_reader.h"
#include "edgarix/parse/parser.h"

int main(int argc, char** argv) {
  bool read_only = false;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--read-only") == 0) {
      read_only = true;
    } else if (std::strncmp(argv[i], "--", 2) == 0) {
      std::fprintf(stderr, "usage: scan_stage [--read-only] PATH...\n");
      return 2;
    } else {
      paths.emplace_back(argv[i]);
    }
  }
  if (paths.empty()) {
    std::fprintf(stderr, "usage: scan_stage [--read-only] PATH...\n");
    return 2;
  }
  auto reader = edgarix::fetch::InputReader::Open(paths, edgarix::fetch::InputOptions{});
  if (!reader.ok()) {
    std::fprintf(stderr, "scan_stage: %s\n", std::string(reader.status().message()).c_str());
    return 1;
  }
  auto parser = edgarix::parse::Parser::Create(edgarix::parse::ParseOptions{});
  if (!parser.ok()) {
    std::fprintf(stderr, "scan_stage: %s\n", std::string(parser.status().message()).c_str());
    return 1;
  }
  const auto start = std::chrono::steady_clock::now();
  uint64_t filings = 0, failures = 0, raw_bytes = 0, text_bytes = 0, sections = 0;
  while (auto raw = (*reader)->Next()) {
    raw_bytes += raw->bytes.size();
    if (!raw->read_error.empty()) {
      ++failures;
      continue;
    }
    ++filings;
    if (read_only) continue;
    auto parsed = (*parser)->Parse(*raw);
    if (!parsed.ok()) {
      ++failures;
      continue;
    }
    for (const edgarix::Document& d : parsed->documents) text_bytes += d.text.size();
    sections += parsed->sections.size();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "{\"tool\":\"scan_stage\",\"mode\":\"%s\",\"filings\":%llu,\"failures\":%llu,"
      "\"raw_bytes\":%llu,\"input_bytes\":%llu,\"text_bytes\":%llu,\"sections\":%llu,"
      "\"seconds\":%.3f}\n",
      read_only ? "read" : "scan", static_cast<unsigned long long>(filings),
      static_cast<unsigned long long>(failures), static_cast<unsigned long long>(raw_bytes),
      static_cast<unsigned long long>((*reader)->bytes_read()),
      static_cast<unsigned long long>(text_bytes), static_cast<unsigned long long>(sections),
      seconds);
  return 0;
}
