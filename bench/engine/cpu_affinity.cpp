#include "bench/engine/cpu_affinity.hpp"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace accelbench {

std::vector<int> allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    for (int i = 0; i < CPU_SETSIZE; ++i) {
      if (CPU_ISSET(i, &set)) cpus.push_back(i);
    }
  }
  return cpus;
}

bool pin_this_thread(int cpu) {
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  return pthread_setaffinity_np(pthread_self(), sizeof(one), &one) == 0;
}

std::vector<int> parse_cpu_list(const std::string& text) {
  std::vector<int> cpus;
  std::stringstream items(text);
  std::string item;
  while (std::getline(items, item, ',')) {
    int first = 0, last = 0;
    char dash = 0, extra = 0;
    std::istringstream range(item);
    if (!(range >> first)) return {};
    if (range >> dash) {
      if (dash != '-' || !(range >> last) || range >> extra) return {};
    } else {
      last = first;
    }
    if (first < 0 || last < first || last >= CPU_SETSIZE) return {};
    for (int cpu = first; cpu <= last; ++cpu) cpus.push_back(cpu);
  }
  return cpus;
}

std::string sysfs_thread_siblings(int cpu) {
  std::ifstream file("/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/thread_siblings_list");
  std::string line;
  std::getline(file, line);
  return line;
}

std::vector<int> one_cpu_per_core(const std::vector<int>& cpus, const std::function<std::string(int)>& siblings_of) {
  std::vector<int> kept;
  for (int cpu : cpus) {
    // Kept unless an earlier CPU of the list is its sibling.
    const std::vector<int> siblings = parse_cpu_list(siblings_of(cpu));
    const bool sibling_kept = std::any_of(siblings.begin(), siblings.end(), [&](int s) {
      return s != cpu && std::find(kept.begin(), kept.end(), s) != kept.end();
    });
    if (!sibling_kept) kept.push_back(cpu);
  }
  return kept;
}

}  // namespace accelbench
