// The demo's 党员接待室 (seed_reception.cc), part of seed-demo.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "app/app.h"

namespace carecity::app {

// One reception room in each rural village (叠滘村, 平东村, 三山村) with a duty
// roster of the village's party members (陈阿姨 13800000001 on 叠滘村's), and
// the last month of visits recorded by the members on duty — some with the
// resident's consent to keep a name and phone, some resolved, two of
// 叠滘村's referred to 博睿社工's services (长者探访, 家庭综合服务).
// Through ReceptionService's ...Tx methods, at the times things happened;
// after the training seed (the register); nothing if a room exists.
Status SeedReceptionTx(App& app, db::Tx& tx, const std::map<std::string, int64_t>& villages_by_name,
                       const std::function<void(const std::string&)>& progress);

}  // namespace carecity::app
