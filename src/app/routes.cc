// The one route table: every capability registers its routes here.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "app/app.h"
#include "db/await.h"
#include "domains/accounts/routes.h"
#include "domains/casework/routes.h"
#include "domains/events/routes.h"
#include "domains/fund/routes.h"
#include "domains/payments/routes.h"
#include "domains/shop/routes.h"
#include "http/json.h"

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
                                                   {"features", json::array{"accounts", "fund", "fund_admin", "events", "volunteers", "casework", "shop"}}});
  });
  accounts::RegisterRoutes(router_, *accounts_);
  payments::RegisterRoutes(router_, *payments_, *accounts_);
  fund::RegisterRoutes(router_, *fund_, *accounts_);
  events::RegisterRoutes(router_, *events_, *accounts_);
  casework::RegisterRoutes(router_, *casework_, *accounts_, clock_);
  shop::RegisterRoutes(router_, *shop_, *accounts_);
  RegisterCheckpointRoutes(router_, *store_, checkpointer_->public_key());
}

}  // namespace carecity::app
