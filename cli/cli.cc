#include <string>
#include <utility>
#include <vector>

#include "commands.h"

namespace edgarix::cli {

int Run(int argc, char** argv) {
  CLI::App app{"edgarix: a local, searchable copy of SEC EDGAR"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "edgarix 0.1.0");
  // The table of subcommands: add one line per cli_<name>.cc.
  std::vector<std::pair<CLI::App*, Runner>> commands;
  auto add = [&](Runner (*adder)(CLI::App&)) {
    const size_t before = app.get_subcommands({}).size();
    Runner runner = adder(app);
    commands.emplace_back(app.get_subcommands({})[before], std::move(runner));
  };
  add(&AddParseCommand);
  add(&AddIndexCommand);
  add(&AddCrawlCommand);
  add(&AddVerifyCommand);
  add(&AddFetchCommand);
  add(&AddQueryCommand);
  add(&AddStatsCommand);
  add(&AddShardCommand);
  add(&AddMergeCommand);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  for (auto& [sub, runner] : commands) {
    if (sub->parsed()) return runner();
  }
  return 2;
}

}  // namespace edgarix::cli
