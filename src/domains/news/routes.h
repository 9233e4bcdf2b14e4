// /api/v1/news/... and the feeds (/news/rss.xml, /news/atom.xml): parsing
// and JSON only; NewsService decides every permission. The contract:
// docs/api-news.md.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>
#include <string>

#include "domains/accounts/service.h"
#include "domains/news/service.h"
#include "http/message.h"
#include "http/router.h"

namespace carecity::news {

// What an article is about, as cards: the owning sections answer for their
// items (app/ knows them all; this domain knows none).
class RelatedCards {
 public:
  virtual ~RelatedCards() = default;
  // The card of `r` as a guest sees it ({kind, id, title, summary, href,
  // action, item}), or null when it does not exist or is not public.
  virtual boost::asio::awaitable<boost::json::value> Card(const http::Request& parent, const RelatedRef& r) = 0;
};

// `public_origin` ("https://care.example.cn"; empty: the request's Host)
// makes the feeds' links absolute.
void RegisterRoutes(http::Router& router, NewsService& news, accounts::AccountsService& accounts,
                    RelatedCards& cards, std::string public_origin);

// An article summary as the lists answer it (also for search and 首页).
boost::json::object SummaryJson(const Article& a, int64_t now_ms);

}  // namespace carecity::news
