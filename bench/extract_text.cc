// extract_text: writes the docs stream (the text edgarix indexes) for the
// peer engines of bench/run, from the same inputs `edgarix index` reads
// (files, folders, .gz, .tar.gz Feed archives), through the same
// fetch::InputReader and parse::Parser.
//
//   extract_text [--out FILE] PATH...
//
// For each filing that edgarix would index (readable and parseable), in
// input order:
//   #DOC\t<key>\t<form>\t<cik>\t<filed>\t<N>\n<N bytes of text>\n
// key = accession, else "sha:" + the content hash edgarix keys it by; text =
// the non-binary documents' extracted text joined by "\n\n". On success a
// JSON summary goes to stderr: filings, failures, raw_bytes (uncompressed
// filing bytes), input_bytes (bytes read from disk), text_bytes, seconds.

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "edgarix/core/filing.h"
#include "edgarix/core/ids.h"
#include "edgarix/fetch/input_reader.h"
#include "edgarix/parse/parser.h"

namespace {

// Header fields carry no tabs or newlines.
std::string Field(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) out.push_back(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
  return out;
}

std::string Upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

// The key edgarix's IndexWriter gives the filing (see index/src/writer.cc).
std::string KeyOf(const edgarix::ParsedFiling& f) {
  if (!f.accession.empty()) return f.accession;
  std::string hashes = f.form;
  for (const edgarix::Document& d : f.documents) {
    hashes.push_back('\0');
    hashes += d.type;
    hashes.push_back('\0');
    hashes += edgarix::ContentHash(d.text);
  }
  return "sha:" + edgarix::ContentHash(hashes);
}

std::string CikOf(const edgarix::ParsedFiling& f) {
  for (const edgarix::Party& p : f.parties) {
    if (p.role == "filer" && !p.cik.empty()) return p.cik;
  }
  for (const edgarix::Party& p : f.parties) {
    if (!p.cik.empty()) return p.cik;
  }
  return "";
}

int Usage() {
  std::fprintf(stderr, "usage: extract_text [--out FILE] PATH...\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out_path;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
      out_path = argv[++i];
    } else if (std::strncmp(argv[i], "--", 2) == 0) {
      return Usage();
    } else {
      paths.emplace_back(argv[i]);
    }
  }
  if (paths.empty()) return Usage();

  auto reader = edgarix::fetch::InputReader::Open(paths, edgarix::fetch::InputOptions{});
  if (!reader.ok()) {
    std::fprintf(stderr, "extract_text: %s\n", std::string(reader.status().message()).c_str());
    return 1;
  }
  auto parser = edgarix::parse::Parser::Create(edgarix::parse::ParseOptions{});
  if (!parser.ok()) {
    std::fprintf(stderr, "extract_text: %s\n", std::string(parser.status().message()).c_str());
    return 1;
  }
  std::FILE* out = stdout;
  if (!out_path.empty()) {
    out = std::fopen(out_path.c_str(), "wb");
    if (out == nullptr) {
      std::fprintf(stderr, "extract_text: %s: %s\n", out_path.c_str(), std::strerror(errno));
      return 1;
    }
  }
  static char buffer[1 << 20];
  std::setvbuf(out, buffer, _IOFBF, sizeof(buffer));

  const auto start = std::chrono::steady_clock::now();
  uint64_t filings = 0, failures = 0, raw_bytes = 0, text_bytes = 0;
  std::string text;
  while (auto raw = (*reader)->Next()) {
    raw_bytes += raw->bytes.size();
    if (!raw->read_error.empty()) {
      ++failures;
      continue;
    }
    auto parsed = (*parser)->Parse(*raw);
    if (!parsed.ok()) {
      ++failures;
      continue;
    }
    text.clear();
    for (const edgarix::Document& d : parsed->documents) {
      if (d.binary || d.text.empty()) continue;
      if (!text.empty()) text += "\n\n";
      text += d.text;
    }
    const std::string header = "#DOC\t" + Field(KeyOf(*parsed)) + "\t" +
                               Field(Upper(parsed->form)) + "\t" + Field(CikOf(*parsed)) +
                               "\t" + Field(parsed->filed) + "\t" +
                               std::to_string(text.size()) + "\n";
    std::fwrite(header.data(), 1, header.size(), out);
    std::fwrite(text.data(), 1, text.size(), out);
    std::fputc('\n', out);
    ++filings;
    text_bytes += text.size();
  }
  if (std::fflush(out) != 0 || std::ferror(out)) {
    std::fprintf(stderr, "extract_text: write failed: %s\n", std::strerror(errno));
    return 1;
  }
  if (out != stdout) std::fclose(out);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr,
               "{\"tool\":\"extract_text\",\"filings\":%llu,\"failures\":%llu,"
               "\"raw_bytes\":%llu,\"input_bytes\":%llu,\"text_bytes\":%llu,\"seconds\":%.3f}\n",
               static_cast<unsigned long long>(filings),
               static_cast<unsigned long long>(failures),
               static_cast<unsigned long long>(raw_bytes),
               static_cast<unsigned long long>((*reader)->bytes_read()),
               static_cast<unsigned long long>(text_bytes), seconds);
  return 0;
}
