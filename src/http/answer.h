// The two shapes most routes answer with: one object under a key, or a list
// under a key, each from a service Result (its error as the JSON error).
#pragma once

#include <boost/json.hpp>

#include <vector>

#include "core/result.h"
#include "http/json.h"

// In a handler coroutine: binds `const std::optional<int64_t> var` to the
// query parameter `name` (absent: nullopt), or answers 400 naming it.
#define CC_QUERY_ID(var, req, name)                                   \
  auto var##_query_id = ::carecity::http::QueryId((req), (name));    \
  if (!var##_query_id.ok()) {                                        \
    co_return ::carecity::http::Err(var##_query_id.error(), (req)); \
  }                                                                  \
  const std::optional<int64_t> var = *var##_query_id

namespace carecity::http {

template <class T, class F>
Response ListAnswer(const Result<std::vector<T>>& r, const Request& req, const char* key, F to_json) {
  if (!r.ok()) {
    return Err(r.error(), req);
  }
  boost::json::array list;
  for (const T& x : *r) {
    list.push_back(to_json(x));
  }
  return JsonResponse(200, boost::json::object{{key, list}});
}

template <class T, class F>
Response OneAnswer(const Result<T>& r, const Request& req, const char* key, F to_json, int status = 200) {
  if (!r.ok()) {
    return Err(r.error(), req);
  }
  return JsonResponse(status, boost::json::object{{key, to_json(*r)}});
}

// The body of a decision that may be refused ({"reason"}): the reason is
// required (1 to 500 characters) when refusing and optional when approving;
// an empty body reads as {}. Errors name the field.
inline Result<std::string> DecisionReason(const Request& req, bool approve) {
  auto body = ParseJsonObject(req.body.empty() ? std::string_view("{}") : std::string_view(req.body));
  if (!body.ok()) {
    return body.error();
  }
  Fields f(*body);
  auto reason = f.String("reason", {.required = !approve, .min = approve ? 0u : 1u, .max = 500});
  if (auto s = f.Finish(); !s.ok()) {
    return s.error();
  }
  return reason.value_or("");
}

}  // namespace carecity::http
