// HTTP routes of the village books (docs/api-market.md, "Village books").
#pragma once

#include "domains/accounts/service.h"
#include "domains/villagebook/service.h"
#include "http/router.h"

namespace carecity::villagebook {

void RegisterRoutes(http::Router& router, VillageBookService& books, accounts::AccountsService& accounts);

}  // namespace carecity::villagebook
