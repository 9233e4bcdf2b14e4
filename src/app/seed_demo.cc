#include "app/seed_demo.h"

#include <fmt/format.h>

#include "db/store.h"
#include "domains/accounts/repo.h"

namespace carecity::app {
namespace {

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
    {"三山村", "village", true, false},
    {"夏北社区", "community", false, false},
    {"东二社区", "community", false, false},
    {"桂园社区", "community", false, false},
};

}  // namespace

const std::vector<DemoLogin>& DemoLogins() {
  static const std::vector<DemoLogin> kLogins = {
      {"居民 resident", "13800000001", kDemoPassword},
      {"社工机构 org_staff（博睿社工）", "13800000002", kDemoPassword},
      {"村居工作人员 village_staff（叠滘村）", "13800000003", kDemoPassword},
      {"基金管理员 fund_admin", "13800000004", kDemoPassword},
      {"基金管理员（复核）fund_admin", "13800000008", kDemoPassword},
      {"评审 reviewer", "13800000005", kDemoPassword},
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
  return db::WriteSync(app.store(), [&](db::Tx& tx) -> Status {
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
      auto existing = tx.Query("SELECT id FROM villages WHERE name = $1", {v.name});
      if (!existing.empty()) {
        village_ids.push_back(existing.front().Int(0));
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
    for (const Person& p : people) {
      auto r = accounts.EnsureUserTx(tx, accounts::Login{accounts::Login::Kind::kPhone, p.phone}, p.name, hash,
                                     p.roles, "");
      if (!r.ok()) {
        return std::move(r).error();
      }
    }
    return {};
  });
}

}  // namespace carecity::app
