// /api/v1/market/...: the catalogue, needs, needs surveys and matching
// (MarketService decides every permission). The contract: docs/api-market.md.
#pragma once

#include <boost/json/object.hpp>

#include "domains/accounts/service.h"
#include "domains/market/contracts_service.h"
#include "domains/market/meetings_service.h"
#include "domains/market/service.h"
#include "http/json.h"
#include "http/router.h"

namespace carecity::market {

void RegisterRoutes(http::Router& router, MarketService& market, accounts::AccountsService& accounts);

// Purchase: quote requests, quotes, contracts, and GET /api/v1/villages/{id}/public
// (contracts_routes.cc).
void RegisterContractRoutes(http::Router& router, ContractsService& contracts, accounts::AccountsService& accounts);

// The 供需见面会: meetings, booths, shortlists (meetings_routes.cc).
void RegisterMeetingRoutes(http::Router& router, MeetingsService& meetings, accounts::AccountsService& accounts);

// The fields of a need's JSON body (POST /api/v1/market/needs) into `f`;
// without `with_village` the body names no village_id and source may be
// left out (empty), for a caller that decides them (the training domain).
NeedDraft ParseNeedDraft(http::Fields& f, bool with_village);

// A need as the API answers it (no person's name or account).
boost::json::object NeedJson(const Need& n);

}  // namespace carecity::market
