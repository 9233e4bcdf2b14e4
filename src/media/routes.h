// HTTP routes for uploaded images (docs/api-media.md):
//   POST   /api/v1/media/images          raw image body → 201 {image}
//   DELETE /api/v1/media/images/{id}     the owner's unused image → 204
//   GET    /media/images/{id}/{variant}.webp   public, immutable
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domains/accounts/service.h"
#include "http/router.h"
#include "media/service.h"

namespace carecity::media {

// {"id","url","thumb_url","width","height"}: how every domain shows an image.
boost::json::object ImageJson(const Image& image);

// The images in order, each as ImageJson (`[]` when none).
boost::json::array PhotosJson(const std::vector<Image>& photos);

// The `photo_ids` of a create or edit body: absent or null -> nullopt; else
// the public ids in order. Errors naming `field`: invalid_type (not an array
// of strings), too_many_photos (over kMaxPhotos). The service checks the
// rest (MediaService::ReplacePhotosInTx).
Result<std::optional<std::vector<std::string>>> PhotoIds(const boost::json::value* raw,
                                                         const std::string& field = "photo_ids");

// The body of an image upload route: a raw JPEG, PNG or WebP body (else
// 415 image_content_type) stored for `who` → 201 {image}. For a domain's own
// upload route after its own checks (`vouched`, see MediaService::Upload).
boost::asio::awaitable<http::Response> AnswerUpload(MediaService& media, const accounts::Principal& who,
                                                    http::Request& req, bool vouched);

// The route options of an upload route: the body size limit and image types.
http::RouteOptions UploadOptions(const MediaService& media);

void RegisterRoutes(http::Router& router, MediaService& media, accounts::AccountsService& accounts);

}  // namespace carecity::media
