// /api/v1/forum/...: boards, threads, posts, likes, reports, moderation,
// sanctions, credits. The contract: docs/api-forum.md.
#pragma once

#include "domains/accounts/service.h"
#include "domains/forum/service.h"
#include "http/router.h"
#include "media/service.h"

namespace carecity::forum {

void RegisterRoutes(http::Router& router, ForumService& forum, accounts::AccountsService& accounts,
                    media::MediaService& media);

}  // namespace carecity::forum
