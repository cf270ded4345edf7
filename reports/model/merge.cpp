#include "reports/model/merge.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kernels/spec/errors.hpp"
#include "reports/model/case_key.hpp"

namespace accelbench {
namespace {

// How final a record is: a measured or decided outcome beats one that never ran to the end.
int finality(outcome o) { return o == outcome::skipped || o == outcome::interrupted || o == outcome::pending ? 0 : 1; }

std::string system_id_of(const run_record& run) {
  const auto it = run.system.find("system_desc_id");
  return it != run.system.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

merge_outcome merge_runs(const std::vector<merge_input>& inputs, const std::vector<std::string>& argv) {
  if (inputs.empty()) throw input_error("merge: no input files; usage: accelbench merge FILE... -o OUT.json");
  merge_outcome out;
  run_record& merged = out.merged;
  merged.meta = inputs.front().run.meta;  // the measuring tool and protocol of the first file
  merged.meta.argv = argv;
  merged.meta.wall_s = 0.0;
  merged.meta.shard_index = 0;
  merged.meta.shard_count = 0;

  struct run_shards {
    int count = 0;
    std::string count_origin;
    std::set<int> seen;
    std::vector<std::string> files;
  };
  std::map<std::string, run_shards> shards;  // by run id
  std::vector<std::string> run_order;
  std::map<std::string, nlohmann::ordered_json> systems;  // by system_desc_id
  std::vector<std::string> system_order;
  std::map<record_key, std::size_t> taken;  // key -> index in merged.results

  for (const merge_input& input : inputs) {
    const run_record& run = input.run;
    const std::string system_id = system_id_of(run);
    if (systems.emplace(system_id, run.system).second) system_order.push_back(system_id);
    merged.meta.started_at_utc = std::min(merged.meta.started_at_utc, run.meta.started_at_utc);
    merged.meta.timestamp_utc = std::max(merged.meta.timestamp_utc, run.meta.timestamp_utc);
    merged.meta.wall_s += run.meta.wall_s;

    const std::string run_id = run.meta.run_id;
    auto [it, added] = shards.try_emplace(run_id);
    run_shards& s = it->second;
    if (added) run_order.push_back(run_id);
    s.files.push_back(input.origin);
    if (run.meta.shard_count > 0) {
      if (s.count != 0 && s.count != run.meta.shard_count) {
        throw input_error(fmt::format("{}: field 'meta.shard.count': {} shards, but {} of the same run '{}' says {}",
                                      input.origin, run.meta.shard_count, s.count_origin, run_id, s.count));
      }
      s.count = run.meta.shard_count;
      s.count_origin = input.origin;
      s.seen.insert(run.meta.shard_index);
    }

    for (const case_result& original : run.results) {
      case_result r = original;
      if (r.system_desc_id.empty()) r.system_desc_id = system_id;  // 1.0.0 files
      if (r.run_id.empty()) r.run_id = run_id;
      const record_key key = record_key_of(r);
      const auto found = taken.find(key);
      if (found == taken.end()) {
        taken.emplace(key, merged.results.size());
        merged.results.push_back(std::move(r));
        continue;
      }
      ++out.duplicates;
      case_result& kept = merged.results[found->second];
      if (finality(r.result) > finality(kept.result)) kept = std::move(r);
    }
  }

  merged.meta.run_id = run_order.size() == 1 ? run_order.front() : "multiple";
  if (systems.size() == 1) {
    merged.system = systems.begin()->second;
  } else {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const std::string& id : system_order) list.push_back(systems[id]);
    merged.system = {{"system_desc_id", "multiple"}, {"systems", list}};
  }

  for (const std::string& run_id : run_order) {
    const run_shards& s = shards[run_id];
    const std::string name = run_id.empty() ? "(no run id)" : run_id;
    if (s.count == 0) {
      out.runs.push_back(fmt::format("run {}: {} file(s), not sharded", name, s.files.size()));
      continue;
    }
    std::vector<int> missing;
    for (int i = 0; i < s.count; ++i) {
      if (s.seen.count(i) == 0) missing.push_back(i);
    }
    out.runs.push_back(
        fmt::format("run {}: {} of {} shards in {} file(s)", name, s.count - missing.size(), s.count, s.files.size()));
    if (!missing.empty()) {
      out.missing.push_back(fmt::format("run {}: shard(s) {} of {} missing", name, fmt::join(missing, ", "), s.count));
    }
  }
  return out;
}

}  // namespace accelbench
