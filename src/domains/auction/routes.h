// HTTP routes for 公益拍卖 (docs/api-auction.md).
#pragma once

#include "domains/accounts/service.h"
#include "domains/auction/service.h"
#include "domains/payments/service.h"
#include "http/router.h"

namespace carecity::auction {

void RegisterRoutes(http::Router& router, AuctionService& auction, accounts::AccountsService& accounts,
                    payments::PaymentsService& payments);

}  // namespace carecity::auction
