#include "app/seed_forum.h"

#include <array>
#include <string>
#include <vector>

#include "app/seed_demo.h"
#include "domains/forum/repo.h"
#include "media/markdown.h"

namespace carecity::app {
namespace {

constexpr int64_t kHour = 3600LL * 1000;
// 2012-01-10 10:00 Beijing time, when the work plan went up on the forum.
constexpr int64_t kPlanPublishedMs = 1326160800000;

struct DemoBoard {
  const char* name;
  const char* description;
  const char* moderator_phone;  // "" for none
};

constexpr DemoBoard kBoards[] = {
    {"居民议事", "小区大小事，大家商量着办：加装电梯、停车、环境卫生、公共空间", "13800000003"},
    {"社工交流", "社工、党员社工和志愿者交流服务经验与方法", "13800000002"},
    {"志愿者之家", "义工活动招募、服务心得、时数问题", "13800000002"},
    {"求助与咨询", "遇到困难、想了解政策，在这里提问，社工和热心邻居来解答", "13800000003"},
};

// Topics per board: a title and the opening floor's text.
struct Topic {
  const char* title;
  const char* body;
  bool question;
};

const std::vector<std::vector<Topic>>& Topics() {
  static const std::vector<std::vector<Topic>> kTopics = {
      {
          {"关于小区加装电梯的意见征集", "我们楼有不少长者上下楼困难，想听听大家对加装电梯的意见：费用怎么分摊、低层住户怎么补偿？", false},
          {"夜间停车越来越难，大家有什么好办法？", "晚上八点以后基本找不到车位，消防通道也常被占，建议物业和居委一起想想办法。", false},
          {"垃圾分类投放点能否延长开放时间", "上班族早上七点前出门，投放点八点才开，建议早上提前到六点半。", false},
          {"社区广场舞音量问题，求商量个时间段", "不是反对跳舞，只希望晚上九点后能把音量调小，家里有小孩要睡觉。", false},
          {"公共空间改造，你希望多一个什么？", "街道说明年要改造小区中心花园，大家觉得是加儿童游乐设施、长者健身器材还是阅读角？", false},
          {"电动车楼道充电太危险了", "楼道里经常有人拉线给电动车充电，上次差点起火，希望多装几个集中充电桩。", false},
          {"小区门口的流浪猫怎么办", "有人喂有人嫌，能不能联系动物保护组织来做绝育和领养？", false},
          {"建议在村口增设一个公交站", "叠滘村口到地铁站要走二十分钟，长者和学生都不方便。", false},
      },
      {
          {"个案工作中如何和独居长者建立信任", "分享一下我们入户探访的经验：第一次别急着填表，先聊家常，第二次带上社区的活动单张。", false},
          {"党员社工接待室值班心得", "值班三个月，来访最多的是政策咨询和邻里纠纷，建议大家把常见问题整理成一张表。", false},
          {"小组工作：长者智能手机课的设计", "八节课，从接听视频电话到用手机挂号，每节课配一名志愿者一对一辅导。", false},
          {"社区需求调研问卷怎么设计更有效", "问卷太长长者答不完，我们改成十道题加入户访谈，回收率从三成提高到八成。", false},
          {"督导分享：服务记录怎么写才规范", "记录要写事实不写判断，写清楚时间、对象、服务内容和跟进计划。", false},
      },
      {
          {"周六千灯湖公园清洁活动，欢迎报名", "本周六上午九点在千灯湖公园南门集合，手套和垃圾袋我们准备，自带水杯。", false},
          {"做义工三年，最难忘的一次探访", "那位阿婆每次都把我们送到楼下，说我们是她的孙女。", false},
          {"义工时数没有记上，找谁处理？", "上个月参加了两次活动，系统里只看到一次，请问怎么补登？", true},
          {"招募长者智能手机课助教", "每周二下午，共八次，会用微信就行，耐心最重要。", false},
          {"新人求教：第一次参加探访要注意什么", "下周第一次跟队探访独居长者，有什么需要提前准备的吗？", true},
      },
      {
          {"长者饭堂的补贴怎么申请？", "家里老人八十岁了，听说街道长者饭堂有补贴，需要带什么材料？", true},
          {"孩子放学后没人接，有托管服务吗", "双职工家庭，孩子三年级，下午四点放学，附近有没有公益的四点半课堂？", true},
          {"残疾人证办理流程咨询", "家里老人中风后行动不便，想办残疾人证，请问去哪里评定？", true},
          {"租房合同纠纷可以找谁调解", "房东不退押金，想先调解，社区有没有免费的法律咨询？", true},
          {"申请关爱基金资助需要什么条件", "家里有重病患者，医药费负担很重，关爱基金能不能申请？", true},
      },
  };
  return kTopics;
}

constexpr std::array<const char*, 16> kReplies = {
    "支持！这个问题确实困扰很久了。",
    "同意楼上的意见，希望居委能组织大家开个会。",
    "我们楼之前也遇到过，后来是业主代表出面和物业谈的。",
    "谢谢分享，很有启发。",
    "可以打社区服务热线问问，工作人员很耐心。",
    "建议先在楼栋群里收集一下大家的想法再统一提。",
    "这个我知道，上个月刚办过，材料不多，带上身份证和户口本就行。",
    "顶一下，希望更多人看到。",
    "赞同，另外能不能考虑一下长者的需要？",
    "我愿意做志愿者帮忙。",
    "社工站周三下午有政策咨询，可以直接过去问。",
    "好主意！我们小区也想这样做。",
    "感谢社工的耐心解答。",
    "这个问题已经反映给街道了，等回复。",
    "有进展了记得在这里更新一下哦。",
    "同感，希望早点解决。",
};

}  // namespace

Status SeedForum(App& app, const std::function<void(const std::string&)>& progress) {
  return db::WriteSync(app.store(), [&](db::Tx& tx) -> Status {
    if (!tx.Query("SELECT 1 FROM forum_boards LIMIT 1").empty()) {
      return {};
    }
    progress("forum: boards, threads and replies");
    const int64_t now = app.clock().NowMs();
    // Demo accounts count as verified, established members.
    tx.Exec("UPDATE users SET phone_verified_at_ms = $1 WHERE phone IS NOT NULL AND phone_verified_at_ms IS NULL",
            {now});
    auto everyone = tx.Query("SELECT id FROM users WHERE phone IS NOT NULL AND status = 'active' ORDER BY id");
    for (size_t i = 0; i < everyone.size(); ++i) {
      forum::repo::MarkTrusted(tx, everyone[i].Int(0), now);
    }
    // Residents write most of it: people without a staff role.
    auto rows = tx.Query(
        "SELECT u.id, u.phone FROM users u WHERE u.phone IS NOT NULL AND u.status = 'active' AND NOT EXISTS "
        "(SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role NOT IN ('resident')) ORDER BY u.id");
    std::vector<int64_t> residents;
    int64_t chen = 0;
    int64_t rude_author = 0;  // not one of the logins the demo hands out
    for (size_t i = 0; i < rows.size(); ++i) {
      const std::string phone = rows[i].Text(1);
      residents.push_back(rows[i].Int(0));
      if (phone == "13800000001") {
        chen = rows[i].Int(0);
      } else if (phone.rfind("1380000002", 0) != 0 && phone.rfind("1380000000", 0) != 0) {
        rude_author = rows[i].Int(0);
      }
    }
    auto id_of = [&tx](const char* phone) -> int64_t {
      auto r = tx.Query("SELECT id FROM users WHERE phone = $1", {phone});
      return r.empty() ? 0 : r.front().Int(0);
    };
    const int64_t admin = id_of("13800000007");
    const int64_t social_worker = id_of("13800000002");
    if (residents.size() < 3 || admin == 0 || social_worker == 0 || chen == 0 || rude_author == 0) {
      return Error::Internal("forum seed: the demo accounts are missing");
    }
    auto org_of_sw = tx.Query("SELECT org_id FROM user_roles WHERE user_id = $1 AND role = 'org_staff'",
                              {social_worker});
    const std::optional<int64_t> sw_org =
        org_of_sw.empty() ? std::nullopt : std::optional<int64_t>(org_of_sw.front().Int(0));

    std::vector<int64_t> boards;
    int position = 0;
    for (const DemoBoard& b : kBoards) {
      forum::Board board;
      board.name = b.name;
      board.description = b.description;
      board.position = position++;
      const int64_t id = *forum::repo::InsertBoard(tx, board, now);
      if (const int64_t mod = id_of(b.moderator_phone); mod != 0) {
        forum::repo::SetModerators(tx, id, {mod}, now);
      }
      boards.push_back(id);
    }
    // One board per organisation, where residents ask it questions.
    auto orgs = tx.Query("SELECT id, name FROM orgs ORDER BY id LIMIT 4");
    for (size_t i = 0; i < orgs.size(); ++i) {
      forum::Board board;
      board.name = orgs[i].Text(1);
      board.description = "向机构提问：服务内容、活动报名、求助转介";
      board.org_id = orgs[i].Int(0);
      board.position = position++;
      forum::repo::InsertBoard(tx, board, now);
    }

    auto& forum = app.forum();
    size_t next_author = 0;
    auto author = [&]() { return residents[(next_author++ * 7 + 3) % residents.size()]; };
    auto post = [&](int64_t thread_id, int64_t floor, int64_t by, const std::string& md, std::optional<int64_t> org,
                    std::optional<int64_t> quote, int64_t at) {
      forum::Post p;
      p.thread_id = thread_id;
      p.floor = floor;
      p.author.user_id = by;
      p.author.org_id = org;
      p.body_md = md;
      p.body_html = media::RenderMarkdown(md);
      p.status = "visible";
      if (quote) {
        p.quote = forum::Quote{*quote, 0, {}, {}, true};
      }
      return forum::repo::InsertPost(tx, p, at);
    };
    auto thread = [&](int64_t board, int64_t by, const std::string& title, const std::string& md, bool question,
                      std::optional<int64_t> org, int64_t at) {
      forum::Thread t;
      t.board_id = board;
      t.author.user_id = by;
      t.title = title;
      t.kind = question ? "question" : "discussion";
      t.status = "visible";
      t.id = forum::repo::InsertThread(tx, t, at);
      post(t.id, 1, by, md, org, std::nullopt, at);
      forum::repo::AdjustBoardThreads(tx, board, 1);
      forum.CreditTx(tx, by, "thread", "thread:" + std::to_string(t.id), at);
      return t.id;
    };
    // Replies claim their floors the way live ones do.
    auto reply = [&](int64_t thread_id, int64_t by, const std::string& md, std::optional<int64_t> org,
                     std::optional<int64_t> quote, int64_t at) {
      const int64_t floor = *forum::repo::ClaimFloor(tx, thread_id, true, true, at);
      const int64_t id = post(thread_id, floor, by, md, org, quote, at);
      forum.CreditTx(tx, by, "reply", "post:" + std::to_string(id), at);
      return id;
    };

    // The programme's own report, as first published on a forum:
    // 查看 1196 | 回复 0.
    const int64_t report_thread = thread(
        boards[0], admin, "【关爱桂城】2012年度工作计划",
        "## 关爱桂城 2012 年度工作计划\n\n"
        "以“关爱桂城”为品牌，整合公益宣传、服务申请、活动报名与互动，建设社区公益服务平台：\n\n"
        "1. 设立关爱基金，公开透明地募集和使用善款；\n"
        "2. 开展公益创投，由专家和市民代表评审资助项目；\n"
        "3. 推进社工服务进村居，培育党员社工；\n"
        "4. 开设公益商城和公益拍卖，义卖所得纳入关爱基金。\n",
        false, std::nullopt, kPlanPublishedMs);
    tx.Exec("UPDATE forum_threads SET views = 1196, sticky = 1 WHERE id = $1", {report_thread});

    // Several hundred floors across the boards, over the last weeks.
    int64_t at = now - 30 * 24 * kHour;
    std::vector<int64_t> threads;
    const auto& topics = Topics();
    for (int round = 0; round < 2; ++round) {
      for (size_t b = 0; b < topics.size(); ++b) {
        for (size_t i = 0; i < topics[b].size(); ++i) {
          const Topic& t = topics[b][i];
          const std::string title = round == 0 ? t.title : std::string(t.title) + "（续）";
          const int64_t by = round == 0 && b == 0 && i == 0 ? chen : author();
          at += 3 * kHour;
          const int64_t id = thread(boards[b], by, title, t.body, t.question, std::nullopt, at);
          threads.push_back(id);
          const int replies = static_cast<int>((i * 5 + b * 3 + round * 2) % 9) + 2;
          for (int r = 0; r < replies; ++r) {
            at += 20 * 60 * 1000;
            reply(id, author(), kReplies[(i + b + r * 3 + round) % kReplies.size()], std::nullopt, std::nullopt, at);
          }
          // Social workers answer questions in their organisation's name.
          if (t.question) {
            at += 30 * 60 * 1000;
            const int64_t answer =
                reply(id, social_worker, "您好，可以带上身份证到社区服务中心一楼窗口办理，也可以在本平台“服务申请”里在线提交，我们会在三个工作日内联系您。",
                      sw_org, std::nullopt, at);
            if (round == 0) {
              forum::repo::SetSolved(tx, id, answer);
              forum.CreditTx(tx, social_worker, "answer_accepted", "post:" + std::to_string(answer), at);
            }
          }
        }
      }
    }
    // Plausible view counts: a few readers per floor.
    tx.Exec(
        "UPDATE forum_threads SET views = 37 + last_floor * 23 + (id * 7) % 40 WHERE id <> $1", {report_thread});

    // A digest thread (精华).
    const int64_t digest = threads[4];  // 居民议事: 公共空间改造，你希望多一个什么？
    tx.Exec("UPDATE forum_threads SET digest = 1 WHERE id = $1", {digest});
    auto digest_author = tx.Query("SELECT author_id FROM forum_threads WHERE id = $1", {digest}).front().Int(0);
    forum.CreditTx(tx, digest_author, "digest", "thread:" + std::to_string(digest), now);

    // An open report in the moderation queue: a rude reply, reported.
    const int64_t rude = reply(threads[1], rude_author, "你们这些开车的就是自私，停车难活该！", std::nullopt,
                               std::nullopt, now - 2 * kHour);
    forum::repo::InsertReport(tx, rude, chen, "人身攻击，不文明用语", now - kHour);

    // A muted account: an earlier outburst cost a week's mute.
    forum::Sanction mute;
    mute.user_id = rude_author;
    mute.kind = "mute";
    mute.reason = "多次发布攻击他人的言论";
    mute.post_id = rude;
    mute.ends_at_ms = now + 7 * 24 * kHour;
    mute.created_by = admin;
    forum::repo::InsertSanction(tx, mute, now - kHour / 2);
    return {};
  });
}

}  // namespace carecity::app
