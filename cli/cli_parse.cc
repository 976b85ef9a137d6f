// `edgarix parse [--format jsonl|json] [--with-text] [--progress] PATH...`:
// parses filings (files, folders, .gz, .tar.gz) and prints one JSON object
// per filing (DESIGN.md §3.1). A filing that fails prints
// {"source":...,"error":...} in its place and a message on stderr; the exit
// code is then 1.

#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "commands.h"
#include "edgarix/core/filing.h"
#include "edgarix/fetch/input_reader.h"
#include "edgarix/parse/parser.h"
#include "nlohmann/json.hpp"
#include "progress.h"

namespace edgarix::cli {
namespace {

struct ParseFlags {
  std::string format = "jsonl";
  bool with_text = false;
  bool progress = false;
  std::vector<std::string> paths;
};

using Json = nlohmann::ordered_json;

Json StrOrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

// Characters (UTF-8 code points) in `s`.
uint64_t CharCount(std::string_view s) {
  uint64_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

Json PartyJson(const Party& p) {
  Json j;
  j["role"] = p.role;
  j["cik"] = StrOrNull(p.cik);
  j["name"] = StrOrNull(p.name);
  j["irs"] = StrOrNull(p.irs);
  j["sic"] = StrOrNull(p.sic);
  j["state_of_inc"] = StrOrNull(p.state_of_inc);
  j["business_state"] = StrOrNull(p.business_state);
  j["fiscal_year_end"] = StrOrNull(p.fiscal_year_end);
  j["file_number"] = StrOrNull(p.file_number);
  j["former_names"] = p.former_names;
  return j;
}

Json FilingJson(const ParsedFiling& f, bool with_text) {
  Json j;
  j["source"] = f.source;
  j["accession"] = StrOrNull(f.accession);
  j["form"] = StrOrNull(f.form);
  j["root_form"] = StrOrNull(f.root_form);
  j["amendment"] = f.amendment;
  j["filed"] = StrOrNull(f.filed);
  j["period"] = StrOrNull(f.period);
  j["accepted"] = StrOrNull(f.accepted);
  j["public_document_count"] =
      f.public_document_count < 0 ? Json(nullptr) : Json(f.public_document_count);
  Json parties = Json::array();
  for (const Party& p : f.parties) parties.push_back(PartyJson(p));
  j["parties"] = std::move(parties);
  j["items"] = f.items;
  j["events"] = f.events;
  Json docs = Json::array();
  for (const Document& d : f.documents) {
    Json dj;
    dj["sequence"] = d.sequence;
    dj["type"] = d.type;
    dj["filename"] = d.filename;
    dj["description"] = d.description;
    dj["binary"] = d.binary;
    dj["text_chars"] = CharCount(d.text);
    docs.push_back(std::move(dj));
  }
  j["documents"] = std::move(docs);
  Json sections = Json::array();
  for (const Section& s : f.sections) {
    Json sj;
    sj["id"] = s.id;
    sj["title"] = s.title;
    sj["document"] = s.document;
    std::string_view text;
    for (const Document& d : f.documents) {
      if (d.sequence == s.document) {
        const std::string_view all = d.text;
        if (s.begin <= s.end && s.end <= all.size()) text = all.substr(s.begin, s.end - s.begin);
        break;
      }
    }
    sj["chars"] = CharCount(text);
    if (with_text) sj["text"] = std::string(text);
    sections.push_back(std::move(sj));
  }
  j["sections"] = std::move(sections);
  j["warnings"] = f.warnings;
  return j;
}

std::string Dump(const Json& j) {
  // Replace rather than throw on any invalid UTF-8 (a source path, say).
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

int RunParse(const ParseFlags& flags) {
  if (flags.format != "jsonl" && flags.format != "json") {
    std::cerr << "edgarix parse: --format must be jsonl or json\n";
    return 2;
  }
  parse::ParseOptions options;
  // Document text is needed for text_chars and section sizes even without
  // --with-text; it is dropped after each filing is printed.
  options.keep_text = true;
  absl::StatusOr<std::unique_ptr<parse::Parser>> parser = parse::Parser::Create(options);
  if (!parser.ok()) {
    std::cerr << "edgarix parse: " << parser.status().message() << "\n";
    return 1;
  }
  absl::StatusOr<std::unique_ptr<fetch::InputReader>> reader =
      fetch::InputReader::Open(flags.paths, fetch::InputOptions{});
  if (!reader.ok()) {
    std::cerr << "edgarix parse: " << reader.status().message() << "\n";
    return 1;
  }
  Progress progress(flags.progress);
  const bool array = flags.format == "json";
  if (array) std::cout << "[";
  bool first = true;
  uint64_t ok = 0;
  uint64_t failed = 0;
  while (std::optional<RawFiling> raw = (*reader)->Next()) {
    Json j;
    std::string error = raw->read_error;
    if (error.empty()) {
      absl::StatusOr<ParsedFiling> parsed = (*parser)->Parse(*raw);
      if (parsed.ok()) {
        j = FilingJson(*parsed, flags.with_text);
      } else {
        error = std::string(parsed.status().message());
      }
    }
    if (!error.empty()) {
      ++failed;
      j = Json::object();
      j["source"] = raw->source;
      j["error"] = error;
      std::cerr << "edgarix parse: " << raw->source << ": " << error << "\n";
    } else {
      ++ok;
    }
    if (array) std::cout << (first ? "\n" : ",\n");
    std::cout << Dump(j);
    if (!array) std::cout << "\n";
    first = false;
    if (progress.enabled()) {
      progress.Update("parsed " + std::to_string(ok) + " filing(s), " + std::to_string(failed) +
                      " failed, " + HumanBytes((*reader)->bytes_read()) + " of " +
                      HumanBytes((*reader)->total_bytes()));
    }
  }
  if (array) std::cout << (first ? "]\n" : "\n]\n");
  std::cout.flush();
  progress.Finish();
  return failed > 0 ? 1 : 0;
}

}  // namespace

Runner AddParseCommand(CLI::App& app) {
  auto flags = std::make_shared<ParseFlags>();
  CLI::App* sub = app.add_subcommand(
      "parse", "Parse filings (files, folders, .gz, .tar.gz) and print them as JSON");
  sub->add_option("--format", flags->format, "jsonl (one object per line) or json (one array)")
      ->check(CLI::IsMember({"jsonl", "json"}));
  sub->add_flag("--with-text", flags->with_text, "Include each section's text");
  sub->add_flag("--progress", flags->progress, "Show progress on stderr even when not a TTY");
  sub->add_option("paths", flags->paths, "Files or folders to parse")->required();
  return [flags]() { return RunParse(*flags); };
}

}  // namespace edgarix::cli
