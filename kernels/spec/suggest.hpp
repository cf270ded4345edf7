#pragma once
// "Did you mean" for names a person types: subcommands, suites, backends, dtypes, devices.
// Case-insensitive edit distance, so a typo ("opneblas", "H2O") names the intended word.
#include <string>
#include <string_view>
#include <vector>

namespace accelbench {

// The candidates within a small edit distance of `word` (at most 2, or a third of its length for
// long words), closest first; at most `limit`.
std::vector<std::string> closest_names(std::string_view word, const std::vector<std::string>& candidates,
                                       std::size_t limit = 3);

// "; did you mean 'x'?" (or "'x' or 'y'"), or "" when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace accelbench
