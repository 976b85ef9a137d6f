// Fuzzes the index codec (index/src/codec.h): decoding arbitrary bytes must
// not crash, and encoding values derived from the input must decode back.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "codec.h"
#include "fuzz_util.h"

namespace {

using edgarix::index::Decoder;

void DecodeArbitrary(std::string_view in) {
  edgarix::index::DocBlock block;
  if (edgarix::index::DecodeDocBlock(in, block)) {
    if (block.docs.size() != block.freqs.size()) __builtin_trap();
    std::vector<uint32_t> offsets, positions;
    // Bound the work: positions counts come from the freqs.
    uint64_t total = 0;
    for (uint32_t f : block.freqs) total += f;
    if (total <= (1u << 20)) {
      (void)edgarix::index::DecodePositions(in, block.freqs.data(), block.freqs.size(),
                                            offsets, positions);
    }
  }
  (void)edgarix::index::DecodeBitmap(in);
  edgarix::index::DocRecord record;
  (void)edgarix::index::DecodeDocRecord(in, record);
  Decoder d(in);
  uint32_t v32;
  uint64_t v64;
  std::string_view s;
  while (!d.done()) {
    if (!d.GetVarint32(v32) || !d.GetVarint64(v64) || !d.GetLengthPrefixed(s)) break;
  }
}

void RoundTrip(std::string_view in) {
  // Values: the input read as little-endian uint32 words.
  std::vector<uint32_t> words;
  for (size_t i = 0; i + 4 <= in.size() && words.size() < 4096; i += 4) {
    uint32_t w;
    std::copy_n(in.data() + i, 4, reinterpret_cast<char*>(&w));
    words.push_back(w);
  }
  // Primitives.
  std::string out;
  for (uint32_t w : words) {
    edgarix::index::PutVarint32(out, w);
    edgarix::index::PutVarint64(out, (uint64_t{w} << 32) | w);
  }
  edgarix::index::PutLengthPrefixed(out, in.substr(0, std::min<size_t>(in.size(), 300)));
  Decoder d(out);
  for (uint32_t w : words) {
    uint32_t a;
    uint64_t b;
    if (!d.GetVarint32(a) || a != w) __builtin_trap();
    if (!d.GetVarint64(b) || b != ((uint64_t{w} << 32) | w)) __builtin_trap();
  }
  std::string_view tail;
  if (!d.GetLengthPrefixed(tail) || tail != in.substr(0, std::min<size_t>(in.size(), 300)) ||
      !d.done()) {
    __builtin_trap();
  }

  // Posting blocks: ascending docs, a few ascending positions each.
  edgarix::index::PostingBuilder builder;
  std::vector<uint32_t> docs, freqs, all_positions;
  uint32_t doc = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    uint32_t step = (words[i] & 0xffff) + (i == 0 ? 0 : 1);
    if (doc > UINT32_MAX - step) break;
    doc += step;
    uint32_t n = (words[i] >> 16) % 8 + 1;
    std::vector<uint32_t> pos;
    uint32_t p = words[i] >> 24;
    for (uint32_t k = 0; k < n; ++k) {
      pos.push_back(p);
      p += (words[i] >> (k % 24)) % 1000 + 1;
    }
    builder.Add(doc, pos.data(), pos.size());
    docs.push_back(doc);
    freqs.push_back(n);
    all_positions.insert(all_positions.end(), pos.begin(), pos.end());
  }
  edgarix::index::DocBlock block;
  if (!edgarix::index::DecodeDocBlock(builder.FinishDocs(), block)) __builtin_trap();
  if (block.docs != docs || block.freqs != freqs) __builtin_trap();
  std::vector<uint32_t> offsets, positions;
  if (!edgarix::index::DecodePositions(builder.positions(), freqs.data(), freqs.size(),
                                       offsets, positions)) {
    __builtin_trap();
  }
  if (positions != all_positions || offsets.size() != freqs.size() + 1) __builtin_trap();

  // Bitmaps.
  Roaring bitmap;
  for (uint32_t w : words) bitmap.add(w);
  Roaring copy = bitmap;
  auto decoded = edgarix::index::DecodeBitmap(edgarix::index::EncodeBitmap(copy));
  if (!decoded.ok() || !(*decoded == bitmap)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > edgarix::fuzz::kMaxInput) return 0;
  std::string_view in = edgarix::fuzz::AsView(data, size);
  DecodeArbitrary(in);
  RoundTrip(in);
  return 0;
}
