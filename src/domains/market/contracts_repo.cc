#include "domains/market/contracts_repo.h"

#include <boost/json.hpp>

#include "db/json_text.h"

namespace carecity::market::repo {
namespace {

namespace json = boost::json;

constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;

std::string PlansJson(const std::vector<MilestonePlan>& plans) {
  json::array a;
  for (const MilestonePlan& m : plans) {
    a.push_back(json::object{{"title", m.title},
                             {"due_ms", m.due_ms},
                             {"amount_fen", m.amount_fen},
                             {"deliverables", m.deliverables}});
  }
  return json::serialize(a);
}

std::vector<MilestonePlan> PlansOf(const std::string& text) {
  std::vector<MilestonePlan> out;
  const json::value v = json::parse(text);  // kept: a range over a temporary's part would dangle
  for (const json::value& x : v.as_array()) {
    const json::object& o = x.as_object();
    out.push_back({std::string(o.at("title").as_string()), o.at("due_ms").to_number<int64_t>(),
                   o.at("amount_fen").to_number<int64_t>(), std::string(o.at("deliverables").as_string())});
  }
  return out;
}

std::optional<int64_t> FirstId(const db::Rows& rows) {
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front().Int(0);
}

constexpr const char* kRequestColumns =
    "SELECT r.id, r.public_id, r.village_id, v.name, v.collective_economy, r.project_id, p.public_id, p.title, "
    "r.org_id, o.name, n.public_id, n.title, r.message, r.status, r.created_at_ms "
    "FROM market_quote_requests r JOIN villages v ON v.id = r.village_id "
    "JOIN market_projects p ON p.id = r.project_id JOIN orgs o ON o.id = r.org_id "
    "LEFT JOIN market_needs n ON n.id = r.need_id ";

QuoteRequest RequestOf(const db::Row& r) {
  QuoteRequest q;
  q.id = r.Int(0);
  q.public_id = r.Text(1);
  q.village_id = r.Int(2);
  q.village_name = r.Text(3);
  q.village_rural = r.Bool(4);
  q.project_id = r.Int(5);
  q.project_public_id = r.Text(6);
  q.project_title = r.Text(7);
  q.org_id = r.Int(8);
  q.org_name = r.Text(9);
  q.need_public_id = r.OptText(10);
  q.need_title = r.OptText(11);
  q.message = r.Text(12);
  q.status = r.Text(13);
  q.created_at_ms = r.Int(14);
  return q;
}

constexpr const char* kQuoteColumns =
    "SELECT q.id, q.public_id, q.request_id, r.public_id, q.amount_fen, q.note, q.milestones, q.status, "
    "q.created_at_ms FROM market_quotes q JOIN market_quote_requests r ON r.id = q.request_id ";

Quote QuoteOf(const db::Row& r) {
  Quote q;
  q.id = r.Int(0);
  q.public_id = r.Text(1);
  q.request_id = r.Int(2);
  q.request_public_id = r.Text(3);
  q.amount_fen = r.Int(4);
  q.note = r.Text(5);
  q.milestones = PlansOf(r.Text(6));
  q.status = r.Text(7);
  q.created_at_ms = r.Int(8);
  return q;
}

constexpr const char* kContractColumns =
    "SELECT c.id, c.public_id, c.version, c.village_id, v.name, c.org_id, o.name, c.project_id, p.public_id, "
    "p.title, q.public_id, c.amount_fen, c.paid_fen, c.status, c.needs_decision, c.threshold_fen, "
    "c.decision_meeting_kind, c.decision_held_on_ms, c.votes_for, c.votes_against, c.votes_abstain, "
    "c.minutes_image_id, c.minutes_text, c.decision_passed, c.decision_recorded_at_ms, c.notice_starts_at_ms, "
    "c.notice_ends_at_ms, c.notice_days, c.activated_at_ms, c.created_at_ms "
    "FROM market_contracts c JOIN villages v ON v.id = c.village_id JOIN orgs o ON o.id = c.org_id "
    "JOIN market_projects p ON p.id = c.project_id JOIN market_quotes q ON q.id = c.quote_id ";

Contract ContractHead(const db::Row& r) {
  Contract c;
  c.id = r.Int(0);
  c.public_id = r.Text(1);
  c.version = r.Int(2);
  c.village_id = r.Int(3);
  c.village_name = r.Text(4);
  c.org_id = r.Int(5);
  c.org_name = r.Text(6);
  c.project_id = r.Int(7);
  c.project_public_id = r.Text(8);
  c.project_title = r.Text(9);
  c.quote_public_id = r.Text(10);
  c.amount_fen = r.Int(11);
  c.paid_fen = r.Int(12);
  c.status = r.Text(13);
  c.needs_decision = r.Bool(14);
  c.threshold_fen = r.Int(15);
  if (!r.IsNull(24)) {
    c.decision = Decision{r.Text(16), r.Int(17), r.Int(18), r.Int(19), r.Int(20),
                          r.Text(21), r.Text(22), r.Bool(23), r.Int(24)};
  }
  c.notice_starts_at_ms = r.OptInt(25);
  c.notice_ends_at_ms = r.OptInt(26);
  c.notice_days = r.OptInt(27);
  c.activated_at_ms = r.OptInt(28);
  c.created_at_ms = r.Int(29);
  return c;
}

// The parts of a contract kept in other tables, and its status as of now.
void LoadParts(db::Tx& tx, Contract& c, int64_t now_ms) {
  const auto obj = tx.Query(
      "SELECT id, public_id, text, answer, created_at_ms, answered_at_ms FROM market_contract_objections "
      "WHERE contract_id = $1 ORDER BY id",
      {c.id});
  for (size_t i = 0; i < obj.size(); ++i) {
    const db::Row r = obj[i];
    c.objections.push_back({r.Int(0), r.Text(1), r.Text(2), r.OptText(3), r.Int(4), r.OptInt(5)});
  }
  const auto ms = tx.Query(
      "SELECT m.n, m.title, m.due_ms, m.amount_fen, m.deliverables, m.status, m.report_text, "
      "m.report_beneficiaries, m.report_photo_ids, m.report_event_id, m.reported_at_ms, m.return_reason, "
      "m.accepted_at_ms, pay.amount_fen, pay.voucher_no, pay.paid_at_ms, pay.book_seq, pay.id "
      "FROM market_contract_milestones m LEFT JOIN market_contract_payments pay "
      "ON pay.contract_id = m.contract_id AND pay.milestone_n = m.n WHERE m.contract_id = $1 ORDER BY m.n",
      {c.id});
  for (size_t i = 0; i < ms.size(); ++i) {
    const db::Row r = ms[i];
    Milestone m;
    m.n = r.Int(0);
    m.plan = {r.Text(1), r.Int(2), r.Int(3), r.Text(4)};
    m.status = r.Text(5);
    m.report_text = r.Text(6);
    m.report_beneficiaries = r.Int(7);
    m.report_photo_ids = db::StringListOf(r.Text(8));
    m.report_event_id = r.OptText(9);
    m.reported_at_ms = r.OptInt(10);
    m.return_reason = r.Text(11);
    m.accepted_at_ms = r.OptInt(12);
    if (!r.IsNull(17)) {
      m.payment = MilestonePayment{r.Int(13), r.Text(14), r.Int(15), r.OptInt(16)};
    }
    c.milestones.push_back(std::move(m));
  }
  const auto am = tx.Query(
      "SELECT id, public_id, proposed_by, reason, amount_fen, milestones, status, created_at_ms, decided_at_ms "
      "FROM market_contract_amendments WHERE contract_id = $1 ORDER BY id",
      {c.id});
  for (size_t i = 0; i < am.size(); ++i) {
    const db::Row r = am[i];
    c.amendments.push_back(
        {r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), PlansOf(r.Text(5)), r.Text(6), r.Int(7), r.OptInt(8)});
  }
  const auto ev = tx.Query(
      "SELECT stars, comment, created_at_ms FROM market_contract_evaluations WHERE contract_id = $1", {c.id});
  if (!ev.empty()) {
    c.evaluation = Evaluation{ev.front().Int(0), ev.front().Text(1), ev.front().Int(2)};
  }
  const auto rt = tx.Query(
      "SELECT COUNT(*), COALESCE(SUM(stars), 0) FROM market_contract_ratings WHERE contract_id = $1", {c.id});
  c.rating_count = rt.front().Int(0);
  c.rating_sum = rt.front().Int(1);
  if (const Activation a = ActivationOf(c, now_ms); a.due) {
    c.status = "active";
    c.activated_at_ms = a.at_ms;
  }
}

constexpr const char* kContractActive = "SELECT 1 FROM market_contracts c WHERE c.id = $1 AND c.status = 'active'";

}  // namespace

// ---- Quote requests

std::optional<int64_t> InsertQuoteRequest(db::Tx& tx, const std::string& public_id, int64_t village_id,
                                          int64_t project_id, std::optional<int64_t> need_id,
                                          const std::string& message, int64_t by, int64_t now_ms) {
  return FirstId(tx.Query(
      "INSERT INTO market_quote_requests (public_id, village_id, project_id, org_id, need_id, message, created_by, "
      "created_at_ms, updated_at_ms) SELECT CAST($1 AS TEXT), v.id, p.id, p.org_id, CAST($4 AS BIGINT), CAST($5 AS TEXT), CAST($6 AS BIGINT), CAST($7 AS BIGINT), CAST($7 AS BIGINT) "
      "FROM villages v, market_projects p WHERE v.id = $2 AND v.collective_economy = 1 AND p.id = $3 "
      "AND p.status = 'approved' ON CONFLICT DO NOTHING RETURNING id",
      {public_id, village_id, project_id, need_id, message, by, now_ms}));
}

std::optional<QuoteRequest> FindQuoteRequest(db::Tx& tx, int64_t id) {
  const auto rows = tx.Query(std::string(kRequestColumns) + "WHERE r.id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  QuoteRequest q = RequestOf(rows.front());
  const auto quotes = tx.Query(std::string(kQuoteColumns) + "WHERE q.request_id = $1 ORDER BY q.id", {id});
  for (size_t i = 0; i < quotes.size(); ++i) {
    q.quotes.push_back(QuoteOf(quotes[i]));
  }
  return q;
}

std::optional<int64_t> QuoteRequestIdByPublicId(db::Tx& tx, const std::string& public_id) {
  return FirstId(tx.Query("SELECT id FROM market_quote_requests WHERE public_id = $1", {public_id}));
}

bool HasOpenQuoteRequest(db::Tx& tx, int64_t village_id, int64_t project_id) {
  return !tx.Query("SELECT 1 FROM market_quote_requests WHERE village_id = $1 AND project_id = $2 AND status = 'open'",
                   {village_id, project_id})
              .empty();
}

std::vector<QuoteRequest> ListQuoteRequests(db::Tx& tx, std::optional<int64_t> village_id,
                                            std::optional<int64_t> org_id, int limit) {
  const auto rows = tx.Query(std::string(kRequestColumns) +
                                 "WHERE (CAST($1 AS BIGINT) = 0 OR r.village_id = $1) AND (CAST($2 AS BIGINT) = 0 OR r.org_id = $2) "
                                 "ORDER BY r.id DESC LIMIT $3",
                             {village_id.value_or(0), org_id.value_or(0), limit});
  std::vector<QuoteRequest> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(RequestOf(rows[i]));
  }
  return out;
}

bool WithdrawQuoteRequest(db::Tx& tx, int64_t id, int64_t now_ms) {
  return tx.Query("UPDATE market_quote_requests SET status = 'withdrawn', updated_at_ms = $2 "
                  "WHERE id = $1 AND status = 'open'",
                  {id, now_ms})
             .affected() == 1;
}

// ---- Quotes

std::optional<int64_t> InsertQuote(db::Tx& tx, const std::string& public_id, int64_t request_id, Fen amount_fen,
                                   const std::string& note, const std::vector<MilestonePlan>& milestones, int64_t by,
                                   int64_t now_ms) {
  const auto id = FirstId(tx.Query(
      "INSERT INTO market_quotes (public_id, request_id, amount_fen, note, milestones, created_by, created_at_ms) "
      "SELECT CAST($1 AS TEXT), r.id, CAST($3 AS BIGINT), CAST($4 AS TEXT), CAST($5 AS TEXT), CAST($6 AS BIGINT), CAST($7 AS BIGINT) FROM market_quote_requests r WHERE r.id = $2 AND r.status = 'open' "
      "RETURNING id",
      {public_id, request_id, amount_fen, note, PlansJson(milestones), by, now_ms}));
  if (id) {
    tx.Query("UPDATE market_quotes SET status = 'superseded', decided_at_ms = $3 "
             "WHERE request_id = $1 AND status = 'open' AND id <> $2",
             {request_id, *id, now_ms});
  }
  return id;
}

std::optional<Quote> FindQuote(db::Tx& tx, int64_t id) {
  const auto rows = tx.Query(std::string(kQuoteColumns) + "WHERE q.id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return QuoteOf(rows.front());
}

std::optional<int64_t> QuoteIdByPublicId(db::Tx& tx, const std::string& public_id) {
  return FirstId(tx.Query("SELECT id FROM market_quotes WHERE public_id = $1", {public_id}));
}

bool AcceptQuote(db::Tx& tx, int64_t quote_id, int64_t request_id, int64_t now_ms) {
  if (tx.Query("UPDATE market_quote_requests SET status = 'accepted', updated_at_ms = $2 "
               "WHERE id = $1 AND status = 'open'",
               {request_id, now_ms})
          .affected() != 1) {
    return false;
  }
  if (tx.Query("UPDATE market_quotes SET status = 'accepted', decided_at_ms = $3 "
               "WHERE id = $1 AND request_id = $2 AND status = 'open'",
               {quote_id, request_id, now_ms})
          .affected() != 1) {
    return false;
  }
  tx.Query("UPDATE market_quotes SET status = 'declined', decided_at_ms = $2 WHERE request_id = $1 AND status = 'open'",
           {request_id, now_ms});
  return true;
}

bool DeclineQuote(db::Tx& tx, int64_t quote_id, int64_t now_ms) {
  return tx.Query("UPDATE market_quotes SET status = 'declined', decided_at_ms = $2 WHERE id = $1 AND status = 'open'",
                  {quote_id, now_ms})
             .affected() == 1;
}

// ---- Contracts

std::optional<int64_t> InsertContract(db::Tx& tx, const std::string& public_id, int64_t quote_id,
                                      const std::string& status, bool needs_decision, Fen threshold_fen, int64_t by,
                                      int64_t now_ms) {
  const auto id = FirstId(tx.Query(
      "INSERT INTO market_contracts (public_id, village_id, org_id, project_id, request_id, quote_id, amount_fen, "
      "status, needs_decision, threshold_fen, activated_at_ms, created_by, created_at_ms, updated_at_ms) "
      "SELECT CAST($1 AS TEXT), r.village_id, r.org_id, r.project_id, r.id, q.id, q.amount_fen, CAST($3 AS TEXT), "
      "CAST($4 AS INTEGER), CAST($5 AS BIGINT), CASE WHEN CAST($3 AS TEXT) = 'active' THEN CAST($7 AS BIGINT) END, "
      "CAST($6 AS BIGINT), CAST($7 AS BIGINT), CAST($7 AS BIGINT) "
      "FROM market_quotes q JOIN market_quote_requests r ON r.id = q.request_id "
      "JOIN villages v ON v.id = r.village_id WHERE q.id = $2 AND v.collective_economy = 1 RETURNING id",
      {public_id, quote_id, status, needs_decision ? 1 : 0, threshold_fen, by, now_ms}));
  if (!id) {
    return std::nullopt;
  }
  const auto quote = FindQuote(tx, quote_id);
  int64_t n = 0;
  for (const MilestonePlan& m : quote->milestones) {
    tx.Query("INSERT INTO market_contract_milestones (contract_id, n, title, due_ms, amount_fen, deliverables) "
             "VALUES ($1, $2, $3, $4, $5, $6)",
             {*id, ++n, m.title, m.due_ms, m.amount_fen, m.deliverables});
  }
  return id;
}

std::optional<Contract> FindContract(db::Tx& tx, int64_t id, int64_t now_ms) {
  const auto rows = tx.Query(std::string(kContractColumns) + "WHERE c.id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  Contract c = ContractHead(rows.front());
  LoadParts(tx, c, now_ms);
  return c;
}

std::optional<int64_t> ContractIdByPublicId(db::Tx& tx, const std::string& public_id) {
  return FirstId(tx.Query("SELECT id FROM market_contracts WHERE public_id = $1", {public_id}));
}

std::vector<Contract> ListContracts(db::Tx& tx, std::optional<int64_t> village_id, std::optional<int64_t> org_id,
                                    int64_t now_ms, int limit) {
  const auto rows = tx.Query(std::string(kContractColumns) +
                                 "WHERE (CAST($1 AS BIGINT) = 0 OR c.village_id = $1) AND (CAST($2 AS BIGINT) = 0 OR c.org_id = $2) "
                                 "ORDER BY c.id DESC LIMIT $3",
                             {village_id.value_or(0), org_id.value_or(0), limit});
  std::vector<Contract> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ContractHead(rows[i]));
    LoadParts(tx, out.back(), now_ms);
  }
  return out;
}

bool ActivateIfDue(db::Tx& tx, int64_t id, int64_t now_ms) {
  constexpr const char* kLastAnswer =
      "(SELECT MAX(o.answered_at_ms) FROM market_contract_objections o WHERE o.contract_id = $1)";
  return tx.Query(std::string("UPDATE market_contracts SET status = 'active', updated_at_ms = $2, activated_at_ms = "
                              "CASE WHEN ") +
                      kLastAnswer + " > notice_ends_at_ms THEN " + kLastAnswer +
                      " ELSE notice_ends_at_ms END "
                      "WHERE id = $1 AND status = 'in_notice' AND notice_ends_at_ms <= $2 AND NOT EXISTS "
                      "(SELECT 1 FROM market_contract_objections o WHERE o.contract_id = $1 AND o.answer IS NULL)",
                  {id, now_ms})
             .affected() == 1;
}

bool RecordDecision(db::Tx& tx, int64_t id, const Decision& d, int64_t notice_days, int64_t now_ms) {
  return tx.Query("UPDATE market_contracts SET decision_meeting_kind = $2, decision_held_on_ms = $3, votes_for = $4, "
                  "votes_against = $5, votes_abstain = $6, minutes_image_id = $7, minutes_text = $8, "
                  "decision_passed = CAST($9 AS SMALLINT), decision_recorded_at_ms = $10, updated_at_ms = $10, "
                  "status = CASE WHEN CAST($9 AS SMALLINT) = 1 THEN 'in_notice' ELSE 'decision_failed' END, "
                  "notice_starts_at_ms = CASE WHEN CAST($9 AS SMALLINT) = 1 THEN CAST($10 AS BIGINT) END, "
                  "notice_ends_at_ms = CASE WHEN CAST($9 AS SMALLINT) = 1 THEN CAST($10 AS BIGINT) + CAST($11 AS BIGINT) * " +
                      std::to_string(kDayMs) +
                      " END, notice_days = CASE WHEN CAST($9 AS SMALLINT) = 1 THEN CAST($11 AS BIGINT) END "
                      "WHERE id = $1 AND status = 'awaiting_decision'",
                  {id, d.meeting_kind, d.held_on_ms, d.votes_for, d.votes_against, d.votes_abstain,
                   d.minutes_image_id.empty() ? db::Value() : db::Value(d.minutes_image_id), d.minutes_text,
                   d.passed ? 1 : 0, now_ms, notice_days})
             .affected() == 1;
}

bool InsertObjection(db::Tx& tx, const std::string& public_id, int64_t contract_id, const std::string& text,
                     int64_t by, int64_t now_ms) {
  return tx.Query("INSERT INTO market_contract_objections (public_id, contract_id, text, created_by, created_at_ms) "
                  "SELECT CAST($1 AS TEXT), c.id, CAST($3 AS TEXT), CAST($4 AS BIGINT), CAST($5 AS BIGINT) FROM market_contracts c "
                  "WHERE c.id = $2 AND c.status = 'in_notice' AND c.notice_ends_at_ms > CAST($5 AS BIGINT)",
                  {public_id, contract_id, text, by, now_ms})
             .affected() == 1;
}

bool AnswerObjection(db::Tx& tx, int64_t contract_id, const std::string& objection_public_id,
                     const std::string& answer, int64_t by, int64_t now_ms) {
  return tx.Query("UPDATE market_contract_objections SET answer = $3, answered_by = $4, answered_at_ms = $5 "
                  "WHERE contract_id = $1 AND public_id = $2 AND answer IS NULL",
                  {contract_id, objection_public_id, answer, by, now_ms})
             .affected() == 1;
}

bool ReportMilestone(db::Tx& tx, int64_t contract_id, int64_t n, const MilestoneReport& r, int64_t now_ms) {
  return tx.Query(std::string("UPDATE market_contract_milestones SET status = 'reported', report_text = $3, "
                              "report_beneficiaries = $4, report_photo_ids = $5, report_event_id = $6, "
                              "reported_at_ms = $7, return_reason = '' WHERE contract_id = $1 AND n = $2 "
                              "AND status IN ('pending', 'returned') AND EXISTS (") +
                      kContractActive + ")",
                  {contract_id, n, r.text, r.beneficiaries, db::StringListJson(r.photo_ids), r.event_id, now_ms})
             .affected() == 1;
}

bool AcceptMilestone(db::Tx& tx, int64_t contract_id, int64_t n, int64_t now_ms) {
  return tx.Query(std::string("UPDATE market_contract_milestones SET status = 'accepted', accepted_at_ms = $3 "
                              "WHERE contract_id = $1 AND n = $2 AND status = 'reported' AND EXISTS (") +
                      kContractActive + ")",
                  {contract_id, n, now_ms})
             .affected() == 1;
}

bool ReturnMilestone(db::Tx& tx, int64_t contract_id, int64_t n, const std::string& reason, int64_t now_ms) {
  (void)now_ms;
  return tx.Query(std::string("UPDATE market_contract_milestones SET status = 'returned', return_reason = $3 "
                              "WHERE contract_id = $1 AND n = $2 AND status = 'reported' AND EXISTS (") +
                      kContractActive + ")",
                  {contract_id, n, reason})
             .affected() == 1;
}

std::optional<int64_t> InsertPayment(db::Tx& tx, int64_t contract_id, int64_t n, Fen amount_fen,
                                     const std::string& voucher_no, int64_t by, int64_t now_ms) {
  return FirstId(tx.Query(
      "INSERT INTO market_contract_payments (contract_id, milestone_n, amount_fen, voucher_no, paid_by, paid_at_ms) "
      "SELECT m.contract_id, m.n, CAST($3 AS BIGINT), CAST($4 AS TEXT), CAST($5 AS BIGINT), CAST($6 AS BIGINT) FROM market_contract_milestones m "
      "JOIN market_contracts c ON c.id = m.contract_id WHERE m.contract_id = $1 AND m.n = $2 "
      "AND m.status = 'accepted' AND m.amount_fen = $3 AND c.status = 'active' ON CONFLICT DO NOTHING RETURNING id",
      {contract_id, n, amount_fen, voucher_no, by, now_ms}));
}

void SettlePayment(db::Tx& tx, int64_t payment_id, int64_t contract_id, Fen amount_fen, int64_t book_seq,
                   int64_t now_ms) {
  tx.Query("UPDATE market_contract_payments SET book_seq = $2 WHERE id = $1", {payment_id, book_seq});
  tx.Query("UPDATE market_contracts SET paid_fen = paid_fen + $2, updated_at_ms = $3 WHERE id = $1",
           {contract_id, amount_fen, now_ms});
  tx.Query("UPDATE market_contracts SET status = 'completed', completed_at_ms = $2 WHERE id = $1 "
           "AND status = 'active' AND NOT EXISTS (SELECT 1 FROM market_contract_milestones m "
           "LEFT JOIN market_contract_payments pay ON pay.contract_id = m.contract_id AND pay.milestone_n = m.n "
           "WHERE m.contract_id = $1 AND pay.id IS NULL)",
           {contract_id, now_ms});
}

// ---- Amendments

bool InsertAmendment(db::Tx& tx, const std::string& public_id, int64_t contract_id, const std::string& side,
                     const std::string& reason, Fen amount_fen, const std::vector<MilestonePlan>& milestones,
                     int64_t by, int64_t now_ms) {
  return tx.Query("INSERT INTO market_contract_amendments (public_id, contract_id, proposed_by, reason, amount_fen, "
                  "milestones, created_by, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                  "ON CONFLICT DO NOTHING",
                  {public_id, contract_id, side, reason, amount_fen, PlansJson(milestones), by, now_ms})
             .affected() == 1;
}

bool DecideAmendment(db::Tx& tx, int64_t amendment_id, bool accept, int64_t by, int64_t now_ms) {
  return tx.Query("UPDATE market_contract_amendments SET status = $2, decided_by = $3, decided_at_ms = $4 "
                  "WHERE id = $1 AND status = 'proposed'",
                  {amendment_id, accept ? "accepted" : "declined", by, now_ms})
             .affected() == 1;
}

void ApplySchedule(db::Tx& tx, const Contract& c, Fen amount_fen, const std::vector<MilestonePlan>& plans,
                   int64_t now_ms) {
  for (size_t i = 0; i < plans.size(); ++i) {
    const int64_t n = static_cast<int64_t>(i) + 1;
    const MilestonePlan& p = plans[i];
    if (i < c.milestones.size()) {
      if (c.milestones[i].plan == p) {
        continue;  // unchanged: keeps its report and state
      }
      tx.Query("UPDATE market_contract_milestones SET title = $3, due_ms = $4, amount_fen = $5, deliverables = $6, "
               "status = 'pending', report_text = '', report_beneficiaries = 0, report_photo_ids = '[]', "
               "report_event_id = NULL, reported_at_ms = NULL, return_reason = '', accepted_at_ms = NULL "
               "WHERE contract_id = $1 AND n = $2 AND status <> 'accepted'",
               {c.id, n, p.title, p.due_ms, p.amount_fen, p.deliverables});
    } else {
      tx.Query("INSERT INTO market_contract_milestones (contract_id, n, title, due_ms, amount_fen, deliverables) "
               "VALUES ($1, $2, $3, $4, $5, $6)",
               {c.id, n, p.title, p.due_ms, p.amount_fen, p.deliverables});
    }
  }
  tx.Query("DELETE FROM market_contract_milestones WHERE contract_id = $1 AND n > $2 AND status <> 'accepted'",
           {c.id, static_cast<int64_t>(plans.size())});
  tx.Query("UPDATE market_contracts SET amount_fen = $2, version = version + 1, updated_at_ms = $3 WHERE id = $1",
           {c.id, amount_fen, now_ms});
}

// ---- Ratings and evaluations

bool InsertRating(db::Tx& tx, int64_t contract_id, int64_t user_id, int64_t stars, const std::string& comment,
                  int64_t now_ms) {
  return tx.Query("INSERT INTO market_contract_ratings (contract_id, user_id, stars, comment, created_at_ms) "
                  "SELECT c.id, u.id, CAST($3 AS INTEGER), CAST($4 AS TEXT), CAST($5 AS BIGINT) FROM market_contracts c JOIN users u ON u.home_village_id = c.village_id "
                  "WHERE c.id = $1 AND u.id = $2 AND c.status IN ('active', 'completed') "
                  "ON CONFLICT (contract_id, user_id) DO NOTHING",
                  {contract_id, user_id, stars, comment, now_ms})
             .affected() == 1;
}

bool HasRated(db::Tx& tx, int64_t contract_id, int64_t user_id) {
  return !tx.Query("SELECT 1 FROM market_contract_ratings WHERE contract_id = $1 AND user_id = $2",
                   {contract_id, user_id})
              .empty();
}

bool InsertEvaluation(db::Tx& tx, int64_t contract_id, int64_t stars, const std::string& comment, int64_t by,
                      int64_t now_ms) {
  return tx.Query("INSERT INTO market_contract_evaluations (contract_id, stars, comment, created_by, created_at_ms) "
                  "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (contract_id) DO NOTHING",
                  {contract_id, stars, comment, by, now_ms})
             .affected() == 1;
}

// ---- For the public page and the matching

std::vector<PublicPayment> VillagePayments(db::Tx& tx, int64_t village_id, int limit) {
  const auto rows = tx.Query(
      "SELECT c.public_id, p.title, o.name, pay.milestone_n, m.title, pay.amount_fen, pay.voucher_no, "
      "pay.paid_at_ms, pay.book_seq FROM market_contract_payments pay "
      "JOIN market_contracts c ON c.id = pay.contract_id JOIN market_projects p ON p.id = c.project_id "
      "JOIN orgs o ON o.id = c.org_id JOIN market_contract_milestones m "
      "ON m.contract_id = pay.contract_id AND m.n = pay.milestone_n "
      "WHERE c.village_id = $1 ORDER BY pay.id DESC LIMIT $2",
      {village_id, limit});
  std::vector<PublicPayment> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Int(3), r.Text(4), r.Int(5), r.Text(6), r.Int(7), r.OptInt(8)});
  }
  return out;
}

std::map<int64_t, Evaluations> EvaluationsExcept(db::Tx& tx, int64_t village_id) {
  const auto rows = tx.Query(
      "SELECT c.project_id, COUNT(*), SUM(e.stars) FROM market_contract_evaluations e "
      "JOIN market_contracts c ON c.id = e.contract_id WHERE c.village_id <> $1 GROUP BY c.project_id",
      {village_id});
  std::map<int64_t, Evaluations> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const int64_t count = rows[i].Int(1);
    out[rows[i].Int(0)] = {count, count > 0 ? rows[i].Int(2) * 10 / count : 0};
  }
  return out;
}

std::set<int64_t> OrgsServing(db::Tx& tx, int64_t village_id) {
  const auto rows = tx.Query(
      "SELECT DISTINCT org_id FROM market_contracts WHERE village_id = $1 "
      "AND status IN ('in_notice', 'active', 'completed')",
      {village_id});
  std::set<int64_t> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.insert(rows[i].Int(0));
  }
  return out;
}

}  // namespace carecity::market::repo
