#include "codec.h"

#include <cstring>

#include "absl/status/status.h"
#include "roaring/roaring.h"

namespace edgarix::index {

void PutVarint32(std::string& out, uint32_t v) {
  char buf[5];
  int n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out.append(buf, n);
}

void PutVarint64(std::string& out, uint64_t v) {
  char buf[10];
  int n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out.append(buf, n);
}

void PutBigEndian32(std::string& out, uint32_t v) {
  char buf[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                 static_cast<char>(v >> 8), static_cast<char>(v)};
  out.append(buf, 4);
}

void PutBigEndian64(std::string& out, uint64_t v) {
  PutBigEndian32(out, static_cast<uint32_t>(v >> 32));
  PutBigEndian32(out, static_cast<uint32_t>(v));
}

void PutLengthPrefixed(std::string& out, std::string_view s) {
  PutVarint32(out, static_cast<uint32_t>(s.size()));
  out.append(s.data(), s.size());
}

uint32_t DecodeBigEndian32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) |
         uint32_t{u[3]};
}

uint64_t DecodeBigEndian64(const char* p) {
  return (uint64_t{DecodeBigEndian32(p)} << 32) | DecodeBigEndian32(p + 4);
}

bool Decoder::GetVarint32(uint32_t& v) {
  uint64_t x;
  if (!GetVarint64(x) || x > 0xFFFFFFFFull) {
    p_ = end_;
    return false;
  }
  v = static_cast<uint32_t>(x);
  return true;
}

bool Decoder::GetVarint64(uint64_t& v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && p_ < end_; shift += 7) {
    const auto byte = static_cast<unsigned char>(*p_++);
    result |= uint64_t{byte & 0x7Fu} << shift;
    if ((byte & 0x80) == 0) {
      v = result;
      return true;
    }
  }
  p_ = end_;
  return false;
}

bool Decoder::GetBytes(size_t n, std::string_view& s) {
  if (remaining() < n) {
    p_ = end_;
    return false;
  }
  s = std::string_view(p_, n);
  p_ += n;
  return true;
}

bool Decoder::GetLengthPrefixed(std::string_view& s) {
  uint32_t n;
  return GetVarint32(n) && GetBytes(n, s);
}

bool Decoder::GetLengthPrefixed(std::string& s) {
  std::string_view v;
  if (!GetLengthPrefixed(v)) return false;
  s.assign(v.data(), v.size());
  return true;
}

// --- posting blocks ---------------------------------------------------------

void PostingBuilder::Add(uint32_t doc, const uint32_t* positions, size_t n) {
  PutVarint32(docs_, count_ == 0 ? doc : doc - last_doc_);
  PutVarint32(freqs_, static_cast<uint32_t>(n));
  uint32_t last = 0;
  for (size_t i = 0; i < n; ++i) {
    PutVarint32(positions_, positions[i] - last);
    last = positions[i];
  }
  last_doc_ = doc;
  ++count_;
}

std::string PostingBuilder::FinishDocs() const {
  std::string out;
  out.reserve(docs_.size() + freqs_.size() + 10);
  PutVarint32(out, static_cast<uint32_t>(count_));
  PutVarint32(out, static_cast<uint32_t>(docs_.size()));
  out += docs_;
  out += freqs_;
  return out;
}

bool DecodeDocBlock(std::string_view value, DocBlock& out) {
  Decoder d(value);
  uint32_t count, doc_bytes;
  if (!d.GetVarint32(count) || !d.GetVarint32(doc_bytes)) return false;
  if (count > value.size()) return false;  // each entry takes >= 1 byte
  std::string_view docs, freqs;
  if (!d.GetBytes(doc_bytes, docs)) return false;
  freqs = std::string_view(value.data() + (value.size() - d.remaining()), d.remaining());
  Decoder dd(docs), fd(freqs);
  const size_t base = out.docs.size();
  out.docs.resize(base + count);
  out.freqs.resize(base + count);
  uint32_t doc = 0;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t delta, f;
    if (!dd.GetVarint32(delta) || !fd.GetVarint32(f)) {
      out.docs.resize(base);
      out.freqs.resize(base);
      return false;
    }
    doc = i == 0 ? delta : doc + delta;
    out.docs[base + i] = doc;
    out.freqs[base + i] = f;
  }
  return true;
}

bool DecodePositions(std::string_view value, const uint32_t* freqs, size_t n,
                     std::vector<uint32_t>& offsets,
                     std::vector<uint32_t>& positions) {
  Decoder d(value);
  offsets.clear();
  positions.clear();
  offsets.reserve(n + 1);
  offsets.push_back(0);
  for (size_t i = 0; i < n; ++i) {
    uint32_t p = 0;
    if (freqs[i] > d.remaining()) return false;
    for (uint32_t k = 0; k < freqs[i]; ++k) {
      uint32_t delta;
      if (!d.GetVarint32(delta)) return false;
      p += delta;
      positions.push_back(p);
    }
    offsets.push_back(static_cast<uint32_t>(positions.size()));
  }
  return true;
}

// --- bitmaps ----------------------------------------------------------------

std::string EncodeBitmap(Roaring& bitmap) {
  bitmap.runOptimize();
  std::string out(bitmap.getSizeInBytes(true), '\0');
  bitmap.write(out.data(), true);
  return out;
}

absl::StatusOr<Roaring> DecodeBitmap(std::string_view value) {
  // CRoaring 0.2.66 prints to stderr ("Ran out of bytes while reading ...")
  // when deserializing malformed bytes; its size check is silent, so reject
  // what it does not accept as exactly one bitmap first (crash/fuzz work).
  const size_t size = roaring_bitmap_portable_deserialize_size(value.data(), value.size());
  if (size == 0 || size != value.size()) {
    return absl::DataLossError("corrupt doc-id bitmap");
  }
  roaring_bitmap_t* r =
      roaring_bitmap_portable_deserialize_safe(value.data(), value.size());
  if (r == nullptr) return absl::DataLossError("corrupt doc-id bitmap");
  return Roaring(r);
}

// --- doc records ------------------------------------------------------------

namespace {
constexpr uint32_t kRecordVersion = 1;

void PutStrings(std::string& out, const std::vector<std::string>& v) {
  PutVarint32(out, static_cast<uint32_t>(v.size()));
  for (const auto& s : v) PutLengthPrefixed(out, s);
}

bool GetStrings(Decoder& d, std::vector<std::string>& v) {
  uint32_t n;
  if (!d.GetVarint32(n) || n > d.remaining()) return false;
  v.resize(n);
  for (auto& s : v) {
    if (!d.GetLengthPrefixed(s)) return false;
  }
  return true;
}
}  // namespace

std::string EncodeDocRecord(const DocRecord& r) {
  std::string out;
  PutVarint32(out, kRecordVersion);
  for (const std::string* s : {&r.key, &r.source, &r.accession, &r.form, &r.root_form,
                               &r.filed, &r.period, &r.accepted}) {
    PutLengthPrefixed(out, *s);
  }
  PutVarint32(out, r.amendment ? 1 : 0);
  PutVarint64(out, r.raw_bytes);
  PutVarint32(out, r.total_tokens);
  PutVarint32(out, r.distinct_terms);
  PutVarint32(out, static_cast<uint32_t>(r.parties.size()));
  for (const auto& p : r.parties) {
    for (const std::string* s :
         {&p.role, &p.cik, &p.name, &p.irs, &p.sic, &p.state_of_inc, &p.business_state}) {
      PutLengthPrefixed(out, *s);
    }
  }
  PutStrings(out, r.items);
  PutStrings(out, r.events);
  PutVarint32(out, static_cast<uint32_t>(r.documents.size()));
  for (const auto& d : r.documents) {
    PutVarint32(out, d.sequence);
    PutLengthPrefixed(out, d.type);
    PutLengthPrefixed(out, d.filename);
    PutLengthPrefixed(out, d.description);
    PutVarint32(out, d.binary ? 1 : 0);
    PutVarint32(out, d.pos_begin);
    PutVarint32(out, d.pos_end - d.pos_begin);
    PutVarint32(out, d.text_bytes);
    PutVarint32(out, static_cast<uint32_t>(d.checkpoints.size()));
    uint32_t last = 0;
    for (uint32_t c : d.checkpoints) {
      PutVarint32(out, c - last);
      last = c;
    }
  }
  PutVarint32(out, static_cast<uint32_t>(r.sections.size()));
  for (const auto& s : r.sections) {
    PutLengthPrefixed(out, s.id);
    PutLengthPrefixed(out, s.title);
    PutVarint32(out, s.document);
    PutVarint32(out, s.pos_begin);
    PutVarint32(out, s.pos_end - s.pos_begin);
    PutVarint32(out, s.byte_begin);
    PutVarint32(out, s.byte_end - s.byte_begin);
  }
  return out;
}

bool DecodeDocRecord(std::string_view value, DocRecord& r) {
  Decoder d(value);
  uint32_t version, flag, n, len;
  if (!d.GetVarint32(version) || version != kRecordVersion) return false;
  for (std::string* s : {&r.key, &r.source, &r.accession, &r.form, &r.root_form,
                         &r.filed, &r.period, &r.accepted}) {
    if (!d.GetLengthPrefixed(*s)) return false;
  }
  if (!d.GetVarint32(flag)) return false;
  r.amendment = flag != 0;
  if (!d.GetVarint64(r.raw_bytes) || !d.GetVarint32(r.total_tokens) ||
      !d.GetVarint32(r.distinct_terms) || !d.GetVarint32(n) || n > d.remaining()) {
    return false;
  }
  r.parties.resize(n);
  for (auto& p : r.parties) {
    for (std::string* s :
         {&p.role, &p.cik, &p.name, &p.irs, &p.sic, &p.state_of_inc, &p.business_state}) {
      if (!d.GetLengthPrefixed(*s)) return false;
    }
  }
  if (!GetStrings(d, r.items) || !GetStrings(d, r.events)) return false;
  if (!d.GetVarint32(n) || n > d.remaining()) return false;
  r.documents.resize(n);
  for (auto& doc : r.documents) {
    if (!d.GetVarint32(doc.sequence) || !d.GetLengthPrefixed(doc.type) ||
        !d.GetLengthPrefixed(doc.filename) || !d.GetLengthPrefixed(doc.description) ||
        !d.GetVarint32(flag) || !d.GetVarint32(doc.pos_begin) || !d.GetVarint32(len) ||
        !d.GetVarint32(doc.text_bytes)) {
      return false;
    }
    doc.binary = flag != 0;
    doc.pos_end = doc.pos_begin + len;
    uint32_t n_checkpoints, last = 0;
    if (!d.GetVarint32(n_checkpoints) || n_checkpoints > d.remaining()) return false;
    doc.checkpoints.resize(n_checkpoints);
    for (auto& c : doc.checkpoints) {
      uint32_t delta;
      if (!d.GetVarint32(delta)) return false;
      last += delta;
      c = last;
    }
  }
  if (!d.GetVarint32(n) || n > d.remaining()) return false;
  r.sections.resize(n);
  for (auto& s : r.sections) {
    uint32_t blen;
    if (!d.GetLengthPrefixed(s.id) || !d.GetLengthPrefixed(s.title) ||
        !d.GetVarint32(s.document) || !d.GetVarint32(s.pos_begin) || !d.GetVarint32(len) ||
        !d.GetVarint32(s.byte_begin) || !d.GetVarint32(blen)) {
      return false;
    }
    s.pos_end = s.pos_begin + len;
    s.byte_end = s.byte_begin + blen;
  }
  return d.done();
}

}  // namespace edgarix::index
