// The demo's 关爱基金 project calls (docs/design-grants.md): the 2012 call
// (¥3,500,000, 30 applications across the six project types and the three
// funding modes, a reviewer pool of 25 experts and 20 citizen
// representatives with declared conflicts, one review meeting whose panels
// the assigner fills), and an open call of this year for the organisations'
// demo accounts. Everything goes through GrantsService, as an admin's
// requests would.
#include "app/seed_grants.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>

#include "core/run_sync.h"
#include "core/crypto.h"
#include "domains/grants/repo.h"

namespace carecity::app {
namespace {

using grants::ReviewerKind;

int64_t ChinaTime(int y, int m, int d, int hour = 9) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  tm.tm_hour = hour;
  return static_cast<int64_t>(timegm(&tm)) * 1000 - 8 * kHourMs;
}

const std::vector<std::string> kTypes = {"长者服务", "青少年", "残障支持", "家庭综合", "社区营造", "外来务工融入"};

struct DemoApplicant {
  const char* name;
  const char* credit_code;
  const char* rating;
};
// Applicant organisations beyond the demo's four (made-up credit codes in
// the official format).
constexpr DemoApplicant kApplicants[] = {
    {"佛山市南海区心晴社会工作服务中心", "52440605MJL3001A1A", "4A"},
    {"南海区桂城街道平安社区服务站", "52440605MJL3002B2B", "3A"},
    {"佛山市南海区乐融融长者服务中心", "52440605MJL3003C3C", "4A"},
    {"南海区新市民融合发展促进会", "51440605MJL3004D4D", "3A"},
    {"佛山市南海区同心残障人士服务中心", "52440605MJL3005E5E", "5A"},
    {"南海区桂城街道家庭综合服务中心", "52440605MJL3006F6F", "5A"},
};

struct DemoProject {
  const char* title;
  int type;          // index into kTypes
  int64_t yuan;      // requested
  const char* mode;  // full | joint | cooperative
  const char* goals;
};
const DemoProject kProjects[] = {
    {"独居长者“平安铃”探访计划", 0, 180000, "full", "为 120 名独居长者每周探访一次，紧急呼叫 15 分钟内响应"},
    {"长者饭堂助餐配送", 0, 200000, "joint", "每日为 80 名高龄长者送餐，覆盖 3 个社区"},
    {"认知障碍长者家庭支援", 0, 150000, "full", "筛查 300 名长者，为 40 个家庭提供照护者培训"},
    {"银龄互助时间银行", 0, 90000, "cooperative", "招募 60 名低龄长者结对服务 120 名高龄长者"},
    {"长者防跌倒居家改造", 0, 160000, "joint", "完成 50 户长者居家适老化改造"},
    {"四点半课堂", 1, 120000, "full", "为 100 名双职工家庭子女提供课后托管与功课辅导"},
    {"青少年心理健康同行者", 1, 140000, "full", "开展 12 场心理健康讲座，个案跟进 30 名青少年"},
    {"暑期社区成长营", 1, 80000, "cooperative", "暑期 6 周，服务 150 名青少年"},
    {"困境青少年学业帮扶", 1, 110000, "full", "一对一帮扶 40 名困境青少年完成学业"},
    {"青少年志愿者领袖培养", 1, 70000, "full", "培养 50 名青少年志愿者骨干"},
    {"残障人士就业支持", 2, 190000, "joint", "为 30 名残障人士提供职业培训与就业配对"},
    {"心智障碍儿童家长喘息服务", 2, 130000, "full", "为 40 个家庭每月提供两次喘息服务"},
    {"无障碍社区出行倡导", 2, 60000, "cooperative", "完成 6 个社区无障碍设施评估与改造建议"},
    {"残障人士康乐小组", 2, 85000, "full", "每周康乐活动，服务 60 名残障人士"},
    {"听障长者手语陪伴", 2, 75000, "full", "培训 20 名手语志愿者陪伴听障长者"},
    {"家庭关系调适工作坊", 3, 100000, "full", "服务 80 个家庭，开展 16 次亲子及夫妻工作坊"},
    {"困境家庭综合帮扶", 3, 200000, "joint", "个案管理 45 个困境家庭，链接救助资源"},
    {"单亲家庭互助网络", 3, 90000, "full", "建立 3 个单亲家庭互助小组"},
    {"家庭教育讲堂", 3, 65000, "full", "举办 20 场家庭教育讲座，覆盖 800 人次"},
    {"家庭暴力预防与支持", 3, 150000, "full", "开展反家暴宣传 10 场，跟进个案 25 宗"},
    {"社区花园共建", 4, 95000, "cooperative", "与居民共建 2 个社区花园，培育 1 支居民自治队伍"},
    {"邻里议事厅", 4, 70000, "full", "每月一次居民议事会，推动 10 项社区微改造"},
    {"社区文化节", 4, 120000, "joint", "举办 1 届社区文化节，参与居民 3000 人次"},
    {"楼道微更新", 4, 110000, "full", "完成 20 个楼道的居民参与式更新"},
    {"社区志愿服务站", 4, 80000, "full", "建立志愿服务站，注册志愿者 300 名"},
    {"新市民子女融入计划", 5, 130000, "full", "为 100 名新市民子女提供融入辅导"},
    {"外来务工人员法律援助", 5, 90000, "full", "开展 12 场普法讲座，提供 60 宗法律咨询"},
    {"新市民技能提升夜校", 5, 150000, "joint", "开设 8 门夜校课程，结业 200 人"},
    {"工友之家", 5, 100000, "full", "建设工友活动中心，每周开放 5 天"},
    {"新市民社区参与计划", 5, 60000, "full", "组织 30 场新老居民联谊活动"},
};

constexpr const char* kSurnames[] = {"周", "陈", "李", "黄", "梁", "何", "吴", "罗", "郑", "冯",
                                     "邓", "叶", "苏", "潘", "杜", "麦", "谭", "区", "关", "卢",
                                     "蔡", "林", "许", "孔", "岑"};
constexpr const char* kExpertTitles[] = {"高校社会工作系副教授", "注册社会工作师（督导）", "注册会计师",
                                         "执业律师", "公共卫生医师", "社区规划师", "特殊教育教师",
                                         "心理咨询师"};
constexpr const char* kCitizenNames[] = {"伯", "姐", "叔", "姨", "哥"};

}  // namespace

Status SeedGrantsTx(App& app, db::Tx& tx, const SeedGrantsInput& in) {
  if (!tx.Query("SELECT 1 FROM grants_calls LIMIT 1").empty()) {
    return {};
  }
  auto& grants = app.grants();
  auto& accounts = app.accounts();
  in.progress("关爱基金 project calls: the 2012 call, 30 applications, 25 experts, 20 citizen reviewers");
  const int64_t admin = in.users.at("13800000004");

  // Applicant organisations: the demo's and six more.
  std::vector<int64_t> orgs = in.org_ids;
  for (const DemoApplicant& a : kApplicants) {
    auto existing = tx.Query("SELECT id FROM orgs WHERE credit_code = $1", {a.credit_code});
    if (!existing.empty()) {
      orgs.push_back(existing.front().Int(0));
      continue;
    }
    CC_ASSIGN_OR_RETURN(accounts::Org org,
                        accounts.CreateOrgTx(tx, std::nullopt, {a.name, a.credit_code, std::string(a.rating)}, "seed"));
    orgs.push_back(org.id);
  }

  // The 2012 call, as the fund office opened it.
  grants::NewCall call;
  call.title = "2012年关爱基金社区服务项目申报";
  call.description =
      "首期关爱基金面向辖区社会组织公开征集社区服务项目。首次邀请市民代表进入社会评审人员库，"
      "按项目类型邀请评审；全资、合资、合作三种资助方式，欢迎企业冠名。";
  call.project_types = kTypes;
  call.budget_fen = 350'000'000;
  call.cap_fen = 20'000'000;
  call.opens_at_ms = ChinaTime(2012, 3, 1);
  call.closes_at_ms = ChinaTime(2012, 4, 15, 18);
  call.support_closes_at_ms = ChinaTime(2012, 4, 30, 18);
  call.review_at_ms = ChinaTime(2012, 5, 20);
  call.notice_at_ms = ChinaTime(2012, 6, 1);
  call.funding_modes = {"full", "joint", "cooperative"};
  call.min_cofunding_pct = 30;
  call.panel_experts = 3;
  call.panel_citizens = 2;
  call.rubric = {{"社区需求", 30}, {"方案可行性", 25}, {"预期成效", 25}, {"预算合理性", 20}};
  call.purpose_id = in.purpose_id;
  CC_ASSIGN_OR_RETURN(grants::Call c2012, grants.CreateCallTx(tx, admin, call, "seed", call.opens_at_ms));

  // Thirty applications, submitted during the call, found eligible after it.
  for (size_t i = 0; i < std::size(kProjects); ++i) {
    const DemoProject& p = kProjects[i];
    grants::ApplicationDraft d;
    d.title = p.title;
    d.project_type = kTypes[static_cast<size_t>(p.type)];
    d.summary = std::string(p.title) + "：回应桂城街道居民的实际需要，由专业社工带领志愿者实施。";
    d.goals = p.goals;
    d.indicators = "服务人次、满意度（≥90%）、个案目标达成率";
    d.activities = "第 1–2 月：需求调研与招募；第 3–10 月：服务实施；第 11–12 月：评估与总结";
    d.beneficiaries = "桂城街道辖区居民";
    d.beneficiary_count = 40 + static_cast<int64_t>(i % 7) * 20;
    d.starts_at_ms = ChinaTime(2012, 7, 1);
    d.ends_at_ms = ChinaTime(2013, 6, 30);
    d.village_ids = {in.village_ids[i % in.village_ids.size()]};
    if (i % 4 == 0) {
      d.village_ids.push_back(in.village_ids[(i + 3) % in.village_ids.size()]);
    }
    d.funding_mode = p.mode;
    const Fen requested = p.yuan * 100;
    Fen total = requested;
    if (d.funding_mode == "joint") {
      const Fen share = requested * 3 / 5;  // 37.5 % of the total
      d.co_funders = {{"村（居）集体经济组织配套", std::nullopt, share}};
      total += share;
    } else if (d.funding_mode == "cooperative") {
      d.partner_name = "桂城商会会员企业";
      d.in_kind_note = "场地、物资与员工志愿者";
      d.in_kind_fen = requested / 4;
    }
    const Fen staff = total * 45 / 100;
    const Fen activities = total * 40 / 100;
    d.budget_lines = {{"社工人力", staff}, {"活动物资", activities}, {"宣传与评估", total - staff - activities}};
    d.requested_fen = requested;
    const int64_t org = orgs[i % orgs.size()];
    const int64_t at = ChinaTime(2012, 3, 5 + static_cast<int>(i % 25));
    CC_ASSIGN_OR_RETURN(grants::Application a, grants.CreateApplicationTx(tx, admin, c2012.id, org, d, "seed", at));
    CC_TRY(grants.SubmitTx(tx, admin, a.id, "seed", at + kHourMs));
    CC_TRY(grants.SetEligibilityTx(tx, admin, a.id, true, "材料齐全，预算与配套比例符合要求", "seed",
                                   ChinaTime(2012, 4, 20)));
  }

  // The pool: 25 experts (the demo reviewer first) and 20 citizens.
  int64_t reviewers = 0;
  for (int i = 0; i < 25; ++i) {
    const std::string phone = i == 0 ? "13800000005" : fmt::format("138000011{:02d}", i);
    const std::string name =
        i == 0 ? "评审专家·周老师" : fmt::format("{}{}", kSurnames[i], i % 3 == 0 ? "教授" : "老师");
    int64_t user = 0;
    if (i == 0) {
      user = in.users.at(phone);
    } else {
      CC_ASSIGN_OR_RETURN(user, accounts.EnsureUserTx(tx, {accounts::Login::Kind::kPhone, phone}, name,
                                                       in.password_hash, {}, ""));
    }
    grants::NewReviewer r;
    r.user_id = user;
    r.kind = ReviewerKind::kExpert;
    r.title = kExpertTitles[static_cast<size_t>(i) % std::size(kExpertTitles)];
    r.project_types = {kTypes[static_cast<size_t>(i) % kTypes.size()], kTypes[static_cast<size_t>(i + 2) % kTypes.size()]};
    r.load_cap = 8;
    CC_ASSIGN_OR_RETURN(grants::Reviewer added,
                        grants.AddReviewerTx(tx, admin, r, "approved", "seed", ChinaTime(2012, 2, 20)));
    // Declared conflicts: every fifth expert with an applicant they supervise.
    if (i % 5 == 1) {
      grants::NewConflict c;
      c.org_id = orgs[static_cast<size_t>(i) % orgs.size()];
      c.note = "曾担任该机构督导";
      CC_TRY(grants.DeclareConflictTx(tx, admin, added.id, c, "seed", ChinaTime(2012, 4, 25)));
    }
    ++reviewers;
  }
  for (int i = 0; i < 20; ++i) {
    const std::string phone = i == 0 ? "13800000009" : fmt::format("138000012{:02d}", i);
    const std::string name =
        i == 0 ? "市民评审代表·何姐" : fmt::format("{}{}", kSurnames[(i + 7) % 25], kCitizenNames[i % 5]);
    const int64_t village = in.village_ids[static_cast<size_t>(i) % in.village_ids.size()];
    CC_ASSIGN_OR_RETURN(int64_t user, accounts.EnsureUserTx(tx, {accounts::Login::Kind::kPhone, phone}, name,
                                                            in.password_hash, {}, ""));
    CC_TRY(accounts.SetHomeVillageTx(tx, user, village));
    grants::NewReviewer r;
    r.user_id = user;
    r.kind = ReviewerKind::kCitizen;
    r.village_id = village;
    r.statement = "在桂城居住多年，参加过社区议事会和志愿服务，愿意代表居民参与评审。";
    r.declarations = "本人及近亲属未在申报机构任职。";
    r.project_types = {kTypes[static_cast<size_t>(i) % kTypes.size()]};
    CC_ASSIGN_OR_RETURN(grants::Reviewer applied,
                        grants.AddReviewerTx(tx, user, r, "applied", "seed", ChinaTime(2012, 3, 10)));
    CC_TRY(grants.DecideReviewerTx(tx, admin, applied.id, true, "seed", ChinaTime(2012, 3, 20)));
    if (i % 7 == 3) {
      grants::NewConflict c;
      c.village_id = in.village_ids[static_cast<size_t>(i + 1) % in.village_ids.size()];
      c.note = "子女在该村居委会工作";
      CC_TRY(grants.DeclareConflictTx(tx, user, applied.id, c, "seed", ChinaTime(2012, 4, 25)));
    }
    ++reviewers;
  }

  grants::NewMeeting m;
  m.title = "2012年关爱基金项目评审会";
  m.held_at_ms = ChinaTime(2012, 5, 20);
  m.venue = "桂城街道办事处三楼会议室";
  m.scores_due_ms = ChinaTime(2012, 5, 27, 18);
  CC_TRY(grants.CreateMeetingTx(tx, admin, c2012.id, m, "seed", ChinaTime(2012, 5, 1)));

  // This year's call, open now, for the demo organisations to apply to.
  const int64_t now = app.clock().NowMs();
  grants::NewCall open = call;
  const std::time_t china_now = static_cast<std::time_t>((now + 8 * kHourMs) / 1000);
  std::tm today{};
  gmtime_r(&china_now, &today);
  open.title = fmt::format("{}年关爱基金社区服务项目申报（第二批）", today.tm_year + 1900);
  open.description = "面向辖区社会组织征集长者、青少年、家庭与社区营造等服务项目。申报截止后设两周全民点赞期。";
  open.budget_fen = 100'000'000;
  open.cap_fen = 10'000'000;
  open.opens_at_ms = now - 10 * kDayMs;
  open.closes_at_ms = now + 30 * kDayMs;
  open.support_closes_at_ms = now + 44 * kDayMs;
  open.review_at_ms = now + 50 * kDayMs;
  open.notice_at_ms = now + 60 * kDayMs;
  CC_TRY(grants.CreateCallTx(tx, admin, open, "seed", now));
  return {};
}

Status SeedGrantsPanels(App& app, const std::function<void(const std::string&)>& progress) {
  auto planned = db::ReadSync(app.store(), [](db::Tx& tx) {
    std::vector<std::string> ids;
    const auto rows = tx.Query("SELECT public_id FROM grants_meetings WHERE status = 'planned' ORDER BY id");
    for (size_t i = 0; i < rows.size(); ++i) {
      ids.push_back(rows[i].Text(0));
    }
    return ids;
  });
  for (const std::string& id : planned) {
    progress("关爱基金 review meeting: panels by the optimal assignment");
    auto r = RunSync(app.grants().AssignAs(std::nullopt, id, false, "seed"));
    if (!r.ok()) {
      return r.error();
    }
  }
  // The 2012 panels scored before the meeting's deadline: every seat's
  // reviewer submits a review (deterministic scores around each project's
  // quality, experts a little stricter than citizens).
  return db::WriteSync(app.store(), [&](db::Tx& tx) -> Status {
    if (!tx.Query("SELECT 1 FROM grants_reviews LIMIT 1").empty()) {
      return {};
    }
    const auto seats = tx.Query(
        "SELECT s.application_id, s.reviewer_id, s.kind, a.title, m.scores_due_ms FROM grants_assignments s "
        "JOIN grants_applications a ON a.id = s.application_id JOIN grants_meetings m ON m.id = s.meeting_id "
        "WHERE s.status IN ('proposed', 'accepted') AND m.held_at_ms < $1 ORDER BY s.application_id, s.reviewer_id",
        {app.clock().NowMs()});
    if (seats.empty()) {
      return {};
    }
    progress("关爱基金 reviews of the 2012 meeting");
    const char* const kComments[] = {"需求调研扎实，服务对象明确", "预算基本合理，建议细化人力成本",
                                     "指标可量化，建议增加过程评估", "与社区资源结合紧密", "可行性较好，注意志愿者保留"};
    const std::vector<std::string> criteria = {"社区需求", "方案可行性", "预期成效", "预算合理性"};
    for (size_t i = 0; i < seats.size(); ++i) {
      const int64_t application = seats[i].Int(0);
      const int64_t reviewer = seats[i].Int(1);
      const bool expert = seats[i].Text(2) == "expert";
      const int quality = 5 + static_cast<int>(application * 7 % 5);  // 5..9 per project
      std::map<std::string, int> scores;
      for (size_t c = 0; c < criteria.size(); ++c) {
        const int noise = static_cast<int>((application * 31 + reviewer * 17 + static_cast<int64_t>(c) * 13) % 3) - 1;
        scores[criteria[c]] = std::clamp(quality + noise - (expert ? 1 : 0) + (c == 0 ? 1 : 0), 0, 10);
      }
      const int64_t at = seats[i].Int(4) - 3 * kDayMs;
      CC_TRY(app.grants().PutReviewTx(tx, reviewer, application, "submitted", scores,
                                      kComments[static_cast<size_t>(application + reviewer) % std::size(kComments)],
                                      "seed", at));
    }
    return {};
  });
}

namespace {

std::optional<int64_t> UserByPhone(db::Tx& tx, const std::string& phone) {
  const auto rows = tx.Query("SELECT id FROM users WHERE phone = $1", {phone});
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front().Int(0);
}

// Milestone n of a project: report it, approve the report (the maker
// proposes the disbursement) and let the checker pay it.
Status PayMilestone(App& app, db::Tx& tx, int64_t project_id, int64_t seq, int64_t reporter, int64_t maker,
                    int64_t checker, int64_t period_end_ms) {
  grants::NewReport r;
  r.kind = "progress";
  r.period_end_ms = period_end_ms;
  r.body = seq == 1 ? "项目启动：完成需求调研与志愿者招募，首批服务对象建档。"
                    : "服务按计划推进：完成阶段服务指标的 60%，服务对象满意度 95%。";
  r.milestone_seq = seq;
  r.use_of_funds = {{"社工人力", 30'000'00}, {"活动物资", 12'000'00}};
  CC_ASSIGN_OR_RETURN(grants::ProjectReport rep,
                      app.projects().SubmitReportTx(tx, reporter, project_id, r, period_end_ms + 5 * kDayMs));
  CC_ASSIGN_OR_RETURN(grants::ProjectReport ok, app.projects().ReviewReportTx(tx, maker, rep.id, true, "材料属实，同意拨付",
                                                                             "seed", period_end_ms + 8 * kDayMs));
  CC_TRY(app.fund().ApproveDisbursementTx(tx, checker, ok.disbursement->id, period_end_ms + 10 * kDayMs));
  return {};
}

}  // namespace

Status SeedGrantsProjects(App& app, const std::function<void(const std::string&)>& progress) {
  const auto found = db::ReadSync(app.store(), [](db::Tx& tx) {
    std::optional<std::pair<std::string, int64_t>> out;
    const auto rows = tx.Query(
        "SELECT m.public_id, c.id FROM grants_meetings m JOIN grants_calls c ON c.id = m.call_id "
        "WHERE c.title LIKE '2012%' AND NOT EXISTS (SELECT 1 FROM grants_notices n WHERE n.call_id = c.id) "
        "ORDER BY m.id LIMIT 1");
    if (!rows.empty()) {
      out = std::make_pair(rows.front().Text(0), rows.front().Int(1));
    }
    return out;
  });
  if (!found) {
    return {};
  }
  progress("关爱基金 2012: decisions, the notice, funded projects, reports and observers");
  const int64_t admin = *db::ReadSync(app.store(), [](db::Tx& tx) { return UserByPhone(tx, "13800000004"); });
  accounts::Principal p;
  p.user_id = admin;
  p.roles = {accounts::RoleGrant{accounts::Role::kFundAdmin}};
  auto ranking = RunSync(app.grants().Ranking(p, found->first));
  if (!ranking.ok()) {
    return ranking.error();
  }
  return db::WriteSync(app.store(), [&](db::Tx& tx) -> Status {
    auto& grants = app.grants();
    auto& projects = app.projects();
    const int64_t call_id = found->second;
    const int64_t checker = *UserByPhone(tx, "13800000008");
    // Decisions in rank order: what the budget fill proposes, the rest rejected.
    std::vector<int64_t> approved;
    Fen approved_total = 0;
    for (const grants::FillLine& f : ranking->fill) {
      const bool funded = (f.note == "full" || f.note == "partial") && f.proposed_fen > 0;
      CC_TRY(grants.DecideTx(tx, admin, f.application_id, funded ? "approved" : "rejected",
                             funded ? f.proposed_fen : 0,
                             funded ? fmt::format("综合评分第 {} 名，予以资助", f.rank) : "评分排序未进入本批预算",
                             "seed", ChinaTime(2012, 5, 28)));
      if (funded) {
        approved.push_back(f.application_id);
        approved_total += f.proposed_fen;
      }
    }
    CC_ASSIGN_OR_RETURN(grants::Notice notice,
                        grants.PublishNoticeTx(tx, admin, call_id, "2012年关爱基金资助结果公示，公示期 7 天。", "seed",
                                               ChinaTime(2012, 6, 1)));
    if (approved.empty()) {
      return {};
    }
    // One objection during the window, answered (dismissed) before it closed.
    if (const auto objector = UserByPhone(tx, "13800000001")) {
      grants::Objection o;
      o.public_id = NewPublicId();
      o.notice_id = notice.id;
      o.application_id = approved.front();
      o.user_id = *objector;
      o.body = "该项目服务范围与社区已有长者饭堂重叠，请核实。";
      o.created_at_ms = ChinaTime(2012, 6, 3);
      if (grants::repo::InsertObjection(tx, o)) {
        const int64_t oid = *grants::repo::ObjectionIdByPublicId(tx, o.public_id);
        grants::repo::AnswerObjection(tx, oid, false, "经核实，本项目服务对象为居家高龄长者，与饭堂堂食互补，异议不成立。",
                                      admin, ChinaTime(2012, 6, 6));
      }
    }
    // The government's allocation for the call, then a project per award.
    fund::NewAllocation alloc{approved_total, "南财〔2012〕关爱基金专项", std::nullopt, "2012年关爱基金项目资助资金",
                              true};
    CC_TRY(app.fund().RecordAllocationTx(tx, admin, alloc, ChinaTime(2012, 6, 10)));
    std::vector<int64_t> ids;
    for (const int64_t app_id : approved) {
      const auto a = grants::repo::FindApplication(tx, app_id);
      grants::NewProject in;
      in.starts_at_ms = ChinaTime(2012, 7, 1);
      in.ends_at_ms = ChinaTime(2013, 6, 30);
      const Fen first = a->awarded_fen * 4 / 10;
      const Fen second = a->awarded_fen * 4 / 10;
      in.milestones = {{"首期：项目启动", first, ChinaTime(2012, 7, 15)},
                       {"中期：评估通过", second, ChinaTime(2013, 1, 15)},
                       {"尾期：结项审计", a->awarded_fen - first - second, ChinaTime(2013, 8, 31)}};
      CC_ASSIGN_OR_RETURN(const int64_t id, projects.CreateProjectTx(tx, admin, app_id, in, "seed", ChinaTime(2012, 6, 20)));
      ids.push_back(id);
    }
    const auto reporter = [&](int64_t project_id) -> int64_t {
      const auto rows = tx.Query(
          "SELECT r.user_id FROM user_roles r JOIN grants_projects p ON p.org_id = r.org_id "
          "WHERE p.id = $1 AND r.role = 'org_staff' ORDER BY r.user_id LIMIT 1",
          {project_id});
      return rows.empty() ? admin : rows.front().Int(0);
    };
    // Progress: the first milestone of the first four, the second of the first two.
    for (size_t i = 0; i < ids.size() && i < 4; ++i) {
      CC_TRY(PayMilestone(app, tx, ids[i], 1, reporter(ids[i]), admin, checker, ChinaTime(2012, 9, 30)));
    }
    for (size_t i = 0; i < ids.size() && i < 2; ++i) {
      CC_TRY(PayMilestone(app, tx, ids[i], 2, reporter(ids[i]), admin, checker, ChinaTime(2012, 12, 31)));
    }
    // The first project closed: its final report approved, the last
    // milestone not needed (under budget), the leftover back in the fund.
    grants::NewReport fin;
    fin.kind = "final";
    fin.period_end_ms = ChinaTime(2013, 6, 30);
    fin.body = "项目按计划完成，服务 126 名长者，满意度 96%。物资采购低于预算，尾款不再申请。";
    fin.use_of_funds = {{"社工人力", 90'000'00}, {"活动物资", 38'000'00}, {"宣传与评估", 8'000'00}};
    CC_ASSIGN_OR_RETURN(grants::ProjectReport fr,
                        projects.SubmitReportTx(tx, reporter(ids[0]), ids[0], fin, ChinaTime(2013, 7, 20)));
    CC_TRY(projects.ReviewReportTx(tx, admin, fr.id, true, "结项材料齐全", "seed", ChinaTime(2013, 8, 5)));
    CC_TRY(projects.CloseProjectTx(tx, admin, ids[0], "物资集中采购节省开支，尾期款项退回关爱基金统筹使用。", "seed",
                                   ChinaTime(2013, 8, 20)));
    // Two citizen observers (citizen reviewers, not staff of the orgs) with visit notes.
    const char* const kVisits[] = {"随社工入户探访两位独居长者，平安铃已安装并能正常呼叫。",
                                   "参加项目中期分享会，居民反馈服务及时，建议增加周末时段。"};
    for (int k = 0; k < 2 && static_cast<size_t>(k) < ids.size(); ++k) {
      const auto observer = UserByPhone(tx, fmt::format("138000012{:02d}", k + 1));
      if (!observer) {
        continue;
      }
      CC_TRY(projects.AddObserverTx(tx, admin, ids[static_cast<size_t>(k)], *observer, ChinaTime(2012, 7, 1)));
      CC_TRY(projects.AddVisitTx(tx, *observer, ids[static_cast<size_t>(k)], ChinaTime(2012, 11, 12 + k), kVisits[k],
                                 ChinaTime(2012, 11, 13 + k)));
    }
    return {};
  });
}

}  // namespace carecity::app
