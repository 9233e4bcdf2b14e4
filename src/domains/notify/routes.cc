#include "domains/notify/routes.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/text.h"
#include "db/await.h"
#include "domains/accounts/routes.h"
#include "domains/notify/operator.h"
#include "domains/notify/repo.h"
#include "http/answer.h"
#include "http/json.h"

namespace carecity::notify {
namespace {

namespace json = boost::json;
using accounts::Role;
using boost::asio::awaitable;
using http::Err;
using http::Request;
using http::Response;

constexpr int kPage = 50;

struct Deps {
  db::Store& store;
  accounts::AccountsService& accounts;
  const Clock& clock;
};

json::object OperatorJson(const Message& m, int64_t now_ms) {
  const bool sms = m.channel == ChannelName(Channel::kSms);
  const std::string refusal = RetryRefusal(m, now_ms);
  return json::object{{"id", m.id},
                      {"channel", m.channel},
                      {"recipient", sms ? MaskPhone(m.recipient) : MaskEmail(m.recipient)},
                      {"user_id", http::Opt(m.user_id)},
                      {"template", m.template_name},
                      {"status", m.status},
                      {"attempts", m.attempts},
                      {"last_error", m.last_error},
                      {"created_at_ms", m.created_at_ms},
                      {"sent_at_ms", http::Opt(m.sent_at_ms)},
                      {"next_attempt_at_ms", m.status == "queued" ? json::value(m.next_attempt_at_ms) : nullptr},
                      {"provider_ref", m.provider_ref},
                      {"retryable", refusal.empty()},
                      {"not_retryable_because", refusal.empty() ? json::value(nullptr) : json::value(refusal)}};
}

// The caller, if a platform administrator; else the answer to give.
#define CC_REQUIRE_OPERATOR(var, d, req)                       \
  CC_REQUIRE_PRINCIPAL(var, (d).accounts, req);                \
  if (!var.Has(Role::kPlatformAdmin)) {                        \
    co_return Err(Error::Forbidden(), req);                    \
  }

awaitable<Response> ListMessages(Deps d, Request& req) {
  CC_REQUIRE_OPERATOR(p, d, req);
  auto status = http::QueryString(req, "status", {.required = false, .max = 10});
  auto channel = http::QueryString(req, "channel", {.required = false, .max = 10});
  if (!status.ok() || !channel.ok()) {
    co_return Err(!status.ok() ? status.error() : channel.error(), req);
  }
  std::string want = status->empty() ? "failed" : *status;
  std::string on = channel->empty() ? "sms" : *channel;
  if (want != "failed" && want != "queued" && want != "sent") {
    co_return Err(Error::Invalid("invalid_value", "status"), req);
  }
  if (on != "sms" && on != "email") {
    co_return Err(Error::Invalid("invalid_value", "channel"), req);
  }
  CC_QUERY_ID(before, req, "before");
  struct Page {
    std::vector<Message> messages;
    int64_t queued = 0;
    int64_t failed = 0;
  };
  const int64_t before_id = before.value_or(0);
  auto r = co_await db::ReadTx(d.store, [&](db::Tx& tx) -> Result<Page> {
    return Page{repo::ListByStatus(tx, on, want, before_id, kPage), repo::CountByStatus(tx, on, "queued"),
                repo::CountByStatus(tx, on, "failed")};
  });
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  const int64_t now = d.clock.NowMs();
  json::array list;
  for (const Message& m : r->messages) {
    list.push_back(OperatorJson(m, now));
  }
  json::value next = nullptr;
  if (static_cast<int>(r->messages.size()) == kPage) {
    next = std::to_string(r->messages.back().id);
  }
  co_return http::JsonResponse(200, json::object{{"messages", list},
                                                 {"next_cursor", next},
                                                 {"counts", json::object{{"queued", r->queued}, {"failed", r->failed}}}});
}

awaitable<Response> Retry(Deps d, Request& req) {
  CC_REQUIRE_OPERATOR(p, d, req);
  CC_PATH_ID(id, req, "id", "not_found");
  const int64_t actor = p.user_id;
  const std::string ip = req.remote_ip;
  const int64_t now = d.clock.NowMs();
  auto r = co_await db::WriteTx(d.store, [&](db::Tx& tx) { return RetryTx(tx, id, actor, ip, now); });
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"message", OperatorJson(*r, now)}});
}

}  // namespace

void RegisterAdminRoutes(http::Router& router, db::Store& store, accounts::AccountsService& accounts,
                         const Clock& clock) {
  const Deps d{store, accounts, clock};
  router.Add("GET", "/api/v1/admin/notify/messages", [d](Request& req) { return ListMessages(d, req); });
  router.Add("POST", "/api/v1/admin/notify/messages/{id}/retry", [d](Request& req) { return Retry(d, req); });
}

}  // namespace carecity::notify
