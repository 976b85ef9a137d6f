// edgarix shard --out DIR PATH...   (one shard for a cluster task)
// edgarix merge --db DIR SHARD...   (ingest shards into an index)
// docs/SCALE.md describes the cluster job; index/shard.h the contract.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "commands.h"
#include "edgarix/fetch/input_reader.h"
#include "edgarix/index/shard.h"
#include "edgarix/index/writer.h"
#include "edgarix/parse/parser.h"
#include "edgarix/pipeline/pipeline.h"
#include "nlohmann/json.hpp"
#include "progress.h"

namespace edgarix::cli {
namespace {

namespace fs = std::filesystem;

struct ShardFlags {
  std::string out;
  int threads = 0;
  bool progress = false;
  uint64_t max_filing_mb = 1024;
  std::vector<std::string> paths;
};

// Builds the shard in `out`.work-PID (a scratch index, then the exported
// files) and renames it into place, so `out` is either absent, the previous
// complete shard, or the new complete one. A retried task simply runs again.
int RunShard(const ShardFlags& flags) {
  const auto start = std::chrono::steady_clock::now();
  fs::path out = fs::path(flags.out).lexically_normal();
  if (out.filename().empty()) out = out.parent_path();
  const fs::path work = out.string() + ".work-" + std::to_string(getpid());
  std::error_code ec;
  fs::remove_all(work, ec);
  fs::create_directories(work, ec);
  if (ec) {
    std::cerr << "edgarix shard: cannot create " << work.string() << ": " << ec.message() << "\n";
    return 1;
  }
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code e;
      fs::remove_all(dir, e);
    }
  } cleanup{work};

  fetch::InputOptions input_options;
  input_options.max_filing_bytes = flags.max_filing_mb << 20;
  auto reader = fetch::InputReader::Open(flags.paths, input_options);
  if (!reader.ok()) {
    std::cerr << "edgarix shard: " << reader.status().message() << "\n";
    return 1;
  }
  auto parser = parse::Parser::Create(parse::ParseOptions{});
  if (!parser.ok()) {
    std::cerr << "edgarix shard: " << parser.status().message() << "\n";
    return 1;
  }
  const std::string db = (work / "db").string();
  uint64_t indexed = 0, failed = 0, bytes = 0;
  {
    // The default batch limits are part of what makes the shard a pure
    // function of its inputs: do not make them depend on the machine.
    auto writer = index::IndexWriter::Open(db, index::WriterOptions{});
    if (!writer.ok()) {
      std::cerr << "edgarix shard: " << db << ": " << writer.status().message() << "\n";
      return 1;
    }
    Progress progress(flags.progress);
    pipeline::PipelineOptions options;
    options.threads = flags.threads;
    ReportPipeline("shard", progress, options);
    fetch::InputReader& input = **reader;
    pipeline::FilingSource source = [&input]() { return input.Next(); };
    auto stats = pipeline::RunIndexPipeline(source, **parser, **writer, options);
    progress.Finish();
    if (!stats.ok()) {
      std::cerr << "edgarix shard: " << flags.out << ": " << stats.status().message() << "\n";
      return 1;
    }
    indexed = stats->filings_indexed;
    failed = stats->failures;
    bytes = stats->bytes_read;
  }
  const fs::path exported = work / "shard";
  auto info = index::ExportShard(db, exported.string(), flags.paths);
  if (!info.ok()) {
    std::cerr << "edgarix shard: " << flags.out << ": " << info.status().message() << "\n";
    return 1;
  }
  fs::remove_all(work / "db", ec);
  if (fs::exists(out, ec)) {
    fs::rename(out, work / "previous", ec);
    if (ec) {
      std::cerr << "edgarix shard: cannot replace " << out.string() << ": " << ec.message() << "\n";
      return 1;
    }
  }
  if (out.has_parent_path()) fs::create_directories(out.parent_path(), ec);
  fs::rename(exported, out, ec);
  if (ec) {
    std::cerr << "edgarix shard: cannot move the shard to " << out.string() << ": " << ec.message()
              << "\n";
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  uint64_t shard_bytes = 0;
  for (const auto& f : info->files) shard_bytes += f.bytes;
  nlohmann::json j{{"shard", out.string()},   {"id", info->id},
                   {"filings", info->filings}, {"failures", info->failures},
                   {"bytes_read", bytes},      {"shard_bytes", shard_bytes},
                   {"seconds", seconds}};
  std::cout << j.dump() << "\n";
  std::fprintf(stderr, "edgarix shard: %llu filings indexed, %llu failed, %s read in %.2f s -> %s\n",
               static_cast<unsigned long long>(indexed), static_cast<unsigned long long>(failed),
               HumanBytes(bytes).c_str(), seconds, out.string().c_str());
  return 0;
}

struct MergeFlags {
  std::string db;
  std::vector<std::string> shards;
};

// A SHARD argument is a shard, or a folder of shards (merged in name order;
// scratch folders of running `edgarix shard` tasks are ignored). A folder
// entry without a manifest is an unfinished shard: the merge refuses to start.
bool ExpandShards(const std::vector<std::string>& args, std::vector<std::string>& shards) {
  bool ok = true;
  for (const auto& arg : args) {
    std::error_code ec;
    if (index::IsShard(arg)) {
      shards.push_back(arg);
      continue;
    }
    if (!fs::is_directory(arg, ec)) {
      std::cerr << "edgarix merge: " << arg << ": not a shard (no " << index::kShardManifestName
                << ") and not a folder of shards\n";
      ok = false;
      continue;
    }
    std::vector<std::string> found, unfinished;
    for (const auto& e : fs::directory_iterator(arg, ec)) {
      if (!e.is_directory(ec)) continue;
      const std::string name = e.path().filename().string();
      if (name.find(".work-") != std::string::npos) continue;
      if (index::IsShard(e.path().string())) {
        found.push_back(e.path().string());
      } else if (!fs::exists(e.path() / "CURRENT", ec)) {
        unfinished.push_back(e.path().string());
      }
    }
    std::sort(found.begin(), found.end());
    std::sort(unfinished.begin(), unfinished.end());
    for (const auto& u : unfinished) {
      std::cerr << "edgarix merge: " << u << ": unfinished shard (no "
                << index::kShardManifestName << ")\n";
      ok = false;
    }
    if (found.empty() && unfinished.empty()) {
      std::cerr << "edgarix merge: " << arg << ": no shards in this folder\n";
      ok = false;
    }
    shards.insert(shards.end(), found.begin(), found.end());
  }
  return ok;
}

int RunMerge(const MergeFlags& flags) {
  std::vector<std::string> shards;
  if (!ExpandShards(flags.shards, shards)) return 1;
  const auto start = std::chrono::steady_clock::now();
  uint64_t merged = 0, skipped = 0, filings = 0;
  auto results = index::MergeShards(flags.db, shards, [&](const index::MergeResult& r) {
    nlohmann::json j{{"shard", r.dir},
                     {"id", r.shard.id},
                     {"status", r.already_merged ? "already merged" : "merged"},
                     {"filings", r.shard.filings},
                     {"added", r.added},
                     {"replaced", r.replaced},
                     {"superseded", r.superseded},
                     {"seconds", r.seconds}};
    std::cout << j.dump() << "\n" << std::flush;
    if (r.already_merged) {
      ++skipped;
    } else {
      ++merged;
      filings += r.added + r.replaced;
    }
  });
  if (!results.ok()) {
    std::cerr << "edgarix merge: " << results.status().message()
              << " (shards merged before it are kept)\n";
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr,
               "edgarix merge: %llu shards merged, %llu already merged, %llu filings in %.2f s -> "
               "%s\n",
               static_cast<unsigned long long>(merged), static_cast<unsigned long long>(skipped),
               static_cast<unsigned long long>(filings), seconds, flags.db.c_str());
  return 0;
}

}  // namespace

Runner AddShardCommand(CLI::App& app) {
  auto flags = std::make_shared<ShardFlags>();
  CLI::App* cmd = app.add_subcommand(
      "shard", "Build one shard (sorted SST files + manifest) from filings, for a cluster task");
  cmd->add_option("--out", flags->out, "Shard directory to write (replaced when it exists)")
      ->required();
  cmd->add_option("--threads", flags->threads, "Worker threads (0 = all cores)")
      ->check(CLI::Range(0, 1024));
  cmd->add_flag("--progress", flags->progress, "Show progress even when stderr is not a terminal");
  cmd->add_option("--max-filing-mb", flags->max_filing_mb,
                  "Largest filing read into memory, in MiB; larger ones are recorded as failures")
      ->check(CLI::Range(1, 65536));
  cmd->add_option("PATH", flags->paths, "Files, folders, .gz, .tar.gz (e.g. one day's Feed archive)")
      ->required();
  return [flags] { return RunShard(*flags); };
}

Runner AddMergeCommand(CLI::App& app) {
  auto flags = std::make_shared<MergeFlags>();
  CLI::App* cmd = app.add_subcommand("merge", "Merge shards into an index (created if missing)");
  cmd->add_option("--db", flags->db, "Index database directory")->required();
  cmd->add_option("SHARD", flags->shards, "Shard directories, or folders of them (name order)")
      ->required();
  return [flags] { return RunMerge(*flags); };
}

}  // namespace edgarix::cli
