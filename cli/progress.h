#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "edgarix/pipeline/pipeline.h"

namespace edgarix::cli {

// A one-line progress display on stderr, redrawn at most 4 times a second.
// Shown when stderr is a terminal, or always when `forced` (--progress);
// silent otherwise. Not thread-safe.
class Progress {
 public:
  explicit Progress(bool forced);
  ~Progress();  // Ends the line if anything was drawn.
  bool enabled() const { return enabled_; }
  // Redraws with `line` unless the last redraw was under 250 ms ago (always
  // when `force_redraw`).
  void Update(const std::string& line, bool force_redraw = false);
  void Finish();

 private:
  bool enabled_;
  bool tty_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

// Sets the callbacks of `options` for a command that runs the index
// pipeline: each failure goes to stderr as "edgarix COMMAND: source: reason"
// (the first 100; all are recorded in the index), and a progress line
// (filings, failures, bytes, MB/s) goes to `progress`, which must outlive
// the run.
void ReportPipeline(const std::string& command, Progress& progress,
                    pipeline::PipelineOptions& options);

// "1.2 MB", "3.4 GB": decimal units.
std::string HumanBytes(uint64_t bytes);

}  // namespace edgarix::cli
