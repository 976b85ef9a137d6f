// SIGKILL at random points while indexing: the index opens, every filing is
// fully in or fully out, and a re-run equals an uninterrupted build.

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "edgarix/index/searcher.h"
#include "edgarix/index/writer.h"
#include "gtest/gtest.h"
#include "index_fixtures.h"
#include "status_matchers.h"

namespace edgarix::index {
namespace {

using testing::Keys;
using testing::MakeFiling;
using testing::TempDir;

constexpr int kFilings = 400;

// Filing i: unique words "uniq<i>" (3 times) and "mark<i>", shared words, a
// form and a year from i.
ParsedFiling Synthetic(int i) {
  char acc[32];
  snprintf(acc, sizeof acc, "%010d-10-%06d", 1000 + i % 7, i);
  std::string text = "uniq" + std::to_string(i) + " common words shared by all filings ";
  for (int k = 0; k < 40; ++k) text += "filler" + std::to_string((i * 31 + k) % 97) + " ";
  text += "uniq" + std::to_string(i) + " uniq" + std::to_string(i);
  auto f = MakeFiling(acc, i % 3 == 0 ? "8-K" : "10-K",
                      std::to_string(2000 + i % 10) + "-01-15", std::to_string(1000 + i % 7),
                      "COMPANY " + std::to_string(i % 7),
                      {{i % 3 == 0 ? "8-K" : "10-K", text},
                       {"EX-99", "exhibit mark" + std::to_string(i)}});
  f.items = {"8.01"};
  f.events = {"8.01"};
  return f;
}

void IndexRange(const std::string& db, bool sst, int from, int to) {
  WriterOptions o;
  o.ingest_sst = sst;
  o.batch_max_filings = 50;
  auto w = IndexWriter::Open(db, o);
  if (!w.ok()) _exit(3);
  for (int i = from; i < to; ++i) {
    if (!(*w)->Add(Analyze(Synthetic(i))).ok()) _exit(4);
  }
  if (!(*w)->Commit().ok()) _exit(5);
}

// For every filing, its record, both documents' postings and its facets
// agree: either all present or all absent.
void ExpectConsistent(const Searcher& s, int* present) {
  int in = 0;
  SearchOptions o;
  o.limit = 0;
  o.snippets = 0;
  std::vector<std::string> common = Keys(s, "common");
  std::vector<std::string> year_any = Keys(s, "filed:2000-01-01..2009-12-31");
  std::vector<std::string> exhibits = Keys(s, "exhibit");
  EXPECT_EQ(common, year_any);
  EXPECT_EQ(common, exhibits);
  for (int i = 0; i < kFilings; ++i) {
    const std::string u = "uniq" + std::to_string(i);
    const auto a = Keys(s, u);
    const auto b = Keys(s, "mark" + std::to_string(i));
    ASSERT_EQ(a.size(), b.size()) << i;
    ASSERT_LE(a.size(), 1u) << i;
    in += static_cast<int>(a.size());
  }
  EXPECT_EQ(static_cast<size_t>(in), common.size());
  auto stats = s.Stats();
  ASSERT_OK(stats);
  EXPECT_EQ(stats->filings, static_cast<uint64_t>(in));
  *present = in;
}

// The writer process of CrashTest; skipped when run normally.
TEST(CrashChild, IndexesWhenAskedTo) {
  const char* db = getenv("EDGARIX_CRASH_CHILD_DB");
  const char* sst = getenv("EDGARIX_CRASH_CHILD_SST");
  if (db == nullptr || sst == nullptr) GTEST_SKIP() << "runs only as CrashTest's child";
  IndexRange(db, sst[0] == '1', 0, kFilings);
}

class CrashTest : public ::testing::TestWithParam<bool> {};

TEST_P(CrashTest, KilledWriterLeavesWholeFilingsAndRerunCompletes) {
  TempDir dir;
  const std::string clean = dir.Sub("clean");
  const auto t0 = std::chrono::steady_clock::now();
  IndexRange(clean, GetParam(), 0, kFilings);
  // Kill points spread over the time a whole build takes (plus process
  // start-up), whatever this machine's speed.
  const auto build_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - t0)
                            .count() +
                        100;
  auto ref = Searcher::Open({clean});
  ASSERT_OK(ref);

  const std::string db = dir.Sub("crashed");
  std::mt19937 rng(12345 + (GetParam() ? 1 : 0));
  for (int round = 0; round < 3; ++round) {
    // A fresh process (fork + exec of this test binary): RocksDB's
    // background threads do not survive a bare fork.
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      setenv("EDGARIX_CRASH_CHILD_DB", db.c_str(), 1);
      setenv("EDGARIX_CRASH_CHILD_SST", GetParam() ? "1" : "0", 1);
      execl("/proc/self/exe", "index_test", "--gtest_filter=CrashChild.IndexesWhenAskedTo",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    std::this_thread::sleep_for(
        std::chrono::milliseconds(50 + rng() % static_cast<uint64_t>(build_ms)));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    auto s = Searcher::Open({db});
    if (!s.ok()) {
      // Killed before the database was created.
      EXPECT_EQ(s.status().code(), absl::StatusCode::kNotFound) << s.status();
      continue;
    }
    int present = 0;
    ExpectConsistent(**s, &present);
    RecordProperty("filings_after_kill_" + std::to_string(round), present);
    ASSERT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0))
        << "writer child failed with status " << status;
  }
  // Re-run to completion: equal to the clean build.
  IndexRange(db, GetParam(), 0, kFilings);
  auto s = Searcher::Open({db});
  ASSERT_OK(s);
  int present = 0;
  ExpectConsistent(**s, &present);
  EXPECT_EQ(present, kFilings);
  for (const char* q : {"common", "uniq17", "filler3 filler5", "form:8-K", "year:2003",
                        "\"words shared\"", "cik:1003"}) {
    SearchOptions o;
    o.limit = 0;
    o.snippets = 1;
    std::vector<Hit> a, b;
    ASSERT_OK((*ref)->Search(q, o, [&](const Hit& h) { a.push_back(h); }));
    ASSERT_OK((*s)->Search(q, o, [&](const Hit& h) { b.push_back(h); }));
    ASSERT_EQ(a.size(), b.size()) << q;
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].accession, b[i].accession) << q;
      EXPECT_DOUBLE_EQ(a[i].score, b[i].score) << q;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(WriteBatchAndSst, CrashTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& i) {
                           return i.param ? std::string("Sst") : std::string("WriteBatch");
                         });

}  // namespace
}  // namespace edgarix::index
