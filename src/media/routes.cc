#include "media/routes.h"

#include <boost/json.hpp>

#include "core/text.h"
#include "domains/accounts/routes.h"
#include "http/json.h"

namespace carecity::media {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using http::Err;
using http::Request;
using http::Response;

constexpr const char* kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kWebpSuffix = ".webp";

struct Deps {
  MediaService& media;
  accounts::AccountsService& accounts;
};

const std::vector<std::string>& ImageBodyTypes() {
  static const std::vector<std::string> kTypes{"image/jpeg", "image/png", "image/webp"};
  return kTypes;
}

awaitable<Response> Upload(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(who, d.accounts, req);
  co_return co_await AnswerUpload(d.media, who, req, false);
}

awaitable<Response> Remove(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(who, d.accounts, req);
  std::string id(req.Param("id"));
  auto done = co_await d.media.Delete(who, std::move(id));
  if (!done.ok()) {
    co_return Err(done.error(), req);
  }
  co_return http::NoContent();
}

awaitable<Response> Serve(Deps d, Request& req) {
  std::string file(req.Param("file"));
  if (file.size() <= kWebpSuffix.size() || file.substr(file.size() - kWebpSuffix.size()) != kWebpSuffix) {
    co_return Err(Error::NotFound("image_not_found"), req);
  }
  std::string variant = file.substr(0, file.size() - kWebpSuffix.size());
  std::string id(req.Param("id"));
  std::string if_none_match(req.Header("if-none-match"));
  auto body = co_await d.media.Variant(std::move(id), std::move(variant), std::move(if_none_match));
  if (!body.ok()) {
    co_return Err(body.error(), req);
  }
  Response r;
  r.Set("Cache-Control", kImmutable);
  r.Set("ETag", body->etag);
  if (body->not_modified) {
    r.status = 304;
    co_return r;
  }
  r.status = 200;
  r.Set("Content-Type", "image/webp");
  r.body = std::move(body->bytes);
  co_return r;
}

}  // namespace

awaitable<Response> AnswerUpload(MediaService& media, const accounts::Principal& who, Request& req, bool vouched) {
  // The dispatcher let through JSON or one of the image types; only the
  // latter is an upload. The bytes decide the real type, not this header.
  const std::string ct = AsciiLower(Trim(req.Header("content-type").substr(0, req.Header("content-type").find(';'))));
  const auto& types = ImageBodyTypes();
  if (std::find(types.begin(), types.end(), ct) == types.end()) {
    co_return Err(Error{ErrorCode::kUnsupportedMedia, "image_content_type", "image", {}}, req);
  }
  std::string bytes = std::move(req.body);
  auto image = co_await media.Upload(who, std::move(bytes), vouched);
  if (!image.ok()) {
    co_return Err(image.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"image", ImageJson(*image)}});
}

http::RouteOptions UploadOptions(const MediaService& media) {
  http::RouteOptions upload;
  upload.max_body_bytes = media.config().max_upload_bytes;
  upload.body_types = ImageBodyTypes();
  return upload;
}

json::object ImageJson(const Image& image) {
  return json::object{{"id", image.public_id},
                      {"url", ImageUrl(image.public_id, kFullVariant)},
                      {"thumb_url", ImageUrl(image.public_id, kThumbVariant)},
                      {"width", image.width},
                      {"height", image.height}};
}

json::array PhotosJson(const std::vector<Image>& photos) {
  json::array out;
  for (const Image& p : photos) {
    out.push_back(ImageJson(p));
  }
  return out;
}

Result<std::optional<std::vector<std::string>>> PhotoIds(const json::value* raw, const std::string& field) {
  if (raw == nullptr || raw->is_null()) {
    return std::optional<std::vector<std::string>>();
  }
  if (!raw->is_array()) {
    return Error::Invalid("invalid_type", field);
  }
  if (raw->get_array().size() > kMaxPhotos) {
    return Error::Invalid("too_many_photos", field);
  }
  std::vector<std::string> ids;
  for (const json::value& v : raw->get_array()) {
    if (!v.is_string() || v.get_string().size() > 64) {
      return Error::Invalid("invalid_type", field);
    }
    ids.emplace_back(v.get_string());
  }
  return std::optional<std::vector<std::string>>(std::move(ids));
}

void RegisterRoutes(http::Router& router, MediaService& media, accounts::AccountsService& accounts) {
  Deps d{media, accounts};
  router.Add(
      "POST", "/api/v1/media/images", [d](Request& req) { return Upload(d, req); }, UploadOptions(media));
  router.Add("DELETE", "/api/v1/media/images/{id}", [d](Request& req) { return Remove(d, req); });
  router.Add("GET", "/media/images/{id}/{file}", [d](Request& req) { return Serve(d, req); });
}

}  // namespace carecity::media
