#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

// ASSERT_OK / EXPECT_OK print the Status message on failure.
#define EDGARIX_STATUS_OF_(expr) ::edgarix::testing::internal::StatusOf(expr)
#define ASSERT_OK(expr) ASSERT_TRUE(EDGARIX_STATUS_OF_(expr).ok()) << EDGARIX_STATUS_OF_(expr)
#define EXPECT_OK(expr) EXPECT_TRUE(EDGARIX_STATUS_OF_(expr).ok()) << EDGARIX_STATUS_OF_(expr)

namespace edgarix::testing::internal {
inline const absl::Status& StatusOf(const absl::Status& s) { return s; }
template <typename T>
inline const absl::Status& StatusOf(const absl::StatusOr<T>& s) { return s.status(); }
}  // namespace edgarix::testing::internal
