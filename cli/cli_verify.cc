#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "edgarix/core/ids.h"
#include "edgarix/index/catalog.h"
#include "edgarix/pipeline/crawl.h"
#include "nlohmann/json.hpp"

namespace edgarix::cli {
namespace {

struct VerifyFlags {
  std::string db;
  std::string format = "table";
  bool all_days = false;
};

// The accession a failure's source names ("archive#0000950123-10-078896.nc",
// "data/1000180/0000950123-10-078896.txt"), or empty.
std::string AccessionOfSource(const std::string& source) {
  size_t end = source.size();
  while (end > 0) {
    size_t start = source.find_last_of("/#", end - 1);
    start = start == std::string::npos ? 0 : start + 1;
    std::string part = source.substr(start, end - start);
    const size_t dot = part.find('.');
    if (dot != std::string::npos) part.resize(dot);
    if (auto acc = NormalizeAccession(part)) return *acc;
    if (start == 0) break;
    end = start - 1;
  }
  return "";
}

int RunVerify(const VerifyFlags& flags) {
  auto catalog = index::Catalog::Open(flags.db);
  if (!catalog.ok()) {
    std::cerr << "edgarix verify: " << flags.db << ": " << catalog.status().message() << "\n";
    return 1;
  }
  auto days = (*catalog)->ListMeta(pipeline::kDayKeyPrefix);
  auto failures = (*catalog)->Failures();
  if (!days.ok() || !failures.ok()) {
    std::cerr << "edgarix verify: " << flags.db << ": "
              << (!days.ok() ? days.status() : failures.status()).message() << "\n";
    return 1;
  }
  // The latest failure per accession (a later successful index wins anyway).
  std::map<std::string, std::string> failed;
  for (const auto& [source, reason] : *failures) {
    const std::string acc = AccessionOfSource(source);
    if (!acc.empty()) failed[acc] = source + ": " + reason;
  }

  uint64_t total_listed = 0, total_indexed = 0, total_failed = 0, total_missing = 0;
  nlohmann::json json_days = nlohmann::json::array();
  for (const auto& [key, value] : *days) {
    auto record = pipeline::DayRecordFromJson(value);
    if (!record.ok()) {
      std::cerr << "edgarix verify: " << key << ": " << record.status().message() << "\n";
      return 1;
    }
    uint64_t indexed = 0;
    std::vector<std::pair<std::string, std::string>> failed_here;
    std::vector<std::string> missing;
    for (const auto& acc : record->listed) {
      auto has = (*catalog)->HasFiling(acc);
      if (!has.ok()) {
        std::cerr << "edgarix verify: " << has.status().message() << "\n";
        return 1;
      }
      if (*has) {
        ++indexed;
      } else if (auto it = failed.find(acc); it != failed.end()) {
        failed_here.emplace_back(acc, it->second);
      } else {
        missing.push_back(acc);
      }
    }
    total_listed += record->listed.size();
    total_indexed += indexed;
    total_failed += failed_here.size();
    total_missing += missing.size();
    if (flags.format == "json") {
      nlohmann::json f = nlohmann::json::array();
      for (const auto& [acc, why] : failed_here) f.push_back({{"accession", acc}, {"reason", why}});
      json_days.push_back({{"day", record->day},
                           {"mode", record->mode},
                           {"listed", record->listed.size()},
                           {"indexed", indexed},
                           {"failed", f},
                           {"missing", missing}});
      continue;
    }
    const bool clean = failed_here.empty() && missing.empty();
    if (clean && !flags.all_days) continue;
    std::printf("%s  %-7s listed %6zu  indexed %6llu  failed %4zu  missing %4zu\n",
                record->day.c_str(), record->mode.c_str(), record->listed.size(),
                static_cast<unsigned long long>(indexed), failed_here.size(), missing.size());
    for (const auto& [acc, why] : failed_here) std::printf("    failed  %s  %s\n", acc.c_str(), why.c_str());
    for (const auto& acc : missing) std::printf("    MISSING %s\n", acc.c_str());
  }
  if (flags.format == "json") {
    nlohmann::json out = {{"days", json_days},
                          {"listed", total_listed},
                          {"indexed", total_indexed},
                          {"failed", total_failed},
                          {"missing", total_missing}};
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf("%zu days: %llu listed, %llu indexed, %llu failed (with reasons), %llu missing\n",
                days->size(), static_cast<unsigned long long>(total_listed),
                static_cast<unsigned long long>(total_indexed),
                static_cast<unsigned long long>(total_failed),
                static_cast<unsigned long long>(total_missing));
  }
  // A gap is a listed filing neither indexed nor recorded as failed.
  return total_missing == 0 ? 0 : 1;
}

}  // namespace

Runner AddVerifyCommand(CLI::App& app) {
  auto flags = std::make_shared<VerifyFlags>();
  CLI::App* cmd = app.add_subcommand(
      "verify", "Per crawled day: filings listed in the daily index vs. indexed and failed");
  cmd->add_option("--db", flags->db, "Index database directory")->required();
  cmd->add_option("--format", flags->format, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  cmd->add_flag("--all-days", flags->all_days, "List every day, not only days with gaps");
  return [flags] { return RunVerify(*flags); };
}

}  // namespace edgarix::cli
