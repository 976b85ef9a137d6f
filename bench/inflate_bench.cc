// Inflate + tar read of a daily-Feed-like YYYYMMDD.nc.tar.gz: edgarix's
// InputReader (ISA-L + libarchive) against ISA-L alone, zlib and libdeflate on
// the same compressed bytes. Throughput is inflated bytes per second.
//
// The archive is built once from ../shared/corpus/filings (or generated text
// when the corpus is absent), compressed with zlib level 6 like the SEC's own
// gzip files. Set EDGARIX_INFLATE_BENCH_ARCHIVE=PATH to keep it at PATH (to
// time `igzip -d` / `gzip -d` on the same bytes).

#include <libdeflate.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "byte_source.h"
#include "edgarix/fetch/input_reader.h"

namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void AppendTarMember(std::string& tar, const std::string& name,
                     const std::string& data) {
  char h[512] = {};
  std::memcpy(h, name.data(), std::min<size_t>(name.size(), 99));
  std::snprintf(h + 100, 8, "%07o", 0644);
  std::snprintf(h + 108, 8, "%07o", 0);
  std::snprintf(h + 116, 8, "%07o", 0);
  std::snprintf(h + 124, 12, "%011llo",
                static_cast<unsigned long long>(data.size()));
  std::snprintf(h + 136, 12, "%011o", 0);
  h[156] = '0';
  std::memcpy(h + 257, "ustar", 6);
  std::memcpy(h + 263, "00", 2);
  std::memset(h + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  std::snprintf(h + 148, 8, "%06o", sum);
  tar.append(h, 512);
  tar += data;
  tar.append((512 - data.size() % 512) % 512, '\0');
}

std::string ZlibGzip(const std::string& data, int level) {
  z_stream z = {};
  deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

struct Archive {
  std::string path;
  std::string gz;          // compressed bytes
  uint64_t tar_bytes = 0;  // inflated size
  uint64_t payload_bytes = 0;
  int members = 0;
  bool keep = false;
  ~Archive() {
    if (!keep && !path.empty()) std::remove(path.c_str());
  }
};

const Archive& GetArchive() {
  static Archive* archive = [] {
    auto* a = new Archive;
    std::string tar;
    fs::path corpus = fs::path(EDGARIX_SHARED_CORPUS_DIR) / "filings";
    std::vector<fs::path> files;
    std::error_code ec;
    if (fs::is_directory(corpus, ec)) {
      for (auto it = fs::recursive_directory_iterator(corpus);
           it != fs::recursive_directory_iterator(); ++it) {
        if (it->is_regular_file()) files.push_back(it->path());
      }
    }
    std::sort(files.begin(), files.end());
    int n = 0;
    for (const auto& f : files) {
      std::string data = ReadFile(f);
      a->payload_bytes += data.size();
      AppendTarMember(tar, std::to_string(1000000 + n++) + ".nc", data);
    }
    if (files.empty()) {  // no corpus: filing-like text
      for (int i = 0; i < 500; ++i) {
        std::string text;
        for (int l = 0; text.size() < 200000; ++l) {
          text += "<P>Item " + std::to_string(l % 9 + 1) + ".01 line " +
                  std::to_string(l) + " of filing " + std::to_string(i) +
                  ": the registrant entered into an agreement.</P>\n";
        }
        a->payload_bytes += text.size();
        AppendTarMember(tar, std::to_string(1000000 + n++) + ".nc", text);
      }
    }
    a->members = n;
    tar.append(1024, '\0');
    a->tar_bytes = tar.size();
    a->gz = ZlibGzip(tar, 6);
    const char* keep = std::getenv("EDGARIX_INFLATE_BENCH_ARCHIVE");
    if (keep != nullptr && *keep) {
      a->path = keep;
      a->keep = true;
    } else {
      a->path = (fs::temp_directory_path() /
                 ("edgarix-inflate-bench-" + std::to_string(::getpid()) +
                  ".nc.tar.gz"))
                    .string();
    }
    std::ofstream(a->path, std::ios::binary).write(a->gz.data(), a->gz.size());
    std::fprintf(stderr,
                 "archive %s: %d members, %llu bytes tar, %llu bytes gzip "
                 "(ratio %.2f)\n",
                 a->path.c_str(), a->members,
                 static_cast<unsigned long long>(a->tar_bytes),
                 static_cast<unsigned long long>(a->gz.size()),
                 static_cast<double>(a->tar_bytes) / a->gz.size());
    return a;
  }();
  return *archive;
}

void SetCounters(benchmark::State& state, const Archive& a) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(a.tar_bytes));
  state.counters["compressed_MB/s"] =
      benchmark::Counter(static_cast<double>(a.gz.size()) *
                             static_cast<double>(state.iterations()) / 1e6,
                         benchmark::Counter::kIsRate);
}

// The whole read path: file -> ISA-L inflate -> libarchive tar -> one
// RawFiling per member.
void BM_InputReaderTarGz(benchmark::State& state) {
  const Archive& a = GetArchive();
  int64_t filings = 0;
  for (auto _ : state) {
    auto reader = edgarix::fetch::InputReader::Open({a.path}, {});
    if (!reader.ok()) {
      state.SkipWithError(std::string(reader.status().message()).c_str());
      return;
    }
    uint64_t bytes = 0;
    while (auto f = (*reader)->Next()) {
      if (!f->read_error.empty()) {
        state.SkipWithError(f->read_error.c_str());
        return;
      }
      bytes += f->bytes.size();
      ++filings;
    }
    benchmark::DoNotOptimize(bytes);
  }
  SetCounters(state, a);
  state.counters["filings/s"] = benchmark::Counter(static_cast<double>(filings),
                                                   benchmark::Counter::kIsRate);
}
BENCHMARK(BM_InputReaderTarGz)->Unit(benchmark::kMillisecond);

// ISA-L inflate alone (edgarix's GzipSource) from memory.
void BM_IsalInflate(benchmark::State& state) {
  const Archive& a = GetArchive();
  for (auto _ : state) {
    edgarix::fetch::internal::MemorySource in(a.gz);
    edgarix::fetch::internal::GzipSource gz(&in, "bench");
    uint64_t total = 0;
    while (true) {
      auto chunk = gz.Next();
      if (!chunk.ok() || chunk->empty()) break;
      total += chunk->size();
    }
    if (total != a.tar_bytes) state.SkipWithError("ISA-L size mismatch");
    benchmark::DoNotOptimize(total);
  }
  SetCounters(state, a);
}
BENCHMARK(BM_IsalInflate)->Unit(benchmark::kMillisecond);

// zlib inflate (streaming, 256 KiB output buffer) from memory.
void BM_ZlibInflate(benchmark::State& state) {
  const Archive& a = GetArchive();
  std::vector<unsigned char> out(256 << 10);
  for (auto _ : state) {
    z_stream z = {};
    inflateInit2(&z, 15 + 16);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(a.gz.data()));
    z.avail_in = static_cast<uInt>(a.gz.size());
    uint64_t total = 0;
    int ret;
    do {
      z.next_out = out.data();
      z.avail_out = static_cast<uInt>(out.size());
      ret = inflate(&z, Z_NO_FLUSH);
      total += out.size() - z.avail_out;
    } while (ret == Z_OK);
    inflateEnd(&z);
    if (ret != Z_STREAM_END || total != a.tar_bytes) {
      state.SkipWithError("zlib inflate failed");
    }
    benchmark::DoNotOptimize(total);
  }
  SetCounters(state, a);
}
BENCHMARK(BM_ZlibInflate)->Unit(benchmark::kMillisecond);

// libdeflate (whole buffer at once, output size known) from memory.
void BM_LibdeflateInflate(benchmark::State& state) {
  const Archive& a = GetArchive();
  std::vector<char> out(a.tar_bytes);
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  for (auto _ : state) {
    size_t actual = 0;
    auto r = libdeflate_gzip_decompress(d, a.gz.data(), a.gz.size(), out.data(),
                                        out.size(), &actual);
    if (r != LIBDEFLATE_SUCCESS || actual != a.tar_bytes) {
      state.SkipWithError("libdeflate failed");
    }
    benchmark::DoNotOptimize(out.data());
  }
  libdeflate_free_decompressor(d);
  SetCounters(state, a);
}
BENCHMARK(BM_LibdeflateInflate)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
