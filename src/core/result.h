// Expected failures as values. A Result<T> holds either a T or an Error; an
// Error carries a stable snake_case key (the JSON "code"), a category that
// decides the HTTP status, and optionally the request field it is about.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace carecity {

// Categories of expected failure; http/errors.cc maps each to one status.
enum class ErrorCode {
  kInvalid,           // 400: the request is malformed or a field is wrong
  kUnauthenticated,   // 401
  kForbidden,         // 403
  kNotFound,          // 404
  kConflict,          // 409: state does not allow it (duplicate, sold out)
  kBusy,              // 409 + Retry-After: lost a lock, try again
  kTooLarge,          // 413
  kUnsupportedMedia,  // 415
  kUnprocessable,     // 422: well-formed but semantically refused
  kRateLimited,       // 429 + Retry-After
  kUnavailable,       // 503: overloaded or shutting down
  kInternal,          // 500
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string key;       // stable, snake_case: "invalid_phone"
  std::string field;     // request field the error is about, or empty
  std::string detail;    // extra English text for logs and messages, or empty
  int64_t retry_after_s = 0;  // for kBusy / kRateLimited
  std::string label;          // names the field in messages when `field` is ambiguous ("purpose_code")

  static Error Invalid(std::string key, std::string field, std::string detail = {}) {
    return {ErrorCode::kInvalid, std::move(key), std::move(field), std::move(detail)};
  }
  static Error Unauthenticated(std::string key = "unauthenticated") {
    return {ErrorCode::kUnauthenticated, std::move(key), {}, {}};
  }
  static Error Forbidden(std::string key = "forbidden") {
    return {ErrorCode::kForbidden, std::move(key), {}, {}};
  }
  static Error NotFound(std::string key = "not_found") {
    return {ErrorCode::kNotFound, std::move(key), {}, {}};
  }
  static Error Conflict(std::string key, std::string field = {}) {
    return {ErrorCode::kConflict, std::move(key), std::move(field), {}};
  }
  static Error Unprocessable(std::string key, std::string field = {}) {
    return {ErrorCode::kUnprocessable, std::move(key), std::move(field), {}};
  }
  static Error RateLimited(int64_t retry_after_s) {
    return {ErrorCode::kRateLimited, "rate_limited", {}, {}, retry_after_s};
  }
  static Error Busy(int64_t retry_after_s = 1) {
    return {ErrorCode::kBusy, "busy", {}, {}, retry_after_s};
  }
  static Error Internal(std::string detail) {
    return {ErrorCode::kInternal, "internal_error", {}, std::move(detail)};
  }
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : e_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return *e_; }
  Error&& error() && { return std::move(*e_); }

 private:
  std::optional<Error> e_;
};

using Status = Result<void>;

}  // namespace carecity

#define CC_CONCAT_INNER(a, b) a##b
#define CC_CONCAT(a, b) CC_CONCAT_INNER(a, b)

// Returns the error of `expr` (a Result) from the enclosing function.
#define CC_TRY(expr)                                      \
  do {                                                    \
    auto&& cc_try_result_ = (expr);                       \
    if (!cc_try_result_.ok()) {                           \
      return std::move(cc_try_result_).error();           \
    }                                                     \
  } while (false)

// CC_TRY for coroutines: co_returns the error.
#define CC_CO_TRY(expr)                                   \
  do {                                                    \
    auto&& cc_try_result_ = (expr);                       \
    if (!cc_try_result_.ok()) {                           \
      co_return std::move(cc_try_result_).error();        \
    }                                                     \
  } while (false)

// `CC_ASSIGN_OR_RETURN(auto x, Compute());` unwraps or returns the error.
#define CC_ASSIGN_OR_RETURN(lhs, expr) \
  CC_ASSIGN_OR_RETURN_IMPL(CC_CONCAT(cc_result_, __LINE__), lhs, expr)
#define CC_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) {                               \
    return std::move(tmp).error();               \
  }                                              \
  lhs = std::move(tmp).value()
