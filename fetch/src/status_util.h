#pragma once

// One place that maps libcurl results and HTTP statuses to absl::Status for
// the fetch stage. The code is the retry policy: Unavailable (and DataLoss
// for a body that failed its completeness check) are retried with backoff;
// NotFound, PermissionDenied, InvalidArgument and FailedPrecondition are not.

#include <string>

#include "absl/status/status.h"
#include <curl/curl.h>

namespace edgarix::fetch::internal {

// `what` names the request (URL or path) in the message.
inline absl::Status CurlCodeToStatus(CURLcode code, const char* error_buffer,
                                     const std::string& what) {
  if (code == CURLE_OK) return absl::OkStatus();
  std::string message = what + ": " + curl_easy_strerror(code);
  if (error_buffer != nullptr && error_buffer[0] != '\0') {
    message += " (";
    message += error_buffer;
    message += ")";
  }
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_AGAIN:
    case CURLE_HTTP3:
    case CURLE_QUIC_CONNECT_ERROR:
      return absl::UnavailableError(message);
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return absl::InvalidArgumentError(message);
    case CURLE_WRITE_ERROR:
    case CURLE_OUT_OF_MEMORY:
      return absl::InternalError(message);
    case CURLE_ABORTED_BY_CALLBACK:
      return absl::CancelledError(message);
    default:
      return absl::FailedPreconditionError(message);
  }
}

// Maps a final HTTP status (not 2xx/304, which are successes) to a Status.
inline absl::Status HttpStatusToStatus(long status, const std::string& what) {
  const std::string message = what + ": HTTP " + std::to_string(status);
  if (status == 404 || status == 410) return absl::NotFoundError(message);
  if (status == 401 || status == 403) return absl::PermissionDeniedError(message);
  if (status == 408 || status == 425 || status == 429 || status >= 500) {
    return absl::UnavailableError(message);
  }
  if (status == 416) return absl::OutOfRangeError(message);
  return absl::FailedPreconditionError(message);
}

// Whether a failed attempt is worth another try.
inline bool IsRetryable(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsDataLoss(status) || absl::IsOutOfRange(status) ||
         absl::IsDeadlineExceeded(status);
}

}  // namespace edgarix::fetch::internal
