// JSON request parsing with strict validation, and JSON responses.
//
// Fields reads a request object field by field; the first problem is kept
// and returned by Finish(), which also refuses fields nobody asked for. So a
// handler reads every field, then checks Finish() once:
//
//   Fields f(obj);
//   auto name = f.String("name", {.max = 64});
//   auto rural = f.Bool("rural");
//   CC_TRY(f.Finish());
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/message.h"

namespace carecity::http {

// Body must be one JSON object of valid UTF-8 text. Errors: invalid_json.
Result<boost::json::object> ParseJsonObject(std::string_view body);

struct StringRule {
  bool required = true;
  size_t min = 0;           // in code points, after trimming
  size_t max = 200;         // in code points
  bool multiline = false;   // allow \n and \r
  bool trim = true;
};

struct IntRule {
  bool required = true;
  int64_t min = INT64_MIN;
  int64_t max = INT64_MAX;
};

class Fields {
 public:
  explicit Fields(const boost::json::object& obj) : obj_(obj) {}

  // Absent or null -> nullopt (and missing_field if required).
  std::optional<std::string> String(std::string_view name, const StringRule& rule = {});
  std::optional<int64_t> Int(std::string_view name, const IntRule& rule = {});
  std::optional<bool> Bool(std::string_view name, bool required = true);
  // Marks a field as known without reading it (e.g. a nested object read elsewhere).
  const boost::json::value* Raw(std::string_view name);
  // An array of strings, each checked by `rule` (an error names the item:
  // "project_types[2]", labelled "project_types"). Absent or null -> nullopt
  // (missing_field if required); more than `max_items` -> too_many_items.
  std::optional<std::vector<std::string>> Strings(std::string_view name, const StringRule& rule, size_t max_items,
                                                  bool required = true);
  // An array of objects: `read(item, i)` reads item i's fields; the first
  // error inside an item names it ("budget_lines[1].amount_fen", labelled
  // "amount_fen"), as does an unknown field there. Absent or null -> false
  // (missing_field if required); not an array of objects -> invalid_type.
  bool Objects(std::string_view name, size_t max_items, bool required,
               const std::function<void(Fields& item, size_t i)>& read);
  // A nested object read the same way (errors named "panel.experts").
  bool Object(std::string_view name, bool required, const std::function<void(Fields& inner)>& read);

  // Records `e` unless an earlier error is already recorded.
  void Fail(Error e);
  bool ok() const { return !error_.has_value(); }

  // The first error, else unknown_field for any field not read, else ok.
  Status Finish();

 private:
  const boost::json::value* Lookup(std::string_view name, bool required);

  const boost::json::object& obj_;
  std::set<std::string, std::less<>> seen_;
  std::optional<Error> error_;
};

// In a handler coroutine: parses the request body into `const object& var`,
// or answers with the parse error.
#define CC_PARSE_BODY(var, req)                                             \
  auto var##_parsed = ::carecity::http::ParseJsonObject((req).body);        \
  if (!var##_parsed.ok()) {                                                 \
    co_return ::carecity::http::ErrorResponse(var##_parsed.error(), (req).lang); \
  }                                                                         \
  const ::boost::json::object& var = var##_parsed.value()

// The same for a route whose body may be empty (an empty body reads as {}).
#define CC_PARSE_OPTIONAL_BODY(var, req)                                                     \
  auto var##_parsed = ::carecity::http::ParseJsonObject((req).body.empty() ? std::string_view("{}") \
                                                                           : std::string_view((req).body)); \
  if (!var##_parsed.ok()) {                                                                  \
    co_return ::carecity::http::ErrorResponse(var##_parsed.error(), (req).lang);             \
  }                                                                                          \
  const ::boost::json::object& var = var##_parsed.value()

// An optional JSON array of positive integer ids (`village_ids`): absent or
// null -> {}; anything else -> invalid_type naming `field`.
Result<std::vector<int64_t>> IdArray(const boost::json::value* raw, const std::string& field, size_t max_items = 100);

// `raw` checked by `rule` (what Fields::String does to a JSON string):
// invalid_utf8, invalid_characters, too_long, missing_field / too_short,
// each naming `name`. Returns it trimmed (unless rule.trim is off).
Result<std::string> CheckString(std::string_view raw, const std::string& name, const StringRule& rule);

// A query parameter (`?title=…`, already percent-decoded) checked the same
// way; absent reads as "" (missing_field when required).
Result<std::string> QueryString(const Request& req, const std::string& name, const StringRule& rule);

// An optional positive id in the query string (`?org_id=3`): absent or
// empty -> nullopt; malformed -> invalid_value naming `name`.
Result<std::optional<int64_t>> QueryId(const Request& req, const std::string& name);

// The request's Idempotency-Key header (8 to 64 printable characters), for
// POSTs that move money or create orders. Errors: missing_idempotency_key,
// invalid_idempotency_key (both naming the header).
Result<std::string> IdempotencyKey(const Request& req);

// The same for POSTs where the key is optional (creating a listing): ""
// when the header is absent.
Result<std::string> OptionalIdempotencyKey(const Request& req);

// Serialises `v` into a response with Content-Type application/json.
Response JsonResponse(int status, const boost::json::value& v);
// 204 No Content.
Response NoContent();

// ErrorResponse in the request's language: every route's error answer.
Response Err(const Error& e, const Request& req);
// The same with more about the problem in the error object ("product_id"
// of what sold out, "min_fen" of a bid too low); `extra` never replaces
// code, message or field.
Response Err(const Error& e, const Request& req, boost::json::object extra);

// An optional value as JSON: the value, or null.
template <class T>
boost::json::value Opt(const std::optional<T>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

// In a handler coroutine: binds `const int64_t var` to the path parameter
// `name`, or answers 404 with `not_found_key` (a malformed id names nothing).
#define CC_PATH_ID(var, req, name, not_found_key)                                             \
  const auto var##_parsed_id = ::carecity::http::ParseId((req).Param(name));                  \
  if (!var##_parsed_id) {                                                                     \
    co_return ::carecity::http::Err(::carecity::Error::NotFound(not_found_key), (req));       \
  }                                                                                           \
  const int64_t var = *var##_parsed_id

// HTTP status for an error category.
int StatusFor(ErrorCode code);
// {"error":{"code","message","field"}} in the request's language, with
// Retry-After for busy/rate-limited errors.
Response ErrorResponse(const Error& e, Lang lang, boost::json::object extra = {});
// The localised message alone (used by ErrorResponse and the CLI).
std::string ErrorMessage(const Error& e, Lang lang);

}  // namespace carecity::http
