// Counts gathered in memory between flushes (views of a page that must not
// cost a database write each): Add on every read, Take the batch to write,
// Return it when the write failed so the next flush carries it.
//
// Thread-safety: all members are safe to call concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>

namespace carecity::media {

class PendingCounts {
 public:
  void Add(int64_t key, int64_t n = 1);
  // Gathered for `key` and not yet taken.
  int64_t Pending(int64_t key) const;
  // Everything gathered, in ascending key order (two servers writing
  // their batches lock rows in one order), leaving nothing behind.
  std::map<int64_t, int64_t> Take();
  // Puts a batch that could not be written back.
  void Return(const std::map<int64_t, int64_t>& batch);

 private:
  mutable std::mutex mu_;
  std::map<int64_t, int64_t> counts_;
};

}  // namespace carecity::media
