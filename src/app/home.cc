#include "app/home.h"

#include <boost/json.hpp>
#include <algorithm>
#include <functional>
#include <string_view>

#include "app/subrequest.h"
#include "http/json.h"

namespace carecity::app {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;

// The first `n` items of `v[key]` (an array) that `keep` accepts; [] when
// the section did not answer.
json::array Take(const json::value& v, std::string_view key, size_t n,
                 const std::function<bool(const json::object&)>& keep = nullptr) {
  json::array out;
  const json::object* o = v.if_object();
  const json::value* list = o ? o->if_contains(key) : nullptr;
  if (list == nullptr || !list->is_array()) {
    return out;
  }
  for (const json::value& item : list->get_array()) {
    if (out.size() >= n) {
      break;
    }
    if (item.is_object() && (!keep || keep(item.get_object()))) {
      out.push_back(item);
    }
  }
  return out;
}

std::string_view Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

int64_t Int(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : 0;
}

bool SignedIn(const http::Request& req) {
  return !req.Cookie("cc_session").empty() || !req.Header("authorization").empty();
}

}  // namespace

HomeFeed::HomeFeed(const http::Router& router, const Clock& clock, int64_t ttl_ms)
    : router_(router), clock_(clock), ttl_ms_(ttl_ms) {}

int64_t HomeFeed::builds() const {
  std::lock_guard lock(mu_);
  return builds_;
}

awaitable<json::value> HomeFeed::Ask(const http::Request& parent, const std::string& target, bool as_caller) {
  return AskJson(router_, parent, target, as_caller);
}

awaitable<json::object> HomeFeed::BuildPublic(const http::Request& req) {
  const int64_t now = clock_.NowMs();
  json::object home;
  home["generated_at_ms"] = now;
  // 活动: what starts from now on, soonest first, with seats left.
  home["events"] = Take(co_await Ask(req, "/api/v1/events?from_ms=" + std::to_string(now) + "&limit=4", false),
                        "events", 4);
  // 关爱基金: the totals, and the latest grants from the public journal.
  json::value summary = co_await Ask(req, "/api/v1/fund/summary", false);
  json::object fund;
  if (const json::object* s = summary.if_object()) {
    for (const char* key : {"raised_fen", "granted_fen", "disbursed_fen", "balance_fen"}) {
      if (const json::value* v = s->if_contains(key)) {
        fund[key] = *v;
      }
    }
  }
  fund["latest_grants"] = Take(co_await Ask(req, "/api/v1/fund/entries?limit=100", false), "entries", 3,
                               [](const json::object& e) { return Str(e, "kind") == "grant"; });
  home["fund"] = std::move(fund);
  // 服务申请: services open for application.
  home["services"] = Take(co_await Ask(req, "/api/v1/casework/services", false), "services", 4);
  // 公益商城 and 公益拍卖: products, and the open lots that end soonest.
  home["products"] = Take(co_await Ask(req, "/api/v1/shop/products?limit=4", false), "products", 4);
  json::array lots = Take(co_await Ask(req, "/api/v1/auction/lots?status=live", false), "lots", 50);
  std::sort(lots.begin(), lots.end(), [](const json::value& a, const json::value& b) {
    return Int(a.get_object(), "ends_at_ms") < Int(b.get_object(), "ends_at_ms");
  });
  if (lots.size() > 3) {
    lots.resize(3);
  }
  home["lots"] = std::move(lots);
  // 公益创投: calls open for applications; 供需对接: meetings to come.
  home["calls"] = Take(co_await Ask(req, "/api/v1/grants/calls", false), "calls", 3, [now](const json::object& c) {
    return Str(c, "phase") == "open" && Int(c, "closes_at_ms") > now;
  });
  home["meetings"] = Take(co_await Ask(req, "/api/v1/market/meetings", false), "meetings", 2,
                          [now](const json::object& m) { return Int(m, "ends_at_ms") == 0 || Int(m, "ends_at_ms") > now; });
  // 社区: the threads with the latest replies.
  home["threads"] = Take(co_await Ask(req, "/api/v1/forum/threads?limit=5", false), "threads", 5);
  home["notices"] =
      Take(co_await Ask(req, "/api/v1/news/articles?category=notice&limit=3", false), "articles", 3);
  co_return home;
}

awaitable<json::object> HomeFeed::BuildPersonal(const http::Request& req) {
  const int64_t now = clock_.NowMs();
  json::object me;
  // The soonest activity the caller is going to (registrations come
  // soonest-upcoming first).
  json::array next = Take(co_await Ask(req, "/api/v1/me/registrations", true), "registrations", 1,
                          [now](const json::object& r) {
                            const json::value* e = r.if_contains("event");
                            const bool going = Str(r, "status") == "confirmed" || Str(r, "status") == "waitlisted";
                            return going && e && e->is_object() && Int(e->get_object(), "ends_at_ms") >= now;
                          });
  me["next_activity"] = next.empty() ? json::value(nullptr) : next.front();
  json::value apps = co_await Ask(req, "/api/v1/me/casework/applications", true);
  me["open_applications"] = Take(apps, "applications", 3, [](const json::object& a) {
    const std::string_view s = Str(a, "status");
    return s != "closed" && s != "withdrawn" && s != "rejected";
  });
  json::value inbox = co_await Ask(req, "/api/v1/me/notifications", true);
  if (!inbox.is_object()) {
    co_return json::object{};  // not signed in after all (an expired session)
  }
  me["unread"] = Int(inbox.get_object(), "unread");
  co_return me;
}

awaitable<http::Response> HomeFeed::Handle(http::Request& req) {
  const int64_t now = clock_.NowMs();
  bool rebuild = false;
  std::string body;
  {
    std::lock_guard lock(mu_);
    if (public_body_.empty() || (now - built_at_ms_ >= ttl_ms_ && !building_)) {
      rebuild = true;
      building_ = true;
    }
    body = public_body_;
  }
  if (rebuild || body.empty()) {
    json::object fresh;
    try {
      fresh = co_await BuildPublic(req);
    } catch (...) {
      std::lock_guard lock(mu_);
      building_ = false;  // the next request tries again
      throw;
    }
    std::string serialised = json::serialize(fresh);
    serialised.pop_back();  // the closing brace: "me" follows
    std::lock_guard lock(mu_);
    public_body_ = serialised;
    built_at_ms_ = now;
    building_ = false;
    ++builds_;
    body = std::move(serialised);
  }
  json::value me = nullptr;
  if (SignedIn(req)) {
    json::object personal = co_await BuildPersonal(req);
    if (!personal.empty()) {
      me = std::move(personal);
    }
  }
  http::Response res = http::JsonResponse(200, json::object{});
  res.body = body + ",\"me\":" + json::serialize(me) + "}";
  co_return res;
}

}  // namespace carecity::app
