#include "domains/fund/ledger.h"

#include <fmt/format.h>

#include <functional>
#include <map>

#include "core/crypto.h"
#include "db/lock.h"
#include "domains/fund/invariants.h"
#include "domains/fund/repo.h"

namespace carecity::fund {

std::string PurposeFundAccount(int64_t purpose_id) { return "fund:purpose:" + std::to_string(purpose_id); }
std::string OrgPayableAccount(int64_t org_id) { return "payable:org:" + std::to_string(org_id); }
std::string GoodsPayableAccount(int64_t org_id) { return "payable:goods:org:" + std::to_string(org_id); }
std::string FundAccountFor(std::optional<int64_t> purpose_id) {
  return purpose_id ? PurposeFundAccount(*purpose_id) : std::string(kGeneralFund);
}

namespace ledger {
namespace {

void Ensure(db::Tx& tx, const std::string& code, const std::string& name, const std::string& type,
            std::optional<int64_t> purpose_id, std::optional<int64_t> org_id, int64_t now_ms) {
  if (!repo::FindAccount(tx, code)) {
    repo::InsertAccount(tx, code, name, type, purpose_id, org_id, now_ms);
  }
}

}  // namespace

void EnsureStandardAccounts(db::Tx& tx, int64_t now_ms) {
  Ensure(tx, kBank, "银行存款（基金专户）", "asset", std::nullopt, std::nullopt, now_ms);
  Ensure(tx, kSandboxClearing, "支付渠道待清算（沙箱）", "asset", std::nullopt, std::nullopt, now_ms);
  Ensure(tx, kGeneralFund, "关爱基金·非限定性资金", "net_assets", std::nullopt, std::nullopt, now_ms);
  Ensure(tx, kFees, "支付手续费", "expense", std::nullopt, std::nullopt, now_ms);
}

void EnsurePurposeAccount(db::Tx& tx, int64_t purpose_id, const std::string& purpose_name, int64_t now_ms) {
  Ensure(tx, PurposeFundAccount(purpose_id), "限定性资金·" + purpose_name, "net_assets", purpose_id, std::nullopt,
         now_ms);
}

void EnsureOrgPayable(db::Tx& tx, int64_t org_id, const std::string& org_name, int64_t now_ms) {
  Ensure(tx, OrgPayableAccount(org_id), "应付资助款·" + org_name, "liability", std::nullopt, org_id, now_ms);
}

void EnsureGoodsPayable(db::Tx& tx, int64_t org_id, const std::string& org_name, int64_t now_ms) {
  Ensure(tx, GoodsPayableAccount(org_id), "应付货款·" + org_name, "liability", std::nullopt, org_id, now_ms);
}

std::string EntryHash(const Entry& e) {
  std::string buf;
  const auto add = [&buf](std::string_view s) { buf += fmt::format("{}:{}|", s.size(), s); };
  add(std::to_string(e.id));
  add(e.kind);
  add(e.source.value_or(""));
  add(e.purpose_id ? std::to_string(*e.purpose_id) : "");
  add(e.org_id ? std::to_string(*e.org_id) : "");
  add(e.memo);
  add(e.ref_type);
  add(e.ref_id ? std::to_string(*e.ref_id) : "");
  add(e.donor_display.value_or(""));
  add(std::to_string(e.amount_fen));
  add(e.reverses_entry_id ? std::to_string(*e.reverses_entry_id) : "");
  add(e.created_by ? std::to_string(*e.created_by) : "");
  add(std::to_string(e.created_at_ms));
  for (const EntryLine& l : e.lines) {
    add(l.account_code);
    add(std::to_string(l.amount_fen));
  }
  add(e.prev_hash);
  return Sha256Hex(buf);
}

void LockBooks(db::Tx& tx) { db::LockRow(tx, "fund_head", 1); }

Result<int64_t> RecordEntry(db::Tx& tx, const EntryInput& in, int64_t now_ms) {
  if (in.lines.size() < 2) {
    return Error::Internal("unbalanced_entry: an entry needs two or more lines");
  }
  Fen sum = 0;
  Fen debits = 0;
  std::vector<repo::Account> accounts;
  for (const LineInput& l : in.lines) {
    if (l.amount_fen == 0) {
      return Error::Internal("unbalanced_entry: zero line on " + l.account_code);
    }
    if (__builtin_add_overflow(sum, l.amount_fen, &sum)) {
      return Error::Internal("unbalanced_entry: overflow");
    }
    if (l.amount_fen > 0) {
      debits += l.amount_fen;
    }
    auto acct = repo::FindAccount(tx, l.account_code);
    if (!acct) {
      return Error::Internal("unknown_account: " + l.account_code);
    }
    accounts.push_back(*acct);
  }
  if (sum != 0) {
    return Error::Internal(fmt::format("unbalanced_entry: lines sum to {}", sum));
  }
  auto [id, prev] = repo::NextEntry(tx);
  Entry e;
  e.id = id;
  e.kind = in.kind;
  e.source = in.source;
  e.purpose_id = in.purpose_id;
  e.org_id = in.org_id;
  e.memo = in.memo;
  e.ref_type = in.ref_type;
  e.ref_id = in.ref_id;
  e.donor_display = in.donor_display;
  e.amount_fen = debits;
  e.reverses_entry_id = in.reverses_entry_id;
  e.created_by = in.created_by;
  e.created_at_ms = now_ms;
  e.prev_hash = prev;
  for (size_t i = 0; i < in.lines.size(); ++i) {
    e.lines.push_back(EntryLine{accounts[i].code, accounts[i].name, in.lines[i].amount_fen});
  }
  e.hash = EntryHash(e);
  repo::InsertEntry(tx, e);
  for (size_t i = 0; i < in.lines.size(); ++i) {
    repo::InsertLine(tx, id, accounts[i].id, in.lines[i].amount_fen);
    repo::AddToBalance(tx, accounts[i].id, in.lines[i].amount_fen);
  }
  repo::SetHead(tx, e.hash);
  return id;
}

Result<int64_t> Reverse(db::Tx& tx, int64_t entry_id, const std::string& kind, const std::string& memo,
                        std::optional<int64_t> created_by, int64_t now_ms) {
  auto original = repo::FindEntry(tx, entry_id);
  if (!original) {
    return Error::NotFound("entry_not_found");
  }
  if (repo::IsReversed(tx, entry_id)) {
    return Error::Conflict("already_reversed");
  }
  EntryInput in;
  in.kind = kind;
  in.source = original->source;
  in.purpose_id = original->purpose_id;
  in.org_id = original->org_id;
  in.memo = memo;
  in.ref_type = original->ref_type;
  in.ref_id = original->ref_id;
  in.donor_display = original->donor_display;
  in.created_by = created_by;
  in.reverses_entry_id = entry_id;
  for (const EntryLine& l : original->lines) {
    in.lines.push_back(LineInput{l.account_code, -l.amount_fen});
  }
  return RecordEntry(tx, in, now_ms);
}

audit::ChainHead Head(db::Tx& tx) {
  auto head = tx.Query("SELECT seq, last_hash FROM fund_head WHERE id = 1");
  return audit::ChainHead{head.front().Int(0), head.front().Text(1)};
}

namespace {

// Walks the chain once: CheckChain's checks, and `each` for every entry.
audit::ChainReport WalkChain(db::Tx& tx, const std::vector<audit::Checkpoint>& anchors,
                             const audit::Checkpoint* start, const std::function<void(const Entry&)>& each) {
  // The head first: in one snapshot, entries added after it would be a break.
  const audit::ChainHead head = Head(tx);
  audit::ChainChecker checker(anchors, start);
  constexpr int kPage = 2000;
  audit::WalkChainPages(checker, head, kPage, [&](int64_t after, int limit) {
    std::vector<audit::ChainLink> links;
    for (const Entry& e : repo::EntriesAfter(tx, after, limit)) {
      links.push_back({e.id, e.prev_hash, e.hash, EntryHash(e)});
      if (each) {
        each(e);
      }
    }
    return links;
  });
  return checker.report();
}

}  // namespace

audit::ChainReport CheckChain(db::Tx& tx, const std::vector<audit::Checkpoint>& anchors,
                              const audit::Checkpoint* start) {
  return WalkChain(tx, anchors, start, {});
}

VerifyReport Verify(db::Tx& tx, const std::vector<audit::Checkpoint>& anchors) {
  VerifyReport r;
  const auto problem = [&r](std::string p) {
    r.ok = false;
    if (r.problems.size() < 20) {
      r.problems.push_back(std::move(p));
    }
  };
  std::vector<std::string> unbalanced;
  r.chain = WalkChain(tx, anchors, nullptr, [&unbalanced](const Entry& e) {
    Fen sum = 0;
    for (const EntryLine& l : e.lines) {
      sum += l.amount_fen;
    }
    if ((e.lines.size() < 2 || sum != 0) && unbalanced.size() < audit::ChainChecker::kMaxProblems) {
      unbalanced.push_back(fmt::format("entry {} does not balance ({} lines, sum {})", e.id, e.lines.size(), sum));
    }
  });
  r.entries = r.chain.checked;
  r.ok = r.chain.ok;
  for (const std::string& p : r.chain.problems) {
    problem(p);
  }
  for (std::string& p : unbalanced) {
    problem(std::move(p));
  }
  std::map<int64_t, Fen> sums;
  for (const auto& [account, sum] : repo::LineSumsByAccount(tx)) {
    sums[account] = sum;
  }
  for (const repo::Account& a : repo::ListAccounts(tx)) {
    ++r.accounts;
    const Fen expected_balance = sums.count(a.id) ? sums[a.id] : 0;
    if (a.balance_fen != expected_balance) {
      problem(fmt::format("account {} balance {} != sum of lines {}", a.code, a.balance_fen, expected_balance));
    }
  }
  CheckInvariants(tx, r);
  return r;
}

}  // namespace ledger
}  // namespace carecity::fund
