#include "media/counters.h"

#include <utility>

namespace carecity::media {

void PendingCounts::Add(int64_t key, int64_t n) {
  std::lock_guard lock(mu_);
  counts_[key] += n;
}

int64_t PendingCounts::Pending(int64_t key) const {
  std::lock_guard lock(mu_);
  auto it = counts_.find(key);
  return it == counts_.end() ? 0 : it->second;
}

std::map<int64_t, int64_t> PendingCounts::Take() {
  std::map<int64_t, int64_t> out;
  std::lock_guard lock(mu_);
  std::swap(out, counts_);
  return out;
}

void PendingCounts::Return(const std::map<int64_t, int64_t>& batch) {
  std::lock_guard lock(mu_);
  for (const auto& [key, n] : batch) {
    counts_[key] += n;
  }
}

}  // namespace carecity::media
