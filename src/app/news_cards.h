// An article's related items as cards (news::RelatedCards), each asked of
// its own section's public route in process (app/subrequest.h): what a
// guest may see is what the section says, and an item no longer public
// has no card.
#pragma once

#include "domains/news/routes.h"
#include "http/router.h"

namespace carecity::app {

class RouterCards : public news::RelatedCards {
 public:
  // `router` holds every section's routes and must outlive this.
  explicit RouterCards(const http::Router& router) : router_(router) {}

  boost::asio::awaitable<boost::json::value> Card(const http::Request& parent, const news::RelatedRef& r) override;

 private:
  const http::Router& router_;
};

}  // namespace carecity::app
