#include "edgarix/fetch/input_reader.h"

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "archive_builder.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "status_matchers.h"
#include "test_paths.h"

namespace edgarix::fetch {
namespace {

namespace fs = std::filesystem;
using ::edgarix::testing::FilingText;
using ::edgarix::testing::Gzip;
using ::edgarix::testing::TarBuilder;
using ::edgarix::testing::TempDir;
using ::testing::HasSubstr;

// Reads every filing from `paths`.
std::vector<RawFiling> ReadAll(const std::vector<std::string>& paths,
                               InputOptions options = {}) {
  auto reader = InputReader::Open(paths, options);
  EXPECT_TRUE(reader.ok()) << reader.status();
  std::vector<RawFiling> out;
  if (!reader.ok()) return out;
  while (auto f = (*reader)->Next()) out.push_back(std::move(*f));
  return out;
}

int CountErrors(const std::vector<RawFiling>& filings) {
  int n = 0;
  for (const auto& f : filings) n += f.read_error.empty() ? 0 : 1;
  return n;
}

TEST(InputReader, PlainFileIsOneFiling) {
  TempDir dir;
  std::string text = FilingText(1, 5000);
  std::string path = dir.Write("a.txt", text);
  auto filings = ReadAll({path});
  ASSERT_EQ(filings.size(), 1u);
  EXPECT_EQ(filings[0].source, path);
  EXPECT_EQ(filings[0].bytes, text);
  EXPECT_EQ(filings[0].read_error, "");
}

TEST(InputReader, EmptyFileIsOneEmptyFiling) {
  TempDir dir;
  std::string path = dir.Write("empty.txt", "");
  auto filings = ReadAll({path});
  ASSERT_EQ(filings.size(), 1u);
  EXPECT_EQ(filings[0].bytes, "");
  EXPECT_EQ(filings[0].read_error, "");
}

TEST(InputReader, NonexistentPathIsNotFound) {
  TempDir dir;
  auto reader =
      InputReader::Open({(dir.path() / "no-such-file.txt").string()}, {});
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(reader.status().message()),
              HasSubstr("no-such-file.txt"));
}

TEST(InputReader, GzipIsDetectedByMagicNotName) {
  TempDir dir;
  std::string text = FilingText(2, 300000);
  std::string gz = dir.Write("filing.gz", Gzip(text));
  std::string renamed = dir.Write("filing.txt", Gzip(text));
  auto filings = ReadAll({gz, renamed});
  ASSERT_EQ(filings.size(), 2u);
  for (const auto& f : filings) {
    EXPECT_EQ(f.read_error, "");
    EXPECT_EQ(f.bytes, text);
  }
  EXPECT_EQ(filings[0].source, gz);
}

TEST(InputReader, MultiMemberGzipIsConcatenated) {
  TempDir dir;
  std::string a = FilingText(3, 100000), b = FilingText(4, 70000), c = "tail\n";
  std::string path = dir.Write("multi.gz", Gzip(a) + Gzip(b, 0) + Gzip(c));
  auto filings = ReadAll({path});
  ASSERT_EQ(filings.size(), 1u);
  EXPECT_EQ(filings[0].read_error, "");
  EXPECT_EQ(filings[0].bytes, a + b + c);
}

TEST(InputReader, ZeroPaddingAfterGzipIsIgnored) {
  TempDir dir;
  std::string text = FilingText(5, 2000);
  std::string path =
      dir.Write("padded.gz", Gzip(text) + std::string(4096, '\0'));
  auto filings = ReadAll({path});
  ASSERT_EQ(filings.size(), 1u);
  EXPECT_EQ(filings[0].read_error, "");
  EXPECT_EQ(filings[0].bytes, text);
}

TEST(InputReader, TrailingGarbageAfterGzipIsReadError) {
  TempDir dir;
  std::string path =
      dir.Write("garbage.gz", Gzip(FilingText(6, 2000)) + "not gzip at all");
  auto filings = ReadAll({path});
  ASSERT_EQ(filings.size(), 1u);
  EXPECT_THAT(filings[0].read_error, HasSubstr("trailing garbage"));
  EXPECT_THAT(filings[0].read_error, HasSubstr("garbage.gz"));
  EXPECT_EQ(filings[0].bytes, "");
}

TEST(InputReader, TruncatedGzipIsReadErrorNamingFile) {
  TempDir dir;
  std::string gz = Gzip(FilingText(7, 200000));
  for (size_t cut : {gz.size() - 4, gz.size() / 2, size_t{5}}) {
    std::string path =
        dir.Write("cut" + std::to_string(cut) + ".gz", gz.substr(0, cut));
    auto filings = ReadAll({path});
    ASSERT_EQ(filings.size(), 1u) << cut;
    EXPECT_THAT(filings[0].read_error, HasSubstr(path)) << cut;
    EXPECT_THAT(filings[0].read_error, HasSubstr("truncated")) << cut;
    EXPECT_EQ(filings[0].bytes, "");
  }
}

TEST(InputReader, CorruptCrcOrSizeIsReadError) {
  TempDir dir;
  std::string gz = Gzip(FilingText(8, 50000));
  std::string bad_crc = gz, bad_size = gz;
  bad_crc[gz.size() - 8] ^= 0x55;   // CRC-32
  bad_size[gz.size() - 2] ^= 0x01;  // ISIZE
  for (const std::string& bytes : {bad_crc, bad_size}) {
    std::string path = dir.Write("bad.gz", bytes);
    auto filings = ReadAll({path});
    ASSERT_EQ(filings.size(), 1u);
    EXPECT_THAT(filings[0].read_error, HasSubstr("corrupt"));
    EXPECT_THAT(filings[0].read_error, HasSubstr(path));
  }
}

TEST(InputReader, CorruptDeflateDataIsReadErrorAndNextPathIsRead) {
  TempDir dir;
  std::string gz = Gzip(FilingText(9, 100000));
  for (size_t i = 20; i < 60; ++i) gz[i] = static_cast<char>(0xff);
  std::string bad = dir.Write("bad.gz", gz);
  std::string good = dir.Write("good.txt", "fine\n");
  auto filings = ReadAll({bad, good});
  ASSERT_EQ(filings.size(), 2u);
  EXPECT_THAT(filings[0].read_error, HasSubstr("bad.gz"));
  EXPECT_EQ(filings[1].bytes, "fine\n");
  EXPECT_EQ(filings[1].read_error, "");
}

TEST(InputReader, TarMembersAreStreamedInOrder) {
  TempDir dir;
  std::vector<std::string> texts = {FilingText(10, 1000), FilingText(11, 512),
                                    FilingText(12, 70000), ""};
  TarBuilder tar;
  tar.File("0000950123-10-000001.nc", texts[0])
      .File("0000950123-10-000002.nc", texts[1])
      .File("0000950123-10-000003.corr01", texts[2])
      .File("empty.nc", texts[3]);
  std::string path = dir.Write("20100104.nc.tar", tar.Finish());
  auto filings = ReadAll({path});
  ASSERT_EQ(filings.size(), 4u);
  EXPECT_EQ(filings[0].source, path + "#0000950123-10-000001.nc");
  EXPECT_EQ(filings[2].source, path + "#0000950123-10-000003.corr01");
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(filings[i].bytes, texts[i]) << i;
    EXPECT_EQ(filings[i].read_error, "") << i;
  }
}

TEST(InputReader, TarGzWithSeveralMembers) {
  TempDir dir;
  TarBuilder tar;
  std::vector<std::string> texts;
  for (int i = 0; i < 25; ++i) {
    texts.push_back(FilingText(100 + i, 1000 + i * 9000));
    tar.File("f" + std::to_string(i) + ".nc", texts.back());
  }
  std::string path = dir.Write("20240105.nc.tar.gz", Gzip(tar.Finish()));
  auto reader = InputReader::Open({path}, {});
  ASSERT_OK(reader);
  EXPECT_EQ((*reader)->total_bytes(), fs::file_size(path));
  std::vector<RawFiling> filings;
  while (auto f = (*reader)->Next()) filings.push_back(std::move(*f));
  ASSERT_EQ(filings.size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(filings[i].bytes, texts[i]);
    EXPECT_EQ(filings[i].source, path + "#f" + std::to_string(i) + ".nc");
  }
  EXPECT_EQ((*reader)->bytes_read(), fs::file_size(path));
}

TEST(InputReader, TarIsDetectedByContentNotName) {
  TempDir dir;
  TarBuilder tar;
  tar.File("a.nc", "alpha\n").File("b.nc", "beta\n");
  std::string path = dir.Write("archive.txt", Gzip(tar.Finish()));
  auto filings = ReadAll({path});
  ASSERT_EQ(filings.size(), 2u);
  EXPECT_EQ(filings[1].bytes, "beta\n");
}

TEST(InputReader, SkipsDirectoriesLinksAndSpecialMembers) {
  TempDir dir;
  TarBuilder tar;
  tar.Dir("sub/")
      .File("sub/a.nc", "a\n")
      .Symlink("link.nc", "/etc/passwd")
      .Hardlink("hard.nc", "sub/a.nc")
      .Fifo("fifo")
      .File("b.nc", "b\n");
  std::string path = dir.Write("mixed.tar", tar.Finish());
  auto filings = ReadAll({path});
  ASSERT_EQ(filings.size(), 2u);
  EXPECT_EQ(filings[0].source, path + "#sub/a.nc");
  EXPECT_EQ(filings[1].source, path + "#b.nc");
}

TEST(InputReader, HostileMemberNamesAreOnlyLabels) {
  TempDir dir;
  fs::path work = dir.path() / "work";
  fs::create_directories(work);
  std::string marker = "edgarix-hostile-" + std::to_string(::getpid());
  TarBuilder tar;
  tar.File("../../" + marker, "dotdot\n")
      .File("/tmp/" + marker + "-abs", "absolute\n")
      .Symlink("escape", "../../../../tmp")
      .File("escape/" + marker + "-via-link", "through link\n")
      .File(
          "name\nwith\x01"
          "control",
          "ctl\n");
  std::string path = dir.Write("work/hostile.tar.gz", Gzip(tar.Finish()));
  auto before = fs::current_path();
  auto filings = ReadAll({path});
  ASSERT_EQ(filings.size(), 4u);
  EXPECT_EQ(filings[0].source, path + "#../../" + marker);
  EXPECT_EQ(filings[0].bytes, "dotdot\n");
  EXPECT_EQ(filings[1].source, path + "#/tmp/" + marker + "-abs");
  EXPECT_EQ(filings[2].source, path + "#escape/" + marker + "-via-link");
  EXPECT_EQ(filings[3].source, path + "#name?with?control");
  // Nothing was written anywhere.
  EXPECT_EQ(fs::current_path(), before);
  EXPECT_FALSE(fs::exists(fs::path("/tmp") / (marker + "-abs")));
  EXPECT_FALSE(fs::exists(fs::path("/tmp") / (marker + "-via-link")));
  EXPECT_FALSE(fs::exists(dir.path().parent_path() / marker));
  int entries = 0;
  for (auto it = fs::recursive_directory_iterator(dir.path());
       it != fs::recursive_directory_iterator(); ++it) {
    ++entries;
  }
  EXPECT_EQ(entries, 2);  // work/ and work/hostile.tar.gz
}

TEST(InputReader, FoldersAreRecursiveSortedAndSkipHiddenAndPartial) {
  TempDir dir;
  dir.Write("b/2.txt", "b2");
  dir.Write("a/1.txt", "a1");
  dir.Write("a/z/3.txt", "az3");
  dir.Write("c.txt", "c");
  dir.Write(".hidden.txt", "hidden");
  dir.Write(".git/objects/x", "git");
  dir.Write("d/download.nc.tar.gz.part", "partial");
  fs::create_symlink(dir.path() / "a", dir.path() / "link-to-a");
  auto filings = ReadAll({dir.path().string()});
  std::vector<std::string> got;
  for (const auto& f : filings) got.push_back(f.bytes);
  EXPECT_EQ(got, (std::vector<std::string>{"a1", "az3", "b2", "c"}));
  ASSERT_FALSE(filings.empty());
  EXPECT_EQ(filings[0].source, (dir.path() / "a/1.txt").string());
}

TEST(InputReader, ExplicitHiddenOrPartialFileIsRead) {
  TempDir dir;
  std::string path = dir.Write(".x.part", "explicit");
  auto filings = ReadAll({path});
  ASSERT_EQ(filings.size(), 1u);
  EXPECT_EQ(filings[0].bytes, "explicit");
}

TEST(InputReader, TruncatedTarIsReadErrorAfterGoodMembers) {
  TempDir dir;
  TarBuilder tar;
  tar.File("one.nc", FilingText(20, 3000)).File("two.nc", FilingText(21, 3000));
  size_t second_header = 512 + 3072;
  std::string whole = tar.Finish();
  // Cut inside the second member's data, and inside its header.
  for (size_t cut : {second_header + 512 + 1000, second_header + 100}) {
    std::string bytes = whole.substr(0, cut);
    for (const auto& [name, content] :
         std::vector<std::pair<std::string, std::string>>{
             {"cut.tar", bytes}, {"cut.tar.gz", Gzip(bytes)}}) {
      std::string path = dir.Write(name, content);
      auto filings = ReadAll({path});
      ASSERT_EQ(filings.size(), 2u) << name << " " << cut;
      EXPECT_EQ(filings[0].read_error, "");
      EXPECT_EQ(filings[0].bytes, FilingText(20, 3000));
      EXPECT_THAT(filings[1].read_error, HasSubstr("runcated")) << name;
      EXPECT_THAT(filings[1].read_error, HasSubstr(path)) << name;
      EXPECT_EQ(filings[1].bytes, "");
    }
  }
}

TEST(InputReader, TarGzWithTruncatedGzipReportsError) {
  TempDir dir;
  TarBuilder tar;
  for (int i = 0; i < 10; ++i) {
    tar.File("m" + std::to_string(i), FilingText(30 + i, 40000));
  }
  std::string gz = Gzip(tar.Finish());
  std::string path =
      dir.Write("cut.nc.tar.gz", gz.substr(0, gz.size() * 2 / 3));
  auto filings = ReadAll({path});
  ASSERT_FALSE(filings.empty());
  EXPECT_EQ(CountErrors(filings), 1);
  EXPECT_THAT(filings.back().read_error, HasSubstr("truncated gzip"));
  EXPECT_THAT(filings.back().read_error, HasSubstr(path));
}

TEST(InputReader, TarGzWithBadCrcReportsError) {
  TempDir dir;
  TarBuilder tar;
  tar.File("a", FilingText(40, 5000)).File("b", FilingText(41, 5000));
  std::string gz = Gzip(tar.Finish());
  gz[gz.size() - 6] ^= 0x10;
  std::string path = dir.Write("crc.tar.gz", gz);
  auto filings = ReadAll({path});
  ASSERT_FALSE(filings.empty());
  EXPECT_EQ(CountErrors(filings), 1);
  EXPECT_THAT(filings.back().read_error, HasSubstr("CRC"));
}

TEST(InputReader, DamagedTarHeaderIsReportedAndReadingGoesOn) {
  TempDir dir;
  TarBuilder tar;
  tar.File("a", "first\n");
  size_t damaged = tar.size();
  tar.File("b", "second\n").File("c", "third\n");
  std::string bytes = tar.Finish();
  bytes[damaged + 10] ^= 0x21;  // breaks the header checksum
  std::string path = dir.Write("damaged.tar", bytes);
  auto filings = ReadAll({path});
  ASSERT_GE(filings.size(), 2u);
  EXPECT_EQ(filings[0].bytes, "first\n");
  EXPECT_EQ(CountErrors(filings), 1);
  EXPECT_THAT(filings[1].read_error, HasSubstr("damaged.tar"));
  EXPECT_EQ(filings.back().bytes, "third\n");
}

TEST(InputReader, TarWithoutEndBlocksStillYieldsItsMembers) {
  TempDir dir;
  TarBuilder tar;
  tar.File("a", "one\n").File("b", "two\n");
  std::string path = dir.Write("noend.tar", tar.Finish(/*end_blocks=*/false));
  auto filings = ReadAll({path});
  ASSERT_EQ(filings.size(), 2u);
  EXPECT_EQ(filings[1].bytes, "two\n");
}

TEST(InputReader, HugeSpecialHeadersAreRejectedNotBuffered) {
  // A GNU long-name entry and a pax header each claiming 8 MiB: libarchive
  // (limit: 1 MiB) refuses such headers instead of holding them in memory.
  TempDir dir;
  for (char type : {'L', 'x'}) {
    TarBuilder tar;
    tar.File("ok.nc", "fine\n").HeaderOnly("././@LongLink", 8u << 20, type);
    std::string body = tar.Finish(false) + std::string(8u << 20, 'n');
    std::string path =
        dir.Write(std::string("special-") + type + ".tar.gz", Gzip(body));
    auto filings = ReadAll({path});
    ASSERT_GE(filings.size(), 2u) << type;
    EXPECT_EQ(filings[0].bytes, "fine\n");
    EXPECT_EQ(CountErrors(filings), 1) << type;
    EXPECT_THAT(filings.back().read_error, HasSubstr(path));
  }
}

TEST(InputReader, RandomlyDamagedArchivesNeverCrash) {
  TempDir dir;
  TarBuilder tar;
  for (int i = 0; i < 6; ++i) {
    tar.File("m" + std::to_string(i) + ".nc",
             FilingText(60 + i, 3000 + 1500 * i));
  }
  const std::string plain_tar = tar.Finish();
  const std::string gz = Gzip(plain_tar);
  uint64_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(seed >> 33);
  };
  for (int round = 0; round < 300; ++round) {
    std::string bytes = round % 2 == 0 ? gz : plain_tar;
    int edits = 1 + static_cast<int>(next() % 4);
    for (int e = 0; e < edits; ++e) {
      size_t at = next() % bytes.size();
      switch (next() % 3) {
        case 0:
          bytes[at] = static_cast<char>(next());
          break;
        case 1:
          bytes.resize(at + 1);
          break;
        default:
          bytes.insert(at,
                       std::string(1 + next() % 64, static_cast<char>(next())));
      }
    }
    std::string path = dir.Write("fuzz.bin", bytes);
    auto filings = ReadAll({path});
    EXPECT_LE(filings.size(), 12u) << "round " << round;
    for (const auto& f : filings) {
      if (!f.read_error.empty()) {
        EXPECT_EQ(f.bytes, "") << "round " << round;
        EXPECT_THAT(f.read_error, HasSubstr(path)) << "round " << round;
      }
    }
  }
}

TEST(InputReader, MemberOverCapIsReadErrorAndStreamGoesOn) {
  TempDir dir;
  TarBuilder tar;
  tar.File("small1", "ok\n")
      .File("big", std::string(10000, 'x'))
      .File("small2", "ok too\n");
  InputOptions options;
  options.max_filing_bytes = 4096;
  for (const auto& [name, content] :
       std::vector<std::pair<std::string, std::string>>{
           {"cap.tar", tar.Finish()}, {"cap.tar.gz", Gzip(tar.Finish())}}) {
    std::string path = dir.Write(name, content);
    auto filings = ReadAll({path}, options);
    ASSERT_EQ(filings.size(), 3u);
    EXPECT_EQ(filings[0].bytes, "ok\n");
    EXPECT_EQ(filings[1].source, path + "#big");
    EXPECT_THAT(filings[1].read_error, HasSubstr("max_filing_bytes"));
    EXPECT_EQ(filings[1].bytes, "");
    EXPECT_EQ(filings[2].bytes, "ok too\n");
  }
}

TEST(InputReader, PlainAndGzipFilesOverCapAreReadErrors) {
  TempDir dir;
  InputOptions options;
  options.max_filing_bytes = 1000;
  std::string plain = dir.Write("big.txt", std::string(1001, 'y'));
  std::string gz = dir.Write("big.gz", Gzip(std::string(5000, 'y')));
  std::string fits = dir.Write("fits.txt", std::string(1000, 'y'));
  auto filings = ReadAll({plain, gz, fits}, options);
  ASSERT_EQ(filings.size(), 3u);
  EXPECT_THAT(filings[0].read_error, HasSubstr("max_filing_bytes"));
  EXPECT_THAT(filings[1].read_error, HasSubstr("max_filing_bytes"));
  EXPECT_EQ(filings[2].read_error, "");
  EXPECT_EQ(filings[2].bytes.size(), 1000u);
}

// 1 GiB of zeros deflated to about 1 MB, written to disk as it is made.
std::string WriteGzipBomb(const TempDir& dir, const std::string& name,
                          bool in_tar) {
  std::string path = (dir.path() / name).string();
  std::ofstream out(path, std::ios::binary);
  const uint64_t zeros = 1ull << 30;
  std::string header;
  if (in_tar) {
    TarBuilder tar;
    tar.HeaderOnly("bomb.nc", zeros);
    header = tar.Finish(false);
  }
  uint64_t pos = 0;
  edgarix::testing::GzipStream(
      header.size() + zeros,
      [&](uint8_t* buf, size_t n) {
        std::memset(buf, 0, n);
        if (pos < header.size()) {
          size_t k = std::min<size_t>(n, header.size() - pos);
          std::memcpy(buf, header.data() + pos, k);
        }
        pos += n;
      },
      [&](std::string_view chunk) {
        out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      },
      /*level=*/1);
  return path;
}

long PeakRssKb() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST(InputReader, GzipBombStopsAtCapWithBoundedMemory) {
  TempDir dir;
  std::string plain = WriteGzipBomb(dir, "bomb.gz", false);
  std::string tarred = WriteGzipBomb(dir, "bomb.nc.tar.gz", true);
  EXPECT_LT(fs::file_size(plain), 8u << 20);
  long rss_before = PeakRssKb();

  // The size cap alone (ratio check off).
  InputOptions cap_only;
  cap_only.max_filing_bytes = 32 << 20;
  cap_only.max_inflate_ratio = 0;
  auto filings = ReadAll({plain, tarred}, cap_only);
  ASSERT_EQ(filings.size(), 2u);
  EXPECT_THAT(filings[0].read_error, HasSubstr("max_filing_bytes"));
  EXPECT_THAT(filings[1].read_error, HasSubstr("max_filing_bytes"));

  // Defaults: the ratio check stops it long before the 1 GiB cap.
  filings = ReadAll({plain, tarred});
  ASSERT_EQ(filings.size(), 2u);
  EXPECT_THAT(filings[0].read_error, HasSubstr("decompression bomb"));
  EXPECT_THAT(filings[0].read_error, HasSubstr(plain));
  EXPECT_THAT(filings[1].read_error, HasSubstr("decompression bomb"));
  for (const auto& f : filings) EXPECT_EQ(f.bytes, "");

  // One filing is held at most up to the bomb check (64 MiB) plus the copy
  // made when the string grows; issue 6 allows 512 MiB over idle. ASan's
  // quarantine adds to it.
  long grown_mb = (PeakRssKb() - rss_before) / 1024;
#if defined(__SANITIZE_ADDRESS__)
  // ASan's shadow memory and quarantine roughly double what the reader holds.
  constexpr long kMaxGrowthMb = 600;
#else
  constexpr long kMaxGrowthMb = 300;
#endif
  EXPECT_LT(grown_mb, kMaxGrowthMb) << "peak RSS grew by " << grown_mb << " MiB";
  std::printf("peak RSS grew by %ld MiB\n", grown_mb);
}

TEST(InputReader, ReadsArchivesMadeByTarAndGzip) {
  TempDir dir;
  dir.Write("src/0001.nc", FilingText(50, 20000));
  dir.Write("src/0002.nc", FilingText(51, 30000));
  std::string archive = (dir.path() / "20240105.nc.tar.gz").string();
  std::string command = "cd '" + (dir.path() / "src").string() +
                        "' && tar -cf - 0001.nc 0002.nc | gzip -6 > '" +
                        archive + "'";
  if (std::system(command.c_str()) != 0) GTEST_SKIP() << "tar/gzip missing";
  auto filings = ReadAll({archive});
  ASSERT_EQ(filings.size(), 2u);
  EXPECT_EQ(filings[0].source, archive + "#0001.nc");
  EXPECT_EQ(filings[0].bytes, FilingText(50, 20000));
  EXPECT_EQ(filings[1].bytes, FilingText(51, 30000));
}

TEST(InputReader, CorpusFilingsRoundTripThroughTarGz) {
  EDGARIX_REQUIRE_SHARED_CORPUS();
  fs::path nc = ::edgarix::testing::SharedCorpus() / "filings" / "nc";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(nc)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  TarBuilder tar;
  std::vector<std::string> contents;
  for (const auto& f : files) {
    contents.push_back(::edgarix::testing::ReadFileBytes(f));
    tar.File(f.filename().string(), contents.back());
  }
  TempDir dir;
  std::string path = dir.Write("corpus.nc.tar.gz", Gzip(tar.Finish()));
  auto filings = ReadAll({path});
  ASSERT_EQ(filings.size(), files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(filings[i].bytes, contents[i]) << files[i];
    EXPECT_EQ(filings[i].source, path + "#" + files[i].filename().string());
  }
}

}  // namespace
}  // namespace edgarix::fetch
