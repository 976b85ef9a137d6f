#include "rate_limiter.h"

#include <algorithm>

namespace edgarix::fetch::internal {

RateLimiter::RateLimiter(double requests_per_second) {
  const double seconds = 1.0 / requests_per_second;
  // The guard absorbs scheduling jitter between starting a request and the
  // server seeing it: 2% of the interval plus 2 ms.
  const double guarded = seconds * 1.02 + 0.002;
  interval_ = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(guarded));
  next_ = Clock::time_point::min();
}

bool RateLimiter::TryAcquire(Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (now < next_) return false;
  next_ = now + interval_;
  return true;
}

RateLimiter::Clock::time_point RateLimiter::NextAvailable() const {
  std::lock_guard<std::mutex> lock(mu_);
  return next_;
}

}  // namespace edgarix::fetch::internal
