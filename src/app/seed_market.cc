// The demo's 社工服务进村(居) market (docs/design-market.md): the catalogue
// the organisations brought to the 2012 supply–demand meeting at 关爱桂城企业
// 创享家 (about 40 projects across the six types, ¥8,000 to ¥120,000, a few
// still pending approval), the needs of 叠滘村, 平东村, 三山村 (rural) and
// 夏北社区, 东二社区 (urban), and 叠滘村's needs survey with about 30
// residents' answers. Everything goes through MarketService.
#include "app/seed_market.h"

#include <fmt/format.h>

#include "core/crypto.h"
#include "domains/accounts/repo.h"
#include "db/await.h"
#include "domains/market/contracts_service.h"
#include "domains/market/meetings_service.h"
#include "domains/market/service.h"

namespace carecity::app {
namespace {

constexpr int64_t kDay = 24 * kHourMs;

struct DemoListing {
  const char* title;
  const char* type;
  const char* target;
  int64_t min_yuan;
  int64_t max_yuan;  // = min_yuan: a fixed price
  int64_t days;
  int64_t sessions;
  int64_t beneficiaries;
  const char* indicator;
};

const DemoListing kListings[] = {
    {"独居长者“平安铃”探访", "长者服务", "独居长者", 60000, 80000, 365, 48, 120, "每周探访 1 次，紧急呼叫 15 分钟内响应"},
    {"长者防跌倒居家适老化改造", "长者服务", "高龄长者", 45000, 45000, 180, 20, 40, "完成 40 户居家安全评估与改造"},
    {"认知障碍长者早筛与家庭支援", "长者服务", "认知障碍长者家庭", 70000, 100000, 270, 30, 200, "筛查 200 名长者，支援 30 个家庭"},
    {"银龄互助时间银行", "长者服务", "低龄长者", 30000, 30000, 180, 24, 80, "结对 40 对长者互助"},
    {"长者饭堂助餐与送餐", "长者服务", "高龄长者", 80000, 120000, 365, 250, 60, "每日送餐 60 份"},
    {"长者数字生活课堂", "长者服务", "长者", 8000, 8000, 60, 8, 40, "8 节课，学会手机挂号与防诈骗"},
    {"长者健康自我管理小组", "长者服务", "慢性病长者", 20000, 25000, 120, 12, 30, "血压达标率提升 20%"},
    {"四点半课堂", "青少年", "双职工家庭子女", 50000, 70000, 240, 160, 60, "每周 4 天课后托管"},
    {"青少年心理健康同行者", "青少年", "青少年", 40000, 40000, 180, 12, 300, "12 场讲座，跟进 20 个个案"},
    {"暑期社区成长营", "青少年", "青少年", 25000, 35000, 45, 30, 80, "6 周夏令营，出勤率 85%"},
    {"困境青少年学业帮扶", "青少年", "困境青少年", 60000, 60000, 300, 80, 30, "一对一帮扶 30 名青少年"},
    {"青少年志愿者领袖培养", "青少年", "青少年", 15000, 15000, 90, 10, 40, "培养 40 名志愿者骨干"},
    {"亲子阅读推广", "青少年", "学龄儿童家庭", 10000, 12000, 90, 12, 50, "12 次亲子共读"},
    {"防溺水安全教育进村", "青少年", "儿童", 8000, 8000, 30, 6, 300, "6 场宣讲，覆盖 300 名儿童"},
    {"残障人士就业支持", "残障支持", "残障人士", 80000, 100000, 300, 40, 30, "10 人实现就业"},
    {"心智障碍儿童家长喘息服务", "残障支持", "心智障碍儿童家庭", 50000, 50000, 240, 24, 30, "每月两次喘息服务"},
    {"无障碍出行评估与倡导", "残障支持", "残障人士", 20000, 30000, 90, 6, 100, "完成 6 处无障碍设施评估"},
    {"残障人士康乐小组", "残障支持", "残障人士", 18000, 18000, 120, 16, 40, "每周一次康乐活动"},
    {"听障长者手语陪伴", "残障支持", "听障长者", 22000, 22000, 150, 20, 20, "培训 15 名手语志愿者"},
    {"居家康复上门指导", "残障支持", "居家残障人士", 40000, 55000, 180, 60, 25, "上门康复指导 60 次"},
    {"家庭关系调适工作坊", "家庭综合", "家庭", 30000, 40000, 180, 16, 80, "16 次工作坊"},
    {"困境家庭综合帮扶", "家庭综合", "困境家庭", 90000, 120000, 365, 100, 40, "个案管理 40 个家庭"},
    {"单亲家庭互助网络", "家庭综合", "单亲家庭", 25000, 25000, 180, 18, 30, "建立 3 个互助小组"},
    {"家庭教育讲堂", "家庭综合", "学龄儿童家庭", 12000, 15000, 120, 10, 400, "10 场讲座，400 人次"},
    {"家庭暴力预防与支持", "家庭综合", "家庭", 45000, 60000, 240, 20, 25, "跟进个案 25 宗"},
    {"婚姻家庭调解服务", "家庭综合", "家庭", 35000, 35000, 180, 30, 50, "调解成功率 70%"},
    {"社区花园共建", "社区营造", "全体居民", 30000, 45000, 180, 20, 200, "共建 1 个社区花园"},
    {"邻里议事厅", "社区营造", "全体居民", 20000, 20000, 240, 12, 150, "推动 6 项微改造"},
    {"村史馆与乡愁记忆", "社区营造", "全体村民", 60000, 80000, 270, 20, 500, "收集 100 件老物件与口述史"},
    {"社区骨干培育", "社区营造", "居民骨干", 25000, 30000, 180, 15, 30, "培育 2 支自治队伍"},
    {"垃圾分类宣导与督导", "社区营造", "全体居民", 15000, 15000, 90, 20, 800, "分类准确率提升 30%"},
    {"村居文化节策划", "社区营造", "全体村民", 40000, 40000, 60, 5, 1000, "举办 1 次文化节"},
    {"新市民融入伙伴计划", "外来务工融入", "外来务工人员", 40000, 50000, 240, 24, 120, "结对 60 户本地与新市民家庭"},
    {"随迁子女课后成长营", "外来务工融入", "随迁子女", 50000, 50000, 240, 120, 50, "每周 4 天课后服务"},
    {"外来务工人员法律援助讲堂", "外来务工融入", "外来务工人员", 10000, 10000, 60, 6, 200, "6 场讲座与咨询"},
    {"工业园区职工减压小组", "外来务工融入", "外来务工人员", 18000, 22000, 90, 10, 60, "10 次减压小组"},
    {"新市民技能提升夜校", "外来务工融入", "外来务工人员", 30000, 30000, 150, 30, 80, "60 人取得技能证书"},
    {"流动儿童暑期托管", "外来务工融入", "随迁子女", 28000, 35000, 45, 30, 60, "6 周暑期托管"},
    {"长者智慧养老体验", "长者服务", "长者", 35000, 35000, 90, 10, 100, "待审核"},
    {"青少年网络素养课", "青少年", "青少年", 9000, 9000, 30, 6, 120, "待审核"},
    {"残障家庭照护者支持", "残障支持", "残障人士家庭", 30000, 40000, 180, 12, 30, "待审核"},
    {"社区共享工具屋", "社区营造", "全体居民", 16000, 16000, 120, 8, 200, "待审核"},
};
constexpr size_t kPending = 4;  // the last ones wait for approval

struct DemoNeed {
  const char* village;
  const char* title;
  const char* type;
  const char* target;
  int64_t beneficiaries;
  int64_t min_yuan;
  int64_t max_yuan;
  const char* source;
  const char* story;
};

const DemoNeed kNeeds[] = {
    {"叠滘村", "独居长者的日常探访与紧急呼叫", "长者服务", "独居长者", 80, 50000, 90000, "survey",
     "村里 80 多位独居长者，子女多在外工作，去年有两位长者在家跌倒后很久才被发现。"},
    {"叠滘村", "龙舟文化与村史记忆", "社区营造", "全体村民", 500, 40000, 80000, "reception",
     "党员接待室多次收到老党员建议，把龙舟文化和村史整理下来留给后人。"},
    {"叠滘村", "双职工家庭孩子的课后托管", "青少年", "双职工家庭子女", 60, 40000, 70000, "survey",
     "放学后到家长下班前，孩子们常在河边玩耍，家长担心安全。"},
    {"平东村", "高龄长者助餐", "长者服务", "高龄长者", 60, 80000, 120000, "visits",
     "入户走访发现不少高龄长者独自做饭困难。"},
    {"平东村", "防溺水安全教育", "青少年", "儿童", 300, 8000, 15000, "other", "村内河涌多，每年暑期前需要开展防溺水教育。"},
    {"三山村", "残障人士居家康复", "残障支持", "居家残障人士", 25, 30000, 60000, "visits",
     "村里 25 位残障人士出行不便，希望有康复师上门指导。"},
    {"三山村", "新市民子女融入", "外来务工融入", "随迁子女", 50, 30000, 50000, "reception",
     "工业园区务工人员的孩子在村里上学，与本地孩子交往少。"},
    {"夏北社区", "家庭关系与亲子沟通", "家庭综合", "家庭", 80, 20000, 40000, "visits",
     "社区网格员走访中发现亲子冲突、夫妻矛盾求助增多。"},
    {"夏北社区", "社区花园与邻里议事", "社区营造", "全体居民", 200, 20000, 45000, "other",
     "小区闲置绿地常被堆放杂物，居民希望共同改造。"},
    {"东二社区", "外来务工人员减压与法律咨询", "外来务工融入", "外来务工人员", 120, 10000, 30000, "reception",
     "社区内务工人员多，劳动纠纷咨询和心理压力问题突出。"},
    {"东二社区", "长者数字生活", "长者服务", "长者", 40, 5000, 10000, "other", "长者不会用手机挂号、缴费，常被诈骗电话困扰。"},
};

const std::vector<std::string> kSurveyOptions = {"长者探访", "长者助餐", "儿童课后托管", "家庭教育", "村史文化", "残障康复"};

}  // namespace

Status SeedMarketTx(App& app, db::Tx& tx, const SeedMarketInput& in) {
  if (!tx.Query("SELECT 1 FROM market_projects LIMIT 1").empty()) {
    return {};
  }
  market::MarketService& market = app.market();
  const int64_t now = app.clock().NowMs();
  using accounts::Role;
  using accounts::RoleGrant;

  in.progress("market: the service catalogue (服务项目库)");
  // One staff account per organisation writes its listings (the first
  // organisation's is the demo's 博睿社工·李社工).
  std::vector<int64_t> staff;
  for (size_t i = 0; i < in.org_ids.size(); ++i) {
    if (i == 0) {
      staff.push_back(in.users.at("13800000002"));
      continue;
    }
    const std::string phone = fmt::format("138000121{:02}", i);
    CC_ASSIGN_OR_RETURN(const int64_t id,
                        app.accounts().EnsureUserTx(tx, {accounts::Login::Kind::kPhone, phone},
                                                    fmt::format("机构社工{}", i), in.password_hash,
                                                    {RoleGrant{Role::kOrgStaff, in.org_ids[i]}}, ""));
    staff.push_back(id);
  }
  const int64_t admin = in.users.at("13800000004");
  const size_t n = std::size(kListings);
  for (size_t i = 0; i < n; ++i) {
    const DemoListing& l = kListings[i];
    const size_t org = i % in.org_ids.size();
    market::ProjectDraft d;
    d.title = l.title;
    d.project_type = l.type;
    d.target_group = l.target;
    d.price_kind = l.min_yuan == l.max_yuan ? "fixed" : "range";
    d.price_min_fen = l.min_yuan * kFenPerYuan;
    d.price_max_fen = l.max_yuan * kFenPerYuan;
    d.duration_days = l.days;
    d.sessions = l.sessions;
    d.service_hours = l.sessions * 2;
    d.beneficiaries = l.beneficiaries;
    d.description = fmt::format("## 服务内容\n\n面向**{}**，共 {} 场次。\n\n## 预期成效\n\n- {}\n", l.target, l.sessions,
                                l.indicator);
    d.indicators = {l.indicator, "服务对象满意度不低于 90%"};
    d.team = {{"项目主管", "项目主管", "中级社工师", i % 3 == 0}, {"一线社工", "社工", "助理社工师", false}};
    const int64_t at = now - static_cast<int64_t>(n - i) * kDay;
    CC_ASSIGN_OR_RETURN(const int64_t id, market.CreateProjectTx(tx, staff[org], in.org_ids[org], d, "seed", at));
    if (i < n - kPending) {
      CC_TRY(market.ReviewProjectTx(tx, admin, id, true, "", "seed", at + kHourMs));
    }
  }

  in.progress("market: villages' needs (需求) and 叠滘村's needs survey");
  const int64_t village_staff = in.users.at("13800000003");
  const int64_t dj = in.village_ids.at("叠滘村");
  market::SurveyRound round;
  round.village_id = dj;
  round.title = "叠滘村2012年村民服务需求调查";
  round.options = kSurveyOptions;
  round.opens_at_ms = now - 30 * kDay;
  round.closes_at_ms = now + 15 * kDay;
  round.created_at_ms = now - 30 * kDay;
  CC_ASSIGN_OR_RETURN(const int64_t round_id, market.OpenRoundTx(tx, village_staff, round, "seed"));
  const auto public_round = tx.Query("SELECT public_id FROM market_survey_rounds WHERE id = $1", {round_id});

  // ~30 residents of 叠滘村 answer (a deterministic spread of picks and ages).
  constexpr int kResidents = 30;
  for (int i = 0; i < kResidents; ++i) {
    const std::string phone = fmt::format("138000122{:02}", i);
    CC_ASSIGN_OR_RETURN(const int64_t user,
                        app.accounts().EnsureUserTx(tx, {accounts::Login::Kind::kPhone, phone},
                                                    fmt::format("叠滘村民{}", i + 1), in.password_hash, {}, ""));
    CC_TRY(app.accounts().SetHomeVillageTx(tx, user, dj));
    market::SurveyAnswer a;
    a.picks.push_back(kSurveyOptions[static_cast<size_t>(i) % 3]);  // 探访, 助餐, 托管 lead
    if (i % 4 == 0) {
      a.picks.push_back(kSurveyOptions[4]);
    }
    if (i % 7 == 0) {
      a.picks.push_back(kSurveyOptions[5]);
    }
    if (i % 9 == 0) {
      a.other = "希望开设龙舟文化兴趣班";
    }
    constexpr std::string_view kBands[] = {"60to79", "80plus", "18to59", "60to79", "under18", "18to59"};
    a.age_band = std::string(kBands[static_cast<size_t>(i) % std::size(kBands)]);
    CC_TRY(market.AnswerTx(tx, user, round_id, a, now - static_cast<int64_t>(kResidents - i) * kHourMs));
  }

  const std::map<std::string, int64_t> staff_of = {{"叠滘村", village_staff}};
  for (const DemoNeed& x : kNeeds) {
    market::NeedDraft d;
    d.village_id = in.village_ids.at(x.village);
    d.title = x.title;
    d.project_type = x.type;
    d.target_group = x.target;
    d.beneficiaries = x.beneficiaries;
    d.story = x.story;
    d.budget_min_fen = x.min_yuan * kFenPerYuan;
    d.budget_max_fen = x.max_yuan * kFenPerYuan;
    d.period_from_ms = now + 30 * kDay;
    d.period_to_ms = now + 395 * kDay;
    d.source = x.source;
    if (d.source == std::string("survey") && d.village_id == dj) {
      d.survey_round_public_id = public_round.front().Text(0);
    } else if (d.source == std::string("survey")) {
      d.source = "visits";
    }
    // Other villages' needs are entered by the platform for the demo (no
    // staff accounts of theirs exist).
    const auto who = staff_of.find(x.village);
    const int64_t actor = who != staff_of.end() ? who->second : in.users.at("13800000007");
    CC_TRY(market.CreateNeedTx(tx, actor, d, "seed", now - 10 * kDay));
  }
  return {};
}

}  // namespace carecity::app

namespace carecity::app {
namespace {

struct DemoPurchase {
  const char* village;
  const char* staff_phone;  // the village's staff account (叠滘村's is the demo's 梁书记)
  const char* staff_name;
  const char* project;      // a catalogue title
  const char* need;         // the village's need it answers, or nullptr
  std::vector<market::MilestonePlan> plans;  // due dates as days from the seed's now
  const char* voucher_prefix;
};

// `days` from now, for a schedule.
market::MilestonePlan Step(const char* title, int64_t due_days, int64_t yuan, const char* deliverables) {
  return {title, due_days, yuan * kFenPerYuan, deliverables};
}

// The 2012 供需见面会 at 关爱桂城企业创享家, two days before the villages'
// quote requests: every organisation invited with every approved listing on
// the booth list (spread over the day's six hours), the five villages and
// communities invited, and shortlists beyond what was bought (叠滘村's
// 村史馆 and 四点半课堂 still waiting for its one-tap quote requests, 夏北社区's
// intention that an urban community cannot turn into a purchase).
Result<int64_t> SeedMeetingTx(App& app, db::Tx& tx, int64_t now) {
  const int64_t admin = tx.Query("SELECT id FROM users WHERE phone = '13800000004'").front().Int(0);
  const int64_t start = now - 52 * kDay;
  market::MeetingDraft d;
  d.title = "2012年关爱桂城社会服务供需见面会";
  d.description = "村(居)与社工机构面对面：机构展示可购买的服务项目，村居现场用手机把中意的项目加入意向清单，会后一键发出报价请求。";
  d.host_org_id = tx.Query("SELECT MIN(id) FROM orgs").front().Int(0);
  d.venue_id = tx.Query("SELECT id FROM venues WHERE name = '关爱桂城企业创享家'").front().Int(0);
  d.starts_at_ms = start;
  d.ends_at_ms = start + 6 * kHourMs;
  d.capacity = 120;
  d.seats_per_village = 3;
  d.seats_per_org = 2;
  for (const char* v : {"叠滘村", "平东村", "三山村", "夏北社区", "东二社区"}) {
    d.village_ids.push_back(*accounts::repo::FindVillageIdByName(tx, v));
  }
  const auto orgs = tx.Query("SELECT DISTINCT org_id FROM market_projects WHERE status = 'approved' ORDER BY org_id");
  for (size_t i = 0; i < orgs.size(); ++i) {
    d.org_ids.push_back(orgs[i].Int(0));
  }
  market::MeetingsService& meetings = app.meetings();
  CC_ASSIGN_OR_RETURN(const int64_t meeting, meetings.CreateTx(tx, admin, d, "seed", start - 14 * kDay));
  const auto listings = tx.Query("SELECT id FROM market_projects WHERE status = 'approved' ORDER BY id");
  for (size_t i = 0; i < listings.size(); ++i) {
    const size_t hour = i * 6 / listings.size();  // spread over the six hours
    const int64_t slot = start + static_cast<int64_t>(hour) * kHourMs;
    CC_TRY(meetings.AddBoothTx(tx, admin, meeting, listings[i].Int(0), slot, slot + kHourMs,
                               fmt::format("{}{}", static_cast<char>('A' + hour), i + 1), "seed", start - 3 * kDay));
  }
  const std::pair<const char*, const char*> kExtra[] = {
      {"叠滘村", "村史馆与乡愁记忆"}, {"叠滘村", "四点半课堂"}, {"平东村", "长者饭堂助餐与送餐"}, {"夏北社区", "家庭关系调适工作坊"}};
  for (const auto& [village, title] : kExtra) {
    const int64_t v = *accounts::repo::FindVillageIdByName(tx, village);
    const int64_t project = tx.Query("SELECT id FROM market_projects WHERE title = $1", {title}).front().Int(0);
    CC_TRY(meetings.ShortlistTx(tx, admin, meeting, v, project, start + 2 * kHourMs));
  }
  return meeting;
}

}  // namespace

Status SeedMarketContracts(App& app, const std::string& password_hash,
                           const std::function<void(const std::string&)>& progress) {
  progress("market: three purchases by rural villages, with milestones and payments in their books");
  return db::WriteSync(app.store(), [&](db::Tx& tx) -> Status {
    if (!tx.Query("SELECT 1 FROM market_contracts LIMIT 1").empty()) {
      return {};
    }
    market::ContractsService& contracts = app.contracts();
    const int64_t now = app.clock().NowMs();
    using accounts::Role;
    using accounts::RoleGrant;
    const std::vector<DemoPurchase> purchases = {
        {"叠滘村", "13800000003", "", "独居长者“平安铃”探访", "独居长者的日常探访与紧急呼叫",
         {Step("需求评估与长者建档", -20, 18000, "完成 80 户独居长者建档与风险评估"),
          Step("上半年探访与平安铃安装", 90, 27000, "每周探访 1 次，安装平安铃 80 台"),
          Step("下半年探访与年度评估", 270, 27000, "全年探访台账与成效评估报告")},
         "叠集记〔2012〕"},
        {"平东村", "13800012301", "平东村·陈主任", "防溺水安全教育进村", "防溺水安全教育",
         {Step("暑期前防溺水宣讲 6 场", -10, 8000, "6 场宣讲，覆盖 300 名儿童")}, "平集记〔2012〕"},
        {"三山村", "13800012302", "三山村·何主任", "居家康复上门指导", "残障人士居家康复",
         {Step("康复评估与个案计划", -15, 15000, "25 人康复评估"), Step("上门康复指导 60 次", 150, 30000, "上门指导记录")},
         "三集记〔2012〕"},
    };
    CC_ASSIGN_OR_RETURN(const int64_t meeting, SeedMeetingTx(app, tx, now));
    int k = 0;
    for (const DemoPurchase& x : purchases) {
      ++k;
      const int64_t village = *accounts::repo::FindVillageIdByName(tx, x.village);
      CC_ASSIGN_OR_RETURN(
          const int64_t vstaff,
          app.accounts().EnsureUserTx(tx, {accounts::Login::Kind::kPhone, x.staff_phone},
                                      *x.staff_name ? x.staff_name : "叠滘村·梁书记", password_hash,
                                      {RoleGrant{Role::kVillageStaff, std::nullopt, std::nullopt, village}}, ""));
      const auto project = tx.Query("SELECT id, created_by FROM market_projects WHERE title = $1", {x.project});
      const int64_t project_id = project.front().Int(0);
      const int64_t ostaff = project.front().Int(1);  // the listing's organisation's staff
      const auto need = tx.Query("SELECT id FROM market_needs WHERE village_id = $1 AND title = $2", {village, x.need});
      const int64_t t0 = now - 50 * kDay;
      CC_ASSIGN_OR_RETURN(const int64_t request,
                          contracts.RequestQuoteTx(tx, vstaff, village, project_id,
                                                   need.empty() ? std::nullopt : std::optional(need.front().Int(0)),
                                                   "供需见面会上意向签约，请报价", "seed", t0));
      // Shortlisted at the meeting; this request is what the shortlist became.
      CC_TRY(app.meetings().ShortlistTx(tx, vstaff, meeting, village, project_id, t0 - 2 * kDay));
      market::repo::LinkShortlistRequest(tx, meeting, village, project_id, request);
      std::vector<market::MilestonePlan> plans = x.plans;
      Fen total = 0;
      for (market::MilestonePlan& m : plans) {
        m.due_ms = now + m.due_ms * kDay;
        total += m.amount_fen;
      }
      CC_ASSIGN_OR_RETURN(const int64_t quote, contracts.SubmitQuoteTx(tx, ostaff, request, total, "含服务物资与保险",
                                                                       plans, "seed", t0 + 2 * kDay));
      CC_ASSIGN_OR_RETURN(const int64_t contract, contracts.AcceptQuoteTx(tx, vstaff, quote, "seed", t0 + 5 * kDay));
      int64_t at = t0 + 5 * kDay;  // when the contract takes effect
      if (total >= contracts.config().decision_threshold_fen) {
        // 村民代表会议 decides; the notice runs; a resident's objection is answered.
        market::Decision d;
        d.meeting_kind = "村民代表会议";
        d.held_on_ms = t0 + 8 * kDay;
        d.votes_for = 31;
        d.votes_against = 2;
        d.votes_abstain = 1;
        d.minutes_text = "2012年第三次村民代表会议：同意以村集体社会服务专项资金购买“平安铃”探访项目，合同金额 7.2 万元，"
                         "分三期按验收付款；会后在村务公开栏及关爱城市平台公示 5 天。";
        CC_TRY(contracts.RecordDecisionTx(tx, vstaff, contract, d, "seed", t0 + 10 * kDay));
        CC_ASSIGN_OR_RETURN(const int64_t objector,
                            app.accounts().EnsureUserTx(tx, {accounts::Login::Kind::kPhone, "13800012200"}, "叠滘村民1",
                                                        password_hash, {}, ""));
        const std::string objection = NewPublicId();
        market::repo::InsertObjection(tx, objection, contract, "每周探访一次是否足够？独居长者多的片区希望增加频次。",
                                      objector, t0 + 11 * kDay);
        market::repo::AnswerObjection(tx, contract, objection,
                                      "已与机构商定：80 岁以上独居长者每周探访两次，其余每周一次，合同金额不变。", vstaff,
                                      t0 + 12 * kDay);
        at = t0 + 15 * kDay;  // the notice's end
        market::repo::ActivateIfDue(tx, contract, at);
      }
      // Milestones: the first reported, accepted and paid; 叠滘村's second
      // reported and waiting; 平东村's only one paid (completed, evaluated).
      const std::string voucher = std::string(x.voucher_prefix) + "00" + std::to_string(2) + "号";
      {
        market::repo::MilestoneReport r;
        r.text = "已完成：" + plans[0].deliverables + "。附签到表与服务记录。";
        r.beneficiaries = 60;
        CC_TRY(contracts.ReportMilestoneTx(tx, ostaff, contract, 1, r, "seed", at + 10 * kDay));
        CC_TRY(contracts.ReviewMilestoneTx(tx, vstaff, contract, 1, true, "", "seed", at + 12 * kDay));
        CC_TRY(contracts.RecordPaymentTx(tx, vstaff, contract, 1, plans[0].amount_fen, voucher, "seed",
                                         at + 14 * kDay));
      }
      if (plans.size() > 1 && k == 1) {
        market::repo::MilestoneReport r;
        r.text = "上半年探访 1,920 人次，安装平安铃 80 台，紧急呼叫 3 次均在 15 分钟内到场。";
        r.beneficiaries = 80;
        CC_TRY(contracts.ReportMilestoneTx(tx, ostaff, contract, 2, r, "seed", now - 2 * kDay));
      }
      if (plans.size() == 1) {
        CC_TRY(contracts.EvaluateTx(tx, vstaff, contract, 5, "宣讲生动，孩子们学会了自救和呼救，暑期零溺水事故。", "seed",
                                    at + 16 * kDay));
      }
      if (k == 1) {
        // 叠滘村's residents who were visited rate the project.
        constexpr int64_t kStars[] = {5, 5, 4, 5, 4, 5};
        for (size_t i = 0; i < std::size(kStars); ++i) {
          const auto user = tx.Query("SELECT id FROM users WHERE phone = $1", {fmt::format("138000122{:02}", i + 1)});
          if (!user.empty()) {
            market::repo::InsertRating(tx, contract, user.front().Int(0), kStars[i], i % 2 == 0 ? "社工很耐心" : "",
                                       at + 20 * kDay);
          }
        }
      }
    }
    return {};
  });
}

}  // namespace carecity::app
