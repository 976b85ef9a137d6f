// Parse-stage throughput: SGML header reading, HTML -> text, section
// splitting, tokenizing, cover pages and the whole Parser::Parse, in bytes/s
// over real filings (../shared/corpus/filings when present, else the
// project's tests/testdata). Inputs are loaded once, outside the timed loops.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "edgarix/core/filing.h"
#include "edgarix/core/tokenizer.h"
#include "edgarix/parse/parser.h"
#include "html_to_text.h"
#include "sections.h"
#include "sgml.h"

namespace edgarix::parse {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct TextDoc {
  std::string text;
  SectionScheme scheme;
};

struct Corpus {
  std::vector<RawFiling> raw;     // every file, as read
  std::vector<std::string> html;  // documents that are HTML
  std::vector<TextDoc> texts;     // their text (and plain-text filings)
  uint64_t raw_bytes = 0;
  uint64_t html_bytes = 0;
  uint64_t text_bytes = 0;
};

SectionScheme SchemeOfPath(const std::string& path) {
  if (path.find("10-K") != std::string::npos) return SectionScheme::k10K;
  if (path.find("10-Q") != std::string::npos) return SectionScheme::k10Q;
  if (path.find("S-8") != std::string::npos || path.find("S-1") != std::string::npos ||
      path.find("S-3") != std::string::npos) {
    return SectionScheme::kRegistration;
  }
  return SectionScheme::k8K;
}

const Corpus& GetCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    std::vector<fs::path> roots;
    const fs::path shared = EDGARIX_SHARED_CORPUS_DIR;
    std::error_code ec;
    if (fs::is_directory(shared / "filings", ec)) {
      roots = {shared / "filings", shared / "seeds"};
    } else {
      roots = {fs::path(EDGARIX_TESTDATA_DIR) / "filings"};
    }
    std::vector<fs::path> files;
    for (const fs::path& root : roots) {
      if (!fs::is_directory(root, ec)) continue;
      for (const auto& e : fs::recursive_directory_iterator(root)) {
        if (e.is_regular_file()) files.push_back(e.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& path : files) {
      RawFiling raw;
      raw.source = path.string();
      raw.bytes = ReadFile(path);
      if (raw.bytes.empty()) continue;
      c->raw_bytes += raw.bytes.size();
      // Document bodies: every non-binary <DOCUMENT> (or the whole file).
      const SgmlFiling sgml = ReadSgml(std::string_view(raw.bytes));
      for (const SgmlDocument& d : sgml.documents) {
        if (d.binary) continue;
        const std::string_view body = BodyOf(sgml, d);
        const SectionScheme scheme = SchemeOfPath(raw.source);
        if (LooksLikeHtml(body)) {
          c->html.emplace_back(body);
          c->html_bytes += body.size();
          c->texts.push_back({HtmlToText(body), scheme});
        } else {
          c->texts.push_back({std::string(body), scheme});
        }
        c->text_bytes += c->texts.back().text.size();
      }
      c->raw.push_back(std::move(raw));
    }
    std::cerr << "corpus: " << c->raw.size() << " files, " << c->raw_bytes << " bytes; "
              << c->html.size() << " HTML documents, " << c->html_bytes << " bytes; "
              << c->texts.size() << " texts, " << c->text_bytes << " bytes\n";
    return c;
  }();
  return *corpus;
}

void BM_ReadSgml(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  for (auto _ : state) {
    for (const RawFiling& raw : c.raw) {
      SgmlFiling f = ReadSgml(std::string_view(raw.bytes));
      benchmark::DoNotOptimize(f.documents.size());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.raw_bytes));
  state.counters["files/s"] = benchmark::Counter(static_cast<double>(c.raw.size()),
                                                 benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ReadSgml)->Unit(benchmark::kMillisecond);

void BM_HtmlToText(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  for (auto _ : state) {
    for (const std::string& html : c.html) {
      std::string text = HtmlToText(html);
      benchmark::DoNotOptimize(text.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.html_bytes));
}
BENCHMARK(BM_HtmlToText)->Unit(benchmark::kMillisecond);

void BM_Split(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  auto splitter = SectionSplitter::Create();
  if (!splitter.ok()) {
    state.SkipWithError(std::string(splitter.status().message()).c_str());
    return;
  }
  size_t sections = 0;
  for (auto _ : state) {
    for (const TextDoc& t : c.texts) {
      std::vector<Section> s = (*splitter)->Split(t.text, t.scheme, 1);
      sections += s.size();
      benchmark::DoNotOptimize(s.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.text_bytes));
  state.counters["sections/s"] =
      benchmark::Counter(static_cast<double>(sections), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Split)->Unit(benchmark::kMillisecond);

void BM_Tokenize(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  uint64_t tokens = 0;
  for (auto _ : state) {
    for (const TextDoc& t : c.texts) {
      uint64_t hash = 0;
      tokens += Tokenize(t.text, [&](std::string_view term, uint32_t pos, uint32_t) {
        hash += term.size() + pos;
      });
      benchmark::DoNotOptimize(hash);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.text_bytes));
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Tokenize)->Unit(benchmark::kMillisecond);

void BM_ExtractCoverPage(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  for (auto _ : state) {
    for (const TextDoc& t : c.texts) {
      CoverPage cover = ExtractCoverPage(t.text);
      benchmark::DoNotOptimize(cover.registrant.data());
    }
  }
  state.counters["docs/s"] = benchmark::Counter(static_cast<double>(c.texts.size()),
                                                benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ExtractCoverPage)->Unit(benchmark::kMillisecond);

// The whole parse stage as the pipeline runs it: Parser::Parse (header,
// documents, HTML -> text, cover page, sections), then tokenizing every
// document's text for the index. Bytes are raw input bytes.
void BM_ParseAndTokenize(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  auto parser = Parser::Create(ParseOptions{});
  if (!parser.ok()) {
    state.SkipWithError(std::string(parser.status().message()).c_str());
    return;
  }
  const bool tokenize = state.range(0) != 0;
  for (auto _ : state) {
    for (const RawFiling& raw : c.raw) {
      auto parsed = (*parser)->Parse(raw);
      if (!parsed.ok()) continue;
      if (tokenize) {
        uint64_t hash = 0;
        for (const Document& d : parsed->documents) {
          Tokenize(d.text, [&](std::string_view term, uint32_t, uint32_t) { hash += term.size(); });
        }
        benchmark::DoNotOptimize(hash);
      }
      benchmark::DoNotOptimize(parsed->sections.size());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.raw_bytes));
  state.counters["filings/s"] = benchmark::Counter(static_cast<double>(c.raw.size()),
                                                   benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ParseAndTokenize)->ArgName("tokenize")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace edgarix::parse

BENCHMARK_MAIN();
