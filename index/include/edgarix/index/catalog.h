#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace edgarix::index {

// Read-only look-ups of what an index holds, for bookkeeping (`edgarix
// verify`): user meta values written by IndexWriter::Commit(meta), whether a
// filing is indexed, and the recorded failures. Opens the database read-only,
// so it runs beside a writer (seeing what was committed when it opened).
//
// Safe for concurrent use.
class Catalog {
 public:
  // NotFound when `db_path` holds no edgarix index.
  static absl::StatusOr<std::unique_ptr<Catalog>> Open(const std::string& db_path);
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  // A value written with IndexWriter::Commit(meta); nullopt when absent.
  absl::StatusOr<std::optional<std::string>> GetMeta(std::string_view key) const;
  // Every (key, value) written with Commit(meta) whose key starts with
  // `prefix`, in key order.
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ListMeta(
      std::string_view prefix) const;
  // True when a filing with this accession number (dashed) is indexed.
  absl::StatusOr<bool> HasFiling(std::string_view accession) const;
  // Every failure recorded with IndexWriter::AddFailure, oldest first, as
  // (source, reason).
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Failures() const;

 private:
  struct Rep;
  explicit Catalog(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace edgarix::index
