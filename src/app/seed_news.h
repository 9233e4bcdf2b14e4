// The demo's 公益宣传 (seed_news.cc), part of seed-demo.
#pragma once

#include <functional>
#include <string>

#include "app/app.h"

namespace carecity::app {

// An editor account (13800000010, 街道宣传办·林编辑); the programme's 2012
// work plan as a 政策解读 article; notices, activity reviews, stories and
// fund news linked to the demo's events, services, fund purposes and
// reports, products, lots, the open grant call and a village; an article of
// 博睿社工 an editor approved, one waiting for review, and one scheduled
// for next week (invisible to readers until then). After every other
// seed; nothing if any article exists.
Status SeedNews(App& app, const std::string& password_hash, const std::function<void(const std::string&)>& progress);

}  // namespace carecity::app
