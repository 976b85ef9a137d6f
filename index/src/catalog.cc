#include "edgarix/index/catalog.h"

#include <utility>

#include "codec.h"
#include "edgarix/core/status_macros.h"
#include "rocksdb/iterator.h"
#include "schema.h"
#include "store.h"

namespace edgarix::index {

struct Catalog::Rep {
  std::unique_ptr<Store> store;
};

Catalog::Catalog(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Catalog::~Catalog() = default;

absl::StatusOr<std::unique_ptr<Catalog>> Catalog::Open(const std::string& db_path) {
  auto rep = std::make_unique<Rep>();
  EDGARIX_ASSIGN_OR_RETURN(rep->store, OpenStore(db_path, /*read_only=*/true));
  return std::unique_ptr<Catalog>(new Catalog(std::move(rep)));
}

absl::StatusOr<std::optional<std::string>> Catalog::GetMeta(std::string_view key) const {
  const Store& s = *rep_->store;
  std::string value;
  const std::string full = std::string(kMetaUserPrefix) + std::string(key);
  rocksdb::Status st = s.db->Get(rocksdb::ReadOptions(), s.cf(kCfMeta), full, &value);
  if (st.IsNotFound()) return std::optional<std::string>();
  EDGARIX_RETURN_IF_ERROR(ToStatus(st, "reading meta"));
  return std::optional<std::string>(std::move(value));
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Catalog::ListMeta(
    std::string_view prefix) const {
  const Store& s = *rep_->store;
  const std::string full = std::string(kMetaUserPrefix) + std::string(prefix);
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<rocksdb::Iterator> it(s.db->NewIterator(rocksdb::ReadOptions(), s.cf(kCfMeta)));
  for (it->Seek(full); it->Valid() && it->key().starts_with(full); it->Next()) {
    out.emplace_back(it->key().ToString().substr(kMetaUserPrefix.size()), it->value().ToString());
  }
  EDGARIX_RETURN_IF_ERROR(ToStatus(it->status(), "listing meta"));
  return out;
}

absl::StatusOr<bool> Catalog::HasFiling(std::string_view accession) const {
  const Store& s = *rep_->store;
  std::string value;
  rocksdb::Status st = s.db->Get(rocksdb::ReadOptions(), s.cf(kCfAccessions),
                                 rocksdb::Slice(accession.data(), accession.size()), &value);
  if (st.IsNotFound()) return false;
  EDGARIX_RETURN_IF_ERROR(ToStatus(st, "looking up an accession"));
  return true;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Catalog::Failures() const {
  const Store& s = *rep_->store;
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<rocksdb::Iterator> it(
      s.db->NewIterator(rocksdb::ReadOptions(), s.cf(kCfFailures)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    Decoder d(std::string_view(it->value().data(), it->value().size()));
    std::string source, reason;
    if (!d.GetLengthPrefixed(source) || !d.GetLengthPrefixed(reason)) {
      return absl::DataLossError("malformed failure record in " + s.path);
    }
    out.emplace_back(std::move(source), std::move(reason));
  }
  EDGARIX_RETURN_IF_ERROR(ToStatus(it->status(), "reading failures"));
  return out;
}

}  // namespace edgarix::index
