// /api/v1/training/...: the 党员社工培育 API (TrainingService decides every
// permission). The contract: docs/api-training.md.
#pragma once

#include "domains/accounts/service.h"
#include "domains/training/service.h"
#include "http/router.h"

namespace carecity::training {

void RegisterRoutes(http::Router& router, TrainingService& training, accounts::AccountsService& accounts);

}  // namespace carecity::training
