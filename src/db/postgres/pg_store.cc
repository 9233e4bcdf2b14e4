#include "db/postgres/pg_store.h"

#include <libpq-fe.h>

#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

namespace carecity::db {
namespace {

constexpr int kMaxRetries = 5;

DbError::Kind KindOfState(const char* sqlstate) {
  if (sqlstate == nullptr) {
    return DbError::Kind::kConnection;
  }
  const std::string_view s(sqlstate);
  if (s == "23505") {
    return DbError::Kind::kUnique;
  }
  if (s == "23514") {
    return DbError::Kind::kCheck;
  }
  if (s == "23503") {
    return DbError::Kind::kForeignKey;
  }
  if (s == "23502") {
    return DbError::Kind::kNotNull;
  }
  if (s == "40001" || s == "40P01") {
    return DbError::Kind::kSerialization;
  }
  if (s == "55P03") {
    return DbError::Kind::kBusy;
  }
  if (s.substr(0, 2) == "08" || s.substr(0, 2) == "57") {
    return DbError::Kind::kConnection;
  }
  return DbError::Kind::kOther;
}

class Connection {
 public:
  explicit Connection(const std::string& conninfo) : conninfo_(conninfo) { Connect(); }
  ~Connection() {
    if (conn_ != nullptr) {
      PQfinish(conn_);
    }
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Reconnects if the connection was lost. Throws DbError if it cannot.
  void EnsureOpen() {
    if (conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK) {
      return;
    }
    if (conn_ != nullptr) {
      PQfinish(conn_);
      conn_ = nullptr;
    }
    prepared_.clear();
    Connect();
  }

  void Exec(std::string_view sql) {
    PGresult* res = PQexec(conn_, std::string(sql).c_str());
    Check(res, sql);
    PQclear(res);
  }

  Rows Query(std::string_view sql, std::span<const Value> params) {
    const std::string& name = Prepare(sql, params.size());
    std::vector<std::string> texts;
    std::vector<const char*> values;
    texts.reserve(params.size());
    values.reserve(params.size());
    for (const Value& v : params) {
      texts.push_back(v.ToText());
    }
    for (size_t i = 0; i < params.size(); ++i) {
      values.push_back(params[i].is_null() ? nullptr : texts[i].c_str());
    }
    PGresult* res = PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(), nullptr,
                                   nullptr, 0);
    Check(res, sql);
    const int ncols = PQnfields(res);
    const int nrows = PQntuples(res);
    std::vector<std::vector<Value>> data;
    data.reserve(static_cast<size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
      std::vector<Value> row;
      row.reserve(static_cast<size_t>(ncols));
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(res, r, c)) {
          row.emplace_back(nullptr);
        } else {
          row.emplace_back(std::string(PQgetvalue(res, r, c), static_cast<size_t>(PQgetlength(res, r, c))));
        }
      }
      data.push_back(std::move(row));
    }
    const char* tuples = PQcmdTuples(res);
    const int64_t affected = (tuples != nullptr && *tuples != '\0') ? std::atoll(tuples) : 0;
    PQclear(res);
    return Rows(std::move(data), affected);
  }

 private:
  void Connect() {
    conn_ = PQconnectdb(conninfo_.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(conn_);
      PQfinish(conn_);
      conn_ = nullptr;
      throw DbError(DbError::Kind::kConnection, "postgres connect: " + msg);
    }
    Exec("SET client_min_messages = warning");
    Exec("SET TIME ZONE 'UTC'");
  }

  const std::string& Prepare(std::string_view sql, size_t nparams) {
    auto it = prepared_.find(std::string(sql));
    if (it != prepared_.end()) {
      return it->second;
    }
    std::string name = fmt::format("s{}", prepared_.size() + 1);
    PGresult* res = PQprepare(conn_, name.c_str(), std::string(sql).c_str(), 0, nullptr);
    Check(res, sql);
    PQclear(res);
    (void)nparams;
    return prepared_.emplace(std::string(sql), std::move(name)).first->second;
  }

  void Check(PGresult* res, std::string_view sql) {
    const ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
      return;
    }
    const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string msg = res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
    const DbError::Kind kind = KindOfState(state);
    PQclear(res);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) {
      msg.pop_back();
    }
    throw DbError(kind, fmt::format("postgres: {} [{}]", msg, sql.substr(0, 200)));
  }

  std::string conninfo_;
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;
};

class PgTx final : public Tx {
 public:
  PgTx(Connection& conn, bool writable) : conn_(conn), writable_(writable) {}
  Rows Query(std::string_view sql, std::span<const Value> params) override { return conn_.Query(sql, params); }
  int64_t InsertRow(std::string_view sql, std::span<const Value> params) override {
    std::string returning(sql);
    returning += " RETURNING id";
    Rows rows = conn_.Query(returning, params);
    if (rows.size() != 1) {
      throw DbError(DbError::Kind::kOther, fmt::format("postgres: Insert must add exactly one row [{}]", sql.substr(0, 200)));
    }
    return rows.front().Int(0);
  }
  void ExecScript(std::string_view sql) override { conn_.Exec(sql); }
  Dialect dialect() const override { return Dialect::kPostgres; }
  bool writable() const override { return writable_; }

 private:
  Connection& conn_;
  bool writable_;
};

class PgStore final : public Store {
 public:
  PgStore(const std::string& conninfo, int pool_size, const StoreOptions& options)
      : options_(options), batch_sizes_({1, 2, 4, 8, 16, 32, 64, 128, 256, 512}) {
    for (int i = 0; i < pool_size; ++i) {
      conns_.push_back(std::make_unique<Connection>(conninfo));
    }
    for (auto& c : conns_) {
      threads_.emplace_back([this, conn = c.get()] { Loop(*conn); });
    }
  }
  ~PgStore() override { Close(); }

  bool SubmitRead(Job job) override { return Submit(std::move(job), false); }
  bool SubmitWrite(Job job) override { return !options_.read_only && Submit(std::move(job), true); }

  void Close() override {
    {
      std::lock_guard lock(mu_);
      if (closing_) {
        return;
      }
      closing_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) {
      if (t.joinable()) {
        t.join();
      }
    }
  }

  bool Ping() override {
    try {
      return ReadSync(*this, [](Tx& tx) { return tx.Query("SELECT 1").size() == 1; });
    } catch (const std::exception&) {
      return false;
    }
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  StoreStats Stats() const override {
    std::lock_guard lock(mu_);
    StoreStats s;
    for (const auto& q : queue_) {
      (q.write ? s.write_queue_depth : s.read_queue_depth)++;
    }
    return s;
  }

  const Histogram& batch_sizes() const override { return batch_sizes_; }

 private:
  struct Queued {
    Job job;
    bool write;
  };

  bool Submit(Job job, bool write) {
    {
      std::lock_guard lock(mu_);
      if (closing_ || static_cast<int>(queue_.size()) >= options_.write_queue_limit) {
        return false;
      }
      queue_.push_back({std::move(job), write});
    }
    cv_.notify_one();
    return true;
  }

  void Loop(Connection& conn) {
    for (;;) {
      Queued item;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return closing_ || !queue_.empty(); });
        if (queue_.empty()) {
          return;
        }
        item = std::move(queue_.front());
        queue_.pop_front();
      }
      item.job.done(RunJob(conn, item));
      if (item.write) {
        batch_sizes_.Observe(1);
      }
    }
  }

  static std::exception_ptr RunJob(Connection& conn, Queued& item) {
    PgTx tx(conn, item.write);
    for (int attempt = 0;; ++attempt) {
      try {
        conn.EnsureOpen();
        conn.Exec(item.write                ? "BEGIN"
                  : item.job.snapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                      : "BEGIN READ ONLY");
        bool keep = false;
        try {
          keep = item.job.run(tx);
        } catch (...) {
          conn.Exec("ROLLBACK");
          throw;
        }
        conn.Exec(keep ? "COMMIT" : "ROLLBACK");
        return nullptr;
      } catch (const DbError& e) {
        if (e.kind() == DbError::Kind::kSerialization && attempt < kMaxRetries) {
          continue;
        }
        return std::current_exception();
      } catch (...) {
        return std::current_exception();
      }
    }
  }

  StoreOptions options_;
  std::vector<std::unique_ptr<Connection>> conns_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Queued> queue_;  // GUARDED_BY(mu_)
  bool closing_ = false;      // GUARDED_BY(mu_)
  std::vector<std::thread> threads_;
  Histogram batch_sizes_;
};

}  // namespace

std::unique_ptr<Store> OpenPostgresStore(const std::string& conninfo, int pool_size, const StoreOptions& options) {
  return std::make_unique<PgStore>(conninfo, pool_size, options);
}

}  // namespace carecity::db
