// The demo's 人才库 (seed_talent.cc), part of seed-demo.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "app/app.h"

namespace carecity::app {

// Three members in the talent pool, each having opted in while their
// training certificate was valid: 陈阿姨 (13800000001) and 叠滘村·冯姑娘, a
// verified 社会工作师, from 叠滘村's spring class, and 平东村·黄生, whose 2022
// certificate has since expired (found only with include_expired). 博睿社工
// invited 冯姑娘 onto one of its catalogue projects and she accepted (the
// project lists her on its team); its invitation to 陈阿姨 awaits her answer.
// After the training and market seeds; nothing if anyone is in the pool.
Status SeedTalentTx(App& app, db::Tx& tx, const std::map<std::string, int64_t>& villages_by_name,
                    int64_t org_id, const std::function<void(const std::string&)>& progress);

}  // namespace carecity::app
