// The operator's outbox routes (platform administrators only):
//   GET  /api/v1/admin/notify/messages?status=failed|queued|sent&channel=sms|email&before=<id>
//        {"messages":[…], "next_cursor", "counts":{"queued","failed"}}, newest first, 50 a page;
//        recipients masked, parameters never shown (a code is a secret);
//   POST /api/v1/admin/notify/messages/{id}/retry  {"message"}: a failed one queued again.
#pragma once

#include "core/clock.h"
#include "db/store.h"
#include "domains/accounts/service.h"
#include "http/router.h"

namespace carecity::notify {

void RegisterAdminRoutes(http::Router& router, db::Store& store, accounts::AccountsService& accounts,
                         const Clock& clock);

}  // namespace carecity::notify
