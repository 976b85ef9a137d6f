#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "edgarix/fetch/input_reader.h"
#include "edgarix/index/writer.h"
#include "edgarix/parse/parser.h"
#include "edgarix/pipeline/pipeline.h"
#include "progress.h"

namespace edgarix::cli {
namespace {

struct IndexFlags {
  std::string db;
  int threads = 0;
  bool progress = false;
  bool strict = false;
  size_t batch_filings = 4096;
  uint64_t max_filing_mb = 1024;
  std::vector<std::string> paths;
};

int RunIndex(const IndexFlags& flags) {
  fetch::InputOptions input_options;
  input_options.max_filing_bytes = flags.max_filing_mb << 20;
  auto reader = fetch::InputReader::Open(flags.paths, input_options);
  if (!reader.ok()) {
    std::cerr << "edgarix index: " << reader.status().message() << "\n";
    return 1;
  }
  auto parser = parse::Parser::Create(parse::ParseOptions{});
  if (!parser.ok()) {
    std::cerr << "edgarix index: " << parser.status().message() << "\n";
    return 1;
  }
  index::WriterOptions writer_options;
  writer_options.batch_max_filings = flags.batch_filings;
  auto writer = index::IndexWriter::Open(flags.db, writer_options);
  if (!writer.ok()) {
    std::cerr << "edgarix index: " << flags.db << ": " << writer.status().message() << "\n";
    return 1;
  }

  Progress progress(flags.progress);
  pipeline::PipelineOptions options;
  options.threads = flags.threads;
  ReportPipeline("index", progress, options);
  fetch::InputReader& input = **reader;
  pipeline::FilingSource source = [&input]() { return input.Next(); };
  auto stats = pipeline::RunIndexPipeline(source, **parser, **writer, options);
  progress.Finish();
  if (!stats.ok()) {
    std::cerr << "edgarix index: " << flags.db << ": " << stats.status().message()
              << " (batches committed before the error are kept)\n";
    return 1;
  }
  std::fprintf(stderr,
               "edgarix index: %llu filings indexed, %llu failed, %s in %.2f s (%.1f MB/s) -> %s\n",
               static_cast<unsigned long long>(stats->filings_indexed),
               static_cast<unsigned long long>(stats->failures),
               HumanBytes(stats->bytes_read).c_str(), stats->seconds,
               stats->seconds > 0 ? stats->bytes_read / 1e6 / stats->seconds : 0.0,
               flags.db.c_str());
  if (stats->failures > 0) {
    std::fprintf(stderr, "edgarix index: see `edgarix stats --db %s` for the failures\n",
                 flags.db.c_str());
  }
  return flags.strict && stats->failures > 0 ? 1 : 0;
}

}  // namespace

Runner AddIndexCommand(CLI::App& app) {
  auto flags = std::make_shared<IndexFlags>();
  CLI::App* cmd = app.add_subcommand(
      "index", "Index filings, folders, .gz files and Feed archives (.nc.tar.gz) into a database");
  cmd->add_option("--db", flags->db, "Index database directory (created if missing)")->required();
  cmd->add_option("--threads", flags->threads, "Worker threads (0 = all cores)")
      ->check(CLI::Range(0, 1024));
  cmd->add_flag("--progress", flags->progress, "Show progress even when stderr is not a terminal");
  cmd->add_flag("--strict", flags->strict, "Exit 1 when any filing failed to parse");
  cmd->add_option("--batch", flags->batch_filings, "Filings per committed batch")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--max-filing-mb", flags->max_filing_mb,
                  "Largest filing read into memory, in MiB; larger ones are recorded as failures")
      ->check(CLI::Range(1, 65536));
  cmd->add_option("PATH", flags->paths, "Files, folders, .gz, .tar.gz")->required();
  return [flags] { return RunIndex(*flags); };
}

}  // namespace edgarix::cli
