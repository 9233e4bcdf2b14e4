#include "app/seed_news.h"

#include <optional>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "domains/news/repo.h"
#include "media/markdown.h"

namespace carecity::app {
namespace {

constexpr int64_t kHour = 3600LL * 1000;
constexpr int64_t kDay = 24 * kHour;
// 2012-01-10 10:00 Beijing time, when the work plan was published.
constexpr int64_t kPlanPublishedMs = 1326160800000;

struct DemoArticle {
  const char* category;
  const char* title;
  const char* body;
  std::vector<std::string> tags;
  std::vector<news::RelatedRef> related;  // refs filled from the demo's rows
  int64_t age_days;                       // published this many days ago
  int64_t views;
};

std::string Ref(db::Tx& tx, const std::string& sql, std::initializer_list<db::Value> params = {}) {
  db::Rows rows = tx.Query(sql, params);
  return rows.empty() ? std::string() : rows.front().Text(0);
}

}  // namespace

Status SeedNews(App& app, const std::string& password_hash, const std::function<void(const std::string&)>& progress) {
  return db::WriteSync(app.store(), [&](db::Tx& tx) -> Status {
    if (!tx.Query("SELECT 1 FROM news_articles LIMIT 1").empty()) {
      return {};
    }
    progress("news: articles");
    auto editor = app.accounts().EnsureUserTx(
        tx, accounts::Login{accounts::Login::Kind::kPhone, "13800000010"}, "街道宣传办·林编辑", password_hash,
        {accounts::RoleGrant{accounts::Role::kEditor}}, "");
    CC_TRY(editor);
    tx.Exec("UPDATE users SET phone_verified_at_ms = created_at_ms WHERE id = $1", {*editor});
    const int64_t now = app.clock().NowMs();
    const std::string sw = Ref(tx, "SELECT id FROM users WHERE phone = '13800000002'");
    const std::string sw_org = Ref(tx, "SELECT org_id FROM user_roles WHERE user_id = $1 AND role = 'org_staff'",
                                   {sw.empty() ? int64_t{0} : std::stoll(sw)});
    auto event = [&](const char* title) { return Ref(tx, "SELECT id FROM events WHERE title = $1", {title}); };
    const std::string phone_class = event("长者智能手机课堂");
    const std::string cleanup = event("关爱桂城义工日·社区清洁");
    const std::string elder_feast = event("叠滘村重阳敬老宴");
    const std::string visit = Ref(tx, "SELECT id FROM casework_services WHERE name = '长者探访'");
    const std::string elderly = Ref(tx, "SELECT id FROM fund_purposes WHERE code = 'elderly-care'");
    const std::string report = Ref(tx, "SELECT id FROM fund_disclosures WHERE purpose_id = $1 ORDER BY id DESC LIMIT 1",
                                   {elderly.empty() ? int64_t{0} : std::stoll(elderly)});
    const std::string product = Ref(tx, "SELECT public_id FROM shop_products WHERE status = 'approved' ORDER BY id LIMIT 1");
    const std::string lot = Ref(tx, "SELECT public_id FROM auction_lots WHERE status = 'approved' ORDER BY id LIMIT 1");
    const std::string call = Ref(tx, "SELECT public_id FROM grants_calls WHERE status = 'published' ORDER BY id DESC LIMIT 1");
    const std::string village = Ref(tx, "SELECT id FROM villages WHERE name = '叠滘村'");
    auto rel = [](const char* kind, const std::string& ref) { return news::RelatedRef{kind, ref}; };

    const std::vector<DemoArticle> articles = {
        {"notice", "关爱桂城义工日·社区清洁 开始报名",
         "本月关爱桂城义工日走进社区，清理楼道杂物、绿化带垃圾，并向居民宣传垃圾分类。\n\n"
         "- 集合：社区服务中心门口\n- 物资：手套、垃圾袋、饮用水由主办方准备\n- 义工时数：按实际服务时长记录\n\n"
         "名额有限，报满即止，请在下方一键报名。",
         {"义工日", "报名"}, {rel("event", cleanup)}, 1, 386},
        {"notice", "2026年关爱基金社区服务项目申报（第二批）启动",
         "关爱基金面向辖区社会组织征集长者、青少年、家庭与社区营造等服务项目。申报截止后设两周全民点赞期，"
         "由专家和市民代表共同评审。\n\n申报指南、评分标准与资助额度见项目页面。",
         {"公益创投", "关爱基金"}, {rel("grant_call", call)}, 3, 512},
        {"notice", "关爱长者计划募捐进展公示",
         "按照慈善募捐信息公开要求，关爱长者计划本期收支明细已在信息公开栏目公示，每一笔捐赠与拨付均可追溯。",
         {"信息公开"}, {rel("fund_report", report), rel("fund_purpose", elderly)}, 5, 244},
        {"event_review", "长者智能手机课堂：学会视频通话的那一刻",
         "八位长者在社工和志愿者一对一辅导下，学会了视频通话、网上挂号和识别诈骗电话。"
         "七十六岁的何伯第一次和在外地工作的孙子视频，笑得合不拢嘴。\n\n下一期课堂已经开放报名。",
         {"长者", "数字助老"}, {rel("event", phone_class)}, 8, 731},
        {"event_review", "叠滘村重阳敬老宴筹备记",
         "村委、社工和四十多位志愿者一起为村里的长者筹备重阳敬老宴：包粽子、排节目、逐户邀请行动不便的长者。",
         {"重阳", "叠滘村"}, {rel("event", elder_feast), rel("village", village)}, 12, 468},
        {"story", "每周二的敲门声",
         "社工小李每周二都会去敲陈伯家的门。独居十年的陈伯起初不愿开门，三个月后，他会提前泡好茶等着。\n\n"
         "> 有人记挂着，日子就不一样了。\n\n社区的长者探访服务面向辖区独居、空巢长者开放申请。",
         {"长者探访", "社工故事"}, {rel("service", visit)}, 15, 1024},
        {"story", "一幅国画的义拍之旅",
         "本地画家将作品《千灯湖春晓》捐给关爱桂城公益拍卖，成交款将全部纳入关爱基金，用于长者助餐。",
         {"公益拍卖"}, {rel("lot", lot)}, 18, 355},
        {"story", "长者编织小组：一针一线都是心意",
         "长者关爱服务社的编织小组每周聚会两次，作品在公益商城义卖，收入用于小组活动和困难长者慰问。",
         {"公益商城", "长者"}, {rel("product", product)}, 22, 290},
        {"policy", "关爱基金是怎样管理和公开的",
         "关爱基金的每一笔捐赠都记入公开账目，定向捐赠只用于指定项目；资助项目经专家和市民代表评审；"
         "收支按季度公示，任何人都可以核对。\n\n1. 捐赠开具电子收据\n2. 拨付经基金办审批并留痕\n3. 账目链式存证，可独立验证",
         {"关爱基金", "信息公开"}, {rel("fund_purpose", elderly)}, 30, 877},
        {"fund", "美居集团冠名支持关爱长者计划",
         "美居集团本年度冠名支持关爱长者计划，资金将用于独居、高龄长者的探访、助餐与应急支援。",
         {"企业捐赠", "关爱基金"}, {rel("fund_purpose", elderly)}, 40, 413},
        {"fund", "公益商城义卖所得全部纳入关爱基金",
         "公益商城上线以来，机构义卖商品的捐赠部分与公益拍卖成交款均直接计入关爱基金，在公开账目中可查。",
         {"公益商城"}, {rel("product", product), rel("lot", lot)}, 45, 198},
    };

    auto insert = [&](news::Article a) {
      a.public_id = NewPublicId();
      a.body_html = media::RenderMarkdown(a.body_md);
      a.related.erase(std::remove_if(a.related.begin(), a.related.end(),
                                     [](const news::RelatedRef& r) { return r.ref.empty(); }),
                      a.related.end());
      return news::repo::Insert(tx, a);
    };
    // The programme's own plan, as the subdistrict published it.
    news::Article plan;
    plan.author_id = *editor;
    plan.category = "policy";
    plan.title = "关爱桂城 2012 年度工作计划";
    plan.summary = "以“关爱桂城”为品牌，整合公益宣传、服务申请、活动报名与互动，建设社区公益服务平台。";
    plan.body_md =
        "## 关爱桂城 2012 年度工作计划\n\n"
        "以“关爱桂城”为品牌，整合公益宣传、服务申请、活动报名与互动，建设社区公益服务平台：\n\n"
        "1. 设立关爱基金，公开透明地募集和使用善款；\n"
        "2. 开展公益创投，由专家和市民代表评审资助项目；\n"
        "3. 推进社工服务进村居，培育党员社工；\n"
        "4. 开设公益商城和公益拍卖，义卖所得纳入关爱基金；\n"
        "5. 开通手机应用，一键浏览公益资讯、申请服务、报名活动、参与互动。\n";
    plan.tags = {"关爱桂城", "工作计划"};
    plan.status = "published";
    plan.publish_at_ms = kPlanPublishedMs;
    plan.published_at_ms = kPlanPublishedMs;
    plan.created_at_ms = plan.updated_at_ms = kPlanPublishedMs;
    const int64_t plan_id = insert(plan);
    tx.Exec("UPDATE news_articles SET views = 1196 WHERE id = $1", {plan_id});

    for (const DemoArticle& d : articles) {
      news::Article a;
      a.author_id = *editor;
      a.category = d.category;
      a.title = d.title;
      a.body_md = d.body;
      a.tags = d.tags;
      a.related = d.related;
      a.status = "published";
      a.publish_at_ms = a.published_at_ms = now - d.age_days * kDay - 2 * kHour;
      a.created_at_ms = a.updated_at_ms = *a.publish_at_ms;
      const int64_t id = insert(a);
      tx.Exec("UPDATE news_articles SET views = $1 WHERE id = $2", {d.views, id});
    }
    if (!sw.empty() && !sw_org.empty()) {
      // 博睿社工's review of its own activity, approved by the editor ...
      news::Article org;
      org.author_id = std::stoll(sw);
      org.org_id = std::stoll(sw_org);
      org.category = "event_review";
      org.title = "博睿社工：社区清洁义工日的一天";
      org.body_md = "三十多位居民义工清出楼道杂物二十余袋，孩子们做了垃圾分类小讲解员。感谢每一位参与的邻居！";
      org.tags = {"义工日"};
      org.related = {rel("event", cleanup)};
      org.status = "published";
      org.publish_at_ms = org.published_at_ms = now - 2 * kDay;
      org.created_at_ms = org.updated_at_ms = now - 3 * kDay;
      const int64_t approved = insert(org);
      tx.Exec("UPDATE news_articles SET reviewed_by = $1, views = 96 WHERE id = $2", {*editor, approved});
      // ... and one waiting for an editor on the 编辑台.
      org.title = "博睿社工招募长者探访义工";
      org.body_md = "每周二下午陪伴独居长者聊天、读报、量血压。欢迎有耐心、会说粤语的居民加入。";
      org.category = "notice";
      org.tags = {"义工招募"};
      org.related = {rel("service", visit)};
      org.status = "pending_review";
      org.publish_at_ms.reset();
      org.published_at_ms.reset();
      org.created_at_ms = org.updated_at_ms = now - 6 * kHour;
      insert(org);
    }
    // Scheduled: readers see it from next week on.
    news::Article later;
    later.author_id = *editor;
    later.category = "notice";
    later.title = "元旦期间社区服务中心开放时间调整";
    later.body_md = "元旦假期社区服务中心上午九点至中午十二点开放，长者饭堂照常供餐。";
    later.status = "scheduled";
    later.publish_at_ms = now + 7 * kDay;
    later.published_at_ms = now;
    later.created_at_ms = later.updated_at_ms = now;
    insert(later);
    return {};
  });
}

}  // namespace carecity::app
