#include "app/seed_demo.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <map>

#include <fmt/format.h>

#include "app/seed_forum.h"
#include "app/seed_news.h"
#include "app/seed_grants.h"
// market (issue 12)
#include "app/seed_market.h"
#include "app/seed_reception.h"
#include "app/seed_talent.h"
#include "app/seed_training.h"
#include "app/seed_villagebooks.h"
#include "domains/accounts/repo.h"
#include "db/store.h"

namespace carecity::app {
namespace {

Status SeedFundHistory(App& app, db::Tx& tx, const std::vector<int64_t>& org_ids,
                       const std::function<void(const std::string&)>& progress);
Status SeedEvents(App& app, db::Tx& tx, const std::vector<int64_t>& org_ids, const std::vector<int64_t>& village_ids,
                  const std::map<std::string, int64_t>& users, const std::function<void(const std::string&)>& progress);
Status SeedCasework(App& app, db::Tx& tx, const std::vector<int64_t>& org_ids, const std::map<std::string, int64_t>& users,
                    const std::function<void(const std::string&)>& progress);
Status SeedShop(App& app, db::Tx& tx, const std::vector<int64_t>& org_ids, const std::map<std::string, int64_t>& users,
                const std::function<void(const std::string&)>& progress);
Status SeedAuction(App& app, db::Tx& tx, const std::map<std::string, int64_t>& users,
                   const std::function<void(const std::string&)>& progress);

constexpr const char* kDemoPassword = "guicheng2012";

struct DemoOrg {
  const char* name;
  const char* credit_code;
  const char* rating;
};

// Credit codes are made up in the official format (18 characters from the
// GB 32100 alphabet); they are not real organisations' codes.
constexpr DemoOrg kOrgs[] = {
    {"佛山市南海区博睿社会工作服务中心（博睿社工）", "52440605MJL1001X2A", "5A"},
    {"佛山市南海区启创社会工作服务中心", "52440605MJL1002Y3B", "4A"},
    {"南海区桂城街道义工联合会", "51440605MJL1003K4C", "4A"},
    {"桂城长者关爱服务社", "52440605MJL1004N5D", "3A"},
};

struct DemoVillage {
  const char* name;
  const char* kind;
  bool rural;
  bool collective;
};

constexpr DemoVillage kVillages[] = {
    {"叠滘村", "village", true, true},
    {"平东村", "village", true, true},
    {"三山村", "village", true, true},
    {"夏北社区", "community", false, false},
    {"东二社区", "community", false, false},
    {"桂园社区", "community", false, false},
};

// Milliseconds at midnight China time of a date (UTC+8).
int64_t ChinaDate(int y, int m, int d) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  return static_cast<int64_t>(timegm(&tm)) * 1000 - 8 * kHourMs;
}

// A small deterministic generator: the demo is the same on every machine.
struct Lcg {
  uint64_t state;
  uint64_t Next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  }
};

// The Care Fund's history, consistent with the 2012 report: government
// allocations and donations accumulating to just over ¥10,000,000, about
// ¥6,000,000 granted to organisations, ¥3,500,000 applied for in 2012
// (pending), two naming sponsors and a few hundred public donations.
Status SeedFundHistory(App& app, db::Tx& tx, const std::vector<int64_t>& org_ids,
                       const std::function<void(const std::string&)>& progress) {
  if (!tx.Query("SELECT 1 FROM fund_purposes WHERE code = 'elderly-care'").empty()) {
    return {};
  }
  auto& fund = app.fund();
  progress("Care Fund: purposes, allocations, sponsors, donations, grants");
  const auto admin = [&](const char* phone) {
    return tx.Query("SELECT id FROM users WHERE phone = $1", {phone}).front().Int(0);
  };
  const int64_t maker = admin("13800000004");
  const int64_t checker = admin("13800000008");
  const int64_t t0 = ChinaDate(2010, 1, 8);

  std::vector<int64_t> purposes;
  const fund::NewPurpose kPurposes[] = {
      {"elderly-care", "关爱长者计划", "为辖区独居、高龄长者提供探访、助餐与应急支援。", true, "53440605MJL2012A01"},
      {"youth-growth", "青少年成长计划", "课业辅导、暑期成长营与困境青少年个案支持。", true, "53440605MJL2012A02"},
      {"family-support", "困境家庭帮扶", "为困难家庭提供临时救助与家庭综合服务。", true, "53440605MJL2012A03"},
      {"charity-shop", "公益商城义卖", "公益商城商品售价中的捐赠部分，用于社区长者与困境家庭服务。", true,
       "53440605MJL2012A04"},
  };
  for (const auto& p : kPurposes) {
    auto r = fund.CreatePurposeTx(tx, maker, p, t0);
    if (!r.ok()) {
      return std::move(r).error();
    }
    purposes.push_back(r->id);
  }
  const auto check = [](const auto& r) -> Status {
    if (!r.ok()) {
      return r.error();
    }
    return {};
  };
  // 街道财政: seeded by the subdistrict's budget.
  CC_TRY(check(fund.RecordAllocationTx(tx, maker, {300'000'000, "桂财〔2010〕12号", std::nullopt, "基金启动资金", true}, t0)));
  CC_TRY(check(fund.RecordAllocationTx(tx, maker, {250'000'000, "桂财〔2010〕87号", std::nullopt, "年度拨款", true},
                                       ChinaDate(2010, 9, 1))));
  CC_TRY(check(fund.RecordAllocationTx(tx, maker, {150'000'000, "桂财〔2011〕15号", purposes[0], "长者服务专项", true},
                                       ChinaDate(2011, 3, 10))));
  CC_TRY(check(fund.RecordAllocationTx(tx, maker, {100'000'000, "桂财〔2011〕66号", std::nullopt, "民生资金统筹", true},
                                       ChinaDate(2011, 8, 20))));
  // Naming sponsors (冠名).
  auto s1 = fund.CreateSponsorshipTx(tx, maker,
                                     {"佛山市南海美居集团有限公司", "enterprise", 80'000'000, purposes[0],
                                      "美居集团·关爱长者计划", ChinaDate(2011, 1, 1), ChinaDate(2013, 12, 31), 4},
                                     ChinaDate(2011, 1, 5));
  CC_TRY(check(s1));
  CC_TRY(check(fund.RecordInstalmentTx(tx, maker, *s1, 20'000'000, "第1期", ChinaDate(2011, 1, 20))));
  CC_TRY(check(fund.RecordInstalmentTx(tx, maker, *s1, 20'000'000, "第2期", ChinaDate(2011, 7, 20))));
  CC_TRY(check(fund.RecordInstalmentTx(tx, maker, *s1, 20'000'000, "第3期", ChinaDate(2012, 1, 20))));
  auto s2 = fund.CreateSponsorshipTx(tx, maker,
                                     {"南海慈善基金会", "foundation", 50'000'000, purposes[1], "南海慈善·青少年成长计划",
                                      ChinaDate(2011, 4, 1), ChinaDate(2012, 12, 31), 1},
                                     ChinaDate(2011, 4, 1));
  CC_TRY(check(s2));
  CC_TRY(check(fund.RecordInstalmentTx(tx, maker, *s2, 50'000'000, "全额", ChinaDate(2011, 4, 15))));
  // A few hundred public donations by bank transfer and at charity sales.
  static const char* kSurnames[] = {"陈", "李", "梁", "黄", "何", "吴", "周", "潘", "罗", "冯", "邓", "麦"};
  static const char* kGiven[] = {"阿姨", "伯", "先生", "女士", "小明", "家豪", "嘉欣", "志强", "丽华", "伟"};
  static const int64_t kAmounts[] = {50, 100, 100, 200, 200, 500, 500, 1000, 1000, 2000, 5000, 10000};
  Lcg rng{20120302};
  Fen public_total = 0;
  for (int i = 0; i < 320; ++i) {
    const Fen amount = kAmounts[rng.Next() % 12] * 100;
    const bool anonymous = rng.Next() % 4 == 0;
    const std::string name = std::string(kSurnames[rng.Next() % 12]) + kGiven[rng.Next() % 10];
    std::optional<int64_t> purpose;
    if (rng.Next() % 3 == 0) {
      purpose = purposes[rng.Next() % purposes.size()];
    }
    const int64_t when = t0 + static_cast<int64_t>(rng.Next() % 790) * kDayMs + static_cast<int64_t>(rng.Next() % 36000) * 1000;
    CC_TRY(check(fund.RecordOfflineDonationTx(tx, name, anonymous, purpose, amount, when)));
    public_total += amount;
  }
  // Enterprises' public donations bring the total just past ¥10,000,000.
  const Fen raised_so_far = 800'000'000 + 110'000'000 + public_total;
  const Fen topup = 1'000'100'000 - raised_so_far;
  if (topup > 0) {
    CC_TRY(check(fund.RecordOfflineDonationTx(tx, "桂城商会", false, std::nullopt, topup, ChinaDate(2012, 2, 28))));
  }
  // Grants: about ¥6,000,000 to the organisations, mostly paid out.
  struct Grant {
    size_t org;
    std::optional<size_t> purpose;
    Fen amount;
    const char* project;
    int64_t at;
  };
  const Grant grants[] = {
      {0, std::nullopt, 180'000'000, "桂城长者探访与助餐服务", ChinaDate(2010, 6, 1)},
      {1, std::nullopt, 150'000'000, "青少年课业辅导与成长营", ChinaDate(2010, 11, 1)},
      {2, std::nullopt, 100'000'000, "社区义工培育计划", ChinaDate(2011, 5, 1)},
      {3, 0, 120'000'000, "独居长者应急支援", ChinaDate(2011, 9, 1)},
      {1, 1, 50'000'000, "暑期成长营", ChinaDate(2011, 12, 1)},
  };
  for (const Grant& g : grants) {
    fund::NewCommitment c{org_ids[g.org], g.purpose ? std::optional<int64_t>(purposes[*g.purpose]) : std::nullopt,
                          g.amount, g.project};
    auto commitment = fund.CreateCommitmentTx(tx, maker, c, g.at);
    CC_TRY(check(commitment));
    // Paid in two halves, the second one still waiting for the last grant.
    for (int half = 0; half < 2; ++half) {
      if (half == 1 && g.at >= ChinaDate(2011, 12, 1)) {
        break;
      }
      auto d = fund.ProposeDisbursementTx(tx, maker, *commitment, g.amount / 2, half == 0 ? "首期拨付" : "尾款",
                                          g.at + (half + 1) * 30 * kDayMs);
      CC_TRY(check(d));
      // Maker and checker are different fund admins.
      CC_TRY(check(fund.ApproveDisbursementTx(tx, checker, d->id, g.at + (half + 1) * 30 * kDayMs + kDayMs)));
    }
  }
  // 2012: ¥3,500,000 applied for, not yet received.
  CC_TRY(check(fund.RecordAllocationTx(tx, maker, {350'000'000, "桂财〔2012〕9号", std::nullopt, "2012年度申请", false},
                                       ChinaDate(2012, 3, 1))));
  // Quarterly progress reports, as 慈善组织信息公开办法 requires, written
  // from the books of each period and published a week after it closed.
  const int64_t now = app.clock().NowMs();
  const auto day = [](int64_t ms) {
    const std::time_t t = static_cast<std::time_t>((ms + 8 * kHourMs) / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  };
  for (const auto& item : fund.DisclosureScheduleTx(tx, now)) {
    const int64_t published_at = std::min(item.due_at_ms + 7 * kDayMs, now);
    if (published_at > now || item.period_label == "final") {
      continue;
    }
    auto sums = tx.Query(
        "SELECT COALESCE(SUM(CASE WHEN source IS NOT NULL THEN amount_fen ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN ref_type = 'commitment' THEN amount_fen ELSE 0 END), 0), COUNT(*) "
        "FROM fund_entries WHERE purpose_id = $1 AND created_at_ms >= $2 AND created_at_ms < $3 "
        "AND reverses_entry_id IS NULL",
        {item.purpose_id, item.period_start_ms, item.period_end_ms});
    const std::string title = fmt::format("{}·{}至{}募捐进展", item.purpose_name, day(item.period_start_ms),
                                          day(item.period_end_ms - 1));
    const std::string body = fmt::format(
        "本期（{}至{}）本项目收到捐赠与拨款共 {} 元，资助支出 {} 元，共记账 {} 笔。每一笔明细见关爱基金公开账目。",
        day(item.period_start_ms), day(item.period_end_ms - 1), FormatYuan(sums.front().Int(0)),
        FormatYuan(sums.front().Int(1)), sums.front().Int(2));
    CC_TRY(check(fund.PublishDisclosureTx(tx, maker, item.purpose_id, item.period_label, title, body, published_at)));
  }
  return {};
}

// `days` from today at hh:mm China time (UTC+8): demo events start on the
// hour or half hour, as real ones do.
// Activities of 博睿社工 at 关爱桂城企业创享家, relative to now: one about to
// start (check-in open), upcoming ones for each audience, and past ones with
// attendance and volunteer hours for 陈阿姨 (a registered volunteer whose
// home village is 叠滘村).
Status SeedEvents(App& app, db::Tx& tx, const std::vector<int64_t>& org_ids, const std::vector<int64_t>& village_ids,
                  const std::map<std::string, int64_t>& users, const std::function<void(const std::string&)>& progress) {
  if (!tx.Query("SELECT 1 FROM events WHERE title = '长者智能手机课堂'").empty()) {
    return {};
  }
  progress("events at 关爱桂城企业创享家, volunteers");
  auto& events = app.events();
  const int64_t now = app.clock().NowMs();
  const int64_t staff = users.at("13800000002");
  const int64_t resident = users.at("13800000001");
  const auto venue = tx.Query("SELECT id FROM venues WHERE name = '关爱桂城企业创享家'").front().Int(0);
  CC_TRY(app.accounts().SetHomeVillageTx(tx, resident, village_ids[0]));
  CC_TRY(events.RegisterVolunteerTx(tx, resident, "陈美华", now - 120 * kDayMs));

  const auto make = [&](const char* title, const char* type, const char* description, int64_t starts, int64_t hours,
                        int64_t capacity, const char* audience) {
    events::NewEvent e;
    e.org_id = org_ids[0];
    e.title = title;
    e.type = type;
    e.description = description;
    e.venue_id = venue;
    e.starts_at_ms = starts;
    e.ends_at_ms = starts + hours * kHourMs;
    e.signup_opens_at_ms = std::min(now, starts) - 14 * kDayMs;
    e.signup_closes_at_ms = starts - kHourMs;
    e.capacity = capacity;
    e.audience = audience;
    return e;
  };

  events::NewEvent phone = make("长者智能手机课堂", "elderly",
                                "手把手教长者使用智能手机：视频通话、健康码、网上挂号与防范电信诈骗。请携带自己的手机。",
                                now + 2 * kHourMs, 2, 30, "everyone");
  phone.per_person_limit = 2;
  phone.questions = {{"q1", "是否需要工作人员协助?", "choice", {"需要", "不需要"}, true}};
  CC_TRY(events.CreateTx(tx, staff, phone, now));

  events::NewEvent clean = make("关爱桂城义工日·社区清洁", "volunteer",
                                "与社区义工一起清洁桂城街道公共空间，完成后记录志愿服务时长。", OnChinaDay(now, 3, 9, 0), 3, 20,
                                "volunteers");
  clean.records_hours = true;
  CC_TRY(events.CreateTx(tx, staff, clean, now));

  events::NewEvent reading = make("亲子阅读会", "family", "绘本共读与手工，适合 4–10 岁儿童及家长。",
                                  OnChinaDay(now, 5, 15, 0), 2, 24, "everyone");
  reading.per_person_limit = 3;
  reading.confirm_within_hours = 12;
  reading.questions = {{"q1", "孩子年龄", "text", {}, false}};
  CC_TRY(events.CreateTx(tx, staff, reading, now));

  events::NewEvent banquet = make("叠滘村重阳敬老宴", "elderly", "叠滘村 70 岁以上长者重阳节敬老宴，可携一位家属。",
                                  OnChinaDay(now, 10, 11, 30), 3, 120, "villages");
  banquet.village_ids = {village_ids[0]};
  banquet.per_person_limit = 2;
  CC_TRY(events.CreateTx(tx, staff, banquet, now));

  // Past activities: sign-ups and check-ins as they happened.
  struct Past {
    const char* title;
    const char* type;
    int64_t days_ago;
    bool hours;
  };
  for (const Past& past : {Past{"中秋游园会", "culture", 30, false}, Past{"桂城义工日·长者探访", "volunteer", 20, true},
                           Past{"桂城义工日·环保宣传", "volunteer", 50, true}}) {
    events::NewEvent e = make(past.title, past.type, "往期活动。", OnChinaDay(now, -past.days_ago, 14, 30), 3, 40,
                              past.hours ? "volunteers" : "everyone");
    e.records_hours = past.hours;
    e.per_person_limit = 2;
    e.volunteer_minutes = past.hours ? std::optional<int64_t>(180) : std::nullopt;
    CC_ASSIGN_OR_RETURN(events::Event created, events.CreateTx(tx, staff, e, e.signup_opens_at_ms));
    const int64_t signup_at = e.starts_at_ms - 2 * kDayMs;
    CC_ASSIGN_OR_RETURN(events::Registration reg,
                        events.RegisterTx(tx, resident, created.id, 1, {}, signup_at));
    CC_TRY(events.CheckInTx(tx, staff, created.id, {reg.ticket_code, std::nullopt, std::nullopt},
                            e.starts_at_ms + 10 * 60 * 1000));
    if (!past.hours) {
      for (const char* phone_no : {"13800000003", "13800000005", "13800000006"}) {
        CC_ASSIGN_OR_RETURN(events::Registration other,
                            events.RegisterTx(tx, users.at(phone_no), created.id, 2, {}, signup_at));
        if (std::string(phone_no) != "13800000006") {  // one no-show
          CC_TRY(events.CheckInTx(tx, staff, created.id, {other.ticket_code, std::nullopt, std::nullopt},
                                  e.starts_at_ms + 15 * 60 * 1000));
        }
      }
    }
  }
  return {};
}

// The services 博睿社工 and 启创 offer, and one application left unanswered
// past its deadline (it shows on the admins' escalation list).
Status SeedCasework(App& app, db::Tx& tx, const std::vector<int64_t>& org_ids, const std::map<std::string, int64_t>& users,
                    const std::function<void(const std::string&)>& progress) {
  if (!tx.Query("SELECT 1 FROM casework_services WHERE name = '长者探访'").empty()) {
    return {};
  }
  progress("service catalogue (长者探访, 心理辅导, 家庭综合服务, 青少年课业辅导)");
  auto& casework = app.casework();
  const int64_t now = app.clock().NowMs();
  const int64_t staff = users.at("13800000002");
  struct Offer {
    size_t org;
    const char* name;
    const char* description;
    const char* eligibility;
    int64_t days;
  };
  const Offer offers[] = {
      {0, "长者探访", "社工定期上门探访独居、空巢长者，了解生活与健康需要，链接社区资源。", "桂城街道 60 岁以上独居或空巢长者", 3},
      {0, "心理辅导", "由持证社工或心理咨询师提供一对一情绪疏导与心理支持。", "有情绪困扰的居民及家属", 5},
      {0, "家庭综合服务", "家庭关系调适、困境家庭支援、个案管理与转介。", "桂城街道常住家庭", 5},
      {0, "青少年课业辅导", "为困境家庭的中小学生提供课后学业辅导与成长小组。", "6–15 岁困境家庭学生", 7},
      {1, "长者日间照料", "日间照料中心提供膳食、康乐活动与健康监测。", "能自理或半自理长者", 5},
  };
  int64_t family_service = 0;
  for (const Offer& o : offers) {
    casework::NewService in{org_ids[o.org], o.name, o.description, o.eligibility, {}, o.days};
    CC_ASSIGN_OR_RETURN(casework::Service s, casework.CreateServiceTx(tx, staff, in, now - 200 * kDayMs));
    if (std::string(o.name) == "家庭综合服务") {
      family_service = s.id;
    }
  }
  accounts::Principal applicant;
  applicant.user_id = users.at("13800000003");
  casework::NewApplication late;
  late.service_id = family_service;
  late.for_whom = "family";
  late.beneficiary_name = "梁伯";
  late.relationship = "父亲";
  late.description = "父亲独居，近期行动不便，希望社工上门评估并链接居家照护资源。";
  late.preferred_times = "工作日下午";
  late.contact_phone = "13800000003";
  CC_TRY(casework.ApplyTx(tx, applicant, late, now - 8 * kDayMs));
  return {};
}

// 公益商城: listings of 博睿社工 and the others, approved by the fund's
// admin, so the shop has something to sell.
Status SeedShop(App& app, db::Tx& tx, const std::vector<int64_t>& org_ids, const std::map<std::string, int64_t>& users,
                const std::function<void(const std::string&)>& progress) {
  if (!tx.Query("SELECT 1 FROM shop_products LIMIT 1").empty()) {
    return {};
  }
  progress("公益商城 products (手工义卖品, 公益纪念品, 书刊)");
  auto& shop = app.shop();
  const int64_t now = app.clock().NowMs();
  const int64_t staff = users.at("13800000002");
  const int64_t admin = users.at("13800000004");
  struct Item {
    size_t org;
    const char* title;
    const char* description;
    const char* category;
    Fen price_fen;
    int64_t stock;
    const char* donation_kind;
    int64_t donation_value;
  };
  const Item items[] = {
      {0, "长者手工香囊", "叠滘村长者手工缝制，内装艾草与薰衣草。**全部售款**捐入公益商城义卖。", "handmade", 3800, 40, "all", 0},
      {0, "博睿社工十周年纪念帆布袋", "环保帆布袋，印有关爱桂城标志。", "souvenir", 4500, 120, "fixed", 2000},
      {0, "《桂城社区故事》", "社工与居民共同撰写的社区故事集，图文并茂。", "books", 5800, 60, "percent", 30},
      {1, "青少年手绘明信片（一套 8 张）", "成长营青少年手绘的桂城风景。", "handmade", 2000, 200, "percent", 50},
      {2, "义工联公益徽章", "桂城街道义工联合会纪念徽章。", "souvenir", 1500, 300, "fixed", 1000},
      {3, "长者编织杯垫（两只装）", "长者关爱服务社编织小组作品。", "handmade", 2600, 8, "all", 0},
  };
  for (const Item& it : items) {
    shop::ProductInput in{org_ids[it.org], it.title, it.description, it.category, it.price_fen, it.stock,
                          shop::Donation{it.donation_kind, it.donation_value}};
    // The demo's staff account belongs to 博睿社工; the others' listings are
    // seeded under its name too (the seeder acts for every organisation).
    CC_ASSIGN_OR_RETURN(shop::Product p, shop.CreateProductTx(tx, staff, in, now - 30 * kDayMs));
    CC_TRY(shop.ReviewTx(tx, admin, p.id, true, std::nullopt, now - 29 * kDayMs));
  }
  return {};
}

// 公益拍卖: calligraphy and paintings donated by residents and local groups,
// created by one fund admin and approved by the other (maker–checker), with
// times relative to now: three live (ending in 3, 5 and 7 days) and one
// starting in 2 days. No bids: bidding is for the visitor to try.
Status SeedAuction(App& app, db::Tx& tx, const std::map<std::string, int64_t>& users,
                   const std::function<void(const std::string&)>& progress) {
  if (!tx.Query("SELECT 1 FROM auction_lots LIMIT 1").empty()) {
    return {};
  }
  progress("公益拍卖 lots (书法, 国画)");
  auto& auction = app.auction();
  const int64_t now = app.clock().NowMs();
  const int64_t maker = users.at("13800000004");
  const int64_t checker = users.at("13800000008");
  struct DemoLot {
    const char* title;
    const char* description;
    const char* donor;
    std::optional<Fen> market_value_fen;
    int64_t starts_in_ms;
    int64_t ends_in_ms;
    Fen start_price_fen;
  };
  const DemoLot lots[] = {
      {"国画《千灯湖春晓》（四尺斗方）",
       "桂城书画协会会员集体创作的**写意山水**，描绘春日清晨的千灯湖与南海大道。\n\n"
       "- 尺寸：68 × 68 cm，已托裱\n- 钤印：桂城书画协会\n\n"
       "成交款全部进入关爱基金，用于社区长者服务。",
       "桂城书画协会", Fen{80000}, -2 * kDayMs, 3 * kDayMs, 20000},
      {"书法《关爱桂城》（行书中堂）",
       "叠滘村退休教师**梁锦泉**先生八十岁所书行书中堂，笔力苍劲。\n\n"
       "> 关爱桂城，邻里同心。\n\n尺寸 138 × 69 cm，附作者签名证书。",
       "梁锦泉", Fen{120000}, -1 * kDayMs, 7 * kDayMs, 30000},
      {"岭南花鸟小品《木棉》",
       "平东村书画爱好者**陈秀英**女士的工笔花鸟，以桂城街头的木棉花入画。\n\n"
       "尺寸 45 × 34 cm，未装裱，可由中标人自选装裱方式。",
       "陈秀英", std::nullopt, 2 * kDayMs, 9 * kDayMs, 8000},
      {"硬笔书法长卷《千字文》",
       "夏北社区青少年书法班 24 名学员接力书写的《千字文》长卷，记录孩子们一个暑假的练习。\n\n"
       "全长 5 米，卷首有指导老师题跋。",
       "夏北社区青少年书法班", std::nullopt, -3 * kDayMs, 5 * kDayMs, 5000},
  };
  for (const DemoLot& d : lots) {
    auction::NewLot in;
    in.title = d.title;
    in.description = d.description;
    in.donor_name = d.donor;
    in.market_value_fen = d.market_value_fen;
    in.starts_at_ms = now + d.starts_in_ms;
    in.ends_at_ms = now + d.ends_in_ms;
    in.start_price_fen = d.start_price_fen;
    CC_ASSIGN_OR_RETURN(auction::Lot lot, auction.CreateLotTx(tx, maker, in, "seed", now));
    CC_TRY(auction.ApproveLotTx(tx, checker, lot.id, "seed", now));
  }
  return {};
}

}  // namespace

int64_t OnChinaDay(int64_t now_ms, int64_t days, int hour, int minute) {
  const int64_t china = 8 * kHourMs;
  const int64_t midnight = (now_ms + china) / kDayMs * kDayMs - china;
  return midnight + days * kDayMs + hour * kHourMs + minute * kMinuteMs;
}

const std::vector<DemoLogin>& DemoLogins() {
  static const std::vector<DemoLogin> kLogins = {
      {"居民 resident", "13800000001", kDemoPassword},
      {"社工机构 org_staff（博睿社工）", "13800000002", kDemoPassword},
      {"村居工作人员 village_staff（叠滘村）", "13800000003", kDemoPassword},
      {"基金管理员 fund_admin", "13800000004", kDemoPassword},
      {"基金管理员（复核）fund_admin", "13800000008", kDemoPassword},
      {"评审 reviewer（专家）", "13800000005", kDemoPassword},
      {"市民评审代表 reviewer（叠滘村）", "13800000009", kDemoPassword},
      {"培训 trainer", "13800000006", kDemoPassword},
      {"平台管理员 platform_admin", "13800000007", kDemoPassword},
  };
  return kLogins;
}

Status SeedDemo(App& app, const std::function<void(const std::string&)>& progress) {
  auto& accounts = app.accounts();
  progress("hashing the demo password (argon2id)…");
  const std::string hash = accounts.HashPasswordNow(kDemoPassword);
  if (hash.empty()) {
    return Error::Internal("password hashing failed");
  }
  const Status seeded = db::WriteSync(app.store(), [&](db::Tx& tx) -> Status {
    const int64_t now = app.clock().NowMs();
    tx.Exec(
        "INSERT INTO platform_settings (key, value) VALUES ('subdistrict', '桂城街道'), ('programme', '关爱桂城') "
        "ON CONFLICT (key) DO NOTHING");

    progress("organisations");
    std::vector<int64_t> org_ids;
    for (const DemoOrg& o : kOrgs) {
      auto existing = tx.Query("SELECT id FROM orgs WHERE credit_code = $1", {o.credit_code});
      if (!existing.empty()) {
        org_ids.push_back(existing.front().Int(0));
        continue;
      }
      auto org = accounts.CreateOrgTx(tx, std::nullopt, {o.name, o.credit_code, std::string(o.rating)}, "seed");
      if (!org.ok()) {
        return std::move(org).error();
      }
      org_ids.push_back(org->id);
    }

    progress("villages and communities of 桂城街道");
    std::vector<int64_t> village_ids;
    for (const DemoVillage& v : kVillages) {
      if (const auto existing = accounts::repo::FindVillageIdByName(tx, v.name)) {
        village_ids.push_back(*existing);
        continue;
      }
      auto village = accounts.CreateVillageTx(tx, std::nullopt, {v.name, v.kind, v.rural, v.collective}, "seed");
      if (!village.ok()) {
        return std::move(village).error();
      }
      village_ids.push_back(village->id);
    }

    progress("venue 关爱桂城企业创享家");
    tx.Exec(
        "INSERT INTO venues (name, address, map_url, org_id, created_at_ms) VALUES ($1, $2, $3, NULL, $4) "
        "ON CONFLICT (name) DO NOTHING",
        {"关爱桂城企业创享家", "广东省佛山市南海区桂城街道南海大道北（关爱桂城企业创享家活动中心）",
         "https://uri.amap.com/search?keyword=%E5%85%B3%E7%88%B1%E6%A1%82%E5%9F%8E%E4%BC%81%E4%B8%9A%E5%88%9B%E4%BA%AB%E5%AE%B6",
         now});

    progress("demo accounts, one per role");
    using accounts::Role;
    using accounts::RoleGrant;
    struct Person {
      const char* phone;
      const char* name;
      std::vector<RoleGrant> roles;
    };
    const std::vector<Person> people = {
        {"13800000001", "陈阿姨", {}},
        {"13800000002", "博睿社工·李社工", {RoleGrant{Role::kOrgStaff, org_ids[0]}}},
        {"13800000003", "叠滘村·梁书记", {RoleGrant{Role::kVillageStaff, std::nullopt, std::nullopt, village_ids[0]}}},
        {"13800000004", "街道基金办·黄主任", {RoleGrant{Role::kFundAdmin}}},
        {"13800000008", "街道基金办·何会计", {RoleGrant{Role::kFundAdmin}}},
        {"13800000005", "评审专家·周老师", {RoleGrant{Role::kReviewer}}},
        {"13800000006", "党员社工培训·吴老师", {RoleGrant{Role::kTrainer}}},
        {"13800000007", "平台管理员", {RoleGrant{Role::kPlatformAdmin}}},
    };
    std::map<std::string, int64_t> users;
    for (const Person& p : people) {
      auto r = accounts.EnsureUserTx(tx, accounts::Login{accounts::Login::Kind::kPhone, p.phone}, p.name, hash,
                                     p.roles, "");
      if (!r.ok()) {
        return std::move(r).error();
      }
      users[p.phone] = *r;
    }
    CC_TRY(SeedFundHistory(app, tx, org_ids, progress));
    CC_TRY(SeedEvents(app, tx, org_ids, village_ids, users, progress));
    CC_TRY(SeedCasework(app, tx, org_ids, users, progress));
    CC_TRY(SeedShop(app, tx, org_ids, users, progress));
    CC_TRY(SeedAuction(app, tx, users, progress));
    CC_TRY(SeedGrantsTx(app, tx, {org_ids, village_ids, users, hash, std::nullopt, progress}));
    // market (issue 12)
    std::map<std::string, int64_t> villages_by_name;
    for (size_t i = 0; i < std::size(kVillages); ++i) {
      villages_by_name[kVillages[i].name] = village_ids[i];
    }
    CC_TRY(SeedMarketTx(app, tx, {org_ids, villages_by_name, users, hash, progress}));
    // training (issue 13): classes run by 启创社工 for the subdistrict.
    CC_TRY(SeedTrainingTx(app, tx, villages_by_name, users, org_ids[1], hash, progress));
    // 党员接待室 (issue 13): duty rosters from the training register.
    CC_TRY(SeedReceptionTx(app, tx, villages_by_name, progress));
    // 人才库 (issue 13): certified members; 博睿社工 staffs a catalogue project.
    return SeedTalentTx(app, tx, villages_by_name, org_ids[0], progress);
  });
  CC_TRY(seeded);
  CC_TRY(SeedGrantsPanels(app, progress));
  CC_TRY(SeedGrantsProjects(app, progress));
  CC_TRY(SeedVillageBooks(app, progress));
  CC_TRY(SeedMarketContracts(app, hash, progress));
  // 社区论坛 (issue 14): after everyone it quotes exists.
  CC_TRY(SeedForum(app, progress));
  // 公益宣传 (issue 14): after everything its articles are about.
  return SeedNews(app, hash, progress);
}

}  // namespace carecity::app
