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

}  // namespace carecity::http
