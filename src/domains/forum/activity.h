// Reading without writing: every thread page read counts a view (查看),
// and a signed-in reader's furthest floor and day of visit feed their trust
// level — none of it a database write per read. Counts gather here, in
// memory, and Flush adds them to the database in one short write job
// (`serve` calls it every [forum] view_flush_ms, and once more when it
// stops). Additive updates (views = views + n, the furthest floor by MAX,
// visits by INSERT … ON CONFLICT DO NOTHING) make flushes from several
// servers of one database add up. A server killed between flushes loses
// what it gathered since the last one: at most one interval of counts.
//
// Thread-safety: all members are safe to call concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "db/store.h"

namespace carecity::forum {

class Activity {
 public:
  // One read of a thread page: a view, and for a signed-in reader
  // (`user_id` > 0) the furthest floor seen and the day.
  void Read(int64_t thread_id, int64_t user_id, int64_t last_floor_seen, int64_t day);
  // Views of the thread gathered here and not yet flushed.
  int64_t PendingViews(int64_t thread_id) const;
  // Writes what gathered (one write job); keeps it for the next flush if
  // the write fails. Returns the views written.
  int64_t Flush(db::Store& store);

 private:
  struct Pending {
    std::unordered_map<int64_t, int64_t> views;                      // thread → views
    std::map<std::pair<int64_t, int64_t>, int64_t> reads;            // (user, thread) → furthest floor
    std::map<std::pair<int64_t, int64_t>, bool> visits;              // (user, day)
  };
  void MergeBack(Pending p);

  mutable std::mutex mu_;
  Pending pending_;
  std::mutex flush_mu_;  // one flush at a time
};

}  // namespace carecity::forum
