// Index-stage throughput over real filings (../shared/corpus/filings when
// present, else the project's tests/testdata), in raw-filing bytes/s:
//   BM_Analyze      tokenizing and inverting parsed filings (one thread).
//   BM_AddCommit    IndexWriter::Add of analyzed filings + Commit into a fresh
//                   database (the pipeline's serial stage and its commit).
// Files are read and parsed once, outside the timed loops; Analyze consumes
// its input, so each iteration copies the parsed filings first (paused).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

#include "edgarix/core/filing.h"
#include "edgarix/index/writer.h"
#include "edgarix/parse/parser.h"

namespace edgarix::index {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Corpus {
  std::vector<ParsedFiling> parsed;
  uint64_t raw_bytes = 0;  // of the filings that parsed
};

const Corpus& GetCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    fs::path root = fs::path(EDGARIX_SHARED_CORPUS_DIR) / "filings";
    std::error_code ec;
    if (!fs::is_directory(root, ec)) root = fs::path(EDGARIX_TESTDATA_DIR) / "filings";
    std::vector<fs::path> files;
    if (fs::is_directory(root, ec)) {
      for (const auto& e : fs::recursive_directory_iterator(root)) {
        if (e.is_regular_file()) files.push_back(e.path());
      }
    }
    std::sort(files.begin(), files.end());
    auto parser = parse::Parser::Create(parse::ParseOptions{});
    if (!parser.ok()) {
      std::cerr << "parser: " << parser.status().message() << "\n";
      return c;
    }
    for (const fs::path& path : files) {
      RawFiling raw;
      raw.source = path.string();
      raw.bytes = ReadFile(path);
      if (raw.bytes.empty()) continue;
      auto parsed = (*parser)->Parse(raw);
      if (!parsed.ok()) continue;
      c->raw_bytes += raw.bytes.size();
      c->parsed.push_back(*std::move(parsed));
    }
    std::cerr << "corpus: " << c->parsed.size() << " parsed filings, " << c->raw_bytes
              << " raw bytes from " << root << "\n";
    return c;
  }();
  return *corpus;
}

void BM_Analyze(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<ParsedFiling> copies = c.parsed;
    state.ResumeTiming();
    for (ParsedFiling& f : copies) {
      AnalyzedFilingPtr a = Analyze(std::move(f));
      benchmark::DoNotOptimize(a.get());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.raw_bytes));
}
BENCHMARK(BM_Analyze)->Unit(benchmark::kMillisecond);

void BM_AddCommit(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  const fs::path db = fs::temp_directory_path() / ("edgarix-writer-bench-" +
                                                   std::to_string(::getpid()));
  for (auto _ : state) {
    state.PauseTiming();
    std::error_code ec;
    fs::remove_all(db, ec);
    std::vector<AnalyzedFilingPtr> analyzed;
    analyzed.reserve(c.parsed.size());
    for (const ParsedFiling& f : c.parsed) analyzed.push_back(Analyze(f));
    auto writer = IndexWriter::Open(db.string(), WriterOptions{});
    if (!writer.ok()) {
      state.SkipWithError(std::string(writer.status().message()).c_str());
      break;
    }
    state.ResumeTiming();
    absl::Status s;
    for (AnalyzedFilingPtr& a : analyzed) {
      s = (*writer)->Add(std::move(a));
      if (!s.ok()) break;
    }
    if (s.ok()) s = (*writer)->Commit();
    state.PauseTiming();
    writer->reset();
    state.ResumeTiming();
    if (!s.ok()) {
      state.SkipWithError(std::string(s.message()).c_str());
      break;
    }
  }
  std::error_code ec;
  fs::remove_all(db, ec);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.raw_bytes));
}
BENCHMARK(BM_AddCommit)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace edgarix::index

BENCHMARK_MAIN();
