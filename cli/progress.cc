#include "progress.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

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

void ReportPipeline(const std::string& command, Progress& progress,
                    pipeline::PipelineOptions& options) {
  auto failures_shown = std::make_shared<uint64_t>(0);
  options.on_failure = [command, &progress, failures_shown](const std::string& source,
                                                            const std::string& reason) {
    if (++*failures_shown > 100) return;
    progress.Finish();
    // Readers put the path in front of their message already; do not repeat it.
    const bool named = reason.compare(0, source.size(), source) == 0;
    std::cerr << "edgarix " << command << ": " << (named ? "" : source + ": ") << reason << "\n";
  };
  options.on_progress = [&progress](const pipeline::PipelineStats& s) {
    if (!progress.enabled()) return;
    char line[200];
    const double mbps = s.seconds > 0 ? s.bytes_read / 1e6 / s.seconds : 0;
    std::snprintf(line, sizeof(line), "indexed %llu filings, %llu failed, %s read, %.1f MB/s",
                  static_cast<unsigned long long>(s.filings_indexed),
                  static_cast<unsigned long long>(s.failures), HumanBytes(s.bytes_read).c_str(),
                  mbps);
    progress.Update(line);
  };
}

}  // namespace edgarix::cli
