// The live channel's hub: topics ("auction.lot.<public id>") that watchers
// subscribe to and domains publish full states on, after their transaction
// committed.
//
// In one process (SQLite) a publish is delivered in process. With PostgreSQL
// every server's hub LISTENs on one channel over its own libpq connection and
// Publish sends NOTIFY there, so each server delivers to its local watchers
// what it hears — its own publishes included, exactly once. A payload too
// large for NOTIFY is sent as its topic alone, heard as a resync of that
// topic (watchers fetch the state themselves); after the listening
// connection dropped and came back, every subscriber is told to resync.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace carecity::live {

struct Event {
  enum class Kind {
    kMessage,  // `payload` is the topic's new state
    kResync,   // messages may have been missed: fetch the state again
  };
  Kind kind = Kind::kMessage;
  std::string_view payload;  // valid during the call only
};

// Called on the hub's thread (or the publisher's, in process). Must be quick
// and must not block: hand the event to a socket's queue and return. May run
// once more after its Subscription was destroyed, if it was being called
// then; capture weak references.
using Listener = std::function<void(const Event&)>;

// Unsubscribes when destroyed.
class Subscription {
 public:
  virtual ~Subscription() = default;
};

// The largest NOTIFY payload PostgreSQL takes is just under 8000 bytes; the
// topic, a separator and the payload must fit below this, or only the topic
// goes out (a resync of that topic).
inline constexpr size_t kMaxNotifyBytes = 7900;

class Hub {
 public:
  virtual ~Hub() = default;

  // Delivers every later event on `topic` to `listener` until the returned
  // Subscription is destroyed.
  virtual std::unique_ptr<Subscription> Subscribe(std::string topic, Listener listener) = 0;

  // Publishes `payload` (UTF-8 text, a full state) on `topic` (no '\n').
  // Never blocks on the network: with PostgreSQL the NOTIFY is queued for the
  // hub's thread (a bounded queue; when it is full the oldest is dropped and
  // its topic resynced). Call it after the change committed.
  virtual void Publish(std::string_view topic, std::string_view payload) = 0;

  // Subscribers' count (for tests and metrics).
  virtual size_t subscribers() const = 0;
};

// An in-process hub (one server, SQLite).
std::unique_ptr<Hub> NewLocalHub();

struct PgHubOptions {
  std::string channel = "carecity_live";
  int min_backoff_ms = 100;  // first reconnect delay, doubling up to max
  int max_backoff_ms = 5000;
  size_t max_queued = 10000;  // publishes waiting for the connection
};

// A PostgreSQL hub on `url` (a libpq URL); its thread connects at once and
// reconnects on its own. Returns an error only for a channel name that is
// not a plain identifier; a database that cannot be reached is retried.
Result<std::unique_ptr<Hub>> NewPgHub(const std::string& url, PgHubOptions options = {});

// The hub for a database URL: PostgreSQL's for "postgres(ql)://", else in
// process.
Result<std::unique_ptr<Hub>> OpenHub(const std::string& db_url);

}  // namespace carecity::live
