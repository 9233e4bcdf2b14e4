// The outcomes dashboard of 党员社工培育 for the subdistrict: per programme,
// class and village — enrolled, completed (certified), certificates valid
// now, confirmed practice hours, 党员接待室 visits and referrals, talent-pool
// members and those placed on project teams, and, for the secretaries'
// classes, the needs their villages posted and the projects they bought in
// the village market afterwards. Counts only, read in one snapshot.
// GET /api/v1/training/dashboard (JSON) and ?format=csv&table=… (trainer,
// fund_admin, platform_admin). The contract: docs/api-training.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "db/store.h"
#include "domains/accounts/service.h"
#include "http/router.h"

namespace carecity::training {

struct ProgrammeOutcome {
  int64_t programme_id = 0;
  std::string title;
  int64_t classes = 0;
  int64_t enrolled = 0;
  int64_t completed = 0;
  int64_t certificates_valid = 0;
  int64_t practice_minutes = 0;
};

struct ClassOutcome {
  int64_t class_id = 0;
  std::string title;
  std::string programme_title;
  bool secretaries_only = false;
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;
  int64_t enrolled = 0;
  int64_t completed = 0;
  int64_t certificates_valid = 0;
  int64_t practice_minutes = 0;  // its trainees' confirmed practice since it began
  // Secretaries' classes: what the trainees' villages did in the market since it began.
  std::optional<int64_t> needs_posted;
  std::optional<int64_t> projects_bought;
};

struct VillageOutcome {
  int64_t village_id = 0;
  std::string village_name;
  int64_t members = 0;  // on the party-member register
  int64_t enrolled = 0;  // members enrolled in any class
  int64_t completed = 0;  // members holding any certificate
  int64_t certificates_valid = 0;
  int64_t practice_minutes = 0;
  int64_t reception_visits = 0;
  int64_t referrals = 0;
  int64_t talent_members = 0;  // in the pool now
  int64_t placed = 0;          // accepted onto a project team
};

struct Outcomes {
  int64_t generated_at_ms = 0;
  std::vector<ProgrammeOutcome> programmes;
  std::vector<ClassOutcome> classes;
  std::vector<VillageOutcome> villages;
};

Outcomes LoadOutcomesTx(db::Tx& tx, int64_t now_ms);

void RegisterOutcomeRoutes(http::Router& router, db::Store& store, const Clock& clock,
                           accounts::AccountsService& accounts);

}  // namespace carecity::training
