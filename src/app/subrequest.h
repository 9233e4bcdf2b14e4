// Asking the router in process: what a section's own route answers, for
// the pages that gather several sections (首页, search, an article's
// related cards) without a second copy of any section's SQL or rules.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>
#include <string>

#include "http/message.h"
#include "http/router.h"

namespace carecity::app {

// Answers GET `target` ("/api/v1/events?limit=4") as `parent`'s caller would
// be answered (`as_caller`: their cookie and Authorization go along) or as
// a guest; the language follows `parent`. 404 when no route matches.
boost::asio::awaitable<http::Response> AskRouter(const http::Router& router, const http::Request& parent,
                                                 const std::string& target, bool as_caller);

// The same, parsed: null unless it answers 200 with JSON.
boost::asio::awaitable<boost::json::value> AskJson(const http::Router& router, const http::Request& parent,
                                                   const std::string& target, bool as_caller);

}  // namespace carecity::app
