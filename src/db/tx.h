// The SQL surface every repository uses, identical for SQLite and PostgreSQL.
// SQL uses PostgreSQL-style placeholders ($1, $2, ...) for both backends.
//
// A Tx is owned by the store thread running the job and must not escape the
// job: it is neither thread-safe nor valid after the job returns.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace carecity::db {

enum class Dialect { kSqlite, kPostgres };

// A bound parameter or a result cell.
class Value {
 public:
  Value() : v_(nullptr) {}
  Value(std::nullptr_t) : v_(nullptr) {}                      // NOLINT
  Value(int v) : v_(static_cast<int64_t>(v)) {}               // NOLINT
  Value(long v) : v_(static_cast<int64_t>(v)) {}              // NOLINT
  Value(long long v) : v_(static_cast<int64_t>(v)) {}         // NOLINT
  Value(bool v) : v_(static_cast<int64_t>(v ? 1 : 0)) {}      // NOLINT
  Value(double v) : v_(v) {}                                  // NOLINT
  Value(std::string v) : v_(std::move(v)) {}                  // NOLINT
  Value(std::string_view v) : v_(std::string(v)) {}           // NOLINT
  Value(const char* v) : v_(std::string(v)) {}                // NOLINT
  template <class T>
  Value(const std::optional<T>& v) : v_(nullptr) {            // NOLINT
    if (v) {
      *this = Value(*v);
    }
  }

  bool is_null() const { return std::holds_alternative<std::nullptr_t>(v_); }
  bool is_int() const { return std::holds_alternative<int64_t>(v_); }
  bool is_double() const { return std::holds_alternative<double>(v_); }
  bool is_text() const { return std::holds_alternative<std::string>(v_); }
  int64_t int_value() const { return std::get<int64_t>(v_); }
  double double_value() const { return std::get<double>(v_); }
  const std::string& text_value() const { return std::get<std::string>(v_); }

  // Text form used by the PostgreSQL backend (text protocol).
  std::string ToText() const;

 private:
  std::variant<std::nullptr_t, int64_t, double, std::string> v_;
};

// Thrown for database failures. Repositories let it propagate; services
// catch only the kinds they expect (a unique key raced, say).
class DbError : public std::runtime_error {
 public:
  enum class Kind { kUnique, kCheck, kForeignKey, kNotNull, kBusy, kSerialization, kConnection, kOther };
  DbError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// One result row. Column accessors convert: PostgreSQL returns text, SQLite
// typed values; both read the same through these.
class Row {
 public:
  explicit Row(const std::vector<Value>* cells) : cells_(cells) {}
  bool IsNull(size_t i) const { return (*cells_)[i].is_null(); }
  int64_t Int(size_t i) const;                 // 0 for NULL
  std::optional<int64_t> OptInt(size_t i) const;
  double Double(size_t i) const;
  std::string Text(size_t i) const;            // "" for NULL
  std::optional<std::string> OptText(size_t i) const;
  bool Bool(size_t i) const { return Int(i) != 0; }

 private:
  const std::vector<Value>* cells_;
};

class Rows {
 public:
  Rows() = default;
  Rows(std::vector<std::vector<Value>> data, int64_t affected) : data_(std::move(data)), affected_(affected) {}

  size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  Row operator[](size_t i) const { return Row(&data_[i]); }
  Row front() const { return Row(&data_.front()); }
  int64_t affected() const { return affected_; }  // rows changed by INSERT/UPDATE/DELETE
  // Each row read into a value by `read` (a repo's row reader), in order.
  template <class F>
  auto Map(F&& read) const {
    std::vector<std::invoke_result_t<F&, Row>> out;
    out.reserve(data_.size());
    for (const std::vector<Value>& cells : data_) {
      out.push_back(read(Row(&cells)));
    }
    return out;
  }

 private:
  std::vector<std::vector<Value>> data_;
  int64_t affected_ = 0;
};

class Tx {
 public:
  virtual ~Tx() = default;

  // Runs one statement. Throws DbError on failure.
  virtual Rows Query(std::string_view sql, std::span<const Value> params) = 0;
  Rows Query(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Query(sql, std::span<const Value>(params.begin(), params.size()));
  }
  // Runs one statement and returns the number of rows it changed.
  int64_t Exec(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Query(sql, params).affected();
  }
  // Runs a single-row INSERT (no RETURNING clause) and returns the new row's
  // `id`, the table's integer primary key. SQLite reads the rowid the insert
  // assigned; PostgreSQL appends RETURNING id. (SQLite answers RETURNING
  // through an ephemeral table, a page cache built and freed per statement:
  // measurable on the sign-up and donation hot paths.)
  // An upsert or a statement with its own RETURNING is refused (throws):
  // the rowid would not be the answer.
  int64_t Insert(std::string_view sql, std::initializer_list<Value> params) {
    if (sql.find("RETURNING") != std::string_view::npos || sql.find("ON CONFLICT") != std::string_view::npos) {
      throw DbError(DbError::Kind::kOther, "Tx::Insert takes a plain single-row INSERT");
    }
    return InsertRow(sql, std::span<const Value>(params.begin(), params.size()));
  }
  virtual int64_t InsertRow(std::string_view sql, std::span<const Value> params) = 0;
  // Runs several statements without parameters (migrations).
  virtual void ExecScript(std::string_view sql) = 0;

  virtual Dialect dialect() const = 0;
  // True inside a write job.
  virtual bool writable() const = 0;
};

}  // namespace carecity::db
