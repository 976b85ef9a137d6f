#pragma once

// Test helpers that build tar and gzip bytes in memory (tar headers written
// by hand so tests control every field, gzip with ISA-L), and a temporary
// folder removed at the end of the test.

#include <isa-l/igzip_lib.h>
#include <stdlib.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace edgarix::testing {

// A fresh folder under $TMPDIR (or /tmp), removed with its contents.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base ? base : "/tmp") +
        "/edgarix-XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    char* made = ::mkdtemp(buf.data());
    EXPECT_NE(made, nullptr);
    path_ = made != nullptr ? made : "/tmp/edgarix-mkdtemp-failed";
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes `bytes` to `relative` (folders created) and returns the full path.
  std::string Write(const std::string& relative, std::string_view bytes) const {
    std::filesystem::path p = path_ / relative;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p.string();
  }

 private:
  std::filesystem::path path_;
};

inline std::string ReadFileBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Builds a ustar archive.
class TarBuilder {
 public:
  TarBuilder& File(const std::string& name, std::string_view data) {
    Header(name, data.size(), '0', "");
    out_.append(data.data(), data.size());
    Pad();
    return *this;
  }
  TarBuilder& Dir(const std::string& name) {
    Header(name, 0, '5', "");
    return *this;
  }
  TarBuilder& Symlink(const std::string& name, const std::string& target) {
    Header(name, 0, '2', target);
    return *this;
  }
  TarBuilder& Hardlink(const std::string& name, const std::string& target) {
    Header(name, 0, '1', target);
    return *this;
  }
  TarBuilder& Fifo(const std::string& name) {
    Header(name, 0, '6', "");
    return *this;
  }
  // A header that claims `size` bytes; no data is added.
  TarBuilder& HeaderOnly(const std::string& name, uint64_t size,
                         char type = '0') {
    Header(name, size, type, "");
    return *this;
  }
  // Raw bytes (data for a HeaderOnly entry), padded to a block.
  TarBuilder& Data(std::string_view data) {
    out_.append(data.data(), data.size());
    Pad();
    return *this;
  }
  // Offset of the next header.
  size_t size() const { return out_.size(); }
  // The archive with its two zero end blocks (or without them).
  std::string Finish(bool end_blocks = true) const {
    std::string out = out_;
    if (end_blocks) out.append(1024, '\0');
    return out;
  }

 private:
  void Pad() {
    size_t rem = out_.size() % 512;
    if (rem != 0) out_.append(512 - rem, '\0');
  }
  static void Octal(char* field, size_t width, uint64_t value) {
    std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1),
                  static_cast<unsigned long long>(value));
  }
  void Header(const std::string& name, uint64_t size, char type,
              const std::string& link) {
    char h[512] = {};
    std::memcpy(h, name.data(), std::min<size_t>(name.size(), 100));
    Octal(h + 100, 8, 0644);
    Octal(h + 108, 8, 1000);
    Octal(h + 116, 8, 1000);
    Octal(h + 124, 12, size);
    Octal(h + 136, 12, 1700000000);
    h[156] = type;
    std::memcpy(h + 157, link.data(), std::min<size_t>(link.size(), 100));
    std::memcpy(h + 257, "ustar", 6);
    std::memcpy(h + 263, "00", 2);
    std::memcpy(h + 265, "edgar", 5);
    std::memcpy(h + 297, "edgar", 5);
    std::memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (unsigned char c : h) sum += c;
    std::snprintf(h + 148, 8, "%06o", sum);
    h[155] = ' ';
    out_.append(h, 512);
  }
  std::string out_;
};

// Streams `total` bytes produced by `fill(buffer, n)` through ISA-L deflate
// (gzip wrapper) into `sink(bytes)`.
template <typename Fill, typename Sink>
void GzipStream(uint64_t total, Fill fill, Sink sink, int level = 1) {
  // Heap-allocated, zeroed and cache-line aligned: ISA-L's state is large
  // and its assembly expects the hash table aligned.
  struct Deleter {
    void operator()(isal_zstream* p) const { std::free(p); }
  };
  std::unique_ptr<isal_zstream, Deleter> holder(static_cast<isal_zstream*>(
      std::aligned_alloc(64, (sizeof(isal_zstream) + 63) / 64 * 64)));
  std::memset(holder.get(), 0, sizeof(isal_zstream));
  isal_zstream& stream = *holder;
  isal_deflate_init(&stream);
  std::vector<uint8_t> level_buf(ISAL_DEF_LVL1_DEFAULT);
  stream.gzip_flag = IGZIP_GZIP;
  stream.level = static_cast<uint32_t>(level);
  if (level > 0) {
    stream.level_buf = level_buf.data();
    stream.level_buf_size = static_cast<uint32_t>(level_buf.size());
  }
  std::vector<uint8_t> in(1 << 20), out(1 << 20);
  uint64_t fed = 0;
  do {
    if (stream.avail_in == 0 && !stream.end_of_stream) {
      size_t n =
          static_cast<size_t>(std::min<uint64_t>(in.size(), total - fed));
      fill(in.data(), n);
      fed += n;
      stream.next_in = in.data();
      stream.avail_in = static_cast<uint32_t>(n);
      stream.end_of_stream = fed == total ? 1 : 0;
    }
    stream.next_out = out.data();
    stream.avail_out = static_cast<uint32_t>(out.size());
    ASSERT_EQ(isal_deflate(&stream), COMP_OK);
    sink(std::string_view(reinterpret_cast<char*>(out.data()),
                          out.size() - stream.avail_out));
  } while (stream.internal_state.state != ZSTATE_END);
}

// One gzip member holding `data`.
inline std::string Gzip(std::string_view data, int level = 1) {
  std::string out;
  size_t pos = 0;
  GzipStream(
      data.size(),
      [&](uint8_t* buf, size_t n) {
        std::memcpy(buf, data.data() + pos, n);
        pos += n;
      },
      [&](std::string_view chunk) { out.append(chunk); }, level);
  return out;
}

// Some filing-like text of about `bytes` bytes, different for each `seed`.
inline std::string FilingText(int seed, size_t bytes) {
  std::string text = "<SUBMISSION>\n<ACCESSION-NUMBER>0000950123-10-" +
                     std::to_string(100000 + seed) + "\n<TYPE>8-K\n";
  int line = 0;
  while (text.size() < bytes) {
    text += "Item " + std::to_string(line % 9 + 1) + ".0" +
            std::to_string(line % 7 + 1) + " line " + std::to_string(line) +
            " of filing " + std::to_string(seed) +
            ": the registrant entered into a material definitive agreement.\n";
    ++line;
  }
  text.resize(bytes);
  return text;
}

}  // namespace edgarix::testing
