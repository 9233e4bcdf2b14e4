// GET /api/v1/home: the 首页 as one condensed collection of every section —
// the latest notices (通知公告), upcoming activities with seats left, the Care Fund's totals and latest
// grants, services open for application, shop products, lots ending soon,
// open grant calls, supply–demand meetings and the forum's latest threads —
// plus, for a signed-in caller, their next activity, open applications and
// unread messages.
//
// Each block is what the section's own list route answers (the same item
// shapes the section's pages read), asked in process through the router,
// so the home page never has SQL or rules of its own. The public part is
// built at most once every `ttl_ms` per server and kept as a serialised
// body: a surge of visitors costs no database work per visit. While one
// request rebuilds a stale copy, the others are answered from it
// (stale-while-revalidate). The personal part is asked per request.
//
// Thread-safety: Handle may be called concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "http/message.h"
#include "http/router.h"

namespace carecity::app {

class HomeFeed {
 public:
  // `router` holds every section's routes and must outlive the feed.
  HomeFeed(const http::Router& router, const Clock& clock, int64_t ttl_ms);

  boost::asio::awaitable<http::Response> Handle(http::Request& req);

  // Builds of the public part so far (for tests: a surge builds once).
  int64_t builds() const;

 private:
  // The public part: every block, as an object.
  boost::asio::awaitable<boost::json::object> BuildPublic(const http::Request& req);
  boost::asio::awaitable<boost::json::object> BuildPersonal(const http::Request& req);
  // Answers `target` (a GET) as this request's caller would be answered
  // (`as_caller`) or as a guest; null unless it answers 200 with JSON.
  boost::asio::awaitable<boost::json::value> Ask(const http::Request& parent, const std::string& target,
                                                 bool as_caller);

  const http::Router& router_;
  const Clock& clock_;
  const int64_t ttl_ms_;

  mutable std::mutex mu_;
  std::string public_body_;  // `{…blocks…` without the closing brace
  int64_t built_at_ms_ = 0;
  bool building_ = false;
  int64_t builds_ = 0;
};

}  // namespace carecity::app
