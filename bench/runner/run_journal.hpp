#pragma once
// The run journal: what makes a long run survive Ctrl-C, kill -9, a crash or a power cut.
// JSON lines next to the result file (<out>.journal by default):
//   line 1     {"accelbench_journal": 1, "schema_version", "meta", "system", "options", "cases"}
//   line 2...  {"index": I, "elapsed_s": T, "case": <results[] record>}  one per finished case
// Each line is written with one write() and fsync'd before the next case starts, so a finished
// case is never lost. A process killed mid-write leaves at most one partial last line, which
// the reader drops (and the resumed run overwrites). `accelbench run --resume JOURNAL` reads
// it back (docs/reliability.md).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/model/case_key.hpp"
#include "reports/model/result.hpp"

namespace accelbench {

inline constexpr int journal_format_version = 1;

struct journal_entry {
  std::size_t index = 0;   // position in header.cases
  double elapsed_s = 0.0;  // measuring time of the run so far, over all sessions
  case_result record;
};

struct journal_contents {
  nlohmann::ordered_json header;       // line 1 as written
  std::vector<case_key> cases;         // the run's cases in order: on resume, neither may change
  std::vector<journal_entry> entries;  // in file order
  std::uint64_t valid_bytes = 0;       // length of the complete lines
  bool dropped_partial_line = false;   // a write was cut off (kill -9, power loss)
};

// Builds line 1. `options` holds the resolved run options (checked again on resume).
nlohmann::ordered_json make_journal_header(const nlohmann::ordered_json& meta, const nlohmann::ordered_json& system,
                                           const nlohmann::ordered_json& options, const std::vector<case_key>& cases);

// Throws input_error naming the journal, the line and the field on anything malformed.
journal_contents parse_journal(const std::string& text, const std::string& origin);
journal_contents read_journal(const std::string& path);

class journal_writer {
 public:
  journal_writer() = default;
  journal_writer(const journal_writer&) = delete;
  journal_writer& operator=(const journal_writer&) = delete;
  journal_writer(journal_writer&& other) noexcept;
  journal_writer& operator=(journal_writer&& other) noexcept;
  ~journal_writer();

  // A new journal holding only the header; throws input_error when it cannot be created.
  static journal_writer create(const std::string& path, const nlohmann::ordered_json& header);
  // Reopens an existing journal for appending, cutting it to `valid_bytes` (drops a partial line).
  static journal_writer reopen(const std::string& path, std::uint64_t valid_bytes);

  // Appends one finished case and fsyncs; throws std::runtime_error on an I/O error.
  void append(std::size_t index, double elapsed_s, const case_result& record);
  // Deletes the journal (after the final result file is safely written).
  void remove();
  const std::string& path() const { return m_path; }

 private:
  void write_line(const std::string& line);
  std::string m_path;
  int m_fd = -1;
};

}  // namespace accelbench
