// HTTP routes for the 公益商城 (docs/api-shop.md).
#pragma once

#include "domains/accounts/service.h"
#include "domains/shop/service.h"
#include "http/router.h"

namespace carecity::shop {

void RegisterRoutes(http::Router& router, ShopService& shop, accounts::AccountsService& accounts);

}  // namespace carecity::shop
