#pragma once
// The spec database: vendor peak figures per device SKU x dtype, with dense and sparse kept in
// separate fields, each figure carrying its sources and a status tag. Data, not code: it is
// read at run time from reports/views/data/specs/*.json (docs/reports.md describes the format).
//
// Files in the directory are told apart by their "kind": "sources" (id -> title + URL),
// "vendor" (devices), "press" (figures as the press quotes them, for the report's press
// section). Every field is validated; a malformed file is an input_error naming the file, the
// entry and the field. Unknown keys are errors too (a typo must not silently drop a figure).
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace accelbench {

// How much to trust a figure (reference/specs.md's [V] [L] [P] [D] [C] [U] [K] tags).
enum class spec_status { datasheet, leaked, press, derived, conflicting, uncertain, unverified };
std::string_view to_string(spec_status s);
std::optional<spec_status> spec_status_from_string(std::string_view text);

// Precisions the database quotes. f64 and f32 are vector rates; f64-tensor is FP64 on matrix
// units; f8 covers both e4m3 and e5m2.
enum class spec_dtype { f64, f64_tensor, f32, tf32, bf16, f16, f8, s8 };
std::string_view to_string(spec_dtype d);
std::optional<spec_dtype> spec_dtype_from_string(std::string_view text);
std::string_view spec_dtype_accepted_form();
// The database precision that a result's input dtype (f32, bf16, f8e4m3, s8, ...) is judged
// against; nullopt for types the database does not quote (s32).
std::optional<spec_dtype> spec_dtype_for_result(std::string_view result_dtype);
inline constexpr spec_dtype all_spec_dtypes[] = {spec_dtype::f64,  spec_dtype::f64_tensor, spec_dtype::f32,
                                                 spec_dtype::tf32, spec_dtype::bf16,       spec_dtype::f16,
                                                 spec_dtype::f8,   spec_dtype::s8};

struct spec_source {
  std::string id, title;
  std::optional<std::string> url;  // null for public code without a stable address
};

// One precision's peak. A null dense value means "not quoted" (or not supported: see notes).
struct spec_rate {
  std::optional<double> dense, sparse;
  std::string unit;  // TFLOPS or TOPS
  std::vector<std::string> sources;
  spec_status status = spec_status::uncertain;
  std::string notes;
};

struct device_spec {
  std::string id;  // e.g. H100-SXM5: what --device and --compare-to take
  std::string name;
  std::string vendor;
  std::vector<std::string> aliases;  // names devices report (e.g. "NVIDIA H100 80GB HBM3")
  spec_status status = spec_status::uncertain;
  std::map<spec_dtype, spec_rate> rates;
  std::optional<double> memory_gb;
  std::string memory_type;
  std::optional<double> memory_bandwidth_gbps;
  std::string memory_notes;
  std::string interconnect;
  std::optional<double> tdp_w;
  std::vector<std::string> sources;
  std::vector<std::string> notes;
  std::string origin;  // the file it came from

  const spec_rate* rate(spec_dtype d) const;
  // Dense peak for d, or nullopt when not quoted.
  std::optional<double> dense(spec_dtype d) const;
};

struct press_claim {
  std::string device;
  double quoted = 0.0;
  std::string unit;
  std::string context;
};

struct press_comparison {
  std::string a, b;
  double a_quoted = 0.0, b_quoted = 0.0;
  std::string context;
};

class spec_database {
 public:
  // Loads every *.json in `directory`; throws input_error on any problem.
  static spec_database load(const std::string& directory);

  const std::vector<device_spec>& devices() const { return m_devices; }
  // Exact match on id or alias after normalization (case, spaces, '-' and '_' ignored): never a
  // substring match, so "H100" alone does not pick the SXM figure for a PCIe card.
  const device_spec* find(std::string_view name) const;
  // As find, but throws input_error listing the known ids.
  const device_spec& require(std::string_view name, std::string_view what) const;
  // For names a person types (accelbench specs): an exact id or alias, else a family name that
  // starts several ids ("H100" for H100-SXM5 and H100-PCIe), which picks the first in the
  // database's order (the flagship) and says so in `note`. Throws input_error with "did you
  // mean" when nothing matches. Reports keep the strict find(): a device's reported name must
  // never pick another card's figures.
  struct lookup {
    const device_spec* device = nullptr;
    std::string note;  // "H100 -> H100-SXM5 (also H100-PCIe: name it to choose)"; "" for exact
  };
  lookup resolve(std::string_view name, std::string_view what) const;
  const spec_source* source(std::string_view id) const;
  const std::vector<press_claim>& press_claims() const { return m_claims; }
  const std::vector<press_comparison>& press_comparisons() const { return m_comparisons; }
  const std::string& directory() const { return m_directory; }

 private:
  std::string m_directory;
  std::vector<device_spec> m_devices;
  std::map<std::string, spec_source> m_sources;
  std::vector<press_claim> m_claims;
  std::vector<press_comparison> m_comparisons;
};

// Where the database lives: `override_dir` if given, else $ACCELBENCH_SPECS_DIR, else
// <exe dir>/../share/accelbench/specs (an install tree), else the source tree's
// reports/views/data/specs (a build tree). Throws input_error naming what was tried.
std::string find_specs_directory(const std::string& override_dir);

// Shortest round-trip text of a figure ("989.4", "1979").
std::string format_spec_value(double value);

}  // namespace accelbench
