#include "app/seed_talent.h"

#include "app/seed_demo.h"

namespace carecity::app {

Status SeedTalentTx(App& app, db::Tx& tx, const std::map<std::string, int64_t>& villages_by_name, int64_t org_id,
                    const std::function<void(const std::string&)>& progress) {
  if (!tx.Query("SELECT 1 FROM talent_pool").empty()) {
    return {};
  }
  progress("人才库: three members, a verified 社会工作师, an invitation accepted and one open");
  auto& talent = app.talent();
  const int64_t now = app.clock().NowMs();
  const auto person = [&](const char* phone) {
    accounts::Principal p;
    p.user_id = tx.Query("SELECT id FROM users WHERE phone = $1", {std::string(phone)}).front().Int(0);
    return p;
  };
  const accounts::Principal chen = person("13800000001");
  const accounts::Principal feng = person("13800000027");
  const accounts::Principal huang = person("13800000023");
  const accounts::Principal trainer = [&] {
    accounts::Principal p = person("13800000006");
    p.roles.push_back(accounts::RoleGrant{accounts::Role::kTrainer});
    return p;
  }();
  const accounts::Principal staff = [&] {
    accounts::Principal p = person("13800000002");
    p.roles.push_back(accounts::RoleGrant{accounts::Role::kOrgStaff, org_id});
    return p;
  }();
  const int64_t dj = villages_by_name.at("叠滘村");
  const int64_t pd = villages_by_name.at("平东村");

  CC_TRY(talent.JoinTx(tx, chen,
                       {{"长者探访", "个案工作", "长者手机课"}, {dj}, "周一、周三上午",
                        "退休前在村小学教书；在党员接待室值班，常探访独居长者。"},
                       "seed", OnChinaDay(now, -55, 20, 0)));
  CC_TRY(talent.JoinTx(tx, feng,
                       {{"小组工作", "儿童青少年", "需求评估"}, {dj, pd}, "周末全天，工作日晚上",
                        "组织“四点半课堂”两年；已取得社会工作师证书。"},
                       "seed", OnChinaDay(now, -50, 21, 0)));
  // 黄生 opted in while his 2022 certificate was valid; it has expired since.
  CC_TRY(talent.JoinTx(tx, huang, {{"社区活动", "防溺水宣传"}, {pd}, "周六上午", "村里的龙舟队队长。"}, "seed",
                       OnChinaDay(now, -4 * 365 + 60, 20, 0)));

  CC_ASSIGN_OR_RETURN(talent::Qualification q,
                      talent.SubmitQualificationTx(tx, feng, "social_worker", "20244406050127", "seed",
                                                   OnChinaDay(now, -45, 20, 0)));
  CC_TRY(talent.DecideQualificationTx(tx, trainer, q.public_id, true, "", "seed", OnChinaDay(now, -40, 10, 0)));

  const auto project =
      tx.Query("SELECT public_id FROM market_projects WHERE org_id = $1 AND status = 'approved' ORDER BY id LIMIT 1",
               {org_id});
  if (project.empty()) {
    return Error::Internal("demo: 博睿社工 has no approved catalogue project to staff");
  }
  const std::string project_id = project.front().Text(0);
  CC_ASSIGN_OR_RETURN(talent::Invitation accepted,
                      talent.InviteTx(tx, staff, {feng.user_id, project_id, "小组工作员", "欢迎加入项目团队，负责儿童小组。"},
                                      "seed", OnChinaDay(now, -30, 10, 0)));
  CC_TRY(talent.AnswerTx(tx, feng, accepted.public_id, true, "seed", OnChinaDay(now, -29, 9, 0)));
  CC_TRY(talent.InviteTx(tx, staff, {chen.user_id, project_id, "探访志愿者", "想请您带我们的社工熟悉东胜坊的长者。"},
                         "seed", OnChinaDay(now, -2, 10, 0)));
  return {};
}

}  // namespace carecity::app
