// Drives the real libcurl Downloader against tests/testing/edgar_server.py on
// 127.0.0.1 (random port), serving a mirror built by make_mirror.py, with the
// server's fault injection. No test reaches beyond 127.0.0.1.

#include "edgarix/fetch/downloader.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "edgar_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "status_matchers.h"
#include "test_paths.h"

namespace edgarix::fetch {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

using ::edgarix::testing::ReadFile;

void WriteFile(const fs::path& p, const std::string& data) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << data;
}

fs::path MakeTempDir(const std::string& tag) {
  std::string templ = (fs::temp_directory_path() / ("edgarix-dl-" + tag + "-XXXXXX")).string();
  char* made = ::mkdtemp(templ.data());
  EXPECT_NE(made, nullptr);
  return fs::path(templ);
}

// A filing with a spaced-dialect header and `body_bytes` of poorly
// compressible text, so archives are a few hundred KB.
std::string SyntheticFiling(int n, const std::string& date, size_t body_bytes) {
  char acc[32];
  std::snprintf(acc, sizeof(acc), "0000%06d-24-%06d", 100000 + n, n);
  std::string s = "<SEC-DOCUMENT>" + std::string(acc) + ".txt : " + date + "\n<SEC-HEADER>\n";
  s += "ACCESSION NUMBER:\t\t" + std::string(acc) + "\n";
  s += "CONFORMED SUBMISSION TYPE:\t8-K\nPUBLIC DOCUMENT COUNT:\t\t1\n";
  s += "FILED AS OF DATE:\t\t" + date + "\nFILER:\n\tCOMPANY DATA:\n";
  s += "\t\tCOMPANY CONFORMED NAME:\t\t\tTEST COMPANY " + std::to_string(n) + " INC\n";
  s += "\t\tCENTRAL INDEX KEY:\t\t\t" + std::to_string(1000 + n) + "\n</SEC-HEADER>\n";
  s += "<DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>1\n<TEXT>\n";
  std::mt19937 rng(n);
  static const char* kWords[] = {"revenue", "merger",  "item",   "director", "agreement",
                                 "exhibit", "quarter", "shares", "board",    "officer"};
  while (s.size() < body_bytes) {
    s += kWords[rng() % 10];
    s += ' ';
    s += std::to_string(rng());
    s += (rng() % 12 == 0) ? '\n' : ' ';
  }
  s += "\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n";
  return s;
}

// The shared mirror: built once per test binary.
const fs::path& Mirror() {
  static const fs::path mirror = [] {
    const fs::path root = MakeTempDir("mirror");
    const fs::path filings = root / "filings";
    for (int i = 1; i <= 6; ++i) {
      const std::string date = i <= 3 ? "20240102" : "20240103";
      WriteFile(filings / ("f" + std::to_string(i) + ".txt"),
                SyntheticFiling(i, date, 40000 + 15000 * i));
    }
    WriteFile(filings / "no_date.txt", "not a filing\n");
    const std::string cmd = "python3 " EDGARIX_SOURCE_DIR "/tests/testing/make_mirror.py --out " +
                            (root / "edgar").string() + " " + filings.string() + " >/dev/null 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    return root / "edgar";
  }();
  static const struct Cleanup {
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(mirror.parent_path(), ec);
    }
  } cleanup;
  return mirror;
}

std::vector<std::string> MirrorFiles() {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(Mirror())) {
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), Mirror()).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

constexpr char kFeed[] = "Feed/2024/QTR1/20240102.nc.tar.gz";
constexpr char kFeed2[] = "Feed/2024/QTR1/20240103.nc.tar.gz";
constexpr char kDaily[] = "daily-index/2024/QTR1/master.20240102.idx";

using LogLine = testing::RequestLogLine;

// edgar_server.py as a child process, serving the mirror.
class Server : public testing::EdgarServer {
 public:
  explicit Server(std::vector<std::string> extra)
      : EdgarServer(Mirror(), std::move(extra), /*timeout_seconds=*/120) {}
};

// One server for the whole binary (python starts slowly on a busy machine),
// reconfigured per test: `spec` is the /__control JSON, e.g.
// {"faults": [{"path": "Feed/.*", "kind": "reset"}]}.
Server& Serve(const std::string& spec = "{}") {
  static Server server({});
  server.Configure(spec);
  return server;
}

// Fast retry settings for tests.
DownloaderOptions TestOptions(const std::string& base_url, const fs::path& out) {
  DownloaderOptions o;
  o.base_url = base_url;
  o.user_agent = "Edgarix Tests tests@example.com";
  o.out_dir = out.string();
  o.requests_per_second = 10;
  o.initial_backoff_seconds = 0.05;
  o.max_backoff_seconds = 0.2;
  o.cooldown_seconds = 1.0;
  o.low_speed_bytes_per_second = 1000;
  o.low_speed_seconds = 1;
  return o;
}

struct Fixture {
  fs::path out = MakeTempDir("out");
  ~Fixture() {
    std::error_code ec;
    fs::remove_all(out, ec);
  }
};

void ExpectSameAsMirror(const fs::path& out, const std::string& path) {
  const std::string want = ReadFile(Mirror() / path);
  const std::string got = ReadFile(out / path);
  EXPECT_EQ(got.size(), want.size()) << path;
  EXPECT_TRUE(got == want) << path << " differs from the mirror";
  EXPECT_FALSE(fs::exists(out / (path + ".part"))) << path;
}

// ---------------------------------------------------------------- unit ---

TEST(ValidateUserAgent, AcceptsNameAndEmail) {
  EXPECT_OK(ValidateUserAgent("Sample Company Name AdminContact@sample.com"));
  EXPECT_OK(ValidateUserAgent("Jane Doe <jane.doe@example.org>"));
  EXPECT_OK(ValidateUserAgent("  Acme admin@acme.co.uk  "));
}

TEST(ValidateUserAgent, RefusesMissingNameOrEmail) {
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateUserAgent("")));
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateUserAgent("python-requests/2.31")));
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateUserAgent("admin@acme.com")));
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateUserAgent("Acme admin@localhost")));
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateUserAgent("Acme @acme.com")));
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateUserAgent("Acme a@acme.com\r\nX: y")));
  EXPECT_THAT(std::string(ValidateUserAgent("Acme Corp").message()), HasSubstr("e-mail"));
}

TEST(ValidateArchivePath, AcceptsEdgarPathsOnly) {
  EXPECT_OK(ValidateArchivePath("Feed/2024/QTR1/20240102.nc.tar.gz"));
  EXPECT_OK(ValidateArchivePath("data/320193/0000320193-24-000010.txt"));
  for (const char* bad : {"", "/etc/passwd", "../x", "a/../b", "a//b", "a/./b", "a b", "a?b",
                          "data/1/x.txt/"}) {
    EXPECT_TRUE(absl::IsInvalidArgument(ValidateArchivePath(bad))) << bad;
  }
}

TEST(CheckComplete, AcceptsWholeAndRefusesTruncatedArchives) {
  const std::string feed = ReadFile(Mirror() / kFeed);
  ASSERT_GT(feed.size(), 1000u);
  EXPECT_OK(CheckComplete(kFeed, feed));
  EXPECT_TRUE(absl::IsDataLoss(CheckComplete(kFeed, feed.substr(0, feed.size() - 4))));
  EXPECT_TRUE(absl::IsDataLoss(CheckComplete(kFeed, feed.substr(0, feed.size() / 2))));
  std::string flipped = feed;
  flipped[flipped.size() / 2] ^= 0x55;
  EXPECT_TRUE(absl::IsDataLoss(CheckComplete(kFeed, flipped)));
  EXPECT_TRUE(absl::IsDataLoss(CheckComplete("x.gz", "")));
  std::string bad_isize = feed;
  bad_isize[bad_isize.size() - 2] ^= 0x01;
  EXPECT_TRUE(absl::IsDataLoss(CheckComplete(kFeed, bad_isize)));
  std::string bad_crc = feed;
  bad_crc[bad_crc.size() - 6] ^= 0x01;
  EXPECT_TRUE(absl::IsDataLoss(CheckComplete(kFeed, bad_crc)));
  EXPECT_OK(CheckComplete(kFeed, feed + feed));  // two members
  EXPECT_OK(CheckComplete(kFeed, feed + std::string(100, '\0')));
  EXPECT_TRUE(absl::IsDataLoss(CheckComplete(kFeed, feed + "junk")));
  // A gzip whose tar lacks the end-of-archive blocks: a whole .gz, a
  // truncated .tar.gz.
  std::string tar(512, '\0');
  std::snprintf(tar.data(), 100, "a.nc");
  std::snprintf(tar.data() + 100, 8, "0000644");
  std::snprintf(tar.data() + 124, 12, "%011o", 0);
  std::memcpy(tar.data() + 257, "ustar", 5);
  std::memset(tar.data() + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : tar) sum += c;
  std::snprintf(tar.data() + 148, 8, "%06o", sum);
  uLongf cap = compressBound(tar.size()) + 64;
  std::string gz(cap, '\0');
  z_stream zs{};
  ASSERT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(tar.data());
  zs.avail_in = tar.size();
  zs.next_out = reinterpret_cast<Bytef*>(gz.data());
  zs.avail_out = cap;
  ASSERT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  gz.resize(zs.total_out);
  deflateEnd(&zs);
  EXPECT_OK(CheckComplete("a.gz", gz));
  EXPECT_TRUE(absl::IsDataLoss(CheckComplete("a.tar.gz", gz)));
  EXPECT_OK(CheckComplete("a.tar", tar + std::string(1024, '\0')));
  EXPECT_TRUE(absl::IsDataLoss(CheckComplete("a.tar", tar + std::string(512, '\0'))));
  EXPECT_OK(CheckComplete("a.txt", "anything"));
}

TEST(DownloaderCreate, RefusesBadOptionsBeforeAnyRequest) {
  Server& server = Serve();
  Fixture f;
  DownloaderOptions o = TestOptions(server.url(), f.out);
  o.user_agent = "curl/8.0";
  auto d = Downloader::Create(o);
  EXPECT_TRUE(absl::IsInvalidArgument(d.status()));
  o = TestOptions(server.url(), f.out);
  o.requests_per_second = 11;
  EXPECT_TRUE(absl::IsInvalidArgument(Downloader::Create(o).status()));
  o = TestOptions("ftp://example.com", f.out);
  EXPECT_TRUE(absl::IsInvalidArgument(Downloader::Create(o).status()));
  EXPECT_TRUE(server.Log().empty()) << "a request was made";
}

// ---------------------------------------------------------------- e2e ---

TEST(Downloader, FetchesEveryMirrorFileByteIdentical) {
  Server& server = Serve();
  Fixture f;
  auto d = Downloader::Create(TestOptions(server.url(), f.out));
  ASSERT_OK(d);
  const std::vector<std::string> files = MirrorFiles();
  ASSERT_GE(files.size(), 10u);
  auto results = (*d)->FetchAllToFiles(files);
  for (size_t i = 0; i < files.size(); ++i) {
    ASSERT_OK(results[i]);
    EXPECT_TRUE(results[i]->transferred);
    ExpectSameAsMirror(f.out, files[i]);
  }
  const DownloaderStats s = (*d)->stats();
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string bytes = ReadFile(Mirror() / files[i]);
    EXPECT_EQ(results[i]->crc32,
              crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()))
        << files[i];
  }
  EXPECT_EQ(s.requests, files.size());
  EXPECT_EQ(s.retries, 0u);
  EXPECT_EQ(s.completed, files.size());
  EXPECT_LE(server.MaxPerSecond(), 10);
}

TEST(Downloader, FetchIntoMemory) {
  Server& server = Serve();
  auto d = Downloader::Create(TestOptions(server.url(), ""));
  ASSERT_OK(d);
  auto body = (*d)->Fetch(kDaily);
  ASSERT_OK(body);
  EXPECT_EQ(*body, ReadFile(Mirror() / kDaily));
  auto feed = (*d)->FetchFuture(kFeed).get();
  ASSERT_OK(feed);
  EXPECT_EQ(*feed, ReadFile(Mirror() / kFeed));
}

TEST(Downloader, MemoryFetchIsBounded) {
  Server& server = Serve();
  DownloaderOptions o = TestOptions(server.url(), "");
  o.max_memory_bytes = 1000;
  auto d = Downloader::Create(o);
  ASSERT_OK(d);
  auto r = (*d)->Fetch(kFeed);
  EXPECT_TRUE(absl::IsResourceExhausted(r.status())) << r.status();
  EXPECT_EQ(server.Log().size(), 1u);
}

TEST(Downloader, SamePathTwiceIsFetchedOnce) {
  Server& server = Serve();
  Fixture f;
  auto d = Downloader::Create(TestOptions(server.url(), f.out));
  ASSERT_OK(d);
  auto results = (*d)->FetchAllToFiles({kFeed, kFeed, kFeed});
  for (auto& r : results) ASSERT_OK(r);
  ExpectSameAsMirror(f.out, kFeed);
  EXPECT_EQ(server.Log().size(), 1u);
  EXPECT_EQ((*d)->stats().skipped, 2u);
}

TEST(Downloader, NotFoundIsNotRetried) {
  Server& server = Serve();
  Fixture f;
  auto d = Downloader::Create(TestOptions(server.url(), f.out));
  ASSERT_OK(d);
  auto r = (*d)->FetchToFile("data/1/0000000001-24-000001.txt");
  EXPECT_TRUE(absl::IsNotFound(r.status())) << r.status();
  EXPECT_EQ(server.Log().size(), 1u);
  EXPECT_FALSE(fs::exists(f.out / "data/1/0000000001-24-000001.txt"));
  EXPECT_TRUE(absl::IsInvalidArgument((*d)->FetchToFile("../etc/passwd").status()));
  EXPECT_TRUE(absl::IsInvalidArgument((*d)->FetchToFile("/abs").status()));
}

// Each fault kind alone, on the Feed archive and a daily index.
class SingleFault : public ::testing::TestWithParam<std::string> {};

TEST_P(SingleFault, RetriesToAWholeFile) {
  const std::string kind = GetParam();
  Server& server = Serve(R"({"faults": [{"path": "Feed/.*", "kind": ")" + kind +
                         R"(", "times": 2}, {"path": "daily-index/.*", "kind": ")" + kind +
                         R"(", "times": 1}]})");
  Fixture f;
  auto d = Downloader::Create(TestOptions(server.url(), f.out));
  ASSERT_OK(d);
  auto results = (*d)->FetchAllToFiles({kFeed, kDaily});
  ASSERT_OK(results[0]);
  ASSERT_OK(results[1]);
  ExpectSameAsMirror(f.out, kFeed);
  ExpectSameAsMirror(f.out, kDaily);
  EXPECT_GE((*d)->stats().retries, 3u);
  EXPECT_EQ(results[0]->attempts, 3);
}

INSTANTIATE_TEST_SUITE_P(Faults, SingleFault,
                         ::testing::Values("429", "503", "500", "reset", "short", "drip"));

TEST(Downloader, RetryAfterIsAFloor) {
  Server& server = Serve(R"({"faults": [{"path": "Feed/.*", "kind": "429", "retry_after": 1}]})");
  Fixture f;
  auto d = Downloader::Create(TestOptions(server.url(), f.out));
  ASSERT_OK(d);
  ASSERT_OK((*d)->FetchToFile(kFeed));
  const auto log = server.Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].status, 429);
  EXPECT_GE(log[1].time - log[0].time, 0.95);
}

TEST(Downloader, GivesUpAfterMaxAttempts) {
  Server& server = Serve(R"({"faults": [{"path": "Feed/.*", "kind": "503", "times": 100}]})");
  Fixture f;
  DownloaderOptions o = TestOptions(server.url(), f.out);
  o.max_attempts = 3;
  auto d = Downloader::Create(o);
  ASSERT_OK(d);
  auto r = (*d)->FetchToFile(kFeed);
  EXPECT_TRUE(absl::IsUnavailable(r.status())) << r.status();
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("3 attempts"));
  EXPECT_EQ(server.Log().size(), 3u);
  EXPECT_FALSE(fs::exists(f.out / kFeed));
}

TEST(Downloader, MixedFaultScheduleCompletesPolitely) {
  Server& server = Serve(R"({"faults": [
    {"path": "Feed/.*0102", "kind": "reset", "times": 1, "cut": 0.3},
    {"path": "Feed/.*0102", "kind": "short", "after": 1, "times": 1, "cut": 0.7},
    {"path": "Feed/.*0102", "kind": "corrupt", "after": 2, "times": 1, "cut": 0.5},
    {"path": "Feed/.*0103", "kind": "429", "times": 1, "retry_after": 1},
    {"path": "Feed/.*0103", "kind": "drip", "after": 1, "times": 1, "drip_bytes": 4, "drip_rate": 2},
    {"path": "daily-index/.*0102", "kind": "503", "times": 3},
    {"path": "daily-index/.*form", "kind": "reset", "times": 1, "cut": 10},
    {"path": "data/.*", "kind": "short", "times": 2},
    {"path": "data/.*", "kind": "503", "after": 4, "times": 2},
    {"path": "full-index/.*", "kind": "500", "times": 1}
  ]})");
  Fixture f;
  DownloaderOptions o = TestOptions(server.url(), f.out);
  o.requests_per_second = 8;
  auto d = Downloader::Create(o);
  ASSERT_OK(d);
  const std::vector<std::string> files = MirrorFiles();
  auto results = (*d)->FetchAllToFiles(files);
  for (size_t i = 0; i < files.size(); ++i) {
    ASSERT_OK(results[i]) << files[i];
    ExpectSameAsMirror(f.out, files[i]);
  }
  EXPECT_GT((*d)->stats().retries, 8u);
  EXPECT_EQ((*d)->stats().rejected_bodies, 1u);  // the corrupted Feed archive
  EXPECT_LE(server.MaxPerSecond(), 8) << "the rate limit was exceeded";
}

class BlockPage : public ::testing::TestWithParam<std::string> {};

TEST_P(BlockPage, PausesAllTransfersAndReports) {
  Server& server = Serve(R"({"faults": [{"path": "data/.*", "kind": ")" + GetParam() + R"("}]})");
  Fixture f;
  std::mutex mu;
  std::vector<std::string> events;
  DownloaderOptions o = TestOptions(server.url(), f.out);
  o.on_event = [&](const std::string& e) {
    std::lock_guard<std::mutex> lock(mu);
    events.push_back(e);
  };
  auto d = Downloader::Create(o);
  ASSERT_OK(d);
  std::vector<std::string> files;
  for (const auto& p : MirrorFiles()) {
    if (p.rfind("data/", 0) == 0) files.push_back(p);
  }
  auto results = (*d)->FetchAllToFiles(files);
  for (size_t i = 0; i < files.size(); ++i) {
    ASSERT_OK(results[i]) << files[i];
    ExpectSameAsMirror(f.out, files[i]);
  }
  EXPECT_EQ((*d)->stats().blocks, 1u);
  bool reported = false;
  for (const auto& e : events) reported |= e.find("BLOCKED") != std::string::npos;
  EXPECT_TRUE(reported);
  // No request began within the cool-down after the block page.
  const auto log = server.Log();
  double block_time = -1;
  for (const auto& l : log) {
    if (l.fault.rfind("block", 0) == 0 || l.fault == "undeclared") block_time = l.time;
  }
  ASSERT_GE(block_time, 0);
  for (const auto& l : log) {
    if (l.time > block_time + 0.01) {
      EXPECT_GE(l.time - block_time, 0.95) << l.path << " started during the cool-down";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Kinds, BlockPage,
                         ::testing::Values("block200", "block403", "block429", "undeclared"));

TEST(Downloader, ResumesPartialFileWithRange) {
  Server& server = Serve();
  Fixture f;
  const std::string whole = ReadFile(Mirror() / kFeed2);
  WriteFile(f.out / (std::string(kFeed2) + ".part"), whole.substr(0, whole.size() / 3));
  auto d = Downloader::Create(TestOptions(server.url(), f.out));
  ASSERT_OK(d);
  auto r = (*d)->FetchToFile(kFeed2);
  ASSERT_OK(r);
  ExpectSameAsMirror(f.out, kFeed2);
  const auto log = server.Log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].status, 206);
  EXPECT_EQ(static_cast<size_t>(log[0].bytes), whole.size() - whole.size() / 3);
}

TEST(Downloader, ResumesAfterResetMidBody) {
  Server& server = Serve(R"({"faults": [{"path": "Feed/.*0103", "kind": "reset"}]})");
  Fixture f;
  auto d = Downloader::Create(TestOptions(server.url(), f.out));
  ASSERT_OK(d);
  ASSERT_OK((*d)->FetchToFile(kFeed2));
  ExpectSameAsMirror(f.out, kFeed2);
  const auto log = server.Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].status, 200);
  EXPECT_EQ(log[1].status, 206);
  EXPECT_EQ(log[0].bytes + log[1].bytes, static_cast<long>(fs::file_size(Mirror() / kFeed2)));
}

TEST(Downloader, CorruptPartialIsNeverAccepted) {
  Server& server = Serve();
  Fixture f;
  const std::string whole = ReadFile(Mirror() / kFeed2);
  std::string bad = whole.substr(0, whole.size() / 2);
  for (size_t i = 100; i < bad.size(); i += 97) bad[i] ^= 0x21;
  WriteFile(f.out / (std::string(kFeed2) + ".part"), bad);
  auto d = Downloader::Create(TestOptions(server.url(), f.out));
  ASSERT_OK(d);
  ASSERT_OK((*d)->FetchToFile(kFeed2));
  ExpectSameAsMirror(f.out, kFeed2);
  EXPECT_EQ((*d)->stats().rejected_bodies, 1u);
}

TEST(Downloader, TruncatedFileOnServerIsRefused) {
  // A mirror whose Feed archive is cut short: every attempt fails the gzip
  // check, so the file is never put in place.
  const fs::path root = MakeTempDir("badmirror");
  const std::string whole = ReadFile(Mirror() / kFeed);
  WriteFile(root / kFeed, whole.substr(0, whole.size() - 100));
  Server& server = Serve(R"({"root": ")" + root.string() + R"("})");
  Fixture f;
  DownloaderOptions o = TestOptions(server.url(), f.out);
  o.max_attempts = 2;
  auto d = Downloader::Create(o);
  ASSERT_OK(d);
  auto r = (*d)->FetchToFile(kFeed);
  EXPECT_TRUE(absl::IsDataLoss(r.status())) << r.status();
  EXPECT_FALSE(fs::exists(f.out / kFeed));
  auto m = (*d)->Fetch(kFeed);
  EXPECT_TRUE(absl::IsDataLoss(m.status())) << m.status();
  Serve(R"({"root": ")" + Mirror().string() + R"("})");
  fs::remove_all(root);
}

TEST(Downloader, RerunTransfersNothingNew) {
  Server& server = Serve();
  Fixture f;
  const std::vector<std::string> files = {kDaily, kFeed, "full-index/2024/QTR1/master.idx"};
  {
    auto d = Downloader::Create(TestOptions(server.url(), f.out));
    ASSERT_OK(d);
    for (auto& r : (*d)->FetchAllToFiles(files)) ASSERT_OK(r);
  }
  const size_t first_run = server.Log().size();
  ASSERT_EQ(first_run, 3u);
  auto d = Downloader::Create(TestOptions(server.url(), f.out));
  ASSERT_OK(d);
  auto results = (*d)->FetchAllToFiles(files);
  for (auto& r : results) {
    ASSERT_OK(r);
    EXPECT_FALSE(r->transferred);
  }
  EXPECT_TRUE(results[0]->not_modified);   // index: revalidated, 304
  EXPECT_FALSE(results[1]->not_modified);  // Feed: complete in the journal
  const auto log = server.Log();
  ASSERT_EQ(log.size(), first_run + 2);  // two index revalidations only
  for (size_t i = first_run; i < log.size(); ++i) {
    EXPECT_EQ(log[i].status, 304);
    EXPECT_EQ(log[i].bytes, 0);
  }
  const DownloaderStats s = (*d)->stats();
  EXPECT_EQ(s.not_modified, 2u);
  EXPECT_EQ(s.skipped, 1u);
  for (const auto& p : files) ExpectSameAsMirror(f.out, p);
}

TEST(Downloader, WithoutJournalTheDiskDecides) {
  Server& server = Serve();
  Fixture f;
  DownloaderOptions o = TestOptions(server.url(), f.out);
  o.journal_dir = "-";
  const std::vector<std::string> files = {kDaily, kFeed};
  {
    auto d = Downloader::Create(o);
    ASSERT_OK(d);
    for (auto& r : (*d)->FetchAllToFiles(files)) ASSERT_OK(r);
  }
  EXPECT_FALSE(fs::exists(f.out / ".edgarix-journal"));
  auto d = Downloader::Create(o);
  ASSERT_OK(d);
  auto results = (*d)->FetchAllToFiles(files);
  ASSERT_OK(results[0]);
  ASSERT_OK(results[1]);
  EXPECT_TRUE(results[0]->not_modified);  // If-Modified-Since from the file
  EXPECT_FALSE(results[1]->transferred);
  const auto log = server.Log();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[2].status, 304);
}

TEST(Downloader, MemoryFetchResumesAfterCut) {
  Server& server = Serve(R"({"faults": [{"path": "Feed/.*0103", "kind": "short", "cut": 0.6}]})");
  auto d = Downloader::Create(TestOptions(server.url(), ""));
  ASSERT_OK(d);
  auto body = (*d)->Fetch(kFeed2);
  ASSERT_OK(body);
  EXPECT_TRUE(*body == ReadFile(Mirror() / kFeed2));
  const auto log = server.Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].status, 206);
}

TEST(Downloader, OneTokenBucketForAllTransfers) {
  Server& server = Serve();
  Fixture f;
  DownloaderOptions o = TestOptions(server.url(), f.out);
  o.requests_per_second = 4;
  o.max_parallel = 8;
  auto d = Downloader::Create(o);
  ASSERT_OK(d);
  std::vector<std::string> files;
  for (const auto& p : MirrorFiles()) {
    if (p.rfind("data/", 0) == 0) files.push_back(p);
  }
  ASSERT_EQ(files.size(), 6u);
  const auto start = std::chrono::steady_clock::now();
  for (auto& r : (*d)->FetchAllToFiles(files)) ASSERT_OK(r);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GE(seconds, 5 * 0.25 * 0.95);
  EXPECT_LE(server.MaxPerSecond(), 4);
}

TEST(Downloader, ContentEncodingGzipDecodedButGzFilesStoredRaw) {
  Server& server = Serve(R"({"gzip": true, "gz_content_encoding": true})");
  Fixture f;
  auto d = Downloader::Create(TestOptions(server.url(), f.out));
  ASSERT_OK(d);
  for (auto& r : (*d)->FetchAllToFiles({kDaily, kFeed})) ASSERT_OK(r);
  ExpectSameAsMirror(f.out, kDaily);
  ExpectSameAsMirror(f.out, kFeed);
}

TEST(Downloader, FileBaseUrlReadsDirectly) {
  Fixture f;
  auto d = Downloader::Create(TestOptions("file://" + Mirror().string(), f.out));
  ASSERT_OK(d);
  const std::vector<std::string> files = MirrorFiles();
  for (auto& r : (*d)->FetchAllToFiles(files)) ASSERT_OK(r);
  for (const auto& p : files) ExpectSameAsMirror(f.out, p);
  EXPECT_TRUE(absl::IsNotFound((*d)->FetchToFile("data/1/none.txt").status()));
  auto m = (*d)->Fetch(kDaily);
  ASSERT_OK(m);
  EXPECT_EQ(*m, ReadFile(Mirror() / kDaily));
}

// ------------------------------------------------------ edgarix fetch ---

// Runs `edgarix ARGS` through the shell; returns its exit code.
int RunEdgarix(const std::string& args, const std::string& env = "") {
  const std::string cmd = env + " " + ::edgarix::testing::EdgarixBinary().string() + " " + args +
                          " >/dev/null 2>&1";
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

TEST(EdgarixFetchCli, FetchesShorthandsIntoSecLayout) {
  if (!fs::exists(::edgarix::testing::EdgarixBinary())) GTEST_SKIP() << "edgarix not built";
  Server& server = Serve(R"({"faults": [{"path": "Feed/.*", "kind": "reset"}]})");
  Fixture f;
  const std::string common = "fetch --base-url " + server.url() + " --out " + f.out.string() +
                             " --rate 10 --retries 4 --cooldown 1 ";
  EXPECT_EQ(RunEdgarix(common + "feed:2024-01-02 daily:2024-01-03 master:2024Q1 " +
                           "data/1004/0000100004-24-000004.txt",
                       "EDGARIX_USER_AGENT='Edgarix Tests tests@example.com'"),
            0);
  for (const char* p : {kFeed, "daily-index/2024/QTR1/master.20240103.idx",
                        "full-index/2024/QTR1/master.idx", "data/1004/0000100004-24-000004.txt"}) {
    ExpectSameAsMirror(f.out, p);
  }
  server.Configure("{}");
  EXPECT_EQ(RunEdgarix(common + "--user-agent 'no email here' feed:2024-01-02"), 2);
  EXPECT_EQ(RunEdgarix(common + "--user-agent 'A a@b.co' --rate 11 feed:2024-01-02"), 2);
  EXPECT_EQ(RunEdgarix(common + "--user-agent 'A a@b.co' nonsense:1"), 2);
  EXPECT_TRUE(server.Log().empty()) << "a refused run made a request";
  EXPECT_EQ(RunEdgarix(common + "--user-agent 'A a@b.co' data/9/0000000009-24-000009.txt"), 1);
}

}  // namespace
}  // namespace edgarix::fetch
