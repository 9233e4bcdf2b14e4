// /api/v1/market/...: the catalogue, needs, needs surveys and matching
// (MarketService decides every permission). The contract: docs/api-market.md.
#pragma once

#include "domains/accounts/service.h"
#include "domains/market/service.h"
#include "http/router.h"

namespace carecity::market {

void RegisterRoutes(http::Router& router, MarketService& market, accounts::AccountsService& accounts);

}  // namespace carecity::market
