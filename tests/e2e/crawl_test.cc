// `edgarix crawl` and `edgarix verify` through real HTTP against
// edgar_server.py on 127.0.0.1, serving a mirror built from the bundled
// sample: a clean crawl, a crawl under a mixed fault schedule, and crawls
// SIGKILLed at random moments then re-run. All must end with the same index.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "edgar_server.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "run_edgarix.h"
#include "test_paths.h"

namespace edgarix {
namespace {

namespace fs = std::filesystem;
using testing::EdgarServer;
using testing::JsonLines;
using testing::RunEdgarix;

// The mirror's busiest stretch of the sample: a few filing days among
// ordinary weekdays and a holiday, small enough for a quick test.
constexpr char kFrom[] = "2024-05-01";
constexpr char kTo[] = "2024-06-10";
constexpr double kRate = 8;
constexpr char kUserAgent[] = "'Edgarix Tests tests@example.com'";

class CrawlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("edgarix_crawl_" + std::to_string(getpid())));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    ASSERT_TRUE(testing::MakeMirror(testing::TestData() / "filings", *dir_ / "mirror"));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }

  static std::string CrawlArgs(const EdgarServer& server, const fs::path& db) {
    return "crawl --db '" + db.string() + "' --base-url " + server.url() + " --user-agent " +
           kUserAgent + " --from " + kFrom + " --to " + kTo + " --rate " +
           std::to_string(kRate) + " --cooldown 1 2>/dev/null";
  }

  // The index's answers to a fixed query set, as JSON lines.
  static std::map<std::string, std::string> Answers(const fs::path& db) {
    std::map<std::string, std::string> out;
    for (const char* q : {"'form:8-K'", "'year:2024'", "agreement", "'company:choiceone'",
                          "'\"annual meeting\"'", "'vote*'"}) {
      auto o = RunEdgarix("query --db '" + db.string() + "' --format jsonl --limit 0 " + q);
      EXPECT_EQ(o.exit_code, 0) << q;
      out[q] = o.out;
    }
    return out;
  }

  static nlohmann::json Verify(const fs::path& db) {
    auto o = RunEdgarix("verify --db '" + db.string() + "' --format json");
    EXPECT_EQ(o.exit_code, 0) << o.out;
    return nlohmann::json::parse(o.out);
  }

  static fs::path* dir_;
};
fs::path* CrawlTest::dir_ = nullptr;

TEST_F(CrawlTest, IndexesEveryListedFilingAndVerifyShowsNoGaps) {
  EdgarServer server(*dir_ / "mirror");
  const fs::path db = *dir_ / "clean-db";
  ASSERT_EQ(RunEdgarix(CrawlArgs(server, db)).exit_code, 0);
  const nlohmann::json v = Verify(db);
  EXPECT_GT(v["listed"].get<int>(), 0);
  EXPECT_EQ(v["indexed"], v["listed"]);
  EXPECT_EQ(v["missing"], 0);
  EXPECT_LE(server.MaxPerSecond(), kRate);
  // Every listed filing is found by its accession number.
  auto hits = JsonLines(RunEdgarix("query --db '" + db.string() +
                                   "' --format jsonl --limit 0 'year:2024'").out);
  EXPECT_EQ(static_cast<int>(hits.size()), v["indexed"].get<int>());

  // A second crawl from the watermark has nothing left to do.
  auto again = RunEdgarix("crawl --db '" + db.string() + "' --base-url " + server.url() +
                          " --user-agent " + kUserAgent + " --to " + kTo + " 2>/dev/null");
  EXPECT_EQ(again.exit_code, 0);
}

TEST_F(CrawlTest, CompletesUnderMixedFaultsWithTheSameAnswers) {
  const fs::path clean = *dir_ / "ref-db";
  {
    EdgarServer server(*dir_ / "mirror");
    ASSERT_EQ(RunEdgarix(CrawlArgs(server, clean)).exit_code, 0);
  }
  EdgarServer probe(*dir_ / "mirror");
  const std::string faults = probe.WriteFaults(R"([
    {"path": "Feed/.*", "kind": "429", "times": 1, "retry_after": 1},
    {"path": "Feed/.*", "kind": "reset", "after": 1, "times": 1, "cut": 0.5},
    {"path": "Feed/.*", "kind": "short", "after": 2, "times": 1, "cut": 0.3},
    {"path": "Feed/.*", "kind": "corrupt", "after": 3, "times": 1, "cut": 100},
    {"path": "Feed/.*", "kind": "drip", "after": 4, "times": 1, "drip_bytes": 3, "drip_rate": 2},
    {"path": "daily-index/.*", "kind": "503", "times": 3},
    {"path": "daily-index/.*", "kind": "block200", "after": 10, "times": 1},
    {"path": "daily-index/.*", "kind": "500", "after": 20, "times": 2}
  ])");
  EdgarServer server(*dir_ / "mirror", {"--faults", faults});
  const fs::path db = *dir_ / "faults-db";
  ASSERT_EQ(RunEdgarix(CrawlArgs(server, db)).exit_code, 0);
  const nlohmann::json v = Verify(db);
  EXPECT_EQ(v["missing"], 0);
  EXPECT_EQ(v["failed"], 0);
  EXPECT_EQ(Answers(db), Answers(clean));
  EXPECT_LE(server.MaxPerSecond(), kRate);
  int faults_seen = 0;
  for (const auto& line : server.Log()) faults_seen += line.fault != "-";
  EXPECT_GE(faults_seen, 8);
}

TEST_F(CrawlTest, SigkillAtRandomMomentsThenRerunEndsAsAnUninterruptedCrawl) {
  const fs::path clean = *dir_ / "ref2-db";
  {
    EdgarServer server(*dir_ / "mirror");
    ASSERT_EQ(RunEdgarix(CrawlArgs(server, clean)).exit_code, 0);
  }
  EdgarServer server(*dir_ / "mirror");
  const fs::path db = *dir_ / "killed-db";
  std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int> delay_ms(50, 3000);
  const std::string cmd = testing::EdgarixBinary().string() + " " + CrawlArgs(server, db);
  for (int round = 0; round < 4; ++round) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
  ASSERT_EQ(RunEdgarix(CrawlArgs(server, db)).exit_code, 0);
  const nlohmann::json v = Verify(db);
  EXPECT_EQ(v["missing"], 0);
  EXPECT_EQ(Answers(db), Answers(clean));
  // No complete archive or filing was transferred twice: a whole 200 body
  // for a path at most once (index files are revalidated with 304).
  std::map<std::string, int> whole;
  for (const auto& line : server.Log()) {
    if (line.status != 200 || line.path.find("/Feed/") == std::string::npos) continue;
    std::error_code ec;
    const std::string rel = line.path.substr(line.path.find("/Feed/") + 1);
    const auto size = fs::file_size(*dir_ / "mirror" / rel, ec);
    if (!ec && static_cast<long>(size) == line.bytes) ++whole[rel];
  }
  for (const auto& [path, n] : whole) EXPECT_EQ(n, 1) << path;
}

}  // namespace
}  // namespace edgarix
