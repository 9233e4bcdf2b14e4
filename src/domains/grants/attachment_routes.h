// /api/v1/grants/applications/{id}/attachments...: an application's files
// (docs/api-grants.md, Attachments). GrantsService decides every permission.
#pragma once

#include "domains/accounts/service.h"
#include "domains/grants/service.h"
#include "http/router.h"

namespace carecity::grants {

void RegisterAttachmentRoutes(http::Router& router, GrantsService& grants, accounts::AccountsService& accounts);

}  // namespace carecity::grants
