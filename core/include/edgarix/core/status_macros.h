#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// EDGARIX_RETURN_IF_ERROR(expr): returns the Status of `expr` from the
// enclosing function when it is not OK.
#define EDGARIX_RETURN_IF_ERROR(expr)                 \
  do {                                                \
    ::absl::Status edgarix_status_ = (expr);          \
    if (!edgarix_status_.ok()) return edgarix_status_; \
  } while (false)

#define EDGARIX_STATUS_CONCAT_INNER_(a, b) a##b
#define EDGARIX_STATUS_CONCAT_(a, b) EDGARIX_STATUS_CONCAT_INNER_(a, b)

// EDGARIX_ASSIGN_OR_RETURN(lhs, expr): evaluates `expr` (a StatusOr<T>),
// returns its Status when not OK, otherwise moves its value into `lhs`
// (which may be a declaration such as `auto x`).
#define EDGARIX_ASSIGN_OR_RETURN(lhs, expr)                                   \
  EDGARIX_ASSIGN_OR_RETURN_IMPL_(EDGARIX_STATUS_CONCAT_(edgarix_or_, __LINE__), \
                                 lhs, expr)
#define EDGARIX_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return std::move(tmp).status();       \
  lhs = std::move(tmp).value()
