// A small asynchronous HTTP/1.1 client for outgoing calls (the sandbox
// payment provider delivering notifications to our notify URL). Plain http
// only: real providers' TLS endpoints will get their own transport.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <map>
#include <string>

#include "core/result.h"

namespace carecity::http {

struct ClientResponse {
  int status = 0;
  std::string body;
};

// POSTs `body` to `url` ("http://host:port/path") with the given headers and
// a 10 s timeout. Errors: upstream_unreachable (with the cause in detail).
boost::asio::awaitable<Result<ClientResponse>> PostJson(const std::string& url, const std::string& body,
                                                        const std::map<std::string, std::string>& headers);

}  // namespace carecity::http
