#pragma once

#include <chrono>
#include <cstdint>
#include <string>

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

// "1.2 MB", "3.4 GB": decimal units.
std::string HumanBytes(uint64_t bytes);

}  // namespace edgarix::cli
