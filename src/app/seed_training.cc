// The demo's 党员社工培育 (docs/api-training.md): what seed_training.h says,
// built the way it would have happened — classes created weeks before their
// sessions, enrolments, check-ins at the sessions through the events
// domain, practice logged and confirmed, quiz attempts, certificates issued
// when the class ended.
#include "app/seed_training.h"

#include "app/seed_demo.h"
#include "domains/accounts/repo.h"
#include "domains/training/repo.h"
#include "domains/training/service.h"

namespace carecity::app {
namespace {

using training::ClassDraft;
using training::PracticeDraft;
using training::Programme;
using training::Question;
using training::SessionDraft;

struct Member {
  const char* phone;
  const char* name;
  const char* village;
  bool secretary;
};

// 陈阿姨 (13800000001) and 叠滘村's 梁书记 (13800000003) are demo logins
// already; the rest are added here.
const Member kMembers[] = {
    {"13800000001", "陈阿姨", "叠滘村", false},       {"13800000021", "叠滘村·何伯", "叠滘村", false},
    {"13800000022", "叠滘村·麦姐", "叠滘村", false},  {"13800000003", "叠滘村·梁书记", "叠滘村", true},
    {"13800000023", "平东村·黄生", "平东村", false},  {"13800000024", "平东村·谭姨", "平东村", false},
    {"13800000025", "平东村·陈书记", "平东村", true}, {"13800000026", "三山村·潘书记", "三山村", true},
    {"13800000027", "叠滘村·冯姑娘", "叠滘村", false},
};

std::vector<Question> BasicQuiz() {
  return {
      Question{"个案工作的第一个阶段是？", {"接案", "结案", "评估", "转介"}, {0}, false},
      Question{"以下哪些属于社会工作的三大方法？", {"个案工作", "小组工作", "社区工作", "行政命令"}, {0, 1, 2}, true},
      Question{"居民的姓名和电话在接待记录中应当？", {"随意公开", "经本人同意才记录，并在其他地方隐去", "贴在公告栏"}, {1}, false},
  };
}

}  // namespace

Status SeedTrainingTx(App& app, db::Tx& tx, const std::map<std::string, int64_t>& villages_by_name,
                      const std::map<std::string, int64_t>& users, int64_t org_id, const std::string& password_hash,
                      const std::function<void(const std::string&)>& progress) {
  if (!tx.Query("SELECT 1 FROM training_programmes").empty()) {
    return {};
  }
  progress("党员社工培育: the register, programmes, classes, practice and certificates");
  auto& training = app.training();
  auto& events = app.events();
  const int64_t now = app.clock().NowMs();
  const int64_t trainer = users.at("13800000006");
  const auto venue = tx.Query("SELECT id FROM venues WHERE name = '关爱桂城企业创享家'").front().Int(0);

  std::map<std::string, int64_t> people;
  for (const Member& m : kMembers) {
    int64_t id = 0;
    if (const auto it = users.find(m.phone); it != users.end()) {
      id = it->second;
    } else {
      CC_ASSIGN_OR_RETURN(id, app.accounts().EnsureUserTx(
                                  tx, accounts::Login{accounts::Login::Kind::kPhone, m.phone}, m.name, password_hash,
                                  {}, ""));
    }
    people[m.phone] = id;
    training::repo::UpsertMember(tx, id, villages_by_name.at(m.village), m.secretary, trainer, now - 400 * kDayMs);
  }

  Programme basic;
  basic.title = "党员社工基础班";
  basic.description =
      "面向村（居）普通党员：学习居民需求挖掘与个案、小组、社区工作方法，把社工方法带进党员志愿服务和党员接待室。"
      "结业不要求持有社工证；考取社会工作者职业水平证书的党员可进入人才库，参与专业公共服务项目。";
  basic.modules = {"居民需求挖掘", "个案工作方法", "小组工作方法", "社区工作方法"};
  basic.rules = {75, 16, 60};
  basic.certificate_level = "党员社工（初级）";
  basic.valid_years = 3;
  CC_ASSIGN_OR_RETURN(basic.id, training.CreateProgrammeTx(tx, trainer, basic, "seed", now - 500 * kDayMs));

  Programme secretaries;
  secretaries.title = "党总支书记培训班";
  secretaries.description = "面向村（居）党总支书记：发现居民需求、社工项目购买的观念与技巧、项目监督与评估，带领服务项目进村。";
  secretaries.modules = {"居民需求挖掘", "社工项目购买观念", "购买技巧", "项目监督与评估"};
  secretaries.rules = {75, 0, 60};
  secretaries.certificate_level = "社工项目购买与管理（书记班）";
  secretaries.valid_years = 2;
  CC_ASSIGN_OR_RETURN(secretaries.id, training.CreateProgrammeTx(tx, trainer, secretaries, "seed", now - 500 * kDayMs));

  // A class of weekly two-hour sessions on Saturday mornings from `first_day`
  // (days from today), created `lead` days before its first session.
  const auto make_class = [&](const Programme& prog, const char* title, std::vector<const char*> villages,
                              int64_t first_day, size_t sessions, bool secretaries_only,
                              bool refresher) -> Result<int64_t> {
    ClassDraft c;
    c.programme_id = prog.id;
    c.title = title;
    c.org_id = org_id;
    c.venue_id = venue;
    c.capacity = 30;
    for (const char* v : villages) {
      c.village_ids.push_back(villages_by_name.at(v));
    }
    c.secretaries_only = secretaries_only;
    c.refresher = refresher;
    for (size_t i = 0; i < sessions; ++i) {
      const int64_t start = OnChinaDay(now, first_day + 7 * static_cast<int64_t>(i), 9, 30);
      c.sessions.push_back(SessionDraft{start, start + 2 * kHourMs, prog.modules[i % prog.modules.size()]});
    }
    if (&prog == &secretaries) {
      c.assignment = "完成一份本村居民需求评估：主要人群、突出问题、现有资源，以及一个可以购买的社工服务项目设想。";
    } else {
      c.quiz = BasicQuiz();
    }
    const int64_t created = std::min(now, c.sessions.front().starts_at_ms - 30 * kDayMs);
    return training.CreateClassTx(tx, trainer, c, "seed", created);
  };
  const auto enrol = [&](int64_t klass, const char* phone, int64_t at) -> Status {
    CC_TRY(training.EnrolTx(tx, klass, people.at(phone), trainer, at));
    return {};
  };
  const auto session_ids = [&](int64_t klass) {
    std::vector<int64_t> ids;
    const auto rows = tx.Query("SELECT event_id FROM training_sessions WHERE class_id = $1 ORDER BY seq", {klass});
    for (size_t i = 0; i < rows.size(); ++i) {
      ids.push_back(rows[i].Int(0));
    }
    return ids;
  };
  // The trainer scans the member's ticket ten minutes into the session.
  const auto check_in = [&](int64_t event, const char* phone) -> Status {
    const auto rows = tx.Query(
        "SELECT r.ticket_code, e.starts_at_ms FROM event_registrations r JOIN events e ON e.id = r.event_id "
        "WHERE r.event_id = $1 AND r.user_id = $2",
        {event, people.at(phone)});
    if (rows.empty()) {
      return Error::Internal("seed: no session sign-up");
    }
    CC_TRY(events.CheckInTx(tx, trainer, event, {rows.front().Text(0), std::nullopt, std::nullopt},
                            rows.front().Int(1) + 10 * kMinuteMs));
    return {};
  };
  const auto practice = [&](const char* phone, const char* kind, int64_t days_ago, int64_t minutes, const char* place,
                            const char* method, const char* note, bool confirm) -> Status {
    PracticeDraft d{kind, OnChinaDay(now, -days_ago, 15, 0), minutes, place, method, note, std::nullopt};
    CC_ASSIGN_OR_RETURN(training::Practice p, training.LogPracticeTx(tx, people.at(phone), d, d.date_ms + kDayMs));
    if (confirm) {
      training::repo::DecidePractice(tx, p.id, "confirmed", "", trainer, d.date_ms + 3 * kDayMs);
    }
    return {};
  };

  // 叠滘村's spring class: four sessions 13 to 10 weeks ago.
  CC_ASSIGN_OR_RETURN(const int64_t spring,
                      make_class(basic, "2026 春季党员社工基础班（叠滘村）", {"叠滘村"}, -91, 4, false, false));
  const int64_t spring_open = OnChinaDay(now, -110, 10, 0);
  for (const char* phone : {"13800000001", "13800000021", "13800000022", "13800000027"}) {
    CC_TRY(enrol(spring, phone, spring_open));
  }
  const auto spring_sessions = session_ids(spring);
  for (size_t i = 0; i < spring_sessions.size(); ++i) {
    CC_TRY(check_in(spring_sessions[i], "13800000001"));
    CC_TRY(check_in(spring_sessions[i], "13800000027"));
    if (i != 2) {
      CC_TRY(check_in(spring_sessions[i], "13800000021"));
    }
    if (i < 2) {
      CC_TRY(check_in(spring_sessions[i], "13800000022"));
    }
  }
  training::Material handout;
  handout.public_id = NewPublicId();
  handout.event_id = spring_sessions.front();
  handout.title = "讲义：居民需求挖掘的五个步骤";
  handout.kind = "markdown";
  handout.body =
      "## 居民需求挖掘\n\n1. **走访**：入户、到榕树头、到祠堂，听居民怎么说。\n2. **记录**：问题、人群、频率，"
      "不记录未经同意的姓名电话。\n3. **归类**：长者、儿童、残障、环境、邻里关系。\n4. **排序**：急迫程度 × 影响人数。\n"
      "5. **回应**：能自己解决的组织党员志愿者；需要专业服务的转介社工机构，或由村里购买服务项目。\n";
  handout.created_at_ms = OnChinaDay(now, -92, 20, 0);
  training::repo::InsertMaterial(tx, handout, trainer);
  CC_TRY(practice("13800000001", "home_visit", 85, 180, "叠滘村东胜坊", "casework", "探访独居的梁婆婆，了解用药和买菜困难，联系社工跟进。", true));
  CC_TRY(practice("13800000001", "home_visit", 78, 150, "叠滘村东胜坊", "casework", "再次探访梁婆婆，协助预约社区医生上门。", true));
  CC_TRY(practice("13800000001", "other", 70, 240, "叠滘村文化室", "groupwork", "带领“长者手机课”小组第 2 节。", true));
  CC_TRY(practice("13800000001", "other", 66, 180, "叠滘村文化室", "groupwork", "带领“长者手机课”小组第 3 节。", true));
  CC_TRY(practice("13800000001", "home_visit", 64, 240, "叠滘村东胜坊", "casework", "陪同梁婆婆复诊，与社工交接个案。", true));
  CC_TRY(practice("13800000027", "other", 84, 480, "叠滘村文化室", "groupwork", "组织“四点半课堂”小组，陪伴留守儿童做功课。", true));
  CC_TRY(practice("13800000027", "home_visit", 75, 300, "叠滘村西约", "casework", "为一户困境家庭做需求评估，整理个案记录。", true));
  CC_TRY(practice("13800000027", "other", 68, 300, "叠滘村龙舟码头", "community", "协助组织社区防溺水宣传日。", true));
  CC_TRY(practice("13800000021", "home_visit", 80, 240, "叠滘村西约", "casework", "探访两户困难家庭。", true));
  CC_TRY(practice("13800000021", "other", 72, 360, "叠滘村龙舟码头", "community", "组织党员清理河涌垃圾。", true));
  CC_TRY(practice("13800000021", "home_visit", 5, 240, "叠滘村西约", "casework", "跟进困难家庭的低保申请。", false));
  for (const auto& [phone, score] : {std::pair{"13800000001", 100}, std::pair{"13800000021", 66}, std::pair{"13800000022", 33},
                              std::pair{"13800000027", 100}}) {
    training::repo::InsertQuizAttempt(tx, spring, people.at(phone), score, "[]", OnChinaDay(now, -70, 20, 0));
  }
  CC_ASSIGN_OR_RETURN(const training::IssueResult spring_certs,
                      training.IssueTx(tx, trainer, spring, {people.at("13800000001"), people.at("13800000027")}, "seed",
                                      OnChinaDay(now, -60, 10, 0)));
  if (spring_certs.issued.size() != 2) {
    return Error::Internal("demo: the spring class's two complete trainees were not certified");
  }

  // 平东村's 2022 class: three-year certificates, expired now; one revoked.
  CC_ASSIGN_OR_RETURN(const int64_t old_class,
                      make_class(basic, "2022 党员社工基础班（平东村）", {"平东村"}, -4 * 365, 4, false, false));
  for (const char* phone : {"13800000023", "13800000024"}) {
    CC_TRY(enrol(old_class, phone, OnChinaDay(now, -4 * 365 - 20, 10, 0)));
  }
  for (const int64_t event : session_ids(old_class)) {
    CC_TRY(check_in(event, "13800000023"));
    CC_TRY(check_in(event, "13800000024"));
  }
  for (const char* phone : {"13800000023", "13800000024"}) {
    PracticeDraft d{"other", OnChinaDay(now, -4 * 365 + 25, 9, 0), 16 * 60, "平东村党群服务站", "community",
                    "2022 年党员志愿服务（汇总）", std::nullopt};
    CC_ASSIGN_OR_RETURN(training::Practice p, training.LogPracticeTx(tx, people.at(phone), d, d.date_ms + kDayMs));
    training::repo::DecidePractice(tx, p.id, "confirmed", "", trainer, d.date_ms + 2 * kDayMs);
    training::repo::InsertQuizAttempt(tx, old_class, people.at(phone), 100, "[]", d.date_ms);
  }
  CC_ASSIGN_OR_RETURN(const training::IssueResult old_certs,
                      training.IssueTx(tx, trainer, old_class, {people.at("13800000023"), people.at("13800000024")},
                                       "seed", OnChinaDay(now, -4 * 365 + 40, 10, 0)));
  for (const training::Certificate& c : old_certs.issued) {
    if (c.user_id == people.at("13800000024")) {
      const auto stored = training::repo::FindCertificate(tx, c.cert_no);
      training::repo::RevokeCertificate(tx, stored->id, "实践记录经核查与实际不符", trainer,
                                        OnChinaDay(now, -3 * 365, 10, 0));
    }
  }

  // To come: 平东村's refresher, the secretaries' class, 叠滘村's winter class.
  CC_ASSIGN_OR_RETURN(const int64_t refresher,
                      make_class(basic, "2026 冬季复训班（平东村）", {"平东村"}, 12, 2, false, true));
  CC_TRY(enrol(refresher, "13800000023", now - 2 * kDayMs));
  CC_ASSIGN_OR_RETURN(const int64_t sec_class,
                      make_class(secretaries, "2026 党总支书记培训班", {"叠滘村", "平东村", "三山村"}, 7, 4, true, false));
  for (const char* phone : {"13800000003", "13800000025", "13800000026"}) {
    CC_TRY(enrol(sec_class, phone, now - 3 * kDayMs));
  }
  CC_ASSIGN_OR_RETURN(const int64_t winter,
                      make_class(basic, "2026 冬季党员社工基础班（叠滘村）", {"叠滘村"}, 9, 4, false, false));
  (void)winter;
  return {};
}

}  // namespace carecity::app
