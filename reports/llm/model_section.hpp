#pragma once
// The report's model section: the press question asked at model level. For Llama-3-70B and
// Llama-3-8B, one prefill (batch 1, prompt 2048) and one decode step (batch 16, context 4096)
// projected onto the seed chips (H100-SXM5, H20, Ascend-910B, A800-SXM-80GB), every figure
// labelled, next to the quoted 1979 vs 296 = 6.68x.
#include <string>
#include <vector>

#include "reports/llm/projection.hpp"
#include "reports/views/report_table.hpp"

namespace accelbench {

inline constexpr const char* seed_chips[] = {"H100-SXM5", "H20", "Ascend-910B", "A800-SXM-80GB"};

// Empty when the database lacks a seed chip (a custom database): the section needs all four.
// Throws input_error when a model file is bad.
std::vector<report_table> model_section_tables(const spec_database& db, const std::string& models_dir,
                                               const std::vector<measured_case>& measured);

}  // namespace accelbench
