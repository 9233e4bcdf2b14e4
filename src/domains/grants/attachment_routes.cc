#include "domains/grants/attachment_routes.h"

#include <boost/json.hpp>

#include <fmt/format.h>

#include "domains/accounts/routes.h"
#include "http/json.h"

namespace carecity::grants {
namespace {

namespace json = boost::json;
using accounts::AccountsService;
using boost::asio::awaitable;
using http::Err;
using http::Request;
using http::Response;

struct Deps {
  GrantsService& grants;
  AccountsService& accounts;
};

// What the upload route lets through besides JSON; the bytes decide the
// real type (SniffAttachmentType), whatever is claimed here. None is a type
// a cross-site form can send, so browsers still preflight the upload.
const std::vector<std::string>& UploadTypes() {
  static const std::vector<std::string> kTypes{"application/pdf", "image/jpeg", "image/png", "image/webp",
                                               "application/octet-stream"};
  return kTypes;
}

// RFC 8187 attr-char: sent as is; every other byte as %XX.
bool AttrChar(unsigned char c) {
  const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return alnum || std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

awaitable<Response> Upload(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  std::string label = req.Query("label").value_or("");
  std::string name = req.Query("name").value_or("");
  std::string bytes = std::move(req.body);
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.AddAttachment(p, std::move(id), std::move(label), std::move(name), std::move(bytes),
                                           std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  const std::string app_id(req.Param("id"));
  co_return http::JsonResponse(201, json::object{{"attachment", AttachmentJson(app_id, *r)}});
}

awaitable<Response> Download(Deps d, Request& req) {
  auto p = co_await accounts::OptionalPrincipal(d.accounts, req);
  std::string id(req.Param("id"));
  std::string file_id(req.Param("attachment_id"));
  auto r = co_await d.grants.GetAttachment(p, std::move(id), std::move(file_id));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  Response res;
  res.Set("Content-Type", r->meta.content_type);
  res.Set("Content-Disposition", ContentDisposition(r->meta.file_name));
  res.Set("X-Content-Type-Options", "nosniff");
  // Organisations' papers: the browser may keep them, no shared cache may.
  res.Set("Cache-Control", "private, no-store");
  res.body = std::move(r->bytes);
  co_return res;
}

awaitable<Response> Remove(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  std::string file_id(req.Param("attachment_id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.DeleteAttachment(p, std::move(id), std::move(file_id), std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::NoContent();
}

}  // namespace

std::string ContentDisposition(std::string_view file_name) {
  std::string ascii;
  std::string encoded;
  for (const char ch : file_name) {
    const auto c = static_cast<unsigned char>(ch);
    // A UTF-8 continuation byte adds nothing: its code point has its '_'.
    if (c < 0x80 || c >= 0xC0) {
      ascii += (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') ? ch : '_';
    }
    if (AttrChar(c)) {
      encoded += ch;
    } else {
      encoded += fmt::format("%{:02X}", c);
    }
  }
  return fmt::format("attachment; filename=\"{}\"; filename*=UTF-8''{}", ascii, encoded);
}

void RegisterAttachmentRoutes(http::Router& router, GrantsService& grants, AccountsService& accounts) {
  Deps d{grants, accounts};
  http::RouteOptions upload;
  // One byte over the limit is read, so a file just too large is named as
  // such (grants.attachment_too_large); a larger body is refused unread
  // (413 body_too_large).
  upload.max_body_bytes = kMaxAttachmentBytes + 1;
  upload.body_types = UploadTypes();
  router.Add(
      "POST", "/api/v1/grants/applications/{id}/attachments", [d](Request& req) { return Upload(d, req); }, upload);
  router.Add("GET", "/api/v1/grants/applications/{id}/attachments/{attachment_id}",
             [d](Request& req) { return Download(d, req); });
  router.Add("DELETE", "/api/v1/grants/applications/{id}/attachments/{attachment_id}",
             [d](Request& req) { return Remove(d, req); });
}

}  // namespace carecity::grants
