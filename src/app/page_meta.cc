#include "app/page_meta.h"

#include <boost/json.hpp>

#include "app/subrequest.h"
#include "core/text.h"
#include "http/json.h"
#include "http/origin.h"
#include "media/markdown.h"
#include "media/model.h"

namespace carecity::app {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;

constexpr size_t kDescriptionChars = 100;

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Replaces the first `<open …>…</close>`-delimited span starting with
// `open` by `with`; leaves `html` as it is when there is none.
void ReplaceSpan(std::string& html, std::string_view open, std::string_view close, const std::string& with) {
  const size_t a = html.find(open);
  const size_t b = a == std::string::npos ? a : html.find(close, a);
  if (b != std::string::npos) {
    html.replace(a, b + close.size() - a, with);
  }
}

}  // namespace

std::string WithShareMeta(std::string html, const std::string& title, const std::string& description,
                          const std::string& image_url, const std::string& page_url) {
  const std::string t = HtmlEscape(title);
  const std::string d = HtmlEscape(description);
  ReplaceSpan(html, "<title>", "</title>", "<title>" + t + "</title>");
  ReplaceSpan(html, "<meta name=\"description\"", ">", "<meta name=\"description\" content=\"" + d + "\">");
  std::string tags = "<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:title\" content=\"" + t +
                     "\">\n<meta property=\"og:description\" content=\"" + d +
                     "\">\n<meta property=\"og:url\" content=\"" + HtmlEscape(page_url) + "\">\n";
  if (!image_url.empty()) {
    tags += "<meta property=\"og:image\" content=\"" + HtmlEscape(image_url) + "\">\n";
  }
  tags += "<meta name=\"twitter:card\" content=\"summary_large_image\">\n";
  const size_t head = html.find("</head>");
  if (head != std::string::npos) {
    html.insert(head, tags);
  }
  return html;
}

PageMeta::PageMeta(const http::Router& router, news::NewsService& news, const http::StaticFiles* static_files,
                   std::string public_origin)
    : router_(router), news_(news), static_files_(static_files), origin_(std::move(public_origin)) {}

awaitable<http::Response> PageMeta::Handle(http::Request& req, std::string kind) {
  if (static_files_ == nullptr) {
    co_return http::Err(Error::NotFound(), req);
  }
  http::Request plain = req;  // the page uncompressed, to edit it
  std::erase_if(plain.headers, [](const auto& h) { return h.first == "accept-encoding" || h.first == "range"; });
  std::optional<http::Response> page = static_files_->Serve(plain);
  if (!page) {
    co_return http::Err(Error::NotFound(), req);
  }
  if (page->status != 200 || !page->Header("content-encoding").empty()) {
    co_return std::move(*page);
  }
  const std::string id(req.Param("id"));
  std::string title, description, image;
  if (kind == "article") {
    auto a = co_await news_.Read(std::nullopt, id, false);
    if (a.ok()) {
      title = a->article.title;
      description = news::SummaryOf(a->article);
      if (a->article.cover_image_id) {
        image = media::ImageUrl(*a->article.cover_image_id, "full");
      }
    }
  } else {
    const bool event = kind == "event";
    json::value v = co_await AskJson(router_, req, (event ? "/api/v1/events/" : "/api/v1/auction/lots/") + id, false);
    const json::object* o = v.if_object();
    const json::value* item = o ? o->if_contains(event ? "event" : "lot") : nullptr;
    if (item && item->is_object()) {
      const json::object& it = item->get_object();
      title = Str(it, "title");
      description = media::PlainExcerpt(Str(it, "description"), kDescriptionChars);
      image = event ? Str(it, "cover_url") : "";
      const json::value* photos = it.if_contains("photos");
      if (!event && photos && photos->is_array() && !photos->get_array().empty() &&
          photos->get_array()[0].is_object()) {
        image = Str(photos->get_array()[0].get_object(), "url");
      }
    }
  }
  if (title.empty()) {
    co_return std::move(*page);
  }
  const std::string origin = http::SiteOrigin(origin_, req);
  if (!image.empty() && image[0] == '/') {
    image = origin + image;
  }
  http::Response res = std::move(*page);
  res.body = WithShareMeta(std::move(res.body), title + " · 关爱桂城", description, image, origin + req.path);
  co_return res;
}

}  // namespace carecity::app
