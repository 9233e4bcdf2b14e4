// HTTP routes for uploaded images (docs/api-media.md):
//   POST   /api/v1/media/images          raw image body → 201 {image}
//   DELETE /api/v1/media/images/{id}     the owner's unused image → 204
//   GET    /media/images/{id}/{variant}.webp   public, immutable
#pragma once

#include <boost/json/object.hpp>

#include "domains/accounts/service.h"
#include "http/router.h"
#include "media/service.h"

namespace carecity::media {

// {"id","url","thumb_url","width","height"}: how every domain shows an image.
boost::json::object ImageJson(const Image& image);

void RegisterRoutes(http::Router& router, MediaService& media, accounts::AccountsService& accounts);

}  // namespace carecity::media
