#pragma once
// Reading JSON that a person or another program wrote (result files, ceilings, the spec
// database). A json_cursor is one value plus where it came from: the origin (a file, "FILE:
// device 'H20'", "journal:7") and the dotted field path inside it. Every problem is one
// input_error line naming both and the accepted form,
//   f.json: field 'results[3].flops': expected an integer >= 0
// so all readers report alike and none re-implements the checks.
#include <climits>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace accelbench {

class json_cursor {
 public:
  using json = nlohmann::ordered_json;
  // `value` must outlive the cursor and every cursor taken from it.
  json_cursor(const json& value, std::string origin, std::string path = {});

  // Throws input_error("ORIGIN: field 'PATH': WHAT"), or "ORIGIN: WHAT" at the root.
  [[noreturn]] void fail(std::string_view what) const;
  const json& value() const { return *m_value; }
  bool is_null() const { return m_value->is_null(); }
  // The same value as an entry of the origin, its path starting again: "FILE: device 'H20'".
  json_cursor entry(std::string_view name) const;

  // Objects. at() is a required key ("missing"); has() is false for a non-object.
  void require_object() const;
  bool has(std::string_view key) const;
  json_cursor at(std::string_view key) const;
  // Keys outside `accepted` are errors: a misspelt key must not silently read as absent.
  // `see` names where the keys are documented, for the message.
  void only_keys(const std::vector<std::string>& accepted, std::string_view see = {}) const;
  void only_keys(std::initializer_list<std::string_view> accepted) const;

  // Arrays.
  std::size_t array_size() const;
  json_cursor index(std::size_t i) const;
  std::vector<std::string> strings() const;  // each non-empty

  // Scalars.
  std::string string() const;
  std::string nonempty_string() const;
  std::string string_or_empty() const;  // null reads as ""
  bool boolean() const;
  std::int64_t integer(std::int64_t min = INT64_MIN) const;
  int small_integer(int min = INT_MIN) const;  // also at most INT_MAX
  std::uint64_t unsigned_integer() const;      // the whole uint64 range (seeds)
  double number() const;
  // Null is how writers store NaN, infinity and "not known" (json_output.hpp).
  double number_or_nan() const;
  std::optional<double> number_or_null() const;
  double positive() const;
  std::optional<double> positive_or_null() const;

 private:
  std::string child_path(std::string_view key) const;
  const json* m_value;
  std::string m_origin, m_path;
};

// Reads and parses a whole file. Throws input_error "FILE: cannot read the file (REASON)" or
// "FILE: not valid JSON (byte N)", followed by "; HINT" where a hint says what file is expected.
nlohmann::ordered_json read_json_file(const std::string& path, std::string_view hint = {});

}  // namespace accelbench
