#include "domains/villagebook/routes.h"

#include <boost/json.hpp>

#include "domains/accounts/routes.h"
#include "http/json.h"

namespace carecity::villagebook {
namespace {

namespace json = boost::json;
using accounts::AccountsService;
using boost::asio::awaitable;
using http::Err;
using http::Fields;
using http::Opt;
using http::Request;
using http::Response;

constexpr int64_t kDefaultPage = 50;
constexpr int64_t kMaxPage = 200;
constexpr int64_t kMaxAmountFen = 100'000'000'000'00LL;

struct Deps {
  VillageBookService& books;
  AccountsService& accounts;
};

json::object AccountJson(const Account& a) {
  return json::object{{"code", a.code}, {"name", a.name}, {"type", a.type}, {"balance_fen", a.balance_fen}};
}

// An entry as the public sees it: the voucher, the amounts and the
// counterparty organisation; never who keyed it in.
json::object EntryJson(const Entry& e) {
  json::array lines;
  for (const EntryLine& l : e.lines) {
    lines.push_back(json::object{{"account_code", l.account_code}, {"account_name", l.account_name},
                                 {"amount_fen", l.amount_fen}});
  }
  json::value counterparty = nullptr;
  if (e.org_id) {
    counterparty = json::object{{"org_id", *e.org_id}, {"name", e.org_name.value_or("")}};
  }
  return json::object{{"seq", e.seq},
                      {"voucher_no", e.voucher_no},
                      {"kind", e.kind},
                      {"memo", e.memo},
                      {"amount_fen", e.amount_fen},
                      {"counterparty", std::move(counterparty)},
                      {"ref_kind", e.ref_kind},
                      {"ref_id", Opt(e.ref_id)},
                      {"reverses_seq", Opt(e.reverses_seq)},
                      {"created_at_ms", e.created_at_ms},
                      {"hash", e.hash},
                      {"prev_hash", e.prev_hash},
                      {"lines", std::move(lines)}};
}

awaitable<Response> GetBook(Deps d, Request& req) {
  CC_PATH_ID(village_id, req, "id", "village_not_found");
  auto before = http::QueryId(req, "before");
  if (!before.ok()) {
    co_return Err(before.error(), req);
  }
  auto limit = http::QueryId(req, "limit");
  if (!limit.ok()) {
    co_return Err(limit.error(), req);
  }
  if (*limit && **limit > kMaxPage) {
    co_return Err(Error::Invalid("out_of_range", "limit"), req);
  }
  auto r = co_await d.books.GetBook(village_id, before->value_or(0), static_cast<int>(limit->value_or(kDefaultPage)));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array accounts;
  for (const Account& a : r->accounts) {
    accounts.push_back(AccountJson(a));
  }
  json::array entries;
  for (const Entry& e : r->entries) {
    entries.push_back(EntryJson(e));
  }
  json::value next = nullptr;
  if (r->next_before_seq) {
    next = std::to_string(*r->next_before_seq);
  }
  co_return http::JsonResponse(
      200, json::object{{"book", json::object{{"village_id", r->village_id},
                                              {"village_name", r->village_name},
                                              {"opened", r->opened},
                                              {"entries_total", r->entries_total},
                                              {"chain", ChainName(r->village_id)}}},
                        {"accounts", std::move(accounts)},
                        {"entries", std::move(entries)},
                        {"next_cursor", std::move(next)}});
}

awaitable<Response> RecordFunding(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(village_id, req, "id", "village_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto amount = f.Int("amount_fen", {.min = 1, .max = kMaxAmountFen});
  auto voucher = f.String("voucher_no", {.min = 1, .max = 40});
  auto memo = f.String("memo", {.required = false, .max = 200});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  // A named local (g++ 12 mishandles a temporary argument of a coroutine).
  FundingInput in{*amount, *voucher, memo.value_or("")};
  auto r = co_await d.books.RecordFunding(p, village_id, std::move(in));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"entry", EntryJson(*r)}});
}

}  // namespace

void RegisterRoutes(http::Router& router, VillageBookService& books, AccountsService& accounts) {
  const auto bind = [&books, &accounts](awaitable<Response> (*fn)(Deps, Request&)) {
    return [&books, &accounts, fn](Request& req) { return fn(Deps{books, accounts}, req); };
  };
  router.Add("GET", "/api/v1/villages/{id}/book", bind(GetBook));
  router.Add("POST", "/api/v1/villages/{id}/book/fundings", bind(RecordFunding));
}

}  // namespace carecity::villagebook
