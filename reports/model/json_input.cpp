#include "reports/model/json_input.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kernels/spec/errors.hpp"

namespace accelbench {

json_cursor::json_cursor(const json& value, std::string origin, std::string path)
    : m_value(&value), m_origin(std::move(origin)), m_path(std::move(path)) {}

void json_cursor::fail(std::string_view what) const {
  if (m_path.empty()) throw input_error(fmt::format("{}: {}", m_origin, what));
  throw input_error(fmt::format("{}: field '{}': {}", m_origin, m_path, what));
}

json_cursor json_cursor::entry(std::string_view name) const {
  return json_cursor(*m_value, fmt::format("{}: {}", m_origin, name));
}

std::string json_cursor::child_path(std::string_view key) const {
  return m_path.empty() ? std::string(key) : fmt::format("{}.{}", m_path, key);
}

void json_cursor::require_object() const {
  if (!m_value->is_object()) fail("expected an object");
}

bool json_cursor::has(std::string_view key) const { return m_value->is_object() && m_value->contains(key); }

json_cursor json_cursor::at(std::string_view key) const {
  require_object();
  const auto it = m_value->find(key);
  if (it == m_value->end()) json_cursor(*m_value, m_origin, child_path(key)).fail("missing");
  return json_cursor(*it, m_origin, child_path(key));
}

void json_cursor::only_keys(const std::vector<std::string>& accepted, std::string_view see) const {
  require_object();
  for (const auto& item : m_value->items()) {
    if (std::find(accepted.begin(), accepted.end(), item.key()) != accepted.end()) continue;
    const std::string where = see.empty() ? std::string() : fmt::format(" ({})", see);
    json_cursor(item.value(), m_origin, child_path(item.key()))
        .fail(fmt::format("unknown key; accepted: {}{}", fmt::join(accepted, ", "), where));
  }
}

void json_cursor::only_keys(std::initializer_list<std::string_view> accepted) const {
  only_keys(std::vector<std::string>(accepted.begin(), accepted.end()));
}

std::size_t json_cursor::array_size() const {
  if (!m_value->is_array()) fail("expected an array");
  return m_value->size();
}

json_cursor json_cursor::index(std::size_t i) const {
  return json_cursor(m_value->at(i), m_origin, fmt::format("{}[{}]", m_path, i));
}

std::vector<std::string> json_cursor::strings() const {
  if (!m_value->is_array()) fail("expected an array of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < m_value->size(); ++i) out.push_back(index(i).nonempty_string());
  return out;
}

std::string json_cursor::string() const {
  if (!m_value->is_string()) fail("expected a string");
  return m_value->get<std::string>();
}

std::string json_cursor::nonempty_string() const {
  std::string s = string();
  if (s.empty()) fail("expected a non-empty string");
  return s;
}

std::string json_cursor::string_or_empty() const { return is_null() ? std::string() : string(); }

bool json_cursor::boolean() const {
  if (!m_value->is_boolean()) fail("expected true or false");
  return m_value->get<bool>();
}

std::int64_t json_cursor::integer(std::int64_t min) const {
  // An unsigned value above INT64_MAX would wrap to a negative one in get<std::int64_t>().
  const bool fits =
      m_value->is_number_integer() && (!m_value->is_number_unsigned() || m_value->get<std::uint64_t>() <= INT64_MAX);
  if (!fits || m_value->get<std::int64_t>() < min) {
    fail(min == INT64_MIN ? std::string("expected an integer") : fmt::format("expected an integer >= {}", min));
  }
  return m_value->get<std::int64_t>();
}

int json_cursor::small_integer(int min) const {
  const bool fits =
      m_value->is_number_integer() && (!m_value->is_number_unsigned() || m_value->get<std::uint64_t>() <= INT_MAX);
  if (!fits || m_value->get<std::int64_t>() < min || m_value->get<std::int64_t>() > INT_MAX) {
    fail(fmt::format("expected an integer from {} to {}", min, INT_MAX));
  }
  return static_cast<int>(m_value->get<std::int64_t>());
}

std::uint64_t json_cursor::unsigned_integer() const {
  if (!m_value->is_number_unsigned() && !(m_value->is_number_integer() && m_value->get<std::int64_t>() >= 0)) {
    fail("expected an integer >= 0");
  }
  return m_value->get<std::uint64_t>();
}

double json_cursor::number() const {
  if (!m_value->is_number()) fail("expected a number");
  return m_value->get<double>();
}

double json_cursor::number_or_nan() const { return is_null() ? std::numeric_limits<double>::quiet_NaN() : number(); }

std::optional<double> json_cursor::number_or_null() const {
  if (is_null()) return std::nullopt;
  if (!m_value->is_number()) fail("expected a number or null");
  return m_value->get<double>();
}

double json_cursor::positive() const {
  if (!m_value->is_number() || !(m_value->get<double>() > 0)) fail("expected a positive number");
  return m_value->get<double>();
}

std::optional<double> json_cursor::positive_or_null() const {
  if (is_null()) return std::nullopt;
  if (!m_value->is_number() || !(m_value->get<double>() > 0)) fail("expected a positive number or null");
  return m_value->get<double>();
}

nlohmann::ordered_json read_json_file(const std::string& path, std::string_view hint) {
  const std::string tail = hint.empty() ? std::string() : fmt::format("; {}", hint);
  std::error_code ignored;
  // An ifstream opens a folder and then reads nothing, which would read as "not valid JSON".
  if (std::filesystem::is_directory(path, ignored)) {
    throw input_error(fmt::format("{}: cannot read the file (it is a directory){}", path, tail));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error(fmt::format("{}: cannot read the file ({}){}", path, std::strerror(errno), tail));
  std::stringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::ordered_json::parse(text.str());
  } catch (const nlohmann::ordered_json::parse_error& e) {
    throw input_error(fmt::format("{}: not valid JSON (byte {}){}", path, e.byte, tail));
  } catch (const nlohmann::ordered_json::exception& e) {  // e.g. a number too large for a double
    throw input_error(fmt::format("{}: unreadable JSON: {}{}", path, e.what(), tail));
  }
}

}  // namespace accelbench
