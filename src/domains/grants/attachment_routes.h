// /api/v1/grants/applications/{id}/attachments...: an application's files
// (docs/api-grants.md, Attachments). GrantsService decides every permission.
#pragma once

#include <string>
#include <string_view>

#include "domains/accounts/service.h"
#include "domains/grants/service.h"
#include "http/router.h"

namespace carecity::grants {

// `attachment; filename="…"; filename*=UTF-8''…`: an ASCII fallback (one '_'
// for each other character, quote or backslash) and the exact UTF-8 name
// percent-encoded (RFC 6266 / RFC 8187).
std::string ContentDisposition(std::string_view file_name);

void RegisterAttachmentRoutes(http::Router& router, GrantsService& grants, accounts::AccountsService& accounts);

}  // namespace carecity::grants
