// Sessions seen recently, by token hash, so that an authenticated request
// needs no database read (on the flash-crowd sign-up path that read was a
// reader-thread job and two thread hand-offs per request).
//
// Exact on one server: AccountsService drops the affected entries after every
// change it commits to sessions, roles or accounts (logout, revoked session,
// password reset, deleted account, role granted or revoked). A change made
// elsewhere (another server on the same PostgreSQL database, or the command
// line) is seen here within the cache's time to live, `[security]
// session_cache_seconds`; 0 turns the cache off.
//
// Thread-safety: all methods are thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "domains/accounts/model.h"

namespace carecity::accounts {

class SessionCache {
 public:
  SessionCache(int64_t ttl_ms, size_t capacity) : ttl_ms_(ttl_ms), capacity_(capacity) {}

  bool enabled() const { return ttl_ms_ > 0; }

  struct Hit {
    Principal principal;
    int64_t last_seen_at_ms = 0;
  };
  std::optional<Hit> Get(const std::string& token_hash, int64_t now_ms) const;

  // A reader takes the epoch before it reads the database and hands it back
  // with what it read: if anything was dropped in between, the answer may be
  // from before the change and is not kept.
  uint64_t epoch() const;
  void Put(const std::string& token_hash, const Principal& p, int64_t session_expires_at_ms, int64_t last_seen_at_ms,
           int64_t now_ms, uint64_t epoch);
  void Touched(const std::string& token_hash, int64_t last_seen_at_ms);

  void DropSession(int64_t session_id);
  void DropUser(int64_t user_id);

  size_t size() const;

 private:
  struct Entry {
    Principal principal;
    int64_t valid_until_ms = 0;  // the sooner of the session's expiry and now + ttl
    int64_t last_seen_at_ms = 0;
  };
  template <class Pred>
  void DropIf(Pred pred);

  const int64_t ttl_ms_;
  const size_t capacity_;
  mutable std::mutex mu_;
  uint64_t epoch_ = 0;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace carecity::accounts
