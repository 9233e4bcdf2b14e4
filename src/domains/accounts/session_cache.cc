#include "domains/accounts/session_cache.h"

#include <algorithm>
#include <iterator>

namespace carecity::accounts {

std::optional<SessionCache::Hit> SessionCache::Get(const std::string& token_hash, int64_t now_ms) const {
  if (!enabled()) {
    return std::nullopt;
  }
  std::lock_guard lock(mu_);
  auto it = entries_.find(token_hash);
  if (it == entries_.end() || it->second.valid_until_ms <= now_ms) {
    return std::nullopt;
  }
  return Hit{it->second.principal, it->second.last_seen_at_ms};
}

uint64_t SessionCache::epoch() const {
  std::lock_guard lock(mu_);
  return epoch_;
}

void SessionCache::Put(const std::string& token_hash, const Principal& p, int64_t session_expires_at_ms,
                       int64_t last_seen_at_ms, int64_t now_ms, uint64_t epoch) {
  if (!enabled()) {
    return;
  }
  std::lock_guard lock(mu_);
  if (epoch != epoch_) {
    return;
  }
  if (entries_.size() >= capacity_ && !entries_.contains(token_hash)) {
    std::erase_if(entries_, [now_ms](const auto& kv) { return kv.second.valid_until_ms <= now_ms; });
    if (entries_.size() >= capacity_) {
      entries_.clear();  // a burst of new sessions: start over rather than scan for the oldest
    }
  }
  entries_[token_hash] = Entry{p, std::min(session_expires_at_ms, now_ms + ttl_ms_), last_seen_at_ms};
}

void SessionCache::Touched(const std::string& token_hash, int64_t last_seen_at_ms) {
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(token_hash); it != entries_.end()) {
    it->second.last_seen_at_ms = std::max(it->second.last_seen_at_ms, last_seen_at_ms);
  }
}

template <class Pred>
void SessionCache::DropIf(Pred pred) {
  std::lock_guard lock(mu_);
  ++epoch_;
  std::erase_if(entries_, [&](const auto& kv) { return pred(kv.second.principal); });
}

void SessionCache::DropSession(int64_t session_id) {
  DropIf([session_id](const Principal& p) { return p.session_id == session_id; });
}

void SessionCache::DropUser(int64_t user_id) {
  DropIf([user_id](const Principal& p) { return p.user_id == user_id; });
}

size_t SessionCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace carecity::accounts
