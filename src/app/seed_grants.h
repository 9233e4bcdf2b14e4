// The demo's 关爱基金 grant calls (seed_grants.cc), part of seed-demo.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/app.h"

namespace carecity::app {

struct SeedGrantsInput {
  std::vector<int64_t> org_ids;
  std::vector<int64_t> village_ids;
  const std::map<std::string, int64_t>& users;  // demo accounts by phone
  std::string password_hash;                    // for the reviewers' accounts
  std::optional<int64_t> purpose_id;
  const std::function<void(const std::string&)>& progress;
};

// Calls, applications, the reviewer pool and a meeting, in the seeder's
// transaction; nothing if a call exists already.
Status SeedGrantsTx(App& app, db::Tx& tx, const SeedGrantsInput& in);
// Fills the panels of every meeting still planned (after the transaction:
// the assigner runs its own jobs).
Status SeedGrantsPanels(App& app, const std::function<void(const std::string&)>& progress);
// The 2012 call's outcome (after the reviews): decisions in rank order
// within the budget, the notice with one objection answered, a project for
// every approved application (milestones, progress reports approved and
// paid through the fund's maker–checker, one project closed with its
// leftover released) and two citizen observers with visit notes. Nothing
// if the call's notice exists already.
Status SeedGrantsProjects(App& app, const std::function<void(const std::string&)>& progress);

}  // namespace carecity::app
