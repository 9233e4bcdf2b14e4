#include "domains/fund/routes.h"

#include <boost/json.hpp>
#include <charconv>
#include <memory>
#include <stdexcept>
#include <fmt/format.h>

#include "core/qr.h"
#include "core/text.h"
#include "domains/accounts/routes.h"
#include "domains/payments/routes.h"
#include "http/csv.h"
#include "http/json.h"

namespace carecity::fund {
namespace {

namespace json = boost::json;
using accounts::AccountsService;
using accounts::Principal;
using boost::asio::awaitable;
using http::Fields;
using http::Request;
using http::Err;
using http::Opt;
using http::Response;

struct Deps {
  FundService& fund;
  AccountsService& accounts;
};



json::value PurposeRef(const std::optional<int64_t>& id, const std::optional<std::string>& name) {
  if (!id) {
    return nullptr;
  }
  return json::object{{"id", *id}, {"name", name.value_or("")}};
}

// A sale's gift part (公益商城, 公益拍卖): the goods or market value paid
// beside the gift, which the 捐赠票据 does not cover. null for a donation.
json::value SaleJson(bool sale, Fen goods_value_fen) {
  if (!sale) {
    return nullptr;
  }
  return json::object{{"goods_value_fen", goods_value_fen}};
}

// The donor's view of their donation (only the donor reaches it).
json::object DonationJson(const Donation& d) {
  return json::object{{"id", d.public_id},
                      {"amount_fen", d.amount_fen},
                      {"purpose", PurposeRef(d.purpose_id, d.purpose_name)},
                      {"anonymous", d.anonymous},
                      {"donor", d.PublicDonor()},
                      {"message", d.message},
                      {"status", d.status},
                      {"receipt_no", Opt(d.receipt_no)},
                      {"receipt_check", Opt(d.receipt_check)},
                      {"refund_requested", d.refund_requested_at_ms.has_value()},
                      {"created_at_ms", d.created_at_ms},
                      {"confirmed_at_ms", Opt(d.confirmed_at_ms)},
                      {"sale", SaleJson(d.sale_id.has_value(), d.goods_value_fen)}};
}

json::object FundraiserJson(const FundConfig& c) {
  return json::object{{"name", c.fundraiser_name},
                      {"credit_code", c.fundraiser_credit_code},
                      {"fund_name", c.fund_name},
                      {"general_filing_no", c.general_filing_no}};
}

json::object PurposeJson(const Purpose& p) {
  return json::object{{"id", p.id},
                      {"code", p.code},
                      {"name", p.name},
                      {"description", p.description},
                      {"restricted", p.restricted},
                      {"filing_no", p.filing_no},
                      {"naming", Opt(p.naming)},
                      {"active", p.active}};
}

json::object EntryJson(const Entry& e) {
  json::array lines;
  for (const EntryLine& l : e.lines) {
    lines.push_back(json::object{{"account_code", l.account_code}, {"account_name", l.account_name}, {"amount_fen", l.amount_fen}});
  }
  return json::object{{"id", e.id},
                      {"kind", e.kind},
                      {"created_at_ms", e.created_at_ms},
                      {"memo", e.memo},
                      {"source", Opt(e.source)},
                      {"purpose", PurposeRef(e.purpose_id, e.purpose_name)},
                      {"donor", Opt(e.PublicDonor())},
                      {"amount_fen", e.amount_fen},
                      {"reverses_entry_id", Opt(e.reverses_entry_id)},
                      {"hash", e.hash},
                      {"lines", lines}};
}

// The receipt's public page; with the check code, the page shows it whole.
std::string VerifyUrl(const Deps& d, const Request& req, const Receipt& r) {
  const std::string origin = !d.accounts.config().public_origin.empty()
                                 ? d.accounts.config().public_origin
                                 : "http://" + std::string(req.Header("host"));
  return origin + "/r/" + r.receipt_no + "?code=" + r.check_code;
}

#define CC_FUND_ADMIN(var, deps, req)                                    \
  auto var##_auth = co_await accounts::RequirePrincipal((deps).accounts, (req)); \
  if (!var##_auth.ok()) {                                                \
    co_return Err(var##_auth.error(), (req));                            \
  }                                                                      \
  const Principal& var = var##_auth.value();                             \
  if (!var.Has(accounts::Role::kFundAdmin)) {                            \
    co_return Err(Error::Forbidden(), (req));                            \
  }

awaitable<Response> GetSummary(Deps d, Request& req) {
  auto r = co_await d.fund.GetSummary();
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array by_source;
  for (const auto& s : r->by_source) {
    by_source.push_back(json::object{{"source", s.source}, {"amount_fen", s.amount_fen}});
  }
  json::array by_purpose;
  for (const auto& p : r->by_purpose) {
    by_purpose.push_back(json::object{{"purpose_id", p.purpose_id},
                                      {"name", p.name},
                                      {"naming", Opt(p.naming)},
                                      {"raised_fen", p.raised_fen},
                                      {"granted_fen", p.granted_fen},
                                      {"balance_fen", p.balance_fen}});
  }
  json::array monthly;
  for (const auto& m : r->monthly) {
    monthly.push_back(json::object{{"month", m.month}, {"source", m.source}, {"amount_fen", m.amount_fen}});
  }
  json::array granted_to;
  for (const auto& o : r->granted_to) {
    granted_to.push_back(json::object{
        {"org_id", o.org_id}, {"org_name", o.org_name}, {"amount_fen", o.amount_fen}, {"disbursed_fen", o.disbursed_fen}});
  }
  co_return http::JsonResponse(200, json::object{{"raised_fen", r->raised_fen},
                                                 {"granted_fen", r->granted_fen},
                                                 {"disbursed_fen", r->disbursed_fen},
                                                 {"pending_fen", r->pending_fen},
                                                 {"fees_fen", r->fees_fen},
                                                 {"balance_fen", r->balance_fen},
                                                 {"by_source", by_source},
                                                 {"by_purpose", by_purpose},
                                                 {"monthly", monthly},
                                                 {"granted_to", granted_to},
                                                 {"fundraiser", FundraiserJson(d.fund.config())}});
}

awaitable<Response> ListPurposes(Deps d, Request& req) {
  auto r = co_await d.fund.Purposes();
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array list;
  for (const Purpose& p : *r) {
    list.push_back(PurposeJson(p));
  }
  co_return http::JsonResponse(200, json::object{{"purposes", list}, {"fundraiser", FundraiserJson(d.fund.config())}});
}

Result<std::pair<int64_t, int>> PageArgs(const Request& req) {
  int64_t before = 0;
  int limit = 50;
  if (auto c = req.Query("cursor"); c && !c->empty()) {
    auto v = http::ParseId(*c);
    if (!v) {
      return Error::Invalid("invalid_value", "cursor");
    }
    before = *v;
  }
  if (auto l = req.Query("limit"); l && !l->empty()) {
    auto v = http::ParseId(*l);
    if (!v || *v > 500) {
      return Error::Invalid("out_of_range", "limit");
    }
    limit = static_cast<int>(*v);
  }
  return std::pair{before, limit};
}

awaitable<Response> ListEntries(Deps d, Request& req) {
  auto args = PageArgs(req);
  if (!args.ok()) {
    co_return Err(args.error(), req);
  }
  auto r = co_await d.fund.Entries(args->first, args->second);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array list;
  for (const Entry& e : *r) {
    list.push_back(EntryJson(e));
  }
  json::value next = nullptr;
  if (static_cast<int>(r->size()) == args->second && !r->empty()) {
    next = std::to_string(r->back().id);
  }
  co_return http::JsonResponse(200, json::object{{"entries", list}, {"next_cursor", next}});
}

using http::CsvField;

// The whole journal as CSV, streamed a page of entries at a time (newest
// first), so a long journal never sits in memory.
awaitable<Response> EntriesCsv(Deps d, Request&) {
  constexpr int kPage = 1000;
  struct Cursor {
    bool header_sent = false;
    bool done = false;
    int64_t before = 0;
  };
  auto cursor = std::make_shared<Cursor>();
  FundService* fund = &d.fund;
  Response r;
  r.Set("Content-Type", "text/csv; charset=utf-8");
  r.Set("Content-Disposition", "attachment; filename=\"carecity-fund-journal.csv\"");
  r.chunks = [cursor, fund]() -> awaitable<std::optional<std::string>> {
    if (!cursor->header_sent) {
      cursor->header_sent = true;
      co_return std::string("\xEF\xBB\xBF" "id,time_ms,kind,source,purpose,donor,amount_yuan,memo,account,line_yuan\r\n");
    }
    if (cursor->done) {
      co_return std::nullopt;
    }
    auto page = co_await fund->Entries(cursor->before, kPage);
    if (!page.ok()) {
      throw std::runtime_error("journal page: " + page.error().key);
    }
    std::string csv;
    for (const Entry& e : *page) {
      for (const EntryLine& l : e.lines) {
        csv += fmt::format("{},{},{},{},{},{},{},{},{},{}\r\n", e.id, e.created_at_ms, e.kind, e.source.value_or(""),
                           CsvField(e.purpose_name.value_or("")), CsvField(e.PublicDonor().value_or("")),
                           FormatYuan(e.amount_fen), CsvField(e.memo), CsvField(l.account_name),
                           FormatYuan(l.amount_fen));
      }
    }
    if (static_cast<int>(page->size()) < kPage) {
      cursor->done = true;
    } else {
      cursor->before = page->back().id;
    }
    co_return csv;
  };
  co_return r;
}

awaitable<Response> Donate(Deps d, Request& req) {
  auto idempotency_key = http::IdempotencyKey(req);
  if (!idempotency_key.ok()) {
    co_return Err(idempotency_key.error(), req);
  }
  const std::string key = *idempotency_key;
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto amount = f.Int("amount_fen");  // the range (from configuration) is checked by the service
  auto purpose = f.Int("purpose_id", {.required = false, .min = 1});
  auto anonymous = f.Bool("anonymous", false);
  auto message = f.String("message", {.required = false, .max = 200, .multiline = true});
  auto donor_name = f.String("donor_name", {.required = false, .max = 32});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  DonationInput in{*amount, purpose, anonymous.value_or(false), message.value_or(""), donor_name, req.remote_ip};
  auto principal = co_await accounts::OptionalPrincipal(d.accounts, req);
  std::optional<int64_t> user_id;
  std::string name;
  if (principal) {
    user_id = principal->user_id;
    name = principal->display_name;
  }
  auto r = co_await d.fund.Donate(user_id, name, std::move(in), key);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"donation", DonationJson(r->donation)},
                                                 {"payment", payments::PaymentJson(r->payment, d.fund.payments())}});
}

awaitable<Response> GetDonation(Deps d, Request& req) {
  Caller caller = co_await accounts::CallerOf(d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.fund.GetDonation(std::move(id), std::move(caller));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"donation", DonationJson(*r)}});
}

awaitable<Response> TraceDonation(Deps d, Request& req) {
  Caller caller = co_await accounts::CallerOf(d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.fund.TraceDonation(std::move(id), std::move(caller));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array allocations;
  for (const TraceAllocation& a : r->allocations) {
    json::array paid;
    for (const TraceDisbursement& x : a.disbursements) {
      paid.push_back(json::object{{"id", x.id}, {"amount_fen", x.amount_fen}, {"paid_at_ms", x.paid_at_ms}});
    }
    allocations.push_back(json::object{{"commitment_id", a.commitment_id},
                                       {"org_name", a.org_name},
                                       {"project_name", a.project_name},
                                       {"amount_fen", a.amount_fen},
                                       {"granted_at_ms", a.granted_at_ms},
                                       {"disbursements", paid}});
  }
  co_return http::JsonResponse(200, json::object{{"donation", DonationJson(r->donation)},
                                                 {"allocations", allocations},
                                                 {"unallocated_fen", r->unallocated_fen},
                                                 {"rule", "fifo_within_purpose"}});
}

awaitable<Response> MyDonations(Deps d, Request& req) {
  auto p = co_await accounts::RequirePrincipal(d.accounts, req);
  if (!p.ok()) {
    co_return Err(p.error(), req);
  }
  auto r = co_await d.fund.DonationsOf(p->user_id);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array list;
  for (const Donation& x : *r) {
    list.push_back(DonationJson(x));
  }
  co_return http::JsonResponse(200, json::object{{"donations", list}});
}

// Who asks for a receipt: the donor's session, the check code the QR link
// carries (?code=), or a fund admin.
awaitable<ReceiptAccess> ReceiptAccessOf(Deps& d, const Request& req) {
  auto principal = co_await accounts::OptionalPrincipal(d.accounts, req);
  ReceiptAccess a;
  a.caller = accounts::CallerOf(principal, req);
  a.check_code = req.Query("code").value_or("");
  a.fund_admin = principal && principal->Has(accounts::Role::kFundAdmin);
  co_return a;
}

awaitable<Response> GetReceipt(Deps d, Request& req) {
  std::string no(req.Param("no"));
  ReceiptAccess access = co_await ReceiptAccessOf(d, req);
  auto r = co_await d.fund.GetReceipt(std::move(no), std::move(access));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  const auto& c = d.fund.config();
  json::object receipt{{"receipt_no", r->receipt_no},
                       {"status", r->status},
                       {"full", r->full},
                       {"donor", r->donor},
                       {"amount_fen", r->amount_fen},
                       {"amount_in_words", AmountInWords(r->amount_fen)},
                       {"purpose", Opt(r->purpose)},
                       {"issued_at_ms", r->issued_at_ms},
                       {"fundraiser", FundraiserJson(c)},
                       {"filing_no", r->filing_no.empty() ? c.general_filing_no : r->filing_no},
                       {"check_code", nullptr},
                       {"verify_url", nullptr},
                       {"sale", SaleJson(r->sale_kind.has_value(), r->goods_value_fen)}};
  if (r->sale_kind) {
    receipt["sale"].as_object()["kind"] = *r->sale_kind;
  }
  if (r->full) {
    receipt["check_code"] = r->check_code;
    receipt["verify_url"] = VerifyUrl(d, req, *r);
  }
  co_return http::JsonResponse(200, json::object{{"receipt", receipt}});
}

// The QR code of the receipt's verify link, which carries its check code:
// for whoever may see the whole receipt.
awaitable<Response> ReceiptQr(Deps d, Request& req) {
  std::string no(req.Param("no"));
  ReceiptAccess access = co_await ReceiptAccessOf(d, req);
  auto r = co_await d.fund.GetReceipt(std::move(no), std::move(access));
  if (!r.ok() || !r->full) {
    co_return Err(Error::NotFound("receipt_not_found"), req);
  }
  Response res;
  res.body = QrSvg(VerifyUrl(d, req, *r));
  res.Set("Content-Type", "image/svg+xml");
  res.Set("Cache-Control", "private, max-age=86400");
  co_return res;
}

// ---- fund_admin ----

awaitable<Response> CreatePurpose(Deps d, Request& req) {
  CC_FUND_ADMIN(p, d, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto code = f.String("code", {.min = 2, .max = 40});
  auto name = f.String("name", {.min = 2, .max = 60});
  auto desc = f.String("description", {.required = false, .max = 2000, .multiline = true});
  auto restricted = f.Bool("restricted", false);
  auto filing = f.String("filing_no", {.required = false, .max = 60});
  if (auto s = f.Finish(); !s.ok()) {
    Error e = s.error();
    if (e.field == "code") {
      e.label = "purpose_code";  // not the recovery code
    }
    co_return Err(e, req);
  }
  NewPurpose in{*code, *name, desc.value_or(""), restricted.value_or(true), filing.value_or("")};
  if (in.code.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos) {
    Error e = Error::Invalid("invalid_value", "code");
    e.label = "purpose_code";
    co_return Err(e, req);
  }
  auto r = co_await d.fund.CreatePurpose(p, std::move(in));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"purpose", PurposeJson(*r)}});
}

awaitable<Response> RecordAllocation(Deps d, Request& req) {
  CC_FUND_ADMIN(p, d, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto amount = f.Int("amount_fen", {.min = 1, .max = 100'000'000'000'00LL});
  auto ref = f.String("budget_ref", {.min = 1, .max = 100});
  auto purpose = f.Int("purpose_id", {.required = false, .min = 1});
  auto memo = f.String("memo", {.required = false, .max = 200});
  auto status = f.String("status", {.required = false, .max = 10});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  if (status && *status != "received" && *status != "pending") {
    co_return Err(Error::Invalid("invalid_value", "status"), req);
  }
  NewAllocation in{*amount, *ref, purpose, memo.value_or(""), status.value_or("received") == "received"};
  auto r = co_await d.fund.RecordAllocation(p, std::move(in));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"allocation", json::object{{"id", *r}}}});
}

awaitable<Response> RecordCofunding(Deps d, Request& req) {
  CC_FUND_ADMIN(p, d, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto org = f.Int("org_id", {.min = 1});
  auto amount = f.Int("amount_fen", {.min = 1, .max = 100'000'000'000'00LL});
  auto ref = f.String("reference", {.min = 1, .max = 100});
  auto purpose = f.Int("purpose_id", {.required = false, .min = 1});
  auto memo = f.String("memo", {.required = false, .max = 200});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  NewCofunding in{*org, *amount, *ref, purpose, memo.value_or("")};
  auto r = co_await d.fund.RecordCofunding(p, std::move(in));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"cofunding", json::object{{"entry_id", *r}}}});
}

awaitable<Response> CreateSponsorship(Deps d, Request& req) {
  CC_FUND_ADMIN(p, d, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto name = f.String("sponsor_name", {.min = 2, .max = 100});
  auto kind = f.String("sponsor_kind", {.max = 20});
  auto committed = f.Int("committed_fen", {.min = 1});
  auto purpose = f.Int("purpose_id", {.required = false, .min = 1});
  auto naming = f.String("naming_text", {.min = 2, .max = 60});
  auto start = f.Int("term_start_ms", {.min = 0});
  auto end = f.Int("term_end_ms", {.min = 0});
  auto instalments = f.Int("instalments", {.required = false, .min = 1, .max = 120});
  auto project_type = f.String("project_type", {.required = false, .min = 1, .max = 40});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  NewSponsorship in{*name, *kind, *committed, purpose, *naming, *start, *end, instalments.value_or(1), project_type};
  auto r = co_await d.fund.CreateSponsorship(p, std::move(in));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"sponsorship", json::object{{"id", *r}}}});
}

awaitable<Response> ListSponsorships(Deps d, Request& req) {
  CC_FUND_ADMIN(p, d, req);
  auto r = co_await d.fund.Sponsorships(p);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array list;
  for (const Sponsorship& s : *r) {
    list.push_back(json::object{{"id", s.id},
                                {"sponsor_name", s.sponsor_name},
                                {"sponsor_kind", s.sponsor_kind},
                                {"committed_fen", s.committed_fen},
                                {"received_fen", s.received_fen},
                                {"purpose_id", Opt(s.purpose_id)},
                                {"naming_text", s.naming_text},
                                {"term_start_ms", s.term_start_ms},
                                {"term_end_ms", s.term_end_ms},
                                {"instalments", s.instalments},
                                {"instalments_received", s.instalments_received},
                                {"project_type", Opt(s.project_type)}});
  }
  co_return http::JsonResponse(200, json::object{{"sponsorships", list}});
}

awaitable<Response> RecordInstalment(Deps d, Request& req) {
  CC_FUND_ADMIN(p, d, req);
  auto id = http::ParseId(req.Param("id"));
  if (!id) {
    co_return Err(Error::NotFound("sponsorship_not_found"), req);
  }
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto amount = f.Int("amount_fen", {.min = 1});
  auto reference = f.String("reference", {.min = 1, .max = 100});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.fund.RecordInstalment(p, *id, *amount, *reference);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"instalment", json::object{{"id", *r}}}});
}

awaitable<Response> CreateCommitment(Deps d, Request& req) {
  CC_FUND_ADMIN(p, d, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto org = f.Int("org_id", {.min = 1});
  auto purpose = f.Int("purpose_id", {.required = false, .min = 1});
  auto amount = f.Int("amount_fen", {.min = 1});
  auto project = f.String("project_name", {.min = 2, .max = 100});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  NewCommitment in{*org, purpose, *amount, *project};
  auto r = co_await d.fund.CreateCommitment(p, std::move(in));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"commitment", json::object{{"id", *r}}}});
}

json::object DisbursementJson(const Disbursement& x) {
  return json::object{{"id", x.id},
                      {"commitment_id", x.commitment_id},
                      {"org_name", x.org_name},
                      {"project_name", x.project_name},
                      {"amount_fen", x.amount_fen},
                      {"memo", x.memo},
                      {"status", x.status},
                      {"approvals_needed", x.approvals_needed},
                      {"approvals", x.approvals},
                      {"proposed_by", x.proposed_by},
                      {"created_at_ms", x.created_at_ms},
                      {"paid_at_ms", Opt(x.paid_at_ms)}};
}

awaitable<Response> ProposeDisbursement(Deps d, Request& req) {
  CC_FUND_ADMIN(p, d, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto commitment = f.Int("commitment_id", {.min = 1});
  auto amount = f.Int("amount_fen", {.min = 1});
  auto memo = f.String("memo", {.required = false, .max = 200});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string memo_text = memo.value_or("");  // named: no temporary inside co_await
  auto r = co_await d.fund.ProposeDisbursement(p, *commitment, *amount, std::move(memo_text));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"disbursement", DisbursementJson(*r)}});
}

awaitable<Response> ApproveDisbursement(Deps d, Request& req) {
  CC_FUND_ADMIN(p, d, req);
  // Money leaves the fund: the checker proves their password afresh
  // ([security] recent_auth_seconds; POST /api/v1/auth/reauth).
  if (auto fresh = d.accounts.RequireRecentAuth(p); !fresh.ok()) {
    co_return Err(fresh.error(), req);
  }
  auto id = http::ParseId(req.Param("id"));
  if (!id) {
    co_return Err(Error::NotFound("disbursement_not_found"), req);
  }
  auto r = co_await d.fund.ApproveDisbursement(p, *id);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"disbursement", DisbursementJson(*r)}});
}

awaitable<Response> ListDisbursements(Deps d, Request& req) {
  CC_FUND_ADMIN(p, d, req);
  const std::string status = req.Query("status").value_or("");
  if (!status.empty() && status != "proposed" && status != "paid") {
    co_return Err(Error::Invalid("invalid_value", "status"), req);
  }
  auto r = co_await d.fund.Disbursements(p, status);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array list;
  for (const Disbursement& x : *r) {
    list.push_back(DisbursementJson(x));
  }
  co_return http::JsonResponse(200, json::object{{"disbursements", list}});
}

// A refund, by the donation's public id (/donations/{id}/refund) or by the
// receipt number the donor quotes (/receipts/{no}/refund).
awaitable<Response> Refund(Deps d, Request& req, bool by_receipt) {
  CC_FUND_ADMIN(p, d, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto reason = f.String("reason", {.min = 2, .max = 200});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ref(req.Param(by_receipt ? "no" : "id"));
  Result<Donation> r = Error::Internal("not run");
  if (by_receipt) {
    r = co_await d.fund.RefundByReceipt(p, std::move(ref), std::move(*reason));
  } else {
    r = co_await d.fund.RefundDonation(p, std::move(ref), std::move(*reason));
  }
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"donation", DonationJson(*r)}});
}

awaitable<Response> RefundDonation(Deps d, Request& req) { co_return co_await Refund(d, req, false); }
awaitable<Response> RefundByReceipt(Deps d, Request& req) { co_return co_await Refund(d, req, true); }

json::object DisclosureItemJson(const DisclosureItem& x) {
  return json::object{{"purpose_id", x.purpose_id},
                      {"purpose_name", x.purpose_name},
                      {"period_label", x.period_label},
                      {"period_start_ms", x.period_start_ms},
                      {"period_end_ms", x.period_end_ms},
                      {"due_at_ms", x.due_at_ms}};
}

json::object PublishedJson(const PublishedDisclosure& x) {
  return json::object{{"id", x.id},
                      {"purpose_id", x.purpose_id},
                      {"purpose_name", x.purpose_name},
                      {"period_label", x.period_label},
                      {"title", x.title},
                      {"body", x.body},
                      {"published_at_ms", x.published_at_ms}};
}

awaitable<Response> ListDisclosures(Deps d, Request& req) {
  CC_FUND_ADMIN(p, d, req);
  auto r = co_await d.fund.Disclosures(p);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array due;
  json::array overdue;
  json::array published;
  for (const auto& x : r->due) {
    due.push_back(DisclosureItemJson(x));
  }
  for (const auto& x : r->overdue) {
    overdue.push_back(DisclosureItemJson(x));
  }
  for (const auto& x : r->published) {
    published.push_back(PublishedJson(x));
  }
  co_return http::JsonResponse(200, json::object{{"due", due}, {"overdue", overdue}, {"published", published}});
}

// Public: what the fund has disclosed (慈善组织信息公开办法).
awaitable<Response> ListReports(Deps d, Request& req) {
  auto args = PageArgs(req);
  if (!args.ok()) {
    co_return Err(args.error(), req);
  }
  auto purpose = http::QueryId(req, "purpose_id");
  if (!purpose.ok()) {
    co_return Err(purpose.error(), req);
  }
  const int limit = std::min(args->second, 100);
  auto r = co_await d.fund.Reports(*purpose, args->first, limit);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array list;
  for (const auto& x : *r) {
    list.push_back(PublishedJson(x));
  }
  json::value next = nullptr;
  if (static_cast<int>(r->size()) == limit) {
    next = std::to_string(r->back().id);
  }
  co_return http::JsonResponse(200, json::object{{"reports", list}, {"next_cursor", next}});
}

awaitable<Response> GetReport(Deps d, Request& req) {
  auto id = http::ParseId(req.Param("id"));
  if (!id) {
    co_return Err(Error::NotFound("report_not_found"), req);
  }
  auto r = co_await d.fund.Report(*id);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"report", PublishedJson(*r)}});
}

awaitable<Response> PublishDisclosure(Deps d, Request& req) {
  CC_FUND_ADMIN(p, d, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto purpose = f.Int("purpose_id", {.min = 1});
  auto period = f.String("period_label", {.min = 1, .max = 40});
  auto title = f.String("title", {.min = 2, .max = 100});
  auto text = f.String("body", {.min = 2, .max = 20000, .multiline = true});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.fund.PublishDisclosure(p, *purpose, *period, *title, *text);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"disclosure", PublishedJson(*r)}});
}

}  // namespace

void RegisterRoutes(http::Router& router, FundService& fund, AccountsService& accounts) {
  // Handlers take their dependencies by value (two references), so each
  // request's coroutine frame holds its own copy.
  const auto bind = [&fund, &accounts](awaitable<Response> (*fn)(Deps, Request&)) {
    return [&fund, &accounts, fn](Request& req) { return fn(Deps{fund, accounts}, req); };
  };
  router.Add("GET", "/api/v1/fund/summary", bind(GetSummary));
  router.Add("GET", "/api/v1/fund/purposes", bind(ListPurposes));
  router.Add("POST", "/api/v1/fund/purposes", bind(CreatePurpose));
  router.Add("GET", "/api/v1/fund/entries", bind(ListEntries));
  router.Add("GET", "/api/v1/fund/entries.csv", bind(EntriesCsv));
  router.Add("POST", "/api/v1/fund/donations", bind(Donate));
  router.Add("GET", "/api/v1/fund/donations/{id}", bind(GetDonation));
  router.Add("GET", "/api/v1/fund/donations/{id}/trace", bind(TraceDonation));
  router.Add("POST", "/api/v1/fund/donations/{id}/refund", bind(RefundDonation));
  router.Add("GET", "/api/v1/me/donations", bind(MyDonations));
  router.Add("GET", "/api/v1/fund/receipts/{no}", bind(GetReceipt));
  router.Add("GET", "/api/v1/fund/receipts/{no}/qr.svg", bind(ReceiptQr));
  router.Add("POST", "/api/v1/fund/receipts/{no}/refund", bind(RefundByReceipt));
  router.Add("POST", "/api/v1/fund/allocations", bind(RecordAllocation));
  router.Add("POST", "/api/v1/fund/cofundings", bind(RecordCofunding));
  router.Add("GET", "/api/v1/fund/sponsorships", bind(ListSponsorships));
  router.Add("POST", "/api/v1/fund/sponsorships", bind(CreateSponsorship));
  router.Add("POST", "/api/v1/fund/sponsorships/{id}/instalments", bind(RecordInstalment));
  router.Add("POST", "/api/v1/fund/commitments", bind(CreateCommitment));
  router.Add("GET", "/api/v1/fund/disbursements", bind(ListDisbursements));
  router.Add("POST", "/api/v1/fund/disbursements", bind(ProposeDisbursement));
  router.Add("POST", "/api/v1/fund/disbursements/{id}/approve", bind(ApproveDisbursement));
  router.Add("GET", "/api/v1/fund/disclosures", bind(ListDisclosures));
  router.Add("POST", "/api/v1/fund/disclosures", bind(PublishDisclosure));
  router.Add("GET", "/api/v1/fund/reports", bind(ListReports));
  router.Add("GET", "/api/v1/fund/reports/{id}", bind(GetReport));
}

}  // namespace carecity::fund
