#include "app/seed_reception.h"

#include "app/seed_demo.h"
#include "domains/reception/repo.h"

namespace carecity::app {
namespace {

struct RoomSeed {
  const char* village;
  const char* name;
  const char* address;
  const char* hours;
  // (phone, weekday) on duty
  std::vector<std::pair<const char*, int>> duty;
};

struct VisitSeed {
  const char* village;
  const char* recorder;  // phone of a member on duty
  int days_ago;
  int hour;
  const char* category;
  const char* summary;
  const char* action;
  const char* name;   // "" without consent
  const char* phone;  // "" without consent
  bool resolved;
  const char* refer_to;  // service name, "" for none
};

}  // namespace

Status SeedReceptionTx(App& app, db::Tx& tx, const std::map<std::string, int64_t>& villages_by_name,
                       const std::function<void(const std::string&)>& progress) {
  if (!tx.Query("SELECT 1 FROM reception_rooms").empty()) {
    return {};
  }
  progress("党员接待室: rooms, duty rosters and a month of visits");
  const int64_t now = app.clock().NowMs();
  const auto user = [&](const char* phone) {
    return tx.Query("SELECT id FROM users WHERE phone = $1", {std::string(phone)}).front().Int(0);
  };
  const RoomSeed rooms[] = {
      {"叠滘村", "叠滘村党员接待室", "叠滘村党群服务站一楼", "周一至周五 9:00-12:00，周六 14:30-17:30",
       {{"13800000001", 1}, {"13800000001", 3}, {"13800000021", 2}, {"13800000022", 4}, {"13800000003", 5},
        {"13800000021", 6}}},
      {"平东村", "平东村党员接待室", "平东村委会旁党员活动室", "周二、周四、周六 9:00-12:00",
       {{"13800000023", 2}, {"13800000024", 4}, {"13800000025", 6}}},
      {"三山村", "三山村党员接待室", "三山村党群服务站", "周三 9:00-12:00",
       {{"13800000026", 3}}},
  };
  std::map<std::string, int64_t> room_of;
  const int64_t creator = user("13800000006");
  for (const RoomSeed& r : rooms) {
    reception::Room room;
    room.village_id = villages_by_name.at(r.village);
    room.name = r.name;
    room.address = r.address;
    room.opening_hours = r.hours;
    const int64_t id = reception::repo::InsertRoom(tx, room, creator, now - 120 * kDayMs);
    for (const auto& [phone, weekday] : r.duty) {
      if (!reception::repo::AddDutyIfMember(tx, id, user(phone), weekday)) {
        return Error::Internal(std::string("demo duty member not on the register: ") + phone);
      }
    }
    room_of[r.village] = id;
  }

  const VisitSeed visits[] = {
      {"叠滘村", "13800000001", 27, 9, "elderly", "东胜坊独居的梁婆婆腿脚不便，买菜和取药困难，希望有人定期上门。",
       "记录情况，约好周三再去看望。", "梁婆婆", "13900001101", false, "长者探访"},
      {"叠滘村", "13800000021", 26, 10, "environment", "西约河涌边垃圾堆积，夏天有异味。",
       "拍照反映给村委会环卫负责人。", "", "", true, ""},
      {"叠滘村", "13800000022", 24, 9, "policy", "咨询高龄津贴的申领条件和所需材料。",
       "讲解政策，帮忙列出材料清单。", "", "", true, ""},
      {"叠滘村", "13800000003", 22, 11, "dispute", "两户邻居因楼道堆放杂物发生争执。",
       "约双方到接待室面谈，达成清理约定。", "", "", true, ""},
      {"叠滘村", "13800000001", 20, 10, "medical", "居民询问家庭医生签约和上门服务怎么预约。",
       "现场帮其在手机上预约社区卫生服务站。", "", "", true, ""},
      {"叠滘村", "13800000021", 19, 9, "employment", "失业青年想找附近的工作，问有没有技能培训。",
       "介绍街道就业服务站的招聘会，留下联系方式以便通知。", "何家豪", "13900001102", false, ""},
      {"叠滘村", "13800000001", 13, 9, "elderly", "居民反映父亲独居、近期摔倒过，家人在外地工作。",
       "了解家庭情况，居民同意转介社工做家庭评估。", "麦伯", "13900001103", false, "家庭综合服务"},
      {"叠滘村", "13800000022", 11, 10, "housing", "老屋漏水，问危房改造有没有补助。",
       "登记房屋情况，转告村委会。", "", "", false, ""},
      {"叠滘村", "13800000003", 8, 15, "policy", "咨询城乡居民医保缴费时间。", "现场解答。", "", "", true, ""},
      {"叠滘村", "13800000001", 6, 9, "elderly", "居民想给父母报名长者饭堂。",
       "介绍报名方法，帮忙填写表格。", "", "", true, ""},
      {"叠滘村", "13800000021", 5, 10, "other", "问党员志愿服务怎么报名参加。",
       "介绍平台上的志愿服务活动。", "", "", true, ""},
      {"叠滘村", "13800000001", 1, 10, "dispute", "楼上装修噪音影响休息，希望协调施工时间。",
       "与装修户沟通，约定中午和晚上不施工。", "", "", false, ""},
      {"平东村", "13800000023", 25, 9, "environment", "村道路灯坏了几盏，晚上出行不安全。",
       "报修给村委会。", "", "", true, ""},
      {"平东村", "13800000024", 21, 10, "elderly", "独居长者希望有人陪同去医院复诊。",
       "联系志愿者陪诊。", "谭婆婆", "13900001201", true, ""},
      {"平东村", "13800000025", 16, 10, "policy", "咨询低保复核需要的材料。", "讲解并协助准备材料。", "", "",
       true, ""},
      {"平东村", "13800000023", 9, 9, "dispute", "宅基地边界纠纷。", "记录情况，约村委调解。", "", "", false, ""},
      {"平东村", "13800000024", 4, 10, "medical", "慢性病长者问长期处方怎么开。", "讲解流程。", "", "", true, ""},
      {"三山村", "13800000026", 20, 9, "employment", "妇女想学手工技能在家就业。",
       "记录需求，准备在村里开手工班。", "", "", false, ""},
      {"三山村", "13800000026", 6, 9, "elderly", "长者问老年人免费体检的时间。", "告知体检安排。", "", "",
       true, ""},
  };
  const auto service_id = [&](const char* name) {
    return tx.Query("SELECT id FROM casework_services WHERE name = $1 ORDER BY id LIMIT 1", {std::string(name)})
        .front()
        .Int(0);
  };
  for (const VisitSeed& s : visits) {
    accounts::Principal p;
    p.user_id = user(s.recorder);
    reception::VisitDraft d;
    d.room_id = room_of.at(s.village);
    d.visited_at_ms = OnChinaDay(now, -s.days_ago, s.hour, 0);
    d.category = s.category;
    d.summary = s.summary;
    d.action_taken = s.action;
    d.consent_name_phone = *s.name != '\0';
    d.resident_name = s.name;
    d.resident_phone = s.phone;
    const int64_t at = *d.visited_at_ms;
    CC_ASSIGN_OR_RETURN(reception::VisitView v, app.reception().RecordVisitTx(tx, p, d, at));
    if (s.resolved) {
      reception::repo::SetResolved(tx, v.visit.id, true);
    }
    if (*s.refer_to != '\0') {
      CC_TRY(app.reception().ReferTx(tx, p, v.visit.public_id, service_id(s.refer_to), "请社工上门评估。", "seed",
                                     at + 3600 * 1000));
    }
  }
  return {};
}

}  // namespace carecity::app
