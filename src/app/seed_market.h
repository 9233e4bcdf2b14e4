// The demo's supply–demand market (seed_market.cc), part of seed-demo.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "app/app.h"

namespace carecity::app {

struct SeedMarketInput {
  std::vector<int64_t> org_ids;                 // the demo's organisations
  std::map<std::string, int64_t> village_ids;   // by name
  const std::map<std::string, int64_t>& users;  // demo accounts by phone
  std::string password_hash;                    // for the residents and staff it adds
  const std::function<void(const std::string&)>& progress;
};

// About 40 catalogue projects (a few pending approval), needs of five
// villages and communities, and one needs survey in 叠滘村 with about 30
// answers, in the seeder's transaction through MarketService's ...Tx
// methods; nothing if a catalogue project exists already.
Status SeedMarketTx(App& app, db::Tx& tx, const SeedMarketInput& in);

// Three purchases by rural villages after the meeting, through
// ContractsService's ...Tx methods: 叠滘村's above the decision threshold
// (decision, notice with an answered objection, in effect, one milestone
// paid, one reported), 平东村's completed and evaluated, 三山村's under way;
// each payment booked in the village's own book. Runs after the books are
// funded (SeedVillageBooks); nothing if a contract exists already.
Status SeedMarketContracts(App& app, const std::string& password_hash,
                           const std::function<void(const std::string&)>& progress);

}  // namespace carecity::app
