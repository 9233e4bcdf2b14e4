#include "app/subrequest.h"

#include <boost/json.hpp>

namespace carecity::app {

namespace json = boost::json;
using boost::asio::awaitable;

awaitable<http::Response> AskRouter(const http::Router& router, const http::Request& parent,
                                    const std::string& target, bool as_caller) {
  http::Request sub;
  sub.method = "GET";
  sub.target = target;
  const size_t q = target.find('?');
  sub.path = target.substr(0, q);
  sub.query = q == std::string::npos ? "" : target.substr(q + 1);
  sub.remote_ip = parent.remote_ip;
  sub.request_id = parent.request_id;
  sub.lang = parent.lang;
  for (const auto& [name, value] : parent.headers) {
    if (name == "accept-language" || (as_caller && (name == "cookie" || name == "authorization"))) {
      sub.headers.emplace_back(name, value);
    }
  }
  const http::Router::Match m = router.Find("GET", sub.path);
  if (m.handler == nullptr) {
    http::Response none;
    none.status = 404;
    co_return none;
  }
  sub.path_params = m.params;
  sub.route = m.route;
  co_return co_await (*m.handler)(sub);
}

awaitable<json::value> AskJson(const http::Router& router, const http::Request& parent, const std::string& target,
                               bool as_caller) {
  http::Response res = co_await AskRouter(router, parent, target, as_caller);
  if (res.status != 200 || res.chunks) {
    co_return nullptr;
  }
  boost::system::error_code ec;
  json::value v = json::parse(res.body, ec);
  co_return ec ? json::value(nullptr) : v;
}

}  // namespace carecity::app
