// Shards built by separate processes (as Kubernetes and Slurm tasks), merged,
// answer exactly like one process indexing everything; searching the
// unmerged shards together does too; merging twice changes nothing; a shard
// built twice has the same bytes. docs/SCALE.md.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "edgar_server.h"
#include "run_edgarix.h"
#include "test_paths.h"

namespace edgarix::testing {
namespace {

namespace fs = std::filesystem;

// Queries over the sample: terms, phrases, NEAR, prefixes, fields, facets.
const std::vector<std::string> kQueries = {
    "revenue",
    "agreement AND company",
    "\"chief executive officer\"",
    "financial NEAR/5 statements",
    "acqui*",
    "form:8-K",
    "form:10-K OR form:10-Q",
    "event:2.02 OR event:9.01",
    "company:inc",
    "securities -exchange",
    "year:2004",
    "in:item1a risk",
};

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') {
      q += "'\\''";
    } else {
      q += c;
    }
  }
  return q + "'";
}

// Runs a shell command with extra environment variables; returns the exit code.
int Sh(const std::string& cmd) {
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string ClusterTask() { return std::string(EDGARIX_SOURCE_DIR) + "/scripts/cluster-task"; }

// The answers of every query: per hit the filing key and its score (rounded),
// plus total hits and facet counts; nothing that depends on doc ids.
std::string Answers(const std::vector<fs::path>& dbs) {
  std::string dbs_args;
  for (const auto& db : dbs) dbs_args += " --db " + Quote(db.string());
  std::string all;
  for (const auto& q : kQueries) {
    CommandOutput o = RunEdgarix("query" + dbs_args +
                                 " --format jsonl --limit 0 --snippets 0 --facets form,year " +
                                 Quote(q));
    EXPECT_EQ(o.exit_code, 0) << q;
    all += "# " + q + "\n";
    for (const auto& j : JsonLines(o.out)) {
      nlohmann::json keep = j;
      for (const char* volatile_field : {"took_ms", "seconds", "elapsed_ms"}) keep.erase(volatile_field);
      if (keep.contains("score") && keep["score"].is_number()) {
        char buf[32];
        std::snprintf(buf, sizeof(buf), "%.6g", keep["score"].get<double>());
        keep["score"] = buf;
      }
      all += keep.dump() + "\n";
    }
  }
  return all;
}

std::string Digest(const fs::path& db) {
  CommandOutput o = RunEdgarix("stats --digest --db " + Quote(db.string()));
  EXPECT_EQ(o.exit_code, 0);
  const auto lines = JsonLines(o.out);
  if (lines.size() != 1 || !lines[0].contains("digest")) {
    ADD_FAILURE() << "stats --digest printed: " << o.out;
    return "";
  }
  nlohmann::json j = lines[0];
  j.erase("db");  // everything but the path
  return j.dump();
}

class ShardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("edgarix-shard-test-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(root_);
  }

  // The Feed archives of a mirror of `filings`, one per day, oldest first,
  // through `cluster-task plan`.
  std::vector<std::string> PlanDays(const fs::path& filings) {
    const fs::path mirror = root_ / "mirror";
    if (!MakeMirror(filings, mirror)) return {};
    const fs::path plan = root_ / "days.txt";
    EXPECT_EQ(Sh(ClusterTask() + " plan " + Quote(mirror.string()) + " > " + Quote(plan.string())), 0);
    std::vector<std::string> days;
    std::ifstream in(plan);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) days.push_back(line);
    }
    return days;
  }

  // Runs every task of `units_file` at once, as separate processes, with the
  // variables an Indexed Job (JOB_COMPLETION_INDEX) or a job array
  // (SLURM_ARRAY_TASK_ID) sets; returns the shards, in name order.
  std::vector<fs::path> RunShardTasks(const fs::path& units_file, size_t n, const fs::path& shards) {
    std::vector<pid_t> pids;
    for (size_t t = 0; t < n; ++t) {
      const pid_t pid = fork();
      if (pid < 0) {
        ADD_FAILURE() << "fork failed";
        break;
      }
      if (pid == 0) {
        setenv(t % 2 == 0 ? "JOB_COMPLETION_INDEX" : "SLURM_ARRAY_TASK_ID", std::to_string(t).c_str(), 1);
        setenv("EDGARIX_BIN", EdgarixBinary().c_str(), 1);
        setenv("EDGARIX_THREADS", "1", 1);
        const std::string script = ClusterTask();
        execl(script.c_str(), script.c_str(), "shard", units_file.c_str(), shards.c_str(),
              static_cast<char*>(nullptr));
        _exit(127);
      }
      pids.push_back(pid);
    }
    for (pid_t pid : pids) {
      int status = 0;
      EXPECT_EQ(waitpid(pid, &status, 0), pid);
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "task pid " << pid;
    }
    std::vector<fs::path> dirs;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(shards, ec)) dirs.push_back(e.path());
    std::sort(dirs.begin(), dirs.end());
    for (const auto& d : dirs) EXPECT_TRUE(fs::exists(d / "edgarix-shard.json")) << d;
    return dirs;
  }

  fs::path root_;
};

// Groups `days` into `n` contiguous units, and appends a unit re-running the
// first day (as a retried or corrected day would): its filings are then in
// two shards and must end up once.
std::vector<std::vector<std::string>> MakeUnits(const std::vector<std::string>& days, size_t n) {
  std::vector<std::vector<std::string>> units(n);
  for (size_t i = 0; i < days.size(); ++i) units[i * n / days.size()].push_back(days[i]);
  units.push_back({days.front()});
  return units;
}

TEST_F(ShardTest, ClusterTasksMergeIntoTheSingleProcessIndex) {
  const std::vector<std::string> days = PlanDays(TestData() / "filings");
  ASSERT_GE(days.size(), 8u);
  const auto units = MakeUnits(days, 4);
  const fs::path units_file = root_ / "units.txt";
  {
    std::ofstream out(units_file);
    for (const auto& u : units) {
      for (size_t i = 0; i < u.size(); ++i) out << (i ? " " : "") << u[i];
      out << "\n";
    }
  }

  const fs::path shards = root_ / "shards";
  const std::vector<fs::path> shard_dirs = RunShardTasks(units_file, units.size(), shards);
  ASSERT_EQ(shard_dirs.size(), units.size());
  const fs::path merged = root_ / "merged";
  ASSERT_EQ(Sh("EDGARIX_BIN=" + Quote(EdgarixBinary().string()) + " " + ClusterTask() + " merge " +
               Quote(shards.string()) + " " + Quote(merged.string()) + " > /dev/null"),
            0);

  // One process indexing the same inputs in the same order.
  std::string all_inputs;
  for (const auto& u : units) {
    for (const auto& p : u) all_inputs += " " + Quote(p);
  }
  const fs::path single = root_ / "single";
  ASSERT_EQ(RunEdgarix("index --threads 2 --db " + Quote(single.string()) + all_inputs).exit_code, 0);

  const std::string expected = Answers({single});
  EXPECT_EQ(Answers({merged}), expected);
  EXPECT_EQ(Digest(merged), Digest(single));
  // Searching the unmerged shards together: same answers and scores.
  EXPECT_EQ(Answers(shard_dirs), expected);
  CommandOutput stats = RunEdgarix("stats --db " + Quote(merged.string()));
  EXPECT_EQ(stats.exit_code, 0);

  // The merge as tasks too: one index per year, searched together.
  CommandOutput years_out;
  {
    FILE* p = popen((ClusterTask() + " years " + Quote(shards.string())).c_str(), "r");
    ASSERT_NE(p, nullptr);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), p)) > 0) years_out.out.append(buf, n);
    ASSERT_EQ(pclose(p), 0);
  }
  std::vector<fs::path> yearly;
  const fs::path indexes = root_ / "indexes";
  for (size_t t = 0, start = 0; start < years_out.out.size(); ++t) {
    const size_t end = years_out.out.find('\n', start);
    const std::string year = years_out.out.substr(start, end - start);
    start = end + 1;
    ASSERT_EQ(Sh("JOB_COMPLETION_INDEX=" + std::to_string(t) + " EDGARIX_BIN=" +
                 Quote(EdgarixBinary().string()) + " " + ClusterTask() + " merge-year " +
                 Quote(shards.string()) + " " + Quote(indexes.string()) + " > /dev/null"),
              0);
    yearly.push_back(indexes / year);
  }
  ASSERT_GE(yearly.size(), 2u);
  EXPECT_EQ(Answers(yearly), expected);

  // Merging again changes nothing.
  const std::string digest_before = Digest(merged);
  CommandOutput again = RunEdgarix("merge --db " + Quote(merged.string()) + " " + Quote(shards.string()));
  ASSERT_EQ(again.exit_code, 0);
  for (const auto& j : JsonLines(again.out)) EXPECT_EQ(j["status"], "already merged") << j.dump();
  EXPECT_EQ(Digest(merged), digest_before);
  EXPECT_EQ(Answers({merged}), expected);

  // A task run again gives the same bytes.
  const fs::path rebuilt = root_ / "rebuilt";
  std::string unit0;
  for (const auto& p : units[0]) unit0 += " " + Quote(p);
  ASSERT_EQ(RunEdgarix("shard --threads 2 --out " + Quote(rebuilt.string()) + unit0).exit_code, 0);
  std::vector<std::string> names, rebuilt_names;
  for (const auto& e : fs::directory_iterator(shard_dirs[0])) names.push_back(e.path().filename());
  for (const auto& e : fs::directory_iterator(rebuilt)) rebuilt_names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  std::sort(rebuilt_names.begin(), rebuilt_names.end());
  ASSERT_EQ(names, rebuilt_names);
  for (const auto& n : names) {
    EXPECT_TRUE(ReadAll(shard_dirs[0] / n) == ReadAll(rebuilt / n)) << n << " differs";
  }
}

TEST_F(ShardTest, SharedCorpusInFourShardsAnswersLikeOneIndex) {
  EDGARIX_REQUIRE_SHARED_CORPUS();
  // Any list of inputs is a unit: the corpus's filings in four groups.
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(SharedCorpus() / "filings")) {
    if (e.is_regular_file()) files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GT(files.size(), 100u);
  const fs::path units_file = root_ / "units.txt";
  std::string all_inputs;
  {
    std::ofstream out(units_file);
    for (size_t u = 0; u < 4; ++u) {
      for (size_t i = u * files.size() / 4; i < (u + 1) * files.size() / 4; ++i) {
        out << (i == u * files.size() / 4 ? "" : " ") << files[i];
        all_inputs += " " + Quote(files[i]);
      }
      out << "\n";
    }
  }
  const fs::path shards = root_ / "shards";
  const std::vector<fs::path> shard_dirs = RunShardTasks(units_file, 4, shards);
  ASSERT_EQ(shard_dirs.size(), 4u);
  const fs::path merged = root_ / "merged", single = root_ / "single";
  ASSERT_EQ(RunEdgarix("merge --db " + Quote(merged.string()) + " " + Quote(shards.string()) + " > /dev/null").exit_code, 0);
  ASSERT_EQ(RunEdgarix("index --threads 2 --db " + Quote(single.string()) + all_inputs + " 2> /dev/null").exit_code, 0);
  const std::string expected = Answers({single});
  EXPECT_EQ(Answers({merged}), expected);
  EXPECT_EQ(Answers(shard_dirs), expected);
  EXPECT_EQ(Digest(merged), Digest(single));
}

TEST_F(ShardTest, DuplicatesEndUpOnceWhateverTheMergeOrder) {
  // Shard A holds every sample filing, shard B a third of them again (a
  // re-run). Merging A then B, or B then A, keeps each filing once, and the
  // answers equal a single index of the filings.
  const fs::path filings = TestData() / "filings";
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(filings)) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  std::string subset;
  for (size_t i = 0; i < files.size(); i += 3) subset += " " + Quote(files[i]);
  const fs::path a = root_ / "a", b = root_ / "b";
  ASSERT_EQ(RunEdgarix("shard --out " + Quote(a.string()) + " " + Quote(filings.string()) + " > /dev/null").exit_code, 0);
  ASSERT_EQ(RunEdgarix("shard --out " + Quote(b.string()) + subset + " > /dev/null").exit_code, 0);
  const fs::path ab = root_ / "ab", ba = root_ / "ba", single = root_ / "single";
  CommandOutput o = RunEdgarix("merge --db " + Quote(ab.string()) + " " + Quote(a.string()) + " " + Quote(b.string()));
  ASSERT_EQ(o.exit_code, 0);
  const auto lines = JsonLines(o.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1]["replaced"], (files.size() + 2) / 3) << o.out;  // equal dates: the later shard's copy
  ASSERT_EQ(RunEdgarix("merge --db " + Quote(ba.string()) + " " + Quote(b.string()) + " " + Quote(a.string()) + " > /dev/null").exit_code, 0);
  ASSERT_EQ(RunEdgarix("index --db " + Quote(single.string()) + " " + Quote(filings.string()) + " 2> /dev/null").exit_code, 0);
  const std::string expected = Answers({single});
  EXPECT_EQ(Answers({ab}), expected);
  EXPECT_EQ(Answers({ba}), expected);
  EXPECT_EQ(Answers({a, b}), expected);
  EXPECT_EQ(Digest(ab), Digest(single));
  EXPECT_EQ(Digest(ba), Digest(single));
}

TEST_F(ShardTest, RefusesBrokenShards) {
  const fs::path filings = TestData() / "filings";
  const fs::path a = root_ / "a";
  ASSERT_EQ(RunEdgarix("shard --out " + Quote(a.string()) + " " + Quote(filings.string()) + " > /dev/null").exit_code, 0);
  // A flipped byte in a data file is caught before anything is ingested.
  const fs::path postings = a / "postings.sst";
  std::string bytes = ReadAll(postings);
  ASSERT_GT(bytes.size(), 100u);
  bytes[bytes.size() / 3] ^= 0x20;
  std::ofstream(postings, std::ios::binary | std::ios::trunc) << bytes;
  const fs::path db = root_ / "db";
  EXPECT_EQ(RunEdgarix("merge --db " + Quote(db.string()) + " " + Quote(a.string())).exit_code, 1);
  // An unfinished shard (no manifest) stops a folder merge before it starts.
  fs::create_directories(root_ / "folder" / "000000-x");
  EXPECT_EQ(RunEdgarix("merge --db " + Quote(db.string()) + " " + Quote((root_ / "folder").string())).exit_code, 1);
  // A shard is not an index to write into.
  EXPECT_NE(RunEdgarix("index --db " + Quote(a.string()) + " " + Quote(filings.string()) + " 2>/dev/null").exit_code, 0);
}

}  // namespace
}  // namespace edgarix::testing
