#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace edgarix::testing {

// The project's own small corpus (tests/testdata).
inline std::filesystem::path TestData() { return EDGARIX_TESTDATA_DIR; }

// ../shared/corpus beside the checkout, or empty when it is absent.
inline std::filesystem::path SharedCorpus() {
  std::filesystem::path p = EDGARIX_SHARED_CORPUS_DIR;
  std::error_code ec;
  return std::filesystem::is_directory(p, ec) ? p : std::filesystem::path();
}

// The whole contents of a file; empty when it cannot be read.
inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The built edgarix binary.
inline std::filesystem::path EdgarixBinary() {
  return std::filesystem::path(EDGARIX_BINARY_DIR) / "cli" / "edgarix";
}

}  // namespace edgarix::testing

// Skips the current test, saying why, when ../shared/corpus is absent.
#define EDGARIX_REQUIRE_SHARED_CORPUS()                                      \
  do {                                                                       \
    if (::edgarix::testing::SharedCorpus().empty())                          \
      GTEST_SKIP() << "../shared/corpus is absent; skipping corpus test";    \
  } while (false)
