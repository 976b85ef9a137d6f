#include "edgarix/pipeline/pipeline.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <utility>

#include "oneapi/tbb/global_control.h"
#include "oneapi/tbb/parallel_pipeline.h"
#include "oneapi/tbb/task_arena.h"
#include "oneapi/tbb/task_group.h"

namespace edgarix::pipeline {
namespace {

// One filing in flight. Tokens are unique_ptr: oneTBB 2021.8 rejects const T*.
struct Item {
  RawFiling raw;
  index::AnalyzedFilingPtr analyzed;
  std::string error;  // why the filing could not be indexed
};

}  // namespace

absl::StatusOr<PipelineStats> RunIndexPipeline(const FilingSource& source,
                                               const parse::Parser& parser,
                                               index::IndexWriter& writer,
                                               const PipelineOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const int threads = options.threads > 0
                          ? options.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const size_t max_in_flight =
      options.max_in_flight > 0 ? static_cast<size_t>(options.max_in_flight)
                                : static_cast<size_t>(4 * threads);

  PipelineStats stats;
  absl::Status store_status;  // written by the write stage only
  // Set after a store error: the read stage stops and in-flight filings drain
  // through unanalyzed. (Cancelling the task group instead would drop the
  // tokens in flight without destroying them: LeakSanitizer finds them.)
  std::atomic<bool> store_failed{false};
  bool source_done = false;
  tbb::task_group_context context;
  tbb::task_arena arena(threads);

  auto read = [&](tbb::flow_control& fc) -> std::unique_ptr<Item> {
    if (source_done || store_failed.load(std::memory_order_relaxed)) {
      fc.stop();
      return nullptr;
    }
    std::optional<RawFiling> raw = source();
    if (!raw) {
      source_done = true;
      fc.stop();
      return nullptr;
    }
    auto item = std::make_unique<Item>();
    item->raw = std::move(*raw);
    ++stats.filings_read;
    stats.bytes_read += item->raw.bytes.size();
    return item;
  };

  auto analyze = [&](std::unique_ptr<Item> item) -> std::unique_ptr<Item> {
    if (store_failed.load(std::memory_order_relaxed)) {
      std::string().swap(item->raw.bytes);
      return item;
    }
    if (!item->raw.read_error.empty()) {
      item->error = item->raw.read_error;
    } else {
      absl::StatusOr<ParsedFiling> parsed = parser.Parse(item->raw);
      if (parsed.ok()) {
        item->analyzed = index::Analyze(*std::move(parsed));
      } else {
        item->error = std::string(parsed.status().message());
      }
    }
    // The raw bytes are not needed past this point; free them before the
    // token waits in the writer's queue.
    std::string().swap(item->raw.bytes);
    return item;
  };

  auto write = [&](std::unique_ptr<Item> item) {
    if (!store_status.ok()) return;
    absl::Status status;
    if (item->analyzed) {
      status = writer.Add(std::move(item->analyzed));
      if (status.ok()) ++stats.filings_indexed;
    } else {
      status = writer.AddFailure(item->raw.source, item->error);
      if (status.ok()) ++stats.failures;
      if (options.on_failure) options.on_failure(item->raw.source, item->error);
    }
    if (!status.ok()) {
      store_status = std::move(status);
      store_failed.store(true, std::memory_order_relaxed);
      return;
    }
    if (options.on_progress) {
      stats.seconds = std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - start).count();
      options.on_progress(stats);
    }
  };

  arena.execute([&] {
    tbb::parallel_pipeline(
        max_in_flight,
        tbb::make_filter<void, std::unique_ptr<Item>>(tbb::filter_mode::serial_in_order, read) &
            tbb::make_filter<std::unique_ptr<Item>, std::unique_ptr<Item>>(
                tbb::filter_mode::parallel, analyze) &
            tbb::make_filter<std::unique_ptr<Item>, void>(tbb::filter_mode::serial_in_order,
                                                          write),
        context);
  });
  if (!store_status.ok()) return store_status;
  absl::Status commit = writer.Commit();
  if (!commit.ok()) return commit;
  stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace edgarix::pipeline
