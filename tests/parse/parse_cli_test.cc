// `edgarix parse` as a user runs it: JSON lines, errors per file, exit codes.
// Skips when the edgarix binary has not been built.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "test_paths.h"

namespace {

using Json = nlohmann::json;
using ::testing::HasSubstr;

struct RunResult {
  int exit_code = -1;
  std::string out;
};

// Runs `edgarix <args>` with stderr discarded.
RunResult RunEdgarix(const std::string& args) {
  RunResult r;
  const std::string cmd = "'" + edgarix::testing::EdgarixBinary().string() + "' " + args + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::vector<Json> Lines(const std::string& out) {
  std::vector<Json> v;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) v.push_back(Json::parse(line, nullptr, false));
  return v;
}

class ParseCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(edgarix::testing::EdgarixBinary())) {
      GTEST_SKIP() << "edgarix binary not built; skipping CLI test";
    }
  }
  std::string Filing(const std::string& name) {
    return "'" + (edgarix::testing::TestData() / "filings" / name).string() + "'";
  }
};

TEST_F(ParseCli, JsonLinesPerDesign) {
  const RunResult r = RunEdgarix("parse " + Filing("seed_8k_innovo_2004.txt") + " " +
                          Filing("edgartools__0001076809-24-000144.nc"));
  ASSERT_EQ(r.exit_code, 0);
  const std::vector<Json> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  const Json& seed = lines[0];
  EXPECT_TRUE(seed["accession"].is_null());
  EXPECT_TRUE(seed["filed"].is_null());
  EXPECT_EQ(seed["form"], "8-K");
  EXPECT_EQ(seed["period"], "2004-03-05");
  EXPECT_EQ(seed["events"], Json::array({"8.01", "9.01"}));
  EXPECT_EQ(seed["parties"][0]["name"], "INNOVO GROUP INC.");
  ASSERT_FALSE(seed["sections"].empty());
  EXPECT_FALSE(seed["sections"][0].contains("text"));
  EXPECT_GT(seed["sections"][0]["chars"].get<int>(), 0);
  EXPECT_GT(seed["documents"][0]["text_chars"].get<int>(), 0);
  const Json& nc = lines[1];
  EXPECT_EQ(nc["accession"], "0001076809-24-000144");
  EXPECT_EQ(nc["parties"][0]["role"], "subject");
  EXPECT_EQ(nc["parties"][0]["cik"], "704562");  // no leading zeros
  EXPECT_TRUE(nc["accepted"].is_null());
}

TEST_F(ParseCli, WithTextAndJsonArray) {
  const RunResult r = RunEdgarix("parse --format json --with-text " + Filing("seed_s8_innovo_2003.txt"));
  ASSERT_EQ(r.exit_code, 0);
  const Json all = Json::parse(r.out, nullptr, false);
  ASSERT_TRUE(all.is_array());
  ASSERT_EQ(all.size(), 1u);
  bool found = false;
  for (const Json& s : all[0]["sections"]) {
    if (s["id"] == "II-8") {
      found = true;
      EXPECT_THAT(s["text"].get<std::string>(), HasSubstr("Exhibit"));
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ParseCli, FailuresPrintErrorLinesAndExitOne) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("edgarix_parse_cli_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a_empty.txt").close();
  std::filesystem::copy_file(edgarix::testing::TestData() / "filings" / "seed_8k_innovo_2004.txt",
                             dir / "b_seed.txt");
  const RunResult r = RunEdgarix("parse '" + dir.string() + "'");
  std::filesystem::remove_all(dir);
  EXPECT_EQ(r.exit_code, 1);
  const std::vector<Json> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[0].contains("error"));
  EXPECT_THAT(lines[0]["source"].get<std::string>(), HasSubstr("a_empty.txt"));
  EXPECT_EQ(lines[1]["form"], "8-K");
}

TEST_F(ParseCli, UsageErrorExitsTwo) {
  EXPECT_EQ(RunEdgarix("parse --format xml x").exit_code, 2);
  EXPECT_EQ(RunEdgarix("parse").exit_code, 2);
}

}  // namespace
