#include "app/share.h"

#include <boost/json.hpp>
#include <ctime>

#include "app/subrequest.h"
#include "core/crypto.h"
#include "db/await.h"
#include "http/json.h"
#include "http/origin.h"
#include "media/markdown.h"
#include "media/poster.h"

namespace carecity::app {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;

constexpr size_t kTextChars = 90;
constexpr const char kImagePrefix[] = "/media/images/";

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

const json::object* Obj(const json::value& v, std::string_view key) {
  const json::object* o = v.if_object();
  const json::value* inner = o ? o->if_contains(key) : nullptr;
  return inner ? inner->if_object() : nullptr;
}

// "/media/images/{id}/full.webp" → id.
std::string ImageIdOf(std::string_view url) {
  if (url.rfind(kImagePrefix, 0) != 0) {
    return "";
  }
  url.remove_prefix(sizeof kImagePrefix - 1);
  const size_t slash = url.find('/');
  return slash == std::string_view::npos ? "" : std::string(url.substr(0, slash));
}

std::string Category(std::string_view c, bool zh) {
  static const std::map<std::string_view, std::pair<const char*, const char*>> kNames = {
      {"notice", {"通知公告", "Notice"}},      {"event_review", {"活动回顾", "Activity review"}},
      {"story", {"公益故事", "Story"}},       {"policy", {"政策解读", "Policy"}},
      {"fund", {"基金动态", "Care Fund news"}}};
  auto it = kNames.find(c);
  return it == kNames.end() ? "" : (zh ? it->second.first : it->second.second);
}

std::string When(int64_t ms, bool zh) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);  // serve runs in the subdistrict's zone ([server] time_zone)
  char buf[64];
  std::strftime(buf, sizeof buf, zh ? "%Y年%m月%d日 %H:%M" : "%Y-%m-%d %H:%M", &tm);
  return buf;
}

struct Source {
  media::PosterSpec spec;
  std::string cover_id;
  std::string page;  // the web page's path
};

}  // namespace

SharePosters::SharePosters(const http::Router& router, news::NewsService& news, media::MediaService& media,
                           boost::asio::thread_pool& cpu, const Clock& clock, std::string public_origin)
    : router_(router), news_(news), media_(media), cpu_(cpu), clock_(clock), origin_(std::move(public_origin)) {}

awaitable<http::Response> SharePosters::Handle(http::Request& req) {
  const std::string kind(req.Param("kind"));
  std::string file(req.Param("file"));
  const bool zh = req.lang != http::Lang::kEn;
  const size_t dot = file.rfind(".png");
  const std::string id = dot != std::string::npos && dot + 4 == file.size() ? file.substr(0, dot) : "";
  const bool plain_id = !id.empty() && id.size() <= 20 &&
                        id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789") == std::string::npos;
  if (!plain_id) {
    co_return http::Err(Error::NotFound("share.not_found"), req);
  }
  const std::string key = kind + "/" + id + (zh ? "" : "/en");
  const int64_t now = clock_.NowMs();
  {
    std::lock_guard lock(mu_);
    auto it = kept_.find(key);
    if (it != kept_.end() && now - it->second.made_at_ms < kKeepMs) {
      http::Response res;
      if (req.Header("if-none-match") == it->second.etag) {
        res.status = 304;
      } else {
        res.body = it->second.png;
      }
      res.Set("Content-Type", "image/png").Set("ETag", it->second.etag).Set("Cache-Control", "public, max-age=300");
      co_return res;
    }
  }
  Source s;
  s.spec.brand = zh ? "关爱桂城" : "CareCity Guicheng";
  s.spec.scan_hint = zh ? "长按识别二维码，查看详情" : "Scan the code to open the page";
  if (kind == "article") {
    // Read as a guest would, but drawing the poster is not a view.
    auto a = co_await news_.Read(std::nullopt, id, false);
    if (a.ok()) {
      s.spec.title = a->article.title;
      s.spec.text = news::SummaryOf(a->article);
      s.spec.label = (zh ? "公益资讯 · " : "News · ") + Category(a->article.category, zh);
      s.cover_id = a->article.cover_image_id.value_or("");
      s.page = "/news/" + id;
    }
  } else if (kind == "event") {
    json::value e = co_await AskJson(router_, req, "/api/v1/events/" + id, false);
    if (const json::object* o = Obj(e, "event")) {
      s.spec.title = Str(*o, "title");
      const json::object* venue = o->if_contains("venue") ? o->at("venue").if_object() : nullptr;
      const json::value* starts = o->if_contains("starts_at_ms");
      s.spec.label = (zh ? "活动报名 · " : "Activity · ") +
                     (starts && starts->is_int64() ? When(starts->get_int64(), zh) : std::string());
      s.spec.text = (venue ? Str(*venue, "name") + "\n" : "") + media::PlainExcerpt(Str(*o, "description"), kTextChars);
      s.cover_id = ImageIdOf(Str(*o, "cover_url"));
      s.page = "/events/" + id;
    }
  } else if (kind == "fund_purpose") {
    json::value list = co_await AskJson(router_, req, "/api/v1/fund/purposes", false);
    const json::object* o = list.if_object();
    const json::value* purposes = o ? o->if_contains("purposes") : nullptr;
    if (purposes && purposes->is_array()) {
      for (const json::value& p : purposes->get_array()) {
        const json::object* po = p.if_object();
        const json::value* pid = po ? po->if_contains("id") : nullptr;
        if (pid && pid->is_int64() && std::to_string(pid->get_int64()) == id) {
          s.spec.title = Str(*po, "naming").empty() ? Str(*po, "name") : Str(*po, "naming");
          s.spec.text = media::PlainExcerpt(Str(*po, "description"), kTextChars);
          s.spec.label = zh ? "关爱基金 · 我要捐赠" : "Care Fund · Give";
          s.page = "/fund/donate?purpose=" + id;
        }
      }
    }
  } else if (kind == "lot") {
    json::value l = co_await AskJson(router_, req, "/api/v1/auction/lots/" + id, false);
    if (const json::object* o = Obj(l, "lot")) {
      s.spec.title = Str(*o, "title");
      s.spec.text = media::PlainExcerpt(Str(*o, "description"), kTextChars);
      s.spec.label = zh ? "公益拍卖 · 所得纳入关爱基金" : "Charity auction · for the Care Fund";
      const json::value* photos = o->if_contains("photos");
      if (photos && photos->is_array() && !photos->get_array().empty() && photos->get_array()[0].is_object()) {
        s.cover_id = Str(photos->get_array()[0].get_object(), "id");
      }
      s.page = "/auction/lots/" + id;
    }
  }
  if (s.page.empty()) {
    co_return http::Err(Error::NotFound("share.not_found"), req);
  }
  const std::string origin = http::SiteOrigin(origin_, req);
  s.spec.url = origin + s.page;
  if (!s.cover_id.empty()) {
    auto cover = co_await media_.Variant(s.cover_id, "full", "");
    if (cover.ok()) {
      s.spec.cover_webp = std::move(cover->bytes);
    }
  }
  auto png = co_await db::OnPool(cpu_, [&]() { return media::RenderPoster(s.spec); });
  if (!png.ok()) {
    co_return http::Err(png.error(), req);
  }
  Kept k{std::move(*png), "\"" + Sha256Hex(key + s.spec.title + s.spec.text + s.spec.label + s.cover_id).substr(0, 32) + "\"",
         now};
  http::Response res;
  res.body = k.png;
  res.Set("Content-Type", "image/png").Set("ETag", k.etag).Set("Cache-Control", "public, max-age=300");
  {
    std::lock_guard lock(mu_);
    if (kept_.size() >= kMaxKept) {
      kept_.clear();
    }
    kept_[key] = std::move(k);
  }
  co_return res;
}

}  // namespace carecity::app
