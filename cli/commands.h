#pragma once

#include <functional>

#include "CLI/CLI.hpp"

namespace edgarix::cli {

// Each subcommand lives in cli_<name>.cc: AddXCommand registers its flags on
// `app` and returns the function that runs it once parsing succeeded. The
// function returns the process exit code: 0 ok, 1 failure, 2 usage error.
// Results go to stdout, diagnostics to stderr.
using Runner = std::function<int()>;

Runner AddParseCommand(CLI::App& app);
Runner AddIndexCommand(CLI::App& app);
Runner AddQueryCommand(CLI::App& app);
Runner AddStatsCommand(CLI::App& app);
Runner AddFetchCommand(CLI::App& app);
Runner AddCrawlCommand(CLI::App& app);
Runner AddVerifyCommand(CLI::App& app);
Runner AddShardCommand(CLI::App& app);
Runner AddMergeCommand(CLI::App& app);

// Parses argv and runs the chosen subcommand.
int Run(int argc, char** argv);

}  // namespace edgarix::cli
