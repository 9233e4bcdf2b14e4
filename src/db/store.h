// The Store runs database work off the I/O threads. Callers hand it jobs; a
// job runs on one of the store's own threads with a Tx, and its `done`
// callback fires on that thread once the outcome is durable.
//
// Write jobs: SQLite runs them on one writer thread, committing queued jobs in
// groups (BEGIN IMMEDIATE ... COMMIT) with a SAVEPOINT per job, so one job's
// failure rolls back only that job; PostgreSQL runs each job as its own
// transaction on a pooled connection. Either way `done` is called only after
// COMMIT returned: durable before acknowledged.
//
// Thread-safety: all public methods are thread-safe.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <type_traits>

#include "core/histogram.h"
#include "core/result.h"
#include "db/tx.h"

namespace carecity::db {

struct Job {
  // Runs inside the transaction. Return false to roll back this job's
  // changes (an expected failure); throwing also rolls back.
  std::function<bool(Tx&)> run;
  // Called once after the outcome is final: nullptr on success or an
  // expected rollback, or the exception that aborted the job or the commit.
  std::function<void(std::exception_ptr)> done;
  // Read jobs only: every statement of the job sees one snapshot of the
  // database, for reads that must add up across statements while others
  // write (walking a hash chain that grows meanwhile). SQLite's read jobs
  // always do (one read transaction); PostgreSQL's run at READ COMMITTED,
  // where each statement sees the commits made before it, unless this asks
  // for REPEATABLE READ.
  bool snapshot = false;
};

struct StoreStats {
  int64_t read_queue_depth = 0;
  int64_t write_queue_depth = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Queue a job. Returns false (and does not take the job) when the queue is
  // full or the store is closing (the caller answers 503), and SubmitWrite
  // always on a store opened read_only.
  virtual bool SubmitRead(Job job) = 0;
  virtual bool SubmitWrite(Job job) = 0;

  // Stops taking jobs, finishes queued ones, joins threads. Idempotent.
  virtual void Close() = 0;

  // Cheap liveness probe of the database (runs a trivial read synchronously).
  virtual bool Ping() = 0;

  virtual Dialect dialect() const = 0;
  virtual StoreStats Stats() const = 0;
  // Group-commit batch sizes (SQLite); PostgreSQL records 1 per job.
  virtual const Histogram& batch_sizes() const = 0;
};

// Opens "sqlite:PATH" or "postgresql://..." (also "postgres://...").
struct StoreOptions {
  int read_connections = 4;
  int write_queue_limit = 10000;
  int max_batch = 256;
  std::string sqlite_synchronous = "FULL";
  // Reads only, for tools that must not change what they inspect (`audit
  // verify`): refuses write jobs, and SQLite neither creates a missing file
  // nor its directory, opens no writer and runs no WAL checkpoint (the last
  // reader to close still removes an empty -wal/-shm pair it created).
  bool read_only = false;
};
Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const StoreOptions& options);

// Error returned when a queue is full.
inline Error StoreOverloaded() {
  return {ErrorCode::kUnavailable, "overloaded", {}, "database queue full", 1};
}

namespace detail {
template <class R>
bool Keep(const R& r) {
  if constexpr (requires { r.ok(); }) {
    return r.ok();
  } else {
    return true;
  }
}

enum class Mode { kRead, kSnapshotRead, kWrite };

template <class F>
auto RunSync(Store& store, Mode mode, F&& fn) -> std::invoke_result_t<F&, Tx&> {
  using R = std::invoke_result_t<F&, Tx&>;
  auto promise = std::make_shared<std::promise<R>>();
  auto result = std::make_shared<std::optional<R>>();
  auto future = promise->get_future();
  Job job{[&fn, result](Tx& tx) {
            result->emplace(fn(tx));
            return Keep(**result);
          },
          [promise, result](std::exception_ptr e) {
            if (e) {
              promise->set_exception(e);
            } else {
              promise->set_value(std::move(**result));
            }
          }};
  job.snapshot = mode == Mode::kSnapshotRead;
  const bool queued = mode == Mode::kWrite ? store.SubmitWrite(std::move(job)) : store.SubmitRead(std::move(job));
  if (!queued) {
    if constexpr (requires { R(StoreOverloaded()); }) {
      return R(StoreOverloaded());
    } else {
      throw DbError(DbError::Kind::kBusy, "store queue full");
    }
  }
  return future.get();
}
}  // namespace detail

// Blocking helpers for the command line and tests; never call them on an
// I/O thread (handlers use http/await.h instead). Exceptions propagate.
template <class F>
auto ReadSync(Store& store, F&& fn) {
  return detail::RunSync(store, detail::Mode::kRead, std::forward<F>(fn));
}
// A read job whose statements all see one snapshot (Job::snapshot).
template <class F>
auto SnapshotReadSync(Store& store, F&& fn) {
  return detail::RunSync(store, detail::Mode::kSnapshotRead, std::forward<F>(fn));
}
template <class F>
auto WriteSync(Store& store, F&& fn) {
  return detail::RunSync(store, detail::Mode::kWrite, std::forward<F>(fn));
}

}  // namespace carecity::db
