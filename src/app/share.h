// GET /share/{kind}/{id}.png: the share poster (分享海报) of an article, an
// activity, a fund purpose or a lot (media/poster.h). What it shows is what
// the section's own public route answers (asked in process, as a guest), so
// a draft or a cancelled item has no poster; the QR code is the page's
// address under public_origin (or the request's Host).
//
// Posters are drawn on the CPU pool and kept per (kind, id, language) for
// kKeepMs, with an ETag; a surge of shares draws each once.
//
// Thread-safety: Handle may be called concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <map>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "domains/news/service.h"
#include "http/message.h"
#include "http/router.h"
#include "media/service.h"

namespace carecity::app {

class SharePosters {
 public:
  static constexpr int64_t kKeepMs = 5 * 60 * 1000;
  static constexpr size_t kMaxKept = 500;

  // Everything must outlive this.
  SharePosters(const http::Router& router, news::NewsService& news, media::MediaService& media,
               boost::asio::thread_pool& cpu, const Clock& clock, std::string public_origin);

  boost::asio::awaitable<http::Response> Handle(http::Request& req);

 private:
  struct Kept {
    std::string png;
    std::string etag;
    int64_t made_at_ms = 0;
  };

  const http::Router& router_;
  news::NewsService& news_;
  media::MediaService& media_;
  boost::asio::thread_pool& cpu_;
  const Clock& clock_;
  const std::string origin_;
  std::mutex mu_;
  std::map<std::string, Kept> kept_;
};

}  // namespace carecity::app
