// The one route table: every capability registers its routes here.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "app/app.h"
#include "db/await.h"
#include "domains/accounts/routes.h"
#include "domains/auction/routes.h"
#include "domains/grants/projects_routes.h"
#include "domains/villagebook/routes.h"
#include "domains/grants/routes.h"
// market (issue 12)
#include "domains/market/routes.h"
// training (issue 13)
#include "domains/training/outcomes.h"
#include "domains/training/routes.h"
#include "domains/reception/routes.h"
#include "domains/talent/routes.h"
#include "domains/forum/routes.h"
#include "domains/news/routes.h"
#include "app/subrequest.h"
#include "domains/casework/routes.h"
#include "domains/events/routes.h"
#include "domains/fund/routes.h"
#include "domains/notify/routes.h"
#include "domains/notify/service.h"
#include "domains/payments/routes.h"
#include "domains/shop/routes.h"
#include "http/json.h"
#include "live/topic_route.h"
#include "media/routes.h"

namespace carecity::app {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using http::Request;
using http::Response;

Response Text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8") {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.Set("Content-Type", std::move(content_type));
  r.Set("Cache-Control", "no-store");
  return r;
}

}  // namespace

void App::RegisterRoutes() {
  router_.Add("GET", "/healthz", [](Request&) -> awaitable<Response> { co_return Text(200, "ok\n"); });
  router_.Add("GET", "/readyz", [this](Request& req) -> awaitable<Response> {
    // A real round trip through the read queue, as requests would take it.
    auto r = co_await db::ReadTx(*store_, [](db::Tx& tx) -> Result<bool> { return !tx.Query("SELECT 1").empty(); });
    if (!r.ok()) {
      co_return http::ErrorResponse(r.error(), req.lang);
    }
    co_return Text(200, "ready\n");
  });
  router_.Add("GET", "/metrics", [this](Request&) -> awaitable<Response> {
    co_return Text(200, metrics_.Render(store_.get()), "text/plain; version=0.0.4; charset=utf-8");
  });
  router_.Add("GET", "/api/v1/meta", [this](Request&) -> awaitable<Response> {
    co_return http::JsonResponse(200, json::object{{"name", "关爱城市"},
                                                   {"version", kVersion},
                                                   {"consent_version", config_.consent_version},
                                                   {"public_origin", config_.public_origin},
                                                   {"time_zone", config_.time_zone},
                                                   {"features", json::array{"accounts", "fund", "fund_admin", "events", "volunteers", "casework", "media", "auction", "shop", "grants", "market", "training", "reception", "talent", "forum", "news"}}});
  });
  accounts::RegisterRoutes(router_, *accounts_);
  payments::RegisterRoutes(router_, *payments_, *accounts_);
  fund::RegisterRoutes(router_, *fund_, *accounts_);
  events::RegisterRoutes(router_, *events_, *accounts_);
  casework::RegisterRoutes(router_, *casework_, *accounts_, clock_);
  media::RegisterRoutes(router_, *media_, *accounts_);
  auction::RegisterRoutes(router_, *auction_, *accounts_, *payments_);
  grants::RegisterRoutes(router_, *grants_, *accounts_);
  grants::RegisterProjectRoutes(router_, *projects_, *accounts_);
  // market (issue 12)
  market::RegisterRoutes(router_, *market_, *accounts_);
  market::RegisterContractRoutes(router_, *contracts_, *accounts_);
  market::RegisterMeetingRoutes(router_, *meetings_, *accounts_);
  // training (issue 13)
  training::RegisterRoutes(router_, *training_, *accounts_);
  training::RegisterOutcomeRoutes(router_, *store_, clock_, *accounts_);
  reception::RegisterRoutes(router_, *reception_, *accounts_);
  talent::RegisterRoutes(router_, *talent_, *accounts_);
  forum::RegisterRoutes(router_, *forum_, *accounts_, *media_);
  news::RegisterRoutes(router_, *news_, *accounts_, *cards_, config_.public_origin);
  // The web app's pages of what people share carry its title, text and
  // image for link previews (app/page_meta.h).
  router_.Add("GET", "/news/{id}", [this](Request& req) { return page_meta_->Handle(req, "article"); });
  router_.Add("GET", "/events/{id}", [this](Request& req) { return page_meta_->Handle(req, "event"); });
  router_.Add("GET", "/auction/lots/{id}", [this](Request& req) { return page_meta_->Handle(req, "lot"); });
  // 分享海报: the share poster of an article, an activity, a purpose or a lot.
  router_.Add("GET", "/share/{kind}/{file}", [this](Request& req) { return share_->Handle(req); });
  // 搜索: the forum's threads and posts and the news articles, each asked
  // of its own section (which checks the query and owns the SQL).
  router_.Add("GET", "/api/v1/search", [this](Request& req) -> awaitable<Response> {
    const std::string q = http::PercentEncode(req.Query("q").value_or(""));
    Response forum = co_await AskRouter(router_, req, "/api/v1/forum/search?q=" + q, false);
    if (forum.status != 200) {
      co_return forum;
    }
    auto answer = http::ParseJsonObject(forum.body);
    if (!answer.ok()) {
      co_return http::Err(Error::Internal("search answer"), req);
    }
    json::value articles = co_await AskJson(router_, req, "/api/v1/news/articles?limit=20&q=" + q, false);
    const json::object* a = articles.if_object();
    (*answer)["articles"] = a && a->contains("articles") ? a->at("articles") : json::array();
    co_return http::JsonResponse(200, *answer);
  });
  // 首页: every section's first items in one answer (app/home.h), the
  // public part rebuilt at most every 5 s.
  router_.Add("GET", "/api/v1/home", [this](Request& req) { return home_->Handle(req); });
  villagebook::RegisterRoutes(router_, *villagebooks_, *accounts_);
  // The lot page's live price: every committed bid, extension or close is
  // published on the lot's topic (App::Open sets the auction's change hook).
  live::AddTopicRoute(
      router_, *hub_, "/ws/auctions/{id}", [](std::string_view id) { return AuctionTopic(id); },
      [this](std::string id, const http::Request&) -> awaitable<Result<std::string>> {
        co_return co_await auction_->Snapshot(std::move(id));
      });
  // The caller's in-app notifications (outbid, won, offers, reminders),
  // newest first; ?before=<id> pages back. Own only.
  router_.Add("GET", "/api/v1/me/notifications", [this](Request& req) -> awaitable<Response> {
    CC_REQUIRE_PRINCIPAL(p, *accounts_, req);
    auto before = http::QueryId(req, "before");
    if (!before.ok()) {
      co_return http::Err(before.error(), req);
    }
    constexpr int kPage = 50;
    const int64_t user = p.user_id;
    const int64_t before_id = before->value_or(0);
    struct Page {
      std::vector<notify::Message> messages;
      int64_t unread = 0;
    };
    auto r = co_await db::ReadTx(*store_, [user, before_id](db::Tx& tx) -> Result<Page> {
      return Page{notify::SiteMessagesOf(tx, user, before_id, kPage), notify::UnreadSiteMessages(tx, user)};
    });
    if (!r.ok()) {
      co_return http::Err(r.error(), req);
    }
    json::array list;
    for (const notify::Message& m : r->messages) {
      json::value params = json::parse(m.params_json);
      list.push_back(json::object{{"id", m.id},
                                  {"template", m.template_name},
                                  {"params", params},
                                  {"read", m.read_at_ms.has_value()},
                                  {"created_at_ms", m.created_at_ms}});
    }
    json::value next = nullptr;
    if (static_cast<int>(r->messages.size()) == kPage) {
      next = std::to_string(r->messages.back().id);
    }
    co_return http::JsonResponse(200,
                                 json::object{{"notifications", list}, {"next_cursor", next}, {"unread", r->unread}});
  });
  // Marks the caller's in-app notifications read, up to `up_to_id` (all
  // when absent): the unread badge counts the rest.
  router_.Add("POST", "/api/v1/me/notifications/read", [this](Request& req) -> awaitable<Response> {
    CC_REQUIRE_PRINCIPAL(p, *accounts_, req);
    CC_PARSE_OPTIONAL_BODY(body, req);
    http::Fields f(body);
    const int64_t up_to = f.Int("up_to_id", {.required = false, .min = 1}).value_or(INT64_MAX);
    if (auto s = f.Finish(); !s.ok()) {
      co_return http::Err(s.error(), req);
    }
    const int64_t user = p.user_id;
    const int64_t now = clock_.NowMs();
    auto r = co_await db::WriteTx(*store_, [user, up_to, now](db::Tx& tx) -> Result<int64_t> {
      notify::MarkSiteMessagesRead(tx, user, up_to, now);
      return notify::UnreadSiteMessages(tx, user);
    });
    if (!r.ok()) {
      co_return http::Err(r.error(), req);
    }
    co_return http::JsonResponse(200, json::object{{"unread", *r}});
  });
  notify::RegisterAdminRoutes(router_, *store_, *accounts_, clock_);
  shop::RegisterRoutes(router_, *shop_, *accounts_);
  RegisterCheckpointRoutes(router_, *store_, checkpointer_->public_key());
}

}  // namespace carecity::app
