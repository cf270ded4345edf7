#include "bench/runner/run_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "kernels/spec/errors.hpp"
#include "reports/model/result_json.hpp"
#include "reports/model/result_reader.hpp"

namespace accelbench {
namespace {

using json = nlohmann::ordered_json;

constexpr std::string_view header_form =
    "line 1 must be {\"accelbench_journal\": 1, \"schema_version\", \"meta\", \"system\", \"options\", \"cases\"}";

// The folder entry of a new file must reach the disk too, or a power cut loses the file.
void sync_parent_directory(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) parent = ".";
  const int fd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

[[noreturn]] void fail(const std::string& origin, std::size_t line, const std::string& what) {
  throw input_error(fmt::format("{}:{}: {}", origin, line, what));
}

std::vector<case_key> read_cases(const json& cases, const std::string& origin) {
  if (!cases.is_array()) fail(origin, 1, "field 'cases': expected an array of [workload, backend, device]");
  std::vector<case_key> out;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const json& c = cases[i];
    if (!c.is_array() || c.size() != 3 || !c[0].is_string() || !c[1].is_string() || !c[2].is_number_integer() ||
        c[2].get<std::int64_t>() < 0 || c[2].get<std::int64_t>() > 1'000'000) {
      fail(origin, 1, fmt::format("field 'cases[{}]': expected [workload, backend, device index]", i));
    }
    out.push_back({c[0].get<std::string>(), c[1].get<std::string>(), static_cast<int>(c[2].get<std::int64_t>())});
  }
  return out;
}

void check_header(const json& header, const std::string& origin) {
  if (!header.is_object()) fail(origin, 1, fmt::format("not an accelbench journal; {}", header_form));
  const auto version = header.find("accelbench_journal");
  if (version == header.end() || !version->is_number_integer()) {
    fail(origin, 1, fmt::format("not an accelbench journal; {}", header_form));
  }
  if (version->get<std::int64_t>() != journal_format_version) {
    fail(origin, 1,
         fmt::format(
             "journal format {} is not the one this accelbench writes ({}); resume with the accelbench that wrote it",
             version->dump(), journal_format_version));
  }
  for (const char* key : {"schema_version", "meta", "system", "options", "cases"}) {
    if (!header.contains(key)) fail(origin, 1, fmt::format("field '{}': missing; {}", key, header_form));
  }
  for (const auto& [key, value] : header.items()) {
    if (key != "accelbench_journal" && key != "schema_version" && key != "meta" && key != "system" &&
        key != "options" && key != "cases") {
      fail(origin, 1, fmt::format("field '{}': unknown key; {}", key, header_form));
    }
  }
  if (!header["schema_version"].is_string() || header["schema_version"].get<std::string>() != results_schema_version) {
    fail(origin, 1,
         fmt::format("field 'schema_version': expected \"{}\" (the journal was written by another accelbench)",
                     results_schema_version));
  }
  for (const char* key : {"meta", "system", "options"}) {
    if (!header[key].is_object()) fail(origin, 1, fmt::format("field '{}': expected an object", key));
  }
}

}  // namespace

json make_journal_header(const json& meta, const json& system, const json& options,
                         const std::vector<case_key>& cases) {
  json list = json::array();
  for (const case_key& c : cases) list.push_back(json::array({c.workload, c.backend, c.device}));
  return {{"accelbench_journal", journal_format_version},
          {"schema_version", results_schema_version},
          {"meta", meta},
          {"system", system},
          {"options", options},
          {"cases", list}};
}

journal_contents parse_journal(const std::string& text, const std::string& origin) {
  journal_contents contents;
  std::size_t line_number = 0;
  std::size_t pos = 0;
  std::vector<bool> seen;
  while (pos < text.size()) {
    const std::size_t newline = text.find('\n', pos);
    if (newline == std::string::npos) {
      contents.dropped_partial_line = true;  // cut off mid-write: that case was not finished
      break;
    }
    ++line_number;
    const std::string_view line(text.data() + pos, newline - pos);
    json document;
    try {
      document = json::parse(line);
    } catch (const json::exception&) {
      fail(origin, line_number, "not valid JSON; an accelbench journal holds one JSON object per line");
    }
    if (line_number == 1) {
      check_header(document, origin);
      contents.cases = read_cases(document["cases"], origin);
      contents.header = std::move(document);
      seen.assign(contents.cases.size(), false);
    } else {
      constexpr std::string_view entry_form = "each line after the first is {\"index\", \"elapsed_s\", \"case\"}";
      if (!document.is_object() || document.size() != 3 || !document.contains("index") ||
          !document.contains("elapsed_s") || !document.contains("case")) {
        fail(origin, line_number, fmt::format("not a journal entry; {}", entry_form));
      }
      const json& index = document["index"];
      if (!index.is_number_unsigned() || index.get<std::uint64_t>() >= contents.cases.size()) {
        fail(origin, line_number, fmt::format("field 'index': expected a case index below {}", contents.cases.size()));
      }
      const json& elapsed = document["elapsed_s"];
      if (!elapsed.is_number() || !(elapsed.get<double>() >= 0.0) || !std::isfinite(elapsed.get<double>())) {
        fail(origin, line_number, "field 'elapsed_s': expected a non-negative number of seconds");
      }
      journal_entry entry;
      entry.index = index.get<std::size_t>();
      entry.elapsed_s = elapsed.get<double>();
      entry.record = case_from_json(document["case"], fmt::format("{}:{}", origin, line_number), "case");
      const case_key& expected = contents.cases[entry.index];
      if (case_key_of(entry.record) != expected) {
        fail(origin, line_number,
             fmt::format("field 'case': is not case {} of the header ({} on {} device {})", entry.index,
                         expected.workload, expected.backend, expected.device));
      }
      if (entry.record.result == outcome::interrupted) {
        fail(origin, line_number, "field 'case.outcome': an interrupted case is never journaled");
      }
      if (seen[entry.index]) fail(origin, line_number, fmt::format("case {} appears twice", entry.index));
      seen[entry.index] = true;
      contents.entries.push_back(std::move(entry));
    }
    pos = newline + 1;
    contents.valid_bytes = pos;
  }
  if (line_number == 0) {
    throw input_error(fmt::format("{}: no header line; not an accelbench journal ({})", origin, header_form));
  }
  return contents;
}

journal_contents read_journal(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored))
    throw input_error(fmt::format("--resume '{}': is a directory; name the journal file", path));
  std::ifstream file(path, std::ios::binary);
  if (!file) throw input_error(fmt::format("--resume '{}': cannot read the journal", path));
  std::stringstream text;
  text << file.rdbuf();
  return parse_journal(text.str(), path);
}

journal_writer::journal_writer(journal_writer&& other) noexcept : m_path(std::move(other.m_path)), m_fd(other.m_fd) {
  other.m_fd = -1;
}

journal_writer& journal_writer::operator=(journal_writer&& other) noexcept {
  if (this != &other) {
    if (m_fd >= 0) ::close(m_fd);
    m_path = std::move(other.m_path);
    m_fd = other.m_fd;
    other.m_fd = -1;
  }
  return *this;
}

journal_writer::~journal_writer() {
  if (m_fd >= 0) ::close(m_fd);
}

journal_writer journal_writer::create(const std::string& path, const json& header) {
  journal_writer writer;
  writer.m_path = path;
  writer.m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (writer.m_fd < 0) {
    throw input_error(fmt::format("--journal '{}': cannot create the journal: {}", path, std::strerror(errno)));
  }
  try {
    writer.write_line(header.dump(-1, ' ', false, json::error_handler_t::replace));
  } catch (const std::runtime_error& e) {
    throw input_error(fmt::format("--journal '{}': {}", path, e.what()));
  }
  sync_parent_directory(path);
  return writer;
}

journal_writer journal_writer::reopen(const std::string& path, std::uint64_t valid_bytes) {
  journal_writer writer;
  writer.m_path = path;
  writer.m_fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (writer.m_fd < 0 || ::ftruncate(writer.m_fd, static_cast<off_t>(valid_bytes)) != 0 || ::fsync(writer.m_fd) != 0) {
    throw input_error(fmt::format("--resume '{}': cannot append to the journal: {}", path, std::strerror(errno)));
  }
  return writer;
}

void journal_writer::append(std::size_t index, double elapsed_s, const case_result& record) {
  const json entry = {
      {"index", index}, {"elapsed_s", std::isfinite(elapsed_s) ? elapsed_s : 0.0}, {"case", to_json(record)}};
  write_line(entry.dump(-1, ' ', false, json::error_handler_t::replace));
}

void journal_writer::write_line(const std::string& line) {
  if (m_fd < 0) throw std::runtime_error(fmt::format("journal '{}' is not open", m_path));
  const std::string text = line + "\n";
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(m_fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(fmt::format("cannot write the journal '{}': {}", m_path, std::strerror(errno)));
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(m_fd) != 0) {
    throw std::runtime_error(fmt::format("cannot sync the journal '{}': {}", m_path, std::strerror(errno)));
  }
}

void journal_writer::remove() {
  if (m_fd >= 0) ::close(m_fd);
  m_fd = -1;
  if (!m_path.empty()) ::unlink(m_path.c_str());
}

}  // namespace accelbench
