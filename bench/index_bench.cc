// Index-stage micro-benchmarks: posting encode/decode (index/src/codec.h)
// and the query operators -- term, AND, OR, phrase, NEAR, prefix, filtered --
// through edgarix::index::Searcher over an index the fixture builds once
// from the project's test filings (or ../shared/corpus/filings when there,
// capped so the fixture stays a few seconds). Measure in Release builds:
//   cmake --build build-bench --target index_bench && build-bench/bench/index_bench

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include "codec.h"
#include "edgarix/fetch/input_reader.h"
#include "edgarix/index/searcher.h"
#include "edgarix/index/writer.h"
#include "edgarix/parse/parser.h"
#include <unistd.h>

namespace edgarix::index {
namespace {

namespace fs = std::filesystem;

// --- posting lists ----------------------------------------------------------

// A synthetic posting list shaped like a common term's: `n` filings with
// gaps 1..16, 1..8 occurrences each, positions gaps 1..200.
struct PostingInput {
  std::vector<uint32_t> docs;
  std::vector<std::vector<uint32_t>> positions;
  size_t total_positions = 0;
};

PostingInput MakePostings(size_t n) {
  std::mt19937 rng(42);
  PostingInput in;
  uint32_t doc = 0;
  for (size_t i = 0; i < n; ++i) {
    doc += 1 + rng() % 16;
    in.docs.push_back(doc);
    std::vector<uint32_t> pos;
    uint32_t p = 0;
    const size_t freq = 1 + rng() % 8;
    for (size_t j = 0; j < freq; ++j) {
      p += 1 + rng() % 200;
      pos.push_back(p);
    }
    in.total_positions += pos.size();
    in.positions.push_back(std::move(pos));
  }
  return in;
}

void BM_PostingEncode(benchmark::State& state) {
  const PostingInput in = MakePostings(static_cast<size_t>(state.range(0)));
  size_t bytes = 0;
  for (auto _ : state) {
    PostingBuilder builder;
    for (size_t i = 0; i < in.docs.size(); ++i) {
      builder.Add(in.docs[i], in.positions[i].data(), in.positions[i].size());
    }
    std::string docs = builder.FinishDocs();
    bytes = docs.size() + builder.positions().size();
    benchmark::DoNotOptimize(docs);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * in.total_positions));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["encoded_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_PostingEncode)->Arg(1 << 10)->Arg(1 << 16);

void BM_PostingDecodeDocs(benchmark::State& state) {
  const PostingInput in = MakePostings(static_cast<size_t>(state.range(0)));
  PostingBuilder builder;
  for (size_t i = 0; i < in.docs.size(); ++i) {
    builder.Add(in.docs[i], in.positions[i].data(), in.positions[i].size());
  }
  const std::string docs = builder.FinishDocs();
  DocBlock block;
  for (auto _ : state) {
    block.docs.clear();
    block.freqs.clear();
    if (!DecodeDocBlock(docs, block)) state.SkipWithError("DecodeDocBlock failed");
    benchmark::DoNotOptimize(block.docs.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * in.docs.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * docs.size()));
}
BENCHMARK(BM_PostingDecodeDocs)->Arg(1 << 10)->Arg(1 << 16);

void BM_PostingDecodePositions(benchmark::State& state) {
  const PostingInput in = MakePostings(static_cast<size_t>(state.range(0)));
  PostingBuilder builder;
  for (size_t i = 0; i < in.docs.size(); ++i) {
    builder.Add(in.docs[i], in.positions[i].data(), in.positions[i].size());
  }
  const std::string docs = builder.FinishDocs();
  const std::string positions = builder.positions();
  DocBlock block;
  if (!DecodeDocBlock(docs, block)) {
    state.SkipWithError("DecodeDocBlock failed");
    return;
  }
  std::vector<uint32_t> offsets, decoded;
  for (auto _ : state) {
    offsets.clear();
    decoded.clear();
    if (!DecodePositions(positions, block.freqs.data(), block.freqs.size(), offsets, decoded)) {
      state.SkipWithError("DecodePositions failed");
    }
    benchmark::DoNotOptimize(decoded.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * in.total_positions));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * positions.size()));
}
BENCHMARK(BM_PostingDecodePositions)->Arg(1 << 10)->Arg(1 << 16);

// --- queries ----------------------------------------------------------------

struct Fixture {
  fs::path dir;
  std::unique_ptr<Searcher> searcher;
  uint64_t filings = 0;
  std::string error;
  // Called from main() before exit: RocksDB must close before its own
  // statics are destroyed.
  void Close() {
    searcher.reset();
    std::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
    dir.clear();
  }
};

// Builds the index once: every test filing, or the first 3000 shared-corpus
// filings when the shared corpus is present.
Fixture* g_fixture = nullptr;

Fixture& GetFixture() {
  if (g_fixture != nullptr) return *g_fixture;
  g_fixture = new Fixture;
  Fixture& f = *g_fixture;
  std::error_code ec;
  const fs::path shared = fs::path(EDGARIX_SHARED_CORPUS_DIR) / "filings";
  const fs::path input =
      fs::is_directory(shared, ec) ? shared : fs::path(EDGARIX_TESTDATA_DIR) / "filings";
  const size_t max_filings = 3000;
  f.dir = fs::temp_directory_path() / ("edgarix_index_bench_" + std::to_string(getpid()));
  fs::remove_all(f.dir, ec);
  auto reader = fetch::InputReader::Open({input.string()}, fetch::InputOptions{});
  auto parser = parse::Parser::Create(parse::ParseOptions{});
  auto writer = IndexWriter::Open(f.dir.string(), WriterOptions{});
  if (!reader.ok() || !parser.ok() || !writer.ok()) {
    f.error = "cannot open the fixture's reader, parser or writer";
    return f;
  }
  while (f.filings < max_filings) {
    auto raw = (*reader)->Next();
    if (!raw) break;
    if (!raw->read_error.empty()) continue;
    auto parsed = (*parser)->Parse(*raw);
    if (!parsed.ok()) continue;
    if (!(*writer)->Add(Analyze(*std::move(parsed))).ok()) {
      f.error = "IndexWriter::Add failed";
      return f;
    }
    ++f.filings;
  }
  if (!(*writer)->Commit().ok()) {
    f.error = "IndexWriter::Commit failed";
    return f;
  }
  writer->reset();
  auto searcher = Searcher::Open({f.dir.string()});
  if (!searcher.ok()) {
    f.error = std::string(searcher.status().message());
    return f;
  }
  f.searcher = *std::move(searcher);
  std::fprintf(stderr, "index_bench: fixture indexed %llu filings from %s\n",
               static_cast<unsigned long long>(f.filings), input.c_str());
  return f;
}

void RunQuery(benchmark::State& state, const char* query) {
  Fixture& f = GetFixture();
  if (!f.searcher) {
    state.SkipWithError(f.error.c_str());
    return;
  }
  SearchOptions options;
  options.limit = 10;
  options.snippets = 0;
  uint64_t hits = 0;
  for (auto _ : state) {
    auto result = f.searcher->Search(query, options, [](const Hit& hit) {
      benchmark::DoNotOptimize(hit.score);
    });
    if (!result.ok()) {
      state.SkipWithError(std::string(result.status().message()).c_str());
      return;
    }
    hits = result->total_hits;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["hits"] = static_cast<double>(hits);
  state.counters["filings"] = static_cast<double>(f.filings);
}

BENCHMARK_CAPTURE(RunQuery, term, "company");
BENCHMARK_CAPTURE(RunQuery, and, "financial AND statements");
BENCHMARK_CAPTURE(RunQuery, or, "merger OR acquisition");
BENCHMARK_CAPTURE(RunQuery, phrase, "\"financial statements\"");
BENCHMARK_CAPTURE(RunQuery, near, "annual NEAR/5 report");
BENCHMARK_CAPTURE(RunQuery, prefix, "acqui*");
BENCHMARK_CAPTURE(RunQuery, filtered, "form:8-K company");

}  // namespace

void CloseFixture() {
  if (g_fixture != nullptr) g_fixture->Close();
}

}  // namespace edgarix::index

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  edgarix::index::CloseFixture();
  return 0;
}
