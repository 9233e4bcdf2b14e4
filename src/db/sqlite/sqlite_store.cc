#include "db/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

namespace carecity::db {
namespace {

DbError::Kind KindOf(int extended_code) {
  switch (extended_code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return DbError::Kind::kUnique;
    case SQLITE_CONSTRAINT_CHECK:
      return DbError::Kind::kCheck;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return DbError::Kind::kForeignKey;
    case SQLITE_CONSTRAINT_NOTNULL:
      return DbError::Kind::kNotNull;
    default:
      break;
  }
  const int primary = extended_code & 0xFF;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return DbError::Kind::kBusy;
  }
  return DbError::Kind::kOther;
}

// Process-wide settings, before SQLite initialises itself on the first open.
// Memory statistics off: with them on, every allocation SQLite makes takes
// one global mutex to count it (3.4 % of the donation writer's time went to
// that mutex), and nothing here reads the statistics. If something else in
// the process initialised SQLite first, sqlite3_config refuses and SQLite
// keeps its defaults.
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

// One connection with its prepared-statement cache. Used by one thread.
class Connection {
 public:
  // `create`: make the file if it is missing (else opening it fails).
  Connection(const std::string& path, bool writer, const std::string& synchronous, bool create = true) {
    ConfigureSqliteOnce();
    // Readers open the file read-write (under query_only) rather than
    // read-only: a read-only connection to a WAL database leaves the -wal and
    // -shm files it had to create behind when it closes.
    const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw DbError(DbError::Kind::kConnection, fmt::format("sqlite open {}: {}", path, msg));
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
    Exec("PRAGMA foreign_keys = ON");
    if (writer) {
      Exec("PRAGMA journal_mode = WAL");
      Exec(fmt::format("PRAGMA synchronous = {}", synchronous));
      Exec("PRAGMA cache_size = -8000");
      // Every write job runs in its own SAVEPOINT, so SQLite keeps a statement
      // journal of the pages each job changes. Left to temp files, it spilled
      // past 64 KiB into /var/tmp: a file created, written page by page and
      // unlinked per group commit, 6 of every 7 writes the writer made during
      // the donation surge. In memory it is emptied at each RELEASE, so it
      // stays the size of one job.
      Exec("PRAGMA temp_store = MEMORY");
    } else {
      Exec("PRAGMA query_only = 1");
      Exec("PRAGMA cache_size = -2000");
    }
  }
  ~Connection() {
    for (auto& [sql, st] : cache_) {
      sqlite3_finalize(st.stmt);
    }
    sqlite3_close(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown";
      sqlite3_free(err);
      throw DbError(KindOf(sqlite3_extended_errcode(db_)), fmt::format("sqlite: {} [{}]", msg, sql.substr(0, 200)));
    }
  }

  int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
  sqlite3* handle() const { return db_; }

  Rows Query(std::string_view sql, std::span<const Value> params) {
    Statement& st = Prepare(sql);
    sqlite3_stmt* s = st.stmt;
    // Reset even if binding or stepping throws, so the cached statement is reusable.
    struct Resetter {
      sqlite3_stmt* s;
      ~Resetter() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } resetter{s};
    for (size_t i = 0; i < st.param_index.size(); ++i) {
      const int p = st.param_index[i];
      if (p < 0 || static_cast<size_t>(p) >= params.size()) {
        throw DbError(DbError::Kind::kOther, fmt::format("sqlite: missing parameter ${} for [{}]", p + 1, sql.substr(0, 200)));
      }
      const Value& v = params[static_cast<size_t>(p)];
      const int idx = static_cast<int>(i) + 1;
      int rc = SQLITE_OK;
      if (v.is_null()) {
        rc = sqlite3_bind_null(s, idx);
      } else if (v.is_int()) {
        rc = sqlite3_bind_int64(s, idx, v.int_value());
      } else if (v.is_double()) {
        rc = sqlite3_bind_double(s, idx, v.double_value());
      } else {
        const std::string& t = v.text_value();
        rc = sqlite3_bind_text(s, idx, t.data(), static_cast<int>(t.size()), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) {
        Throw(sql);
      }
    }
    const int ncols = sqlite3_column_count(s);
    std::vector<std::vector<Value>> data;
    for (;;) {
      const int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) {
        break;
      }
      if (rc != SQLITE_ROW) {
        Throw(sql);
      }
      std::vector<Value> row;
      row.reserve(static_cast<size_t>(ncols));
      for (int c = 0; c < ncols; ++c) {
        switch (sqlite3_column_type(s, c)) {
          case SQLITE_INTEGER:
            row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(s, c)));
            break;
          case SQLITE_FLOAT:
            row.emplace_back(sqlite3_column_double(s, c));
            break;
          case SQLITE_NULL:
            row.emplace_back(nullptr);
            break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
            row.emplace_back(std::string(text, static_cast<size_t>(sqlite3_column_bytes(s, c))));
            break;
          }
        }
      }
      data.push_back(std::move(row));
    }
    const int64_t affected = sqlite3_stmt_readonly(s) ? 0 : sqlite3_changes64(db_);
    return Rows(std::move(data), affected);
  }

 private:
  struct Statement {
    sqlite3_stmt* stmt = nullptr;
    // param_index[i] = zero-based index into the caller's params for SQLite
    // parameter i+1 (named "$N" in the SQL).
    std::vector<int> param_index;
  };

  [[noreturn]] void Throw(std::string_view sql) {
    throw DbError(KindOf(sqlite3_extended_errcode(db_)),
                  fmt::format("sqlite: {} [{}]", sqlite3_errmsg(db_), sql.substr(0, 200)));
  }

  Statement& Prepare(std::string_view sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
      return it->second;
    }
    Statement st;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &st.stmt,
                           nullptr) != SQLITE_OK) {
      Throw(sql);
    }
    const int n = sqlite3_bind_parameter_count(st.stmt);
    for (int i = 1; i <= n; ++i) {
      const char* name = sqlite3_bind_parameter_name(st.stmt, i);
      st.param_index.push_back(name != nullptr && name[0] == '$' ? std::atoi(name + 1) - 1 : -1);
    }
    return cache_.emplace(std::string(sql), std::move(st)).first->second;
  }

  sqlite3* db_ = nullptr;
  // Looked up by string_view: no key string built per query.
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  std::unordered_map<std::string, Statement, SqlHash, std::equal_to<>> cache_;
};

class SqliteTx final : public Tx {
 public:
  SqliteTx(Connection& conn, bool writable) : conn_(conn), writable_(writable) {}
  Rows Query(std::string_view sql, std::span<const Value> params) override { return conn_.Query(sql, params); }
  int64_t InsertRow(std::string_view sql, std::span<const Value> params) override {
    if (conn_.Query(sql, params).affected() != 1) {
      throw DbError(DbError::Kind::kOther, fmt::format("sqlite: Insert must add exactly one row [{}]", sql.substr(0, 200)));
    }
    return conn_.LastInsertRowid();
  }
  void ExecScript(std::string_view sql) override { conn_.Exec(std::string(sql)); }
  Dialect dialect() const override { return Dialect::kSqlite; }
  bool writable() const override { return writable_; }

 private:
  Connection& conn_;
  bool writable_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& path, const StoreOptions& options)
      : options_(options),
        batch_sizes_({1, 2, 4, 8, 16, 32, 64, 128, 256, 512}) {
    if (options.read_only) {
      for (int i = 0; i < options.read_connections; ++i) {
        reader_conns_.push_back(std::make_unique<Connection>(path, false, options.sqlite_synchronous, false));
      }
      for (auto& conn : reader_conns_) {
        readers_.emplace_back([this, c = conn.get()] { ReaderLoop(*c); });
      }
      return;
    }
    writer_conn_ = std::make_unique<Connection>(path, true, options.sqlite_synchronous);
    // Checkpoints run on their own thread and connection (see CheckpointLoop);
    // this hook replaces SQLite's automatic checkpoint on the writer's commit.
    checkpoint_conn_ = std::make_unique<Connection>(path, true, options.sqlite_synchronous);
    writer_conn_->Exec(fmt::format("PRAGMA journal_size_limit = {}", kWalSizeLimitBytes));
    sqlite3_wal_hook(writer_conn_->handle(), &SqliteStore::OnWalCommit, this);
    checkpointer_ = std::thread([this] { CheckpointLoop(); });
    for (int i = 0; i < options.read_connections; ++i) {
      reader_conns_.push_back(std::make_unique<Connection>(path, false, options.sqlite_synchronous));
    }
    writer_ = std::thread([this] { WriterLoop(); });
    for (auto& conn : reader_conns_) {
      readers_.emplace_back([this, c = conn.get()] { ReaderLoop(*c); });
    }
  }

  ~SqliteStore() override { Close(); }

  bool SubmitRead(Job job) override {
    {
      std::lock_guard lock(read_mu_);
      if (closing_ || static_cast<int>(read_queue_.size()) >= options_.write_queue_limit) {
        return false;
      }
      read_queue_.push_back(std::move(job));
    }
    read_cv_.notify_one();
    return true;
  }

  bool SubmitWrite(Job job) override {
    {
      std::lock_guard lock(write_mu_);
      if (closing_ || options_.read_only || static_cast<int>(write_queue_.size()) >= options_.write_queue_limit) {
        return false;
      }
      write_queue_.push_back(std::move(job));
    }
    write_cv_.notify_one();
    return true;
  }

  void Close() override {
    {
      std::scoped_lock lock(read_mu_, write_mu_);
      if (closing_) {
        return;
      }
      closing_ = true;
    }
    read_cv_.notify_all();
    write_cv_.notify_all();
    if (writer_.joinable()) {
      writer_.join();
    }
    {
      std::lock_guard lock(checkpoint_mu_);
      checkpoint_stop_ = true;
    }
    checkpoint_cv_.notify_all();
    if (checkpointer_.joinable()) {
      checkpointer_.join();
    }
    for (auto& t : readers_) {
      if (t.joinable()) {
        t.join();
      }
    }
    if (writer_conn_ == nullptr) {
      return;  // read_only: nothing written, nothing to fold back
    }
    // Fold the WAL back into the main file so a copied .db is complete.
    try {
      writer_conn_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const DbError&) {
      // Another process may hold the WAL; it will checkpoint later.
    }
  }

  bool Ping() override {
    try {
      return ReadSync(*this, [](Tx& tx) { return tx.Query("SELECT 1").size() == 1; });
    } catch (const std::exception&) {
      return false;
    }
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  StoreStats Stats() const override {
    StoreStats s;
    {
      std::lock_guard lock(read_mu_);
      s.read_queue_depth = static_cast<int64_t>(read_queue_.size());
    }
    {
      std::lock_guard lock(write_mu_);
      s.write_queue_depth = static_cast<int64_t>(write_queue_.size());
    }
    return s;
  }

  const Histogram& batch_sizes() const override { return batch_sizes_; }

 private:
  void ReaderLoop(Connection& conn) {
    SqliteTx tx(conn, false);
    for (;;) {
      Job job;
      {
        std::unique_lock lock(read_mu_);
        read_cv_.wait(lock, [this] { return closing_ || !read_queue_.empty(); });
        if (read_queue_.empty()) {
          return;  // closing and drained
        }
        job = std::move(read_queue_.front());
        read_queue_.pop_front();
      }
      std::exception_ptr error;
      try {
        // One read transaction so every statement of the job sees one snapshot.
        conn.Exec("BEGIN");
        try {
          job.run(tx);
        } catch (...) {
          error = std::current_exception();
        }
        conn.Exec("COMMIT");
      } catch (...) {
        if (!error) {
          error = std::current_exception();
        }
      }
      job.done(error);
    }
  }

  void WriterLoop() {
    SqliteTx tx(*writer_conn_, true);
    std::vector<Job> batch;
    std::vector<std::exception_ptr> errors;
    for (;;) {
      batch.clear();
      {
        std::unique_lock lock(write_mu_);
        const auto has_work = [this] { return closing_ || !write_queue_.empty(); };
        if (wal_pages_ >= kIdleCheckpointPages && !write_cv_.wait_for(lock, kQuietBeforeCheckpoint, has_work)) {
          wal_pages_ = 0;
          RequestCheckpoint();  // a quiet moment: fold the WAL into the database now
        }
        write_cv_.wait(lock, has_work);
        if (write_queue_.empty()) {
          return;  // closing and drained
        }
        while (!write_queue_.empty() && static_cast<int>(batch.size()) < options_.max_batch) {
          batch.push_back(std::move(write_queue_.front()));
          write_queue_.pop_front();
        }
      }
      errors.assign(batch.size(), nullptr);
      std::exception_ptr commit_error;
      try {
        // Through the statement cache (Query), not sqlite3_exec: these run
        // twice per job and would otherwise be parsed every time.
        writer_conn_->Query("BEGIN IMMEDIATE", {});
        for (size_t i = 0; i < batch.size(); ++i) {
          writer_conn_->Query("SAVEPOINT job", {});
          bool keep = false;
          try {
            keep = batch[i].run(tx);
          } catch (...) {
            errors[i] = std::current_exception();
          }
          if (!keep || errors[i]) {
            writer_conn_->Query("ROLLBACK TO job", {});
          }
          writer_conn_->Query("RELEASE job", {});
        }
        writer_conn_->Query("COMMIT", {});
      } catch (...) {
        commit_error = std::current_exception();
        try {
          writer_conn_->Exec("ROLLBACK");
        } catch (const DbError&) {
          // No transaction was open; nothing to undo.
        }
      }
      batch_sizes_.Observe(static_cast<double>(batch.size()));
      for (size_t i = 0; i < batch.size(); ++i) {
        batch[i].done(commit_error ? commit_error : errors[i]);
      }
    }
  }

  // A checkpoint copies the WAL into the database file and fsyncs it. Run by
  // SQLite on the writer's COMMIT (its default) it stalled a whole group
  // commit every ~1,000 pages, and during a burst it competes with the
  // commits for the disk and the two cores: the flash crowd's p99 tail.
  // Here a PASSIVE checkpoint runs on its own connection and thread, while the
  // writer goes on appending: once nothing has come to the writer for
  // kQuietBeforeCheckpoint and the WAL holds kIdleCheckpointPages, or at once
  // past kBusyCheckpointPages
  // (so a long burst cannot grow the WAL without bound). SQLite starts the WAL
  // over from its beginning at the next write after a complete checkpoint;
  // journal_size_limit shrinks the file back after a burst made it larger.
  static constexpr int kIdleCheckpointPages = 1000;
  static constexpr int kBusyCheckpointPages = 16000;
  static constexpr std::chrono::milliseconds kQuietBeforeCheckpoint{100};
  static constexpr int64_t kWalSizeLimitBytes = 64LL << 20;

  static int OnWalCommit(void* self, sqlite3*, const char*, int pages) {
    auto* store = static_cast<SqliteStore*>(self);
    store->wal_pages_ = pages;  // the writer thread's own variable: the hook runs inside its COMMIT
    if (pages >= kBusyCheckpointPages) {
      store->RequestCheckpoint();
    }
    return SQLITE_OK;
  }

  void RequestCheckpoint() {
    {
      std::lock_guard lock(checkpoint_mu_);
      checkpoint_wanted_ = true;
    }
    checkpoint_cv_.notify_one();
  }

  void CheckpointLoop() {
    for (;;) {
      {
        std::unique_lock lock(checkpoint_mu_);
        checkpoint_cv_.wait(lock, [this] { return checkpoint_stop_ || checkpoint_wanted_; });
        if (checkpoint_stop_) {
          return;
        }
        checkpoint_wanted_ = false;
      }
      int wal_pages = 0;
      int copied = 0;
      // SQLITE_BUSY (another checkpoint, say the command line's) just means later.
      sqlite3_wal_checkpoint_v2(checkpoint_conn_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_pages, &copied);
    }
  }

  StoreOptions options_;
  std::unique_ptr<Connection> writer_conn_;
  std::unique_ptr<Connection> checkpoint_conn_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_wanted_ = false;  // GUARDED_BY(checkpoint_mu_)
  bool checkpoint_stop_ = false;    // GUARDED_BY(checkpoint_mu_)
  int wal_pages_ = 0;               // WAL size after the latest commit; writer thread only
  std::thread checkpointer_;
  std::vector<std::unique_ptr<Connection>> reader_conns_;

  mutable std::mutex read_mu_;
  std::condition_variable read_cv_;
  std::deque<Job> read_queue_;  // GUARDED_BY(read_mu_)

  mutable std::mutex write_mu_;
  std::condition_variable write_cv_;
  std::deque<Job> write_queue_;  // GUARDED_BY(write_mu_)

  bool closing_ = false;  // GUARDED_BY(read_mu_ and write_mu_): written holding both
  std::thread writer_;
  std::vector<std::thread> readers_;
  Histogram batch_sizes_;
};

}  // namespace

std::unique_ptr<Store> OpenSqliteStore(const std::string& path, const StoreOptions& options) {
  const std::filesystem::path p(path);
  if (!options.read_only && p.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(p.parent_path(), ec);
  }
  return std::make_unique<SqliteStore>(path, options);
}

}  // namespace carecity::db
