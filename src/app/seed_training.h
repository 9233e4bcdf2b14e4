// The demo's 党员社工培育 (seed_training.cc), part of seed-demo.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "app/app.h"

namespace carecity::app {

// Two programmes (党员社工基础班, 党总支书记培训班), the party-member
// register of 叠滘村, 平东村 and 三山村, and five classes run by the demo
// trainer (13800000006) for 启创社工: 叠滘村's spring class, finished, with
// attendance, practice, a quiz and one certificate (陈阿姨's); 平东村's 2022
// class, whose certificates have expired (one revoked); 平东村's refresher
// class and the secretaries' class, both to come; and 叠滘村's winter class,
// open for enrolment. Through TrainingService's ...Tx methods and the
// events domain's check-in, at the times things happened; nothing if a
// programme exists already.
Status SeedTrainingTx(App& app, db::Tx& tx, const std::map<std::string, int64_t>& villages_by_name,
                      const std::map<std::string, int64_t>& users, int64_t org_id, const std::string& password_hash,
                      const std::function<void(const std::string&)>& progress);

}  // namespace carecity::app
