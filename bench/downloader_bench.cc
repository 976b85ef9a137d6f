// fetch: the Downloader's completeness check (CRC-32 of the raw bytes, ISA-L
// inflate with trailer checks, tar walk to the end blocks) over a Feed-like
// .nc.tar.gz. This pass is what a fetched archive costs beyond its transfer.

#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "edgarix/fetch/downloader.h"

namespace {

std::string TarHeader(const std::string& name, size_t size) {
  std::string h(512, '\0');
  std::snprintf(h.data(), 100, "%s", name.c_str());
  std::snprintf(h.data() + 100, 8, "0000644");
  std::snprintf(h.data() + 108, 8, "0000000");
  std::snprintf(h.data() + 116, 8, "0000000");
  std::snprintf(h.data() + 124, 12, "%011llo", static_cast<unsigned long long>(size));
  std::snprintf(h.data() + 136, 12, "%011o", 0);
  h[156] = '0';
  std::memcpy(h.data() + 257, "ustar", 6);
  std::memcpy(h.data() + 263, "00", 2);
  std::memset(h.data() + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  std::snprintf(h.data() + 148, 8, "%06o", sum);
  return h;
}

// Filings from ../shared/corpus when present (else synthetic text), packed
// into a ~`target` byte tar and gzipped.
std::string FeedArchive(size_t target) {
  std::vector<std::string> filings;
  const std::filesystem::path corpus =
      std::filesystem::path(EDGARIX_SHARED_CORPUS_DIR) / "filings" / "sgml";
  std::error_code ec;
  if (std::filesystem::is_directory(corpus, ec)) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(corpus, ec)) {
      if (!e.is_regular_file()) continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      filings.push_back(ss.str());
    }
  }
  if (filings.empty()) {
    std::mt19937 rng(7);
    std::string s;
    while (s.size() < (1 << 20)) s += "item " + std::to_string(rng()) + " revenue agreement\n";
    filings.push_back(s);
  }
  std::string tar;
  for (size_t i = 0; tar.size() < target; ++i) {
    const std::string& f = filings[i % filings.size()];
    tar += TarHeader("0000000000-24-" + std::to_string(100000 + i) + ".nc", f.size());
    tar += f;
    tar.append((512 - f.size() % 512) % 512, '\0');
  }
  tar.append(1024, '\0');
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string gz(deflateBound(&zs, tar.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(tar.data());
  zs.avail_in = static_cast<uInt>(tar.size());
  zs.next_out = reinterpret_cast<Bytef*>(gz.data());
  zs.avail_out = static_cast<uInt>(gz.size());
  deflate(&zs, Z_FINISH);
  gz.resize(zs.total_out);
  deflateEnd(&zs);
  return gz;
}

void BM_CheckCompleteFeedArchive(benchmark::State& state) {
  static const std::string archive = FeedArchive(64 << 20);
  for (auto _ : state) {
    absl::Status s = edgarix::fetch::CheckComplete("Feed/2024/QTR1/20240102.nc.tar.gz", archive);
    if (!s.ok()) state.SkipWithError(std::string(s.message()).c_str());
    benchmark::DoNotOptimize(s);
  }
  // Compressed bytes per second: the rate at which fetched archives are verified.
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * archive.size()));
  state.counters["compressed_MB"] = archive.size() / 1e6;
}
BENCHMARK(BM_CheckCompleteFeedArchive)->Unit(benchmark::kMillisecond);

void BM_CheckCompletePlain(benchmark::State& state) {
  static const std::string text(64 << 20, 'x');
  for (auto _ : state) {
    benchmark::DoNotOptimize(edgarix::fetch::CheckComplete("data/1/a.txt", text));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_CheckCompletePlain)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
