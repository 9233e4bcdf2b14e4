#include "domains/forum/activity.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "db/tx.h"

namespace carecity::forum {

void Activity::Read(int64_t thread_id, int64_t user_id, int64_t last_floor_seen, int64_t day) {
  std::lock_guard lock(mu_);
  ++pending_.views[thread_id];
  if (user_id > 0) {
    int64_t& floor = pending_.reads[{user_id, thread_id}];
    floor = std::max(floor, last_floor_seen);
    pending_.visits[{user_id, day}] = true;
  }
}

int64_t Activity::PendingViews(int64_t thread_id) const {
  std::lock_guard lock(mu_);
  auto it = pending_.views.find(thread_id);
  return it == pending_.views.end() ? 0 : it->second;
}

void Activity::MergeBack(Pending p) {
  std::lock_guard lock(mu_);
  for (const auto& [thread, n] : p.views) {
    pending_.views[thread] += n;
  }
  for (const auto& [key, floor] : p.reads) {
    int64_t& mine = pending_.reads[key];
    mine = std::max(mine, floor);
  }
  pending_.visits.merge(p.visits);
}

int64_t Activity::Flush(db::Store& store) {
  std::lock_guard flushing(flush_mu_);
  Pending batch;
  {
    std::lock_guard lock(mu_);
    std::swap(batch, pending_);
  }
  if (batch.views.empty() && batch.reads.empty() && batch.visits.empty()) {
    return 0;
  }
  int64_t views = 0;
  try {
    db::WriteSync(store, [&](db::Tx& tx) {
      views = 0;
      // Ascending thread ids: two servers flushing at once lock in one order.
      std::map<int64_t, int64_t> ordered(batch.views.begin(), batch.views.end());
      for (const auto& [thread, n] : ordered) {
        tx.Exec("UPDATE forum_threads SET views = views + $1 WHERE id = $2", {n, thread});
        views += n;
      }
      for (const auto& [key, floor] : batch.reads) {
        tx.Exec(
            "INSERT INTO forum_reads (user_id, thread_id, last_floor) VALUES ($1, $2, $3) "
            "ON CONFLICT (user_id, thread_id) DO UPDATE SET last_floor = CASE WHEN excluded.last_floor > "
            "forum_reads.last_floor THEN excluded.last_floor ELSE forum_reads.last_floor END",
            {key.first, key.second, floor});
      }
      for (const auto& [key, seen] : batch.visits) {
        tx.Exec("INSERT INTO forum_visits (user_id, day) VALUES ($1, $2) ON CONFLICT (user_id, day) DO NOTHING",
                {key.first, key.second});
      }
      return true;
    });
  } catch (const std::exception& e) {
    spdlog::warn("forum: view counts kept for the next flush: {}", e.what());
    MergeBack(std::move(batch));
    return 0;
  }
  return views;
}

}  // namespace carecity::forum
