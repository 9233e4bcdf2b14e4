// The 关爱桂城 demo instance: 桂城街道 with villages and communities,
// organisations including 博睿社工, the venue 关爱桂城企业创享家, and one
// demo account per role. Idempotent: running it twice changes nothing.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/app.h"

namespace carecity::app {

struct DemoLogin {
  std::string role;   // what the account is for, in Chinese
  std::string login;  // phone number
  std::string password;
};

// The accounts seed-demo creates (also printed by `make run`).
const std::vector<DemoLogin>& DemoLogins();

// hour:minute China time (UTC+8), `days` days after the China date of `now_ms`.
int64_t OnChinaDay(int64_t now_ms, int64_t days, int hour, int minute);

// Loads the demo data; `progress` receives one line per step.
Status SeedDemo(App& app, const std::function<void(const std::string&)>& progress);

}  // namespace carecity::app
