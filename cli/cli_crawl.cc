#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "commands.h"
#include "edgarix/fetch/downloader.h"
#include "edgarix/fetch/index_files.h"
#include "edgarix/index/writer.h"
#include "edgarix/parse/parser.h"
#include "edgarix/pipeline/crawl.h"
#include "progress.h"

namespace edgarix::cli {
namespace {

struct CrawlFlags {
  std::string db;
  std::string base_url = "https://www.sec.gov/Archives/edgar";
  std::string user_agent;
  std::string from;
  std::string to;
  std::string forms;
  std::string keep;
  int threads = 0;
  double rate = 8.0;
  int parallel = 4;
  double cooldown = 600.0;
  int retries = 8;
  bool progress = false;
  bool redo = false;
};

std::vector<std::string> SplitForms(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    size_t b = item.find_first_not_of(" \t");
    size_t e = item.find_last_not_of(" \t");
    if (b == std::string::npos) continue;
    item = item.substr(b, e - b + 1);
    for (char& c : item) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    out.push_back(item);
  }
  return out;
}

int RunCrawlCommand(CrawlFlags flags) {
  if (flags.user_agent.empty()) {
    if (const char* env = std::getenv("EDGARIX_USER_AGENT")) flags.user_agent = env;
  }
  if (absl::Status ua = fetch::ValidateUserAgent(flags.user_agent); !ua.ok()) {
    std::cerr << "edgarix crawl: --user-agent: " << ua.message()
              << " (the SEC requires \"Name email@domain\"; EDGARIX_USER_AGENT may stand for it)\n";
    return 2;
  }
  pipeline::CrawlOptions options;
  if (!flags.from.empty()) {
    auto day = fetch::ParseDay(flags.from);
    if (!day.ok()) {
      std::cerr << "edgarix crawl: --from: " << day.status().message() << "\n";
      return 2;
    }
    options.from = *day;
  }
  if (!flags.to.empty()) {
    auto day = fetch::ParseDay(flags.to);
    if (!day.ok()) {
      std::cerr << "edgarix crawl: --to: " << day.status().message() << "\n";
      return 2;
    }
    options.to = *day;
  }
  options.forms = SplitForms(flags.forms);
  options.keep = !flags.keep.empty();
  options.redo = flags.redo;
  options.cache_dir = options.keep ? flags.keep : flags.db + "/fetch-cache";
  options.pipeline.threads = flags.threads;

  fetch::DownloaderOptions dl;
  dl.base_url = flags.base_url;
  dl.user_agent = flags.user_agent;
  dl.out_dir = options.cache_dir;
  dl.journal_dir = flags.db + "/fetch-journal";
  dl.requests_per_second = flags.rate;
  dl.max_parallel = flags.parallel;
  dl.cooldown_seconds = flags.cooldown;
  dl.max_attempts = flags.retries;
  dl.on_event = [](const std::string& event) { std::cerr << "edgarix crawl: " << event << "\n"; };

  auto parser = parse::Parser::Create(parse::ParseOptions{});
  if (!parser.ok()) {
    std::cerr << "edgarix crawl: " << parser.status().message() << "\n";
    return 1;
  }
  auto writer = index::IndexWriter::Open(flags.db, index::WriterOptions{});
  if (!writer.ok()) {
    std::cerr << "edgarix crawl: " << flags.db << ": " << writer.status().message() << "\n";
    return 1;
  }
  auto downloader = fetch::Downloader::Create(dl);
  if (!downloader.ok()) {
    std::cerr << "edgarix crawl: " << downloader.status().message() << "\n";
    return absl::IsInvalidArgument(downloader.status()) ? 2 : 1;
  }

  Progress progress(flags.progress);
  ReportPipeline("crawl", progress, options.pipeline);
  // Within a day, a shorter line: the day itself is logged by on_day.
  options.pipeline.on_progress = [&](const pipeline::PipelineStats& s) {
    if (!progress.enabled()) return;
    char line[160];
    std::snprintf(line, sizeof(line), "  %llu filings, %llu failed, %s",
                  static_cast<unsigned long long>(s.filings_indexed),
                  static_cast<unsigned long long>(s.failures), HumanBytes(s.bytes_read).c_str());
    progress.Update(line);
  };
  // One line per day in logs, whatever the terminal.
  options.on_day = [&](const std::string& line) {
    progress.Finish();
    std::cerr << "edgarix crawl: " << line << "\n";
  };
  auto stats = pipeline::RunCrawl(options, **downloader, **parser, **writer);
  progress.Finish();
  const fetch::DownloaderStats ds = (*downloader)->stats();
  if (!stats.ok()) {
    std::cerr << "edgarix crawl: " << stats.status().message()
              << " (days committed before it are kept; run again to continue)\n";
    return absl::IsInvalidArgument(stats.status()) ? 2 : 1;
  }
  std::fprintf(stderr,
               "edgarix crawl: %llu days (%llu already complete), %llu filings indexed, %llu failed, %s; "
               "%llu requests, %llu retries, %llu blocks; watermark %s\n",
               static_cast<unsigned long long>(stats->days),
               static_cast<unsigned long long>(stats->days_skipped),
               static_cast<unsigned long long>(stats->filings_indexed),
               static_cast<unsigned long long>(stats->failures),
               HumanBytes(stats->bytes_read).c_str(),
               static_cast<unsigned long long>(ds.requests),
               static_cast<unsigned long long>(ds.retries),
               static_cast<unsigned long long>(ds.blocks),
               stats->last_day.empty() ? "(none)" : stats->last_day.c_str());
  return 0;
}

}  // namespace

Runner AddCrawlCommand(CLI::App& app) {
  auto flags = std::make_shared<CrawlFlags>();
  CLI::App* cmd = app.add_subcommand(
      "crawl", "Bring an index up to date with EDGAR, day by day (daily index + Feed archive)");
  cmd->add_option("--db", flags->db, "Index database directory")->required();
  cmd->add_option("--base-url", flags->base_url,
                  "EDGAR Archives/edgar base: https://, http:// (a mirror) or file://")
      ->capture_default_str();
  cmd->add_option("--user-agent", flags->user_agent,
                  "\"Name email@domain\" (or set EDGARIX_USER_AGENT)");
  cmd->add_option("--from", flags->from, "First day, YYYY-MM-DD (default: after the watermark)");
  cmd->add_option("--to", flags->to, "Last day, YYYY-MM-DD (default: yesterday)");
  cmd->add_option("--forms", flags->forms, "Only these forms, e.g. 8-K,10-K (amendments included)");
  cmd->add_option("--keep", flags->keep, "Keep fetched files in this folder (SEC layout)");
  cmd->add_option("--threads", flags->threads, "Worker threads (0 = all cores)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--rate", flags->rate, "Requests per second (at most 10)")
      ->check(CLI::Range(0.01, 10.0))
      ->capture_default_str();
  cmd->add_option("--parallel", flags->parallel, "Transfers at once")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--retries", flags->retries, "Attempts per file")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cmd->add_option("--cooldown", flags->cooldown, "Seconds to pause after an SEC block page")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  cmd->add_flag("--redo", flags->redo,
                "Crawl days already complete in the index again (default: skip them)");
  cmd->add_flag("--progress", flags->progress, "Show progress even when stderr is not a terminal");
  return [flags] { return RunCrawlCommand(*flags); };
}

}  // namespace edgarix::cli
