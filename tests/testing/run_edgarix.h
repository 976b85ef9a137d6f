#pragma once

// Runs the built `edgarix` binary from tests.

#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "test_paths.h"

namespace edgarix::testing {

struct CommandOutput {
  int exit_code = -1;  // -1 when killed by a signal or not started
  std::string out;     // stdout
};

// Runs `edgarix ARGS` through the shell (`args` must be shell-quoted);
// stderr passes through to the test's stderr.
inline CommandOutput RunEdgarix(const std::string& args) {
  const std::string cmd = EdgarixBinary().string() + " " + args;
  CommandOutput o;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return o;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) o.out.append(buf, n);
  const int status = pclose(p);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

// Parses one JSON value per non-empty line.
inline std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(nlohmann::json::parse(text.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

}  // namespace edgarix::testing
