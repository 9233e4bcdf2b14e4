#include "http/origin.h"

namespace carecity::http {

std::string SiteOrigin(const std::string& public_origin, const Request& req) {
  if (!public_origin.empty()) {
    return public_origin;
  }
  const std::string_view host = req.Header("host");
  const bool plain = !host.empty() && host.size() < 256 &&
                     host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") ==
                         std::string_view::npos;
  return "http://" + std::string(plain ? host : "localhost");
}

}  // namespace carecity::http
