#pragma once

#include <chrono>
#include <mutex>

namespace edgarix::fetch::internal {

// A token bucket of depth one: request starts are spaced at least
// 1/rate (+ a small guard) apart, so no 1-second window holds more than
// `rate` starts even when request arrival times jitter by a few ms.
//
// Thread-safe.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // REQUIRES: requests_per_second > 0.
  explicit RateLimiter(double requests_per_second);

  // Takes the token and returns true when a request may start at `now`.
  bool TryAcquire(Clock::time_point now);
  // The earliest time TryAcquire can succeed.
  Clock::time_point NextAvailable() const;

 private:
  mutable std::mutex mu_;
  Clock::duration interval_;
  Clock::time_point next_;
};

}  // namespace edgarix::fetch::internal
