// HTTP routes for events and volunteer hours (docs/api-events.md).
#pragma once

#include "domains/accounts/service.h"
#include "domains/events/service.h"
#include "http/router.h"

namespace carecity::events {

void RegisterRoutes(http::Router& router, EventsService& events, accounts::AccountsService& accounts);

}  // namespace carecity::events
