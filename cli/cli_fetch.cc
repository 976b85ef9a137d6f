// `edgarix fetch`: download EDGAR archive files into a local mirror.

#include <cstdio>
#include <cstdlib>
#include <future>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "edgarix/fetch/downloader.h"
#include "edgarix/fetch/index_files.h"

#include "commands.h"
#include "progress.h"

namespace edgarix::cli {
namespace {

struct FetchFlags {
  std::string base_url = "https://www.sec.gov/Archives/edgar";
  std::string user_agent;
  std::string out;
  std::string journal;
  double rate = 8.0;
  int parallel = 4;
  int retries = 8;
  double cooldown = 600.0;
  bool progress = false;
  std::vector<std::string> what;
};

constexpr char kWhatHelp[] =
    "What to fetch: archive-relative paths such as full-index/2024/QTR1/master.idx,\n"
    "daily-index/2024/QTR1/master.20240102.idx, Feed/2024/QTR1/20240102.nc.tar.gz,\n"
    "data/320193/0000320193-24-000010.txt (a leading \"edgar/\" as in index files is\n"
    "accepted), or shorthands:\n"
    "  feed:2024-01-02            the day's Feed archive (Feed/YYYY/QTRn/YYYYMMDD.nc.tar.gz)\n"
    "  daily:2024-01-02[:KIND]    the day's daily index (KIND master|form|company|crawler|xbrl;\n"
    "                             default master; legacy file names before 1998-04)\n"
    "  master:2024Q1 form:2024Q1 company:2024Q1 xbrl:2024Q1 crawler:2024Q1\n"
    "                             the quarter's full index (.idx)\n"
    "  filing:CIK:ACCESSION       one complete submission (data/CIK/ACCESSION.txt)";

// Expands a WHAT argument into an archive-relative path.
absl::StatusOr<std::string> Resolve(const std::string& what) {
  const size_t colon = what.find(':');
  if (colon == std::string::npos) {
    std::string path = what;
    if (path.rfind("edgar/", 0) == 0) path = path.substr(6);
    while (!path.empty() && path[0] == '/') path.erase(0, 1);
    return path;
  }
  const std::string kind = what.substr(0, colon);
  const std::string arg = what.substr(colon + 1);
  if (kind == "feed" || kind == "daily") {
    std::string day_text = arg;
    std::string index_kind = "master";
    if (kind == "daily") {
      const size_t c2 = arg.find(':');
      if (c2 != std::string::npos) {
        day_text = arg.substr(0, c2);
        index_kind = arg.substr(c2 + 1);
      }
      if (index_kind != "master" && index_kind != "form" && index_kind != "company" &&
          index_kind != "crawler" && index_kind != "xbrl") {
        return absl::InvalidArgumentError("unknown daily index kind in " + what);
      }
    }
    absl::StatusOr<absl::CivilDay> day = fetch::ParseDay(day_text);
    if (!day.ok()) return absl::InvalidArgumentError("bad date in " + what);
    return kind == "feed" ? fetch::FeedArchivePath(*day) : fetch::DailyIndexPath(*day, index_kind);
  }
  if (kind == "master" || kind == "form" || kind == "company" || kind == "xbrl" ||
      kind == "crawler") {
    int year = 0;
    int quarter = 0;
    char tail = 0;
    if (std::sscanf(arg.c_str(), "%4dQ%1d%c", &year, &quarter, &tail) != 2 &&
        std::sscanf(arg.c_str(), "%4dq%1d%c", &year, &quarter, &tail) != 2) {
      return absl::InvalidArgumentError("want YYYYQn in " + what);
    }
    if (year < 1993 || quarter < 1 || quarter > 4) {
      return absl::InvalidArgumentError("no such quarter: " + what);
    }
    return fetch::FullIndexPath(year, quarter, kind);
  }
  if (kind == "filing") {
    const size_t c2 = arg.find(':');
    if (c2 == std::string::npos) return absl::InvalidArgumentError("want filing:CIK:ACCESSION");
    return fetch::FilingPath(arg.substr(0, c2), arg.substr(c2 + 1));
  }
  return absl::InvalidArgumentError("unknown shorthand \"" + kind + ":\" in " + what +
                                    " (see --help)");
}

int RunFetch(FetchFlags flags) {
  if (flags.user_agent.empty()) {
    if (const char* env = std::getenv("EDGARIX_USER_AGENT")) flags.user_agent = env;
  }
  if (absl::Status s = fetch::ValidateUserAgent(flags.user_agent); !s.ok()) {
    std::cerr << "edgarix fetch: " << s.message()
              << " (give --user-agent or set EDGARIX_USER_AGENT)\n";
    return 2;
  }
  if (!(flags.rate > 0) || flags.rate > 10) {
    std::cerr << "edgarix fetch: --rate must be in (0, 10]: the SEC allows at most 10 "
                 "requests per second\n";
    return 2;
  }
  std::vector<std::string> paths;
  for (const auto& what : flags.what) {
    absl::StatusOr<std::string> path = Resolve(what);
    if (!path.ok()) {
      std::cerr << "edgarix fetch: " << path.status().message() << "\n";
      return 2;
    }
    if (absl::Status s = fetch::ValidateArchivePath(*path); !s.ok()) {
      std::cerr << "edgarix fetch: " << s.message() << "\n";
      return 2;
    }
    paths.push_back(*std::move(path));
  }

  std::mutex out_mu;
  Progress progress(flags.progress);
  fetch::DownloaderOptions options;
  options.base_url = flags.base_url;
  options.user_agent = flags.user_agent;
  options.out_dir = flags.out;
  options.journal_dir = flags.journal;
  options.requests_per_second = flags.rate;
  options.max_parallel = flags.parallel;
  options.max_attempts = flags.retries;
  options.cooldown_seconds = flags.cooldown;
  options.on_event = [&](const std::string& message) {
    std::lock_guard<std::mutex> lock(out_mu);
    std::cerr << "edgarix fetch: " << message << "\n";
  };
  auto downloader = fetch::Downloader::Create(options);
  if (!downloader.ok()) {
    std::cerr << "edgarix fetch: " << downloader.status().message() << "\n";
    return absl::IsInvalidArgument(downloader.status()) ? 2 : 1;
  }

  size_t done = 0;
  size_t failed = 0;
  size_t fetched = 0;
  size_t unchanged = 0;
  std::vector<std::future<absl::StatusOr<fetch::FetchedFile>>> futures;
  futures.reserve(paths.size());
  for (const auto& path : paths) {
    auto promise = std::make_shared<std::promise<absl::StatusOr<fetch::FetchedFile>>>();
    futures.push_back(promise->get_future());
    (*downloader)->FetchToFileAsync(path, [&, path, promise](absl::StatusOr<fetch::FetchedFile> r) {
      {
        std::lock_guard<std::mutex> lock(out_mu);
        ++done;
        if (!r.ok()) {
          ++failed;
          std::cerr << "edgarix fetch: " << path << ": " << r.status().message() << "\n";
          std::printf("failed\t%s\t-\n", path.c_str());
        } else {
          const char* what = r->transferred    ? "fetched"
                             : r->not_modified ? "not-modified"
                                               : "complete";
          (r->transferred ? fetched : unchanged)++;
          std::printf("%s\t%s\t%llu\n", what, r->local_path.c_str(),
                      static_cast<unsigned long long>(r->size));
        }
        std::fflush(stdout);
        if (progress.enabled()) {
          const fetch::DownloaderStats s = (*downloader)->stats();
          progress.Update("fetch: " + std::to_string(done) + "/" + std::to_string(paths.size()) +
                          " done, " + HumanBytes(s.bytes_received) + ", " +
                          std::to_string(s.retries) + " retries");
        }
      }
      promise->set_value(std::move(r));
    });
  }
  for (auto& f : futures) f.wait();
  progress.Finish();
  const fetch::DownloaderStats s = (*downloader)->stats();
  std::fprintf(stderr,
               "edgarix fetch: %zu paths: %zu fetched, %zu unchanged, %zu failed; "
               "%llu requests, %llu retries, %llu blocks, %s received\n",
               paths.size(), fetched, unchanged, failed,
               static_cast<unsigned long long>(s.requests),
               static_cast<unsigned long long>(s.retries),
               static_cast<unsigned long long>(s.blocks), HumanBytes(s.bytes_received).c_str());
  return failed == 0 ? 0 : 1;
}

}  // namespace

Runner AddFetchCommand(CLI::App& app) {
  auto flags = std::make_shared<FetchFlags>();
  CLI::App* sub = app.add_subcommand(
      "fetch", "Download EDGAR archive files (politely: rate-limited, retried, resumable)");
  sub->footer(kWhatHelp);
  sub->add_option("--base-url", flags->base_url,
                  "EDGAR Archives/edgar base: https://, http:// (a mirror) or file://")
      ->capture_default_str();
  sub->add_option("--user-agent", flags->user_agent,
                  "\"Name email@domain\" sent to the SEC (or set EDGARIX_USER_AGENT)");
  sub->add_option("--out", flags->out, "Directory the files land in (SEC layout)")->required();
  sub->add_option("--journal", flags->journal,
                  "Fetch journal (RocksDB) directory; default OUT/.edgarix-journal");
  sub->add_option("--rate", flags->rate, "Requests per second, at most 10")->capture_default_str();
  sub->add_option("--parallel", flags->parallel, "Transfers at once")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  sub->add_option("--retries", flags->retries, "Attempts per file before giving up")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  sub->add_option("--cooldown", flags->cooldown,
                  "Seconds to pause all transfers after a block page")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_flag("--progress", flags->progress, "Show progress even when stderr is not a TTY");
  sub->add_option("WHAT", flags->what, "Archive paths or shorthands (see below)")->required();
  return [flags] { return RunFetch(*flags); };
}

}  // namespace edgarix::cli
