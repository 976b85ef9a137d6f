// RunIndexPipeline on in-memory sources: bad filings are recorded with their
// source and reason while the good ones around them are indexed, whatever
// the thread count, and memory stays bounded by the in-flight limit.

#include "edgarix/pipeline/pipeline.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "edgarix/index/catalog.h"
#include "edgarix/index/searcher.h"
#include "edgarix/index/writer.h"
#include "edgarix/parse/parser.h"
#include "gtest/gtest.h"
#include "status_matchers.h"
#include "test_paths.h"

namespace edgarix::pipeline {
namespace {

namespace fs = std::filesystem;

using ::edgarix::testing::ReadFile;

class PipelineTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("edgarix_pipeline_" + std::to_string(getpid()) + "_" + std::to_string(GetParam()));
    fs::remove_all(dir_);
    auto parser = parse::Parser::Create(parse::ParseOptions{});
    ASSERT_OK(parser);
    parser_ = *std::move(parser);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  std::unique_ptr<parse::Parser> parser_;
};

TEST_P(PipelineTest, RecordsBadFilingsAndIndexesTheRest) {
  const std::string seed8k = ReadFile(testing::TestData() / "filings" / "seed_8k_innovo_2004.txt");
  const std::string seeds8 = ReadFile(testing::TestData() / "filings" / "seed_s8_innovo_2003.txt");
  ASSERT_FALSE(seed8k.empty());
  std::vector<RawFiling> inputs;
  auto add = [&](std::string source, std::string bytes, std::string read_error = "") {
    RawFiling r;
    r.source = std::move(source);
    r.bytes = std::move(bytes);
    r.read_error = std::move(read_error);
    inputs.push_back(std::move(r));
  };
  add("good/8k.txt", seed8k);
  add("bad/empty.txt", "");
  add("bad/unreadable.tar.gz#x.nc", "", "truncated gzip");
  add("bad/binary.bin", std::string("\x00\x01\x02\x03garbage\x00", 12));
  add("good/s8.txt", seeds8);

  auto writer = index::IndexWriter::Open((dir_ / "db").string(), index::WriterOptions{});
  ASSERT_OK(writer);
  size_t next = 0;
  std::vector<std::string> reported;
  PipelineOptions options;
  options.threads = GetParam();
  options.on_failure = [&](const std::string& source, const std::string&) {
    reported.push_back(source);
  };
  auto stats = RunIndexPipeline(
      [&]() -> std::optional<RawFiling> {
        if (next >= inputs.size()) return std::nullopt;
        return inputs[next++];
      },
      *parser_, **writer, options);
  ASSERT_OK(stats);
  EXPECT_EQ(stats->filings_read, 5u);
  EXPECT_EQ(stats->filings_indexed, 2u);
  EXPECT_EQ(stats->failures, 3u);
  // The writer stage runs in input order.
  EXPECT_EQ(reported, (std::vector<std::string>{"bad/empty.txt", "bad/unreadable.tar.gz#x.nc",
                                                "bad/binary.bin"}));
  writer->reset();

  auto catalog = index::Catalog::Open((dir_ / "db").string());
  ASSERT_OK(catalog);
  auto failures = (*catalog)->Failures();
  ASSERT_OK(failures);
  ASSERT_EQ(failures->size(), 3u);
  EXPECT_EQ((*failures)[1].first, "bad/unreadable.tar.gz#x.nc");
  EXPECT_EQ((*failures)[1].second, "truncated gzip");
  for (const auto& [source, reason] : *failures) EXPECT_FALSE(reason.empty()) << source;

  auto searcher = index::Searcher::Open({(dir_ / "db").string()});
  ASSERT_OK(searcher);
  std::vector<std::string> hits;
  index::SearchOptions so;
  so.limit = 0;
  auto result = (*searcher)->Search("innovo", so, [&](const index::Hit& h) {
    hits.push_back(h.source);
  });
  ASSERT_OK(result);
  EXPECT_EQ(hits.size(), 2u);
}

TEST_P(PipelineTest, KeepsAtMostMaxInFlightFilingsAlive) {
  // Each source call hands out a filing; the number alive (read but not yet
  // written) must never exceed max_in_flight.
  const std::string seed8k = ReadFile(testing::TestData() / "filings" / "seed_8k_innovo_2004.txt");
  auto writer = index::IndexWriter::Open((dir_ / "db").string(), index::WriterOptions{});
  ASSERT_OK(writer);
  std::atomic<int> read{0};
  std::atomic<int> written{0};
  int max_alive = 0;
  PipelineOptions options;
  options.threads = GetParam();
  options.max_in_flight = 3;
  options.on_progress = [&](const PipelineStats& s) {
    written = static_cast<int>(s.filings_indexed + s.failures);
  };
  auto stats = RunIndexPipeline(
      [&]() -> std::optional<RawFiling> {
        if (read >= 200) return std::nullopt;
        max_alive = std::max(max_alive, read.load() - written.load());
        RawFiling r;
        r.source = "mem/" + std::to_string(read++);
        r.bytes = seed8k;
        return r;
      },
      *parser_, **writer, options);
  ASSERT_OK(stats);
  EXPECT_EQ(stats->filings_indexed, 200u);
  EXPECT_LE(max_alive, 3);
}

INSTANTIATE_TEST_SUITE_P(Threads, PipelineTest, ::testing::Values(1, 2));

}  // namespace
}  // namespace edgarix::pipeline
