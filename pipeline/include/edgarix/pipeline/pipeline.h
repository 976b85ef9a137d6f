#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "edgarix/core/filing.h"
#include "edgarix/index/writer.h"
#include "edgarix/parse/parser.h"

namespace edgarix::pipeline {

// Pulls the next filing; nullopt at the end. Called from one thread at a time.
using FilingSource = std::function<std::optional<RawFiling>()>;

struct PipelineStats {
  uint64_t filings_read = 0;     // filings pulled from the source
  uint64_t filings_indexed = 0;  // written to the index
  uint64_t failures = 0;         // unreadable or unparseable, recorded
  uint64_t bytes_read = 0;       // raw filing bytes
  double seconds = 0;
};

struct PipelineOptions {
  // Worker threads for parse + analyze; 0 = all cores. Default: 0.
  int threads = 0;
  // Filings in flight at once (bounds memory: at most this many raw filings
  // plus their parsed forms live at a time). 0 = 4 x threads. Default: 0.
  int max_in_flight = 0;
  // Called on the writer thread after each filing is written or fails, with
  // running totals; for progress displays. May be empty.
  std::function<void(const PipelineStats&)> on_progress;
  // Called on the writer thread for each filing that could not be read or
  // parsed, with its source and the reason (also recorded in the index).
  std::function<void(const std::string& source, const std::string& reason)> on_failure;
};


// Runs source -> parse + analyze (parallel, oneTBB parallel_pipeline with a
// token limit) -> IndexWriter::Add (serial, in input order), then commits.
// A filing that cannot be read or parsed is recorded with
// IndexWriter::AddFailure and the run goes on. Returns the first store error
// (the run is cancelled then; batches committed before it stay in the index).
//
// `parser` must be safe for concurrent use (parse::Parser is).
absl::StatusOr<PipelineStats> RunIndexPipeline(const FilingSource& source,
                                               const parse::Parser& parser,
                                               index::IndexWriter& writer,
                                               const PipelineOptions& options);

}  // namespace edgarix::pipeline
