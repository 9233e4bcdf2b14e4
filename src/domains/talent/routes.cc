// Parsing and JSON only; TalentService decides every permission. The
// contract: docs/api-talent.md.
#include "domains/talent/routes.h"

#include <boost/json.hpp>

#include "core/text.h"
#include "domains/accounts/routes.h"
#include "http/answer.h"
#include "http/json.h"
#include "media/files.h"

namespace carecity::talent {
namespace {

namespace json = boost::json;
using accounts::AccountsService;
using boost::asio::awaitable;
using http::Err;
using http::Fields;
using http::ListAnswer;
using http::OneAnswer;
using http::Opt;
using http::Request;
using http::Response;

struct Deps {
  TalentService& talent;
  AccountsService& accounts;
};

json::object QualificationJson(const Qualification& q) {
  return json::object{{"id", q.public_id},
                      {"user_id", q.user_id},
                      {"name", q.holder_name},
                      {"phone", MaskPhone(q.holder_phone)},
                      {"level", q.level},
                      {"number", q.number},
                      {"status", q.status},
                      {"reason", q.reason},
                      {"scan", q.scan_sha256.empty()
                                   ? json::value(nullptr)
                                   : json::value(json::object{
                                         {"content_type", q.scan_content_type},
                                         {"size_bytes", q.scan_size_bytes},
                                         {"url", "/api/v1/training/qualifications/" + q.public_id + "/scan"}})},
                      {"professional", q.status == "verified" && Professional(q.level)},
                      {"decided_at_ms", Opt(q.decided_at_ms)},
                      {"created_at_ms", q.created_at_ms}};
}

json::object EntryJson(const Entry& e) {
  json::array villages;
  for (const Ref& v : e.villages) {
    villages.push_back(json::object{{"id", v.id}, {"name", v.name}});
  }
  json::array certificates;
  for (const CertificateBrief& c : e.certificates) {
    certificates.push_back(json::object{{"level", c.level},
                                        {"programme_title", c.programme_title},
                                        {"expires_at_ms", c.expires_at_ms},
                                        {"state", c.state}});
  }
  return json::object{{"user_id", e.user_id},
                      {"name", e.name},
                      {"phone", MaskPhone(e.phone)},
                      {"in_pool", !e.withdrawn_at_ms},
                      {"consent_at_ms", e.consent_at_ms},
                      {"withdrawn_at_ms", Opt(e.withdrawn_at_ms)},
                      {"skills", json::array(e.skills.begin(), e.skills.end())},
                      {"villages", villages},
                      {"availability", e.availability},
                      {"intro", e.intro},
                      {"qualification", Opt(e.qualification)},
                      {"professional", e.professional},
                      {"certificates", certificates},
                      {"placed", e.placed},
                      {"updated_at_ms", e.updated_at_ms}};
}

json::object InvitationJson(const Invitation& i) {
  return json::object{{"id", i.public_id},
                      {"user_id", i.user_id},
                      {"member_name", i.member_name},
                      {"org_id", i.org_id},
                      {"org_name", i.org_name},
                      {"project_id", i.project_id},
                      {"project_title", i.project_title},
                      {"role", i.role},
                      {"message", i.message},
                      {"status", i.status},
                      {"created_at_ms", i.created_at_ms},
                      {"decided_at_ms", Opt(i.decided_at_ms)}};
}

// The public team listing: names masked, nothing else about the person.
json::object TeamMemberJson(const Invitation& i) {
  return json::object{{"name", MaskPersonName(i.member_name)}, {"role", i.role}, {"since_ms", Opt(i.decided_at_ms)}};
}

// ---- Qualifications ----

awaitable<Response> SubmitQualification(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  std::string level = f.String("level", {.min = 1, .max = 20}).value_or("");
  std::string number = f.String("number", {.min = 4, .max = 40}).value_or("");
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.talent.SubmitQualification(p, std::move(level), std::move(number), std::move(ip));
  co_return OneAnswer(r, req, "qualification", QualificationJson, 201);
}

awaitable<Response> ListQualifications(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.talent.Qualifications(p, req.Query("status"));
  co_return ListAnswer(r, req, "qualifications", QualificationJson);
}

awaitable<Response> DecideQualification(Deps d, Request& req, bool verify) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto reason = http::DecisionReason(req, verify);
  if (!reason.ok()) {
    co_return Err(reason.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.talent.DecideQualification(p, std::string(req.Param("id")), verify, std::move(*reason),
                                                 std::move(ip));
  co_return OneAnswer(r, req, "qualification", QualificationJson);
}

awaitable<Response> VerifyQualification(Deps d, Request& req) { return DecideQualification(d, req, true); }
awaitable<Response> RejectQualification(Deps d, Request& req) { return DecideQualification(d, req, false); }

// ---- The pool ----

awaitable<Response> Join(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  const bool consent = f.Bool("consent").value_or(false);
  EntryDraft e;
  e.skills = f.Strings("skills", {.min = 1, .max = 20}, 10).value_or(std::vector<std::string>{});
  auto villages = http::IdArray(f.Raw("village_ids"), "village_ids", 10);
  if (f.ok() && !villages.ok()) {
    f.Fail(villages.error());
  }
  e.availability = f.String("availability", {.required = false, .max = 200}).value_or("");
  e.intro = f.String("intro", {.required = false, .max = 1000, .multiline = true}).value_or("");
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  if (!consent) {
    co_return Err(Error::Invalid("talent.consent_required", "consent"), req);
  }
  e.village_ids = std::move(*villages);
  std::string ip = req.remote_ip;
  auto r = co_await d.talent.Join(p, std::move(e), std::move(ip));
  co_return OneAnswer(r, req, "entry", EntryJson);
}

awaitable<Response> Withdraw(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string ip = req.remote_ip;
  auto r = co_await d.talent.Withdraw(p, std::move(ip));
  co_return OneAnswer(r, req, "entry", EntryJson);
}

awaitable<Response> Mine(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.talent.Mine(p);
  co_return OneAnswer(r, req, "entry", EntryJson);
}

awaitable<Response> Search(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_QUERY_ID(village, req, "village_id");
  SearchQuery q;
  const auto non_empty = [&](const char* name) {
    auto v = req.Query(name);
    return v && !v->empty() ? v : std::nullopt;
  };
  q.skill = non_empty("skill");
  q.village_id = village;
  q.qualification = non_empty("qualification");
  q.certificate_level = non_empty("certificate_level");
  q.include_expired = req.Query("include_expired").value_or("") == "true";
  auto r = co_await d.talent.Search(p, std::move(q));
  co_return ListAnswer(r, req, "members", EntryJson);
}

// ---- Invitations ----

awaitable<Response> Invite(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  InvitationDraft inv;
  inv.user_id = f.Int("user_id", {.min = 1}).value_or(0);
  inv.project_id = f.String("project_id", {.min = 1, .max = 64}).value_or("");
  inv.role = f.String("role", {.min = 1, .max = 40}).value_or("");
  inv.message = f.String("message", {.required = false, .max = 1000, .multiline = true}).value_or("");
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.talent.Invite(p, std::move(inv), std::move(ip));
  co_return OneAnswer(r, req, "invitation", InvitationJson, 201);
}

awaitable<Response> ListInvitations(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_QUERY_ID(org, req, "org_id");
  auto r = co_await d.talent.Invitations(p, org);
  co_return ListAnswer(r, req, "invitations", InvitationJson);
}

awaitable<Response> AnswerInvitation(Deps d, Request& req, bool accept) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string ip = req.remote_ip;
  auto r = co_await d.talent.Answer(p, std::string(req.Param("id")), accept, std::move(ip));
  co_return OneAnswer(r, req, "invitation", InvitationJson);
}

awaitable<Response> Accept(Deps d, Request& req) { return AnswerInvitation(d, req, true); }
awaitable<Response> Decline(Deps d, Request& req) { return AnswerInvitation(d, req, false); }

awaitable<Response> Team(Deps d, Request& req) {
  auto r = co_await d.talent.Team(std::string(req.Param("id")));
  co_return ListAnswer(r, req, "team", TeamMemberJson);
}

// The scan's bytes are the body.
awaitable<Response> UploadScan(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  std::string bytes = std::move(req.body);
  std::string ip = req.remote_ip;
  auto r = co_await d.talent.UploadScan(p, std::move(id), std::move(bytes), std::move(ip));
  co_return OneAnswer(r, req, "qualification", QualificationJson);
}

awaitable<Response> Scan(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.talent.Scan(p, std::string(req.Param("id")));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return media::FileResponse(std::move(*r));
}

}  // namespace

void RegisterRoutes(http::Router& router, TalentService& talent, AccountsService& accounts) {
  const auto bind = [&talent, &accounts](awaitable<Response> (*fn)(Deps, Request&)) {
    return [&talent, &accounts, fn](Request& req) { return fn(Deps{talent, accounts}, req); };
  };
  router.Add("POST", "/api/v1/training/qualifications", bind(SubmitQualification));
  router.Add("GET", "/api/v1/training/qualifications", bind(ListQualifications));
  router.Add("POST", "/api/v1/training/qualifications/{id}/verify", bind(VerifyQualification));
  router.Add("POST", "/api/v1/training/qualifications/{id}/reject", bind(RejectQualification));
  router.Add("PUT", "/api/v1/training/qualifications/{id}/scan", bind(UploadScan), media::UploadRoute());
  router.Add("GET", "/api/v1/training/qualifications/{id}/scan", bind(Scan));
  router.Add("GET", "/api/v1/talent", bind(Search));
  router.Add("GET", "/api/v1/talent/me", bind(Mine));
  router.Add("PUT", "/api/v1/talent/me", bind(Join));
  router.Add("DELETE", "/api/v1/talent/me", bind(Withdraw));
  router.Add("POST", "/api/v1/talent/invitations", bind(Invite));
  router.Add("GET", "/api/v1/talent/invitations", bind(ListInvitations));
  router.Add("POST", "/api/v1/talent/invitations/{id}/accept", bind(Accept));
  router.Add("POST", "/api/v1/talent/invitations/{id}/decline", bind(Decline));
  router.Add("GET", "/api/v1/talent/projects/{id}/team", bind(Team));
}

}  // namespace carecity::talent
