#pragma once
// `accelbench run --ceilings auto`: this machine's quick ceilings (accelbench peak --no-gemm:
// theoretical peak, measured FMA rate, STREAM triad and read-only bandwidth), measured on the
// first run and cached per machine fingerprint (system_desc_id), so even a first run shows
// "% of peak" and "% of ceiling".
#include <string>

#include "bench/engine/system_info.hpp"
#include "reports/model/ceilings.hpp"

namespace accelbench {

// $ACCELBENCH_CACHE_DIR, else $XDG_CACHE_HOME/accelbench, else ~/.cache/accelbench.
std::string cache_directory();

// The cached ceilings of this machine, or measured now and cached (also when the cached file
// predates the read-only bandwidth). `path` receives the file. Progress goes to stderr unless quiet.
machine_ceilings cached_ceilings(const system_info& system, bool quiet, std::string& path);

}  // namespace accelbench
