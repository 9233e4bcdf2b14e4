// The demo's village collective books (村集体账, seed_villagebooks.cc), part
// of seed-demo.
#pragma once

#include <functional>
#include <string>

#include "app/app.h"

namespace carecity::app {

// Makes sure the rural demo villages 叠滘村, 平东村 and 三山村 exist (by name)
// with a collective economy, and funds each one's book with its opening
// 集体资金拨入. Idempotent: a book that has entries is left alone.
Status SeedVillageBooks(App& app, const std::function<void(const std::string&)>& progress);

}  // namespace carecity::app
