// Share metadata in the web app's page: when a link to an article
// (/news/{id}), an activity (/events/{id}) or a lot (/auction/lots/{id}) is
// opened or previewed (a WeChat chat, Moments, a crawler), the index.html
// the server sends carries that item's title, description and image as
// Open Graph tags (og:title, og:description, og:image, og:url) and in
// <title> and <meta name="description">, all escaped. Anything else — the
// web app not built, an id that names nothing public — gets the page
// unchanged, as before.
//
// Thread-safety: Handle may be called concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "domains/news/service.h"
#include "http/message.h"
#include "http/router.h"
#include "http/static_files.h"

namespace carecity::app {

class PageMeta {
 public:
  // `static_files` may be null (no web app); the others must outlive this.
  PageMeta(const http::Router& router, news::NewsService& news, const http::StaticFiles* static_files,
           std::string public_origin);

  // `kind`: article, event or lot; the id is the route's {id}.
  boost::asio::awaitable<http::Response> Handle(http::Request& req, std::string kind);

 private:
  const http::Router& router_;
  news::NewsService& news_;
  const http::StaticFiles* static_files_;
  const std::string origin_;
};

// `html` with `<title>` and the description meta replaced and the Open
// Graph tags added before </head> (exposed for tests).
std::string WithShareMeta(std::string html, const std::string& title, const std::string& description,
                          const std::string& image_url, const std::string& page_url);

}  // namespace carecity::app
