// The site's own origin for absolute links (feeds, share posters, page
// metadata): `public_origin` when configured, else the request's Host over
// http (a Host that is not a plain host[:port] reads as "localhost", so a
// forged header cannot put markup into a page).
#pragma once

#include <string>

#include "http/message.h"

namespace carecity::http {

std::string SiteOrigin(const std::string& public_origin, const Request& req);

}  // namespace carecity::http
