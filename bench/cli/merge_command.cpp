// accelbench merge FILE... -o OUT.json: the shards of a fleet run (and runs of several machines)
// as one result file; missing shards are reported (docs/fleet.md).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bench/cli/commands.hpp"
#include "kernels/spec/errors.hpp"
#include "reports/model/atomic_file.hpp"
#include "reports/model/merge.hpp"
#include "reports/model/result_json.hpp"
#include "reports/model/result_reader.hpp"

namespace accelbench {
namespace {

struct merge_arguments {
  std::vector<std::string> files;
  std::string out;
  bool allow_missing = false;
  std::vector<std::string> argv;
};

int merge_command(const merge_arguments& args) {
  std::vector<merge_input> inputs;
  for (const std::string& file : args.files) inputs.push_back({file, read_result_file(file)});
  const merge_outcome merged = merge_runs(inputs, args.argv);
  write_file_atomically(args.out, to_json_text(merged.merged));
  for (const std::string& line : merged.runs) std::printf("%s\n", line.c_str());
  std::printf("%zu records from %zu files (%zu duplicates dropped) written to %s\n", merged.merged.results.size(),
              args.files.size(), merged.duplicates, args.out.c_str());
  for (const std::string& line : merged.missing) {
    std::fprintf(stderr, "accelbench: %s: %s\n", args.allow_missing ? "warning" : "error", line.c_str());
  }
  return merged.missing.empty() || args.allow_missing ? 0 : 1;
}

}  // namespace

command add_merge_command(CLI::App& parent) {
  auto args = std::make_shared<merge_arguments>();
  CLI::App* cmd = parent.add_subcommand("merge", "Combine result files of shards and machines into one");
  cmd->add_option("files", args->files, "Result files (accelbench run --out)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out,-o", args->out, "Merged result file (written atomically)")->required();
  cmd->add_flag("--allow-missing", args->allow_missing, "Exit 0 even when shards of a run are missing");
  cmd->footer(
      "Records are deduplicated by (system_desc_id, device, workload, backend, run_id). Exit code: 0 merged,\n"
      "1 some run has missing shards (the file is still written), 2 bad input (unreadable file, other schema "
      "major).\n\n"
      "Example: accelbench merge shard-*.json --out merged.json");
  return {cmd, [args, cmd] {
            args->argv = {"accelbench", "merge"};
            for (const std::string& f : args->files) args->argv.push_back(f);
            args->argv.insert(args->argv.end(), {"--out", args->out});
            return merge_command(*args);
          }};
}

}  // namespace accelbench
