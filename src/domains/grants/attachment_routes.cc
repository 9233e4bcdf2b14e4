#include "domains/grants/attachment_routes.h"

#include <boost/json.hpp>

#include "domains/accounts/routes.h"
#include "http/json.h"
#include "media/files.h"

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
  co_return media::FileResponse(r->meta.content_type, r->meta.file_name, std::move(r->bytes));
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

void RegisterAttachmentRoutes(http::Router& router, GrantsService& grants, AccountsService& accounts) {
  Deps d{grants, accounts};
  // A file just over the limit is named as such (grants.attachment_too_large).
  const http::RouteOptions upload = media::UploadRoute(kMaxAttachmentBytes);
  router.Add(
      "POST", "/api/v1/grants/applications/{id}/attachments", [d](Request& req) { return Upload(d, req); }, upload);
  router.Add("GET", "/api/v1/grants/applications/{id}/attachments/{attachment_id}",
             [d](Request& req) { return Download(d, req); });
  router.Add("DELETE", "/api/v1/grants/applications/{id}/attachments/{attachment_id}",
             [d](Request& req) { return Remove(d, req); });
}

}  // namespace carecity::grants
