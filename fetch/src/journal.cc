#include "journal.h"

#include <chrono>
#include <filesystem>
#include <sstream>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/options.h>

namespace edgarix::fetch::internal {
namespace {

absl::Status FromRocks(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) return absl::OkStatus();
  const std::string message = "fetch journal " + what + ": " + s.ToString();
  if (s.IsCorruption()) return absl::DataLossError(message);
  if (s.IsIOError() || s.IsBusy() || s.IsTimedOut()) return absl::UnavailableError(message);
  if (s.IsInvalidArgument()) return absl::InvalidArgumentError(message);
  return absl::InternalError(message);
}

std::string Encode(const JournalEntry& e) {
  std::string out = "v1\n";
  out += static_cast<char>(e.state);
  out += '\n' + std::to_string(e.size) + '\n' + std::to_string(e.crc32) + '\n' + e.etag + '\n' +
         e.last_modified + '\n' + std::to_string(e.unix_time) + '\n';
  return out;
}

std::optional<JournalEntry> Decode(const std::string& value) {
  std::vector<std::string> fields;
  std::string cur;
  for (char c : value) {
    if (c == '\n') {
      fields.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (fields.size() != 7 || fields[0] != "v1" || fields[1].size() != 1) return std::nullopt;
  JournalEntry e;
  if (fields[1][0] == 'C') {
    e.state = JournalEntry::State::kComplete;
  } else if (fields[1][0] == 'P') {
    e.state = JournalEntry::State::kPartial;
  } else {
    return std::nullopt;
  }
  char* end = nullptr;
  e.size = std::strtoull(fields[2].c_str(), &end, 10);
  e.crc32 = static_cast<uint32_t>(std::strtoul(fields[3].c_str(), &end, 10));
  e.etag = fields[4];
  e.last_modified = fields[5];
  e.unix_time = std::strtoll(fields[6].c_str(), &end, 10);
  return e;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Journal>> Journal::Open(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return absl::UnavailableError("fetch journal: cannot create " + dir + ": " + ec.message());
  }
  rocksdb::Options options;
  options.create_if_missing = true;
  options.max_open_files = 64;
  options.keep_log_file_num = 2;
  options.max_background_jobs = 1;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, dir, &db);
  if (!s.ok()) return FromRocks(s, "open " + dir);
  return std::unique_ptr<Journal>(new Journal(db));
}

Journal::~Journal() {
  if (db_ != nullptr) {
    db_->Close().PermitUncheckedError();  // nothing left to do on failure
    delete db_;
  }
}

absl::StatusOr<std::optional<JournalEntry>> Journal::Get(const std::string& path) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), path, &value);
  if (s.IsNotFound()) return std::optional<JournalEntry>();
  if (!s.ok()) return FromRocks(s, "read " + path);
  return Decode(value);
}

absl::Status Journal::Put(const std::string& path, const JournalEntry& entry) {
  JournalEntry e = entry;
  if (e.unix_time == 0) {
    e.unix_time = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  }
  rocksdb::WriteOptions wo;
  wo.sync = e.state == JournalEntry::State::kComplete;
  return FromRocks(db_->Put(wo, path, Encode(e)), "write " + path);
}

absl::Status Journal::Delete(const std::string& path) {
  return FromRocks(db_->Delete(rocksdb::WriteOptions(), path), "delete " + path);
}

}  // namespace edgarix::fetch::internal
