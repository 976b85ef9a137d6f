#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace edgarix::cli {

Progress::Progress(bool forced)
    : enabled_(forced || isatty(STDERR_FILENO) == 1), tty_(isatty(STDERR_FILENO) == 1) {}

Progress::~Progress() { Finish(); }

void Progress::Update(const std::string& line, bool force_redraw) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force_redraw && drawn_ && now - last_ < std::chrono::milliseconds(250)) return;
  last_ = now;
  if (tty_) {
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Finish() {
  if (drawn_ && tty_) std::fputc('\n', stderr);
  drawn_ = false;
}

std::string HumanBytes(uint64_t bytes) {
  static const char* kUnits[] = {"B", "kB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000 && u < 4) {
    v /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), u == 0 ? "%.0f %s" : "%.1f %s", v, kUnits[u]);
  return buf;
}

}  // namespace edgarix::cli
