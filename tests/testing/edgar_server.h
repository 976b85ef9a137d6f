#pragma once

// edgar_server.py (a local stand-in for EDGAR's Archives/edgar/ that injects
// faults) as a child process on 127.0.0.1, and make_mirror.py, for tests.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace edgarix::testing {

// One line of the server's request log.
struct RequestLogLine {
  double time = 0;  // unix seconds, ms precision
  std::string method, path;
  int status = 0;
  long bytes = 0;     // body bytes sent
  std::string fault;  // the fault injected, or "-"
};

class EdgarServer {
 public:
  // Starts the server on a random port serving `root`; `extra` are more
  // edgar_server.py flags (--faults FILE, --fault SPEC, ...).
  explicit EdgarServer(const std::filesystem::path& root, std::vector<std::string> extra = {},
                       double timeout_seconds = 300)
      : root_(root) {
    char tmpl[] = "/tmp/edgarix_srv_XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    log_ = dir_ / "requests.log";
    std::vector<std::string> args = {"python3",
                                     EDGARIX_SOURCE_DIR "/tests/testing/edgar_server.py",
                                     "--root",
                                     root.string(),
                                     "--log",
                                     log_.string(),
                                     "--timeout",
                                     std::to_string(static_cast<int>(timeout_seconds))};
    args.insert(args.end(), extra.begin(), extra.end());
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execvp("python3", argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    std::string line;
    char c;
    while (::read(fds[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(fds[0]);
    port_ = std::atoi(line.c_str());
    EXPECT_GT(port_, 0) << "edgar_server.py did not print its port";
  }
  ~EdgarServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int st = 0;
      ::waitpid(pid_, &st, 0);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  EdgarServer(const EdgarServer&) = delete;
  EdgarServer& operator=(const EdgarServer&) = delete;

  // Reconfigures the running server (edgar_server.py's /__control): `spec` is
  // a JSON object such as {"faults": [...]}; the log is cleared and the root,
  // gzip settings and fault counters are reset first.
  void Configure(const std::string& spec = "{}") {
    std::string body = spec;
    body.insert(body.find('{') + 1,
                "\"clear_log\": true, \"gzip\": false, \"gz_content_encoding\": false, "
                "\"root\": \"" +
                    root_.string() + "\"" +
                    (spec.find(':') != std::string::npos ? ", " : ""));
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    const std::string req = "POST /__control HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
                            std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    ASSERT_EQ(::write(fd, req.data(), req.size()), static_cast<ssize_t>(req.size()));
    std::string resp;
    char buf[512];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof(buf))) > 0) resp.append(buf, static_cast<size_t>(n));
    ::close(fd);
    ASSERT_NE(resp.find(" 200 "), std::string::npos) << resp;
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/Archives/edgar";
  }
  const std::filesystem::path& dir() const { return dir_; }

  // Writes `json` to a file in the server's temp dir and returns its path.
  std::string WriteFaults(const std::string& json) const {
    const std::filesystem::path p = dir_ / "faults.json";
    std::ofstream(p) << json;
    return p.string();
  }

  std::vector<RequestLogLine> Log() const {
    std::vector<RequestLogLine> out;
    std::ifstream in(log_);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream ss(line);
      RequestLogLine l;
      ss >> l.time >> l.method >> l.path >> l.status >> l.bytes >> l.fault;
      out.push_back(l);
    }
    return out;
  }

  // The largest number of requests in any 1-second window [t, t+1).
  int MaxPerSecond() const {
    std::vector<double> t;
    for (const auto& l : Log()) t.push_back(l.time);
    std::sort(t.begin(), t.end());
    int best = 0;
    for (size_t i = 0; i < t.size(); ++i) {
      const size_t j = std::lower_bound(t.begin(), t.end(), t[i] + 1.0) - t.begin();
      best = std::max(best, static_cast<int>(j - i));
    }
    return best;
  }

 private:
  std::filesystem::path root_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::filesystem::path dir_;
  std::filesystem::path log_;
};

// Builds an EDGAR mirror of `filings` in `out` with make_mirror.py. Returns
// false (and reports) when the script fails.
inline bool MakeMirror(const std::filesystem::path& filings, const std::filesystem::path& out) {
  const std::string cmd = "python3 " EDGARIX_SOURCE_DIR "/tests/testing/make_mirror.py --out '" +
                          out.string() + "' '" + filings.string() + "' >/dev/null 2>&1";
  const int rc = std::system(cmd.c_str());
  EXPECT_EQ(rc, 0) << cmd;
  return rc == 0;
}

}  // namespace edgarix::testing
